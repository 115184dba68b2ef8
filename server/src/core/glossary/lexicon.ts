/**
 * The glossary's view of the workspace index, kept in step with it note by note: the vocabulary (every
 * defined term and every English name, with the matcher built over them) and, for the terms features
 * have asked about, their definitions across the vault in display order with their comparison forms.
 *
 * When the index version changes, only the notes whose summary object changed are looked at again (a
 * summary is replaced, never mutated, when its note changes; see `watchIndex`). The vocabulary is
 * counted per term and English name as written over the definitions of the index, so it changes only
 * when a name appears in its first definition or leaves its last one: typing in a note, or indexing one
 * more note that defines known terms, leaves the lexicon object (and the mentions cached against it) as
 * it is. Counting needs one map update per definition and builds no string: terms and English names are
 * shared copies in the index, whose hashes are computed once. New names are added to the existing
 * matcher; only a name that disappears makes the matcher be built again. A whole vault queued at once
 * (the end of a scan or a restart that nobody asked anything of) is not counted: the names and their
 * counts are taken from the index, which keeps them per term, and the matcher is built in one go
 * (`seedNames`).
 *
 * The per-term definition lists are built on first use and then kept up to date with the changed notes
 * that define the term, so a hover costs neither a pass over the vault nor a sort; they are kept for
 * the most recently used terms only. Building a list costs a pass over every definition of every note
 * defining the term (hundreds of milliseconds for the ~60 terms of a note at 10,000 notes), so lists
 * are updated rather than dropped even when thousands of notes arrive at once. A changed note is noted
 * against each kept list it touches and the list takes its notes when it is read next (`updateList`):
 * a hover during a scan brings its own term's list up to date, not the ~60 lists a note's diagnostics
 * asked for (at 10,000 notes ~120,000 definitions, which every hover copied again).
 */
import type { Range } from 'vscode-languageserver-types';
import { noteDate } from '../index/entityKinds';
import type { NoteSummary } from '../index/summary';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { indexReported, watchIndex, type ShouldStop } from '../index/changes';
import { SlicedSort } from '../slicedSort';
import { TermMatcher } from './matcher';
import { foldEnglish, normalizeDefinition } from './normalize';

export interface Lexicon {
  /** The terms defined anywhere in the vault. */
  readonly terms: ReadonlySet<string>;
  /** Folded English name → the terms that claim it (more than one is an English-name clash). */
  readonly english: ReadonlyMap<string, readonly string[]>;
  readonly matcher: TermMatcher;
  /**
   * Set when this lexicon is an earlier one (`from`) with terms and English names added and nothing
   * removed: the terms new to it, and the folded English names added or claimed by another term. What a
   * text mentions changes only if one of them occurs in it, which a cache of mentions can check instead of
   * scanning the text again (the vocabulary grows at every round of a scan).
   */
  readonly grown?: { readonly from: Lexicon; readonly terms: readonly string[]; readonly names: readonly string[]; readonly depth: number };
}

/**
 * The normalized forms of the definition texts in the kept lists, by text, and the folded forms of their
 * English names, by name. A term's definitions repeat a few wordings across the vault (the ~120,000
 * definitions of a benchmark note's terms have 77 distinct texts), so each text is normalized once
 * instead of once per definition, and each name folded into one shared string; the texts and names are
 * the index's shared copies, so a key costs only its map entry. A map is emptied when it grows past
 * `MAX_FORMS`, which bounds it on a vault of many distinct wordings.
 */
interface Forms {
  readonly normalized: Map<string, string>;
  readonly folded: Map<string, string>;
}

const MAX_FORMS = 20_000;

function cachedForm(forms: Map<string, string>, text: string, make: (text: string) => string): string {
  let form = forms.get(text);
  if (form === undefined) {
    if (forms.size >= MAX_FORMS) forms.clear();
    forms.set(text, (form = make(text)));
  }
  return form;
}

/**
 * What `differFrom` compares two definitions of a term by: the normalized text, when the definition has
 * one, and the folded English name, when it has one. Equal wordings are one object (`wordingOf`): a
 * term's definitions repeat a few wordings, and a hover or a conflict check that compares one definition
 * with thousands then mostly compares two pointers.
 */
export interface Wording {
  readonly text: string | undefined;
  readonly name: string | undefined;
}

/** name → text → the one `Wording` of both (`undefined` keys for none); emptied past `MAX_FORMS` entries. */
const wordings = new Map<string | undefined, Map<string | undefined, Wording>>();
let wordingCount = 0;

/** The shared `Wording` of this text and name (already normalized and folded). */
export function wordingOf(text: string | undefined, name: string | undefined): Wording {
  let byText = wordings.get(name);
  if (!byText) wordings.set(name, (byText = new Map()));
  let w = byText.get(text);
  if (!w) {
    if (wordingCount >= MAX_FORMS) {
      wordings.clear();
      wordingCount = 0;
      wordings.set(name, (byText = new Map()));
    }
    byText.set(text, (w = { text, name }));
    wordingCount++;
  }
  return w;
}

/**
 * A definition from the index (a note other than the one being edited), with the date its note sorts
 * by and its comparison forms, computed once. Its fields are those of `TermDefinition`, read from the
 * note's summary when asked: the kept lists of an open note's ~60 terms hold ~120,000 of these at
 * 10,000 notes, and with their own two `Range`s (six objects) and copies of each field they took
 * ~35 MB of heap; this way a definition is one small object.
 */
export class IndexedDefinition {
  private comparedBy: Wording | undefined;
  /**
   * Its note's uri, kept here although the summary has it: a hover or a conflict check reads the uri
   * of every definition of a term, and through the summary that is two more loads from another object
   * for each, ten times the cost of the pass (~9.5 against ~0.9 ms for a term's 40,845 definitions at
   * 10,000 notes).
   */
  readonly uri: string;

  constructor(
    private readonly summary: NoteSummary,
    /** The definition's position among the note's. */
    private readonly at: number,
    /** The note's date, or U+FFFF (after every date) when it has none. */
    readonly date: string,
    private readonly forms: Forms,
  ) {
    this.uri = summary.uri;
  }
  get term(): string {
    return this.summary.definitions.term(this.at);
  }
  get english(): string | undefined {
    return this.summary.definitions.english(this.at);
  }
  get definition(): string {
    return this.summary.definitions.definition(this.at);
  }
  /** The whole definition (a new object at each read). */
  get range(): Range {
    return this.summary.definitions.range(this.at);
  }
  /** The term's range (a new object at each read). */
  get termRange(): Range {
    return this.summary.definitions.termRange(this.at);
  }
  /** Where the whole definition starts, read without building a `Range` (sorting reads these). */
  get line(): number {
    return this.summary.definitions.startLine(this.at);
  }
  get character(): number {
    return this.summary.definitions.startCharacter(this.at);
  }

  /** Whether `other` is the same definition, worded and placed the same, in a note of the same date. */
  sameAs(other: IndexedDefinition): boolean {
    return this.definition === other.definition && this.english === other.english && this.date === other.date &&
      this.summary.definitions.samePlace(this.at, other.summary.definitions, other.at);
  }

  /** Its comparison forms (see `Wording`), computed once. */
  get wording(): Wording {
    if (this.comparedBy === undefined) {
      const definition = this.definition;
      const english = this.english;
      this.comparedBy = wordingOf(definition ? cachedForm(this.forms.normalized, definition, normalizeDefinition) : undefined,
        english ? cachedForm(this.forms.folded, english, foldEnglish) : undefined);
    }
    return this.comparedBy;
  }

  /** The fields of `TermDefinition`, as a JSON answer shows them. */
  toJSON(): unknown {
    return { uri: this.uri, term: this.term, english: this.english, definition: this.definition, range: this.range, termRange: this.termRange };
  }
}

/** How many terms keep their definition lists (a hover asks for one, a note's diagnostics for ~60). */
const MAX_CACHED_TERMS = 2_000;

/**
 * Up to how many changed notes a term's list takes one by one, each spliced into its place; beyond, the
 * list is filtered and merged with the new definitions once. A splice is a binary search and a memory
 * move, so it wins for the few notes of typing; a scan batch brings hundreds of notes defining a common
 * term, where splicing each costs a move of the whole list per note. Measured on the benchmark vault
 * (lists of up to 10,000 definitions): both ways cost the same at about this many notes.
 */
const SPLICE_NOTES = 16;

/**
 * A kept list that more than SPLICE_NOTES notes changed is built again in steps by a host's catch-up
 * (see `updatePending`) rather than merged in one when its length and the definitions those notes bring
 * add up to more than this. After a restart at 10,000 notes the lists of the note open meanwhile were merged
 * with most of the vault: the common term's (~40,000 definitions) took ~120 ms in one step, which a
 * request waited for. A list kept while the index held only a few notes (read before the restored notes
 * came) is short, and was still merged in one with the whole vault: 20–85 ms a term; and with 4,096 here,
 * lists of a few thousand definitions still took 10–30 ms each.
 */
const REBUILD_LENGTH = 1024;

/**
 * A note that changed a kept list since the list's last update: the date its block in the list sorts by
 * (undefined when the list holds no block of it) and the index's summary of it now (undefined when it
 * left the index). A note that changes twice meanwhile keeps its first date and its last summary.
 */
interface Pending {
  readonly oldDate: string | undefined;
  after: NoteSummary | undefined;
  /** Where the term's definitions are among `after`'s (so that an update reads those only). */
  at: number[];
}

/** A changed note's part in one term's list: its old block (when it had one) and its new definitions. */
interface Edit {
  readonly uri: string;
  /** The date the note's old block sorts by; undefined when the old note did not define the term. */
  oldDate: string | undefined;
  readonly added: IndexedDefinition[];
}

/**
 * One English name of a term as written ('' for none), with its folded form and how many definitions
 * of the index give it; a term's names are a short chain (most terms have one or two), so counting a
 * definition is one map lookup and a pointer or two, with no string built.
 */
interface NameCount {
  readonly name: string;
  readonly folded: string;
  n: number;
  next: NameCount | undefined;
}

interface State {
  readonly index: WorkspaceIndex;
  /** Reports the index's changes to the state (see `watchIndex`): a request's only queued (`queued`). */
  sync: (shouldStop?: ShouldStop) => boolean;
  /**
   * The changes the index reported and the state has not counted yet, as (before, after) pairs from
   * `queuedAt` on (see `countQueued`).
   */
  queued: Array<NoteSummary | undefined>;
  queuedAt: number;
  /** The queued changes before this position are in `names` already (see `seedNames`). */
  countedUpTo: number;
  /** term → its English names in the index. */
  readonly names: Map<string, NameCount>;
  /**
   * The terms and folded English names the lexicon's sets and matcher took since its last object was
   * made (see `grow`): the next object's `grown`.
   */
  newTerms: string[];
  newNames: string[];
  /** Whether a pair disappeared since the lexicon was built (the matcher cannot drop a pattern). */
  removed: boolean;
  lexicon: { terms: Set<string>; english: Map<string, string[]>; matcher: TermMatcher; grown?: Lexicon['grown'] } | undefined;
  /**
   * term → its definitions in the index, in `compareDefinitions` order, as of its last update; least
   * recently used first.
   */
  readonly terms: Map<string, IndexedDefinition[]>;
  /** Lists being built in steps (see `prepareDefinitionsOf`), by term. */
  readonly builds: Map<string, ListBuild>;
  /** Terms whose kept list a host's catch-up builds again (see `updatePending`). */
  readonly rebuilding: Set<string>;
  /** term → the notes that changed its kept list since that list's last update (see `Pending`). */
  readonly pending: Map<string, Map<string, Pending>>;
  /** Whether every kept list stays kept (see `keepEveryDefinitionList`), rather than the most recent MAX_CACHED_TERMS. */
  keepAll: boolean;
  readonly forms: Forms;
}

const states = new WeakMap<WorkspaceIndex, State>();

/**
 * The display order of definitions from other notes: the oldest note first (by its date) — usually
 * where the author first explained the term — then by uri and position. Dates are `YYYY-MM-DD` or
 * U+FFFF, for which code-unit order is the order `localeCompare` gives.
 */
export function compareDefinitions(a: DefinitionPlace, b: DefinitionPlace): number {
  return (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    a.line - b.line ||
    a.character - b.character;
}

/** What definitions are ordered by: the note's date and uri, and where the definition starts. */
export interface DefinitionPlace {
  readonly uri: string;
  readonly date: string;
  readonly line: number;
  readonly character: number;
}

/** The date each summary's definitions sort by, read once (a list update asks it per term of the note). */
const sortDates = new WeakMap<NoteSummary, string>();

/** The date a note's definitions sort by (`compareDefinitions`): its date, else U+FFFF (after every date). */
export function sortDate(summary: NoteSummary): string {
  let date = sortDates.get(summary);
  if (date === undefined) sortDates.set(summary, (date = noteDate(summary.uri, summary.date) ?? '\uffff'));
  return date;
}

/** Whether a chain of names has one with the folded form `folded`. */
function hasFolded(chain: NameCount | undefined, folded: string): boolean {
  for (let c = chain; c !== undefined; c = c.next) if (c.folded === folded) return true;
  return false;
}

/**
 * Counts a note's definitions in (`delta` 1) or out (-1) of the vocabulary. A (term, folded name) pair
 * appears with the first name as written that folds to it and leaves with the last.
 */
function countNames(state: State, summary: NoteSummary, delta: 1 | -1): void {
  // The packed arrays directly: this runs for every definition of every note the scan brings.
  const { terms, english } = summary.definitions.data;
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i]!;
    const name = english[i] ?? '';
    const first = state.names.get(term);
    let prev: NameCount | undefined;
    let c = first;
    while (c !== undefined && c.name !== name) {
      prev = c;
      c = c.next;
    }
    if (delta === 1) {
      if (c) {
        c.n++;
        continue;
      }
      const folded = name ? foldEnglish(name) : '';
      // A lexicon already built grows now (one is built from `names` otherwise).
      if (state.lexicon && !state.removed && !hasFolded(first, folded)) grow(state, state.lexicon, term, folded);
      state.names.set(term, { name, folded, n: 1, next: first });
    } else if (c && --c.n === 0) {
      if (prev) prev.next = c.next;
      else if (c.next) state.names.set(term, c.next);
      else state.names.delete(term);
      if (!hasFolded(state.names.get(term), c.folded)) state.removed = true;
    }
  }
}

/**
 * Adds a new (term, folded English name) pair to the lexicon's sets and matcher, in place. Done as the
 * pair is counted, so a host's catch-up between its slices does it (in small steps) rather than the
 * next hover (the names of a whole scan round at once: 20–30 ms early in a scan). Every reader gets the
 * lexicon through `currentLexicon`, which makes a new object whenever something was added.
 */
function grow(state: State, lexicon: NonNullable<State['lexicon']>, term: string, folded: string): void {
  if (!lexicon.terms.has(term)) {
    lexicon.terms.add(term);
    lexicon.matcher.addTerm(term);
    state.newTerms.push(term);
  }
  if (!folded) return;
  addName(lexicon.english, folded, term);
  lexicon.matcher.addEnglish(folded);
  state.newNames.push(folded);
}

function noteChanged(state: State, before: NoteSummary | undefined, after: NoteSummary | undefined, count = true): void {
  // The new definitions are counted first, so a name the note keeps never drops to zero on the way.
  if (count && after) countNames(state, after, 1);
  if (count && before) countNames(state, before, -1);
  if (state.terms.size === 0) return;
  // The kept lists are brought up to date when read (`updateList`); here each list the note touches
  // (one it was or is in) only notes it.
  const uri = (after ?? before)!.uri;
  if (before) {
    const oldDate = sortDate(before);
    for (const term of before.definitions.data.terms) pendingOf(state, term, uri, oldDate, after);
  }
  if (after) {
    const terms = after.definitions.data.terms;
    for (let i = 0; i < terms.length; i++) pendingOf(state, terms[i]!, uri, undefined, after)?.at.push(i);
  }
}

/**
 * Notes that note `uri` changed `term`'s kept list, if the term has one (`oldDate` when the list holds
 * the note's block), and returns the note's entry for the term, with no definition positions yet when
 * `after` is new to it.
 */
function pendingOf(state: State, term: string, uri: string, oldDate: string | undefined, after: NoteSummary | undefined): Pending | undefined {
  if (!state.terms.has(term)) return undefined;
  let notes = state.pending.get(term);
  if (!notes) state.pending.set(term, (notes = new Map()));
  let kept = notes.get(uri);
  if (!kept) notes.set(uri, (kept = { oldDate, after, at: [] }));
  else if (kept.after !== after) {
    kept.after = after;
    kept.at = [];
  }
  return kept;
}

/** The first position in `list` whose note sorts at or after (`date`, `uri`). */
function blockStart(list: readonly IndexedDefinition[], date: string, uri: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = list[mid]!;
    if (d.date < date || (d.date === date && d.uri < uri)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where a note's definitions sit in a list, as `[start, end)` (empty when it has none there). */
function oldBlock(list: readonly IndexedDefinition[], date: string, uri: string): { start: number; end: number } {
  const start = blockStart(list, date, uri);
  let end = start;
  while (end < list.length && list[end]!.uri === uri) end++;
  return { start, end };
}

/**
 * Calls `visit` with each definition of a kept list of `index` (`indexedDefinitionsOf`) that is not the
 * note `uri`'s, in the list's order. The note's definitions are one block, found by binary search, so
 * no definition's uri is compared with `uri` (two uris of one vault share a long prefix: comparing them
 * was a third of the cost of such a pass).
 */
export function forEachOther(index: WorkspaceIndex, list: readonly IndexedDefinition[], uri: string, visit: (d: IndexedDefinition) => void): void {
  const { start, end } = noteBlock(index, list, uri);
  for (let i = 0; i < start; i++) visit(list[i]!);
  for (let i = end; i < list.length; i++) visit(list[i]!);
}

/**
 * Where the note `uri`'s definitions sit in a kept list of `index` (`indexedDefinitionsOf`), as
 * `[start, end)`: empty (at the end) when the index does not hold the note.
 */
export function noteBlock(index: WorkspaceIndex, list: readonly IndexedDefinition[], uri: string): { start: number; end: number } {
  const summary = index.get(uri);
  if (summary === undefined) return { start: list.length, end: list.length };
  const starts = blockStartsOf(list);
  if (!starts) return oldBlock(list, sortDate(summary), uri);
  const start = starts.get(uri);
  if (start === undefined) return { start: list.length, end: list.length };
  // The list's definitions of the note carry its summary's uri, mostly the very same string: the
  // comparison is then only a pointer check.
  const own = summary.uri;
  let end = start;
  while (end < list.length && list[end]!.uri === own) end++;
  return { start, end };
}

/** Lookups of one version of a list before `noteBlock` maps where each note's block starts. */
const BLOCK_MAP_AFTER = 32;
/** Lists shorter than this are searched: a binary search over a few hundred definitions is cheap. */
const BLOCK_MAP_MIN = 512;

/**
 * Where each note's block starts in a list, made once a version of a long list has been asked about
 * BLOCK_MAP_AFTER notes (a vault-wide check asks a common term's list about each of its ~9,700 notes: a
 * binary search over ~40,000 definitions scattered in memory took ~5.7 µs, 3.1 s of the CLI's `check`
 * at 10,000 notes). Undefined until then. A list changed in place (`spliceNote`) has a new version.
 */
const blockStarts = new WeakMap<readonly IndexedDefinition[], { version: number; length: number; lookups: number; starts?: Map<string, number> }>();

function blockStartsOf(list: readonly IndexedDefinition[]): Map<string, number> | undefined {
  if (list.length < BLOCK_MAP_MIN) return undefined;
  const version = listVersion(list);
  let kept = blockStarts.get(list);
  if (!kept || kept.version !== version || kept.length !== list.length) blockStarts.set(list, (kept = { version, length: list.length, lookups: 0 }));
  if (kept.starts) return kept.starts;
  if (++kept.lookups < BLOCK_MAP_AFTER) return undefined;
  const starts = new Map<string, number>();
  let previous: string | undefined;
  for (let i = 0; i < list.length; i++) {
    const uri = list[i]!.uri;
    // A note's definitions share its summary's uri (one string): only a new note's costs a comparison.
    if (uri !== previous) starts.set(uri, i);
    previous = uri;
  }
  kept.starts = starts;
  return starts;
}

/**
 * How many times each kept list was changed in place (`spliceNote`). Something computed from a list
 * stays valid while the list is the same object at the same version (see `listVersion`).
 */
const listVersions = new WeakMap<readonly IndexedDefinition[], number>();

/** The version of a list `indexedDefinitionsOf` returned: it changes whenever the list does. */
export function listVersion(list: readonly IndexedDefinition[]): number {
  return listVersions.get(list) ?? 0;
}

/**
 * What a feature derives from a whole kept list (how many definitions differ from one wording, the
 * first few of them), remembered by key while the list is the same object at the same version, at most
 * `max` keys a list. A term defined in most notes has tens of thousands of definitions; its list changes
 * only when a note defining it does, so a hover or a conflict check then costs a lookup, not a pass.
 */
export class PerListVersion<T> {
  private readonly lists = new WeakMap<readonly IndexedDefinition[], { version: number; byKey: Map<string, T> }>();

  constructor(private readonly max: number) {}

  get(list: readonly IndexedDefinition[], key: string, make: () => T): T {
    const version = listVersion(list);
    let kept = this.lists.get(list);
    if (!kept || kept.version !== version) this.lists.set(list, (kept = { version, byKey: new Map() }));
    let found = kept.byKey.get(key);
    if (found === undefined) {
      found = make();
      if (kept.byKey.size >= this.max) kept.byKey.clear();
      kept.byKey.set(key, found);
    }
    return found;
  }
}

/**
 * Replaces one note's block in a list. The list is ordered by (date, uri, position), so a note's
 * definitions are one block found by binary search: a change costs the block, not the list. A block
 * that a keystroke left as it was (the note's other definitions) stays, and the list keeps its version.
 */
function spliceNote(list: IndexedDefinition[], edit: Edit): void {
  const added = edit.added;
  if (edit.oldDate !== undefined) {
    const { start, end } = oldBlock(list, edit.oldDate, edit.uri);
    if (end - start === added.length && added.every((d, i) => list[start + i]!.sameAs(d))) return;
    if (end > start) list.splice(start, end - start);
  } else if (added.length === 0) return;
  listVersions.set(list, listVersion(list) + 1);
  if (added.length === 0) return;
  list.splice(blockStart(list, added[0]!.date, edit.uri), 0, ...added);
}

/**
 * The list without the old blocks of the edited notes and with their new blocks, built in one copy. The
 * old blocks and the places of the new ones are found by binary search, as in `spliceNote`; the rest of
 * the list is copied between them without comparing anything, so a batch costs one pass over the list
 * plus a search per note, where splicing each note would move the list once per note.
 */
function mergeNotes(list: readonly IndexedDefinition[], edits: readonly Edit[]): IndexedDefinition[] {
  // Old blocks as [start, end) pairs, and new blocks with the position they go before in the old list.
  const cuts: Array<{ start: number; end: number }> = [];
  const blocks: Array<{ at: number; defs: IndexedDefinition[] }> = [];
  for (const e of edits) {
    if (e.oldDate !== undefined) {
      const block = oldBlock(list, e.oldDate, e.uri);
      if (block.end > block.start) cuts.push(block);
    }
    if (e.added.length > 0) {
      e.added.sort(compareDefinitions);
      blocks.push({ at: blockStart(list, e.added[0]!.date, e.uri), defs: e.added });
    }
  }
  cuts.sort((x, y) => x.start - y.start);
  // New blocks at the same place (notes new to the list, next to each other in its order) in note order.
  blocks.sort((x, y) => x.at - y.at || compareDefinitions(x.defs[0]!, y.defs[0]!));
  // Each position is a boundary between notes' blocks, so no old block straddles the place of a new one.
  const out: IndexedDefinition[] = [];
  let pos = 0;
  let cut = 0;
  const copyTo = (to: number): void => {
    while (pos < to) {
      const next = cuts[cut];
      if (next !== undefined && next.start <= pos) {
        pos = next.end;
        cut++;
        continue;
      }
      const end = next === undefined ? to : Math.min(to, next.start);
      for (; pos < end; pos++) out.push(list[pos]!);
    }
  };
  for (const block of blocks) {
    copyTo(block.at);
    for (const d of block.defs) out.push(d);
  }
  copyTo(list.length);
  return out;
}

/**
 * Brings `term`'s kept list up to date with the notes that changed it since its last update: spliced
 * one by one when they are few, merged at once when many. Returns the list (a new one after a merge).
 */
function updateList(state: State, term: string, list: IndexedDefinition[]): IndexedDefinition[] {
  const notes = state.pending.get(term);
  if (!notes) return list;
  state.pending.delete(term);
  const edits: Edit[] = [];
  for (const [uri, { oldDate, after, at }] of notes) {
    const edit: Edit = { uri, oldDate, added: [] };
    if (after && at.length > 0) {
      const date = sortDate(after);
      for (const i of at) edit.added.push(new IndexedDefinition(after, i, date, state.forms));
    }
    edits.push(edit);
  }
  if (edits.length > SPLICE_NOTES) return mergeNotes(list, edits);
  for (const edit of edits) {
    edit.added.sort(compareDefinitions);
    spliceNote(list, edit);
  }
  return list;
}

/**
 * Brings the kept lists that changed up to date, a term at a time, until `shouldStop` says so; whether
 * none is left. A host's catch-up calls it when it flushes: not between the slices of a scan, when every
 * round would copy the lists again (the ~60 lists of a note's diagnostics hold ~120,000 definitions at
 * 10,000 notes), but once the scan is over and after typing, so that the next diagnostics find them done.
 * While more batches come (`moreComing`: a scan's rounds), a long list that few of its notes changed
 * waits until they are a quarter of it (or until it is read): merged at every round, the lists of a
 * note open during a cold index at 10,000 notes were copied ~28 times, 140 MB of the scan's allocations.
 * Once no more come, a long list that many notes changed is built again in steps (see REBUILD_LENGTH).
 */
function updatePending(state: State, index: WorkspaceIndex, shouldStop?: ShouldStop, moreComing = false): boolean {
  for (const [term, notes] of state.pending) {
    const list = state.terms.get(term);
    if (moreComing && list && notes.size > SPLICE_NOTES && notes.size * 4 < list.length) continue;
    if (!moreComing && list && notes.size > SPLICE_NOTES && list.length + addedCount(notes) > REBUILD_LENGTH) {
      // Built again in steps below, as a list not kept is: merged, it was one step of its whole length.
      state.terms.delete(term);
      state.pending.delete(term);
      state.rebuilding.add(term);
    } else if (list) {
      // `set` on a present key keeps its place in the least-recently-used order.
      state.terms.set(term, updateList(state, term, list));
    } else state.pending.delete(term);
    // At least one term a call, so that the lists get done however little time a catch-up leaves.
    if (state.pending.size > 0 && shouldStop?.()) return false;
  }
  for (const term of state.rebuilding) {
    // A reader may have built it meanwhile (see `buildList`).
    if (!state.terms.has(term) && buildList(state, index, term, shouldStop) === undefined) return false;
    state.rebuilding.delete(term);
  }
  return true;
}

/** How many definitions the pending notes of a list bring to it. */
function addedCount(notes: ReadonlyMap<string, Pending>): number {
  let n = 0;
  for (const p of notes.values()) n += p.at.length;
  return n;
}

/** The state of `index`, up to date with it. */
function stateOf(index: WorkspaceIndex): State {
  const state = stateFor(index);
  state.sync();
  countQueued(state);
  return state;
}

/**
 * Brings the vocabulary up to date with the index until `shouldStop` says so, a note at a time (the
 * index's changes reported, then counted); whether it is. Work in steps that reads the vocabulary next
 * calls it first (a note's diagnostics, right after a restart at 10,000 notes, waited ~0.3 s in one
 * step for the counting alone).
 */
export function catchUpVocabulary(index: WorkspaceIndex, shouldStop: ShouldStop): boolean {
  const state = stateFor(index);
  state.sync(shouldStop);
  return indexReported(index) && countQueued(state, shouldStop);
}

/**
 * How many of the index's changes the vocabulary has heard of and not counted yet (see `countQueued`);
 * those not reported to it yet are not included.
 */
export function vocabularyBacklog(index: WorkspaceIndex): number {
  const state = states.get(index);
  return state ? (state.queued.length - state.queuedAt) / 2 : 0;
}

/** Whether `term`'s kept list is being built again by a host's catch-up (see `updatePending`). */
export function rebuildingList(index: WorkspaceIndex, term: string): boolean {
  return states.get(index)?.rebuilding.has(term) ?? false;
}

/** The state of `index`, made the first time; not brought up to date. */
function stateFor(index: WorkspaceIndex): State {
  let state = states.get(index);
  if (!state) {
    const s: State = {
      index, sync: () => false, queued: [], queuedAt: 0, countedUpTo: 0, names: new Map(), newTerms: [], newNames: [], removed: false, lexicon: undefined,
      terms: new Map(), builds: new Map(), rebuilding: new Set(), pending: new Map(), keepAll: false, forms: { normalized: new Map(), folded: new Map() },
    };
    // A change that a request's sync reports is only queued: the request may be another area's (see
    // `countQueued`). One that a catch-up in steps reports is counted then, between its slices. The
    // vocabulary and the kept lists follow a host's catch-up (`catchUpIndex`) when it flushes, so that a
    // request finds them current: the queued notes, then the lists, a note or a term at a time (see
    // `updatePending`).
    s.sync = watchIndex(index, (before, after, inSteps) => {
      s.queued.push(before, after);
      // A catch-up in steps (a scan's slices) counts as it goes, and what a request queued before, two for one.
      if (inSteps) countQueued(s, countTwo());
    }, (shouldStop, moreComing) => {
      if (!countQueued(s, shouldStop)) return false;
      if (s.lexicon) currentLexicon(s);
      return updatePending(s, index, shouldStop, moreComing);
    });
    states.set(index, (state = s));
  }
  return state;
}

/** A `ShouldStop` that lets two notes through. */
function countTwo(): ShouldStop {
  let left = 2;
  return () => --left <= 0;
}

/**
 * Counts the queued changes (`noteChanged`) until `shouldStop` says so; whether none is left. The
 * index's catch-up is shared by every area that follows it, and counting a note's names and kept
 * lists is most of it: after a restart at 10,000 notes, ~0.6 s of the ~1 s that the first entity
 * completion waited for, which never reads the vocabulary. Queued, the counting waits for a reader of
 * the vocabulary or for the host's flush.
 */
function countQueued(state: State, shouldStop?: ShouldStop): boolean {
  const q = state.queued;
  if ((q.length - state.queuedAt) / 2 > seedAbove(state.index) && indexReported(state.index)) seedNames(state);
  while (state.queuedAt < q.length) {
    const before = q[state.queuedAt++];
    const after = q[state.queuedAt++];
    noteChanged(state, before, after, state.queuedAt > state.countedUpTo);
    if (shouldStop?.() && state.queuedAt < q.length) return false;
  }
  q.length = 0;
  state.queuedAt = 0;
  state.countedUpTo = 0;
  return true;
}

/**
 * How many queued notes make the vocabulary start again from the index's own counts (`seedNames`)
 * rather than count each of their definitions: half the index, and never a few. Right after a scan or a
 * restart that nobody asked anything of, the whole vault is queued; during a scan with requests, a
 * round of a few hundred notes is counted as it comes. Starting again costs a pass over the vocabulary
 * and a new matcher, in one step (~0.3 s at 10,000 notes, against ~0.45 s to count them all): for
 * fewer notes, counting them is as cheap, and it grows the matcher instead.
 */
function seedAbove(index: WorkspaceIndex): number {
  return Math.max(256, index.size / 2);
}

/**
 * Takes every term's English names and their counts from the index (see `WorkspaceIndex.forEachTermName`)
 * in place of those counted so far, the queued changes included, and has the lexicon built again from
 * them, its matcher in one go. Only once every change of the index has been reported to the state (the
 * queue then holds all that the index has and the names do not). Counting the ~600,000 definitions of
 * 10,000 notes one by one took ~0.45 s, which the first glossary hover after a scan or a restart waited
 * for (with the matcher grown a name at a time: 0.6–1.0 s); this is a pass over the ~45,000 terms.
 */
function seedNames(state: State): void {
  const names = state.names;
  names.clear();
  state.index.forEachTermName((term, first) => {
    let chain: NameCount | undefined;
    for (let c = first; c !== undefined; c = c.next) chain = { name: c.name, folded: c.name ? foldEnglish(c.name) : '', n: c.n, next: chain };
    if (chain) names.set(term, chain);
  });
  state.removed = true;
  state.countedUpTo = state.queued.length;
  // Each kept list would take most of the vault too: it is built again instead (in steps by a host's
  // catch-up, or by its next reader), and no queued note is noted against it, a lookup for each of the
  // ~600,000 definitions of 10,000 notes (~0.1 s). Not when every list is kept (the CLI keeps them up to date).
  if (!state.keepAll) {
    for (const term of state.terms.keys()) state.rebuilding.add(term);
    state.terms.clear();
    state.pending.clear();
  }
}

function addName(english: Map<string, string[]>, name: string, term: string): void {
  const list = english.get(name);
  if (!list) english.set(name, [term]);
  else if (!list.includes(term)) {
    list.push(term);
    list.sort();
  }
}

/** How many notes changed `term`'s kept list since the list was last brought up to date (0 when not kept). */
export function pendingNotesOf(index: WorkspaceIndex, term: string): number {
  return stateOf(index).pending.get(term)?.size ?? 0;
}

/** An English name of a term as the index's definitions write it, its folded form, and how many give it. */
export interface EnglishName {
  readonly name: string;
  readonly folded: string;
  readonly n: number;
}

/**
 * A reader of each term's English names in the index as it is now (definitions without one left out):
 * one catch-up with the index, then a map lookup and a short chain per term.
 */
export function englishNamesOf(index: WorkspaceIndex): (term: string) => EnglishName[] {
  const { names } = stateOf(index);
  return (term) => {
    const out: EnglishName[] = [];
    for (let c = names.get(term); c !== undefined; c = c.next) if (c.name) out.push(c);
    return out;
  };
}

/** The vocabulary of the vault as the index holds it now. */
export function lexiconOf(index: WorkspaceIndex): Lexicon {
  return currentLexicon(stateOf(index));
}

/** The lexicon of the names counted so far: the same object while no name came or went, else a new one. */
function currentLexicon(state: State): Lexicon {
  if (state.lexicon && !state.removed && state.newTerms.length === 0 && state.newNames.length === 0) return state.lexicon;
  if (state.lexicon && !state.removed) {
    // Only new pairs, already in the sets and the matcher (`grow`); a new object tells caches it changed.
    const from = state.lexicon;
    const { terms, english, matcher } = from;
    // A chain of at most 64 growths: a cache older than that scans again (and the chain stays short).
    const depth = (from.grown?.depth ?? 0) + 1;
    state.lexicon = { terms, english, matcher, grown: depth <= 64 ? { from, terms: state.newTerms, names: state.newNames, depth } : undefined };
  } else {
    const terms = new Set<string>();
    const english = new Map<string, string[]>();
    for (const [term, first] of state.names) {
      terms.add(term);
      for (let c: NameCount | undefined = first; c !== undefined; c = c.next) {
        // A folded name is taken at its last name as written in the chain, so each list gets a term once.
        if (!c.folded || hasFolded(c.next, c.folded)) continue;
        const list = english.get(c.folded);
        if (!list) english.set(c.folded, [term]);
        else list.push(term);
      }
    }
    for (const list of english.values()) if (list.length > 1) list.sort();
    state.lexicon = { terms, english, matcher: new TermMatcher(terms, english.keys()) };
  }
  // Either way a new object: caches keyed by the lexicon see that it changed.
  state.newTerms = [];
  state.newNames = [];
  state.removed = false;
  return state.lexicon;
}

/**
 * The definitions of `term` in the index, oldest note first (see `compareDefinitions`). The list is
 * shared: callers must not change it.
 */
export function indexedDefinitionsOf(index: WorkspaceIndex, term: string): readonly IndexedDefinition[] {
  const state = stateOf(index);
  let list = state.terms.get(term);
  if (list && state.keepAll) {
    // Every list is kept: no order of use to keep up.
    if (state.pending.has(term)) state.terms.set(term, (list = updateList(state, term, list)));
    return list;
  }
  if (list) {
    // Most recently used last, so the least recently used is dropped first.
    state.terms.delete(term);
    list = updateList(state, term, list);
    state.terms.set(term, list);
    return list;
  }
  return buildList(state, index, term)!;
}

/**
 * Builds the definition list of every term of `index` in one pass, and keeps every list from then on
 * (no least-recently-used limit): for a check of the whole vault (the CLI), where every term's list is
 * read. Built one at a time, each list is a pass over every definition of every note defining its term,
 * and the 2,000 kept ones were rebuilt over and over: a third of `check` at 4,000 notes. Here the notes
 * are sorted once and each definition goes to its term's list, which comes out in `compareDefinitions`
 * order as `buildList` makes it. The lists are then kept up to date as any kept list is.
 */
export function keepEveryDefinitionList(index: WorkspaceIndex): void {
  const state = stateOf(index);
  state.keepAll = true;
  const notes = notesToList(index, index.uris()).sort(compareNotes);
  const lists = new Map<string, IndexedDefinition[]>();
  for (const { summary, date } of notes) {
    const terms = summary.definitions.data.terms;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      // A list kept already stays as it is: the changes it has not taken yet are noted against it (`pending`).
      if (state.terms.has(term)) continue;
      let list = lists.get(term);
      if (!list) lists.set(term, (list = []));
      list.push(listedDefinition(state, summary, i, date));
    }
  }
  for (const [term, list] of lists) {
    state.builds.delete(term);
    state.terms.set(term, list);
  }
}

/**
 * Builds `term`'s kept list, as `indexedDefinitionsOf` would, in steps: true once it is kept, false
 * when `shouldStop` stopped it (call again to go on). At 10,000 notes a common term's list (40,845
 * definitions in 9,658 notes) took ~75 ms in one go; a host that prepares a note's diagnostics builds
 * its terms' lists this way. A build the index changed under starts again.
 */
export function prepareDefinitionsOf(index: WorkspaceIndex, term: string, shouldStop: ShouldStop): boolean {
  const state = stateOf(index);
  return state.terms.has(term) || buildList(state, index, term, shouldStop) !== undefined;
}

/** How many lists may be on their way at once (a note's terms are prepared one after the other). */
const MAX_BUILDS = 16;

/** A kept list on its way: its notes, being sorted, then their definitions, being listed. */
interface ListBuild {
  /** The index's version when the notes were collected. */
  readonly version: number;
  readonly sort: SlicedSort<NoteToList>;
  readonly list: IndexedDefinition[];
  /** How many of the sorted notes are listed. */
  listed: number;
}

interface NoteToList {
  readonly summary: NoteSummary;
  readonly date: string;
}

/** The notes of `uris` the index holds, each with the date its definitions sort by. */
function notesToList(index: WorkspaceIndex, uris: Iterable<string>): NoteToList[] {
  const notes: NoteToList[] = [];
  for (const uri of uris) {
    const summary = index.get(uri);
    if (summary) notes.push({ summary, date: sortDate(summary) });
  }
  return notes;
}

/**
 * The definition at `i` of a note, for a kept list, its comparison forms computed as it is listed: the
 * conflict check that asks next reads them all.
 */
function listedDefinition(state: State, summary: NoteSummary, i: number, date: string): IndexedDefinition {
  const d = new IndexedDefinition(summary, i, date, state.forms);
  void d.wording;
  return d;
}

function compareNotes(a: NoteToList, b: NoteToList): number {
  return (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || (a.summary.uri < b.summary.uri ? -1 : a.summary.uri > b.summary.uri ? 1 : 0);
}

/**
 * Builds (or goes on building) `term`'s list and keeps it; undefined when `shouldStop` stopped it.
 *
 * The notes in display order, then each note's definitions of the term in the order of its text (a
 * summary keeps them so): `compareDefinitions` order, with the notes sorted instead of the definitions
 * (9,658 notes against 40,845 definitions for the benchmark's common term, and no position read to
 * compare two definitions of one note). Each definition's comparison forms are computed as it is
 * listed: the conflict check that asks next reads them all.
 */
function buildList(state: State, index: WorkspaceIndex, term: string, shouldStop: ShouldStop = () => false): IndexedDefinition[] | undefined {
  let build = state.builds.get(term);
  if (!build || build.version !== index.version) {
    build = { version: index.version, sort: new SlicedSort(notesToList(index, index.notesDefining(term)), compareNotes), list: [], listed: 0 };
    // Builds left unfinished (their diagnostics abandoned for a newer version) go rather than pile up.
    if (state.builds.size >= MAX_BUILDS) state.builds.clear();
    state.builds.set(term, build);
  }
  if (!build.sort.run(shouldStop)) return undefined;
  const notes = build.sort.result!;
  const { list } = build;
  while (build.listed < notes.length) {
    const { summary, date } = notes[build.listed++]!;
    for (const i of summary.definitions.positionsOf(term)) list.push(listedDefinition(state, summary, i, date));
    if ((build.listed & 63) === 0 && build.listed < notes.length && shouldStop()) return undefined;
  }
  state.builds.delete(term);
  if (!state.keepAll && state.terms.size >= MAX_CACHED_TERMS) {
    const dropped = state.terms.keys().next().value!;
    state.terms.delete(dropped);
    state.pending.delete(dropped);
  }
  state.terms.set(term, list);
  return list;
}
