/**
 * The conflict checks keep their results per definition list until the list changes, and a list keeps its
 * version when an edit leaves a note's block in it as it was. Here a long-lived index goes through random
 * edits of the glossary fixture notes (a definition reworded, removed, moved down a line or along it; a
 * keystroke outside any definition; the date changed), with the diagnostics of a random note checked after each
 * step against those of an index built afresh from the same texts.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { differ } from '../../../server/src/core/glossary/definitions';
import { glossaryDiagnostics } from '../../../server/src/core/glossary/diagnostics';
import { indexedDefinitionsOf, listVersion } from '../../../server/src/core/glossary/lexicon';
import { A, C, D, GlossaryVault, uriOf } from './vault';

const RUNS = Math.max(1, Number(process.env['NOTESENSE_FC_RUNS']) || 300);

const original = new GlossaryVault();
const NOTES = [...original.texts.keys()].map((uri) => decodeURIComponent(uri.slice('file:///vault/'.length)));

/** Versions of a note: each changes what, or where, it defines, or changes nothing a list holds. */
function variants(text: string): string[] {
  const def = /\*\*数据墙\*\*（Data wall: [^）]*）/;
  const second = (t: string) => t.replace(/又一次：\*\*数据墙\*\*（[^）]*）/, '又一次：**数据墙**（Data wall: 另一种说法）');
  return [
    text,
    text.replace(def, '**数据墙**（Data wall: 指数据不够用了）'),
    text.replace(def, '**数据墙**（Data wall: 指在AI模型训练中，高质量训练数据变得稀缺的瓶颈）'),
    text.replace(def, '**数据墙**（Data barrier: 指数据不够用了）'),
    text.replace(def, '数据墙'),
    text.replace(/\n---\n/, '\n---\n\n'),
    text + '\n新',
    text.replace(/date: .*/, 'date: 2023-01-01'),
    text.replace(/\n---\n/, '\n---\n新'),
    // A note's second definition of the term (D has one) worded differently from its first.
    second(text),
    // The same, with the first worded exactly as another note words it.
    second(text.replace(def, '**数据墙**（Data wall: 指在AI模型训练中，高质量训练数据变得稀缺的瓶颈）')),
  ];
}

const TEXTS = new Map(NOTES.map((n) => [n, variants(original.text(n))]));

const step = fc.record({ note: fc.constantFrom(...NOTES), variant: fc.nat({ max: 10 }), check: fc.constantFrom(...NOTES) });

describe(`glossary conflict results kept per definition list (${RUNS} runs)`, () => {
  it('equal a fresh index after any sequence of edits', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
      const vault = new GlossaryVault();
      const texts = new Map(NOTES.map((n) => [n, original.text(n)]));
      for (const s of steps) {
        const text = TEXTS.get(s.note)![s.variant]!;
        texts.set(s.note, text);
        vault.set(s.note, text);
        const fresh = new GlossaryVault(Object.fromEntries(texts));
        assert.deepEqual(glossaryDiagnostics(vault.ctx(s.check)), glossaryDiagnostics(fresh.ctx(s.check)), `${s.note} #${s.variant}, then ${s.check}`);
      }
    }), { numRuns: RUNS });
  });

  it('a keystroke outside the definitions keeps the list and its version; a reworded definition changes it', () => {
    const vault = new GlossaryVault();
    glossaryDiagnostics(vault.ctx(C));
    const list = indexedDefinitionsOf(vault.index, '数据墙');
    const version = listVersion(list);
    vault.set(D, TEXTS.get(D)![6]!);
    glossaryDiagnostics(vault.ctx(C));
    assert.equal(indexedDefinitionsOf(vault.index, '数据墙'), list);
    assert.equal(listVersion(list), version, 'a block that did not change was spliced again');
    vault.set(A, TEXTS.get(A)![1]!);
    const after = glossaryDiagnostics(vault.ctx(C)).find((p) => p.code === 'glossary-conflict' && p.range.start.line === 4)!;
    assert.ok(listVersion(indexedDefinitionsOf(vault.index, '数据墙')) !== version || indexedDefinitionsOf(vault.index, '数据墙') !== list);
    assert.ok(after.relatedInformation!.some((r) => r.uri === uriOf(A) && /指数据不够用了/.test(r.message)), JSON.stringify(after.relatedInformation));
  });
});

/**
 * The conflict of each note's first definition of a term, as the rule says it: the other notes (as the
 * index holds them) with a definition of the term that differs, and the first MAX_RELATED of those
 * definitions in the list's order.
 */
function expectedConflicts(vault: GlossaryVault, name: string, text: string): Array<{ term: string; notes: number; related: string[] }> {
  const ctx = vault.ctx(name, text);
  const out: Array<{ term: string; notes: number; related: string[] }> = [];
  const seen = new Set<string>();
  for (const d of ctx.note.body.definitions) {
    if (seen.has(d.term)) continue;
    seen.add(d.term);
    const others = indexedDefinitionsOf(vault.index, d.term).filter((o) => o.uri !== ctx.uri && differ(d, o));
    const notes = new Set(others.map((o) => o.uri)).size;
    if (notes > 0) out.push({ term: d.term, notes, related: others.slice(0, 10).map((o) => `${o.uri}@${o.termRange.start.line}`) });
  }
  return out;
}

describe(`glossary conflicts across a whole vault (${RUNS} runs)`, () => {
  it('equal the rule applied definition by definition, whatever note is checked first, its buffer, and how many definitions it repeats', () => {
    const wording = fc.constantFrom('（Data wall: 义一）', '（Data wall: 义一。）', '（Data wall: 义二）', '（Data barrier: 义一）', '（Data wall）', '（义三）', '（Compute: 义一）');
    const definition = fc.tuple(fc.constantFrom('数据墙', '算力'), wording).map(([term, w]) => `**${term}**${w}`);
    const note = fc.tuple(fc.constantFrom('2023-01-01', '2024-05-06', '2024-05-06', ''), fc.array(definition, { minLength: 0, maxLength: 6 }),
      fc.nat({ max: 50 }), wording)
      .map(([date, defs, repeats, w]) => `---\n${date ? `date: ${date}\n` : ''}---\n${defs.join('\n')}\n${Array.from({ length: repeats }, (_, i) => `第${i}次：**数据墙**${i % 2 ? w : '（Data wall: 又一种说法）'}`).join('\n')}\n`);
    fc.assert(fc.property(fc.array(note, { minLength: 2, maxLength: 14 }), fc.nat(), fc.option(note), (texts, pick, buffer) => {
      const notes = Object.fromEntries(texts.map((t, i) => [`n${String(i).padStart(2, '0')}.md`, t]));
      const vault = new GlossaryVault(notes);
      const names = Object.keys(notes);
      // The notes in a random order, one of them through an unsaved buffer that says something else.
      const order = [...names.slice(pick % names.length), ...names.slice(0, pick % names.length)];
      for (const name of order) {
        const text = name === order[0] && buffer !== null ? buffer : notes[name]!;
        const got = glossaryDiagnostics(vault.ctx(name, text)).filter((p) => p.code === 'glossary-conflict').map((p) => ({
          term: (p.data as { term: string }).term,
          notes: Number(/(\d+)/.exec(p.message)![1]),
          related: p.relatedInformation!.map((r) => `${r.uri}@${r.range.start.line}`),
        }));
        assert.deepEqual(got, expectedConflicts(vault, name, text), name);
      }
    }), { numRuns: RUNS });
  });
});
