/**
 * Keeps the workspace index current: the initial scan of every workspace folder (with work-done
 * progress), open buffers over the disk copy, and watched-file events, all note by note. Features read
 * the index while the scan runs; they simply see fewer notes until it ends.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Connection,
  type FileEvent,
  type InitializeParams,
  type TextDocuments,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { catchUpIndex } from '../core/index/changes';
import { prepareFeatures } from '../core/features/follow';
import { summarize, summarizeOpen, type NoteSummary } from '../core/index/summary';
import { StringTable, WorkspaceIndex, type SummaryWithIds } from '../core/index/workspaceIndex';
import { t } from '../core/l10n';
import { parseNote, type ParseOptions } from '../core/parse/note';
import { warmUpPinyin } from '../core/glossary/pinyin';
import { ALWAYS_SKIPPED, fileUri, listNotes } from '../host/files';
import { groupsFit } from '../host/cacheGroups';
import { afterRequests, cacheFileFor, cacheKey, defaultCacheDirectory, openCache, statAll, writeCache, yieldTurn, type CachedNote, type CacheFile, type CacheKey, type FileStat } from '../host/indexCache';
import { skipProblem } from '../host/vault';
import type { ParsedDocuments } from './documents';
import { IdleGate, type IdleTimings } from './idleGate';
import { SummaryPool } from './summaryPool';

export const REBUILD_COMMAND = 'notesense.server.rebuildIndex';
export const STATUS_NOTIFICATION = 'notesense/status';

export interface StatusParams {
  readonly state: 'indexing' | 'ready';
  readonly notes: number;
  readonly entities: number;
  readonly terms: number;
  readonly indexed?: number;
  readonly total?: number;
}

export interface IndexerOptions {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly parsed: ParsedDocuments;
  readonly index: WorkspaceIndex;
  readonly parseOptions: () => ParseOptions;
  readonly maxFileSize: () => number;
  /** Called (throttled) after the index changed, so diagnostics that depend on other notes refresh. */
  readonly onIndexChanged?: () => void;
  /** Called with the workspace folders' uris when the client adds or removes folders (the schemas follow them). */
  readonly onFoldersChanged?: (uris: readonly string[]) => void;
  /** The server's version: part of the index cache's key. */
  readonly serverVersion?: string;
}

interface Folder {
  readonly uri: string;
  readonly fsPath: string;
  isExcluded: (relative: string, isDirectory: boolean) => boolean;
  /** The globs behind `isExcluded`, to tell whether a settings change alters them. */
  excludeKey?: string;
}

/**
 * How many notes are asked of the parser threads at once. The worker reads its notes one after another,
 * so this is its queue (~1 ms of work a note): 16 could run dry while the main thread collects garbage or
 * runs a long slice, 64 leaves slack (one pair of profiles at 10,000 notes: the thread idle 1.5 s against
 * 0.65 s; end to end within the noise). Most of its idle time is elsewhere: the readers wait for the next
 * round once MAX_PENDING summaries are queued (bench/FINDINGS.md, session 6). Without a worker, the notes
 * are read and parsed in this thread, one at a time.
 */
const READ_CONCURRENCY = 64;
const STATUS_INTERVAL_MS = 250;
const PROGRESS_INTERVAL_MS = 200;
/** How long the parser threads stay without work before they stop (they start again at the next read). */
const POOL_IDLE_MS = 2000;
/** How often an open note being typed in is re-indexed at most (unless a request needs it sooner). */
const TYPING_INTERVAL_MS = 100;
/** How many files the scan turns into uris between two turns of the event loop (~5 ms). */
const URIS_PER_TURN = 1000;

/**
 * The longest the main thread applies scanned summaries to the index (and catches the features up with
 * them) before it yields to requests. A request that arrives meanwhile waits this long at most (plus its
 * own work and garbage collection) for the index. At 10,000 notes, 4 ms instead of 8 took the median
 * wait of a hover or completion during the cold index from ~37 to ~27 ms and the 90th percentile from
 * ~55 to ~38 ms, with the index ready as soon (two runs each; bench/FINDINGS.md, session 8); 2 ms
 * instead of 4, once a slice no longer ran ahead of the requests read during the one before
 * (`afterRequests`), took the median from ~10 to ~8 ms, the 90th percentile from ~18 to ~14 ms and the
 * longest wait of three runs from 65–80 to 40–43 ms, the scan as long (alternated runs, session 13).
 */
const APPLY_BUDGET_MS = 2;
/** During a scan the features catch up while requests come: one came within this long (see `catchUpNow`). */
const CATCH_UP_ACTIVE_MS = 2000;
/**
 * A restart decodes the index cache and builds the restored notes' index in slices of about this long
 * (`RESTORE_STEP` notes or entities at a time, each well under a millisecond), yielding in between.
 */
const RESTORE_SLICE_MS = 8;
const RESTORE_STEP = 256;
/**
 * A restart builds the index from the cache's groups of every record, then takes out those not to
 * restore (changed on disk, gone, open), while they are at most this share of the records: each costs
 * about what indexing it costs, and past this share grouping the others again is cheaper.
 */
const MAX_STALE_SHARE = 1 / 8;
/** Summaries waiting to be applied at most; the readers pause beyond it, so memory stays bounded. */
const MAX_PENDING = 256;
/**
 * During a scan, queued summaries are applied in rounds at most this often. Every change of the index
 * makes the next request rebuild what depends on it (the glossary's mentions of the open note, the
 * completion caches), so a round every half second instead of a change every few milliseconds keeps
 * most requests cheap, while what the scan found still reaches the index within half a second. The
 * last round runs as soon as the reads end (see `drained`), so the scan ends no later for it.
 */
const APPLY_INTERVAL_MS = 500;
/**
 * The index cache write waits for the server to be quiet: a slice of it starts only once no request
 * (nor edit) has arrived for `quietMs`, so the requests of an editor in use never queue behind it. Right
 * after a scan, when the editor asks most, the write thus waits; at 10,000 notes it is one to two
 * seconds of main-thread work (encoding, then UTF-8 for the file), done in the first pauses. A server
 * that is never quiet still writes after `maxDelayMs`, one slice between requests, and `shutdown` writes
 * whatever is left at once.
 */
const CACHE_WRITE_TIMINGS: IdleTimings = { quietMs: 200, maxDelayMs: 30_000 };
/**
 * A tiny note in the vault's format, indexed once at `initialize` (see `warmUp`). Its entity values have
 * no Chinese: their pinyin would load the pinyin library, which a restart does not need before its index
 * is ready (see `warmUpPinyin`).
 */
const WARM_UP_NOTE = '---\ntitle: 预热\ndate: 2024-01-01\npeople:\n- Ada\n- "Alice"\n---\n# 预热\n**术语**（Term: 定义）和**粗体**。\n';

/** A note's next state in the index: its summary, or `undefined` when it leaves the index. */
interface PendingNote {
  readonly summary: NoteSummary | undefined;
  readonly generation: number;
}

export class Indexer {
  private folders: Folder[] = [];
  private watchedFilesDynamic = false;
  private folderEvents = false;
  /** Incremented by each scan: an older scan that sees a newer one stops. */
  private generation = 0;
  private scanning = false;
  private scanned = { indexed: 0, total: 0 };
  /**
   * The last scan's restore: how many notes it took from the index caches, and how many of those went in
   * by the groups the cache saved (`addGroupedSteps`), for `notesense/indexStats` (tests and the benchmark
   * check that a restart takes the fast path).
   */
  restoreStats = { restored: 0, grouped: 0 };
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStatus = 0;
  /** Files with a pending disk read from a watched-file event; the latest event wins. */
  private readonly pendingReads = new Map<string, number>();
  private tickets = 0;
  /** The parse options of the last scan, to tell whether a settings change alters them. */
  private parseKey = '';
  private scanDone: Promise<void> = Promise.resolve();
  /** Bounds the reads of watched-file events (a `git checkout` sends thousands at once). */
  private readonly slots = new Slots(READ_CONCURRENCY);
  /** Parser threads, started at the first read (a server that never scans never starts them). */
  private pool: SummaryPool | undefined;
  /** Reads in flight on the pool; once none are left the pool's threads (and their heaps) are let go. */
  private poolBusy = 0;
  private poolIdle: ReturnType<typeof setTimeout> | undefined;
  /** Where index cache files go; undefined when the client turned the cache off. */
  private cacheDirectory: string | undefined = defaultCacheDirectory();
  /** The cache being written after a scan; `flush` waits for it (at shutdown). */
  private cacheWrite: Promise<void> = Promise.resolve();
  /** When the cache write may run its next slice (see CACHE_WRITE_TIMINGS); told of every request by `settle`. */
  private readonly idle = new IdleGate(CACHE_WRITE_TIMINGS);
  /** The size and mtime each note had just before it was read, for the cache; only notes read from disk. */
  private readonly diskStats = new Map<string, FileStat>();
  /** Open notes changed recently (see documentChanged), and those changed again since their last update. */
  private readonly typing = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly typingDirty = new Set<string>();
  /**
   * Summaries read from disk or restored from the cache, not yet in the index, by uri (a newer one
   * replaces an older one). They are applied in slices of at most APPLY_BUDGET_MS with a yield between
   * slices, so requests never wait behind a whole batch; every slice leaves the index consistent, since
   * each `index.set` replaces one note's contributions at once.
   */
  private readonly pending = new Map<string, PendingNote>();
  /** The next slice: queued as an immediate, or as a timer until the next round (see APPLY_INTERVAL_MS). */
  private applyScheduled: 'immediate' | ReturnType<typeof setTimeout> | undefined;
  /** A round applies until the queue is empty, slice by slice; the next one starts APPLY_INTERVAL_MS later. */
  private roundOpen = false;
  /** Whether a slice of the features' catch-up with the index is queued (see `scheduleCatchUp`). */
  private catchUpScheduled = false;
  /** Whether a slice of the features' preparation is queued (see `schedulePrepare`). */
  private prepareScheduled = false;
  /** When a request last read the index (`settle`). */
  private lastRequest = -Infinity;
  private roundStart = -Infinity;
  /** Resolved when `pending` is empty (`drained`) or has room again (`room`). */
  private drainedWaiters: Array<() => void> = [];
  private roomWaiters: Array<() => void> = [];
  /** When the scan's progress was last reported (see `reportProgress`). */
  private lastProgress = 0;

  constructor(private readonly o: IndexerOptions) {}

  /** Reads the workspace folders and client capabilities from `initialize`. */
  initialize(params: InitializeParams): void {
    this.folderEvents = params.capabilities.workspace?.workspaceFolders === true;
    const uris = params.workspaceFolders?.length
      ? params.workspaceFolders.map((f) => f.uri)
      : params.rootUri
        ? [params.rootUri]
        : params.rootPath
          ? [pathToFileURL(params.rootPath).href]
          : [];
    this.folders = foldersOf(uris);
    this.watchedFilesDynamic = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    // `initializationOptions.cacheDirectory`: a folder for the index cache, or false for none.
    const cacheOption = (params.initializationOptions as { cacheDirectory?: unknown } | null | undefined)?.cacheDirectory;
    if (cacheOption === false) this.cacheDirectory = undefined;
    else if (typeof cacheOption === 'string' && cacheOption.trim() !== '') this.cacheDirectory = cacheOption;
    this.idle.configure(cacheWriteTimings(params.initializationOptions));
    // Until the first scan ends the index is partial, whatever opens before it starts.
    this.scanning = this.folders.length > 0;
    this.warmUp();
  }

  /**
   * Parses, summarises and indexes a tiny note into a scratch index, before the server answers
   * `initialize`: the first use of the parser then happens before the editor sends anything, not inside
   * its first keystroke or hover. The pinyin library (~80 ms to load and first use) is loaded here too
   * when no folder has an index cache; otherwise by `scan`, before the first note it reads from disk, or
   * once the index is ready (a restart on an unchanged vault needs none before).
   */
  private warmUp(): void {
    try {
      new WorkspaceIndex().set(summarize('file:///notesense-warm-up.md', parseNote(WARM_UP_NOTE, this.o.parseOptions()).note));
      // Without an index cache to restore, the scan reads every note and needs the pinyin library at
      // once: it is loaded now, before the editor sends anything, rather than in one block of the scan.
      if (!this.cacheOnDisk()) warmUpPinyin();
    } catch {
      // Only a warm-up: the same work runs, slower, on first use.
    }
  }

  /** Whether some folder has an index cache file (a restart, most likely: see `scan`). */
  private cacheOnDisk(): boolean {
    const dir = this.cacheDirectory;
    return dir !== undefined && this.folders.some((f) => existsSync(cacheFileFor(dir, f.fsPath)));
  }

  /** At `initialized`: watch `.md` files and workspace folders, then scan. */
  async start(configurationSupported: boolean): Promise<void> {
    if (this.folderEvents) {
      try {
        this.o.connection.workspace.onDidChangeWorkspaceFolders((e) => {
          const removed = new Set(e.removed.map((f) => f.uri));
          this.folders = [...this.folders.filter((f) => !removed.has(f.uri)), ...foldersOf(e.added.map((f) => f.uri))];
          this.o.onFoldersChanged?.(this.folders.map((f) => f.uri));
          // Rare and not a keystroke: a scan, which also drops the notes of removed folders.
          void this.loadExcludes(configurationSupported).then(() => this.rebuild());
        });
      } catch {
        // The client cannot send folder changes after all: the folders stay those of `initialize`.
      }
    }
    if (this.watchedFilesDynamic) {
      void this.o.connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.md' }] })
        .catch(() => undefined);
    }
    await this.loadExcludes(configurationSupported);
    await this.rebuild();
  }

  /**
   * Re-reads `files.exclude` and `notesense.exclude`; rescans when they or the parse options (which keys
   * hold scalar entities) changed, since both change what the index holds for every note.
   */
  async configurationChanged(configurationSupported: boolean): Promise<void> {
    const excludesChanged = await this.loadExcludes(configurationSupported);
    const parseChanged = JSON.stringify(this.o.parseOptions()) !== this.parseKey;
    if (parseChanged) {
      this.o.parsed.clear();
      for (const doc of this.o.documents.all()) this.o.index.set(summarize(doc.uri, this.o.parsed.get(doc).note));
    }
    if (excludesChanged || parseChanged) await this.rebuild();
  }

  /** True while a scan runs: the index is partial, and diagnostics that depend on it wait for its end. */
  get isScanning(): boolean {
    return this.scanning;
  }

  /**
   * Resolves when the index cache is written (the server waits for it at `shutdown`): a write still
   * waiting for a quiet moment runs at once from now on.
   */
  flush(): Promise<void> {
    this.idle.hurry();
    return this.cacheWrite;
  }

  /** Resolves when the current scan has ended (for tests and the rebuild command). */
  whenScanned(): Promise<void> {
    return this.scanDone;
  }

  /**
   * A full scan: at start, on the rebuild command and when the exclude settings change, never on an
   * edit. Notes that disappeared from disk are removed; open buffers are kept as they are.
   */
  rebuild(): Promise<void> {
    const generation = ++this.generation;
    // A cache write of an older scan waiting for a quiet moment sees the new generation and gives up.
    this.idle.wake();
    this.scanDone = this.scan(generation).catch((e) => {
      this.o.connection.console.error(`NoteSense: index scan failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    });
    return this.scanDone;
  }

  private async scan(generation: number): Promise<void> {
    const { connection, index, documents } = this.o;
    this.parseKey = JSON.stringify(this.o.parseOptions());
    const progress = await this.createProgress();
    this.scanning = true;
    this.scanned = { indexed: 0, total: 0 };
    this.restoreStats = { restored: 0, grouped: 0 };
    progress?.begin(t('NoteSense: indexing notes'), 0, undefined, false);
    this.sendStatus(true);
    try {
      const files: Array<{ file: string; uri: string; folder: Folder }> = [];
      // The index caches are read while the folders are listed and their files stat'ed: all wait on the disk.
      const key = this.cacheDirectory ? cacheKey(this.o.serverVersion ?? '', this.o.parseOptions()) : undefined;
      const caches = new Map(key ? this.folders.map((f) => [f, openCache(cacheFileFor(this.cacheDirectory!, f.fsPath), f.fsPath, key)] as const) : []);
      for (const folder of this.folders) {
        const found = await listNotes(folder.fsPath, { exclude: folder.isExcluded, onSkip: (f, why) => connection.console.log(`${path.relative(folder.fsPath, f)}: ${why}`) });
        for (let i = 0; i < found.length; i++) {
          const file = found[i]!;
          files.push({ file, uri: fileUri(file), folder });
          // A uri that needs `pathToFileURL` costs a few microseconds: 10,000 of them were a 60 ms stretch.
          if (i % URIS_PER_TURN === URIS_PER_TURN - 1) await yieldTurn();
        }
        if (generation !== this.generation) return;
      }
      this.scanned.total = files.length;
      this.sendStatus(true);
      const seen = new Set(files.map((f) => f.uri));
      // Notes indexed before (an earlier scan, a watched event) that are no longer on disk or now excluded.
      for (const uri of [...index.uris()]) if (!seen.has(uri) && !documents.get(uri)) index.delete(uri);
      for (const uri of [...this.pending.keys()]) if (!seen.has(uri)) this.pending.delete(uri);
      // The cache: every note whose size and mtime are those cached is restored without being read.
      const restored = new Set<string>();
      if (key) {
        const stats = await statAll(files.map((f) => f.file));
        for (const [file, stat] of stats) this.diskStats.set(file, stat);
        // Every folder's restored notes go into one index built apart, which then takes the live one's place.
        const uriOf = new Map(files.map((f) => [f.file, f.uri]));
        const since = index.logPosition;
        // Notes opened, changed or deleted meanwhile are in the live index's log, and `adopt` carries them
        // over: the log keeps them all, however many there are.
        const release = index.holdLog(since);
        try {
          const built = new WorkspaceIndex();
          for (const folder of this.folders) {
            const cache = await caches.get(folder);
            // The file's bytes (87 MB at 10,000 notes) are let go as soon as its notes are in `built`.
            caches.delete(folder);
            if (cache && !(await this.restoreFolder(cache, built, restored, stats, uriOf, generation, progress))) return;
          }
          if (generation !== this.generation) return;
          if (restored.size > 0) {
            index.adopt(built, since);
            this.changed();
          }
        } finally {
          release();
        }
      }
      const toRead = restored.size ? files.filter((f) => !restored.has(f.file)) : files;
      // A note read from disk brings entity values whose pinyin the index works out as it takes them: the
      // library is loaded here (unless `warmUp` did: then this is a cache lookup), in a step of its own,
      // not inside the first slice that applies one.
      if (toRead.length > 0) warmUpPinyin();
      let next = 0;
      // Notes read from disk: only they make the cache worth writing again. A note open in a buffer is
      // neither restored nor read, and must not cost a rewrite of the whole cache at every start.
      let readFromDisk = 0;
      const worker = async () => {
        while (next < toRead.length && generation === this.generation) {
          const f = toRead[next++]!;
          if (!documents.get(f.uri)) readFromDisk++;
          await this.readIntoIndex(f.file, f.uri, f.folder, generation);
          this.scanned.indexed++;
          if (this.pending.size >= MAX_PENDING) await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
          this.reportProgress(progress);
        }
      };
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, toRead.length) }, worker));
      // The scan ends (progress `end`) when every note read is in the index, not merely read.
      await this.drained();
      if (key && generation === this.generation && readFromDisk > 0) {
        this.cacheWrite = this.cacheWrite.then(() => this.saveCache(key, files, generation));
      }
    } finally {
      if (generation === this.generation) {
        this.scanning = false;
        this.sendStatus(true);
        this.scheduleCatchUp();
        // After a restart that read no note, the pinyin library (glossary completion's term order needs it)
        // is loaded now, once the index is ready, in a step of its own; otherwise this is a cache lookup.
        afterRequests(() => warmUpPinyin());
        this.o.onIndexChanged?.();
        const { notes, entities } = index.counts();
        connection.console.log(t('NoteSense indexed {0} notes ({1} entities).', notes, entities));
      }
      progress?.done();
      if (generation === this.generation && this.poolBusy === 0) this.releasePool(0);
    }
  }

  /**
   * Restores a folder's notes from its index cache (read by `openCache`) into `built`: every note whose
   * size and mtime are the cached ones and that no folder restored before. Adds their files to `restored`
   * (a note open in a buffer counts as restored: the buffer owns it). False when a newer scan started.
   *
   * The cache is decoded on this thread, since the index takes its strings from the file's table
   * (`WorkspaceIndex.addMany`; strings sent from another thread would arrive as one copy per note). The
   * restored notes go into an index built apart, in slices that yield, which then takes the place of the
   * live one's contents in one step (`adopt`, by the caller): requests meanwhile read a consistent index
   * of what was there before, and building it in one batch is what makes it fast (every entity, term and
   * string is looked up once for the whole vault, not once a note).
   *
   * When `built` holds none of the file's notes (another folder's, at most) and the file's groups fit its
   * records, every record goes in by its groups (`addGroupedSteps`: nothing is grouped again), and those
   * not to be restored (changed on disk, gone, open in a buffer) are then taken out again: worth it while
   * they are few (see `MAX_STALE_SHARE`). Otherwise the notes to restore are grouped as they go in
   * (`addManySteps`).
   */
  private async restoreFolder(cache: CacheFile, built: WorkspaceIndex, restored: Set<string>, stats: ReadonlyMap<string, FileStat>,
    uriOf: ReadonlyMap<string, string>, generation: number, progress: WorkDoneProgressServerReporter | undefined): Promise<boolean> {
    const { documents, connection } = this.o;
    let start = performance.now();
    // Whether a slice has run its time; `next` yields, and tells whether the restore goes on.
    const sliceDone = () => performance.now() - start >= RESTORE_SLICE_MS;
    const next = async () => {
      await yieldTurn();
      start = performance.now();
      this.reportProgress(progress);
      return generation === this.generation;
    };
    // Every record with its uri and whether its file is unchanged.
    const records: Array<{ note: CachedNote; uri: string; unchanged: boolean }> = [];
    const uris = new Set<string>();
    let stale = 0;
    const walked = cache.walk();
    if (!walked.complete) connection.console.log(t('NoteSense: the index cache ends early: {0}', t('a damaged record')));
    for (const note of walked.records) {
      const stat = stats.get(note.file);
      const unchanged = stat !== undefined && stat.size === note.size && stat.mtimeMs === note.mtimeMs;
      const uri = uriOf.get(note.file) ?? fileUri(note.file);
      records.push({ note, uri, unchanged });
      uris.add(uri);
      if (!unchanged || restored.has(note.file) || documents.get(uri)) stale++;
    }
    const groups = walked.complete && records.length === cache.records && uris.size === records.length && stale <= records.length * MAX_STALE_SHARE
      && records.every((r) => built.get(r.uri) === undefined) ? cache.groups() : undefined;
    // The decoded records (all of them for the groups, else those to restore) and whether each is restored.
    const batch: SummaryWithIds[] = [];
    const keep: boolean[] = [];
    try {
      for (const r of records) {
        const current = r.unchanged && !restored.has(r.note.file);
        // An open buffer owns its note, and counts as restored.
        const restore = current && !documents.get(r.uri);
        if (groups || restore) {
          batch.push(r.note.decode(r.uri));
          keep.push(restore);
        }
        if (current) {
          restored.add(r.note.file);
          this.scanned.indexed++;
        }
        if (sliceDone() && !(await next())) return false;
      }
    } catch {
      // A record that does not decode (the decoder throws on nothing else) ends the restore: it and the
      // notes after it are read from disk.
      connection.console.log(t('NoteSense: the index cache ends early: {0}', t('a damaged record')));
    }
    const grouped = groups !== undefined && batch.length === records.length && groupsFit(groups, batch);
    const steps = grouped
      ? built.addGroupedSteps(batch.map((b) => b.summary), groups, RESTORE_STEP)
      : built.addManySteps(batch.filter((_, i) => keep[i]), new StringTable(cache.strings, cache.forms), RESTORE_STEP);
    for (const _ of steps) if (sliceDone() && !(await next())) return false;
    const kept = keep.filter(Boolean).length;
    this.restoreStats.restored += kept;
    if (grouped) this.restoreStats.grouped += kept;
    // The records in by their groups that are not to be restored go out again.
    if (grouped) {
      for (let i = 0; i < batch.length; i++) {
        if (keep[i]) continue;
        built.delete(batch[i]!.summary.uri);
        if (sliceDone() && !(await next())) return false;
      }
    }
    return generation === this.generation;
  }

  /** Reports the scan's progress, at most every PROGRESS_INTERVAL_MS. */
  private reportProgress(progress: WorkDoneProgressServerReporter | undefined): void {
    const now = Date.now();
    if (now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    const pct = Math.floor((this.scanned.indexed / Math.max(1, this.scanned.total)) * 100);
    progress?.report(pct, t('{0}/{1} notes', this.scanned.indexed, this.scanned.total));
    this.sendStatus(false);
  }

  private async createProgress(): Promise<WorkDoneProgressServerReporter | undefined> {
    try {
      return await this.o.connection.window.createWorkDoneProgress();
    } catch {
      return undefined;
    }
  }

  /**
   * Stops the parser threads after `ms` without reads (at once when a scan has ended): each keeps a heap
   * of its own, tens of megabytes after parsing a vault. The next read starts them again.
   */
  private releasePool(ms: number): void {
    clearTimeout(this.poolIdle);
    const release = () => {
      if (this.poolBusy > 0 || !this.pool) return;
      const pool = this.pool;
      this.pool = undefined;
      void pool.dispose();
    };
    if (ms === 0) return release();
    this.poolIdle = setTimeout(release, ms);
    this.poolIdle.unref?.();
  }

  /** The pool of parser threads for one more job (started if need be); `releasePoolJob` when it is done. */
  private acquirePool(): SummaryPool {
    clearTimeout(this.poolIdle);
    this.pool ??= new SummaryPool();
    this.poolBusy++;
    return this.pool;
  }

  private releasePoolJob(): void {
    if (--this.poolBusy === 0) this.releasePool(POOL_IDLE_MS);
  }

  /**
   * Reads one file from disk into the index (queued, see `pending`), unless an open buffer owns that note.
   * `generation`: the scan it belongs to; its result is dropped once a newer scan started.
   */
  private async readIntoIndex(file: string, uri: string, folder: Folder | undefined, generation = this.generation): Promise<void> {
    const { documents, connection } = this.o;
    if (documents.get(uri)) return;
    const maxBytes = this.o.maxFileSize();
    // Read, parse and summarise in a worker thread: the main thread keeps answering requests.
    const pool = this.acquirePool();
    let result;
    try {
      result = await pool.summarize(file, uri, maxBytes, folder?.fsPath, this.o.parseOptions());
    } finally {
      this.releasePoolJob();
    }
    if (documents.get(uri)) return; // opened while we were reading: the buffer wins
    if (!result.ok) {
      const read = result.read;
      this.enqueue(uri, undefined, generation);
      this.diskStats.delete(file);
      // A file gone by the time it is read (deleted, renamed, an unsaved buffer closed) is not worth a log line.
      if (read.reason === 'unreadable' && read.detail === 'ENOENT') return;
      const shown = folder ? path.relative(folder.fsPath, file) : file;
      connection.console.log(`${shown}: ${skipProblem(read, maxBytes).message}`);
      return;
    }
    this.enqueue(uri, result.summary, generation);
  }

  /** Queues a note's new state for the index and makes sure a slice will apply it soon. */
  private enqueue(uri: string, summary: NoteSummary | undefined, generation: number): void {
    // Re-inserted, so that the newest state of a note is applied last and only once.
    this.pending.delete(uri);
    this.pending.set(uri, { summary, generation });
    this.scheduleApply();
  }

  /** Schedules the next slice: at once within a round, outside a scan or when `now`; else at the next round. */
  private scheduleApply(now = false): void {
    if (this.applyScheduled === 'immediate') return;
    const wait = now || this.roundOpen || !this.scanning ? 0 : this.roundStart + APPLY_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      clearTimeout(this.applyScheduled);
      this.applyScheduled = 'immediate';
      afterRequests(() => this.applySlice());
    } else if (this.applyScheduled === undefined) {
      this.applyScheduled = setTimeout(() => this.applySlice(), wait);
    }
  }

  /** Applies queued summaries for at most APPLY_BUDGET_MS, then yields; see `pending`. */
  private applySlice(): void {
    const { index, documents } = this.o;
    const start = performance.now();
    const sliceDone = () => performance.now() - start >= APPLY_BUDGET_MS;
    this.applyScheduled = undefined;
    if (!this.roundOpen) {
      this.roundOpen = true;
      this.roundStart = start;
    }
    // The features first catch up with what the previous slice applied (see `scheduleCatchUp`), so that
    // the thread does one slice of background work between two turns of the event loop, not two. The
    // once-a-batch work (`flush`) waits for the end of the round.
    if (this.catchUpNow()) catchUpIndex(index, sliceDone, false);
    let changed = false;
    for (const [uri, note] of this.pending) {
      this.pending.delete(uri);
      // An open buffer owns its note; a result of an abandoned scan is stale.
      if (documents.get(uri) || note.generation !== this.generation) continue;
      if (note.summary) {
        index.set(note.summary);
        changed = true;
      } else changed = index.delete(uri) || changed;
      // At least one note a slice, whatever the catch-up took.
      if (sliceDone()) break;
    }
    if (this.pending.size === 0) this.roundOpen = false;
    else this.scheduleApply();
    if (this.pending.size < MAX_PENDING) for (const resolve of this.roomWaiters.splice(0)) resolve();
    if (this.pending.size === 0) for (const resolve of this.drainedWaiters.splice(0)) resolve();
    if (changed) this.changed();
  }

  /** Resolves when every queued summary is in the index. */
  private drained(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    this.scheduleApply(true);
    return new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  /**
   * Writes the index cache of each folder after a scan: the summaries of the notes read from disk (not
   * of open buffers), with the size and mtime taken before each was read. Failing to write is logged.
   *
   * A folder's entries are taken before its write starts, so that a note opened while the write waits
   * cannot slip an unsaved buffer into the cache; a note changed on disk meanwhile keeps its old size and mtime in
   * its entry, which the next start does not trust. The write runs in slices that wait for a quiet
   * moment (see `idle`), and is abandoned, its temporary file removed, once a newer scan starts.
   */
  private async saveCache(key: CacheKey, files: ReadonlyArray<{ file: string; uri: string; folder: Folder }>, generation: number): Promise<void> {
    const { index, documents, connection } = this.o;
    const queued = performance.now();
    const pace = () => this.idle.wait(queued, () => generation !== this.generation);
    const formsOf = (value: string) => index.entitiesNamed(value)[0];
    for (const folder of this.folders) {
      const entries = [];
      for (const f of files) {
        if (f.folder !== folder) continue;
        const stat = this.diskStats.get(f.file);
        const summary = index.get(f.uri);
        if (stat && summary && !documents.get(f.uri)) entries.push({ file: f.file, stat, summary });
      }
      if (generation !== this.generation) return;
      try {
        if (!(await writeCache(cacheFileFor(this.cacheDirectory!, folder.fsPath), folder.fsPath, key, entries, { pace, formsOf }))) return;
      } catch (e) {
        connection.console.log(t('NoteSense: the index cache could not be written: {0}', e instanceof Error ? e.message : String(e)));
      }
    }
  }

  /** An open buffer (each version) replaces the note's summary. */
  documentChanged(doc: TextDocument): void {
    // Throttled per note: the first change is indexed at once, then at most one update per interval,
    // always of the latest version. A typing storm (50 edits a second) never parses superseded versions,
    // yet no request sees a stale index: each request first calls `settle`, which applies what is due.
    const uri = doc.uri;
    this.idle.busy();
    this.pending.delete(uri);
    if (this.typing.has(uri)) {
      this.typingDirty.add(uri);
      return;
    }
    this.updateOpen(uri);
    const tick = () => {
      if (this.typingDirty.delete(uri)) {
        this.updateOpen(uri);
        this.typing.set(uri, setTimeout(tick, TYPING_INTERVAL_MS));
      } else this.typing.delete(uri);
    };
    this.typing.set(uri, setTimeout(tick, TYPING_INTERVAL_MS));
  }

  /**
   * Brings the index up to date with every open buffer before a request reads it: the versions that the
   * typing throttle held back are indexed now (one parse each, which the request needs anyway).
   */
  settle(): void {
    // Every request reads the index through here: the cache write keeps out of its way for a while.
    this.idle.busy();
    this.lastRequest = performance.now();
    if (this.typingDirty.size === 0) return;
    for (const uri of [...this.typingDirty]) {
      this.typingDirty.delete(uri);
      this.updateOpen(uri);
    }
  }

  /** Indexes the current version of an open buffer: one parse (shared with the features), one `set`. */
  private updateOpen(uri: string): void {
    const current = this.o.documents.get(uri);
    if (!current) return;
    this.o.index.set(summarizeOpen(uri, this.o.parsed.get(current).note));
    this.changed(TYPING_INTERVAL_MS);
  }

  /** A closed buffer: the disk copy takes over again (or the note leaves the index when there is none). */
  documentClosed(uri: string): void {
    const target = this.locate(uri);
    if (!target) {
      this.pending.delete(uri);
      if (this.o.index.delete(uri)) this.changed();
      return;
    }
    void this.refresh(target.file, uri, target.folder);
  }

  /** Watched-file events: each one updates its note; a burst (a `git checkout`) is just many of them. */
  filesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) {
      const target = this.locate(change.uri);
      if (change.type === FileChangeType.Deleted) {
        if (this.o.documents.get(change.uri)) continue;
        this.pending.delete(change.uri);
        if (this.o.index.delete(change.uri)) this.changed();
        else this.deleteFolder(change.uri);
        continue;
      }
      if (!target || !/\.md$/i.test(target.file)) continue;
      void this.refresh(target.file, change.uri, target.folder);
    }
  }

  private deleteFolder(uri: string): void {
    const prefix = uri.endsWith('/') ? uri : uri + '/';
    let any = false;
    for (const u of [...this.pending.keys()]) if (u.startsWith(prefix)) this.pending.delete(u);
    for (const u of [...this.o.index.uris()]) {
      if (u.startsWith(prefix) && !this.o.documents.get(u)) any = this.o.index.delete(u) || any;
    }
    if (any) this.changed();
  }

  /** Re-reads one file; when events for it pile up, only the latest read is applied. */
  private async refresh(file: string, uri: string, folder: Folder): Promise<void> {
    const ticket = ++this.tickets;
    this.pendingReads.set(uri, ticket);
    await this.slots.acquire();
    try {
      if (this.pendingReads.get(uri) !== ticket) return;
      await this.readIntoIndex(file, uri, folder);
    } finally {
      this.slots.release();
      if (this.pendingReads.get(uri) === ticket) this.pendingReads.delete(uri);
    }
  }

  /** The file and workspace folder of a uri, or undefined outside the folders or when excluded. */
  private locate(uri: string): { file: string; folder: Folder } | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    for (const folder of this.folders) {
      const rel = path.relative(folder.fsPath, file);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const parts = rel.split(path.sep);
      if (parts.some((p) => ALWAYS_SKIPPED.has(p))) return undefined;
      // A file is excluded when it or any folder above it matches.
      for (let i = 1; i <= parts.length; i++) {
        if (folder.isExcluded(parts.slice(0, i).join('/'), i < parts.length)) return undefined;
      }
      return { file, folder };
    }
    return undefined;
  }

  /** The index changed; `catchUpDelay` puts the features' catch-up off (see `scheduleCatchUp`). */
  private changed(catchUpDelay = 0): void {
    this.sendStatus(false);
    this.scheduleCatchUp(catchUpDelay);
    this.o.onIndexChanged?.();
  }

  /**
   * Whether the features catch up now: always outside a scan; during one, only while requests come (one
   * in the last CATCH_UP_ACTIVE_MS). A scan nobody asks anything of leaves the thread to the scan (the
   * catch-up cost ~5% of a cold index at 10,000 notes) and catches up once it ends.
   */
  private catchUpNow(): boolean {
    return !this.scanning || performance.now() - this.lastRequest < CATCH_UP_ACTIVE_MS;
  }

  /**
   * Catches the features' caches up with the index (`catchUpIndex`) in slices of at most APPLY_BUDGET_MS with a
   * yield between them, after every change: a request then finds them current instead of paying for every
   * note a scan round or a restored cache changed. After a keystroke (`delayMs`) it waits for a pause in
   * the typing: a request catches up with the one note itself, and the keystroke's own work stays as it was.
   */
  private scheduleCatchUp(delayMs = 0): void {
    if (this.catchUpScheduled) return;
    this.catchUpScheduled = true;
    const run = () => {
      this.catchUpScheduled = false;
      // A queued apply slice catches up first itself, then changes the index again.
      if (this.applyScheduled === 'immediate' || !this.catchUpNow()) return;
      const start = performance.now();
      // During a scan more rounds follow: work the next round would redo may wait (see `Flush`).
      if (!catchUpIndex(this.o.index, () => performance.now() - start >= APPLY_BUDGET_MS, true, this.scanning)) this.scheduleCatchUp();
      else if (!this.scanning) this.schedulePrepare();
    };
    if (delayMs > 0) setTimeout(run, delayMs).unref?.();
    else afterRequests(run);
  }

  /**
   * Once the features caught up and no scan runs, makes what a first request would otherwise make for
   * the vocabulary (`prepareFeatures`: glossary completion's term order, ~0.3 s at 10,000 notes) in the
   * same slices. A change meanwhile catches up first, and then this starts again.
   */
  private schedulePrepare(): void {
    if (this.prepareScheduled) return;
    this.prepareScheduled = true;
    afterRequests(() => {
      this.prepareScheduled = false;
      if (this.scanning || this.catchUpScheduled) return;
      const start = performance.now();
      if (!prepareFeatures(this.o.index, () => performance.now() - start >= APPLY_BUDGET_MS)) this.schedulePrepare();
    });
  }

  /** `notesense/status` for the client's status bar: at once when `now`, else at most every 250 ms. */
  private sendStatus(now: boolean): void {
    const send = () => {
      this.statusTimer = undefined;
      this.lastStatus = Date.now();
      const counts = this.o.index.counts();
      const params: StatusParams = this.scanning
        ? { state: 'indexing', ...counts, indexed: this.scanned.indexed, total: this.scanned.total }
        : { state: 'ready', ...counts };
      void this.o.connection.sendNotification(STATUS_NOTIFICATION, params);
    };
    if (now) {
      clearTimeout(this.statusTimer);
      send();
      return;
    }
    if (this.statusTimer) return;
    const wait = Math.max(0, STATUS_INTERVAL_MS - (Date.now() - this.lastStatus));
    this.statusTimer = setTimeout(send, wait);
  }

  /** Loads the exclude globs of every folder; true when they changed. */
  private async loadExcludes(configurationSupported: boolean): Promise<boolean> {
    let changed = false;
    for (const folder of this.folders) {
      let globs: string[] = [];
      if (configurationSupported) {
        try {
          const [files, own] = (await this.o.connection.workspace.getConfiguration([
            { scopeUri: folder.uri, section: 'files.exclude' },
            { scopeUri: folder.uri, section: 'notesense.exclude' },
          ])) as unknown[];
          globs = [...globsOf(files), ...globsOf(own)];
        } catch {
          globs = [];
        }
      }
      const key = JSON.stringify(globs);
      if (folder.excludeKey !== undefined && folder.excludeKey !== key) changed = true;
      folder.excludeKey = key;
      folder.isExcluded = excluder(globs);
    }
    return changed;
  }
}

/**
 * `initializationOptions.cacheWrite`: `{ quietMs, maxDelayMs }` replaces either timing of the cache
 * write (see CACHE_WRITE_TIMINGS); anything but a number of zero or more keeps the default.
 */
function cacheWriteTimings(options: unknown): IdleTimings {
  const given = (options as { cacheWrite?: Record<string, unknown> } | null | undefined)?.cacheWrite;
  const ms = (v: unknown, fallback: number) => (typeof v === 'number' && v >= 0 ? v : fallback);
  return {
    quietMs: ms(given?.['quietMs'], CACHE_WRITE_TIMINGS.quietMs),
    maxDelayMs: ms(given?.['maxDelayMs'], CACHE_WRITE_TIMINGS.maxDelayMs),
  };
}

function foldersOf(uris: readonly string[]): Folder[] {
  return uris.flatMap((uri) => {
    if (!uri.startsWith('file:')) return [];
    try {
      return [{ uri, fsPath: fileURLToPath(uri), isExcluded: () => false }];
    } catch {
      return [];
    }
  });
}

/** A counting semaphore. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** `files.exclude` is `{ glob: true | false | {when} }`; `notesense.exclude` a list of globs (or the same map). */
function globsOf(setting: unknown): string[] {
  if (Array.isArray(setting)) return setting.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  if (setting && typeof setting === 'object') {
    // A `{ when: … }` condition depends on sibling files; such a glob is left out rather than guessed.
    return Object.entries(setting).filter(([g, v]) => v === true && g.trim() !== '').map(([g]) => g);
  }
  return [];
}

/** A matcher of folder-relative `/` paths: a folder is also excluded by `dir/**`-style globs. */
function excluder(globs: readonly string[]): (relative: string, isDirectory: boolean) => boolean {
  if (globs.length === 0) return () => false;
  let match: (s: string) => boolean;
  try {
    match = picomatch(globs as string[], { dot: true });
  } catch {
    return () => false;
  }
  return (relative, isDirectory) => match(relative) || (isDirectory && match(relative + '/'));
}
