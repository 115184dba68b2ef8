/**
 * `reparseNote` parses each version of an open note from the previous one, taking the front-matter block
 * from it when an edit left that block alone, and reading again only the body lines the edit touched. Here every step of random edit sequences on the fixture
 * notes is compared with a full `parseNote` of the same text: the two must be equal, problems and ranges
 * included. The edits are aimed at the places where reuse could go wrong (the closing `---`, the line
 * breaks around it, the first line, a BOM) as well as anywhere in the note.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseNote, reparseNote, type NoteParse } from '../../../server/src/core/parse/note';
import { exampleVault, fixtureVault } from '../../support/paths';
import { comparable } from '../hostile/invariants';

const RUNS = Math.max(1, Number(process.env['NOTESENSE_FC_RUNS']) || 300);

function fixtureNotes(): string[] {
  const out: string[] = [];
  for (const dir of [fixtureVault, exampleVault]) {
    for (const name of readdirSync(dir).sort()) if (name.endsWith('.md') && name !== 'README.md') out.push(readFileSync(path.join(dir, name), 'utf8'));
  }
  return out;
}

const PIECES = ['---', '-', '\n', '\r\n', '\r', ' ', '**', '（', '）', ':', 'x', '数', '🚀', '\uFEFF', '...', '- a', 'people:', '"', '#', '# ',
  '`', '```', '~~~', '\n```\n', '“', '”', '**词**（Word: 释义）', '**未闭合**（Open: ', '\n\n'];

/** Where an edit goes: anywhere, or next to the end of the front-matter block, or at the very start. */
const anchor = fc.oneof(
  { weight: 3, arbitrary: fc.record({ near: fc.constant<'any'>('any'), offset: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ near: fc.constant<'close'>('close'), offset: fc.integer({ min: -6, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ near: fc.constant<'start'>('start'), offset: fc.nat({ max: 4 }) }) },
);
const edit = fc.record({ at: anchor, del: fc.nat({ max: 3 }), insert: fc.oneof(fc.constantFrom(...PIECES), fc.constant('')) });
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

/** The offset just after the closing `---` line of a note's front matter (or -1). */
function closeOf(text: string): number {
  const m = /\r?\n---[ \t]*(\r\n|\n|\r|$)/.exec(text);
  return m ? m.index + m[0].length : -1;
}

function apply(text: string, e: Edit): string {
  let at: number;
  if (e.at.near === 'close') {
    const close = closeOf(text);
    at = (close < 0 ? 0 : close) + e.at.offset;
  } else if (e.at.near === 'start') at = e.at.offset;
  else at = e.at.offset % (text.length + 1);
  at = Math.max(0, Math.min(text.length, at));
  return text.slice(0, at) + e.insert + text.slice(at + e.del);
}

function sameAsFullParse(parse: NoteParse, label: string): void {
  assert.deepEqual(comparable(parse.result), comparable(parseNote(parse.text)), label);
}

describe(`reparseNote: each version parsed from the previous equals a full parse (${RUNS} runs)`, () => {
  // Besides the fixtures, notes whose block ends the text, with each kind of line break.
  const notes = [...fixtureNotes(), '---\ntitle: a\n---', '---\r\ntitle: a\r\n---\r\n', '---\rtitle: a\r---\rbody **b**（B: c）', '\uFEFF---\ntags: [a]\n---\n'];

  it('random edit sequences on the fixture notes', () => {
    fc.assert(
      fc.property(fc.nat({ max: notes.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 15 }), (i, edits) => {
        let parse = reparseNote(notes[i]!);
        sameAsFullParse(parse, 'first parse');
        for (const e of edits) {
          parse = reparseNote(apply(parse.text, e), {}, parse);
          sameAsFullParse(parse, JSON.stringify(e));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a body edit reuses the front matter; an edit inside it or on its closing line does not', () => {
    const text = readFileSync(path.join(fixtureVault, 'alpha.md'), 'utf8');
    const first = reparseNote(text);
    const close = closeOf(text);
    assert.ok(first.frontMatterEnd === close && close > 0, `front matter ends at ${first.frontMatterEnd}, expected ${close}`);

    const body = reparseNote(text.slice(0, close) + '新' + text.slice(close), {}, first);
    assert.equal(body.result.note.frontMatter, first.result.note.frontMatter, 'a body edit parsed the front matter again');
    assert.equal(body.result.note.entities, first.result.note.entities);
    sameAsFullParse(body, 'body edit');

    // The last character of the block is its line break: an edit there changes the closing line.
    const onClose = reparseNote(text.slice(0, close - 1) + 'x' + text.slice(close - 1), {}, first);
    assert.notEqual(onClose.result.note.frontMatter, first.result.note.frontMatter);
    sameAsFullParse(onClose, 'edit on the closing line');

    const inside = reparseNote(text.replace('Sam Altman', 'Sam Altmann'), {}, first);
    assert.notEqual(inside.result.note.frontMatter, first.result.note.frontMatter);
    assert.ok(inside.result.note.entities.some((e) => e.value === 'Sam Altmann'));
  });

  it('a body edit reads only the touched lines: the items before it are kept, those after it are moved', () => {
    const text = readFileSync(path.join(fixtureVault, 'alpha.md'), 'utf8');
    const first = reparseNote(text);
    const { bolds } = first.result.note.body;
    assert.ok(bolds.length >= 3, 'the fixture has bold spans');
    const middle = bolds[1]!;
    // A new line inserted before the second bold span: the first is kept as it was, the rest move a line down.
    const at = text.lastIndexOf('\n', middle.loc.start) + 1;
    const next = reparseNote(text.slice(0, at) + '新的一行\n' + text.slice(at), {}, first);
    sameAsFullParse(next, 'a line inserted');
    assert.equal(next.result.note.body.bolds[0], bolds[0], 'the bold span before the edit was parsed again');
    const { start: s, end: e } = middle.loc.range;
    assert.deepEqual(next.result.note.body.bolds[1]!.loc.range, { start: { line: s.line + 1, character: s.character }, end: { line: e.line + 1, character: e.character } });
    // A fence mark in the edit: the whole body is read again, with the same result as a full parse.
    const fenced = reparseNote(text.slice(0, at) + '```\n' + text.slice(at), {}, first);
    sameAsFullParse(fenced, 'a fence opened');
    assert.notEqual(fenced.result.note.body.bolds[0], bolds[0]);
  });

  it('text added after a fence left open at the end joins it (found by the property above)', () => {
    for (const close of ['\n', '\r\n', '\r']) {
      const first = reparseNote(`---${close}title: a${close}---${close}\`\`\`${close}${close}`);
      for (const added of ['---', '**词**（Word: 释义）', `x${close}y`]) {
        const next = reparseNote(first.text + added, {}, first);
        sameAsFullParse(next, JSON.stringify([close, added]));
        const code = next.result.note.body.code;
        assert.equal(code.length, 1);
        assert.equal(code[0]!.end, next.text.length, 'the open fence runs to the end of the text');
      }
    }
  });

  it('different scalar entity keys are a full parse, not a reuse', () => {
    const text = readFileSync(path.join(fixtureVault, 'alpha.md'), 'utf8');
    const first = reparseNote(text);
    const next = reparseNote(text + '\n', { scalarEntityKeys: ['series'] }, first);
    assert.notEqual(next.result.note.frontMatter, first.result.note.frontMatter);
    assert.deepEqual(comparable(next.result), comparable(parseNote(next.text, { scalarEntityKeys: ['series'] })));
  });

  it('a note whose front matter is not closed by a line break is never reused', () => {
    const first = reparseNote('---\ntitle: a\n---');
    assert.equal(first.frontMatterEnd, 0);
    const next = reparseNote('---\ntitle: a\n---x\nbody', {}, first);
    sameAsFullParse(next, 'closing line extended');
    assert.equal(next.result.note.frontMatter?.closed, false);
  });
});
