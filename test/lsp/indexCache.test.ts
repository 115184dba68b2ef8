import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { swapCachedBolds } from '../support/cacheText';
import { fileUri, startServer, type TestServer } from '../support/lsp';

interface Status { state: string; notes: number }
interface Stats { notes: number; hasBold?: boolean }

/** Starts a server on `vault` with its index cache in `cacheDirectory` and waits for the scan to end. */
async function ready(vault: string, cacheDirectory: string): Promise<TestServer> {
  const server = await startServer({ rootPath: vault, initializationOptions: { cacheDirectory } });
  await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready');
  return server;
}

const hasBold = (server: TestServer, file: string, bold: string) =>
  server.connection.sendRequest<Stats>('notesense/indexStats', { uri: fileUri(file), bold }).then((s) => s.hasBold);

describe('index cache over stdio', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'notesense-cache-lsp-'));
  const vault = path.join(dir, 'vault');
  const cache = path.join(dir, 'cache');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('restores unchanged notes from the cache and always re-reads a changed one', async () => {
    const a = path.join(vault, 'a.md');
    const b = path.join(vault, 'b.md');
    await import('node:fs').then((fs) => fs.mkdirSync(vault, { recursive: true }));
    writeFileSync(a, '---\npeople:\n- 张三\n---\n这是**旧词**。\n');
    writeFileSync(b, '---\ntags: [x]\n---\n**甲**（Alpha: 第一）\r\n');

    let server = await ready(vault, cache);
    assert.equal(await hasBold(server, a, '旧词'), true);
    await server.stop();
    const files = readdirSync(cache);
    assert.equal(files.length, 1, 'one cache file, no temporary file left');

    // Prove that the restart takes a's summary from the cache: rewrite the cached bold text's hash (a's size
    // and mtime stay the same, so the cache entry is still valid), and the server must report the cached text.
    const cacheFile = path.join(cache, files[0]!);
    writeFileSync(cacheFile, swapCachedBolds(readFileSync(cacheFile), [['旧词', '缓存词']]));
    // b changes on disk: another size and a newer mtime. It must be read again, never taken from the cache.
    const before = statSync(b);
    writeFileSync(b, '---\ntags: [x]\n---\n**乙乙**（Beta: 第二）\r\n');
    utimesSync(b, before.atime, new Date(before.mtimeMs + 5000));

    server = await ready(vault, cache);
    try {
      assert.equal(await hasBold(server, a, '缓存词'), true, 'a came from the cache');
      assert.equal(await hasBold(server, a, '旧词'), false);
      assert.equal(await hasBold(server, b, '乙乙'), true, 'b was read again');
      assert.equal(await hasBold(server, b, '甲'), false);
    } finally {
      await server.stop();
    }
  });

  it('reads every note when the cache is turned off', async () => {
    const server = await startServer({ rootPath: vault, initializationOptions: { cacheDirectory: false } });
    try {
      await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready');
      assert.equal(await hasBold(server, path.join(vault, 'a.md'), '旧词'), true, 'read from disk, not the edited cache');
    } finally {
      await server.stop();
    }
  });
});
