/**
 * Decides when background work that can wait (the index cache write after a scan) runs its next slice:
 * once the server has had no request for a while, so that a burst of requests (an editor asks for hover,
 * completion and diagnostics at every keystroke) never queues behind it.
 *
 * Waiting has two limits. Work that has waited `maxDelayMs` runs even on a server that is never quiet,
 * one slice between requests, so that it still ends. And after `hurry` (at `shutdown`) it runs at once:
 * the editor is going away, and a cache left unwritten would make the next start read every note again.
 */
export interface IdleTimings {
  /** How long after the last request a slice may start. */
  readonly quietMs: number;
  /** How long work waits for a quiet moment at most, counted from when it was queued. */
  readonly maxDelayMs: number;
}

const MAX_TIMEOUT_MS = 0x7fffffff;

export class IdleGate {
  /** `performance.now()` of the latest request; -Infinity until the first one. */
  private lastBusy = -Infinity;
  private hurried = false;
  /** Wakes every waiter (their conditions are checked again). */
  private readonly wakers = new Set<() => void>();

  constructor(private timings: IdleTimings) {}

  /** Changes the timings, for waits to come and those already waiting. */
  configure(timings: IdleTimings): void {
    this.timings = timings;
    this.wake();
  }

  /** A request or an edit arrived: slices wait until the server has been quiet for `quietMs` again. */
  busy(): void {
    this.lastBusy = performance.now();
  }

  /** From now on every wait ends at once (the server is shutting down). */
  hurry(): void {
    this.hurried = true;
    this.wake();
  }

  /**
   * Resolves to true when the next slice of work queued at `since` (a `performance.now()` time) may run,
   * or to false as soon as `abandoned` holds when the gate looks again (the work is no longer wanted,
   * e.g. a newer scan started). `abandoned` is checked whenever the wait ends or is woken.
   */
  async wait(since: number, abandoned: () => boolean): Promise<boolean> {
    for (;;) {
      if (abandoned()) return false;
      if (this.hurried) return true;
      const now = performance.now();
      const until = Math.min(this.lastBusy + this.timings.quietMs, since + this.timings.maxDelayMs);
      if (now >= until) return true;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.wakers.delete(wake);
          resolve();
        };
        // A request that arrives meanwhile moves `lastBusy`; the loop then waits again for the rest.
        // (Capped: Node runs a longer timeout after 1 ms instead.)
        const timer = setTimeout(wake, Math.min(until - now, MAX_TIMEOUT_MS));
        this.wakers.add(wake);
      });
    }
  }

  /** Makes every waiter check its conditions now (e.g. after a change that abandons its work). */
  wake(): void {
    for (const wake of [...this.wakers]) wake();
  }
}
