import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { NoteSummary } from '../../server/src/core/index/summary';
import { encodeCacheFile, readCacheFile } from '../../server/src/host/indexCache';
import { swapCachedBolds } from '../support/cacheText';
import { fileUri, startServer, type StartOptions, type TestServer } from '../support/lsp';

interface Status { state: string; notes: number }
interface Stats { notes: number; hasBold?: boolean }

/** Starts a server on `vault` with its index cache in `cacheDirectory` and waits for the scan to end. */
async function ready(vault: string, cacheDirectory: string): Promise<TestServer> {
  const server = await startServer({ rootPath: vault, initializationOptions: { cacheDirectory } });
  await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready');
  return server;
}

/**
 * The index snapshot of a server started with `options` once its scan ends, and how many notes its
 * restore took from the cache (and by the cache's groups). `starting` runs as soon as it is up.
 */
async function afterScan(options: StartOptions, starting?: (server: TestServer) => void) {
  const server = await startServer(options);
  try {
    starting?.(server);
    await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready');
    const snapshot = await server.connection.sendRequest('notesense/indexSnapshot');
    const { restore } = await server.connection.sendRequest<{ restore: { restored: number; grouped: number } }>('notesense/indexStats', { restore: true });
    return { snapshot, restore };
  } finally {
    await server.stop();
  }
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

  it('restores the notes before a damaged record from the cache and reads the rest from disk', async () => {
    const root = mkdtempSync(path.join(dir, 'damaged-'));
    const notes = path.join(root, 'vault');
    const caches = path.join(root, 'cache');
    mkdirSync(notes);
    const files = [0, 1, 2, 3].map((i) => path.join(notes, `n${i}.md`));
    files.forEach((f, i) => writeFileSync(f, `---\npeople:\n- 人${i}\n---\n**原${i}**（Term ${i}: 定义）\n`));
    await (await ready(notes, caches)).stop();
    const cacheFile = path.join(caches, readdirSync(caches)[0]!);
    // Every cached note tells its origin by a swapped bold text; the third record's bold keys are then put
    // out of order, which the decoder refuses.
    const swapped = swapCachedBolds(readFileSync(cacheFile), files.map((_, i) => [`原${i}`, `缓${i}`]));
    const { header, entries } = readCacheFile(swapped)!;
    const order = entries.map((e) => files.indexOf(e.file));
    const d = entries[2]!.summary.data;
    entries[2] = { ...entries[2]!, summary: new NoteSummary({ ...d, bolds: { keys: Uint32Array.from([9, 1, 3]) } }) };
    writeFileSync(cacheFile, encodeCacheFile(header, entries));
    const server = await ready(notes, caches);
    try {
      for (const [at, i] of order.entries()) {
        const fromCache = at < 2;
        assert.equal(await hasBold(server, files[i]!, `缓${i}`), fromCache, `record ${at} (n${i}.md) ${fromCache ? 'from the cache' : 'from disk'}`);
        assert.equal(await hasBold(server, files[i]!, `原${i}`), !fromCache);
      }
    } finally {
      await server.stop();
    }
  });

  it("restores every folder's notes, and a note opened during the restart keeps its buffer", async () => {
    const root = mkdtempSync(path.join(dir, 'folders-'));
    const folders = [path.join(root, 'one'), path.join(root, 'two')];
    const caches = path.join(root, 'cache');
    folders.forEach((f, i) => {
      mkdirSync(f);
      writeFileSync(path.join(f, 'a.md'), `---\ntags: [t${i}]\n---\n**词${i}**\n`);
      writeFileSync(path.join(f, 'b.md'), `---\ntags: [t]\n---\n**另${i}**\n`);
    });
    const start = () => startServer({ folders, initializationOptions: { cacheDirectory: caches } });
    let server = await start();
    await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready');
    await server.stop();
    assert.equal(readdirSync(caches).length, 2, 'a cache file a folder');
    for (const name of readdirSync(caches)) {
      const file = path.join(caches, name);
      writeFileSync(file, swapCachedBolds(readFileSync(file), [['词0', '存0'], ['词1', '存1'], ['另0', '存另0'], ['另1', '存另1']]));
    }
    server = await start();
    try {
      // Opened at once: the restore either skips it or carries the buffer over when it swaps its index in.
      const opened = path.join(folders[1]!, 'b.md');
      server.open(fileUri(opened), '---\ntags: [t]\n---\n**缓冲**\n');
      await server.waitForNotification<Status>('notesense/status', (s) => s.state === 'ready');
      for (const [i, f] of folders.entries()) assert.equal(await hasBold(server, path.join(f, 'a.md'), `存${i}`), true, `folder ${i} came from its cache`);
      assert.equal(await hasBold(server, path.join(folders[0]!, 'b.md'), '存另0'), true);
      assert.equal(await hasBold(server, opened, '缓冲'), true, 'the open buffer wins');
      assert.equal(await hasBold(server, opened, '存另1'), false);
    } finally {
      await server.stop();
    }
  });

  it('builds a restart from the groups the cache saved, and leaves out the notes changed, gone or open', async () => {
    const root = mkdtempSync(path.join(dir, 'grouped-'));
    const notes = path.join(root, 'vault');
    const caches = path.join(root, 'cache');
    mkdirSync(notes);
    // 24 notes sharing people, tags and terms (under other keys and English names too).
    const people = ['张三', '李四', 'Ada Lovelace', '王五'];
    const note = (i: number) => `---\ntitle: 笔记${i}\n${i % 3 ? 'people' : 'guest'}:\n- ${people[i % 4]}\n- ${people[(i + 1) % 4]}\ntags: [t${i % 5}, 共同]\n---\n`
      + `**术语${i % 6}**（Term ${i % 2}: 定义${i}）与**共用词**（Shared: 共）。\n`;
    const files = Array.from({ length: 24 }, (_, i) => path.join(notes, `n${i}.md`));
    files.forEach((f, i) => writeFileSync(f, note(i)));
    await (await ready(notes, caches)).stop();
    const cacheFile = path.join(caches, readdirSync(caches)[0]!);
    const saved = readFileSync(cacheFile);
    // While the editor was closed: one note changed (another size), one deleted, one added.
    writeFileSync(files[3]!, '---\npeople: [新人]\ntags: [t9]\n---\n**新词**（New: 新）\n');
    rmSync(files[7]!);
    writeFileSync(path.join(notes, 'added.md'), note(30));
    // Opened in a buffer as the restart begins: its buffer wins, whatever the restore meanwhile.
    const opened = fileUri(files[11]!);
    const buffer = '---\npeople: [缓冲人]\n---\n**缓冲词**（Buffer: 缓）\n';
    const snapshotOf = (cacheDirectory: string | false) =>
      afterScan({ rootPath: notes, initializationOptions: { cacheDirectory } }, (server) => server.open(opened, buffer));
    const cold = await snapshotOf(false);
    assert.deepEqual(cold.restore, { restored: 0, grouped: 0 });
    // With the saved groups, and with a cache whose groups were left empty (the notes grouped at restore).
    const withoutGroups = (() => {
      const { header, entries } = readCacheFile(saved)!;
      return encodeCacheFile(header, entries, undefined, false);
    })();
    for (const [what, bytes, grouped] of [['groups', saved, true], ['no groups', withoutGroups, false]] as const) {
      writeFileSync(cacheFile, bytes);
      const warm = await snapshotOf(caches);
      // 21 notes restored: not the changed, deleted or added one; the open one (if the restore saw it
      // open) is counted as restored but is the buffer's.
      assert.ok(warm.restore.restored === 21 || warm.restore.restored === 20, `${what}: ${JSON.stringify(warm.restore)}`);
      assert.equal(warm.restore.grouped, grouped ? warm.restore.restored : 0, what);
      assert.deepEqual(warm.snapshot, cold.snapshot, what);
    }
  });

  it("builds every folder's notes from its cache's groups, the index holding another folder's already", async () => {
    const root = mkdtempSync(path.join(dir, 'folders-grouped-'));
    const folders = [path.join(root, 'one'), path.join(root, 'two')];
    const caches = path.join(root, 'cache');
    // The same people, tags and terms in both folders (the second folder's entries exist already).
    folders.forEach((f, k) => {
      mkdirSync(f);
      for (let i = 0; i < 10; i++) {
        writeFileSync(path.join(f, `n${i}.md`), `---\npeople: [张三, 人${(i + k) % 4}]\ntags: [t${i % 3}]\n---\n**术语${i % 5}**（Term ${k}: 定义）\n`);
      }
    });
    const snapshotOf = (cacheDirectory: string | false) => afterScan({ folders, initializationOptions: { cacheDirectory } });
    const first = await snapshotOf(caches);
    assert.deepEqual(first.restore, { restored: 0, grouped: 0 });
    assert.equal(readdirSync(caches).length, 2);
    const warm = await snapshotOf(caches);
    assert.deepEqual(warm.restore, { restored: 20, grouped: 20 });
    assert.deepEqual(warm.snapshot, first.snapshot);
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
