import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { foldCode, foldTable, TermMatcher } from '../../../server/src/core/glossary/matcher';
import { foldEnglish, normalizeDefinition } from '../../../server/src/core/glossary/normalize';

const found = (m: TermMatcher, text: string, skip: Array<{ start: number; end: number }> = []) =>
  m.find(text, 0, text.length, skip).map((x) => `${x.kind}:${text.slice(x.start, x.end)}@${x.start}`);

describe('term matcher', () => {
  const m = new TermMatcher(['表征', '表征学习', '数据墙', '代理', '代理式长周期任务', '系统1', 'MMLU'], ['data wall', 'unhobbling', 'agent', 'c']);

  it('prefers the longest term at a position', () => {
    assert.deepEqual(found(m, '表征学习与表征'), ['term:表征学习@0', 'term:表征@5']);
    assert.deepEqual(found(m, '代理式长周期任务和代理人'), ['term:代理式长周期任务@0', 'term:代理@9']);
  });

  it('finds Chinese terms without spaces, stopped by full-width punctuation', () => {
    assert.deepEqual(found(m, '撞上数据墙，表征。'), ['term:数据墙@2', 'term:表征@6']);
    // A term never spans punctuation: `表，征` is not `表征`.
    assert.deepEqual(found(m, '表，征'), []);
  });

  it('finds English names case-insensitively as whole words only', () => {
    assert.deepEqual(found(m, 'The Data Wall and DATA WALL, data walls'), ['english:Data Wall@4', 'english:DATA WALL@18']);
    assert.deepEqual(found(m, 'Unhobbling、unhobblings、agentic、Agent'), ['english:Unhobbling@0', 'english:Agent@31']);
    assert.deepEqual(found(m, '用Data wall来'), ['english:Data wall@1']);
  });

  it('needs a word boundary at a Latin edge of a term, not at a CJK edge', () => {
    assert.deepEqual(found(m, '系统1和系统10'), ['term:系统1@0']);
    assert.deepEqual(found(m, 'MMLU跑分，xMMLU'), ['term:MMLU@0']);
    // Terms match exactly: `mmlu` is not the term `MMLU`.
    assert.deepEqual(found(m, 'mmlu'), []);
  });

  it('leaves out one-letter English names', () => {
    assert.deepEqual(found(m, 'C and c'), []);
  });

  it('skips code ranges, and a match never runs into one', () => {
    const text = '数据墙 `数据墙` 数据墙';
    assert.deepEqual(found(m, text, [{ start: 4, end: 9 }]), ['term:数据墙@0', 'term:数据墙@10']);
    assert.deepEqual(found(m, '表征学习', [{ start: 2, end: 4 }]), ['term:表征@0']);
  });

  it('counts positions in UTF-16 units past emoji and surrogate pairs', () => {
    const text = '😀数据墙𠀀表征';
    assert.deepEqual(found(m, text), ['term:数据墙@2', 'term:表征@7']);
  });

  it('is fast on a large note against thousands of terms', () => {
    const terms: string[] = [];
    const english: string[] = [];
    for (let i = 0; i < 5000; i++) {
      terms.push(`术语${i.toString(36)}号`);
      english.push(`term number ${i}`);
    }
    const big = new TermMatcher([...terms, '数据墙'], english);
    const paragraph = '在AI模型训练中，高质量训练数据变得稀缺，这就是数据墙。Term number 42 appears here and there. ';
    let text = '';
    while (text.length < 27_000) text += paragraph;
    // The best of a few runs: the machine running the tests may be busy with other work.
    let ms = Infinity;
    let matches = big.find(text);
    for (let run = 0; run < 5; run++) {
      const started = process.hrtime.bigint();
      matches = big.find(text);
      ms = Math.min(ms, Number(process.hrtime.bigint() - started) / 1e6);
    }
    const count = Math.ceil(27_000 / paragraph.length);
    assert.equal(matches.filter((x) => x.kind === 'term').length, count);
    assert.equal(matches.filter((x) => x.kind === 'english').length, count);
    assert.ok(ms < 100, `scan took ${ms} ms`);
  });
});

describe('glossary normalization', () => {
  it('folds English names to single spaces and lower case', () => {
    assert.equal(foldEnglish('  Data\u00a0 Wall '), 'data wall');
  });

  it('treats punctuation width, emphasis, spacing and a final full stop as the same text', () => {
    assert.equal(normalizeDefinition('指 AI 模型的**数据**瓶颈，无法扩展。'), normalizeDefinition('指AI模型的数据瓶颈,无法扩展'));
    assert.notEqual(normalizeDefinition('指数据瓶颈'), normalizeDefinition('指算力瓶颈'));
  });
});

describe('case folding table', () => {
  it('gives every BMP code unit its one-unit lower case, or itself, as lower-casing each one alone does', () => {
    const table = foldTable();
    const differing: string[] = [];
    let changed = 0;
    for (let c = 0; c < 65536; c++) {
      const lower = c >= 0xd800 && c <= 0xdfff ? '' : String.fromCharCode(c).toLowerCase();
      const expected = c === 9 || c === 0xa0 || c === 0x3000 ? 32 : lower.length === 1 ? lower.charCodeAt(0) : c;
      if (table[c] !== expected) differing.push(`U+${c.toString(16)}: ${table[c]} instead of ${expected}`);
      if (expected !== c) changed++;
    }
    assert.deepEqual(differing.slice(0, 10), []);
    // Latin, Greek, Cyrillic, fullwidth and more: over a thousand code units change.
    assert.ok(changed > 1000, `${changed}`);
    assert.equal(foldCode('A'.charCodeAt(0)), 'a'.charCodeAt(0));
    assert.equal(foldCode('Ａ'.charCodeAt(0)), 'ａ'.charCodeAt(0));
    assert.equal(foldCode('Ω'.charCodeAt(0)), 'ω'.charCodeAt(0));
    // İ lower-cases to two units (i and a combining dot): it stays as it is.
    assert.equal(foldCode(0x130), 0x130);
    assert.equal(foldCode('数'.charCodeAt(0)), '数'.charCodeAt(0));
  });
});
