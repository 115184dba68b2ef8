/**
 * The palette commands. The client only forwards to the server: rebuilding the index, inferring a
 * schema and exporting the glossary run there, as `workspace/executeCommand` commands that
 * vscode-languageclient registers in VS Code from the server's `executeCommandProvider`. A server that
 * does not (yet) offer one of them gets a clear message instead of VS Code's "command not found".
 */
import * as vscode from 'vscode';

export const SERVER_COMMANDS = {
  rebuildIndex: 'notesense.server.rebuildIndex',
  inferSchema: 'notesense.server.inferSchema',
  exportGlossary: 'notesense.server.exportGlossary',
} as const;

/** Formats the user can pick for the glossary export, with the file extension offered when saving. */
export const GLOSSARY_FORMATS = [
  { format: 'md', label: 'Markdown', extension: 'md' },
  { format: 'csv', label: 'CSV', extension: 'csv' },
  { format: 'json', label: 'JSON', extension: 'json' },
] as const;

export interface CommandHost {
  readonly output: vscode.LogOutputChannel;
  restartServer(): Promise<void>;
}

/** Runs a server command, or explains why it cannot. Returns undefined when it did not run. */
async function runServerCommand<T>(host: CommandHost, id: string, ...args: unknown[]): Promise<T | undefined> {
  const available = await vscode.commands.getCommands(true);
  if (!available.includes(id)) {
    host.output.warn(`server command ${id} is not available`);
    void vscode.window.showWarningMessage(
      vscode.l10n.t('The NoteSense server does not offer this command ({0}). Is the server running?', id));
    return undefined;
  }
  try {
    return await vscode.commands.executeCommand<T>(id, ...args);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    host.output.error(`server command ${id} failed: ${message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('NoteSense: {0} failed: {1}', id, message));
    return undefined;
  }
}

/** The text a server command returned: a string, or `{ text }`, or any JSON value shown as JSON. */
function textOf(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object' && typeof (result as { text?: unknown }).text === 'string') {
    return (result as { text: string }).text;
  }
  return result === undefined || result === null ? undefined : JSON.stringify(result, null, 2);
}

export function registerCommands(context: vscode.ExtensionContext, host: CommandHost): void {
  const register = (id: string, run: () => Promise<unknown> | void) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  register('notesense.showOutput', () => host.output.show(true));

  register('notesense.restartServer', () => host.restartServer());

  register('notesense.rebuildIndex', async () => {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('NoteSense: rebuilding the index') },
      () => runServerCommand(host, SERVER_COMMANDS.rebuildIndex),
    );
  });

  register('notesense.inferSchema', async () => {
    // The server writes the schema into the folder of the active note (or the first folder) through a
    // workspace edit and answers with the file's uri; the client shows that file for review.
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
    const result = await runServerCommand<unknown>(host, SERVER_COMMANDS.inferSchema, ...(folder ? [folder.uri.toString()] : []));
    if (result === undefined || result === null) return;
    const written = result as { uri?: unknown; applied?: unknown };
    if (typeof written.uri === 'string') {
      if (written.applied === false) {
        void vscode.window.showWarningMessage(vscode.l10n.t('The inferred schema was not written to {0}.', vscode.Uri.parse(written.uri).fsPath));
        return;
      }
      await vscode.window.showTextDocument(vscode.Uri.parse(written.uri));
      void vscode.window.showInformationMessage(vscode.l10n.t('Schema inferred from the notes: review it, then save it to use it.'));
      return;
    }
    // A server that answers with the schema's text instead: shown as an unsaved document.
    const text = textOf(result);
    if (text === undefined) return;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'yaml', content: text }));
  });

  register('notesense.exportGlossary', async () => {
    const picked = await vscode.window.showQuickPick(
      GLOSSARY_FORMATS.map((f) => ({ label: f.label, description: `.${f.extension}`, format: f })),
      { title: vscode.l10n.t('Export the glossary'), placeHolder: vscode.l10n.t('Pick a format') },
    );
    if (!picked) return;
    const result = await runServerCommand<unknown>(host, SERVER_COMMANDS.exportGlossary, picked.format.format);
    const text = textOf(result);
    if (text === undefined) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save the glossary'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, `glossary.${picked.format.extension}`) : undefined,
      filters: { [picked.format.label]: [picked.format.extension] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const open = vscode.l10n.t('Open');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Glossary saved to {0}', target.fsPath), open);
    if (choice === open) await vscode.window.showTextDocument(target);
  });
}
