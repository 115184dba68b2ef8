/**
 * Completion ranking keeps its answers while its caches follow the index (recency.ts, the co-occurrence
 * weights of completion.ts): after random edits, additions and removals, the ranked values and their
 * scores equal the plain definition computed from the index directly, and each entity's recent notes
 * equal `index.recentNotes`.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { matchQuality, Match, rankValues } from '../../../server/src/core/entities/completion';
import { valueContextAt } from '../../../server/src/core/entities/locate';
import { firstDateOf, lastDateOf, recentNotesOf } from '../../../server/src/core/entities/recency';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { entityKindOf, fold } from '../../../server/src/core/index/entityKinds';
import { summarize } from '../../../server/src/core/index/summary';
import { entityId, WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { churn, rng } from '../../support/churn';

const PEOPLE = ['Sam Altman', '马斯克', 'Satya Nadella', '黄仁勋', 'Sam Bankman', 'Ilya', '李飞飞', 'Demis'];
const TAGS = ['AI', '芯片', '播客', 'AGI', '能源'];

function noteText(next: () => number, n: number): string {
  const some = (xs: readonly string[]) => xs.filter(() => next() < 0.4);
  const lines = ['---', `title: 笔记${n % 5}`];
  if (next() < 0.8) lines.push(`date: 2024-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 10)}`);
  lines.push('people:', ...some(PEOPLE).map((p) => `- ${p}`), 'tags:', ...some(TAGS).map((t) => `- ${t}`));
  if (next() < 0.3) lines.push(`guest: ${PEOPLE[Math.floor(next() * PEOPLE.length)]}`);
  lines.push('---', '', '正文。');
  return lines.join('\n') + '\n';
}

/** The ranking as the plain definition says, straight from the index. */
function reference(ctx: DocumentContext, query: string, kind: string, siblings: readonly string[], present: ReadonlySet<string>) {
  const rows: Array<{ value: string; match: Match; notes: number; day: number; together: number }> = [];
  let newest = -Infinity;
  let oldest = Infinity;
  for (const info of ctx.index.entitiesOfKind(kind)) {
    if (siblings.includes(info.value)) continue;
    const notes = info.notes.size - (info.notes.has(ctx.uri) ? 1 : 0);
    if (notes === 0) continue;
    const match = matchQuality(query, info);
    if (match === Match.None) continue;
    let together = 0;
    for (const uri of info.notes.keys()) {
      const ids = new Set(ctx.index.get(uri)!.entities.map((e) => entityId(entityKindOf(e.key), e.value)));
      if (ids.size < 2 || ids.size > 200) continue;
      for (const id of present) if (id !== info.id && ids.has(id)) together++;
    }
    const last = ctx.index.lastDate(info);
    const day = last ? Date.parse(last) / 86_400_000 : NaN;
    if (!Number.isNaN(day)) {
      newest = Math.max(newest, day);
      oldest = Math.min(oldest, day);
    }
    rows.push({ value: info.value, match, notes, day, together });
  }
  const span = newest - oldest;
  return rows.map((m) => {
    const recency = Number.isNaN(m.day) || !(span > 0) ? 0 : (m.day - oldest) / span;
    return { value: m.value, score: m.match * 1000 + 20 * Math.log2(1 + m.notes) + 15 * recency + 20 * Math.log2(1 + m.together) };
  }).sort((a, b) => b.score - a.score || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** The ranked values and scores of completing at each entity of `ctx`'s note, cut after 0-2 characters, and the plain ranking. */
function compareAll(ctx: DocumentContext, label: string, only?: string): void {
  for (const e of ctx.note.entities) {
    if (only !== undefined && e.value !== only) continue;
    for (const cut of [0, 1, 2]) {
      if (cut > e.value.length) continue;
      const before = ctx.text.slice(0, e.loc.start + cut).split('\n');
      const vc = valueContextAt(ctx, { line: before.length - 1, character: before[before.length - 1]!.length });
      if (!vc) continue;
      const present = new Set(ctx.note.entities.filter((x) => !(x.loc.start >= vc.start && x.loc.end <= vc.end)).map((x) => entityId(entityKindOf(x.key), x.value)));
      const got = rankValues(ctx, vc).ranked.map((r) => ({ value: r.info.value, score: r.score }));
      assert.deepEqual(got, reference(ctx, fold(vc.prefix).trim(), vc.kind, vc.siblings, present), `${label}: ${e.key} ${e.value} cut ${cut}`);
    }
  }
}

describe('entity completion ranking follows the index', () => {
  it('keeps co-occurrence and matches right while other notes change under an open note', () => {
    for (const seed of [21, 22]) {
      const next = rng(seed);
      const index = new WorkspaceIndex();
      for (let i = 0; i < 12; i++) index.set(summarize(`file:///vault/n${i}.md`, parseNote(noteText(next, i)).note));
      const text = noteText(next, 99).replace('people:\n', 'people:\n- Sam Altman\n').replace('tags:\n', 'speaker: 马斯克\ntags:\n');
      const { note, problems } = parseNote(text);
      const ctx: DocumentContext = { uri: 'file:///vault/open.md', text, note, problems, index, settings: DEFAULT_CORE_SETTINGS };
      for (let step = 0; step < 60; step++) {
        const uri = `file:///vault/n${Math.floor(next() * 14)}.md`;
        if (next() < 0.15) index.delete(uri);
        else index.set(summarize(uri, parseNote(noteText(next, step)).note));
        // Asked at the same item, so with the same present entities as before the change: the kept sums
        // are updated in place.
        compareAll(ctx, `seed ${seed} step ${step}`, note.entities[0]?.value);
      }
    }
  });


  it('keeps following a kind while its other cached queries are evicted', () => {
    const index = new WorkspaceIndex();
    index.set(summarize('file:///vault/a.md', parseNote('---\npeople:\n- Sam Altman\ntags:\n- AI\n---\n').note));
    const ask = (key: 'people' | 'tags', prefix: string) => {
      const text = key === 'people' ? `---\npeople:\n- ${prefix}\n---\n` : `---\ntags:\n- ${prefix}\n---\n`;
      const { note, problems } = parseNote(text);
      const ctx: DocumentContext = { uri: 'file:///vault/open.md', text, note, problems, index, settings: DEFAULT_CORE_SETTINGS };
      const vc = valueContextAt(ctx, { line: 2, character: 2 + prefix.length });
      assert.ok(vc, `${key} ${prefix}`);
      return rankValues(ctx, vc).ranked.map((r) => r.info.value);
    };
    assert.deepEqual(ask('people', 'S'), ['Sam Altman']);
    assert.deepEqual(ask('people', 'Sa'), ['Sam Altman']);
    // More queries of another kind than are kept: the oldest, of people, goes; the other stays.
    for (let i = 0; i < 31; i++) assert.deepEqual(ask('tags', `q${i}`), []);
    index.set(summarize('file:///vault/b.md', parseNote('---\npeople:\n- Sarah Chen\n- Sam Altman\ntags:\n- q1\n---\n').note));
    assert.deepEqual(ask('people', 'Sa'), ['Sam Altman', 'Sarah Chen']);
    assert.deepEqual(ask('tags', 'q1'), ['q1']);
    index.delete('file:///vault/b.md');
    assert.deepEqual(ask('people', 'Sa'), ['Sam Altman']);
    assert.deepEqual(ask('tags', 'q1'), []);
  });

  it('shows a note\'s new title and date when only they change (its entities as they were)', () => {
    const index = new WorkspaceIndex();
    const uri = 'file:///vault/retitled.md';
    const text = (title: string, date: string) => `---\ntitle: ${title}\ndate: ${date}\npeople:\n- Sam Altman\n---\n正文。\n`;
    index.set(summarize('file:///vault/other.md', parseNote(text('另一篇', '2024-01-02')).note));
    index.set(summarize(uri, parseNote(text('旧标题', '2024-03-01')).note));
    const info = index.entity('people', 'Sam Altman')!;
    assert.deepEqual(recentNotesOf(index, info).map((r) => [r.title, r.date]), [['旧标题', '2024-03-01'], ['另一篇', '2024-01-02']]);
    // The same entity list: the index keeps the note's entity ids, and the kept recent notes must still go.
    index.set(summarize(uri, parseNote(text('新标题', '2024-03-01')).note));
    assert.deepEqual(recentNotesOf(index, info).map((r) => [r.title, r.date]), [['新标题', '2024-03-01'], ['另一篇', '2024-01-02']]);
    index.set(summarize(uri, parseNote(text('新标题', '2023-12-31')).note));
    assert.deepEqual(recentNotesOf(index, info).map((r) => [r.title, r.date]), [['另一篇', '2024-01-02'], ['新标题', '2023-12-31']]);
    assert.equal(lastDateOf(index, info), '2024-01-02');
    assert.equal(firstDateOf(index, info), '2023-12-31');
    // A title that is no longer a title (the key broken): the file name shows, as after a fresh open.
    index.set(summarize(uri, parseNote(text('新标题', '2023-12-31').replace('title:', ':title:')).note));
    assert.deepEqual(recentNotesOf(index, info).map((r) => r.title), ['另一篇', undefined]);
    for (const limit of [1, 2, 5]) assert.deepEqual(recentNotesOf(index, info, limit), index.recentNotes(info, limit));
  });

  it('equals the plain ranking and the index\'s recent notes after random changes', () => {
    for (const seed of [11, 12, 13]) {
      const next = rng(seed);
      churn(next, 150, 15, noteText, ({ index, texts, step }) => {
        if (texts.size === 0) return;
        for (const info of index.entityInfos()) {
          for (const limit of [1, 3, 5]) assert.deepEqual(recentNotesOf(index, info, limit), index.recentNotes(info, limit), `seed ${seed} step ${step}: recent ${info.id}`);
          assert.equal(lastDateOf(index, info), index.lastDate(info), `seed ${seed} step ${step}: last date ${info.id}`);
          assert.equal(firstDateOf(index, info), index.datesOf(info)[0], `seed ${seed} step ${step}: first date ${info.id}`);
        }
        // Complete in an open note (a new one, or one of the vault's being edited) at each people item.
        const [openUri, base] = next() < 0.5 ? ['file:///vault/open.md', noteText(next, step)] : [...texts][Math.floor(next() * texts.size)]!;
        const { note, problems } = parseNote(base);
        const ctx: DocumentContext = { uri: openUri, text: base, note, problems, index, settings: DEFAULT_CORE_SETTINGS };
        for (const e of note.entities) {
          for (const cut of [0, 1, 2]) {
            if (cut > e.value.length) continue;
            const offset = e.loc.start + cut;
            const before = base.slice(0, offset).split('\n');
            const vc = valueContextAt(ctx, { line: before.length - 1, character: before[before.length - 1]!.length });
            if (!vc) continue;
            const present = new Set(note.entities.filter((x) => !(x.loc.start >= vc.start && x.loc.end <= vc.end)).map((x) => entityId(entityKindOf(x.key), x.value)));
            const got = rankValues(ctx, vc).ranked.map((r) => ({ value: r.info.value, score: r.score }));
            assert.deepEqual(got, reference(ctx, fold(vc.prefix).trim(), vc.kind, vc.siblings, present), `seed ${seed} step ${step}: ${e.key} ${e.value} cut ${cut}`);
          }
        }
      });
    }
  });
});
