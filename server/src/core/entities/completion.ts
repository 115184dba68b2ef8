/**
 * Completion while tagging: inside an entity list item or scalar, the values used under the same kind
 * of key in other notes, ranked by how well they match, how often and how recently they are used, and
 * how often they appear with the values already in this note.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { entityKindOf, fold, KNOWN_ENTITY_KEYS } from '../index/entityKinds';
import { entityId, type EntityInfo } from '../index/workspaceIndex';
import { t } from '../l10n';
import { notesMarkdown } from './markdown';
import { positionAt, valueContextAt, type ValueContext } from './locate';
import { quoteForYaml } from './yamlText';

/** Longest list sent; a longer one is cut and marked incomplete so the editor asks again as the user types. */
export const MAX_COMPLETIONS = 100;

/** How well a query matches a value, best first. */
export enum Match {
  None = 0,
  Subsequence = 1,
  PinyinSubstring = 2,
  Substring = 3,
  PinyinPrefix = 4,
  WordPrefix = 5,
  Prefix = 6,
  Exact = 7,
}

/** How `query` (already folded) matches the entity: plain text first, then pinyin, then a subsequence. */
export function matchQuality(query: string, info: EntityInfo, pinyin = true): Match {
  if (query === '') return Match.Prefix;
  const v = info.folded;
  if (v === query) return Match.Exact;
  if (v.startsWith(query)) return Match.Prefix;
  if (info.words.some((w) => w.startsWith(query))) return Match.WordPrefix;
  const { full, initials } = pinyin ? info.pinyin : NO_PINYIN;
  if (full && (full.startsWith(query) || initials.startsWith(query))) return Match.PinyinPrefix;
  if (v.includes(query)) return Match.Substring;
  if (full && (full.includes(query) || initials.includes(query))) return Match.PinyinSubstring;
  if (isSubsequence(query, v) || (initials && isSubsequence(query, initials))) return Match.Subsequence;
  return Match.None;
}

const NO_PINYIN = { full: '', initials: '' };

function isSubsequence(query: string, s: string): boolean {
  let i = 0;
  for (const c of s) if (c === query[i] && ++i === query.length) return true;
  return i === query.length;
}

export interface RankedValue {
  readonly info: EntityInfo;
  readonly match: Match;
  /** Notes other than this one that list it. */
  readonly notes: number;
  readonly score: number;
}

/**
 * The candidates for a value context, best first. Values listed only by this note are left out (the
 * half-typed value itself is one of them), and so are the values already in this list.
 */
export function rankValues(ctx: DocumentContext, vc: ValueContext): { ranked: RankedValue[] } {
  const query = fold(vc.prefix).trim();
  const pinyin = ctx.settings.completion?.pinyin !== false;
  const siblings = new Set(vc.siblings);
  // Co-occurrence is measured against every entity already in this note, of any kind.
  const present = new Set(ctx.note.entities.filter((e) => !(e.loc.start >= vc.start && e.loc.end <= vc.end)).map((e) => entityId(entityKindOf(e.key), e.value)));
  const matched: Array<{ info: EntityInfo; match: Match; notes: number; day: number; together: number }> = [];
  let newest = -Infinity;
  let oldest = Infinity;
  for (const info of ctx.index.entitiesOfKindList(vc.kind)) {
    if (siblings.has(info.value)) continue;
    const notes = info.notes.size - (info.notes.has(ctx.uri) ? 1 : 0);
    if (notes === 0) continue;
    const match = matchQuality(query, info, pinyin);
    if (match === Match.None) continue;
    let together = 0;
    for (const id of present) together += info.cooccurrence.get(id) ?? 0;
    const last = ctx.index.lastDate(info);
    const day = last ? Date.parse(last) / 86_400_000 : NaN;
    if (!Number.isNaN(day)) {
      if (day > newest) newest = day;
      if (day < oldest) oldest = day;
    }
    matched.push({ info, match, notes, day, together });
  }
  // Recency is relative to the candidates: the most recently used gets the full bonus.
  const span = newest - oldest;
  const ranked = matched.map((m) => {
    const recency = Number.isNaN(m.day) || !(span > 0) ? 0 : (m.day - oldest) / span;
    const score = m.match * 1000 + 20 * Math.log2(1 + m.notes) + 15 * recency + 20 * Math.log2(1 + m.together);
    return { info: m.info, match: m.match, notes: m.notes, score };
  });
  // Code-point order on ties: stable across locales and much cheaper than localeCompare on a big vault.
  ranked.sort((a, b) => b.score - a.score || (a.info.value < b.info.value ? -1 : a.info.value > b.info.value ? 1 : 0));
  return { ranked };
}

/** The words the editor filters by: the value, its folded form, pinyin and initials (`马斯克 masike msk`). */
export function filterTextOf(info: EntityInfo, prefix: string, pinyin = true): string {
  const parts = [info.value];
  if (info.folded !== info.value) parts.push(info.folded);
  if (pinyin && info.pinyin.full) parts.push(info.pinyin.full, info.pinyin.initials);
  // An author typing full-width letters (`ｏｐｅｎ`) is matched by the editor against a full-width form.
  if (/[\uff01-\uff5e]/.test(prefix)) parts.push(toFullWidth(info.folded));
  return parts.join(' ');
}

function toFullWidth(s: string): string {
  return s.replace(/[\x21-\x7e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

export function entityCompletion(ctx: DocumentContext, position: Position): CompletionList | undefined {
  const vc = valueContextAt(ctx, position);
  if (!vc) return undefined;
  const { ranked } = rankValues(ctx, vc);
  // An unknown list (`aliases`) with nothing to offer is left to other providers (the schema's values).
  const known = (ctx.settings.entityKeys ?? KNOWN_ENTITY_KEYS).includes(vc.key) || ctx.settings.scalarEntityKeys.includes(vc.key);
  if (ranked.length === 0 && !known) return undefined;
  const range = { start: positionAt(ctx.text, vc.start), end: positionAt(ctx.text, vc.end) };
  const items: CompletionItem[] = ranked.slice(0, MAX_COMPLETIONS).map((r, i) => {
    const insert = vc.quote ? escapeInQuotes(r.info.value, vc.quote) : quoteForYaml(r.info.value, vc.flow);
    const recent = ctx.index.recentNotes(r.info, 3);
    return {
      label: r.info.value,
      kind: CompletionItemKind.Value,
      detail: r.notes === 1 ? t('{0} · 1 note', r.info.kind) : t('{0} · {1} notes', r.info.kind, r.notes),
      documentation: { kind: MarkupKind.Markdown, value: notesMarkdown(recent) },
      sortText: String(i).padStart(5, '0'),
      filterText: filterTextOf(r.info, vc.prefix, ctx.settings.completion?.pinyin !== false),
      textEdit: { range, newText: vc.lead + insert },
    };
  });
  return { isIncomplete: ranked.length > MAX_COMPLETIONS, items };
}

function escapeInQuotes(value: string, quote: '"' | "'"): string {
  return quote === "'" ? value.replace(/'/g, "''") : value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
