/**
 * The definitions of a term across the vault, as features need them: the note being edited read from
 * its fresh parse (the index may lag one keystroke behind), every other note from the index.
 */
import type { Range } from 'vscode-languageserver-types';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { NoteModel } from '../parse/types';
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
  const out: TermDefinition[] = [];
  for (const d of index.definitionsOf(term)) {
    if (current && d.uri === current.uri) continue;
    out.push({ uri: d.uri, term: d.term, english: d.english, definition: d.definition, range: d.range, termRange: d.termRange });
  }
  if (current) {
    for (const d of current.note.body.definitions) {
      if (d.term !== term) continue;
      out.push({
        uri: current.uri, term: d.term, english: d.english, definition: d.definition, range: d.loc.range,
        termRange: d.termLoc.range, ...(d.englishLoc ? { englishRange: d.englishLoc.range } : {}),
      });
    }
  }
  return sortDefinitions(index, out, current?.uri);
}

/**
 * The order definitions are shown and jumped to in: the current note's first, then the oldest note
 * (by its date) — usually where the author first explained the term — then by uri and position.
 */
export function sortDefinitions(index: WorkspaceIndex, defs: TermDefinition[], currentUri?: string): TermDefinition[] {
  const date = (uri: string) => index.dateOf(uri) ?? '\uffff';
  return defs.sort((a, b) =>
    Number(b.uri === currentUri) - Number(a.uri === currentUri) ||
    date(a.uri).localeCompare(date(b.uri)) ||
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character);
}

/**
 * Whether two definitions of one term say different things. An English-only definition (`**术语**（Term）`)
 * has no text to disagree with; different English names for the same term do disagree.
 */
export function differ(a: Pick<TermDefinition, 'english' | 'definition'>, b: Pick<TermDefinition, 'english' | 'definition'>): boolean {
  if (a.definition && b.definition && normalizeDefinition(a.definition) !== normalizeDefinition(b.definition)) return true;
  return !!a.english && !!b.english && foldEnglish(a.english) !== foldEnglish(b.english);
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
