/**
 * Completion on a kind with more values than `EMPTY_QUERY_CANDIDATES`: ranking reads each query's cached
 * matches in sorted order and stops once no later match can be among the best; the candidates it ranks
 * must be exactly the best by match, then note count (leaving out the note being edited), then value, as
 * a pass over every match would choose them, also after other notes change and while the open note is
 * re-indexed keystroke by keystroke.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EMPTY_QUERY_CANDIDATES, kthLargestScore, matchQuality, Match, MatchOrder, rankValues, type CachedMatch } from '../../../server/src/core/entities/completion';
import type { EntityInfo } from '../../../server/src/core/index/workspaceIndex';
import { valueContextAt } from '../../../server/src/core/entities/locate';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { fold } from '../../../server/src/core/index/entityKinds';
import { summarize } from '../../../server/src/core/index/summary';
import { catchUpIndex } from '../../../server/src/core/index/changes';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { caret } from '../../support/caret';
import { rng } from '../../support/churn';

const SYLLABLES = ['li', 'sa', 'ma', 'an', 'ta', 'ko', 'ren', 'lin', 'zhao', 'el', 'mi', 'ra', 'yu', 'ke'];
/** 2,400 names: many more than `EMPTY_QUERY_CANDIDATES`, sharing syllables so short queries match at every level. */
const NAMES = Array.from({ length: 2_400 }, (_, i) => {
  const s = (k: number) => SYLLABLES[Math.floor(i / k) % SYLLABLES.length]!;
  return `${s(1)[0]!.toUpperCase()}${s(1).slice(1)}${s(7)} ${s(3)}${s(19)}${i % 5 === 0 ? ' 李' : ''}`;
});

/** A note listing a Zipf-like sample of the names (a few very common, most in one or two notes). */
function noteText(next: () => number, n: number): string {
  const people = new Set<string>();
  const count = 8 + Math.floor(next() * 12);
  while (people.size < count) people.add(NAMES[Math.floor(NAMES.length * next() ** 2.2)]!);
  return ['---', `title: 笔记 ${n}`, `date: 2024-0${1 + (n % 9)}-1${n % 10}`, 'people:', ...[...people].map((p) => `  - "${p}"`), '---', '', `正文 ${n}。`, ''].join('\n');
}

/** The best `EMPTY_QUERY_CANDIDATES` as the definition says: every match, then match, note count, value. */
function reference(ctx: DocumentContext, query: string, siblings: readonly string[]): string[] {
  const rows: Array<{ value: string; match: Match; notes: number }> = [];
  for (const info of ctx.index.entitiesOfKind('people')) {
    if (siblings.includes(info.value)) continue;
    const notes = info.notes.size - (info.notes.has(ctx.uri) ? 1 : 0);
    if (notes === 0) continue;
    const match = matchQuality(query, info);
    if (match !== Match.None) rows.push({ value: info.value, match, notes });
  }
  rows.sort((a, b) => b.match - a.match || b.notes - a.notes || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return rows.slice(0, EMPTY_QUERY_CANDIDATES).map((r) => r.value).sort();
}

/** The open note: a people list with two values and a third being typed (`prefix`). */
function openNote(prefix: string) {
  return caret(['---', 'title: 打开的笔记', 'date: 2024-05-05', 'people:', `  - "${NAMES[0]}"`, `  - "${NAMES[3]}"`, `  - ${prefix}|`, '---', '', '正文。', ''].join('\n'));
}

function check(index: WorkspaceIndex, uri: string, prefix: string, label: string): number {
  const { text, position } = openNote(prefix);
  const { note, problems } = parseNote(text);
  const ctx: DocumentContext = { uri, text, note, problems, index, settings: DEFAULT_CORE_SETTINGS };
  const vc = valueContextAt(ctx, position);
  assert.ok(vc, `${label}: a value context`);
  const all = rankValues(ctx, vc);
  const got = all.ranked.map((r) => r.info.value).sort();
  const want = reference(ctx, fold(vc.prefix).trim(), vc.siblings);
  assert.deepEqual(got, want, `${label}: query ${JSON.stringify(prefix)}`);
  assert.equal(all.total, all.ranked.length);
  // A limit orders only the first few: the same items, in the same order, as the head of the whole ranking.
  for (const limit of [1, 37, 100]) {
    const head = rankValues(ctx, vc, limit);
    assert.deepEqual(head.ranked.map((r) => [r.info.value, r.score]), all.ranked.slice(0, limit).map((r) => [r.info.value, r.score]), `${label}: limit ${limit}`);
    assert.equal(head.total, all.ranked.length);
  }
  return want.length;
}

describe('entity completion on a kind with more values than it ranks', () => {
  it('ranks exactly the best candidates, as other notes and the open note change', () => {
    const next = rng(7);
    const index = new WorkspaceIndex();
    for (let n = 0; n < 600; n++) index.set(summarize(`file:///vault/n${n}.md`, parseNote(noteText(next, n)).note));
    assert.ok(index.kindSize('people') > EMPTY_QUERY_CANDIDATES * 1.3, `the vault has ${index.kindSize('people')} people`);
    // The open note is in the index too (its saved version), so its own values count one note less.
    const openUri = 'file:///vault/open.md';
    index.set(summarize(openUri, parseNote(openNote('Lisa').text.replace('|', '')).note));
    const queries = ['l', 'li', 'lis', 'sa', 'a', 'ma', 'k', '李'];
    let full = 0;
    for (let step = 0; step < 12; step++) {
      for (const q of queries) if (check(index, openUri, q, `step ${step}`) === EMPTY_QUERY_CANDIDATES) full++;
      // Other notes change (counts move across the cut), one is removed, and the open note is re-indexed
      // with the same values (typing in its body), which must not disturb the sorted caches.
      for (let k = 0; k < 5; k++) {
        const n = Math.floor(next() * 650);
        const uri = `file:///vault/n${n}.md`;
        if (next() < 0.2) index.delete(uri);
        else index.set(summarize(uri, parseNote(noteText(next, n + step)).note));
      }
      index.set(summarize(openUri, parseNote(openNote('Lisa').text.replace('|', `${step}`)).note));
      // A host catches the caches up between its slices (`catchUpIndex`): on some steps part of the way,
      // on others all the way with the caches' once-a-batch work, which the queries' caches then skip.
      if (step % 2 === 0) {
        let left = 1 + step;
        catchUpIndex(index, () => --left <= 0, step % 4 === 0);
      }
      // Every third step a rare name becomes one of the most listed at once: its cached match must move
      // from the end of the sorted order to the front.
      if (step % 3 === 1) {
        // (Checked first, so that the caches take the burst alone: no entity appears or goes with it.)
        for (const q of queries) check(index, openUri, q, `step ${step}, before the burst`);
        // A name one note lists (so its entry, and its cached matches, exist already) that matches 'l'.
        const rare = [...index.entitiesOfKind('people')].find((e) => e.notes.size === 1 && e.folded.includes('l') && !e.notes.has(openUri))!.value;
        for (let k = 0; k < 40; k++) {
          index.set(summarize(`file:///vault/burst-${step}-${k}.md`, parseNote(['---', `title: 突增 ${k}`, 'people:', `  - "${rare}"`, '---', ''].join('\n')).note));
        }
        catchUpIndex(index, () => false);
        for (const q of queries) check(index, openUri, q, `step ${step}, after the burst`);
      }
    }
    // The cut was exercised: most queries matched more values than are ranked.
    assert.ok(full >= 3 * 12, `${full} checks had more matches than EMPTY_QUERY_CANDIDATES`);
  });
});

describe('entity completion past the matches sorted ahead', () => {
  it('reads on in order when the list being typed already holds most of the best values', () => {
    // Values by how many notes list them: 1,100 by five, 900 by three, 300 by two, 300 by one. The best
    // 2,000 by note count (what is sorted ahead) are the first two groups, and the list being typed holds
    // the 1,100: ranking takes the 900 and must read on into the rest for the last 100.
    const top = Array.from({ length: 1_100 }, (_, i) => `Val top ${i}`);
    const groups: Array<[values: string[], notes: number]> = [
      [top, 5],
      [Array.from({ length: 900 }, (_, i) => `Val mid ${i}`), 3],
      [Array.from({ length: 300 }, (_, i) => `Val two ${i}`), 2],
      [Array.from({ length: 300 }, (_, i) => `Val one ${i}`), 1],
    ];
    const index = new WorkspaceIndex();
    let n = 0;
    for (const [values, notes] of groups) {
      for (let copy = 0; copy < notes; copy++) {
        for (let i = 0; i < values.length; i += 50) {
          const people = values.slice(i, i + 50);
          index.set(summarize(`file:///vault/n${n}.md`, parseNote(['---', `title: 笔记 ${n++}`, 'people:', ...people.map((p) => `  - "${p}"`), '---', '', '正文。', ''].join('\n')).note));
        }
      }
    }
    const { text, position } = caret(['---', 'title: 打开的笔记', 'people:', ...top.map((p) => `  - "${p}"`), '  - Va|', '---', '', '正文。', ''].join('\n'));
    const parsed = parseNote(text);
    const ctx: DocumentContext = { uri: 'file:///vault/open.md', text, note: parsed.note, problems: parsed.problems, index, settings: DEFAULT_CORE_SETTINGS };
    const vc = valueContextAt(ctx, position)!;
    assert.equal(vc.siblings.length, top.length);
    const got = rankValues(ctx, vc).ranked.map((r) => r.info.value).sort();
    assert.equal(got.length, EMPTY_QUERY_CANDIDATES);
    assert.deepEqual(got, reference(ctx, 'va', vc.siblings));
  });
});

describe('the k-th largest score', () => {
  it('equals the sorted scores\' k-th from the top, for any scores (ties, one item, negatives) and any k', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 300 }), fc.nat(), (scores, at) => {
      const k = 1 + (at % scores.length);
      const sorted = [...scores].sort((a, b) => b - a);
      assert.equal(kthLargestScore(scores.map((score) => ({ score })), k), sorted[k - 1]);
    }), { numRuns: 2000, seed: 5 });
  });
});

describe('a query\'s matches sorted as far as they are read', () => {
  it('come in the order of a full sort by match, then note count, however far ahead they are sorted', () => {
    const matchArb = fc.record({ match: fc.constantFrom(Match.Subsequence, Match.PinyinSubstring, Match.Substring, Match.PinyinPrefix, Match.WordPrefix, Match.Prefix, Match.Exact), size: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 100_000 })) });
    fc.assert(fc.property(fc.array(matchArb, { maxLength: 400 }), fc.nat(), (rows, at) => {
      const ahead = 1 + (at % (rows.length + 3));
      const matches: CachedMatch[] = rows.map((r, i) => ({ info: { value: `v${i}` } as EntityInfo, match: r.match, size: r.size, day: NaN, dayVersion: -1 }));
      const key = (m: CachedMatch) => m.match * 2 ** 30 + m.size;
      const order = new MatchOrder(matches, ahead);
      const head = order.head;
      // Sorted ahead: at least `ahead` of them (all when there are fewer), and every one before the rest.
      assert.ok(head.length >= Math.min(ahead, matches.length), `${head.length} sorted ahead of ${ahead}`);
      const more = order.more();
      const read = [...head, ...more];
      assert.deepEqual(read.map(key), matches.map(key).sort((a, b) => b - a), 'the keys in order');
      assert.deepEqual(read.map((m) => m.info.value).sort(), matches.map((m) => m.info.value).sort(), 'every match once');
      // Read again, the order holds them all, sorted; nothing more is left.
      assert.deepEqual(order.head.map(key), read.map(key));
      assert.deepEqual(order.more(), []);
    }), { numRuns: 1000, seed: 11 });
  });
});
