/**
 * `notesense.server.inferSchema`: writes the schema inferred from the vault as an editable
 * `.notesense/schema.yaml` through `workspace/applyEdit` (create the file, insert the text), so the
 * editor opens it, can undo it, and the file watcher then loads it like any user schema. An existing
 * schema is never overwritten: the inferred one goes to `.notesense/schema.inferred.yaml` instead.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { t } from '../core/l10n';
import { renderInferredSchema } from '../core/schema/render';

export const INFER_SCHEMA_COMMAND = 'notesense.server.inferSchema';

function fileExists(uri: string): boolean {
  try {
    return existsSync(fileURLToPath(uri));
  } catch {
    return false;
  }
}

/** Arguments: an optional workspace folder uri (default: the first folder). Returns the file written. */
export async function inferSchemaEdit(connection: Connection, index: WorkspaceIndex, folders: readonly string[], args: readonly unknown[]): Promise<{ uri: string; applied: boolean } | null> {
  const folder = (typeof args[0] === 'string' ? args[0] : folders[0])?.replace(/\/+$/, '');
  if (!folder) {
    void connection.window.showWarningMessage(t('Open a folder to infer a schema from its notes.'));
    return null;
  }
  let uri = `${folder}/.notesense/schema.yaml`;
  if (fileExists(uri)) uri = `${folder}/.notesense/schema.inferred.yaml`;
  const text = renderInferredSchema(index, { source: decodeURIComponent(folder.slice(folder.lastIndexOf('/') + 1)) });
  const result = await connection.workspace.applyEdit({
    label: t('Infer schema from notes'),
    edit: {
      documentChanges: [
        { kind: 'create', uri, options: { overwrite: true } },
        { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] },
      ],
    },
  });
  return { uri, applied: result.applied };
}
