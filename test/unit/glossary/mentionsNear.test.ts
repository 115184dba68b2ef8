import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lexiconOf } from '../../../server/src/core/glossary/lexicon';
import { mentionsNear, mentionsOf, type Mention } from '../../../server/src/core/glossary/mentions';
import { parseNote } from '../../../server/src/core/parse/note';
import { rangeOf } from '../../support/caret';
import { GlossaryVault } from './vault';

/** A vault defining a few short terms (two share a character) and English names. */
function vocabulary() {
  return new GlossaryVault({
    'a.md': '---\ntitle: a\n---\n**甲乙**（Alpha Beta: 第一个义）与“**乙丙**”（Gamma）\n',
    'b.md': '**甲**（Jia）和 **😀术**（Smile: 表情）\n',
  });
}

/** The lines (as start offsets) of `text` that hold one of `offsets`. */
function linesOf(text: string, offsets: readonly number[]): Set<number> {
  const starts = new Set<number>();
  for (const at of offsets) {
    let s = at;
    while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
    starts.add(s);
  }
  return starts;
}

function lineStartOf(text: string, at: number): number {
  let s = at;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return s;
}

/** Where `term` or one of `names` (lower case) occurs, as the references search finds its candidates. */
function offsetsOf(text: string, term: string, names: readonly string[]): number[] {
  const out: number[] = [];
  const all = (haystack: string, needle: string) => {
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) out.push(at);
  };
  all(text, term);
  const folded = text.toLowerCase().replace(/[\t\u00a0\u3000]/g, ' ');
  if (folded.length === text.length) for (const n of names) all(folded, n);
  return out;
}

const shape = (m: Mention) => ({ start: m.start, end: m.end, kind: m.kind, terms: m.terms, range: m.range });

describe('the mentions of one term near its candidates (mentionsNear)', () => {
  it('finds on those lines exactly what a scan of the whole note finds there, on random notes (fences, code, CRLF, emoji, BOM)', () => {
    const lexicon = lexiconOf(vocabulary().index);
    const names: Record<string, string[]> = { 甲乙: ['alpha beta'], 乙丙: ['gamma'], 甲: ['jia'], '😀术': ['smile'] };
    const piece = fc.constantFrom('**甲乙**', '甲乙', '乙丙', '甲', '😀术', '**😀术**（Smile: 笑）', '**甲乙**（Alpha Beta: 义）', '“**乙丙**”（Gamma）',
      '**甲乙丙**', '`甲乙`', '``**甲**``', 'alpha beta', 'ALPHA\tBETA', 'Gamma', 'gammas', ' jia ', '😀', '**', '（', '）', ' ', '\\',
      '\n', '\r\n', '\r', '\n```\n', '\n~~~\n', '\n    ```\n', '\n````\n', '\n  ~~~~ 甲乙\n', '```', '\n``` 甲`\n', '# ', '---\n');
    const note = fc.tuple(fc.constantFrom('', '\ufeff'), fc.constantFrom('', '---\ntitle: 甲乙\n---\n', '---\r\npeople: ["**甲乙**"]\r\n---\r\n', '---\nopen: 1\n'),
      fc.array(piece, { maxLength: 50 })).map(([bom, fm, body]) => bom + fm + body.join(''));
    let compared = 0;
    let fenced = 0;
    fc.assert(fc.property(note, fc.constantFrom('甲乙', '乙丙', '甲', '😀术'), (text, term) => {
      const offsets = offsetsOf(text, term, names[term]!);
      const lines = linesOf(text, offsets);
      const whole = mentionsOf(text, parseNote(text).note, lexicon);
      const want = whole.filter((m) => m.terms.includes(term) && lines.has(lineStartOf(text, m.start))).map(shape);
      const near = mentionsNear(text, lexicon, offsets, term);
      // Which definition of the note a mention is needs the whole note: it is left out.
      assert.ok(near.every((m) => !('definition' in m)));
      const got = near.map(shape);
      assert.deepEqual(got, want);
      // Every definition of the term is on a line that holds it: none is missed for want of a candidate.
      for (const m of whole) if (m.kind === 'definition' && m.terms.includes(term)) assert.ok(lines.has(lineStartOf(text, m.start)));
      compared += want.length;
      if (want.length > 0 && (text.includes('```') || text.includes('~~~'))) fenced++;
    }), { numRuns: 3000, seed: 17 });
    assert.ok(compared > 800 && fenced > 300, `${compared} mentions compared, ${fenced} notes with a fence mark`);
  });

  it('gives the definitions, bold, plain and English mentions of the term with their exact ranges, and no other term', () => {
    const lexicon = lexiconOf(vocabulary().index);
    const text = '\ufeff---\ntitle: 甲乙\n---\n开头😀**甲乙**（Alpha Beta: 义）\r\n无关的一行 乙丙\r\n`甲乙` 和 甲乙，以及 alpha beta。\n';
    const offsets = offsetsOf(text, '甲乙', ['alpha beta']);
    const got = mentionsNear(text, lexicon, offsets, '甲乙');
    assert.deepEqual(got.map((m) => [m.kind, text.slice(m.start, m.end)]),
      [['definition', '甲乙'], ['definition-english', 'Alpha Beta'], ['plain', '甲乙'], ['english', 'alpha beta']]);
    // The first and last character of each range: the definition's term after an emoji, the plain mention
    // after the code span on a CRLF line, the English name at the end of the line.
    assert.deepEqual(got[0]!.range, rangeOf(text, '甲乙', 1));
    assert.deepEqual(got[1]!.range, rangeOf(text, 'Alpha Beta'));
    assert.deepEqual(got[2]!.range, rangeOf(text, '甲乙', 3));
    assert.deepEqual(got[3]!.range, rangeOf(text, 'alpha beta'));
    // Without a term: every mention on those lines, the other term's included.
    const all = mentionsNear(text, lexicon, [text.indexOf('乙丙')]);
    assert.deepEqual(all.map((m) => text.slice(m.start, m.end)), ['乙丙']);
  });
});
