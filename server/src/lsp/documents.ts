/**
 * Open documents, parsed once per version. Every feature that needs the model of an open note asks
 * here, so typing triggers one parse per keystroke, never one per feature. Each version is parsed from
 * the previous one (`reparseNote`): a keystroke in the body does not parse the front matter again.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { codeInfo } from '../core/codes';
import { t } from '../core/l10n';
import { parseNote, reparseNote, type NoteParse, type ParseOptions } from '../core/parse/note';
import type { ParseResult } from '../core/parse/types';

export class ParsedDocuments {
  private readonly cache = new Map<string, { version: number; result: ParseResult; parse: NoteParse | undefined }>();
  /** `maxBytes`: open notes larger than this (`notesense.maxFileSize`) are not parsed, like files on disk. */
  constructor(private readonly options: () => ParseOptions, private readonly maxBytes: () => number = () => Infinity) {}

  get(doc: TextDocument): ParseResult {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.result;
    const text = doc.getText();
    const skipped = tooLarge(text, doc.lineCount, this.maxBytes());
    const parse = skipped ? undefined : reparseNote(text, this.options(), hit?.parse);
    const result = skipped ?? parse!.result;
    this.cache.set(doc.uri, { version: doc.version, result, parse });
    return result;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}

/**
 * The model of an open note over the size limit: empty, with one `file-too-large` problem on its first
 * line, so that per-keystroke work stays bounded whatever the editor opens.
 */
function tooLarge(text: string, lineCount: number, maxBytes: number): ParseResult | undefined {
  // A UTF-16 unit is at most 3 UTF-8 bytes: only notes that may be over the limit are measured.
  if (text.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return undefined;
  const empty = parseNote('');
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const message = t('Skipped: this file is larger than the limit of {0} bytes ({1}).', maxBytes, t('{0} bytes', bytes));
  return {
    note: { ...empty.note, length: text.length, lineCount },
    problems: [{ code: 'file-too-large', severity: codeInfo('file-too-large')?.severity ?? 'warning', message, range }],
  };
}
