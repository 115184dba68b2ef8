/**
 * The VS Code client: starts the language server over IPC, keeps it running, shows its status and
 * forwards the palette commands to it. No note logic lives here: everything a user sees about notes
 * comes from the server, so every editor gets the same behaviour.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { RestartPolicy } from './restartPolicy';
import { parseStatus, STATUS_NOTIFICATION, StatusItem, type ServerStatus } from './status';

/** What `activate` returns: read by the end-to-end tests, not meant for other extensions. */
export interface NoteSenseApi {
  /** The latest `notesense/status` the server sent, or undefined before the first one. */
  readonly status: () => ServerStatus | undefined;
  /** Whether the language client is connected to a running server. */
  readonly isRunning: () => boolean;
  /** How often the server crashed within the restart window. */
  readonly recentCrashes: () => number;
  /** The status bar item's text. */
  readonly statusText: () => string;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<NoteSenseApi> {
  const output = vscode.window.createOutputChannel('NoteSense', { log: true });
  const status = new StatusItem('notesense.showOutput');
  context.subscriptions.push(output, status);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };

  const policy = new RestartPolicy();
  const showOutput = vscode.l10n.t('Show Output');
  const restart = vscode.l10n.t('Restart');
  const errorHandler: ErrorHandler = {
    // Errors on the connection are logged and otherwise ignored. When the server dies, every message in
    // flight fails; shutting the client down on those (the library's default after three) would stop it
    // before `closed` below is asked, leaving it neither restarted nor given up. A dead server always
    // closes the connection, and `closed` decides.
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      if (policy.onCrash(Date.now()) === 'restart') {
        output.warn(`the language server stopped unexpectedly; restarting (crash ${policy.recentCrashes} of at most ${policy.maxRestarts} in ${policy.windowMs / 60000} min)`);
        status.starting();
        return { action: CloseAction.Restart, handled: true };
      }
      output.error(`the language server crashed ${policy.recentCrashes} times in ${policy.windowMs / 60000} minutes; not restarting it`);
      status.stopped();
      void vscode.window
        .showErrorMessage(vscode.l10n.t('The NoteSense language server crashed {0} times and will not be restarted. See the output for details.', policy.recentCrashes), showOutput, restart)
        .then((choice) => {
          if (choice === showOutput) output.show(true);
          else if (choice === restart) void vscode.commands.executeCommand('notesense.restartServer');
        });
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };

  const clientOptions: LanguageClientOptions = {
    // Notes on disk, and unsaved new notes (checked against the vault on disk as well).
    documentSelector: [{ language: 'markdown', scheme: 'file' }, { language: 'markdown', scheme: 'untitled' }],
    outputChannel: output,
    errorHandler,
    synchronize: { configurationSection: 'notesense' },
    // In Restricted Mode the server loads no schema file from the folder (a JSON schema is compiled into
    // code): see `capabilities.untrustedWorkspaces` in package.json.
    // The index cache lives in the extension's own storage, which VS Code cleans up on uninstall.
    initializationOptions: { trusted: vscode.workspace.isTrusted, cacheDirectory: context.globalStorageUri.fsPath },
  };
  client = new LanguageClient('notesense', 'NoteSense', serverOptions, clientOptions);
  const current = client;

  context.subscriptions.push(
    current.onNotification(STATUS_NOTIFICATION, (raw: unknown) => {
      const parsed = parseStatus(raw);
      if (parsed) status.update(parsed);
      else output.warn(`ignored a malformed ${STATUS_NOTIFICATION} notification: ${JSON.stringify(raw)}`);
    }),
    current.onDidChangeState((e) => {
      if (e.newState === State.Starting) status.starting();
      // A server that dies while it starts up leaves the client in StartFailed rather than in `closed`:
      // the status bar must not keep saying "starting".
      else if (e.newState === State.StartFailed) status.stopped();
    }),
  );

  registerCommands(context, {
    output,
    restartServer: async () => {
      policy.reset();
      status.starting();
      output.info('restarting the language server on request');
      if (current.isRunning()) await current.restart();
      else await current.start();
    },
  });

  // Trust is read by the server at start: once the user trusts the folder, restart it to load its schema.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void vscode.commands.executeCommand('notesense.restartServer')));

  try {
    await current.start();
  } catch (e) {
    status.stopped();
    output.error(`the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('The NoteSense language server did not start. See the output for details.'), showOutput)
      .then((choice) => { if (choice === showOutput) output.show(true); });
  }

  return {
    status: () => status.current,
    isRunning: () => current.isRunning(),
    recentCrashes: () => policy.recentCrashes,
    statusText: () => status.text,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
