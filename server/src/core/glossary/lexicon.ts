/**
 * The glossary's vocabulary: every defined term and every English name, with the matcher built over
 * them. It is derived from the workspace index and kept per index. When the index version changes, only
 * the notes whose summary object changed are looked at again (a summary is replaced, never mutated, when
 * its note changes), and the matcher is rebuilt only if the (term, English name) pairs of one of them
 * changed. Typing in a note changes the index on every keystroke but the vocabulary almost never, so a
 * keystroke costs one identity check per note and the trie is built once per real glossary change.
 *
 * Ranges and definition texts are deliberately not kept here: they move with every edit, and
 * `index.definitionsOf(term)` gives them fresh at the moment a feature asks.
 */
import type { NoteSummary } from '../index/summary';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { TermMatcher } from './matcher';
import { foldEnglish } from './normalize';

export interface Lexicon {
  /** The terms defined anywhere in the vault. */
  readonly terms: ReadonlySet<string>;
  /** Folded English name → the terms that claim it (more than one is an English-name clash). */
  readonly english: ReadonlyMap<string, readonly string[]>;
  readonly matcher: TermMatcher;
}

interface NoteVocabulary {
  readonly summary: NoteSummary;
  /** `term\u0000folded English` of each definition, sorted and unique: what the matcher depends on. */
  readonly pairs: readonly string[];
}

interface Cached {
  version: number;
  readonly notes: Map<string, NoteVocabulary>;
  lexicon: Lexicon | undefined;
}

const cache = new WeakMap<WorkspaceIndex, Cached>();

function pairsOf(summary: NoteSummary): string[] {
  if (summary.definitions.length === 0) return [];
  const pairs = new Set<string>();
  for (const d of summary.definitions) pairs.add(`${d.term}\u0000${d.english ? foldEnglish(d.english) : ''}`);
  return [...pairs].sort();
}

function samePairs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function build(notes: Iterable<NoteVocabulary>): Lexicon {
  const terms = new Set<string>();
  const english = new Map<string, string[]>();
  for (const { pairs } of notes) {
    for (const pair of pairs) {
      const i = pair.indexOf('\u0000');
      const term = pair.slice(0, i);
      const name = pair.slice(i + 1);
      terms.add(term);
      if (!name) continue;
      const list = english.get(name);
      if (!list) english.set(name, [term]);
      else if (!list.includes(term)) list.push(term);
    }
  }
  for (const list of english.values()) list.sort();
  return { terms, english, matcher: new TermMatcher(terms, english.keys()) };
}

/** The vocabulary of the vault as the index holds it now. */
export function lexiconOf(index: WorkspaceIndex): Lexicon {
  let cached = cache.get(index);
  if (cached?.lexicon && cached.version === index.version) return cached.lexicon;
  if (!cached) cache.set(index, (cached = { version: -1, notes: new Map(), lexicon: undefined }));
  let changed = cached.lexicon === undefined;
  let present = 0;
  for (const summary of index.summaries()) {
    present++;
    const previous = cached.notes.get(summary.uri);
    if (previous?.summary === summary) continue;
    const pairs = pairsOf(summary);
    if (!previous || !samePairs(previous.pairs, pairs)) changed = true;
    cached.notes.set(summary.uri, { summary, pairs });
  }
  if (present !== cached.notes.size) {
    for (const [uri, vocabulary] of cached.notes) {
      if (index.get(uri) !== undefined) continue;
      cached.notes.delete(uri);
      if (vocabulary.pairs.length > 0) changed = true;
    }
  }
  if (changed || !cached.lexicon) cached.lexicon = build(cached.notes.values());
  cached.version = index.version;
  return cached.lexicon;
}
