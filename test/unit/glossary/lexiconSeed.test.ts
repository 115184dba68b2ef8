/**
 * A vocabulary that has a whole vault to catch up with at once (the end of a scan or a restart nobody
 * asked anything of) starts from the index's own counts of each term's English names (lexicon.ts,
 * `seedNames`; workspaceIndex.ts, `forEachTermName`) instead of counting every definition again. It must
 * equal the vocabulary counted a note at a time, names, counts and matcher alike, and follow the changes
 * that come after it the same way; the kept definition lists are built again, queued notes and all.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { englishNamesOf, indexedDefinitionsOf, lexiconOf, pendingNotesOf, rebuildingList } from '../../../server/src/core/glossary/lexicon';
import { catchUpIndex } from '../../../server/src/core/index/changes';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { plainDefinition, referenceDefinitions } from '../../support/definitions';

/**
 * Note `i` at `version`: 数据墙 named two ways that fold alike, or not named; one of 40 terms, named; a
 * term of five that all claim one English name; and, at version 1, other names and one term fewer.
 */
function note(i: number, version = 0): string {
  const wall = version === 1 ? '**数据墙**（指训练数据用尽）' : i % 3 === 0 ? '**数据墙**（Data Wall: 数据不够）' : i % 3 === 1 ? '**数据墙**（data  wall: 数据用尽）' : '**数据墙**（指数据用尽）';
  const lines = ['---', `title: 笔记${i}`, `date: 2024-01-${String(1 + (i % 28)).padStart(2, '0')}`, '---', '', wall, ''];
  lines.push(`**术语${i % 40}**（Term ${version === 1 ? 'B' : 'A'}${i % 40}: 第${i}条）`, '');
  if (version === 0 || i % 2 === 0) lines.push(`**共名${i % 5}**（Shared Name: 五个术语同名）`, '');
  lines.push('正文提到 data wall、Term A3 和 shared name。');
  return lines.join('\n') + '\n';
}

const uri = (i: number) => `file:///vault/s${String(i).padStart(4, '0')}.md`;
const put = (index: WorkspaceIndex, i: number, version = 0) => index.set(summarize(uri(i), parseNote(note(i, version)).note));

const SAMPLE = '提到数据墙、Data Wall、DATA WALL、Term A3、Term B7、术语12、共名4 和 Shared Name。';

/** Everything the vocabulary says: terms, names with their counts, English names' claimants, mentions found. */
function picture(index: WorkspaceIndex): unknown {
  const lexicon = lexiconOf(index);
  const names = englishNamesOf(index);
  const terms = [...lexicon.terms].sort();
  return {
    terms,
    names: terms.map((t) => [t, names(t).map((n) => `${n.name}|${n.folded}×${n.n}`).sort()]),
    english: [...lexicon.english].map(([k, v]) => [k, [...v]]).sort(),
    found: lexicon.matcher.find(SAMPLE).map((m) => `${m.start}-${m.end} ${m.kind} ${m.key}`),
  };
}

describe('the vocabulary of a whole vault queued at once', () => {
  it('equals the vocabulary counted a note at a time, then follows the same changes', () => {
    const counted = new WorkspaceIndex();
    for (let i = 0; i < 400; i++) {
      put(counted, i);
      lexiconOf(counted);
    }
    const seeded = new WorkspaceIndex();
    for (let i = 0; i < 400; i++) put(seeded, i);
    assert.deepEqual(picture(seeded), picture(counted));
    assert.equal(lexiconOf(seeded).english.get('shared name')!.length, 5, 'five terms claim one name');

    // A few changes are counted as they come; then most of the vault changes at once (a second seed,
    // over a lexicon already built), which drops names and a term's definitions in half the notes.
    for (let i = 0; i < 30; i++) {
      put(counted, i, 1);
      lexiconOf(counted);
      put(seeded, i, 1);
    }
    assert.deepEqual(picture(seeded), picture(counted));
    for (let i = 30; i < 400; i++) {
      put(counted, i, 1);
      lexiconOf(counted);
      put(seeded, i, 1);
    }
    for (let i = 390; i < 400; i++) {
      counted.delete(uri(i));
      seeded.delete(uri(i));
    }
    assert.deepEqual(picture(seeded), picture(counted));
    assert.equal(lexiconOf(seeded).english.has('data wall'), false, 'no definition names 数据墙 any more');
  });

  it('kept definition lists are built again, with every queued note', () => {
    const index = new WorkspaceIndex();
    for (let i = 0; i < 20; i++) put(index, i);
    // Kept while the index is small, then the vault arrives and changes at once.
    assert.equal(indexedDefinitionsOf(index, '数据墙').length, 20);
    assert.equal(indexedDefinitionsOf(index, '共名0').length, 4);
    for (let i = 20; i < 400; i++) put(index, i);
    for (let i = 0; i < 100; i++) put(index, i, 1);
    lexiconOf(index);
    // No queued note was noted against them: a host's catch-up builds them again.
    assert.equal(pendingNotesOf(index, '数据墙'), 0);
    assert.equal(rebuildingList(index, '数据墙'), true);
    assert.equal(rebuildingList(index, '共名0'), true);
    assert.equal(catchUpIndex(index, () => false), true);
    assert.equal(rebuildingList(index, '数据墙'), false);
    for (const term of ['数据墙', '共名0', '术语3']) {
      assert.deepEqual(indexedDefinitionsOf(index, term).map(plainDefinition), referenceDefinitions(index, term), term);
    }
  });
});
