/** Fixes as minimal text edits on the original text, and the helpers that build them. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { Positioner } from '../parse/text';

/** A quick fix carried in a diagnostic's `data`: a title, the edits, and whether "fix all" may apply it. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Safe fixes change nothing but the problem's own characters and cannot pick a wrong value. */
  readonly safe: boolean;
}

export function edit(pos: Positioner, start: number, end: number, newText: string): TextEdit {
  return { range: pos.range(start, end), newText };
}

const before = (a: Range, b: Range) => a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character < b.start.character);
const notAfter = (a: Range['end'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/**
 * Merges the edits of several fixes, dropping a fix whose edits overlap an earlier one's (the next pass of
 * "fix all" gets it). Insertions at the same place keep their order.
 */
export function mergeFixes(fixes: readonly Fix[]): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const f of fixes) {
    const clash = f.edits.some((e) => taken.some((o) => !(notAfter(e.range.end, o.range.start) || notAfter(o.range.end, e.range.start))
      && !(isEmpty(e.range) && isEmpty(o.range))));
    if (!clash) taken.push(...f.edits);
  }
  return taken.map((e, i) => ({ e, i })).sort((a, b) => (before(a.e.range, b.e.range) ? -1 : before(b.e.range, a.e.range) ? 1 : a.i - b.i)).map((x) => x.e);
}

const isEmpty = (r: Range) => r.start.line === r.end.line && r.start.character === r.end.character;

/** The text after the edits (which must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('notesense:edit', 'markdown', 0, text), [...edits]);
}

/** A string as a YAML scalar in the note's style: plain when that reads back the same, else quoted. */
export function yamlScalar(value: string, quote: "'" | '"' = "'"): string {
  const plainSafe = /^[^\s\-?:,[\]{}#&*!|>'"%@`【】][^#:\n]*$/u.test(value) && !/\s$/.test(value)
    && !/^(true|false|null|~|yes|no|on|off|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)(e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan)$/i.test(value);
  if (plainSafe) return value;
  return quote === '"' ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
}
