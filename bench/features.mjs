#!/usr/bin/env node
// In-process micro benchmark of glossary hover and entity completion (bench/FINDINGS.md items 3 and 4).
// It builds a WorkspaceIndex from a generated vault (bench/generate.mjs, deterministic), opens a few of
// its notes as an editor would (a fresh parse), and times the feature dispatchers directly, without the
// LSP transport: p50/p99 over many positions, in three passes — first request at each position (cold
// caches), the same requests again (warm), and each request right after the note it runs in was
// re-indexed (what typing in that note does); warm and typing take the median of five runs per position. Run `npx tsc -b` first; it loads the compiled out/.
//
// Usage: node bench/features.mjs [--notes 1000,5000] [--open 20]
// Summaries are parsed once per vault and kept in .bench/summaries-N.json, so re-runs start quickly.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { listFiles } from './files.mjs';
import { generate } from './generate.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = (p) => require(path.join(root, 'out/server/src', p));
const { parseNote } = out('core/parse/note.js');
const { NoteSummary, summaryData } = out('core/index/summary.js');
const { WorkspaceIndex } = out('core/index/workspaceIndex.js');
const { hover } = out('core/features/hover.js');
const { complete } = out('core/features/completion.js');
const { DEFAULT_CORE_SETTINGS } = out('core/features/context.js');

function args() {
  const a = { notes: [1000, 5000], open: 20 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--notes') a.notes = argv[++i].split(',').map(Number);
    else if (argv[i] === '--open') a.open = Number(argv[++i]);
  }
  return a;
}

/** Packed summary data as JSON: typed arrays become arrays of numbers, and back. */
const toJSON = (d) => JSON.stringify(d, (k, v) => (ArrayBuffer.isView(v) ? { typed: v.constructor.name, values: Array.from(v) } : v));
const fromJSON = (s) => JSON.parse(s, (k, v) => (v && typeof v === 'object' && v.typed ? globalThis[v.typed].from(v.values) : v));

function summaries(n, dir) {
  // structuredClone gives each summary its own strings, as the worker thread does (no slices of the text).
  const cache = path.join(root, '.bench', `summaries-${n}.v4.json`);
  if (existsSync(cache)) return fromJSON(readFileSync(cache, 'utf8')).map((d) => new NoteSummary(d));
  const t0 = performance.now();
  const list = listFiles(dir).map((f) => globalThis.structuredClone(summaryData(pathToFileURL(f).href, parseNote(readFileSync(f, 'utf8')).note)));
  writeFileSync(cache, toJSON(list));
  console.log(`  parsed ${n} notes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return list.map((d) => new NoteSummary(d));
}

function positionAt(text, offset) {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) { line++; start = i + 1; }
  return { line, character: offset - start };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function run(n, open) {
  const { dir } = generate({ notes: n, log: (s) => console.log(s) });
  const list = summaries(n, dir);
  const index = new WorkspaceIndex();
  const t0 = performance.now();
  for (const s of list) index.set(s);
  const indexMs = performance.now() - t0;
  const paths = listFiles(dir);
  // Open notes spread over the vault; hovers on their definitions and bold spans, completions in their
  // people lists with an empty, one- and two-character prefix.
  const docs = [];
  for (let i = 0; i < open; i++) {
    const at = Math.floor((i * paths.length) / open);
    const text = readFileSync(paths[at], 'utf8');
    // The uri the summaries were made with (the vault may be reached through another path now).
    const uri = list[at].uri;
    const { note, problems } = parseNote(text);
    const ctx = { uri, text, note, problems, index, settings: DEFAULT_CORE_SETTINGS };
    const hovers = [];
    for (const d of note.body.definitions.slice(0, 8)) hovers.push(positionAt(text, d.termLoc.start + 1));
    for (const b of note.body.bolds.slice(0, 4)) hovers.push(positionAt(text, b.textLoc.start + 1));
    const completions = [];
    for (const e of note.entities.filter((x) => x.key === 'people').slice(0, 5)) {
      for (const k of [0, 1, 2]) completions.push(positionAt(text, e.loc.start + (text[e.loc.start] === '"' ? 1 : 0) + k));
    }
    docs.push({ ctx, hovers, completions, summary: index.get(uri) });
  }
  const time = (fn) => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  };
  const result = { notes: n, indexMs };
  for (const [name, feature, key] of [['hover', hover, 'hovers'], ['completion', complete, 'completions']]) {
    const cold = [];
    const warm = [];
    const typing = [];
    let answered = 0;
    for (const d of docs) for (const p of d[key]) cold.push(time(() => { if (feature(d.ctx, p)) answered++; }));
    // Warm and typing: the median of five runs at each position, so that a garbage collection of the
    // benchmark's own large heap (every summary of the vault, parsed from JSON) landing in one request
    // does not pass for the request's cost.
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    for (const d of docs) for (const p of d[key]) warm.push(median([0, 1, 2, 3, 4].map(() => time(() => feature(d.ctx, p)))));
    for (const d of docs) {
      for (const p of d[key]) {
        // Typing in the note: its summary is replaced (a new object, as the indexer does) before the request.
        typing.push(median([0, 1, 2, 3, 4].map(() => {
          index.set(new NoteSummary({ ...d.summary.data }));
          return time(() => feature(d.ctx, p));
        })));
      }
    }
    result[name] = {
      requests: cold.length, answered,
      cold: { p50: pct(cold, 50), p99: pct(cold, 99) },
      warm: { p50: pct(warm, 50), p99: pct(warm, 99) },
      typing: { p50: pct(typing, 50), p99: pct(typing, 99) },
    };
  }
  return result;
}

const a = args();
const results = [];
for (const n of a.notes) {
  const r = run(n, a.open);
  results.push(r);
  const f = (x) => `${x.p50.toFixed(2)} / ${x.p99.toFixed(2)}`;
  console.log(`${n} notes (index.set of all: ${(r.indexMs / 1000).toFixed(1)} s)`);
  for (const name of ['hover', 'completion']) {
    const x = r[name];
    console.log(`  ${name.padEnd(10)} ${x.answered}/${x.requests} answered · p50 / p99 ms  cold ${f(x.cold)} · warm ${f(x.warm)} · typing ${f(x.typing)}`);
  }
}
if (results.length > 1) {
  const [small, big] = [results[0], results[results.length - 1]];
  for (const name of ['hover', 'completion']) {
    const ratio = (k) => (big[name][k].p99 / small[name][k].p99).toFixed(2);
    console.log(`p99(${big.notes})/p99(${small.notes}) ${name}: cold ${ratio('cold')} · warm ${ratio('warm')} · typing ${ratio('typing')}`);
  }
}
