/**
 * The bold mentions of an entity across the vault, for references and rename. The index keeps only a
 * hash of each note's distinct bold texts (see `SummaryData.bolds`), so the notes whose hashes match are
 * read through `ctx.readText` (the open buffer first, then the file) and their bodies parsed to find the
 * spans: a handful of notes for most entities, and a match by hash alone is never trusted.
 */
import type { Location } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { parseNote } from '../parse/note';
import type { NoteModel } from '../parse/types';

/**
 * Every bold span whose text is exactly `text`, by uri, then in the note's order. The note being edited
 * comes from its current parse, the others from their current text.
 */
export function boldMentions(ctx: DocumentContext, text: string): Location[] {
  const out: Location[] = [];
  const pick = (uri: string, note: NoteModel) => {
    for (const b of note.body.bolds) if (b.text === text) out.push({ uri, range: b.textLoc.range });
  };
  const uris = ctx.index.notesMayHaveBold(text);
  if (!uris.includes(ctx.uri)) uris.push(ctx.uri);
  for (const uri of uris.sort()) {
    if (uri === ctx.uri) {
      pick(uri, ctx.note);
      continue;
    }
    const other = ctx.readText?.(uri);
    // A note that cannot be read (gone since it was indexed) has no span anyone could go to or edit.
    if (other === undefined || !other.includes(text)) continue;
    // The front matter is not read (no YAML parse): only where the body starts matters here.
    pick(uri, parseNote(other, { maxFrontMatterLength: 0 }).note);
  }
  return out;
}
