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
import { definitionsOf, differFrom, fileName, type TermDefinition } from './definitions';
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
  const defs = definitionsOf(ctx.index, term, { uri: ctx.uri, note: ctx.note });
  if (defs.length === 0) return undefined;
  // On a definition itself, that definition leads; elsewhere the first in the usual order.
  let primary = defs[0]!;
  if (mention.definition !== undefined) {
    const own = ctx.note.body.definitions[mention.definition];
    primary = defs.find((d) => d.uri === ctx.uri && own && d.termRange.start.line === own.termLoc.range.start.line &&
      d.termRange.start.character === own.termLoc.range.start.character) ?? primary;
  }
  const english = primary.english ?? defs.find((d) => d.english)?.english;
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(term)}**` + (english ? ` · ${escapeMarkdown(english)}` : ''));
  const text = primary.definition || defs.find((d) => d.definition)?.definition;
  if (text) lines.push(escapeMarkdown(text));
  lines.push(t('Defined in {0}', noteLink(noteLabel(ctx, primary.uri), primary.uri, primary.range.start.line)));
  const others = defs.filter((d) => d !== primary);
  if (others.length > 0) lines.push(othersSection(ctx, primary, others));
  return lines.join('\n\n');
}

function othersSection(ctx: DocumentContext, primary: TermDefinition, others: readonly TermDefinition[]): string {
  // One pass with the primary's comparison forms computed once (the others' are cached in the index
  // lists): a term defined in thousands of notes costs a string comparison per definition.
  const differs = differFrom(primary);
  const different: TermDefinition[] = [];
  const same: TermDefinition[] = [];
  let differentCount = 0;
  for (const d of others) {
    if (differs(d)) {
      differentCount++;
      if (different.length < MAX_LISTED) different.push(d);
    } else if (same.length < MAX_LISTED) same.push(d);
  }
  const out = [t('Other definitions: {0} ({1} different)', others.length, differentCount)];
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
  if (others.length > listed.length) out.push(`- ${t('… and {0} more', others.length - listed.length)}`);
  return out.join('\n');
}
