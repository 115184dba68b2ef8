/**
 * Helpers for the end-to-end tests. Nothing here sleeps a fixed time: every wait polls a condition
 * until a deadline and then fails with what it last saw.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'notesense.notesense';

/** What the extension's `activate` returns (client/src/extension.ts, NoteSenseApi). */
export interface NoteSenseApi {
  status(): { state: 'indexing' | 'ready'; notes: number; entities: number; terms: number } | undefined;
  isRunning(): boolean;
  recentCrashes(): number;
  statusText(): string;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 100));

/**
 * Calls `probe` until `ok` accepts its result or `timeoutMs` passes, then returns the last result or
 * fails with `what` and that result.
 */
export async function waitFor<T>(what: string, probe: () => T | Thenable<T>, ok: (v: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  for (;;) {
    try {
      last = await probe();
      if (ok(last)) return last;
      error = undefined;
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) {
      const seen = error ? `error ${String(error)}` : JSON.stringify(last, undefined, 1)?.slice(0, 1500);
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
    }
    await tick();
  }
}

export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri;
}

export function noteUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), name);
}

export async function activate(): Promise<NoteSenseApi> {
  const ext = vscode.extensions.getExtension<NoteSenseApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** Opens a note in an editor and waits until the server has indexed the vault. */
export async function openNote(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(noteUri(name));
  const editor = await vscode.window.showTextDocument(doc);
  const api = await activate();
  await waitFor('the vault to be indexed', () => api.status(), (s) => s?.state === 'ready' && s.notes > 1);
  return editor;
}

/** The position `offset` UTF-16 units into the `occurrence`-th match of `needle` (0-based). */
export function positionOf(doc: vscode.TextDocument, needle: string, offset = 0, occurrence = 0): vscode.Position {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(needle)} occurs ${occurrence + 1} times in ${doc.uri.path}`);
  }
  return doc.positionAt(at + offset);
}

export function markdownOf(hovers: readonly vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** The diagnostics NoteSense (not another extension) reports for `uri`. */
export function noteSenseDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'notesense' || d.source === 'NoteSense');
}
