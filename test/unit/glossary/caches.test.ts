/**
 * The glossary keeps per-term definition lists and the vocabulary in step with the index note by note
 * (lexicon.ts). After any sequence of edits, additions and removals they must give exactly what a
 * fresh index of the same notes gives, and what the plain definition (every definition of the index,
 * sorted by note date, uri and position) gives.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { definitionsOf } from '../../../server/src/core/glossary/definitions';
import { glossaryHover } from '../../../server/src/core/glossary/hover';
import { lexiconOf } from '../../../server/src/core/glossary/lexicon';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { plainDefinition, referenceDefinitions } from '../../support/definitions';
import { churn, rng } from '../../support/churn';

const TERMS = ['数据墙', '规模定律', '算力墙', 'Agent', '表征学习'];
const ENGLISH = ['Data wall', 'Scaling law', 'data  WALL', 'Compute wall', undefined];
const TEXTS = ['指数据不够用', '指数据不够用。', '指 数据 不够用', '数据耗尽', '**模型**变大，效果变好'];

function noteText(next: () => number, n: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const lines = ['---', `title: 笔记${n}`];
  if (next() < 0.8) lines.push(`date: 2024-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 10)}`);
  lines.push('---', '');
  const count = Math.floor(next() * 4);
  for (let i = 0; i < count; i++) {
    const english = pick(ENGLISH);
    lines.push(`**${pick(TERMS)}**（${english ? `${english}: ` : ''}${pick(TEXTS)}）`, '');
  }
  lines.push(`正文提到${pick(TERMS)}和 data wall。`);
  return lines.join('\n') + '\n';
}

describe('glossary caches follow the index', () => {
  it('give what a fresh index gives after random edits, additions and removals', () => {
    for (const seed of [1, 2, 3]) {
      const next = rng(seed);
      churn(next, 120, 12, noteText, ({ index, texts, step }) => {
        const fresh = new WorkspaceIndex();
        for (const [u, text] of texts) fresh.set(summarize(u, parseNote(text).note));
        const cached = lexiconOf(index);
        const rebuilt = lexiconOf(fresh);
        assert.deepEqual([...cached.terms].sort(), [...rebuilt.terms].sort(), `seed ${seed} step ${step}: terms`);
        assert.deepEqual(new Map([...cached.english].sort()), new Map([...rebuilt.english].sort()), `seed ${seed} step ${step}: English names`);
        for (const term of TERMS) {
          assert.deepEqual(definitionsOf(index, term).map(plainDefinition), referenceDefinitions(index, term), `seed ${seed} step ${step}: ${term}`);
        }
        // Hovers in one of the notes: the same Markdown from the kept caches as from a fresh index.
        const [openUri, openText] = [...texts][Math.floor(next() * texts.size)] ?? [];
        if (!openUri || !openText) return;
        const { note, problems } = parseNote(openText);
        const ctx = (i: WorkspaceIndex): DocumentContext => ({ uri: openUri, text: openText, note, problems, index: i, settings: DEFAULT_CORE_SETTINGS });
        for (const term of TERMS) {
          for (let at = openText.indexOf(term); at >= 0; at = openText.indexOf(term, at + 1)) {
            const position = positionOf(openText, at);
            assert.deepEqual(glossaryHover(ctx(index), position), glossaryHover(ctx(fresh), position), `seed ${seed} step ${step}: hover ${term}@${at}`);
          }
        }
      });
    }
  });

  it('keeps the lexicon object while notes change without changing the vocabulary', () => {
    const index = new WorkspaceIndex();
    const set = (uri: string, text: string) => index.set(summarize(uri, parseNote(text).note));
    set('file:///a.md', '**数据墙**（Data wall: 指数据不够用）\n');
    const first = lexiconOf(index);
    // Another note defining a known term with a known English name: the vocabulary is the same.
    set('file:///b.md', '**数据墙**（Data wall: 数据耗尽）\n');
    assert.equal(lexiconOf(index), first);
    // Removing it again leaves the pair in a.md: still the same vocabulary.
    index.delete('file:///b.md');
    assert.equal(lexiconOf(index), first);
    // A new term grows the vocabulary, found by the matcher.
    set('file:///c.md', '**算力墙**（指算力不足）\n');
    const second = lexiconOf(index);
    assert.notEqual(second, first);
    assert.deepEqual(second.matcher.find('数据墙和算力墙').map((m) => m.key), ['数据墙', '算力墙']);
  });

  it('a hover counts the other notes from the note it is in, also when the index still has that note\'s old definitions', () => {
    const notes = new Map([
      ['file:///a.md', '---\ndate: 2024-01-01\n---\n**数据墙**（Data wall: 指数据不够用）\n'],
      ['file:///b.md', '---\ndate: 2024-02-01\n---\n**数据墙**（Data wall: 数据耗尽）\n'],
      ['file:///c.md', '---\ndate: 2024-03-01\n---\n**数据墙**（指数据不够用）\n'],
    ]);
    const indexOf = () => {
      const index = new WorkspaceIndex();
      for (const [uri, text] of notes) index.set(summarize(uri, parseNote(text).note));
      return index;
    };
    const kept = indexOf();
    // The author has just replaced the definition by a mention; the index has not caught up yet.
    const edited = '---\ntitle: x\n---\n正文提到**数据墙**。\n';
    const { note, problems } = parseNote(edited);
    const at = positionOf(edited, edited.indexOf('数据墙') + 1);
    const hoverIn = (uri: string, index: WorkspaceIndex) => glossaryHover({ uri, text: edited, note, problems, index, settings: DEFAULT_CORE_SETTINGS }, at);
    for (const uri of ['file:///a.md', 'file:///b.md', 'file:///c.md', 'file:///a.md']) {
      // The kept index answers from what it remembers; a fresh one has nothing to remember.
      const h = hoverIn(uri, kept);
      assert.deepEqual(h, hoverIn(uri, indexOf()), uri);
      // Two other notes: the first in date order leads, the other is counted.
      assert.match((h!.contents as { value: string }).value, /Other definitions: 1 /, uri);
    }
  });
});

function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
