/**
 * The index cache write in slices: it yields to the event loop between slices (a request queued during
 * a slice runs before the next one), slices are bounded by time rather than bytes, a write abandoned
 * by its pace leaves the old cache as it was, and a write held back by the idle gate finishes at once
 * when hurried (at shutdown). Orders of events are asserted, never milliseconds.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { summarize, type NoteSummary } from '../../../server/src/core/index/summary';
import { parseNote } from '../../../server/src/core/parse/note';
import { cacheFileFor, cacheKey, restoreCache, statAll, writeCache, type FileStat } from '../../../server/src/host/indexCache';
import { IdleGate } from '../../../server/src/lsp/idleGate';

const uriOf = (f: string) => pathToFileURL(f).href;
const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

/** A note with a bold marker of its own, Chinese, an emoji and CRLF line ends in every other note. */
function noteText(i: number): string {
  const text = `---\ntitle: 笔记${i}\npeople:\n- 人物${i % 7}\n---\n**标记${i}**（Marker ${i}: 第${i}个定义）😀\n正文**粗体${i % 3}**。\n`;
  return i % 2 ? text.replace(/\n/g, '\r\n') : text;
}

interface Entry { file: string; stat: FileStat; summary: NoteSummary }

describe('index cache write in slices', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'notesense-cache-write-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let runs = 0;

  /** A vault of `count` notes, their entries for `writeCache`, and a cache file of its own. */
  async function setUp(count: number, note = noteText) {
    const root = path.join(dir, `run-${++runs}`);
    const vault = path.join(root, 'vault');
    mkdirSync(vault, { recursive: true });
    const files = Array.from({ length: count }, (_, i) => path.join(vault, `note-${i}.md`));
    files.forEach((f, i) => writeFileSync(f, note(i)));
    const stats = await statAll(files);
    const entries: Entry[] = files.map((f, i) => ({ file: f, stat: stats.get(f)!, summary: summarize(uriOf(f), parseNote(note(i)).note) }));
    const cacheDir = path.join(root, 'cache');
    return { vault, files, stats, entries, cacheDir, cacheFile: cacheFileFor(cacheDir, vault), key: cacheKey('test', {}) };
  }

  /** Restores the cache and checks that every entry comes back with the summary it was written with. */
  async function assertComplete(s: Awaited<ReturnType<typeof setUp>>): Promise<void> {
    const got = new Map<string, NoteSummary>();
    const restored = await restoreCache(s.cacheFile, s.vault, s.key, s.stats, uriOf, (f, summary) => got.set(f, summary));
    assert.equal(restored.size, s.entries.length, 'every note is restored');
    for (const e of s.entries) assert.deepEqual(plain(got.get(e.file)), plain(e.summary));
  }

  it('yields between slices: what is queued during a slice runs before the next one', async () => {
    const s = await setUp(6);
    const events: string[] = [];
    // Each entry is fetched during the slice before its own (the writer looks one entry ahead), and
    // queues an immediate there, as the connection does for a request it has read.
    function* watched(): Generator<Entry> {
      for (const [i, e] of s.entries.entries()) {
        setImmediate(() => events.push(`request ${i}`));
        yield { file: e.file, stat: e.stat, get summary() { events.push(`encode ${i}`); return e.summary; } };
      }
    }
    let slices = 0;
    const written = await writeCache(s.cacheFile, s.vault, s.key, watched(), { sliceMs: 0, pace: () => (slices++, true) });
    assert.equal(written, true);
    assert.equal(slices, s.entries.length + 1, 'a slice of no time encodes one note; the last one writes the string table');
    for (let i = 0; i < s.entries.length; i++) {
      assert.ok(events.indexOf(`request ${i}`) >= 0 && events.indexOf(`request ${i}`) < events.indexOf(`encode ${i}`), `request ${i} ran before note ${i} was encoded: ${events.join(', ')}`);
    }
    await assertComplete(s);
  });

  it('writes the entity forms and the string table of a large vault in slices too', async () => {
    // 20 people of its own a note: 20,000 entity values and more than 20,000 strings.
    const s = await setUp(1000, (i) => `---\ntitle: 笔记${i}\npeople:\n${Array.from({ length: 20 }, (_, k) => `- 人物${i}-${k}\n`).join('')}---\n**标记${i}**（Marker ${i}: 第${i}个定义）\n`);
    let encodedAll = false;
    function* entries(): Generator<Entry> {
      yield* s.entries;
      encodedAll = true;
    }
    let tail = 0;
    const formsOf = (value: string) => ({ folded: value, spelling: value, pinyin: { full: '', initials: '' }, words: [value] });
    assert.equal(await writeCache(s.cacheFile, s.vault, s.key, entries(), { sliceMs: 0, formsOf, pace: () => (encodedAll && tail++, true) }), true);
    // One slice before the forms, then one per 4,096 values' forms (4) and one per further 16,384 strings (1 at least).
    assert.ok(tail >= 1 + 4 + 1, `${tail} slices after the notes`);
    await assertComplete(s);
  });

  it('bounds slices by time: an unbounded slice writes every note at once', async () => {
    const s = await setUp(5);
    let slices = 0;
    assert.equal(await writeCache(s.cacheFile, s.vault, s.key, s.entries, { sliceMs: Infinity, pace: () => (slices++, true) }), true);
    assert.equal(slices, 2, 'the notes, then the string table');
    await assertComplete(s);
  });

  it('leaves the old cache as it was when the pace abandons the write, before or after it started', async () => {
    const s = await setUp(5);
    assert.equal(await writeCache(s.cacheFile, s.vault, s.key, s.entries.slice(0, 2)), true);
    const old = readFileSync(s.cacheFile, 'utf8');
    for (const abandonAt of [1, 3]) {
      let slices = 0;
      let sawTemporary = false;
      const written = await writeCache(s.cacheFile, s.vault, s.key, s.entries, {
        sliceMs: 0,
        pace: () => {
          sawTemporary ||= readdirSync(s.cacheDir).some((f) => f.endsWith('.tmp'));
          return ++slices < abandonAt;
        },
      });
      assert.equal(written, false);
      assert.equal(sawTemporary, abandonAt > 1, 'the temporary file exists once a slice ran');
      assert.deepEqual(readdirSync(s.cacheDir), [path.basename(s.cacheFile)], 'no temporary file is left behind');
      assert.equal(readFileSync(s.cacheFile, 'utf8'), old, 'the old cache is untouched');
    }
  });

  it('removes temporary files left by servers that are gone, not those of a live one', async () => {
    const s = await setUp(3);
    mkdirSync(s.cacheDir, { recursive: true });
    // A process that has exited: its pid is free.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = `${path.basename(s.cacheFile)}.${gone}.1.tmp`;
    const live = `${path.basename(s.cacheFile)}.${process.pid}.1.tmp`;
    const other = `index-other.ndjson.${gone}.1.tmp`;
    for (const f of [stale, live, other]) writeFileSync(path.join(s.cacheDir, f), 'partial');
    assert.equal(await writeCache(s.cacheFile, s.vault, s.key, s.entries), true);
    assert.deepEqual(readdirSync(s.cacheDir).sort(), [path.basename(s.cacheFile), live, other].sort());
    await assertComplete(s);
  });

  it('finishes a write held back by a busy server at once when hurried (shutdown)', async () => {
    const s = await setUp(8);
    // Never quiet long enough, never forced by the delay: only `hurry` lets the held-back slice run.
    const gate = new IdleGate({ quietMs: 1e12, maxDelayMs: 1e12 });
    const since = performance.now();
    let slices = 0;
    let held!: () => void;
    const heldBack = new Promise<void>((resolve) => (held = resolve));
    function* busyAfterTwo(): Generator<Entry> {
      for (const [i, e] of s.entries.entries()) {
        // A request arrives once two notes are written.
        if (i === 2) gate.busy();
        yield e;
      }
    }
    let finished = false;
    const write = writeCache(s.cacheFile, s.vault, s.key, busyAfterTwo(), {
      sliceMs: 0,
      pace: () => {
        if (++slices === 3) held();
        return gate.wait(since, () => false);
      },
    }).then((written) => ((finished = true), written));
    await heldBack;
    assert.equal(finished, false);
    assert.deepEqual(readdirSync(s.cacheDir).filter((f) => f.endsWith('.tmp')).length, 1, 'half written, in a temporary file');
    assert.ok(!readdirSync(s.cacheDir).includes(path.basename(s.cacheFile)), 'not yet renamed into place');
    gate.hurry();
    assert.equal(await write, true);
    assert.equal(slices, s.entries.length + 1);
    assert.deepEqual(readdirSync(s.cacheDir), [path.basename(s.cacheFile)]);
    await assertComplete(s);
  });
});

describe('idle gate', () => {
  it('lets work run on a quiet server, holds it back after a request until hurried or abandoned', async () => {
    const gate = new IdleGate({ quietMs: 1e12, maxDelayMs: 1e12 });
    assert.equal(await gate.wait(performance.now(), () => false), true, 'no request yet: quiet');
    gate.busy();
    const order: string[] = [];
    const held = gate.wait(performance.now(), () => false).then((ok) => order.push(`held ${ok}`));
    let abandon = false;
    const dropped = gate.wait(performance.now(), () => abandon).then((ok) => order.push(`dropped ${ok}`));
    abandon = true;
    order.push('wake');
    gate.wake();
    await dropped;
    order.push('hurry');
    gate.hurry();
    await held;
    assert.deepEqual(order, ['wake', 'dropped false', 'hurry', 'held true']);
    assert.equal(await gate.wait(performance.now(), () => false), true, 'hurried for good');
  });

  it('lets work run on a busy server once it has waited the longest delay', async () => {
    const gate = new IdleGate({ quietMs: 1e12, maxDelayMs: 0 });
    gate.busy();
    assert.equal(await gate.wait(performance.now(), () => false), true);
    // A new timing wakes a waiter, which then runs under it.
    gate.configure({ quietMs: 1e12, maxDelayMs: 1e12 });
    gate.busy();
    const waiting = gate.wait(performance.now(), () => false);
    gate.configure({ quietMs: 0, maxDelayMs: 1e12 });
    assert.equal(await waiting, true);
  });
});
