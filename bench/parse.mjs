#!/usr/bin/env node
// Micro-benchmark of the summary worker's job, one stage at a time, in this process over every note of a
// vault (default .bench/vault-1000; generate it with `npm run bench` or bench/generate.mjs):
//
//   bytes      read every note as bytes (readFileSync), nothing else;
//   read       the host's readNote (open without following links, stat, bounded read, UTF-8 check, decode),
//              with the vault as workspace root, as the worker calls it;
//   parse      parseNote over the texts already in memory;
//   parse-ix   the same with { forIndex: true }, as the worker parses (front matter of the common shape
//              read from its syntax tree, no YAML Document);
//   summarize  summarize(parseNote(text)) over the texts already in memory;
//   job        summarizeFile: read + parse + summarize, the whole job of the worker thread.
//
// Each stage is the median of 5 passes (after one warm-up pass). The minimal js-yaml index of
// bench/baseline.mjs (read + front matter + one pass for bold terms, single-threaded) runs in 5 fresh
// processes for the ratio the cold-index target is stated against. The machine is shared and noisy:
// compare ratios from the same run, not milliseconds across runs.
//
// Usage: node bench/parse.mjs [vault folder]   (build first: npx tsc -b)
//        BENCH_OUT=/tmp/out-before node bench/parse.mjs   (another build of out/)
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listFiles } from './files.mjs';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vault = path.resolve(process.argv[2] ?? path.join(repo, '.bench/vault-1000'));
const PASSES = 5;
// BENCH_OUT=<folder> measures another build of `out/` (a copy of an older one, say) in the same way.
const out = path.resolve(process.env.BENCH_OUT ?? path.join(repo, 'out'));

const { parseNote } = require(path.join(out, 'server/src/core/parse/note.js'));
const { summarize } = require(path.join(out, 'server/src/core/index/summary.js'));
const { readNote, DEFAULT_MAX_FILE_BYTES } = require(path.join(out, 'server/src/host/files.js'));
const { summarizeFile } = require(path.join(out, 'server/src/lsp/summaryWorker.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(pass) {
  await pass();
  const times = [];
  for (let i = 0; i < PASSES; i++) {
    const t = performance.now();
    await pass();
    times.push(performance.now() - t);
  }
  return median(times);
}

const files = listFiles(vault);
if (files.length === 0) {
  console.error(`no .md files in ${vault}`);
  process.exit(1);
}
let texts = [];
let sink = 0;

const stages = {};
stages.bytes = await measure(() => {
  for (const f of files) sink += readFileSync(f).length;
});
stages.read = await measure(async () => {
  const out = [];
  for (const f of files) {
    const r = readNote(f, DEFAULT_MAX_FILE_BYTES, { root: vault });
    if (!r.ok) throw new Error(`${f}: ${r.reason} ${r.detail}`);
    out.push(r.text);
  }
  texts = out;
});
stages.parse = await measure(() => {
  for (const text of texts) sink += parseNote(text).note.body.bolds.length;
});
stages['parse-ix'] = await measure(() => {
  for (const text of texts) sink += parseNote(text, { forIndex: true }).note.body.bolds.length;
});
const uris = files.map((f) => pathToFileURL(f).href);
stages.summarize = await measure(() => {
  for (let i = 0; i < texts.length; i++) sink += summarize(uris[i], parseNote(texts[i]).note).data.bolds.length;
});
stages.job = await measure(async () => {
  for (let i = 0; i < files.length; i++) {
    const r = await summarizeFile({ file: files[i], uri: uris[i], maxBytes: DEFAULT_MAX_FILE_BYTES, root: vault, options: {} });
    if (!r.ok) throw new Error(`${files[i]}: not read`);
    sink += r.summary.bolds.length;
  }
});

// The minimal js-yaml index, each pass a fresh process as bench/run.mjs runs it.
const baseline = [];
for (let i = 0; i < PASSES; i++) {
  const r = spawnSync(process.execPath, [path.join(repo, 'bench/baseline.mjs'), 'js-yaml', vault], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`baseline failed: ${r.stderr}`);
  baseline.push(JSON.parse(r.stdout.trim().split('\n').pop()).ms);
}
const jsyaml = median(baseline);

const bytes = texts.reduce((n, t) => n + t.length, 0);
console.log(`build ${out}\nvault ${vault}: ${files.length} notes, ${(bytes / 1e6).toFixed(1)}M UTF-16 units; median of ${PASSES} passes (sink ${sink % 10})`);
console.log('stage       ms/vault  ms/note   ×bytes  ×js-yaml-index');
const row = (name, ms) =>
  console.log(`${name.padEnd(10)} ${ms.toFixed(0).padStart(9)} ${(ms / files.length).toFixed(3).padStart(8)} ${(ms / stages.bytes).toFixed(2).padStart(8)} ${(ms / jsyaml).toFixed(2).padStart(15)}`);
for (const [name, ms] of Object.entries(stages)) row(name, ms);
row('js-yaml', jsyaml);
