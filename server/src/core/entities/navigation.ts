/**
 * Hover, references, definition and workspace symbols for entity values: a value in the front matter,
 * or a bold mention of a known entity in the body.
 */
import { MarkupKind, SymbolKind, type Hover, type Location, type Position, type WorkspaceSymbol } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { fold } from '../index/entityKinds';
import type { EntityInfo, WorkspaceIndex } from '../index/workspaceIndex';
import { t } from '../l10n';
import { boldMentionSteps } from './boldMentions';
import { drain, type Steps } from '../steps';
import { matchQuality, Match } from './completion';
import { entityAt } from './locate';
import { escapeMarkdown } from '../markdown';
import { notesMarkdown } from './markdown';
import { firstDateOf, lastDateOf, recentNotesOf } from './recency';

/** How many notes a hover lists. */
const HOVER_NOTES = 5;
/** One collator for every comparison: `localeCompare` makes one per call (thousands of matches at 10,000 notes). */
const valueOrder = new Intl.Collator();

export function entityHover(ctx: DocumentContext, position: Position): Hover | undefined {
  const target = entityAt(ctx, position);
  if (!target) return undefined;
  const info = ctx.index.entity(target.kind, target.value);
  if (!info) return undefined;
  // The first and last dates and the recent notes come from per-entity caches kept in step with the
  // index (recency.ts): an entity listed by thousands of notes costs no sort per hover.
  const lines = [`**${escapeMarkdown(info.value)}** · ${escapeMarkdown(info.kind)}`, ''];
  const first = firstDateOf(ctx.index, info);
  const last = lastDateOf(ctx.index, info);
  if (info.notes.size === 1) lines.push(first ? t('1 note, on {0}', first) : t('1 note, undated'));
  else lines.push(first && last ? t('{0} notes, from {1} to {2}', info.notes.size, first, last) : t('{0} notes, none dated', info.notes.size));
  lines.push('', notesMarkdown(recentNotesOf(ctx.index, info, HOVER_NOTES)));
  if (info.notes.size > HOVER_NOTES) lines.push('', t('and {0} more', info.notes.size - HOVER_NOTES));
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: target.loc.range };
}

/** Every front-matter place that lists the entity, then every bold mention of it, each by uri. */
export function entityLocations(ctx: DocumentContext, info: EntityInfo): { values: Location[]; bolds: Location[] } {
  return drain(entityLocationSteps(ctx, info));
}

/** `entityLocations` in steps: the bold mentions read note by note (see `boldMentionSteps`). */
function* entityLocationSteps(ctx: DocumentContext, info: EntityInfo): Steps<{ values: Location[]; bolds: Location[] }> {
  const values: Location[] = [];
  for (const uri of [...info.notes.keys()].sort()) for (const p of ctx.index.placesOf(info, uri)) values.push({ uri, range: p.range });
  yield;
  return { values, bolds: yield* boldMentionSteps(ctx, info.value) };
}

export function entityReferences(ctx: DocumentContext, position: Position): Location[] | undefined {
  return drain(entityReferenceSteps(ctx, position));
}

/**
 * `entityReferences` in steps: reading the notes that may mention an entity in bold took ~2.2 s for the
 * benchmark's most common one (5,700 notes at 10,000), which a host spreads over short slices.
 */
export function* entityReferenceSteps(ctx: DocumentContext, position: Position): Steps<Location[] | undefined> {
  const target = entityAt(ctx, position);
  if (!target) return undefined;
  const info = ctx.index.entity(target.kind, target.value);
  if (!info) return undefined;
  const { values, bolds } = yield* entityLocationSteps(ctx, info);
  return [...values, ...bolds];
}

/** The entity's own note (a note titled with its name) when there is one, else its references. */
export function entityDefinition(ctx: DocumentContext, position: Position): Location[] | undefined {
  const target = entityAt(ctx, position);
  if (!target) return undefined;
  const own = [...ctx.index.notesTitled(target.value)].sort();
  const start = { line: 0, character: 0 };
  if (own.length) return own.map((uri) => ({ uri, range: { start, end: start } }));
  return entityReferences(ctx, position);
}

/** Entities whose name matches the query (prefix, word, pinyin, subsequence), best match first. */
export function entitySymbols(index: WorkspaceIndex, query: string, limit: number): WorkspaceSymbol[] {
  const q = fold(query).trim();
  const found: Array<{ info: EntityInfo; match: Match }> = [];
  for (const info of index.entityInfos()) {
    const match = matchQuality(q, info);
    if (match !== Match.None) found.push({ info, match });
  }
  found.sort((a, b) => b.match - a.match || b.info.notes.size - a.info.notes.size || valueOrder.compare(a.info.value, b.info.value) || valueOrder.compare(a.info.kind, b.info.kind));
  return found.slice(0, limit).map(({ info }) => {
    const uri = index.recentNotes(info, 1)[0]!.uri;
    const place = index.placesOf(info, uri)[0]!;
    return { name: info.value, kind: SymbolKind.Constant, containerName: info.kind, location: { uri, range: place.range } };
  });
}
