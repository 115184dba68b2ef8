/**
 * Quick fix for `glossary-duplicate-definition`: turn the repeated definition into a plain bold mention by
 * removing its parenthesis (`**数据墙**（Data wall: …）` → `**数据墙**`, `**贝利亚（Beria）**` → `**贝利亚**`).
 * The definition is found again in the current parse rather than trusted from the diagnostic, whose range
 * may be a few keystrokes old.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { t } from '../l10n';
import type { Definition } from '../parse/types';
import { offsetAt } from '../parse/text';

const OPEN_PARENS = new Set([0xff08, 0x28]);

/** The text to delete so that only the bold term remains, as offsets. */
export function parenthesisOf(text: string, d: Definition): [number, number] | undefined {
  if (d.variant === 'inner-paren') {
    // From the end of the term to the closing `**`: the space and `（English）` inside the bold.
    let end = d.loc.end;
    while (end > d.termLoc.end && text.charCodeAt(end - 1) === 42) end--;
    return end > d.termLoc.end ? [d.termLoc.end, end] : undefined;
  }
  // After the bold (and its closing quote) comes the parenthesis, up to the end of the definition.
  for (let i = d.termLoc.end; i < d.loc.end; i++) if (OPEN_PARENS.has(text.charCodeAt(i))) return [i, d.loc.end];
  return undefined;
}

export function glossaryCodeActions(ctx: DocumentContext, _range: Range, diagnostics: readonly Diagnostic[], only: readonly string[] | undefined): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || k.startsWith(CodeActionKind.QuickFix + '.') || CodeActionKind.QuickFix.startsWith(k))) return [];
  const out: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== 'glossary-duplicate-definition') continue;
    const at = offsetAt(ctx.text, diagnostic.range.start);
    const d = ctx.note.body.definitions.find((x) => x.termLoc.start === at);
    const cut = d && parenthesisOf(ctx.text, d);
    if (!d || !cut) continue;
    // A definition never spans lines: its start position plus the offset difference is exact.
    const at0 = d.loc.range.start;
    const range = { start: { line: at0.line, character: at0.character + cut[0] - d.loc.start }, end: { line: at0.line, character: at0.character + cut[1] - d.loc.start } };
    out.push({
      title: t('Keep the first definition of "{0}": make this one a mention', d.term),
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [ctx.uri]: [{ range, newText: '' }] } },
    });
  }
  return out;
}
