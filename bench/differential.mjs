#!/usr/bin/env node
// The differential check the issue asks of any faster path for closed notes: every note of a vault is
// summarised as the scan's parser thread does it (`parseNote(text, { forIndex: true })`: front matter of
// the common shape read straight from its syntax tree, no YAML Document) and as an open note is (the
// full parse with `yaml`'s Composer), and the two summaries, front-matter fields, entities and problems
// must be equal. Prints one JSON line: { notes, fast, differences: [first few] }; exits 1 on a difference.
//
// Usage: node bench/differential.mjs <vault folder>   (build first: npx tsc -b)
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listFiles } from './files.mjs';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(repo, 'out/server/src/core');
const { parseNote } = require(path.join(out, 'parse/note.js'));
const { summaryData } = require(path.join(out, 'index/summary.js'));

const vault = path.resolve(process.argv[2] ?? path.join(repo, '.bench/vault-1000'));
const differences = [];
let notes = 0;
let fast = 0;
for (const file of listFiles(vault)) {
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const uri = pathToFileURL(file).href;
  const full = parseNote(text);
  const index = parseNote(text, { forIndex: true });
  notes++;
  if (index.note.frontMatter && index.note.frontMatter.yaml === undefined && full.note.frontMatter?.yaml !== undefined) fast++;
  const what = [
    ['summary', summaryData(uri, full.note), summaryData(uri, index.note)],
    ['fields', full.note.frontMatter?.fields, index.note.frontMatter?.fields],
    ['data', full.note.frontMatter?.data, index.note.frontMatter?.data],
    ['entities', full.note.entities, index.note.entities],
    ['problems', full.problems, index.problems],
  ];
  for (const [name, a, b] of what) {
    if (!isDeepStrictEqual(a, b)) differences.push(`${path.relative(vault, file)}: ${name}`);
  }
}
process.stdout.write(JSON.stringify({ notes, fast, differences: differences.slice(0, 5), count: differences.length }) + '\n');
process.exitCode = differences.length ? 1 : 0;
