import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { glossaryCompletion, MAX_GLOSSARY_ITEMS } from '../../../server/src/core/glossary/completion';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { caret } from '../../support/caret';

/** A vault whose notes define 400 terms `词甲0`…, plus 数据墙 (Data wall) and 表征 (Representation). */
function largeVault(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (let n = 0; n < 20; n++) {
    const defs = Array.from({ length: 20 }, (_, i) => `**词甲${n * 20 + i}**（Word ${n * 20 + i}: 第${i}个定义）`).join('\n\n');
    const extra = n === 0 ? '\n\n**数据墙**（Data wall: 训练数据耗尽）\n\n**表征**（Representation: 内部表示）' : '';
    const text = `---\ntitle: 笔记${n}\n---\n${defs}${extra}\n`;
    index.set(summarize(`file:///v/${n}.md`, parseNote(text).note));
  }
  return index;
}

function at(index: WorkspaceIndex, marked: string) {
  const { text, position } = caret(marked);
  const { note, problems } = parseNote(text);
  const ctx: DocumentContext = { uri: 'file:///v/new.md', text, note, problems, index, settings: DEFAULT_CORE_SETTINGS };
  return glossaryCompletion(ctx, position);
}

describe('glossary completion on a vault with many terms', () => {
  const index = largeVault();

  it('sends at most MAX_GLOSSARY_ITEMS, marked incomplete, when more terms are known', () => {
    const list = at(index, '正文**|')!;
    assert.equal(list.items.length, MAX_GLOSSARY_ITEMS);
    assert.equal(list.isIncomplete, true);
  });

  it('filters by the typed text: the term, its pinyin, its initials and its English name', () => {
    for (const typed of ['数', 'shuju', 'sjq', 'data']) {
      const list = at(index, `正文**${typed}|`)!;
      assert.deepEqual(list.items.map((i) => i.label), ['数据墙'], typed);
      assert.equal(list.items[0]!.detail, 'Data wall');
      assert.equal(list.isIncomplete, true);
    }
    const words = at(index, '正文**词甲1|')!.items.map((i) => i.label);
    assert.ok(words.length > 100 && words.every((w) => w.startsWith('词甲1')), 'every shown term starts with what was typed');
  });

  it("keeps this note's own definition of a term first", () => {
    const list = at(index, '**数据墙**（Data barrier: 本地定义）\n\n正文**数|')!;
    assert.equal(list.items.find((i) => i.label === '数据墙')!.detail, 'Data barrier');
  });
});
