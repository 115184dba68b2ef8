/**
 * `noteBlock` on a long kept list: the same blocks whether found by binary search (the first lookups of a
 * version) or by the map of block starts made after enough lookups, for notes with definitions in the
 * list, notes without, notes sharing a date and notes without one; and again after an edit changes the
 * list (a new version: the map is made again).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { indexedDefinitionsOf, noteBlock, type IndexedDefinition } from '../../../server/src/core/glossary/lexicon';
import { GlossaryVault, uriOf } from './vault';

const TERM = '数据墙';

/** A note defining TERM `times` times (the first is the kept one, the others duplicates). */
function note(i: number, times: number, date: string | undefined): string {
  const front = date ? `---\ndate: ${date}\n---\n` : '';
  const lines = Array.from({ length: times }, (_, k) => `**${TERM}**（Data wall: 第${i}篇第${k}种说法）`);
  return `${front}# 笔记 ${i}\n\n${lines.join('\n\n')}\n`;
}

/** The block of `uri` found by looking at every definition. */
function scanned(list: readonly IndexedDefinition[], uri: string): { start: number; end: number } {
  const first = list.findIndex((d) => d.uri === uri);
  if (first < 0) return { start: list.length, end: list.length };
  let end = first;
  while (end < list.length && list[end]!.uri === uri) end++;
  return { start: first, end };
}

describe('noteBlock on a long list', () => {
  const notes: Record<string, string> = {};
  // 220 notes, 3 definitions each (660 in the list): dates shared by ten notes each, and every eleventh without one.
  for (let i = 0; i < 220; i++) notes[`n${String(i).padStart(3, '0')}.md`] = note(i, 3, i % 11 === 0 ? undefined : `2024-0${1 + (i % 9)}-1${i % 10}`);
  notes['other.md'] = '# 没有这个词的笔记\n\n**别的词**（Other: 说明）\n';
  const vault = new GlossaryVault(notes);
  const names = Object.keys(notes);

  const check = (what: string) => {
    const list = indexedDefinitionsOf(vault.index, TERM);
    assert.ok(list.length >= 600, `${what}: ${list.length} definitions`);
    // Twice over every note: the first lookups search, the later ones read the map.
    for (let round = 0; round < 2; round++) {
      for (const name of names) {
        const uri = uriOf(name);
        const got = noteBlock(vault.index, list, uri);
        const want = scanned(list, uri);
        if (want.end > want.start) assert.deepEqual(got, want, `${what}, round ${round}: ${name}`);
        else assert.equal(got.end - got.start, 0, `${what}, round ${round}: ${name} has no block`);
      }
    }
  };

  it('finds every note\'s block, by search and then by the map', () => check('as written'));

  it('finds them again after an edit changes the list', () => {
    vault.set('n005.md', note(5, 5, '2023-12-31'));
    vault.set('n100.md', note(100, 1, undefined));
    vault.set('n150.md', '# 不再定义\n');
    check('after edits');
    assert.equal(noteBlock(vault.index, indexedDefinitionsOf(vault.index, TERM), uriOf('n150.md')).end - noteBlock(vault.index, indexedDefinitionsOf(vault.index, TERM), uriOf('n150.md')).start, 0);
  });
});
