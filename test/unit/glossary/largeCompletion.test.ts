import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { glossaryCompletion, MAX_GLOSSARY_ITEMS, prepareGlossaryCompletion } from '../../../server/src/core/glossary/completion';
import { resolveCompletion } from '../../../server/src/core/features/completion';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { noteDate } from '../../../server/src/core/index/entityKinds';
import { NoteSummary, summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { termPinyin } from '../../../server/src/core/glossary/pinyin';
import { termOrder } from '../../../server/src/core/glossary/termOrder';
import { escapeMarkdown } from '../../../server/src/core/markdown';
import { foldEnglish } from '../../../server/src/core/glossary/normalize';
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
    // 111 terms start with 词甲1, more than are shown.
    assert.ok(words.length === MAX_GLOSSARY_ITEMS && words.every((w) => w.startsWith('词甲1')), 'every shown term starts with what was typed');
  });

  it("keeps this note's own definition of a term first", () => {
    const list = at(index, '**数据墙**（Data barrier: 本地定义）\n\n正文**数|')!;
    assert.equal(list.items.find((i) => i.label === '数据墙')!.detail, 'Data barrier');
  });
});

/**
 * What the completion must offer, computed the plain way from every definition of the index: every term
 * of this note and every term another note defines; for a term of another note, the English name most
 * of the other notes' definitions give (ties: the first in code-unit order) and the first explanation
 * they give in the order a hover lists them (this note's own first); all of them in term order when they are few,
 * else scored against the typed text (its English-name class against any name the index gives the term)
 * and sorted, best first.
 */
function reference(index: WorkspaceIndex, uri: string, own: ReturnType<typeof parseNote>['note'], typed: string): Array<[string, string | undefined, string | undefined]> {
  const prefix = typed.toLowerCase();
  const mine = new Map<string, { english?: string; definition?: string }>();
  for (const d of own.body.definitions) {
    let e = mine.get(d.term);
    if (!e) mine.set(d.term, (e = {}));
    if (d.english && !e.english) e.english = d.english;
    if (d.definition && !e.definition) e.definition = d.definition;
  }
  const theirs = (term: string) => {
    const counts = new Map<string, number>();
    let definition: string | undefined;
    // The explanation a hover lists first: the oldest note's (undated last), then by uri and place.
    const dateOf = (u: string) => noteDate(u, index.get(u)?.date) ?? '\uffff';
    const ordered = index.definitionsOf(term).filter((d) => d.uri !== uri)
      .sort((a, b) => (dateOf(a.uri) < dateOf(b.uri) ? -1 : dateOf(a.uri) > dateOf(b.uri) ? 1 : 0) || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)
        || a.termRange.start.line - b.termRange.start.line || a.termRange.start.character - b.termRange.start.character);
    for (const d of ordered) {
      if (d.english) counts.set(d.english, (counts.get(d.english) ?? 0) + 1);
      if (d.definition && definition === undefined) definition = d.definition;
    }
    const english = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]?.[0];
    return { english, definition };
  };
  const info = (term: string) => {
    const m = mine.get(term);
    const t = theirs(term);
    return { english: m?.english || t.english, definition: m?.definition || t.definition };
  };
  const terms = new Set(mine.keys());
  for (const { term, notes } of index.terms()) if (notes.some((n) => n !== uri)) terms.add(term);
  let sorted = [...terms];
  if (sorted.length > MAX_GLOSSARY_ITEMS) {
    const match = (term: string) => {
      if (prefix === '' || term.startsWith(prefix)) return 3;
      const p = termPinyin(term);
      if (p.full.startsWith(prefix) || p.initials.startsWith(prefix)) return 2;
      const names = index.definitionsOf(term).map((d) => d.english).concat(mine.get(term)?.english);
      if (foldEnglish(typed) && names.some((n) => n && foldEnglish(n).startsWith(foldEnglish(typed)))) return 1;
      return term.includes(prefix) ? 1 : 0;
    };
    sorted = sorted.map((term) => ({ term, m: match(term) })).filter((x) => x.m > 0)
      .sort((a, b) => b.m - a.m || termOrder.compare(a.term, b.term)).slice(0, MAX_GLOSSARY_ITEMS).map((x) => x.term);
  } else sorted.sort(termOrder.compare);
  return sorted.map((term) => [term, info(term).english, info(term).definition]);
}

describe('glossary completion against the plain computation', () => {
  // Terms that share prefixes, pinyin and English names, in Han characters, Latin letters and both.
  const han = '数据墙表征学习规模定律算力代理';
  const termArb = fc.oneof(
    fc.array(fc.constantFrom(...han), { minLength: 1, maxLength: 4 }).map((c) => c.join('')),
    fc.array(fc.constantFrom('a', 'b', 'S', 'd'), { minLength: 2, maxLength: 4 }).map((c) => c.join('')),
  );
  const defArb = fc.record({ term: termArb, english: fc.option(fc.constantFrom('Data wall', 'Scaling', 'shadow', 'Bias')), text: fc.constantFrom('', '定义一', '定义二') });
  const definition = (d: { term: string; english: string | null; text: string }) => `**${d.term}**（${d.english ? `${d.english}: ` : ''}${d.text || '说明'}）`;

  it('offers the same items, in the same order, with the same details, few terms or many', () => {
    fc.assert(
      fc.property(fc.array(fc.array(defArb, { maxLength: 8 }), { maxLength: 8 }), fc.array(defArb, { maxLength: 4 }), fc.option(fc.array(defArb, { maxLength: 4 })),
        fc.boolean(), fc.boolean(), fc.constantFrom('', '数', '数据', 'shu', 'sj', 'd', 'D', 'a', 'sc', 'x'), (notes, mine, indexed, many, sliced, prefix) => {
          const index = many ? largeVault() : new WorkspaceIndex();
          // Dated out of their order in the index (and one undated), so that the order explanations are
          // picked in is the hover's, not the index's.
          notes.forEach((defs, n) => index.set(summarize(`file:///r/${n}.md`,
            parseNote(`---\ntitle: 笔记\n${n % 4 === 3 ? '' : `date: 2024-0${((n * 5) % 9) + 1}-01\n`}---\n${defs.map(definition).join('\n\n')}\n`).note)));
          // The index's copy of this note, as it was some keystrokes ago: its terms and names are not the vault's.
          if (indexed) index.set(summarize('file:///v/new.md', parseNote(`---\ntitle: 新\n---\n${indexed.map(definition).join('\n\n')}\n`).note));
          // A host may have made the arrays in slices before the request.
          if (sliced) while (!prepareGlossaryCompletion(index, () => true));
          const marked = `${mine.map(definition).join('\n\n')}\n\n正文**${prefix}|`;
          const { text } = caret(marked);
          const list = at(index, marked);
          const expected = reference(index, 'file:///v/new.md', parseNote(text).note, prefix);
          // Another note's explanation comes at `completionItem/resolve`, as for the item the editor shows.
          const shown = list?.items.map((i) => resolveCompletion(index, i)) ?? [];
          assert.deepEqual(shown.map((i) => [i.label, i.detail, (i.documentation as { value: string } | undefined)?.value]),
            expected.map(([term, english, text]) => [term, english, text === undefined ? undefined : escapeMarkdown(text)]));
        }),
      { numRuns: 100 },
    );
  });

  it('is made in slices ahead of the first request, and kept for the vocabulary it was made for', () => {
    const index = largeVault();
    let slices = 0;
    while (!prepareGlossaryCompletion(index, () => true)) slices++;
    assert.ok(slices > 1, `made in ${slices + 1} slices`);
    assert.equal(prepareGlossaryCompletion(index, () => true), true, 'kept');
    index.set(summarize('file:///v/extra.md', parseNote('---\ntitle: 补\n---\n**词甲0a**（Extra: 新词）\n').note));
    assert.equal(prepareGlossaryCompletion(index, () => true), true, 'a grown vocabulary takes the kept order with its new term');
    assert.deepEqual(at(index, '正文**extra|')!.items.map((i) => i.label), ['词甲0a']);
    // Hundreds of known terms with a new English name: made again, in slices, rather than looked up one by one.
    const aliases = Array.from({ length: 300 }, (_, k) => `**词甲${k}**（Alias ${k}: 别名）`).join('\n\n');
    index.set(summarize('file:///v/aliases.md', parseNote(`---\ntitle: 别名\n---\n${aliases}\n`).note));
    slices = 0;
    while (!prepareGlossaryCompletion(index, () => true)) slices++;
    assert.ok(slices > 1, `made again in ${slices + 1} slices`);
    assert.deepEqual(at(index, '正文**alias 12|')!.items.map((i) => i.label), ['词甲12', ...Array.from({ length: 10 }, (_, k) => `词甲12${k}`)]);
  });

  it("finds a known term by an English name another note gives it later", () => {
    const index = largeVault();
    assert.deepEqual(at(index, '正文**bar|')!.items.map((i) => i.label), []);
    index.set(summarize('file:///v/barrier.md', parseNote('---\ntitle: 墙\n---\n**数据墙**（Data barrier: 另一种说法）\n\n**数据墙**（Barrier: 再一种）\n').note));
    const list = at(index, '正文**bar|')!;
    assert.deepEqual(list.items.map((i) => [i.label, i.detail]), [['数据墙', 'Barrier']], 'shown with the name most other definitions give, the first on a tie');
    assert.deepEqual(at(index, '正文**data b|')!.items.map((i) => i.label), ['数据墙']);
    index.delete('file:///v/barrier.md');
    assert.deepEqual(at(index, '正文**bar|')!.items.map((i) => i.label), []);
  });

  it('keeps its order as the vocabulary grows and as a note is typed in', () => {
    const index = largeVault();
    const first = at(index, '正文**词|')!.items.map((i) => i.label);
    index.set(summarize('file:///v/extra.md', parseNote('---\ntitle: 补\n---\n**词甲0a**（Extra: 新词）\n').note));
    const grown = at(index, '正文**词|')!.items.map((i) => i.label);
    assert.deepEqual(grown, [...first.slice(0, 1), '词甲0a', ...first.slice(1)].slice(0, MAX_GLOSSARY_ITEMS));
    assert.deepEqual(grown, reference(index, 'file:///v/new.md', parseNote('正文**词').note, '词').map(([t]) => t));
  });
});

describe('glossary completion as notes change', () => {
  it('leaves out what only the index copy of this note defines, as this note is typed in, and takes in what another note defines', () => {
    const index = largeVault();
    const typed = (version: string) => index.set(summarize('file:///v/new.md', parseNote(version).note));
    const labels = (marked: string) => at(index, marked)!.items.map((i) => i.label);
    typed('---\ntitle: 新\n---\n**独有词**（Only here: 只在这里）\n');
    assert.deepEqual(labels('正文**独|'), [], 'the index copy of this note is not the vault');
    typed('---\ntitle: 新\n---\n**独有词**（Only here: 只在这里）\n\n正文\n');
    assert.deepEqual(labels('正文**独|'), []);
    index.set(summarize('file:///v/other.md', parseNote('---\ntitle: 他\n---\n**独有词**（Elsewhere: 别处）\n').note));
    const list = at(index, '正文**独|')!;
    assert.deepEqual(list.items.map((i) => [i.label, i.detail]), [['独有词', 'Elsewhere']]);
    index.delete('file:///v/other.md');
    assert.deepEqual(labels('正文**独|'), []);
  });
});

describe('glossary completion after the vocabulary grows by a whole vault at once', () => {
  it('makes its arrays again, as a restored cache at 50,000 notes needs (223,000 new terms in one step)', () => {
    const index = new WorkspaceIndex();
    index.set(summarize('file:///v/a.md', parseNote('**数据墙**（Data wall: 训练数据耗尽）\n').note));
    assert.equal(prepareGlossaryCompletion(index, () => false), true);
    // One summary of 200,000 definitions, made directly: more new terms than a spread into `push` can pass.
    const count = 200_000;
    const terms = Array.from({ length: count }, (_, i) => `term${String(i).padStart(6, '0')}`);
    index.set(new NoteSummary({
      uri: 'file:///v/b.md', title: undefined, date: undefined, fields: [],
      entities: { keys: [], values: [], styles: new Uint8Array(0), ranges: new Uint16Array(0) },
      definitions: { terms, english: terms.map(() => null), texts: terms.map(() => '定义'), ranges: new Uint32Array(count * 8) },
      bolds: { keys: new Uint32Array(0) },
    }));
    let slices = 0;
    let calls = 0;
    while (!prepareGlossaryCompletion(index, () => ++calls % 100 === 0)) slices++;
    assert.ok(slices > 0, 'made in more than one slice');
    const labels = at(index, '正文**term19999|')!.items.map((i) => i.label);
    assert.deepEqual(labels.slice(0, 2), ['term199990', 'term199991']);
    assert.equal(labels.length, 10);
    assert.deepEqual(at(index, '正文**数据|')!.items.map((i) => i.label), ['数据墙']);
  });
});
