/** Find references: the first provider that recognises the symbol under the cursor answers. */
import type { Location, Position } from 'vscode-languageserver-types';
import type { DocumentContext } from './context';
import { entityReferences } from '../entities/navigation';
import { glossaryReferences } from '../glossary/navigation';

export type ReferencesProvider = (ctx: DocumentContext, position: Position, includeDeclaration: boolean) => Location[] | undefined;

const providers: ReferencesProvider[] = [entityReferences, glossaryReferences];

export function references(ctx: DocumentContext, position: Position, includeDeclaration: boolean): Location[] | undefined {
  for (const provide of providers) {
    const locations = provide(ctx, position, includeDeclaration);
    if (locations) return locations;
  }
  return undefined;
}
