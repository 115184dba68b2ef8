#!/usr/bin/env node
// A peer for comparison: yaml-language-server's own service (the one behind the YAML extension) validating
// the front matter of every note, read from disk, with a small schema of the list keys. Run in a fresh
// process by bench/run.mjs; prints { ms, notes, diagnostics, rssMB }.
//
// Usage: node bench/yls.mjs <vault folder>
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { getLanguageService } = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');

const list = { type: 'array', items: { type: 'string' } };
const SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string' }, date: { type: 'string' }, people: list, companies_orgs: list, media_books: list,
    products_models: list, tags: list, project: list, speaker: { type: 'string' }, guest: { type: 'string' },
  },
};

function listFiles(root) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.md')) out.push(path.join(d, e.name));
    }
  };
  walk(root);
  return out;
}

const dir = process.argv[2];
const service = getLanguageService({
  schemaRequestService: () => Promise.resolve(JSON.stringify(SCHEMA)),
  workspaceContext: { resolveRelativePath: (p, base) => new URL(p, base).href },
});
service.configure({ validate: true, hover: false, completion: false, schemas: [{ uri: 'notesense://front-matter.json', fileMatch: ['*.yaml'], schema: SCHEMA }] });
const files = listFiles(dir);
const t0 = performance.now();
let diagnostics = 0;
for (const file of files) {
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const close = text.indexOf('\n---', 4);
  const fm = close > 0 ? text.slice(text.indexOf('\n') + 1, close + 1) : '';
  const doc = TextDocument.create(pathToFileURL(file).href.replace(/\.md$/, '.yaml'), 'yaml', 1, fm);
  diagnostics += (await service.doValidation(doc, false)).length;
}
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, notes: files.length, diagnostics, rssMB: process.memoryUsage().rss / 1048576 }) + '\n');
