/**
 * The glossary's vocabulary: every defined term and every English name, with the matcher built over
 * them. It is derived from the workspace index and cached per index: when the index version changes, the
 * set of (term, English name) pairs is recomputed (one pass over the definitions, no text) and the
 * matcher is rebuilt only if that set actually changed. Typing in a note changes the index on every
 * keystroke but the vocabulary almost never, so the trie is built once per real glossary change.
 *
 * Ranges and definition texts are deliberately not cached here: they move with every edit, and
 * `index.definitionsOf(term)` gives them fresh at the moment a feature asks.
 */
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

interface Cached {
  readonly version: number;
  /** `term\u0000folded English` for every definition: what the matcher depends on. */
  readonly pairs: ReadonlySet<string>;
  readonly lexicon: Lexicon;
}

const cache = new WeakMap<WorkspaceIndex, Cached>();

function pairsOf(index: WorkspaceIndex): Set<string> {
  const pairs = new Set<string>();
  for (const { term } of index.terms()) {
    for (const d of index.definitionsOf(term)) pairs.add(`${term}\u0000${d.english ? foldEnglish(d.english) : ''}`);
  }
  return pairs;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function build(pairs: ReadonlySet<string>): Lexicon {
  const terms = new Set<string>();
  const english = new Map<string, string[]>();
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
  for (const list of english.values()) list.sort();
  return { terms, english, matcher: new TermMatcher(terms, english.keys()) };
}

/** The vocabulary of the vault as the index holds it now. */
export function lexiconOf(index: WorkspaceIndex): Lexicon {
  const hit = cache.get(index);
  if (hit && hit.version === index.version) return hit.lexicon;
  const pairs = pairsOf(index);
  const lexicon = hit && sameSet(hit.pairs, pairs) ? hit.lexicon : build(pairs);
  cache.set(index, { version: index.version, pairs, lexicon });
  return lexicon;
}
