/**
 * Front-matter diagnostics appear in a real VS Code, and a schema quick fix applies.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { codeOf } from './1-activation.test';
import { noteSenseDiagnostics, openNote, positionOf, waitFor } from './helpers';

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

  it('turns a comma-separated value into a list with its quick fix', async () => {
    const editor = await openNote('beta.md');
    const doc = editor.document;
    // tags: written as one string with commas, as people often do: schema-expected-list, fixable.
    const start = positionOf(doc, 'tags:\n- agi');
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(start, start.translate(1, '- agi'.length)), 'tags: agi, llm')));
    const [d] = await waitFor('a schema-expected-list diagnostic on tags',
      () => noteSenseDiagnostics(doc.uri).filter((x) => codeOf(x) === 'schema-expected-list'), (all) => all.length === 1);
    assert.equal(doc.getText(d!.range), 'agi, llm');
    // vscode.executeCodeActionProvider does not return the actions' diagnostics: matched by title and edit.
    const isFix = (a: vscode.CodeAction) => a.title === 'Turn into a list' && a.edit !== undefined && a.edit.get(doc.uri).length > 0;
    const actions = await waitFor('its quick fix',
      () => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d!.range, vscode.CodeActionKind.QuickFix.value),
      (all) => (all ?? []).some(isFix));
    const fix = actions.find(isFix)!;
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'the edit applies');
    assert.ok(doc.getText().includes('tags:\n- agi\n- llm\ntitle:'), `the value became a block list like the note's others:\n${doc.getText().slice(0, 600)}`);
    await waitFor('the diagnostic to go away', () => noteSenseDiagnostics(doc.uri), (all) => !all.some((x) => codeOf(x) === 'schema-expected-list'));
  });
});
