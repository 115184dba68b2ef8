/**
 * The extension starts in a real VS Code: it activates on a Markdown note, its language server indexes
 * the vault and reports its size, its commands are in the palette, it restarts on request, and settings
 * apply without a restart.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activate, noteSenseDiagnostics, noteUri, openNote, waitFor } from './helpers';

describe('activation', () => {
  it('activates on a Markdown note and indexes the vault', async () => {
    await openNote('alpha.md');
    const api = await activate();
    assert.ok(api.isRunning(), 'the language client is running');
    const md = await vscode.workspace.findFiles('**/*.md');
    const status = await waitFor('every note to be indexed', () => api.status(), (s) => s?.state === 'ready' && s.notes === md.length);
    assert.ok(status && status.entities > 0 && status.terms > 0, `entities and terms counted: ${JSON.stringify(status)}`);
    console.log(`vscode ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}), status ${JSON.stringify(status)}`);
  });

  it('puts its commands in the palette', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['notesense.restartServer', 'notesense.rebuildIndex', 'notesense.inferSchema', 'notesense.exportGlossary', 'notesense.showOutput']) {
      assert.ok(all.includes(id), `${id} is registered`);
    }
    // Registered in VS Code by vscode-languageclient from the server's executeCommandProvider.
    assert.ok(all.includes('notesense.server.rebuildIndex'), 'the server offers notesense.server.rebuildIndex');
  });

  it('restarts the language server on request', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('notesense.restartServer');
    await waitFor('the server to run again', () => api.isRunning() && api.status()?.state === 'ready', (ok) => ok);
    // The restarted server answers requests.
    const symbols = await waitFor('document symbols after the restart',
      () => vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', noteUri('alpha.md')),
      (s) => Array.isArray(s) && s.length > 0);
    assert.ok(symbols.length > 0);
    assert.equal(api.recentCrashes(), 0, 'a requested restart is not counted as a crash');
  });

  it('applies a changed setting without a restart', async () => {
    const uri = noteUri('broken.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const unclosed = (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === 'frontmatter-unclosed');
    await waitFor('frontmatter-unclosed on broken.md', () => noteSenseDiagnostics(uri), unclosed);
    const config = vscode.workspace.getConfiguration('notesense');
    await config.update('diagnostics.severity', { 'frontmatter-unclosed': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('frontmatter-unclosed to be turned off', () => noteSenseDiagnostics(uri), (ds) => !unclosed(ds));
    } finally {
      await config.update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('frontmatter-unclosed to come back', () => noteSenseDiagnostics(uri), unclosed);
  });
});

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}
