/**
 * The text helpers every span of the parse goes through: `Positioner` must answer exactly what
 * `TextDocument.positionAt` answers, in any order of questions (its cursor is only a shortcut), and the
 * line and line-break helpers must agree with a plain loop over the characters.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseBody } from '../../../server/src/core/parse/body';
import { documentOf, dominantEol, LineBreaks, lines, Positioner } from '../../../server/src/core/parse/text';
import { rangeOf } from '../../support/caret';

const reference = (text: string) => TextDocument.create('test:x', 'markdown', 0, text);

/** Every offset of the text (and a few outside it), asked in the given order, against TextDocument. */
function assertSameAsTextDocument(text: string, offsets: number[]): void {
  const doc = reference(text);
  const pos = new Positioner(text);
  for (const o of offsets) assert.deepEqual(pos.positionAt(o), doc.positionAt(o), `offset ${o} of ${JSON.stringify(text)}`);
  assert.equal(pos.lineCount, doc.lineCount);
}

const TEXTS = [
  '',
  'a',
  '\n',
  '\r',
  '\r\n',
  '\n\n\r\r\n\r',
  '---\r\ntitle: 数据墙\r\n---\r\n正文**粗体**（Bold: 解释）\r\n',
  'line one\rline two\rline 三',
  '\ufeff---\npeople:\n- 拉夫连季·贝利亚\n---\n😀 **emoji 🎉 term**\n最后一行',
  '中文\n\n😀😀\r\n\r\n',
];

describe('Positioner', () => {
  it('answers as TextDocument for every offset, forward, backward and out of range', () => {
    for (const text of TEXTS) {
      const all = Array.from({ length: text.length + 3 }, (_, i) => i - 1);
      assertSameAsTextDocument(text, all);
      assertSameAsTextDocument(text, [...all].reverse());
      assertSameAsTextDocument(text, all.map((_, i) => (i * 7919) % all.length - 1));
    }
  });

  it('gives the first and last character of ranges on Chinese, emoji and CRLF text', () => {
    const text = '第一行\r\n“**解缚**”（Unhobbling: 指解除限制）😀\r\n**拉夫连季·贝利亚（Lavrentiy Beria）**\r\n';
    const pos = new Positioner(text);
    for (const needle of ['第一行', '解缚', 'Unhobbling', '指解除限制', '😀', '拉夫连季·贝利亚', 'Lavrentiy Beria']) {
      const start = text.indexOf(needle);
      assert.deepEqual(pos.range(start, start + needle.length), rangeOf(text, needle), needle);
    }
    // The emoji is two UTF-16 units: its end is two characters after its start.
    const emoji = pos.span(text.indexOf('😀'), text.indexOf('😀') + 2);
    assert.equal(emoji.range.end.character - emoji.range.start.character, 2);
    assert.equal(emoji.range.start.line, 1);
  });

  it('puts an offset between \\r and \\n at the end of its line, as TextDocument does', () => {
    const text = 'ab\r\ncd';
    const pos = new Positioner(text);
    assert.deepEqual(pos.positionAt(3), { line: 0, character: 2 });
    assert.deepEqual(pos.positionAt(4), { line: 1, character: 0 });
  });

  it('keeps a TextDocument of the same text for offsetAt', () => {
    const text = '一\r\n二\n三';
    const pos = new Positioner(text);
    assert.equal(pos.doc.offsetAt({ line: 2, character: 1 }), text.length);
    assert.equal(pos.doc.getText(), text);
  });

  it('agrees with TextDocument on random texts and random orders of offsets', () => {
    const char = fc.constantFrom('a', ' ', '\n', '\r', '\r\n', '中', '😀', '*', '\ufeff');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 60 }), fc.array(fc.integer({ min: -2, max: 130 }), { maxLength: 60 }), (chars, offsets) => {
        assertSameAsTextDocument(chars.join(''), offsets);
      }),
      { numRuns: 500 },
    );
  });
});

/** The lines of `text` by a plain loop over its characters. */
function slowLines(text: string, from: number) {
  const out: Array<{ start: number; end: number; next: number }> = [];
  let start = from;
  const n = text.length;
  while (start <= n) {
    let i = start;
    while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    if (i >= n) {
      out.push({ start, end: n, next: n + 1 });
      break;
    }
    const next = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    out.push({ start, end: i, next });
    start = next;
    if (start === n) break;
  }
  return out;
}

function slowEol(text: string): string {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r') {
      if (text[i + 1] === '\n') {
        crlf++;
        i++;
      } else cr++;
    } else if (text[i] === '\n') lf++;
  }
  if (crlf >= lf && crlf >= cr && crlf > 0) return '\r\n';
  if (cr > lf) return '\r';
  return '\n';
}

describe('lines, LineBreaks and dominantEol', () => {
  it('split lines at \\r\\n, \\r and \\n exactly as a loop over characters', () => {
    for (const text of TEXTS) {
      for (let from = 0; from <= text.length; from++) assert.deepEqual([...lines(text, from)], slowLines(text, from), JSON.stringify(text));
    }
  });

  it('LineBreaks answers questions in any order', () => {
    const text = 'a\r\nb\rc\nd';
    const breaks = new LineBreaks(text);
    assert.equal(breaks.next(0), 1);
    assert.equal(breaks.next(5), 6);
    assert.equal(breaks.next(2), 2);
    assert.equal(breaks.next(3), 4);
    assert.equal(breaks.next(8), text.length);
  });

  it('dominantEol counts each kind of break as a loop over characters does', () => {
    for (const text of [...TEXTS, 'a\r\nb\nc\n', 'a\rb\rc\n', 'a\r\nb\r\nc\n\n', 'a\r\r\n']) assert.equal(dominantEol(text), slowEol(text), JSON.stringify(text));
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '\n', '\r', '\r\n', '中'), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        assert.equal(dominantEol(text), slowEol(text));
        assert.deepEqual([...lines(text)], slowLines(text, 0));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseBody', () => {
  it('reads the lines lines() gives from any start, taking them from the positioner', () => {
    // Every line here that is a heading records its span: the headings show which lines the body saw.
    const isHeading = (line: string) => /^ {0,3}#{1,6}( |\t|$)/.test(line);
    for (const text of ['# a\r\n# b\r\n\r\n# c', '\ufeff# x\n# y\r# z\r\n', '# 中\r\r\n# 😀\n', '#\n\n#']) {
      for (let start = 0; start < text.length; start++) {
        const want = [...lines(text, start)].filter((l) => isHeading(text.slice(l.start, l.end))).map((l) => [l.start, l.end]);
        const got = parseBody(text, start, new Positioner(text), []).headings.map((h) => [h.loc.start, h.loc.end]);
        assert.deepEqual(got, want, `${JSON.stringify(text)} from ${start}`);
      }
    }
  });
});

describe('documentOf', () => {
  it('answers for the text it is given, among several kept at once, also for an equal text built anew', () => {
    const texts = ['一\r\n二😀三\n', 'a\nb', '---\ntitle: 笔记\n---\n', '\ufeff正文\r', 'x', '一\r\n二😀三\nmore'];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        const doc = documentOf(round === 2 ? [...text].join('') : text);
        assert.equal(doc.getText(), text);
        for (let o = 0; o <= text.length; o++) {
          assert.deepEqual(doc.positionAt(o), reference(text).positionAt(o), `${JSON.stringify(text)} at ${o}`);
          assert.equal(doc.offsetAt(doc.positionAt(o)), reference(text).offsetAt(reference(text).positionAt(o)));
        }
      }
    }
  });
});
