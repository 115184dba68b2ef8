import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { codeInfo } from '../../../server/src/core/codes';
import { prepareProblems, problemsOf, toDiagnostics } from '../../../server/src/core/features/diagnostics';
import { glossaryDiagnostics } from '../../../server/src/core/glossary/diagnostics';
import type { Problem } from '../../../server/src/core/parse/types';
import { rangeOf } from '../../support/caret';
import { A, B, C, D, GlossaryVault, uriOf } from './vault';

const vault = new GlossaryVault();
const codes = (ps: readonly Problem[]) => ps.map((p) => p.code);
const related = (p: Problem) => (p.relatedInformation ?? []).map((r) => `${decodeURIComponent(r.uri).slice('file:///vault/'.length, 'file:///vault/'.length + 10)}:${r.range.start.line}`);

describe('glossary consistency diagnostics', () => {
  it('registers stable codes with their severities', () => {
    assert.deepEqual(codeInfo('glossary-duplicate-definition'), { severity: 'warning', area: 'glossary' });
    assert.deepEqual(codeInfo('glossary-conflict'), { severity: 'information', area: 'glossary' });
    assert.deepEqual(codeInfo('glossary-english-clash'), { severity: 'warning', area: 'glossary' });
    assert.deepEqual(codeInfo('glossary-unclosed'), { severity: 'warning', area: 'glossary' });
  });

  it('a note that only mentions terms has none', () => {
    assert.deepEqual(glossaryDiagnostics(vault.ctx(B)), []);
  });

  it('glossary-duplicate-definition on the second definition in one note, pointing at the first', () => {
    const d = vault.text(D);
    const dup = glossaryDiagnostics(vault.ctx(D)).filter((p) => p.code === 'glossary-duplicate-definition');
    assert.equal(dup.length, 1);
    assert.deepEqual(dup[0]!.range, rangeOf(d, '数据墙', 1));
    assert.deepEqual(dup[0]!.relatedInformation![0]!.range, rangeOf(d, '数据墙', 0));
    assert.equal(dup[0]!.relatedInformation![0]!.uri, uriOf(D));
    assert.match(dup[0]!.message, /"数据墙" is already defined in this note, on line 5/);
  });

  it('glossary-conflict where another note says something else, with the other definitions as related information', () => {
    const c = vault.text(C);
    const conflicts = glossaryDiagnostics(vault.ctx(C)).filter((p) => p.code === 'glossary-conflict');
    assert.equal(conflicts.length, 1);
    assert.deepEqual(conflicts[0]!.range, rangeOf(c, '数据墙'));
    assert.match(conflicts[0]!.message, /defined differently in 2 other note/);
    assert.deepEqual(related(conflicts[0]!), ['2024-04-25:8', '2024-08-01:4', '2024-08-01:6']);
    assert.match(conflicts[0]!.relatedInformation![0]!.message, /指在AI模型训练中/);
  });

  it('no conflict between texts equal up to spaces, punctuation width and a full stop, nor with an English-only definition', () => {
    // A and D give the same definition in different spacing: each conflicts only with C.
    const a = glossaryDiagnostics(vault.ctx(A)).filter((p) => p.code === 'glossary-conflict');
    assert.deepEqual(a.map(related), [['2024-07-01:4']]);
    const d = glossaryDiagnostics(vault.ctx(D)).filter((p) => p.code === 'glossary-conflict');
    assert.deepEqual(d.map(related), [['2024-07-01:4']]);
    // C defines 表征 by its English name only: no conflict with A's explanation.
    assert.ok(!glossaryDiagnostics(vault.ctx(C)).some((p) => p.code === 'glossary-conflict' && p.message.includes('表征')));
  });

  it('glossary-english-clash on the English name two different terms claim', () => {
    const c = vault.text(C);
    const clashes = glossaryDiagnostics(vault.ctx(C)).filter((p) => p.code === 'glossary-english-clash');
    assert.deepEqual(clashes.map((p) => p.range), [rangeOf(c, 'Data wall', 0), rangeOf(c, 'Data wall', 1)]);
    assert.match(clashes[0]!.message, /The English name "Data wall" is also given to: 数据壁垒/);
    assert.match(clashes[1]!.message, /is also given to: 数据墙/);
    assert.deepEqual(related(clashes[1]!), ['2024-07-01:4', '2024-04-25:8', '2024-08-01:4', '2024-08-01:6']);
    assert.deepEqual(clashes[0]!.relatedInformation![0]!.range, rangeOf(c, 'Data wall', 1));
  });

  it('reaches the editor through the dispatcher with source and code, and the parser still reports glossary-unclosed', () => {
    const v = new GlossaryVault();
    const text = '**数据墙**（Data wall: 指别的东西）\n**未闭合**（Open: 没有右括号\n';
    const ctx = v.ctx('new.md', text);
    const diags = toDiagnostics(problemsOf(ctx));
    // Data wall is also 数据壁垒's English name in the vault.
    assert.deepEqual(diags.map((d) => d.code).sort(), ['glossary-conflict', 'glossary-english-clash', 'glossary-unclosed']);
    const conflict = diags.find((d) => d.code === 'glossary-conflict')!;
    assert.equal(conflict.source, 'notesense');
    assert.equal(conflict.severity, 3);
    assert.equal(conflict.relatedInformation!.length, 4);
    const off = { severity: { 'glossary-conflict': 'off', 'glossary-english-clash': 'off' } } as const;
    assert.deepEqual(toDiagnostics(problemsOf(ctx), off).map((d) => d.code), ['glossary-unclosed']);
  });

  it('follows the edit: a note that takes up the common wording loses its conflict', () => {
    const v = new GlossaryVault();
    const fixed = v.text(C).replace('指算力增长快于可用数据增长的局面', '指在AI模型训练中，高质量训练数据变得稀缺的瓶颈');
    assert.ok(!codes(glossaryDiagnostics(v.ctx(C, fixed))).includes('glossary-conflict'));
  });

  it('is prepared a term at a time, in steps, and then gives the problems of one go', () => {
    for (const name of [A, B, C, D]) {
      const expected = problemsOf(new GlossaryVault().ctx(name));
      const v = new GlossaryVault();
      const ctx = v.ctx(name);
      const defs = ctx.note.body.definitions;
      let steps = 0;
      for (const prepare = prepareProblems(ctx); !prepare.next().done; ) steps++;
      // The vocabulary catches up with the vault first, a step a note (reported, then counted); then a
      // term takes a few steps: its notes sorted, its definitions listed, then compared.
      const catchUp = 2 * v.index.size;
      assert.ok(steps <= catchUp + 4 * defs.length, `${name}: ${steps} steps for ${defs.length} definitions`);
      if (new Set(defs.map((d) => d.term)).size > 1) assert.ok(steps > 1, `${name}: stopped between terms`);
      assert.deepEqual(problemsOf(v.ctx(name)), expected, name);
    }
  });
});
