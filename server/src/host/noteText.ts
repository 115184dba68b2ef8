/**
 * Synchronous reading of one note's text, for the few features that must look into the body of notes
 * that are not open (glossary references and rename: the index keeps no texts). Features are
 * synchronous functions of their context, so this reads synchronously; it is only called for notes the
 * indexer already listed, on an explicit user request, and costs one bounded read per note that can
 * mention the term. The same guards as the indexer's reads apply: no symbolic link, no FIFO or device,
 * the size limit, text only (see files.ts).
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_FILE_BYTES, readNote } from './files';

/** The text of the note at a `file:` uri (BOM removed, as an editor shows it), or undefined. */
export function readNoteTextSync(uri: string, maxBytes = DEFAULT_MAX_FILE_BYTES): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  const read = readNote(file, maxBytes);
  return read.ok ? read.text : undefined;
}
