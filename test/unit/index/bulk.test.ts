/**
 * A restart's index: the notes of the index cache go into an index built apart in one batch
 * (`WorkspaceIndex.addMany`, by the positions of their strings in the cache's table), which then takes
 * the live index's place (`adopt`). Each must leave the index exactly as `set` of every note in turn:
 * these tests compare snapshots, with the notes going through the real cache file format.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NO_PINYIN, pinyinForms } from '../../../server/src/core/index/entityKinds';
import { NoteSummary, summarize } from '../../../server/src/core/index/summary';
import { entityIdsOf, StringTable, WorkspaceIndex, type EntityForms, type SummaryStringIds } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { groupsFit } from '../../../server/src/host/cacheGroups';
import { CACHE_FORMAT, CacheFile, encodeCacheFile } from '../../../server/src/host/indexCache';
import { fixturesDir } from '../../support/paths';
import { uriOf, vaultTexts } from '../entities/vault';

const summaryOf = (rel: string, text: string) => summarize(uriOf(rel), parseNote(text).note);

/** An index of `notes` built note by note. */
function rebuilt(notes: ReadonlyMap<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [rel, text] of notes) index.set(summaryOf(rel, text));
  return index;
}

/**
 * `notes` written to a cache file and read back, as a restart reads them: summaries holding the file's
 * strings, with their positions, and the table (with the entity forms `formsFrom` holds, if given).
 */
function throughCache(notes: ReadonlyMap<string, string>, formsFrom?: WorkspaceIndex) {
  const entries = [...notes].map(([rel, text]) => ({ file: rel, stat: { size: text.length, mtimeMs: 1 }, summary: summaryOf(rel, text) }));
  const formsOf = formsFrom && ((value: string): EntityForms | undefined => formsFrom.entitiesNamed(value)[0]);
  const cache = CacheFile.parse(encodeCacheFile({ format: CACHE_FORMAT, fingerprint: 'f', folder: '/vault' }, entries, formsOf))!;
  const batch: Array<{ summary: NoteSummary; ids: SummaryStringIds }> = [];
  for (const n of cache.notes()) batch.push(n.decode(uriOf(n.file)));
  return { batch, table: new StringTable(cache.strings, cache.forms), forms: cache.forms, groups: cache.groups() };
}

/** Every entity's words, which the snapshot leaves out. */
const wordsOf = (index: WorkspaceIndex) => [...index.entityInfos()].map((e) => [e.id, e.words]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

const start = vaultTexts();
const texts = [...start.values(), '', '---\npeople: [A, B]\ntags: [t]\n---\n**A** **C**\n',
  // A listed under two keys in one note (two places in the note), and under a third in another.
  '---\nguest: A\npeople:\n- A\n- B\n---\n', '---\nspeaker: A\ntags: [t]\n---\n',
  // Terms defined by several notes, and twice in one note.
  '**新词**（New term: 定义一）\n**别的**（Other: 三）\n**新词**（New term: 定义二）\n', '**别的**（Other: 四）\n**新词**（New: 五）\n',
  '---\ntitle: 😀 标题\r\npeople:\r\n- "马斯克"\r\n- ＯｐｅｎＡＩ\r\ncount: 3\r\ndraft: false\r\n---\r\n**马斯克**（Elon Musk: 企业家）\r\n'];
const names = [...start.keys(), 'x.md', 'y/z.md', 'w.md'];

describe('workspace index: a batch from the index cache', () => {
  it('equals the notes set one by one, with the forms from the cache or computed', () => {
    const expected = rebuilt(start);
    for (const formsFrom of [expected, undefined]) {
      const { batch, table, forms } = throughCache(start, formsFrom);
      assert.equal(forms.size > 0, formsFrom !== undefined);
      const index = new WorkspaceIndex();
      index.addMany(batch, table);
      assert.deepEqual(index.snapshot(), expected.snapshot());
      assert.deepEqual(wordsOf(index), wordsOf(expected));
      // Not trivially equal: the vault has entities with several notes and co-occurrence.
      assert.equal(index.entity('people', 'Sam Altman')!.cooccurrence.get('companies_orgs\u0000OpenAI'), expected.entity('people', 'Sam Altman')!.cooccurrence.get('companies_orgs\u0000OpenAI'));
      assert.ok(index.entity('people', 'Sam Altman')!.notes.size >= 2);
    }
  });

  it('equals set for any notes, split into any batches and steps, over an index that holds some already (property)', () => {
    const notesArb = fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...texts), { maxKeys: names.length });
    fc.assert(fc.property(notesArb, notesArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 }), (before, cached, parts, step) => {
      // The index holds `before`; the cache brings `cached`, in `parts` batches: a note in both is replaced.
      const index = rebuilt(new Map(Object.entries(before)));
      const { batch, table } = throughCache(new Map(Object.entries(cached)), rebuilt(new Map(Object.entries(cached))));
      const size = Math.ceil(batch.length / parts) || 1;
      for (let i = 0; i < batch.length; i += size) {
        for (const _ of index.addManySteps(batch.slice(i, i + size), table, step)) {
          // Steps only.
        }
      }
      const expected = rebuilt(new Map([...Object.entries(before), ...Object.entries(cached)]));
      assert.deepEqual(index.snapshot(), expected.snapshot());
      assert.deepEqual(wordsOf(index), wordsOf(expected));
    }), { numRuns: 150 });
  });

  it('puts a note given twice in one batch in the index once, as its later version', () => {
    const { batch, table } = throughCache(new Map([['1.md', texts[7]!], ['2.md', texts[8]!]]));
    // The same note twice: both records decoded under one uri.
    const twice = batch.map(({ summary, ids }) => ({ summary: new NoteSummary({ ...summary.data, uri: uriOf('a.md') }), ids }));
    const index = new WorkspaceIndex();
    index.addMany(twice, table);
    assert.deepEqual(index.snapshot(), rebuilt(new Map([['a.md', texts[8]!]])).snapshot());
  });

  it('logs every note it adds: a cache following the index hears of each', () => {
    const index = new WorkspaceIndex();
    const from = index.logPosition;
    const { batch, table } = throughCache(start);
    index.addMany(batch, table);
    assert.deepEqual([...index.changedSince(from)!].sort(), [...start.keys()].map(uriOf).sort());
  });
});

describe('workspace index: adopting an index built apart', () => {
  it("keeps the live index's other notes and every change made to it meanwhile (property)", () => {
    const notesArb = fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...texts), { maxKeys: names.length });
    const change = fc.oneof(
      fc.record({ note: fc.constantFrom(...names), text: fc.constantFrom(...texts) }),
      fc.record({ note: fc.constantFrom(...names), text: fc.constant(undefined) }),
    );
    fc.assert(fc.property(notesArb, notesArb, fc.array(change, { maxLength: 8 }), (open, cached, changes) => {
      // The live index holds the open notes; the restore builds the cached ones apart; meanwhile notes
      // are edited, created and deleted in the live index.
      const live = rebuilt(new Map(Object.entries(open)));
      const since = live.logPosition;
      const { batch, table } = throughCache(new Map(Object.entries(cached)));
      const built = new WorkspaceIndex();
      built.addMany(batch, table);
      // A note both hold, unchanged here since, is the cached one: the cache was checked against the file
      // on disk just now (a note open in a buffer is never restored, so it is never in both).
      const final = new Map([...Object.entries(open), ...Object.entries(cached)]);
      for (const c of changes) {
        if (c.text === undefined) {
          live.delete(uriOf(c.note));
          final.delete(c.note);
        } else {
          live.set(summaryOf(c.note, c.text));
          final.set(c.note, c.text);
        }
      }
      const before = live.logPosition;
      live.adopt(built, since);
      const expected = rebuilt(final);
      assert.deepEqual(live.snapshot(), expected.snapshot());
      // Readers of the change log compare every note once; the log goes on from there.
      assert.equal(live.changedSince(before), undefined);
      const after = live.logPosition;
      live.set(summaryOf('new.md', texts[7]!));
      assert.deepEqual(live.changedSince(after), [uriOf('new.md')]);
      // The adopted entries count co-occurrence in this index, with what came after the swap.
      final.set('new.md', texts[7]!);
      const a = live.entity('people', 'A');
      assert.deepEqual(a && [...a.cooccurrence].sort(), [...rebuilt(final).entity('people', 'A')!.cooccurrence].sort());
    }), { numRuns: 100 });
  });
});

describe('workspace index: the change log while an index is built apart', () => {
  /** A restore of x.md and y/z.md during which x.md is deleted, then `churn` other changes come. */
  function restoreWithChurn(churn: number, hold: boolean) {
    const live = rebuilt(new Map([['w.md', texts[7]!]]));
    const since = live.logPosition;
    const release = hold ? live.holdLog(since) : () => undefined;
    const { batch, table } = throughCache(new Map([['x.md', texts[8]!], ['y/z.md', texts[9]!]]));
    const built = new WorkspaceIndex();
    built.addMany(batch, table);
    // x.md is deleted on disk while the cache is restored; a checkout then changes many notes.
    live.delete(uriOf('x.md'));
    for (let i = 0; i < churn; i++) {
      if (i % 2 === 0) live.set(summaryOf('churn.md', texts[i % texts.length]!));
      else live.delete(uriOf('churn.md'));
    }
    const logReaches = live.changedSince(since) !== undefined;
    live.adopt(built, since);
    release();
    return { live, logReaches };
  }

  it('a note deleted meanwhile stays deleted, however many changes came after it', () => {
    for (const churn of [0, 10, 5000]) {
      const { live, logReaches } = restoreWithChurn(churn, true);
      assert.equal(logReaches, true, `churn ${churn}`);
      assert.equal(live.get(uriOf('x.md')), undefined, `churn ${churn}`);
      assert.ok(live.get(uriOf('y/z.md')));
      assert.ok(live.get(uriOf('w.md')));
      assert.equal(live.get(uriOf('churn.md')), undefined);
      assert.deepEqual(live.snapshot(), rebuilt(new Map([['w.md', texts[7]!], ['y/z.md', texts[9]!]])).snapshot());
    }
  });

  it('without a hold the log is cut short by then; once released, it is cut again', () => {
    assert.equal(restoreWithChurn(5000, false).logReaches, false);
    const index = rebuilt(new Map([['w.md', texts[7]!]]));
    const since = index.logPosition;
    const release = index.holdLog(since);
    for (let i = 0; i < 3000; i++) index.set(summaryOf('churn.md', texts[i % 3]!));
    assert.equal(index.changedSince(since)!.length, 3000);
    release();
    // Calling it again changes nothing (a second holder of the same position is counted apart).
    release();
    for (let i = 0; i < 3000; i++) index.set(summaryOf('churn.md', texts[i % 3]!));
    assert.equal(index.changedSince(since), undefined);
  });
});

describe('entity forms: one object for every value without Chinese', () => {
  const notes = new Map([['a.md', '---\npeople: [Sam Altman, 马斯克, Garber]\ntags: [ai-safety]\n---\n']]);
  const pinyins = (index: WorkspaceIndex) => new Map([...index.entityInfos()].map((e) => [e.value, e.pinyin]));

  it('note by note and through the cache, with the forms from the cache or computed', () => {
    const built = rebuilt(notes);
    const indexes = [built];
    for (const formsFrom of [built, undefined]) {
      const { batch, table } = throughCache(notes, formsFrom);
      const index = new WorkspaceIndex();
      index.addMany(batch, table);
      indexes.push(index);
    }
    for (const index of indexes) {
      const p = pinyins(index);
      for (const value of ['Sam Altman', 'Garber', 'ai-safety']) assert.equal(p.get(value), NO_PINYIN, value);
      assert.deepEqual(p.get('马斯克'), { full: 'masike', initials: 'msk' });
      assert.notEqual(p.get('马斯克'), NO_PINYIN);
      assert.deepEqual([...index.entityInfos()].find((e) => e.value === 'Garber')!.words, ['garber']);
    }
    assert.equal(pinyinForms(''), NO_PINYIN);
    assert.ok(Object.isFrozen(NO_PINYIN));
  });
});

/**
 * Everything of an index whose order a feature can see (the snapshot sorts): entities in the order made,
 * each kind's list, each entity's keys and notes, the terms with their notes and names, each note's
 * entity ids, the change log, the count of shared strings.
 */
function ordered(index: WorkspaceIndex, from: number) {
  const names: unknown[] = [];
  index.forEachTermName((term, first) => {
    const chain: string[] = [];
    for (let c = first; c; c = c.next) chain.push(`${c.name}×${c.n}`);
    names.push([term, chain]);
  });
  return {
    entities: [...index.entityInfos()].map((e) => [e.id, [...e.keys], [...e.notes.keys()], e.pinyin, e.words]),
    kinds: ['people', 'companies_orgs', 'tags'].map((kind) => index.entitiesOfKindList(kind).map((e) => e.id)),
    terms: [...index.terms()],
    names,
    ids: [...index.summaries()].map((s) => [s.uri, entityIdsOf(s)]),
    log: index.changedSince(from),
    strings: index.distinctStrings,
    counts: index.counts(),
  };
}

/** The glossary fixture vault's notes, by relative path (many definitions, names and repeated terms). */
function glossaryTexts(): Map<string, string> {
  const dir = path.join(fixturesDir, 'glossary', 'vault');
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) if (name.endsWith('.md')) out.set(`g/${name}`, readFileSync(path.join(dir, name), 'utf8').replace(/^\ufeff/, ''));
  return out;
}

describe('workspace index: a batch from the groups the index cache wrote', () => {
  const both = new Map([...start, ...glossaryTexts(), ...texts.map((t, i) => [`t${i}.md`, t] as const)]);

  it('equals addMany of the same records, in every order a feature sees, and set note by note', () => {
    const expected = rebuilt(both);
    for (const formsFrom of [expected, undefined]) {
      const { batch, table, groups } = throughCache(both, formsFrom);
      assert.ok(groups && groupsFit(groups, batch));
      const many = new WorkspaceIndex();
      const manyFrom = many.logPosition;
      many.addMany(throughCache(both, formsFrom).batch, table);
      const index = new WorkspaceIndex();
      const from = index.logPosition;
      for (const _ of index.addGroupedSteps(batch.map((b) => b.summary), groups, 7)) {
        // Steps only.
      }
      assert.deepEqual(index.snapshot(), expected.snapshot());
      assert.deepEqual(ordered(index, from), ordered(many, manyFrom));
      // Not trivially equal: terms with several notes and names, entities under several keys.
      const o = ordered(index, from);
      assert.ok(o.terms.some((t) => t.notes.length >= 2));
      assert.ok(o.names.some((n) => (n as [string, string[]])[1].length >= 2));
      assert.ok(o.entities.some((e) => (e[1] as unknown[]).length >= 2));
    }
  });

  it('then without the notes taken out, equals set of the others (property)', () => {
    const notesArb = fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...texts), { maxKeys: names.length });
    fc.assert(fc.property(notesArb, fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }), fc.integer({ min: 1, max: 50 }), (cached, out, step) => {
      const notes = new Map(Object.entries(cached));
      const { batch, groups } = throughCache(notes, rebuilt(notes));
      assert.ok(groups && groupsFit(groups, batch));
      const index = new WorkspaceIndex();
      for (const _ of index.addGroupedSteps(batch.map((b) => b.summary), groups, step)) {
        // Steps only.
      }
      const kept = new Map(notes);
      for (const [i, name] of names.entries()) {
        if (!out[i] || !notes.has(name)) continue;
        index.delete(uriOf(name));
        kept.delete(name);
      }
      assert.deepEqual(index.snapshot(), rebuilt(kept).snapshot());
      assert.deepEqual(wordsOf(index), wordsOf(rebuilt(kept)));
    }), { numRuns: 150 });
  });

  it('over an index that holds other notes already, equals addMany in every order, and set (property)', () => {
    // The index holds another folder's notes (`before`, under other names); the cache brings `cached`.
    const notesArb = fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...texts), { maxKeys: names.length });
    fc.assert(fc.property(notesArb, notesArb, fc.integer({ min: 1, max: 50 }), (beforeNotes, cached, step) => {
      const before = new Map(Object.entries(beforeNotes).map(([n, t]) => [`other/${n}`, t] as const));
      const notes = new Map(Object.entries(cached));
      const { batch, groups, table } = throughCache(notes, rebuilt(notes));
      const index = rebuilt(before);
      const from = index.logPosition;
      for (const _ of index.addGroupedSteps(batch.map((b) => b.summary), groups!, step)) {
        // Steps only.
      }
      const many = rebuilt(before);
      const manyFrom = many.logPosition;
      many.addMany(throughCache(notes, rebuilt(notes)).batch, table);
      assert.deepEqual(index.snapshot(), rebuilt(new Map([...before, ...notes])).snapshot());
      assert.deepEqual(ordered(index, from), ordered(many, manyFrom));
    }), { numRuns: 100 });
  });

  it('refuses a note the index holds already, and groups that do not count what the records hold', () => {
    const { batch, groups } = throughCache(start);
    const index = rebuilt(new Map([[[...start.keys()][0]!, texts[7]!]]));
    assert.throws(() => index.addGroupedSteps(batch.map((b) => b.summary), groups!, 10).next(), /in the index already/);
    assert.equal(groupsFit(groups!, batch.slice(1)), false);
    // A record in another's place that lists more entities: the places do not add up.
    const j = batch.findIndex((b) => b.ids.keys.length !== batch[0]!.ids.keys.length);
    assert.equal(groupsFit(groups!, [batch[j]!, ...batch.slice(1)]), false);
    assert.equal(groupsFit(groups!, batch), true);
    assert.equal(groupsFit(throughCache(new Map([...start].slice(1))).groups!, batch.slice(1)), true);
  });
});
