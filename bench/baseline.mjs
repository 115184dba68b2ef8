#!/usr/bin/env node
// The baselines that bound what is possible on this machine, each run in a fresh process by bench/run.mjs:
//
//   bytes   read every note as bytes, nothing else;
//   js-yaml a minimal index: read, split off the front matter, parse it with js-yaml, collect every string
//           item of every top-level list (and the scalar speaker/guest), then one pass over the body for
//           bold spans, keeping the bold terms that open a definition; single-threaded;
//   yaml    the same minimal index with the `yaml` package (`parse`, no Document kept).
//
// It prints one JSON line: { mode, ms, notes, bytes, pairs, terms, definitions, rssMB, afterGc }. The counts
// let run.mjs check that the baseline did the work it claims (it must find what the manifest says);
// `afterGc` (with --expose-gc) is RSS, heap and array buffers after a full collection at the end.
//
//   reparse the product's parseNote on one note (median of 200, after warm-up): what a keystroke costs at
//           least; and (pacedMs) the median of 40 more, each after 150 ms idle, as keystrokes come.
//           Usage: node bench/baseline.mjs reparse <repo> <note file>
//
// Usage: node bench/baseline.mjs <mode> <vault folder>
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { listFiles } from './files.mjs';

const require = createRequire(import.meta.url);
const [mode, dir] = process.argv.slice(2);
const SCALAR_KEYS = new Set(['speaker', 'guest']);

function loadParser(name) {
  if (name === 'js-yaml') {
    const y = require('js-yaml');
    // The JSON schema keeps `2024-06-04` a string, as the product's YAML engine does, and skips the
    // timestamp resolver: the fastest correct setting.
    return (s) => y.load(s, { schema: y.JSON_SCHEMA });
  }
  const y = require('yaml');
  return (s) => y.parse(s, { uniqueKeys: true });
}

/** Splits `---\n…\n---\n` off the start; returns [frontMatter, bodyStart] (CRLF tolerated). */
function split(text) {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('---', i)) return [undefined, i];
  const open = text.indexOf('\n', i);
  if (open < 0) return [undefined, i];
  let at = open + 1;
  for (;;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(at, end - 1) : text.slice(at, end);
    if (line === '---') return [text.slice(open + 1, at), nl < 0 ? text.length : nl + 1];
    if (nl < 0) return [undefined, i];
    at = nl + 1;
  }
}

const OPEN = (c) => c === 0xff08 || c === 0x28;
const CLOSE = (c) => c === 0xff09 || c === 0x29;

/** The single-note re-parse the keystroke target compares with: the product's own `parseNote`. */
function reparse(file) {
  const { parseNote } = require(path.resolve(dir, 'out/server/src/core/parse/note.js'));
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  for (let i = 0; i < 30; i++) parseNote(text);
  const times = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    parseNote(text);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  // The same parse paced as the benchmark's keystrokes come: each after 150 ms of an idle process. Not
  // the target's baseline (that is the warm loop above); reported beside it, since a keystroke is handled
  // by a process that was idle, not in a loop.
  const paced = [];
  const next = (i) => {
    if (i === PACED) {
      paced.sort((a, b) => a - b);
      process.stdout.write(JSON.stringify({ mode, ms: times[100], p99: times[197], pacedMs: paced[PACED >> 1], chars: text.length }) + '\n');
      return;
    }
    setTimeout(() => {
      const t = performance.now();
      parseNote(text);
      paced.push(performance.now() - t);
      next(i + 1);
    }, 150);
  };
  next(0);
}
const PACED = 40;

function run() {
  if (mode === 'reparse') return reparse(process.argv[4]);
  const files = listFiles(dir);
  const t0 = performance.now();
  let bytes = 0;
  const entityNotes = new Map();
  const termNotes = new Map();
  let definitions = 0;
  const parse = mode === 'bytes' ? undefined : loadParser(mode);
  for (const file of files) {
    if (!parse) {
      bytes += readFileSync(file).length;
      continue;
    }
    const text = readFileSync(file, 'utf8');
    bytes += text.length;
    const [fm, bodyStart] = split(text);
    if (fm !== undefined) {
      let data;
      try {
        data = parse(fm);
      } catch {
        data = undefined;
      }
      if (data && typeof data === 'object') {
        for (const key of Object.keys(data)) {
          const v = data[key];
          if (Array.isArray(v)) {
            for (const item of v) if (typeof item === 'string' && item.trim() !== '') add(entityNotes, `${key}\u0000${item}`, file);
          } else if (SCALAR_KEYS.has(key) && typeof v === 'string' && v.trim() !== '') {
            add(entityNotes, `${key}\u0000${v}`, file);
          }
        }
      }
    }
    // One pass over the body with the engine's own string search: bold spans per line, outside fences
    // and code spans; a bold followed by a parenthesis (or by a closing quote and one), or ending with
    // one, is a definition of the text before the parenthesis.
    let i = bodyStart;
    let tick = text.indexOf('`', i);
    if (tick < 0) tick = text.length;
    for (;;) {
      const open = text.indexOf('**', i);
      if (open < 0) break;
      if (tick < open) {
        // A fence (three backticks) skips to its closing fence; a code span to its closing backtick.
        const fence = text.startsWith('```', tick);
        const close = fence ? text.indexOf('\n```', tick + 3) : text.indexOf('`', tick + 1);
        i = close < 0 ? text.length : close + (fence ? 4 : 1);
        tick = text.indexOf('`', i);
        if (tick < 0) tick = text.length;
        continue;
      }
      const close = text.indexOf('**', open + 2);
      if (close < 0) break;
      const nl = text.indexOf('\n', open);
      if (nl >= 0 && nl < close) {
        i = nl + 1;
        continue;
      }
      if (tick < close) {
        i = tick;
        continue;
      }
      let after = text.charCodeAt(close + 2);
      if (after === 0x201d) after = text.charCodeAt(close + 3);
      const last = text.charCodeAt(close - 1);
      let term;
      if (OPEN(after)) {
        const pc = text.charCodeAt(close + 3);
        if (pc < 48 || pc > 57) term = text.slice(open + 2, close);
      } else if (CLOSE(last)) {
        const p = Math.max(text.lastIndexOf('（', close), text.lastIndexOf('(', close));
        if (p > open + 2) term = text.slice(open + 2, p);
      }
      if (term !== undefined) {
        definitions++;
        add(termNotes, term, file);
      }
      i = close + 2;
    }
  }
  const ms = performance.now() - t0;
  const rssMB = process.memoryUsage().rss / 1048576;
  // With --expose-gc (run.mjs passes it): what the process keeps, its garbage collected (the maps are
  // read after the collection, so they are alive through it).
  let afterGc;
  const gc = globalThis.gc;
  if (gc) {
    gc();
    const m = process.memoryUsage();
    afterGc = { rssMB: m.rss / 1048576, heapMB: m.heapUsed / 1048576, arrayBuffersMB: m.arrayBuffers / 1048576 };
  }
  process.stdout.write(JSON.stringify({ mode, ms, notes: files.length, bytes, pairs: entityNotes.size, terms: termNotes.size, definitions, rssMB, afterGc }) + '\n');
}

function add(map, id, file) {
  let s = map.get(id);
  if (!s) map.set(id, (s = new Set()));
  s.add(file);
}

run();
