/**
 * A fast path into the `yaml` package for front matter of the common shape: a top-level mapping of
 * plain keys to one-line scalars (plain, single- or double-quoted, or nothing), one-line flow lists of
 * such scalars (`[a, 'b']`) and block lists of them written `- item` (at the margin, or every item
 * indented alike), one entry per line, with `\n` or `\r\n` line breaks, nothing else.
 *
 * For that shape the concrete syntax tree that `yaml`'s Lexer and Parser would produce is fully
 * determined by where the lines, colons and quotes are, so it is built here directly, in one pass with
 * the engine's string search, and handed to `yaml`'s own Composer. The Composer resolves every value and
 * builds the Document (tags, numbers, booleans, escapes, ranges, duplicate keys): only the lexing and
 * parsing, most of the cost, are skipped. Whatever is not plainly of that shape (a comment, a blank line,
 * a tab, a lone carriage return, any other indentation, a flow mapping, an anchor, a multi-line or block scalar, a
 * backslash escape, a quote left open, a character that might be read differently) returns undefined
 * and goes through `yaml` whole. test/unit/parse/yamlFast.test.ts checks that the tree is exactly
 * `yaml`'s own on every note of the fixtures and on random front matter.
 */
import { Composer, isScalar, Schema, type CST, type Document, type DocumentOptions, type ParseOptions, type ScalarTag, type SchemaOptions } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

const NEWLINE = 10;
const CR = 13;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const SPACE = 32;
const COLON = 58;
const HASH = 35;
const DASH = 45;
const SQUOTE = 39;
const DQUOTE = 34;
const BACKSLASH = 92;

/** Implicit keys longer than this are an error in YAML; they are left to `yaml` to report. */
const MAX_KEY_LENGTH = 1000;

/** The document `yaml.parseDocument` makes of `source`, given the syntax tree its Parser gives for it. */
export function composeCst(cst: CST.Document, source: string, options: Options): Document.Parsed {
  let doc: Document.Parsed | undefined;
  for (const d of new Composer(options).compose([cst], true, source.length)) doc ??= d;
  // A document token always composes into one document.
  return doc!;
}

const token = (type: CST.SourceToken['type'], offset: number, indent: number, source: string): CST.SourceToken =>
  ({ type, offset, indent, source });

/** The syntax tree `yaml`'s Parser gives for `source`, or undefined when the source is not of the simple shape. */
export function simpleCst(source: string): CST.Document | undefined {
  const n = source.length;
  if (n === 0 || source.charCodeAt(n - 1) !== NEWLINE || source.indexOf('\t') >= 0) return undefined;
  const items: CST.BlockMap['items'] = [];
  // `[i, end)` is the current line without its break, `eol` the offset of its `\n`.
  let i = 0;
  while (i < n) {
    const eol = source.indexOf('\n', i);
    const end = source.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
    const colon = keyEnd(source, i, end);
    if (colon < 0) return undefined;
    const key: CST.FlowScalar = { type: 'scalar', offset: i, indent: 0, source: source.slice(i, colon) };
    const sep = [token('map-value-ind', colon, 0, ':')];
    if (colon + 1 === end) {
      // `key:` alone on its line: a list of `- item` lines follows, or nothing (a null value).
      sep.push(token('newline', end, 0, source.slice(end, eol + 1)));
      i = eol + 1;
      // The list may be indented (`  - item`): every item then has the same indentation.
      let k = 0;
      while (source.charCodeAt(i + k) === SPACE) k++;
      if (source.charCodeAt(i + k) === DASH && source.charCodeAt(i + k + 1) === SPACE) {
        const indentation = source.slice(i, i + k);
        if (k > 0) sep.push(token('space', i, 0, indentation));
        const seqOffset = i + k;
        const seqItems: CST.BlockSequence['items'] = [];
        while (i < n && source.startsWith(indentation, i) && source.charCodeAt(i + k) === DASH && source.charCodeAt(i + k + 1) === SPACE) {
          const itemEol = source.indexOf('\n', i);
          const itemEnd = source.charCodeAt(itemEol - 1) === CR ? itemEol - 1 : itemEol;
          const value = scalar(source, i + k + 2, itemEnd, k + 2, false);
          if (!value) return undefined;
          value.end = [token('newline', itemEnd, k + 2, source.slice(itemEnd, itemEol + 1))];
          const start = [token('seq-item-ind', i + k, k, '-'), token('space', i + k + 1, k + 1, ' ')];
          if (k > 0 && seqItems.length > 0) start.unshift(token('space', i, 0, indentation));
          seqItems.push({ start, value });
          i = itemEol + 1;
        }
        items.push({ start: [], key, sep, value: { type: 'block-seq', offset: seqOffset, indent: k, items: seqItems } });
      } else {
        items.push({ start: [], key, sep });
      }
      continue;
    }
    // `key: value`, with exactly one space after the colon.
    if (source.charCodeAt(colon + 1) !== SPACE || source.charCodeAt(colon + 2) === SPACE) return undefined;
    sep.push(token('space', colon + 1, 0, ' '));
    const newline = token('newline', end, 0, source.slice(end, eol + 1));
    let value: CST.FlowScalar | CST.FlowCollection | undefined;
    if (source.charCodeAt(colon + 2) === OPEN_BRACKET) {
      value = flowSeq(source, colon + 2, end);
      value?.end.push(newline);
    } else {
      value = scalar(source, colon + 2, end, 0, false);
      if (value) value.end = [newline];
    }
    if (!value) return undefined;
    items.push({ start: [], key, sep, value });
    i = eol + 1;
  }
  return { type: 'document', offset: 0, start: [], value: { type: 'block-map', offset: 0, indent: 0, items } };
}

/** `[a, 'b', "c"]` filling `[s, e)`: scalars separated by a comma and one space, or `[]`. */
function flowSeq(source: string, s: number, e: number): CST.FlowCollection | undefined {
  if (e - s < 2 || source.charCodeAt(e - 1) !== CLOSE_BRACKET) return undefined;
  const items: CST.FlowCollection['items'] = [];
  let i = s + 1;
  const last = e - 1;
  while (i < last) {
    // The item ends at the next `, ` or at the closing bracket; quoted items may hold commas.
    let itemEnd: number;
    const c = source.charCodeAt(i);
    if (c === SQUOTE || c === DQUOTE) {
      itemEnd = closingQuote(source, i, last);
      if (itemEnd < 0) return undefined;
    } else {
      itemEnd = indexIn(source, COMMA, i, last);
    }
    const value = scalar(source, i, itemEnd, 0, true);
    if (!value) return undefined;
    value.end = [];
    const start = items.length === 0 ? [] : [token('comma', i - 2, 0, ','), token('space', i - 1, 0, ' ')];
    items.push({ start, value });
    if (itemEnd === last) break;
    if (source.charCodeAt(itemEnd) !== COMMA || source.charCodeAt(itemEnd + 1) !== SPACE || itemEnd + 2 >= last) return undefined;
    i = itemEnd + 2;
  }
  return {
    type: 'flow-collection',
    offset: s,
    indent: 0,
    start: token('flow-seq-start', s, 0, '['),
    items,
    end: [token('flow-seq-end', last, 0, ']')],
  };
}

/** The offset just past the quote that closes the one at `s`, looking before `e`; -1 when there is none. */
function closingQuote(source: string, s: number, e: number): number {
  if (source.charCodeAt(s) === DQUOTE) {
    const q = indexIn(source, DQUOTE, s + 1, e);
    return q >= e ? -1 : q + 1;
  }
  // `''` inside a single-quoted scalar stands for one quote.
  let j = s + 1;
  for (;;) {
    const q = indexIn(source, SQUOTE, j, e);
    if (q >= e) return -1;
    if (q + 1 < e && source.charCodeAt(q + 1) === SQUOTE) {
      j = q + 2;
      continue;
    }
    return q + 1;
  }
}

/**
 * The first `c` in `[from, end)`, or `end`. A loop rather than `indexOf`, which would search on to the
 * end of the source when the line has none: front matter of many such lines would take quadratic time.
 */
function indexIn(source: string, c: number, from: number, end: number): number {
  let i = from;
  while (i < end && source.charCodeAt(i) !== c) i++;
  return i;
}

/**
 * Characters that make a line or a scalar mean something else at its start (indicators), or that are
 * not plain text anywhere (controls, the byte order mark, line and paragraph separators).
 */
function badStart(c: number): boolean {
  return c === SPACE || c === DASH || c === 63 || c === COLON || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 ||
    c === HASH || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === SQUOTE || c === DQUOTE || c === 37 ||
    c === 64 || c === 96;
}

function badChar(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfeff || c === 0x2028 || c === 0x2029 || c === 0xfffe || c === 0xffff ||
    (c >= 0xd800 && c <= 0xdfff);
}

/** The colon of a plain `key:` starting the line at `i` (followed by a space or the line's end), or -1. */
function keyEnd(source: string, i: number, end: number): number {
  // `...` at the margin may end the document.
  if (i >= end || badStart(source.charCodeAt(i)) || source.startsWith('...', i)) return -1;
  for (let j = i; j < end; j++) {
    const c = source.charCodeAt(j);
    if (c === COLON) {
      const next = j + 1 === end ? NEWLINE : source.charCodeAt(j + 1);
      if (next !== SPACE && next !== NEWLINE) return -1;
      if (source.charCodeAt(j - 1) === SPACE || j - i > MAX_KEY_LENGTH) return -1;
      return j;
    }
    if (c === HASH || c === SQUOTE || c === DQUOTE || badChar(c)) return -1;
  }
  return -1;
}

/**
 * The scalar filling `[s, e)` (the rest of a line, or an item of a flow list), as the Parser gives it
 * without its `end` tokens, or undefined.
 */
function scalar(source: string, s: number, e: number, indent: number, flow: boolean): CST.FlowScalar | undefined {
  if (s >= e) return undefined;
  const first = source.charCodeAt(s);
  let type: CST.FlowScalar['type'];
  if (first === SQUOTE || first === DQUOTE) {
    if (closingQuote(source, s, e) !== e) return undefined;
    if (first === DQUOTE) {
      // Escapes are left to `yaml`.
      if (indexIn(source, BACKSLASH, s + 1, e) < e) return undefined;
    }
    type = first === SQUOTE ? 'single-quoted-scalar' : 'double-quoted-scalar';
  } else {
    if (badStart(first) || source.charCodeAt(e - 1) === SPACE || source.charCodeAt(e - 1) === COLON) return undefined;
    type = 'scalar';
  }
  for (let j = s; j < e; j++) {
    const c = source.charCodeAt(j);
    if (c >= 0xd800 && c <= 0xdbff) {
      // An emoji or another character outside the basic plane: a well-formed surrogate pair is text.
      const low = source.charCodeAt(j + 1);
      if (j + 1 < e && low >= 0xdc00 && low <= 0xdfff) {
        j++;
        continue;
      }
      return undefined;
    }
    if (badChar(c)) return undefined;
    if (type !== 'scalar') continue;
    // In a plain scalar, `: ` would start a mapping and ` #` a comment; in a flow list, brackets, braces
    // and colons have meanings of their own.
    if ((c === COLON && source.charCodeAt(j + 1) === SPACE) || (c === HASH && source.charCodeAt(j - 1) === SPACE)) return undefined;
    if (flow && (c === COLON || c === HASH || c === 91 || c === 93 || c === 123 || c === 125)) return undefined;
  }
  return { type, offset: s, indent, source: source.slice(s, e) };
}

/** A scalar of the simple shape, resolved as `yaml`'s Composer resolves it. */
export interface SimpleScalar {
  readonly value: string | number | boolean | null;
  /** The quote around it, if any. */
  readonly quote: '' | '"' | "'";
}

/**
 * The tags a plain scalar is tried against, in the order the Composer tries them (the default schema of
 * the options front matter is parsed with: YAML 1.2's core schema): null, booleans, integers, floats.
 */
const PLAIN_TAGS = new Schema({}).tags.filter((tag): tag is ScalarTag => !tag.collection && tag.default === true && tag.test !== undefined && tag.resolve !== undefined);
const RESOLVE_OPTIONS = { intAsBigInt: false };

/**
 * The value of a scalar token of the simple shape (one line; a double-quoted one has no escape), as the
 * Composer gives it: a quoted scalar is a string, a plain one goes through the core schema's tags (`~`
 * is null, `0x1F` a number, `2024-06-04` a string). Undefined when resolving reports a problem, which
 * leaves the scalar to the Composer.
 */
export function simpleScalar(token: CST.FlowScalar): SimpleScalar | undefined {
  const s = token.source;
  if (token.type === 'single-quoted-scalar') return { value: s.slice(1, -1).replaceAll("''", "'"), quote: "'" };
  if (token.type === 'double-quoted-scalar') return { value: s.slice(1, -1), quote: '"' };
  const tag = PLAIN_TAGS.find((t) => t.test!.test(s));
  if (!tag) return { value: s, quote: '' };
  let failed = false;
  let resolved: unknown;
  try {
    resolved = tag.resolve(s, () => (failed = true), RESOLVE_OPTIONS);
  } catch {
    return undefined;
  }
  const value = isScalar(resolved) ? resolved.value : resolved;
  if (failed || !(value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')) return undefined;
  return { value, quote: '' };
}
