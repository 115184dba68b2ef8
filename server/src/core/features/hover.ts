/**
 * Hover: the first provider that has something to say about the position wins. Order matters: a
 * front-matter key, then an entity value, then a glossary term.
 */
import type { Hover, Position } from 'vscode-languageserver-types';
import type { DocumentContext } from './context';
import { schemaHover } from '../schema/assist';
import { glossaryHover } from '../glossary/hover';
import { entityHover } from '../entities/navigation';

export type HoverProvider = (ctx: DocumentContext, position: Position) => Hover | undefined;

const providers: HoverProvider[] = [schemaHover, entityHover, glossaryHover];

export function hover(ctx: DocumentContext, position: Position): Hover | undefined {
  for (const provide of providers) {
    const h = provide(ctx, position);
    if (h) return h;
  }
  return undefined;
}
