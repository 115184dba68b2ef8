/**
 * Worker thread of the initial scan: reads a note from disk, parses it and sends back only its summary.
 * Parsing is most of the cost of indexing a vault, so doing it here keeps the server's main thread free
 * to answer requests and uses a second core. The summary crosses the thread boundary in its packed form
 * (`SummaryData`: string arrays and typed arrays) by structured clone, which also gives the main thread
 * fresh strings: nothing in the index keeps a note's text alive.
 */
import * as os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { summaryData, type SummaryData } from '../core/index/summary';
import { parseNote, type ParseOptions } from '../core/parse/note';
import { readNote, type ReadResult } from '../host/files';
import { applyLocale } from '../host/l10n';
import { locale } from '../core/l10n';

export interface SummaryJob {
  readonly id: number;
  readonly file: string;
  readonly uri: string;
  readonly maxBytes: number;
  /** The workspace folder the file must lie in (see `readNote`). */
  readonly root: string | undefined;
  readonly options: ParseOptions;
  /** The server's message locale: the reasons a file is skipped are worded in the worker. */
  readonly locale: string;
}

export type SummaryAnswer =
  | { readonly id: number; readonly ok: true; readonly summary: SummaryData }
  | { readonly id: number; readonly ok: false; readonly read: Extract<ReadResult, { ok: false }> }
  | { readonly id: number; readonly ok: false; readonly error: string };

/**
 * Parsing for the index is background work: on Linux, where a nice value belongs to a thread, this
 * thread gives way to the server's main thread (which answers the editor) and to the editor itself. The
 * machine this was measured on has two cores, shared by this thread, the main thread, the garbage
 * collector's threads and the editor; at normal priority a request often waited 50–100 ms for a core
 * while the main thread was idle. Elsewhere the call would lower the whole process, so it is not made.
 */
function lowerPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(0, os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not permitted: the thread keeps its priority.
  }
}

/** The work of one job, also run in the main thread when no worker can be started. */
export async function summarizeFile(job: Omit<SummaryJob, 'id' | 'locale'>): Promise<{ ok: true; summary: SummaryData } | { ok: false; read: Extract<ReadResult, { ok: false }> }> {
  const read = readNote(job.file, job.maxBytes, { root: job.root });
  if (!read.ok) return { ok: false, read };
  return { ok: true, summary: summaryData(job.uri, parseNote(read.text, { ...job.options, forIndex: true }).note) };
}

if (parentPort) {
  const port = parentPort;
  lowerPriority();
  port.on('message', (job: SummaryJob) => {
    if (job.locale !== locale()) applyLocale(job.locale);
    summarizeFile(job).then(
      (r) => port.postMessage({ id: job.id, ...r } satisfies SummaryAnswer),
      (e: unknown) => port.postMessage({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies SummaryAnswer),
    );
  });
}
