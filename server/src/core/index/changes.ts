/**
 * Which notes of a workspace index changed since a feature last looked, so that the feature can keep
 * per-entity or per-term caches and drop only the entries a change touches.
 *
 * The index logs the uri of every note it sets or deletes (`changedSince`), and replaces a note's
 * summary object whenever the note changes, never mutating one: the notes the log names are compared by
 * identity with the summaries seen last time. A request after a keystroke costs the one note it changed,
 * never a pass over the vault (an identity walk over 10,000 notes took ~8 ms, on every keystroke). A
 * tracker the log no longer reaches back for (more changes than notes since it last looked) compares
 * every note instead. Requests while nothing changed (the same `index.version`) cost nothing at all.
 */
import type { NoteSummary } from './summary';
import type { WorkspaceIndex } from './workspaceIndex';

/**
 * Called for each changed note: `before` is undefined for a new note, `after` for a removed one.
 * `inSteps`: the report is part of work done in steps (a host's catch-up, between its slices), not of
 * a request that must see every change at once; a cache whose own work per note is costly may do it
 * now, and otherwise put it off until it is read.
 */
export type ChangeListener = (before: NoteSummary | undefined, after: NoteSummary | undefined, inSteps: boolean) => void;

/** Tells a partial catch-up (`catchUpIndex`) to stop for now; asked after each note. */
export type ShouldStop = () => boolean;

/**
 * A cache's work once per batch of changes (see `watchIndex`). It may do part of it, asking `shouldStop`
 * between steps, and return false: the host's next catch-up calls it again. `moreComing`: the host
 * knows more batches follow soon (a scan's rounds), so work that the next batch would make again may
 * wait for it, or for a request that needs it.
 */
export type Flush = (shouldStop?: ShouldStop, moreComing?: boolean) => boolean | void;

class Tracker {
  private version = -1;
  /** Where this tracker has read the index's change log up to. */
  private position = 0;
  private readonly seen = new Map<string, NoteSummary>();
  readonly listeners: ChangeListener[] = [];
  /** Called by a host's catch-up once every listener has heard of every change (see `watchIndex`). */
  readonly flushes: Flush[] = [];
  /**
   * The uris read from the log (or, when the log did not reach back, every uri of the index) and not
   * looked at yet: a partial catch-up stops between two of them. `queueAt` is the next one to look at.
   */
  private queue: string[] = [];
  private queueAt = 0;
  /** Whether notes that left the index must be looked for once the queue is done (after a full comparison). */
  private sweep = false;
  /** Whether a listener heard of a change since the last flush, or a flush stopped before it was done. */
  private unflushed = false;
  /** Whether the last flush was told more was coming (and may have left work for a later one). */
  private deferred = false;

  constructor(private readonly index: WorkspaceIndex) {}

  /**
   * Reports every note that changed since the last call to every listener; whether anything changed.
   * With `shouldStop`, stops early (between two notes) once it says so: the next call goes on from
   * there. With `flush`, calls every flush once all is reported, with `shouldStop`: a flush that stops
   * before it is done is called again at the next catch-up. A request calls it without either, so
   * it always sees all, and each cache does its own once-a-batch work when it is read (a flush of every
   * cache at every request would have the completion requests merge the glossary's lists too).
   */
  sync(shouldStop?: ShouldStop, flush = false, moreComing = false): boolean {
    if (this.version !== this.index.version) {
      this.version = this.index.version;
      const uris = this.index.changedSince(this.position);
      this.position = this.index.logPosition;
      if (uris === undefined) {
        // The log does not reach back that far: every note is compared (and, at the end, every note seen).
        this.queue = [...this.index.uris()];
        this.queueAt = 0;
        this.sweep = true;
      } else if (uris.length > 0) {
        if (this.queueAt === this.queue.length) {
          this.queue = uris.slice();
          this.queueAt = 0;
        } else for (const uri of uris) this.queue.push(uri);
      }
    }
    let changed = false;
    while (this.queueAt < this.queue.length) {
      // A note changed twice is looked at twice: the second time it is the summary seen already.
      const uri = this.queue[this.queueAt++]!;
      const before = this.seen.get(uri);
      const after = this.index.get(uri);
      if (before !== after) {
        if (after) this.seen.set(uri, after);
        else this.seen.delete(uri);
        for (const listener of this.listeners) listener(before, after, shouldStop !== undefined);
        changed = true;
      }
      if (shouldStop?.() && this.queueAt < this.queue.length) {
        this.unflushed ||= changed;
        return changed;
      }
    }
    this.queue = [];
    this.queueAt = 0;
    if (this.sweep) {
      this.sweep = false;
      // Every note of the index is in `seen` now; equal sizes mean no note was removed.
      if (this.seen.size !== this.index.size) {
        for (const [uri, before] of this.seen) {
          if (this.index.get(uri) !== undefined) continue;
          this.seen.delete(uri);
          for (const listener of this.listeners) listener(before, undefined, shouldStop !== undefined);
          changed = true;
        }
      }
    }
    if (!flush) this.unflushed ||= changed;
    else if (changed || this.unflushed || (this.deferred && !moreComing)) {
      let done = true;
      for (const f of this.flushes) if (f(shouldStop, moreComing) === false) done = false;
      this.unflushed = !done;
      this.deferred = moreComing;
    }
    return changed;
  }

  /** Whether every change of the index has been reported (and flushed). */
  get current(): boolean {
    return this.reported && !this.unflushed;
  }

  /** Whether every change of the index has been reported to the listeners. */
  get reported(): boolean {
    return this.version === this.index.version && this.queueAt === this.queue.length;
  }

  /** The notes reported so far. */
  seenSummaries(): IterableIterator<NoteSummary> {
    return this.seen.values();
  }
}

/** One tracker per index, shared by every cache that follows it: one identity walk per index version. */
const trackers = new WeakMap<WorkspaceIndex, Tracker>();

/**
 * Registers `listener` for the notes of `index` that change from now on (it first hears of every note
 * already indexed, as new) and returns the function to call before reading the cache it maintains: it
 * reports what changed since the last call of any cache's sync to every listener of the index (with
 * `shouldStop`, only until that says so, between two notes; see `indexReported`) and returns whether
 * anything changed. `flush` is the cache's work once per batch of changes rather than once per note,
 * which the cache does itself when it is read; `catchUpIndex` calls it too, so that a request finds it
 * done.
 */
export function watchIndex(index: WorkspaceIndex, listener: ChangeListener, flush?: Flush): (shouldStop?: ShouldStop) => boolean {
  let tracker = trackers.get(index);
  if (!tracker) trackers.set(index, (tracker = new Tracker(index)));
  const t = tracker;
  // A listener registered after notes were seen must hear of them too: it starts from the notes indexed now.
  for (const summary of t.seenSummaries()) listener(undefined, summary, false);
  t.listeners.push(listener);
  if (flush) t.flushes.push(flush);
  return (shouldStop) => t.sync(shouldStop);
}

/** Whether every change of `index` has been reported to the caches that follow it (see `watchIndex`). */
export function indexReported(index: WorkspaceIndex): boolean {
  return trackers.get(index)?.reported ?? true;
}

/**
 * Brings the caches that follow `index` (see `watchIndex`) up to date with it, a note at a time, until
 * `shouldStop` says so; whether they are all current. A host calls it between slices of its own work,
 * so that a request finds little left to report: after a scan round of hundreds of notes, the request
 * that came next paid for all of them (~0.2 ms a note at 10,000 notes).
 */
export function catchUpIndex(index: WorkspaceIndex, shouldStop: ShouldStop, flush = true, moreComing = false): boolean {
  const t = trackers.get(index);
  if (!t) return true;
  t.sync(shouldStop, flush, moreComing);
  return t.current;
}
