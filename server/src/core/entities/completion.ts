/**
 * Completion while tagging: inside an entity list item or scalar, the values used under the same kind
 * of key in other notes, ranked by how well they match, how often and how recently they are used, and
 * how often they appear with the values already in this note.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { entityKindOf, fold, KNOWN_ENTITY_KEYS } from '../index/entityKinds';
import type { NoteSummary } from '../index/summary';
import { entityId, entityIdsOf, type EntityInfo, type WorkspaceIndex } from '../index/workspaceIndex';
import { t } from '../l10n';
import { notesMarkdown } from './markdown';
import { positionAt } from '../parse/text';
import { valueContextAt, type ValueContext } from './locate';
import { watchIndex } from '../index/changes';
import { lastDateOf, recencyVersion, recentNotesOf } from './recency';
import { quoteForYaml } from './yamlText';
import { isSubsequence } from '../subsequence';

/** Longest list sent; a longer one is cut and marked incomplete so the editor asks again as the user types. */
export const MAX_COMPLETIONS = 100;

/** How well a query matches a value, best first. */
export enum Match {
  None = 0,
  Subsequence = 1,
  PinyinSubstring = 2,
  Substring = 3,
  PinyinPrefix = 4,
  WordPrefix = 5,
  Prefix = 6,
  Exact = 7,
}

/** How `query` (already folded) matches the entity: plain text first, then pinyin, then a subsequence. */
export function matchQuality(query: string, info: EntityInfo, pinyin = true): Match {
  if (query === '') return Match.Prefix;
  const v = info.folded;
  if (v === query) return Match.Exact;
  if (v.startsWith(query)) return Match.Prefix;
  if (info.words.some((w) => w.startsWith(query))) return Match.WordPrefix;
  const { full, initials } = pinyin ? info.pinyin : NO_PINYIN;
  if (full && (full.startsWith(query) || initials.startsWith(query))) return Match.PinyinPrefix;
  if (v.includes(query)) return Match.Substring;
  if (full && (full.includes(query) || initials.includes(query))) return Match.PinyinSubstring;
  if (isSubsequence(query, v) || (initials && isSubsequence(query, initials))) return Match.Subsequence;
  return Match.None;
}

const NO_PINYIN = { full: '', initials: '' };

export interface RankedValue {
  readonly info: EntityInfo;
  readonly match: Match;
  /** Notes other than this one that list it. */
  readonly notes: number;
  readonly score: number;
}

/**
 * With nothing typed every value of the kind matches, and with one letter most do; on a vault with
 * more matches than this, only this many are ranked: the best by match quality, then by the number of
 * notes listing them (the editor shows `MAX_COMPLETIONS` and asks again as the user types).
 */
export const EMPTY_QUERY_CANDIDATES = 1_000;

/** Cached query results kept per index (a few recent queries of each kind; typing narrows the last one). */
const MAX_CACHED_QUERIES = 32;

interface Matched {
  readonly info: EntityInfo;
  readonly match: Match;
}

/**
 * A cached match, with the entity's note count when it was matched (what `order` was sorted by) and the
 * day of its most recent note as last read, with the `recencyVersion` it was read at.
 */
export interface CachedMatch extends Matched {
  /** The entity's note count when the order was last made (kept up to date by `matchStateOf`). */
  size: number;
  day: number;
  dayVersion: number;
}

interface QueryCache {
  readonly kind: string;
  readonly query: string;
  readonly pinyin: boolean;
  /** entity value → its match, for the entities of `kind` that match `query`. */
  readonly matches: Map<string, CachedMatch>;
  /**
   * The matches by match quality, then note count, most first, sorted as far as ranking read them (see
   * `MatchOrder`); undefined when a change to the index moved an entity in or out, or changed its match
   * or note count, until it is asked again.
   */
  order: MatchOrder | undefined;
}

/** A match as a query's cache keeps it: its entity's note count now, its day not read yet. */
function cachedMatch(info: EntityInfo, match: Match): CachedMatch {
  return { info, match, size: info.notes.size, day: NaN, dayVersion: -1 };
}

/**
 * The candidates of a query: `sorted` says they come in `QueryCache.order`, which lets ranking stop early;
 * then `more` gives the candidates after `items`, in order, for a ranking that read all of `items`.
 */
interface Candidates {
  readonly items: readonly CachedMatch[];
  readonly sorted: boolean;
  readonly more?: () => readonly CachedMatch[];
}

interface MatchState {
  sync: () => boolean;
  /**
   * kind → the values of that kind listed by notes that changed since the caches were last brought up
   * to date, for the kinds some cached query is of (a note of this format lists ~60 entities of ten
   * kinds; completion is asked in one or two of them).
   */
  readonly touched: Map<string, Set<string>>;
  /** Least recently used first. */
  readonly queries: Map<string, QueryCache>;
}

const matchStates = new WeakMap<WorkspaceIndex, MatchState>();

/**
 * Per index and kind: the kind's values by note count, most first, and how many values the kind had
 * then. It is sorted again only when the kind has grown or shrunk by 1% (a re-indexed note replaces its
 * own values, which changes the index's list of the kind on every keystroke): between two sorts, values
 * gone from the index are skipped and counts may lag by a few notes, which only changes which values
 * with nothing typed make the first `EMPTY_QUERY_CANDIDATES` on a vault that has more.
 */
const byNotes = new WeakMap<WorkspaceIndex, Map<string, { sorted: readonly EntityInfo[]; size: number }>>();

function mostListed(index: WorkspaceIndex, kind: string, all: () => readonly EntityInfo[]): EntityInfo[] {
  let perKind = byNotes.get(index);
  if (!perKind) byNotes.set(index, (perKind = new Map()));
  let kept = perKind.get(kind);
  const size = index.kindSize(kind);
  if (!kept || Math.abs(size - kept.size) > kept.size / 100) {
    const sorted = [...all()].sort((a, b) => b.notes.size - a.notes.size || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    perKind.set(kind, (kept = { sorted, size }));
  }
  const out: EntityInfo[] = [];
  for (const info of kept.sorted) {
    if (index.entity(info.kind, info.value) !== info) continue;
    out.push(info);
    if (out.length === EMPTY_QUERY_CANDIDATES) break;
  }
  return out;
}

function matchStateOf(index: WorkspaceIndex): MatchState {
  let state = matchStates.get(index);
  if (!state) {
    const s: MatchState = { sync: () => false, touched: new Map(), queries: new Map() };
    const touch = (summary: NoteSummary) => {
      const es = summary.entities;
      let key: string | undefined;
      let values: Set<string> | undefined;
      for (let i = 0; i < es.length; i++) {
        // A list's items come in a run under one key.
        const k = es.key(i);
        if (k !== key) {
          key = k;
          values = s.touched.get(entityKindOf(k));
        }
        values?.add(es.value(i));
      }
    };
    s.sync = watchIndex(
      index,
      (before, after) => {
        if (s.touched.size === 0) return;
        if (before) touch(before);
        if (after) touch(after);
      },
      () => updateQueries(index, s),
    );
    matchStates.set(index, (state = s));
  }
  state.sync();
  updateQueries(index, state);
  return state;
}

/** Looks again at the match, in each query's cache, of every entity that appeared, disappeared or was replaced. */
function updateQueries(index: WorkspaceIndex, state: MatchState): void {
  for (const cache of state.queries.values()) {
    const touched = state.touched.get(cache.kind);
    if (touched === undefined || touched.size === 0) continue;
    for (const value of touched) {
      const old = cache.matches.get(value);
      const info = index.entity(cache.kind, value);
      if (old && info === old.info) {
        // The same entry, so the same value and match: only its note count can have changed (typing in
        // a note re-indexes it without changing any; a scan round changes many).
        if (info.notes.size !== old.size) {
          old.size = info.notes.size;
          cache.order = undefined;
        }
        continue;
      }
      const match = info ? matchQuality(cache.query, info, cache.pinyin) : Match.None;
      cache.matches.delete(value);
      if (info && match !== Match.None) cache.matches.set(value, cachedMatch(info, match));
      cache.order = undefined;
    }
  }
  // Every cache has seen them; the kinds stay, since a cache of each is kept.
  for (const values of state.touched.values()) values.clear();
}

/** Drops a cached query; a kind no cached query is of is no longer followed. */
function evict(state: MatchState, key: string): void {
  const kind = state.queries.get(key)?.kind;
  state.queries.delete(key);
  if (kind === undefined) return;
  for (const cache of state.queries.values()) if (cache.kind === kind) return;
  state.touched.delete(kind);
}

/**
 * The entities of `kind` that match `query` (folded and trimmed), with their match. A query is
 * answered from its cache when it was asked before, else by narrowing the cache of a shorter query it
 * extends (whatever matches `query` also matches each of its prefixes: a prefix, word prefix, pinyin,
 * substring or subsequence match of the longer query is one of the shorter), else by a pass over the
 * kind. The caches follow the index through the notes that change, and keep their matches sorted (see
 * `QueryCache.order`) so that ranking reads the best few hundred instead of every match.
 */
function matchesOf(index: WorkspaceIndex, kind: string, query: string, pinyin: boolean): Candidates {
  if (query === '') {
    const all = index.kindSize(kind) <= EMPTY_QUERY_CANDIDATES ? index.entitiesOfKindList(kind) : mostListed(index, kind, () => index.entitiesOfKindList(kind));
    return { items: all.map((info) => cachedMatch(info, Match.Prefix)), sorted: false };
  }
  const state = matchStateOf(index);
  const keyOf = (q: string) => `${kind}\u0000${pinyin ? 1 : 0}\u0000${q}`;
  const key = keyOf(query);
  let cache = state.queries.get(key);
  if (cache) {
    state.queries.delete(key);
  } else {
    let source: Iterable<EntityInfo> | undefined;
    for (let i = query.length - 1; i > 0; i--) {
      const shorter = state.queries.get(keyOf(query.slice(0, i)));
      if (shorter) {
        source = [...shorter.matches.values()].map((m) => m.info);
        break;
      }
    }
    const matches = new Map<string, CachedMatch>();
    for (const info of source ?? index.entitiesOfKindList(kind)) {
      const match = matchQuality(query, info, pinyin);
      if (match !== Match.None) matches.set(info.value, cachedMatch(info, match));
    }
    if (state.queries.size >= MAX_CACHED_QUERIES) evict(state, state.queries.keys().next().value!);
    cache = { kind, query, pinyin, matches, order: undefined };
    // From now on the notes that change are looked at for this kind's values too.
    if (!state.touched.has(kind)) state.touched.set(kind, new Set());
  }
  state.queries.set(key, cache);
  const order = (cache.order ??= new MatchOrder(cache.matches.values(), SORTED_AHEAD));
  return { items: order.head, sorted: true, more: () => order.more() };
}

/**
 * How many of a query's matches are sorted ahead of ranking: the `EMPTY_QUERY_CANDIDATES` it takes, with
 * room for those it skips (the values already in the list, those only the open note lists).
 */
const SORTED_AHEAD = 2 * EMPTY_QUERY_CANDIDATES;

/**
 * A query's matches by match quality, then note count, most first (ties in any order), sorted only as
 * far as they are read. While a vault is being indexed the counts change between two requests, and
 * every completion sorted all the matches again: a one-letter query matches most values of a kind, and at
 * 50,000 notes sorting them took 4 ms of a typical request during the scan, up to 15 ms. Now the `ahead`
 * best are picked by a selection (linear) and sorted; the others only when a ranking reads past them (it
 * stops after about `EMPTY_QUERY_CANDIDATES`).
 */
export class MatchOrder {
  /** The matches sorted so far: each of them sorts before any match of `rest`. */
  head: readonly CachedMatch[];
  private rest: CachedMatch[] | undefined;

  constructor(matches: Iterable<CachedMatch>, ahead: number) {
    const all = Array.from(matches);
    if (all.length <= ahead) {
      this.head = byMatchAndCount(all);
      return;
    }
    const keys = new Float64Array(all.length);
    for (let i = 0; i < all.length; i++) keys[i] = rankKey(all[i]!.match, all[i]!.size);
    // Every match whose key is at least the `ahead`-th largest (ties with it included) goes first.
    const threshold = kthLargest(keys, ahead);
    const first: CachedMatch[] = [];
    const rest: CachedMatch[] = [];
    for (const m of all) (rankKey(m.match, m.size) >= threshold ? first : rest).push(m);
    this.head = byMatchAndCount(first);
    this.rest = rest.length > 0 ? rest : undefined;
  }

  /** The matches after `head`, sorted (none when it holds them all); `head` holds every match afterwards. */
  more(): readonly CachedMatch[] {
    if (!this.rest) return [];
    const more = byMatchAndCount(this.rest);
    this.head = this.head.concat(more);
    this.rest = undefined;
    return more;
  }
}

/**
 * The matches by match quality, then note count, most first; ties in any order (ranking takes every
 * candidate tied with its last one and `bestMatched` breaks ties by value). While the vault is being
 * indexed the order changes on every request, so it is a sort of numbers: one key per match packing
 * its count and its position (the count times the number of matches plus the position stays far below
 * 2^53 for any vault), sorted as a typed array, without a comparison function.
 */
function byMatchAndCount(matches: CachedMatch[]): CachedMatch[] {
  const n = matches.length;
  const out: CachedMatch[] = [];
  for (let level = Match.Exact; level > Match.None; level--) {
    let count = 0;
    for (const m of matches) if (m.match === level) count++;
    if (count === 0) continue;
    const keys = new Float64Array(count);
    let k = 0;
    for (let i = 0; i < n; i++) if (matches[i]!.match === level) keys[k++] = matches[i]!.size * n + i;
    keys.sort();
    for (let j = count - 1; j >= 0; j--) out.push(matches[keys[j]! % n]!);
  }
  return out;
}

/** The entities the index has this note list (its saved or last indexed version), of every kind. */
function ownEntities(ctx: DocumentContext): EntityInfo[] {
  const summary = ctx.index.get(ctx.uri);
  const out: EntityInfo[] = [];
  if (summary) {
    for (const id of entityIdsOf(summary)) {
      const info = ctx.index.entityById(id);
      if (info) out.push(info);
    }
  }
  return out;
}

/** Match quality, then note count, as one number that orders candidates as `bestMatched` does. */
function rankKey(match: Match, notes: number): number {
  return match * 0x4000_0000 + notes;
}

/**
 * Matches beyond this many are ranked without co-occurrence: it is counted for the best this many by
 * match, use and recency, which with at most `MAX_COMPLETIONS` items shown decides the order of
 * everything the editor displays while keeping a request's work bounded on a vault of any size.
 */
export const COOCCURRENCE_CANDIDATES = 400;

/** Notes with more distinct entities than this do not count towards co-occurrence (as in the index). */
const MAX_COOCCURRING = 200;

/** `Date.parse` of the `YYYY-MM-DD` dates seen so far, in days (a handful of distinct dates per vault). */
const days = new Map<string, number>();

function dayOf(date: string | undefined): number {
  if (!date) return NaN;
  let day = days.get(date);
  if (day === undefined) {
    day = Date.parse(date) / 86_400_000;
    if (days.size > 100_000) days.clear();
    days.set(date, day);
  }
  return day;
}

function distinctEntities(summary: NoteSummary): number {
  return entityIdsOf(summary).length;
}

/**
 * Co-occurrence with the entities present in the note being edited, per index, for the latest set of
 * present entities. `weights` holds, for each note the index counts co-occurrence in (two to
 * `MAX_COOCCURRING` distinct entities), how many of the present entities it lists; a candidate's
 * co-occurrence is the sum of the weights of its notes (less one per note when the candidate is itself
 * present) — the same number as summing its co-occurrence count with each present entity, without
 * building those maps. Both the weights and the candidates' sums are updated note by note as the index
 * changes, so typing costs the changed note's entities, not a recount.
 */
interface Cooccurrence {
  sync: () => boolean;
  /** The present entity ids, sorted and joined: what `weights` and `together` were computed for. */
  key: string | undefined;
  present: ReadonlySet<string>;
  readonly weights: Map<string, number>;
  /** Candidate id → its co-occurrence with the present entities, for the candidates asked about. */
  readonly together: Map<string, number>;
}

const cooccurrences = new WeakMap<WorkspaceIndex, Cooccurrence>();

/** How many candidates' sums are kept before they are dropped and counted again when asked. */
const MAX_KEPT_SUMS = 20_000;

const idsOf = entityIdsOf;

function weightOf(summary: NoteSummary | undefined, present: ReadonlySet<string>): number {
  if (!summary) return 0;
  const n = distinctEntities(summary);
  if (n < 2 || n > MAX_COOCCURRING) return 0;
  let w = 0;
  for (const id of idsOf(summary)) if (present.has(id)) w++;
  return w;
}

function noteChangedForCooccurrence(co: Cooccurrence, before: NoteSummary | undefined, after: NoteSummary | undefined): void {
  if (co.key === undefined) return;
  const uri = (after ?? before)!.uri;
  const oldWeight = co.weights.get(uri) ?? 0;
  const newWeight = weightOf(after, co.present);
  if (oldWeight === 0 && newWeight === 0) return;
  if (co.together.size > 0) {
    // The note's contribution to each candidate it listed, then to each it lists now.
    if (oldWeight > 0 && before) {
      for (const id of idsOf(before)) {
        const sum = co.together.get(id);
        if (sum !== undefined) co.together.set(id, sum - (oldWeight - (co.present.has(id) ? 1 : 0)));
      }
    }
    if (newWeight > 0 && after) {
      for (const id of idsOf(after)) {
        const sum = co.together.get(id);
        if (sum !== undefined) co.together.set(id, sum + (newWeight - (co.present.has(id) ? 1 : 0)));
      }
    }
  }
  if (newWeight > 0) co.weights.set(uri, newWeight);
  else co.weights.delete(uri);
}

function cooccurrenceOf(index: WorkspaceIndex, present: ReadonlySet<string>): Cooccurrence {
  let co = cooccurrences.get(index);
  if (!co) {
    const c: Cooccurrence = { sync: () => false, key: undefined, present: new Set(), weights: new Map(), together: new Map() };
    c.sync = watchIndex(index, (before, after) => noteChangedForCooccurrence(c, before, after));
    cooccurrences.set(index, (co = c));
  }
  co.sync();
  const key = [...present].sort().join('\u0001');
  if (co.key !== key) {
    co.key = key;
    co.present = new Set(present);
    co.weights.clear();
    co.together.clear();
    const touched = new Set<string>();
    for (const id of present) for (const uri of index.entityById(id)?.notes.keys() ?? []) touched.add(uri);
    for (const uri of touched) {
      const w = weightOf(index.get(uri), present);
      if (w > 0) co.weights.set(uri, w);
    }
  }
  return co;
}

function togetherOf(co: Cooccurrence, info: EntityInfo): number {
  const kept = co.together.get(info.id);
  if (kept !== undefined) return kept;
  let together = 0;
  if (info.notes.size <= co.weights.size) {
    for (const uri of info.notes.keys()) together += co.weights.get(uri) ?? 0;
  } else {
    for (const [uri, w] of co.weights) if (info.notes.has(uri)) together += w;
  }
  // A candidate also present in the note does not co-occur with itself.
  if (co.present.has(info.id)) for (const uri of info.notes.keys()) if (co.weights.has(uri)) together--;
  if (co.together.size >= MAX_KEPT_SUMS) co.together.clear();
  co.together.set(info.id, together);
  return together;
}

/**
 * The `EMPTY_QUERY_CANDIDATES` best of many matches by match quality, then note count: a one-letter query
 * matches most values of a kind (as a subsequence), and only the best few can be shown; ranking all of
 * them would make each keystroke cost the size of the vault. Recency is then relative to these.
 */
export function bestMatched<T extends { match: Match; notes: number; info: EntityInfo }>(matched: T[]): T[] {
  const perMatch = new Array<number>(Match.Exact + 1).fill(0);
  for (const m of matched) perMatch[m.match]!++;
  let boundary: Match = Match.Exact;
  let above = 0;
  while (boundary > Match.None && above + perMatch[boundary]! < EMPTY_QUERY_CANDIDATES) above += perMatch[boundary--]!;
  const out = matched.filter((m) => m.match > boundary);
  const edge = matched.filter((m) => m.match === boundary);
  const need = EMPTY_QUERY_CANDIDATES - out.length;
  if (edge.length <= need) return out.concat(edge);
  // The `need` best of the edge by note count, then value. Sorting the whole edge (thousands of values for
  // a short query on a large vault) was most of a request; only the ties at the threshold count need it.
  const byCount = new Map<number, number>();
  for (const m of edge) byCount.set(m.notes, (byCount.get(m.notes) ?? 0) + 1);
  const counts = [...byCount.keys()].sort((a, b) => b - a);
  let threshold = counts[0]!;
  let more = 0;
  for (const c of counts) {
    threshold = c;
    if (more + byCount.get(c)! >= need) break;
    more += byCount.get(c)!;
  }
  for (const m of edge) if (m.notes > threshold) out.push(m);
  const ties = edge.filter((m) => m.notes === threshold);
  ties.sort((a, b) => (a.info.value < b.info.value ? -1 : a.info.value > b.info.value ? 1 : 0));
  for (let i = 0; i < need - more; i++) out.push(ties[i]!);
  return out;
}

/**
 * The candidates for a value context, best first: the first `limit` of them (all when not given), and
 * how many there were. Values listed only by this note are left out (the half-typed value itself is one
 * of them), and so are the values already in this list.
 *
 * The work is: one cheap match test per entity of the kind; the date of each match from a per-entity
 * cache kept in step with the index (recency.ts); and co-occurrence for the best
 * `COOCCURRENCE_CANDIDATES` only, counted from the notes of the entities present in this note.
 */
export function rankValues(ctx: DocumentContext, vc: ValueContext, limit = Infinity): { ranked: RankedValue[]; total: number } {
  const query = fold(vc.prefix).trim();
  const pinyin = ctx.settings.completion?.pinyin !== false;
  // The entities to leave out or count one note less, as objects: the loop below compares references only.
  // On a large index every read of an entity's own fields or maps is a likely cache and TLB miss, which
  // made these two checks most of a request when they were a set lookup by value and a map lookup by uri.
  const siblings: EntityInfo[] = [];
  for (const value of vc.siblings) {
    const info = ctx.index.entity(vc.kind, value);
    if (info) siblings.push(info);
  }
  const own = ownEntities(ctx);
  let matched: Array<{ info: EntityInfo; match: Match; notes: number; day: number; score: number; from: CachedMatch }> = [];
  const { items, sorted, more } = matchesOf(ctx.index, vc.kind, query, pinyin);
  // Sorted candidates come best first by (match, note count); a candidate's count here leaves out this
  // note, so it is at most that. Once `EMPTY_QUERY_CANDIDATES` are taken, `floor` is the lowest (match,
  // count) among them, and a candidate sorted below it cannot beat any of them: the rest are skipped.
  let floor = Infinity;
  // False once no later candidate can be among the best.
  const take = (from: CachedMatch): boolean => {
    const { info, match, size } = from;
    if (matched.length >= EMPTY_QUERY_CANDIDATES && sorted && rankKey(match, size) < floor) return false;
    if (siblings.includes(info)) return true;
    const notes = size - (own.includes(info) ? 1 : 0);
    if (notes === 0) return true;
    if (matched.length < EMPTY_QUERY_CANDIDATES) floor = Math.min(floor, rankKey(match, notes));
    matched.push({ info, match, notes, day: NaN, score: 0, from });
    return true;
  };
  let open = true;
  for (let i = 0; open && i < items.length; i++) open = take(items[i]!);
  if (open && more) for (const from of more()) if (!take(from)) break;
  if (matched.length > EMPTY_QUERY_CANDIDATES) matched = bestMatched(matched);
  let newest = -Infinity;
  let oldest = Infinity;
  // A cached match keeps its day while no entity's recent notes changed (typing, or nothing at all).
  const version = recencyVersion(ctx.index);
  for (const m of matched) {
    const from = m.from;
    if (from.dayVersion !== version) {
      from.day = dayOf(lastDateOf(ctx.index, m.info));
      from.dayVersion = version;
    }
    const day = (m.day = from.day);
    if (!Number.isNaN(day)) {
      if (day > newest) newest = day;
      if (day < oldest) oldest = day;
    }
  }
  // Recency is relative to the candidates: the most recently used gets the full bonus.
  const span = newest - oldest;
  for (const m of matched) {
    const recency = Number.isNaN(m.day) || !(span > 0) ? 0 : (m.day - oldest) / span;
    m.score = m.match * 1000 + 20 * Math.log2(1 + m.notes) + 15 * recency;
  }
  let candidates = matched;
  if (matched.length > COOCCURRENCE_CANDIDATES) {
    const threshold = kthLargestScore(matched, COOCCURRENCE_CANDIDATES);
    candidates = matched.filter((m) => m.score >= threshold);
  }
  // Co-occurrence is measured against every entity already in this note, of any kind.
  const present = new Set(ctx.note.entities.filter((e) => !(e.loc.start >= vc.start && e.loc.end <= vc.end)).map((e) => entityId(entityKindOf(e.key), e.value)));
  if (present.size > 0 && candidates.length > 0) {
    const co = cooccurrenceOf(ctx.index, present);
    for (const m of candidates) {
      const together = togetherOf(co, m.info);
      if (together > 0) m.score += 20 * Math.log2(1 + together);
    }
  }
  // Only the first `limit` are ordered: those scoring at least the limit-th best score (ties included).
  let shown = matched;
  if (matched.length > limit) {
    const threshold = kthLargestScore(matched, limit);
    shown = matched.filter((m) => m.score >= threshold);
  }
  const ranked: RankedValue[] = shown.map((m) => ({ info: m.info, match: m.match, notes: m.notes, score: m.score }));
  // Code-point order on ties: stable across locales and much cheaper than localeCompare on a big vault.
  ranked.sort((a, b) => b.score - a.score || (a.info.value < b.info.value ? -1 : a.info.value > b.info.value ? 1 : 0));
  if (ranked.length > limit) ranked.length = limit;
  return { ranked, total: matched.length };
}

/**
 * The `k`-th largest of the items' scores (1 ≤ k ≤ items.length), by selection in linear time: sorting a
 * thousand scores (twice a request, for co-occurrence and for the items shown) was a fifth of a
 * completion's time on a large vault.
 */
export function kthLargestScore(items: ReadonlyArray<{ readonly score: number }>, k: number): number {
  const a = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) a[i] = items[i]!.score;
  return kthLargest(a, k);
}

/** The `k`-th largest of `a` (1 ≤ k ≤ a.length), by selection in linear time; reorders `a`. */
export function kthLargest(a: Float64Array, k: number): number {
  // Hoare's selection for the element at `want` in increasing order, the pivot the middle of three.
  const want = a.length - k;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return a[want]!;
  }
  return a[want]!;
}

/** The words the editor filters by: the value, its folded form, pinyin and initials (`马斯克 masike msk`). */
export function filterTextOf(info: EntityInfo, prefix: string, pinyin = true): string {
  const parts = [info.value];
  if (info.folded !== info.value) parts.push(info.folded);
  if (pinyin && info.pinyin.full) parts.push(info.pinyin.full, info.pinyin.initials);
  // An author typing full-width letters (`ｏｐｅｎ`) is matched by the editor against a full-width form.
  if (/[\uff01-\uff5e]/.test(prefix)) parts.push(toFullWidth(info.folded));
  return parts.join(' ');
}

function toFullWidth(s: string): string {
  return s.replace(/[\x21-\x7e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

export function entityCompletion(ctx: DocumentContext, position: Position): CompletionList | undefined {
  const vc = valueContextAt(ctx, position);
  if (!vc) return undefined;
  const { ranked, total } = rankValues(ctx, vc, MAX_COMPLETIONS);
  // An unknown list (`aliases`) with nothing to offer is left to other providers (the schema's values).
  const known = (ctx.settings.entityKeys ?? KNOWN_ENTITY_KEYS).includes(vc.key) || ctx.settings.scalarEntityKeys.includes(vc.key);
  if (ranked.length === 0 && !known) return undefined;
  const range = { start: positionAt(ctx.text, vc.start), end: positionAt(ctx.text, vc.end) };
  const items: CompletionItem[] = ranked.map((r, i) => {
    const insert = vc.quote ? escapeInQuotes(r.info.value, vc.quote) : quoteForYaml(r.info.value, vc.flow);
    const data: EntityItemData = { notesense: 'entity', kind: r.info.kind, value: r.info.value };
    return {
      label: r.info.value,
      kind: CompletionItemKind.Value,
      detail: r.notes === 1 ? t('{0} · 1 note', r.info.kind) : t('{0} · {1} notes', r.info.kind, r.notes),
      data,
      sortText: String(i).padStart(5, '0'),
      filterText: filterTextOf(r.info, vc.prefix, ctx.settings.completion?.pinyin !== false),
      textEdit: { range, newText: vc.lead + insert },
    };
  });
  return { isIncomplete: total > MAX_COMPLETIONS, items };
}

/**
 * What an entity item carries for `completionItem/resolve`. Its documentation (the entity's most recent
 * notes, as Markdown links) is built only for the item the editor shows it for: for a hundred items it
 * was a large part of each completion's time and most of the bytes sent.
 */
interface EntityItemData {
  readonly notesense: 'entity';
  readonly kind: string;
  readonly value: string;
}

function isEntityItemData(data: unknown): data is EntityItemData {
  const d = data as Partial<EntityItemData> | null;
  return typeof d === 'object' && d !== null && d.notesense === 'entity' && typeof d.kind === 'string' && typeof d.value === 'string';
}

/** Adds an entity item's documentation: the most recent notes listing it. Other items come back as they are. */
export function resolveEntityItem(index: WorkspaceIndex, item: CompletionItem): CompletionItem {
  if (!isEntityItemData(item.data)) return item;
  const info = index.entity(item.data.kind, item.data.value);
  if (!info) return item;
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: notesMarkdown(recentNotesOf(index, info, 3)) } };
}

function escapeInQuotes(value: string, quote: '"' | "'"): string {
  return quote === "'" ? value.replace(/'/g, "''") : value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
