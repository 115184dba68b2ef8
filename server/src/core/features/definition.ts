/** Go to definition: the first provider that recognises the symbol under the cursor answers. */
import type { Location, Position } from 'vscode-languageserver-types';
import type { DocumentContext } from './context';
import { entityDefinition } from '../entities/navigation';
import { glossaryDefinition } from '../glossary/navigation';

export type DefinitionProvider = (ctx: DocumentContext, position: Position) => Location[] | undefined;

const providers: DefinitionProvider[] = [entityDefinition, glossaryDefinition];

export function definition(ctx: DocumentContext, position: Position): Location[] | undefined {
  for (const provide of providers) {
    const locations = provide(ctx, position);
    if (locations) return locations;
  }
  return undefined;
}
