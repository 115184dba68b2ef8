import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hover, Location, MarkupContent, PublishDiagnosticsParams, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { rangeOf } from '../support/caret';
import { fileUri, startServer, type TestServer } from '../support/lsp';
import { fixturesDir } from '../support/paths';

const VAULT = path.join(fixturesDir, 'glossary', 'vault');
const A = '2024-04-25-规模定律与数据墙.md';
const B = '2024-06-20-播客笔记.md';
const C = '2024-07-01-分歧.md';
const uriOf = (name: string) => fileUri(path.join(VAULT, name));
/** A note as an editor hands it over: the BOM removed. */
const textOf = (name: string) => readFileSync(path.join(VAULT, name), 'utf8').replace(/^\ufeff/, '');

interface Status {
  readonly state: string;
  readonly notes: number;
  readonly terms: number;
}

describe('glossary over stdio, on a vault the server indexes itself', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ rootPath: VAULT, configuration: { notesense: { glossary: { renamePlainMentions: true } } } });
    // The indexer reports the end of its first scan with notesense/status `ready`.
    await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready' && s.notes === 4);
  });
  after(() => server.stop());

  it('makes glossary completion ready in the background once the index is, and again when the vocabulary changes', async () => {
    // Asked until it says so (each question waits for the server's answer), never for a fixed time.
    const prepared = async () => {
      for (let asked = 0; asked < 2000; asked++) {
        const stats = await server.connection.sendRequest<{ prepared?: boolean }>('notesense/indexStats', { prepared: true });
        if (stats.prepared) return asked;
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.fail('glossary completion was never prepared');
    };
    await prepared();
    const uri = fileUri(path.join(VAULT, 'scratch-新词.md'));
    server.open(uri, '---\ntitle: 新词\n---\n**全新术语**（Brand new: 刚定义的说法）\n');
    await prepared();
    // The new term is offered in another note, with the name that note gives it.
    const other = fileUri(path.join(VAULT, 'scratch-另一篇.md'));
    server.open(other, '---\ntitle: 另一篇\n---\n正文**全新');
    const list = await server.connection.sendRequest<{ items: Array<{ label: string; detail?: string }> }>('textDocument/completion', { textDocument: { uri: other }, position: { line: 3, character: 6 } });
    // Few terms: all of them, for the editor to filter.
    assert.deepEqual(list.items.filter((i) => i.label.startsWith('全新')).map((i) => [i.label, i.detail]), [['全新术语', 'Brand new']]);
    server.close(other);
    server.close(uri);
  });

  it('advertises the export command next to the others', () => {
    const commands = server.initializeResult.capabilities.executeCommandProvider?.commands ?? [];
    assert.ok(commands.includes('notesense.server.exportGlossary'), commands.join());
    assert.ok(commands.length > 1);
  });

  it('hovers a term in one note that is defined in another, with the exact range and a link', async () => {
    const b = textOf(B);
    server.open(uriOf(B), b);
    const position = rangeOf(b, '数据墙').start;
    const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(B) }, position: { line: position.line, character: position.character + 2 } });
    assert.ok(hover, server.stderr());
    assert.deepEqual(hover.range, rangeOf(b, '数据墙'));
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.ok(contents.value.startsWith('**数据墙** · Data wall\n\n指在AI模型训练中，高质量训练数据变得稀缺的瓶颈'), contents.value);
    assert.ok(contents.value.includes(`(${uriOf(A)}#L9)`), contents.value);
    assert.match(contents.value, /Other definitions: 3 \(1 different\)/);
  });

  it('goes to the definition in the other note', async () => {
    const b = textOf(B);
    const locations = await server.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri: uriOf(B) }, position: rangeOf(b, '解缚').start });
    assert.deepEqual(locations, [{ uri: uriOf(A), range: rangeOf(textOf(A), '解缚') }]);
  });

  it('finds mentions in notes that are not open (read from disk) and renames plain mentions when the setting says so', async () => {
    const b = textOf(B);
    const refs = await server.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: { uri: uriOf(B) }, position: rangeOf(b, '解缚').start, context: { includeDeclaration: true },
    });
    const a = textOf(A);
    assert.deepEqual(refs, [
      { uri: uriOf(B), range: rangeOf(b, '解缚') },
      { uri: uriOf(A), range: rangeOf(a, '解缚') },
      { uri: uriOf(A), range: rangeOf(a, 'Unhobbling') },
      { uri: uriOf(A), range: rangeOf(a, 'unhobbling') },
    ]);
    const fromB = await server.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uriOf(B) }, position: rangeOf(b, '数据墙').start, newName: '数据壁' });
    assert.deepEqual(fromB.changes![uriOf(B)], [{ range: rangeOf(b, '数据墙'), newText: '数据壁' }]);
    // In A: the definition, a plain mention at the start of a line, the bold one and the last line's.
    assert.equal(fromB.changes![uriOf(A)]!.length, 4);
  });

  it('reports a conflicting definition with the other notes as related information', async () => {
    server.open(uriOf(C), textOf(C));
    const params = await server.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uriOf(C) && p.diagnostics.length > 0);
    const conflict = params.diagnostics.find((d) => d.code === 'glossary-conflict');
    assert.ok(conflict, JSON.stringify(params.diagnostics));
    assert.deepEqual(conflict.range, rangeOf(textOf(C), '数据墙'));
    assert.ok(conflict.relatedInformation!.some((r) => r.location.uri === uriOf(A)));
    assert.ok(params.diagnostics.some((d) => d.code === 'glossary-english-clash'));
  });

  it('exports the glossary through workspace/executeCommand, sources relative to the folder', async () => {
    const csv = await server.connection.sendRequest<string>('workspace/executeCommand', { command: 'notesense.server.exportGlossary', arguments: ['csv'] });
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'term,english,definition,sources');
    assert.ok(lines.includes(`数据墙,Data wall,指算力增长快于可用数据增长的局面,${C}`), csv);
    const md = await server.connection.sendRequest<string>('workspace/executeCommand', { command: 'notesense.server.exportGlossary', arguments: [{ format: 'markdown' }] });
    assert.ok(md.startsWith('# Glossary\n'), md);
    await assert.rejects(server.connection.sendRequest('workspace/executeCommand', { command: 'notesense.server.exportGlossary', arguments: ['xml'] }), /xml/);
  });
});
