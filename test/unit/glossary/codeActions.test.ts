import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { TextEdit } from 'vscode-languageserver-types';
import { codeActions } from '../../../server/src/core/features/codeActions';
import { problemsOf, toDiagnostics } from '../../../server/src/core/features/diagnostics';
import { applyEdits, D, GlossaryVault, uriOf } from './vault';

/** The note after applying the duplicate-definition quick fixes offered for `text`. */
function fix(text: string, vault = new GlossaryVault()): { actions: number; after: string } {
  const ctx = vault.ctx('dup.md', text);
  const diags = toDiagnostics(problemsOf(ctx)).filter((d) => d.code === 'glossary-duplicate-definition');
  const actions = codeActions(ctx, diags[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, diags);
  const edits = actions.flatMap((a) => (a.edit?.changes?.[ctx.uri] ?? []) as TextEdit[]);
  return { actions: actions.length, after: applyEdits(text, edits) };
}

describe('glossary quick fix: a repeated definition becomes a mention', () => {
  it('removes the parenthesis of the second definition, every variant', () => {
    assert.deepEqual(fix('**甲**（A: 一）\n又：**甲**（A: 一）。\n'), { actions: 1, after: '**甲**（A: 一）\n又：**甲**。\n' });
    assert.deepEqual(fix('“**乙**”（B: 二）\r\n😀“**乙**”(B: 二)\r\n'), { actions: 1, after: '“**乙**”（B: 二）\r\n😀“**乙**”\r\n' });
    assert.deepEqual(fix('**贝利亚（Beria）**\n**贝利亚 （Beria）**后来\n'), { actions: 1, after: '**贝利亚（Beria）**\n**贝利亚**后来\n' });
  });

  it('on the fixture note, keeps the first definition and makes the note clean of duplicates', () => {
    const vault = new GlossaryVault();
    const text = vault.text(D);
    const { after } = fix(text, vault);
    assert.equal(after, text.replace('又一次：**数据墙**（Data wall: 指在AI模型训练中，高质量训练数据变得稀缺的瓶颈）', '又一次：**数据墙**'));
    const ctx = { ...vault.ctx('dup.md', after), uri: uriOf('dup.md') };
    assert.ok(!problemsOf(ctx).some((p) => p.code === 'glossary-duplicate-definition'));
  });

  it('offers nothing for other diagnostics or when only source actions are asked for', () => {
    const vault = new GlossaryVault();
    const ctx = vault.ctx('dup.md', '**甲**（A: 一）\n**甲**（A: 一）\n');
    const diags = toDiagnostics(problemsOf(ctx));
    assert.equal(codeActions(ctx, diags[0]!.range, diags, ['source.fixAll']).filter((a) => a.title.includes('甲')).length, 0);
    assert.equal(codeActions(ctx, diags[0]!.range, diags.filter((d) => d.code !== 'glossary-duplicate-definition')).filter((a) => a.title.includes('甲')).length, 0);
  });
});
