/**
 * The glossary occurrences of one note: its own definitions (term and English name), bold mentions
 * (`**数据墙**`), plain mentions (`数据墙`) and English-name mentions (`data wall`), in text order.
 *
 * The note's definitions come from its parse, so they are found even before the note reaches the index;
 * everything else comes from the vault's matcher. The result is cached per parsed model (the server
 * parses once per document version, so the model object changes exactly when the text does) and per
 * lexicon (a new term elsewhere in the vault changes what this note mentions).
 */
import type { Range } from 'vscode-languageserver-types';
import { bodyNear, parseNote } from '../parse/note';
import { Positioner } from '../parse/text';
import type { NoteBody, NoteModel } from '../parse/types';
import type { Lexicon } from './lexicon';
import { foldCode } from './matcher';
import { foldEnglish } from './normalize';

export type MentionKind =
  /** The term of one of the note's definitions. */
  | 'definition'
  /** The English name of one of the note's definitions. */
  | 'definition-english'
  /** A bold span whose whole text is the term. */
  | 'bold'
  /** The term anywhere else in the text. */
  | 'plain'
  /** An English name, as a whole word, in any case. */
  | 'english';

export interface Mention {
  readonly start: number;
  readonly end: number;
  readonly range: Range;
  readonly kind: MentionKind;
  /** The term(s) it stands for: one, except for an English name that several terms claim. */
  readonly terms: readonly string[];
  /**
   * For definition mentions: the index of the definition in `note.body.definitions`. Not given by
   * `mentionsNear`, which reads only some of the note's lines.
   */
  readonly definition?: number;
}

interface Cached {
  lexicon: Lexicon;
  readonly text: string;
  readonly mentions: readonly Mention[];
  /** Every pair of adjacent code units of the case-folded text, made when first needed (see `unaffected`). */
  pairs?: Set<number>;
  /** The case-folded text, made when a new pattern passes the pair test. */
  folded?: string;
}

const cache = new WeakMap<NoteModel, Cached>();

/** The glossary occurrences in `text` (whose parse is `note`), in text order, never overlapping. */
export function mentionsOf(text: string, note: NoteModel, lexicon: Lexicon): readonly Mention[] {
  const kept = keptMentionsOf(text, note, lexicon);
  if (kept) return kept;
  const mentions = scan(text, note.body, new Positioner(text), lexicon);
  cache.set(note, { lexicon, text, mentions });
  return mentions;
}

/** The cached mentions of `note` when they are still what `lexicon` finds in it; undefined otherwise. */
function keptMentionsOf(text: string, note: NoteModel, lexicon: Lexicon): readonly Mention[] | undefined {
  const hit = cache.get(note);
  if (!hit || hit.text !== text) return undefined;
  if (hit.lexicon === lexicon) return hit.mentions;
  if (!unaffected(hit, lexicon)) return undefined;
  hit.lexicon = lexicon;
  return hit.mentions;
}

/**
 * The mention covering `offset`, for a hover or a jump from one place. When the note's mentions are not
 * cached for this lexicon, only the line holding `offset` is scanned, which finds the same mentions there
 * (see `mentionsNear`). Once the lines scanned with one lexicon add up to the note's length, the whole
 * note is scanned and cached: as in renting against buying, line by line then costs at most about twice
 * what scanning the whole note at once would have, and requests that keep to one lexicon end up reading
 * the cache. While the vault is indexed the lexicon grows every round or so, and a whole scan of a long
 * note at the eighth request of each round (the rule before) made one hover in twenty take 20–35 ms.
 */
export function mentionAtOffset(text: string, note: NoteModel, lexicon: Lexicon, offset: number): Mention | undefined {
  const kept = keptMentionsOf(text, note, lexicon);
  if (kept) return mentionAt(kept, offset);
  const line = lineAround(text, offset);
  let seen = lineScanned.get(note);
  if (seen?.lexicon !== lexicon) lineScanned.set(note, (seen = { lexicon, chars: 0 }));
  seen.chars += line.end - line.start;
  if (seen.chars >= text.length) return mentionAt(mentionsOf(text, note, lexicon), offset);
  return mentionAt(scan(text, note.body, new Positioner(text), lexicon, { ranges: [line] }), offset);
}

/** The lexicon a note was last scanned with line by line, and how many characters of lines that read. */
const lineScanned = new WeakMap<NoteModel, { readonly lexicon: Lexicon; chars: number }>();

/**
 * Whether `lexicon` finds in the cached text exactly what the cached lexicon found: it only added terms
 * and English names to it (`Lexicon.grown`), and none of them occurs in the text. A pattern matches where
 * the text's case-folded code units equal its own (see the matcher), so a pattern with a pair of adjacent
 * folded code units the folded text lacks cannot occur; one that passes that test is searched for. While
 * the vault is indexed the vocabulary grows every half second, and most new terms are not in the note:
 * this costs a few lookups per new term instead of a scan of the whole note.
 */
function unaffected(hit: Cached, lexicon: Lexicon): boolean {
  const added: string[] = [];
  let l: Lexicon | undefined = lexicon;
  while (l !== undefined && l !== hit.lexicon) {
    if (!l.grown) return false;
    for (const p of l.grown.terms) added.push(p);
    for (const p of l.grown.names) added.push(p);
    l = l.grown.from;
  }
  if (l !== hit.lexicon) return false;
  const text = hit.text;
  if (hit.pairs === undefined) {
    const pairs = new Set<number>();
    for (let i = 0; i + 1 < text.length; i++) pairs.add(foldedPair(text, i));
    hit.pairs = pairs;
  }
  const pairs = hit.pairs;
  for (const p of added) {
    let possible = p.length > 1;
    for (let i = 0; possible && i + 1 < p.length; i++) possible = pairs.has(foldedPair(p, i));
    // A one-character term (rare) is searched for directly, like any pattern that passed the pair test.
    if (!possible && p.length > 1) continue;
    hit.folded ??= foldText(text);
    if (hit.folded.includes(foldText(p))) return false;
  }
  return true;
}

/** The case-folded code units at `i` and `i + 1` as one number. */
function foldedPair(s: string, i: number): number {
  return foldCode(s.charCodeAt(i)) * 65536 + foldCode(s.charCodeAt(i + 1));
}

function foldText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(foldCode(s.charCodeAt(i)));
  return out;
}

interface Raw {
  start: number;
  end: number;
  kind: MentionKind;
  terms: readonly string[];
  definition?: number;
}

/**
 * The occurrences in the lines of `text` that hold one of `offsets` only (plus, with `term`, the note's
 * definitions of it), for find-all-mentions over many notes: a term never spans a line, so scanning just
 * those lines gives the same mentions there as scanning the whole note, at a fraction of the cost. Only
 * those lines (and those that hold a fence mark) are parsed (see `bodyNear`): the note's definitions of
 * a term are on lines that hold it. With `term`, only the mentions that stand for it are returned.
 */
export function mentionsNear(text: string, lexicon: Lexicon, offsets: readonly number[], term?: string): readonly Mention[] {
  const ranges: Array<{ start: number; end: number }> = [];
  for (const at of [...offsets].sort((a, b) => a - b)) {
    if (ranges.length && at < ranges[ranges.length - 1]!.end) continue;
    ranges.push(lineAround(text, at));
  }
  const near = bodyNear(text, offsets);
  if (near) return scan(text, near.body, near.pos, lexicon, { ranges, only: term, unnumbered: true });
  return scan(text, parseNote(text).note.body, new Positioner(text), lexicon, { ranges, only: term, unnumbered: true });
}

/** The line holding `offset`, without its line break. */
function lineAround(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
  let end = offset;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return { start, end };
}

/** Where `scan` looks, and what it gives. */
interface ScanOptions {
  /** The parts of the text to scan (the whole body when not given). */
  readonly ranges?: ReadonlyArray<{ start: number; end: number }>;
  /** The one term whose mentions are wanted (all when not given). */
  readonly only?: string;
  /** Leave out which definition a definition mention is (`body` is not the whole note's). */
  readonly unnumbered?: boolean;
}

/** The mentions in `text`, whose body (or at least the lines of `ranges` of it) is `body`. */
function scan(text: string, body: NoteBody, pos: Positioner, lexicon: Lexicon, options: ScanOptions = {}): Mention[] {
  const { ranges, only, unnumbered } = options;
  const own: Raw[] = [];
  body.definitions.forEach((d, i) => {
    own.push({ start: d.termLoc.start, end: d.termLoc.end, kind: 'definition', terms: [d.term], definition: i });
    if (d.englishLoc) own.push({ start: d.englishLoc.start, end: d.englishLoc.end, kind: 'definition-english', terms: [d.term], definition: i });
  });
  const bolds = new Map<number, number>();
  for (const b of body.bolds) bolds.set(b.textLoc.start, b.textLoc.end);
  const skip = [...body.code].sort((a, b) => a.start - b.start);
  const found: Raw[] = [];
  const matches = ranges
    ? ranges.flatMap((r) => (r.end > body.start ? lexicon.matcher.find(text, Math.max(r.start, body.start), r.end, skip) : []))
    : lexicon.matcher.find(text, body.start, text.length, skip);
  // Another term's mention cannot hide one of `only`'s (the matcher's are apart): it is left out now.
  for (const m of matches) {
    if (m.kind === 'term') {
      if (only !== undefined && m.key !== only) continue;
      found.push({ start: m.start, end: m.end, kind: bolds.get(m.start) === m.end ? 'bold' : 'plain', terms: [m.key] });
    } else {
      const terms = lexicon.english.get(foldEnglish(m.key));
      if (terms && terms.length && (only === undefined || terms.includes(only))) found.push({ start: m.start, end: m.end, kind: 'english', terms });
    }
  }
  // The note's own definitions win over whatever the matcher found at the same place.
  own.sort((a, b) => a.start - b.start);
  const merged: Raw[] = [];
  let o = 0;
  for (const f of found) {
    while (o < own.length && own[o]!.end <= f.start) merged.push(own[o++]!);
    if (o < own.length && own[o]!.start < f.end) continue;
    merged.push(f);
  }
  while (o < own.length) merged.push(own[o++]!);
  // Built field by field: an object spread of each was a sixth of finding a common term's mentions.
  const out: Mention[] = [];
  for (const r of merged) {
    if (only !== undefined && !r.terms.includes(only)) continue;
    const range = pos.range(r.start, r.end);
    out.push(r.definition === undefined || unnumbered
      ? { start: r.start, end: r.end, kind: r.kind, terms: r.terms, range }
      : { start: r.start, end: r.end, kind: r.kind, terms: r.terms, definition: r.definition, range });
  }
  return out;
}

/** The mention covering `offset` (its first character through its last), if any. */
export function mentionAt(mentions: readonly Mention[], offset: number): Mention | undefined {
  let lo = 0;
  let hi = mentions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = mentions[mid]!;
    if (offset < m.start) hi = mid - 1;
    else if (offset >= m.end) lo = mid + 1;
    else return m;
  }
  return undefined;
}
