import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver';
import { drain, type Steps } from '../../../server/src/core/steps';
import { runInSlices } from '../../../server/src/lsp/steps';

/** `count` steps of about `ms` milliseconds each, logged; returns how many ran. */
function* busy(log: string[], count: number, ms: number): Steps<number> {
  try {
    for (let i = 0; i < count; i++) {
      const until = performance.now() + ms;
      while (performance.now() < until);
      log.push(`step ${i}`);
      yield;
    }
    return count;
  } finally {
    log.push('closed');
  }
}

describe('work in steps', () => {
  it('drain runs every step and returns the result', () => {
    const log: string[] = [];
    assert.equal(drain(busy(log, 3, 0)), 3);
    assert.deepEqual(log, ['step 0', 'step 1', 'step 2', 'closed']);
  });

  it('runInSlices gives the result, and a request queued meanwhile is answered before the work ends', async () => {
    const log: string[] = [];
    const done = runInSlices(busy(log, 20, 1), undefined, 2);
    // Queued after the first slice, as a request read meanwhile is.
    setImmediate(() => log.push('request'));
    assert.equal(await done, 20);
    const request = log.indexOf('request');
    assert.ok(request > 0 && request < log.indexOf('step 19'), log.join());
  });

  it('a cancelled run ends at the next slice with no result, its steps closed', async () => {
    const log: string[] = [];
    const source = new CancellationTokenSource();
    const done = runInSlices(busy(log, 1000, 1), source.token, 2);
    source.cancel();
    assert.equal(await done, undefined);
    assert.ok(log.length < 20 && log.at(-1) === 'closed', log.join());
  });

  it('an exception in a step rejects', async () => {
    function* failing(): Steps<number> {
      yield;
      throw new Error('broken note');
    }
    await assert.rejects(runInSlices(failing(), undefined, 0), /broken note/);
  });
});
