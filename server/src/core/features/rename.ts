/**
 * Rename: `prepare` tells the editor what would be renamed (and refuses elsewhere); `rename` returns the
 * minimal edits across the vault. The first provider that recognises the position answers.
 */
import type { Position, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { DocumentContext } from './context';
import { entityRename } from '../entities/rename';
import { glossaryRename } from '../glossary/navigation';

export interface RenameProvider {
  prepare(ctx: DocumentContext, position: Position): { range: Range; placeholder: string } | undefined;
  rename(ctx: DocumentContext, position: Position, newName: string): WorkspaceEdit | undefined;
}

const providers: RenameProvider[] = [entityRename, glossaryRename];

export function prepareRename(ctx: DocumentContext, position: Position): { range: Range; placeholder: string } | undefined {
  for (const p of providers) {
    const r = p.prepare(ctx, position);
    if (r) return r;
  }
  return undefined;
}

export function rename(ctx: DocumentContext, position: Position, newName: string): WorkspaceEdit | undefined {
  for (const p of providers) {
    if (p.prepare(ctx, position)) return p.rename(ctx, position, newName);
  }
  return undefined;
}
