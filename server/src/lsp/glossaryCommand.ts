/**
 * `notesense.server.exportGlossary`: the whole glossary as text in the requested format, for the client
 * to save where the user picks. Arguments: a format (`md` or `markdown`, `json`, `csv`, default `md`),
 * either as a string or as `{ format }`. Sources are given as paths relative to the workspace folder
 * that holds the note, so the exported file does not carry machine paths.
 */
import { ResponseError, ErrorCodes } from 'vscode-languageserver';
import { exportGlossary, glossaryFormat } from '../core/glossary/export';
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import { t } from '../core/l10n';

export const EXPORT_GLOSSARY_COMMAND = 'notesense.server.exportGlossary';

/** The path of `uri` below the workspace folder that contains it, else the decoded uri. */
export function relativeLabel(uri: string, folders: readonly string[]): string {
  for (const folder of folders) {
    const base = folder.endsWith('/') ? folder : `${folder}/`;
    if (uri.startsWith(base)) {
      const rel = uri.slice(base.length);
      try {
        return decodeURIComponent(rel);
      } catch {
        return rel;
      }
    }
  }
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

export function exportGlossaryCommand(index: WorkspaceIndex, folders: readonly string[], args: readonly unknown[]): string {
  const arg = args[0];
  const name = arg === undefined ? 'md' : typeof arg === 'object' && arg !== null ? (arg as { format?: unknown }).format : arg;
  const format = glossaryFormat(name);
  if (!format) throw new ResponseError(ErrorCodes.InvalidParams, t('Unknown glossary format "{0}": use md, json or csv.', String(name)));
  return exportGlossary(index, format, (uri) => relativeLabel(uri, folders));
}
