/**
 * Fault and load scenarios against the bundled server (dist/server.js over stdio), shared by the full
 * runs in test/stress/*.test.ts (`npm run test:stress`) and the short runs in test/unit/hostile/server
 * .test.ts (`npm test`). Each scenario prints its numbers (events handled, time to settle, memory) from
 * the run itself. Vaults are generated into temporary folders.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from '../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../server/src/core/parse/note';
import { listNotes, readNote } from '../../server/src/host/files';
import { fileUri, startServer, type TestServer } from '../support/lsp';

export const SNAPSHOT = 'notesense/indexSnapshot';
const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;

const PEOPLE = ['马斯克', 'Sam Altman', 'Leopold Aschenbrenner', '黄仁勋', 'Dwarkesh Patel', '李飞飞', 'Ilya Sutskever'];
const TERMS = [['数据墙', 'Data wall'], ['解缚', 'Unhobbling'], ['算力', 'Compute'], ['规模定律', 'Scaling law'], ['对齐', 'Alignment']];

/** A note of the seed format: front matter with people and tags, a heading, glossary definitions. */
export function noteText(i: number, variant = 0): string {
  const people = [PEOPLE[i % PEOPLE.length]!, PEOPLE[(i + variant + 3) % PEOPLE.length]!];
  const [term, english] = TERMS[(i + variant) % TERMS.length]!;
  const eol = i % 5 === 0 ? '\r\n' : '\n';
  return [
    '---',
    `title: 笔记 ${i} 第${variant}版 🚀`,
    `date: '2024-06-${String((i % 28) + 1).padStart(2, '0')}'`,
    'people:',
    ...people.map((p) => `- ${p}`),
    `tags: [t${i % 13}, v${variant}]`,
    '---',
    `# 第 ${i} 篇`,
    '',
    `**${term}${i % 50}**（${english}: 第 ${i} 篇里的解释，版本 ${variant}）`,
    '',
    '正文 '.repeat(20),
    '',
  ].join(eol);
}

export function makeVault(files: number, prefix = 'notesense-stress-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, `d${i % 10}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `n${i}.md`), noteText(i));
  }
  return root;
}

/** The index a server starting cold on `root` must reach: every readable note, summarized in-process. */
export async function coldSnapshot(root: string, maxBytes?: number): Promise<unknown> {
  const index = new WorkspaceIndex();
  for (const file of await listNotes(root)) {
    const read = readNote(file, maxBytes, { root });
    if (read.ok) index.set(summarize(fileUri(file), parseNote(read.text).note));
  }
  // As the server's answer arrives: through JSON (a summary's `date: undefined` is no property at all).
  return JSON.parse(JSON.stringify(index.snapshot()));
}

/**
 * A server on `root`. `cacheDirectory` is where it keeps its index cache (a fresh temporary folder by
 * default, so that no test reads another's cache or the user's).
 */
export async function startOn(root: string, configuration: Record<string, unknown> = {}, cacheDirectory?: string, nodeArgs: readonly string[] = []): Promise<TestServer> {
  let cache = cacheDirectory;
  if (cache === undefined) {
    const dir = mkdtempSync(path.join(tmpdir(), 'notesense-cache-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    cache = dir;
  }
  return startServer({ rootPath: root, configuration, initializationOptions: { cacheDirectory: cache }, nodeArgs });
}

async function kill(server: TestServer): Promise<void> {
  if (server.process.exitCode === null) {
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGKILL');
    await exited;
  }
  server.connection.dispose();
}

/** Waits for the first scan to end (`notesense/status` ready after indexing began). */
export async function scanned(server: TestServer, timeoutMs = 120_000): Promise<void> {
  await server.waitForNotification<{ state: string }>('notesense/status', (p) => p.state === 'ready', timeoutMs);
  await server.connection.sendRequest(SNAPSHOT);
}

/** Polls the server's snapshot until it equals `expected`; returns the time it took. */
export async function settlesTo(server: TestServer, expected: unknown, timeoutMs = 60_000): Promise<number> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    last = await server.connection.sendRequest(SNAPSHOT);
    try {
      assert.deepEqual(last, expected);
      return Date.now() - t0;
    } catch (e) {
      if (Date.now() - t0 > timeoutMs) {
        const notes = (s: unknown) => ((s as { notes: Array<{ uri: string }> }).notes ?? []).map((n) => n.uri);
        const have = new Set(notes(last));
        const want = new Set(notes(expected));
        const ghosts = [...have].filter((u) => !want.has(u)).slice(0, 5);
        const lost = [...want].filter((u) => !have.has(u)).slice(0, 5);
        const byUri = (x: unknown) => new Map(((x as { notes: Array<{ uri: string }> }).notes ?? []).map((n) => [n.uri, JSON.stringify(n)]));
        const a = byUri(last);
        const b = byUri(expected);
        const differ = [...a.keys()].filter((u) => b.has(u) && a.get(u) !== b.get(u)).slice(0, 5);
        const parts = Object.keys(expected as object).filter((k) =>
          JSON.stringify((last as Record<string, unknown>)[k]) !== JSON.stringify((expected as Record<string, unknown>)[k]));
        differ.push(`parts: ${parts.join(', ')}`);
        throw new Error(`index did not settle in ${timeoutMs} ms; ghosts ${JSON.stringify(ghosts)}, lost ${JSON.stringify(lost)}, ` +
          `different ${JSON.stringify(differ)}\n${(e as Error).message.slice(0, 2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Errors the server reported about itself: uncaught exceptions, failed handlers, error log messages. */
export function serverErrors(server: TestServer): string[] {
  const out: string[] = [];
  for (const n of server.notifications) {
    if (n.method !== 'window/logMessage') continue;
    const p = n.params as { type: number; message: string };
    if (p.type === 1 || /uncaught|unhandled rejection|failed with message/i.test(p.message)) out.push(p.message);
  }
  if (/uncaught|unhandled|Error:/i.test(server.stderr())) out.push(server.stderr());
  return out;
}

/** Resident memory of a process in MB (Linux /proc; undefined elsewhere). */
export function rssMb(pid: number | undefined): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const sendChanges = (server: TestServer, changes: Array<{ uri: string; type: number }>) =>
  server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });

/**
 * Killed in the middle of the first scan: a fresh server on the same folder reaches the cold index.
 */
export async function crashScenario(files: number): Promise<void> {
  const root = makeVault(files, 'notesense-crash-');
  const cache = mkdtempSync(path.join(tmpdir(), 'notesense-cache-'));
  try {
    // A complete run leaves an index cache behind; then the notes change while no server runs.
    const warm = await startOn(root, {}, cache);
    await scanned(warm);
    await warm.stop();
    const onDisk = await listNotes(root);
    onDisk.forEach((f, i) => {
      if (i % 10 === 0) writeFileSync(f, noteText(i, 7));
      else if (i % 10 === 1) unlinkSync(f);
      else if (i % 10 === 2) writeFileSync(f.replace(/\.md$/, '-added.md'), noteText(i + files, 8));
    });
    const first = await startOn(root, {}, cache);
    await first.waitForNotification<{ state: string; indexed?: number }>('notesense/status',
      (p) => p.state === 'indexing' && (p.indexed ?? 0) > 0, 60_000).catch(() => undefined);
    const killedDuringScan = !first.notifications.some((n) => n.method === 'notesense/status' && (n.params as { state: string }).state === 'ready' &&
      first.notifications.some((m) => m.method === 'notesense/status' && (m.params as { state: string }).state === 'indexing'));
    await kill(first);
    const expected = await coldSnapshot(root);
    const t0 = Date.now();
    const second = await startOn(root, {}, cache);
    try {
      await scanned(second);
      const settle = await settlesTo(second, expected, 30_000);
      console.log(`  crash: killed ${killedDuringScan ? 'during' : 'after'} the scan of ${files} changed notes (over a warm index cache); ` +
        `restarted server indexed them in ${Date.now() - t0} ms (+${settle} ms to match the cold index)`);
      assert.deepEqual(serverErrors(second), []);
    } finally {
      // Killed right after its scan ends, while it may be writing the cache: the next start is still right.
      await kill(second);
    }
    writeFileSync(onDisk[3]!, noteText(3, 9));
    const third = await startOn(root, {}, cache);
    try {
      await scanned(third);
      await settlesTo(third, await coldSnapshot(root), 30_000);
      assert.deepEqual(serverErrors(third), []);
    } finally {
      await third.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * A `git checkout`: a quarter of the notes created, a quarter changed, a quarter renamed, a quarter
 * deleted, two folders renamed, all while the server watches; files deleted while the first scan reads
 * them; notes open in the editor deleted. Once settled, the index equals a cold index of the disk, and
 * deleted open notes have no diagnostics left.
 */
export async function churnScenario(files: number): Promise<void> {
  const root = makeVault(files, 'notesense-churn-');
  const all = () => listNotes(root);
  try {
    const server = await startOn(root);
    try {
      // Files deleted while the first scan reads them (the editor reports them deleted, too).
      const early = (await all()).filter((_, i) => i % 17 === 0);
      for (const f of early) unlinkSync(f);
      void sendChanges(server, early.map((f) => ({ uri: fileUri(f), type: DELETED })));
      await scanned(server);

      // Notes open in the editor, with a problem each, that are then deleted.
      const openNotes = (await all()).slice(0, 5);
      for (const f of openNotes) {
        server.open(fileUri(f), readFileSync(f, 'utf8').replace('---\n', '---\ntitle: "unclosed\n'));
      }
      for (const f of openNotes) {
        await server.waitForNotification<{ uri: string; diagnostics: unknown[] }>('textDocument/publishDiagnostics',
          (p) => p.uri === fileUri(f) && p.diagnostics.length > 0);
      }

      const t0 = Date.now();
      const changes: Array<{ uri: string; type: number }> = [];
      const notes = (await all()).filter((f) => !openNotes.includes(f));
      notes.forEach((f, i) => {
        switch (i % 4) {
          case 0:
            writeFileSync(f, noteText(i, 1));
            changes.push({ uri: fileUri(f), type: CHANGED });
            break;
          case 1: {
            const to = f.replace(/\.md$/, '-renamed.md');
            renameSync(f, to);
            changes.push({ uri: fileUri(f), type: DELETED }, { uri: fileUri(to), type: CREATED });
            break;
          }
          case 2:
            unlinkSync(f);
            changes.push({ uri: fileUri(f), type: DELETED });
            break;
          default: {
            const created = path.join(path.dirname(f), `new-${i}.md`);
            writeFileSync(created, noteText(i + files, 2));
            changes.push({ uri: fileUri(created), type: CREATED });
          }
        }
      });
      // Folders renamed: a watcher reports the folder deleted and each file under the new name created.
      for (const dir of ['d1', 'd2']) {
        const from = path.join(root, dir);
        const to = path.join(root, `${dir}-moved`);
        renameSync(from, to);
        changes.push({ uri: fileUri(from), type: DELETED });
        for (const f of await listNotes(to)) changes.push({ uri: fileUri(f), type: CREATED });
      }
      for (const f of openNotes) {
        try {
          unlinkSync(f);
        } catch {
          // moved with its folder above
        }
        changes.push({ uri: fileUri(f), type: DELETED });
        server.close(fileUri(f));
      }
      // Some events twice and out of order, as watchers do under load.
      const shuffled = [...changes, ...changes.filter((_, i) => i % 7 === 0)];
      for (let i = 0; i < shuffled.length; i += 500) void sendChanges(server, shuffled.slice(i, i + 500));
      const sent = Date.now() - t0;

      const expected = await coldSnapshot(root);
      const settle = await settlesTo(server, expected);
      for (const f of openNotes) {
        const last = server.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === fileUri(f)).pop();
        assert.deepEqual((last!.params as { diagnostics: unknown[] }).diagnostics, [], `stale diagnostics for deleted ${f}`);
      }
      const left = (expected as { notes: unknown[] }).notes.length;
      console.log(`  churn: ${shuffled.length + early.length} file events (${files} notes) sent in ${sent} ms; index settled ${settle} ms later on ${left} notes, equal to a cold index`);
      assert.deepEqual(serverErrors(server), []);
      // Still alive and answering.
      assert.ok(await server.connection.sendRequest('workspace/symbol', { query: '数据' }));
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * 50 edits a second on a large open note for `seconds`: diagnostics catch up with the last version,
 * request latency does not grow, and memory returns near its baseline.
 */
export async function stormScenario(seconds: number, lines = 3000): Promise<void> {
  const root = makeVault(50, 'notesense-storm-');
  try {
    // --expose-gc lets the server report its heap after a full collection: the memory it really keeps.
    const server = await startOn(root, {}, undefined, ['--expose-gc']);
    const heap = async () => (await server.connection.sendRequest<{ memory?: { heapUsedMb: number; collected: boolean } }>('notesense/indexStats', { memory: true })).memory!;
    try {
      await scanned(server);
      const file = path.join(root, 'big.md');
      // A long note as people write them: a definition every ten lines, mentions and bold names between.
      const body = Array.from({ length: lines }, (_, i) => (i % 10 === 0
        ? `第 ${i} 行：**术语${i}**（Term ${i}: 解释 ${i}） 正文`
        : `第 ${i} 行：正文提到术语${i - (i % 10)}和 **马斯克**，还有一些普通的文字。`)).join('\n');
      let text = `---\ntitle: 大笔记\npeople: [马斯克, Sam Altman]\n---\n${body}\n`;
      writeFileSync(file, text);
      const uri = fileUri(file);
      let version = 1;
      server.open(uri, text, version);
      await server.waitForNotification<{ uri: string; version?: number }>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 1, 60_000);
      const baseline = rssMb(server.process.pid);
      const heapBefore = await heap();
      assert.equal(heapBefore.collected, true, 'the server runs with --expose-gc');

      const latencies: number[] = [];
      const probe = async () => {
        const t = performance.now();
        await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
        latencies.push(performance.now() - t);
      };
      const probes: Array<Promise<void>> = [];
      const t0 = Date.now();
      let edits = 0;
      const end = t0 + seconds * 1000;
      let nextProbe = t0;
      while (Date.now() < end) {
        // Insert a character somewhere in the body, as typing does (incremental sync).
        const line = 5 + (edits * 37) % lines;
        const change = { range: { start: { line, character: 3 }, end: { line, character: 3 } }, text: edits % 10 === 9 ? '\n' : '字' };
        version++;
        void server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
        edits++;
        if (Date.now() >= nextProbe) {
          // Not awaited: typing does not wait for the server either.
          nextProbe += 250;
          probes.push(probe());
        }
        const due = t0 + edits * 20;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const stormEnd = Date.now();
      const last = version;
      await Promise.all(probes);
      await server.waitForNotification<{ uri: string; version?: number }>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === last, 30_000);
      const settle = Date.now() - stormEnd;
      const published = server.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri).length;
      // Let the server go idle: V8 gives memory back a few seconds after activity stops. Sample until it
      // is back within a quarter of the baseline, for at most 10 seconds.
      await probe();
      let after = rssMb(server.process.pid);
      for (let i = 0; i < 20 && baseline !== undefined && after !== undefined && after > baseline * 1.25; i++) {
        await new Promise((r) => setTimeout(r, 500));
        after = rssMb(server.process.pid);
      }
      const heapAfter = await heap();
      const q = Math.max(1, Math.floor(latencies.length / 4));
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      const early = median(latencies.slice(0, q));
      const late = median(latencies.slice(-q - 1, -1));
      console.log(`  storm: ${edits} edits in ${((stormEnd - t0) / 1000).toFixed(1)} s (${(edits / ((stormEnd - t0) / 1000)).toFixed(0)}/s) on a ${lines}-line note; ` +
        `${published - 1} diagnostics published (superseded versions dropped); last version's diagnostics ${settle} ms after the last edit; ` +
        `request latency median ${early.toFixed(1)} ms early, ${late.toFixed(1)} ms late; memory (RSS) ${baseline?.toFixed(0) ?? '?'} MB before, ${after?.toFixed(0) ?? '?'} MB after idling; ` +
        `heap after a full GC ${heapBefore.heapUsedMb.toFixed(1)} MB before, ${heapAfter.heapUsedMb.toFixed(1)} MB after`);
      assert.ok(published - 1 < edits / 2, `diagnostics for ${published - 1} of ${edits} versions: superseded versions are not dropped`);
      assert.ok(late < Math.max(early * 5, 250), `latency grew from ${early} to ${late} ms`);
      if (baseline !== undefined && after !== undefined) assert.ok(after < baseline * 2 + 100, `memory ${baseline} MB → ${after} MB`);
      // What the server keeps returns to its baseline: the note grew by the typed text only, every
      // superseded version and its parse are gone.
      assert.ok(heapAfter.heapUsedMb < heapBefore.heapUsedMb * 1.15 + 8,
        `heap after a full GC grew from ${heapBefore.heapUsedMb.toFixed(1)} to ${heapAfter.heapUsedMb.toFixed(1)} MB`);
      assert.deepEqual(serverErrors(server), []);
      text = '';
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Malformed client traffic: changes for unknown documents, out-of-order versions, positions past the
 * end, cancelled requests and garbage parameters. The server answers each request (a result or an
 * error response), never dies, and still answers correctly afterwards.
 */
export async function malformedScenario(): Promise<void> {
  const root = makeVault(20, 'notesense-malformed-');
  try {
    const server = await startOn(root);
    try {
      await scanned(server);
      const file = path.join(root, 'd0', 'n0.md');
      const uri = fileUri(file);
      const text = readFileSync(file, 'utf8');
      const c = server.connection;
      // Changes for a document that was never opened, and closing it.
      void c.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri(path.join(root, 'ghost.md')), version: 2 }, contentChanges: [{ text: 'x' }] });
      void c.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri(path.join(root, 'ghost.md')) } });
      server.open(uri, text, 10);
      // Out-of-order versions and positions far past the end.
      void c.sendNotification('textDocument/didChange', { textDocument: { uri, version: 5 }, contentChanges: [{ range: { start: { line: 999, character: 0 }, end: { line: 1000, character: 5 } }, text: '**尾**' }] });
      void c.sendNotification('textDocument/didChange', { textDocument: { uri, version: 11 }, contentChanges: [{ range: { start: { line: 2, character: 500 }, end: { line: 1, character: 0 } }, text: '' }] });
      void c.sendNotification('textDocument/didChange', { textDocument: { uri, version: 12 }, contentChanges: [{ range: { start: { line: -1, character: -5 }, end: { line: 0, character: 0 } }, text: '' }] });
      // Opening the same document twice.
      server.open(uri, text, 13);
      const garbage: unknown[] = [null, 42, 'x', [], {}, { textDocument: null }, { textDocument: { uri: 42 }, position: 'here' },
        { textDocument: { uri }, position: { line: 1e9, character: -3 } }, { textDocument: { uri }, position: { line: 0.5, character: NaN } },
        { textDocument: { uri: 'command:workbench.action.quit' }, position: { line: 0, character: 0 } }, { textDocument: { uri: 'file:///%' }, position: { line: 0, character: 0 } }];
      const methods = ['textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/references', 'textDocument/prepareRename',
        'textDocument/rename', 'textDocument/documentSymbol', 'textDocument/codeAction', 'workspace/symbol', 'workspace/executeCommand',
        'textDocument/diagnostic', SNAPSHOT, 'notesense/indexStats', 'notesense/unknown'];
      let answered = 0;
      let errors = 0;
      const failures = new Map<string, string>();
      for (const method of methods) {
        for (const params of garbage) {
          try {
            await c.sendRequest(method, params);
          } catch (e) {
            errors++;
            const message = (e as Error).message;
            // Unknown methods and non-object parameters are refused by the protocol layer (MethodNotFound,
            // InvalidParams) before any handler runs; any other error response is a handler that threw.
            if (method !== 'notesense/unknown' && !/parameters by name but received parameters by position/.test(message)) failures.set(`${method} ${JSON.stringify(params)}`, message);
          }
          answered++;
        }
      }
      // Garbage notifications, including watched-file events with bad uris.
      for (const params of garbage) {
        for (const method of ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'workspace/didChangeWatchedFiles', 'workspace/didChangeConfiguration', '$/cancelRequest']) {
          void c.sendNotification(method, params);
        }
      }
      void c.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'not a uri', type: 1 }, { uri: 'file:///etc/passwd', type: 2 }, { uri, type: 99 }] });
      // Requests cancelled as soon as they are sent.
      const cancelled = [];
      for (let i = 0; i < 50; i++) {
        const source = new (await import('vscode-jsonrpc')).CancellationTokenSource();
        cancelled.push(c.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } }, source.token).catch(() => null));
        source.cancel();
      }
      await Promise.all(cancelled);
      // Still alive, and answering correctly: the document as the client sees it now.
      const fresh = `---\ntitle: 活着\npeople:\n- 马斯克\n---\n**数据墙**（Data wall: 瓶颈）\n`;
      // (Some garbage above closed the note legitimately: open it again, as an editor would.)
      server.open(uri, fresh, 30);
      const symbols = await c.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
      assert.ok(Array.isArray(symbols), JSON.stringify(symbols));
      assert.equal(server.process.exitCode, null);
      console.log(`  malformed traffic: ${answered} garbage requests answered (${errors} with an error response), ${garbage.length * 6 + 1} garbage notifications, 50 cancelled requests; server alive`);
      const escaped = serverErrors(server).filter((m) => /uncaught|unhandled/i.test(m));
      assert.deepEqual(escaped, []);
      assert.deepEqual([...failures].map(([k, v]) => `${k}: ${v}`), [], 'handlers threw on garbage parameters');
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export const uriPath = (uri: string) => fileURLToPath(uri);

/**
 * A vault of hostile files scanned by the server: binary and non-UTF-8 files, a file over a small
 * `notesense.maxFileSize`, a FIFO, link loops and links out of the vault, and notes with deep nesting, an
 * alias bomb, prototype keys and a `---js` payload. The scan ends, each skipped file is logged once with
 * its reason, the index equals a cold one, hostile notes opened in the editor get their diagnostics, and
 * an open note over the limit is not parsed.
 */
export async function hostileVaultScenario(): Promise<void> {
  const root = makeVault(20, 'notesense-hostile-');
  const outside = mkdtempSync(path.join(tmpdir(), 'notesense-outside-'));
  const marker = path.join(outside, 'pwned');
  const maxFileSize = 100_000;
  try {
    const put = (name: string, data: string | Uint8Array) => writeFileSync(path.join(root, name), data);
    put('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    put('gbk.md', Buffer.from([0x61, 0x0a, 0xca, 0xfd, 0xbe, 0xdd, 0xc7, 0xbd]));
    put('huge.md', `---\ntitle: 大\n---\n${'正文'.repeat(maxFileSize)}`);
    put('utf16.md', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('---\npeople: [双字节人]\n---\n**宽字**（Wide: 解释）\n', 'utf16le')]));
    put('deep.md', `---\na: ${'['.repeat(5000)}\n---\n**数据墙**（Data wall: 瓶颈）\n`);
    const bomb = ['---', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 15; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    put('bomb.md', [...bomb, 'people: [炸弹人]', '---', ''].join('\n'));
    put('proto.md', '---\n__proto__: {polluted: yes}\nconstructor: {prototype: {polluted: yes}}\npeople: [__proto__, constructor]\n---\n');
    put('payload.md', `---js\nrequire('fs').writeFileSync(${JSON.stringify(marker)}, 'x')\n---\n**解缚**（Unhobbling: 解除限制）\n`);
    writeFileSync(path.join(outside, 'secret.md'), '---\npeople: [外人]\n---\n');
    symlinkSync(root, path.join(root, 'd0', 'loop'));
    symlinkSync(outside, path.join(root, 'out'));
    symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'secret.md'));
    const fifo = process.platform !== 'win32' && spawnSync('mkfifo', [path.join(root, 'pipe.md')]).status === 0;

    const server = await startOn(root, { notesense: { maxFileSize } });
    try {
      await scanned(server);
      const expected = await coldSnapshot(root, maxFileSize);
      await settlesTo(server, expected, 10_000);
      const uris = (expected as { notes: Array<{ uri: string }> }).notes.map((n) => n.uri);
      assert.ok(uris.includes(fileUri(path.join(root, 'utf16.md'))), 'the UTF-16 note is indexed');
      assert.ok(!uris.some((u) => u.includes('secret') || u.includes('/out/') || u.includes('/loop/')), 'nothing from outside the vault');
      const logs = server.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
      const skipped = ['image.md', 'gbk.md', 'huge.md', 'secret.md', ...(fifo ? ['pipe.md'] : [])];
      for (const name of skipped) {
        const lines = logs.filter((m) => m.startsWith(`${name}: `));
        assert.equal(lines.length, 1, `${name} should be logged once with its reason: ${JSON.stringify(lines)}`);
      }

      for (const name of ['deep.md', 'bomb.md', 'proto.md', 'payload.md']) {
        const uri = fileUri(path.join(root, name));
        server.open(uri, readFileSync(path.join(root, name), 'utf8'));
        await server.waitForNotification<{ uri: string; diagnostics: unknown[] }>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
      }
      const huge = fileUri(path.join(root, 'huge.md'));
      server.open(huge, readFileSync(path.join(root, 'huge.md'), 'utf8'));
      const d = await server.waitForNotification<{ uri: string; diagnostics: Array<{ code?: unknown }> }>('textDocument/publishDiagnostics', (p) => p.uri === huge);
      assert.deepEqual(d.diagnostics.map((x) => x.code), ['file-too-large']);
      assert.equal(existsSync(marker), false, 'the ---js payload ran');
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      assert.ok(await server.connection.sendRequest('workspace/symbol', { query: '' }));
      assert.deepEqual(serverErrors(server), []);
      console.log(`  hostile vault: scanned, ${skipped.length} files skipped with one log line each, ${uris.length} notes indexed; hostile notes diagnosed; server alive`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
}
