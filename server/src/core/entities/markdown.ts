/**
 * Safe Markdown for hovers and completion documentation. Note text (titles, values) is escaped so it
 * cannot add links, HTML or formatting; links point at notes only, never at `command:` URIs.
 */

/** Escapes every character that Markdown (CommonMark) or an HTML renderer could act on. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, (c) => `\\${c}`).replace(/\r?\n|\r/g, ' ');
}

/** A link target for a note uri, or undefined for schemes that could run something. */
export function linkTarget(uri: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (scheme !== 'file' && scheme !== 'untitled' && scheme !== 'vscode-vfs') return undefined;
  // Parentheses and spaces would end the link early.
  return uri.replace(/[()\s<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

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
      const name = escapeMarkdown(n.title ?? fileNameOf(n.uri));
      const target = linkTarget(n.uri);
      const link = target ? `[${name}](${target})` : name;
      return `- ${n.date ? escapeMarkdown(n.date) + ' ' : ''}${link}`;
    })
    .join('\n');
}
