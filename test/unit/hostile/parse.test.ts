/**
 * Hostile notes against the parser: nothing crashes or hangs, each problem gets a clear diagnostic on
 * the right line, and the rest of the note (body, glossary) is still read. Inputs are generated here.
 * Parse times of the worst inputs are printed (not asserted: machines differ); a hang fails the run by
 * never finishing.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseNote } from '../../../server/src/core/parse/note';
import type { ParseResult } from '../../../server/src/core/parse/types';
import { rangeOf } from '../../support/caret';
import { assertWellFormed } from './invariants';

const GLOSSARY = '**数据墙**（Data wall: 高质量数据耗尽）';

/** Parses, checks the invariants, prints the time when it is worth reading. */
function parse(label: string, text: string): ParseResult {
  const t0 = performance.now();
  const result = parseNote(text);
  const ms = performance.now() - t0;
  if (ms > 20 || text.length > 100_000) console.log(`  parse ${label}: ${ms.toFixed(0)} ms for ${(text.length / 1e6).toFixed(2)} M chars`);
  assertWellFormed(text, result, label);
  return result;
}

const codes = (r: ParseResult) => r.problems.map((p) => p.code);
const terms = (r: ParseResult) => r.note.body.definitions.map((d) => d.term);

describe('deep nesting', () => {
  const cases: Array<[string, string]> = [
    ['5,000 [ in front matter', `a: ${'['.repeat(5000)}`],
    ['5,000 { in front matter', `a: ${'{a: '.repeat(5000)}`],
    ['3,000 - on one line', `a:\n${'- '.repeat(3000)}x`],
    ['3,000 ? on one line', `${'? '.repeat(3000)}x`],
    ['1,000 nested mappings by indentation', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a${i}:`).join('\n')],
    ['1,000 nested lists by indentation', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}-`).join('\n') + ' x'],
  ];
  for (const [label, yaml] of cases) {
    it(`${label}: yaml-too-deep inside the block, body still read`, () => {
      const text = `---\n${yaml}\n---\n${GLOSSARY}\n`;
      const r = parse(label, text);
      assert.deepEqual(codes(r), ['yaml-too-deep']);
      const line = r.problems[0]!.range.start.line;
      assert.ok(line >= 1 && line <= 1 + yaml.split('\n').length, String(line));
      assert.deepEqual(terms(r), ['数据墙']);
    });
  }

  it('64 levels are still parsed', () => {
    const r = parse('64 levels', `---\na: ${'['.repeat(63)}${']'.repeat(63)}\n---\n`);
    assert.deepEqual(codes(r), []);
  });

  it('a body of 100,000 [ and 100,000 nested list markers', () => {
    const text = `${'['.repeat(100_000)}\n${'- '.repeat(100_000)}\n${'> '.repeat(100_000)}\n${GLOSSARY}\n`;
    const r = parse('nested body', text);
    assert.deepEqual(terms(r), ['数据墙']);
  });
});

describe('YAML alias bombs', () => {
  it('a billion laughs stops at the budget, with one yaml-alias-limit problem', () => {
    const lines = ['---', 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 20; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('people: *a19', '---', GLOSSARY, '');
    const text = lines.join('\n');
    const r = parse('billion laughs', text);
    assert.deepEqual(codes(r).filter((c) => c === 'yaml-alias-limit'), ['yaml-alias-limit']);
    assert.equal(r.problems.find((p) => p.code === 'yaml-alias-limit')!.range.start.line, 1);
    assert.deepEqual(terms(r), ['数据墙']);
    // The aliased list is not expanded into millions of entities.
    assert.ok(r.note.entities.length < 200_000, String(r.note.entities.length));
  });

  it('an alias to itself stops at the budget; an alias without anchor is reported on its line', () => {
    assert.deepEqual(codes(parse('self alias', '---\na: &a [*a, *a]\n---\n')), ['yaml-alias-limit']);
    const text = '---\ntitle: x\nb: *nowhere\n---\n';
    const r = parse('unknown alias', text);
    assert.deepEqual(codes(r), ['yaml-syntax']);
    const unknown = r.problems.find((p) => p.code === 'yaml-syntax')!;
    assert.deepEqual(unknown.range, rangeOf(text, '*nowhere'));
    assert.match(unknown.message, /nowhere/);
  });
});

describe('size', () => {
  it('40,000 keys', () => {
    const text = `---\n${Array.from({ length: 40_000 }, (_, i) => `k${i}: v`).join('\n')}\n---\n${GLOSSARY}\n`;
    const r = parse('40,000 keys', text);
    assert.deepEqual(codes(r), []);
    assert.equal(r.note.frontMatter!.fields.length, 40_000);
    assert.deepEqual(terms(r), ['数据墙']);
  });

  it('10,000 keys, half of them repeats, reports each repeat on its line', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `key${i % 5_000}: v`);
    const r = parse('10,000 keys with 5,000 repeats', `---\n${keys.join('\n')}\n---\n`);
    const dups = r.problems.filter((p) => p.code === 'yaml-duplicate-key');
    assert.equal(dups.length, 5_000);
    assert.equal(dups[0]!.range.start.line, 5_001);
  });

  it('a 5 MB line in the body, and in the front matter', () => {
    const line = '数据'.repeat(2_621_440);
    const body = parse('5 MB body line', `---\ntitle: x\n---\n${line}\n${GLOSSARY}\n`);
    assert.deepEqual(codes(body), []);
    assert.deepEqual(terms(body), ['数据墙']);
    const fm = parse('5 MB front-matter line', `---\ntitle: ${line}\n---\n${GLOSSARY}\n`);
    assert.deepEqual(codes(fm), ['frontmatter-too-large']);
    assert.equal(fm.problems[0]!.range.start.line, 0);
    assert.deepEqual(terms(fm), ['数据墙']);
  });

  it('a 10 MB note of unclosed bold, parentheses and backticks', () => {
    const text = `**数据**（${'**（`'.repeat(1_000_000)}\n${'*'.repeat(3_000_000)}\n${'（'.repeat(3_000_000)}\n${GLOSSARY}`;
    const r = parse('10 MB of openers', text);
    assert.ok(terms(r).includes('数据墙'));
  });
});

describe('bytes that are not ordinary text', () => {
  it('NUL bytes, lone surrogates and U+FFFD are just characters', () => {
    const text = `---\ntitle: "a\u0000b"\npeople:\n- \uD800x\n- 马斯克\n---\n\u0000**数据墙\uDC00**（Data wall: 瓶颈）\uFFFD\n`;
    const r = parse('NUL and surrogates', text);
    assert.deepEqual(r.note.entities.map((e) => e.value), ['\uD800x', '马斯克']);
    assert.deepEqual(terms(r), ['数据墙\uDC00']);
  });

  it('a PNG decoded as text', () => {
    const png = String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52);
    parse('PNG bytes', png.repeat(10_000));
  });
});

describe('prototype pollution', () => {
  it('__proto__, constructor and prototype keys and values stay plain data', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const text = [
      '---',
      '__proto__: {polluted: yes}',
      'constructor: {prototype: {polluted: yes}}',
      'prototype: {polluted: yes}',
      'nested: {__proto__: {polluted: yes}, a: {constructor: {prototype: {polluted: yes}}}}',
      'list: [__proto__, constructor, {__proto__: {polluted: yes}}]',
      'people:',
      '- __proto__',
      '- constructor',
      'base: &b {__proto__: {polluted: yes}}',
      'merged:',
      '  <<: *b',
      '"__proto__ ": x',
      '---',
    ].join('\n');
    const r = parse('proto keys', text);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined);
    const data = r.note.frontMatter!.data as Record<string, Record<string, unknown>>;
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.deepEqual(Object.keys(data), ['__proto__', 'constructor', 'prototype', 'nested', 'list', 'people', 'base', 'merged', '__proto__ ']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(data, '__proto__')!.value, { polluted: 'yes' });
    assert.equal(Object.getPrototypeOf(data['nested']!), Object.prototype);
    assert.deepEqual(Object.keys(data['nested']!), ['__proto__', 'a']);
    // YAML 1.2 has no merge key: `<<` is an ordinary key and nothing is merged into `merged`.
    assert.deepEqual(Object.keys(data['merged']!), ['<<']);
    assert.deepEqual(r.note.entities.filter((e) => e.key === 'people').map((e) => e.value), ['__proto__', 'constructor']);
  });
});

describe('YAML features', () => {
  it('custom and unknown tags are warnings on their line; values stay text', () => {
    const text = '---\na: !foo bar\nb: !!binary aGVsbG8=\nc: !!set {x, y}\nd: !!omap [a: 1]\n---\n';
    const r = parse('tags', text);
    const warnings = r.problems.filter((p) => p.code === 'yaml-warning');
    assert.deepEqual(warnings.map((p) => p.range.start.line), [1]);
    assert.equal(r.note.frontMatter!.data['a'], 'bar');
  });

  it('a directive inside the block is a syntax error on its line', () => {
    const text = '---\n%YAML 1.1\ntitle: x\n---\n' + GLOSSARY;
    const r = parse('directive', text);
    assert.deepEqual(codes(r), ['yaml-syntax']);
    assert.deepEqual(r.problems[0]!.range, rangeOf(text, '%YAML 1.1'));
    assert.match(r.problems[0]!.message, /%YAML/);
    assert.deepEqual(terms(r), ['数据墙']);
  });

  it('a directive before the first line means the note has no front matter', () => {
    const r = parse('directive first', '%YAML 1.2\n---\ntitle: x\n---\n');
    assert.equal(r.note.frontMatter, undefined);
    assert.deepEqual(codes(r), []);
  });

  it('several documents are reported where the second starts', () => {
    const text = '---\ntitle: x\n...\ntags: [a]\n---\n' + GLOSSARY;
    const r = parse('two documents', text);
    assert.deepEqual(codes(r), ['yaml-multiple-documents']);
    assert.equal(r.problems[0]!.range.start.line, 3);
    assert.equal(r.note.frontMatter!.data['title'], 'x');
    assert.deepEqual(terms(r), ['数据墙']);
  });

  for (const [label, yaml, line] of [
    ['a scalar', '42', 1],
    ['a list', '- a\n- b', 1],
    ['a quoted string', '"title: x"', 1],
    ['a block scalar', '|\n  text', 1],
    ['a list after a comment', '# people\n- a', 2],
  ] as const) {
    it(`front matter that is ${label} is frontmatter-not-mapping on line ${line}`, () => {
      const r = parse(label, `---\n${yaml}\n---\n${GLOSSARY}\n`);
      assert.deepEqual(codes(r), ['frontmatter-not-mapping']);
      assert.equal(r.problems[0]!.range.start.line, line);
      assert.deepEqual(r.note.frontMatter!.data, {});
      assert.deepEqual(terms(r), ['数据墙']);
    });
  }
});

describe('delimiter oddities', () => {
  it('--- with trailing spaces or a tab opens and closes', () => {
    for (const [open, close] of [['---   ', '---  '], ['---\t', '---\t'], ['---', '---   ']]) {
      const r = parse(`"${open}"/"${close}"`, `${open}\ntitle: x\n${close}\n${GLOSSARY}\n`);
      assert.deepEqual(codes(r), [], JSON.stringify([open, close]));
      assert.equal(r.note.frontMatter!.data['title'], 'x');
      assert.deepEqual(terms(r), ['数据墙']);
    }
  });

  it('---- is a thematic break, not front matter; ---- does not close a block', () => {
    assert.equal(parse('----', `----\ntitle: x\n----\n`).note.frontMatter, undefined);
    const r = parse('closing ----', `---\ntitle: x\n----\n\n${GLOSSARY}\n`);
    assert.equal(codes(r)[0], 'frontmatter-unclosed');
    assert.equal(r.problems[0]!.range.start.line, 0);
    assert.deepEqual(terms(r), ['数据墙']);
  });

  it('--- yaml is YAML', () => {
    const r = parse('--- yaml', '--- yaml\ntitle: x\n---\n');
    assert.deepEqual(codes(r), []);
    assert.equal(r.note.frontMatter!.data['title'], 'x');
  });

  it('a ... closer is reported on its own line, and the body after it is read', () => {
    const text = `---\ntitle: x\npeople: [马斯克]\n...\n${GLOSSARY}\n`;
    const r = parse('... closer', text);
    assert.deepEqual(codes(r), ['frontmatter-unclosed']);
    assert.deepEqual(r.problems[0]!.range, rangeOf(text, '...'));
    assert.match(r.problems[0]!.message, /\.\.\./);
    assert.deepEqual((r.problems[0]!.data as { insertAt: unknown }).insertAt, { line: 3, character: 0 });
    assert.deepEqual(r.note.entities.map((e) => e.value), ['马斯克']);
    assert.deepEqual(terms(r), ['数据墙']);
    assert.equal(r.note.body.start, text.indexOf('**'));
  });

  it('only ---, with and without a line break, and with a BOM', () => {
    for (const text of ['---', '---\n', '---\r\n', '\uFEFF---', '\r', '\n', '']) {
      const r = parse(JSON.stringify(text), text);
      if (text.includes('---')) {
        assert.deepEqual(codes(r), ['frontmatter-unclosed'], JSON.stringify(text));
        assert.equal(r.problems[0]!.range.start.line, 0);
      } else assert.deepEqual(codes(r), []);
    }
  });

  it('CR-only and mixed line breaks split on the same lines as LF', () => {
    for (const text of [
      `---\rtitle: x\rpeople:\r- 马斯克\r---\r${GLOSSARY}\r`,
      `---\r\ntitle: x\rpeople:\n- 马斯克\r\n---\r${GLOSSARY}\n`,
    ]) {
      const r = parse(JSON.stringify(text.slice(0, 12)), text);
      assert.deepEqual(codes(r), []);
      assert.deepEqual(r.note.entities[0]!.loc.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 5 } });
      assert.deepEqual(r.note.body.definitions[0]!.termLoc.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 5 } });
    }
  });

  it('an indented --- does not open front matter', () => {
    assert.equal(parse('indented', ' ---\ntitle: x\n---\n').note.frontMatter, undefined);
  });
});
