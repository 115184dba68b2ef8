/**
 * Rename: `prepare` tells the editor what would be renamed (and refuses elsewhere); `rename` returns the
 * minimal edits across the vault. The first provider that recognises the position answers. Finding the
 * edits reads other notes (seconds for a common entity at 10,000 notes), so it works in steps, which a
 * host spreads over slices.
 */
import type { Position, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { DocumentContext } from './context';
import { entityRename } from '../entities/rename';
import { glossaryRename } from '../glossary/navigation';
import { drain, type Steps } from '../steps';

export interface RenameProvider {
  prepare(ctx: DocumentContext, position: Position): { range: Range; placeholder: string } | undefined;
  /** The edits in steps (one after each other note read); undefined when the name is refused. */
  renameSteps(ctx: DocumentContext, position: Position, newName: string): Steps<WorkspaceEdit | undefined>;
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
  return drain(renameSteps(ctx, position, newName));
}

/** `rename` in steps. */
export function* renameSteps(ctx: DocumentContext, position: Position, newName: string): Steps<WorkspaceEdit | undefined> {
  for (const p of providers) {
    if (p.prepare(ctx, position)) return yield* p.renameSteps(ctx, position, newName);
  }
  return undefined;
}
