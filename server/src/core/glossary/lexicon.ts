/**
 * The glossary's view of the workspace index, kept in step with it note by note: the vocabulary (every
 * defined term and every English name, with the matcher built over them) and, for the terms features
 * have asked about, their definitions across the vault in display order with their comparison forms.
 *
 * When the index version changes, only the notes whose summary object changed are looked at again (a
 * summary is replaced, never mutated, when its note changes; see `watchIndex`). The vocabulary is
 * counted per (term, English name) pair over the notes, so it changes only when a pair appears in its
 * first note or leaves its last one: typing in a note, or indexing one more note that defines known
 * terms, leaves the lexicon object (and the mentions cached against it) as it is. New pairs are added to
 * the existing matcher; only a pair that disappears makes the matcher be built again.
 *
 * The per-term definition lists are built on first use and then updated in place for each changed note
 * that defines the term, so a hover costs neither a pass over the vault nor a sort; they are kept for
 * the most recently used terms only.
 */
import type { Range } from 'vscode-languageserver-types';
import { noteDate } from '../index/entityKinds';
import type { NoteSummary } from '../index/summary';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { watchIndex } from '../entities/indexChanges';
import { TermMatcher } from './matcher';
import { foldEnglish, normalizeDefinition } from './normalize';

export interface Lexicon {
  /** The terms defined anywhere in the vault. */
  readonly terms: ReadonlySet<string>;
  /** Folded English name → the terms that claim it (more than one is an English-name clash). */
  readonly english: ReadonlyMap<string, readonly string[]>;
  readonly matcher: TermMatcher;
}

/**
 * A definition from the index (a note other than the one being edited), with the date its note sorts
 * by and its comparison forms, computed once. Its fields are those of `TermDefinition`.
 */
export class IndexedDefinition {
  private normalizedText: string | undefined;
  private foldedName: string | undefined;

  constructor(
    readonly uri: string,
    readonly term: string,
    readonly english: string | undefined,
    readonly definition: string,
    readonly range: Range,
    readonly termRange: Range,
    /** The note's date, or U+FFFF (after every date) when it has none. */
    readonly date: string,
  ) {}

  get normalized(): string {
    return (this.normalizedText ??= normalizeDefinition(this.definition));
  }

  get foldedEnglish(): string | undefined {
    if (this.english === undefined) return undefined;
    return (this.foldedName ??= foldEnglish(this.english));
  }
}

/** How many terms keep their definition lists (a hover asks for one, a note's diagnostics for ~60). */
const MAX_CACHED_TERMS = 2_000;

interface State {
  /** Brings the state up to date with the index. */
  sync: () => boolean;
  /** `term\u0000folded English` → how many notes define the term with that English name ('' for none). */
  readonly pairs: Map<string, number>;
  /** Pairs that appeared since the lexicon was built. */
  added: string[];
  /** Whether a pair disappeared since the lexicon was built (the matcher cannot drop a pattern). */
  removed: boolean;
  lexicon: { terms: Set<string>; english: Map<string, string[]>; matcher: TermMatcher } | undefined;
  /** term → its definitions in the index, in `compareDefinitions` order; least recently used first. */
  readonly terms: Map<string, IndexedDefinition[]>;
}

const states = new WeakMap<WorkspaceIndex, State>();

function pairsOf(summary: NoteSummary | undefined): Set<string> {
  const pairs = new Set<string>();
  const ds = summary?.definitions;
  if (ds) {
    for (let i = 0; i < ds.length; i++) {
      const english = ds.english(i);
      pairs.add(`${ds.term(i)}\u0000${english ? foldEnglish(english) : ''}`);
    }
  }
  return pairs;
}

/**
 * The display order of definitions from other notes: the oldest note first (by its date) — usually
 * where the author first explained the term — then by uri and position. Dates are `YYYY-MM-DD` or
 * U+FFFF, for which code-unit order is the order `localeCompare` gives.
 */
export function compareDefinitions(a: { uri: string; date: string; range: Range }, b: { uri: string; date: string; range: Range }): number {
  return (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character;
}

function indexedOf(summary: NoteSummary, term: string): IndexedDefinition[] {
  const date = noteDate(summary.uri, summary.date) ?? '\uffff';
  const out: IndexedDefinition[] = [];
  const ds = summary.definitions;
  for (let i = 0; i < ds.length; i++) {
    if (ds.term(i) !== term) continue;
    const d = ds.at(i);
    out.push(new IndexedDefinition(summary.uri, d.term, d.english, d.definition, d.range, d.termRange, date));
  }
  return out;
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

/**
 * Replaces a note's definitions of a term in its kept list. The list is ordered by (date, uri, position),
 * so a note's definitions are one block found by binary search: a change costs the block, not the list.
 */
function replaceBlock(list: IndexedDefinition[], before: NoteSummary | undefined, after: NoteSummary | undefined, term: string): void {
  const uri = (after ?? before)!.uri;
  const added = after ? indexedOf(after, term) : [];
  added.sort(compareDefinitions);
  let at = -1;
  if (before) {
    const oldDate = noteDate(uri, before.date) ?? '\uffff';
    at = blockStart(list, oldDate, uri);
    let end = at;
    while (end < list.length && list[end]!.uri === uri) end++;
    if (end > at) list.splice(at, end - at);
    if (added.length > 0 && added[0]!.date !== oldDate) at = -1;
  }
  if (added.length === 0) return;
  if (at < 0) at = blockStart(list, added[0]!.date, uri);
  list.splice(at, 0, ...added);
}

function noteChanged(state: State, before: NoteSummary | undefined, after: NoteSummary | undefined): void {
  const old = pairsOf(before);
  const now = pairsOf(after);
  for (const pair of old) {
    if (now.has(pair)) continue;
    const n = (state.pairs.get(pair) ?? 0) - 1;
    if (n > 0) state.pairs.set(pair, n);
    else {
      state.pairs.delete(pair);
      state.removed = true;
    }
  }
  for (const pair of now) {
    if (old.has(pair)) continue;
    const n = (state.pairs.get(pair) ?? 0) + 1;
    state.pairs.set(pair, n);
    if (n === 1) state.added.push(pair);
  }
  // The cached definition lists of the terms this note defined or defines now.
  if (state.terms.size === 0) return;
  const terms = new Set<string>();
  for (const s of [before, after]) {
    const ds = s?.definitions;
    if (ds) for (let i = 0; i < ds.length; i++) terms.add(ds.term(i));
  }
  for (const term of terms) {
    const list = state.terms.get(term);
    if (list) replaceBlock(list, before, after, term);
  }
}

function stateOf(index: WorkspaceIndex): State {
  let state = states.get(index);
  if (!state) {
    const s: State = { sync: () => false, pairs: new Map(), added: [], removed: false, lexicon: undefined, terms: new Map() };
    s.sync = watchIndex(index, (before, after) => noteChanged(s, before, after));
    states.set(index, (state = s));
  }
  state.sync();
  return state;
}

function split(pair: string): [term: string, name: string] {
  const i = pair.indexOf('\u0000');
  return [pair.slice(0, i), pair.slice(i + 1)];
}

function addName(english: Map<string, string[]>, name: string, term: string): void {
  const list = english.get(name);
  if (!list) english.set(name, [term]);
  else if (!list.includes(term)) {
    list.push(term);
    list.sort();
  }
}

/** The vocabulary of the vault as the index holds it now. */
export function lexiconOf(index: WorkspaceIndex): Lexicon {
  const state = stateOf(index);
  if (state.lexicon && !state.removed && state.added.length === 0) return state.lexicon;
  if (state.lexicon && !state.removed) {
    // Only new pairs: the sets and the matcher grow in place; a new object tells caches it changed.
    const { terms, english, matcher } = state.lexicon;
    for (const pair of state.added) {
      const [term, name] = split(pair);
      terms.add(term);
      matcher.addTerm(term);
      if (!name) continue;
      addName(english, name, term);
      matcher.addEnglish(name);
    }
  } else {
    const terms = new Set<string>();
    const english = new Map<string, string[]>();
    for (const pair of state.pairs.keys()) {
      const [term, name] = split(pair);
      terms.add(term);
      if (!name) continue;
      const list = english.get(name);
      if (!list) english.set(name, [term]);
      else if (!list.includes(term)) list.push(term);
    }
    for (const list of english.values()) list.sort();
    state.lexicon = { terms, english, matcher: new TermMatcher(terms, english.keys()) };
  }
  state.added = [];
  state.removed = false;
  state.lexicon = { ...state.lexicon };
  return state.lexicon;
}

/**
 * The definitions of `term` in the index, oldest note first (see `compareDefinitions`). The list is
 * shared: callers must not change it.
 */
export function indexedDefinitionsOf(index: WorkspaceIndex, term: string): readonly IndexedDefinition[] {
  const state = stateOf(index);
  let list = state.terms.get(term);
  if (list) {
    // Most recently used last, so the least recently used is dropped first.
    state.terms.delete(term);
  } else {
    list = [];
    let summary: NoteSummary | undefined;
    for (const d of index.definitionsOf(term)) {
      if (summary?.uri !== d.uri) summary = index.get(d.uri);
      const date = (summary && noteDate(summary.uri, summary.date)) ?? '\uffff';
      list.push(new IndexedDefinition(d.uri, d.term, d.english, d.definition, d.range, d.termRange, date));
    }
    list.sort(compareDefinitions);
    if (state.terms.size >= MAX_CACHED_TERMS) state.terms.delete(state.terms.keys().next().value!);
  }
  state.terms.set(term, list);
  return list;
}
