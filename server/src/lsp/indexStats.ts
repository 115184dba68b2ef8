/**
 * `notesense/indexStats`: a read-only picture of what the workspace index holds, small enough to send
 * for a 10,000-note vault. The benchmark (bench/) compares it with the manifest of a generated vault, so
 * a fast but wrong index fails: besides the counts it carries order-independent checksums of every
 * entity (key, value, notes) triple and every (term, notes) pair.
 */
import { featuresPrepared } from '../core/features/follow';
import { hash32 } from '../core/index/summary';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';

export const INDEX_STATS_REQUEST = 'notesense/indexStats';

export interface IndexStatsParams {
  /**
   * With `bold`: asks whether this note's summary holds that bold text (the keystroke probe), by its key
   * (see `NoteSummary.hasBold`); bench/generate.mjs computes the checksums below with `hash32`.
   */
  readonly uri?: string;
  readonly bold?: string;
  /** With `bold`: also asks whether it still holds this one (the text the previous keystroke made). */
  readonly gone?: string;
  /** With `memory`: the server's heap after a full garbage collection (when node runs with --expose-gc). */
  readonly memory?: boolean;
  /**
   * With `prepared`: asks whether the background work after a change of the vocabulary is done
   * (`prepareFeatures`), so that a test or the benchmark can wait for it instead of for a fixed time.
   */
  readonly prepared?: boolean;
  /**
   * With `restore`: the last scan's notes restored from the index cache, and how many of them were built
   * from the groups the cache saved (see `Indexer.restoreStats`).
   */
  readonly restore?: boolean;
}

export interface MemoryStats {
  readonly heapUsedMb: number;
  /** The pages V8 holds for the heap, used or not. */
  readonly heapTotalMb: number;
  /** Memory outside V8's heap held by JS objects: array buffers (typed arrays, buffers) and the like. */
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
  readonly rssMb: number;
  /** False when the process was not started with --expose-gc: the heap figure then includes garbage. */
  readonly collected: boolean;
}

export interface IndexStats {
  readonly notes: number;
  /** Distinct (front-matter key, value) pairs. */
  readonly entityPairs: number;
  /** Sum over those pairs of the number of notes listing each. */
  readonly entityRefs: number;
  readonly distinctTerms: number;
  readonly definitions: number;
  readonly entityChecksum: number;
  readonly termChecksum: number;
  readonly hasBold?: boolean;
  readonly hasGone?: boolean;
  readonly memory?: MemoryStats;
  readonly prepared?: boolean;
  readonly restore?: { readonly restored: number; readonly grouped: number };
}

/** The heap after a full collection: what the server really keeps, unlike RSS, which V8 returns lazily. */
function memoryStats(): MemoryStats {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const m = process.memoryUsage();
  const mb = (n: number) => n / 1048576;
  return {
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
    rssMb: mb(m.rss),
    collected: gc !== undefined,
  };
}

export function indexStats(index: WorkspaceIndex, params: IndexStatsParams | null | undefined, restore?: IndexStats['restore']): IndexStats {
  if (params?.restore) {
    return { notes: index.size, entityPairs: 0, entityRefs: 0, distinctTerms: 0, definitions: 0, entityChecksum: 0, termChecksum: 0, restore };
  }
  if (params?.prepared) {
    return { notes: index.size, entityPairs: 0, entityRefs: 0, distinctTerms: 0, definitions: 0, entityChecksum: 0, termChecksum: 0, prepared: featuresPrepared(index) };
  }
  if (params?.memory) {
    return { notes: index.size, entityPairs: 0, entityRefs: 0, distinctTerms: 0, definitions: 0, entityChecksum: 0, termChecksum: 0, memory: memoryStats() };
  }
  if (params?.uri !== undefined && params.bold !== undefined) {
    // The keystroke probe only needs this one answer; the whole-index sums below are for the final check.
    const summary = index.get(params.uri);
    const has = (text: string) => summary?.hasBold(text) === true;
    return { notes: index.size, entityPairs: 0, entityRefs: 0, distinctTerms: 0, definitions: 0, entityChecksum: 0, termChecksum: 0,
      hasBold: has(params.bold), ...(params.gone !== undefined ? { hasGone: has(params.gone) } : {}) };
  }
  let entityPairs = 0;
  let entityRefs = 0;
  let entityChecksum = 0;
  for (const e of index.entities()) {
    entityPairs++;
    entityRefs += e.notes;
    entityChecksum = (entityChecksum + hash32(`${e.key}\u0000${e.value}\u0000${e.notes}`)) >>> 0;
  }
  let distinctTerms = 0;
  let termChecksum = 0;
  for (const t of index.terms()) {
    distinctTerms++;
    termChecksum = (termChecksum + hash32(`${t.term}\u0000${t.notes.length}`)) >>> 0;
  }
  let definitions = 0;
  for (const s of index.summaries()) definitions += s.definitions.length;
  return { notes: index.size, entityPairs, entityRefs, distinctTerms, definitions, entityChecksum, termChecksum };
}
