import { after, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseNote } from '../../../server/src/core/parse/note';
import { summarize } from '../../../server/src/core/index/summary';
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
  const base = mkdtempSync(path.join(os.tmpdir(), 'notesense-pool-'));
  after(() => rmSync(base, { recursive: true, force: true }));

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

  it('gives the notes it read one object for each field they share', async () => {
    const dir = mkdtempSync(path.join(base, 'fields-'));
    const files = ['一', '二'].map((title, i) => {
      const file = path.join(dir, `${i}.md`);
      writeFileSync(file, `---\ntitle: ${title}\ntype: podcast\npeople: [张三]\n---\n正文\n`);
      return file;
    });
    const pool = new SummaryPool(1);
    try {
      const [a, b] = await Promise.all(files.map((f) => pool.summarize(f, pathToFileURL(f).href, 1024 * 1024, dir, {})));
      assert.ok(a?.ok && b?.ok);
      const field = (r: typeof a, key: string) => (r.ok ? r.summary.fields.find((f) => f.key === key) : undefined);
      assert.equal(field(a, 'type'), field(b, 'type'));
      assert.equal(field(a, 'people'), field(b, 'people'));
      assert.deepEqual([field(a, 'title')?.scalar, field(b, 'title')?.scalar], ['一', '二']);
    } finally {
      await pool.dispose();
    }
  });

  it("words the reasons for skipping a file in the server's locale", async () => {
    const dir = mkdtempSync(path.join(base, 'l10n-'));
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
    const dir = mkdtempSync(path.join(base, 'reads-'));
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
