/**
 * gray-matter is the split most Markdown tools use. NoteSense splits notes itself (for positions and
 * because gray-matter can evaluate `---js` blocks), so this differential test checks that, on every
 * well-formed note we have, both splits agree on where the front matter and the body are.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import matter from 'gray-matter';
import { parseNote } from '../../../server/src/core/parse/note';
import { exampleVault, fixturesDir } from '../../support/paths';

function notesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: import('node:fs').Dirent[] = [];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md') && e.name !== 'README.md') out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('the split agrees with gray-matter on well-formed notes', () => {
  const files = [...notesUnder(exampleVault), ...notesUnder(fixturesDir)];
  let compared = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const { note } = parseNote(text);
    const fm = note.frontMatter;
    // Only notes that both tools can read: closed YAML front matter, no lone CR line breaks.
    if (!fm || !fm.closed || fm.language !== undefined || /\r(?!\n)/.test(text)) continue;
    compared++;
    it(path.relative(path.dirname(exampleVault), file), () => {
      // The engine never runs anything: it only records that gray-matter handed it the YAML text.
      const theirs = matter(text, { engines: { yaml: () => ({}) } });
      const ours = text.slice(fm.contentLoc.start, fm.contentLoc.end);
      assert.equal(ours.replace(/\r?\n$/, ''), theirs.matter.replace(/^\r?\n/, '').replace(/\r$/, ''));
      assert.equal(text.slice(note.body.start), theirs.content);
    });
  }
  it('compared a meaningful number of notes', () => {
    assert.ok(compared >= 5, `only ${compared} notes compared`);
  });
});
