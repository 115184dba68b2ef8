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

/** Nodes a block holds (2^BLOCK_BITS); a block is four 32-bit numbers a node, 256 KB. */
const BLOCK_BITS = 14;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;
/** The table of further children is split in 2^PART_BITS parts by hash, each growing on its own. */
const PART_BITS = 6;
const PART_SLOTS = 16;
/** A node's four numbers in its block (see `Trie.blocks`). */
const HEAD = 0;
const FIRST = 1;
const TERM_AT = 2;
const ENGLISH_AT = 3;
/** Flags of a node's head, above its first child's code unit. */
const MORE = 0x10000;
const ENDS = 0x20000;

/**
 * The patterns' trie, keyed by folded UTF-16 code unit, as numbers in typed arrays. At 10,000 notes the
 * lexicon's ~40,000 terms and English names make ~400,000 nodes; as one object each (with a `Map` where
 * a node branched) the trie took ~26 MB of the server's heap, and it takes ~7 MB this way.
 *
 * Node 0 is the root. A node's first child is kept with the node (its code unit and number); any further
 * children live in a table of (parent, code unit) → child. Most nodes have one child (a pattern's tail),
 * and a node without further children never looks in the table.
 *
 * Nothing is ever copied whole as the trie grows. It grows in place while a scan counts the vault's
 * names, between requests: at 50,000 notes (~1,900,000 nodes) one step that made the node arrays half
 * as large again and copied the old ones took ~70 ms, and a request waited ~490 ms for it and the
 * collection that followed (bench/FINDINGS.md, session 16). The nodes now live in blocks of a fixed
 * size, a new block when the last is full; the table is 64 open-addressing parts chosen by hash, and
 * a part that fills up moves only its own children (`largestMove`: ~4,000 at 50,000 notes, where
 * one table of ~340,000 moved them all). The root's children are one array by code unit: every
 * match starts there.
 */
class Trie {
  /** Nodes in use; node 0 is the root. */
  private count = 1;
  /**
   * Each node as four numbers, in blocks of 2^BLOCK_BITS nodes: HEAD, its first child's code unit plus
   * MORE when it has children in the table and ENDS when a pattern ends there; FIRST, its first child's
   * number, or 0 for none (the root is nobody's child); TERM_AT and ENGLISH_AT, 1 + the position in
   * `terms` and in `english` of the pattern ending there, or 0.
   */
  private readonly blocks: Int32Array[] = [new Int32Array(4 << BLOCK_BITS)];
  readonly terms: string[] = [];
  readonly english: string[] = [];
  /**
   * The root's children by code unit: every match starts there, and the root has a child for each
   * first character of a pattern (thousands), which the table would have to look up.
   */
  private readonly root = new Int32Array(65536);
  /** The table's parts: a slot is free while its child is 0. */
  private readonly parts: Array<{ parent: Int32Array; unit: Uint16Array; child: Int32Array; used: number }> = [];
  /** The most slots one step of growth moved (see the class comment). */
  largestMove = 0;
  /** What `walk` found: nodes ending a pattern, and the text offset after each. */
  endNode = new Int32Array(64);
  endAt = new Int32Array(64);

  /** How many children the table holds. */
  get tableChildren(): number {
    return this.parts.reduce((n, p) => n + p.used, 0);
  }

  constructor() {
    for (let i = 0; i < 1 << PART_BITS; i++) this.parts.push({ parent: new Int32Array(PART_SLOTS), unit: new Uint16Array(PART_SLOTS), child: new Int32Array(PART_SLOTS), used: 0 });
  }

  /** The child of `node` along code unit `c`, or 0. */
  child(node: number, c: number): number {
    if (node === 0) return this.root[c]!;
    const block = this.blocks[node >>> BLOCK_BITS]!;
    const at = (node & BLOCK_MASK) << 2;
    const head = block[at + HEAD]!;
    const first = block[at + FIRST]!;
    if (first !== 0 && (head & 0xffff) === c) return first;
    return (head & MORE) === 0 ? 0 : this.tableChild(node, c);
  }

  /**
   * Walks from the root along `text[start, limit)` folded, as far as the trie goes, and returns how many
   * of the nodes it passed end a pattern: `endNode[k]` and `endAt[k]` (the offset after it) give each,
   * deepest last. This is the matcher's inner loop, one step a character, so it reads the blocks itself
   * (one block a step) rather than through `child`, and gives its nodes back in arrays it keeps.
   */
  walk(text: string, start: number, limit: number, fold: Uint16Array): number {
    const blocks = this.blocks;
    let found = 0;
    let node = this.root[fold[text.charCodeAt(start)]!]!;
    for (let j = start + 1; node !== 0; j++) {
      const block = blocks[node >>> BLOCK_BITS]!;
      const at = (node & BLOCK_MASK) << 2;
      const head = block[at + HEAD]!;
      if ((head & ENDS) !== 0) {
        if (found === this.endNode.length) this.growEnds();
        this.endNode[found] = node;
        this.endAt[found++] = j;
      }
      if (j >= limit) break;
      const c = fold[text.charCodeAt(j)]!;
      const first = block[at + FIRST]!;
      if (first !== 0 && (head & 0xffff) === c) node = first;
      else node = (head & MORE) === 0 ? 0 : this.tableChild(node, c);
    }
    return found;
  }

  private growEnds(): void {
    const node = new Int32Array(this.endNode.length * 2);
    const at = new Int32Array(this.endAt.length * 2);
    node.set(this.endNode);
    at.set(this.endAt);
    this.endNode = node;
    this.endAt = at;
  }

  /** The child of `node` along `c` in the table, or 0. */
  private tableChild(node: number, c: number): number {
    const h = slotHash(node, c);
    const part = this.parts[h >>> (32 - PART_BITS)]!;
    const mask = part.child.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const found = part.child[i]!;
      if (found === 0 || (part.parent[i] === node && part.unit[i] === c)) return found;
    }
  }

  /** The child of `node` along `c`, made when missing. */
  addChild(node: number, c: number): number {
    const existing = this.child(node, c);
    if (existing !== 0) return existing;
    const created = this.count++;
    if ((created & BLOCK_MASK) === 0) this.blocks.push(new Int32Array(4 << BLOCK_BITS));
    if (node === 0) return (this.root[c] = created);
    const block = this.blocks[node >>> BLOCK_BITS]!;
    const at = (node & BLOCK_MASK) << 2;
    if (block[at + FIRST] === 0) {
      block[at + HEAD] = (block[at + HEAD]! & ~0xffff) | c;
      block[at + FIRST] = created;
      return created;
    }
    const h = slotHash(node, c);
    const part = this.parts[h >>> (32 - PART_BITS)]!;
    if ((part.used + 1) * 2 > part.child.length) this.growPart(part);
    putSlot(part, h, node, c, created);
    part.used++;
    block[at + HEAD] = block[at + HEAD]! | MORE;
    return created;
  }

  term(node: number): string | undefined {
    const at = this.field(node, TERM_AT);
    return at === 0 ? undefined : this.terms[at - 1];
  }

  englishName(node: number): string | undefined {
    const at = this.field(node, ENGLISH_AT);
    return at === 0 ? undefined : this.english[at - 1];
  }

  /** Makes `pattern` the term ending at `node`; false when one ended there already (it is replaced). */
  setTerm(node: number, pattern: string): boolean {
    const at = this.field(node, TERM_AT);
    if (at !== 0) {
      this.terms[at - 1] = pattern;
      return false;
    }
    this.setField(node, TERM_AT, this.terms.push(pattern));
    this.setField(node, HEAD, this.field(node, HEAD) | ENDS);
    return true;
  }

  /** Makes `pattern` the English name ending at `node` unless one does already (the first is kept). */
  setEnglish(node: number, pattern: string): boolean {
    if (this.field(node, ENGLISH_AT) !== 0) return false;
    this.setField(node, ENGLISH_AT, this.english.push(pattern));
    this.setField(node, HEAD, this.field(node, HEAD) | ENDS);
    return true;
  }

  private field(node: number, k: number): number {
    return this.blocks[node >>> BLOCK_BITS]![((node & BLOCK_MASK) << 2) + k]!;
  }

  private setField(node: number, k: number, value: number): void {
    this.blocks[node >>> BLOCK_BITS]![((node & BLOCK_MASK) << 2) + k] = value;
  }

  /** A part doubles when half full, and each of its children goes to its slot in the new one. */
  private growPart(part: Trie['parts'][number]): void {
    const { parent, unit, child } = part;
    part.parent = new Int32Array(child.length * 2);
    part.unit = new Uint16Array(child.length * 2);
    part.child = new Int32Array(child.length * 2);
    for (let i = 0; i < child.length; i++) if (child[i] !== 0) putSlot(part, slotHash(parent[i]!, unit[i]!), parent[i]!, unit[i]!, child[i]!);
    this.largestMove = Math.max(this.largestMove, part.used);
  }
}

/** Puts (node, c) → child in the first free slot of `part` from hash `h`. */
function putSlot(part: { parent: Int32Array; unit: Uint16Array; child: Int32Array }, h: number, node: number, c: number, child: number): void {
  const mask = part.child.length - 1;
  let i = h & mask;
  while (part.child[i] !== 0) i = (i + 1) & mask;
  part.parent[i] = node;
  part.unit[i] = c;
  part.child[i] = child;
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

  /**
   * How the trie grew (see `Trie`): the most children one step moved, and how many children its table
   * holds. The first stays within one part of the table (~1/64 of it).
   */
  get growth(): { largestMove: number; tableChildren: number } {
    return { largestMove: this.trie.largestMove, tableChildren: this.trie.tableChildren };
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
    if (start > 0 && isWordChar(text.charCodeAt(start - 1)) && isWordChar(text.charCodeAt(start))) return undefined;
    // The deepest pattern that fits wins: a Latin edge needs a boundary, a term must match exactly.
    for (let k = trie.walk(text, start, limit, FOLD!) - 1; k >= 0; k--) {
      const node = trie.endNode[k]!;
      const end = trie.endAt[k]!;
      if (isWordChar(text.charCodeAt(end - 1)) && end < text.length && isWordChar(text.charCodeAt(end))) continue;
      const term = trie.term(node);
      if (term !== undefined && text.startsWith(term, start)) return { start, end, kind: 'term', key: term };
      const english = trie.englishName(node);
      if (english !== undefined) return { start, end, kind: 'english', key: english };
    }
    return undefined;
  }


}
