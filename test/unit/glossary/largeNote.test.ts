/**
 * A glossary note of thousands of definitions (a user's whole glossary in one file), and the searches
 * that must stay proportional to it: each of its terms' definitions found through a map, each English
 * name's claimants found once, workspace symbols read from the kept term order.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { WorkspaceSymbol } from 'vscode-languageserver-types';
import { problemsOf } from '../../../server/src/core/features/diagnostics';
import { workspaceSymbols } from '../../../server/src/core/features/symbols';
import { definitionsOf, fileName, sortDefinitions } from '../../../server/src/core/glossary/definitions';
import { foldCode } from '../../../server/src/core/glossary/matcher';
import { termPinyin } from '../../../server/src/core/glossary/pinyin';
import { glossaryWorkspaceSymbols, symbolName } from '../../../server/src/core/glossary/symbols';
import { termOrder } from '../../../server/src/core/glossary/termOrder';
import { isSubsequence } from '../../../server/src/core/subsequence';
import { termPositions } from '../../../server/src/core/index/summary';
import { textAt } from '../../support/caret';
import { GlossaryVault, uriOf } from './vault';

const pad = (i: number) => String(i).padStart(4, '0');

describe('a glossary note of thousands of definitions that share one English name', () => {
  const count = 3000;
  const big = '---\ntitle: 大词表\n---\n' + Array.from({ length: count }, (_, i) => `**术${pad(i)}**（Same: 定义${i}）`).join('\n') + '\n';
  const vault = new GlossaryVault({ 'big.md': big, 'other.md': '---\ntitle: 其他\n---\n**数据墙**（Same: 训练数据耗尽）\n' });

  // A guard against a hang, not a measure: compared definition by definition, 2,000 of them took 74 s.
  it('names ten of the other terms that claim it and counts the rest, on every definition', { timeout: 120_000 }, () => {
    const clashes = problemsOf(vault.ctx('big.md')).filter((p) => p.code === 'glossary-english-clash');
    assert.equal(clashes.length, count);
    const first = clashes[0]!;
    // 数 (U+6570) sorts before 术 (U+672F): the other note's term first, then the note's own but this one.
    assert.equal(first.message, 'The English name "Same" is also given to: 数据墙, 术0001, 术0002, 术0003, 术0004, 术0005, 术0006, 术0007, 术0008, 术0009 and 2990 more.');
    assert.equal(first.relatedInformation!.length, 10);
    assert.equal(first.relatedInformation![0]!.uri, uriOf('other.md'));
    assert.equal(first.relatedInformation![1]!.uri, uriOf('big.md'));
    assert.equal(textAt(big, first.range), 'Same');
    assert.deepEqual(first.range, { start: { line: 3, character: 10 }, end: { line: 3, character: 14 } });
    const last = clashes[count - 1]!;
    assert.match(last.message, /given to: 数据墙, 术0000, 术0001, .*, 术0008 and 2990 more\.$/);
    assert.deepEqual(last.range, { start: { line: count + 2, character: 10 }, end: { line: count + 2, character: 14 } });
    assert.equal(textAt(big, last.range), 'Same');
  });

  it('keeps the short message when the others are few', () => {
    const small = new GlossaryVault({ 'a.md': '**甲**（Same: 一）\n**乙**（Same: 二）\n' });
    const clashes = problemsOf(small.ctx('a.md')).filter((p) => p.code === 'glossary-english-clash');
    assert.deepEqual(clashes.map((c) => c.message), ['The English name "Same" is also given to: 乙.', 'The English name "Same" is also given to: 甲.']);
  });
});

describe("a note's own definitions of a term", () => {
  it('are found in the note’s order, whether the note is searched or mapped', () => {
    for (const count of [39, 900]) {
      // Each term three times, far apart.
      const text = Array.from({ length: count }, (_, i) => `**词${i % (count / 3)}**（Name ${i}: 第${i}个）`).join('\n') + '\n';
      const vault = new GlossaryVault({ 'n.md': text });
      const ctx = vault.ctx('n.md');
      for (const term of ['词0', `词${count / 3 - 1}`]) {
        const got = definitionsOf(vault.index, term, { uri: ctx.uri, note: ctx.note }).map((d) => [d.uri, d.definition]);
        const want = ctx.note.body.definitions.filter((d) => d.term === term).map((d) => [ctx.uri, d.definition]);
        assert.deepEqual(got, want, `${count}: ${term}`);
        assert.equal(got.length, 3);
      }
      assert.deepEqual(definitionsOf(vault.index, '词无', { uri: ctx.uri, note: ctx.note }), []);
    }
  });

  it('are where `termPositions` says, in lists short and long', () => {
    const list = fc.array(fc.constantFrom('甲', '乙', '丙', 'a', 'A', '😀'), { maxLength: 700, size: 'max' });
    fc.assert(fc.property(list, fc.constantFrom('甲', '乙', '丙', 'a', 'A', '😀', '丁'), (terms, term) => {
      const want = terms.flatMap((t, i) => (t === term ? [i] : []));
      assert.deepEqual([...termPositions(terms, term)], want);
      // Asked again (a long list's map is kept).
      assert.deepEqual([...termPositions(terms, term)], want);
    }), { numRuns: 200 });
  });
});

/**
 * What workspace symbols must give, the plain way: every term of the index whose text, any English name
 * or pinyin holds the query's characters in order (case-folded, spaces left out), in glossary order,
 * each term's definitions in display order, up to the limit.
 */
function reference(vault: GlossaryVault, query: string, limit: number): WorkspaceSymbol[] {
  const fold = (s: string) => Array.from(s, (ch) => (ch.length === 1 ? String.fromCharCode(foldCode(ch.charCodeAt(0))) : ch)).join('');
  const q = fold(query.replace(/\s+/g, ''));
  const has = (s: string) => {
    let i = 0;
    const chars = Array.from(q);
    if (chars.length === 0) return true;
    for (const ch of Array.from(fold(s))) if (ch === chars[i] && ++i === chars.length) return true;
    return false;
  };
  const terms = [...vault.index.terms()].map((t) => t.term).sort(termOrder.compare);
  const out: WorkspaceSymbol[] = [];
  for (const term of terms) {
    const defs = vault.index.definitionsOf(term);
    const p = termPinyin(term);
    const match = has(term) || defs.some((d) => d.english !== undefined && has(d.english)) || (/^[a-z0-9]+$/.test(q) && (has(p.full) || has(p.initials)));
    if (!match) continue;
    for (const d of sortDefinitions(vault.index, defs)) {
      if (out.length >= limit) return out;
      out.push({ name: symbolName(term, d.english), kind: 20, location: { uri: d.uri, range: d.termRange }, containerName: vault.index.get(d.uri)?.title ?? fileName(d.uri) });
    }
  }
  return out;
}

describe('workspace symbols of the glossary', () => {
  const syllables = ['数', '据', '墙', '表', '征', '解', '缚', 'A', 'b', 'Ｃ', '😀'];
  const names = ['Data wall', 'DATA', 'ｄａｔａ', 'Representation', 'Unhobbling', '😀 Smile'];
  const note = fc.array(fc.record({ term: fc.array(fc.constantFrom(...syllables), { minLength: 1, maxLength: 4 }).map((a) => a.join('')), english: fc.option(fc.constantFrom(...names), { nil: undefined }) }), { minLength: 1, maxLength: 8 });

  it('gives what a plain search of every definition gives, in the same order, up to the limit', () => {
    fc.assert(fc.property(fc.array(note, { minLength: 1, maxLength: 6 }), fc.constantFrom('', 'd', 'DA', 'ｄ', 'sj', 'shuju', 'q', '墙', '数墙', 'data wall', 'b', '😀', 'zz'), fc.integer({ min: 1, max: 30 }), (notes, query, limit) => {
      const texts = Object.fromEntries(notes.map((defs, n) => [`n${n}.md`, `---\ntitle: 笔记${n}\n---\n` + defs.map((d) => `**${d.term}**（${d.english ? `${d.english}: ` : ''}解释${n}）`).join('\n') + '\n']));
      const vault = new GlossaryVault(texts);
      assert.deepEqual(glossaryWorkspaceSymbols(vault.index, query, limit), reference(vault, query, limit));
    }), { numRuns: 150 });
  });

  it('finds an English name whatever its case, and stops at the limit', () => {
    const vault = new GlossaryVault({ 'a.md': '**数据墙**（Data Wall: 一）\n**表征**（REP: 二）\n**解缚**（Unhobbling: 三）\n' });
    const names = (q: string, limit = 10) => workspaceSymbols(vault.index, q, limit).filter((s) => s.kind === 20).map((s) => s.name);
    assert.deepEqual(names('datawall'), ['数据墙 — Data Wall']);
    assert.deepEqual(names('DATA WALL'), ['数据墙 — Data Wall']);
    assert.deepEqual(names('rep'), ['表征 — REP']);
    assert.deepEqual(names('Rep'), ['表征 — REP']);
    assert.deepEqual(names('', 2), ['表征 — REP', '解缚 — Unhobbling']);
  });

  it('matches a character outside the BMP only as a whole', () => {
    assert.equal(isSubsequence('😀', 'a😀b'), true);
    // U+1F600 and U+1F641 share their high surrogate.
    assert.equal(isSubsequence('😀', '🙁'), false);
    assert.equal(isSubsequence('ab', 'a\u0000b', foldCode), false);
    assert.equal(isSubsequence('ab', '\u0000a\u0000ab', foldCode), true);
    assert.equal(isSubsequence('ab', 'AB', foldCode), true);
  });
});
