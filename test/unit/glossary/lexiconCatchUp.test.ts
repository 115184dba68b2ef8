/**
 * How the vocabulary catches up with a whole vault at once (the end of a scan, a restart): its counting
 * waits for a reader of the vocabulary or for a host's flush, never for another area's request; work in
 * steps catches it up a note at a time; and a long kept list that most of the vault changed is built
 * again in steps instead of merged in one (lexicon.ts, `countQueued`, `catchUpVocabulary`,
 * `updatePending`). Whatever the path, the lists equal the plain definition.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { definitionsOf } from '../../../server/src/core/glossary/definitions';
import { catchUpVocabulary, indexedDefinitionsOf, lexiconOf, pendingNotesOf, rebuildingList, vocabularyBacklog } from '../../../server/src/core/glossary/lexicon';
import { catchUpIndex, watchIndex } from '../../../server/src/core/index/changes';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { plainDefinition, referenceDefinitions } from '../../support/definitions';

/** A note dated by day `i`, defining 数据墙 `times` times (each with its own wording) and 算力墙 once. */
function note(i: number, times: number, version = 0): string {
  const lines = ['---', `title: 笔记${i}`, `date: 2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, '---', ''];
  for (let k = 0; k < times; k++) lines.push(`**数据墙**（Data wall: 第${k}种说法，版本${version}）`, '');
  lines.push(`**算力墙**（Compute wall ${i % 3}: 算力不够）`, '', '正文提到数据墙。');
  return lines.join('\n') + '\n';
}

const uri = (i: number) => `file:///vault/n${String(i).padStart(4, '0')}.md`;

/** Puts note `i`, defining 数据墙 `times` times, at its `version`, into `index`. */
function put(index: WorkspaceIndex, i: number, times: number, version = 0): void {
  index.set(summarize(uri(i), parseNote(note(i, times, version)).note));
}

function vault(notes: number, times: number): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (let i = 0; i < notes; i++) put(index, i, times);
  return index;
}

/** A vault of `notes` whose vocabulary is counted, then notes [0, `changed`) changed, and another area that follows it. */
function changedVault(notes: number, changed: number): { index: WorkspaceIndex; other: () => boolean } {
  const index = vault(notes, 1);
  lexiconOf(index);
  const other = watchIndex(index, () => undefined);
  for (let i = 0; i < changed; i++) put(index, i, 1, 1);
  return { index, other };
}

/** Catches `index` up a step a call, and checks that 数据墙's list was built again, in more than 20 steps. */
function catchUpRebuildingInSteps(index: WorkspaceIndex): void {
  let calls = 1;
  assert.equal(catchUpIndex(index, () => true), false);
  let sawRebuild = false;
  while (!catchUpIndex(index, () => true)) {
    sawRebuild ||= rebuildingList(index, '数据墙');
    calls++;
  }
  assert.ok(sawRebuild, 'the list was built again');
  assert.ok(calls > 20, `${calls} calls: the build went in steps`);
}

describe('the vocabulary catching up with a whole vault', () => {
  it('another area syncing with the index only queues the changes; a reader of the vocabulary counts them', () => {
    const { index, other } = changedVault(200, 50);
    other();
    assert.equal(vocabularyBacklog(index), 50, 'reported to the vocabulary, not counted');
    const lexicon = lexiconOf(index);
    assert.equal(vocabularyBacklog(index), 0);
    assert.deepEqual([...lexicon.terms].sort(), ['数据墙', '算力墙']);
    assert.deepEqual([...lexicon.english.keys()].sort(), ['compute wall 0', 'compute wall 1', 'compute wall 2', 'data wall']);
  });

  it('catchUpVocabulary goes a note at a time: what a request queued, then what it reports, counted as it goes', () => {
    const { index, other } = changedVault(120, 40);
    other();
    assert.equal(vocabularyBacklog(index), 40);
    // 40 more changes, not reported yet.
    for (let i = 40; i < 80; i++) put(index, i, 1, 1);
    let steps = 0;
    const backlog: number[] = [];
    while (!catchUpVocabulary(index, () => true)) {
      steps++;
      backlog.push(vocabularyBacklog(index));
    }
    // 40 notes reported one a step; the call that reports the last one finds nothing left to count.
    assert.equal(steps, 39);
    // Each step counts the note it reported and one queued before it: the backlog goes down one a step.
    assert.deepEqual(backlog, Array.from({ length: 39 }, (_, k) => 39 - k));
    assert.equal(vocabularyBacklog(index), 0);
    assert.equal(catchUpVocabulary(index, () => true), true, 'nothing left');
    const fresh = new WorkspaceIndex();
    for (const u of index.uris()) fresh.set(index.get(u)!);
    assert.deepEqual([...lexiconOf(index).english.keys()].sort(), [...lexiconOf(fresh).english.keys()].sort());
  });

  it('a long kept list that many notes changed is built again in steps by the catch-up, equal to the plain definition', () => {
    // 1,100 notes defining the term 4 times: a list of 4,400 definitions, over REBUILD_LENGTH.
    const index = vault(1100, 4);
    assert.equal(indexedDefinitionsOf(index, '数据墙').length, 4400);
    while (!catchUpIndex(index, () => false));
    // A restart's worth of changes: every other note anew, one note gone, one new.
    for (let i = 0; i < 1100; i += 2) put(index, i, 4, 1);
    index.delete(uri(1));
    put(index, 1100, 2, 1);
    catchUpRebuildingInSteps(index);
    assert.equal(pendingNotesOf(index, '数据墙'), 0);
    assert.equal(rebuildingList(index, '数据墙'), false);
    const list = definitionsOf(index, '数据墙').map(plainDefinition);
    assert.equal(list.length, 4400 - 4 + 2);
    assert.deepEqual(list, referenceDefinitions(index, '数据墙'));
    // The first and the last of the list, by date, uri and position.
    assert.deepEqual(list[0], referenceDefinitions(index, '数据墙')[0]);
    assert.deepEqual(list.at(-1), referenceDefinitions(index, '数据墙').at(-1));
  });

  it('a short kept list that a whole vault of notes joins is built again in steps too, not merged in one', () => {
    // The list of the note open during a restart is kept while the index holds a few notes; then the
    // restored vault brings 1,100 notes defining the term: the list goes from 8 definitions to 4,400.
    const index = vault(2, 4);
    assert.equal(indexedDefinitionsOf(index, '数据墙').length, 8);
    while (!catchUpIndex(index, () => false));
    for (let i = 2; i < 1100; i++) put(index, i, 4);
    catchUpRebuildingInSteps(index);
    const list = definitionsOf(index, '数据墙').map(plainDefinition);
    assert.equal(list.length, 4400);
    assert.deepEqual(list, referenceDefinitions(index, '数据墙'));
  });

  it('a reader that comes while the list is built again finishes it, and the catch-up then has nothing left', () => {
    const index = vault(1100, 4);
    indexedDefinitionsOf(index, '数据墙');
    while (!catchUpIndex(index, () => false));
    for (let i = 0; i < 1100; i += 2) put(index, i, 4, 1);
    // Until the rebuild has started, and stopped after its first step.
    while (!rebuildingList(index, '数据墙')) assert.equal(catchUpIndex(index, () => true), false);
    const read = definitionsOf(index, '数据墙').map(plainDefinition);
    assert.deepEqual(read, referenceDefinitions(index, '数据墙'));
    assert.equal(catchUpIndex(index, () => true), true);
    assert.equal(rebuildingList(index, '数据墙'), false);
    assert.deepEqual(definitionsOf(index, '数据墙').map(plainDefinition), read);
  });
});
