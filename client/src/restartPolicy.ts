/**
 * When to restart a crashed language server and when to give up. Kept free of the VS Code API so the
 * rule can be unit-tested: a server that crashes once in a while is restarted every time, one that
 * crashes again and again (a bug it hits on start-up, say) is left stopped after `maxRestarts` crashes
 * within `windowMs`, instead of restarting forever and flooding the user with errors.
 */
export type RestartDecision = 'restart' | 'give-up';

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    readonly maxRestarts = 4,
    readonly windowMs = 3 * 60 * 1000,
  ) {}

  /** Records a crash at `now` (ms) and decides what to do about it. */
  onCrash(now: number): RestartDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.maxRestarts ? 'restart' : 'give-up';
  }

  /** Forgets past crashes, after the user restarts the server by hand. */
  reset(): void {
    this.crashes = [];
  }

  /** Crashes counted in the current window. */
  get recentCrashes(): number {
    return this.crashes.length;
  }
}
