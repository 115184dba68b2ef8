/**
 * Finds mentions of known glossary terms and English names in note text.
 *
 * Chinese has no spaces between words, so a mention cannot be found by splitting the text into words:
 * the matcher tries every position and keeps the longest pattern that starts there (`表征学习` wins over
 * `表征`), then continues after it. The patterns live in a trie keyed by UTF-16 code unit, built once per
 * glossary (see `lexicon.ts`), so a scan costs one map lookup per character plus a short walk where a
 * pattern actually starts; nothing is compiled into a regular expression, whose alternation of thousands
 * of terms would be both slow to build and slow to run.
 *
 * Boundaries: an edge of a pattern that is a Latin letter or digit must not touch another letter or digit
 * in the text (`Agent` is not found in `Agents`, `系统1` not in `系统10`); a CJK edge needs no boundary.
 * Full-width punctuation never occurs inside a term, so it always ends a match. English names are found
 * case-insensitively; terms themselves must match exactly (their Latin letters included).
 */

export type PatternKind = 'term' | 'english';

export interface MatcherMatch {
  readonly start: number;
  readonly end: number;
  readonly kind: PatternKind;
  /** The term itself, or the English name as it was given to the matcher. */
  readonly key: string;
}

interface Node {
  /** Children keyed by folded code unit; a single child is kept inline to save a Map per trie level. */
  one?: number;
  oneNode?: Node;
  many?: Map<number, Node>;
  term?: string;
  english?: string;
}

/** Letters and digits of Latin scripts (plus `_`): the characters a word boundary is about. */
export function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  // Latin-1 letters, Latin Extended-A/B, IPA, Greek and Cyrillic: words written with spaces.
  return (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x4ff);
}

/** Lower case per UTF-16 code unit, one table lookup per character (built on first use, 128 KB). */
let FOLD: Uint16Array | undefined;

/**
 * The table: each code unit's lower case when that is one code unit, else itself. Only the characters
 * that change when lower-cased (Unicode's Changes_When_Lowercased, ~1,400 in the BMP) are looked up one
 * by one; a regular expression finds them in one string of the whole range. Lower-casing all 65,536
 * one by one took 10–15 ms, paid by the first hover or completion. A unit test compares the two.
 */
export function foldTable(): Uint16Array {
  const table = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) table[c] = c;
  const changes = /\p{Changes_When_Lowercased}/gu;
  // The whole range as one string (a decoder makes it at once; spreading 65,536 arguments is slow), with
  // surrogates (which have no case) as spaces: two in a row would read as one astral character.
  const bytes = new Uint8Array(2 * 65536);
  for (let c = 0; c < 65536; c++) {
    const u = c >= 0xd800 && c <= 0xdfff ? 32 : c;
    bytes[2 * c] = u & 0xff;
    bytes[2 * c + 1] = u >> 8;
  }
  const all = new TextDecoder('utf-16le').decode(bytes);
  for (const m of all.matchAll(changes)) {
    const c = m.index;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length === 1) table[c] = lower.charCodeAt(0);
  }
  // Tabs, no-break and ideographic spaces separate words like a space.
  table[9] = table[0xa0] = table[0x3000] = 32;
  return table;
}

/** Case folding per code unit, so offsets in the folded text are offsets in the original. */
export function foldCode(c: number): number {
  return (FOLD ??= foldTable())[c]!;
}

function child(node: Node, c: number): Node | undefined {
  if (node.one === c) return node.oneNode;
  return node.many?.get(c);
}

function addChild(node: Node, c: number): Node {
  const existing = child(node, c);
  if (existing) return existing;
  const created: Node = {};
  if (node.one === undefined && !node.many) {
    node.one = c;
    node.oneNode = created;
  } else {
    if (!node.many) node.many = new Map();
    node.many.set(c, created);
  }
  return created;
}

/** The half-open ranges of the text the matcher must not look into (code spans and fences). */
export interface Skip {
  readonly start: number;
  readonly end: number;
}

export class TermMatcher {
  private readonly root: Node = {};
  private patterns = 0;
  /** 1 for each folded code unit some pattern starts with: most positions are rejected by one lookup. */
  private readonly starts = new Uint8Array(65536);

  /**
   * @param terms the glossary's terms (matched exactly)
   * @param englishNames English names (matched case-insensitively, as whole words); names of a single
   *   character are left out, since `C` or `X` would light up every stray letter.
   */
  constructor(terms: Iterable<string>, englishNames: Iterable<string>) {
    for (const term of terms) this.add(term, 'term');
    for (const name of englishNames) if (name.length > 1) this.add(name, 'english');
  }

  get size(): number {
    return this.patterns;
  }

  /** Adds a term to a built matcher (the lexicon grows it in place when the vault gains a term). */
  addTerm(term: string): void {
    this.add(term, 'term');
  }

  /** Adds an English name to a built matcher, with the constructor's rule for single characters. */
  addEnglish(name: string): void {
    if (name.length > 1) this.add(name, 'english');
  }

  private add(pattern: string, kind: PatternKind): void {
    if (pattern.length === 0) return;
    let node = this.root;
    this.starts[foldCode(pattern.charCodeAt(0))] = 1;
    for (let i = 0; i < pattern.length; i++) node = addChild(node, foldCode(pattern.charCodeAt(i)));
    if (kind === 'term' ? node.term === undefined : node.english === undefined) this.patterns++;
    if (kind === 'term') node.term = pattern;
    else node.english ??= pattern;
  }

  /**
   * Every mention in `text[from, to)`, left to right, longest first and never overlapping, outside the
   * `skip` ranges (which must be sorted by start).
   */
  find(text: string, from = 0, to = text.length, skip: readonly Skip[] = []): MatcherMatch[] {
    const out: MatcherMatch[] = [];
    FOLD ??= foldTable();
    let s = 0;
    let i = from;
    while (i < to) {
      while (s < skip.length && skip[s]!.end <= i) s++;
      if (s < skip.length && skip[s]!.start <= i) {
        i = skip[s]!.end;
        continue;
      }
      // A match may not run into the next skipped range.
      const limit = s < skip.length ? Math.min(to, skip[s]!.start) : to;
      const c = text.charCodeAt(i);
      if (this.starts[FOLD![c]!] === 0) {
        i++;
        continue;
      }
      // In the middle of a Latin word nothing can start: every pattern starting with a letter needs a
      // boundary before it, and the text's letter folds to a letter.
      if (i > 0 && isWordChar(c) && isWordChar(text.charCodeAt(i - 1))) {
        i++;
        continue;
      }
      const m = this.longestAt(text, i, limit);
      if (m) {
        out.push(m);
        i = m.end;
      } else i++;
    }
    return out;
  }

  private longestAt(text: string, start: number, limit: number): MatcherMatch | undefined {
    let node: Node | undefined = this.root;
    let best: MatcherMatch | undefined;
    const prevWord = start > 0 && isWordChar(text.charCodeAt(start - 1));
    const firstWord = isWordChar(text.charCodeAt(start));
    if (prevWord && firstWord) return undefined;
    for (let j = start; j < limit; j++) {
      node = child(node, foldCode(text.charCodeAt(j)));
      if (!node) break;
      if (node.term === undefined && node.english === undefined) continue;
      const end = j + 1;
      const lastWord = isWordChar(text.charCodeAt(j));
      if (lastWord && end < text.length && isWordChar(text.charCodeAt(end))) continue;
      if (node.term !== undefined && text.startsWith(node.term, start)) best = { start, end, kind: 'term', key: node.term };
      else if (node.english !== undefined) best = { start, end, kind: 'english', key: node.english };
    }
    return best;
  }
}
