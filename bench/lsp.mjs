// Drives the real language server over stdio, as an editor does: spawn `dist/server.js --stdio`,
// `initialize` with the vault as the workspace folder and work-done progress support, answer
// `window/workDoneProgress/create`, and take the progress `end` of the initial scan as "index ready".
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { entityChecksum, termChecksum } from './generate.mjs';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');

export const INDEX_STATS_REQUEST = 'notesense/indexStats';

/** Resident set size of a process in bytes (Linux /proc; `ps` elsewhere). */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  try {
    const out = require('node:child_process').execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString();
    return Number(out.trim()) * 1024;
  } catch {
    return NaN;
  }
}

/**
 * Starts a server on `vault`. Resolves once `initialized` has been sent; `ready` resolves at the progress
 * `end` of the first scan with the milliseconds since spawn.
 */
export async function startServer({ repo, vault, initializationOptions, env, nodeArgs = [] }) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, path.join(repo, 'dist', 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d.toString()));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const tokens = new Set();
  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A server that dies (out of memory, a crash) fails the run at once instead of at the timeout.
  child.once('exit', (code, signal) => rejectReady(new Error(`the server exited (${signal ?? code}) before the index was ready; stderr: ${stderr.slice(-2000)}`)));
  ready.catch(() => undefined);
  let began;
  const statuses = [];
  const logs = [];
  connection.onRequest('window/workDoneProgress/create', (p) => {
    tokens.add(p.token);
    return null;
  });
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onRequest('workspace/semanticTokens/refresh', () => null);
  connection.onNotification('$/progress', (p) => {
    if (!tokens.has(p.token)) return;
    if (p.value?.kind === 'begin' && began === undefined) began = performance.now() - t0;
    if (p.value?.kind === 'end') resolveReady(performance.now() - t0);
  });
  connection.onNotification('notesense/status', (p) => statuses.push({ at: performance.now() - t0, ...p }));
  connection.onNotification('window/logMessage', (p) => logs.push(p.message));
  connection.onNotification(() => undefined);
  connection.listen();
  const folder = pathToFileURL(vault).href;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folder,
    workspaceFolders: [{ uri: folder, name: path.basename(vault) }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      window: { workDoneProgress: true },
      textDocument: {
        publishDiagnostics: { relatedInformation: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true } },
      },
    },
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  const server = {
    child,
    connection,
    t0,
    ready,
    statuses,
    logs,
    beganMs: () => began,
    stderr: () => stderr,
    rss: () => rssOf(child.pid),
    open(uri, text, version = 1) {
      return connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
    },
    async stop() {
      try {
        await within(connection.sendRequest('shutdown'), 120_000, () => 'no answer to shutdown').catch(() => undefined);
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) {
        await new Promise((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
  return server;
}

/** Rejects after `ms` unless `promise` settles first; the timer never keeps the process alive. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Milliseconds one request takes, round trip. */
async function timed(connection, method, params) {
  const t = performance.now();
  const result = await connection.sendRequest(method, params);
  return [performance.now() - t, result];
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The median of the finite values (a failed run counts as NaN and is left out); even counts average the middle two. */
export function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * Spawn → progress `end`, nothing else before it; the server is stopped afterwards. After the `end` (and
 * its RSS) the server is asked for its memory after a full collection: the node flag that allows it only
 * exposes the collector to that request, and nothing runs it before.
 */
export async function coldRun({ repo, vault, initializationOptions, manifest, timeoutMs = 600_000 }) {
  const server = await startServer({ repo, vault, initializationOptions, nodeArgs: ['--expose-gc'] });
  try {
    const ms = await within(server.ready, timeoutMs, () => `no progress end within ${timeoutMs} ms; stderr: ${server.stderr().slice(-2000)}`);
    const rss = server.rss();
    const memory = (await server.connection.sendRequest(INDEX_STATS_REQUEST, { memory: true }).catch(() => undefined))?.memory;
    // With a manifest (a restart): what the index holds, and how many notes came from the cache, and
    // how many of those by the groups it saved (a restart that silently took the slow path is a failure).
    const check = manifest && (await checkIndex(server, manifest));
    const restore = manifest && (await server.connection.sendRequest(INDEX_STATS_REQUEST, { restore: true }).catch(() => undefined))?.restore;
    return { ms, rss, statuses: server.statuses, afterGc: memory?.collected ? memory : undefined, check, restore };
  } finally {
    await server.stop();
  }
}

/**
 * What the index holds, checked against the manifest. Uses `notesense/indexStats` (distinct entity
 * (key, value) pairs with order-independent checksums), falling back to the `ready` status counts.
 */
export async function checkIndex(server, manifest) {
  const failures = [];
  let stats;
  try {
    stats = await server.connection.sendRequest(INDEX_STATS_REQUEST, {});
  } catch {
    stats = undefined;
  }
  if (stats) {
    const want = {
      notes: manifest.notes,
      entityPairs: manifest.entityPairs,
      entityRefs: manifest.entityRefs,
      distinctTerms: manifest.distinctTerms,
      definitions: manifest.definitions,
      entityChecksum: entityChecksum(manifest.entities),
      termChecksum: termChecksum(manifest.terms),
    };
    for (const [k, v] of Object.entries(want)) if (stats[k] !== v) failures.push(`${k}: server ${stats[k]}, manifest ${v}`);
    return { via: INDEX_STATS_REQUEST, stats, failures };
  }
  const ready = [...server.statuses].reverse().find((s) => s.state === 'ready');
  if (!ready) return { via: 'none', failures: ['the server sent neither notesense/indexStats nor a ready notesense/status'] };
  const kinds = new Set(manifest.entities.map(([key, value]) => `${key === 'guest' || key === 'speaker' ? 'people' : key}\u0000${value}`));
  const want = { notes: manifest.notes, entities: kinds.size, terms: manifest.distinctTerms };
  for (const [k, v] of Object.entries(want)) if (ready[k] !== v) failures.push(`${k}: server ${ready[k]}, manifest ${v}`);
  return { via: 'notesense/status', stats: ready, failures };
}

/**
 * The full measurement on one fresh server: request latency while the cold index runs, the index check,
 * completion and hover latencies, one keystroke, RSS.
 */
export async function fullRun({ repo, vault, manifest, initializationOptions, requests = 400, timeoutMs = 600_000 }) {
  const server = await startServer({ repo, vault, initializationOptions });
  const probe = manifest.probe;
  const file = path.join(vault, ...probe.file.split('/'));
  const uri = pathToFileURL(file).href;
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out = { waitsDuringIndex: [], longestWaits: [], failures: [] };
  try {
    await server.open(uri, text);
    const hoverParams = { textDocument: { uri }, position: { line: probe.hover.line, character: probe.hover.character } };
    // The probe note's most widely defined term (a hover counts every other definition of its term).
    const common = probe.hoverCommon;
    const commonParams = common && { textDocument: { uri }, position: { line: common.line, character: common.character } };
    const completionParams = { textDocument: { uri }, position: { line: probe.completion.line, character: probe.completion.character } };
    // While the scan runs: a hover and a completion every 20 ms, as a user moving the mouse and typing.
    let indexing = true;
    const coldMs = server.ready.then((ms) => {
      indexing = false;
      return ms;
    });
    const prober = (async () => {
      let i = 0;
      while (indexing) {
        // Alternately a hover and a completion in the people list (each at its own position); the hovers
        // alternate between the two probe terms (the common one's hover counts every definition so far).
        const k = i++ % 4;
        const completion = k % 2 === 1;
        const hover = k === 2 && commonParams ? commonParams : hoverParams;
        const sent = performance.now() - server.t0;
        const [ms] = await timed(server.connection, completion ? 'textDocument/completion' : 'textDocument/hover', completion ? completionParams : hover);
        if (indexing) {
          out.waitsDuringIndex.push(ms);
          // The longest few, with when they were sent (since the spawn) and what they were: where to look.
          out.longestWaits.push({ ms, atMs: sent, kind: completion ? 'completion' : hover === hoverParams ? 'hover' : 'hover on the common term' });
          out.longestWaits.sort((a, b) => b.ms - a.ms).splice(3);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    out.coldMs = await within(coldMs, timeoutMs, () => `no progress end within ${timeoutMs} ms; stderr: ${server.stderr().slice(-2000)}`);
    await prober;
    out.rssAfterIndex = server.rss();
    // How long after the progress `end` the features' background work was done (the probe note open).
    const preparedMs = (await prepared(server)) - out.coldMs;
    out.check = await checkIndex(server, manifest);
    out.failures.push(...out.check.failures);
    // Warm-up, then many requests of each kind, one at a time.
    const hovers = [];
    const commonHovers = [];
    let lastCommon;
    const completions = [];
    let lastHover;
    let lastCompletion;
    for (let i = 0; i < 30; i++) {
      await timed(server.connection, 'textDocument/hover', hoverParams);
      if (commonParams) await timed(server.connection, 'textDocument/hover', commonParams);
      await timed(server.connection, 'textDocument/completion', completionParams);
    }
    const resolves = [];
    let lastResolved;
    for (let i = 0; i < requests; i++) {
      const [h, hr] = await timed(server.connection, 'textDocument/hover', hoverParams);
      hovers.push(h);
      if (commonParams) {
        const [hc, hcr] = await timed(server.connection, 'textDocument/hover', commonParams);
        commonHovers.push(hc);
        lastCommon = hcr;
      }
      lastHover = hr;
      const [c, cr] = await timed(server.connection, 'textDocument/completion', completionParams);
      completions.push(c);
      lastCompletion = cr;
      // As an editor does for the item it shows (the first): its documentation comes from completionItem/resolve.
      const first = (Array.isArray(cr) ? cr : cr?.items ?? [])[0];
      if (first) {
        const [r, rr] = await timed(server.connection, 'completionItem/resolve', first);
        resolves.push(r);
        lastResolved = rr;
      }
    }
    const items = Array.isArray(lastCompletion) ? lastCompletion : lastCompletion?.items ?? [];
    out.completion = { p50: percentile(completions, 50), p99: percentile(completions, 99), items: items.length };
    out.resolve = { p50: percentile(resolves, 50), p99: percentile(resolves, 99), documented: lastResolved?.documentation !== undefined };
    out.hover = { p50: percentile(hovers, 50), p99: percentile(hovers, 99), nonEmpty: lastHover != null, notes: probe.hover.notes };
    if (commonParams) {
      out.hoverCommon = { p50: percentile(commonHovers, 50), p99: percentile(commonHovers, 99), nonEmpty: lastCommon != null, term: common.term, notes: common.notes };
      if (lastCommon == null) out.failures.push(`hover on the common term ${common.term} returned nothing`);
    }
    if (items.length === 0) out.failures.push('completion in the people list returned no items');
    if (items.length > 0 && !out.resolve.documented) out.failures.push('completionItem/resolve gave the first item no documentation');
    if (lastHover == null) out.failures.push(`hover on the defined term ${probe.hover.term} returned nothing`);
    out.keystroke = await keystrokes(server, uri, text, probe);
    if (out.keystroke.checked && out.keystroke.confirmed < out.keystroke.of) out.failures.push(`${out.keystroke.of - out.keystroke.confirmed} of ${out.keystroke.of} keystrokes never reached the index`);
    out.glossaryCompletion = { preparedMs, ...(await glossaryCompletions(server, uri, text)) };
    if (out.glossaryCompletion.items === 0) out.failures.push('glossary completion after ** returned no items');
    out.rssAfterRequests = server.rss();
  } finally {
    out.stderrTail = server.stderr().slice(-1000);
    await server.stop();
  }
  return out;
}

/**
 * Resolves, with the time since the spawn, once the server says the background work after a change of
 * the index is done (`notesense/indexStats` with `prepared`, asked until it answers true).
 */
async function prepared(server) {
  for (let asked = 0; ; asked++) {
    const stats = await server.connection.sendRequest(INDEX_STATS_REQUEST, { prepared: true });
    if (stats.prepared) return performance.now() - server.t0;
    if (asked > 100_000) throw new Error('the server never said glossary completion was prepared');
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Glossary completion after `**` at the end of the probe note, once the server prepared it: the first
 * request, then many with nothing typed after `**` and many with one letter typed (a pass over every
 * term of the vault: the slow case).
 */
async function glossaryCompletions(server, uri, text, count = 100) {
  // The keystrokes may have changed the vocabulary: its work is done again first.
  await prepared(server);
  const lines = text.split(/\r\n|\r|\n/);
  const end = { line: lines.length - 1, character: lines.at(-1).length };
  // Versions after the keystrokes' (see `keystrokes`).
  let version = 1000;
  const typed = async (suffix) => {
    version++;
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: end, end }, text: suffix }] });
    return { textDocument: { uri }, position: { line: end.line + 2, character: suffix.length - 2 } };
  };
  const at = await typed('\n\n**');
  const [first, firstList] = await timed(server.connection, 'textDocument/completion', at);
  const bare = [];
  for (let i = 0; i < count; i++) bare.push((await timed(server.connection, 'textDocument/completion', at))[0]);
  // One more letter: replaces nothing, so the typed text is now `**s`.
  version++;
  const after = { line: end.line + 2, character: 2 };
  await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: after, end: after }, text: 's' }] });
  const letterAt = { textDocument: { uri }, position: { line: end.line + 2, character: 3 } };
  const letter = [];
  let lastLetter;
  for (let i = 0; i < count; i++) {
    const [ms, list] = await timed(server.connection, 'textDocument/completion', letterAt);
    letter.push(ms);
    lastLetter = list;
  }
  const itemsOf = (list) => (Array.isArray(list) ? list : list?.items ?? []).length;
  return {
    first, items: itemsOf(firstList), letterItems: itemsOf(lastLetter),
    p50: percentile(bare, 50), p99: percentile(bare, 99), letterP50: percentile(letter, 50), letterP99: percentile(letter, 99),
  };
}

/**
 * One keystroke in the probe note: an incremental `didChange` inserting one character inside a bold span
 * (a different character each time, so the bold text it makes is unique in the vault), or deleting it
 * again. The time runs until `notesense/indexStats` reports that the note's summary holds the new bold
 * text and no longer the previous one: until the note's index contributions are replaced. Keystrokes are
 * 150 ms apart, a brisk typist's pace; a server that defers indexing shows the delay here.
 *
 * Each keystroke is preceded by the same probe with no edit pending (`probeMs`): the round trip of the
 * request alone, through both processes' event loops and pipes. `net` is a keystroke's time less the
 * round trip measured just before it: what the server spends on the edit, which is what a single-note
 * re-parse in process is compared with. `p50` and `p99` are the raw times.
 *
 * These are the session's first keystrokes, so V8 is still optimizing the typing path while they come
 * (its compile jobs can take the main thread's core for a millisecond or more). `steady` is the same
 * measure again after 300 more keystrokes in the note, typed without the pause and not timed: typing once
 * the engine has settled. Reported beside the target's figure, not instead of it.
 */
async function keystrokes(server, uri, text, probe, count = 60) {
  const at = offsetAt(text, probe.keystroke);
  const original = boldAt(text, at);
  const pos = { line: probe.keystroke.line, character: probe.keystroke.character + 3 };
  const state = { version: 1, previous: original, checked: false, confirmed: 0, i: 0 };
  const ask = (bold) => server.connection.sendRequest(INDEX_STATS_REQUEST, { uri, bold, ...(state.previous === original ? {} : { gone: state.previous }) });
  /** One keystroke; resolves with its time, or undefined when the server stopped answering. */
  const type = async () => {
    const i = state.i++;
    const insert = i % 2 === 0;
    const mark = String.fromCharCode(0x4e00 + 0x100 + (i % 0x1000));
    const change = insert
      ? { range: { start: pos, end: pos }, text: mark }
      : { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: '' };
    const now = insert ? original.slice(0, 1) + mark + original.slice(1) : original;
    state.version++;
    const t = performance.now();
    void server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: state.version }, contentChanges: [change] });
    let ok = false;
    let answered = false;
    for (let tries = 0; tries < 200 && !ok; tries++) {
      let a;
      try {
        // The original text also occurs elsewhere in the note, so only a marked text can be checked gone.
        a = await ask(now);
      } catch {
        break;
      }
      if (!a || typeof a !== 'object' || !('hasBold' in a)) break;
      answered = true;
      state.checked = true;
      ok = a.hasBold === true && a.hasGone !== true;
      if (!ok) await new Promise((r) => setTimeout(r, 1));
    }
    const ms = performance.now() - t;
    state.previous = now;
    return answered ? { ms, ok } : undefined;
  };
  /** `n` keystrokes at the typist's pace, each after its probe. */
  const measure = async (n) => {
    const m = { times: [], probes: [], net: [], confirmed: 0, of: n };
    for (let k = 0; k < n; k++) {
      await new Promise((r) => setTimeout(r, 150));
      const t = performance.now();
      try {
        await ask(state.previous);
      } catch {
        break;
      }
      const probeMs = performance.now() - t;
      await new Promise((r) => setTimeout(r, 150));
      const typed = await type();
      if (!typed) break;
      m.times.push(typed.ms);
      m.probes.push(probeMs);
      m.net.push(Math.max(0, typed.ms - probeMs));
      if (typed.ok) m.confirmed++;
    }
    return m;
  };
  const first = await measure(count);
  const [noop] = await timed(server.connection, 'textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  for (let k = 0; k < 300; k++) {
    if (!(await type())) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const steady = await measure(40);
  return {
    p50: percentile(first.times, 50), p99: percentile(first.times, 99), probeP50: percentile(first.probes, 50), netP50: percentile(first.net, 50), netP99: percentile(first.net, 99),
    checked: state.checked, confirmed: first.confirmed + steady.confirmed, of: count + steady.of, noopMs: noop,
    steady: { netP50: percentile(steady.net, 50), netP99: percentile(steady.net, 99), probeP50: percentile(steady.probes, 50) },
  };
}

function offsetAt(text, { line, character }) {
  let at = 0;
  for (let l = 0; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + character;
}

/** The bold text of the span whose opening `**` is at `at`. */
function boldAt(text, at) {
  const close = text.indexOf('**', at + 2);
  return text.slice(at + 2, close);
}
