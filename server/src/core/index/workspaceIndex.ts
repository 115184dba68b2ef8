/**
 * The workspace index: one summary per note, and maps derived from them (entity → notes, term →
 * definitions, bold text → notes, title → notes). It is updated one note at a time: `set` removes the
 * note's old contributions and adds its new ones, so no edit ever costs a pass over the whole vault.
 * `snapshot()` gives a deterministic picture of all of it, so a test can check that an index updated
 * note by note equals one rebuilt from scratch.
 */
import type { Range } from 'vscode-languageserver-types';
import { entityKindOf, fold, noteDate, pinyinForms, spellingKey, wordsOf, type PinyinForms } from './entityKinds';
import type { DefinitionItem, NoteSummary, SummaryData } from './summary';

export interface EntityKey {
  readonly key: string;
  readonly value: string;
}

/** One place a note lists an entity value. */
export interface EntityPlace {
  readonly key: string;
  readonly range: Range;
}

/** What the index knows of one entity value of one kind (`people` covers `guest` and `speaker`). */
export interface EntityInfo {
  readonly id: string;
  readonly kind: string;
  readonly value: string;
  /** Case- and width-folded value, for matching. */
  readonly folded: string;
  /** The folded words, for word-start matches. */
  readonly words: readonly string[];
  /** Folded without spaces and joiners, shared by near duplicates. */
  readonly spelling: string;
  readonly pinyin: PinyinForms;
  /** How many times each key lists it (`people` 10, `guest` 2). */
  readonly keys: ReadonlyMap<string, number>;
  /**
   * The notes that list it, with where each does: the position (or positions, in order) of the value in
   * the note's summary entity list. `WorkspaceIndex.placesOf` turns them into keys and ranges.
   */
  readonly notes: ReadonlyMap<string, PlaceIndexes>;
  /** Other entity ids → number of notes listing both. */
  readonly cooccurrence: ReadonlyMap<string, number>;
}

/**
 * Where a note lists an entity, as positions in its summary's entity list: a number for the usual single
 * place, an array for more (`people` and `guest`). Numbers, not objects: at 10,000 notes of ~60 entities an
 * object (and a one-element array) per place was over a million small objects for the garbage collector.
 */
export type PlaceIndexes = number | readonly number[];

/** The positions of `PlaceIndexes` as a list. */
export function placeIndexes(at: PlaceIndexes): readonly number[] {
  return typeof at === 'number' ? [at] : at;
}

/** Lists up to this long are searched from end to end; longer ones get a map from uri to position. */
const LINEAR_PLACES = 16;

/**
 * Lists shorter than this grow by a copy one longer, not by `push`. A pushed array reserves room for
 * about 16 more elements (V8 grows a backing store by half plus 16), so a list of one note took ~190
 * bytes instead of ~60. Most entities and terms are listed by a few notes, and at 10,000 notes that room
 * was ~12 MB of the index's heap. Past this length the room is at most about half the list.
 */
const EXACT_BELOW = 16;

/**
 * `list` with `item` after its elements: an exact-size copy while short (see `EXACT_BELOW`), else pushed
 * in place. The copy is made by `concat`, which keeps the array packed (an array made by `new Array(n)`
 * has holes to the engine, and every read of it checks for them).
 */
export function appended<T>(list: T[], item: T): T[] {
  if (list.length >= EXACT_BELOW) {
    list.push(item);
    return list;
  }
  return list.concat([item]);
}

/**
 * The notes listing an entity, with where each lists it (`EntityInfo.notes`): an array of uris, in the
 * order the notes came, read through the `ReadonlyMap` interface. Not a `Map`: a cold index or a restart
 * adds ~600,000 (entity, note) pairs, and a push costs far less than a hash insert into one of 56,000
 * growing tables, in time and in memory. A lookup by uri (rename, references, completion's
 * co-occurrence) searches a short list and builds a map for a long one, which is then kept up to date as
 * notes are added and dropped when one is removed.
 *
 * Where a note lists the entity (the map's values) is not stored: it is read from the note's summary
 * when asked, by its owner (`EntityEntry.placesIn`), a scan of the note's ~60 items. Stored, those
 * positions took ~8 MB at 10,000 notes, for rename and the places of a few notes at a time.
 */
class NotePlaces implements ReadonlyMap<string, PlaceIndexes> {
  private uris: string[] = [];
  private positions: Map<string, number> | undefined;

  constructor(private readonly owner: EntityEntry) {}

  get size(): number {
    return this.uris.length;
  }

  /** Adds a note after the others. */
  add(uri: string): void {
    this.positions?.set(uri, this.uris.length);
    this.uris = appended(this.uris, uri);
  }

  /** Adds notes after the others (distinct, none there yet); the array may be kept. */
  addAll(uris: string[]): void {
    if (this.uris.length === 0 && !this.positions) {
      this.uris = uris;
      return;
    }
    for (let i = 0; i < uris.length; i++) {
      this.positions?.set(uris[i]!, this.uris.length);
      this.uris = appended(this.uris, uris[i]!);
    }
  }

  delete(uri: string): boolean {
    const i = this.find(uri);
    if (i < 0) return false;
    this.uris.splice(i, 1);
    // The notes after it moved down one place: the map is made again when next needed.
    this.positions = undefined;
    return true;
  }

  private find(uri: string): number {
    if (this.uris.length <= LINEAR_PLACES) return this.uris.indexOf(uri);
    if (!this.positions) {
      this.positions = new Map();
      for (let i = 0; i < this.uris.length; i++) this.positions.set(this.uris[i]!, i);
    }
    return this.positions.get(uri) ?? -1;
  }

  get(uri: string): PlaceIndexes | undefined {
    return this.find(uri) < 0 ? undefined : this.owner.placesIn(uri);
  }

  has(uri: string): boolean {
    return this.find(uri) >= 0;
  }

  forEach(f: (at: PlaceIndexes, uri: string, map: ReadonlyMap<string, PlaceIndexes>) => void): void {
    for (let i = 0; i < this.uris.length; i++) f(this.owner.placesIn(this.uris[i]!), this.uris[i]!, this);
  }

  keys(): MapIterator<string> {
    return this.uris.values();
  }

  *values(): MapIterator<PlaceIndexes> {
    for (let i = 0; i < this.uris.length; i++) yield this.owner.placesIn(this.uris[i]!);
  }

  *entries(): MapIterator<[string, PlaceIndexes]> {
    for (let i = 0; i < this.uris.length; i++) yield [this.uris[i]!, this.owner.placesIn(this.uris[i]!)];
  }

  [Symbol.iterator](): MapIterator<[string, PlaceIndexes]> {
    return this.entries();
  }
}

const NO_PLACES: readonly number[] = [];

/** What an entity entry derives from its value for matching (see `EntityInfo`); a function of the value only. */
export interface EntityForms {
  readonly folded: string;
  readonly words: readonly string[];
  readonly spelling: string;
  readonly pinyin: PinyinForms;
}

/**
 * An entity's entry: a class, so that the ~56,000 entries of a 10,000-note vault share one shape with
 * their fields in the object and the getter on the prototype. As object literals with a getter each was
 * a dictionary-mode object with a closure: ~1 KB an entry, 47 MB at 10,000 notes.
 */
class EntityEntry implements EntityInfo {
  readonly folded: string;
  readonly words: readonly string[];
  readonly spelling: string;
  readonly pinyin: PinyinForms;
  readonly notes: NotePlaces = new NotePlaces(this);
  /**
   * How many times each key lists it, as `keys` reports it: almost every entity is listed under one key,
   * so that key and its count are kept as two fields, and a map only for the others.
   */
  private key: string | undefined;
  private keyCount = 0;
  private otherKeys: Map<string, number> | undefined;

  constructor(private index: WorkspaceIndex, readonly id: string, readonly kind: string, readonly value: string, forms?: EntityForms) {
    if (forms) {
      ({ spelling: this.spelling, folded: this.folded, words: this.words, pinyin: this.pinyin } = forms);
      return;
    }
    this.spelling = spellingKey(value);
    this.folded = fold(value);
    // A copy of exactly the words' length: the array `split` and `filter` build has room for more. A
    // value of one word keeps its folded form as that word rather than a copy of it.
    const words = wordsOf(this.folded);
    this.words = words.length === 1 && words[0] === this.folded ? [this.folded] : words.slice();
    this.pinyin = pinyinForms(value);
  }

  get cooccurrence(): ReadonlyMap<string, number> {
    return this.index.cooccurrenceOf(this);
  }

  /**
   * The positions of the items of `uri`'s summary that list this entity (its kind and value), in the
   * note's order: one number, or several (`people` and `guest` both list a person). None when the index
   * holds no summary of the note or the note does not list the entity (not the case for the notes of
   * `notes`).
   */
  placesIn(uri: string): PlaceIndexes {
    const es = this.index.get(uri)?.entities;
    let first = -1;
    let more: number[] | undefined;
    if (es) {
      for (let i = 0; i < es.length; i++) {
        if (es.value(i) !== this.value || entityKindOf(es.key(i)) !== this.kind) continue;
        if (first < 0) first = i;
        else (more ??= [first]).push(i);
      }
    }
    return more ?? (first >= 0 ? first : NO_PLACES);
  }

  /** The index it belongs to from now on (see `WorkspaceIndex.adopt`). */
  moveTo(index: WorkspaceIndex): void {
    this.index = index;
  }

  get keys(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    if (this.key !== undefined) out.set(this.key, this.keyCount);
    if (this.otherKeys) for (const [k, n] of this.otherKeys) out.set(k, n);
    return out;
  }

  /** `count` more places (one by default) listing it under `key`. */
  addKey(key: string, count = 1): void {
    if (this.key === undefined || this.key === key) {
      this.key = key;
      this.keyCount += count;
    } else {
      this.otherKeys ??= new Map();
      this.otherKeys.set(key, (this.otherKeys.get(key) ?? 0) + count);
    }
  }

  /** One place fewer listing it under `key`. */
  removeKey(key: string): void {
    if (this.key === key) {
      if (--this.keyCount > 0) return;
      this.key = undefined;
      // Another key, if any, takes the fields.
      const next = this.otherKeys?.entries().next();
      if (next && !next.done) {
        [this.key, this.keyCount] = next.value;
        this.otherKeys!.delete(this.key);
      }
    } else if (this.otherKeys) {
      const n = (this.otherKeys.get(key) ?? 0) - 1;
      if (n > 0) this.otherKeys.set(key, n);
      else this.otherKeys.delete(key);
    }
    if (this.otherKeys?.size === 0) this.otherKeys = undefined;
  }
}

/**
 * Where each string of a summary sits in a table of distinct strings (see `WorkspaceIndex.addMany`): the
 * index cache stores a note's strings as positions in one table for the whole vault. `english` holds the
 * position plus one, 0 for a definition without an English name.
 */
export interface SummaryStringIds {
  readonly keys: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly terms: ArrayLike<number>;
  readonly english: ArrayLike<number>;
  readonly texts: ArrayLike<number>;
}

/**
 * A table of distinct strings that notes given to `WorkspaceIndex.addMany` take their strings from, with
 * the scratch arrays `addMany` numbers them in (one slot a string, allocated once for all the batches of
 * a restart; each batch leaves them as it found them).
 */
export class StringTable {
  /** Per string: 1 + its position among what the batch met, or 0 (reset after each use). */
  readonly slot: Int32Array;
  /** Per string: the stamp of the last note that met it (terms met twice in a note count once). */
  readonly seen: Int32Array;
  stamp = 0;
  private readonly kinds = new Map<number, { readonly kind: string; readonly numbers: Int32Array }>();
  private readonly byKind = new Map<string, Int32Array>();

  /**
   * @param forms the matching forms of entity values (by the value's position), as the index computed
   * them when it wrote the table: at a restart computing them again (pinyin above all) was a third of
   * building the index of 50,000 entities.
   */
  constructor(
    readonly strings: readonly string[],
    readonly forms: ReadonlyMap<number, EntityForms> = new Map(),
  ) {
    this.slot = new Int32Array(strings.length);
    this.seen = new Int32Array(strings.length);
  }

  /** The kind of the entity key at `keyId`, and its per-value numbers (1 + entity number, or 0). */
  numbersOf(keyId: number, key: string): { readonly kind: string; readonly numbers: Int32Array } {
    let k = this.kinds.get(keyId);
    if (!k) {
      const kind = entityKindOf(key);
      let numbers = this.byKind.get(kind);
      if (!numbers) this.byKind.set(kind, (numbers = new Int32Array(this.strings.length)));
      this.kinds.set(keyId, (k = { kind, numbers }));
    }
    return k;
  }
}

/**
 * What `addManySteps` works out from a batch of notes before it looks anything up, worked out ahead (the
 * index cache computes it as it writes its records, and a restart takes it as it is): the batch's
 * entities, terms and interned strings, each with the notes (positions in the batch) that hold it. Every
 * string is a position in `strings`; each `…Start` array has one more element than what it indexes, and
 * the range `start[i]..start[i + 1]` of the flat array after it belongs to element `i`.
 */
export interface IndexGroups {
  readonly strings: readonly string[];
  /** The matching forms of entity values, by the value's position (see `StringTable`). */
  readonly forms: ReadonlyMap<number, EntityForms>;
  /** The entities, in the order the batch first lists them: kind and value. */
  readonly entityKinds: ArrayLike<number>;
  readonly entityValues: ArrayLike<number>;
  /** Each entity's keys in the order first met, with how many places list it under each. */
  readonly keyStart: ArrayLike<number>;
  readonly keys: ArrayLike<number>;
  readonly keyCounts: ArrayLike<number>;
  /** Each entity's notes, in batch order, each once. */
  readonly entityNoteStart: ArrayLike<number>;
  readonly entityNotes: ArrayLike<number>;
  /** The terms, in the order first defined, each with its notes (in batch order, each once). */
  readonly terms: ArrayLike<number>;
  readonly termNoteStart: ArrayLike<number>;
  readonly termNotes: ArrayLike<number>;
  /** Each term's English names (position + 1, 0 for none) in the order first given, with their counts. */
  readonly nameStart: ArrayLike<number>;
  readonly names: ArrayLike<number>;
  readonly nameCounts: ArrayLike<number>;
  /** The interned strings (entity keys, English names, definition texts) with how many times the batch holds each. */
  readonly interned: ArrayLike<number>;
  readonly internedCounts: ArrayLike<number>;
  /** Each note's distinct entities (their numbers above), in first-listed order. */
  readonly listedStart: ArrayLike<number>;
  readonly listed: ArrayLike<number>;
}

/** A summary holding the strings of a `StringTable`, with their positions in it (see `addMany`). */
export interface SummaryWithIds {
  readonly summary: NoteSummary;
  readonly ids: SummaryStringIds;
}

/**
 * Puts in `a` the copy `to` gives for each string's table position (`ids`, less `base`; positions below
 * `base` stand for no string and are left alone): `slot` maps a position to 1 + its place in `to`.
 */
function remap(a: Array<string | null>, ids: ArrayLike<number>, base: number, slot: Int32Array, to: readonly string[]): void {
  for (let i = 0; i < a.length; i++) {
    const id = ids[i]!;
    if (id >= base) a[i] = to[slot[id - base]! - 1]!;
  }
}

/** A function that is true once every `step` calls: time for a step of work to yield. */
function ticker(step: number): () => boolean {
  let budget = step;
  return () => {
    if (--budget > 0) return false;
    budget = step;
    return true;
  };
}

/** The change log keeps at least this many changes (see `changedSince`). */
const MIN_LOG = 1024;

/** Notes with more distinct entities than this do not count towards co-occurrence (it grows quadratically). */
const MAX_COOCCURRING = 200;

export function entityId(kind: string, value: string): string {
  return `${kind}\u0000${value}`;
}

/** The distinct entity ids of each summary seen (summaries are never mutated, so this never goes stale). */
const summaryIds = new WeakMap<NoteSummary, readonly string[]>();

/**
 * The distinct entity ids a note lists, in first-listed order. Kept per summary object: completion's
 * co-occurrence and the recency cache ask for them on every note that changes, and building the ids
 * (a string each) every time was most of their cost. The index fills it in `set` from its entries.
 */
export function entityIdsOf(summary: NoteSummary): readonly string[] {
  let ids = summaryIds.get(summary);
  if (!ids) {
    const set = new Set<string>();
    const es = summary.entities;
    for (let i = 0; i < es.length; i++) set.add(entityId(entityKindOf(es.key(i)), es.value(i)));
    summaryIds.set(summary, (ids = [...set]));
  }
  return ids;
}

/** Whether two arrays hold equal strings (or nulls) in the same order. */
function sameStrings(a: ReadonlyArray<string | null>, b: ReadonlyArray<string | null>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether two summaries list the same entity items, with the same keys, styles and places. */
function sameEntities(a: SummaryData['entities'], b: SummaryData['entities']): boolean {
  const n = a.keys.length;
  if (b.keys.length !== n || a.ranges.length !== b.ranges.length) return false;
  for (let i = 0; i < n; i++) {
    if (a.keys[i] !== b.keys[i] || a.values[i] !== b.values[i] || a.styles[i] !== b.styles[i]) return false;
  }
  for (let i = 0; i < a.ranges.length; i++) if (a.ranges[i] !== b.ranges[i]) return false;
  return true;
}

export class WorkspaceIndex {
  private notes = new Map<string, NoteSummary>();
  /** One copy of each string the summaries hold (entity values, terms, bold texts repeat across notes). */
  private strings = new Interner();
  /** term → uris of the notes that define it, and its English names with their counts (see `TermName`). */
  private termNotes = new Postings();
  /**
   * kind → value → everything known of the entity. Two levels, not one map by `kind\u0000value`: `set`
   * looks an entry up for every listed value of every note, and a concatenated key is a new string to
   * build and hash each time. The inner maps are also each kind's entities, in the order they appeared.
   */
  private entries = new Map<string, Map<string, EntityEntry>>();
  private entryCount = 0;
  /** value → entries (one per kind that lists it). */
  private byValue = new Groups<EntityEntry>();
  /** `kind\u0000spelling key` → entries: the near-duplicate groups. */
  private bySpelling = new Groups<EntityEntry>();
  /** title → uris of the notes with that title. */
  private titleNotes = new Postings();
  /** kind → its entities as an array (completion iterates it on every keystroke). */
  private kindLists = new Map<string, EntityInfo[]>();
  /** Co-occurrence counts computed so far for `togetherVersion` (see `cooccurrenceOf`). */
  private together = new Map<string, Map<string, number>>();
  private togetherVersion = -1;
  /** Incremented on every change, so callers can cache per version. */
  private changes = 0;
  /** The uris of the notes set or deleted, oldest first; `log[0]` is change number `logStart`. */
  private log: string[] = [];
  private logStart = 0;
  /** The positions the log must keep reaching back to (see `holdLog`), with how many holders each. */
  private holds = new Map<number, number>();

  get size(): number {
    return this.notes.size;
  }

  get version(): number {
    return this.changes;
  }

  /** How many distinct strings the summaries in the index hold (each is kept once). */
  get distinctStrings(): number {
    return this.strings.size + this.termNotes.size + this.entryCount;
  }

  get(uri: string): NoteSummary | undefined {
    return this.notes.get(uri);
  }

  /** Where the change log ends now: what `changedSince` takes to report the changes made after this. */
  get logPosition(): number {
    return this.logStart + this.log.length;
  }

  /**
   * The uris of the notes set or deleted since `position` (a `logPosition`), oldest first, a note once
   * per change; undefined when the log no longer reaches back that far, and the caller must compare
   * every note instead. A cache that follows the index reads this rather than walking 10,000 notes to
   * find the one a keystroke changed.
   */
  changedSince(position: number): readonly string[] | undefined {
    if (position < this.logStart || position > this.logPosition) return undefined;
    return this.log.slice(position - this.logStart);
  }

  private logged(uri: string): void {
    this.log.push(uri);
    // The log keeps at least as many changes as there are notes: a reader further behind than that has
    // as much to look at either way, and a full comparison is what it gets. A held position is kept.
    if (this.log.length > Math.max(MIN_LOG, 2 * this.notes.size)) {
      let drop = this.log.length >> 1;
      for (const position of this.holds.keys()) drop = Math.min(drop, position - this.logStart);
      if (drop <= 0) return;
      this.log = this.log.slice(drop);
      this.logStart += drop;
    }
  }

  /**
   * Keeps the log reaching back to `position` (a `logPosition`) until the returned function is called,
   * however many changes come meanwhile. `adopt` needs the changes since an index began to be built
   * apart: a note deleted meanwhile is only known from the log (a full comparison cannot tell it from a
   * note the built index holds and the live one never did), and a restore that ran while a checkout
   * changed thousands of notes would otherwise find the log cut short and keep the deleted note.
   */
  holdLog(position: number): () => void {
    this.holds.set(position, (this.holds.get(position) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const n = (this.holds.get(position) ?? 1) - 1;
      if (n > 0) this.holds.set(position, n);
      else this.holds.delete(position);
    };
  }

  uris(): IterableIterator<string> {
    return this.notes.keys();
  }

  summaries(): IterableIterator<NoteSummary> {
    return this.notes.values();
  }

  set(summary: NoteSummary): void {
    const uri = summary.uri;
    this.logged(uri);
    // The note's old contributions go first, but an entity it still lists keeps its entry (and its folded
    // and pinyin forms) instead of being dropped and made again: a keystroke costs only what changed.
    const old = this.notes.get(uri);
    if (old && sameEntities(old.data.entities, summary.data.entities)) {
      // The usual keystroke: the body changed, the front matter's list items did not (nor moved). Every
      // entity entry already says where this note lists what, so only what differs from the old summary
      // is looked up in the vault-wide maps: each lookup there is a likely cache miss at 10,000 notes.
      this.changes++;
      this.notes.set(uri, summary);
      const terms = summary.data.definitions.terms;
      const oldTerms = old.data.definitions.terms;
      const english = summary.data.definitions.english;
      const oldEnglish = old.data.definitions.english;
      if (sameStrings(terms, oldTerms)) {
        for (let i = 0; i < terms.length; i++) {
          terms[i] = oldTerms[i]!;
          const name = english[i] ?? '';
          const oldName = oldEnglish[i] ?? '';
          if (name === oldName) continue;
          this.termNotes.countName(terms[i]!, name, 1);
          this.termNotes.countName(terms[i]!, oldName, -1);
        }
      } else {
        for (let i = 0; i < oldTerms.length; i++) this.termNotes.removeDefinition(oldTerms[i]!, uri, oldEnglish[i] ?? '');
        for (let i = 0; i < terms.length; i++) terms[i] = this.termNotes.addDefinition(terms[i]!, uri, english[i] ?? '');
      }
      if (summary.title !== old.title) {
        if (old.title !== undefined) this.titleNotes.remove(old.title, uri);
        if (summary.title !== undefined) this.titleNotes.add(summary.title, uri);
      }
      this.strings.replaceAll(summary, old);
      const values = summary.data.entities.values;
      const kept = old.data.entities.values;
      for (let i = 0; i < values.length; i++) values[i] = kept[i]!;
      summaryIds.set(summary, entityIdsOf(old));
      return;
    }
    const emptied: EntityEntry[] = [];
    if (old) this.removeContributions(uri, old, emptied);
    this.addTexts(summary);
    const { entities } = summary;
    const values = entities.data.values;
    // The entries this note lists, in first-listed order. Its old places were removed above, so an entry's
    // first place in the note is added without looking the note up in the entry's map first.
    const listed = new Set<EntityEntry>();
    for (let i = 0; i < entities.length; i++) {
      const key = entities.key(i);
      const entry = this.entryFor(entityKindOf(key), values[i]!);
      values[i] = entry.value;
      entry.addKey(key);
      if (!listed.has(entry)) {
        listed.add(entry);
        entry.notes.add(uri);
      }
    }
    if (!summaryIds.has(summary)) summaryIds.set(summary, Array.from(listed, (entry) => entry.id));
    if (old) this.strings.dropAll(old);
    for (const entry of emptied) if (entry.notes.size === 0) this.dropEntry(entry);
  }

  /**
   * `set` for a batch of notes whose strings come from one table of distinct strings (the index cache's,
   * `table.strings`): each summary comes with the table position of each of its strings (`ids`), and
   * holds `table.strings[id]` itself there (what the cache decodes), so that the index shares it. At a
   * restart `set` looked up every note's ~60 entity items, ~60 terms and ~180 other strings in maps of
   * the whole vault, one after another, each a likely cache miss (~4 s at 10,000 notes); here the batch
   * is first grouped by those numbers in typed arrays, then every entity, term and string is looked up
   * once and given all its notes at once. The index ends as `set` of each note in turn would leave it
   * (tested by snapshot). Notes already in the index, and a note given twice, go through `set`.
   */
  addMany(batch: ReadonlyArray<SummaryWithIds>, table: StringTable): void {
    for (const _ of this.addManySteps(batch, table, Infinity)) {
      // Run to the end.
    }
  }

  /**
   * `addMany` in steps: it yields after about every `step` notes or entities, so that a caller building
   * an index apart (see `adopt`) can answer requests in between. Between two steps the index may be
   * inconsistent: only an index no feature reads yet may be built this way.
   */
  *addManySteps(batch: ReadonlyArray<SummaryWithIds>, table: StringTable, step: number): Generator<void> {
    const tick = ticker(step);
    const fresh: SummaryWithIds[] = [];
    const later: NoteSummary[] = [];
    const taken = new Set<string>();
    for (const b of batch) {
      const uri = b.summary.uri;
      if (this.notes.has(uri) || taken.has(uri)) later.push(b.summary);
      else {
        taken.add(uri);
        fresh.push(b);
      }
    }
    yield* this.notesOfBatch(fresh.map((b) => b.summary), tick);
    yield* this.internBatch(fresh, table, tick);
    yield* this.termsOfBatch(fresh, table, tick);
    yield* this.entitiesOfBatch(fresh, table, tick);
    for (const summary of later) this.set(summary);
  }

  /**
   * `addManySteps` for a batch of notes of distinct uris, none of them in the index yet, whose `groups`
   * were worked out ahead (by the index cache's writer, from these very notes): nothing is grouped here,
   * each entity, term and string is looked up or made once with all its notes. The summaries must hold
   * the strings of `groups.strings` (what the cache decodes), which the index then shares as they are
   * where it holds no equal string yet; where it does (an index that already holds another folder's
   * notes), it keeps its own and the summary its equal copy, which only costs the memory of the copy.
   * The index ends as `addMany` (and so `set` of each note in turn) would leave it, orders included:
   * tested by snapshot.
   */
  *addGroupedSteps(summaries: readonly NoteSummary[], groups: IndexGroups, step: number): Generator<void> {
    for (const summary of summaries) if (this.notes.has(summary.uri)) throw new Error('addGroupedSteps: a note of the batch is in the index already');
    const tick = ticker(step);
    const { strings } = groups;
    yield* this.notesOfBatch(summaries, tick);
    for (let k = 0; k < groups.interned.length; k++) {
      this.strings.addCount(strings[groups.interned[k]!]!, groups.internedCounts[k]!);
      if ((k & 63) === 63 && tick()) yield;
    }
    /** The uris of the notes `from..to` of `notes`: an array of exactly that length, packed (see `EXACT_BELOW`). */
    const urisOf = (notes: ArrayLike<number>, from: number, to: number): string[] => {
      const out: string[] = [];
      for (let j = from; j < to; j++) out.push(summaries[notes[j]!]!.uri);
      return out.slice();
    };
    for (let t = 0; t < groups.terms.length; t++) {
      const key = strings[groups.terms[t]!]!;
      this.termNotes.addAll(key, urisOf(groups.termNotes, groups.termNoteStart[t]!, groups.termNoteStart[t + 1]!));
      for (let j = groups.nameStart[t]!; j < groups.nameStart[t + 1]!; j++) {
        const name = groups.names[j]!;
        this.termNotes.countName(key, name === 0 ? '' : strings[name - 1]!, groups.nameCounts[j]!);
      }
      if (tick()) yield;
    }
    const entryOf: EntityEntry[] = [];
    for (let e = 0; e < groups.entityKinds.length; e++) {
      const valueId = groups.entityValues[e]!;
      const entry = this.entryFor(strings[groups.entityKinds[e]!]!, strings[valueId]!, groups.forms.get(valueId));
      entryOf.push(entry);
      entry.notes.addAll(urisOf(groups.entityNotes, groups.entityNoteStart[e]!, groups.entityNoteStart[e + 1]!));
      for (let j = groups.keyStart[e]!; j < groups.keyStart[e + 1]!; j++) entry.addKey(strings[groups.keys[j]!]!, groups.keyCounts[j]!);
      if (tick()) yield;
    }
    for (let note = 0; note < summaries.length; note++) {
      const listed: string[] = [];
      for (let j = groups.listedStart[note]!; j < groups.listedStart[note + 1]!; j++) listed.push(entryOf[groups.listed[j]!]!.id);
      summaryIds.set(summaries[note]!, listed);
      if (tick()) yield;
    }
  }

  /** `addManySteps` and `addGroupedSteps`: the notes of the batch (none in the index yet), their titles, the change log. */
  private *notesOfBatch(summaries: readonly NoteSummary[], tick: () => boolean): Generator<void> {
    for (const summary of summaries) {
      const uri = summary.uri;
      this.logged(uri);
      this.changes++;
      this.notes.set(uri, summary);
      if (summary.title !== undefined) this.titleNotes.add(summary.title, uri);
      if (tick()) yield;
    }
  }

  /** `addManySteps`: the batch's interned strings (entity keys, English names, definition texts). */
  private *internBatch(fresh: ReadonlyArray<SummaryWithIds>, table: StringTable, tick: () => boolean): Generator<void> {
    const { strings } = table;
    // Interned strings: each distinct one of the batch gets a slot, with how many times the batch holds it.
    const slot = table.slot;
    const slotIds: number[] = [];
    const slotCounts: number[] = [];
    const count = (id: number) => {
      const k = slot[id]!;
      if (k > 0) slotCounts[k - 1]!++;
      else {
        slotIds.push(id);
        slot[id] = slotCounts.push(1);
      }
    };
    for (const { ids } of fresh) {
      for (let i = 0; i < ids.keys.length; i++) count(ids.keys[i]!);
      for (let i = 0; i < ids.english.length; i++) if (ids.english[i]! > 0) count(ids.english[i]! - 1);
      for (let i = 0; i < ids.texts.length; i++) count(ids.texts[i]!);
      if (tick()) yield;
    }
    // The summaries hold the table's strings: only those the index already held a copy of are replaced.
    const older: Array<string | undefined> = [];
    for (let k = 0; k < slotIds.length; k++) {
      older.push(this.strings.addCount(strings[slotIds[k]!]!, slotCounts[k]!));
      if (tick()) yield;
    }
    if (older.some((x) => x !== undefined)) {
      const canonical = older.map((x, k) => x ?? strings[slotIds[k]!]!);
      for (const { summary, ids } of fresh) {
        const d = summary.data;
        remap(d.entities.keys, ids.keys, 0, slot, canonical);
        remap(d.definitions.english, ids.english, 1, slot, canonical);
        remap(d.definitions.texts, ids.texts, 0, slot, canonical);
        if (tick()) yield;
      }
    }
    for (const id of slotIds) slot[id] = 0;
  }

  /** `addManySteps`: the batch's terms and the notes defining each. */
  private *termsOfBatch(fresh: ReadonlyArray<SummaryWithIds>, table: StringTable, tick: () => boolean): Generator<void> {
    const { strings } = table;
    // Terms: the notes defining each (a note once, however many times it defines it), counted, then laid
    // out term by term in one flat list, then one lookup each.
    const slot = table.slot;
    const termIds: number[] = [];
    const termCounts: number[] = [];
    const termOfPair: number[] = [];
    const noteOfPair: number[] = [];
    for (let note = 0; note < fresh.length; note++) {
      const ids = fresh[note]!.ids;
      const stamp = ++table.stamp;
      for (let i = 0; i < ids.terms.length; i++) {
        const id = ids.terms[i]!;
        if (table.seen[id] === stamp) continue;
        table.seen[id] = stamp;
        let k = slot[id]! - 1;
        if (k >= 0) termCounts[k]!++;
        else {
          k = termIds.push(id) - 1;
          termCounts.push(1);
          slot[id] = k + 1;
        }
        termOfPair.push(k);
        noteOfPair.push(note);
      }
      if (tick()) yield;
    }
    const termNotes: string[][] = termCounts.map(() => []);
    for (let j = 0; j < termOfPair.length; j++) {
      termNotes[termOfPair[j]!]!.push(fresh[noteOfPair[j]!]!.summary.uri);
      if ((j & 63) === 63 && tick()) yield;
    }
    // Copies of the exact length (see `EXACT_BELOW`), packed.
    for (let k = 0; k < termNotes.length; k++) termNotes[k] = termNotes[k]!.slice();
    const olderTerms: Array<string | undefined> = [];
    for (let k = 0; k < termIds.length; k++) {
      olderTerms.push(this.termNotes.addAll(strings[termIds[k]!]!, termNotes[k]!));
      if (tick()) yield;
    }
    if (olderTerms.some((x) => x !== undefined)) {
      const termKeys = olderTerms.map((x, k) => x ?? strings[termIds[k]!]!);
      for (const { summary, ids } of fresh) {
        remap(summary.data.definitions.terms, ids.terms, 0, slot, termKeys);
        if (tick()) yield;
      }
    }
    // The terms' English names: each distinct (term, name) pair of the batch counted once, by its
    // numbers, as (name id, count, note, definition) with the first definition that gives it.
    const names: number[][] = termIds.map(() => []);
    for (let note = 0; note < fresh.length; note++) {
      const ids = fresh[note]!.ids;
      for (let i = 0; i < ids.terms.length; i++) {
        const list = names[slot[ids.terms[i]!]! - 1]!;
        const name = ids.english[i]!;
        let j = 0;
        while (j < list.length && list[j] !== name) j += 4;
        if (j < list.length) list[j + 1]!++;
        else list.push(name, 1, note, i);
      }
      if (tick()) yield;
    }
    for (let k = 0; k < termIds.length; k++) {
      const key = strings[termIds[k]!]!;
      const list = names[k]!;
      // The name as the note holds it: the index's shared copy.
      for (let j = 0; j < list.length; j += 4) this.termNotes.countName(key, fresh[list[j + 2]!]!.summary.data.definitions.english[list[j + 3]!] ?? '', list[j + 1]!);
      if ((k & 63) === 63 && tick()) yield;
    }
    for (const id of termIds) slot[id] = 0;
  }

  /** `addManySteps`: the batch's entities, each with its notes, places and keys; the notes' entity ids. */
  private *entitiesOfBatch(fresh: ReadonlyArray<SummaryWithIds>, table: StringTable, tick: () => boolean): Generator<void> {
    const { strings } = table;
    // Entities: number each (kind, value) of the batch, group each one's notes and places, then one
    // lookup (or new entry) each. `itemOf` holds the number of every item of every note, in order.
    const kinds: string[] = [];
    const valueIds: number[] = [];
    const numbered: Int32Array[] = [];
    let items = 0;
    for (const { ids } of fresh) items += ids.keys.length;
    const itemOf = new Int32Array(items);
    let k = 0;
    for (const { summary, ids } of fresh) {
      const keys = summary.data.entities.keys;
      for (let i = 0; i < keys.length; i++, k++) {
        const at = table.numbersOf(ids.keys[i]!, keys[i]!);
        const valueId = ids.values[i]!;
        let e = at.numbers[valueId]! - 1;
        if (e < 0) {
          e = kinds.push(at.kind) - 1;
          valueIds.push(valueId);
          numbered.push(at.numbers);
          at.numbers[valueId] = e + 1;
        }
        itemOf[k] = e;
      }
      if (tick()) yield;
    }
    for (let e = 0; e < kinds.length; e++) numbered[e]![valueIds[e]!] = 0;
    const entities = kinds.length;
    // Each entity's keys: the first key met and its count, the others (rare) one by one.
    const firstKey: Array<string | undefined> = new Array<string | undefined>(entities);
    const firstKeyCount = new Int32Array(entities);
    const otherKeys: Array<[entity: number, key: string]> = [];
    // How many notes list each entity, then where its notes start in one flat list (entity by entity).
    const seenIn = new Int32Array(entities).fill(-1);
    const start = new Int32Array(entities + 1);
    k = 0;
    for (let note = 0; note < fresh.length; note++) {
      const keys = fresh[note]!.summary.data.entities.keys;
      for (let i = 0; i < keys.length; i++, k++) {
        const e = itemOf[k]!;
        const key = keys[i]!;
        if (firstKey[e] === undefined || firstKey[e] === key) {
          firstKey[e] = key;
          firstKeyCount[e]!++;
        } else otherKeys.push([e, key]);
        if (seenIn[e] !== note) {
          seenIn[e] = note;
          start[e + 1]!++;
        }
      }
      if (tick()) yield;
    }
    for (let e = 0; e < entities; e++) start[e + 1]! += start[e]!;
    const fill = start.slice(0, entities);
    const flatNote = new Int32Array(start[entities]!);
    k = 0;
    seenIn.fill(-1);
    for (let note = 0; note < fresh.length; note++) {
      const n = fresh[note]!.summary.data.entities.keys.length;
      for (let i = 0; i < n; i++, k++) {
        const e = itemOf[k]!;
        if (seenIn[e] !== note) {
          seenIn[e] = note;
          flatNote[fill[e]!++] = note;
        }
      }
      if (tick()) yield;
    }
    const uriOf = fresh.map((b) => b.summary.uri);
    const entryOf: EntityEntry[] = [];
    for (let e = 0; e < entities; e++) {
      const entry = this.entryFor(kinds[e]!, strings[valueIds[e]!]!, table.forms.get(valueIds[e]!));
      entryOf.push(entry);
      const uris: string[] = [];
      for (let j = start[e]!; j < start[e + 1]!; j++) uris.push(uriOf[flatNote[j]!]!);
      // A copy of the exact length (see `EXACT_BELOW`), packed.
      entry.notes.addAll(uris.slice());
      entry.addKey(firstKey[e]!, firstKeyCount[e]!);
      if (tick()) yield;
    }
    for (const [e, key] of otherKeys) entryOf[e]!.addKey(key);
    // The notes' values become the entries' copies; each note's distinct entity ids in first-listed order.
    k = 0;
    seenIn.fill(-1);
    for (let note = 0; note < fresh.length; note++) {
      const summary = fresh[note]!.summary;
      const values = summary.data.entities.values;
      const listed: string[] = [];
      for (let i = 0; i < values.length; i++, k++) {
        const e = itemOf[k]!;
        const entry = entryOf[e]!;
        values[i] = entry.value;
        if (seenIn[e] !== note) {
          seenIn[e] = note;
          listed.push(entry.id);
        }
      }
      summaryIds.set(summary, listed);
      if (tick()) yield;
    }
  }

  /**
   * Takes everything `built` holds (an index built apart, by `addManySteps`) in place of what this one
   * holds, keeping this one's own notes: those `built` lacks, and those set or deleted here since
   * `since` (a `logPosition` taken before `built` was started), are carried into it first. A restart
   * builds the restored notes apart so that requests meanwhile read a consistent index, and this swap is
   * then the only step that cannot be cut into slices. Every cache that follows this index sees a change
   * log it cannot follow, and compares every note once. `built` must not be used afterwards. Should this
   * index's log no longer reach back to `since` (more changes meanwhile than it keeps), every note here
   * counts as changed, and a note deleted here meanwhile that `built` holds stays.
   */
  adopt(built: WorkspaceIndex, since: number): void {
    const changed = new Set(this.changedSince(since) ?? this.notes.keys());
    for (const [uri, summary] of this.notes) if (changed.has(uri) || !built.notes.has(uri)) built.set(summary);
    for (const uri of changed) if (!this.notes.has(uri)) built.delete(uri);
    this.notes = built.notes;
    this.strings = built.strings;
    this.termNotes = built.termNotes;
    this.entries = built.entries;
    this.entryCount = built.entryCount;
    this.byValue = built.byValue;
    this.bySpelling = built.bySpelling;
    this.titleNotes = built.titleNotes;
    this.kindLists = new Map();
    this.together = new Map();
    this.togetherVersion = -1;
    for (const kind of this.entries.values()) for (const entry of kind.values()) entry.moveTo(this);
    this.changes += built.changes + 1;
    // A log no reader can follow: every reader's position is now before its start.
    this.logStart = this.logPosition + 1;
    this.log = [];
  }

  /** Puts a summary in the map of notes, with its terms, title and interned strings. */
  private addTexts(summary: NoteSummary): void {
    const uri = summary.uri;
    this.changes++;
    this.strings.takeAll(summary);
    this.notes.set(uri, summary);
    const { terms, english } = summary.definitions.data;
    for (let i = 0; i < terms.length; i++) terms[i] = this.termNotes.addDefinition(terms[i]!, uri, english[i] ?? '');
    if (summary.title !== undefined) this.titleNotes.add(summary.title, uri);
  }

  /** Takes a summary out of the map of notes and its terms and title out of theirs. */
  private removeTexts(uri: string, old: NoteSummary): void {
    this.changes++;
    this.notes.delete(uri);
    const { definitions } = old;
    for (let i = 0; i < definitions.length; i++) this.termNotes.removeDefinition(definitions.term(i), uri, definitions.english(i) ?? '');
    if (old.title !== undefined) this.titleNotes.remove(old.title, uri);
  }

  delete(uri: string): boolean {
    const old = this.notes.get(uri);
    // Logged even when the note is not here: an index being built apart may hold it (see `adopt`).
    this.logged(uri);
    if (!old) return false;
    const emptied: EntityEntry[] = [];
    this.removeContributions(uri, old, emptied);
    this.strings.dropAll(old);
    for (const entry of emptied) this.dropEntry(entry);
    return true;
  }

  /** Takes a note's summary out of every map; entities no note lists any more are left in `emptied`. */
  private removeContributions(uri: string, old: NoteSummary, emptied: EntityEntry[]): void {
    this.removeTexts(uri, old);
    const { entities } = old;
    for (let i = 0; i < entities.length; i++) {
      const key = entities.key(i);
      const entry = this.entries.get(entityKindOf(key))?.get(entities.value(i));
      if (!entry) continue;
      entry.removeKey(key);
      if (entry.notes.delete(uri) && entry.notes.size === 0) emptied.push(entry);
    }
  }

  /** Every distinct (key, value) pair with the number of notes that list it. */
  *entities(): Generator<EntityKey & { readonly notes: number }> {
    for (const entry of this.entityInfos()) {
      for (const key of entry.keys.keys()) {
        let notes = 0;
        for (const [uri, at] of entry.notes) {
          const es = this.notes.get(uri)!.entities;
          if (placeIndexes(at).some((i) => es.key(i) === key)) notes++;
        }
        yield { key, value: entry.value, notes };
      }
    }
  }

  /** The places `uri` lists the entity at, in the note's order (none when it does not list it). */
  placesOf(info: EntityInfo, uri: string): EntityPlace[] {
    const at = info.notes.get(uri);
    const es = this.notes.get(uri)?.entities;
    if (at === undefined || !es) return [];
    return placeIndexes(at).map((i) => ({ key: es.key(i), range: es.range(i) }));
  }

  /** Every entity of every kind. */
  *entityInfos(): Generator<EntityInfo> {
    for (const kind of this.entries.values()) yield* kind.values();
  }

  /** The entity `value` of `kind` (the kind of `people`, `guest` and `speaker` is `people`). */
  entity(kind: string, value: string): EntityInfo | undefined {
    return this.entries.get(kind)?.get(value);
  }

  /** The entity of an `entityId`. */
  entityById(id: string): EntityInfo | undefined {
    const at = id.indexOf('\u0000');
    return at < 0 ? undefined : this.entity(id.slice(0, at), id.slice(at + 1));
  }

  entitiesOfKind(kind: string): IterableIterator<EntityInfo> {
    return (this.entries.get(kind) ?? NO_ENTRIES).values();
  }

  /** How many entities a kind has, without building its list (completion checks it on every request). */
  kindSize(kind: string): number {
    return this.entries.get(kind)?.size ?? 0;
  }

  /** The entities of a kind as an array, kept until an entity of that kind appears or disappears. */
  entitiesOfKindList(kind: string): readonly EntityInfo[] {
    let list = this.kindLists.get(kind);
    if (!list) {
      list = [...this.entitiesOfKind(kind)];
      this.kindLists.set(kind, list);
    }
    return list;
  }

  /** The entities spelled exactly `value`, of any kind. */
  entitiesNamed(value: string): EntityInfo[] {
    return [...this.byValue.get(value)];
  }

  /** Whether some entity (of any kind) has the value `value`: `entitiesNamed` without making the list. */
  hasEntityNamed(value: string): boolean {
    return this.byValue.has(value);
  }

  /** The entities of `info`'s kind with the same spelling key (itself included). */
  spellingsOf(info: EntityInfo): EntityInfo[] {
    return [...this.bySpelling.get(entityId(info.kind, info.spelling))];
  }

  /** Every near-duplicate group (two spellings or more). */
  *nearDuplicateGroups(): Generator<EntityInfo[]> {
    for (const group of this.bySpelling.groups()) yield [...group];
  }

  /**
   * The notes whose body may hold `text` in bold (by the texts' hashes, see `NoteSummary.hasBold`: the
   * caller reads them to find the spans). Only entity
   * references and rename ask, on a user's request; keeping bold text → notes postings instead cost a map
   * update per distinct bold text of every indexed note (~190 a note in this format) and a map entry per
   * distinct text of the vault.
   */
  notesWithBold(text: string): string[] {
    const out: string[] = [];
    for (const [uri, summary] of this.notes) if (summary.hasBold(text)) out.push(uri);
    return out;
  }

  /** The notes titled exactly `title`. */
  notesTitled(title: string): readonly string[] {
    return this.titleNotes.get(title);
  }

  /** The date of a note: its `date` field, else a date at the start of its file name. */
  dateOf(uri: string): string | undefined {
    const s = this.notes.get(uri);
    return s ? noteDate(uri, s.date) : undefined;
  }

  /** The dates of the notes listing the entity, oldest first (notes without a date left out). */
  datesOf(info: EntityInfo): string[] {
    const out: string[] = [];
    for (const uri of info.notes.keys()) {
      const d = this.dateOf(uri);
      if (d) out.push(d);
    }
    return out.sort();
  }

  /**
   * The date of the most recent note listing the entity, counted over its notes. Features ask
   * `lastDateOf` (entities/recency.ts), which keeps it up to date note by note; this is its definition.
   */
  lastDate(info: EntityInfo): string | undefined {
    let last: string | undefined;
    for (const uri of info.notes.keys()) {
      const d = this.dateOf(uri);
      if (d && (!last || d > last)) last = d;
    }
    return last;
  }

  /** The notes listing the entity, most recent first (undated last, then by uri). */
  recentNotes(info: EntityInfo, limit: number): Array<{ uri: string; title: string | undefined; date: string | undefined }> {
    const all = [...info.notes.keys()].map((uri) => ({ uri, title: this.notes.get(uri)?.title, date: this.dateOf(uri) }));
    all.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    return all.slice(0, limit);
  }

  /** Every defined term with the notes that define it. */
  *terms(): Generator<{ readonly term: string; readonly notes: readonly string[] }> {
    for (const term of this.termNotes.keys()) yield { term, notes: this.termNotes.get(term) };
  }

  /**
   * Calls `f` with every defined term and the first of its English names as its definitions write them,
   * each with how many definitions give it (`''` for those without one): a short chain (see `TermName`).
   */
  forEachTermName(f: (term: string, names: TermName | undefined) => void): void {
    this.termNotes.forEachNames(f);
  }

  /** The notes that define `term`. */
  notesDefining(term: string): readonly string[] {
    return this.termNotes.get(term);
  }

  definitionsOf(term: string): Array<DefinitionItem & { readonly uri: string }> {
    const out: Array<DefinitionItem & { readonly uri: string }> = [];
    for (const uri of this.termNotes.get(term)) {
      const defs = this.notes.get(uri)?.definitions;
      if (defs) for (const i of defs.positionsOf(term)) out.push({ ...defs.at(i), uri });
    }
    return out;
  }

  /** Totals for the status bar. */
  counts(): { notes: number; entities: number; terms: number } {
    return { notes: this.notes.size, entities: this.entryCount, terms: this.termNotes.size };
  }

  /**
   * Everything the index holds, in a deterministic order: the same notes give the same snapshot
   * whatever order they were added, changed and removed in.
   */
  snapshot(): unknown {
    const sortedKeys = <V>(m: ReadonlyMap<string, V>) => [...m.keys()].sort();
    return {
      notes: sortedKeys(this.notes).map((uri) => this.notes.get(uri)),
      termNotes: this.termNotes.snapshot(),
      termNames: this.termNotes.namesSnapshot(),
      titleNotes: this.titleNotes.snapshot(),
      byKind: Object.fromEntries([...this.entries.keys()].sort().map((kind) => [kind, [...this.entitiesOfKind(kind)].map((e) => e.id).sort()])),
      byValue: this.byValue.snapshot((e) => e.id),
      bySpelling: this.bySpelling.snapshot((e) => e.id),
      entities: [...this.entityInfos()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((e) => {
        const id = e.id;
        return {
          id,
          kind: e.kind,
          value: e.value,
          folded: e.folded,
          spelling: e.spelling,
          pinyin: e.pinyin,
          keys: sortedKeys(e.keys).map((k) => [k, e.keys.get(k)]),
          notes: sortedKeys(e.notes).map((uri) => [uri, this.placesOf(e, uri)]),
          cooccurrence: sortedKeys(e.cooccurrence).map((k) => [k, e.cooccurrence.get(k)]),
        };
      }),
    };
  }

  private entryFor(kind: string, value: string, forms?: EntityForms): EntityEntry {
    let ofKind = this.entries.get(kind);
    if (!ofKind) this.entries.set(kind, (ofKind = new Map()));
    let entry = ofKind.get(value);
    if (!entry) {
      entry = new EntityEntry(this, entityId(kind, value), kind, value, forms);
      ofKind.set(value, entry);
      this.entryCount++;
      this.kindLists.delete(kind);
      this.byValue.add(value, entry);
      this.bySpelling.add(entityId(kind, entry.spelling), entry);
    }
    return entry;
  }

  private dropEntry(entry: EntityEntry): void {
    const ofKind = this.entries.get(entry.kind);
    if (!ofKind?.delete(entry.value)) return;
    this.entryCount--;
    if (ofKind.size === 0) this.entries.delete(entry.kind);
    this.kindLists.delete(entry.kind);
    this.byValue.remove(entry.value, entry);
    this.bySpelling.remove(entityId(entry.kind, entry.spelling), entry);
  }

  /**
   * The other entities listed with `entry` → the number of notes listing both (`EntityInfo.cooccurrence`).
   * Counted when asked, from the notes listing the entity, and kept until the index changes. Keeping it
   * up to date in `set` cost n·(n−1) map updates per note (a note of this format lists ~60 entities:
   * 3,600 updates, most of the time of indexing a vault) and as many map entries.
   */
  cooccurrenceOf(entry: EntityInfo): ReadonlyMap<string, number> {
    if (this.togetherVersion !== this.changes) {
      this.together.clear();
      this.togetherVersion = this.changes;
    }
    let counts = this.together.get(entry.id);
    if (counts) return counts;
    counts = new Map();
    for (const uri of entry.notes.keys()) {
      const ids = new Set<string>();
      const es = this.notes.get(uri)?.entities;
      if (es) for (let i = 0; i < es.length; i++) ids.add(entityId(entityKindOf(es.key(i)), es.value(i)));
      if (ids.size < 2 || ids.size > MAX_COOCCURRING) continue;
      for (const id of ids) if (id !== entry.id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    this.together.set(entry.id, counts);
    return counts;
  }
}

const NO_ENTRIES: ReadonlyMap<string, EntityEntry> = new Map();

/** An interned string and how many summaries hold it. */
interface InternEntry {
  readonly s: string;
  n: number;
}

/**
 * Reference-counted string interning for the strings of a summary no other map of the index keys by
 * (entity keys, English names, definition texts): each is replaced by one shared copy. Summaries arrive
 * from the worker thread or the cache with a fresh copy of every string; bold texts and terms are
 * interned by their postings and entity values by their entries in the same way. A string leaves when
 * no summary holds it any more, so typing a new bold text a keystroke at a time keeps nothing behind.
 */
class Interner {
  private readonly map = new Map<string, InternEntry>();

  get size(): number {
    return this.map.size;
  }

  take(s: string): string {
    return this.entry(s).s;
  }

  /** `count` more holders of `s`: the copy held before, or undefined when `s` itself is now the shared copy. */
  addCount(s: string, count: number): string | undefined {
    const e = this.map.get(s);
    if (e === undefined) {
      this.map.set(s, { s, n: count });
      return undefined;
    }
    e.n += count;
    return e.s;
  }

  /** The entry of `s`, its count already raised. */
  private entry(s: string): InternEntry {
    let e = this.map.get(s);
    if (!e) this.map.set(s, (e = { s, n: 0 }));
    e.n++;
    return e;
  }

  drop(s: string): void {
    const e = this.map.get(s);
    if (e && --e.n === 0) this.map.delete(s);
  }

  private takeArray(a: Array<string | null>): void {
    // Runs of the same string (a list's items share their key) reuse the entry just taken: comparing a
    // string with its neighbour is much cheaper than a lookup in a map of every string of the vault.
    let last: { readonly s: string; n: number } | undefined;
    for (let i = 0; i < a.length; i++) {
      const s = a[i];
      if (s == null) continue;
      if (last !== undefined && last.s === s) last.n++;
      else last = this.entry(s);
      a[i] = last.s;
    }
  }

  private dropArray(a: ReadonlyArray<string | null>): void {
    for (let i = 0; i < a.length; i++) {
      const s = a[i];
      if (s == null) continue;
      // A run of one string (interned: the same object) costs one lookup.
      let n = 1;
      while (i + 1 < a.length && a[i + 1] === s) {
        n++;
        i++;
      }
      const e = this.map.get(s);
      if (e && (e.n -= n) <= 0) this.map.delete(s);
    }
  }

  takeAll(summary: NoteSummary): void {
    const d = summary.data;
    this.takeArray(d.entities.keys);
    this.takeArray(d.definitions.english);
    this.takeArray(d.definitions.texts);
  }

  /**
   * `takeAll(summary)` then `dropAll(old)`, for a new version of a note: a string at the same position in
   * both (most of them, after a keystroke) keeps the old one's shared copy and its count as they are.
   */
  replaceAll(summary: NoteSummary, old: NoteSummary): void {
    const d = summary.data;
    const o = old.data;
    this.replaceArray(d.entities.keys, o.entities.keys);
    this.replaceArray(d.definitions.english, o.definitions.english);
    this.replaceArray(d.definitions.texts, o.definitions.texts);
  }

  private replaceArray(a: Array<string | null>, old: ReadonlyArray<string | null>): void {
    const n = Math.min(a.length, old.length);
    // The new strings are taken before the old ones are dropped, so that a string both hold at different
    // positions is never dropped to zero and made again.
    for (let i = 0; i < a.length; i++) {
      const s = a[i];
      if (i < n && s === old[i]) a[i] = old[i]!;
      else if (s != null) a[i] = this.take(s);
    }
    for (let i = 0; i < old.length; i++) {
      const s = old[i];
      // A carried string is the same object by now, so this compares pointers.
      if (s != null && !(i < n && a[i] === s)) this.drop(s);
    }
  }

  dropAll(summary: NoteSummary): void {
    const d = summary.data;
    this.dropArray(d.entities.keys);
    this.dropArray(d.definitions.english);
    this.dropArray(d.definitions.texts);
  }
}

/** A key and the uri (or uris, in the order they came) of the notes holding it. */
interface PostingEntry {
  readonly key: string;
  uris: string | string[];
  /** For a term: its English names (see `TermName`). */
  names?: TermName;
}

/**
 * One English name of a term as its definitions write it ('' for none), and how many of the index's
 * definitions of the term give it: a short chain per term (most terms have one or two names). The
 * glossary's vocabulary starts from these (see `WorkspaceIndex.forEachTermName`) instead of counting
 * every definition of the vault again, ~0.45 s at 10,000 notes, which the first glossary hover after a
 * scan or a restart waited for.
 */
export interface TermName {
  readonly name: string;
  n: number;
  next: TermName | undefined;
}

/**
 * key → uris of the notes holding it (terms, titles), in the order they came: a key held by one note
 * stores the bare uri, more an array. An array, not a `Set`: a cold index or a restart adds ~600,000
 * (term, note) pairs and hardly removes any, and an array costs a push where a set hashes and grows.
 * A note adds all its keys in one go, after its old ones were removed, so a key it holds twice (a term
 * it defines twice) comes twice in a row and is kept once. Each entry also keeps the first copy of its
 * key, so `add` interns the key: a string held by many notes is kept once.
 */
class Postings {
  private readonly map = new Map<string, PostingEntry>();

  /** Adds `uri` under `key`; returns the copy of `key` the postings keep. */
  add(key: string, uri: string): string {
    return this.entryWith(key, uri).key;
  }

  /** The entry of `key`, made when there is none, with `uri` added to it. */
  private entryWith(key: string, uri: string): PostingEntry {
    let e = this.map.get(key);
    if (e === undefined) this.map.set(key, (e = { key, uris: uri }));
    else Postings.push(e, uri);
    return e;
  }

  /**
   * Adds each of `uris` (distinct) under `key`, as `add` one by one would; the array may be kept. Returns
   * the copy of the key held before, or undefined when `key` itself is now the one kept.
   */
  addAll(key: string, uris: string[]): string | undefined {
    const e = this.map.get(key);
    if (e === undefined) {
      this.map.set(key, { key, uris: uris.length === 1 ? uris[0]! : uris });
      return undefined;
    }
    for (const uri of uris) Postings.push(e, uri);
    return e.key;
  }

  /** `add` for a term's definition, whose English name (`''` for none) is counted too. */
  addDefinition(key: string, uri: string, name: string): string {
    const e = this.entryWith(key, uri);
    Postings.count(e, name, 1);
    return e.key;
  }

  /** `remove` for a term's definition, whose English name (`''` for none) is counted out too. */
  removeDefinition(key: string, uri: string, name: string): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    Postings.count(e, name, -1);
    this.remove(key, uri);
  }

  /** `delta` more (or fewer) definitions of `key` giving the English name `name`; the key is held already. */
  countName(key: string, name: string, delta: number): void {
    const e = this.map.get(key);
    if (e !== undefined) Postings.count(e, name, delta);
  }

  private static count(e: PostingEntry, name: string, delta: number): void {
    let prev: TermName | undefined;
    let c = e.names;
    while (c !== undefined && c.name !== name) {
      prev = c;
      c = c.next;
    }
    if (c === undefined) {
      if (delta > 0) e.names = { name, n: delta, next: e.names };
      return;
    }
    c.n += delta;
    if (c.n > 0) return;
    if (prev) prev.next = c.next;
    else e.names = c.next;
  }

  /** Calls `f` with each key and the first of its names (see `TermName`). */
  forEachNames(f: (key: string, names: TermName | undefined) => void): void {
    for (const e of this.map.values()) f(e.key, e.names);
  }

  /** Each key with its names as `name×count`, both sorted. */
  namesSnapshot(): Record<string, string[]> {
    return Object.fromEntries([...this.map.keys()].sort().map((k) => {
      const out: string[] = [];
      for (let c = this.map.get(k)!.names; c !== undefined; c = c.next) out.push(`${c.name}×${c.n}`);
      return [k, out.sort()];
    }));
  }

  /** Adds `uri` to an entry (a note adding a key twice in a row keeps it once). */
  private static push(e: PostingEntry, uri: string): void {
    const v = e.uris;
    if (typeof v === 'string') {
      if (v !== uri) e.uris = [v, uri];
    } else if (v[v.length - 1] !== uri) e.uris = appended(v, uri);
  }

  remove(key: string, uri: string): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    const v = e.uris;
    if (typeof v === 'string') {
      if (v === uri) this.map.delete(key);
      return;
    }
    const at = v.lastIndexOf(uri);
    if (at < 0) return;
    v.splice(at, 1);
    if (v.length === 1) e.uris = v[0]!;
  }

  get(key: string): readonly string[] {
    const v = this.map.get(key)?.uris;
    return v === undefined ? [] : typeof v === 'string' ? [v] : v;
  }

  get size(): number {
    return this.map.size;
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  /** The same picture as a map of sorted uri lists, sorted by key. */
  snapshot(): Record<string, string[]> {
    return Object.fromEntries([...this.map.keys()].sort().map((k) => [k, [...this.get(k)].sort()]));
  }
}

/**
 * key → its members, one member stored bare and a `Set` only for two or more: most keys here (an entity's
 * value, its spelling key) have one member, and a `Set` costs ~200 bytes.
 */
class Groups<T extends object> {
  private readonly map = new Map<string, T | Set<T>>();

  add(key: string, member: T): void {
    const g = this.map.get(key);
    if (g === undefined) this.map.set(key, member);
    else if (g instanceof Set) g.add(member);
    else if (g !== member) this.map.set(key, new Set([g, member]));
  }

  remove(key: string, member: T): void {
    const g = this.map.get(key);
    if (g === undefined) return;
    if (!(g instanceof Set)) {
      if (g === member) this.map.delete(key);
      return;
    }
    g.delete(member);
    if (g.size === 1) this.map.set(key, g.values().next().value as T);
  }

  /** Whether `key` has a member. */
  has(key: string): boolean {
    return this.map.has(key);
  }

  /** The members of `key` (none when it has none). */
  get(key: string): Iterable<T> {
    const g = this.map.get(key);
    return g === undefined ? [] : g instanceof Set ? g : [g];
  }

  /** Every group of two members or more. */
  *groups(): Generator<ReadonlySet<T>> {
    for (const g of this.map.values()) if (g instanceof Set) yield g;
  }

  /** Each key with its members' names (`name`), both sorted. */
  snapshot(name: (member: T) => string): Record<string, string[]> {
    return Object.fromEntries([...this.map.keys()].sort().map((k) => [k, [...this.get(k)].map(name).sort()]));
  }
}
