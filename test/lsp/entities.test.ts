import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, CompletionList, Hover, Location, MarkupContent, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { rangeOf } from '../support/caret';
import { fixturesDir } from '../support/paths';
import { fileUri, startServer, type TestServer } from '../support/lsp';

interface Status { state: string; notes: number; entities: number; terms: number; indexed?: number; total?: number }
interface Progress { token: string | number; value: { kind: 'begin' | 'report' | 'end'; title?: string; percentage?: number } }

describe('entities over stdio on a fixture vault', () => {
  let server: TestServer;
  let dir: string;
  const file = (rel: string) => path.join(dir, ...rel.split('/'));
  const uri = (rel: string) => fileUri(file(rel));
  const read = (rel: string) => readFileSync(file(rel), 'utf8').replace(/^\uFEFF/, '');

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'notesense-entities-'));
    cpSync(path.join(fixturesDir, 'entities', 'vault'), dir, { recursive: true });
    // Never indexed: node_modules always, drafts/ and README.md by the exclude settings.
    for (const [rel, who] of [['node_modules/pkg/note.md', 'Hidden Person'], ['drafts/x.md', 'Excluded Person']]) {
      mkdirSync(path.dirname(file(rel)), { recursive: true });
      writeFileSync(file(rel), `---\npeople:\n- ${who}\n---\n`);
    }
    server = await startServer({
      rootPath: dir,
      configuration: { 'notesense.exclude': ['drafts/**'], 'files.exclude': { '**/README.md': true, '**/other': false } },
    });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scans the folder with work-done progress (begin, end) and reports its status', async () => {
    const end = await server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end');
    const mine = server.notifications.filter((n) => n.method === '$/progress' && (n.params as Progress).token === end.token).map((n) => (n.params as Progress).value.kind);
    assert.equal(mine[0], 'begin');
    assert.equal(mine[mine.length - 1], 'end');
    const ready = await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready');
    assert.deepEqual(ready, { state: 'ready', notes: 6, entities: 21, terms: 0 });
    assert.ok(server.notifications.some((n) => n.method === 'notesense/status' && (n.params as Status).state === 'indexing'));
    const commands = server.initializeResult.capabilities.executeCommandProvider?.commands ?? [];
    assert.ok(commands.includes('notesense.server.rebuildIndex'));
  });

  it('completes a value from notes that are not open (pinyin initials)', async () => {
    await server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end');
    const text = '---\npeople:\n- msk\n---\n';
    server.open(uri('new.md'), text);
    const list = await server.connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri: uri('new.md') }, position: rangeOf(text, 'msk').end,
    });
    assert.equal(list.items[0]!.label, '马斯克');
    assert.equal(list.items[0]!.detail, 'people · 3 notes');
    assert.deepEqual((list.items[0]!.textEdit as TextEdit).range, rangeOf(text, 'msk'));
    assert.ok(!list.items.some((i) => i.label === 'Hidden Person' || i.label === 'Excluded Person'));
  });

  it('resolves an entity item with its most recent notes as documentation', async () => {
    await server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end');
    assert.equal(server.initializeResult.capabilities.completionProvider?.resolveProvider, true);
    const text = '---\npeople:\n- msk\n---\n';
    // The note the test above opened (a new note would change the counts the tests below expect).
    const list = await server.connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri: uri('new.md') }, position: rangeOf(text, 'msk').end,
    });
    const item = list.items[0]!;
    assert.equal(item.label, '马斯克');
    assert.equal(item.documentation, undefined);
    const resolved = await server.connection.sendRequest<CompletionItem>('completionItem/resolve', item);
    assert.equal(resolved.label, '马斯克');
    assert.deepEqual(resolved.textEdit, item.textEdit);
    const doc = (resolved.documentation as MarkupContent).value;
    assert.equal((resolved.documentation as MarkupContent).kind, 'markdown');
    // Three notes list 马斯克: the most recent first, each a link to its note.
    assert.equal(doc.split('\n').length, 3, doc);
    assert.match(doc, /^- \d{4}\\-\d{2}\\-\d{2} \[/, doc);
    // An item the server did not make comes back unchanged.
    const other = await server.connection.sendRequest<CompletionItem>('completionItem/resolve', { label: 'x', data: { notesense: 'entity', kind: 'people', value: 'Nobody' } });
    assert.deepEqual(other, { label: 'x', data: { notesense: 'entity', kind: 'people', value: 'Nobody' } });
  });

  it('hovers, finds references and renames across files', async () => {
    await server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end');
    const rel = '2024-01-10-openai-devday.md';
    const text = read(rel);
    server.open(uri(rel), text);
    const at = rangeOf(text, 'Sam Altman');
    const hover = await server.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: uri(rel) }, position: at.start });
    assert.deepEqual(hover.range, at);
    assert.match((hover.contents as { value: string }).value, /4 notes, from 2022-05-01 to 2024-03-05/);

    const refs = await server.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: { uri: uri(rel) }, position: at.start, context: { includeDeclaration: true },
    });
    const files = ['2023-11-20-board.md', '2024-03-05-musk-lawsuit.md', rel, 'people/Sam Altman.md'];
    assert.deepEqual([...new Set(refs.map((r) => r.uri))].sort(), files.map(uri).sort());
    const lawsuit = read('2024-03-05-musk-lawsuit.md');
    assert.deepEqual(refs.find((r) => r.uri === uri('2024-03-05-musk-lawsuit.md'))!.range, rangeOf(lawsuit, 'Sam Altman'));
    assert.equal(refs.length, 5); // four front-matter values and the bold mention in the open note

    const prepared = await server.connection.sendRequest<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri(rel) }, position: at.end });
    assert.deepEqual(prepared, { range: at, placeholder: 'Sam Altman' });
    const edit = await server.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri(rel) }, position: at.start, newName: 'Samuel Altman' });
    assert.deepEqual(Object.keys(edit.changes!).sort(), files.map(uri).sort());
    for (const f of files) {
      const before = read(f);
      const afterText = TextDocument.applyEdits(TextDocument.create(uri(f), 'markdown', 0, before), edit.changes![uri(f)]!);
      // Front-matter values and bold mentions change; a plain mention in a body does not.
      const expected = before.split(/(?<=\n)/).map((l) => (l.startsWith('title:') || !/(- |\[|"|\*\*)Sam Altman/.test(l) ? l : l.replaceAll('Sam Altman', 'Samuel Altman'))).join('');
      assert.equal(afterText, expected, f);
    }
  });

  it('follows watched-file events note by note (create, then delete)', async () => {
    await server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end');
    const rel = 'later.md';
    writeFileSync(file(rel), "---\ndate: '2025-02-02'\npeople:\n- Zhang Wei 张伟\n---\n");
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(rel), type: 1 }] });
    // Six notes on disk, new.md open in the editor, and now later.md.
    await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready' && s.notes === 8);
    const text = '---\npeople:\n- zw|\n---\n'.replace('|', '');
    server.change(uri('new.md'), text, 2);
    const list = await server.connection.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: uri('new.md') }, position: rangeOf(text, 'zw').end });
    assert.ok(list.items.some((i) => i.label === 'Zhang Wei 张伟'));
    unlinkSync(file(rel));
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(rel), type: 3 }] });
    await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready' && s.notes === 7);
    const again = await server.connection.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: uri('new.md') }, position: rangeOf(text, 'zw').end });
    assert.ok(!again.items.some((i) => i.label === 'Zhang Wei 张伟'));
  });

  it('rebuilds the index on the server command', async () => {
    const counts = await server.connection.sendRequest<{ notes: number; entities: number }>('workspace/executeCommand', { command: 'notesense.server.rebuildIndex', arguments: [] });
    // The open new.md (not on disk) stays; the rest comes from disk again.
    assert.equal(counts.notes, 7);
  });
});

describe('entity bold mentions in closed notes, read from the disk', () => {
  let dir: string;
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds and renames them where the files have them now (BOM, CRLF, emoji, a fence), not in code', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'notesense-bold-mentions-'));
    const texts: Record<string, string> = {
      'a.md': '---\npeople:\n- 王小明\n---\n**王小明**说了话。\n',
      'b.md': '\uFEFF---\r\ntags: [x]\r\n---\r\n😀前文**王小明**后文，`**王小明**` 不算。\r\n',
      'c.md': '---\ntags: [y]\n---\n```\n**王小明**\n```\n再见**王小明**\n',
    };
    for (const [name, text] of Object.entries(texts)) writeFileSync(path.join(dir, name), text);
    const server = await startServer({ rootPath: dir });
    try {
      await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready' && s.notes === 3);
      // b changes on disk after the scan, without a watched-file event: the mention moved down a line.
      const moved = '\uFEFF---\r\ntags: [x]\r\n---\r\n新的一行\r\n😀前文**王小明**后文，`**王小明**` 不算。\r\n';
      writeFileSync(path.join(dir, 'b.md'), moved);
      const a = texts['a.md']!;
      server.open(fileUri(path.join(dir, 'a.md')), a);
      const at = rangeOf(a, '王小明');
      const refs = await server.connection.sendRequest<Location[]>('textDocument/references', {
        textDocument: { uri: fileUri(path.join(dir, 'a.md')) }, position: at.start, context: { includeDeclaration: true },
      });
      const body = (text: string) => text.replace(/^\uFEFF/, '');
      assert.deepEqual(refs.map((r) => [path.basename(new URL(r.uri).pathname), r.range]), [
        ['a.md', rangeOf(a, '王小明')],
        ['a.md', rangeOf(a, '王小明', 1)],
        ['b.md', rangeOf(body(moved), '王小明')],
        ['c.md', rangeOf(texts['c.md']!, '王小明', 1)],
      ]);
      // The first and last character of the span read from b.
      const r = refs[2]!.range;
      assert.deepEqual([r.start, r.end], [{ line: 4, character: 6 }, { line: 4, character: 9 }]);
      const edit = await server.connection.sendRequest<WorkspaceEdit>('textDocument/rename', {
        textDocument: { uri: fileUri(path.join(dir, 'a.md')) }, position: at.start, newName: '王大明',
      });
      const after = TextDocument.applyEdits(TextDocument.create('b', 'markdown', 0, body(moved)), edit.changes![fileUri(path.join(dir, 'b.md'))]!);
      assert.equal(after, body(moved).replace('前文**王小明**', '前文**王大明**'));
    } finally {
      await server.stop();
    }
  });
});
