/** The glossary fixture vault (test/fixtures/glossary/vault) loaded into an index, with a context per note. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { DEFAULT_CORE_SETTINGS, type CoreSettings, type DocumentContext } from '../../../server/src/core/features/context';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { fixturesDir } from '../../support/paths';

export const GLOSSARY_VAULT = path.join(fixturesDir, 'glossary', 'vault');

export const A = '2024-04-25-规模定律与数据墙.md';
export const B = '2024-06-20-播客笔记.md';
export const C = '2024-07-01-分歧.md';
export const D = '2024-08-01-重复.md';

export const uriOf = (name: string) => `file:///vault/${encodeURIComponent(name)}`;

export class GlossaryVault {
  readonly index = new WorkspaceIndex();
  /** The texts of the notes, BOM included when the file has one. */
  readonly texts = new Map<string, string>();
  settings: CoreSettings = DEFAULT_CORE_SETTINGS;

  constructor(notes?: Record<string, string>) {
    const entries = notes ? Object.entries(notes) : readdirSync(GLOSSARY_VAULT).sort().map((n) => [n, readFileSync(path.join(GLOSSARY_VAULT, n), 'utf8')] as const);
    for (const [name, text] of entries) this.set(name, text);
  }

  set(name: string, text: string): void {
    this.texts.set(uriOf(name), text);
    this.index.set(summarize(uriOf(name), parseNote(text).note));
  }

  text(name: string): string {
    return this.texts.get(uriOf(name))!;
  }

  /** The context of a feature request in `name` (with `text` when given, as an unsaved buffer). */
  ctx(name: string, text = this.text(name)): DocumentContext {
    const { note, problems } = parseNote(text);
    return {
      uri: uriOf(name), text, note, problems, index: this.index, settings: this.settings,
      readText: (uri) => this.texts.get(uri),
    };
  }
}

export function positionAt(text: string, offset: number): Position {
  return TextDocument.create('t:', 'markdown', 0, text).positionAt(offset);
}

/** The offset of the `occurrence`-th `needle` in `text` plus `delta`. */
export function offsetOf(text: string, needle: string, occurrence = 0, delta = 0): number {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${occurrence} not found`);
  }
  return at + delta;
}

/** Applies a text document's edits (as an editor would) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('t:', 'markdown', 0, text), [...edits]);
}

/** Applies a workspace edit to the vault's texts and returns the changed texts by uri. */
export function applyWorkspaceEdit(vault: GlossaryVault, edit: WorkspaceEdit): Map<string, string> {
  const out = new Map<string, string>();
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) out.set(uri, applyEdits(vault.texts.get(uri)!, edits));
  return out;
}
