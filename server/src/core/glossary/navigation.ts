/**
 * Go to definition, find all mentions and rename for glossary terms.
 *
 * Where other notes' mentions come from: the index keeps no note text (thousands of notes of ~30 KB
 * would cost far more memory than their summaries), and mentions cannot be recorded in a note's summary
 * when it is indexed either, because what a note mentions depends on the terms the *other* notes define,
 * which change after it was indexed (during the first scan most terms are not known yet). So references
 * and rename read the other notes' text on demand through `ctx.readText` (the host serves open buffers
 * first, then the disk), skip every note whose text does not contain the term or one of its English names
 * (a substring test, no parse), and run the same matcher over the few that do. Without `readText` (or for
 * a note it cannot read) the summary still gives the definitions; its mentions are not known (nor could
 * an edit be applied to a note that cannot be read).
 */
import type { Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import type { RenameProvider } from '../features/rename';
import { parseNote } from '../parse/note';
import { mentionUnder, noteMentions } from './context';
import { definitionsOf } from './definitions';
import { englishNamesOf } from './lexicon';
import { mentionsNear, mentionsOf, type Mention, type MentionKind } from './mentions';
import { drain, type Steps } from '../steps';

export function glossaryDefinition(ctx: DocumentContext, position: Position): Location[] | undefined {
  const mention = mentionUnder(ctx, position);
  if (!mention) return undefined;
  const out: Location[] = [];
  for (const term of mention.terms) {
    for (const d of definitionsOf(ctx.index, term, { uri: ctx.uri, note: ctx.note })) out.push({ uri: d.uri, range: d.termRange });
  }
  return out.length ? out : undefined;
}

export interface TermOccurrence {
  readonly uri: string;
  readonly range: Range;
  readonly kind: MentionKind;
}

/** Notes looked at (most of them only through `mayContain`) between two steps of `occurrenceSteps`. */
const NOTES_A_STEP = 16;

/**
 * Every occurrence of `term` in the vault: definitions, bold, plain and English-name mentions, the note
 * being edited first, then the others in uri order. In steps: one after each note read (tested, read and
 * searched for candidates), and after every NOTES_A_STEP notes only asked whether they may hold the term;
 * a host spreads them over short slices. Of a note read, only the lines that hold a candidate are parsed
 * and scanned (see `mentionsNear`).
 */
export function* occurrenceSteps(ctx: DocumentContext, term: string): Steps<TermOccurrence[]> {
  const { lexicon, mentions } = noteMentions(ctx);
  const out: TermOccurrence[] = [];
  const pick = (uri: string, list: readonly Mention[]) => {
    for (const m of list) if (m.terms.includes(term)) out.push({ uri, range: m.range, kind: m.kind });
  };
  pick(ctx.uri, mentions);
  // The English names (folded) the vault gives the term.
  const english = [...new Set(englishNamesOf(ctx.index)(term).map((n) => n.folded).filter(Boolean))];
  const words = englishWords(english);
  const others = [...ctx.index.uris()].filter((u) => u !== ctx.uri).sort();
  let looked = 0;
  for (const uri of others) {
    if (++looked % NOTES_A_STEP === 0) yield;
    // Most notes hold neither the term nor a word of its English names: their text is not even decoded.
    if (words && ctx.mayContain?.(uri, [term], words) === false) continue;
    // Read in the same step as the test: a host may hand the bytes it just read over (see `mayContain`).
    const text = ctx.readText?.(uri);
    if (text === undefined) {
      fromSummary(ctx, uri, term, out);
      continue;
    }
    const offsets = candidates(text, term, english);
    yield;
    if (offsets !== 'all' && offsets.length === 0) continue;
    // The front matter is not read (no YAML parse): only where the body starts matters here.
    pick(uri, offsets === 'all' ? mentionsOf(text, parseNote(text, { maxFrontMatterLength: 0 }).note, lexicon) : mentionsNear(text, lexicon, offsets, term));
  }
  return out;
}

/**
 * A word of each English name that any text mentioning the name holds, lower-case ASCII (its longest,
 * the rarest): a name is matched in the lower-cased text with any spacing, so its words are what every
 * match shares. Undefined when a name is not ASCII (then every note is read).
 */
function englishWords(english: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const name of english) {
    if (/[\u0080-\uffff]/.test(name)) return undefined;
    const word = name.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), '');
    if (word === '') return undefined;
    out.push(word);
  }
  return out;
}

/**
 * Where `text` may mention the term: each place the term or one of its English names occurs as a
 * substring (found natively, no parse). Most notes have none and are skipped without further work.
 */
function candidates(text: string, term: string, english: readonly string[]): number[] | 'all' {
  const out: number[] = [];
  const all = (haystack: string, needle: string) => {
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) out.push(at);
  };
  all(text, term);
  if (english.length > 0) {
    // The matcher's folding (case, tabs and no-break spaces as spaces) keeps every offset in place.
    const lower = text.toLowerCase();
    // A character whose lower case is longer (`İ`) shifts the offsets: then the whole note is scanned.
    if (lower.length !== text.length) return 'all';
    // Three native searches cost less than a regular expression over the note, which most notes need not.
    const spaced = lower.indexOf('\t') >= 0 || lower.indexOf('\u00a0') >= 0 || lower.indexOf('\u3000') >= 0;
    const folded = spaced ? lower.replace(/[\t\u00a0\u3000]/g, ' ') : lower;
    for (const e of english) all(folded, e);
  }
  return out;
}

/** The definitions of `term` in a note that cannot be read, from its summary (which keeps no bold spans). */
function fromSummary(ctx: DocumentContext, uri: string, term: string, out: TermOccurrence[]): void {
  const ds = ctx.index.get(uri)?.definitions;
  if (!ds) return;
  for (let i = 0; i < ds.length; i++) if (ds.term(i) === term) out.push({ uri, range: ds.termRange(i), kind: 'definition' });
}

export function glossaryReferences(ctx: DocumentContext, position: Position, includeDeclaration: boolean): Location[] | undefined {
  return drain(glossaryReferenceSteps(ctx, position, includeDeclaration));
}

/** `glossaryReferences` in steps (see `occurrenceSteps`). */
export function* glossaryReferenceSteps(ctx: DocumentContext, position: Position, includeDeclaration: boolean): Steps<Location[] | undefined> {
  const mention = mentionUnder(ctx, position);
  if (!mention) return undefined;
  const out: Location[] = [];
  for (const term of mention.terms) {
    for (const o of yield* occurrenceSteps(ctx, term)) {
      if (!includeDeclaration && (o.kind === 'definition' || o.kind === 'definition-english')) continue;
      out.push({ uri: o.uri, range: o.range });
    }
  }
  return out;
}

/** Characters a term cannot hold: they would end the bold or start the definition's parenthesis. */
const INVALID_NAME = /[*\r\n（）()]/;

export const glossaryRename: RenameProvider = {
  prepare(ctx, position) {
    const mention = mentionUnder(ctx, position);
    // English names are not renamed here: they belong to a definition's parenthesis, not to the term.
    if (!mention || mention.kind === 'english' || mention.kind === 'definition-english') return undefined;
    return { range: mention.range, placeholder: mention.terms[0]! };
  },
  *renameSteps(ctx, position, newName) {
    const prepared = this.prepare(ctx, position);
    if (!prepared) return undefined;
    const name = newName.trim();
    if (name === '' || INVALID_NAME.test(name)) return undefined;
    const term = prepared.placeholder;
    const plain = ctx.settings.glossary?.renamePlainMentions === true;
    const changes: Record<string, TextEdit[]> = {};
    if (name === term) return { changes };
    for (const o of yield* occurrenceSteps(ctx, term)) {
      if (o.kind === 'english' || o.kind === 'definition-english' || (o.kind === 'plain' && !plain)) continue;
      (changes[o.uri] ??= []).push({ range: o.range, newText: name });
    }
    return { changes } satisfies WorkspaceEdit;
  },
};
