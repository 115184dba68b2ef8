/**
 * Glossary symbols: the note's own definitions in its outline, and every definition of the vault as a
 * workspace symbol named `数据墙 — Data wall`, found by term, English name or pinyin (`sjq`, `shujuqiang`).
 */
import { SymbolKind, type DocumentSymbol, type WorkspaceSymbol } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { fileName, sortDefinitions } from './definitions';
import { termsInOrder } from './completion';
import { foldCode } from './matcher';
import { isSubsequence } from '../subsequence';

export function symbolName(term: string, english: string | undefined): string {
  return english ? `${term} — ${english}` : term;
}

const DETAIL_LENGTH = 60;

function shorten(s: string): string {
  return s.length > DETAIL_LENGTH ? s.slice(0, DETAIL_LENGTH - 1) + '…' : s;
}

export function glossaryDocumentSymbols(ctx: DocumentContext): DocumentSymbol[] {
  return ctx.note.body.definitions.map((d) => ({
    name: symbolName(d.term, d.english),
    detail: shorten(d.definition),
    kind: SymbolKind.Key,
    range: d.loc.range,
    selectionRange: d.termLoc.range,
  }));
}

/** Pinyin is lower case already. */
function pinyinMatches(q: string, full: string, initials: string): boolean {
  return (!!full && isSubsequence(q, full)) || (!!initials && isSubsequence(q, initials));
}

export function glossaryWorkspaceSymbols(index: WorkspaceIndex, query: string, limit: number): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  // Folded as the names are: the query's code units case-folded one by one.
  const compact = query.replace(/[\s\0]+/g, '');
  let q = '';
  for (let i = 0; i < compact.length; i++) q += String.fromCharCode(foldCode(compact.charCodeAt(i)));
  const latin = /^[a-z0-9]+$/.test(q);
  // The terms in glossary order with their pinyin and folded English names, as glossary completion keeps
  // them: the first terms that match fill the limit, and a definition is read only for a term shown.
  // Reading every definition of the vault for each query took 4–5 s at 10,000 notes.
  const { terms, full, initials, names } = termsInOrder(index);
  for (let i = 0; i < terms.length && out.length < limit; i++) {
    const term = terms[i]!;
    const match = isSubsequence(q, term, foldCode) || isSubsequence(q, names[i]!, foldCode) || (latin && pinyinMatches(q, full[i]!, initials[i]!));
    if (!match) continue;
    for (const d of sortDefinitions(index, index.definitionsOf(term))) {
      if (out.length >= limit) break;
      out.push({
        name: symbolName(term, d.english),
        kind: SymbolKind.Key,
        location: { uri: d.uri, range: d.termRange },
        containerName: index.get(d.uri)?.title ?? fileName(d.uri),
      });
    }
  }
  return out;
}
