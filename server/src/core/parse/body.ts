/**
 * One linear pass over the Markdown body: fenced code blocks, ATX headings, inline code spans and bold
 * spans, and the glossary definitions built from bold spans. No regular expression runs over note text,
 * so an unclosed `（` or `**` costs no more than a closed one. The next version of an open note is read
 * only over the lines an edit touched (`reparseBody`).
 */
import type { Range } from 'vscode-languageserver-types';
import { t } from '../l10n';
import { problem } from './problem';
import { hasCjk, isBlank, NextOf, type Line, type Positioner } from './text';
import type { Bold, Definition, DefinitionVariant, Heading, NoteBody, Problem, Span } from './types';

const BACKTICK = 96;
const TILDE = 126;
const STAR = 42;
const HASH = 35;
const BACKSLASH = 92;

interface Fence {
  readonly char: number;
  readonly length: number;
  readonly start: number;
}

/** Counts a run of `char` starting at `i`. */
function run(text: string, i: number, end: number, char: number): number {
  let j = i;
  while (j < end && text.charCodeAt(j) === char) j++;
  return j - i;
}

function indentOf(text: string, line: Line): number {
  let i = line.start;
  while (i < line.end && text.charCodeAt(i) === 32) i++;
  return i - line.start;
}

function fenceOpen(text: string, line: Line): Fence | undefined {
  const indent = indentOf(text, line);
  if (indent > 3) return undefined;
  const at = line.start + indent;
  const c = text.charCodeAt(at);
  if (c !== BACKTICK && c !== TILDE) return undefined;
  const n = run(text, at, line.end, c);
  if (n < 3) return undefined;
  if (c === BACKTICK && text.slice(at + n, line.end).includes('`')) return undefined;
  return { char: c, length: n, start: line.start };
}

function fenceCloses(text: string, line: Line, fence: Fence): boolean {
  const indent = indentOf(text, line);
  if (indent > 3) return false;
  const at = line.start + indent;
  const n = run(text, at, line.end, fence.char);
  return n >= fence.length && isBlank(text, at + n, line.end);
}

/**
 * The line read from `s` to the next line start `next` (-1 for the last line): it ends before its break,
 * `\r\n` (two units) or a lone `\n` or `\r`.
 */
function lineFrom(text: string, s: number, next: number): Line {
  return next < 0
    ? { start: s, end: text.length, next: text.length + 1 }
    : { start: s, end: Math.max(s, next - (text.charCodeAt(next - 1) === 10 && text.charCodeAt(next - 2) === 13 ? 2 : 1)), next };
}

/** What the line loop fills in. */
interface BodyLists {
  readonly headings: Heading[];
  readonly bolds: Bold[];
  readonly definitions: Definition[];
  readonly code: Span[];
}

export function parseBody(text: string, start: number, pos: Positioner, problems: Problem[]): NoteBody {
  const out: BodyLists = { headings: [], bolds: [], definitions: [], code: [] };
  const { fence, last } = parseLines(text, start, text.length, pos, problems, out);
  if (fence) out.code.push(pos.span(fence.start, last ? last.end : text.length));
  return { start, ...out };
}

/**
 * The lines from the one starting at `start` through the last one starting before `until`, with no fence
 * open before them; returns the fence still open after them and the last line read.
 */
function parseLines(text: string, start: number, until: number, pos: Positioner, problems: Problem[], out: BodyLists, needle?: string):
  { fence: Fence | undefined; last: Line | undefined } {
  const { headings, bolds, definitions, code } = out;
  let fence: Fence | undefined;
  let last: Line | undefined;
  if (start < text.length) {
    // The lines of the body, as `lines()` gives them, taken from the line starts the positioner has
    // already found rather than searched for again.
    const marks = new InlineMarks(text);
    const starts = pos.lineStarts;
    const n = text.length;
    let index = pos.lineOf(start);
    let s = start;
    for (;;) {
      const next = index + 1 < starts.length ? starts[index + 1]! : -1;
      const line = lineFrom(text, s, next);
      last = line;
      if (fence) {
        if (fenceCloses(text, line, fence)) {
          code.push(pos.span(fence.start, line.end));
          fence = undefined;
        }
      } else {
        fence = fenceOpen(text, line);
        if (!fence && needle !== undefined) {
          boldsOf(text, line, pos, marks, needle, bolds);
        } else if (!fence) {
          const heading = parseHeading(text, line, pos);
          if (heading) headings.push(heading);
          scanInline(text, line, pos, marks, bolds, definitions, code, problems);
        }
      }
      if (next < 0 || next === n || next >= until) break;
      s = next;
      index++;
    }
  }
  return { fence, last };
}

/**
 * The bold spans reading exactly `needle`, as `parseBody` from `start` finds them, reading only the lines
 * that hold `offsets` (where `needle` occurs) and those that hold a fence mark (see `readLinesAt`).
 * Entity references and rename read other notes for one text's spans, and most of a note's ~300 bold
 * spans, its definitions and its code spans do not matter to them.
 */
export function boldsOfText(text: string, start: number, needle: string, offsets: readonly number[], pos: Positioner): Bold[] {
  const out: BodyLists = { headings: [], bolds: [], definitions: [], code: [] };
  readLinesAt(text, start, offsets, pos, out, needle);
  return out.bolds;
}

/**
 * What `parseBody` from `start` finds on the lines of `text` that hold `offsets` (headings, bold spans,
 * definitions, code spans), reading only those lines, and the lines that hold a fence mark when the body
 * has one; the fenced blocks are all given, whether or not a line of `offsets` is in one. Finding one
 * term's mentions across the vault reads each note this way: the lines that hold the term are a small
 * part of a note of ~27,000 units, and they hold every definition of the term (a definition's term is on
 * its line). The items are in text order within each list except `code`, where the fenced blocks come
 * first; a definition's place in `definitions` is not its place in the whole body's.
 */
export function bodyAround(text: string, start: number, offsets: readonly number[], pos: Positioner): NoteBody {
  const out: BodyLists = { headings: [], bolds: [], definitions: [], code: [] };
  readLinesAt(text, start, offsets, pos, out);
  return { start, ...out };
}

/**
 * The lines of the body (from `start`) that hold `offsets`, each read alone (with a `needle`, for the
 * bold spans that read exactly it only), except those in a fenced block. Only fences carry state from one
 * line to the next, and only a line holding a fence mark (three backticks or tildes) can open or close
 * one, so the blocks are found from those lines alone (`fencedBlocks`).
 */
function readLinesAt(text: string, start: number, offsets: readonly number[], pos: Positioner, out: BodyLists, needle?: string): void {
  const blocks = fencedBlocks(text, start, pos);
  for (const b of blocks) out.code.push(b);
  const starts = pos.lineStarts;
  let previous = -1;
  let block = 0;
  for (const at of [...offsets].sort((a, b) => a - b)) {
    if (at < start) continue;
    const line = Math.max(start, starts[pos.lineOf(at)]!);
    if (line === previous) continue;
    previous = line;
    while (block < blocks.length && blocks[block]!.end < line) block++;
    // A block's lines run from its opening fence's line start through its closing fence's line end.
    if (block < blocks.length && blocks[block]!.start <= line) continue;
    // One line: the loop stops at the first line start at or past `line + 1`.
    parseLines(text, line, line + 1, pos, [], out, needle);
  }
}

/**
 * The fenced code blocks of the body from `start`, as `parseBody` finds them, read from the lines that
 * hold a fence mark only: no other line can open or close a block (an opening fence is three or more
 * backticks or tildes, a closing one at least as many of the same). A block left open runs to the end
 * of the last line.
 */
function fencedBlocks(text: string, start: number, pos: Positioner): Span[] {
  const lines = new Set<number>();
  for (const mark of ['```', '~~~']) {
    for (let at = text.indexOf(mark, start); at >= 0; at = text.indexOf(mark, at + mark.length)) lines.add(pos.lineOf(at));
  }
  const starts = pos.lineStarts;
  const blocks: Span[] = [];
  let fence: Fence | undefined;
  for (const index of [...lines].sort((a, b) => a - b)) {
    const line = lineFrom(text, Math.max(start, starts[index]!), index + 1 < starts.length ? starts[index + 1]! : -1);
    if (fence) {
      if (fenceCloses(text, line, fence)) {
        blocks.push(pos.span(fence.start, line.end));
        fence = undefined;
      }
    } else fence = fenceOpen(text, line);
  }
  if (fence) blocks.push(pos.span(fence.start, lastLineEnd(text)));
  return blocks;
}

/** Whether `x` starts a line of `text` (`\r\n`, a lone `\r` and `\n` each end one). */
function startsLine(text: string, x: number): boolean {
  const c = text.charCodeAt(x - 1);
  return x === 0 || c === 10 || (c === 13 && text.charCodeAt(x) !== 10);
}

/** Just after the first line break at or after `x` (the end of the text when there is none). */
function nextLineStart(text: string, x: number): number {
  for (let i = x; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return text.length;
}

function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** Whether a fence mark (three backticks or tildes) lies wholly between `from` and `to`. */
const hasFenceMark = (text: string, from: number, to: number) => {
  const within = (mark: string) => {
    const at = text.indexOf(mark, from);
    return at >= 0 && at + mark.length <= to;
  };
  return within('```') || within('~~~');
};

/**
 * The body of `text`, the next version of `prevText` whose body `prev` is (from the same offset, with
 * the same text before it), reading only the lines an edit touched: the items and problems of the lines
 * before them are kept as they are, those of the lines after them are moved by the lines and units the
 * edit added or removed (their characters within a line do not change), and the touched lines are read
 * again. Undefined when a fence is involved (the edit is inside a fenced block or adds or removes a fence
 * mark): a fence changes how every later line is read, and the caller parses the whole body. The result
 * equals `parseBody` of the new text (a property test compares them on random edits).
 */
export function reparseBody(prevText: string, prev: NoteBody, prevProblems: readonly Problem[], text: string, pos: Positioner):
  { body: NoteBody; problems: Problem[] } | undefined {
  const start = prev.start;
  const oldLength = prevText.length;
  const length = text.length;
  const p = commonPrefix(prevText, text, start);
  const q = commonSuffix(prevText, text, Math.min(oldLength, length) - p);
  // The touched lines: from the start of the line before the first changed unit (a changed unit right
  // after a \r may have been the \n of a \r\n break), through the break after the last one. Both ends
  // are decided by units the two texts share, so they are line starts in both.
  let from = Math.max(start, p - 1);
  while (from > start && !startsLine(text, from)) from--;
  const oldTo = nextLineStart(prevText, oldLength - q);
  const to = nextLineStart(text, length - q);
  // Inside a fenced block, or after the start of one that reaches the last line: a block left open runs
  // to the end of the text, so whatever the edit adds after it joins it.
  const lastEnd = lastLineEnd(prevText);
  if (prev.code.some((c) => c.start < from && (c.end > from || c.end >= lastEnd))) return undefined;
  if (hasFenceMark(prevText, from, oldTo) || hasFenceMark(text, from, to)) return undefined;
  const fromLine = pos.lineOf(from);
  // The line the untouched lines start at in the old text (none when the touched ones reach its end).
  const oldToLine = oldTo >= oldLength ? Infinity : fromLine + lineBreaks(prevText, from, oldTo);
  const units = to - oldTo;
  const lines = lineBreaks(text, from, to) - lineBreaks(prevText, from, oldTo);

  const out: BodyLists = { headings: [], bolds: [], definitions: [], code: [] };
  const problems: Problem[] = [];
  // Each list is in text order: the items before the touched lines come first, the untouched ones after
  // them last; the problems (ranges only) are placed by their lines.
  const keep = <T>(items: readonly T[], before: (item: T) => boolean, into: T[]): number => {
    let i = 0;
    while (i < items.length && before(items[i]!)) into.push(items[i++]!);
    return i;
  };
  const rest = <T>(items: readonly T[], i: number, after: (item: T) => boolean, moved: (item: T) => T, into: T[]): void => {
    for (; i < items.length; i++) if (after(items[i]!)) into.push(units === 0 && lines === 0 ? items[i]! : moved(items[i]!));
  };
  const before = (s: Span) => s.start < from;
  const after = (s: Span) => s.start >= oldTo;
  const span = (s: Span): Span => moveSpan(s, units, lines);
  const at = {
    headings: keep(prev.headings, (h) => before(h.loc), out.headings),
    bolds: keep(prev.bolds, (b) => before(b.loc), out.bolds),
    definitions: keep(prev.definitions, (d) => before(d.loc), out.definitions),
    code: keep(prev.code, before, out.code),
    problems: keep(prevProblems, (x) => x.range.start.line < fromLine, problems),
  };
  if (from < to) parseLines(text, from, to, pos, problems, out);
  // The moved items are built field by field, in the parser's order (an object spread of ~300 items cost
  // more than parsing the touched lines).
  rest(prev.headings, at.headings, (h) => after(h.loc), (h) => ({ level: h.level, text: h.text, loc: span(h.loc), textLoc: span(h.textLoc) }), out.headings);
  rest(prev.bolds, at.bolds, (b) => after(b.loc), (b) => ({ text: b.text, loc: span(b.loc), textLoc: span(b.textLoc) }), out.bolds);
  rest(prev.definitions, at.definitions, (d) => after(d.loc), (d) => ({
    term: d.term, english: d.english, englishLoc: d.englishLoc && span(d.englishLoc), definition: d.definition,
    definitionLoc: d.definitionLoc && span(d.definitionLoc), variant: d.variant, loc: span(d.loc), termLoc: span(d.termLoc),
  }), out.definitions);
  rest(prev.code, at.code, after, span, out.code);
  rest(prevProblems, at.problems, (x) => x.range.start.line >= oldToLine, (x) => ({ ...x, range: moveRange(x.range, lines) }), problems);
  return { body: { start, ...out }, problems };
}

/** Where the last line of `text` ends: before its final line break, if it has one. */
function lastLineEnd(text: string): number {
  const n = text.length;
  if (n >= 2 && text.charCodeAt(n - 2) === 13 && text.charCodeAt(n - 1) === 10) return n - 2;
  if (n >= 1 && (text.charCodeAt(n - 1) === 10 || text.charCodeAt(n - 1) === 13)) return n - 1;
  return n;
}

/** Units compared at once by the engine (a substring comparison is a memory compare, no copy). */
const CHUNK = 512;

/** The length of the common prefix of `a` and `b`, known to be at least `from`. */
function commonPrefix(a: string, b: string, from: number): number {
  const n = Math.min(a.length, b.length);
  let p = from;
  while (p + CHUNK <= n && a.substring(p, p + CHUNK) === b.substring(p, p + CHUNK)) p += CHUNK;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** The length of the common suffix of `a` and `b`, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let q = 0;
  while (q + CHUNK <= max && a.substring(a.length - q - CHUNK, a.length - q) === b.substring(b.length - q - CHUNK, b.length - q)) q += CHUNK;
  while (q < max && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
  return q;
}

function moveRange(r: Range, lines: number): Range {
  if (lines === 0) return r;
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}

function moveSpan(s: Span, units: number, lines: number): Span {
  return { start: s.start + units, end: s.end + units, range: moveRange(s.range, lines) };
}

function parseHeading(text: string, line: Line, pos: Positioner): Heading | undefined {
  const indent = indentOf(text, line);
  if (indent > 3) return undefined;
  const at = line.start + indent;
  const level = run(text, at, line.end, HASH);
  if (level < 1 || level > 6) return undefined;
  const after = at + level;
  if (after < line.end && text.charCodeAt(after) !== 32 && text.charCodeAt(after) !== 9) return undefined;
  let s = after;
  let e = line.end;
  while (s < e && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
  while (e > s && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  // An optional closing sequence of `#`s, preceded by a space.
  let c = e;
  while (c > s && text.charCodeAt(c - 1) === HASH) c--;
  if (c < e && (c === s || text.charCodeAt(c - 1) === 32 || text.charCodeAt(c - 1) === 9)) {
    e = c;
    while (e > s && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  }
  return { level, text: text.slice(s, e), loc: pos.span(line.start, line.end), textLoc: pos.span(s, e) };
}

interface Delim {
  readonly at: number;
  readonly length: number;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 0x3000;

/**
 * The characters that matter to the inline scan (`*`, `` ` ``, `\\`), found with the engine's string search:
 * prose between them is skipped without a loop over its characters.
 */
class InlineMarks extends NextOf {
  /** The parentheses of the same text, for the definitions' matcher. */
  readonly parens: NextOf;
  constructor(text: string) {
    super(text, ['*', '`', '\\']);
    this.parens = new NextOf(text, PARENS);
  }
}

function scanInline(text: string, line: Line, pos: Positioner, marks: InlineMarks, bolds: Bold[], definitions: Definition[],
  code: Span[], problems: Problem[]): void {
  const lineBolds: Bold[] = [];
  pairDelimiters(text, inlineDelimiters(text, line, pos, marks, code), (s, e, open, close) => {
    lineBolds.push({ text: text.slice(s, e), loc: pos.span(open.at, close.at + close.length), textLoc: pos.span(s, e) });
  });
  if (lineBolds.length === 0) return;
  let parens: ParenMatcher | undefined;
  const closeOf = (at: number) => (parens ??= new ParenMatcher(text, line, marks.parens)).close(at);
  for (const b of lineBolds) {
    bolds.push(b);
    const def = definitionAt(text, line, b, pos, problems, closeOf);
    if (def) definitions.push(def);
  }
}

/** The bold spans of a line that read exactly `needle`, as `scanInline` finds them (no definitions, no code spans). */
function boldsOf(text: string, line: Line, pos: Positioner, marks: InlineMarks, needle: string, bolds: Bold[]): void {
  pairDelimiters(text, inlineDelimiters(text, line, pos, marks, undefined), (s, e, open, close) => {
    if (e - s === needle.length && text.startsWith(needle, s)) bolds.push({ text: needle, loc: pos.span(open.at, close.at + close.length), textLoc: pos.span(s, e) });
  });
}

/** The runs of two or more `*` of a line outside code spans, left to right; the code spans go to `code`. */
function inlineDelimiters(text: string, line: Line, pos: Positioner, marks: InlineMarks, code: Span[] | undefined): Delim[] | undefined {
  let delims: Delim[] | undefined;
  let backticks: BacktickRuns | undefined;
  // Every character that is not a mark is passed over: only marks change the state of this loop.
  for (let i = marks.next(line.start); i < line.end; i = marks.next(i + 1)) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i++;
    } else if (c === BACKTICK) {
      const n = run(text, i, line.end, BACKTICK);
      backticks ??= new BacktickRuns(text, line);
      const close = backticks.next(i + n, n);
      if (close < 0) {
        i += n - 1;
      } else {
        code?.push(pos.span(i, close + n));
        i = close + n - 1;
      }
    } else {
      const n = run(text, i, line.end, STAR);
      if (n >= 2) (delims ??= []).push({ at: i, length: n });
      i += n - 1;
    }
  }
  return delims;
}

/**
 * Pairs delimiters left to right, calling `bold` with each pair's content (from `s` to `e`); a pair whose
 * content starts or ends with a space is not bold, and its closing run is tried again as an opener.
 */
function pairDelimiters(text: string, delims: Delim[] | undefined, bold: (s: number, e: number, open: Delim, close: Delim) => void): void {
  if (!delims || delims.length < 2) return;
  let open: Delim | undefined;
  for (const d of delims) {
    if (!open) {
      open = d;
      continue;
    }
    const s = open.at + open.length;
    const e = d.at;
    if (e > s && !isSpace(text.charCodeAt(s)) && !isSpace(text.charCodeAt(e - 1))) {
      bold(s, e, open, d);
      open = undefined;
    } else {
      open = d;
    }
  }
}

/**
 * The backtick runs of a line, by length, for finding the run that closes a code span. Searching the
 * rest of the line for each unclosed opener would take quadratic time on a line of a million backticks;
 * openers come left to right, so one cursor per length walks each list once.
 */
class BacktickRuns {
  private readonly byLength = new Map<number, number[]>();
  private readonly cursor = new Map<number, number>();
  constructor(text: string, line: Line) {
    for (let i = line.start; i < line.end; i++) {
      if (text.charCodeAt(i) !== BACKTICK) continue;
      const m = run(text, i, line.end, BACKTICK);
      const list = this.byLength.get(m);
      if (list) list.push(i);
      else this.byLength.set(m, [i]);
      i += m - 1;
    }
  }
  /** The start of the first run of exactly `n` backticks at or after `from`, or -1. */
  next(from: number, n: number): number {
    const list = this.byLength.get(n);
    if (!list) return -1;
    let c = this.cursor.get(n) ?? 0;
    while (c < list.length && list[c]! < from) c++;
    this.cursor.set(n, c);
    return c < list.length ? list[c]! : -1;
  }
}

/**
 * Matches the parentheses of a line (both widths count alike) with a stack, in one pass that goes only as
 * far as the questions asked so far need: definitions ask about parentheses left to right, so the line
 * is read at most once, and the rest of a line after its last definition not at all.
 */
class ParenMatcher {
  private readonly closeOf = new Map<number, number>();
  private readonly stack: number[] = [];
  private at: number;
  private readonly end: number;
  constructor(private readonly text: string, line: Line, private readonly marks: NextOf) {
    this.at = line.start;
    this.end = line.end;
  }
  /** The parenthesis that closes the one at `open` (an opening one of this line), or -1 when none does. */
  close(open: number): number {
    const text = this.text;
    while (this.at < this.end && !this.closeOf.has(open)) {
      // Prose between parentheses is skipped with the engine's search.
      const at = this.marks.next(this.at);
      if (at >= this.end) {
        this.at = this.end;
        break;
      }
      const c = text.charCodeAt(at);
      if (isOpenParen(c)) this.stack.push(at);
      else if (this.stack.length > 0) this.closeOf.set(this.stack.pop()!, at);
      this.at = at + 1;
    }
    return this.closeOf.get(open) ?? -1;
  }
}

const PARENS = ['(', ')', '（', '）'];

const isOpenParen = (c: number) => c === 0xff08 || c === 0x28; // （ (
const isCloseParen = (c: number) => c === 0xff09 || c === 0x29; // ） )
/** The quote that closes `open` (“ " 「 『 ‘), or -1 when `open` opens none. */
function closingQuoteOf(open: number): number {
  switch (open) {
    case 0x201c:
      return 0x201d;
    case 0x22:
      return 0x22;
    case 0x300c:
      return 0x300d;
    case 0x300e:
      return 0x300f;
    case 0x2018:
      return 0x2019;
    default:
      return -1;
  }
}

/**
 * A parenthesis longer than this (UTF-16 units) is prose, not a definition. Real ones are a few dozen
 * characters; the bound keeps a line of nested `**a**（**b**（…）` from costing quadratic time.
 */
const MAX_DEFINITION_LENGTH = 2000;

function definitionAt(text: string, line: Line, b: Bold, pos: Positioner, problems: Problem[],
  closingParen: (at: number) => number): Definition | undefined {
  const before = b.loc.start > line.start ? text.charCodeAt(b.loc.start - 1) : -1;
  const after = text.charCodeAt(b.loc.end);
  let variant: DefinitionVariant | undefined;
  let start = b.loc.start;
  let parenAt = -1;
  const closingQuote = closingQuoteOf(before);
  if (closingQuote >= 0 && closingQuote === after && isOpenParen(text.charCodeAt(b.loc.end + 1))) {
    variant = 'quoted-paren';
    start = b.loc.start - 1;
    parenAt = b.loc.end + 1;
  } else if (b.loc.end < line.end && isOpenParen(after)) {
    variant = 'bold-paren';
    parenAt = b.loc.end;
  }
  if (variant && parenAt >= 0) {
    const close = closingParen(parenAt);
    if (close < 0) {
      problems.push(problem(pos, 'glossary-unclosed',
        t('The definition of "{0}" opens a parenthesis that is never closed.', b.text), parenAt, line.end,
        { term: b.text }));
      return undefined;
    }
    if (close - parenAt > MAX_DEFINITION_LENGTH) return undefined;
    const inner = splitInner(text, parenAt + 1, close);
    if (!inner) return undefined;
    return {
      term: b.text,
      ...inner.parts(pos),
      variant,
      loc: pos.span(start, close + 1),
      termLoc: b.textLoc,
    };
  }
  // `**拉夫连季·贝利亚（Lavrentiy Beria）**`: the English name inside the bold.
  const last = text.charCodeAt(b.textLoc.end - 1);
  if (!isCloseParen(last)) return undefined;
  let depth = 0;
  let openAt = -1;
  for (let i = b.textLoc.end - 1; i >= b.textLoc.start; i--) {
    const c = text.charCodeAt(i);
    if (isCloseParen(c)) depth++;
    else if (isOpenParen(c) && --depth === 0) {
      openAt = i;
      break;
    }
  }
  if (openAt <= b.textLoc.start) return undefined;
  let termEnd = openAt;
  while (termEnd > b.textLoc.start && isSpace(text.charCodeAt(termEnd - 1))) termEnd--;
  if (termEnd === b.textLoc.start) return undefined;
  const inner = splitInner(text, openAt + 1, b.textLoc.end - 1);
  if (!inner) return undefined;
  return {
    term: text.slice(b.textLoc.start, termEnd),
    ...inner.parts(pos),
    variant: 'inner-paren',
    loc: b.loc,
    termLoc: pos.span(b.textLoc.start, termEnd),
  };
}

function trimmed(text: string, s: number, e: number): [number, number] {
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return [s, e];
}

const hasLetter = (s: string) => /[A-Za-z]/.test(s);

/**
 * Splits the inside of a definition's parenthesis into English name and explanation:
 * `Data wall: 指…` → both; `COVID` → English only; `指…` (Chinese, no colon) → explanation only.
 * Returns undefined when it is neither (`（2023）`).
 */
function splitInner(text: string, s: number, e: number) {
  let colon = -1;
  let depth = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (isOpenParen(c)) depth++;
    else if (isCloseParen(c)) depth--;
    else if (depth === 0 && (c === 0x3a || c === 0xff1a) && text.charCodeAt(i + 1) !== 0x2f) {
      colon = i;
      break;
    }
  }
  let english: [number, number] | undefined;
  let definition: [number, number] | undefined;
  if (colon >= 0) {
    const head = trimmed(text, s, colon);
    const headText = text.slice(head[0], head[1]);
    if (head[1] > head[0] && !hasCjk(headText) && hasLetter(headText) && headText.length <= 120) {
      english = head;
      definition = trimmed(text, colon + 1, e);
    } else {
      definition = trimmed(text, s, e);
    }
  } else {
    const all = trimmed(text, s, e);
    const allText = text.slice(all[0], all[1]);
    if (!hasCjk(allText) && hasLetter(allText)) english = all;
    else if (hasCjk(allText)) definition = all;
    else return undefined;
  }
  return {
    parts(pos: Positioner) {
      return {
        english: english ? text.slice(english[0], english[1]) : undefined,
        englishLoc: english ? pos.span(english[0], english[1]) : undefined,
        definition: definition ? text.slice(definition[0], definition[1]) : '',
        definitionLoc: definition ? pos.span(definition[0], definition[1]) : undefined,
      };
    },
  };
}
