/**
 * Hover on a glossary term — its definition, an English name, a bold or a plain mention, in any note:
 * term · English name · definition, the note it comes from as a link, and the other definitions of the
 * vault (the differing ones with their text). The content is Markdown built only from escaped note text
 * and `file:` links (see `markdown.ts`); the server never marks it trusted.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { t } from '../l10n';
import { mentionUnder } from './context';
import { differFrom, fileName, ownDefinitionsOf, type TermDefinition } from './definitions';
import { forEachOther, indexedDefinitionsOf, PerListVersion, type IndexedDefinition } from './lexicon';
import { escapeMarkdown, noteLink } from '../markdown';
import type { Mention } from './mentions';

/** How many other definitions a hover lists before it only counts the rest. */
const MAX_LISTED = 5;

export function glossaryHover(ctx: DocumentContext, position: Position): Hover | undefined {
  const mention = mentionUnder(ctx, position);
  if (!mention) return undefined;
  const sections: string[] = [];
  for (const term of mention.terms) {
    const section = termSection(ctx, term, mention);
    if (section) sections.push(section);
  }
  if (sections.length === 0) return undefined;
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: mention.range };
}

function noteLabel(ctx: DocumentContext, uri: string): string {
  if (uri === ctx.uri) return t('this note');
  return ctx.index.get(uri)?.title ?? fileName(uri);
}

function termSection(ctx: DocumentContext, term: string, mention: Mention): string | undefined {
  // The definitions in `definitionsOf`'s order: this note's (from its parse), then the other notes' (the
  // index's kept list, shared and never copied here: a common term has one per note of the vault).
  const own = ownDefinitionsOf({ uri: ctx.uri, note: ctx.note }, term);
  const list = indexedDefinitionsOf(ctx.index, term);
  // On a definition itself, that definition leads; elsewhere the first in the usual order.
  let primary: TermDefinition | undefined = own[0];
  if (mention.definition !== undefined) {
    const at = ctx.note.body.definitions[mention.definition];
    primary = own.find((d) => at && d.termRange.start.line === at.termLoc.range.start.line &&
      d.termRange.start.character === at.termLoc.range.start.character) ?? primary;
  }
  const primaryIndexed = primary === undefined;
  primary ??= list.find((d) => d.uri !== ctx.uri);
  if (primary === undefined) return undefined;
  const indexed = othersOf(ctx, list, primary, primaryIndexed);
  const english = primary.english ?? (own.find((d) => d.english)?.english || indexed.english);
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(term)}**` + (english ? ` · ${escapeMarkdown(english)}` : ''));
  const text = primary.definition || own.find((d) => d.definition)?.definition || indexed.text;
  if (text) lines.push(escapeMarkdown(text));
  lines.push(t('Defined in {0}', noteLink(noteLabel(ctx, primary.uri), primary.uri, primary.range.start.line)));
  const ownOthers = own.filter((d) => d !== primary);
  if (ownOthers.length + indexed.count > 0) lines.push(othersSection(ctx, primary, ownOthers, indexed));
  return lines.join('\n\n');
}

/**
 * What a hover says of the other notes' definitions of a term (the kept list's, less the current note's
 * and less the primary when it is one of them), against the primary: how many, how many differ, the
 * first few of each kind, and the first English name and text (for a primary without).
 */
interface IndexedOthers {
  readonly count: number;
  readonly different: number;
  readonly firstDifferent: readonly TermDefinition[];
  readonly firstSame: readonly TermDefinition[];
  readonly english: string | undefined;
  readonly text: string | undefined;
}

/**
 * `othersOf` results per kept list and version. A term defined in most notes of a vault has tens of
 * thousands of definitions: comparing each at every hover took ~50 ms at 20,000 notes and ~180 ms at
 * 50,000. A hover on the same term, from the same note and the same primary wording, now costs a lookup
 * until that term's list changes. 64 keys a list (notes and wordings a user hovers from).
 */
const othersCache = new PerListVersion<IndexedOthers>(64);

function othersOf(ctx: DocumentContext, list: readonly IndexedDefinition[], primary: TermDefinition, primaryIndexed: boolean): IndexedOthers {
  // An indexed primary is the list's first definition of another note, so the list and the note say which.
  const key = primaryIndexed ? `${ctx.uri}\u0000` : `${ctx.uri}\u0000\u0000${primary.definition}\u0000${primary.english ?? '\u0000'}`;
  return othersCache.get(list, key, () => {
    const differs = differFrom(primary);
    let skip = primaryIndexed;
    let count = 0;
    let different = 0;
    const firstDifferent: TermDefinition[] = [];
    const firstSame: TermDefinition[] = [];
    let english: string | undefined;
    let text: string | undefined;
    forEachOther(ctx.index, list, ctx.uri, (d) => {
      if (english === undefined && d.english) english = d.english;
      if (text === undefined && d.definition) text = d.definition;
      if (skip) {
        skip = false;
        return;
      }
      count++;
      if (differs(d)) {
        different++;
        if (firstDifferent.length < MAX_LISTED) firstDifferent.push(d);
      } else if (firstSame.length < MAX_LISTED) firstSame.push(d);
    });
    return { count, different, firstDifferent, firstSame, english, text };
  });
}

function othersSection(ctx: DocumentContext, primary: TermDefinition, ownOthers: readonly TermDefinition[], indexed: IndexedOthers): string {
  // This note's other definitions first, then the other notes' (counted once per version of the list).
  const differs = differFrom(primary);
  const ownDifferent = ownOthers.filter(differs);
  const ownSame = ownOthers.filter((d) => !differs(d));
  const different = [...ownDifferent, ...indexed.firstDifferent].slice(0, MAX_LISTED);
  const same = [...ownSame, ...indexed.firstSame].slice(0, MAX_LISTED);
  const total = ownOthers.length + indexed.count;
  const differentCount = ownDifferent.length + indexed.different;
  const out = [t('Other definitions: {0} ({1} different)', total, differentCount)];
  // The differing ones first, with what they say; then the ones that agree, as links only.
  const listed = [...different, ...same].slice(0, MAX_LISTED);
  const listedDifferent = new Set(different);
  for (const d of listed) {
    const link = noteLink(noteLabel(ctx, d.uri), d.uri, d.range.start.line);
    if (!listedDifferent.has(d)) {
      out.push(`- ${link}`);
      continue;
    }
    const english = d.english ? `${escapeMarkdown(d.english)}` : '';
    const text = d.definition ? escapeMarkdown(d.definition) : '';
    out.push(`- ${link}: ${[english, text].filter(Boolean).join(' — ')}`);
  }
  if (total > listed.length) out.push(`- ${t('… and {0} more', total - listed.length)}`);
  return out.join('\n');
}
