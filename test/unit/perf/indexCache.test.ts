import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseNote } from '../../../server/src/core/parse/note';
import { summarize, type NoteSummary } from '../../../server/src/core/index/summary';
import { cacheFileFor, cacheKey, restoreCache, statAll, writeCache } from '../../../server/src/host/indexCache';

const notes: Record<string, string> = {
  'a.md': '---\ntitle: 甲\npeople:\n- 张三\n- "Ada Lovelace"\ntags: [x, y]\n---\n**数据墙**（Data wall: 训练数据耗尽）😀\n',
  'b.md': '\ufeff---\r\nspeaker: Ada Lovelace\r\n---\r\n**解缚（Unhobbling）**\r\n',
  'c.md': '没有前言的笔记，**粗体**。\n',
};

async function setUp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'notesense-cache-'));
  const vault = path.join(dir, 'vault');
  const cacheDir = path.join(dir, 'cache');
  const files = Object.keys(notes).map((n) => path.join(vault, n));
  await import('node:fs').then((fs) => fs.mkdirSync(vault));
  for (const [n, text] of Object.entries(notes)) writeFileSync(path.join(vault, n), text);
  const summaries = new Map<string, NoteSummary>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/^\ufeff/, '');
    summaries.set(f, summarize(pathToFileURL(f).href, parseNote(text).note));
  }
  return { vault, cacheDir, files, summaries };
}

/** The vault of `setUp` with its cache written, and what writing it took. */
async function withCache() {
  const setup = await setUp();
  const { vault, cacheDir, files, summaries } = setup;
  const key = cacheKey('test', {});
  const file = cacheFileFor(cacheDir, vault);
  const stats = await statAll(files);
  await writeCache(file, vault, key, files.map((f) => ({ file: f, stat: stats.get(f)!, summary: summaries.get(f)! })));
  return { ...setup, key, file, stats };
}

const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const uriOf = (f: string) => pathToFileURL(f).href;

describe('index cache', () => {
  it('restores every unchanged note with the same summary (ranges, CJK, emoji, CRLF, BOM)', async () => {
    const { vault, cacheDir, files, summaries, key, file } = await withCache();
    assert.deepEqual(readdirSync(cacheDir), [path.basename(file)], 'no temporary file is left behind');
    const got = new Map<string, NoteSummary>();
    const restored = await restoreCache(file, vault, key, await statAll(files), uriOf, (f, s) => got.set(f, s));
    assert.equal(restored.size, 3);
    for (const f of files) assert.deepEqual(plain(got.get(f)), plain(summaries.get(f)));
    const a = got.get(files[0]!)!;
    assert.deepEqual(a.entities.at(1).range, summaries.get(files[0]!)!.entities.at(1).range);
    assert.ok(a.entities.at(1).range.end.character > a.entities.at(1).range.start.character);
  });

  it('always re-reads a changed file: another size or mtime is not restored', async () => {
    const { vault, files, key, file } = await withCache();
    appendFileSync(files[0]!, 'x');
    const later = new Map(await statAll(files));
    const b = later.get(files[1]!)!;
    later.set(files[1]!, { size: b.size, mtimeMs: b.mtimeMs + 1 });
    const restored = await restoreCache(file, vault, key, later, uriOf, () => undefined);
    assert.deepEqual([...restored], [files[2]]);
  });

  it('discards the whole cache for another version, options or folder, and survives corruption', async () => {
    const { vault, cacheDir, key, file, stats } = await withCache();
    const none = () => undefined;
    assert.equal((await restoreCache(file, vault, cacheKey('other', {}), stats, uriOf, none)).size, 0);
    assert.equal((await restoreCache(file, vault, cacheKey('test', { scalarEntityKeys: ['host'] }), stats, uriOf, none)).size, 0);
    assert.equal((await restoreCache(file, path.join(vault, 'sub'), key, stats, uriOf, none)).size, 0);
    const text = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [text[0], text[1], '{"broken', text[3]].join('\n'));
    assert.equal((await restoreCache(file, vault, key, stats, uriOf, none)).size, 1);
    assert.equal((await restoreCache(path.join(cacheDir, 'missing.ndjson'), vault, key, stats, uriOf, none)).size, 0);
  });

  it('restores no summary from a line whose packed arrays do not fit it', async () => {
    const { vault, key, file, stats } = await withCache();
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = JSON.parse(lines[1]!) as [string, number, number, { bolds: { keys: string; of: string; ranges: string }; definitions: { ranges: string }; entities: { styles: string } }];
    const bad = (edit: (d: (typeof line)[3]) => void) => {
      const copy = JSON.parse(JSON.stringify(line)) as typeof line;
      edit(copy[3]);
      return JSON.stringify(copy);
    };
    const variants = [
      bad((d) => (d.definitions.ranges = d.definitions.ranges.slice(0, -8))), // too few range numbers
      bad((d) => (d.definitions.ranges = 'u8:' + d.definitions.ranges.split(':')[1])), // ranges must be 16 or 32 bits
      bad((d) => (d.bolds.keys = 'u16:' + Buffer.from(new Uint16Array([1, 2]).buffer).toString('base64'))), // bold keys are 32 bits
      bad((d) => (d.bolds.keys = 'u32:' + Buffer.from(new Uint32Array([7, 1, 7, 1]).buffer).toString('base64'))), // in increasing order
      bad((d) => (d.bolds.keys = 'u32:' + Buffer.from(new Uint32Array([9, 1, 3, 1]).buffer).toString('base64'))),
      bad((d) => (d.bolds.keys = 'u32:' + Buffer.from(new Uint32Array([9, 1, 9]).buffer).toString('base64'))), // two numbers a key
      bad((d) => (d.bolds.of = 'u16:' + Buffer.from(new Uint16Array([60_000]).buffer).toString('base64'))), // no such key
      bad((d) => (d.bolds.ranges = d.bolds.ranges.slice(0, -8))), // too few range numbers
      bad((d) => (d.entities.styles = 'x9:AAAA')), // unknown tag
    ];
    for (const variant of variants) {
      writeFileSync(file, [lines[0], variant].join('\n') + '\n');
      assert.equal((await restoreCache(file, vault, key, stats, uriOf, () => undefined)).size, 0, variant.slice(0, 80));
    }
    writeFileSync(file, [lines[0], lines[1]].join('\n') + '\n');
    assert.equal((await restoreCache(file, vault, key, stats, uriOf, () => undefined)).size, 1, 'the unedited line restores');
  });
});
