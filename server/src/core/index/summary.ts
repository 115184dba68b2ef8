import type { Range } from 'vscode-languageserver-types';
import type { Bold, EntityRef, Field, FrontMatter, NoteModel, ValueKind } from '../parse/types';
import { positionsOf } from '../lists';

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
  private readonly names = new Map<string, string>();
  private size = 0;

  constructor(private readonly max = 100_000) {}

  /**
   * The shared object equal to `field`. The first of its kind is kept, made with the table's copies of
   * its key and kind: a field whose scalar no other note has (a title, a date) still shares those two
   * strings (each summary that crosses from the parser thread brings its own copies, ~1.5 MB at 10,000
   * notes).
   */
  of(field: SummaryField): SummaryField {
    // A map takes -0 for 0; a field of -0 keeps its own object.
    if (Object.is(field.scalar, -0)) return field;
    return this.field(field.key, field.kind, 'scalar' in field, field.scalar);
  }

  /**
   * The shared object for the field of `key` and `kind` with `scalar` (when `hasScalar`; a field without
   * one has no `scalar` property at all), made only when the table has none: what `of` gives for such a
   * field, without a field object to ask with. A scalar of -0 gets an object of its own, never shared.
   */
  field(key: string, kind: SummaryField['kind'], hasScalar: boolean, scalar: SummaryField['scalar']): SummaryField {
    const negativeZero = Object.is(scalar, -0);
    if (!negativeZero) {
      const kept = this.byKey.get(key)?.get(kind)?.get(scalar);
      if (kept) return kept;
    }
    if (this.size >= this.max) this.clear();
    key = this.name(key);
    kind = this.name(kind) as SummaryField['kind'];
    const made: SummaryField = hasScalar ? { key, kind, scalar } : { key, kind };
    if (negativeZero) return made;
    let kinds = this.byKey.get(key);
    if (!kinds) this.byKey.set(key, (kinds = new Map()));
    let scalars = kinds.get(kind);
    if (!scalars) kinds.set(kind, (scalars = new Map()));
    scalars.set(made.scalar, made);
    this.size++;
    return made;
  }

  /** The table's copy of a key or kind. */
  private name(s: string): string {
    let kept = this.names.get(s);
    if (kept === undefined) this.names.set(s, (kept = s));
    return kept;
  }

  /** Replaces each of `fields` by its shared object, in place. */
  shareAll(fields: SummaryField[]): void {
    for (let i = 0; i < fields.length; i++) fields[i] = this.of(fields[i]!);
  }

  private clear(): void {
    this.byKey.clear();
    this.names.clear();
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
 * Of the bold spans a summary keeps only a 32-bit hash of each distinct text (`hash32`), enough to tell
 * which notes may hold a given bold text: entity references and rename ask for the spans of one text,
 * and read those notes to find them (see `boldMentions`). Their ranges and which text each span holds
 * were ~3.5 KB a note (~300 spans), the largest part of the typed arrays at 10,000 notes; a restart and a
 * keystroke never needed them.
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
  /** `keys`: the `hash32` of each distinct bold text of the note, in increasing order, each once. */
  readonly bolds: { readonly keys: Uint32Array };
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
  /** The positions of `term`'s definitions in the list, in order. */
  positionsOf(term: string): readonly number[] {
    return termPositions(this.data.terms, term);
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

  /**
   * Whether the note may hold a bold span reading exactly `text`: whether its summary holds the text's
   * `hash32`. Another of the note's ~190 distinct bold texts shares that hash with a chance of about 1 in
   * 20 million; whoever needs the spans themselves reads the note and compares the texts.
   */
  hasBold(text: string): boolean {
    return hasKey(this.data.bolds.keys, hash32(text));
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
    return { uri: this.uri, title: this.title, date: this.date, fields: this.fields, entities: this.entities, definitions: this.definitions, bolds: { keys: [...this.data.bolds.keys] } };
  }
}

/** Where `term` is in `terms` (see `positionsOf`: a long list gets a map, made once). */
export function termPositions(terms: readonly string[], term: string): readonly number[] {
  return positionsOf(terms, term, same);
}

const same = (s: string) => s;

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

/**
 * `summarize`, with every string of the summary copied out of the note's text. A string taken from a
 * text is a slice of it, which keeps the whole text alive: an index of closed notes built in the same
 * thread as their parse (the CLI) held every note's text that way, ~54 KB a note of the seed's size. The
 * summary worker's answers are copies already (a structured clone, as here).
 */
export function summarizeDetached(uri: string, note: NoteModel): NoteSummary {
  return new NoteSummary(structuredClone(summaryData(uri, note)));
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
  const typed = [
    boldKeys(bs),
    packRanges(ds.length * 2, (i) => (i % 2 ? ds[i >> 1]!.termLoc.range : ds[i >> 1]!.loc.range)),
    ...(shared ? [] : [part.entities.ranges, part.entities.styles]),
  ] as const;
  const [keys, definitionRanges, entityRanges, styles] = together(typed);
  return {
    uri,
    title: part.title,
    date: part.date,
    fields: part.fields,
    entities: shared ? part.entities : { ...part.entities, ranges: entityRanges as PackedRanges, styles: styles as Uint8Array },
    definitions: { terms: ds.map((d) => d.term), english: ds.map((d) => d.english ?? null), texts: ds.map((d) => d.definition), ranges: definitionRanges as PackedRanges },
    bolds: { keys: keys as Uint32Array },
  };
}

type Typed = Uint8Array | Uint16Array | Uint32Array;

/**
 * Copies of `arrays` (same types, same contents) as views of one buffer, each from a 4-byte boundary.
 * A note has four typed arrays; as four buffers, each with its engine object and its allocation, they
 * took several MB more than one buffer each at 10,000 notes, and four copies apiece crossing from the parser
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

/** The 32-bit FNV-1a hash of a string's UTF-16 code units (a bold text's key; the benchmark's checksums). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The distinct `hash32` keys of the bold spans' texts, in increasing order. */
function boldKeys(bs: readonly Bold[]): Uint32Array {
  const all = new Uint32Array(bs.length);
  for (let i = 0; i < bs.length; i++) all[i] = hash32(bs[i]!.text);
  all.sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i]!;
  return all.slice(0, distinct);
}

/** Whether the sorted `keys` hold `key`. */
function hasKey(keys: Uint32Array, key: number): boolean {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo < keys.length && keys[lo] === key;
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
