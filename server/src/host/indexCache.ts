/**
 * The persisted index cache: the summaries of a workspace folder's notes, written after a scan, so that
 * a restart on an unchanged vault neither reads nor parses the notes again.
 *
 * - Keyed by path, size and modification time: a file whose size or mtime differ from the cached ones is
 *   always read again. The stat is taken *before* the file is read, so a file that changes while it is
 *   being read carries a newer mtime than the cached one and is read again next time.
 * - Versioned: the first line holds a fingerprint of the cache format, the server version, the build
 *   (size and mtime of the running script), the parse options and the shape of a summary (its keys, found
 *   by summarising a sample note), so a change to any of them discards the whole cache instead of feeding
 *   features summaries of another parser.
 * - Written atomically: to a temporary file in the same folder, then renamed over the old one.
 * - One JSON line per note (NDJSON), read as a stream: restoring never holds the whole file in memory.
 *
 * A missing, unreadable or corrupt cache is not an error: the scan reads the notes as if there were none.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { NoteSummary, summaryData, type PackedRanges, type SummaryData } from '../core/index/summary';
import { parseNote, type ParseOptions } from '../core/parse/note';

export const CACHE_FORMAT = 5;

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
  return path.join(directory, `index-${hash}.ndjson`);
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

interface Header {
  readonly format: number;
  readonly fingerprint: string;
  readonly folder: string;
}

/** The tag of each typed array kind in a cache line. */
const TYPED = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array } as const;
type Typed = Uint8Array | Uint16Array | Uint32Array;

/** A typed array as `tag:base64` of its bytes (in this machine's byte order, which the fingerprint holds). */
function encodeTyped(v: Typed): string {
  const tag = v instanceof Uint32Array ? 'u32' : v instanceof Uint16Array ? 'u16' : 'u8';
  return `${tag}:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}`;
}

/** The typed array of `encodeTyped` (with exactly `length` elements when given); throws on anything else. */
function decodeTyped(s: unknown, length?: number): Typed {
  const colon = typeof s === 'string' ? s.indexOf(':') : -1;
  const Type = colon > 0 ? TYPED[(s as string).slice(0, colon) as keyof typeof TYPED] : undefined;
  if (!Type) throw new Error('bad cache line');
  const bytes = Buffer.from((s as string).slice(colon + 1), 'base64');
  const n = bytes.byteLength / Type.BYTES_PER_ELEMENT;
  if (!Number.isInteger(n) || (length !== undefined && n !== length)) throw new Error('bad cache line');
  // A copy into a buffer of its own: the decoded bytes may sit at any offset of a shared pool.
  const out = new Type(n);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * A summary as one JSON line: its packed data without the uri, typed arrays as base64 (parsing a string
 * is far cheaper than parsing the ~2,000 numbers of a note's ranges).
 *
 * The typed arrays are swapped for their base64 text before `JSON.stringify`, not by a replacer: a
 * replacer is called for every value, each of the hundreds of strings of a note included, and made the
 * encoding a third slower. Only plain objects are walked, since typed arrays sit in objects, never in
 * arrays; the line is the same as a replacer's.
 */
export function encodeSummary(file: string, stat: FileStat, summary: NoteSummary): string {
  return JSON.stringify([file, stat.size, stat.mtimeMs, withTypedAsText(summary.data, true)]);
}

/** A copy of a plain object with typed arrays as `encodeTyped` text (and without `uri` at the top). */
function withTypedAsText(o: object, top: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (top && k === 'uri') continue;
    if (v instanceof Uint32Array || v instanceof Uint16Array || v instanceof Uint8Array) out[k] = encodeTyped(v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = withTypedAsText(v as object, false);
    else out[k] = v;
  }
  return out;
}

/** The summary data of a cache line; throws on anything but the shape `encodeSummary` writes. */
function decodeData(v: unknown, uri: string): SummaryData {
  const o = v as Record<string, Record<string, unknown>>;
  const strings = (a: unknown, n?: number): string[] => {
    if (!Array.isArray(a) || (n !== undefined && a.length !== n) || !a.every((x) => typeof x === 'string')) throw new Error('bad cache line');
    return a as string[];
  };
  const { entities: e, definitions: d } = o;
  const fields = o['fields'] as unknown;
  if (!e || !d || !Array.isArray(fields) || !fields.every((f: Record<string, unknown> | null) => f && typeof f['key'] === 'string' && typeof f['kind'] === 'string')) {
    throw new Error('bad cache line');
  }
  const keys = strings(e['keys']);
  const terms = strings(d['terms']);
  const english = d['english'];
  if (!Array.isArray(english) || english.length !== terms.length || !english.every((x) => x === null || typeof x === 'string')) throw new Error('bad cache line');
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const ranges = (a: unknown, n: number): PackedRanges => {
    const v = decodeTyped(a, n);
    if (v instanceof Uint8Array) throw new Error('bad cache line');
    return v;
  };
  const styles = (a: unknown, n: number): Uint8Array => {
    const v = decodeTyped(a, n);
    if (!(v instanceof Uint8Array) || v.some((x) => x > 5)) throw new Error('bad cache line');
    return v;
  };
  // The keys of the distinct bold texts (two numbers each, in increasing order: `NoteSummary.hasBold`
  // searches them), the position of each span's key, and the spans' ranges.
  const b = o['bolds'];
  const boldKeys = decodeTyped(b?.['keys']);
  const increasing = (i: number) => boldKeys[i - 2]! < boldKeys[i]! || (boldKeys[i - 2] === boldKeys[i] && boldKeys[i - 1]! < boldKeys[i + 1]!);
  if (!(boldKeys instanceof Uint32Array) || boldKeys.length % 2 !== 0) throw new Error('bad cache line');
  for (let i = 2; i < boldKeys.length; i += 2) if (!increasing(i)) throw new Error('bad cache line');
  const of = decodeTyped(b?.['of']);
  if (of instanceof Uint8Array || of.some((x) => 2 * x >= boldKeys.length)) throw new Error('bad cache line');
  return {
    uri,
    title: str(o['title']),
    date: str(o['date']),
    fields: fields as SummaryData['fields'],
    entities: {
      keys,
      values: strings(e['values'], keys.length),
      styles: styles(e['styles'], keys.length),
      ranges: ranges(e['ranges'], keys.length * 4),
    },
    definitions: {
      terms,
      english: english as Array<string | null>,
      texts: strings(d['texts'], terms.length),
      ranges: ranges(d['ranges'], terms.length * 8),
    },
    bolds: { keys: boldKeys, of, ranges: ranges(b?.['ranges'], of.length * 4) },
  };
}

/**
 * Streams the cache file and hands every entry whose file still has the cached size and mtime to
 * `restore` (with the summary, its uri set by `uriOf`). Returns the files restored. Entries for files
 * that changed, vanished or are not in `stats` are skipped.
 */
export async function restoreCache(cacheFile: string, folder: string, key: CacheKey, stats: ReadonlyMap<string, FileStat>,
  uriOf: (file: string) => string, restore: (file: string, summary: NoteSummary) => void): Promise<Set<string>> {
  const restored = new Set<string>();
  let stream;
  try {
    await fsp.access(cacheFile);
    // 64 KB reads: the lines of one read are decoded without a yield, so requests wait at most for those.
    stream = createReadStream(cacheFile, { encoding: 'utf8', highWaterMark: 1 << 16 });
  } catch {
    return restored;
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let first = true;
  try {
    for await (const line of lines) {
      if (first) {
        first = false;
        const header = JSON.parse(line) as Header;
        if (header.format !== CACHE_FORMAT || header.fingerprint !== key.fingerprint || header.folder !== path.resolve(folder)) break;
        continue;
      }
      if (line === '') continue;
      const [file, size, mtimeMs, summary] = JSON.parse(line) as [string, number, number, Record<string, unknown>];
      const stat = stats.get(file);
      if (!stat || stat.size !== size || stat.mtimeMs !== mtimeMs || restored.has(file)) continue;
      restore(file, new NoteSummary(decodeData(summary, uriOf(file))));
      restored.add(file);
    }
  } catch {
    // A corrupt line ends the restore; what was restored is valid (each line was checked on its own), the
    // rest is read from disk.
  } finally {
    lines.close();
    stream.destroy();
  }
  return restored;
}

/**
 * The longest one slice of encoding runs on the main thread before the write yields (see `writeCache`).
 * Encoding a note of the seed's size and converting it to UTF-8 takes ~0.2 ms, so a slice is a dozen or
 * more notes, and a request that arrives meanwhile waits about this long at most (garbage collection
 * aside).
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
}

/**
 * Writes the cache atomically: a temporary file in the same folder, renamed over the old cache. Resolves
 * to false when `pace` abandoned the write (nothing changed on disk then), true once the cache is in place.
 *
 * Encoding is main-thread work (one to two seconds at 10,000 notes, with the UTF-8 conversion), so it
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
    const header: Header = { format: CACHE_FORMAT, fingerprint: key.fingerprint, folder: path.resolve(folder) };
    // Lines become UTF-8 inside the slice that encodes them: the conversion costs almost as much as the
    // encoding, and the write would otherwise do it on the main thread after the slice's budget.
    let chunk: Buffer[] = [Buffer.from(JSON.stringify(header) + '\n')];
    for (let first = true; !next.done; first = false) {
      if (!first) {
        await yieldTurn();
        if (!(await pace())) return false;
      }
      const start = performance.now();
      do {
        const e = next.value;
        chunk.push(Buffer.from(encodeSummary(e.file, e.stat, e.summary) + '\n'));
        next = it.next();
      } while (!next.done && performance.now() - start < sliceMs);
      // Each slice's lines go to disk before the next slice: the write awaits the disk, and no more than
      // one slice of encoded text is held in memory.
      await handle.writev(chunk);
      chunk = [];
    }
    if (chunk.length) await handle.writev(chunk);
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
 * Lets the event loop run two turns. One `setImmediate` after an awaited write is not enough: the write
 * completes in the poll phase, where bytes of a request may be read just after it, and the connection
 * handles a request from an immediate queued behind ours. The second hop runs after every immediate
 * queued in that poll phase, the request's included.
 */
function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Stats files a few at a time; a file that cannot be stat'ed is left out (the scan reads it or skips it). */
export async function statAll(files: readonly string[], concurrency = 32): Promise<Map<string, FileStat>> {
  const out = new Map<string, FileStat>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      try {
        const s = await fsp.stat(file);
        if (s.isFile()) out.set(file, { size: s.size, mtimeMs: s.mtimeMs });
      } catch {
        // gone or unreadable: the scan decides
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return out;
}
