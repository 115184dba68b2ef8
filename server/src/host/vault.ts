/** Lists and reads the notes of a folder through the core, for the CLI (the server indexes note by note). */
import * as path from 'node:path';
import { parseNote, type ParseOptions } from '../core/parse/note';
import type { ParseResult, Problem } from '../core/parse/types';
import { t } from '../core/l10n';
import { codeInfo } from '../core/codes';
import { DEFAULT_MAX_FILE_BYTES, fileUri, listNotes, readNote, type ReadResult } from './files';

/** A note of a folder, as listed. */
export interface VaultFile {
  readonly file: string;
  /** Relative to the folder, with `/` separators. */
  readonly relative: string;
  readonly uri: string;
}

export interface LoadedNote extends VaultFile {
  /** The text, when it was read. */
  readonly text: string | undefined;
  readonly result: ParseResult | undefined;
  /** Problems of the file itself (skipped, unreadable) or of its parse. */
  readonly problems: readonly Problem[];
}

export interface LoadOptions extends ParseOptions {
  readonly maxFileBytes?: number;
  /** Called for each note as it loads (for progress and logging). */
  readonly onSkip?: (file: string, reason: string) => void;
}

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function skipProblem(read: Extract<ReadResult, { ok: false }>, maxBytes: number): Problem {
  const code = read.reason === 'binary' ? 'file-binary' : read.reason === 'too-large' ? 'file-too-large' : 'internal-error';
  const message = read.reason === 'binary'
    ? t('Skipped: this file is not UTF-8 text ({0}).', read.detail)
    : read.reason === 'too-large'
      ? t('Skipped: this file is larger than the limit of {0} bytes ({1}).', maxBytes, read.detail)
      : t('Skipped: this file could not be read ({0}).', read.detail);
  return { code, severity: codeInfo(code)?.severity ?? 'warning', message, range: zero };
}

/** Every note of a folder (see `listNotes`), in a stable order, with the folder's absolute path. */
export async function listVault(folder: string): Promise<{ readonly root: string; readonly files: readonly VaultFile[] }> {
  const root = path.resolve(folder);
  const files = (await listNotes(root)).map((file) => ({ file, relative: path.relative(root, file).split(path.sep).join('/'), uri: fileUri(file) }));
  return { root, files };
}

/** One note of the folder `root` read and parsed, or the problem of a file that cannot be read. */
export function readVaultNote(root: string, f: VaultFile, options: LoadOptions = {}): LoadedNote {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read = readNote(f.file, maxBytes, { root });
  if (!read.ok) {
    options.onSkip?.(f.file, read.reason);
    return { ...f, text: undefined, result: undefined, problems: [skipProblem(read, maxBytes)] };
  }
  const result = parseNote(read.text, options);
  return { ...f, text: read.text, result, problems: result.problems };
}

/** Every note of a folder, read and parsed: all of them in memory at once (see `readVaultNote` for one at a time). */
export async function loadVault(folder: string, options: LoadOptions = {}): Promise<LoadedNote[]> {
  const { root, files } = await listVault(folder);
  return files.map((f) => readVaultNote(root, f, options));
}
