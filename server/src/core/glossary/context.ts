/**
 * The glossary's view of a feature request: the vocabulary, the mentions of the note being edited and
 * the mention under the cursor.
 */
import type { Position } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { lexiconOf, type Lexicon } from './lexicon';
import { mentionAtOffset, mentionsOf, type Mention } from './mentions';
import { offsetAt } from '../parse/text';

export function noteMentions(ctx: DocumentContext): { lexicon: Lexicon; mentions: readonly Mention[] } {
  const lexicon = lexiconOf(ctx.index);
  return { lexicon, mentions: mentionsOf(ctx.text, ctx.note, lexicon) };
}

/** The glossary mention under `position`, if any. */
export function mentionUnder(ctx: DocumentContext, position: Position): Mention | undefined {
  return mentionAtOffset(ctx.text, ctx.note, lexiconOf(ctx.index), offsetAt(ctx.text, position));
}
