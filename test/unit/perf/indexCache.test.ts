import { after, describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseNote } from '../../../server/src/core/parse/note';
import { NoteSummary, summarize, type SummaryData } from '../../../server/src/core/index/summary';
import { groupsFit } from '../../../server/src/host/cacheGroups';
import { CACHE_FORMAT, CacheFile, cacheFileFor, cacheKey, encodeCacheFile, readCacheFile, restoreCache, statAll, TailArena, writeCache } from '../../../server/src/host/indexCache';

const notes: Record<string, string> = {
  'a.md': '---\ntitle: 甲\npeople:\n- 张三\n- "Ada Lovelace"\ntags: [x, y]\n---\n**数据墙**（Data wall: 训练数据耗尽）😀\n',
  'b.md': '\ufeff---\r\nspeaker: Ada Lovelace\r\n---\r\n**解缚（Unhobbling）**\r\n',
  'c.md': '没有前言的笔记，**粗体**。\n',
};

const base = mkdtempSync(path.join(os.tmpdir(), 'notesense-cache-'));
after(() => rmSync(base, { recursive: true, force: true }));

async function setUp() {
  const dir = mkdtempSync(path.join(base, 'run-'));
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
  // A cache of format 5 (one JSON line a note) is replaced, not left beside the new one.
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file.replace(/\.nsidx$/, '.ndjson'), '{"format":5}\n');
  await writeCache(file, vault, key, files.map((f) => ({ file: f, stat: stats.get(f)!, summary: summaries.get(f)! })));
  return { ...setup, key, file, stats };
}

const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const uriOf = (f: string) => pathToFileURL(f).href;

describe('index cache', () => {
  it('restores every unchanged note with the same summary (ranges, CJK, emoji, CRLF, BOM)', async () => {
    const { vault, cacheDir, files, summaries, key, file } = await withCache();
    assert.deepEqual(readdirSync(cacheDir), [path.basename(file)], 'no temporary file, nor a cache of the old format, is left behind');
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

  it('discards the whole cache for another version, options, folder or format, and a damaged file', async () => {
    const { vault, cacheDir, key, file, stats } = await withCache();
    const none = () => undefined;
    assert.equal((await restoreCache(file, vault, cacheKey('other', {}), stats, uriOf, none)).size, 0);
    assert.equal((await restoreCache(file, vault, cacheKey('test', { scalarEntityKeys: ['host'] }), stats, uriOf, none)).size, 0);
    assert.equal((await restoreCache(file, path.join(vault, 'sub'), key, stats, uriOf, none)).size, 0);
    assert.equal((await restoreCache(path.join(cacheDir, 'missing.nsidx'), vault, key, stats, uriOf, none)).size, 0);
    const good = readFileSync(file);
    const damaged = (edit: (b: Buffer) => Buffer) => {
      writeFileSync(file, edit(Buffer.from(good)));
      return restoreCache(file, vault, key, stats, uriOf, none).then((r) => r.size);
    };
    const word = (b: Buffer, at: number, value: number) => (b.writeUInt32LE(value, at), b);
    assert.equal(await damaged((b) => b.subarray(0, b.length - 4)), 0, 'truncated');
    assert.equal(await damaged((b) => Buffer.concat([b, Buffer.alloc(4)])), 0, 'longer than it says');
    assert.equal(await damaged((b) => word(b, 4, CACHE_FORMAT - 1)), 0, 'another format');
    assert.equal(await damaged((b) => word(b, b.length - 16, 0xffff_fff0)), 0, 'strings outside the file');
    assert.equal(await damaged((b) => word(b, b.length - 24, 4)), 0, 'forms inside the header');
    assert.equal(await damaged((b) => word(b, b.length - 20, b.readUInt32LE(b.length - 24))), 0, 'groups where the forms start');
    assert.equal(await damaged((b) => word(b, b.length - 20, b.readUInt32LE(b.length - 16))), 0, 'groups where the strings start');
    assert.equal(await damaged((b) => Buffer.from(b)), 3, 'the undamaged file restores');
    assert.equal(await damaged(() => Buffer.from('not a cache')), 0);
    assert.equal(await damaged(() => Buffer.alloc(0)), 0);
  });

  it('restores the notes before a damaged record, and none from it or after it', async () => {
    const { vault, key, file, stats } = await withCache();
    const good = readFileSync(file);
    const { header, entries } = readCacheFile(good)!;
    assert.equal(entries.length, 3);
    const restoredWith = async (bytes: Buffer) => {
      writeFileSync(file, bytes);
      return [...(await restoreCache(file, vault, key, stats, uriOf, () => undefined))];
    };
    // The second record's summary edited (the encoder writes whatever it is given; the decoder checks).
    const withSecond = (edit: (d: SummaryData) => SummaryData) =>
      encodeCacheFile(header, entries.map((e, i) => (i === 1 ? { ...e, summary: new NoteSummary(edit(e.summary.data)) } : e)));
    const second = entries[1]!.summary.data;
    assert.ok(second.bolds.keys.length >= 1 && second.definitions.terms.length >= 1, 'the second note has bold spans and a definition');
    const variants: Array<[string, Buffer]> = [
      ['bold keys out of order', withSecond((d) => ({ ...d, bolds: { keys: Uint32Array.from([9, 1, 3]) } }))],
      ['a bold key twice', withSecond((d) => ({ ...d, bolds: { keys: Uint32Array.from([1, 7, 7]) } }))],
      ['too few definition ranges', withSecond((d) => ({ ...d, definitions: { ...d.definitions, ranges: d.definitions.ranges.slice(0, -8) } }))],
      ['an unknown style', withSecond((d) => ({ ...d, entities: { ...d.entities, styles: Uint8Array.from(d.entities.styles, () => 9) } }))],
    ];
    assert.ok(second.entities.keys.length > 0, 'the second note has entities');
    for (const [what, bytes] of variants) assert.deepEqual(await restoredWith(bytes), [entries[0]!.file], what);
    // Raw damage to the second record: its length, a string position, a range width.
    const records = 3 + Math.ceil(good.readUInt32LE(8) / 4);
    const secondAt = (records + good.readUInt32LE(records * 4)) * 4;
    const poke = (at: number, value: number) => {
      const b = Buffer.from(good);
      b.writeUInt32LE(value, at);
      return b;
    };
    assert.deepEqual(await restoredWith(poke(secondAt, 0x7fff_ffff)), [entries[0]!.file], 'a record longer than the file');
    // The walk a restart makes stops there too, and says so.
    const walked = CacheFile.parse(poke(secondAt, 0x7fff_ffff))!.walk();
    assert.deepEqual([walked.records.map((r) => r.file), walked.complete], [[entries[0]!.file], false]);
    const whole = CacheFile.parse(good)!.walk();
    assert.deepEqual([whole.records.map((r) => r.file), whole.complete], [entries.map((e) => e.file), true]);
    assert.deepEqual(await restoredWith(poke(secondAt, 3)), [entries[0]!.file], 'a record too short');
    assert.deepEqual(await restoredWith(poke(secondAt + 4, 0xffff_ff00)), [entries[0]!.file], 'a file name outside the table');
    assert.deepEqual(await restoredWith(poke(secondAt + 24, 0xffff_ff00)), [entries[0]!.file], 'a title outside the table');
    assert.deepEqual((await restoredWith(good)).sort(), entries.map((e) => e.file).sort(), 'the undamaged file restores every note');
  });

  it('restores a record with any one word of its body set to an impossible value whole or not at all, never with a string missing', async () => {
    const { vault, key, file, stats } = await withCache();
    const good = readFileSync(file);
    const { entries } = readCacheFile(good)!;
    const records = 3 + Math.ceil(good.readUInt32LE(8) / 4);
    const secondAt = records + good.readUInt32LE(records * 4);
    const length = good.readUInt32LE(secondAt * 4);
    const all = entries.map((e) => e.file).sort();
    const isString = (x: unknown) => typeof x === 'string';
    let rejected = 0;
    // The words after the record's file, size and mtime: title, date, fields, string positions, counts, widths, the typed arrays.
    for (let k = 6; k < length; k++) {
      for (const value of [0xffff_ff00, 0xffff_ffff]) {
        const b = Buffer.from(good);
        b.writeUInt32LE(value, (secondAt + k) * 4);
        writeFileSync(file, b);
        const got = new Map<string, NoteSummary>();
        const restored = [...(await restoreCache(file, vault, key, stats, uriOf, (f, s) => got.set(f, s)))].sort();
        if (restored.length === 1) {
          assert.deepEqual(restored, [entries[0]!.file], `word ${k}`);
          rejected++;
          continue;
        }
        assert.deepEqual(restored, all, `word ${k}`);
        const d = got.get(entries[1]!.file)!.data;
        const strings = [...d.entities.keys, ...d.entities.values, ...d.definitions.terms, ...d.definitions.texts, ...d.fields.flatMap((f) => [f.key, f.kind])];
        assert.ok(strings.every(isString), `word ${k}: a string of the record is missing`);
        assert.ok(d.definitions.english.every((e) => e === null || isString(e)), `word ${k}: an English name is missing`);
        assert.ok([d.title, d.date].every((x) => x === undefined || isString(x)), `word ${k}: the title or date is missing`);
        assert.ok(d.fields.every((f) => !('scalar' in f) || ['string', 'number', 'boolean'].includes(typeof f.scalar)), `word ${k}: a field's value is missing`);
      }
    }
    // Every position, count, tag and width word is checked: most such changes are refused.
    assert.ok(rejected >= length, `${rejected} of ${2 * (length - 6)} changes refused`);
  });

  it('keeps every string as it was, lone surrogates and all, and the stat numbers exactly', async () => {
    // YAML escapes in double quotes make lone surrogates, which UTF-8 could not carry.
    const text = '---\ntitle: "\\ud800孤\\udc00"\npeople: ["\\ud83d", 甲, 甲]\n---\n**甲**（Jia: 一）\n';
    const summary = summarize('file:///odd.md', parseNote(text).note);
    assert.equal(summary.title, '\ud800孤\udc00');
    assert.equal(summary.entities.value(0), '\ud83d');
    const bytes = encodeCacheFile({ format: CACHE_FORMAT, fingerprint: 'f', folder: '/' }, [{ file: '/odd.md', stat: { size: 1, mtimeMs: 2.5 }, summary }]);
    const back = readCacheFile(bytes)!;
    assert.deepEqual(plain(back.entries[0]!.summary.data), plain({ ...summary.data, uri: '' }));
    assert.deepEqual(back.entries[0]!.stat, { size: 1, mtimeMs: 2.5 });
  });
});

describe('index cache: the groups section', () => {
  /** A cache file's groups with its records decoded, as a restart reads them. */
  const read = (bytes: Uint8Array) => {
    const cache = CacheFile.parse(bytes)!;
    return { cache, groups: cache.groups(), batch: [...cache.notes()].map((n) => n.decode(uriOf(n.file))) };
  };
  const plainGroups = (g: object) => Object.fromEntries(Object.entries(g).filter(([k]) => k !== 'strings' && k !== 'forms').map(([k, v]) => [k, [...(v as Uint32Array)]]));

  it('is written in slices as in one piece, and fits the records', async () => {
    const { file, files, summaries, stats } = await withCache();
    const sliced = read(readFileSync(file));
    assert.ok(sliced.groups && groupsFit(sliced.groups, sliced.batch));
    assert.equal(sliced.cache.records, 3);
    const whole = read(encodeCacheFile(sliced.cache.header, files.map((f) => ({ file: f, stat: stats.get(f)!, summary: summaries.get(f)! }))));
    assert.deepEqual(plainGroups(sliced.groups), plainGroups(whole.groups!));
    // Not empty: two notes list Ada Lovelace (under two keys), the first defines a term with a name.
    const starts = [...(sliced.groups.entityNoteStart as Uint32Array)];
    assert.ok(starts.some((at, e) => e > 0 && at - starts[e - 1]! === 2), 'an entity listed by two notes');
    assert.ok(sliced.groups.keyCounts.length >= 4 && sliced.groups.names.length >= 2);
  });

  it('left empty, or damaged anywhere, is not used (and never throws)', async () => {
    const { files, summaries, stats } = await withCache();
    const entries = files.map((f) => ({ file: f, stat: stats.get(f)!, summary: summaries.get(f)! }));
    const header = { format: CACHE_FORMAT, fingerprint: 'f', folder: '/' };
    assert.equal(read(encodeCacheFile(header, entries, undefined, false)).groups, undefined);
    const good = encodeCacheFile(header, entries);
    const groupsAt = good.readUInt32LE(good.length - 20);
    const stringsAt = good.readUInt32LE(good.length - 16);
    assert.ok(stringsAt - groupsAt >= 40);
    // Every word of the section, in turn, set to a number no count or position can be.
    for (let at = groupsAt; at < stringsAt; at += 4) {
      const b = Buffer.from(good);
      b.writeUInt32LE(0xffff_fff0, at);
      const { groups, batch } = read(b);
      assert.ok(!groups || !groupsFit(groups, batch), `word ${(at - groupsAt) / 4}`);
    }
    // Two notes listing one person each, the first person's note given to the second: every total still
    // adds up and the second's list stays in order, but an entity with no notes is refused.
    const two = ['---\npeople: [甲]\n---\n', '---\npeople: [乙]\n---\n'].map((text, i) =>
      ({ file: `/v/${i}.md`, stat: { size: 1, mtimeMs: 1 }, summary: summarize(`file:///v/${i}.md`, parseNote(text).note) }));
    const pair = encodeCacheFile(header, two);
    const pairAt = pair.readUInt32LE(pair.length - 20);
    const word = (at: number) => pair.readUInt32LE(pairAt + 4 * at);
    const entities = word(0);
    const noteStartAt = 1 + 2 * entities + (entities + 1) + 2 * word(1 + 2 * entities + entities);
    assert.deepEqual([entities, word(noteStartAt), word(noteStartAt + 1), word(noteStartAt + 2)], [2, 0, 1, 2]);
    assert.ok(read(pair).groups);
    const moved = Buffer.from(pair);
    moved.writeUInt32LE(0, pairAt + 4 * (noteStartAt + 1));
    assert.equal(read(moved).groups, undefined, 'an entity with no notes');
    // Records in another order than their groups: the places no longer add up note by note.
    const { groups, batch } = read(good);
    assert.ok(groupsFit(groups!, batch));
    assert.equal(groupsFit(groups!, [...batch].reverse()), false);
  });
});

describe('TailArena', () => {
  const words = (n: number, first: number) => Uint32Array.from({ length: n }, (_, i) => first + i);
  // A copy's buffer, and the offset the arena gives for it right after.
  const copyOf = (arena: TailArena, source: Uint32Array, from: number, to: number) => {
    const buffer = arena.copy(source, from, to);
    return { buffer, offset: arena.offset };
  };

  it('copies records one after another into one buffer, each copy equal to its words and apart from them', () => {
    const arena = new TailArena();
    const source = words(100, 1);
    const a = copyOf(arena, source, 0, 10);
    const b = copyOf(arena, source, 10, 13);
    const c = copyOf(arena, source, 13, 13);
    assert.equal(a.buffer, b.buffer);
    assert.equal(a.offset, 0);
    // b starts right after a's last word, and c (empty) right after b's.
    assert.equal(b.offset, 40);
    assert.equal(c.offset, 52);
    const viewA = new Uint32Array(a.buffer, a.offset, 10);
    const viewB = new Uint32Array(b.buffer, b.offset, 3);
    assert.deepEqual([...viewA], [...source.subarray(0, 10)]);
    assert.deepEqual([viewB[0], viewB[2]], [11, 13]);
    // The copy does not follow the source (the file's bytes are let go after the restore).
    source.fill(0);
    assert.deepEqual([viewA[0], viewA[9], viewB[0], viewB[2]], [1, 10, 11, 13]);
  });

  it('starts a new buffer when a record does not fit the current one, and gives a large record its own', () => {
    const arena = new TailArena();
    const chunkWords = (1 << 20) / 4;
    const big = words(chunkWords / 4 + 1, 7);
    const own = copyOf(arena, big, 0, big.length);
    assert.equal(own.offset, 0);
    assert.equal(own.buffer.byteLength, big.length * 4);
    const fill = words(chunkWords / 4, 1);
    const parts = [0, 1, 2, 3].map(() => copyOf(arena, fill, 0, fill.length));
    assert.ok(parts.every((p) => p.buffer === parts[0]!.buffer));
    assert.equal(parts[3]!.offset + fill.length * 4, (1 << 20));
    const next = copyOf(arena, fill, 0, 1);
    assert.notEqual(next.buffer, parts[0]!.buffer);
    assert.equal(next.offset, 0);
    assert.equal(new Uint32Array(next.buffer, next.offset, 1)[0], 1);
    const last = new Uint32Array(parts[3]!.buffer, parts[3]!.offset, fill.length);
    assert.equal(last[last.length - 1], fill[fill.length - 1]);
  });
});
