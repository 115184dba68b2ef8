/**
 * Code actions of front-matter validation: each diagnostic's fixes (carried in its `data`) as quick
 * fixes, and `source.fixAll.notesense`, which applies every safe fix of the note at once.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { problemsOf, SOURCE } from '../features/diagnostics';
import { t } from '../l10n';
import { mergeFixes, type Fix } from './edits';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.notesense`;

const wanted = (kind: string, only: readonly string[] | undefined) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));

function fixesOf(data: unknown): Fix[] {
  const fixes = (data as { fixes?: unknown } | undefined)?.fixes;
  return Array.isArray(fixes) ? fixes.filter((f): f is Fix => !!f && typeof f === 'object' && Array.isArray((f as Fix).edits) && typeof (f as Fix).title === 'string') : [];
}

/** Every safe fix of the note, merged into non-overlapping edits (the CLI's `--fix` applies them too). */
export function fixAllEdits(ctx: DocumentContext): TextEdit[] {
  return mergeFixes(problemsOf(ctx).flatMap((p) => fixesOf(p.data).filter((f) => f.safe)));
}

export function schemaCodeActions(ctx: DocumentContext, _range: Range, diagnostics: readonly Diagnostic[], only: readonly string[] | undefined): CodeAction[] {
  const out: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix, only)) {
    for (const d of diagnostics) {
      if (d.source !== SOURCE) continue;
      const fixes = fixesOf(d.data);
      fixes.forEach((f, i) => {
        out.push({
          title: f.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: i === 0 && (f.safe || fixes.length === 1),
          edit: { changes: { [ctx.uri]: [...f.edits] } },
        });
      });
    }
  }
  // "Fix all" is offered only when asked for (on save, or from the source action menu): computing it
  // re-checks the whole note, which a light-bulb request on every cursor move should not pay for.
  if (only && wanted(FIX_ALL_KIND, only)) {
    const edits = fixAllEdits(ctx);
    if (edits.length) out.push({ title: t('Fix all safe front-matter problems'), kind: FIX_ALL_KIND, edit: { changes: { [ctx.uri]: edits } } });
  }
  return out;
}
