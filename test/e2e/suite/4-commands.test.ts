/**
 * The palette commands that forward to the server: rebuild the index, export the glossary (the server
 * part; the client's format picker and save dialog are VS Code's own UI), infer a schema.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activate, openNote, waitFor } from './helpers';

describe('commands', () => {
  it('rebuilds the index', async () => {
    await openNote('alpha.md');
    const api = await activate();
    const before = api.status();
    await vscode.commands.executeCommand('notesense.rebuildIndex');
    const after = await waitFor('the index to be ready again', () => api.status(), (s) => s?.state === 'ready');
    assert.equal(after?.notes, before?.notes);
    assert.equal(after?.terms, before?.terms);
  });

  it('exports the glossary as CSV from the server', async () => {
    await openNote('alpha.md');
    const csv = await vscode.commands.executeCommand<string>('notesense.server.exportGlossary', 'csv');
    assert.equal(typeof csv, 'string');
    const lines = csv.split(/\r?\n/);
    assert.ok(lines.some((l) => l.includes('数据墙') && l.includes('Data wall')), csv.slice(0, 500));
    assert.ok(!csv.includes(vscode.workspace.workspaceFolders![0]!.uri.fsPath), 'no machine paths in the export');
  });

  it('infers a schema and opens it for review', async () => {
    await openNote('alpha.md');
    await vscode.commands.executeCommand('notesense.inferSchema');
    const editor = await waitFor('the inferred schema to open', () => vscode.window.activeTextEditor,
      (e) => e !== undefined && /\/\.notesense\/schema(\.inferred)?\.yaml$/.test(e.document.uri.path));
    const text = editor!.document.getText();
    assert.match(text, /people/, text.slice(0, 500));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
