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

/** Called for each changed note: `before` is undefined for a new note, `after` for a removed one. */
export type ChangeListener = (before: NoteSummary | undefined, after: NoteSummary | undefined) => void;

class Tracker {
  private version = -1;
  /** Where this tracker has read the index's change log up to. */
  private position = 0;
  private readonly seen = new Map<string, NoteSummary>();
  readonly listeners: ChangeListener[] = [];

  constructor(private readonly index: WorkspaceIndex) {}

  /** Reports every note that changed since the last call to every listener; whether anything changed. */
  sync(): boolean {
    if (this.version === this.index.version) return false;
    this.version = this.index.version;
    const uris = this.index.changedSince(this.position);
    this.position = this.index.logPosition;
    if (uris === undefined) return this.compareAll();
    let changed = false;
    for (const uri of uris) {
      // A note changed twice is looked at twice: the second time it is the summary seen already.
      const before = this.seen.get(uri);
      const after = this.index.get(uri);
      if (before === after) continue;
      if (after) this.seen.set(uri, after);
      else this.seen.delete(uri);
      for (const listener of this.listeners) listener(before, after);
      changed = true;
    }
    return changed;
  }

  /** Compares every note of the index with the summary seen last. */
  private compareAll(): boolean {
    let changed = false;
    let present = 0;
    for (const summary of this.index.summaries()) {
      present++;
      const before = this.seen.get(summary.uri);
      if (before === summary) continue;
      this.seen.set(summary.uri, summary);
      for (const listener of this.listeners) listener(before, summary);
      changed = true;
    }
    // Every note of the index is in `seen` now; equal sizes mean no note was removed.
    if (present !== this.seen.size) {
      for (const [uri, before] of this.seen) {
        if (this.index.get(uri) !== undefined) continue;
        this.seen.delete(uri);
        for (const listener of this.listeners) listener(before, undefined);
        changed = true;
      }
    }
    return changed;
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
 * reports what changed since the last call of any cache's sync to every listener of the index.
 */
export function watchIndex(index: WorkspaceIndex, listener: ChangeListener): () => boolean {
  let tracker = trackers.get(index);
  if (!tracker) trackers.set(index, (tracker = new Tracker(index)));
  const t = tracker;
  // A listener registered after notes were seen must hear of them too: it starts from the notes indexed now.
  for (const summary of t.seenSummaries()) listener(undefined, summary);
  t.listeners.push(listener);
  return () => t.sync();
}
