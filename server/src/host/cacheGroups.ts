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

/** Entities or terms whose lists are encoded a step (see `CacheGrouper.encodeSteps`). */
const GROUPS_A_STEP = 4_096;

/** A growing list of 32-bit integers. */
class Ints {
  a = new Int32Array(1024);
  length = 0;

  /** Appends `x`; returns its index. */
  push(x: number): number {
    if (this.length === this.a.length) {
      const grown = new Int32Array(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    this.a[this.length] = x;
    return this.length++;
  }
}

/**
 * Lists of integers, one for each of many owners (an entity's notes, a term's names), kept as chains in
 * flat arrays: a cell holds a value, a count and the next cell of its owner's list. Arrays of arrays were
 * ~150,000 small arrays at 10,000 notes, grown by `push`: most of the time and the memory of grouping.
 */
class Chains {
  private readonly value = new Ints();
  private readonly count = new Ints();
  private readonly next = new Ints();
  /** Per owner: its first and last cell (-1: none), its length. */
  private readonly head = new Ints();
  private readonly tail = new Ints();
  readonly lengths = new Ints();

  /** The value last appended to the list of `owner`, or -1 when it is empty. */
  lastValue(owner: number): number {
    const cell = this.tail.a[owner]!;
    return cell < 0 ? -1 : this.value.a[cell]!;
  }

  /** How many values all the lists hold. */
  get cells(): number {
    return this.value.length;
  }

  /** A new owner, with an empty list; returns its number. */
  owner(): number {
    this.head.push(-1);
    this.tail.push(-1);
    return this.lengths.push(0);
  }

  /** Appends `value` (with `count`) to the list of `owner`. */
  append(owner: number, value: number, count = 1): void {
    const cell = this.value.push(value);
    this.count.push(count);
    this.next.push(-1);
    const last = this.tail.a[owner]!;
    if (last < 0) this.head.a[owner] = cell;
    else this.next.a[last] = cell;
    this.tail.a[owner] = cell;
    this.lengths.a[owner]!++;
  }

  /** Adds one to the count of `value` in the list of `owner`, or appends it with a count of one. */
  countIn(owner: number, value: number): void {
    for (let cell = this.head.a[owner]!; cell >= 0; cell = this.next.a[cell]!) {
      if (this.value.a[cell] === value) {
        this.count.a[cell]!++;
        return;
      }
    }
    this.append(owner, value);
  }

  /** Writes each owner's values (and, with `counts`, then their counts), owner after owner. */
  *write(out: Out, counts: boolean): Steps<void> {
    for (const of of counts ? [this.value, this.count] : [this.value]) {
      for (let o = 0; o < this.lengths.length; o++) {
        for (let cell = this.head.a[o]!; cell >= 0; cell = this.next.a[cell]!) out.push(of.a[cell]!);
        if (o % GROUPS_A_STEP === GROUPS_A_STEP - 1) yield;
      }
    }
  }
}

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
  private readonly entityKinds = new Ints();
  private readonly entityValues = new Ints();
  /** Per entity: its (key position, count) pairs, and the record numbers listing it. */
  private readonly entityKeys = new Chains();
  private readonly entityNotes = new Chains();
  private readonly terms = new Ints();
  private readonly termNotes = new Chains();
  /** Per term: its (English name position + 1 or 0, count) pairs. */
  private readonly termNames = new Chains();
  private readonly interned = new Ints();
  private readonly internedCounts = new Ints();
  private readonly listedStart = new Ints();
  private readonly listed = new Ints();

  constructor() {
    this.listedStart.push(0);
  }

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
      const k = internedSlot[id]! - 1;
      if (k >= 0) this.internedCounts.a[k]!++;
      else {
        internedSlot[id] = this.interned.push(id) + 1;
        this.internedCounts.push(1);
      }
    };
    for (let i = 0; i < ids.keys.length; i++) intern(ids.keys[i]!);
    for (let i = 0; i < ids.english.length; i++) if (ids.english[i]! > 0) intern(ids.english[i]! - 1);
    for (let i = 0; i < ids.texts.length; i++) intern(ids.texts[i]!);

    for (let i = 0; i < ids.terms.length; i++) {
      const id = ids.terms[i]!;
      let t = termSlot[id]! - 1;
      if (t < 0) {
        t = this.terms.push(id);
        termSlot[id] = t + 1;
        this.termNotes.owner();
        this.termNames.owner();
      }
      if (this.termNotes.lastValue(t) !== note) {
        this.termNotes.append(t, note);
      }
      // Every definition's name is counted, a term defined twice in a note included.
      this.termNames.countIn(t, ids.english[i]!);
    }

    for (let i = 0; i < ids.keys.length; i++) {
      const keyId = ids.keys[i]!;
      let kind = kindSlot[keyId]! - 1;
      if (kind < 0) {
        const name = entityKindOf(keys[i]!);
        kind = this.kinds.indexOf(name);
        if (kind < 0) {
          kind = this.kinds.push(name) - 1;
          this.byKind.push(new Int32Array(kindSlot.length));
        }
        kindSlot[keyId] = kind + 1;
      }
      const valueId = ids.values[i]!;
      const values = this.byKind[kind]!;
      let e = values[valueId]! - 1;
      if (e < 0) {
        e = this.entityKinds.push(kind);
        values[valueId] = e + 1;
        this.entityValues.push(valueId);
        this.entityKeys.owner();
        this.entityNotes.owner();
      }
      this.entityKeys.countIn(e, keyId);
      if (this.entityNotes.lastValue(e) !== note) {
        this.entityNotes.append(e, note);
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
    const entities = this.entityKinds.length;
    const terms = this.terms.length;
    // The section's exact size in words (see the layout above): one allocation, no copies as it grows.
    const size = 1 + 2 * entities + (entities + 1) + 2 * this.entityKeys.cells + (entities + 1) + this.entityNotes.cells
      + 1 + terms + (terms + 1) + this.termNotes.cells + (terms + 1) + 2 * this.termNames.cells
      + 1 + 2 * this.interned.length + 1 + this.listedStart.length + this.listed.length;
    const out = new Out(size);
    const kindIds = this.kinds.map(id);
    out.push(entities);
    for (let e = 0; e < entities; e++) out.push(kindIds[this.entityKinds.a[e]!]!);
    out.append(this.entityValues);
    yield* lists(out, this.entityKeys, true);
    yield* lists(out, this.entityNotes, false);
    out.push(this.terms.length);
    out.append(this.terms);
    yield* lists(out, this.termNotes, false);
    yield* lists(out, this.termNames, true);
    out.push(this.interned.length);
    out.append(this.interned);
    out.append(this.internedCounts);
    out.push(this.records);
    out.append(this.listedStart);
    out.append(this.listed);
    if (out.length !== size) throw new Error('groups section');
    return Buffer.from(out.words.buffer, 0, out.length * 4);
  }
}

/** An array of 32-bit words of a known size, filled in order. */
class Out {
  readonly words: Uint32Array;
  length = 0;

  constructor(size: number) {
    this.words = new Uint32Array(size);
  }

  push(x: number): void {
    this.words[this.length++] = x;
  }

  append(xs: Ints): void {
    for (let i = 0; i < xs.length; i++) this.push(xs.a[i]!);
  }
}

/** Appends the start array of `chains` and then their values (and, with `counts`, their counts). */
function* lists(out: Out, chains: Chains, counts: boolean): Steps<void> {
  let at = 0;
  out.push(0);
  for (let o = 0; o < chains.lengths.length; o++) out.push((at += chains.lengths.a[o]!));
  yield* chains.write(out, counts);
}

/**
 * The groups section from word `at` to word `end` of `words`, for `records` records, as views of the
 * file's words; undefined when any number in it does not fit (a count, a start array that is not
 * increasing from 0, an empty list of notes, keys or names, a count of 0, a string, entity or record
 * position out of range, a note twice in a list, words left over).
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
  /**
   * A start array for `n` elements: from 0, never decreasing, or with `nonEmpty` always increasing (every
   * entity has notes and keys, every term notes and names; a note may list no entity).
   */
  const starts = (n: number, nonEmpty: boolean) => {
    const a = take(n + 1);
    if (a[0] !== 0) ok = false;
    for (let i = 1; i < a.length; i++) if (a[i]! < a[i - 1]! + (nonEmpty ? 1 : 0)) ok = false;
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
  const keyStart = starts(entities, true);
  const keys = below(take(last(keyStart)), n);
  const keyCounts = take(last(keyStart));
  const entityNoteStart = starts(entities, true);
  const entityNotes = below(take(last(entityNoteStart)), records);
  if (!ok) return undefined;
  increasing(entityNoteStart, entityNotes);
  const termCount = count();
  if (!ok || termCount > end - at) return undefined;
  const terms = below(take(termCount), n);
  const termNoteStart = starts(termCount, true);
  const termNotes = below(take(last(termNoteStart)), records);
  const nameStart = starts(termCount, true);
  const names = below(take(last(nameStart)), n + 1);
  const nameCounts = take(last(nameStart));
  if (!ok) return undefined;
  increasing(termNoteStart, termNotes);
  const internedCount = count();
  if (!ok || internedCount > end - at) return undefined;
  const interned = below(take(internedCount), n);
  const internedCounts = take(internedCount);
  if (count() !== records || !ok) return undefined;
  const listedStart = starts(records, false);
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
