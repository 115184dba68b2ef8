/**
 * Turns the problems of a note into LSP diagnostics: stable code, source, the severity the user chose
 * (or the code's default), and nothing for codes the user turned off.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { codeInfo, type Severity } from '../codes';
import type { Problem } from '../parse/types';
import { schemaProblems } from '../schema/check';
import { filterProblems } from '../schema/suppress';
import type { DocumentContext } from './context';
import { entityDiagnostics } from '../entities/diagnostics';
import { glossaryDiagnostics, prepareGlossaryDiagnostics } from '../glossary/diagnostics';
import type { Steps } from '../steps';

/** Problems beyond the parser's: schema, entities, glossary consistency. */
export type DiagnosticProvider = (ctx: DocumentContext) => Problem[];

const providers: DiagnosticProvider[] = [glossaryDiagnostics, schemaProblems, entityDiagnostics];

/**
 * Every problem of a note: the parser's, then each provider's, less those a
 * `# notesense-disable-next-line` comment suppresses.
 */
export function problemsOf(ctx: DocumentContext): Problem[] {
  return filterProblems(ctx.text, ctx.note, [...ctx.problems, ...providers.flatMap((p) => p(ctx))]);
}

/**
 * The costly part of `problemsOf` in steps (see `prepareGlossaryDiagnostics`), for a host that answers
 * requests between them and then computes the problems, which find that work done.
 */
export function prepareProblems(ctx: DocumentContext): Steps<void> {
  return prepareGlossaryDiagnostics(ctx);
}

export type SeveritySetting = Severity | 'off';

export interface DiagnosticsOptions {
  /** Per-code severity overrides (`{"yaml-syntax": "warning", "frontmatter-misplaced": "off"}`). */
  readonly severity?: Readonly<Record<string, SeveritySetting>>;
}

export const SOURCE = 'notesense';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function severityOf(code: string, fallback: Severity, options: DiagnosticsOptions = {}): SeveritySetting {
  return options.severity?.[code] ?? codeInfo(code)?.severity ?? fallback;
}

export function toDiagnostics(problems: readonly Problem[], options: DiagnosticsOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of problems) {
    const severity = severityOf(p.code, p.severity, options);
    if (severity === 'off') continue;
    const d: Diagnostic = { range: p.range, severity: LSP_SEVERITY[severity], code: p.code, source: SOURCE, message: p.message };
    if (p.data !== undefined) d.data = { code: p.code, ...(p.data as object) };
    if (p.relatedInformation) d.relatedInformation = p.relatedInformation.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message }));
    out.push(d);
  }
  return out;
}
