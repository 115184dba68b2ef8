import type { TermDefinition } from '../../server/src/core/glossary/definitions';
import type { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex';

/** A definition as plain data, to compare lists whatever objects hold them. */
export function plainDefinition(d: TermDefinition) {
  return { uri: d.uri, term: d.term, english: d.english, definition: d.definition, range: d.range, termRange: d.termRange };
}

/**
 * What `definitionsOf(index, term)` is defined to be, computed the slow way: every definition of the
 * term in the index, by note date (undated last), uri and position.
 */
export function referenceDefinitions(index: WorkspaceIndex, term: string) {
  const date = (uri: string) => index.dateOf(uri) ?? '\uffff';
  return index.definitionsOf(term).sort((a, b) =>
    date(a.uri).localeCompare(date(b.uri)) ||
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character).map(plainDefinition);
}
