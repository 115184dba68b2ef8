/**
 * Completion: each provider decides from the parsed note whether the position is its context (a
 * front-matter key, an entity list item, `**` in the body) and returns a list, or undefined.
 */
import type { CompletionItem, CompletionList, Position } from 'vscode-languageserver-types';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { DocumentContext } from './context';
import { schemaCompletion } from '../schema/assist';
import { glossaryCompletion, resolveGlossaryItem } from '../glossary/completion';
import { entityCompletion, resolveEntityItem } from '../entities/completion';

export type CompletionProvider = (ctx: DocumentContext, position: Position) => CompletionList | undefined;

const providers: CompletionProvider[] = [schemaCompletion, glossaryCompletion, entityCompletion];

export function complete(ctx: DocumentContext, position: Position): CompletionList | undefined {
  for (const provide of providers) {
    const list = provide(ctx, position);
    if (list) return list;
  }
  return undefined;
}

export type CompletionResolver = (index: WorkspaceIndex, item: CompletionItem) => CompletionItem;

/** Each provider whose items leave something for `completionItem/resolve` fills in its own items. */
const resolvers: CompletionResolver[] = [resolveEntityItem, resolveGlossaryItem];

/** The item with what was left out of the list (documentation), for the item the editor shows. */
export function resolveCompletion(index: WorkspaceIndex, item: CompletionItem): CompletionItem {
  return resolvers.reduce((it, resolve) => resolve(index, it), item);
}
