import type { Range } from 'vscode-languageserver-types';
import type { Bold, EntityRef, Field, FrontMatter, NoteModel, ValueKind } from '../parse/types';

/** How an entity value is written, so a rename in a note that is not open can keep its style. */
export interface EntityStyle {
  /** The quote around the value, or '' for a plain scalar. */
  readonly quote: '' | '"' | "'";
  /** Whether it sits in a flow list (`[a, b]`). */
  readonly flow: boolean;
}

export interface SummaryField {
  readonly key: string;
  readonly kind: ValueKind;
  readonly scalar?: string | number | boolean;
}

/**
 * One object for each distinct front-matter field (key, kind and scalar value) among the summaries it
 * was given: a summary's fields are replaced by these. Most fields repeat across a vault's notes (every
 * note has a `people` list, many the same `type`), and at 10,000 notes the ~160,000 field objects took
 * ~9 MB, ~6 MB of it in copies. The objects are never changed, so sharing them is safe; their strings
 * are those of the first summary that had the field. The table is emptied past `max` entries (scalars
 * such as titles are mostly distinct).
 */
export class SharedFields {
  private readonly byKey = new Map<string, Map<string, Map<string | number | boolean | undefined, SummaryField>>>();
  private size = 0;

  constructor(private readonly max = 100_000) {}

  /** The shared object equal to `field` (`field` itself when it is the first of its kind). */
  of(field: SummaryField): SummaryField {
    // A map takes -0 for 0; a field of -0 keeps its own object.
    if (Object.is(field.scalar, -0)) return field;
    const kept = this.byKey.get(field.key)?.get(field.kind)?.get(field.scalar);
    if (kept) return kept;
    if (this.size >= this.max) this.clear();
    let kinds = this.byKey.get(field.key);
    if (!kinds) this.byKey.set(field.key, (kinds = new Map()));
    let scalars = kinds.get(field.kind);
    if (!scalars) kinds.set(field.kind, (scalars = new Map()));
    scalars.set(field.scalar, field);
    this.size++;
    return field;
  }

  /** Replaces each of `fields` by its shared object, in place. */
  shareAll(fields: SummaryField[]): void {
    for (let i = 0; i < fields.length; i++) fields[i] = this.of(fields[i]!);
  }

  private clear(): void {
    this.byKey.clear();
    this.size = 0;
  }
}

export interface EntityItem {
  readonly key: string;
  readonly value: string;
  readonly range: Range;
  readonly style: EntityStyle;
}

export interface DefinitionItem {
  readonly term: string;
  readonly english: string | undefined;
  readonly definition: string;
  readonly range: Range;
  readonly termRange: Range;
}

/**
 * A summary's lists in their packed form: parallel arrays of strings, ranges as four numbers each
 * (start line, start character, end line, end character) in one typed array. This is what crosses from
 * the summary worker to the main thread (structured clone copies a typed array in one piece) and what
 * the index cache stores; the index keeps it, only replacing its strings by shared copies (interning).
 * A note of this format has ~300 bold spans, ~60 definitions and ~60 entity items: as objects with LSP
 * `Range`s (three objects each) that was ~100 KB a note, most of the server's memory at 10,000 notes.
 *
 * Bold spans keep their ranges, but their texts only as a 64-bit hash of each distinct text (see
 * `boldKey`): the texts were the larger part of a third of the index's memory (~190 distinct texts a
 * note) and of half of the cache, and only entity references and rename (and glossary references of a
 * note that cannot be read) ask for the spans of one given text.
 */
export interface SummaryData {
  readonly uri: string;
  readonly title: string | undefined;
  readonly date: string | undefined;
  /** Each top-level front-matter key with its kind and, for scalars, its value (schema inference reads these). */
  readonly fields: readonly SummaryField[];
  readonly entities: { readonly keys: string[]; readonly values: string[]; readonly styles: Uint8Array; readonly ranges: PackedRanges };
  /** `ranges` holds two ranges a definition: the whole definition, then its term. */
  readonly definitions: { readonly terms: string[]; readonly english: Array<string | null>; readonly texts: string[]; readonly ranges: PackedRanges };
  /**
   * `keys`: the `boldKey` of each distinct bold text of the note, two numbers each, in increasing order;
   * `of`: for each bold span in document order, the position of its text's key in `keys`; `ranges`: the
   * spans' text ranges.
   */
  readonly bolds: { readonly keys: Uint32Array; readonly of: Uint16Array | Uint32Array; readonly ranges: PackedRanges };
}

/** Ranges as four numbers each; 16 bits a number whenever every line and character of the note fits. */
export type PackedRanges = Uint16Array | Uint32Array;

/** Packs `count` ranges; `rangeOf(i)` gives each. */
export function packRanges(count: number, rangeOf: (i: number) => Range): PackedRanges {
  const ranges: Range[] = [];
  let max = 0;
  for (let i = 0; i < count; i++) {
    const r = rangeOf(i);
    ranges.push(r);
    max = Math.max(max, r.start.line, r.start.character, r.end.line, r.end.character);
  }
  const out = max <= 0xffff ? new Uint16Array(count * 4) : new Uint32Array(count * 4);
  ranges.forEach((r, i) => putRange(out, i, r));
  return out;
}

function rangeAt(ranges: PackedRanges, i: number): Range {
  const o = i * 4;
  return { start: { line: ranges[o]!, character: ranges[o + 1]! }, end: { line: ranges[o + 2]!, character: ranges[o + 3]! } };
}

function putRange(ranges: PackedRanges, i: number, r: Range): void {
  const o = i * 4;
  ranges[o] = r.start.line;
  ranges[o + 1] = r.start.character;
  ranges[o + 2] = r.end.line;
  ranges[o + 3] = r.end.character;
}

/** A read-only list over packed data: `length`, `at(i)` and iteration build the items on demand. */
abstract class PackedList<T> implements Iterable<T> {
  abstract readonly length: number;
  abstract at(i: number): T;

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  map<U>(f: (item: T, i: number) => U): U[] {
    const out: U[] = [];
    for (let i = 0; i < this.length; i++) out.push(f(this.at(i), i));
    return out;
  }

  /** The items as plain objects (what a JSON snapshot of a summary shows). */
  toJSON(): T[] {
    return this.map((x) => x);
  }
}

export class EntityList extends PackedList<EntityItem> {
  constructor(readonly data: SummaryData['entities']) {
    super();
  }
  get length(): number {
    return this.data.keys.length;
  }
  key(i: number): string {
    return this.data.keys[i]!;
  }
  value(i: number): string {
    return this.data.values[i]!;
  }
  range(i: number): Range {
    return rangeAt(this.data.ranges, i);
  }
  at(i: number): EntityItem {
    return { key: this.data.keys[i]!, value: this.data.values[i]!, range: this.range(i), style: STYLES[this.data.styles[i]!] ?? STYLES[0]! };
  }
}

export class DefinitionList extends PackedList<DefinitionItem> {
  constructor(readonly data: SummaryData['definitions']) {
    super();
  }
  get length(): number {
    return this.data.terms.length;
  }
  term(i: number): string {
    return this.data.terms[i]!;
  }
  english(i: number): string | undefined {
    return this.data.english[i] ?? undefined;
  }
  definition(i: number): string {
    return this.data.texts[i]!;
  }
  termRange(i: number): Range {
    return rangeAt(this.data.ranges, i * 2 + 1);
  }
  /** The whole definition's range. */
  range(i: number): Range {
    return rangeAt(this.data.ranges, i * 2);
  }
  /** The line and character the whole definition starts at, without building a `Range`. */
  startLine(i: number): number {
    return this.data.ranges[i * 8]!;
  }
  startCharacter(i: number): number {
    return this.data.ranges[i * 8 + 1]!;
  }
  /** Whether definition `i` and `other`'s definition `j` have the same ranges (the whole, and the term). */
  samePlace(i: number, other: DefinitionList, j: number): boolean {
    const a = this.data.ranges;
    const b = other.data.ranges;
    for (let k = 0; k < 8; k++) if (a[i * 8 + k] !== b[j * 8 + k]) return false;
    return true;
  }
  at(i: number): DefinitionItem {
    return {
      term: this.data.terms[i]!,
      english: this.data.english[i] ?? undefined,
      definition: this.data.texts[i]!,
      range: rangeAt(this.data.ranges, i * 2),
      termRange: rangeAt(this.data.ranges, i * 2 + 1),
    };
  }
}

/**
 * What the workspace index keeps of a note: enough to answer completion, hover, references and rename
 * across the vault without the note's text. Built from the model; never holds the text itself. The lists
 * are packed (see `SummaryData`); their items, `Range`s included, are built when read.
 */
export class NoteSummary {
  readonly entities: EntityList;
  readonly definitions: DefinitionList;

  constructor(readonly data: SummaryData) {
    this.entities = new EntityList(data.entities);
    this.definitions = new DefinitionList(data.definitions);
  }

  /** The position of `text`'s key among the note's distinct bold texts, or -1 when it holds none. */
  private boldAt(text: string): number {
    const [a, b] = boldKey(text);
    return keyIndex(this.data.bolds.keys, a, b);
  }

  /** Whether the note holds a bold span reading exactly `text` (by its 64-bit key, see `boldKey`). */
  hasBold(text: string): boolean {
    return this.boldAt(text) >= 0;
  }

  /** The ranges of the bold spans reading exactly `text`, in document order. */
  boldRanges(text: string): Range[] {
    const at = this.boldAt(text);
    const out: Range[] = [];
    if (at < 0) return out;
    const { of, ranges } = this.data.bolds;
    for (let i = 0; i < of.length; i++) if (of[i] === at) out.push(rangeAt(ranges, i));
    return out;
  }

  get uri(): string {
    return this.data.uri;
  }
  get title(): string | undefined {
    return this.data.title;
  }
  get date(): string | undefined {
    return this.data.date;
  }
  get fields(): readonly SummaryField[] {
    return this.data.fields;
  }

  toJSON(): unknown {
    return { uri: this.uri, title: this.title, date: this.date, fields: this.fields, entities: this.entities, definitions: this.definitions, bolds: { keys: [...this.data.bolds.keys], of: [...this.data.bolds.of], ranges: [...this.data.bolds.ranges] } };
  }
}

/** Every style a value can have, by its code in `SummaryData.entities.styles`. */
const STYLES: readonly EntityStyle[] = [
  { quote: '', flow: false },
  { quote: '"', flow: false },
  { quote: "'", flow: false },
  { quote: '', flow: true },
  { quote: '"', flow: true },
  { quote: "'", flow: true },
];

function styleCode(s: EntityStyle): number {
  return (s.quote === '"' ? 1 : s.quote === "'" ? 2 : 0) + (s.flow ? 3 : 0);
}

export function summarize(uri: string, note: NoteModel): NoteSummary {
  return new NoteSummary(summaryData(uri, note));
}

/** What a summary takes from the front matter alone. */
type FrontMatterPart = Pick<SummaryData, 'title' | 'date' | 'fields' | 'entities'>;

/**
 * The front-matter part of the summaries of an open note's versions, by the model's entity list: the
 * parse of the next version shares that list (and the front matter) when an edit left the front matter
 * alone (see `reparseNote`), and so do their summaries. The index only ever replaces a summary's strings
 * by equal shared copies, so sharing the arrays between versions is safe.
 */
const frontMatterParts = new WeakMap<readonly EntityRef[], FrontMatterPart>();

/**
 * The summary of a version of an open note: `summarize`, with the front-matter part shared with the
 * previous version's summary when the front matter did not change.
 */
export function summarizeOpen(uri: string, note: NoteModel): NoteSummary {
  let part = frontMatterParts.get(note.entities);
  if (!part) frontMatterParts.set(note.entities, (part = frontMatterPart(note)));
  return new NoteSummary(summaryData(uri, note, part));
}

function frontMatterPart(note: NoteModel): FrontMatterPart {
  const data = note.frontMatter?.data ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const es = note.entities;
  return {
    title: str(data['title']),
    date: str(data['date']),
    fields: (note.frontMatter?.fields ?? []).map((f) => {
      const v = f.value;
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? { key: f.key, kind: f.kind, scalar: v } : { key: f.key, kind: f.kind };
    }),
    entities: {
      keys: es.map((e) => e.key), values: es.map((e) => e.value),
      styles: entityStyles(note.frontMatter, es), ranges: packRanges(es.length, (i) => es[i]!.loc.range),
    },
  };
}

/**
 * The packed summary of a parsed note. Its typed arrays are views of one buffer (`together`), as a
 * summary restored from the index cache has them; those of a front-matter part shared with another
 * version of an open note (`summarizeOpen`) stay that part's own.
 */
export function summaryData(uri: string, note: NoteModel, shared?: FrontMatterPart): SummaryData {
  const part = shared ?? frontMatterPart(note);
  const ds = note.body.definitions;
  const bs = note.body.bolds;
  const { keys, of } = boldKeys(bs);
  const typed = [
    keys,
    packRanges(ds.length * 2, (i) => (i % 2 ? ds[i >> 1]!.termLoc.range : ds[i >> 1]!.loc.range)),
    of,
    packRanges(bs.length, (i) => bs[i]!.textLoc.range),
    ...(shared ? [] : [part.entities.ranges, part.entities.styles]),
  ] as const;
  const [boldKeyWords, definitionRanges, boldOf, boldRanges, entityRanges, styles] = together(typed);
  return {
    uri,
    title: part.title,
    date: part.date,
    fields: part.fields,
    entities: shared ? part.entities : { ...part.entities, ranges: entityRanges as PackedRanges, styles: styles as Uint8Array },
    definitions: { terms: ds.map((d) => d.term), english: ds.map((d) => d.english ?? null), texts: ds.map((d) => d.definition), ranges: definitionRanges as PackedRanges },
    bolds: { keys: boldKeyWords as Uint32Array, of: boldOf as Uint16Array | Uint32Array, ranges: boldRanges as PackedRanges },
  };
}

type Typed = Uint8Array | Uint16Array | Uint32Array;

/**
 * Copies of `arrays` (same types, same contents) as views of one buffer, each from a 4-byte boundary.
 * A note has six typed arrays; as six buffers, each with its engine object and its allocation, they
 * took ~9 MB more than one buffer each at 10,000 notes, and six copies apiece crossing from the parser
 * thread.
 */
export function together(arrays: readonly Typed[]): Typed[] {
  let bytes = 0;
  for (const a of arrays) bytes += Math.ceil(a.byteLength / 4) * 4;
  const buffer = new ArrayBuffer(bytes);
  let offset = 0;
  return arrays.map((a) => {
    const Make = a.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => Typed;
    const view = new Make(buffer, offset, a.length);
    view.set(a);
    offset += Math.ceil(a.byteLength / 4) * 4;
    return view;
  });
}

/** The 32-bit FNV-1a hash of a string's UTF-16 code units (half of `boldKey`; the benchmark's checksums). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * What a summary keeps of a bold text: two 32-bit hashes of its UTF-16 code units (`hash32`, and a
 * multiply-rotate hash with other constants), 64 bits together. Among the ~600,000 distinct bold texts
 * of a 10,000-note vault, the chance that some other text shares the key of the one asked for is about
 * 3 in 10^14, so references and rename take a match as the text itself.
 */
export function boldKey(s: string): readonly [number, number] {
  return [hash32(s), murmur32(s)];
}

/** The second half of `boldKey`: a multiply-rotate hash (MurmurHash3's mixing, seeded with the length). */
function murmur32(s: string): number {
  let h = s.length ^ 0x9747b28c;
  for (let i = 0; i < s.length; i++) h = murmurStep(h, s.charCodeAt(i));
  return murmurFinal(h);
}

/** `murmur32`'s state after one more code unit. */
function murmurStep(h: number, c: number): number {
  let k = Math.imul(c, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/** `murmur32`'s result from its state after the last code unit. */
function murmurFinal(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Writes `boldKey(s)` into `words` at `at` as one 64-bit element (`hash32` in the high word): both
 * halves in one pass over the code units, as `hash32` and `murmur32` compute them. A scan hashes every
 * bold span (~300 a note); two passes were ~5% of the parser thread's time.
 */
function putKey(words: Uint32Array, at: number, s: string): void {
  let f = 0x811c9dc5;
  let h = s.length ^ 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    f = Math.imul(f ^ c, 0x01000193);
    h = murmurStep(h, c);
  }
  words[at + HIGH] = f >>> 0;
  words[at + 1 - HIGH] = murmurFinal(h);
}

/** Where the first (high) word of a 64-bit element lies among its two 32-bit words on this platform. */
const HIGH = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1 ? 1 : 0;

/**
 * The keys of the distinct bold texts, sorted (by `hash32`, then the other half), and for each span the
 * position of its key among them. Each span's key is written as one 64-bit number, first half high, so
 * that the engine's numeric sort orders them: a `Set` and a `Map` of fresh strings, a comparison sort
 * and small arrays per text cost several times more (~0.3 ms a note of this format). Two texts with the
 * same 64-bit key share an entry, as they would share every lookup anyway.
 */
function boldKeys(bs: readonly Bold[]): Pick<SummaryData['bolds'], 'keys' | 'of'> {
  const n = bs.length;
  const sorted = new BigUint64Array(n);
  const words = new Uint32Array(sorted.buffer);
  for (let i = 0; i < n; i++) putKey(words, 2 * i, bs[i]!.text);
  const spans = words.slice();
  sorted.sort();
  let distinct = 0;
  const keys = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = words[2 * i + HIGH]!;
    const b = words[2 * i + 1 - HIGH]!;
    if (distinct > 0 && keys[2 * distinct - 2] === a && keys[2 * distinct - 1] === b) continue;
    keys[2 * distinct] = a;
    keys[2 * distinct + 1] = b;
    distinct++;
  }
  const unique = keys.slice(0, 2 * distinct);
  const of = distinct <= 0xffff ? new Uint16Array(n) : new Uint32Array(n);
  for (let i = 0; i < n; i++) of[i] = keyIndex(unique, spans[2 * i + HIGH]!, spans[2 * i + 1 - HIGH]!);
  return { keys: unique, of };
}

/** The position of the key (a, b) among sorted key pairs, or -1. */
function keyIndex(keys: Uint32Array, a: number, b: number): number {
  let lo = 0;
  let hi = keys.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const ka = keys[2 * mid]!;
    if (ka < a || (ka === a && keys[2 * mid + 1]! < b)) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo < keys.length && keys[2 * lo] === a && keys[2 * lo + 1] === b ? lo : -1;
}

/** The style code of each entity (see `STYLES`), each field looked up once. */
function entityStyles(fm: FrontMatter | undefined, es: readonly EntityRef[]): Uint8Array {
  const out = new Uint8Array(es.length);
  const fields = new Map<string, Field | undefined>();
  for (let i = 0; i < es.length; i++) {
    const e = es[i]!;
    let field = fields.get(e.key);
    if (field === undefined && !fields.has(e.key)) fields.set(e.key, (field = fieldOf(fm, e.key)));
    out[i] = styleCode(styleAt(field, e.index));
  }
  return out;
}

/** The first field of that key (the one a YAML lookup of the key finds). */
function fieldOf(fm: FrontMatter | undefined, key: string): Field | undefined {
  return fm?.fields.find((f) => f.key === key);
}

/** The style of the item at `index` of a field's list (or of the field's scalar value: -1). */
function styleAt(field: Field | undefined, index: number): EntityStyle {
  const quote = (index >= 0 ? field?.items?.[index]?.quote : field?.quote) ?? '';
  return { quote, flow: field?.listStyle === 'flow' };
}

/** The quoting and list style of an entity value, as the front matter's fields record them. */
export function styleOf(fm: FrontMatter | undefined, e: EntityRef): EntityStyle {
  return styleAt(fieldOf(fm, e.key), e.index);
}
