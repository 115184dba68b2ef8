import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseNote } from '../../../server/src/core/parse/note';
import { rangeOf, textAt } from '../../support/caret';

const codes = (text: string) => parseNote(text).problems.map((p) => p.code);

describe('front matter split', () => {
  it('finds the block between the first line and the closing ---', () => {
    const text = '---\ntitle: 数据墙\n---\n# 正文\n';
    const { note, problems } = parseNote(text);
    assert.deepEqual(problems, []);
    const fm = note.frontMatter!;
    assert.equal(fm.closed, true);
    assert.equal(textAt(text, fm.openLoc.range), '---');
    assert.equal(textAt(text, fm.closeLoc!.range), '---');
    assert.equal(textAt(text, fm.contentLoc.range), 'title: 数据墙\n');
    assert.equal(note.body.start, text.indexOf('# 正文'));
    assert.equal(note.body.headings[0]!.text, '正文');
  });

  it('gives no front matter when the note does not start with ---', () => {
    for (const text of ['', '# 标题\n---\ntitle: x\n---\n', 'title: x\n', '----\ntitle: x\n----\n']) {
      const { note, problems } = parseNote(text);
      assert.equal(note.frontMatter, undefined, JSON.stringify(text));
      assert.deepEqual(problems, [], JSON.stringify(text));
    }
  });

  it('accepts a BOM before the opening line, and positions count it', () => {
    const text = '\uFEFF---\ntitle: 🚀 发射\n---\n';
    const { note, problems } = parseNote(text);
    assert.deepEqual(problems, []);
    assert.equal(note.hasBom, true);
    const title = note.frontMatter!.fields[0]!;
    assert.equal(title.value, '🚀 发射');
    assert.deepEqual(title.valueLoc!.range, rangeOf(text, '🚀 发射'));
    assert.deepEqual(note.frontMatter!.openLoc.range, { start: { line: 0, character: 1 }, end: { line: 0, character: 4 } });
  });

  it('splits CRLF and CR-only notes at the same places as LF ones', () => {
    for (const eol of ['\r\n', '\r']) {
      const text = ['---', 'people:', '- Sam Altman', '- 马斯克', '---', '**数据墙**（Data wall: 瓶颈）', ''].join(eol);
      const { note, problems } = parseNote(text);
      assert.deepEqual(problems, [], JSON.stringify(eol));
      assert.equal(note.eol, eol);
      assert.deepEqual(note.entities.map((e) => e.value), ['Sam Altman', '马斯克']);
      assert.deepEqual(note.entities[1]!.loc.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 5 } });
      assert.equal(note.body.definitions[0]!.term, '数据墙');
      assert.deepEqual(note.body.definitions[0]!.termLoc.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 5 } });
    }
  });

  it('reports an unclosed block at its opening line and still reads the body', () => {
    const text = '---\ntitle: x\npeople:\n- Sam Altman\n\n**解缚**（Unhobbling: 解除限制）\n';
    const { note, problems } = parseNote(text);
    assert.deepEqual(problems.map((p) => p.code), ['frontmatter-unclosed']);
    assert.deepEqual(problems[0]!.range, rangeOf(text, '---'));
    assert.equal(note.frontMatter!.closed, false);
    assert.deepEqual(note.entities.map((e) => e.value), ['Sam Altman']);
    assert.deepEqual(note.body.definitions.map((d) => d.term), ['解缚']);
  });

  it('an empty block is a valid, empty front matter', () => {
    const { note, problems } = parseNote('---\n---\nbody');
    assert.deepEqual(problems, []);
    assert.deepEqual(note.frontMatter!.fields, []);
  });

  it('reports blank lines above the front matter as misplaced', () => {
    const text = '\n\n---\ntitle: x\n---\n';
    const { note, problems } = parseNote(text);
    assert.equal(note.frontMatter, undefined);
    assert.deepEqual(problems.map((p) => p.code), ['frontmatter-misplaced']);
    assert.deepEqual(problems[0]!.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
  });
});

describe('front matter in another language is never run', () => {
  for (const opener of ['---js', '---javascript', '--- JavaScript', '---coffee', '---toml']) {
    it(`${opener} is reported, not evaluated`, () => {
      const marker = `/tmp/notesense-pwned-${process.pid}`;
      const text = `${opener}\nrequire('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { title: 'x' }\n---\n**数据墙**（Data wall: 瓶颈）\n`;
      const { note, problems } = parseNote(text);
      assert.deepEqual(problems.map((p) => p.code), ['frontmatter-language']);
      assert.deepEqual(problems[0]!.range, rangeOf(text, opener));
      assert.deepEqual(note.frontMatter!.fields, []);
      assert.equal(note.body.definitions[0]!.term, '数据墙');
      assert.equal(existsSync(marker), false);
    });
  }

  it('---yaml is YAML', () => {
    assert.deepEqual(codes('---yaml\ntitle: x\n---\n'), []);
  });

  it('with a BOM and CRLF too', () => {
    const { problems } = parseNote('\uFEFF---js\r\nthrow 1\r\n---\r\n');
    assert.deepEqual(problems.map((p) => p.code), ['frontmatter-language']);
    assert.deepEqual(problems[0]!.range, { start: { line: 0, character: 1 }, end: { line: 0, character: 6 } });
  });
});

describe('YAML problems', () => {
  it('reports a syntax error at its line and keeps the rest of the note', () => {
    const text = '---\ntitle: "unclosed\npeople:\n- Sam Altman\n---\n**数据墙**（Data wall: 瓶颈）\n';
    const { note, problems } = parseNote(text);
    assert.ok(problems.length > 0);
    assert.ok(problems.every((p) => p.code === 'yaml-syntax'), JSON.stringify(problems));
    assert.deepEqual(problems[0]!.range, rangeOf(text, '"unclosed'));
    assert.equal(note.body.definitions.length, 1);
  });

  it('reports a duplicate key on the second key', () => {
    const text = '---\ntitle: a\ntags: [x]\ntitle: b\n---\n';
    const { problems } = parseNote(text);
    assert.deepEqual(problems.map((p) => p.code), ['yaml-duplicate-key']);
    assert.deepEqual(problems[0]!.range, rangeOf(text, 'title', 1));
  });

  it('reports tab indentation', () => {
    const { problems } = parseNote('---\npeople:\n\t- Sam\n---\n');
    assert.ok(problems.some((p) => p.code === 'yaml-tab-indent'), JSON.stringify(problems));
  });

  it('refuses deep nesting before the parser sees it', () => {
    const text = `---\na: ${'['.repeat(5000)}\n---\n**数据墙**（Data wall: 瓶颈）\n`;
    const { note, problems } = parseNote(text);
    assert.deepEqual(problems.map((p) => p.code), ['yaml-too-deep']);
    assert.equal(problems[0]!.range.start.line, 1);
    assert.equal(note.body.definitions.length, 1);
  });

  it('refuses deep block nesting', () => {
    const text = `---\na:\n${'- '.repeat(200)}x\n---\n`;
    assert.deepEqual(codes(text), ['yaml-too-deep']);
  });

  it('stops an alias bomb', () => {
    const lines = ['---', 'a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('---', '');
    const { problems } = parseNote(lines.join('\n'));
    assert.ok(problems.some((p) => p.code === 'yaml-alias-limit'), JSON.stringify(problems.map((p) => p.code)));
  });

  it('reports a front matter that is not a mapping', () => {
    assert.deepEqual(codes('---\n- a\n- b\n---\n'), ['frontmatter-not-mapping']);
    assert.deepEqual(codes('---\njust text\n---\n'), ['frontmatter-not-mapping']);
  });

  it('keeps __proto__ and constructor as plain own keys', () => {
    const { note } = parseNote('---\n__proto__: {polluted: true}\nconstructor: x\n---\n');
    const data = note.frontMatter!.data as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.deepEqual(Object.keys(data), ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('never throws, whatever the input', () => {
    const inputs = ['---', '---\n', '\uFEFF', '\r', '---\r---', '---\n---', '***', '**（', '`', '---\n:\n---', '\u0000\u0000', '---\n&a [*a]\n---'];
    for (const s of inputs) assert.doesNotThrow(() => parseNote(s), JSON.stringify(s));
  });
});

describe('fields and entities', () => {
  const text = [
    '---',
    'title: "2027年 AGI"',
    'date: \'2024-06-04\'',
    'draft: true',
    'people:',
    '- Leopold Aschenbrenner',
    '- "Sam Altman"',
    '- 马斯克',
    'tags: [agi, \'llm\', 数据墙]',
    'guest: Dwarkesh Patel',
    'speaker: \'\'',
    'count: 3',
    '---',
    '',
  ].join('\n');
  const { note, problems } = parseNote(text);

  it('has no problems', () => assert.deepEqual(problems, []));

  it('types every field', () => {
    assert.deepEqual(note.frontMatter!.fields.map((f) => [f.key, f.kind]), [
      ['title', 'string'], ['date', 'string'], ['draft', 'boolean'], ['people', 'list'], ['tags', 'list'],
      ['guest', 'string'], ['speaker', 'string'], ['count', 'number'],
    ]);
    assert.equal(note.frontMatter!.fields.find((f) => f.key === 'people')!.listStyle, 'block');
    assert.equal(note.frontMatter!.fields.find((f) => f.key === 'tags')!.listStyle, 'flow');
  });

  it('ranges keys and values exactly', () => {
    const title = note.frontMatter!.fields[0]!;
    assert.deepEqual(title.keyLoc.range, rangeOf(text, 'title'));
    assert.deepEqual(title.valueLoc!.range, rangeOf(text, '"2027年 AGI"'));
  });

  it('lists every string item of every list, and scalar person keys', () => {
    assert.deepEqual(note.entities.map((e) => `${e.key}=${e.value}@${e.index}`), [
      'people=Leopold Aschenbrenner@0', 'people=Sam Altman@1', 'people=马斯克@2',
      'tags=agi@0', 'tags=llm@1', 'tags=数据墙@2', 'guest=Dwarkesh Patel@-1',
    ]);
  });

  it('ranges entity values inside their quotes', () => {
    const byValue = (v: string) => note.entities.find((e) => e.value === v)!;
    assert.deepEqual(byValue('Sam Altman').loc.range, rangeOf(text, 'Sam Altman'));
    assert.deepEqual(byValue('llm').loc.range, rangeOf(text, 'llm'));
    assert.deepEqual(byValue('数据墙').loc.range, rangeOf(text, '数据墙'));
    assert.deepEqual(byValue('马斯克').loc.range, rangeOf(text, '马斯克'));
    assert.deepEqual(byValue('Dwarkesh Patel').loc.range, rangeOf(text, 'Dwarkesh Patel'));
  });
});
