/** Find references: the first provider that recognises the symbol under the cursor answers. */
import type { Location, Position } from 'vscode-languageserver-types';
import type { DocumentContext } from './context';
import { entityReferenceSteps } from '../entities/navigation';
import { glossaryReferenceSteps } from '../glossary/navigation';
import { drain, type Steps } from '../steps';

/**
 * A provider answers undefined when the cursor is not on its kind of symbol. It works in steps: finding
 * every mention reads other notes, seconds in all on a large vault, which a host spreads over slices.
 */
export type ReferencesProvider = (ctx: DocumentContext, position: Position, includeDeclaration: boolean) => Steps<Location[] | undefined>;

const providers: ReferencesProvider[] = [entityReferenceSteps, glossaryReferenceSteps];

export function references(ctx: DocumentContext, position: Position, includeDeclaration: boolean): Location[] | undefined {
  return drain(referenceSteps(ctx, position, includeDeclaration));
}

/** `references` in steps. */
export function* referenceSteps(ctx: DocumentContext, position: Position, includeDeclaration: boolean): Steps<Location[] | undefined> {
  for (const provide of providers) {
    const locations = yield* provide(ctx, position, includeDeclaration);
    if (locations) return locations;
  }
  return undefined;
}
