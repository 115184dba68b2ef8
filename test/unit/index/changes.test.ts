/**
 * The index's change log and the trackers that read it (`watchIndex`): a sync after one edit hears of that
 * note only, a reader the log no longer reaches back for still ends up with exactly the index's notes,
 * and deletions are reported with no summary after.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { catchUpIndex, watchIndex } from '../../../server/src/core/index/changes';
import { summarize, type NoteSummary } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';

const uri = (i: number) => `file:///vault/n${i}.md`;
const note = (i: number, v = 0) => summarize(uri(i), parseNote(`---\ntitle: 笔记${i}\npeople: [甲${v % 3}]\n---\n**词${v}**（Term: 定义）\n`).note);

/**
 * A cache kept by a listener: uri → the summary it was last told of. `flushes` counts its once-a-batch
 * work; `heardSinceFlush` says whether it was told of a change since the last one.
 */
function follow(index: WorkspaceIndex): { sync: () => boolean; seen: Map<string, NoteSummary>; calls: string[]; flushes: number; heardSinceFlush: boolean } {
  const seen = new Map<string, NoteSummary>();
  const calls: string[] = [];
  const f = {
    sync: () => false,
    seen,
    calls,
    flushes: 0,
    heardSinceFlush: false,
  };
  f.sync = watchIndex(
    index,
    (before, after) => {
      const u = (after ?? before)!.uri;
      calls.push(u);
      assert.equal(seen.get(u), before, `told of ${u} with a "before" it was not given`);
      if (after) seen.set(u, after);
      else seen.delete(u);
      f.heardSinceFlush = true;
    },
    () => {
      f.flushes++;
      f.heardSinceFlush = false;
    },
  );
  return f;
}

/** A `shouldStop` that lets `n` notes through, then stops (asked after each note). */
const after = (n: number) => {
  let left = n;
  return () => --left <= 0;
};

const sameNotes = (index: WorkspaceIndex, seen: Map<string, NoteSummary>) =>
  assert.deepEqual([...seen].sort(), [...index.uris()].map((u) => [u, index.get(u)]).sort());

describe('the index change log and watchIndex', () => {
  it('a sync after one edit among 2,000 notes hears of that note only', () => {
    const index = new WorkspaceIndex();
    for (let i = 0; i < 2000; i++) index.set(note(i));
    const f = follow(index);
    f.sync();
    assert.equal(f.seen.size, 2000);
    f.calls.length = 0;
    index.set(note(7, 1));
    assert.equal(f.sync(), true);
    assert.deepEqual(f.calls, [uri(7)]);
    assert.equal(f.sync(), false, 'nothing changed since');
    index.delete(uri(9));
    f.sync();
    assert.deepEqual(f.calls, [uri(7), uri(9)]);
    assert.equal(f.seen.has(uri(9)), false);
    sameNotes(index, f.seen);
  });

  it('changedSince: the uris since a position, and undefined once the log has dropped them', () => {
    const index = new WorkspaceIndex();
    const start = index.logPosition;
    index.set(note(1));
    index.set(note(2));
    index.set(note(1, 1));
    assert.deepEqual(index.changedSince(start), [uri(1), uri(2), uri(1)]);
    assert.deepEqual(index.changedSince(index.logPosition), []);
    for (let i = 0; i < 5000; i++) index.set(note(i % 3, i));
    assert.equal(index.changedSince(start), undefined);
    assert.equal(index.changedSince(index.logPosition + 1), undefined);
  });

  it('a host catch-up reports the notes a slice at a time and flushes only at the end, when asked to', () => {
    const index = new WorkspaceIndex();
    const f = follow(index);
    for (let i = 0; i < 100; i++) index.set(note(i));
    assert.equal(catchUpIndex(index, after(30)), false, 'not done after 30 of 100 notes');
    assert.deepEqual(f.calls, Array.from({ length: 30 }, (_, i) => uri(i)));
    assert.equal(f.flushes, 0, 'no flush before every note is reported');
    // Changes made between two slices join the queue; an edit of a note not reported yet is reported once.
    index.set(note(50, 1));
    index.set(note(100));
    assert.equal(catchUpIndex(index, after(1000), false), false, 'everything reported, but not flushed');
    assert.equal(f.flushes, 0);
    // Note 50 is reported once, with its newest summary: when its turn in the queue comes again, nothing changed.
    assert.deepEqual(f.calls.slice(30), [...Array.from({ length: 70 }, (_, i) => uri(30 + i)), uri(100)]);
    assert.equal(f.seen.get(uri(50)), index.get(uri(50)));
    sameNotes(index, f.seen);
    assert.equal(catchUpIndex(index, after(1000)), true, 'flushed now');
    assert.equal(f.flushes, 1);
    assert.equal(catchUpIndex(index, after(1000)), true, 'nothing more to do');
    assert.equal(f.flushes, 1, 'no flush without a change');
    // A request's sync reports without flushing; the next host catch-up flushes what it reported.
    index.set(note(3, 2));
    f.sync();
    assert.equal(f.flushes, 1);
    assert.equal(catchUpIndex(index, () => true), true);
    assert.equal(f.flushes, 2);
  });

  it('a flush that stops before it is done is called again by the next host catch-up, with its stop', () => {
    const index = new WorkspaceIndex();
    // A cache whose once-a-batch work is three steps; it asks `shouldStop` after each.
    let steps = 0;
    let left = 0;
    const stops: boolean[] = [];
    watchIndex(index, () => (left = 3), (shouldStop) => {
      while (left > 0) {
        left--;
        steps++;
        const stop = shouldStop?.() ?? false;
        stops.push(stop);
        if (left > 0 && stop) return false;
      }
      return true;
    });
    index.set(note(1));
    assert.equal(catchUpIndex(index, () => true), false, 'one step, then stopped');
    assert.equal(steps, 1);
    assert.equal(catchUpIndex(index, () => true), false, 'no change, but the flush is not done');
    assert.equal(steps, 2);
    assert.equal(catchUpIndex(index, () => false), true);
    assert.equal(steps, 3);
    assert.deepEqual(stops, [true, true, false]);
    assert.equal(catchUpIndex(index, () => false), true, 'nothing left');
    assert.equal(steps, 3);
    // A catch-up that does not flush leaves the work for one that does.
    index.set(note(2));
    assert.equal(catchUpIndex(index, () => false, false), false);
    assert.equal(steps, 3);
    assert.equal(catchUpIndex(index, () => false), true);
    assert.equal(steps, 6);
  });

  it('a host catch-up that the log outruns compares every note, and finds the deleted ones at the end', () => {
    const index = new WorkspaceIndex();
    for (let i = 0; i < 300; i++) index.set(note(i));
    const f = follow(index);
    catchUpIndex(index, after(100));
    assert.equal(f.seen.size, 100);
    // More changes than the log keeps: the next catch-up cannot read them, so it compares every note.
    for (let i = 0; i < 5000; i++) index.set(note(i % 300, i));
    for (let i = 0; i < 300; i += 3) index.delete(uri(i));
    let slices = 0;
    while (!catchUpIndex(index, after(40))) slices++;
    assert.ok(slices >= 4, `in slices (${slices})`);
    sameNotes(index, f.seen);
    assert.equal(f.heardSinceFlush, false, 'flushed after the last change it heard of');
  });

  it('trackers that fall behind the log by any amount end with the notes of the index (property)', () => {
    const op = fc.oneof(
      fc.record({ set: fc.nat({ max: 40 }), v: fc.nat({ max: 5 }) }),
      fc.record({ del: fc.nat({ max: 40 }) }),
      fc.record({ sync: fc.constant(true) }),
      fc.record({ burst: fc.integer({ min: 500, max: 3000 }) }),
      fc.record({ host: fc.nat({ max: 60 }), flush: fc.boolean() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
      const index = new WorkspaceIndex();
      const f = follow(index);
      for (const o of ops) {
        if ('set' in o) index.set(note(o.set, o.v));
        else if ('del' in o) index.delete(uri(o.del));
        else if ('burst' in o) for (let i = 0; i < o.burst; i++) index.set(note(i % 50, i));
        else if ('host' in o) catchUpIndex(index, after(o.host), o.flush);
        else f.sync();
      }
      f.sync();
      sameNotes(index, f.seen);
    }), { numRuns: 40 });
  });
});
