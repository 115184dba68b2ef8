/**
 * Property-based tests of the parser with fast-check: random notes, and real fixture notes mutated by
 * inserting and deleting the characters that matter to it (`---`, `**`, `（`, `）`, `:`, line breaks, a
 * BOM, lone surrogate halves, emoji). For every input, parseNote never throws, every span and problem
 * lies inside the document with start <= end and offsets that agree with ranges, parsing the same text
 * twice gives the same model, and the parse made for the index (`forIndex`) gives that model too, but
 * for the YAML Document it may leave out.
 *
 * The default run is short enough for `npm test` (NOTESENSE_FC_RUNS runs per property, 300 by default);
 * `npm run test:stress` raises it. A failure prints fast-check's seed and shrunk counterexample.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseNote } from '../../../server/src/core/parse/note';
import { exampleVault, fixtureVault } from '../../support/paths';
import { assertWellFormed, comparable } from '../hostile/invariants';

const RUNS = Math.max(1, Number(process.env['NOTESENSE_FC_RUNS']) || 300);

/** Every `.md` fixture note, as text. */
function fixtureNotes(): string[] {
  const out: string[] = [];
  for (const dir of [fixtureVault, exampleVault]) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) if (name.endsWith('.md') && name !== 'README.md') out.push(readFileSync(path.join(dir, name), 'utf8'));
  }
  return out;
}

/** The pieces that steer the parser one way or another. */
const PIECES = ['---', '---\n', '\n---\n', '...', '**', '*', '（', '）', '(', ')', ':', '：', '“', '”', '`', '```', '~~~', '#', '# ', '- ', '[', ']',
  '{', '}', '&a', '*a', '!!js/function', '%YAML 1.2', '\r', '\n', '\r\n', '\t', ' ', '\uFEFF', '\uD800', '\uDC00', '🚀', '数据墙', 'Data wall', '\u0000', '"', "'", '|', '>'];

const piece = fc.constantFrom(...PIECES);
const anyChar = fc.oneof(
  { weight: 4, arbitrary: piece },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
);

/** A note assembled from pieces: mostly structure, some noise. */
const randomNote = fc.array(anyChar, { maxLength: 200 }).map((parts) => parts.join(''));

/** A front-matter-shaped note, so that the YAML side is exercised and not only the split. */
const yamlishNote = fc
  .tuple(
    fc.constantFrom('---', '---js', '--- yaml', '\uFEFF---', '---  '),
    fc.array(fc.tuple(fc.constantFrom('title', 'people', 'tags', '__proto__', '<<', 'guest', 'a'), fc.array(anyChar, { maxLength: 8 })), { maxLength: 8 }),
    fc.constantFrom('---', '...', '', '----', '--- '),
    fc.array(anyChar, { maxLength: 40 }),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([open, fields, close, body, eol]) =>
    [open, ...fields.map(([k, v]) => `${k}: ${v.join('')}`), close, body.join('')].join(eol));

type Mutation = { at: number; del: number; insert: string };
const mutation = fc.record({ at: fc.nat(), del: fc.nat({ max: 4 }), insert: fc.oneof(piece, fc.constant('')) });

function mutate(text: string, mutations: readonly Mutation[]): string {
  let s = text;
  for (const m of mutations) {
    const at = s.length === 0 ? 0 : m.at % (s.length + 1);
    s = s.slice(0, at) + m.insert + s.slice(at + m.del);
  }
  return s;
}

function check(text: string): void {
  const first = parseNote(text);
  assertWellFormed(text, first, JSON.stringify(text.slice(0, 200)));
  assert.deepEqual(comparable(parseNote(text)), comparable(first), 'parsing is not deterministic');
  assert.deepEqual(comparable(parseNote(text, { forIndex: true })), comparable(first), 'the index parse differs from the full parse');
}

describe(`parseNote properties (${RUNS} runs each; NOTESENSE_FC_RUNS to change)`, () => {
  it('random notes', () => {
    fc.assert(fc.property(randomNote, check), { numRuns: RUNS });
  });

  it('front-matter-shaped notes', () => {
    fc.assert(fc.property(yamlishNote, check), { numRuns: RUNS });
  });

  const notes = fixtureNotes();
  it('the fixture notes are there to mutate', () => {
    assert.ok(notes.length >= 5, `only ${notes.length} fixture notes found`);
  });

  it('mutated fixture notes', () => {
    fc.assert(
      fc.property(fc.nat({ max: Math.max(0, notes.length - 1) }), fc.array(mutation, { minLength: 1, maxLength: 12 }), (i, ms) => {
        check(mutate(notes[i] ?? '', ms));
      }),
      { numRuns: RUNS },
    );
  });

  it('the fixture notes themselves', () => {
    for (const note of notes) check(note);
  });
});
