/** Loads every note of a folder through the core, for the CLI (the server indexes note by note). */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseNote, type ParseOptions } from '../core/parse/note';
import type { ParseResult, Problem } from '../core/parse/types';
import { t } from '../core/l10n';
import { codeInfo } from '../core/codes';
import { DEFAULT_MAX_FILE_BYTES, listNotes, readNote, type ReadResult } from './files';

export interface LoadedNote {
  readonly file: string;
  /** Relative to the folder, with `/` separators. */
  readonly relative: string;
  readonly uri: string;
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

export async function loadVault(folder: string, options: LoadOptions = {}): Promise<LoadedNote[]> {
  const root = path.resolve(folder);
  const files = await listNotes(root);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const out: LoadedNote[] = [];
  for (const file of files) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const uri = pathToFileURL(file).href;
    const read = readNote(file, maxBytes, { root });
    if (!read.ok) {
      options.onSkip?.(file, read.reason);
      out.push({ file, relative, uri, text: undefined, result: undefined, problems: [skipProblem(read, maxBytes)] });
      continue;
    }
    const result = parseNote(read.text, options);
    out.push({ file, relative, uri, text: read.text, result, problems: result.problems });
  }
  return out;
}
