/**
 * The language server: adapts an LSP connection to the pure core. Handlers stay a few lines long; the
 * logic they call lives in `core/`.
 */
import {
  DidChangeConfigurationNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostics } from '../core/features/diagnostics';
import { applyLocale } from '../host/l10n';
import { ParsedDocuments } from './documents';
import { DEFAULT_SETTINGS, fetchSettings, type Settings } from './settings';

export const SERVER_NAME = 'NoteSense';
const DIAGNOSTIC_DELAY_MS = 150;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const parsed = new ParsedDocuments(() => ({}));
  let settings: Settings = DEFAULT_SETTINGS;
  let pullDiagnostics = false;
  let configurationSupported = false;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  const diagnosticsFor = (doc: TextDocument) => toDiagnostics(parsed.get(doc).problems, settings.diagnostics);

  connection.onInitialize((params): InitializeResult => {
    applyLocale(params.locale);
    const caps = params.capabilities;
    pullDiagnostics = caps.textDocument?.diagnostic !== undefined;
    configurationSupported = caps.workspace?.configuration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
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
  });

  connection.onDidChangeConfiguration(async () => {
    settings = await fetchSettings(connection, configurationSupported);
    if (pullDiagnostics) connection.languages.diagnostics.refresh();
    else for (const doc of documents.all()) schedulePush(doc);
  });

  const schedulePush = (doc: TextDocument) => {
    clearTimeout(pending.get(doc.uri));
    pending.set(doc.uri, setTimeout(() => {
      pending.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current) void connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics: diagnosticsFor(current) });
    }, DIAGNOSTIC_DELAY_MS));
  };

  documents.onDidChangeContent((e) => {
    if (!pullDiagnostics) schedulePush(e.document);
  });

  documents.onDidClose((e) => {
    clearTimeout(pending.get(e.document.uri));
    pending.delete(e.document.uri);
    parsed.forget(e.document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on((params) => {
    const doc = documents.get(params.textDocument.uri);
    return { kind: 'full', items: doc ? diagnosticsFor(doc) : [] };
  });

  documents.listen(connection);
  connection.listen();
}
