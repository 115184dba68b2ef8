/**
 * Reading notes from disk, for the language server's scan and the CLI. Everything that touches the file
 * system lives here, outside the pure core.
 *
 * A vault is often cloned from elsewhere, so nothing here trusts what it finds: symbolic links are never
 * followed (a link loop cannot hang the scan, a link out of the folder cannot pull foreign files in, and
 * no file is read twice under two names), FIFOs and devices are never opened for reading (opening a FIFO
 * blocks until someone writes to it), reads are bounded by the size limit even when a file grows while
 * it is read, and every file that is not read says why in one reason.
 */
import { isUtf8, transcode } from 'node:buffer';
import { closeSync, constants as fsConstants, fstatSync, openSync, promises as fsp, readSync, realpathSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { t } from '../core/l10n';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Folders never listed: tools' data, not notes (a watched event inside one is ignored too). */
export const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.obsidian', '.trash']);

/**
 * `O_NONBLOCK` makes opening a FIFO return at once instead of waiting for a writer (the open is then
 * refused below because the file is not a regular one); `O_NOFOLLOW` refuses a symbolic link as the last
 * path component. Both are 0 where the platform lacks them (Windows), which has no FIFOs of this kind.
 */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOFOLLOW ?? 0);

export type SkipReason = 'too-large' | 'binary' | 'unreadable';

export type ReadResult =
  | { readonly ok: true; readonly text: string; readonly encoding: 'utf8' | 'utf16le' | 'utf16be' }
  | { readonly ok: false; readonly reason: SkipReason; readonly detail: string };

export interface ReadOptions {
  /**
   * The workspace folder the file must lie in. When given, a file reached through a symbolic link to a
   * folder elsewhere (`notes/link/x.md` with `link -> /etc`) is refused like a link to the file itself.
   */
  readonly root?: string;
}

/**
 * Reads a note as text the way an editor shows it: UTF-8 (or UTF-16 with a byte order mark), the BOM
 * removed. Files over `maxBytes`, files that are not text (NUL bytes, invalid UTF-8: images, archives,
 * other encodings), and anything that is not a regular file are skipped with a reason. Never throws: a
 * file deleted or replaced while it is read is `unreadable` with the system's error code as detail.
 *
 * It blocks: its callers read one note after another anyway (the scan's parser thread, the CLI, a
 * feature that looks into a note that is not open), and a note is a few system calls, where the same
 * steps through the thread pool cost a round trip each (at 10,000 notes the scan took no measurably
 * different time either way).
 */
export function readNote(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES, options: ReadOptions = {}): ReadResult {
  const read = readNoteBytes(file, maxBytes, options);
  return read.ok ? decodeNote(read.bytes) : read;
}

export type BytesResult = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly reason: SkipReason; readonly detail: string };

/** A note's bytes, undecoded, with `readNote`'s guards (regular file, no symbolic link, the size limit). */
export function readNoteBytes(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES, options: ReadOptions = {}): BytesResult {
  let fd: number | undefined;
  try {
    if (options.root !== undefined && !isInside(file, options.root)) {
      return { ok: false, reason: 'unreadable', detail: t('outside the workspace folder') };
    }
    fd = openSync(file, OPEN_FLAGS);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'unreadable', detail: t('not a regular file') };
    if (stat.size > maxBytes) return { ok: false, reason: 'too-large', detail: t('{0} bytes', stat.size) };
    // Read at most one byte more than allowed: a file that grew since `stat` is caught without reading it all.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes, stat.size) + 1);
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      // The size `stat` gave is read: asking again only to hear "end of file" costs a call per note. The
      // extra byte still matters at the limit, and for files that claim no size.
      if (length >= stat.size && stat.size > 0 && stat.size < maxBytes) break;
    }
    if (length > maxBytes) return { ok: false, reason: 'too-large', detail: t('more than {0} bytes', maxBytes) };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // O_NOFOLLOW refuses a symbolic link with ELOOP (EMLINK on some BSDs).
    if (code === 'ELOOP' || code === 'EMLINK') return { ok: false, reason: 'unreadable', detail: t('symbolic link') };
    return { ok: false, reason: 'unreadable', detail: code ?? String(e) };
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Already closed or gone: nothing to release.
      }
    }
  }
}

/**
 * True when the real location of `file` (links resolved) is inside the real location of `root`. A folder
 * that cannot be resolved throws, as opening the file would.
 */
function isInside(file: string, root: string): boolean {
  const rel = path.relative(realpath(root), realpath(path.dirname(file)));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * How long a resolved folder is trusted. A scan reads many notes of the same folder within this time and
 * resolves the folder (and the root) once instead of once per note; a folder replaced by a link is seen
 * again once this has passed. Resolving and opening were never one atomic step, so a short window of
 * this kind existed before too.
 */
const REALPATH_TTL_MS = 1000;
const MAX_REALPATHS = 10_000;
const realpaths = new Map<string, { readonly at: number; readonly real: string }>();

/** `realpathSync` under that window; a failure throws and is not remembered. */
function realpath(dir: string): string {
  const now = Date.now();
  const known = realpaths.get(dir);
  if (known && now - known.at < REALPATH_TTL_MS && now >= known.at) return known.real;
  if (realpaths.size >= MAX_REALPATHS) realpaths.clear();
  const real = realpathSync(dir);
  realpaths.set(dir, { at: now, real });
  return real;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Whether the bytes start with a UTF-16 byte order mark (little or big endian). */
function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** Whether `decodeNote` reads the bytes as UTF-8 text: no UTF-16 byte order mark, no NUL, valid UTF-8. */
export function isUtf8Note(bytes: Uint8Array): boolean {
  return !hasUtf16Bom(bytes) && bytes.indexOf(0) < 0 && isUtf8(bytes);
}

/** Decodes a note's bytes, or says why they are not text. */
export function decodeNote(bytes: Uint8Array): ReadResult {
  if (hasUtf16Bom(bytes)) return decodeUtf16(bytes, bytes[0] === 0xff ? 'utf16le' : 'utf16be');
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, reason: 'binary', detail: t('a NUL byte at byte {0}', nul) };
  // Validating first and decoding without checks is several times faster than a fatal TextDecoder, and
  // rejects exactly the same bytes (overlong forms, surrogates, code points past U+10FFFF, cut sequences).
  if (!isUtf8(bytes)) return { ok: false, reason: 'binary', detail: t('invalid UTF-8 at byte {0}', firstInvalidUtf8(bytes)) };
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A leading UTF-8 BOM is dropped, as an editor does.
  const start = bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? 3 : 0;
  return { ok: true, text: decodeValidUtf8(buffer.subarray(start)), encoding: 'utf8' };
}

/**
 * Valid UTF-8 bytes as a string. Node's ICU converter to UTF-16, then a copy into a string, is about five
 * times faster on this format's mostly Chinese text than the engine's own UTF-8 decoder (`toString`,
 * `TextDecoder`): at 10,000 notes the decoding was a quarter of the parser thread's time. For valid UTF-8
 * both give the same string (tested on every code point and on every generated note). Where Node has no
 * ICU converter, or it answers wrongly, the engine's decoder is used.
 */
export const decodeValidUtf8: (bytes: Buffer) => string = utf8Decoder(typeof transcode === 'function' ? transcode : undefined);

/** The decoder `decodeValidUtf8` uses, given Node's `transcode` (or nothing); exported for the tests. */
export function utf8Decoder(convert: typeof transcode | undefined): (bytes: Buffer) => string {
  const engine = (bytes: Buffer) => bytes.toString('utf8');
  if (!convert) return engine;
  const icu = (bytes: Buffer) => convert(bytes, 'utf8', 'utf16le').toString('utf16le');
  try {
    const probe = 'a é 中文 😀\r\n';
    if (icu(Buffer.from(probe, 'utf8')) !== probe) return engine;
  } catch {
    return engine;
  }
  return (bytes) => {
    try {
      return icu(bytes);
    } catch {
      return engine(bytes);
    }
  };
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf16le' | 'utf16be'): ReadResult {
  if (bytes.length % 2 !== 0) return { ok: false, reason: 'binary', detail: t('an odd number of bytes for UTF-16') };
  const copy = Buffer.from(bytes.subarray(2));
  if (encoding === 'utf16be') copy.swap16();
  const text = copy.toString('utf16le');
  // A NUL character in UTF-16 text is as much a sign of a binary file as a NUL byte in UTF-8.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { ok: false, reason: 'binary', detail: t('a NUL byte at byte {0}', 2 + nul * 2) };
  return { ok: true, text, encoding };
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0) return i;
    if (n > 1) {
      try {
        utf8.decode(bytes.subarray(i, i + n));
      } catch {
        return i;
      }
    }
    i += n;
  }
  return i;
}

/**
 * An absolute POSIX path that `pathToFileURL` would leave as it is: no character it encodes (node 20
 * encodes `~`), no segment it resolves (`.` or `..`), no empty segment. A segment that only starts with
 * a dot (`.notes`, `...`) is an ordinary name to it.
 */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._-]+)+$/;

/** Whether `fileUri` writes `file`'s URI out directly (see `PLAIN_PATH`); never on Windows. */
export function isPlainPath(file: string): boolean {
  return process.platform !== 'win32' && PLAIN_PATH.test(file);
}

/**
 * The `file:` URI of an absolute path, as `pathToFileURL(file).href` gives it. A path made only of
 * letters, digits and `._-` between single slashes, no segment `.` or `..`, needs neither resolving nor
 * encoding and is written out directly: `pathToFileURL` parses a URL for each path, which took ~50–70 ms
 * of the main thread for a 10,000-note vault at every start. Anything else goes to it.
 */
export function fileUri(file: string): string {
  if (isPlainPath(file)) return 'file://' + file;
  return pathToFileURL(file).href;
}

export interface ListOptions {
  /** Returns true for paths (relative to the root, `/`-separated) that must not be read. */
  readonly exclude?: (relativePath: string, isDirectory: boolean) => boolean;
  /**
   * Told about every `.md` entry that is not listed because it is not a regular file (a link, a FIFO, a
   * socket), and every folder that cannot be read, with the reason. Excluded paths are not reported.
   */
  readonly onSkip?: (file: string, reason: string) => void;
}

/**
 * Every `.md` file below `root`, depth first, in a stable order. Symbolic links are not followed, so a
 * link loop or a link out of the folder can neither hang the scan nor read a file twice; only regular
 * files are listed. A folder that vanishes or cannot be read while the scan runs is skipped.
 */
export async function listNotes(root: string, options: ListOptions = {}): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      options.onSkip?.(dir, t('folder not read ({0})', (e as NodeJS.ErrnoException).code ?? String(e)));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name) || options.exclude?.(childRel, true)) continue;
        await walk(path.join(dir, entry.name), childRel);
      } else if (/\.md$/i.test(entry.name) && !options.exclude?.(childRel, false)) {
        if (entry.isFile()) out.push(path.join(dir, entry.name));
        else options.onSkip?.(path.join(dir, entry.name), entry.isSymbolicLink() ? t('symbolic link') : t('not a regular file'));
      }
    }
  };
  await walk(root, '');
  return out;
}
