/**
 * The persisted index cache: the summaries of a workspace folder's notes, written after a scan, so that
 * a restart on an unchanged vault neither reads nor parses the notes again.
 *
 * - Keyed by path, size and modification time: a file whose size or mtime differ from the cached ones is
 *   always read again. The stat is taken *before* the file is read, so a file that changes while it is
 *   being read carries a newer mtime than the cached one and is read again next time.
 * - Versioned: the header holds a fingerprint of the cache format, the server version, the build (size
 *   and mtime of the running script), the parse options and the shape of a summary (its keys, found by
 *   summarising a sample note), so a change to any of them discards the whole cache instead of feeding
 *   features summaries of another parser.
 * - Written atomically: to a temporary file in the same folder, then renamed over the old one.
 * - Binary, with one table of the vault's distinct strings: a note's strings are positions in it. At
 *   10,000 notes the notes hold ~3.2 million strings but only ~200,000 distinct ones, so the file is
 *   about half the size of one JSON line per note, it is decoded without a JSON or base64 parser, and the
 *   positions let the index group a restart's notes by entity and term before it looks anything up
 *   (`WorkspaceIndex.addMany`).
 *
 * Layout (32-bit words in this machine's byte order, which the fingerprint holds):
 * ```
 * "NSIX" format headerBytes header(JSON, UTF-8, padded to 4 bytes)
 * record*             one a note, see encodeRecord
 * forms               the matching forms of entity values (see encodeForms)
 * groups              the records' entities, terms and interned strings, grouped (see cacheGroups.ts)
 * strings             count, the UTF-16 length of each, then their UTF-16 code units (padded)
 * trailer             where forms, groups and strings start (bytes), the number of records, the file size, "XISN"
 * ```
 *
 * A missing, unreadable or corrupt cache is not an error: the scan reads the notes as if there were none.
 * Every number read from the file is checked before it is used, so a corrupt record ends the restore
 * (the notes before it were checked one by one) and never reads outside the file or allocates more than
 * the file holds.
 */
import { createHash } from 'node:crypto';
import { promises as fsp, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pinyinOf } from '../core/index/entityKinds';
import type { EntityForms, IndexGroups, SummaryStringIds, SummaryWithIds } from '../core/index/workspaceIndex';
import { NoteSummary, SharedFields, summaryData, type PackedRanges, type SummaryData, type SummaryField } from '../core/index/summary';
import { parseNote, type ParseOptions } from '../core/parse/note';
import { drain, type Steps } from '../core/steps';
import { CacheGrouper, decodeGroups } from './cacheGroups';

export const CACHE_FORMAT = 8;
const MAGIC = 0x5849534e; // "NSIX" read as a little-endian word; only compared with what this code wrote.
const TRAILER_MAGIC = 0x4e534958;

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
}

/** The default folder of cache files: the platform's per-user cache folder. */
export function defaultCacheDirectory(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local'), 'notesense', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'notesense');
  return path.join(process.env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'notesense');
}

/** One cache file per workspace folder, named by a hash of the folder's path. */
export function cacheFileFor(directory: string, folder: string): string {
  const hash = createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 24);
  return path.join(directory, `index-${hash}.nsidx`);
}

/** A note with every construct a summary records, so that its keys describe the summary's shape. */
const SAMPLE = '---\ntitle: 样例\ndate: 2024-01-01\npeople:\n- "甲"\n- [x]\nspeaker: 乙\n---\n# 标题\n**术语**（Term: 定义）**粗体**\n';

/** The keys and value types of summary data, recursively (array items merged), in a stable order. */
function shapeOf(v: unknown): string {
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (Array.isArray(v)) return `[${[...new Set(v.map((x) => shapeOf(x)))].sort().join('|')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${k}:${shapeOf((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return v === null ? 'null' : typeof v;
}

export interface CacheKey {
  readonly fingerprint: string;
}

/**
 * The code that made the summaries: the size and mtime of the running script (dist/server.js in the
 * bundle), so that any new build, a parser fix included, discards the cache even when the version and
 * the summary's shape stay the same.
 */
function codeStamp(): string {
  try {
    const s = statSync(__filename);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

export function cacheKey(serverVersion: string, options: ParseOptions): CacheKey {
  const shape = shapeOf(summaryData('file:///sample.md', parseNote(SAMPLE, options).note));
  const fingerprint = createHash('sha256').update(JSON.stringify([CACHE_FORMAT, os.endianness(), serverVersion, codeStamp(), options, shape])).digest('hex');
  return { fingerprint };
}

export interface CacheHeader {
  readonly format: number;
  readonly fingerprint: string;
  readonly folder: string;
}

/** One note of a cache file, as `encodeRecord` takes it and `CachedNote.decode` gives it back. */
export interface CacheEntry {
  readonly file: string;
  readonly stat: FileStat;
  readonly summary: NoteSummary;
}

/** A note's record in an open cache file: its key, read at once, and its summary, decoded when asked. */
export interface CachedNote {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * The summary (with `uri`), its strings from the file's table, and where each sits in the table (for
   * `WorkspaceIndex.addMany`). Throws when the record is corrupt.
   */
  decode(uri: string): SummaryWithIds;
}

/** Field scalar tags. */
const NO_SCALAR = 0;
const STRING = 1;
const TRUE = 2;
const FALSE = 3;
const NUMBER = 4;

/** Converts a double to two words and back, in this machine's byte order. */
const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

function corrupt(): never {
  throw new Error('corrupt cache record');
}

/** A growing array of 32-bit words. */
class Words {
  words = new Uint32Array(1 << 12);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.words.length) return;
    let size = this.words.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint32Array(size);
    grown.set(this.words.subarray(0, this.length));
    this.words = grown;
  }

  push(x: number): void {
    this.room(1);
    this.words[this.length++] = x;
  }

  pushAll(xs: ArrayLike<number>): void {
    this.room(xs.length);
    for (let i = 0; i < xs.length; i++) this.words[this.length + i] = xs[i]!;
    this.length += xs.length;
  }

  double(x: number): void {
    f64[0] = x;
    this.push(f64Words[0]!);
    this.push(f64Words[1]!);
  }

  /** The bytes of a typed array, in whole words (the last one padded with zeros). */
  bytes(a: Uint8Array | Uint16Array | Uint32Array): void {
    const n = Math.ceil(a.byteLength / 4);
    this.room(n);
    this.words.fill(0, this.length, this.length + n);
    new Uint8Array(this.words.buffer, this.length * 4, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    this.length += n;
  }
}

/** Strings of the table encoded a part (see `StringTable.encodeParts`): ~1 ms of work. */
const STRINGS_A_PART = 16_384;
/** Entity values whose forms are encoded a step (see `encodeFormsSteps`). */
const FORMS_A_STEP = 4_096;

/** Numbers the strings of the records being written, in the order they are first met. */
class StringTable {
  private readonly ids = new Map<string, number>();
  readonly strings: string[] = [];
  /** The entity values met, by position (their matching forms are written after the records). */
  readonly entityValues = new Set<number>();

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(s, id);
      this.strings.push(s);
    }
    return id;
  }

  /** The table as the file holds it: count, UTF-16 lengths, code units (padded to a word). */
  encode(): Buffer {
    return Buffer.concat([...this.encodeParts()]);
  }

  /**
   * `encode` in parts, to be written one after another: the count and lengths with the first
   * STRINGS_A_PART strings' code units, then as many again a part, the padding with the last. At 50,000
   * notes the table holds ~1,000,000 strings, a few hundred milliseconds to encode at once.
   */
  *encodeParts(): Generator<Buffer> {
    const n = this.strings.length;
    const head = new Uint32Array(1 + n);
    head[0] = n;
    let units = 0;
    for (let i = 0; i < n; i++) units += head[1 + i] = this.strings[i]!.length;
    let written = 0;
    // At least one part, for the count of an empty table.
    for (let from = 0; from === 0 || from < n; from += STRINGS_A_PART) {
      const text = Buffer.from(this.strings.slice(from, from + STRINGS_A_PART).join(''), 'utf16le');
      written += text.length;
      const part = from === 0 ? [Buffer.from(head.buffer, head.byteOffset, head.byteLength), text] : [text];
      if (from + STRINGS_A_PART >= n) {
        if (written !== units * 2) throw new Error('string table');
        part.push(Buffer.alloc((4 - (written % 4)) % 4));
      }
      yield part.length === 1 ? text : Buffer.concat(part);
    }
  }
}

/**
 * Appends one note's record to `out`, numbering its strings in `table`. A record is: its length in words;
 * the file, its size and mtime; title and date (position + 1, 0 for none); the fields; the entity items'
 * keys and values, the definitions' terms, English names (+ 1) and texts (string positions); the bold
 * spans' counts; the width (16 or 32 bits) of each packed array; then every typed array of the summary,
 * each from a word boundary, so that a note's typed arrays are decoded as views of one copy.
 */
function encodeRecord(out: Words, table: StringTable, e: CacheEntry, grouper?: CacheGrouper): void {
  const d = e.summary.data;
  const at = out.length;
  const id = (s: string) => table.id(s);
  const optional = (s: string | null | undefined) => (s == null ? 0 : table.id(s) + 1);
  const width = (a: Uint16Array | Uint32Array) => (a instanceof Uint16Array ? 16 : 32);
  out.push(0);
  out.push(id(e.file));
  out.double(e.stat.size);
  out.double(e.stat.mtimeMs);
  out.push(optional(d.title));
  out.push(optional(d.date));
  out.push(d.fields.length);
  for (const f of d.fields) {
    out.push(id(f.key));
    out.push(id(f.kind));
    const v = f.scalar;
    if (typeof v === 'string') {
      out.push(STRING);
      out.push(id(v));
    } else if (typeof v === 'boolean') out.push(v ? TRUE : FALSE);
    else if (typeof v === 'number') {
      out.push(NUMBER);
      out.double(v);
    } else out.push(NO_SCALAR);
  }
  const en = d.entities;
  out.push(en.keys.length);
  const keysAt = out.length;
  for (const k of en.keys) out.push(id(k));
  for (const v of en.values) {
    const at = id(v);
    table.entityValues.add(at);
    out.push(at);
  }
  const df = d.definitions;
  out.push(df.terms.length);
  const termsAt = out.length;
  for (const t of df.terms) out.push(id(t));
  for (const x of df.english) out.push(optional(x));
  for (const t of df.texts) out.push(id(t));
  out.push(d.bolds.keys.length);
  out.push(width(en.ranges));
  out.push(width(df.ranges));
  out.bytes(en.styles);
  out.bytes(en.ranges);
  out.bytes(df.ranges);
  out.bytes(d.bolds.keys);
  out.words[at] = out.length - at;
  if (grouper) {
    // The positions just written, read back once the record is whole (a push may have moved the words).
    const ne = en.keys.length;
    const nd = df.terms.length;
    const view = (from: number, n: number) => out.words.subarray(from, from + n);
    grouper.add({ keys: view(keysAt, ne), values: view(keysAt + ne, ne), terms: view(termsAt, nd), english: view(termsAt + nd, nd), texts: view(termsAt + 2 * nd, nd) }, en.keys, table.strings.length);
  }
}

/**
 * The matching forms of the entity values met (see `EntityForms`): their count, then for each the value,
 * its folded form, spelling key, pinyin and initials (string positions), and its words (count, positions).
 * Values `formsOf` knows nothing of are left out; a restart computes theirs.
 */
function encodeForms(table: StringTable, formsOf: ((value: string) => EntityForms | undefined) | undefined): Buffer {
  return drain(encodeFormsSteps(table, formsOf));
}

/** `encodeForms` in steps of FORMS_A_STEP values (~260,000 values at 50,000 notes). */
function* encodeFormsSteps(table: StringTable, formsOf: ((value: string) => EntityForms | undefined) | undefined): Steps<Buffer> {
  const out = new Words();
  out.push(0);
  let count = 0;
  let seen = 0;
  for (const at of table.entityValues) {
    if (++seen % FORMS_A_STEP === 0) yield;
    const forms = formsOf?.(table.strings[at]!);
    if (!forms) continue;
    out.push(at);
    out.push(table.id(forms.folded));
    out.push(table.id(forms.spelling));
    out.push(table.id(forms.pinyin.full));
    out.push(table.id(forms.pinyin.initials));
    out.push(forms.words.length);
    for (const w of forms.words) out.push(table.id(w));
    count++;
  }
  out.words[0] = count;
  return Buffer.from(out.words.buffer, 0, out.length * 4);
}

/** The first bytes of a cache file: magic, format, header length and header, padded to a word. */
function encodeHeader(header: CacheHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const head = new Uint32Array([MAGIC, CACHE_FORMAT, json.length]);
  const pad = Buffer.alloc((4 - (json.length % 4)) % 4);
  return Buffer.concat([Buffer.from(head.buffer), json, pad]);
}

/** The last 24 bytes: where the forms, the groups and the strings start, the number of records, the file's size. */
function encodeTrailer(formsAt: number, groupsAt: number, stringsAt: number, records: number, size: number): Buffer {
  if (size > 0xffffffff) throw new Error('index cache larger than 4 GB');
  return Buffer.from(new Uint32Array([formsAt, groupsAt, stringsAt, records, size, TRAILER_MAGIC]).buffer);
}
const TRAILER_WORDS = 6;

/**
 * A whole cache file in one piece (tests edit cache files through `readCacheFile` and this). With
 * `groups` false the groups section is left empty, as a file whose groups do not fit its records: a
 * restart then groups the notes itself.
 */
export function encodeCacheFile(header: CacheHeader, entries: Iterable<CacheEntry>, formsOf?: (value: string) => EntityForms | undefined, groups = true): Buffer {
  const table = new StringTable();
  const out = new Words();
  const grouper = new CacheGrouper();
  let records = 0;
  for (const e of entries) {
    encodeRecord(out, table, e, groups ? grouper : undefined);
    records++;
  }
  const head = encodeHeader(header);
  const body = Buffer.from(out.words.buffer, 0, out.length * 4);
  const forms = encodeForms(table, formsOf);
  const grouped = drain(grouper.encodeSteps((s) => table.id(s)));
  const strings = table.encode();
  const formsAt = head.length + body.length;
  const groupsAt = formsAt + forms.length;
  const stringsAt = groupsAt + grouped.length;
  const size = stringsAt + strings.length + TRAILER_WORDS * 4;
  return Buffer.concat([head, body, forms, grouped, strings, encodeTrailer(formsAt, groupsAt, stringsAt, records, size)]);
}

/** A cache file read into memory: its header, its string table and its records (see `notes`). */
export class CacheFile {
  /** One object for each distinct front-matter field among the records decoded (see `SharedFields`). */
  private readonly fields = new SharedFields();
  /** Where the decoded records' typed arrays are copied to (see `TailArena`). */
  private readonly tails = new TailArena();

  private constructor(
    readonly header: CacheHeader,
    readonly strings: readonly string[],
    /** The matching forms of entity values, by the value's position in `strings`. */
    readonly forms: ReadonlyMap<number, EntityForms>,
    private readonly words: Uint32Array,
    private readonly recordsStart: number,
    private readonly recordsEnd: number,
    /** Where the groups section starts and ends (words), and the number of records the trailer gives. */
    private readonly groupsAt: number,
    private readonly groupsEnd: number,
    readonly records: number,
  ) {}

  /** The file's contents, or undefined when they are not a cache file of this format. */
  static parse(bytes: Uint8Array): CacheFile | undefined {
    try {
      if (bytes.byteLength < 32 || bytes.byteLength % 4 !== 0) return undefined;
      // A word view needs an aligned start: a copy when the bytes are not.
      const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
      const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
      const total = words.length;
      if (words[0] !== MAGIC || words[1] !== CACHE_FORMAT || words[total - 1] !== TRAILER_MAGIC || words[total - 2] !== bytes.byteLength) return undefined;
      const headerBytes = words[2]!;
      if (12 + headerBytes > bytes.byteLength) return undefined;
      const header = JSON.parse(Buffer.from(aligned.buffer, aligned.byteOffset + 12, headerBytes).toString('utf8')) as CacheHeader;
      if (typeof header?.fingerprint !== 'string' || typeof header.folder !== 'string') return undefined;
      const recordsStart = Math.ceil((12 + headerBytes) / 4);
      const trailer = total - TRAILER_WORDS;
      const formsAt = words[trailer]! / 4;
      const groupsAt = words[trailer + 1]! / 4;
      const stringsAt = words[trailer + 2]! / 4;
      const records = words[trailer + 3]!;
      if (![formsAt, groupsAt, stringsAt].every(Number.isInteger) || formsAt < recordsStart || groupsAt <= formsAt || stringsAt <= groupsAt || stringsAt >= trailer) return undefined;
      const strings = decodeStrings(aligned, words, stringsAt, trailer);
      const forms = strings && decodeForms(words, strings, formsAt, groupsAt);
      if (!strings || !forms) return undefined;
      return new CacheFile(header, strings, forms, words, recordsStart, formsAt, groupsAt, stringsAt, records);
    } catch {
      return undefined;
    }
  }

  /**
   * The notes' records in file order, each with its file, size and mtime; the summary is decoded only
   * when asked. Throws when a record's length does not fit the file (what follows cannot be trusted),
   * after the records before it.
   */
  *notes(): Generator<CachedNote> {
    const { records, complete } = this.walk();
    yield* records;
    if (!complete) corrupt();
  }

  /**
   * The records `notes` gives, as an array, and whether they reach the end of the records (false: a
   * record's length did not fit, and the array holds those before it). A plain loop, not the generator:
   * V8 optimizes a generator only on a later call, never in the middle of its first, so walking 10,000
   * records in one took ~70 ms instead of ~10.
   */
  walk(): { records: CachedNote[]; complete: boolean } {
    const { words, strings } = this;
    const records: CachedNote[] = [];
    let at = this.recordsStart;
    while (at < this.recordsEnd) {
      const length = words[at]!;
      const fileId = words[at + 1]!;
      if (length < 9 || at + length > this.recordsEnd || fileId >= strings.length) return { records, complete: false };
      records.push(new CachedRecord(this, strings[fileId]!, readDouble(words, at + 2), readDouble(words, at + 4), at, length));
      at += length;
    }
    return { records, complete: true };
  }

  /** Decodes the record at word `start` (see `CachedNote.decode`). */
  decodeAt(start: number, length: number, uri: string): SummaryWithIds {
    return decodeRecord(this.words, this.strings, start, length, uri, this.fields, this.tails);
  }

  /**
   * The records' groups (see cacheGroups.ts), as views of the file's words; undefined when the section
   * does not fit the file or its records (left empty, or damaged): the notes are then grouped as they
   * are indexed. Only `addGroupedSteps` of every record of the file, in file order, may use them.
   */
  groups(): IndexGroups | undefined {
    return decodeGroups(this.words, this.strings, this.forms, this.groupsAt, this.groupsEnd, this.records);
  }

  /**
   * The notes whose file still has the cached size and mtime in `stats` (files that changed, vanished
   * or are not in `stats` are left out); throws as `notes` does.
   */
  *current(stats: ReadonlyMap<string, FileStat>): Generator<CachedNote> {
    for (const note of this.notes()) {
      const stat = stats.get(note.file);
      if (stat && stat.size === note.size && stat.mtimeMs === note.mtimeMs) yield note;
    }
  }
}

/** A record of an open cache file (see `CacheFile.walk`). */
class CachedRecord implements CachedNote {
  constructor(
    private readonly cache: CacheFile,
    readonly file: string,
    readonly size: number,
    readonly mtimeMs: number,
    private readonly start: number,
    private readonly length: number,
  ) {}

  decode(uri: string): SummaryWithIds {
    return this.cache.decodeAt(this.start, this.length, uri);
  }
}

function readDouble(words: Uint32Array, at: number): number {
  f64Words[0] = words[at]!;
  f64Words[1] = words[at + 1]!;
  return f64[0]!;
}

/** The forms section (see `encodeForms`) from word `at` to word `end`; undefined when it does not fit. */
function decodeForms(words: Uint32Array, strings: readonly string[], at: number, end: number): Map<number, EntityForms> | undefined {
  const out = new Map<number, EntityForms>();
  const n = strings.length;
  const count = words[at++]!;
  for (let i = 0; i < count; i++) {
    if (at + 6 > end) return undefined;
    const value = words[at]!;
    const folded = words[at + 1]!;
    const spelling = words[at + 2]!;
    const full = words[at + 3]!;
    const initials = words[at + 4]!;
    const w = words[at + 5]!;
    at += 6;
    if (value >= n || folded >= n || spelling >= n || full >= n || initials >= n || w > end - at) return undefined;
    const list: string[] = [];
    for (let j = 0; j < w; j++) {
      const id = words[at + j]!;
      if (id >= n) return undefined;
      list.push(strings[id]!);
    }
    at += w;
    out.set(value, { folded: strings[folded]!, spelling: strings[spelling]!, words: list, pinyin: pinyinOf(strings[full]!, strings[initials]!) });
  }
  return at === end ? out : undefined;
}

/** The string table that starts at word `at` and ends before word `end`; undefined when it does not fit. */
function decodeStrings(bytes: Uint8Array, words: Uint32Array, at: number, end: number): string[] | undefined {
  const count = words[at]!;
  if (at + 1 + count > end) return undefined;
  let units = 0;
  for (let i = 0; i < count; i++) units += words[at + 1 + i]!;
  const textStart = (at + 1 + count) * 4;
  if (textStart + units * 2 > end * 4) return undefined;
  // One decode of all the text, and each string a slice of it.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + textStart, units * 2).toString('utf16le');
  const out: string[] = new Array<string>(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const n = words[at + 1 + i]!;
    out[i] = text.slice(offset, offset + n);
    offset += n;
  }
  return out;
}

/** The size of the buffers `TailArena` copies records' typed arrays into. */
const TAIL_CHUNK_BYTES = 1 << 20;

/**
 * The typed arrays of decoded records, copied out of the file's bytes (which are let go once the restore
 * is done) into shared buffers of TAIL_CHUNK_BYTES, one after another. A buffer of its own for each
 * record (`ArrayBuffer.slice`: an allocation, a copy and a buffer the engine tracks) took 40–115 ms for
 * 10,000 records of a restart's size, measured in isolation. A buffer lives while a view of it does: after notes are indexed again, at most
 * what the restore copied (~22 MB at 10,000 notes) stays, and it goes when the last of its notes does.
 */
export class TailArena {
  private chunk: Uint32Array | undefined;
  private used = 0;

  /** The byte offset in its buffer of the last copy `copy` made. */
  offset = 0;

  /** A copy of `words[from..to)`: the buffer holding it (it starts at byte `offset` of it). */
  copy(words: Uint32Array, from: number, to: number): ArrayBuffer {
    const n = to - from;
    // A record too large to share a chunk with others (a note with thousands of items) gets its own buffer.
    if (n * 4 > TAIL_CHUNK_BYTES / 4) {
      this.offset = 0;
      return words.slice(from, to).buffer;
    }
    if (!this.chunk || this.used + n > this.chunk.length) {
      this.chunk = new Uint32Array(TAIL_CHUNK_BYTES / 4);
      this.used = 0;
    }
    this.chunk.set(words.subarray(from, to), this.used);
    this.offset = this.used * 4;
    this.used += n;
    return this.chunk.buffer as ArrayBuffer;
  }
}

/** Decodes the record at word `start` (`length` words); throws on anything `encodeRecord` does not write. */
function decodeRecord(words: Uint32Array, strings: readonly string[], start: number, length: number, uri: string, shared: SharedFields, arena: TailArena): SummaryWithIds {
  // Plain loops over the words, no helper closures: a restart decodes 10,000 records in a row, and every
  // object made here either stays (the summary) or is garbage the next scavenge has to skip.
  const end = start + length;
  const nStrings = strings.length;
  let at = start + 6;
  if (at + 3 > end) corrupt();
  const titleId = words[at]!;
  const dateId = words[at + 1]!;
  const nf = words[at + 2]!;
  at += 3;
  if (titleId > nStrings || dateId > nStrings || nf * 3 > end - at) corrupt();
  const title = titleId === 0 ? undefined : strings[titleId - 1]!;
  const date = dateId === 0 ? undefined : strings[dateId - 1]!;
  const fields = new Array<SummaryField>(nf);
  for (let i = 0; i < nf; i++) {
    if (at + 3 > end) corrupt();
    const keyId = words[at]!;
    const kindId = words[at + 1]!;
    const tag = words[at + 2]!;
    at += 3;
    if (keyId >= nStrings || kindId >= nStrings) corrupt();
    const key = strings[keyId]!;
    const kind = strings[kindId]! as SummaryField['kind'];
    // Each field is the shared object for it (see `SharedFields`), made only when it is the first such.
    if (tag === STRING) {
      if (at >= end) corrupt();
      const id = words[at++]!;
      if (id >= nStrings) corrupt();
      fields[i] = shared.field(key, kind, true, strings[id]!);
    } else if (tag === TRUE || tag === FALSE) fields[i] = shared.field(key, kind, true, tag === TRUE);
    else if (tag === NUMBER) {
      if (end - at < 2) corrupt();
      fields[i] = shared.field(key, kind, true, readDouble(words, at));
      at += 2;
    } else if (tag === NO_SCALAR) fields[i] = shared.field(key, kind, false, undefined);
    else corrupt();
  }
  if (at >= end) corrupt();
  const ne = words[at++]!;
  if (ne * 2 > end - at) corrupt();
  const keysAt = at;
  const valuesAt = at + ne;
  at += 2 * ne;
  if (at >= end) corrupt();
  const nd = words[at++]!;
  if (nd * 3 > end - at) corrupt();
  const termsAt = at;
  const englishAt = at + nd;
  const textsAt = at + 2 * nd;
  at += 3 * nd;
  const keys = stringsAt(words, strings, keysAt, ne);
  const values = stringsAt(words, strings, valuesAt, ne);
  const terms = stringsAt(words, strings, termsAt, nd);
  const texts = stringsAt(words, strings, textsAt, nd);
  const english = new Array<string | null>(nd);
  for (let i = 0; i < nd; i++) {
    const id = words[englishAt + i]!;
    if (id > nStrings) corrupt();
    english[i] = id === 0 ? null : strings[id - 1]!;
  }
  if (at + 3 > end) corrupt();
  const nk = words[at]!;
  const entityWidth = words[at + 1]!;
  const definitionWidth = words[at + 2]!;
  at += 3;
  if ((entityWidth !== 16 && entityWidth !== 32) || (definitionWidth !== 16 && definitionWidth !== 32)) corrupt();
  // The typed arrays: one copy of the record's tail (in the file's arena), each array a view of it from a word boundary.
  const stylesBytes = ne;
  const entityBytes = ne * 4 * (entityWidth / 8);
  const definitionBytes = nd * 8 * (definitionWidth / 8);
  const boldBytes = nk * 4;
  const tailWords = Math.ceil(stylesBytes / 4) + Math.ceil(entityBytes / 4) + Math.ceil(definitionBytes / 4) + Math.ceil(boldBytes / 4);
  if (tailWords !== end - at) corrupt();
  const tail = arena.copy(words, at, end);
  let offset = arena.offset;
  const styles = new Uint8Array(tail, offset, stylesBytes);
  offset += Math.ceil(stylesBytes / 4) * 4;
  for (let i = 0; i < ne; i++) if (styles[i]! > 5) corrupt();
  const entityRanges: PackedRanges = entityWidth === 16 ? new Uint16Array(tail, offset, entityBytes / 2) : new Uint32Array(tail, offset, entityBytes / 4);
  offset += Math.ceil(entityBytes / 4) * 4;
  const definitionRanges: PackedRanges = definitionWidth === 16 ? new Uint16Array(tail, offset, definitionBytes / 2) : new Uint32Array(tail, offset, definitionBytes / 4);
  offset += Math.ceil(definitionBytes / 4) * 4;
  // The keys of the distinct bold texts, in increasing order (`NoteSummary.hasBold` searches them).
  const boldKeys = new Uint32Array(tail, offset, nk);
  for (let i = 1; i < nk; i++) if (!(boldKeys[i - 1]! < boldKeys[i]!)) corrupt();
  const data: SummaryData = {
    uri,
    title,
    date,
    fields,
    entities: { keys, values, styles, ranges: entityRanges },
    definitions: { terms, english, texts, ranges: definitionRanges },
    bolds: { keys: boldKeys },
  };
  const ids = {
    keys: words.subarray(keysAt, keysAt + ne),
    values: words.subarray(valuesAt, valuesAt + ne),
    terms: words.subarray(termsAt, termsAt + nd),
    english: words.subarray(englishAt, englishAt + nd),
    texts: words.subarray(textsAt, textsAt + nd),
  };
  return { summary: new NoteSummary(data), ids };
}

/**
 * The strings whose table positions are `words[at..at + n)`, as an array of exactly that length, filled in
 * place: grown by `push`, the five string arrays of a record were each allocated three or four times and
 * kept ~20 slots of room (~7 MB at 10,000 notes), and decoding took ~20% longer (in process). Such an
 * array is "holey" to the engine, which costs a read a check it never fails.
 */
function stringsAt(words: Uint32Array, strings: readonly string[], at: number, n: number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const id = words[at + i]!;
    if (id >= strings.length) corrupt();
    out[i] = strings[id]!;
  }
  return out;
}

/**
 * Reads a cache file; undefined when it is missing, unreadable, not of this format, or written for another
 * key or folder.
 */
export async function openCache(cacheFile: string, folder: string, key: CacheKey): Promise<CacheFile | undefined> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readWhole(cacheFile);
  } catch {
    return undefined;
  }
  const cache = bytes && CacheFile.parse(bytes);
  if (!cache || cache.header.fingerprint !== key.fingerprint || cache.header.folder !== path.resolve(folder)) return undefined;
  return cache;
}

/**
 * A file's bytes in as few reads as the system gives: `readFile` reads 512 KB at a time, each a trip
 * through the thread pool and the event loop, which made reading an 87 MB cache take ~0.5 s while the
 * folders were being listed. Undefined when the file is larger than a buffer can be or changes size.
 */
async function readWhole(file: string): Promise<Buffer | undefined> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > 0xffff_fffc) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) return undefined;
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Every note of a cache file with its summary decoded (tests read and edit cache files with it). */
export function readCacheFile(bytes: Uint8Array): { header: CacheHeader; entries: CacheEntry[] } | undefined {
  const cache = CacheFile.parse(bytes);
  if (!cache) return undefined;
  const entries: CacheEntry[] = [];
  for (const n of cache.notes()) entries.push({ file: n.file, stat: { size: n.size, mtimeMs: n.mtimeMs }, summary: n.decode('').summary });
  return { header: cache.header, entries };
}

/**
 * Reads the cache file and hands every entry whose file still has the cached size and mtime to `restore`
 * (with the summary, its uri set by `uriOf`, and its strings' table positions). Returns the files
 * restored. Entries for files that changed, vanished or are not in `stats` are skipped; a corrupt record
 * ends the restore, and the files after it are left to be read from disk.
 */
export async function restoreCache(cacheFile: string, folder: string, key: CacheKey, stats: ReadonlyMap<string, FileStat>,
  uriOf: (file: string) => string, restore: (file: string, summary: NoteSummary, ids: SummaryStringIds) => void): Promise<Set<string>> {
  const restored = new Set<string>();
  const cache = await openCache(cacheFile, folder, key);
  if (!cache) return restored;
  try {
    for (const note of cache.current(stats)) {
      if (restored.has(note.file)) continue;
      const { summary, ids } = note.decode(uriOf(note.file));
      restore(note.file, summary, ids);
      restored.add(note.file);
    }
  } catch {
    // A corrupt record ends the restore; what was restored is valid.
  }
  return restored;
}

/**
 * The longest one slice of encoding runs on the main thread before the write yields (see `writeCache`).
 * Encoding a note of the seed's size (numbering its ~300 strings in the table) takes ~0.2 ms, so a slice
 * is a dozen or more notes, and a request that arrives meanwhile waits about this long at most (garbage
 * collection aside).
 */
export const CACHE_SLICE_MS = 3;

export interface CacheWriteOptions {
  /** The time budget of a slice in milliseconds (at least one note is encoded per slice). */
  readonly sliceMs?: number;
  /**
   * Called before each slice; the slice runs once it resolves to true. False abandons the write: the
   * temporary file is removed and the old cache, if any, stays as it was. Without it every slice runs
   * as soon as the event loop has had its turn.
   */
  readonly pace?: () => boolean | Promise<boolean>;
  /** The matching forms of an entity value, as the index holds them (written so a restart need not compute them). */
  readonly formsOf?: (value: string) => EntityForms | undefined;
}

/**
 * Writes the cache atomically: a temporary file in the same folder, renamed over the old cache (and a
 * cache of an older format for the folder, under its old name, is removed). Resolves
 * to false when `pace` abandoned the write (nothing changed on disk then), true once the cache is in place.
 *
 * Encoding is main-thread work (about two seconds at 10,000 notes: every string is looked up in the
 * table being built), so it
 * runs in slices of `sliceMs` measured by the clock, each written out before the next. Between two
 * slices the event loop runs twice (see `yieldTurn`): a request read from the connection meanwhile is
 * handled before the next slice starts.
 */
export async function writeCache(cacheFile: string, folder: string, key: CacheKey,
  entries: Iterable<{ file: string; stat: FileStat; summary: NoteSummary }>, options: CacheWriteOptions = {}): Promise<boolean> {
  const sliceMs = options.sliceMs ?? CACHE_SLICE_MS;
  const pace = options.pace ?? (() => true);
  const it = entries[Symbol.iterator]();
  let next = it.next();
  // The temporary file is created by the first slice allowed to run, not before: a write that waits
  // for an idle moment and is then abandoned (or never gets to run) leaves nothing behind.
  if (!(await pace())) return false;
  await fsp.mkdir(path.dirname(cacheFile), { recursive: true });
  await removeStaleTemporaries(cacheFile);
  const tmp = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fsp.open(tmp, 'w');
  let done = false;
  try {
    const header: CacheHeader = { format: CACHE_FORMAT, fingerprint: key.fingerprint, folder: path.resolve(folder) };
    const head = encodeHeader(header);
    await handle.write(head);
    let size = head.length;
    const table = new StringTable();
    const grouper = new CacheGrouper();
    let records = 0;
    let start = performance.now();
    const sliceOver = () => performance.now() - start >= sliceMs;
    /** Ends a slice: a yield, then the pace's say (false: abandoned). */
    const nextSlice = async () => {
      await yieldTurn();
      if (!(await pace())) return false;
      start = performance.now();
      return true;
    };
    while (!next.done) {
      const out = new Words();
      do {
        encodeRecord(out, table, next.value, grouper);
        records++;
        next = it.next();
      } while (!next.done && !sliceOver());
      // Each slice's records go to disk before the next slice: the write awaits the disk, and no more
      // than one slice of records is held in memory (the string table grows until the end).
      await handle.write(new Uint8Array(out.words.buffer, 0, out.length * 4));
      size += out.length * 4;
      if (!next.done && !(await nextSlice())) return false;
    }
    // The forms, the groups and the string table come last, in slices too: ~30 ms for 200,000 strings at 10,000
    // notes, but at 50,000 notes (~1,000,000 strings) they were a block of more than a second.
    if (!(await pace())) return false;
    start = performance.now();
    /** Runs `steps` in the slices; undefined when the write was abandoned meanwhile. */
    const inSlices = async (steps: Steps<Buffer>): Promise<Buffer | undefined> => {
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) return step.value;
        if (sliceOver() && !(await nextSlice())) return undefined;
      }
    };
    const forms = await inSlices(encodeFormsSteps(table, options.formsOf));
    if (!forms) return false;
    await handle.write(forms);
    const groups = await inSlices(grouper.encodeSteps((s) => table.id(s)));
    if (!groups) return false;
    await handle.write(groups);
    let stringsLength = 0;
    let firstPart = true;
    for (const part of table.encodeParts()) {
      if (!firstPart && sliceOver() && !(await nextSlice())) return false;
      firstPart = false;
      await handle.write(part);
      stringsLength += part.length;
    }
    const stringsAt = size + forms.length + groups.length;
    await handle.write(encodeTrailer(size, size + forms.length, stringsAt, records, stringsAt + stringsLength + TRAILER_WORDS * 4));
    await handle.sync().catch(() => undefined);
    done = true;
  } finally {
    await handle.close().catch(() => undefined);
    if (!done) await fsp.rm(tmp, { force: true });
  }
  await fsp.rename(tmp, cacheFile).catch(async (e: unknown) => {
    await fsp.rm(tmp, { force: true });
    throw e;
  });
  // Format 5 and before: one JSON line a note, in a file of the same name ending in `.ndjson`.
  await fsp.rm(cacheFile.replace(/\.nsidx$/, '.ndjson'), { force: true }).catch(() => undefined);
  return true;
}

/**
 * Removes the temporary files of this cache left by servers that are gone: a server killed during its
 * write (an editor gives `shutdown` a few seconds) leaves one as large as the cache. A temporary file of
 * a live process (another window on the same folder, writing now) is left alone.
 */
async function removeStaleTemporaries(cacheFile: string): Promise<void> {
  const prefix = `${path.basename(cacheFile)}.`;
  let names: string[];
  try {
    names = await fsp.readdir(path.dirname(cacheFile));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length).split('.')[0]) : NaN;
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await fsp.rm(path.join(path.dirname(cacheFile), name), { force: true }).catch(() => undefined);
  }
}

/** Whether a process exists (signal 0 only checks; EPERM means it exists under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` once the requests read meanwhile have been handled: two hops through the immediate queue.
 * The connection handles a request in an immediate queued when its bytes are read (the poll phase); an
 * immediate queued before that (by a slice of background work for the next one, or after an awaited
 * write) runs first, so one hop let a request wait for the next slice too. The second hop is queued
 * behind every immediate of that poll phase, the request's included. At 10,000 notes, background
 * slices queued with one hop made the p50 of a hover during the cold index ~14 ms, when the hover itself
 * takes ~1 ms (bench/FINDINGS.md, session 13).
 */
export function afterRequests(fn: () => void): void {
  setImmediate(() => setImmediate(fn));
}

/** `afterRequests` as a promise, for a loop that yields between its slices. */
export function yieldTurn(): Promise<void> {
  return new Promise((resolve) => afterRequests(resolve));
}

/**
 * Stats files; a file that cannot be stat'ed is left out (the scan reads it or skips it). Blocking stats,
 * in slices of about `sliceMs` with a yield between: at 10,000 notes they take ~50 ms in all on this
 * machine, where asynchronous ones took 200–300 ms of the main thread's time in promises and callbacks.
 * A slow disk makes each slice longer by at most one stat.
 */
export async function statAll(files: readonly string[], sliceMs = 4): Promise<Map<string, FileStat>> {
  const out = new Map<string, FileStat>();
  let start = performance.now();
  for (const file of files) {
    try {
      const s = statSync(file, { throwIfNoEntry: false });
      if (s?.isFile()) out.set(file, { size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // unreadable: the scan decides
    }
    if (performance.now() - start >= sliceMs) {
      await yieldTurn();
      start = performance.now();
    }
  }
  return out;
}
