/**
 * The list of notes shown in entity hovers and completion documentation, built with the shared escaping of
 * `core/markdown.ts`: note text cannot add links, HTML or formatting, and links point at notes only.
 */
import { escapeMarkdown, noteLink } from '../markdown';

/** The file name of a note, shown when it has no title. */
export function fileNameOf(uri: string): string {
  const base = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

/** `- 2024-03-05 [Title](file:///…)` lines, one per note. */
export function notesMarkdown(notes: ReadonlyArray<{ uri: string; title: string | undefined; date: string | undefined }>): string {
  return notes
    .map((n) => {
      const link = noteLink(n.title ?? fileNameOf(n.uri), n.uri);
      return `- ${n.date ? escapeMarkdown(n.date) + ' ' : ''}${link}`;
    })
    .join('\n');
}
