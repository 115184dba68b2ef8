/**
 * The cross-note features through VS Code's own commands, on the fixture vault: completion of an
 * entity used in another note, hover of a glossary term defined in another note, rename of an entity
 * across notes.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { labelOf, markdownOf, noteUri, openNote, positionOf, waitFor } from './helpers';

describe('cross-note features', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.files.revert'));

  it('completes an entity used in another note in a people list', async () => {
    const editor = await openNote('beta.md');
    const doc = editor.document;
    // A new item under people: in beta.md; Leopold Aschenbrenner is listed only in alpha.md and gamma.md.
    const after = positionOf(doc, '- 马斯克', '- 马斯克'.length);
    assert.ok(await editor.edit((b) => b.insert(after, '\n- Leo')));
    const at = positionOf(doc, '- Leo', '- Leo'.length);
    const list = await waitFor('completion items',
      () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at),
      (l) => l.items.some((i) => labelOf(i) === 'Leopold Aschenbrenner'));
    const item = list.items.find((i) => labelOf(i) === 'Leopold Aschenbrenner')!;
    const inserted = typeof item.insertText === 'string' ? item.insertText : item.insertText?.value ?? labelOf(item);
    assert.ok(inserted.includes('Leopold Aschenbrenner'), `inserts the name: ${inserted}`);
    // Already listed in this note: not offered again.
    assert.ok(!list.items.some((i) => labelOf(i) === '马斯克'), 'an entity the list already holds is not offered');
    // The documentation (the notes listing it) comes from completionItem/resolve, as when the item is shown.
    const resolved = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at, undefined, list.items.length);
    const shown = resolved.items.find((i) => labelOf(i) === 'Leopold Aschenbrenner')!;
    const docs = typeof shown.documentation === 'string' ? shown.documentation : shown.documentation?.value ?? '';
    assert.match(docs, /alpha/i, `the notes listing it are linked: ${docs}`);
  });

  it('shows the definition of a term from another note on hover', async () => {
    const editor = await openNote('beta.md');
    const at = positionOf(editor.document, '**数据墙**', 3);
    const hovers = await waitFor('a hover on 数据墙',
      () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at),
      (h) => markdownOf(h).includes('训练数据耗尽的瓶颈'));
    const text = markdownOf(hovers);
    assert.ok(text.includes('Data wall'), `the English name is shown: ${text}`);
    assert.match(text, /alpha/i, `the defining note is named: ${text}`);
  });

  it('renames an entity in every note that lists it', async () => {
    const editor = await openNote('beta.md');
    const at = positionOf(editor.document, '- Sam Altman', 4);
    const edit = await waitFor('a rename edit',
      () => vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', editor.document.uri, at, 'Samuel Altman'),
      (e) => e !== undefined && e.entries().length > 1);
    const files = edit.entries().map(([uri]) => uri.path.split('/').pop()!).sort();
    assert.ok(files.length >= 3, `several notes are edited: ${files.join(', ')}`);
    for (const f of ['alpha.md', 'beta.md', 'zeta-flow.md']) assert.ok(files.includes(f), `${f} is edited (${files.join(', ')})`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    for (const f of files) {
      const text = (await vscode.workspace.openTextDocument(noteUri(f))).getText();
      assert.match(text, /^- Samuel Altman\r?$|\[.*Samuel Altman.*\]/m, `${f} now lists Samuel Altman`);
      assert.doesNotMatch(text, /^- Sam Altman\r?$|[[,] *Sam Altman *[\],]/m, `${f} no longer lists Sam Altman`);
    }
    // Leave the vault as it was for any later test: revert every edited note.
    for (const f of files) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(noteUri(f)));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
