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
  const m = queryMatcher(query);
  return m.matches(term) || (!!english && m.matches(english)) || (m.latin && pinyinMatches(m.q, termPinyin(term).full, termPinyin(term).initials));
}

interface QueryMatcher {
  /** Whether the query's characters appear in `s` in order, case-insensitively. */
  readonly matches: (s: string) => boolean;
  /** The query in lower case, without spaces. */
  readonly q: string;
  /** Whether the query is letters and digits only, so that pinyin may match it. */
  readonly latin: boolean;
}

function queryMatcher(query: string): QueryMatcher {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const matches = (s: string) => q === '' || isSubsequence(q, s.toLowerCase());
  return { matches, q, latin: /^[a-z0-9]+$/.test(q) };
}

/**
 * Whether the characters of `q` appear in `s` in order: compared by code unit (a workspace-symbol query
 * runs this over every term of the vault), a surrogate pair of `q` only as a pair. With `fold`, each code
 * unit of `s` is case-folded first (`foldCode`), and a NUL starts the search again (a list of names).
 */
export function isSubsequence(q: string, s: string, fold = false): boolean {
  if (q === '') return true;
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    let c = s.charCodeAt(j);
    if (fold) {
      if (c === 0) {
        i = 0;
        continue;
      }
      c = foldCode(c);
    }
    if (c !== q.charCodeAt(i)) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      // A high surrogate matches only with its low one.
      if (s.charCodeAt(j + 1) !== q.charCodeAt(i + 1)) continue;
      j++;
      i++;
    }
    if (++i >= q.length) return true;
  }
  return false;
}

/** Pinyin is lower case already. */
function pinyinMatches(q: string, full: string, initials: string): boolean {
  return (!!full && isSubsequence(q, full)) || (!!initials && isSubsequence(q, initials));
}

export { termOrder } from './termOrder';

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
    const match = isSubsequence(q, term, true) || isSubsequence(q, names[i]!, true) || (latin && pinyinMatches(q, full[i]!, initials[i]!));
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
