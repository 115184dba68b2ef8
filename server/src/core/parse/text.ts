import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import type { Span } from './types';

/**
 * Turns UTF-16 offsets into LSP positions exactly as `TextDocument` does: `\r\n`, `\r` and `\n` each
 * break a line, offsets are clamped to the text, and an offset between the `\r` and the `\n` of a line
 * break is placed at the end of its line.
 *
 * A parse asks for thousands of positions, nearly always in increasing order, so the line of the previous
 * answer is kept as a cursor: the next offset is usually on the same line or a few lines further, which
 * costs a comparison or two instead of a binary search over every line of the note.
 */
export class Positioner {
  private readonly lineOffsets: number[];
  private readonly hasCr: boolean;
  /** The line of the last position answered. */
  private cursor = 0;
  private document: TextDocument | undefined;
  constructor(readonly text: string) {
    this.hasCr = text.indexOf('\r') >= 0;
    this.lineOffsets = lineOffsetsOf(text, this.hasCr);
  }
  /** The note as a `TextDocument`, for callers that need `offsetAt` (made on first use). */
  get doc(): TextDocument {
    return (this.document ??= TextDocument.create('notesense:note', 'markdown', 0, this.text));
  }
  positionAt(offset: number): Position {
    const text = this.text;
    const offsets = this.lineOffsets;
    const o = offset > text.length ? text.length : offset > 0 ? offset : 0;
    let line = this.cursor;
    if (offsets[line]! > o) {
      line = lineOf(offsets, o);
    } else {
      // Walk forward a few lines; a jump further than that is found by binary search.
      const last = offsets.length - 1;
      let steps = 0;
      while (line < last && offsets[line + 1]! <= o) {
        if (++steps > 8) {
          line = lineOf(offsets, o);
          break;
        }
        line++;
      }
    }
    this.cursor = line;
    const start = offsets[line]!;
    // Between the `\r` and the `\n` of a line break: TextDocument answers the end of the line.
    const character = this.hasCr && o > start && text.charCodeAt(o - 1) === 13 ? o - 1 - start : o - start;
    return { line, character };
  }
  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
  span(start: number, end: number): Span {
    return { start, end, range: this.range(start, end) };
  }
  get lineCount(): number {
    return this.lineOffsets.length;
  }
  /** The offset where each line starts (the first is 0), as `TextDocument` counts lines. */
  get lineStarts(): readonly number[] {
    return this.lineOffsets;
  }
  /** The line that holds `offset` (clamped to the text). */
  lineOf(offset: number): number {
    return this.positionAt(offset).line;
  }
}

/** The texts `documentOf` answered last, most recent last. */
const recentDocuments: TextDocument[] = [];

/**
 * A `TextDocument` over `text`, for turning positions into offsets and back. A request asks this about
 * the same note text a few times (the cursor, the range to replace, the mentions), and a new document
 * counts the lines of the whole note again on first use (~27,000 characters in this format), so the last
 * few are kept. The text is compared by value: the same note text from another string object matches too.
 * It keeps those texts alive, so it is for the text of a note being edited (`ctx.text`) only, never for
 * notes read from disk.
 */
export function documentOf(text: string): TextDocument {
  for (let i = recentDocuments.length - 1; i >= 0; i--) {
    const doc = recentDocuments[i]!;
    if (doc.getText() === text) return doc;
  }
  const doc = TextDocument.create('notesense:text', 'markdown', 0, text);
  if (recentDocuments.length >= 4) recentDocuments.shift();
  recentDocuments.push(doc);
  return doc;
}

/** The offset of an LSP position in the text of the note being edited (see `documentOf`). */
export function offsetAt(text: string, position: Position): number {
  return documentOf(text).offsetAt(position);
}

/** The LSP position of an offset in the text of the note being edited (see `documentOf`). */
export function positionAt(text: string, offset: number): Position {
  return documentOf(text).positionAt(offset);
}

/** The offset where each line starts, as `TextDocument` computes them. */
function lineOffsetsOf(text: string, hasCr: boolean): number[] {
  const out = [0];
  if (!hasCr) {
    // Only `\n` breaks lines: the engine's search finds them much faster than a loop over characters.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
    return out;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      out.push(i + 1);
    } else if (c === 10) out.push(i + 1);
  }
  return out;
}

/** The last line whose start is at or before `offset` (binary search). */
function lineOf(offsets: readonly number[], offset: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (offsets[mid]! > offset) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}

/** A line of the note: `[start, end)` without its break, `next` the start of the following line. */
export interface Line {
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

/** Iterates the lines of `text` from `from`, treating `\r\n`, `\r` and `\n` as breaks. */
export function* lines(text: string, from = 0): Generator<Line> {
  const breaks = new LineBreaks(text);
  let start = from;
  const n = text.length;
  while (start <= n) {
    const i = breaks.next(start);
    if (i >= n) {
      yield { start, end: n, next: n + 1 };
      return;
    }
    const next = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    yield { start, end: i, next };
    start = next;
    if (start === n) return;
  }
}

/**
 * The next occurrence of any of a few strings, found with the engine's string search rather than a loop
 * over characters. The next place of each is remembered until the scan passes it, so asking in increasing
 * order searches the whole text once for each, however many questions; asking about an earlier place
 * starts the search again.
 */
export class NextOf {
  private readonly found: number[];
  private from = 0;
  constructor(private readonly text: string, private readonly needles: readonly string[]) {
    this.found = needles.map(() => -1);
  }
  /** The offset of the first of the needles at or after `from`, or the text's length when there is none. */
  next(from: number): number {
    const { text, found, needles } = this;
    if (from < this.from) found.fill(-1);
    this.from = from;
    let best = text.length;
    for (let k = 0; k < needles.length; k++) {
      if (found[k]! < from) {
        const at = text.indexOf(needles[k]!, from);
        found[k] = at < 0 ? text.length : at;
      }
      if (found[k]! < best) best = found[k]!;
    }
    return best;
  }
}

/** The next `\r` or `\n`: a text without any `\r` searches for one once. */
export class LineBreaks extends NextOf {
  constructor(text: string) {
    super(text, ['\n', '\r']);
  }
}

/** The dominant line break of `text` ('\n' when it has none). */
export function dominantEol(text: string): '\n' | '\r\n' | '\r' {
  // Most notes have no `\r` at all; one search of the engine says so.
  let i = text.indexOf('\r');
  if (i < 0) return '\n';
  let crlf = 0;
  let cr = 0;
  for (; i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) crlf++;
    else cr++;
  }
  let lf = -crlf;
  for (let j = text.indexOf('\n'); j >= 0; j = text.indexOf('\n', j + 1)) lf++;
  if (crlf >= lf && crlf >= cr && crlf > 0) return '\r\n';
  if (cr > lf) return '\r';
  return '\n';
}

/** True for CJK ideographs, kana, hangul and full-width forms: text that is not "English". */
export function isCjk(code: number): boolean {
  return (
    (code >= 0x2e80 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xffef) ||
    (code >= 0x20000 && code <= 0x3134f)
  );
}

export function hasCjk(s: string): boolean {
  for (const ch of s) if (isCjk(ch.codePointAt(0)!)) return true;
  return false;
}

export function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
