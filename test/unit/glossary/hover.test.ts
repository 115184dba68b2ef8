import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { glossaryHover } from '../../../server/src/core/glossary/hover';
import { hover } from '../../../server/src/core/features/hover';
import { summarize } from '../../../server/src/core/index/summary';
import { parseNote } from '../../../server/src/core/parse/note';
import { rangeOf } from '../../support/caret';
import { A, B, C, GlossaryVault, offsetOf, positionAt, uriOf } from './vault';

const vault = new GlossaryVault();

/** The hover at `delta` characters into the `occurrence`-th `needle` of note `name`. */
function hoverAt(name: string, needle: string, occurrence = 0, delta = 0, v = vault): Hover | undefined {
  const text = v.text(name);
  return glossaryHover(v.ctx(name), positionAt(text, offsetOf(text, needle, occurrence, delta)));
}

const value = (h: Hover | undefined) => (h?.contents as MarkupContent).value;

/** Asserts a hover on the first and the last character of the mention, with its exact range. */
function assertHoverSpan(name: string, needle: string, occurrence: number, heading: string, v = vault): Hover {
  const text = v.text(name);
  const range = rangeOf(text, needle, occurrence);
  const first = hoverAt(name, needle, occurrence, 0, v);
  const last = hoverAt(name, needle, occurrence, needle.length - 1, v);
  assert.ok(first, `no hover on the first character of ${needle} #${occurrence}`);
  assert.deepEqual(first.range, range);
  assert.deepEqual(last?.range, range);
  assert.equal((first.contents as MarkupContent).kind, 'markdown');
  assert.ok(value(first).startsWith(heading), value(first));
  return first;
}

describe('glossary hover: positions in the defining note', () => {
  const a = vault.text(A);

  it('on the term of the definition itself', () => {
    const h = assertHoverSpan(A, '数据墙', 1, '**数据墙** · Data wall');
    assert.match(value(h), /指在AI模型训练中，高质量训练数据变得稀缺的瓶颈/);
    assert.ok(value(h).includes(`Defined in [this note](${uriOf(A).replace(/[^A-Za-z0-9\-._~:/?#@!$&+,;=%]/g, encodeURIComponent)}#L9)`), value(h));
  });

  it('on the English name inside the definition', () => {
    assertHoverSpan(A, 'Data wall', 0, '**数据墙** · Data wall');
  });

  it('on a term at the start of a line', () => {
    assert.equal(a.split('\n')[9]!.indexOf('数据墙'), 0);
    assertHoverSpan(A, '数据墙', 2, '**数据墙**');
  });

  it('on a bold mention', () => {
    assertHoverSpan(A, '数据墙', 3, '**数据墙**');
  });

  it('on a term at the end of a line (and not past it)', () => {
    const h = assertHoverSpan(A, '数据墙', 6, '**数据墙**');
    assert.equal(glossaryHover(vault.ctx(A), { line: h.range!.end.line, character: h.range!.end.character }), undefined);
  });

  it('prefers the longest term: 表征学习 over 表征', () => {
    assertHoverSpan(A, '表征学习', 0, '**表征学习** · Representation learning');
    assertHoverSpan(A, '表征', 1, '**表征** · Representation');
  });

  it('on an English name in any case, as a whole word', () => {
    assertHoverSpan(A, 'unhobbling', 0, '**解缚** · Unhobbling');
    assert.equal(hoverAt(A, 'data walls', 0, 0), undefined);
  });

  it('on the quoted variant and on the English name inside the bold', () => {
    assertHoverSpan(A, '解缚', 0, '**解缚** · Unhobbling');
    assertHoverSpan(A, '中国共产党', 0, '**中国共产党** · CCP');
    assertHoverSpan(A, 'CCP', 0, '**中国共产党** · CCP');
  });

  it('shows every term that claims an English name', () => {
    const h = assertHoverSpan(A, 'Data Wall', 0, '**数据墙** · Data wall');
    assert.match(value(h), /\n---\n\n\*\*数据壁垒\*\* · Data wall/);
  });

  it('not in code spans, fences, front matter or on the bold markers', () => {
    assert.equal(hoverAt(A, '数据墙', 4), undefined, 'code span');
    assert.equal(hoverAt(A, '数据墙', 5), undefined, 'fence');
    assert.equal(hoverAt(A, '数据墙', 0), undefined, 'front matter title');
    assert.equal(hoverAt(A, '**数据墙**后', 0, 1), undefined, 'bold marker');
    assert.equal(hoverAt(A, '规模化', 0), undefined, 'not a term');
  });

  it('counts the other definitions and shows the differing one', () => {
    const h = value(hoverAt(A, '数据墙', 3));
    assert.match(h, /Other definitions: 3 \(1 different\)/);
    assert.match(h, /- \[分歧\]\(file:[^)]*#L5\): Data wall — 指算力增长快于可用数据增长的局面/);
    assert.match(h, /- \[重复\]\(file:[^)]*#L5\)\n- \[重复\]\(file:[^)]*#L7\)$/);
  });
});

describe('glossary hover: another note (BOM, CRLF, emoji)', () => {
  const b = vault.text(B);

  it('has a BOM and CRLF line breaks', () => {
    assert.equal(b.charCodeAt(0), 0xfeff);
    assert.ok(b.includes('\r\n'));
  });

  it('hovers a term right after an emoji, defined in another note, linking to it', () => {
    const h = assertHoverSpan(B, '数据墙', 0, '**数据墙** · Data wall');
    assert.deepEqual(h.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 5 } });
    assert.match(value(h), /Defined in \[规模定律与数据墙\]\(file:\/\/\/vault\/2024-04-25-%E8%A7%84[^)]*\.md#L9\)/);
  });

  it('hovers an English name and a bold mention at the start of a line', () => {
    assertHoverSpan(B, 'data wall', 0, '**数据墙**');
    assertHoverSpan(B, '表征学习', 0, '**表征学习**');
    const h = assertHoverSpan(B, '解缚', 0, '**解缚** · Unhobbling');
    assert.equal(h.range!.start.character, 2);
  });

  it('hovers a term at the end of a CRLF line, not the line break after it', () => {
    const v = new GlossaryVault();
    v.set('crlf.md', '\ufeff前文\r\n句末提到数据墙\r\n数据墙开头\r\n');
    const h = assertHoverSpan('crlf.md', '数据墙', 0, '**数据墙**', v);
    assert.deepEqual(h.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 7 } });
    assert.equal(glossaryHover(v.ctx('crlf.md'), { line: 1, character: 7 }), undefined);
    assert.deepEqual(assertHoverSpan('crlf.md', '数据墙', 1, '**数据墙**', v).range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
  });

  it('answers through the hover dispatcher', () => {
    const text = vault.text(C);
    const h = hover(vault.ctx(C), positionAt(text, offsetOf(text, '数据壁垒')));
    assert.deepEqual(h?.range, rangeOf(text, '数据壁垒'));
  });
});

describe('glossary hover: safe Markdown', () => {
  const evil = new GlossaryVault({
    'evil.md': '**坏词**（Evil](command:workbench.action.terminal.new): 见 [点我](command:rm) <img src=x onerror=alert(1)> ![i](http://x/i.png) `code` *斜体* &amp; www.example.com）\n坏词\n',
  });

  it('escapes every character that could make a link, an image, HTML or emphasis', () => {
    const h = value(hoverAt('evil.md', '坏词', 1, 0, evil));
    assert.ok(h);
    assert.ok(!/\]\(command:/.test(h), h);
    assert.ok(!/(^|[^\\])</.test(h), h);
    assert.ok(!/(^|[^\\])!\[/.test(h), h);
    assert.ok(!/(^|[^\\])&/.test(h), h);
    assert.ok(!/(^|[^\\])`/.test(h), h);
    assert.ok(h.includes('\\[点我\\]\\(command\\:rm\\)'), h);
    // The only link is the one to the defining note.
    assert.deepEqual([...h.matchAll(/(^|[^\\])\]\(/g)].length, 1);
  });

  it('does not link to a note whose uri is not a file', () => {
    const v = new GlossaryVault({ 'x.md': '数据墙\n' });
    v.index.set(summarize('command:workbench.action.x', parseNote('**数据墙**（Data wall: 定义）\n').note));
    const h = value(hoverAt('x.md', '数据墙', 0, 0, v));
    assert.match(h, /定义/);
    assert.ok(!h.includes('](command') && !h.includes('command:'), h);
  });
});
