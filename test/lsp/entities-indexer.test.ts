import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CompletionList } from 'vscode-languageserver-protocol';
import { rangeOf } from '../support/caret';
import { fileUri, startServer, type TestServer } from '../support/lsp';

interface Status { state: string; notes: number; entities: number; terms: number }
interface Progress { value: { kind: string } }

const note = (people: string[]) => `---\npeople:\n${people.map((p) => `- ${p}`).join('\n')}\n---\n`;

describe('workspace indexer over stdio (multi-root, buffers over disk, bursts, skipped files)', () => {
  let server: TestServer;
  let a: string;
  let b: string;
  const probe = '---\npeople:\n- Pe\n---\n';
  let probeUri: string;
  let version = 1;

  /** The people completion offers in a scratch buffer. */
  const people = async (): Promise<string[]> => {
    server.change(probeUri, probe, ++version);
    const list = await server.connection.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: probeUri }, position: rangeOf(probe, 'Pe').end });
    return list.items.map((i) => String(i.label)).sort();
  };

  before(async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'notesense-indexer-'));
    a = path.join(base, 'a');
    b = path.join(base, 'b');
    mkdirSync(path.join(a, 'sub'), { recursive: true });
    mkdirSync(b);
    writeFileSync(path.join(a, 'one.md'), note(['Person A1']));
    writeFileSync(path.join(a, 'sub', 'two.md'), note(['Person A2']));
    writeFileSync(path.join(b, 'three.md'), note(['Person B1']));
    writeFileSync(path.join(b, 'binary.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(b, 'big.md'), note(['Person Big']) + 'x'.repeat(5000));
    server = await startServer({ folders: [a, b], configuration: { notesense: { maxFileSize: 2000 } } });
    probeUri = fileUri(path.join(base, 'probe.md'));
    server.open(probeUri, probe, version);
  });
  after(async () => {
    await server?.stop();
    rmSync(path.dirname(a), { recursive: true, force: true });
  });

  it('indexes every workspace folder and logs each skipped file with its reason', async () => {
    await server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end');
    assert.deepEqual(await people(), ['Person A1', 'Person A2', 'Person B1']);
    const logs = server.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(logs.some((m) => m.startsWith('binary.md: ') && /not UTF-8 text/.test(m)), logs.join('\n'));
    assert.ok(logs.some((m) => m.startsWith('big.md: ') && /larger than the limit of 2000 bytes/.test(m)), logs.join('\n'));
  });

  it('an open buffer wins over the disk copy until it is closed', async () => {
    await server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end');
    const uri = fileUri(path.join(a, 'one.md'));
    server.open(uri, note(['Person Buffer']));
    assert.deepEqual(await people(), ['Person A2', 'Person B1', 'Person Buffer']);
    server.close(uri);
    // The disk copy comes back (read asynchronously: poll the index through completion).
    let got: string[] = [];
    for (let i = 0; i < 200 && !(got = await people()).includes('Person A1'); i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, ['Person A1', 'Person A2', 'Person B1']);
  });

  it('a burst of watched-file events (a checkout of 300 notes) updates note by note', async () => {
    await server.waitForNotification<Progress>('$/progress', (p) => p.value.kind === 'end');
    const dir = path.join(b, 'burst');
    mkdirSync(dir);
    const changes = [];
    for (let i = 0; i < 300; i++) {
      const f = path.join(dir, `n${i}.md`);
      writeFileSync(f, note([`Person Burst ${i}`]));
      changes.push({ uri: fileUri(f), type: 1 });
    }
    const before = server.notifications.length;
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
    // 3 disk notes + the probe + 300.
    const s = await server.waitForNotification<Status>('notesense/status', (x) => x.notes === 304 && server.notifications.indexOf(server.notifications.find((n) => n.params === x)!) >= before);
    assert.equal(s.state, 'ready');
    // No new scan started: the events were applied one by one.
    const begins = server.notifications.slice(before).filter((n) => n.method === '$/progress' && (n.params as Progress).value.kind === 'begin');
    assert.equal(begins.length, 0);
    rmSync(dir, { recursive: true });
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(dir), type: 3 }] });
    await server.waitForNotification<Status>('notesense/status', (x) => x.notes === 4);
  });

  it('follows workspace folders as they are removed and added', async () => {
    await server.waitForNotification<Status>('notesense/status', (x) => x.notes === 4);
    const folder = { uri: fileUri(b), name: 'b' };
    await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
    await server.waitForNotification<Status>('notesense/status', (x) => x.state === 'ready' && x.notes === 3);
    assert.deepEqual(await people(), ['Person A1', 'Person A2']);
    await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
    await server.waitForNotification<Status>('notesense/status', (x) => x.state === 'ready' && x.notes === 4 && server.notifications.some((n) => (n.params as Status | undefined)?.notes === 3));
    let got: string[] = [];
    for (let i = 0; i < 200 && !(got = await people()).includes('Person B1'); i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, ['Person A1', 'Person A2', 'Person B1']);
  });
});
