/**
 * The language server: adapts an LSP connection to the pure core. Handlers stay a few lines long; the
 * logic they call lives in `core/`.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
  type Position,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from '../core/features/codeActions';
import { complete, resolveCompletion } from '../core/features/completion';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../core/features/context';
import { definition } from '../core/features/definition';
import { prepareProblems, problemsOf, toDiagnostics } from '../core/features/diagnostics';
import { hover } from '../core/features/hover';
import { referenceSteps } from '../core/features/references';
import { prepareRename, renameSteps } from '../core/features/rename';
import { followIndex, warmUp } from '../core/features/follow';
import { documentSymbols, workspaceSymbols } from '../core/features/symbols';
import { WorkspaceIndex } from '../core/index/workspaceIndex';
import { afterRequests } from '../host/indexCache';
import { applyLocale } from '../host/l10n';
import { SCHEMA_WATCH_GLOB, SchemaStore } from '../host/schemaFile';
import { INFER_SCHEMA_COMMAND, inferSchemaEdit } from './schemaCommand';
import { noteMayContain, readNoteTextSync } from '../host/noteText';
import { EXPORT_GLOSSARY_COMMAND, exportGlossaryCommand } from './glossaryCommand';
import { ParsedDocuments } from './documents';
import { runInSlices, runOnSteadyState } from './steps';
import { Indexer, REBUILD_COMMAND } from './indexer';
import { INDEX_STATS_REQUEST, indexStats, type IndexStatsParams } from './indexStats';
import { INDEX_SNAPSHOT_REQUEST, indexSnapshot } from './indexSnapshot';
import { DEFAULT_SETTINGS, fetchSettings, type Settings } from './settings';

export const SERVER_NAME = 'NoteSense';
/**
 * Diagnostics of an open note are pushed this long after its last change (typing bursts compute them
 * once), well inside the gap between two keystrokes of a brisk typist, so that their computation rarely
 * holds up the next keystroke's index update.
 */
const DIAGNOSTIC_DELAY_MS = 75;
/** Diagnostics of every open note follow changes of other notes this long after the last one. */
const REFRESH_DELAY_MS = 600;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const parsed = new ParsedDocuments(() => ({ scalarEntityKeys: settings.scalarEntityKeys }), () => settings.maxFileSize);
  const index = new WorkspaceIndex();
  // The features' caches follow the index from its first note; the indexer catches them up between slices.
  followIndex(index);
  let settings: Settings = DEFAULT_SETTINGS;
  let pullDiagnostics = false;
  /** Open buffers changed or closed so far (a rename computed meanwhile is computed again). */
  let documentEdits = 0;
  let configurationSupported = false;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const indexer = new Indexer({
    connection, documents, parsed, index,
    parseOptions: () => ({ scalarEntityKeys: settings.scalarEntityKeys }),
    maxFileSize: () => settings.maxFileSize,
    onIndexChanged: () => scheduleRefresh(),
    // Each folder may have a schema file of its own: an added folder's is loaded, a removed one's dropped.
    onFoldersChanged: (uris) => {
      schemas.setFolders(uris);
      void reloadSchemas();
    },
  });
  const schemas = new SchemaStore((message) => connection.console.warn(message));
  const reloadSchemas = () => schemas.load(settings.schema).then(() => scheduleRefresh());
  /** Server commands (`workspace/executeCommand`) by id; each area adds its own. */
  const commands: Record<string, (args: unknown[]) => unknown> = {
    [INFER_SCHEMA_COMMAND]: (args) => inferSchemaEdit(connection, index, schemas.folderUris(), args),
    [REBUILD_COMMAND]: () => indexer.rebuild().then(() => index.counts()),
    [EXPORT_GLOSSARY_COMMAND]: (args) => exportGlossaryCommand(index, schemas.folderUris(), args),
  };

  /** The context every feature receives, or undefined for a document the client never opened. */
  const contextOf = (uri: string): DocumentContext | undefined => {
    indexer.settle();
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const { note, problems } = parsed.get(doc);
    return { uri, text: doc.getText(), note, problems, index, settings: { ...DEFAULT_CORE_SETTINGS, scalarEntityKeys: settings.scalarEntityKeys, schemas: schemas.current(), glossary: settings.glossary,
      entityKeys: settings.entityKeys, completion: settings.completion },
      // Other notes' bodies for glossary and entity references and rename: the open buffer, else the file;
      // whether a note may hold a text, from the file's bytes (an open buffer always may).
      readText: (other) => documents.get(other)?.getText() ?? readNoteTextSync(other, settings.maxFileSize),
      mayContain: (other, exact, caseless) => documents.get(other) !== undefined || noteMayContain(other, exact, caseless, settings.maxFileSize) };
  };
  const diagnosticsFor = (uri: string) => {
    const ctx = contextOf(uri);
    return ctx ? toDiagnostics(problemsOf(ctx), settings.diagnostics) : [];
  };

  connection.onInitialize((params): InitializeResult => {
    applyLocale(params.locale);
    const caps = params.capabilities;
    pullDiagnostics = caps.textDocument?.diagnostic !== undefined;
    configurationSupported = caps.workspace?.configuration === true;
    indexer.initialize(params);
    // The first hover's or completion's one-time work, done before the client can send either (the pinyin
    // library is loaded by the scan, when a note is read from disk, or once the index is ready).
    warmUp();
    schemas.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    schemas.setTrusted((params.initializationOptions as { trusted?: unknown } | undefined)?.trusted !== false);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['*', '[', ',', ' ', '-', ':'], resolveProvider: true },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        executeCommandProvider: { commands: [INFER_SCHEMA_COMMAND, REBUILD_COMMAND, EXPORT_GLOSSARY_COMMAND] },
        ...(pullDiagnostics
          ? { diagnosticProvider: { identifier: 'notesense', interFileDependencies: true, workspaceDiagnostics: false } }
          : {}),
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (configurationSupported) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'notesense' }).catch(() => undefined);
    }
    settings = await fetchSettings(connection, configurationSupported);
    void indexer.start(configurationSupported);
    void reloadSchemas();
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: SCHEMA_WATCH_GLOB }] }).catch(() => undefined);
  });

  connection.onDidChangeConfiguration(async () => {
    settings = await fetchSettings(connection, configurationSupported);
    // Settings apply without a restart: open notes are parsed again (the entity keys may have changed).
    parsed.clear();
    void indexer.configurationChanged(configurationSupported);
    void reloadSchemas();
    if (pullDiagnostics) connection.languages.diagnostics.refresh();
    else for (const doc of documents.all()) schedulePush(doc);
  });

  const failed = (what: string, e: unknown) =>
    connection.console.warn(`NoteSense: ignored a failing ${what}: ${e instanceof Error ? e.message : String(e)}`);
  /** `diagnosticsFor` outside a request handler's guard: an exception is logged, and the answer empty. */
  const safeDiagnosticsFor = (uri: string) => {
    try {
      return diagnosticsFor(uri);
    } catch (e) {
      failed('diagnostics', e);
      return [];
    }
  };
  /**
   * A note's diagnostics once their costly part is done (`prepareProblems`: at 10,000 notes its terms
   * compared across the vault, ~0.1–0.4 s for a note just opened) in slices behind the requests read
   * meanwhile (`runInSlices`), so that a keystroke or a hover waits for one slice at most; undefined
   * when `cancelled` first. The first slice too waits for the messages already read.
   */
  const preparedDiagnostics = async (uri: string, cancelled: Pick<CancellationToken, 'isCancellationRequested'>) => {
    await new Promise<void>((resolve) => afterRequests(resolve));
    const ctx = contextOf(uri);
    try {
      if (ctx) await runInSlices(prepareProblems(ctx), cancelled);
    } catch (e) {
      // Logged, and the diagnostics computed as they are: a pull is never left unanswered.
      failed('diagnostics preparation', e);
    }
    return cancelled.isCancellationRequested ? undefined : safeDiagnosticsFor(uri);
  };

  const schedulePush = (doc: TextDocument) => {
    clearTimeout(pending.get(doc.uri));
    const timer = setTimeout(() => {
      // A newer push for the note abandons this one.
      void preparedDiagnostics(doc.uri, { get isCancellationRequested() { return pending.get(doc.uri) !== timer; } }).then((diagnostics) => {
        if (!diagnostics) return;
        pending.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (current) void connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics });
      });
    }, DIAGNOSTIC_DELAY_MS);
    pending.set(doc.uri, timer);
  };

  /**
   * Diagnostics that depend on other notes (entities, glossary) follow index changes, debounced: while
   * the user types, the note being edited gets its own push (above) and the others wait for a pause. Not
   * while a scan runs: the index is partial then (its warnings would be wrong), and refreshing after
   * every slice of the scan would keep the main thread from requests; the scan's end refreshes.
   */
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleRefresh = () => {
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    if (indexer.isScanning) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      if (indexer.isScanning) return;
      if (pullDiagnostics) connection.languages.diagnostics.refresh();
      else for (const doc of documents.all()) schedulePush(doc);
    }, REFRESH_DELAY_MS);
  };

  documents.onDidChangeContent((e) => {
    documentEdits++;
    indexer.documentChanged(e.document);
    if (!pullDiagnostics) schedulePush(e.document);
  });

  documents.onDidClose((e) => {
    documentEdits++;
    clearTimeout(pending.get(e.document.uri));
    pending.delete(e.document.uri);
    parsed.forget(e.document.uri);
    indexer.documentClosed(e.document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // A cancelled pull is answered at its next slice, and empty: the client drops the answer to a cancelled request.
  connection.languages.diagnostics.on(async (params, token) => ({ kind: 'full', items: (await preparedDiagnostics(params.textDocument.uri, token)) ?? [] }));

  const withContext = <T>(uri: string, f: (ctx: DocumentContext) => T): T | null => {
    const ctx = contextOf(uri);
    return ctx ? f(ctx) ?? null : null;
  };
  /**
   * A rename in slices (seconds for a common entity at 10,000 notes), requests answered between them.
   * Its edits must fit the notes when the editor applies them: when one changed meanwhile (an open
   * buffer, or a file the index re-read), the rename is computed again (see `runOnSteadyState`).
   */
  const renameInSlices = (uri: string, position: Position, newName: string, token: CancellationToken) => {
    const make = () => {
      const ctx = contextOf(uri);
      return ctx && renameSteps(ctx, position, newName);
    };
    return runOnSteadyState(make, () => `${index.version} ${documentEdits}`, token).then((r) => r ?? null);
  };
  connection.onHover((p) => withContext(p.textDocument.uri, (ctx) => hover(ctx, p.position)));
  connection.onCompletion((p) => withContext(p.textDocument.uri, (ctx) => complete(ctx, p.position)));
  connection.onCompletionResolve((item) => {
    indexer.settle();
    return resolveCompletion(index, item);
  });
  connection.onDefinition((p) => withContext(p.textDocument.uri, (ctx) => definition(ctx, p.position)));
  // A search across the vault (seconds for a common name at 10,000 notes) in slices: requests go between.
  connection.onReferences((p, token) => withContext(p.textDocument.uri, (ctx) => runInSlices(referenceSteps(ctx, p.position, p.context.includeDeclaration), token).then((r) => r ?? null)));
  connection.onPrepareRename((p) => withContext(p.textDocument.uri, (ctx) => prepareRename(ctx, p.position)));
  connection.onRenameRequest((p, token) => renameInSlices(p.textDocument.uri, p.position, p.newName, token));
  connection.onDocumentSymbol((p) => withContext(p.textDocument.uri, (ctx) => documentSymbols(ctx)));
  connection.onWorkspaceSymbol((p) => {
    indexer.settle();
    return workspaceSymbols(index, p.query);
  });
  connection.onRequest(INDEX_STATS_REQUEST, (p: IndexStatsParams | null) => {
    indexer.settle();
    return indexStats(index, p, { ...indexer.restoreStats });
  });
  // The index cache is written after a scan; an editor shutting down right after must not cut it short.
  connection.onShutdown(() => indexer.flush());
  connection.onRequest(INDEX_SNAPSHOT_REQUEST, () => indexSnapshot(indexer, index));
  connection.onDidChangeWatchedFiles((p) => {
    indexer.filesChanged(p.changes);
    if (schemas.affectedBy(p.changes)) void reloadSchemas();
  });
  connection.onExecuteCommand((p) => commands[p.command]?.(p.arguments ?? []) ?? null);
  connection.onCodeAction((p) => withContext(p.textDocument.uri, (ctx) => codeActions(ctx, p.range, p.context.diagnostics, p.context.only)));

  documents.listen(connection);
  connection.listen();
}
