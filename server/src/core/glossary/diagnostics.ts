/**
 * Glossary consistency across the vault:
 * - `glossary-duplicate-definition`: the note defines the same term twice;
 * - `glossary-conflict`: another note defines the term differently (normalized text compared, so a
 *   different comma or full stop is no conflict), with the other definitions as related information;
 * - `glossary-english-clash`: another term claims the same English name.
 * The parser itself reports `glossary-unclosed`.
 *
 * A conflict is information, not a warning: notes written years apart legitimately explain a term in
 * different words, and the point is to make the author aware, not to demand one wording.
 */
import { wantsRelatedInformation, type DocumentContext } from '../features/context';
import { registerCodes } from '../codes';
import { t } from '../l10n';
import type { Definition, Problem } from '../parse/types';
import { comparisonOf, definitionsOf, type TermDefinition } from './definitions';
import { catchUpVocabulary, forEachOther, IndexedDefinition, indexedDefinitionsOf, lexiconOf, noteBlock, PerListVersion, prepareDefinitionsOf } from './lexicon';
import { foldEnglish } from './normalize';
import type { Steps } from '../steps';

registerCodes({
  'glossary-duplicate-definition': { severity: 'warning', area: 'glossary' },
  'glossary-conflict': { severity: 'information', area: 'glossary' },
  'glossary-english-clash': { severity: 'warning', area: 'glossary' },
});

/** How many other definitions a diagnostic links as related information. */
const MAX_RELATED = 10;
const RELATED_LENGTH = 80;

function shorten(s: string): string {
  return s.length > RELATED_LENGTH ? s.slice(0, RELATED_LENGTH - 1) + '…' : s;
}

function describe(d: Pick<TermDefinition, 'english' | 'definition'>): string {
  return shorten([d.english, d.definition].filter(Boolean).join(': '));
}

/**
 * The costly part of `glossaryDiagnostics`, in steps: each of the note's terms compared with its
 * definitions across the vault (their kept list built, itself in steps, and the comparison cached with
 * it). At 10,000 notes the first diagnostics of a note took ~0.1–0.4 s in one go, and a request sent
 * meanwhile waited for all of it; a host runs these steps in slices first.
 */
export function* prepareGlossaryDiagnostics(ctx: DocumentContext): Steps<void> {
  // The vocabulary first: right after a scan or a restart it has the whole vault to catch up with.
  while (!catchUpVocabulary(ctx.index, () => true)) yield;
  const defs = ctx.note.body.definitions;
  const seen = new Set<string>();
  for (const d of defs) {
    // A second definition of a term is a duplicate, not compared with the vault.
    if (seen.has(d.term)) continue;
    seen.add(d.term);
    // A common term's list holds tens of thousands of definitions: one small part of it a step.
    while (!prepareDefinitionsOf(ctx.index, d.term, () => true)) yield;
    differing(ctx, d);
    yield;
  }
}

export function glossaryDiagnostics(ctx: DocumentContext): Problem[] {
  const defs = ctx.note.body.definitions;
  if (defs.length === 0) return [];
  const out: Problem[] = [];
  const related = wantsRelatedInformation(ctx.settings);
  const first = new Map<string, Definition>();
  for (const d of defs) {
    const earlier = first.get(d.term);
    if (earlier) {
      const duplicate: Problem = {
        code: 'glossary-duplicate-definition',
        severity: 'warning',
        message: t('"{0}" is already defined in this note, on line {1}.', d.term, earlier.termLoc.range.start.line + 1),
        range: d.termLoc.range,
        data: { term: d.term },
      };
      out.push(related
        ? { ...duplicate, relatedInformation: [{ uri: ctx.uri, range: earlier.termLoc.range, message: t('First definition: {0}', describe(earlier)) }] }
        : duplicate);
      continue;
    }
    first.set(d.term, d);
    const conflict = conflictOf(ctx, d, related);
    if (conflict) out.push(conflict);
  }
  // One at a time: a hostile note can hold more clashes than a spread into `push` can pass.
  for (const clash of clashes(ctx)) out.push(clash);
  return out;
}

/** The other notes' definitions of a term that differ from one wording: how many notes, and the first few. */
interface Differing {
  readonly notes: number;
  readonly first: readonly TermDefinition[];
}

/** What a whole kept list holds that differs from one wording, every note's definitions included. */
interface DifferingInList {
  /** The notes with a definition that differs. */
  readonly notes: number;
  /** The first FIRST_KEPT definitions that differ, in the list's order. */
  readonly first: readonly IndexedDefinition[];
}

/**
 * How many differing definitions a list's result keeps: the first MAX_RELATED of them that are not the
 * checked note's are among these unless that note's own block holds more than the rest (then the note's
 * result is computed by a pass of its own).
 */
const FIRST_KEPT = MAX_RELATED + 32;

/**
 * `differing` results per kept definition list and version, by wording (`comparisonOf`), for every note
 * at once: a note's own definitions are taken out afterwards (they are one block of the list). Keyed by
 * note and wording, checking a whole vault (the CLI) passed over a term's list once for every note
 * defining it: quadratic in a common term (~40,000 definitions in ~9,700 notes at 10,000 notes; `check`
 * took 8 minutes). A keystroke changes one note, and the lists of the terms it did not touch stay as
 * they were: the note's ~60 conflict checks then cost a lookup and a look at the note's block each.
 */
const differingCache = new PerListVersion<DifferingInList>(256);

/** The other notes' definitions of `d.term` that differ from `d`; `first` is left empty unless `related`. */
function differing(ctx: DocumentContext, d: Definition, related = true): Differing {
  const list = indexedDefinitionsOf(ctx.index, d.term);
  const { key, differs } = comparisonOf(d);
  const all = differingCache.get(list, key, () => {
    let notes = 0;
    let last: string | undefined;
    const first: IndexedDefinition[] = [];
    // A note's definitions are next to each other in the list: a note is counted at its first that differs.
    for (const o of list) {
      if (!differs(o)) continue;
      if (o.uri !== last) notes++;
      last = o.uri;
      if (first.length < FIRST_KEPT) first.push(o);
    }
    return { notes, first };
  });
  // The note's own block, as the index holds the note (the buffer being edited may say otherwise).
  const { start, end } = noteBlock(ctx.index, list, ctx.uri);
  let own = 0;
  for (let i = start; i < end; i++) if (differs(list[i]!)) own++;
  const notes = all.notes - (own > 0 ? 1 : 0);
  const first: TermDefinition[] = [];
  if (!related) return { notes, first };
  for (const o of all.first) {
    if (first.length >= MAX_RELATED) break;
    if (o.uri !== ctx.uri) first.push(o);
  }
  // The kept ones ran out on the note's own definitions before MAX_RELATED others: a pass of its own.
  if (first.length < MAX_RELATED && all.first.length === FIRST_KEPT) {
    first.length = 0;
    forEachOther(ctx.index, list, ctx.uri, (o) => {
      if (first.length < MAX_RELATED && differs(o)) first.push(o);
    });
  }
  return { notes, first };
}

function conflictOf(ctx: DocumentContext, d: Definition, related: boolean): Problem | undefined {
  const { notes, first } = differing(ctx, d, related);
  if (notes === 0) return undefined;
  const conflict: Problem = {
    code: 'glossary-conflict',
    severity: 'information',
    message: t('"{0}" is defined differently in {1} other note(s).', d.term, notes),
    range: d.termLoc.range,
    data: { term: d.term },
  };
  if (!related) return conflict;
  return { ...conflict, relatedInformation: first.map((o) => ({ uri: o.uri, range: o.termRange, message: t('Defined there as: {0}', describe(o)) })) };
}

/** How many other terms a `glossary-english-clash` message names; the rest are counted. */
const MAX_LISTED = 10;

/** A term that claims an English name, and its definitions that give the name. */
interface Claimant {
  readonly term: string;
  readonly claims: readonly TermDefinition[];
}

/**
 * `glossary-english-clash` for each of the note's definitions whose English name another term also
 * has. The terms claiming a name (the vault's and the note's own) and their claims are found once per
 * name; each definition then takes the first few of them but its own term. Compared definition by
 * definition, a note of a few thousand terms sharing one name took minutes (2,000: 74 s).
 */
function clashes(ctx: DocumentContext): Problem[] {
  const out: Problem[] = [];
  const wantRelated = wantsRelatedInformation(ctx.settings);
  const lexicon = lexiconOf(ctx.index);
  const own = ctx.note.body.definitions;
  const ownTerms = new Map<string, Set<string>>();
  for (const o of own) {
    if (!o.english) continue;
    const name = foldEnglish(o.english);
    const set = ownTerms.get(name);
    if (set) set.add(o.term);
    else ownTerms.set(name, new Set([o.term]));
  }
  const byName = new Map<string, { readonly all: readonly Claimant[]; readonly terms: ReadonlySet<string> }>();
  const claimantsOf = (name: string) => {
    let found = byName.get(name);
    if (!found) {
      const terms = new Set(lexicon.english.get(name) ?? []);
      for (const term of ownTerms.get(name) ?? []) terms.add(term);
      const all: Claimant[] = [];
      // One term alone clashes with nobody.
      if (terms.size > 1) for (const term of [...terms].sort()) {
        const claims = definitionsOf(ctx.index, term, { uri: ctx.uri, note: ctx.note }).filter((o) => o.english && foldEnglish(o.english) === name);
        if (claims.length > 0) all.push({ term, claims });
      }
      byName.set(name, (found = { all, terms: new Set(all.map((c) => c.term)) }));
    }
    return found;
  };
  for (const d of own) {
    if (!d.english || !d.englishLoc) continue;
    const { all, terms } = claimantsOf(foldEnglish(d.english));
    const count = all.length - (terms.has(d.term) ? 1 : 0);
    if (count === 0) continue;
    const listed: string[] = [];
    const related: Array<{ uri: string; range: Problem['range']; message: string }> = [];
    for (const c of all) {
      if (c.term === d.term) continue;
      if (listed.length >= MAX_LISTED && (!wantRelated || related.length >= MAX_RELATED)) break;
      if (listed.length < MAX_LISTED) listed.push(c.term);
      if (!wantRelated) continue;
      for (const claim of c.claims) {
        if (related.length >= MAX_RELATED) break;
        related.push({ uri: claim.uri, range: claim.englishRange ?? claim.termRange, message: t('"{0}" is named {1} here', c.term, claim.english!) });
      }
    }
    out.push({
      code: 'glossary-english-clash',
      severity: 'warning',
      message: count > listed.length
        ? t('The English name "{0}" is also given to: {1} and {2} more.', d.english, listed.join(', '), count - listed.length)
        : t('The English name "{0}" is also given to: {1}.', d.english, listed.join(', ')),
      range: d.englishLoc.range,
      data: { term: d.term, english: d.english },
      ...(wantRelated ? { relatedInformation: related } : {}),
    });
  }
  return out;
}
