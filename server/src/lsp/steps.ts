/**
 * Runs core work written in steps (`Steps`, core/steps.ts) a few milliseconds at a time, each slice
 * queued behind the messages the connection read meanwhile (`afterRequests`), so that a hover or a
 * keystroke waits for one slice, not for seconds of a search across the vault.
 */
import type { CancellationToken } from 'vscode-languageserver';
import { drain, type Steps } from '../core/steps';
import { afterRequests } from '../host/indexCache';

/** How long a slice runs before the requests read meanwhile are answered. */
export const STEPS_SLICE_MS = 2;

/**
 * The result of `steps`, run in slices; undefined when `token` was cancelled first (the client drops
 * the answer to a cancelled request; background work drops a result that is no longer wanted). The
 * first slice runs at once. An exception rejects.
 */
export function runInSlices<T>(steps: Steps<T>, token?: Pick<CancellationToken, 'isCancellationRequested'>, sliceMs = STEPS_SLICE_MS): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const slice = () => {
      try {
        if (token?.isCancellationRequested) {
          steps.return(undefined as T);
          resolve(undefined);
          return;
        }
        const start = performance.now();
        for (;;) {
          const r = steps.next();
          if (r.done) {
            resolve(r.value);
            return;
          }
          if (performance.now() - start >= sliceMs) break;
        }
        afterRequests(slice);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    slice();
  });
}

/**
 * `runInSlices` for an answer that must fit the state it was computed from (a rename's edits must fit
 * the notes when the editor applies them): `make` gives the work, or undefined when there is none to do;
 * `stamp` tells whether anything changed (it is taken after `make`, which may bring the state up to
 * date). When the state changed while the work ran, the work is done again; after `attempts` runs in
 * slices, the last one runs in one go, so that a state that never stops changing cannot starve it.
 * Undefined when there was no work, or when `token` was cancelled.
 */
export async function runOnSteadyState<T>(make: () => Steps<T> | undefined, stamp: () => string, token: Pick<CancellationToken, 'isCancellationRequested'>, attempts = 3): Promise<T | undefined> {
  for (let i = 0; i < attempts; i++) {
    const steps = make();
    if (!steps) return undefined;
    const before = stamp();
    const result = await runInSlices(steps, token);
    if (token.isCancellationRequested) return undefined;
    if (stamp() === before) return result;
  }
  const steps = make();
  return steps && drain(steps);
}
