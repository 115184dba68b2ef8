/**
 * Finds mentions of known glossary terms and English names in note text.
 *
 * Chinese has no spaces between words, so a mention cannot be found by splitting the text into words:
 * the matcher tries every position and keeps the longest pattern that starts there (`表征学习` wins over
 * `表征`), then continues after it. The patterns live in a trie keyed by UTF-16 code unit, built once per
 * glossary (see `lexicon.ts`), so a scan costs one table lookup per character plus a short walk where a
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

/**
 * The patterns' trie, keyed by folded UTF-16 code unit, as numbers in typed arrays. At 10,000 notes the
 * lexicon's ~40,000 terms and English names make ~400,000 nodes; as one object each (with a `Map` where
 * a node branched) the trie took ~26 MB of the server's heap, and it takes ~7 MB this way.
 *
 * Node 0 is the root. A node's first child is kept with the node (its code unit and number); any further
 * children live in one open-addressing table of (parent, code unit) → child. Most nodes have one child
 * (a pattern's tail), and a node without further children never probes the table.
 */
class Trie {
  /** Nodes in use; node 0 is the root. */
  private count = 1;
  private firstUnit = new Uint16Array(256);
  /** The first child's number, or 0 for none (the root is nobody's child). */
  private firstChild = new Int32Array(256);
  /** 1 when the node has children in the table. */
  private more = new Uint8Array(256);
  /** 1 + the position in `terms` (or `english`) of the pattern ending at the node, or 0. */
  private termAt = new Int32Array(256);
  private englishAt = new Int32Array(256);
  readonly terms: string[] = [];
  readonly english: string[] = [];
  /** The table of further children: a slot is free while its child is 0. */
  private slotParent = new Int32Array(1024);
  private slotUnit = new Uint16Array(1024);
  private slotChild = new Int32Array(1024);
  private slotsUsed = 0;

  /** The child of `node` along code unit `c`, or 0. */
  child(node: number, c: number): number {
    const first = this.firstChild[node]!;
    if (first !== 0 && this.firstUnit[node] === c) return first;
    if (this.more[node] === 0) return 0;
    const mask = this.slotChild.length - 1;
    for (let i = slotHash(node, c) & mask; ; i = (i + 1) & mask) {
      const found = this.slotChild[i]!;
      if (found === 0 || (this.slotParent[i] === node && this.slotUnit[i] === c)) return found;
    }
  }

  /** The child of `node` along `c`, made when missing. */
  addChild(node: number, c: number): number {
    const existing = this.child(node, c);
    if (existing !== 0) return existing;
    if (this.count === this.firstChild.length) this.growNodes();
    const created = this.count++;
    if (this.firstChild[node] === 0) {
      this.firstUnit[node] = c;
      this.firstChild[node] = created;
      return created;
    }
    if ((this.slotsUsed + 1) * 2 > this.slotChild.length) this.growSlots();
    this.putSlot(node, c, created);
    this.slotsUsed++;
    this.more[node] = 1;
    return created;
  }

  term(node: number): string | undefined {
    const at = this.termAt[node]!;
    return at === 0 ? undefined : this.terms[at - 1];
  }

  englishName(node: number): string | undefined {
    const at = this.englishAt[node]!;
    return at === 0 ? undefined : this.english[at - 1];
  }

  /** Whether a pattern ends at `node` (a term or an English name). */
  ends(node: number): boolean {
    return this.termAt[node] !== 0 || this.englishAt[node] !== 0;
  }

  /** Makes `pattern` the term ending at `node`; false when one ended there already (it is replaced). */
  setTerm(node: number, pattern: string): boolean {
    const at = this.termAt[node]!;
    if (at !== 0) {
      this.terms[at - 1] = pattern;
      return false;
    }
    this.termAt[node] = this.terms.push(pattern);
    return true;
  }

  /** Makes `pattern` the English name ending at `node` unless one does already (the first is kept). */
  setEnglish(node: number, pattern: string): boolean {
    if (this.englishAt[node] !== 0) return false;
    this.englishAt[node] = this.english.push(pattern);
    return true;
  }

  private putSlot(node: number, c: number, child: number): void {
    const mask = this.slotChild.length - 1;
    let i = slotHash(node, c) & mask;
    while (this.slotChild[i] !== 0) i = (i + 1) & mask;
    this.slotParent[i] = node;
    this.slotUnit[i] = c;
    this.slotChild[i] = child;
  }

  /** Node arrays grow by half: the trie is built once per lexicon and then grows a little at a time. */
  private growNodes(): void {
    const size = this.count + (this.count >> 1);
    const grown = <T extends Uint8Array | Uint16Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (length: number) => T)(size);
      b.set(a);
      return b;
    };
    this.firstUnit = grown(this.firstUnit);
    this.firstChild = grown(this.firstChild);
    this.more = grown(this.more);
    this.termAt = grown(this.termAt);
    this.englishAt = grown(this.englishAt);
  }

  /** The table doubles when half full, and every child goes to its slot in the new one. */
  private growSlots(): void {
    const { slotParent, slotUnit, slotChild } = this;
    this.slotParent = new Int32Array(slotChild.length * 2);
    this.slotUnit = new Uint16Array(slotChild.length * 2);
    this.slotChild = new Int32Array(slotChild.length * 2);
    for (let i = 0; i < slotChild.length; i++) if (slotChild[i] !== 0) this.putSlot(slotParent[i]!, slotUnit[i]!, slotChild[i]!);
  }
}

/** A slot for (node, code unit): both mixed so that a parent's children spread over the table. */
function slotHash(node: number, c: number): number {
  let h = Math.imul(node, 0x9e3779b1) ^ c;
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** The half-open ranges of the text the matcher must not look into (code spans and fences). */
export interface Skip {
  readonly start: number;
  readonly end: number;
}

export class TermMatcher {
  private readonly trie = new Trie();
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
    const trie = this.trie;
    let node = 0;
    this.starts[foldCode(pattern.charCodeAt(0))] = 1;
    for (let i = 0; i < pattern.length; i++) node = trie.addChild(node, foldCode(pattern.charCodeAt(i)));
    if (kind === 'term' ? trie.setTerm(node, pattern) : trie.setEnglish(node, pattern)) this.patterns++;
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
    const trie = this.trie;
    let node = 0;
    let best: MatcherMatch | undefined;
    const prevWord = start > 0 && isWordChar(text.charCodeAt(start - 1));
    const firstWord = isWordChar(text.charCodeAt(start));
    if (prevWord && firstWord) return undefined;
    for (let j = start; j < limit; j++) {
      node = trie.child(node, foldCode(text.charCodeAt(j)));
      if (node === 0) break;
      if (!trie.ends(node)) continue;
      const end = j + 1;
      const lastWord = isWordChar(text.charCodeAt(j));
      if (lastWord && end < text.length && isWordChar(text.charCodeAt(end))) continue;
      const term = trie.term(node);
      const english = trie.englishName(node);
      if (term !== undefined && text.startsWith(term, start)) best = { start, end, kind: 'term', key: term };
      else if (english !== undefined) best = { start, end, kind: 'english', key: english };
    }
    return best;
  }
}
