/**
 * Synchronous reading of one note's text, for the few features that must look into the body of notes
 * that are not open (glossary references and rename: the index keeps no texts). Features are
 * synchronous functions of their context, so this reads synchronously; it is only called for notes the
 * indexer already listed, on an explicit user request, and costs one bounded read per note that can
 * mention the term. The same guards as the indexer's reads apply: no symbolic link, no FIFO or device,
 * the size limit, text only (see files.ts).
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeNote, DEFAULT_MAX_FILE_BYTES } from './files';

const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOFOLLOW ?? 0);

/** The text of the note at a `file:` uri (BOM removed, as an editor shows it), or undefined. */
export function readNoteTextSync(uri: string, maxBytes = DEFAULT_MAX_FILE_BYTES): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(fileURLToPath(uri), OPEN_FLAGS);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) return undefined;
    const read = decodeNote(buffer.subarray(0, length));
    return read.ok ? read.text : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }
}
