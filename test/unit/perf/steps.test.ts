import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver';
import { drain, type Steps } from '../../../server/src/core/steps';
import { runInSlices, runOnSteadyState } from '../../../server/src/lsp/steps';

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

  describe('work that must fit a steady state (rename)', () => {
    /** Work of `steps` steps answering which run it was; `during(run, step)` may change the state. */
    const runs = (steps: number, during: (run: number, step: number) => void) => {
      let run = 0;
      return {
        made: () => run,
        make: () => {
          const mine = ++run;
          return (function* (): Steps<number> {
            for (let i = 0; i < steps; i++) {
              during(mine, i);
              yield;
            }
            return mine;
          })();
        },
      };
    };
    const never = { isCancellationRequested: false };

    it('answers from the first run when nothing changed', async () => {
      const work = runs(5, () => undefined);
      assert.equal(await runOnSteadyState(work.make, () => 'same', never), 1);
      assert.equal(work.made(), 1);
    });

    it('runs again when the state changed during a run, and answers from the run that saw none', async () => {
      let state = 0;
      // The first run sees a change at its third step; the second none.
      const work = runs(5, (run, step) => {
        if (run === 1 && step === 2) state++;
      });
      assert.equal(await runOnSteadyState(work.make, () => String(state), never), 2);
      assert.equal(work.made(), 2);
    });

    it('a state that never stops changing gets the last run in one go', async () => {
      let state = 0;
      const work = runs(3, () => state++);
      // Three runs in slices, each seeing changes, then the fourth drained whatever happens.
      assert.equal(await runOnSteadyState(work.make, () => String(state), never, 3), 4);
    });

    it('no work, or a cancelled run, answers undefined', async () => {
      assert.equal(await runOnSteadyState(() => undefined, () => '', never), undefined);
      const source = new CancellationTokenSource();
      const work = runs(1000, (_, step) => {
        if (step === 10) source.cancel();
      });
      assert.equal(await runOnSteadyState(work.make, () => 'same', source.token), undefined);
      assert.equal(work.made(), 1);
    });
  });
});
