/**
 * Code actions: quick fixes for the diagnostics in the request (each diagnostic carries in `data` what
 * its fix needs), and source actions such as "fix all".
 */
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import type { DocumentContext } from './context';
import { schemaCodeActions } from '../schema/codeActions';
import { entityCodeActions } from '../entities/codeActions';
import { glossaryCodeActions } from '../glossary/codeActions';

export type CodeActionProvider = (ctx: DocumentContext, range: Range, diagnostics: readonly Diagnostic[], only: readonly string[] | undefined) => CodeAction[];

const providers: CodeActionProvider[] = [schemaCodeActions, entityCodeActions, glossaryCodeActions];

export function codeActions(ctx: DocumentContext, range: Range, diagnostics: readonly Diagnostic[], only?: readonly string[]): CodeAction[] {
  return providers.flatMap((p) => p(ctx, range, diagnostics, only));
}
