/**
 * A small pool of summary workers (summaryWorker.ts) for the initial scan. Jobs go to the worker with
 * the fewest in flight. When no worker can be started (the worker file is missing, threads are not
 * allowed), every job runs in the calling thread instead: slower, never wrong.
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { NoteSummary, SharedFields, type SummaryData, type SummaryField } from '../core/index/summary';
import { locale } from '../core/l10n';
import type { ParseOptions } from '../core/parse/note';
import type { ReadResult } from '../host/files';
import { summarizeFile, type SummaryAnswer, type SummaryJob } from './summaryWorker';

export type SummaryResult =
  | { readonly ok: true; readonly summary: NoteSummary }
  | { readonly ok: false; readonly read: Extract<ReadResult, { ok: false }> };

/** A note in flight. */
interface Job {
  readonly resolve: (r: SummaryResult) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Job>;
}

/** One worker per core beyond the first (the main thread keeps the index and answers requests). */
export function defaultPoolSize(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores - 1));
}

export class SummaryPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  /**
   * One object for each distinct front-matter field among the notes this pool read (see `SharedFields`).
   * A summary comes with objects and strings of its own (a structured clone, or the note's parse). The
   * table goes with the pool (after the scan); the objects stay with the summaries. The index interns
   * the summaries' other strings.
   */
  private readonly fields = new SharedFields();

  constructor(size = defaultPoolSize(), workerFile = path.join(__dirname, 'summaryWorker.js')) {
    if (!existsSync(workerFile)) return;
    for (let i = 0; i < size; i++) {
      let worker: Worker;
      try {
        worker = new Worker(workerFile);
      } catch {
        break;
      }
      const slot: Slot = { worker, pending: new Map() };
      worker.on('message', (a: SummaryAnswer) => {
        const p = slot.pending.get(a.id);
        if (!p) return;
        slot.pending.delete(a.id);
        if (slot.pending.size === 0) slot.worker.unref();
        if (a.ok) p.resolve({ ok: true, summary: new NoteSummary(this.share(a.summary)) });
        else if ('read' in a) p.resolve({ ok: false, read: a.read });
        else p.reject(new Error(a.error));
      });
      // A worker that dies fails its jobs (the caller reads those notes in its own thread) and leaves the pool.
      const fail = (e: Error) => {
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots.splice(i, 1);
        for (const p of slot.pending.values()) p.reject(e);
        slot.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`summary worker exited with ${code}`)));
      // An idle pool must never keep the process alive by itself; a busy one must (see `summarize`).
      worker.unref();
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** The worker with the fewest jobs in flight, if any. */
  private leastBusy(): Slot | undefined {
    return this.slots.reduce<Slot | undefined>((best, s) => (!best || s.pending.size < best.pending.size ? s : best), undefined);
  }

  /** Reads, parses and summarises one note, in a worker when there is one. */
  async summarize(file: string, uri: string, maxBytes: number, root: string | undefined, options: ParseOptions): Promise<SummaryResult> {
    const slot = this.leastBusy();
    if (!slot) return this.inThread({ file, uri, maxBytes, root, options });
    const id = ++this.nextId;
    try {
      return await new Promise<SummaryResult>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        if (slot.pending.size === 1) slot.worker.ref();
        slot.worker.postMessage({ id, file, uri, maxBytes, root, options, locale: locale() } satisfies SummaryJob);
      });
    } catch {
      return this.inThread({ file, uri, maxBytes, root, options });
    }
  }

  private async inThread(job: Parameters<typeof summarizeFile>[0]): Promise<SummaryResult> {
    const r = await summarizeFile(job);
    // Copied as a worker's answer is: made here, its strings are slices that keep the note's text alive.
    return r.ok ? { ok: true, summary: new NoteSummary(this.share(structuredClone(r.summary))) } : r;
  }

  /** The summary with its fields replaced by the objects seen before (see `fields`). */
  private share(data: SummaryData): SummaryData {
    // The summary was made for this thread alone: its fields are replaced in place.
    this.fields.shareAll(data.fields as SummaryField[]);
    return data;
  }

  async dispose(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}
