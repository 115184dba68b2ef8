/**
 * Open documents, parsed once per version. Every feature that needs the model of an open note asks
 * here, so typing triggers one parse per keystroke, never one per feature.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseNote, type ParseOptions } from '../core/parse/note';
import type { ParseResult } from '../core/parse/types';

export class ParsedDocuments {
  private readonly cache = new Map<string, { version: number; result: ParseResult }>();
  constructor(private readonly options: () => ParseOptions) {}

  get(doc: TextDocument): ParseResult {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.result;
    const result = parseNote(doc.getText(), this.options());
    this.cache.set(doc.uri, { version: doc.version, result });
    return result;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
