/**
 * The server stays responsive while it indexes and while the user types: over real JSON-RPC, requests
 * sent during the initial scan are answered before the scan ends and always see a consistent index (every
 * note's contributions whole, never half applied), and after a `didChange` the index holds the new text
 * before the note's diagnostics are computed. Orders of events are asserted, never milliseconds.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileUri, startServer, type PublishDiagnosticsParams, type TestServer } from '../support/lsp';

interface Stats { notes: number; entityRefs: number; definitions: number; distinctTerms: number; hasBold?: boolean }
interface Progress { value: { kind: string } }
interface Status { state: string; indexed?: number; total?: number }

/**
 * A note in the vault's format, the same shape for every `i`: three people, two bold terms defined
 * (one with an English name), bold text and Chinese paragraphs, so that every note adds the same number
 * of entity references and definitions to the index.
 */
function note(i: number): string {
  const paragraph = `这是第${i}篇笔记的正文，讨论**概念${i % 40}**（Concept ${i % 40}: 一个用于测试的概念定义）以及**术语${i % 25}**（一种反复出现的说法）。` +
    `会议中提到了**重点${i}**和**要点**，并引用了《资料${i % 10}》。😀\n\n`;
  return `---\ntitle: 笔记 ${i}\ndate: '2024-0${1 + (i % 9)}-1${i % 10}'\npeople:\n- 人物${i % 50}\n- Guest ${i % 30}\n- 嘉宾 ${i % 7}\n---\n` +
    `# 笔记 ${i}\n\n${paragraph}${'补充说明，没有粗体的普通文字。'.repeat(30)}\n\n${paragraph.replace(/\*\*/g, '')}`;
}

describe('responsiveness over stdio: requests during the initial scan', () => {
  const count = 800;
  let vault: string;
  let server: TestServer;

  before(() => {
    vault = mkdtempSync(path.join(tmpdir(), 'notesense-responsive-'));
    for (let d = 0; d < 8; d++) mkdirSync(path.join(vault, `d${d}`));
    for (let i = 0; i < count; i++) writeFileSync(path.join(vault, `d${i % 8}`, `note-${i}.md`), note(i));
  });
  after(async () => {
    await server?.stop();
    rmSync(vault, { recursive: true, force: true });
  });

  it('answers requests before the scan ends, each from a consistent partial index', async () => {
    // No cache: every note is read and parsed, so the scan runs long enough to send requests into it.
    server = await startServer({ rootPath: vault, initializationOptions: { cacheDirectory: false } });
    const ended = () => server.notifications.some((n) => n.method === '$/progress' && (n.params as Progress).value.kind === 'end');
    const end = server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end', 120_000);
    // A note open while the scan runs (outside the vault): it gets its own diagnostics, then no refresh
    // against the partial index until the scan ends.
    const open = fileUri(path.join(path.dirname(vault), `${path.basename(vault)}-open.md`));
    server.open(open, note(10_000));
    const endIndex = () => server.notifications.findIndex((n) => n.method === '$/progress' && (n.params as Progress).value.kind === 'end');
    const pushesOfOpen = () => server.notifications.flatMap((n, i) => (n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnosticsParams).uri === open ? [i] : []));
    await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'indexing' && (s.indexed ?? 0) > 0, 120_000);
    const during: Array<{ stats: Stats; afterEnd: boolean }> = [];
    while (!ended()) {
      const stats = await server.connection.sendRequest<Stats>('notesense/indexStats', {});
      during.push({ stats, afterEnd: ended() });
    }
    await end;
    const final = await server.connection.sendRequest<Stats>('notesense/indexStats', {});
    assert.equal(final.notes, count + 1, 'every note of the vault and the open one');
    const answeredDuring = during.filter((d) => !d.afterEnd);
    assert.ok(answeredDuring.length > 0, 'no request was answered before the scan ended');
    assert.ok(answeredDuring.some((d) => d.stats.notes > 1 && d.stats.notes <= count), `no answer saw a partial index: ${JSON.stringify(during.map((d) => d.stats.notes))}`);
    // Every note (the open one too) contributes the same: a partial index holds whole notes only.
    for (const { stats } of during) {
      assert.equal(stats.entityRefs * final.notes, final.entityRefs * stats.notes, `entity references of ${stats.notes} notes: ${stats.entityRefs}`);
      assert.equal(stats.definitions * final.notes, final.definitions * stats.notes, `definitions of ${stats.notes} notes: ${stats.definitions}`);
    }
    assert.ok(pushesOfOpen().filter((i) => i < endIndex()).length <= 1, 'the open note\'s diagnostics were refreshed against the partial index');
    // The end of the scan refreshes them.
    await server.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', () => pushesOfOpen().some((i) => i > endIndex()));
  });
});

describe('responsiveness over stdio: a search across the vault', () => {
  let vault: string;
  let server: TestServer;
  before(async () => {
    vault = mkdtempSync(path.join(tmpdir(), 'notesense-search-'));
    for (let i = 0; i < 400; i++) writeFileSync(path.join(vault, `note-${i}.md`), note(i));
    server = await startServer({ rootPath: vault, initializationOptions: { cacheDirectory: false } });
    await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready' && (s as { notes?: number }).notes === 400, 120_000);
  });
  after(async () => {
    await server?.stop();
    rmSync(vault, { recursive: true, force: true });
  });

  it('answers a hover sent while references read every note before the references', async () => {
    // Every note's text holds "Concept", a word of 概念0's English name: all 400 are read and scanned.
    const uri = fileUri(path.join(vault, 'note-0.md'));
    const text = note(0);
    server.open(uri, text);
    const at = text.indexOf('**概念0**') + 3;
    const before = text.slice(0, at).split('\n');
    const position = { line: before.length - 1, character: before.at(-1)!.length };
    const order: string[] = [];
    const refs = server.connection.sendRequest<Array<{ uri: string }>>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } })
      .then((r) => (order.push('references'), r));
    const hover = server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }).then((h) => (order.push('hover'), h));
    const [locations, shown] = await Promise.all([refs, hover]);
    assert.ok(shown, 'the hover answered');
    assert.deepEqual(order, ['hover', 'references']);
    // 概念0 is defined in the 10 notes i % 40 === 0, and mentioned in their copies of the paragraph.
    assert.equal(new Set(locations.map((l) => l.uri)).size, 10);
    assert.ok(locations.length >= 20, `${locations.length} locations`);
  });
});

describe('responsiveness over stdio: typing', () => {
  let server: TestServer;
  let base: string;

  before(async () => {
    base = mkdtempSync(path.join(tmpdir(), 'notesense-typing-'));
    server = await startServer({ initializationOptions: { cacheDirectory: false } });
  });
  after(async () => {
    await server?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('after back-to-back changes, the index holds the latest text before its diagnostics are computed', async () => {
    const uri = fileUri(path.join(base, '打字.md'));
    const text = (bold: string) => `${note(1)}\n\n新的一段：**${bold}**。\n`;
    server.open(uri, text('起点'), 1);
    await server.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 1);
    // Two keystrokes in quick succession: the second falls inside the typing throttle's interval.
    for (let version = 2; version <= 5; version++) {
      server.change(uri, text(`第${version}版`), version);
      const pushedBefore = (v: number) => server.notifications.some((n) => n.method === 'textDocument/publishDiagnostics' &&
        (n.params as PublishDiagnosticsParams).uri === uri && (n.params as PublishDiagnosticsParams).version === v);
      const now = await server.connection.sendRequest<Stats>('notesense/indexStats', { uri, bold: `第${version}版` });
      assert.equal(now.hasBold, true, `version ${version} is not in the index`);
      if (version > 2) {
        const old = await server.connection.sendRequest<Stats>('notesense/indexStats', { uri, bold: `第${version - 1}版` });
        assert.equal(old.hasBold, false, `version ${version - 1} is still in the index`);
      }
      assert.equal(pushedBefore(version), false, `the diagnostics of version ${version} came before its index update was visible`);
    }
    // The diagnostics still follow, for the latest version.
    await server.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 5);
  });
});
