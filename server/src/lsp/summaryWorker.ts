/**
 * Worker thread of the initial scan: reads a note from disk, parses it and sends back only its summary.
 * Parsing is most of the cost of indexing a vault, so doing it here keeps the server's main thread free
 * to answer requests and uses a second core. The summary crosses the thread boundary in its packed form
 * (`SummaryData`: string arrays and typed arrays) by structured clone, which also gives the main thread
 * fresh strings: nothing in the index keeps a note's text alive.
 */
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

/** The work of one job, also run in the main thread when no worker can be started. */
export async function summarizeFile(job: Omit<SummaryJob, 'id' | 'locale'>): Promise<{ ok: true; summary: SummaryData } | { ok: false; read: Extract<ReadResult, { ok: false }> }> {
  const read = await readNote(job.file, job.maxBytes, { root: job.root });
  if (!read.ok) return { ok: false, read };
  return { ok: true, summary: summaryData(job.uri, parseNote(read.text, job.options).note) };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: SummaryJob) => {
    if (job.locale !== locale()) applyLocale(job.locale);
    summarizeFile(job).then(
      (r) => port.postMessage({ id: job.id, ...r } satisfies SummaryAnswer),
      (e: unknown) => port.postMessage({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies SummaryAnswer),
    );
  });
}
