/**
 * Glossary symbols: the note's own definitions in its outline, and every definition of the vault as a
 * workspace symbol named `数据墙 — Data wall`, found by term, English name or pinyin (`sjq`, `shujuqiang`).
 */
import { SymbolKind, type DocumentSymbol, type WorkspaceSymbol } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { fileName, sortDefinitions, type TermDefinition } from './definitions';
import { termPinyin } from './pinyin';

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

/**
 * Whether a symbol matches the query: the query's characters appear in order in the term, the English
 * name or the term's pinyin (the same subsequence rule editors use to filter), case-insensitively.
 */
export function matchesQuery(query: string, term: string, english: string | undefined): boolean {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return true;
  const subsequence = (s: string) => {
    let i = 0;
    for (const ch of s.toLowerCase()) if (ch === q[i] && ++i === q.length) return true;
    return false;
  };
  return subsequence(term) || (!!english && subsequence(english)) || (/^[a-z0-9]+$/.test(q) && [termPinyin(term).full, termPinyin(term).initials].some((p) => !!p && subsequence(p)));
}

/** Terms in pinyin order, as a Chinese glossary is sorted (one collator: `localeCompare` builds one per call). */
export const termOrder = new Intl.Collator('zh-Hans-CN');

export function glossaryWorkspaceSymbols(index: WorkspaceIndex, query: string, limit: number): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  const matching: Array<{ term: string; defs: TermDefinition[] }> = [];
  for (const { term } of index.terms()) {
    const defs: TermDefinition[] = index.definitionsOf(term);
    if (defs.some((d) => matchesQuery(query, term, d.english))) matching.push({ term, defs });
  }
  matching.sort((a, b) => termOrder.compare(a.term, b.term));
  for (const { term, defs } of matching) {
    if (out.length >= limit) break;
    for (const d of sortDefinitions(index, defs)) {
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
