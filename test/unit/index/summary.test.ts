import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hash32, NoteSummary, packRanges, SharedFields, summarize, summarizeOpen, summaryData, type SummaryField } from '../../../server/src/core/index/summary';
import { StringTable, WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { CACHE_FORMAT, CacheFile, encodeCacheFile } from '../../../server/src/host/indexCache';
import { parseNote, reparseNote } from '../../../server/src/core/parse/note';
import { rangeOf } from '../../support/caret';
import { fixturesDir } from '../../support/paths';

const fixture = (name: string) => readFileSync(path.join(fixturesDir, 'vault', name), 'utf8');

describe('packed note summaries', () => {
  it('keys every bold text by its hash32, for any text (Chinese, emoji, lone surrogates, one character)', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
      fc.constantFrom('数据墙', '😀', '\ud800', 'a', '拉夫连季·贝利亚（Lavrentiy Beria）'));
    let checked = 0;
    fc.assert(fc.property(text, (t) => {
      const { note } = parseNote(`前**${t}**后\n`);
      // Only texts that the parser reads back as one bold span of exactly that text.
      if (note.body.bolds.length !== 1 || note.body.bolds[0]!.text !== t) return;
      checked++;
      const { keys } = summaryData('file:///n.md', note).bolds;
      assert.deepEqual([...keys], [hash32(t)]);
    }), { numRuns: 500, seed: 3 });
    assert.ok(checked > 250, `${checked} texts checked`);
  });

  for (const name of ['alpha.md', 'delta-crlf.md', 'epsilon-bom.md', 'zeta-flow.md']) {
    it(`${name}: every item and range equals the parsed model's`, () => {
      const { note } = parseNote(fixture(name));
      const s = summarize('file:///n.md', note);
      assert.ok(note.body.bolds.length > 0 || note.entities.length > 0, 'the fixture has something to pack');
      const texts = new Set(note.body.bolds.map((b) => b.text));
      for (const text of texts) assert.ok(s.hasBold(text), text);
      const { keys } = s.data.bolds;
      assert.deepEqual([...keys], [...new Set([...texts].map(hash32))].sort((x, y) => x - y), 'one key per distinct bold text, in increasing order');
      assert.ok(!s.hasBold('不在此笔记中的粗体') && !s.hasBold(''));
      assert.deepEqual(s.entities.map((e) => [e.key, e.value, e.range]), note.entities.map((e) => [e.key, e.value, e.loc.range]));
      assert.deepEqual([...s.definitions], note.body.definitions.map((d) => ({ term: d.term, english: d.english, definition: d.definition, range: d.loc.range, termRange: d.termLoc.range })));
    });
  }

  it('keeps one key for a bold text repeated in the note', () => {
    const text = '---\ntitle: 重复\n---\n**数据墙**与**解缚**；再谈**数据墙**、**解缚**和**数据墙**（Data wall）。\n\n**😀**\r\n**数据墙**\n';
    const { note } = parseNote(text);
    const s = summarize('file:///r.md', note);
    const { keys } = s.data.bolds;
    assert.equal(note.body.bolds.length, 7);
    assert.deepEqual([...keys], [hash32('数据墙'), hash32('解缚'), hash32('😀')].sort((x, y) => x - y), 'three distinct texts, in increasing order');
    for (const t of ['数据墙', '解缚', '😀']) assert.ok(s.hasBold(t), t);
    assert.ok(!s.hasBold('重复') && !s.hasBold('Data wall'));
  });

  it('survives structured clone (the worker thread) and keeps the first and last character of each range', () => {
    const text = '---\ntitle: 测试😀\npeople:\n  - "张三"\n  - 李四\n---\n前文😀**数据墙**（Data wall: 指训练数据耗尽）与**解缚**。\r\n';
    const { note } = parseNote(text);
    const back = new NoteSummary(structuredClone(summaryData('file:///x.md', note)));
    assert.ok(back.hasBold('数据墙') && back.hasBold('解缚'));
    assert.ok(!back.hasBold('数据') && !back.hasBold('数据墙（') && !back.hasBold(''));
    const d = back.definitions.at(0);
    assert.deepEqual(d.termRange, rangeOf(text, '数据墙'));
    assert.deepEqual(back.entities.at(0).range, rangeOf(text, '张三'));
    assert.deepEqual(back.entities.at(1).range, rangeOf(text, '李四'));
    assert.deepEqual(back.entities.at(0).style, { quote: '"', flow: false });
    assert.deepEqual(JSON.parse(JSON.stringify(back)), JSON.parse(JSON.stringify(summarize('file:///x.md', note))));
  });

  it('keeps the typed arrays of a note in one buffer, as one buffer after a structured clone, with their contents', () => {
    const text = '---\ntitle: 测试\npeople: [张三, "李四"]\n---\n**数据墙**（Data wall: 指训练数据耗尽）与**解缚**、**数据墙**。\n';
    const { note } = parseNote(text);
    const data = summaryData('file:///x.md', note);
    const typed = (d: typeof data) => [d.bolds.keys, d.definitions.ranges, d.entities.ranges, d.entities.styles];
    assert.equal(new Set(typed(data).map((a) => a.buffer)).size, 1);
    // No two overlap: each starts after the one before it ends.
    const spans = typed(data).map((a) => [a.byteOffset, a.byteOffset + a.byteLength] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], JSON.stringify(spans));
    const back = structuredClone(data);
    assert.equal(new Set(typed(back).map((a) => a.buffer)).size, 1);
    assert.deepEqual(typed(back).map((a) => [...a]), typed(data).map((a) => [...a]));
    assert.deepEqual([...data.entities.styles], [0 + 3, 1 + 3]);
    assert.ok(new NoteSummary(back).hasBold('数据墙') && new NoteSummary(back).hasBold('解缚'));
    assert.deepEqual(new NoteSummary(back).definitions.termRange(0), rangeOf(text, '数据墙', 0));
    assert.deepEqual(new NoteSummary(back).entities.at(1).range, rangeOf(text, '李四'));
  });

  it('shares the front-matter arrays between versions of an open note, and keeps the body arrays in one buffer of their own', () => {
    const text = '---\ntitle: 测试\npeople: [张三]\n---\n**数据墙**（Data wall: 指训练数据耗尽）。\n';
    const first = parseNote(text).note;
    const a = summarizeOpen('file:///x.md', first);
    const b = summarizeOpen('file:///x.md', { ...first, body: parseNote(text + '**解缚**\n').note.body });
    assert.equal(a.data.entities.ranges, b.data.entities.ranges);
    assert.notEqual(b.data.bolds.keys.buffer, b.data.entities.ranges.buffer);
    assert.equal(b.data.bolds.keys.buffer, b.data.definitions.ranges.buffer);
    assert.ok(b.hasBold('解缚') && !a.hasBold('解缚'));
  });

  it('packs 16 bits a number when it can, and 32 bits when a line or character needs more', () => {
    const small = packRanges(1, () => ({ start: { line: 1, character: 2 }, end: { line: 1, character: 0xffff } }));
    assert.ok(small instanceof Uint16Array);
    const r = { start: { line: 0, character: 70_000 }, end: { line: 0, character: 70_004 } };
    const big = packRanges(1, () => r);
    assert.ok(big instanceof Uint32Array);
    assert.deepEqual([...big], [0, 70_000, 0, 70_004]);
    const text = `---\ntitle: 长\npeople: [张三]\n---\n${'字'.repeat(70_000)}**术语**（Term: 定义）\n`;
    const s = summarize('file:///long.md', parseNote(text).note);
    assert.ok(s.definitions.data.ranges instanceof Uint32Array);
    assert.ok(s.hasBold('术语'));
    assert.deepEqual(s.definitions.termRange(0), rangeOf(text, '术语'));
    assert.deepEqual(s.entities.range(0), rangeOf(text, '张三'));
  });

  it('the index keeps one copy of each string and lets go of strings no note holds any more', () => {
    const index = new WorkspaceIndex();
    const a = '---\npeople:\n  - 张三\n---\n**数据墙**（Data wall: 定义）\n';
    const b = '---\npeople:\n  - 张三\n  - 李四\n---\n**数据墙**和**新词**\n';
    const clone = (uri: string, text: string) => new NoteSummary(structuredClone(summaryData(uri, parseNote(text).note)));
    index.set(clone('file:///a.md', a));
    const alone = index.distinctStrings;
    index.set(clone('file:///b.md', b));
    assert.equal(index.distinctStrings, alone + 1, 'only 李四 is new');
    // (Which copy a summary holds cannot be seen from JavaScript: equal strings are equal to `Object.is`.
    // The counts above and below are what shows one copy is kept.)
    // Typing in b: each version's new value replaces the last one.
    for (let i = 0; i < 20; i++) index.set(clone('file:///b.md', b.replace('李四', `李四${i}`)));
    assert.equal(index.distinctStrings, alone + 1);
    assert.deepEqual(index.notesWithBold('数据墙').sort(), ['file:///a.md', 'file:///b.md']);
    assert.deepEqual(index.notesWithBold('新词'), ['file:///b.md']);
    assert.deepEqual(index.notesWithBold('张三'), []);
    index.delete('file:///a.md');
    index.delete('file:///b.md');
    assert.equal(index.distinctStrings, 0);
  });

  it('typing in a body (the front matter unchanged) keeps the string counts right: carried, replaced and shifted', () => {
    const index = new WorkspaceIndex();
    const other = '---\npeople:\n  - 张三\n---\n**数据墙**（Data wall: 定义）\n';
    const note = (body: string) => `---\npeople:\n  - 张三\n---\n${body}`;
    const clone = (uri: string, text: string) => new NoteSummary(structuredClone(summaryData(uri, parseNote(text).note)));
    index.set(clone('file:///other.md', other));
    const base = index.distinctStrings;
    const first = '**甲**（Alpha: 一）\n**数据墙**（Data wall: 定义）\n';
    index.set(clone('file:///b.md', note(first)));
    const withB = index.distinctStrings;
    // Each keystroke rewords the first definition (a text and a name no other note has).
    for (let i = 0; i < 12; i++) index.set(clone('file:///b.md', note(`**甲**（Alpha${i}: 一${i}）\n**数据墙**（Data wall: 定义）\n`)));
    assert.equal(index.distinctStrings, withB);
    // A definition added above the others shifts them all; then removed again.
    index.set(clone('file:///b.md', note(`**乙**（Beta: 二）\n${first}`)));
    assert.equal(index.distinctStrings, withB + 3, 'the new term, text and name');
    index.set(clone('file:///b.md', note(first)));
    assert.equal(index.distinctStrings, withB);
    index.delete('file:///b.md');
    assert.equal(index.distinctStrings, base);
    index.delete('file:///other.md');
    assert.equal(index.distinctStrings, 0);
  });

  it('an open note\'s versions share their front-matter part while it is unchanged, and equal a plain summary', () => {
    const uri = 'file:///open.md';
    const v1 = '---\ntitle: 打开的笔记\npeople:\n  - 张三\n  - "李四"\ntags: [a, b]\n---\n**术语**（Term: 定义）\n';
    const edits = [v1 + '新的一行\n', v1.replace('定义', '新定义'), v1.replace('张三', '王五'), v1.replace('title: 打开的笔记', 'title: 改名')];
    const index = new WorkspaceIndex();
    let parse = reparseNote(v1);
    let previous = summarizeOpen(uri, parse.result.note);
    index.set(previous);
    for (const text of edits) {
      parse = reparseNote(text, {}, parse);
      const open = summarizeOpen(uri, parse.result.note);
      assert.deepEqual(JSON.parse(JSON.stringify(open)), JSON.parse(JSON.stringify(summarize(uri, parseNote(text).note))), text);
      const kept = text.startsWith(v1.slice(0, v1.indexOf('**')));
      assert.equal(open.data.entities === previous.data.entities, kept, kept ? 'the front-matter part was built again' : 'a changed front matter shared the old part');
      index.set(open);
      previous = open;
    }
    const fresh = new WorkspaceIndex();
    fresh.set(summarize(uri, parseNote(edits[edits.length - 1]!).note));
    assert.deepEqual(index.snapshot(), fresh.snapshot());
  });

  it('a new version of a note keeps the entries of the entities it still lists, and drops the others', () => {
    const index = new WorkspaceIndex();
    const v1 = '---\npeople:\n  - 张三\n  - 李四\n---\n正文\n';
    const v2 = '---\npeople:\n  - 张三\n  - 王五\n---\n正文。\n';
    index.set(summarize('file:///a.md', parseNote(v1).note));
    const zhang = index.entity('people', '张三');
    assert.ok(zhang && index.entity('people', '李四'));
    index.set(summarize('file:///a.md', parseNote(v2).note));
    assert.ok(Object.is(index.entity('people', '张三'), zhang), 'the same entry, not a new one');
    assert.equal(index.entity('people', '李四'), undefined);
    assert.deepEqual(index.placesOf(index.entity('people', '王五')!, 'file:///a.md').map((p) => p.range), [rangeOf(v2, '王五')]);
    assert.deepEqual(index.placesOf(zhang!, 'file:///a.md').map((p) => p.range), [rangeOf(v2, '张三')]);
    index.delete('file:///a.md');
    assert.equal(index.entity('people', '张三'), undefined);
    assert.equal(index.distinctStrings, 0);
  });

  it('finds where a note lists an entity from its summary: every place, each key, whether built one by one or in a batch', () => {
    const text = '---\nguest: 马斯克\npeople:\n  - 张三\n  - "马斯克"\ncompanies_orgs: [马斯克]\n---\n正文\n';
    const other = '---\npeople: [张三]\n---\n';
    const one = new WorkspaceIndex();
    one.set(summarize('file:///a.md', parseNote(text).note));
    one.set(summarize('file:///b.md', parseNote(other).note));
    // The batch path is a restart's: the notes through a cache file and back.
    const entries = [text, other].map((t, i) => ({ file: `/vault/${'ab'[i]}.md`, stat: { size: t.length, mtimeMs: 1 }, summary: summarize(`file:///${'ab'[i]}.md`, parseNote(t).note) }));
    const cache = CacheFile.parse(encodeCacheFile({ format: CACHE_FORMAT, fingerprint: 'f', folder: '/vault' }, entries))!;
    const batch = new WorkspaceIndex();
    batch.addMany([...cache.notes()].map((n) => n.decode(`file:///${n.file.slice('/vault/'.length)}`)), new StringTable(cache.strings, cache.forms));
    for (const index of [one, batch]) {
      const musk = index.entity('people', '马斯克')!;
      // `guest` lists a person too: two places in one note, in the note's order, the first and last character of each.
      assert.deepEqual(index.placesOf(musk, 'file:///a.md'), [
        { key: 'guest', range: rangeOf(text, '马斯克', 0) },
        { key: 'people', range: rangeOf(text, '马斯克', 1) },
      ]);
      assert.deepEqual([...musk.notes.keys()], ['file:///a.md']);
      assert.deepEqual(index.placesOf(index.entity('companies_orgs', '马斯克')!, 'file:///a.md'), [{ key: 'companies_orgs', range: rangeOf(text, '马斯克', 2) }]);
      const zhang = index.entity('people', '张三')!;
      assert.deepEqual([...zhang.notes].map(([uri, at]) => [uri, at]), [['file:///a.md', 1], ['file:///b.md', 0]]);
      assert.deepEqual(index.placesOf(zhang, 'file:///c.md'), []);
    }
  });
});

describe('shared front-matter fields', () => {
  it('gives equal fields one object, and keeps apart what differs in key, kind or value', () => {
    const shared = new SharedFields();
    const people = shared.of({ key: 'people', kind: 'list' });
    assert.equal(shared.of({ key: 'people', kind: 'list' }), people);
    assert.notEqual(shared.of({ key: 'people', kind: 'string', scalar: '张三' }), people);
    const podcast = shared.of({ key: 'type', kind: 'string', scalar: 'podcast' });
    assert.equal(shared.of({ key: 'type', kind: 'string', scalar: 'podcast' }), podcast);
    assert.notEqual(shared.of({ key: 'type', kind: 'string', scalar: 'book' }), podcast);
    assert.notEqual(shared.of({ key: 'tags', kind: 'string', scalar: 'podcast' }), podcast);
    const one = shared.of({ key: 'n', kind: 'number', scalar: 1 });
    assert.notEqual(shared.of({ key: 'n', kind: 'string', scalar: '1' }), one);
    assert.notEqual(shared.of({ key: 'n', kind: 'boolean', scalar: true }), one);
    const zero = shared.of({ key: 'n', kind: 'number', scalar: 0 });
    assert.ok(Object.is(shared.of({ key: 'n', kind: 'number', scalar: -0 }).scalar, -0));
    assert.equal(shared.of({ key: 'n', kind: 'number', scalar: 0 }), zero);
  });

  it('gives a field equal to the one it was given, for any key, kind and scalar (none, -0, NaN, \'\'), the same object for equal fields', () => {
    const shared = new SharedFields(50);
    const field = fc.record({ key: fc.constantFrom('title', 'date', 'people', '', '😀'), kind: fc.constantFrom('string', 'number', 'list', 'null'),
      scalar: fc.oneof(fc.string({ maxLength: 3 }), fc.double(), fc.boolean()) }, { requiredKeys: ['key', 'kind'] });
    fc.assert(fc.property(field, (f) => {
      const got = shared.of({ ...f } as SummaryField);
      assert.deepEqual(got, { ...f });
      assert.equal('scalar' in got, 'scalar' in f);
      assert.equal(shared.of({ ...f } as SummaryField) === got, !Object.is(f.scalar, -0));
    }), { numRuns: 2000, seed: 9 });
  });

  it('starts again past its size, without ever giving a field of other contents', () => {
    const shared = new SharedFields(3);
    const fields = Array.from({ length: 10 }, (_, i) => ({ key: 'title', kind: 'string' as const, scalar: `t${i % 4}` }));
    for (const f of fields) assert.deepEqual(shared.of({ ...f }), f);
  });

  it('shares the fields of summaries restored from the index cache', () => {
    const texts = ['---\ntitle: 一\ntype: podcast\npeople: [张三]\n---\n', '---\ntitle: 二\ntype: podcast\npeople: [李四]\n---\n'];
    const entries = texts.map((t, i) => ({ file: `/vault/${i}.md`, stat: { size: t.length, mtimeMs: 1 }, summary: summarize(`file:///${i}.md`, parseNote(t).note) }));
    const cache = CacheFile.parse(encodeCacheFile({ format: CACHE_FORMAT, fingerprint: 'f', folder: '/vault' }, entries))!;
    const [a, b] = [...cache.notes()].map((n) => n.decode(`file:///${n.file}`).summary);
    const field = (s: NoteSummary, key: string) => s.fields.find((f) => f.key === key)!;
    assert.equal(field(a!, 'type'), field(b!, 'type'));
    assert.equal(field(a!, 'people'), field(b!, 'people'));
    assert.notEqual(field(a!, 'title'), field(b!, 'title'));
    assert.deepEqual(a!.fields, entries[0]!.summary.fields);
    assert.deepEqual(b!.fields, entries[1]!.summary.fields);
  });
});
