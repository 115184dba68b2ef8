import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../../../client/src/restartPolicy';

describe('restart policy of the language client', () => {
  it('restarts up to the limit within the window, then gives up', () => {
    const p = new RestartPolicy(3, 60_000);
    assert.deepEqual([0, 1000, 2000].map((t) => p.onCrash(t)), ['restart', 'restart', 'restart']);
    assert.equal(p.onCrash(3000), 'give-up');
    assert.equal(p.recentCrashes, 4);
  });

  it('forgets crashes older than the window', () => {
    const p = new RestartPolicy(2, 60_000);
    assert.equal(p.onCrash(0), 'restart');
    assert.equal(p.onCrash(10_000), 'restart');
    // The crash at 0 is out of the window at 60 000: two crashes counted, still within the limit.
    assert.equal(p.onCrash(60_000), 'restart');
    assert.equal(p.recentCrashes, 2);
    assert.equal(p.onCrash(60_001), 'give-up');
  });

  it('starts afresh after a manual restart', () => {
    const p = new RestartPolicy(1, 60_000);
    assert.equal(p.onCrash(0), 'restart');
    assert.equal(p.onCrash(1), 'give-up');
    p.reset();
    assert.equal(p.recentCrashes, 0);
    assert.equal(p.onCrash(2), 'restart');
  });
});
