/**
 * Front-matter diagnostics appear in the Problems of a real VS Code, and their quick fix applies.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { codeOf } from './1-activation.test';
import { noteSenseDiagnostics, noteUri, openNote, waitFor } from './helpers';

describe('diagnostics', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.files.revert'));

  it('reports unclosed front matter where it starts', async () => {
    const editor = await openNote('broken.md');
    const ds = await waitFor('a frontmatter-unclosed diagnostic', () => noteSenseDiagnostics(editor.document.uri),
      (all) => all.some((d) => codeOf(d) === 'frontmatter-unclosed'));
    const d = ds.find((x) => codeOf(x) === 'frontmatter-unclosed')!;
    assert.equal(d.range.start.line, 0, 'on the opening ---');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /---/);
  });

  it('fixes unclosed front matter with its quick fix', async () => {
    const editor = await openNote('broken.md');
    const uri = noteUri('broken.md');
    const [d] = await waitFor('a frontmatter-unclosed diagnostic', () => noteSenseDiagnostics(uri).filter((x) => codeOf(x) === 'frontmatter-unclosed'), (all) => all.length > 0);
    const actions = await waitFor('a NoteSense quick fix for it',
      () => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d!.range, vscode.CodeActionKind.QuickFix.value),
      (all) => (all ?? []).some((a) => a.edit && a.diagnostics?.some((x) => codeOf(x) === 'frontmatter-unclosed')));
    const fix = actions.find((a) => a.edit && a.diagnostics?.some((x) => codeOf(x) === 'frontmatter-unclosed'))!;
    console.log(`quick fix: ${fix.title}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'the edit applies');
    await waitFor('the diagnostic to go away', () => noteSenseDiagnostics(uri), (all) => !all.some((x) => codeOf(x) === 'frontmatter-unclosed'));
    // The fix closes the block: a line holding only --- now follows the keys.
    const lines = editor.document.getText().split(/\r?\n/);
    assert.ok(lines.slice(1).some((l) => l === '---'), 'a closing --- was inserted');
    assert.ok(editor.document.getText().includes('title: 未闭合的前置元数据'), 'the keys are kept as they were');
  });
});
