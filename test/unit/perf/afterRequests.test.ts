/**
 * The indexer's background slices (applying scanned summaries, the features' catch-up) let the requests
 * read meanwhile go first. The connection handles a request in an immediate it queues when the request's
 * bytes are read, which is after the slice queued its continuation: a continuation queued with one
 * `setImmediate` ran before that request.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { afterRequests, yieldTurn } from '../../../server/src/host/indexCache';

/** Runs `slice` as a slice runs (in an immediate); a request is queued once it returns, as a read would. */
function sliceThenRequest(slice: (events: string[]) => void): Promise<string[]> {
  const events: string[] = [];
  return new Promise((resolve) => {
    setImmediate(() => {
      slice(events);
      // After the slice, in the same turn: the immediate comes after whatever the slice queued.
      process.nextTick(() => setImmediate(() => events.push('request')));
    });
    const done = () => (events.length === 2 ? resolve(events) : setImmediate(done));
    setImmediate(done);
  });
}

describe('background slices after requests', () => {
  it('runs the next slice after a request queued once the slice had queued it', async () => {
    assert.deepEqual(await sliceThenRequest((events) => afterRequests(() => events.push('next slice'))), ['request', 'next slice']);
  });

  it('resolves `yieldTurn` after such a request too', async () => {
    assert.deepEqual(await sliceThenRequest((events) => void yieldTurn().then(() => events.push('next slice'))), ['request', 'next slice']);
  });

  it('is needed: one immediate hop runs the next slice first', async () => {
    assert.deepEqual(await sliceThenRequest((events) => setImmediate(() => events.push('next slice'))), ['next slice', 'request']);
  });
});
