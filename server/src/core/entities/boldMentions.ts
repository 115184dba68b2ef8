/**
 * The bold mentions of an entity across the vault, for references and rename: the note being edited
 * from its current parse, every other note from its text, read on demand through `ctx.readText`. The
 * index keeps no bold spans, only a hash of each distinct bold text of a note (see
 * `NoteSummary.hasBold`), so only the notes that may hold the text are read, and their spans are compared
 * with it exactly. A note that cannot be read gives no bold mentions (nor could an edit be applied to it).
 */
import type { Location } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { boldSpansOf } from '../parse/note';
import { drain, type Steps } from '../steps';

/** Every bold span whose text is exactly `text`, by uri, then in the note's order. */
export function boldMentions(ctx: DocumentContext, text: string): Location[] {
  return drain(boldMentionSteps(ctx, text));
}

/** `boldMentions` in steps: one after each other note read. */
export function* boldMentionSteps(ctx: DocumentContext, text: string): Steps<Location[]> {
  const out: Location[] = [];
  const uris = ctx.index.notesWithBold(text);
  if (!uris.includes(ctx.uri)) uris.push(ctx.uri);
  for (const uri of uris.sort()) {
    if (uri === ctx.uri) {
      for (const b of ctx.note.body.bolds) if (b.text === text) out.push({ uri, range: b.textLoc.range });
      continue;
    }
    const other = ctx.readText?.(uri);
    if (other !== undefined) for (const b of boldSpansOf(other, text)) out.push({ uri, range: b.textLoc.range });
    yield;
  }
  return out;
}
