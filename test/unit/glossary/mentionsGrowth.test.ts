/**
 * The mentions of an open note are kept while the vocabulary only grows with terms and English names the
 * note does not contain (what a scan does every half second), and found again as soon as one it contains
 * is added: after every step they equal a scan with a fresh cache.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lexiconOf } from '../../../server/src/core/glossary/lexicon';
import { mentionsOf } from '../../../server/src/core/glossary/mentions';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { rng } from '../../support/churn';

const OPEN = [
  '---',
  'title: 打开的笔记',
  '---',
  '',
  '**数据墙**之后，算力成了瓶颈。The Compute budget 和 “对齐” 都在讨论里。',
  '',
  '😀 Scaling laws 与**表征学习**，还有 `代码里的算力` 不算。',
  '',
].join('\r\n');

function definitionNote(term: string, english?: string): string {
  return `---\ntitle: 定义 ${term}\n---\n\n**${term}**（${english ? `${english}: ` : ''}一个定义）。\n`;
}

/** What a scan with nothing cached finds, as plain data. */
function fresh(index: WorkspaceIndex) {
  return plain(mentionsOf(OPEN, parseNote(OPEN).note, lexiconOf(index)));
}

function plain(ms: ReturnType<typeof mentionsOf>) {
  return ms.map((m) => ({ start: m.start, end: m.end, kind: m.kind, terms: [...m.terms], range: m.range }));
}

describe('mentions of an open note while the vocabulary grows', () => {
  it('keeps the cached mentions for terms the note lacks and finds new ones it has', () => {
    const index = new WorkspaceIndex();
    index.set(summarize('file:///v/a.md', parseNote(definitionNote('数据墙', 'Data wall')).note));
    const open = parseNote(OPEN).note;
    const first = mentionsOf(OPEN, open, lexiconOf(index));
    assert.deepEqual(first.map((m) => OPEN.slice(m.start, m.end)), ['数据墙']);

    // A term the note does not contain: the lexicon grows, the mentions are the same object.
    index.set(summarize('file:///v/b.md', parseNote(definitionNote('对齐税', 'Alignment tax')).note));
    const grown = lexiconOf(index);
    assert.ok(grown.grown, 'the lexicon records that it only grew');
    assert.equal(mentionsOf(OPEN, open, grown), first);
    assert.deepEqual(plain(first), fresh(index));

    // A term the note contains (also inside a code span, which stays skipped): found.
    index.set(summarize('file:///v/c.md', parseNote(definitionNote('算力')).note));
    const withTerm = mentionsOf(OPEN, open, lexiconOf(index));
    assert.notEqual(withTerm, first);
    assert.deepEqual(withTerm.map((m) => OPEN.slice(m.start, m.end)), ['数据墙', '算力']);
    assert.deepEqual(plain(withTerm), fresh(index));

    // An English name the note contains in another case: found.
    index.set(summarize('file:///v/d.md', parseNote(definitionNote('计算', 'compute')).note));
    const withName = mentionsOf(OPEN, open, lexiconOf(index));
    assert.deepEqual(withName.map((m) => `${OPEN.slice(m.start, m.end)}:${m.kind}`), ['数据墙:bold', '算力:plain', 'Compute:english']);
    assert.deepEqual(plain(withName), fresh(index));

    // A longer term over an existing mention replaces it.
    index.set(summarize('file:///v/e.md', parseNote(definitionNote('表征学习')).note));
    index.set(summarize('file:///v/f.md', parseNote(definitionNote('表征')).note));
    assert.deepEqual(plain(mentionsOf(OPEN, open, lexiconOf(index))), fresh(index));
    assert.ok(mentionsOf(OPEN, open, lexiconOf(index)).some((m) => OPEN.slice(m.start, m.end) === '表征学习'));
  });

  it('equals a fresh scan after random growth, some of it in the note (property)', () => {
    const pieces = ['数据', '墙', '算力', '瓶颈', '对齐', '表征', '学习', '讨论', '里', '代码', '笔记', '定义', '语言', '模型'];
    const names = ['Compute', 'Scaling laws', 'budget', 'Data wall', 'laws', 'model', 'The'];
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = rng(seed);
      const index = new WorkspaceIndex();
      const open = parseNote(OPEN).note;
      let kept = 0;
      for (let step = 0; step < 40; step++) {
        const before = mentionsOf(OPEN, open, lexiconOf(index));
        // One to three notes a round, each defining a term made of one or two pieces, sometimes named.
        for (let k = 1 + Math.floor(next() * 3); k > 0; k--) {
          const term = pieces[Math.floor(next() * pieces.length)]! + (next() < 0.5 ? pieces[Math.floor(next() * pieces.length)]! : '');
          const english = next() < 0.3 ? names[Math.floor(next() * names.length)] : undefined;
          index.set(summarize(`file:///v/s${step}-${k}.md`, parseNote(definitionNote(term, english)).note));
        }
        // Now and then a note leaves: the lexicon is built again (no growth record), and must still agree.
        if (next() < 0.1) index.delete(`file:///v/s${Math.floor(next() * step)}-1.md`);
        const after = mentionsOf(OPEN, open, lexiconOf(index));
        if (after === before) kept++;
        assert.deepEqual(plain(after), fresh(index), `seed ${seed} step ${step}`);
      }
      assert.ok(kept > 0, `seed ${seed}: the cache was never kept, so the shortcut was not exercised`);
    }
  });
});
