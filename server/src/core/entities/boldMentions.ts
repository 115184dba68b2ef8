/**
 * The bold mentions of an entity across the vault, for references and rename: the note being edited
 * from its current parse, every other note from its summary (which keeps each bold span's range and a
 * 64-bit key of its text, see `boldKey`).
 */
import type { Location } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';

/** Every bold span whose text is exactly `text`, by uri, then in the note's order. */
export function boldMentions(ctx: DocumentContext, text: string): Location[] {
  const out: Location[] = [];
  const uris = ctx.index.notesWithBold(text);
  if (!uris.includes(ctx.uri)) uris.push(ctx.uri);
  for (const uri of uris.sort()) {
    if (uri === ctx.uri) {
      for (const b of ctx.note.body.bolds) if (b.text === text) out.push({ uri, range: b.textLoc.range });
    } else {
      for (const range of ctx.index.get(uri)?.boldRanges(text) ?? []) out.push({ uri, range });
    }
  }
  return out;
}
