/**
 * Completion of known terms after `**` in the body: typing `**数` offers `数据墙` (and `**sjq` finds it by
 * pinyin, `**data` by its English name); accepting inserts the term and the closing `**` unless it is
 * already there. Anywhere else — front matter, code, a closing `**`, plain text — it returns undefined so
 * other providers can answer.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { offsetAt } from '../parse/text';
import { escapeMarkdown } from '../markdown';
import { termPinyin } from './pinyin';
import { termOrder } from './symbols';

const STAR = 42;
const BACKSLASH = 92;

/** The offset just after an opening `**` whose bold the cursor is typing, or -1. */
export function boldPrefixStart(ctx: DocumentContext, offset: number): number {
  const { text, note } = ctx;
  if (offset < note.body.start || offset > text.length) return -1;
  if (note.body.code.some((c) => c.start < offset && offset < c.end)) return -1;
  let lineStart = offset;
  while (lineStart > note.body.start && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  // The runs of two or more `*` before the cursor, outside code spans, as the parser sees them.
  let runs = 0;
  let lastEnd = -1;
  for (let i = lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i++;
      continue;
    }
    if (c !== STAR) continue;
    let j = i;
    while (j < offset && text.charCodeAt(j) === STAR) j++;
    if (j - i >= 2 && !note.body.code.some((s) => s.start <= i && i < s.end)) {
      runs++;
      lastEnd = j;
    }
    i = j - 1;
  }
  // An even number of runs means the last one closed a bold: the cursor is not inside an opener's text.
  if (runs % 2 === 0 || lastEnd < 0) return -1;
  const prefix = text.slice(lastEnd, offset);
  if (prefix.includes('*') || /^\s/.test(prefix)) return -1;
  return lastEnd;
}

/**
 * With more known terms than this, the list is filtered by what has been typed after `**` and cut to this
 * many (marked incomplete, so the editor asks again as the author types): a vault of 10,000 notes knows
 * tens of thousands of terms, and sending them all with their definitions took seconds a request.
 */
export const MAX_GLOSSARY_ITEMS = 300;

type TermInfo = { english?: string; definition?: string };

/** The other notes' terms with an English name and an explanation each, per index version and note. */
const vaultTerms = new WeakMap<DocumentContext['index'], { version: number; uri: string; info: Map<string, TermInfo> }>();

function fill(info: Map<string, TermInfo>, term: string, english: string | undefined, definition: string): void {
  let entry = info.get(term);
  if (!entry) info.set(term, (entry = {}));
  if (english && !entry.english) entry.english = english;
  if (definition && !entry.definition) entry.definition = definition;
}

function termsOfVault(ctx: DocumentContext): Map<string, TermInfo> {
  const kept = vaultTerms.get(ctx.index);
  if (kept && kept.version === ctx.index.version && kept.uri === ctx.uri) return kept.info;
  // One pass over the definitions: cheaper than asking the index term by term, with thousands of terms.
  const info = new Map<string, TermInfo>();
  for (const summary of ctx.index.summaries()) {
    if (summary.uri === ctx.uri) continue;
    const ds = summary.definitions;
    for (let i = 0; i < ds.length; i++) fill(info, ds.term(i), ds.english(i), ds.definition(i));
  }
  vaultTerms.set(ctx.index, { version: ctx.index.version, uri: ctx.uri, info });
  return info;
}

/** How well a term matches the typed prefix (folded): 3 the term itself, 2 its pinyin, 1 its English name, else 0. */
function prefixMatch(term: string, english: string | undefined, prefix: string): number {
  if (prefix === '' || term.startsWith(prefix)) return 3;
  const pinyin = termPinyin(term);
  if (pinyin.full.startsWith(prefix) || pinyin.initials.startsWith(prefix)) return 2;
  if (english && english.toLowerCase().startsWith(prefix)) return 1;
  return term.includes(prefix) ? 1 : 0;
}

export function glossaryCompletion(ctx: DocumentContext, position: Position): CompletionList | undefined {
  const offset = offsetAt(ctx.text, position);
  const start = boldPrefixStart(ctx, offset);
  if (start < 0) return undefined;
  // This note's definitions first, then the vault's.
  const info = new Map<string, TermInfo>();
  for (const d of ctx.note.body.definitions) fill(info, d.term, d.english, d.definition);
  for (const [term, t] of termsOfVault(ctx)) fill(info, term, t.english, t.definition ?? '');
  if (info.size === 0) return undefined;
  const closed = ctx.text.startsWith('**', offset);
  // The opener is on the cursor's line, so the typed prefix is `offset - start` UTF-16 units long.
  const range = { start: { line: position.line, character: position.character - (offset - start) }, end: position };
  const items: CompletionItem[] = [];
  let sorted = [...info.keys()];
  let isIncomplete = false;
  if (sorted.length > MAX_GLOSSARY_ITEMS) {
    const prefix = ctx.text.slice(start, offset).toLowerCase();
    const scored = sorted.map((term) => ({ term, match: prefixMatch(term, info.get(term)!.english, prefix) })).filter((x) => x.match > 0);
    scored.sort((a, b) => b.match - a.match || termOrder.compare(a.term, b.term));
    isIncomplete = true;
    sorted = scored.slice(0, MAX_GLOSSARY_ITEMS).map((x) => x.term);
  } else sorted.sort(termOrder.compare);
  sorted.forEach((term, i) => {
    const { english, definition: text } = info.get(term)!;
    const pinyin = termPinyin(term);
    const item: CompletionItem = {
      label: term,
      kind: CompletionItemKind.Reference,
      sortText: String(i).padStart(6, '0'),
      filterText: [term, pinyin.full, pinyin.initials, english].filter(Boolean).join(' '),
      textEdit: { range, newText: closed ? term : `${term}**` },
    };
    if (english) {
      item.detail = english;
      item.labelDetails = { description: english };
    }
    if (text) item.documentation = { kind: MarkupKind.Markdown, value: escapeMarkdown(text) };
    items.push(item);
  });
  return { isIncomplete, items };
}
