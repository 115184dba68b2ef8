import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import type { Span } from './types';

/**
 * Turns UTF-16 offsets into LSP positions through `TextDocument`, which counts `\r\n`, `\r` and `\n` as
 * line breaks exactly as editors do.
 */
export class Positioner {
  readonly doc: TextDocument;
  constructor(readonly text: string) {
    this.doc = TextDocument.create('notesense:note', 'markdown', 0, text);
  }
  range(start: number, end: number): Range {
    return { start: this.doc.positionAt(start), end: this.doc.positionAt(end) };
  }
  span(start: number, end: number): Span {
    return { start, end, range: this.range(start, end) };
  }
  get lineCount(): number {
    return this.doc.lineCount;
  }
}

/** A line of the note: `[start, end)` without its break, `next` the start of the following line. */
export interface Line {
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

/** Iterates the lines of `text` from `from`, treating `\r\n`, `\r` and `\n` as breaks. */
export function* lines(text: string, from = 0): Generator<Line> {
  let start = from;
  const n = text.length;
  while (start <= n) {
    let i = start;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      i++;
    }
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

/** The dominant line break of `text` ('\n' when it has none). */
export function dominantEol(text: string): '\n' | '\r\n' | '\r' {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
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
