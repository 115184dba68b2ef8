/**
 * The groups section of the index cache: what `WorkspaceIndex.addManySteps` works out from a restart's
 * notes before it looks anything up (each entity, term and interned string with the notes holding it),
 * worked out instead while the cache is written, from the very records written, and read back as typed
 * views of the file (`IndexGroups`). A restart on an unchanged vault then builds its index from them
 * (`WorkspaceIndex.addGroupedSteps`) without grouping ~600,000 (entity, note) pairs and ~3 million
 * strings again.
 *
 * Layout, in words (see `IndexGroups` for what each array holds; `n` is the count before it):
 * ```
 * E kinds[E] values[E] keyStart[E+1] keys[K] keyCounts[K] entityNoteStart[E+1] entityNotes[P]
 * T terms[T] termNoteStart[T+1] termNotes[Q] nameStart[T+1] names[R] nameCounts[R]
 * S interned[S] internedCounts[S]
 * N listedStart[N+1] listed[L]
 * ```
 * K, P, Q, R and L are the last element of the start array before them. Every number is checked when
 * the section is read, so a damaged section is never used (the restore then groups the notes itself).
 */
import { entityKindOf } from '../core/index/entityKinds';
import type { EntityForms, IndexGroups, SummaryStringIds } from '../core/index/workspaceIndex';
import type { Steps } from '../core/steps';

/** Entities, terms or notes whose groups are encoded a step (see `encodeGroupsSteps`). */
const GROUPS_A_STEP = 4_096;

/**
 * Groups the records of a cache as they are encoded, one after another, in the order `addManySteps`
 * would meet them: entities, terms, names and interned strings in the order first met, each entity's and
 * term's notes in record order, each note once.
 */
export class CacheGrouper {
  private records = 0;
  /**
   * Per string position, 1 + what it is numbered in each role (0: not met yet): its place among the
   * interned strings and the terms, and as an entity key, its kind's slot in `kinds`. Arrays indexed by
   * position, not maps: the records of 10,000 notes hold ~3 million strings, and a map lookup each
   * doubled the time of writing the cache.
   */
  private internedSlot: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private termSlot: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private kindSlot: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private readonly kinds: string[] = [];
  /** Per kind, value position → 1 + entity number. */
  private readonly byKind: Array<Int32Array<ArrayBuffer>> = [];
  private readonly entityKinds: number[] = [];
  private readonly entityValues: number[] = [];
  /** Per entity: (key position, count) pairs, the record numbers listing it, the last of them. */
  private readonly entityKeys: number[][] = [];
  private readonly entityNotes: number[][] = [];
  private readonly entityLast: number[] = [];
  private readonly terms: number[] = [];
  private readonly termNotes: number[][] = [];
  private readonly termLast: number[] = [];
  /** Per term: (English name position + 1 or 0, count) pairs. */
  private readonly termNames: number[][] = [];
  private readonly interned: number[] = [];
  private readonly internedCounts: number[] = [];
  private readonly listedStart: number[] = [0];
  private readonly listed: number[] = [];

  /** `a` long enough for position `id` (doubled as needed, zeros after what it held). */
  private static room(a: Int32Array<ArrayBuffer>, id: number): Int32Array<ArrayBuffer> {
    if (id < a.length) return a;
    let n = a.length * 2;
    while (n <= id) n *= 2;
    const grown = new Int32Array(n);
    grown.set(a);
    return grown;
  }

  /**
   * Adds the next record: its strings' positions (all below `strings`, the size of the table so far), and
   * its entity keys themselves (for their kinds).
   */
  add(ids: SummaryStringIds, keys: readonly string[], strings: number): void {
    const note = this.records++;
    const last = strings - 1;
    const internedSlot = (this.internedSlot = CacheGrouper.room(this.internedSlot, last));
    const termSlot = (this.termSlot = CacheGrouper.room(this.termSlot, last));
    const kindSlot = (this.kindSlot = CacheGrouper.room(this.kindSlot, last));
    for (let k = 0; k < this.byKind.length; k++) this.byKind[k] = CacheGrouper.room(this.byKind[k]!, last);
    const intern = (id: number) => {
      const slot = internedSlot;
      const k = slot[id]! - 1;
      if (k >= 0) this.internedCounts[k]!++;
      else {
        slot[id] = this.interned.push(id);
        this.internedCounts.push(1);
      }
    };
    for (let i = 0; i < ids.keys.length; i++) intern(ids.keys[i]!);
    for (let i = 0; i < ids.english.length; i++) if (ids.english[i]! > 0) intern(ids.english[i]! - 1);
    for (let i = 0; i < ids.texts.length; i++) intern(ids.texts[i]!);

    for (let i = 0; i < ids.terms.length; i++) {
      const id = ids.terms[i]!;
      const slot = termSlot;
      let t = slot[id]! - 1;
      if (t < 0) {
        t = this.terms.push(id) - 1;
        slot[id] = t + 1;
        this.termNotes.push([]);
        this.termLast.push(-1);
        this.termNames.push([]);
      }
      if (this.termLast[t] !== note) {
        this.termLast[t] = note;
        this.termNotes[t]!.push(note);
      }
      // Every definition's name is counted, a term defined twice in a note included.
      const names = this.termNames[t]!;
      const name = ids.english[i]!;
      let j = 0;
      while (j < names.length && names[j] !== name) j += 2;
      if (j < names.length) names[j + 1]!++;
      else names.push(name, 1);
    }

    for (let i = 0; i < ids.keys.length; i++) {
      const keyId = ids.keys[i]!;
      const kinds = kindSlot;
      let kind = kinds[keyId]! - 1;
      if (kind < 0) {
        const name = entityKindOf(keys[i]!);
        kind = this.kinds.indexOf(name);
        if (kind < 0) {
          kind = this.kinds.push(name) - 1;
          this.byKind.push(new Int32Array(kindSlot.length));
        }
        kinds[keyId] = kind + 1;
      }
      const valueId = ids.values[i]!;
      const values = this.byKind[kind]!;
      let e = values[valueId]! - 1;
      if (e < 0) {
        e = this.entityKinds.push(kind) - 1;
        values[valueId] = e + 1;
        this.entityValues.push(valueId);
        this.entityKeys.push([]);
        this.entityNotes.push([]);
        this.entityLast.push(-1);
      }
      const pairs = this.entityKeys[e]!;
      let j = 0;
      while (j < pairs.length && pairs[j] !== keyId) j += 2;
      if (j < pairs.length) pairs[j + 1]!++;
      else pairs.push(keyId, 1);
      if (this.entityLast[e] !== note) {
        this.entityLast[e] = note;
        this.entityNotes[e]!.push(note);
        this.listed.push(e);
      }
    }
    this.listedStart.push(this.listed.length);
  }

  /**
   * The section's words, in steps of GROUPS_A_STEP entities, terms or notes; `id` numbers a string in the
   * cache's table (the kinds' names are added there).
   */
  *encodeSteps(id: (s: string) => number): Steps<Buffer> {
    const out = new Out();
    const kindIds = this.kinds.map(id);
    out.push(this.entityKinds.length);
    for (const kind of this.entityKinds) out.push(kindIds[kind]!);
    out.append(this.entityValues);
    yield* lists(out, this.entityKeys, 2);
    yield* lists(out, this.entityNotes, 1);
    out.push(this.terms.length);
    out.append(this.terms);
    yield* lists(out, this.termNotes, 1);
    yield* lists(out, this.termNames, 2);
    out.push(this.interned.length);
    out.append(this.interned);
    out.append(this.internedCounts);
    out.push(this.records);
    out.append(this.listedStart);
    out.append(this.listed);
    return Buffer.from(out.words.buffer, 0, out.length * 4);
  }
}

/** A growing array of 32-bit words. */
class Out {
  words = new Uint32Array(1 << 16);
  length = 0;

  push(x: number): void {
    if (this.length === this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[this.length++] = x;
  }

  append(xs: readonly number[]): void {
    for (let i = 0; i < xs.length; i++) this.push(xs[i]!);
  }
}

/**
 * Appends the start array of `lists` and then their elements: one flat array (`per` 1), or the first and
 * then the second elements of their pairs as two (`per` 2).
 */
function* lists(out: Out, of: readonly number[][], per: 1 | 2): Steps<void> {
  let at = 0;
  out.push(0);
  for (const list of of) out.push((at += list.length / per));
  for (let half = 0; half < per; half++) {
    for (let i = 0; i < of.length; i++) {
      const list = of[i]!;
      for (let j = half; j < list.length; j += per) out.push(list[j]!);
      if (i % GROUPS_A_STEP === GROUPS_A_STEP - 1) yield;
    }
  }
}

/**
 * The groups section from word `at` to word `end` of `words`, for `records` records, as views of the
 * file's words; undefined when any number in it does not fit (a count, a start array that is not
 * increasing from 0, a string, entity or record position out of range, words left over).
 */
export function decodeGroups(words: Uint32Array, strings: readonly string[], forms: ReadonlyMap<number, EntityForms>, at: number, end: number, records: number): IndexGroups | undefined {
  let ok = true;
  const take = (n: number): Uint32Array => {
    if (!(n <= end - at)) {
      ok = false;
      return new Uint32Array(0);
    }
    const v = words.subarray(at, at + n);
    at += n;
    return v;
  };
  const count = () => take(1)[0] ?? ((ok = false), 0);
  /** Every element below `bound`. */
  const below = (a: Uint32Array, bound: number) => {
    for (let i = 0; i < a.length; i++) if (a[i]! >= bound) ok = false;
    return a;
  };
  /** A start array for `n` elements: from 0, never decreasing. */
  const starts = (n: number) => {
    const a = take(n + 1);
    if (a[0] !== 0) ok = false;
    for (let i = 1; i < a.length; i++) if (a[i]! < a[i - 1]!) ok = false;
    return a;
  };
  const last = (a: Uint32Array) => a[a.length - 1] ?? 0;
  /** Each list of `flat` (by `start`) strictly increasing: notes in record order, each once. */
  const increasing = (start: Uint32Array, flat: Uint32Array) => {
    for (let i = 0; i + 1 < start.length; i++) for (let j = start[i]! + 1; j < start[i + 1]!; j++) if (flat[j]! <= flat[j - 1]!) ok = false;
  };
  const n = strings.length;
  const entities = count();
  if (!ok || entities > end - at) return undefined;
  const entityKinds = below(take(entities), n);
  const entityValues = below(take(entities), n);
  const keyStart = starts(entities);
  const keys = below(take(last(keyStart)), n);
  const keyCounts = take(last(keyStart));
  const entityNoteStart = starts(entities);
  const entityNotes = below(take(last(entityNoteStart)), records);
  if (!ok) return undefined;
  increasing(entityNoteStart, entityNotes);
  const termCount = count();
  if (!ok || termCount > end - at) return undefined;
  const terms = below(take(termCount), n);
  const termNoteStart = starts(termCount);
  const termNotes = below(take(last(termNoteStart)), records);
  const nameStart = starts(termCount);
  const names = below(take(last(nameStart)), n + 1);
  const nameCounts = take(last(nameStart));
  if (!ok) return undefined;
  increasing(termNoteStart, termNotes);
  const internedCount = count();
  if (!ok || internedCount > end - at) return undefined;
  const interned = below(take(internedCount), n);
  const internedCounts = take(internedCount);
  if (count() !== records || !ok) return undefined;
  const listedStart = starts(records);
  const listed = below(take(last(listedStart)), entities);
  if (!ok || at !== end) return undefined;
  for (const c of [keyCounts, nameCounts, internedCounts]) for (let i = 0; i < c.length; i++) if (c[i] === 0) return undefined;
  return {
    strings, forms, entityKinds, entityValues, keyStart, keys, keyCounts, entityNoteStart, entityNotes,
    terms, termNoteStart, termNotes, nameStart, names, nameCounts, interned, internedCounts, listedStart, listed,
  };
}

/**
 * Whether `groups` count what the decoded records `batch` (every record of the file, in order) hold: as
 * many entity places, definitions and interned strings, and no note listing more distinct entities than
 * places. A section that disagrees with its records is not used.
 */
export function groupsFit(groups: IndexGroups, batch: ReadonlyArray<{ readonly ids: SummaryStringIds }>): boolean {
  if (groups.listedStart.length !== batch.length + 1) return false;
  const sum = (a: ArrayLike<number>) => {
    let n = 0;
    for (let i = 0; i < a.length; i++) n += a[i]!;
    return n;
  };
  let places = 0;
  let definitions = 0;
  let interned = 0;
  for (let i = 0; i < batch.length; i++) {
    const ids = batch[i]!.ids;
    places += ids.keys.length;
    definitions += ids.terms.length;
    interned += ids.keys.length + ids.texts.length;
    for (let j = 0; j < ids.english.length; j++) if (ids.english[j]! > 0) interned++;
    if (groups.listedStart[i + 1]! - groups.listedStart[i]! > ids.keys.length) return false;
  }
  return sum(groups.keyCounts) === places && sum(groups.nameCounts) === definitions && sum(groups.internedCounts) === interned;
}
