/**
 * The front-matter fast path must give exactly the syntax tree `yaml`'s Parser gives, or decline. Checked
 * on the front matter of every fixture note and on random front matter built from the shapes it takes
 * and the ones it must decline; the composed Documents must then agree as well.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDocument, Parser } from 'yaml';
import { summaryData } from '../../../server/src/core/index/summary';
import { parseNote } from '../../../server/src/core/parse/note';
import { composeCst, simpleCst } from '../../../server/src/core/parse/yamlFast';

const OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: true, keepSourceTokens: false } as const;
const repo = path.resolve(__dirname, '../../../..');

/** True when the fast path took `source`; throws when what it made differs from `yaml`'s own. */
function check(source: string): boolean {
  const cst = simpleCst(source);
  if (!cst) return false;
  assert.deepEqual([cst], [...new Parser().parse(source)], JSON.stringify(source));
  const fast = composeCst(cst, source, OPTIONS);
  const slow = parseDocument(source, OPTIONS);
  assert.deepEqual(fast.toJS(), slow.toJS());
  assert.deepEqual(fast.contents, slow.contents);
  assert.deepEqual(fast.range, slow.range);
  assert.deepEqual([fast.errors, fast.warnings], [slow.errors, slow.warnings]);
  sameForIndex(`---${source.includes('\r\n') ? '\r\n' : '\n'}${source}---\n正文**数据墙**（Data wall）\n`);
  return true;
}

let readFromTree = 0;

/**
 * A note parsed only to be summarised (`forIndex`: fields read from the syntax tree, no Document) must
 * give what the full parse gives: fields, data, entities, problems, and so its summary.
 */
function sameForIndex(text: string): void {
  const full = parseNote(text);
  const index = parseNote(text, { forIndex: true });
  const what = JSON.stringify(text.slice(0, 200));
  assert.deepEqual(index.note.frontMatter?.fields, full.note.frontMatter?.fields, what);
  assert.deepEqual(index.note.frontMatter?.data, full.note.frontMatter?.data, what);
  assert.deepEqual(index.note.entities, full.note.entities, what);
  assert.deepEqual(index.problems, full.problems, what);
  assert.deepEqual(summaryData('file:///n.md', index.note), summaryData('file:///n.md', full.note), what);
  if (index.note.frontMatter && !index.note.frontMatter.yaml) readFromTree++;
}

function notes(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...notes(p));
    else if (e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

describe('front-matter fast path', () => {
  it('gives yaml\'s own tree for the front matter of every fixture note', () => {
    let taken = 0;
    let total = 0;
    readFromTree = 0;
    for (const file of [...notes(path.join(repo, 'test/fixtures')), ...notes(path.join(repo, 'examples/vault'))]) {
      const text = readFileSync(file, 'utf8');
      sameForIndex(text);
      const fm = parseNote(text).note.frontMatter;
      if (!fm) continue;
      total++;
      const content = text.slice(fm.contentLoc.start, fm.contentLoc.end);
      if (check(content)) taken++;
      // The same note with the other line break.
      const other = content.includes('\r\n') ? content.replace(/\r\n/g, '\n') : content.replace(/\n/g, '\r\n');
      check(other);
    }
    // Most fixtures have the common shape: a fast path that declines everything would be no fast path.
    assert.ok(taken > total / 2, `${taken} of ${total}`);
    assert.ok(readFromTree > total / 2, `${readFromTree} of ${total} read from the syntax tree for the index`);
  });

  it('declines what it does not know and agrees with yaml on what it takes', () => {
    const keys = ['title', 'people', 'a b', '数据墙', 'k-1', 'x_y', '1', 'true', 'null', '~', 'on', '<<', 'a#b', 'a:b', "it's", 'é'];
    const scalars = ['x', 'OpenAI', 'Sam Altman', '数据 墙', '😀 emoji', '1', '-1', '0x1F', '1e3', '.5', '.inf', 'true', 'False', 'null', '~',
      '2024-06-04', "'2024-06-04'", "''", '""', "'it''s'", "'a'b'", '"a\\"b"', '"say \\u00e9"', '"x"', "'x' ", 'a: b', 'a:b', 'a #b', 'a#b',
      'x,y', 'a [b]', '[]', '[a]', '[a, b]', "['a', \"b\", c d]", '[a,b]', '[a, ]', '[, a]', '[a, [b]]', '[a: b]', '{a: b}', '&x a', '*x', '!t a',
      '| ', '>', '%x', '@x', '`x`', 'x\u2028y', ' x', 'x ', '\t', 'a\tb', '\ufeffx', 'x\u0085', '- x', '? x', '---', '...'];
    const line = fc.oneof(
      fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...scalars)).map(([k, v]) => `${k}: ${v}`),
      fc.tuple(fc.constantFrom(...keys), fc.array(fc.constantFrom(...scalars), { minLength: 1, maxLength: 3 }), fc.constantFrom('', ' ', '  ', '    '))
        .map(([k, vs, indent]) => [`${k}:`, ...vs.map((v) => `${indent}- ${v}`)].join('\n')),
      fc.constantFrom(...keys).map((k) => `${k}:`),
      fc.constantFrom('', '# comment', '  x: y', ' - a', 'key:  two spaces', 'key :x', 'a: b\r', '---', 'x'),
    );
    let taken = 0;
    readFromTree = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.boolean(), (lines, crlf, final) => {
        const eol = crlf ? '\r\n' : '\n';
        const source = lines.join(eol) + (final ? eol : '');
        if (check(source)) taken++;
      }),
      { numRuns: 3000 },
    );
    assert.ok(taken > 50, `the fast path took only ${taken} random sources`);
    // Most of those are read without a Document when parsed for the index (a repeated key is not).
    assert.ok(readFromTree > 40, `only ${readFromTree} front matters were read from the syntax tree`);
  });

  it('takes a long front matter of quoted values and flow lists whole', () => {
    // Searches are bounded by their line (a search to the end of the source per line would make these
    // 20,000 lines cost billions of steps); here the fast path must also take every line.
    const lines = 20_000;
    for (const line of ['k: "v"', 'k: [a]', "k: ['a', b]"]) {
      const source = Array.from({ length: lines }, (_, i) => line.replace('k', `k${i}`)).join('\n') + '\n';
      const cst = simpleCst(source);
      assert.ok(cst && cst.value?.type === 'block-map' && cst.value.items.length === lines, line);
    }
  });

  it('declines a lone carriage return, a tab, an unfinished last line and an empty source', () => {
    for (const source of ['', 'a: b', 'a: b\rc: d\n', 'a:\tb\n', 'a: b\n\n', 'a:\n-\tb\n', 'a: [b\n']) assert.equal(simpleCst(source), undefined, JSON.stringify(source));
  });
});
