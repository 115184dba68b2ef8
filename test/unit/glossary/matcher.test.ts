import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { foldCode, foldTable, isWordChar, TermMatcher } from '../../../server/src/core/glossary/matcher';
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

/**
 * What the matcher must find, by the rules in matcher.ts and without a trie: at each position where a
 * pattern may start, the longest text that is a term (exactly) or an English name (folded per code unit),
 * with a word boundary at a Latin edge; a term takes its folded place from the one added before it.
 */
function naiveFind(terms: string[], english: string[], text: string): string[] {
  const fold = (s: string) => Array.from({ length: s.length }, (_, i) => String.fromCharCode(foldCode(s.charCodeAt(i)))).join('');
  const termOf = new Map<string, string>();
  for (const t of terms) if (t.length > 0) termOf.set(fold(t), t);
  const englishOf = new Map<string, string>();
  for (const e of english) if (e.length > 1 && !englishOf.has(fold(e))) englishOf.set(fold(e), e);
  const word = (i: number) => i >= 0 && i < text.length && isWordChar(text.charCodeAt(i));
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let match: string | undefined;
    let end = i;
    if (!(word(i) && word(i - 1))) {
      for (let to = text.length; to > i && match === undefined; to--) {
        if (word(to - 1) && word(to)) continue;
        const f = fold(text.slice(i, to));
        const term = termOf.get(f);
        if (term !== undefined && text.startsWith(term, i)) match = `term:${text.slice(i, to)}@${i}`;
        else if (englishOf.has(f)) match = `english:${text.slice(i, to)}@${i}`;
        end = to;
      }
    }
    if (match !== undefined) {
      out.push(match);
      i = end;
    } else i++;
  }
  return out;
}

describe('term matcher against a reference without a trie', () => {
  const unit = fc.constantFrom('数', '据', '墙', '表', '征', 'a', 'B', 'b', '1', ' ', '，', '😀');
  const pattern = fc.array(unit, { minLength: 1, maxLength: 5 }).map((u) => u.join(''));

  it('finds the same mentions for any patterns and text', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 40 }), fc.array(pattern, { maxLength: 20 }), fc.array(unit, { maxLength: 60 }), (terms, english, units) => {
        const text = units.join('');
        const m = new TermMatcher(terms, english);
        assert.deepEqual(found(m, text), naiveFind(terms, english, text));
      }),
      { numRuns: 400 },
    );
  });

  it('finds the same mentions after patterns are added to a built matcher', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 20 }), fc.array(pattern, { maxLength: 20 }), fc.array(unit, { maxLength: 60 }), (before, after, units) => {
        const text = units.join('');
        const m = new TermMatcher(before, []);
        for (const p of after) {
          m.addTerm(p);
          m.addEnglish(p);
        }
        assert.deepEqual(found(m, text), naiveFind([...before, ...after], after, text));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every pattern of a large, branching vocabulary (the trie and its table of children grow)', () => {
    // 6,000 terms over 80 characters: the root and its children branch widely.
    const alphabet = Array.from({ length: 80 }, (_, i) => String.fromCharCode(0x4e00 + i * 37));
    const terms = new Set<string>();
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % alphabet.length;
    while (terms.size < 6000) terms.add(Array.from({ length: 2 + (next() % 3) }, () => alphabet[next()]!).join(''));
    const m = new TermMatcher(terms, []);
    assert.equal(m.size, 6000);
    for (const t of terms) assert.deepEqual(found(m, `，${t}。`), [`term:${t}@1`], t);
  });
});

describe('term matcher growth', () => {
  it('grows in small steps: a step moves one part of the table of children, never the whole trie', () => {
    // 120,000 terms over 300 characters: ~400,000 nodes, most of them branching into the table.
    const alphabet = Array.from({ length: 300 }, (_, i) => String.fromCharCode(0x4e00 + i * 13));
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % alphabet.length;
    const terms = new Set<string>();
    while (terms.size < 120_000) terms.add(Array.from({ length: 2 + (next() % 4) }, () => alphabet[next()]!).join(''));
    const m = new TermMatcher([], []);
    for (const t of terms) m.addTerm(t);
    const { largestMove, tableChildren } = m.growth;
    assert.ok(tableChildren > 100_000, `${tableChildren} children in the table`);
    // One part is ~1/64 of the table; a whole-table move would be tableChildren / 2 at least.
    assert.ok(largestMove > 0 && largestMove * 32 < tableChildren, `largest move ${largestMove} of ${tableChildren}`);
    assert.equal(m.size, terms.size);
    // The first and the last term added are found, and so is one in the middle.
    const list = [...terms];
    for (const t of [list[0]!, list[60_000]!, list.at(-1)!]) assert.deepEqual(found(m, `，${t}。`), [`term:${t}@1`], t);
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
