/**
 * The definitions of a term across the vault, as features need them: the note being edited read from
 * its fresh parse (the index may lag one keystroke behind), every other note from the index.
 */
import type { Range } from 'vscode-languageserver-types';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Definition, NoteModel } from '../parse/types';
import { positionsOf } from '../lists';
import { compareDefinitions, IndexedDefinition, indexedDefinitionsOf, wordingOf, type Wording } from './lexicon';
import { foldEnglish, normalizeDefinition } from './normalize';

export interface TermDefinition {
  readonly uri: string;
  readonly term: string;
  readonly english: string | undefined;
  readonly definition: string;
  /** The whole definition. */
  readonly range: Range;
  readonly termRange: Range;
  /** Only known for the note being edited. */
  readonly englishRange?: Range;
}

/** The note a feature runs in, when there is one. */
export interface CurrentNote {
  readonly uri: string;
  readonly note: NoteModel;
}

export function definitionsOf(index: WorkspaceIndex, term: string, current?: CurrentNote): TermDefinition[] {
  // The other notes' definitions come from a per-term list kept in display order by the lexicon (see
  // `indexedDefinitionsOf`); the current note's, read fresh from its parse, lead.
  const indexed = indexedDefinitionsOf(index, term);
  if (!current) return [...indexed];
  const own = ownDefinitionsOf(current, term);
  for (const d of indexed) if (d.uri !== current.uri) own.push(d);
  return own;
}

/** The current note's definitions of `term`, from its parse, in the note's order (what `definitionsOf` puts first). */
export function ownDefinitionsOf(current: CurrentNote, term: string): TermDefinition[] {
  const own: TermDefinition[] = [];
  for (const d of definitionsIn(current.note.body.definitions, term)) {
    own.push({
      uri: current.uri, term: d.term, english: d.english, definition: d.definition, range: d.loc.range,
      termRange: d.termLoc.range, ...(d.englishLoc ? { englishRange: d.englishLoc.range } : {}),
    });
  }
  own.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return own;
}

/** The definitions of `term` among a parse's, in order (a glossary note of thousands gets a map: `positionsOf`). */
function definitionsIn(defs: readonly Definition[], term: string): Definition[] {
  return positionsOf(defs, term, termOf).map((i) => defs[i]!);
}

const termOf = (d: Definition) => d.term;

/**
 * The order definitions are shown and jumped to in: the current note's first, then the oldest note
 * (by its date) — usually where the author first explained the term — then by uri and position.
 */
export function sortDefinitions(index: WorkspaceIndex, defs: TermDefinition[], currentUri?: string): TermDefinition[] {
  // Each note's date is looked up once, not in every comparison.
  const dates = new Map<string, string>();
  for (const d of defs) if (!dates.has(d.uri)) dates.set(d.uri, index.dateOf(d.uri) ?? '\uffff');
  const keyed = defs.map((d) => {
    const start = d instanceof IndexedDefinition ? d : d.range.start;
    return { d, uri: d.uri, date: dates.get(d.uri)!, line: start.line, character: start.character };
  });
  keyed.sort((a, b) => Number(b.uri === currentUri) - Number(a.uri === currentUri) || compareDefinitions(a, b));
  for (let i = 0; i < keyed.length; i++) defs[i] = keyed[i]!.d;
  return defs;
}

type DefinitionText = Pick<TermDefinition, 'english' | 'definition'>;

/** The comparison forms of a definition: an indexed one's are kept, a parsed one's made here. */
function wordingOfDefinition(d: DefinitionText): Wording {
  if (d instanceof IndexedDefinition) return d.wording;
  return { text: d.definition ? normalizeDefinition(d.definition) : undefined, name: d.english ? foldEnglish(d.english) : undefined };
}

/**
 * `differFrom(a)` with a key for `a`'s comparison forms: two definitions with the same key differ from
 * exactly the same definitions (`differFrom` reads nothing else of them).
 */
export function comparisonOf(a: DefinitionText): { readonly key: string; readonly differs: (b: DefinitionText) => boolean } {
  const { text, name } = wordingOfDefinition(a);
  // A form that is absent matches anything; an empty one is a form: they are told apart.
  const key = `${text === undefined ? '\u0001' : `\u0002${text}`}\u0000${name === undefined ? '\u0001' : `\u0002${name}`}`;
  return { key, differs: differFromWording(wordingOf(text, name)) };
}

/**
 * Whether two definitions of one term say different things. An English-only definition (`**术语**（Term）`)
 * has no text to disagree with; different English names for the same term do disagree.
 */
export function differ(a: DefinitionText, b: DefinitionText): boolean {
  return differFrom(a)(b);
}

/**
 * `differ(a, ·)` with `a`'s comparison forms computed once, for comparing one definition with many;
 * the definitions of the index carry theirs already.
 */
export function differFrom(a: DefinitionText): (b: DefinitionText) => boolean {
  // The shared wording when there is one, so that a definition worded the same is one comparison.
  const forms = wordingOfDefinition(a);
  return differFromWording(wordingOf(forms.text, forms.name));
}

function differFromWording(wording: Wording): (b: DefinitionText) => boolean {
  const { text, name } = wording;
  return (b) => {
    const w = wordingOfDefinition(b);
    if (w === wording) return false;
    if (text !== undefined && w.text !== undefined && text !== w.text) return true;
    return name !== undefined && w.name !== undefined && name !== w.name;
  };
}

/** The file name of a note's uri, decoded, for labels. */
export function fileName(uri: string): string {
  const base = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}
