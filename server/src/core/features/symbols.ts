/**
 * Document symbols (the outline of one note) and workspace symbols (entities and glossary terms of the
 * whole vault). The outline starts with the front matter and the headings; providers add their own.
 */
import { SymbolKind, type DocumentSymbol, type WorkspaceSymbol } from 'vscode-languageserver-types';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { DocumentContext } from './context';
import { entitySymbols } from '../entities/navigation';
import { glossaryDocumentSymbols, glossaryWorkspaceSymbols } from '../glossary/symbols';

export type DocumentSymbolProvider = (ctx: DocumentContext) => DocumentSymbol[];
export type WorkspaceSymbolProvider = (index: WorkspaceIndex, query: string, limit: number) => WorkspaceSymbol[];

/** The front matter (with its keys) and the headings, nested by level. */
function outline(ctx: DocumentContext): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const fm = ctx.note.frontMatter;
  if (fm) {
    out.push({
      name: 'front matter',
      kind: SymbolKind.Namespace,
      range: fm.loc.range,
      selectionRange: fm.openLoc.range,
      children: fm.fields.map((f) => ({
        name: f.key,
        kind: f.kind === 'list' ? SymbolKind.Array : SymbolKind.Property,
        range: { start: f.keyLoc.range.start, end: (f.valueLoc ?? f.keyLoc).range.end },
        selectionRange: f.keyLoc.range,
      })),
    });
  }
  const stack: Array<{ level: number; symbol: DocumentSymbol }> = [];
  for (const h of ctx.note.body.headings) {
    const symbol: DocumentSymbol = { name: h.text || '#'.repeat(h.level), kind: SymbolKind.String, range: h.loc.range, selectionRange: h.textLoc.range, children: [] };
    while (stack.length && stack[stack.length - 1]!.level >= h.level) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.symbol.children!.push(symbol);
      parent.symbol.range = { start: parent.symbol.range.start, end: symbol.range.end };
    } else out.push(symbol);
    stack.push({ level: h.level, symbol });
  }
  return out;
}

const documentProviders: DocumentSymbolProvider[] = [outline, glossaryDocumentSymbols];
const workspaceProviders: WorkspaceSymbolProvider[] = [glossaryWorkspaceSymbols, entitySymbols];

export function documentSymbols(ctx: DocumentContext): DocumentSymbol[] {
  return [...documentProviders.flatMap((p) => p(ctx))].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

export function workspaceSymbols(index: WorkspaceIndex, query: string, limit = 200): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  for (const p of workspaceProviders) {
    if (out.length >= limit) break;
    out.push(...p(index, query, limit - out.length));
  }
  return out;
}

export { SymbolKind };
