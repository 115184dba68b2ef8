/**
 * Crash recovery, with real crashes: the language server process is killed. The client restarts it,
 * and after too many crashes in a row it stops, says so in the status bar, and the restart command
 * brings it back. Linux only: the server process is found through /proc.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activate, markdownOf, openNote, positionOf, waitFor } from './helpers';

/** The pid of the NoteSense server forked by this extension host, if one runs. */
function serverPid(): number | undefined {
  const marker = `--clientProcessId=${process.pid}`;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited meanwhile
    }
    if (args.some((a) => a.endsWith('dist/server.js')) && args.includes(marker)) return Number(name);
  }
  return undefined;
}

describe('crash recovery', function () {
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  it('restarts the server after a crash', async () => {
    const editor = await openNote('beta.md');
    const api = await activate();
    const first = await waitFor('the server process', () => (api.isRunning() ? serverPid() : undefined), (p) => p !== undefined);
    const crashesBefore = api.recentCrashes();
    process.kill(first!, 'SIGKILL');
    await waitFor('a new server process', () => serverPid(), (p) => p !== undefined && p !== first);
    await waitFor('the restarted server to index the vault', () => api.isRunning() && api.status()?.state === 'ready', (ok) => ok);
    assert.equal(api.recentCrashes(), crashesBefore + 1);
    const at = positionOf(editor.document, '**数据墙**', 3);
    await waitFor('the restarted server to answer a hover',
      () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at),
      (h) => markdownOf(h).includes('训练数据耗尽的瓶颈'));
  });

  it('gives up after repeated crashes, and the restart command brings the server back', async () => {
    await openNote('beta.md');
    const api = await activate();
    // The client restarts at most 4 times in 3 minutes: keep killing until it gives up.
    for (let round = 0; api.isRunning() || serverPid() !== undefined; round++) {
      assert.ok(round < 8, 'the client gave up within 8 crashes');
      // Killed only once the client is connected: a server killed while it starts up is another case.
      const pid = await waitFor('a running server process', () => (api.isRunning() ? serverPid() : undefined), (p) => p !== undefined);
      process.kill(pid!, 'SIGKILL');
      await waitFor('a restart or giving up', () => ({ pid: serverPid(), running: api.isRunning() }),
        (s) => (s.pid !== undefined && s.pid !== pid && s.running) || (s.pid === undefined && !s.running && api.recentCrashes() > 4));
    }
    assert.ok(api.recentCrashes() > 4, `crashes counted: ${api.recentCrashes()}`);
    assert.match(api.statusText(), /NoteSense: stopped/);
    await vscode.commands.executeCommand('notesense.restartServer');
    await waitFor('the server to run again', () => api.isRunning() && api.status()?.state === 'ready', (ok) => ok);
    assert.equal(api.recentCrashes(), 0, 'a restart by hand starts the count afresh');
  });
});
