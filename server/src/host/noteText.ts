/**
 * Synchronous reading of one note's text, for the few features that must look into the body of notes
 * that are not open (glossary references and rename: the index keeps no texts). Features are
 * synchronous functions of their context, so this reads synchronously; it is only called for notes the
 * indexer already listed, on an explicit user request, and costs one bounded read per note that can
 * mention the term. The same guards as the indexer's reads apply: no symbolic link, no FIFO or device,
 * the size limit, text only (see files.ts).
 */
import { fileURLToPath } from 'node:url';
import { decodeNote, DEFAULT_MAX_FILE_BYTES, isUtf8Note, readNote, readNoteBytes } from './files';

/** The text of the note at a `file:` uri (BOM removed, as an editor shows it), or undefined. */
export function readNoteTextSync(uri: string, maxBytes = DEFAULT_MAX_FILE_BYTES): string | undefined {
  const file = fileOf(uri);
  if (file === undefined) return undefined;
  const kept = handed;
  handed = undefined;
  const read = kept && kept.file === file && kept.maxBytes === maxBytes ? decodeNote(kept.bytes) : readNote(file, maxBytes);
  return read.ok ? read.text : undefined;
}

/**
 * The bytes `noteMayContain` read last, when it answered that the note may hold the strings: a search
 * (glossary references) reads that note's text at once, and reading the file a second time was a tenth
 * of the search. Handed over to the next `readNoteTextSync` of the same file in the same synchronous
 * run only: a microtask drops them, so no later read is served an old copy.
 */
let handed: { readonly file: string; readonly maxBytes: number; readonly bytes: Buffer } | undefined;

function hand(file: string, maxBytes: number, bytes: Buffer): void {
  const kept = (handed = { file, maxBytes, bytes });
  queueMicrotask(() => {
    if (handed === kept) handed = undefined;
  });
}

function fileOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * `DocumentContext.mayContain` for a note on disk, from its bytes without decoding them: false only when
 * its UTF-8 bytes hold none of `exact` and, with ASCII letters in either case, none of `caseless` (lower
 * case ASCII). A note that cannot be read this way (not a `file:` uri, unreadable, UTF-16) may contain
 * anything: true, and the caller reads its text. So do the two characters whose lower case is ASCII
 * (`İ`, the Kelvin sign `K`), which a search of the lower-cased text can find as `i` and `k`.
 */
export function noteMayContain(uri: string, exact: readonly string[], caseless: readonly string[], maxBytes = DEFAULT_MAX_FILE_BYTES): boolean {
  const file = fileOf(uri);
  if (file === undefined) return true;
  const read = readNoteBytes(file, maxBytes);
  if (!read.ok) return true;
  const may = bytesMayContain(read.bytes, exact, caseless);
  if (may) hand(file, maxBytes, read.bytes);
  return may;
}

/** `noteMayContain`'s test of a note's bytes. */
export function bytesMayContain(bytes: Buffer, exact: readonly string[], caseless: readonly string[]): boolean {
  // Only ASCII is searched with its letters in either case; anything else may be there.
  if (caseless.some((w) => /[\u0080-\uffff]/.test(w))) return true;
  for (const e of exact) if (bytes.indexOf(e, 0, 'utf8') >= 0) return true;
  // The two characters whose lower case is ASCII (`İ`, the Kelvin sign): a search of the lower-cased
  // text finds them as `i` and `k`, and the glossary reads a note that has `İ` whole.
  if (CASE_TO_ASCII.some((c) => bytes.indexOf(c) >= 0)) return true;
  // Read as Latin-1, a byte is a character and no multi-byte sequence holds an ASCII letter: the words
  // match, their letters in either case, exactly where the bytes hold them. One case-insensitive
  // pattern does it natively (lower-casing a copy byte by byte took ~0.3 ms a note; one pattern of every
  // string above, most of them not ASCII, ~0.2 ms).
  if (caseless.length > 0 && caselessPattern(caseless).test(bytes.toString('latin1'))) return true;
  // Not UTF-8 text (UTF-16, a NUL, invalid bytes): the searches above do not apply, and the caller's
  // read decodes it or refuses it and falls back to the index.
  return !isUtf8Note(bytes);
}

const CASE_TO_ASCII = ['\u0130', '\u212a'].map((c) => Buffer.from(c, 'utf8'));

let lastPattern: { readonly key: string; readonly pattern: RegExp } | undefined;

/** The words as one case-insensitive pattern (the last one kept: a search asks about every note with the same words). */
function caselessPattern(words: readonly string[]): RegExp {
  const key = JSON.stringify(words);
  if (lastPattern?.key !== key) lastPattern = { key, pattern: new RegExp(words.map((w) => w.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), 'i') };
  return lastPattern.pattern;
}
