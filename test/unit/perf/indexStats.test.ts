import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseNote } from '../../../server/src/core/parse/note';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { indexStats } from '../../../server/src/lsp/indexStats';

const a = '---\npeople:\n- 张三\n- Ada Lovelace\ntags: [x]\nspeaker: Ada Lovelace\n---\n**数据墙**（Data wall: 训练数据耗尽）与**解缚**（Unhobbling）。\n';
const b = '---\npeople:\n- Ada Lovelace\n---\n**数据墙（Data wall）**，**普通粗体**。\n';

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
const sum = (xs: string[]) => xs.reduce((s, x) => (s + fnv(x)) >>> 0, 0);

describe('notesense/indexStats', () => {
  const index = new WorkspaceIndex();
  index.set(summarize('file:///a.md', parseNote(a).note));
  index.set(summarize('file:///b.md', parseNote(b).note));

  it('counts distinct (key, value) pairs, the notes listing each, terms and definitions', () => {
    const s = indexStats(index, {});
    assert.equal(s.notes, 2);
    // people/张三 (1), people/Ada Lovelace (2), tags/x (1), speaker/Ada Lovelace (1)
    assert.equal(s.entityPairs, 4);
    assert.equal(s.entityRefs, 5);
    assert.equal(s.distinctTerms, 2);
    assert.equal(s.definitions, 3);
    assert.equal(s.entityChecksum, sum(['people\u0000张三\u00001', 'people\u0000Ada Lovelace\u00002', 'tags\u0000x\u00001', 'speaker\u0000Ada Lovelace\u00001']));
    assert.equal(s.termChecksum, sum(['数据墙\u00002', '解缚\u00001']));
  });

  it('tells whether a note holds a bold text, for the keystroke probe', () => {
    assert.equal(indexStats(index, { uri: 'file:///b.md', bold: '普通粗体' }).hasBold, true);
    assert.equal(indexStats(index, { uri: 'file:///b.md', bold: '数据墙' }).hasBold, false);
    assert.equal(indexStats(index, { uri: 'file:///missing.md', bold: '普通粗体' }).hasBold, false);
  });

  it('changes its checksum when one note changes one value', () => {
    const before = indexStats(index, {}).entityChecksum;
    const copy = new WorkspaceIndex();
    copy.set(summarize('file:///a.md', parseNote(a.replace('张三', '李四')).note));
    copy.set(summarize('file:///b.md', parseNote(b).note));
    assert.notEqual(indexStats(copy, {}).entityChecksum, before);
  });
});
