import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/core/schema/edits';
import { rangeOf } from '../support/caret';
import { fileUri, startServer, type TestServer } from '../support/lsp';
import { exampleVault, fixturesDir } from '../support/paths';

const workspace = path.join(fixturesDir, 'schema', 'workspace');
const PULL = { workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create' as const] } }, textDocument: { diagnostic: { dynamicRegistration: false }, codeAction: {} } };

/** Pulls the diagnostics of `uri` until `done` holds (the schema file and the index load in the background). */
async function pullUntil(server: TestServer, uri: string, done: (items: Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await server.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    const items = (report as { items: Diagnostic[] }).items;
    if (done(items)) return items;
    if (Date.now() > deadline) throw new Error(`condition not met; last: ${JSON.stringify(items.map((d) => d.code))}; stderr: ${server.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('schema over LSP: a workspace with .notesense/schema.yaml', () => {
  let server: TestServer;
  const file = path.join(workspace, 'note.md');
  const uri = fileUri(file);
  const text = readFileSync(file, 'utf8');
  let items: Diagnostic[];
  before(async () => {
    server = await startServer({ rootPath: workspace, capabilities: PULL });
    server.open(uri, text);
    // schema-violation (rating: 9 > maximum 5) comes only from the user schema.
    items = await pullUntil(server, uri, (ds) => ds.some((d) => d.code === 'schema-violation'));
  });
  after(() => server.stop());

  it('pull diagnostics map the user schema\'s errors to exact ranges', () => {
    const byCode = (code: string) => items.filter((d) => d.code === code);
    assert.deepEqual(byCode('schema-date-format')[0]!.range, rangeOf(text, '2024/6/4'));
    assert.deepEqual(byCode('schema-not-in-enum')[0]!.range, rangeOf(text, 'evergren'));
    assert.deepEqual(byCode('schema-unknown-key')[0]!.range, rangeOf(text, 'peopel'));
    assert.deepEqual(byCode('schema-expected-list')[0]!.range, rangeOf(text, 'llm'));
    assert.deepEqual(byCode('schema-violation')[0]!.range, rangeOf(text, '9'));
    assert.ok(items.every((d) => d.source === 'notesense'));
  });

  it('code actions: the quick fix of a diagnostic, as a minimal edit', async () => {
    const date = items.find((d) => d.code === 'schema-date-format')!;
    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: date.range, context: { diagnostics: [date], only: ['quickfix'] },
    });
    assert.equal(actions.length, 1);
    const edits = actions[0]!.edit!.changes![uri]! as TextEdit[];
    assert.equal(applyEdits(text, edits), text.replace('2024/6/4', '2024-06-04'));
  });

  it('code actions: source.fixAll.notesense applies every safe fix', async () => {
    const actions = await server.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] },
    });
    const all = actions.find((a) => a.kind === 'source.fixAll.notesense')!;
    const after = applyEdits(text, all.edit!.changes![uri]! as TextEdit[]);
    // The note writes its lists in flow style: the new list is a flow list too.
    assert.equal(after, text.replace('2024/6/4', '2024-06-04').replace("draft: 'no'", 'draft: false').replace('tags: llm', 'tags: [llm]'));
  });

  it('completion offers the schema keys the note lacks, and hover shows a key\'s description', async () => {
    const other = fileUri(path.join(workspace, 'draft-note.md'));
    const draft = '---\ntitle: 草稿\n\n---\n';
    server.open(other, draft);
    const list = await server.connection.sendRequest<{ items: Array<{ label: string }> }>('textDocument/completion', { textDocument: { uri: other }, position: { line: 2, character: 0 } });
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.includes('source') && labels.includes('status'), JSON.stringify(labels));
    assert.ok(!labels.includes('title'));
    const h = await server.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: other }, position: { line: 1, character: 2 } });
    assert.match(h.contents.value, /\*\*title\*\*/);
    assert.match(h.contents.value, /标题/);
  });

  it('notesense.server.inferSchema writes the inferred schema beside the existing one', async () => {
    assert.ok(server.initializeResult.capabilities.executeCommandProvider!.commands.includes('notesense.server.inferSchema'));
    let received: WorkspaceEdit | undefined;
    server.connection.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      received = p.edit;
      return { applied: true };
    });
    const result = await server.connection.sendRequest<{ uri: string; applied: boolean }>('workspace/executeCommand', { command: 'notesense.server.inferSchema', arguments: [] });
    assert.equal(result.applied, true);
    assert.equal(result.uri, `${fileUri(workspace)}/.notesense/schema.inferred.yaml`);
    const changes = received!.documentChanges as Array<{ kind?: string; uri?: string; edits?: TextEdit[] }>;
    assert.equal(changes[0]!.kind, 'create');
    assert.match(changes[1]!.edits![0]!.newText, /^# NoteSense front-matter schema, inferred from \d+ notes/);
    assert.match(changes[1]!.edits![0]!.newText, /\$schema: https:\/\/json-schema.org\/draft\/2020-12\/schema/);
  });
});

describe('schema over LSP: inference from the example vault, push diagnostics', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ rootPath: exampleVault, capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: {} } } });
  });
  after(() => server.stop());

  it('finds the closed set of status values once the vault is indexed', async () => {
    const file = path.join(exampleVault, 'typos-and-traps.md');
    const uri = fileUri(file);
    const text = readFileSync(file, 'utf8');
    server.open(uri, text);
    const params = await server.waitForNotification<{ uri: string; diagnostics: Diagnostic[] }>('textDocument/publishDiagnostics',
      (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'schema-not-in-enum'));
    const enumDiag = params.diagnostics.find((d) => d.code === 'schema-not-in-enum')!;
    assert.deepEqual(enumDiag.range, rangeOf(text, 'evergren'));
    const colon = text.indexOf('title：') + 'title'.length;
    assert.deepEqual(params.diagnostics.find((d) => d.code === 'yaml-fullwidth-colon')!.range, rangeOf(text, '：', text.slice(0, colon).split('：').length - 1));
  });

  it('a clean note gets no schema diagnostics', async () => {
    const file = path.join(exampleVault, '2024-03-12-算力与电力.md');
    const uri = fileUri(file);
    server.open(uri, readFileSync(file, 'utf8'));
    const params = await server.waitForNotification<{ uri: string; diagnostics: Diagnostic[] }>('textDocument/publishDiagnostics', (p) => p.uri === uri);
    assert.deepEqual(params.diagnostics.filter((d) => String(d.code).startsWith('schema-')), []);
  });
});

describe('schema over LSP: workspace folders added and removed', () => {
  let server: TestServer;
  let empty: string;
  const file = path.join(workspace, 'note.md');
  const uri = fileUri(file);
  const text = readFileSync(file, 'utf8');
  const folder = { uri: fileUri(workspace), name: 'workspace' };
  before(async () => {
    // The server starts on a folder without a schema file; the schema's folder comes later.
    empty = mkdtempSync(path.join(os.tmpdir(), 'notesense-no-schema-'));
    server = await startServer({ rootPath: empty, capabilities: PULL });
    await server.waitForNotification<{ state: string }>('notesense/status', (x) => x.state === 'ready');
    server.open(uri, text);
  });
  after(async () => {
    await server?.stop();
    rmSync(empty, { recursive: true, force: true });
  });

  it('an added folder\'s schema file applies to its notes, and leaves with the folder', async () => {
    // Without the folder, nothing reads .notesense/schema.yaml: the note is checked by inference only.
    const before = await pullUntil(server, uri, () => true);
    assert.ok(!before.some((d) => d.code === 'schema-violation'), JSON.stringify(before.map((d) => d.code)));
    await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
    // rating: 9 against the schema's maximum of 5.
    const added = await pullUntil(server, uri, (ds) => ds.some((d) => d.code === 'schema-violation'));
    assert.deepEqual(added.find((d) => d.code === 'schema-violation')!.range, rangeOf(text, '9'));
    await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
    await pullUntil(server, uri, (ds) => !ds.some((d) => d.code === 'schema-violation'));
  });
});
