/**
 * Work done in steps: a generator that yields between small units of work (a note read, a term
 * compared) and returns its result. A host that must answer other requests meanwhile runs it a few
 * milliseconds at a time (lsp/steps.ts); the CLI and the tests run it to the end (`drain`).
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs `steps` to the end and returns the result. */
export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
