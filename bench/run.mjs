#!/usr/bin/env node
// `npm run bench`: generates the vaults, measures the baselines and the product in the same run, writes
// BENCHMARKS.md, and exits with 1 when a target of the performance issue is broken (2 when the index the
// server built does not match the manifest: a fast wrong index is a failure, not a result).
//
//   npm run bench                    1k and 10k notes (about 10 minutes on 2 cores)
//   npm run bench -- --quick         1k notes only, fewer repetitions (about 2 minutes)
//   npm run bench -- --sizes 1000,10000,20000,50000
//   options: --runs N (fresh processes per figure), --no-peer (skip yaml-language-server),
//            --report FILE (default BENCHMARKS.md), --out DIR (default .bench), --no-gate (never exit 1),
//            --from-results FILE (re-render the report of an earlier run's results.json), --note TEXT
//
// The build (`tsc -b` and the bundle) runs before this script in `npm run bench`.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';
import { coldRun, fullRun, median, percentile } from './lsp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

function parseArgs(argv) {
  const a = { quick: false, sizes: undefined, runs: undefined, peer: true, report: 'BENCHMARKS.md', out: '.bench', gate: true, requests: 400 };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i];
    if (s === '--quick') a.quick = true;
    else if (s === '--sizes') a.sizes = argv[++i].split(',').map(Number);
    else if (s === '--runs') a.runs = Number(argv[++i]);
    else if (s === '--no-peer') a.peer = false;
    else if (s === '--report') a.report = argv[++i];
    else if (s === '--out') a.out = argv[++i];
    else if (s === '--no-gate') a.gate = false;
    else if (s === '--requests') a.requests = Number(argv[++i]);
    else if (s === '--from-results') a.fromResults = argv[++i];
    else if (s === '--note') a.note = argv[++i];
    else throw new Error(`unknown option ${s}`);
  }
  a.sizes ??= a.quick ? [1000] : [1000, 10000];
  return a;
}

const log = (s) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

function child(args) {
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * bench/differential.mjs over a vault: the parse the scan's parser thread makes of each note (front matter
 * of the common shape read from its syntax tree) against the full parse, summaries and all.
 */
function differential(dir) {
  const r = spawnSync(process.execPath, [path.join(here, 'differential.mjs'), dir], { cwd: repo, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { notes: 0, fast: 0, count: NaN, differences: [`the check failed: ${r.stderr.slice(0, 300)}`] };
  }
}

/**
 * `notesense check <vault> --format json` in one process, as CI runs it: its time from spawn to exit, its
 * peak RSS, and what it reported (the JSON goes to a file: at 10k notes it is ~70 MB).
 */
function cliCheck(dir) {
  const out = path.join(os.tmpdir(), `notesense-bench-check-${process.pid}.json`);
  const fd = openSync(out, 'w');
  const start = performance.now();
  try {
    const r = spawnSync(process.execPath, ['--require', path.join(here, 'maxrss.cjs'), path.join(repo, 'dist', 'cli.js'), 'check', dir, '--format', 'json'],
      { cwd: repo, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const ms = performance.now() - start;
    // 1 means errors were found in the notes, which the generated vaults have on purpose.
    if (r.status !== 0 && r.status !== 1) return { ms: NaN, failure: `exit ${r.status}: ${String(r.stderr).slice(0, 300)}` };
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const kb = Number(/NOTESENSE_BENCH_MAXRSS_KB (\d+)/.exec(r.stderr)?.[1]);
    return { ms, maxRssMB: kb / 1024, files: report.files, diagnostics: report.diagnostics.length };
  } finally {
    closeSync(fd);
    rmSync(out, { force: true });
  }
}

/** Median over `runs` fresh processes of one baseline mode. */
function baseline(mode, dir, runs) {
  // --expose-gc only lets the baseline report what it keeps after a full collection, once it has finished.
  const results = Array.from({ length: runs }, () => child(['--expose-gc', path.join(here, 'baseline.mjs'), mode, dir]));
  const gcd = results.map((r) => r.afterGc).filter((m) => m !== undefined);
  const afterGc = gcd.length ? { rssMB: median(gcd.map((m) => m.rssMB)), heapMB: median(gcd.map((m) => m.heapMB)), arrayBuffersMB: median(gcd.map((m) => m.arrayBuffersMB)) } : undefined;
  return { ...results[0], ms: median(results.map((r) => r.ms)), all: results.map((r) => r.ms), rssMB: median(results.map((r) => r.rssMB)), afterGc };
}

async function measureSize(notes, args) {
  // Three fresh processes at every size: the median of two is their mean, which one slow sample moves
  // (this machine's bare cold index at 10k took 7.9–10.4 s between runs of the same build).
  const runs = args.runs ?? (args.quick ? 2 : 3);
  log(`vault of ${notes} notes`);
  const { dir, manifest } = generate({ notes, out: path.resolve(repo, args.out), log });
  const r = { notes, manifest: { notes: manifest.notes, bytes: manifest.bytes, chars: manifest.chars, entityPairs: manifest.entityPairs, distinctTerms: manifest.distinctTerms, definitions: manifest.definitions } };
  const baselineRuns = Math.max(3, runs);
  log(`  baselines (${baselineRuns} fresh processes each)`);
  r.bytes = baseline('bytes', dir, baselineRuns);
  r.jsyaml = baseline('js-yaml', dir, baselineRuns);
  r.yaml = baseline('yaml', dir, baselineRuns);
  for (const b of [r.jsyaml, r.yaml]) {
    b.valid = b.pairs === manifest.entityPairs && b.terms === manifest.distinctTerms && b.definitions === manifest.definitions;
  }
  log('  differential check: the index\'s parse of every note against the full parse');
  r.differential = differential(dir);
  r.reparse = child([path.join(here, 'baseline.mjs'), 'reparse', repo, path.join(dir, ...manifest.probe.file.split('/'))]);
  const cacheDirectory = path.resolve(repo, args.out, `cache-${notes}`);
  const fresh = () => rmSync(cacheDirectory, { recursive: true, force: true });
  const initializationOptions = { cacheDirectory };
  // The full run's scan is not a cold sample: its hover or completion every 20 ms costs the main thread a
  // catch-up with each round of the scan (at 10k that made its scan up to half as long again as a bare
  // one), so it is reported on its own row. The cold samples are bare cold runs; each restart follows a
  // run that wrote the cache.
  log('  product: full run (requests while indexing, index check, latencies, keystroke, RSS)');
  fresh();
  // A server that crashes (out of memory at 10k, say) or times out is a result too: it is reported as a
  // failure of that size instead of ending the benchmark without a report.
  const attempt = async (f, empty) => {
    try {
      return await f();
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);
      log(`  FAILED: ${message}`);
      r.errors = [...(r.errors ?? []), message];
      return empty;
    }
  };
  const noRun = { ms: NaN };
  r.full = await attempt(() => fullRun({ repo, vault: dir, manifest, initializationOptions, requests: args.requests }), {
    coldMs: NaN, waitsDuringIndex: [], failures: ['the full run failed'], check: { via: 'none' },
    completion: { p50: NaN, p99: NaN, items: 0 }, hover: { p50: NaN, p99: NaN }, keystroke: { p50: NaN, p99: NaN, probeP50: NaN, netP50: NaN, netP99: NaN, checked: false }, rssAfterIndex: NaN,
  });
  const colds = [];
  const restarts = [];
  log(`  product: ${runs} bare cold runs; restarts with the cache the full run and each cold run but the last left`);
  // A restart is checked like the full run: the manifest's counts, every note from the cache and by its groups.
  const restart = () => coldRun({ repo, vault: dir, initializationOptions, manifest });
  restarts.push(await attempt(restart, noRun));
  for (let i = 0; i < runs; i++) {
    fresh();
    colds.push(await attempt(() => coldRun({ repo, vault: dir, initializationOptions }), noRun));
    if (i < runs - 1) restarts.push(await attempt(restart, noRun));
  }
  r.cold = { ms: median(colds.map((c) => c.ms)), all: colds.map((c) => c.ms) };
  // Memory of the bare cold runs: RSS at the progress `end`, and what is left after a full collection.
  const gcd = colds.map((c) => c.afterGc).filter((m) => m !== undefined);
  r.cold.rss = { ms: median(colds.map((c) => c.rss)), all: colds.map((c) => c.rss) };
  if (gcd.length) r.cold.afterGc = { rssMb: median(gcd.map((m) => m.rssMb)), heapUsedMb: median(gcd.map((m) => m.heapUsedMb)), arrayBuffersMb: median(gcd.map((m) => m.arrayBuffersMb)) };
  r.restart = { ms: median(restarts.map((c) => c.ms)), all: restarts.map((c) => c.ms), failures: [] };
  for (const c of restarts) {
    if (!c.check) r.restart.failures.push('a restart failed');
    else r.restart.failures.push(...c.check.failures);
    // The full run's cache lacks the note it kept open (a buffer is never cached): one fewer after it.
    if (c.restore && c.restore.restored < manifest.notes - 1) r.restart.failures.push(`a restart took ${c.restore.restored} of ${manifest.notes} notes from the cache`);
    if (c.restore && c.restore.grouped !== c.restore.restored) r.restart.failures.push(`a restart grouped ${c.restore.restored - c.restore.grouped} notes again (the cache's groups were not used)`);
  }
  r.restart.grouped = restarts.map((c) => c.restore?.grouped ?? NaN);
  const waits = r.full.waitsDuringIndex;
  r.full.maxWaitDuringIndex = waits.length ? Math.max(...waits) : NaN;
  r.full.requestsDuringIndex = waits.length;
  // The distribution too: the limit is on the longest, which one garbage collection can make.
  r.full.waitP50DuringIndex = waits.length ? percentile(waits, 50) : NaN;
  r.full.waitP90DuringIndex = waits.length ? percentile(waits, 90) : NaN;
  delete r.full.waitsDuringIndex;
  if (args.peer && notes <= 1000) {
    log('  peer: yaml-language-server validating the front matter');
    r.peer = child([path.join(here, 'yls.mjs'), dir]);
  }
  log('  CLI: notesense check over the vault, one process');
  r.cli = cliCheck(dir);
  log(`  cold ${fmt(r.cold.ms)} ms (js-yaml minimal ${fmt(r.jsyaml.ms)} ms, yaml minimal ${fmt(r.yaml.ms)} ms), restart ${fmt(r.restart.ms)} ms, CLI check ${fmt(r.cli.ms)} ms`);
  return r;
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const mb = (b) => b / 1048576;

/** Every target of the issue: [name, measured, limit, passes, applies]. */
function targets(results) {
  const small = results[0];
  const big = results[results.length - 1];
  const at10k = big.notes >= 10000;
  const out = [];
  const add = (name, value, limit, unit, ok = value <= limit, applies = true) => out.push({ name, value, limit, unit, ok: Number.isFinite(value) && ok, applies });
  for (const r of results) {
    const n = `${r.notes / 1000}k`;
    add(`index matches the manifest (${n})`, r.full.failures.length, 0, 'failures');
    if (r.differential) add(`index parse equals the full parse on every note (${n})`, r.differential.count, 0, 'differences');
    add(`cold index / minimal js-yaml index (${n})`, r.cold.ms / r.jsyaml.ms, 1.5, '×', undefined, r === big);
    add(`cold index / minimal yaml index (${n})`, r.cold.ms / r.yaml.ms, 1, '×', undefined, r === big);
    add(`restart with cache / cold (${n})`, r.restart.ms / r.cold.ms, 0.25, '×', undefined, r === big);
    if (r.restart.failures) add(`restarts' index matches the manifest, every note from the cache's groups (${n})`, r.restart.failures.length, 0, 'failures');
    add(`max request wait during the cold index (${n})`, r.full.maxWaitDuringIndex, 50, 'ms');
    add(`keystroke less the probe's round trip / single-note re-parse (${n})`, r.full.keystroke.netP50 / r.reparse.ms, 1.5, '×', undefined, r === big);
  }
  add(`completion p99 (${big.notes / 1000}k)`, big.full.completion.p99, 10, 'ms', undefined, at10k);
  add(`hover p99 (${big.notes / 1000}k)`, big.full.hover.p99, 5, 'ms', undefined, at10k);
  if (big.full.hoverCommon) add(`hover p99 on a term ${big.full.hoverCommon.notes} notes define (${big.notes / 1000}k)`, big.full.hoverCommon.p99, 5, 'ms', undefined, at10k);
  add(`RSS after indexing (${big.notes / 1000}k)`, mb(big.full.rssAfterIndex), 150, 'MB', undefined, at10k);
  add(`RSS after indexing / corpus bytes (${big.notes / 1000}k)`, big.full.rssAfterIndex / big.manifest.bytes, 0.2, '×', undefined, at10k);
  if (results.length > 1) {
    add(`completion p99 ${big.notes / 1000}k / 1k`, big.full.completion.p99 / small.full.completion.p99, 1.5, '×');
    add(`hover p99 ${big.notes / 1000}k / 1k`, big.full.hover.p99 / small.full.hover.p99, 1.5, '×');
    if (big.full.hoverCommon && small.full.hoverCommon) {
      add(`hover p99 on the common term ${big.notes / 1000}k / 1k`, big.full.hoverCommon.p99 / small.full.hoverCommon.p99, 1.5, '×');
    }
    add(`cold T(${big.notes / 1000}k) / T(1k)`, big.cold.ms / small.cold.ms, 10 * (big.notes / small.notes) / 10, '×');
  }
  return out;
}

function report(results, checks, args) {
  const cpus = os.cpus();
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push('Written by `npm run bench` (bench/run.mjs); do not edit by hand. Every product figure is set against');
  lines.push('baselines measured in the same run on the same machine: reading every note as bytes, and a minimal index');
  lines.push('(read, split off the front matter, parse it, collect every list item, one pass over the body for bold');
  lines.push('terms), single-threaded, with js-yaml (the fastest YAML parser installed) and with `yaml`. Times are');
  lines.push('medians over fresh processes; the vaults come from bench/generate.mjs (seeded, notes of the seed\'s size).', '');
  lines.push('## Machine', '');
  lines.push(`- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores`);
  lines.push(`- Memory: ${fmt(os.totalmem() / 2 ** 30, 1)} GiB`);
  lines.push(`- Node ${process.version}, ${os.type()} ${os.release()}`);
  lines.push(`- Date: ${runInfo.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  lines.push(`- Command: \`npm run bench${args.quick ? ' -- --quick' : ''}\``);
  if (args.note) lines.push(`- Note: ${args.note}`);
  lines.push(`- Load average (1 min) at start / end: ${fmt(runInfo.loadStart, 1)} / ${fmt(runInfo.loadEnd, 1)} — other work on the machine inflates every figure, the baselines included`, '');
  lines.push('## Vaults', '');
  lines.push('| notes | corpus | characters | entity (key, value) pairs | distinct terms | definitions |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  for (const r of results) lines.push(`| ${r.notes} | ${fmt(r.manifest.bytes / 1e6, 1)} MB | ${fmt(r.manifest.chars / 1e6, 1)} M | ${r.manifest.entityPairs} | ${r.manifest.distinctTerms} | ${r.manifest.definitions} |`);
  lines.push('', '## Figures', '');
  const head = ['', ...results.map((r) => `${r.notes / 1000}k notes`)];
  const row = (name, f) => `| ${name} | ${results.map(f).join(' | ')} |`;
  lines.push(`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`);
  // Every sample is shown: on a shared machine the spread says how far to trust a ratio.
  const samples = (x) => (x.all && x.all.length > 1 ? ` <sub>(${x.all.map((v) => fmt(v)).join(', ')})</sub>` : '');
  lines.push(row('read every file as bytes', (r) => `${fmt(r.bytes.ms)} ms${samples(r.bytes)}`));
  lines.push(row('minimal index, js-yaml', (r) => `${fmt(r.jsyaml.ms)} ms${samples(r.jsyaml)}${r.jsyaml.valid ? '' : ' (counts differ from the manifest)'}`));
  lines.push(row('minimal index, yaml', (r) => `${fmt(r.yaml.ms)} ms${samples(r.yaml)}${r.yaml.valid ? '' : ' (counts differ from the manifest)'}`));
  lines.push(row('**NoteSense cold index** (spawn → progress end)', (r) => `**${fmt(r.cold.ms)} ms** (${fmt(r.cold.ms / r.jsyaml.ms, 2)}× js-yaml, ${fmt(r.cold.ms / r.yaml.ms, 2)}× yaml)${samples(r.cold)}`));
  lines.push(row('the same with a hover or completion every 20 ms (full run)', (r) => `${fmt(r.full.coldMs)} ms (${fmt(r.full.coldMs / r.cold.ms, 2)}× the bare cold index)`));
  lines.push(row('NoteSense restart, unchanged vault, cache', (r) => `${fmt(r.restart.ms)} ms (${fmt(r.restart.ms / r.cold.ms, 2)}× cold)${samples(r.restart)}`));
  lines.push(row('index parse (front matter from the syntax tree) = full parse', (r) => r.differential
    ? `${r.differential.count === 0 ? 'equal' : `**${fmt(r.differential.count)} differences**`} on ${r.differential.notes} notes (${r.differential.fast} read from the tree)`
    : 'n/a'));
  lines.push(row('index check against the manifest', (r) => (r.full.failures.length ? `FAILED: ${r.full.failures.join('; ')}` : `ok (${r.full.check.via})`)));
  lines.push(row('restarts: index check, notes from the cache by its saved groups', (r) => (!r.restart.failures ? 'n/a' : r.restart.failures.length ? `FAILED: ${r.restart.failures.join('; ')}` : `ok (${r.restart.grouped.join(', ')})`)));
  if (results.some((r) => r.errors)) lines.push(row('server runs that failed', (r) => (r.errors ?? []).join('; ') || 'none'));
  lines.push(row('completion in a people list, p50 / p99', (r) => `${fmt(r.full.completion.p50, 2)} / ${fmt(r.full.completion.p99, 2)} ms (${r.full.completion.items} items)`));
  lines.push(row('completionItem/resolve of the first item, p50 / p99', (r) => r.full.resolve ? `${fmt(r.full.resolve.p50, 2)} / ${fmt(r.full.resolve.p99, 2)} ms` : 'n/a'));
  lines.push(row('hover on a defined term, p50 / p99', (r) => `${fmt(r.full.hover.p50, 2)} / ${fmt(r.full.hover.p99, 2)} ms${r.full.hover.notes ? ` (defined in ${r.full.hover.notes} notes)` : ''}`));
  lines.push(row('glossary completion after `**`: ready after the progress end / first request', (r) => (r.full.glossaryCompletion
    ? `${fmt(r.full.glossaryCompletion.preparedMs / 1000, 1)} s / ${fmt(r.full.glossaryCompletion.first, 1)} ms (${r.full.glossaryCompletion.items} items)` : 'n/a')));
  lines.push(row('the same, then p50 / p99 after `**` and after `**s`', (r) => (r.full.glossaryCompletion
    ? `${fmt(r.full.glossaryCompletion.p50, 1)} / ${fmt(r.full.glossaryCompletion.p99, 1)} ms, ${fmt(r.full.glossaryCompletion.letterP50, 1)} / ${fmt(r.full.glossaryCompletion.letterP99, 1)} ms` : 'n/a')));
  lines.push(row('hover on the probe note\'s most widely defined term, p50 / p99', (r) => (r.full.hoverCommon
    ? `${fmt(r.full.hoverCommon.p50, 2)} / ${fmt(r.full.hoverCommon.p99, 2)} ms (defined in ${r.full.hoverCommon.notes} notes)` : 'n/a')));
  lines.push(row('one keystroke in a 27k-char note → index updated, p50 / p99', (r) => `${fmt(r.full.keystroke.p50, 1)} / ${fmt(r.full.keystroke.p99, 1)} ms (${r.full.keystroke.checked ? `${r.full.keystroke.confirmed}/${r.full.keystroke.of} confirmed` : 'unchecked'})`));
  lines.push(row('the same probe with no edit pending (round trip), p50', (r) => `${fmt(r.full.keystroke.probeP50, 2)} ms`));
  lines.push(row('keystroke less that round trip, p50 / p99', (r) => `${fmt(r.full.keystroke.netP50, 2)} / ${fmt(r.full.keystroke.netP99, 2)} ms (${fmt(r.full.keystroke.netP50 / r.reparse.ms, 2)}× re-parse)`));
  lines.push(row('the same after 300 more keystrokes in the note (the typing path optimized; not the target\'s figure), p50 / p99', (r) => (r.full.keystroke.steady
    ? `${fmt(r.full.keystroke.steady.netP50, 2)} / ${fmt(r.full.keystroke.steady.netP99, 2)} ms (${fmt(r.full.keystroke.steady.netP50 / r.reparse.ms, 2)}× re-parse)` : 'n/a')));
  lines.push(row('single-note re-parse (parseNote, in process)', (r) => `${fmt(r.reparse.ms, 2)} ms`));
  lines.push(row('the same re-parse, each after 150 ms idle (as keystrokes come; not the target\'s baseline)', (r) => (r.reparse.pacedMs === undefined ? 'n/a' : `${fmt(r.reparse.pacedMs, 2)} ms (keystroke net ${fmt(r.full.keystroke.netP50 / r.reparse.pacedMs, 2)}× it)`)));
  lines.push(row('max hover/completion wait during the cold index', (r) => `${fmt(r.full.maxWaitDuringIndex)} ms (${r.full.requestsDuringIndex} requests)`));
  lines.push(row('the same waits, p50 / p90', (r) => `${fmt(r.full.waitP50DuringIndex)} / ${fmt(r.full.waitP90DuringIndex)} ms`));
  lines.push(row('the three longest: ms at seconds since the spawn (request)', (r) => (r.full.longestWaits ?? []).map((w) => `${fmt(w.ms)} at ${fmt(w.atMs / 1000, 1)} s (${w.kind})`).join(', ') || '–'));
  lines.push(row('RSS after indexing', (r) => `${fmt(mb(r.full.rssAfterIndex))} MB (${fmt(r.full.rssAfterIndex / r.manifest.bytes, 2)}× corpus, ${fmt(mb(r.full.rssAfterIndex) / r.jsyaml.rssMB, 2)}× the minimal js-yaml index's)`));
  // What bounds the figure above: the same at the end of the bare cold runs, then after a full collection
  // (what the server keeps, without the scan's garbage), and the minimal index's own RSS.
  lines.push(row('RSS at the progress end, bare cold runs (median)', (r) => (r.cold.rss ? `${fmt(mb(r.cold.rss.ms))} MB${r.cold.rss.all.length > 1 ? ` <sub>(${r.cold.rss.all.map((v) => fmt(mb(v))).join(', ')})</sub>` : ''}` : 'n/a')));
  lines.push(row('the same after a full collection: RSS / JS heap / array buffers', (r) => (r.cold.afterGc ? `${fmt(r.cold.afterGc.rssMb)} / ${fmt(r.cold.afterGc.heapUsedMb)} / ${fmt(r.cold.afterGc.arrayBuffersMb)} MB` : 'n/a')));
  lines.push(row('minimal js-yaml index: RSS at its end / after a full collection (its heap)', (r) => `${fmt(r.jsyaml.rssMB)} MB / ${r.jsyaml.afterGc ? `${fmt(r.jsyaml.afterGc.rssMB)} MB (${fmt(r.jsyaml.afterGc.heapMB)} MB)` : 'n/a'}`));
  lines.push(row('CLI `check --format json` over the vault (spawn → exit): time, peak RSS', (r) => (r.cli && Number.isFinite(r.cli.ms)
    ? `${fmt(r.cli.ms)} ms (${fmt(r.cli.ms / r.cold.ms, 2)}× the cold index), ${fmt(r.cli.maxRssMB)} MB (${r.cli.diagnostics} problems in ${r.cli.files} files)`
    : `failed${r.cli?.failure ? `: ${r.cli.failure}` : ''}`)));
  const cliSizes = results.filter((r) => r.cli && Number.isFinite(r.cli.ms));
  if (cliSizes.length > 1) {
    const [small, large] = [cliSizes[0], cliSizes[cliSizes.length - 1]];
    lines.push('', `CLI \`check\` T(${large.notes}) / T(${small.notes}): ${fmt(large.cli.ms / small.cli.ms, 2)}× for ${fmt(large.notes / small.notes)}× the notes (not a target of the issue; ` +
      'a pass of each note over every other note\'s definitions made it 48× at 10k / 1k).');
  }
  const peer = results.find((r) => r.peer);
  if (peer) {
    lines.push('', `Peer: yaml-language-server@1.19.2's service validating only the front matter of the ${peer.notes} notes took ` +
      `${fmt(peer.peer.ms)} ms, ${fmt(peer.peer.ms / peer.cold.ms, 2)}× NoteSense's whole cold index (front matter and bodies) of the same vault.`);
  }
  lines.push('', '## Targets', '');
  lines.push('| target | measured | limit | |', '|---|---:|---:|---|');
  for (const c of checks) {
    const status = !c.applies ? 'not gated at this size' : c.ok ? 'met' : `**missed** (${fmt(c.value / c.limit, 2)}× the limit)`;
    const v = c.unit === '×' ? `${fmt(c.value, 2)}×` : `${fmt(c.value, c.unit === 'ms' ? 1 : 0)} ${c.unit}`;
    const l = c.unit === '×' ? `${c.limit}×` : `${c.limit} ${c.unit}`;
    lines.push(`| ${c.name} | ${v} | ${l} | ${status} |`);
  }
  lines.push('');
  return lines.join('\n');
}

const args = parseArgs(process.argv.slice(2));
const runInfo = { date: new Date(), loadStart: os.loadavg()[0], loadEnd: NaN };
mkdirSync(path.resolve(repo, args.out), { recursive: true });
const results = [];
if (args.fromResults) {
  // Re-renders the report of an earlier run (medians recomputed from its samples) without measuring again.
  const earlier = JSON.parse(readFileSync(args.fromResults, 'utf8'));
  Object.assign(runInfo, { date: new Date(earlier.run?.date ?? statSync(args.fromResults).mtimeMs), loadStart: earlier.run?.loadStart ?? NaN, loadEnd: earlier.run?.loadEnd ?? NaN });
  for (const r of earlier.results) {
    for (const k of ['bytes', 'jsyaml', 'yaml', 'cold', 'restart']) if (r[k]?.all) r[k].ms = median(r[k].all);
    results.push(r);
  }
} else {
  for (const notes of args.sizes) results.push(await measureSize(notes, args));
}
if (!args.fromResults) runInfo.loadEnd = os.loadavg()[0];
const checks = targets(results);
const md = report(results, checks, args);
writeFileSync(path.resolve(repo, args.report), md);
writeFileSync(path.resolve(repo, args.out, 'results.json'), JSON.stringify({ run: runInfo, results, checks }, null, 1));
process.stdout.write(md);
const wrong = results.some((r) => r.full.failures.length > 0 || (r.restart.failures?.length ?? 0) > 0);
const missed = checks.filter((c) => c.applies && !c.ok);
if (missed.length) log(`targets missed: ${missed.map((c) => c.name).join('; ')}`);
if (args.gate && wrong) process.exit(2);
if (args.gate && missed.length) process.exit(1);
