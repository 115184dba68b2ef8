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

  it('answers a pull cancelled before its first slice at once, and empty; the next pull in full', async (t) => {
    if (process.platform === 'win32') return t.skip('the server is paused with SIGSTOP');
    const uri = 'file:///vault/pull-cancelled.md';
    server.open(uri, BROKEN);
    // Messages are handled in order: once this is answered, the note is open.
    await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    // The request and its cancellation must reach the server together: a request's first slice runs as it
    // is dispatched, so a cancellation read after it comes too late (on a busy machine, written apart,
    // the server could answer in full first). The server is stopped while both are written, and its
    // first read after it resumes holds both: the cancellation is known before the request is dispatched.
    const pid = server.process.pid!;
    process.kill(pid, 'SIGSTOP');
    let cancelled: Promise<DocumentDiagnosticReport>;
    try {
      const source = new CancellationTokenSource();
      cancelled = server.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } }, source.token);
      source.cancel();
      // Written after the two (the connection writes one message at a time): once this is, both are.
      await server.connection.sendNotification('$/setTrace', { value: 'off' });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    assert.deepEqual(await cancelled, { kind: 'full', items: [] });
    const report = await server.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.ok((report as { items: Diagnostic[] }).items.some((d) => d.code === 'frontmatter-language'));
  });
});
