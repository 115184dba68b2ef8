/**
 * Golden files: the full model of every note of the fixture and example vaults, as compact JSON. A change
 * in what the parser finds shows up as a readable diff. Regenerate with `UPDATE_GOLDEN=1 npm run test:unit`
 * after checking that the new output is right.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseNote } from '../../../server/src/core/parse/note';
import type { Span } from '../../../server/src/core/parse/types';
import type { Range } from 'vscode-languageserver-types';
import { decodeNote } from '../../../server/src/host/files';
import { exampleVault, fixtureVault, repoRoot } from '../../support/paths';

const goldenDir = path.join(repoRoot, 'test', 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';

const r = (range: Range) => `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
const s = (span: Span | undefined) => (span ? r(span.range) : null);

/** The model without the yaml Document, ranges as `line:char-line:char`. */
function golden(text: string) {
  const { note, problems } = parseNote(text);
  const fm = note.frontMatter;
  return {
    lineCount: note.lineCount,
    hasBom: note.hasBom,
    eol: JSON.stringify(note.eol),
    frontMatter: fm && {
      loc: s(fm.loc),
      closed: fm.closed,
      language: fm.language ?? null,
      fields: fm.fields.map((f) => ({
        key: f.key,
        kind: f.kind,
        keyLoc: s(f.keyLoc),
        valueLoc: s(f.valueLoc),
        ...(f.items ? { style: f.listStyle, items: f.items.map((i) => `${s(i.valueLoc)} ${JSON.stringify(i.value)}`) } : { value: f.value }),
      })),
    },
    entities: note.entities.map((e) => `${e.key}[${e.index}] ${s(e.loc)} ${e.value}`),
    headings: note.body.headings.map((h) => `h${h.level} ${s(h.textLoc)} ${h.text}`),
    definitions: note.body.definitions.map((d) => ({
      term: d.term,
      english: d.english ?? null,
      definition: d.definition,
      variant: d.variant,
      loc: s(d.loc),
      termLoc: s(d.termLoc),
      englishLoc: s(d.englishLoc),
      definitionLoc: s(d.definitionLoc),
    })),
    bolds: note.body.bolds.length,
    problems: problems.map((p) => `${r(p.range)} ${p.severity} ${p.code}`),
  };
}

for (const [name, dir] of [['fixtures', fixtureVault], ['examples', exampleVault]] as const) {
  describe(`golden models: ${name}`, () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort()) {
      it(file, () => {
        const read = decodeNote(readFileSync(path.join(dir, file)));
        assert.ok(read.ok);
        const actual = JSON.stringify(golden(read.text), null, 1) + '\n';
        const goldenFile = path.join(goldenDir, name, file.replace(/\.md$/, '.json'));
        if (update || !existsSync(goldenFile)) {
          if (!update) assert.fail(`missing golden file ${path.relative(repoRoot, goldenFile)}: run with UPDATE_GOLDEN=1`);
          mkdirSync(path.dirname(goldenFile), { recursive: true });
          writeFileSync(goldenFile, actual);
        }
        assert.equal(actual, readFileSync(goldenFile, 'utf8'));
      });
    }
  });
}
