import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, type Diagnostic, type DocumentDiagnosticReport, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { rangeOf } from '../support/caret';
import { startServer, type TestServer } from '../support/lsp';

const BROKEN = '---js\nrequire("fs").writeFileSync("/tmp/x", "")\n---\n**数据墙**（Data wall: 瓶颈\n';

describe('diagnostics over stdio (push)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ capabilities: { textDocument: { publishDiagnostics: {} } } });
  });
  after(() => server.stop());

  it('speaks LSP and names itself', () => {
    assert.equal(server.initializeResult.serverInfo?.name, 'NoteSense');
  });

  it('publishes parse problems with stable codes and exact ranges', async () => {
    const uri = 'file:///vault/broken.md';
    server.open(uri, BROKEN);
    const params = await server.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    const byCode = new Map(params.diagnostics.map((d: Diagnostic) => [d.code, d]));
    assert.deepEqual([...byCode.keys()].sort(), ['frontmatter-language', 'glossary-unclosed']);
    assert.deepEqual(byCode.get('frontmatter-language')!.range, rangeOf(BROKEN, '---js'));
    assert.deepEqual(byCode.get('glossary-unclosed')!.range, rangeOf(BROKEN, '（Data wall: 瓶颈'));
    assert.equal(byCode.get('glossary-unclosed')!.source, 'notesense');
  });

  it('clears them when the problem is fixed', async () => {
    const uri = 'file:///vault/fixed.md';
    server.open(uri, '---\ntitle: [\n---\n');
    await server.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    server.change(uri, '---\ntitle: x\n---\n', 2);
    await server.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 2 && p.diagnostics.length === 0);
  });
});

describe('diagnostics over stdio (pull, in Chinese)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ locale: 'zh-cn', capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } } });
  });
  after(() => server.stop());

  it('answers textDocument/diagnostic in the editor language', async () => {
    const uri = 'file:///vault/pull.md';
    server.open(uri, BROKEN);
    const report = await server.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    const items = (report as { items: Diagnostic[] }).items;
    const lang = items.find((d) => d.code === 'frontmatter-language')!;
    assert.match(String(lang.message), /不会被执行/);
  });

  it('answers a pull cancelled before its first slice at once, and empty; the next pull in full', async () => {
    const uri = 'file:///vault/pull-cancelled.md';
    const source = new CancellationTokenSource();
    // The cancellation is read before the preparation's first slice, which waits behind what was read:
    // the note's opening, the request and the cancellation go to the server in one write. On a busy
    // machine, written apart, the server could read the request, run the slice and answer in full before
    // the cancellation arrived, or prepare the note's diagnostics between its opening and the request.
    const stdin = server.process.stdin!;
    stdin.cork();
    server.open(uri, BROKEN);
    const cancelled = server.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } }, source.token);
    source.cancel();
    await new Promise((resolve) => setImmediate(resolve));
    stdin.uncork();
    assert.deepEqual(await cancelled, { kind: 'full', items: [] });
    const report = await server.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.ok((report as { items: Diagnostic[] }).items.some((d) => d.code === 'frontmatter-language'));
  });
});
