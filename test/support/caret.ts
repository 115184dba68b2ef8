import type { Position } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * Inline test cases mark a position with `|` (or another marker): returns the text without the marker
 * and the marker's LSP position.
 */
export function caret(marked: string, marker = '|'): { text: string; position: Position; offset: number } {
  const offset = marked.indexOf(marker);
  if (offset < 0) throw new Error(`no ${marker} marker in test text`);
  if (marked.indexOf(marker, offset + marker.length) >= 0) throw new Error(`more than one ${marker} marker`);
  const text = marked.slice(0, offset) + marked.slice(offset + marker.length);
  const position = TextDocument.create('test:', 'markdown', 0, text).positionAt(offset);
  return { text, position, offset };
}

/** The text a range covers, for asserting the first and last character of a range at once. */
export function textAt(text: string, range: { start: Position; end: Position }): string {
  const doc = TextDocument.create('test:', 'markdown', 0, text);
  return text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
}

/** Every range is asserted by both ends: `spanOf('ab**数据墙**', '数据墙')` → the exact range. */
export function rangeOf(text: string, needle: string, occurrence = 0) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${occurrence} not found`);
  }
  const doc = TextDocument.create('test:', 'markdown', 0, text);
  return { start: doc.positionAt(at), end: doc.positionAt(at + needle.length) };
}
