import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseNote } from '../../../server/src/core/parse/note';
import { summarize } from '../../../server/src/core/index/summary';
import { cacheKey, statAll, writeCache } from '../../../server/src/host/indexCache';
import { SummaryPool } from '../../../server/src/lsp/summaryPool';
import { repoRoot } from '../../support/paths';
import { applyLocale } from '../../../server/src/host/l10n';
import { t } from '../../../server/src/core/l10n';

/** Every `.md` file of the shared fixture vault and the example vault. */
function fixtureNotes(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.md')) out.push(path.join(d, e.name));
    }
  };
  for (const d of ['test/fixtures', 'examples/vault']) {
    try {
      statSync(path.join(repoRoot, d));
      walk(path.join(repoRoot, d));
    } catch {
      // not there in this checkout
    }
  }
  return out.sort();
}

const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('summary worker pool', () => {
  it('gives the same summary as parsing in the main thread, for every fixture note', async () => {
    const pool = new SummaryPool(2);
    try {
      assert.equal(pool.size, 2, 'the workers start from the compiled worker file');
      const files = fixtureNotes();
      assert.ok(files.length > 10, 'fixture notes found');
      const options = { scalarEntityKeys: ['guest', 'speaker'] };
      const results = await Promise.all(files.map((f) => pool.summarize(f, pathToFileURL(f).href, 5 * 1024 * 1024, undefined, options)));
      files.forEach((f, i) => {
        const r = results[i]!;
        const bytes = readFileSync(f);
        if (bytes.includes(0) || bytes[0] === 0xff || bytes[0] === 0xfe) return; // binary and UTF-16 fixtures: compared below
        let text = bytes.toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        assert.ok(r.ok, `${f} read`);
        if (r.ok) assert.deepEqual(plain(r.summary), plain(summarize(pathToFileURL(f).href, parseNote(text, options).note)), f);
      });
    } finally {
      await pool.dispose();
    }
  });

  it("words the reasons for skipping a file in the server's locale", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'notesense-pool-l10n-'));
    const big = path.join(dir, 'big.md');
    writeFileSync(big, `---\ntitle: x\n---\n${'字'.repeat(2000)}\n`);
    const pool = new SummaryPool(1);
    try {
      assert.equal(applyLocale('zh-cn'), 'zh-cn');
      const r = await pool.summarize(big, pathToFileURL(big).href, 100, dir, {});
      assert.equal(r.ok, false);
      if (!r.ok) {
        // The same words the main thread uses under zh-cn (`6018 字节`), not the English `6018 bytes`.
        assert.equal(r.read.detail, t('{0} bytes', 6018));
        assert.match(r.read.detail, /字节/);
      }
    } finally {
      applyLocale('en');
      await pool.dispose();
    }
  });

  it('reports files it cannot read, and runs in the calling thread when there is no worker', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'notesense-pool-'));
    const big = path.join(dir, 'big.md');
    writeFileSync(big, `---\ntitle: x\n---\n${'字'.repeat(2000)}\n`);
    const small = path.join(dir, 'small.md');
    writeFileSync(small, '---\npeople:\n- 张三\n---\n**术语**（Term: 定义）\n');
    for (const pool of [new SummaryPool(1), new SummaryPool(1, path.join(dir, 'no-such-worker.js'))]) {
      try {
        const tooLarge = await pool.summarize(big, pathToFileURL(big).href, 100, dir, {});
        assert.equal(tooLarge.ok, false);
        if (!tooLarge.ok) assert.equal(tooLarge.read.reason, 'too-large');
        const missing = await pool.summarize(path.join(dir, 'gone.md'), 'file:///gone.md', 1e6, dir, {});
        assert.equal(missing.ok, false);
        const ok = await pool.summarize(small, pathToFileURL(small).href, 1e6, dir, {});
        assert.ok(ok.ok);
        if (ok.ok) {
          assert.deepEqual(ok.summary.entities.map((e) => e.value), ['张三']);
          assert.deepEqual(ok.summary.definitions.map((d) => [d.term, d.english, d.definition]), [['术语', 'Term', '定义']]);
        }
      } finally {
        await pool.dispose();
      }
    }
  });
});

describe('summary worker pool: restoring the index cache', () => {
  /** A vault of `n` notes (Chinese, emoji, CRLF in every third) and its written cache. */
  async function cachedVault(n: number) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'notesense-pool-restore-'));
    const vault = path.join(dir, 'vault');
    mkdirSync(vault);
    const files = Array.from({ length: n }, (_, i) => path.join(vault, `note-${i}.md`));
    files.forEach((f, i) => {
      const text = `---\ntitle: 笔记${i}\npeople:\n- 人物${i % 7}\n---\n**术语${i % 5}**（Term ${i % 5}: 定义😀）与**粗体${i}**\n`;
      writeFileSync(f, i % 3 === 0 ? text.replace(/\n/g, '\r\n') : text);
    });
    const stats = await statAll(files);
    const key = cacheKey('test', {});
    const cacheFile = path.join(dir, 'cache.ndjson');
    const summaries = new Map(files.map((f) => [f, summarize(pathToFileURL(f).href, parseNote(readFileSync(f, 'utf8')).note)]));
    await writeCache(cacheFile, vault, key, files.map((f) => ({ file: f, stat: stats.get(f)!, summary: summaries.get(f)! })));
    return { dir, vault, files, stats, key, cacheFile, summaries };
  }

  /** Restores through `pool`: every restored summary by file, and how many times each file came. */
  async function restoreWith(pool: SummaryPool, v: Awaited<ReturnType<typeof cachedVault>>) {
    const got = new Map<string, unknown>();
    const times = new Map<string, number>();
    const restored = await pool.restore(v.cacheFile, v.vault, v.key, v.stats, (file, summary) => {
      got.set(file, plain(summary));
      times.set(file, (times.get(file) ?? 0) + 1);
    });
    return { restored, got, times };
  }

  it('a worker decodes the cache in batches; the summaries equal those written, each note once', async () => {
    // More notes than a batch holds (64), so that several batches arrive.
    const v = await cachedVault(150);
    for (const pool of [new SummaryPool(1), new SummaryPool(1, path.join(v.dir, 'no-such-worker.js'))]) {
      try {
        const { restored, got, times } = await restoreWith(pool, v);
        assert.deepEqual([...restored].sort(), [...v.files].sort());
        for (const f of v.files) {
          assert.deepEqual(got.get(f), plain(v.summaries.get(f)), f);
          assert.equal(times.get(f), 1, f);
        }
      } finally {
        await pool.dispose();
      }
    }
  });

  it('restores a changed note from disk, not the cache', async () => {
    const v = await cachedVault(5);
    const stats = new Map(v.stats);
    stats.set(v.files[2]!, { size: v.stats.get(v.files[2]!)!.size + 1, mtimeMs: v.stats.get(v.files[2]!)!.mtimeMs });
    const pool = new SummaryPool(1);
    try {
      const restored = await pool.restore(v.cacheFile, v.vault, v.key, stats, () => undefined);
      assert.deepEqual([...restored].sort(), v.files.filter((_, i) => i !== 2).sort());
    } finally {
      await pool.dispose();
    }
  });

  it('when the worker dies after a batch, the notes it did not send are restored in this thread', async () => {
    const v = await cachedVault(150);
    // A worker that decodes the cache for real but sends one batch of ten notes and exits.
    const fake = path.join(v.dir, 'dying-worker.js');
    const cacheModule = path.join(repoRoot, 'out', 'server', 'src', 'host', 'indexCache.js');
    writeFileSync(fake, `
      const { parentPort } = require('node:worker_threads');
      const { pathToFileURL } = require('node:url');
      const { restoreCache } = require(${JSON.stringify(cacheModule)});
      parentPort.on('message', async (job) => {
        const batch = [];
        const stats = new Map(job.restore.stats.map(([f, size, mtimeMs]) => [f, { size, mtimeMs }]));
        await restoreCache(job.restore.cacheFile, job.restore.folder, { fingerprint: job.restore.fingerprint }, stats,
          (f) => pathToFileURL(f).href, (f, s) => { if (batch.length < 10) batch.push([f, s.data]); });
        parentPort.postMessage({ id: job.id, batch });
        setTimeout(() => process.exit(3), 20);
      });`);
    const pool = new SummaryPool(1, fake);
    try {
      assert.equal(pool.size, 1);
      const { restored, got, times } = await restoreWith(pool, v);
      assert.deepEqual([...restored].sort(), [...v.files].sort());
      for (const f of v.files) {
        assert.deepEqual(got.get(f), plain(v.summaries.get(f)), f);
        assert.equal(times.get(f), 1, `${f} restored once`);
      }
      assert.equal(pool.size, 0, 'the dead worker left the pool');
    } finally {
      await pool.dispose();
    }
  });
});
