/**
 * Completion of known terms after `**` in the body: typing `**数` offers `数据墙` (and `**sjq` finds it by
 * pinyin, `**data` by its English name); accepting inserts the term and the closing `**` unless it is
 * already there. Anywhere else — front matter, code, a closing `**`, plain text — it returns undefined so
 * other providers can answer.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { offsetAt } from '../parse/text';
import { escapeMarkdown } from '../markdown';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { ShouldStop } from '../index/changes';
import { SlicedSort } from '../slicedSort';
import { termPinyin } from './pinyin';
import { englishNamesOf, lexiconOf, sortDate, type EnglishName, type Lexicon } from './lexicon';
import { foldEnglish } from './normalize';
import { termOrder } from './termOrder';

const STAR = 42;
const BACKSLASH = 92;

/** The offset just after an opening `**` whose bold the cursor is typing, or -1. */
export function boldPrefixStart(ctx: DocumentContext, offset: number): number {
  const { text, note } = ctx;
  if (offset < note.body.start || offset > text.length) return -1;
  if (note.body.code.some((c) => c.start < offset && offset < c.end)) return -1;
  let lineStart = offset;
  while (lineStart > note.body.start && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  // The runs of two or more `*` before the cursor, outside code spans, as the parser sees them.
  let runs = 0;
  let lastEnd = -1;
  for (let i = lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i++;
      continue;
    }
    if (c !== STAR) continue;
    let j = i;
    while (j < offset && text.charCodeAt(j) === STAR) j++;
    if (j - i >= 2 && !note.body.code.some((s) => s.start <= i && i < s.end)) {
      runs++;
      lastEnd = j;
    }
    i = j - 1;
  }
  // An even number of runs means the last one closed a bold: the cursor is not inside an opener's text.
  if (runs % 2 === 0 || lastEnd < 0) return -1;
  const prefix = text.slice(lastEnd, offset);
  if (prefix.includes('*') || /^\s/.test(prefix)) return -1;
  return lastEnd;
}

/**
 * With more known terms than this, the list is filtered by what has been typed after `**` and cut to this
 * many (marked incomplete, so the editor asks again as the author types): a vault of 10,000 notes knows
 * tens of thousands of terms, and sending them all with their definitions took seconds a request. As
 * many as entity completion sends (`MAX_COMPLETIONS`): an editor shows about a dozen, and each item
 * costs its English name and explanation (300 items took ~8 ms a request at 10,000 notes, p99 ~14 ms).
 */
export const MAX_GLOSSARY_ITEMS = 100;

type TermInfo = { english?: string; definition?: string };

function fill(info: Map<string, TermInfo>, term: string, english: string | undefined, definition: string): void {
  let entry = info.get(term);
  if (!entry) info.set(term, (entry = {}));
  if (english && !entry.english) entry.english = english;
  if (definition && !entry.definition) entry.definition = definition;
}

/** Whether a note other than `uri` defines `term` (the index keeps a note once per term). */
function definedElsewhere(index: WorkspaceIndex, term: string, uri: string): boolean {
  const notes = index.notesDefining(term);
  return notes.length > 1 || (notes.length === 1 && notes[0] !== uri);
}

/**
 * What the other notes (not `uri`) say of `term`, for an item: the English name most of their
 * definitions give (on a tie, the first in code-unit order). Only the items shown ask (at most
 * MAX_GLOSSARY_ITEMS), each from the term's names in the index: no pass over the vault. `mine` counts
 * the English names of the index's copy of `uri` by term (see `namesByTerm`). Their explanation is left
 * to `completionItem/resolve` (`resolveGlossaryItem`), for the one item the editor shows.
 */
function vaultInfo(names: (term: string) => EnglishName[], mine: ReadonlyMap<string, ReadonlyMap<string, number>>, term: string): TermInfo {
  const info: TermInfo = {};
  const own = mine.get(term);
  let best = 0;
  for (const { name, n } of names(term)) {
    // This note's copy in the index gives names too: they are not the other notes'.
    const theirs = n - (own?.get(name) ?? 0);
    if (theirs > best || (theirs === best && theirs > 0 && name < info.english!)) {
      best = theirs;
      info.english = name;
    }
  }
  return info;
}

/** What an item of another note's term carries to `completionItem/resolve`. */
interface GlossaryItemData {
  readonly notesense: 'glossary';
  readonly term: string;
  /** The note being typed in: its own definitions are not the other notes'. */
  readonly uri: string;
}

function isGlossaryItemData(data: unknown): data is GlossaryItemData {
  const d = data as Partial<GlossaryItemData> | null | undefined;
  return typeof d === 'object' && d !== null && d.notesense === 'glossary' && typeof d.term === 'string' && typeof d.uri === 'string';
}

/**
 * The explanation the other notes give `term`: that of the first definition with one, in the order a
 * hover lists them (`compareDefinitions`: the oldest note first, then by uri and place), so that the
 * item and the hover explain the term alike, whatever order the notes were indexed in. Every note
 * defining the term is looked at (its date and uri; the texts of the one that comes first): one item at a
 * time, at `completionItem/resolve`.
 */
export function explanationOf(index: WorkspaceIndex, term: string, uri: string): string | undefined {
  let best: { date: string; uri: string; text: string } | undefined;
  for (const other of index.notesDefining(term)) {
    if (other === uri) continue;
    const summary = index.get(other);
    if (!summary) continue;
    const date = sortDate(summary);
    if (best && (date > best.date || (date === best.date && other > best.uri))) continue;
    const definitions = summary.definitions;
    // A note's definitions are in text order: its first with an explanation is its earliest.
    for (const i of definitions.positionsOf(term)) {
      const text = definitions.definition(i);
      if (text) {
        best = { date, uri: other, text };
        break;
      }
    }
  }
  return best?.text;
}

/** Fills in an item's explanation from the other notes (see `explanationOf`); other items pass as they are. */
export function resolveGlossaryItem(index: WorkspaceIndex, item: CompletionItem): CompletionItem {
  if (item.documentation !== undefined || !isGlossaryItemData(item.data)) return item;
  const text = explanationOf(index, item.data.term, item.data.uri);
  return text ? { ...item, documentation: { kind: MarkupKind.Markdown, value: escapeMarkdown(text) } } : item;
}

/** term → English name → how many of the note's definitions give it ('' for none). */
function namesByTerm(index: WorkspaceIndex, uri: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const ds = index.get(uri)?.definitions;
  if (!ds) return out;
  for (let i = 0; i < ds.length; i++) {
    const term = ds.term(i);
    const name = ds.english(i) ?? '';
    let counts = out.get(term);
    if (!counts) out.set(term, (counts = new Map()));
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return out;
}

/**
 * The lexicon's terms in `termOrder` with what a request compares for each: its pinyin and its folded
 * English names in the index. Arrays read in order, so that a request over ~45,000 terms does no map
 * lookup per term. Made once per lexicon: a lexicon is replaced only when the vocabulary changes (a term
 * or a (term, English name) pair comes or goes), so typing does not sort again; one that only grew takes
 * its predecessor's arrays with the new terms put in their places.
 */
interface Aligned {
  readonly terms: string[];
  readonly full: string[];
  readonly initials: string[];
  /** Each term's folded English names, each after a NAME_MARK ('' for none): one native search a term. */
  readonly names: string[];
  /**
   * The first code unit of each term and of its pinyin (`full`, whose first letter is also that of
   * `initials`): a request passes over ~45,000 terms, and most fail this test without a string search.
   */
  readonly firstOfTerm: Uint16Array;
  readonly firstOfPinyin: Uint16Array;
}

/** The first code unit of each string (0 for an empty one). */
function firstCodes(strings: readonly string[]): Uint16Array {
  const out = new Uint16Array(strings.length);
  for (let i = 0; i < strings.length; i++) out[i] = firstCode(strings[i]!);
  return out;
}

/** A string's first code unit, 0 for the empty string. */
function firstCode(s: string): number {
  return s.charCodeAt(0) || 0;
}

/** The arrays of an order, with the first code units (read from the strings when not given). */
function aligned(terms: string[], full: string[], initials: string[], names: string[], firstOfTerm = firstCodes(terms), firstOfPinyin = firstCodes(full)): Aligned {
  return { terms, full, initials, names, firstOfTerm, firstOfPinyin };
}

const alignedOrders = new WeakMap<Lexicon, Aligned>();
/** The making of a lexicon's arrays from scratch, where it stopped (see `prepareGlossaryCompletion`). */
const builds = new WeakMap<Lexicon, AlignedBuild>();
/**
 * At most this many new terms are put in their places one by one, and this many known terms with a new
 * English name looked up (binary searches with the collator); more, and the arrays are made again (in
 * slices, when a host prepares them). A restore's catch-up grows the vocabulary by thousands of names.
 */
const GROWN_TERMS = 64;
const GROWN_NAMES = 256;

/** Marks where each name starts in an `Aligned` names string (and is taken out of the names themselves). */
const NAME_MARK = '\u0000';

/** `term`'s folded English names in the index, each after a NAME_MARK. */
function foldedNames(names: (term: string) => EnglishName[], term: string): string {
  const seen: string[] = [];
  for (const { folded } of names(term)) {
    const name = folded.replaceAll(NAME_MARK, '');
    if (name && !seen.includes(name)) seen.push(name);
  }
  return seen.length > 0 ? NAME_MARK + seen.join(NAME_MARK) : '';
}

/**
 * Sorting the terms of a 10,000-note vault with the collator takes ~0.2 s, so a host makes the arrays
 * in short slices in the background (`prepareGlossaryCompletion`); a request that comes first finishes
 * the work where the slices left it.
 */
class AlignedBuild {
  private readonly sort: SlicedSort<string>;
  private terms: string[] | undefined;
  private full: string[] = [];
  private initials: string[] = [];
  private names: string[] = [];
  /**
   * The first code units (`firstCodes`), read term by term in the slices: a pinyin form is made by
   * concatenation, and reading its first code unit flattens it. All at the end, that was one step of
   * 12–14 ms at 10,000 notes (45,000 terms).
   */
  private firstOfTerm = new Uint16Array(0);
  private firstOfPinyin = new Uint16Array(0);

  constructor(private readonly index: WorkspaceIndex, lexicon: Lexicon) {
    // Taken right after `lexiconOf`: the set grows in place with the next lexicons.
    this.sort = new SlicedSort([...lexicon.terms], termOrder.compare);
  }

  run(shouldStop?: ShouldStop): Aligned | undefined {
    if (!this.terms) {
      if (!this.sort.run(shouldStop)) return undefined;
      this.terms = this.sort.result!;
      this.firstOfTerm = new Uint16Array(this.terms.length);
      this.firstOfPinyin = new Uint16Array(this.terms.length);
    }
    const { terms } = this;
    const names = englishNamesOf(this.index);
    for (let i = this.full.length; i < terms.length; i++) {
      const term = terms[i]!;
      const p = termPinyin(term);
      this.full.push(p.full);
      this.initials.push(p.initials);
      this.names.push(foldedNames(names, term));
      this.firstOfTerm[i] = firstCode(term);
      this.firstOfPinyin[i] = firstCode(p.full);
      if ((i & 15) === 15 && shouldStop?.()) return undefined;
    }
    return aligned(terms, this.full, this.initials, this.names, this.firstOfTerm, this.firstOfPinyin);
  }
}

/**
 * The arrays of the index's lexicon: kept, or those of the lexicon it grew from with the new terms put
 * in their places, or made (all at once, or until `shouldStop` says so: undefined then).
 */
function alignedOf(index: WorkspaceIndex, shouldStop?: ShouldStop): Aligned | undefined {
  const lexicon = lexiconOf(index);
  const kept = alignedOrders.get(lexicon);
  if (kept) return kept;
  const aligned = grownFrom(index, lexicon) ?? buildFor(index, lexicon, shouldStop);
  if (aligned) alignedOrders.set(lexicon, aligned);
  return aligned;
}

function buildFor(index: WorkspaceIndex, lexicon: Lexicon, shouldStop?: ShouldStop): Aligned | undefined {
  let build = builds.get(lexicon);
  if (!build) builds.set(lexicon, (build = new AlignedBuild(index, lexicon)));
  const aligned = build.run(shouldStop);
  if (aligned) builds.delete(lexicon);
  return aligned;
}

/** The arrays of a lexicon that only grew since one whose arrays are kept, by at most GROWN_TERMS terms. */
function grownFrom(index: WorkspaceIndex, lexicon: Lexicon): Aligned | undefined {
  const newTerms: string[] = [];
  const newNames: string[] = [];
  let base: Aligned | undefined;
  for (let l: Lexicon | undefined = lexicon; l?.grown && !base; l = l.grown.from) {
    const { terms, names } = l.grown;
    // Measured before it is copied: a restored cache grows a lexicon by every term of the vault at once
    // (223,000 at 50,000 notes), more arguments than a spread into `push` can pass.
    if (newTerms.length + terms.length > GROWN_TERMS || newNames.length + names.length > GROWN_NAMES) return undefined;
    for (const term of terms) newTerms.push(term);
    for (const name of names) newNames.push(name);
    base = alignedOrders.get(l.grown.from);
  }
  if (!base) return undefined;
  const terms = base.terms.slice();
  const full = base.full.slice();
  const initials = base.initials.slice();
  const names = base.names.slice();
  const reader = englishNamesOf(index);
  for (const term of newTerms) {
    const at = insertionPoint(terms, term);
    const p = termPinyin(term);
    terms.splice(at, 0, term);
    full.splice(at, 0, p.full);
    initials.splice(at, 0, p.initials);
    names.splice(at, 0, foldedNames(reader, term));
  }
  // A known term with a new English name: its names again.
  for (const folded of new Set(newNames)) {
    for (const term of lexicon.english.get(folded) ?? []) {
      const at = positionOf(terms, term);
      if (at >= 0) names[at] = foldedNames(reader, term);
    }
  }
  return aligned(terms, full, initials, names);
}

/**
 * Makes what glossary completion needs for the index's vocabulary ahead of the first `**`, in slices:
 * true when it is ready, false when `shouldStop` stopped it (call again to go on). A host calls it once
 * the features caught up with the index and nothing else waits.
 */
export function prepareGlossaryCompletion(index: WorkspaceIndex, shouldStop: ShouldStop): boolean {
  return alignedOf(index, shouldStop) !== undefined;
}

/**
 * The vault's terms in glossary order (`termOrder`), each with its pinyin (`termPinyin`'s `full` and
 * `initials`) and its folded English names (each after a NUL), at the same position: the arrays glossary
 * completion keeps for the index's vocabulary, made now if no host prepared them yet. Shared: callers
 * must not change them.
 */
export function termsInOrder(index: WorkspaceIndex): { readonly terms: readonly string[]; readonly full: readonly string[]; readonly initials: readonly string[]; readonly names: readonly string[] } {
  return alignedOf(index)!;
}

/** Whether glossary completion's arrays are made for the index's vocabulary now. */
export function glossaryCompletionPrepared(index: WorkspaceIndex): boolean {
  return alignedOrders.has(lexiconOf(index));
}

/**
 * How well a term matches the typed prefix (`lower`, in lower case; `marked`, folded as English names
 * are, after a NAME_MARK): 3 the term itself, 2 its pinyin (`full` or `initials`), 1 one of its English
 * names (`names`, as `foldedNames` gives them) or a part of the term, else 0.
 */
function prefixMatch(term: string, full: string, initials: string, names: string, lower: string, marked: string): number {
  if (lower === '' || term.startsWith(lower)) return 3;
  if (full.startsWith(lower) || initials.startsWith(lower)) return 2;
  if (marked.length > 1 && names.includes(marked)) return 1;
  return term.includes(lower) ? 1 : 0;
}

/** Where `term` is in `sorted`, or -1. */
function positionOf(sorted: readonly string[], term: string): number {
  // Before the insertion point, among the terms the collator ranks with it.
  for (let at = insertionPoint(sorted, term) - 1; at >= 0 && termOrder.compare(sorted[at]!, term) === 0; at--) if (sorted[at] === term) return at;
  return -1;
}

/** Where `term` goes in `sorted` (in `termOrder`): after every term that sorts before it or with it. */
function insertionPoint(sorted: readonly string[], term: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (termOrder.compare(sorted[mid]!, term) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function glossaryCompletion(ctx: DocumentContext, position: Position): CompletionList | undefined {
  const offset = offsetAt(ctx.text, position);
  const start = boldPrefixStart(ctx, offset);
  if (start < 0) return undefined;
  const { index, uri } = ctx;
  // This note's definitions first, then the other notes'.
  const own = new Map<string, TermInfo>();
  for (const d of ctx.note.body.definitions) fill(own, d.term, d.english, d.definition);
  const names = englishNamesOf(index);
  const copy = namesByTerm(index, uri);
  const infoOf = (term: string): TermInfo => {
    const mine = own.get(term);
    if (mine?.english) return mine;
    const theirs = vaultInfo(names, copy, term);
    if (!mine) return theirs;
    return { english: theirs.english, definition: mine.definition };
  };
  // The terms known besides this note's own, counted up to the point where the list is cut.
  const lexicon = lexiconOf(index);
  const few: string[] = [];
  let known = own.size;
  for (const term of lexicon.terms) {
    if (own.has(term) || !definedElsewhere(index, term, uri)) continue;
    if (++known > MAX_GLOSSARY_ITEMS) break;
    few.push(term);
  }
  if (known === 0) return undefined;
  const closed = ctx.text.startsWith('**', offset);
  // The opener is on the cursor's line, so the typed prefix is `offset - start` UTF-16 units long.
  const range = { start: { line: position.line, character: position.character - (offset - start) }, end: position };
  const items: CompletionItem[] = [];
  let sorted: string[];
  let isIncomplete = false;
  if (known > MAX_GLOSSARY_ITEMS) {
    sorted = bestMatches(ctx, own, names, ctx.text.slice(start, offset));
    isIncomplete = true;
  } else sorted = [...own.keys(), ...few].sort(termOrder.compare);
  sorted.forEach((term, i) => {
    const { english, definition: text } = infoOf(term);
    const pinyin = termPinyin(term);
    const item: CompletionItem = {
      label: term,
      kind: CompletionItemKind.Reference,
      sortText: String(i).padStart(6, '0'),
      filterText: [term, pinyin.full, pinyin.initials, english].filter(Boolean).join(' '),
      textEdit: { range, newText: closed ? term : `${term}**` },
    };
    if (english) {
      item.detail = english;
      item.labelDetails = { description: english };
    }
    // This note's own explanation is at hand; the other notes' comes at `completionItem/resolve`.
    if (text) item.documentation = { kind: MarkupKind.Markdown, value: escapeMarkdown(text) };
    else item.data = { notesense: 'glossary', term, uri } satisfies GlossaryItemData;
    items.push(item);
  });
  return { isIncomplete, items };
}

/**
 * The `MAX_GLOSSARY_ITEMS` terms that match `typed` best (`prefixMatch`), each class in `termOrder`: the
 * vault's terms are read in that order (`alignedOf`), each into its class, until the best class is
 * full; this note's own terms go into their classes by binary search. A term only this note defines
 * (in the index's copy of it) is not the vault's.
 */
function bestMatches(ctx: DocumentContext, own: ReadonlyMap<string, TermInfo>, names: (term: string) => EnglishName[], typed: string): string[] {
  const { index, uri } = ctx;
  const lower = typed.toLowerCase();
  // The start of a name: a mark, then what was typed, folded as names are.
  const marked = NAME_MARK + foldEnglish(typed).replaceAll(NAME_MARK, '');
  const classes: string[][] = [[], [], [], []];
  const { terms, full, initials, names: termNames, firstOfTerm, firstOfPinyin } = alignedOf(index)!;
  const first = lower.charCodeAt(0);
  const classOf = (i: number): number => {
    if (lower === '' || (firstOfTerm[i] === first && terms[i]!.startsWith(lower))) return 3;
    return firstOfPinyin[i] === first && (full[i]!.startsWith(lower) || initials[i]!.startsWith(lower)) ? 2 : 0;
  };
  // The term itself and its pinyin first. Whether another note defines a term is asked of the best
  // class now (it ends the pass), of the next only for as many as are shown.
  for (let i = 0; i < terms.length && classes[3]!.length < MAX_GLOSSARY_ITEMS; i++) {
    const match = classOf(i);
    if (match === 0) continue;
    const term = terms[i]!;
    if (own.has(term)) continue;
    if (match === 2 || definedElsewhere(index, term, uri)) classes[match]!.push(term);
  }
  const pinyin: string[] = [];
  for (const term of classes[2]!) {
    if (classes[3]!.length + pinyin.length >= MAX_GLOSSARY_ITEMS) break;
    if (definedElsewhere(index, term, uri)) pinyin.push(term);
  }
  classes[2] = pinyin;
  // An English name or a part of the term only when those leave room: a second pass.
  const room = MAX_GLOSSARY_ITEMS - classes[3]!.length - classes[2]!.length;
  for (let i = 0; i < terms.length && classes[1]!.length < room; i++) {
    if (classOf(i) !== 0) continue;
    const term = terms[i]!;
    if (!((marked.length > 1 && termNames[i]!.includes(marked)) || term.includes(lower))) continue;
    if (!own.has(term) && definedElsewhere(index, term, uri)) classes[1]!.push(term);
  }
  for (const [term, mine] of own) {
    const p = termPinyin(term);
    const theirs = foldedNames(names, term);
    const match = prefixMatch(term, p.full, p.initials, mine.english ? NAME_MARK + foldEnglish(mine.english).replaceAll(NAME_MARK, '') + theirs : theirs, lower, marked);
    if (match > 0) classes[match]!.splice(insertionPoint(classes[match]!, term), 0, term);
  }
  return [...classes[3]!, ...classes[2]!, ...classes[1]!].slice(0, MAX_GLOSSARY_ITEMS);
}
