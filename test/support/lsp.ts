/**
 * An LSP client for tests: spawns the bundled server (`dist/server.js --stdio`) and talks JSON-RPC to it
 * over its standard streams, exactly like an editor would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  ExitNotification,
  type ClientCapabilities,
  type InitializeResult,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { repoRoot } from './paths';

const testCacheDirectory = mkdtempSync(path.join(tmpdir(), 'notesense-test-cache-'));
process.once('exit', () => rmSync(testCacheDirectory, { recursive: true, force: true }));

export interface TestServer {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  readonly initializeResult: InitializeResult;
  /** Every notification the server sent, in order (method and params). */
  readonly notifications: Array<{ method: string; params: unknown }>;
  /** Server requests (`workspace/configuration`, `window/workDoneProgress/create`, …) are answered from here. */
  readonly configuration: Record<string, unknown>;
  stderr(): string;
  /** Resolves when `predicate` holds for a notification, one already received included. */
  waitForNotification<T>(method: string, predicate?: (params: T) => boolean, timeoutMs?: number): Promise<T>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, text: string, version: number): void;
  close(uri: string): void;
  stop(): Promise<void>;
}

export const fileUri = (p: string) => pathToFileURL(p).href;

export interface StartOptions {
  readonly rootPath?: string;
  /** Several workspace folders (multi-root); the first is also the root. */
  readonly folders?: readonly string[];
  readonly capabilities?: ClientCapabilities;
  readonly locale?: string;
  readonly initializationOptions?: unknown;
  readonly configuration?: Record<string, unknown>;
  /** Extra arguments for node before the server script (e.g. --expose-gc for memory checks). */
  readonly nodeArgs?: readonly string[];
}

const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
  window: { workDoneProgress: true },
  textDocument: {
    publishDiagnostics: { relatedInformation: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true } },
    rename: { prepareSupport: true },
  },
};

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const serverPath = path.join(repoRoot, 'dist', 'server.js');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const notifications: Array<{ method: string; params: unknown }> = [];
  const waiters: Array<() => void> = [];
  connection.onNotification((method, params) => {
    notifications.push({ method, params });
    for (const w of [...waiters]) w();
  });
  // vscode-jsonrpc routes `$/progress` to progress handlers, not to the generic notification handler:
  // record work-done progress (`begin`, `report`, `end`) like any other notification.
  connection.onUnhandledProgress((params) => {
    notifications.push({ method: '$/progress', params });
    for (const w of [...waiters]) w();
  });
  const configuration = options.configuration ?? {};
  connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
    params.items.map((i) => (i.section ? configuration[i.section] ?? null : configuration)));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onRequest('workspace/semanticTokens/refresh', () => null);
  connection.listen();
  const root = options.rootPath ?? options.folders?.[0];
  const folders = options.folders ?? (root ? [root] : []);
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: root ? fileUri(root) : null,
    workspaceFolders: folders.length ? folders.map((f) => ({ uri: fileUri(f), name: path.basename(f) })) : null,
    capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
    locale: options.locale,
    // Tests keep the index cache in a throw-away folder unless they test the cache itself.
    initializationOptions: options.initializationOptions ?? { cacheDirectory: testCacheDirectory },
  });
  await connection.sendNotification(InitializedNotification.type, {});

  const server: TestServer = {
    connection,
    process: child,
    initializeResult,
    notifications,
    configuration,
    stderr: () => stderr,
    waitForNotification<T>(method: string, predicate: (params: T) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const hit = notifications.find((n) => n.method === method && predicate(n.params as T));
          if (!hit) return false;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(hit.params as T);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`no ${method} notification within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.push(check);
        check();
      });
    },
    open(uri, text, version = 1) {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
    },
    change(uri, text, version) {
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    close(uri) {
      void connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    async stop() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      connection.dispose();
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
  };
  return server;
}

export type { PublishDiagnosticsParams };
