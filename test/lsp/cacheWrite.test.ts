/**
 * The index cache write over stdio: it waits for a quiet server, yet the cache ends up complete (a
 * restart restores every note from it) when requests keep arriving, when the editor shuts the server
 * down before the write ran, and when a rescan starts while the write waits. The timings of the write
 * (`initializationOptions.cacheWrite`) are set to extremes so that each case is certain: a server that
 * is never quiet enough, a write never forced by its delay, or one forced at once.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { swapCachedBolds } from '../support/cacheText';
import { fileUri, startServer, type TestServer } from '../support/lsp';

interface Status { state: string }
interface Stats { notes: number; hasBold?: boolean }

const COUNT = 120;
/** Never quiet long enough, never forced by the delay: only `shutdown` lets the write run. */
const HELD = { quietMs: 1e12, maxDelayMs: 1e12 };

/** A note with a bold marker of its own (`标记i`), Chinese, an emoji, CRLF line ends in every third. */
function note(i: number, marker = '标记'): string {
  const text = `---\ntitle: 笔记${i}\npeople:\n- 人物${i % 9}\n- "Guest ${i % 4}"\n---\n# 笔记 ${i}\n` +
    `这是**${marker}${i}**。讨论**概念${i % 11}**（Concept ${i % 11}: 第${i % 11}个概念）😀\n${'普通的正文。'.repeat(40)}\n`;
  return i % 3 === 0 ? text.replace(/\n/g, '\r\n') : text;
}

describe('index cache write over stdio', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'notesense-cache-write-lsp-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let runs = 0;

  function setUp() {
    const root = path.join(dir, `run-${++runs}`);
    const vault = path.join(root, 'vault');
    mkdirSync(vault, { recursive: true });
    const files = Array.from({ length: COUNT }, (_, i) => path.join(vault, `note-${i}.md`));
    files.forEach((f, i) => writeFileSync(f, note(i)));
    return { vault, files, cache: path.join(root, 'cache') };
  }

  const cacheFiles = (cache: string) => {
    try {
      return readdirSync(cache);
    } catch {
      return [];
    }
  };
  const written = (cache: string) => cacheFiles(cache).filter((f) => f.endsWith('.nsidx'));

  /**
   * A server on `vault` once its scan has ended. With `cacheWrite`, a note outside the vault is opened
   * first, as an editor does: the open arrives before the scan starts (the scan waits for the answer to
   * the server's configuration request), so the server is busy, not quiet, when the scan ends.
   */
  async function ready(vault: string, cache: string, cacheWrite?: object): Promise<TestServer> {
    const server = await startServer({ rootPath: vault, initializationOptions: { cacheDirectory: cache, ...(cacheWrite ? { cacheWrite } : {}) } });
    if (cacheWrite) server.open(fileUri(path.join(path.dirname(vault), 'open.md')), note(COUNT));
    await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready', 60_000);
    return server;
  }

  const hasBold = (server: TestServer, file: string, bold: string) =>
    server.connection.sendRequest<Stats>('notesense/indexStats', { uri: fileUri(file), bold }).then((s) => s.hasBold);

  /**
   * Proves that a restart takes every note from the cache: the cached markers are rewritten (`标记i` →
   * `缓存i`; the files keep their size and mtime, so every entry stays valid), and the new server must
   * report the rewritten marker of each note.
   */
  async function assertRestoresEveryNote(vault: string, files: readonly string[], cache: string): Promise<void> {
    assert.deepEqual(cacheFiles(cache).length, 1, `one cache file and no temporary file: ${cacheFiles(cache).join(', ')}`);
    const cacheFile = path.join(cache, written(cache)[0]!);
    writeFileSync(cacheFile, swapCachedBolds(readFileSync(cacheFile), files.map((_, i) => [`标记${i}`, `缓存${i}`])));
    const server = await ready(vault, cache);
    try {
      for (const [i, file] of files.entries()) assert.equal(await hasBold(server, file, `缓存${i}`), true, `note ${i} came from the cache`);
    } finally {
      await server.stop();
    }
  }

  it('writes the whole cache while requests keep arriving', async () => {
    const { vault, files, cache } = setUp();
    // Never quiet enough, but forced at once: the write runs between the requests. The requests start
    // with the scan, so that they are already arriving when the write begins.
    const server = await startServer({ rootPath: vault, initializationOptions: { cacheDirectory: cache, cacheWrite: { quietMs: 1e12, maxDelayMs: 0 } } });
    try {
      const deadline = Date.now() + 60_000;
      for (let i = 0; written(cache).length === 0; i = (i + 1) % COUNT) {
        assert.ok(Date.now() < deadline, 'the cache was written while requests kept arriving');
        await hasBold(server, files[i]!, `标记${i}`);
      }
      // The cache is in place while this server is still answering, before any shutdown.
      await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready');
      for (const [i, file] of files.entries()) assert.equal(await hasBold(server, file, `标记${i}`), true);
    } finally {
      await server.stop();
    }
    await assertRestoresEveryNote(vault, files, cache);
  });

  it('writes the held-back cache completely at shutdown, before answering it', async () => {
    const { vault, files, cache } = setUp();
    const server = await ready(vault, cache, HELD);
    try {
      for (const [i, file] of files.entries()) assert.equal(await hasBold(server, file, `标记${i}`), true);
      assert.deepEqual(cacheFiles(cache), [], 'the write waits for a quiet server (no temporary file either)');
      await server.connection.sendRequest('shutdown');
      assert.equal(written(cache).length, 1, 'the shutdown answer comes once the cache is in place');
    } finally {
      await server.stop();
    }
    await assertRestoresEveryNote(vault, files, cache);
  });

  it('drops a held-back write when a rescan starts and writes the rescan\'s notes at shutdown', async () => {
    const { vault, files, cache } = setUp();
    const server = await ready(vault, cache, HELD);
    try {
      // Changed on disk (another size) before the rescan: its cache entry must be the new text's.
      writeFileSync(files[0]!, note(0, '新标'));
      await server.connection.sendRequest('workspace/executeCommand', { command: 'notesense.server.rebuildIndex', arguments: [] });
      assert.equal(await hasBold(server, files[0]!, '新标0'), true);
      assert.deepEqual(cacheFiles(cache), [], 'neither write has run yet');
    } finally {
      await server.stop();
    }
    // Rewrite note 0's new marker to the old one in the cache, so the common check covers it too.
    const cacheFile = path.join(cache, written(cache)[0]!);
    writeFileSync(cacheFile, swapCachedBolds(readFileSync(cacheFile), [['新标0', '标记0']]));
    await assertRestoresEveryNote(vault, files, cache);
  });
});
