/**
 * What an editor gets for a note, asked over LSP, for tests that compare two servers or two histories:
 * diagnostics and their quick fixes, symbols, hovers and definitions at the places the glossary and the
 * entities answer, completions (their first items resolved), and the whole index.
 */
import { strict as assert } from 'node:assert';
import type { CompletionItem, CompletionList, Diagnostic, DocumentDiagnosticReport, Hover, Position } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { INDEX_SNAPSHOT_REQUEST } from '../../server/src/lsp/indexSnapshot';
import type { TestServer } from './lsp';

/** The LSP position of `offset` in `text` (UTF-16 units; `\r\n`, `\n` and `\r` end a line). */
export function positionAt(text: string, offset: number): Position {
  return TextDocument.create('test:', 'markdown', 0, text).positionAt(offset);
}

/** An offset an editor could put the caret at: not inside a `\r\n` pair, not inside a surrogate pair. */
export function caretAt(text: string, offset: number): number {
  const inside = (i: number) =>
    i > 0 && i < text.length && ((text.charCodeAt(i - 1) === 13 && text.charCodeAt(i) === 10)
      || (text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff && text.charCodeAt(i) >= 0xdc00 && text.charCodeAt(i) <= 0xdfff));
  while (inside(offset)) offset--;
  return offset;
}

/** Where the test asks: hovers and definitions, and completions. */
export interface Probes {
  readonly hovers: readonly Position[];
  readonly completions: readonly Position[];
}

/**
 * Where to hover and ask for a definition: inside each bold span, each bracket's first word (an English
 * name) and the word before each colon (its end), where the glossary's hovers are; at most 200. Where to
 * complete: after the first six list dashes (entity values in the front matter, or list items in the
 * body) and the first six `**` (glossary terms).
 */
export function probesOf(text: string): Probes {
  const offsets = (needle: string, shift: number, max: number) => {
    const out: number[] = [];
    for (let i = text.indexOf(needle); i >= 0 && out.length < max; i = text.indexOf(needle, i + 1)) out.push(caretAt(text, Math.max(0, Math.min(text.length, i + shift))));
    return out;
  };
  const hovers = [...offsets('**', 2, 80), ...offsets('（', 1, 40), ...offsets('(', 1, 20), ...offsets(':', -1, 30), ...offsets('：', -1, 30)];
  const completions = [...offsets('\n- ', 3, 6), ...offsets('**', 2, 6)];
  return { hovers: hovers.map((o) => positionAt(text, o)), completions: completions.map((o) => positionAt(text, o)) };
}

/** What the editor gets for the note: diagnostics, their fixes, symbols, hovers, definitions, completions, and the index. */
export async function observe(server: TestServer, uri: string, probes: Probes) {
  const request = <T>(method: string, params: object) => server.connection.sendRequest<T>(method, { textDocument: { uri }, ...params });
  const diagnostics = (await request<DocumentDiagnosticReport>('textDocument/diagnostic', {}) as { items: Diagnostic[] }).items;
  const whole = { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } };
  const actions = await request('textDocument/codeAction', { range: whole, context: { diagnostics } });
  const symbols = await request('textDocument/documentSymbol', {});
  const hovers: unknown[] = [];
  const definitions: unknown[] = [];
  for (const position of probes.hovers) {
    hovers.push(await request<Hover | null>('textDocument/hover', { position }));
    definitions.push(await request('textDocument/definition', { position }));
  }
  const completions: unknown[] = [];
  for (const position of probes.completions) {
    const list = await request<CompletionList | CompletionItem[] | null>('textDocument/completion', { position });
    // The first items resolved, as an editor does for the item it shows (their documentation).
    const items = Array.isArray(list) ? list : list?.items ?? [];
    const resolved = [];
    for (const item of items.slice(0, 5)) resolved.push(await server.connection.sendRequest('completionItem/resolve', item));
    completions.push({ list, resolved });
  }
  const index = await server.connection.sendRequest(INDEX_SNAPSHOT_REQUEST);
  return { diagnostics, actions, symbols, hovers, definitions, completions, index };
}

export type Observation = Awaited<ReturnType<typeof observe>>;

/** Asserts that two observations are the same, part by part (a failure names the part that differs). */
export function assertSameAnswers(actual: Observation, expected: Observation, message?: string): void {
  for (const part of ['diagnostics', 'actions', 'symbols', 'hovers', 'definitions', 'completions', 'index'] as const) {
    assert.deepEqual(actual[part], expected[part], `${message ? `${message}: ` : ''}${part}`);
  }
}

/** Which kinds of answer an observation holds at least one of: comparisons of empty answers prove nothing. */
export function answersIn(o: Observation): { hover: boolean; definition: boolean; completion: boolean } {
  return {
    hover: o.hovers.some((h) => h !== null),
    definition: o.definitions.some((d) => d !== null && !(Array.isArray(d) && d.length === 0)),
    completion: o.completions.some((c) => (c as { resolved: unknown[] }).resolved.length > 0),
  };
}
