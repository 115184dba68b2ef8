/**
 * Completion: each provider decides from the parsed note whether the position is its context (a
 * front-matter key, an entity list item, `**` in the body) and returns a list, or undefined.
 */
import type { CompletionList, Position } from 'vscode-languageserver-types';
import type { DocumentContext } from './context';
import { schemaCompletion } from '../schema/assist';
import { glossaryCompletion } from '../glossary/completion';
import { entityCompletion } from '../entities/completion';

export type CompletionProvider = (ctx: DocumentContext, position: Position) => CompletionList | undefined;

const providers: CompletionProvider[] = [schemaCompletion, glossaryCompletion, entityCompletion];

export function complete(ctx: DocumentContext, position: Position): CompletionList | undefined {
  for (const provide of providers) {
    const list = provide(ctx, position);
    if (list) return list;
  }
  return undefined;
}
