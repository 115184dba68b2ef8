import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { CompletionList, TextEdit } from 'vscode-languageserver-types';
import { complete } from '../../../server/src/core/features/completion';
import { documentSymbols, workspaceSymbols } from '../../../server/src/core/features/symbols';
import { glossaryCompletion } from '../../../server/src/core/glossary/completion';
import { caret, rangeOf, textAt } from '../../support/caret';
import { A, applyEdits, GlossaryVault } from './vault';

const vault = new GlossaryVault();

describe('glossary symbols', () => {
  it('names workspace symbols `term — English` and finds them by term, English name and pinyin', () => {
    // Only the glossary's symbols (kind Key): other areas add theirs (entities).
    const names = (q: string) => workspaceSymbols(vault.index, q).filter((s) => s.kind === 20).map((s) => s.name);
    assert.deepEqual(names('数据墙'), ['数据墙 — Data wall', '数据墙 — Data wall', '数据墙 — Data wall', '数据墙 — Data wall']);
    assert.deepEqual(names('sjq'), names('数据墙'));
    assert.deepEqual(names('unhob'), ['解缚 — Unhobbling']);
    assert.deepEqual(names('CCP'), ['中国共产党 — CCP']);
    assert.equal(names('').length, 10);
    assert.deepEqual(names('不存在的词'), []);
    const first = workspaceSymbols(vault.index, '解缚')[0]!;
    assert.equal(first.containerName, '规模定律与数据墙');
    assert.deepEqual((first.location as { range: unknown }).range, rangeOf(vault.text(A), '解缚'));
  });

  it('honours the limit', () => {
    assert.equal(workspaceSymbols(vault.index, '', 3).length, 3);
  });

  it('adds the note’s definitions to its outline, after the front matter, by position', () => {
    const symbols = documentSymbols(vault.ctx(A));
    const defs = symbols.filter((s) => s.kind === 20);
    assert.deepEqual(defs.map((s) => s.name), ['数据墙 — Data wall', '表征学习 — Representation learning', '表征 — Representation', '解缚 — Unhobbling', '中国共产党 — CCP']);
    const a = vault.text(A);
    assert.deepEqual(defs[0]!.selectionRange, rangeOf(a, '数据墙', 1));
    assert.equal(textAt(a, defs[3]!.range), '“**解缚**”（Unhobbling: 解除对模型能力的人为限制，例如加入工具和长上下文）');
    assert.equal(symbols[0]!.name, 'front matter');
  });
});

describe('glossary completion after **', () => {
  const at = (marked: string) => {
    const { text, position } = caret(marked);
    return { text, list: glossaryCompletion(vault.ctx('new.md', text), position) };
  };
  const accept = (text: string, list: CompletionList | undefined, label: string) => {
    const item = list!.items.find((i) => i.label === label)!;
    return applyEdits(text, [item.textEdit as TextEdit]);
  };

  it('offers every known term with its English name and definition, and closes the bold', () => {
    const { text, list } = at('---\ntitle: x\n---\n我们撞上了**数|');
    assert.ok(list);
    assert.deepEqual(list.items.map((i) => i.label).sort(), ['表征', '表征学习', '解缚', '数据壁垒', '数据墙', '中国共产党'].sort());
    const item = list.items.find((i) => i.label === '数据墙')!;
    assert.equal(item.detail, 'Data wall');
    assert.match(item.filterText!, /数据墙 shujuqiang sjq Data wall/);
    assert.deepEqual((item.textEdit as TextEdit).range, rangeOf(text, '数'));
    assert.equal(accept(text, list, '数据墙'), '---\ntitle: x\n---\n我们撞上了**数据墙**');
  });

  it('does not add a second closing ** and works on a CRLF line after an emoji', () => {
    const { text, list } = at('前文\r\n😀**|**');
    assert.equal(accept(text, list, '解缚'), '前文\r\n😀**解缚**');
  });

  it('returns undefined outside its context', () => {
    for (const marked of [
      '---\ntitle: **|\n---\n',
      '正文**数据墙**之后|',
      '正文 `**|` 代码',
      '```\n**|\n```\n',
      '** |',
      '数据|',
      '**数据墙** 和 *|',
    ]) assert.equal(at(marked).list, undefined, marked);
  });

  it('answers through the completion dispatcher', () => {
    const { text, position } = caret('**表|');
    assert.ok(complete(vault.ctx('new.md', text), position)?.items.some((i) => i.label === '表征学习'));
  });
});
