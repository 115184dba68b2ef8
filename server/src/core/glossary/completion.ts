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
import { termPinyin } from './pinyin';
import { lexiconOf, type Lexicon } from './lexicon';
import { termOrder } from './symbols';

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
 * tens of thousands of terms, and sending them all with their definitions took seconds a request.
 */
export const MAX_GLOSSARY_ITEMS = 300;

type TermInfo = { english?: string; definition?: string };

/**
 * The other notes' terms with an English name and an explanation each, per note: kept while only that
 * note changes in the index (typing in it), since it leaves that note out; any other change (the index's
 * change log says which) makes it again, in one pass over the vault's definitions (~100 ms at 10,000
 * notes). `aligned` holds what the lexicon's sorted terms need per request (see `alignedOf`).
 */
interface VaultTerms {
  version: number;
  position: number;
  readonly uri: string;
  readonly info: Map<string, TermInfo>;
  aligned?: Aligned;
}

const vaultTerms = new WeakMap<DocumentContext['index'], VaultTerms>();

function fill(info: Map<string, TermInfo>, term: string, english: string | undefined, definition: string): void {
  let entry = info.get(term);
  if (!entry) info.set(term, (entry = {}));
  if (english && !entry.english) entry.english = english;
  if (definition && !entry.definition) entry.definition = definition;
}

function termsOfVault(ctx: DocumentContext): VaultTerms {
  const { index } = ctx;
  const kept = vaultTerms.get(index);
  if (kept && kept.uri === ctx.uri) {
    if (kept.version === index.version) return kept;
    const changed = index.changedSince(kept.position);
    if (changed && changed.every((uri) => uri === ctx.uri)) {
      kept.version = index.version;
      kept.position = index.logPosition;
      return kept;
    }
  }
  // One pass over the definitions: cheaper than asking the index term by term, with thousands of terms.
  const info = new Map<string, TermInfo>();
  for (const summary of index.summaries()) {
    if (summary.uri === ctx.uri) continue;
    const ds = summary.definitions;
    for (let i = 0; i < ds.length; i++) fill(info, ds.term(i), ds.english(i), ds.definition(i));
  }
  const made: VaultTerms = { version: index.version, position: index.logPosition, uri: ctx.uri, info };
  vaultTerms.set(index, made);
  return made;
}

/**
 * The lexicon's terms in `termOrder` (see `sortedTerms`) with what a request compares for each: whether
 * another note defines it, its first English name in lower case, its pinyin. Arrays read in order, so
 * that a request over ~100,000 terms does no map lookup per term.
 */
interface Aligned extends SortedTerms {
  readonly lexicon: Lexicon;
  readonly inVault: Uint8Array;
  readonly english: ReadonlyArray<string | undefined>;
}

function alignedOf(ctx: DocumentContext, vault: VaultTerms): Aligned {
  const lexicon = lexiconOf(ctx.index);
  if (vault.aligned?.lexicon === lexicon) return vault.aligned;
  const sorted = sortedTerms(lexicon);
  const { terms } = sorted;
  const inVault = new Uint8Array(terms.length);
  const english: Array<string | undefined> = new Array<string | undefined>(terms.length).fill(undefined);
  for (let i = 0; i < terms.length; i++) {
    const found = vault.info.get(terms[i]!);
    if (!found) continue;
    inVault[i] = 1;
    english[i] = found.english?.toLowerCase();
  }
  return (vault.aligned = { ...sorted, lexicon, inVault, english });
}

/**
 * How well a term matches the typed prefix (folded): 3 the term itself, 2 its pinyin (`full` or
 * `initials`), 1 its English name (`english`, in lower case) or a part of the term, else 0.
 */
function prefixMatch(term: string, full: string, initials: string, english: string | undefined, prefix: string): number {
  if (prefix === '' || term.startsWith(prefix)) return 3;
  if (full.startsWith(prefix) || initials.startsWith(prefix)) return 2;
  if (english?.startsWith(prefix)) return 1;
  return term.includes(prefix) ? 1 : 0;
}

/**
 * The vault's terms in `termOrder` with their pinyin, per lexicon: a lexicon is replaced only when the
 * vocabulary changes, so typing does not sort again. One that only grew takes its predecessor's order
 * with the new terms put in their places. Sorting the terms of a 10,000-note vault with the collator took
 * ~50 ms, paid by every completion after `**`.
 */
interface SortedTerms {
  readonly terms: string[];
  readonly full: string[];
  readonly initials: string[];
}

const termOrders = new WeakMap<Lexicon, SortedTerms>();

function sortedTerms(lexicon: Lexicon): SortedTerms {
  const kept = termOrders.get(lexicon);
  if (kept) return kept;
  const before = lexicon.grown && termOrders.get(lexicon.grown.from);
  let sorted: SortedTerms;
  if (before && lexicon.grown!.terms.length < 64) {
    sorted = { terms: before.terms.slice(), full: before.full.slice(), initials: before.initials.slice() };
    for (const term of lexicon.grown!.terms) {
      const at = insertionPoint(sorted.terms, term);
      const p = termPinyin(term);
      sorted.terms.splice(at, 0, term);
      sorted.full.splice(at, 0, p.full);
      sorted.initials.splice(at, 0, p.initials);
    }
  } else {
    const terms = [...lexicon.terms].sort(termOrder.compare);
    const pinyin = terms.map((t) => termPinyin(t));
    sorted = { terms, full: pinyin.map((p) => p.full), initials: pinyin.map((p) => p.initials) };
  }
  termOrders.set(lexicon, sorted);
  return sorted;
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
  // This note's definitions first, then the vault's.
  const own = new Map<string, TermInfo>();
  for (const d of ctx.note.body.definitions) fill(own, d.term, d.english, d.definition);
  const kept = termsOfVault(ctx);
  const vault = kept.info;
  const infoOf = (term: string): TermInfo => {
    const mine = own.get(term);
    const theirs = vault.get(term);
    if (!mine) return theirs!;
    if (!theirs) return mine;
    return { english: mine.english || theirs.english, definition: mine.definition || theirs.definition };
  };
  let known = vault.size;
  for (const term of own.keys()) if (!vault.has(term)) known++;
  if (known === 0) return undefined;
  const closed = ctx.text.startsWith('**', offset);
  // The opener is on the cursor's line, so the typed prefix is `offset - start` UTF-16 units long.
  const range = { start: { line: position.line, character: position.character - (offset - start) }, end: position };
  const items: CompletionItem[] = [];
  let sorted: string[];
  let isIncomplete = false;
  if (known > MAX_GLOSSARY_ITEMS) {
    sorted = bestMatches(ctx, own, kept, ctx.text.slice(start, offset).toLowerCase());
    isIncomplete = true;
  } else sorted = [...new Set([...own.keys(), ...vault.keys()])].sort(termOrder.compare);
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
    if (text) item.documentation = { kind: MarkupKind.Markdown, value: escapeMarkdown(text) };
    items.push(item);
  });
  return { isIncomplete, items };
}

/**
 * The `MAX_GLOSSARY_ITEMS` terms that match `prefix` best (`prefixMatch`), each class in `termOrder`: the
 * vault's terms are read in that order (`alignedOf`), each into its class, until the best class is
 * full; this note's own terms go into their classes by binary search.
 */
function bestMatches(ctx: DocumentContext, own: ReadonlyMap<string, TermInfo>, vault: VaultTerms, prefix: string): string[] {
  const classes: string[][] = [[], [], [], []];
  const { terms, full, initials, inVault, english } = alignedOf(ctx, vault);
  for (let i = 0; i < terms.length; i++) {
    if (classes[3]!.length >= MAX_GLOSSARY_ITEMS) break;
    // The lexicon also knows the terms only this note defines (in the index's copy of it); this note's
    // own terms are placed below.
    if (inVault[i] === 0) continue;
    const term = terms[i]!;
    if (own.has(term)) continue;
    const match = prefixMatch(term, full[i]!, initials[i]!, english[i], prefix);
    if (match > 0) classes[match]!.push(term);
  }
  for (const [term, mine] of own) {
    const pinyin = termPinyin(term);
    const match = prefixMatch(term, pinyin.full, pinyin.initials, (mine.english || vault.info.get(term)?.english)?.toLowerCase(), prefix);
    if (match > 0) classes[match]!.splice(insertionPoint(classes[match]!, term), 0, term);
  }
  return [...classes[3]!, ...classes[2]!, ...classes[1]!].slice(0, MAX_GLOSSARY_ITEMS);
}
