/**
 * `parseNote(text)`: the one model of a note that every feature reads. It never throws: whatever the
 * input, the result is a model and a list of problems.
 */
import { t } from '../l10n';
import { parseBody } from './body';
import { DEFAULT_SCALAR_ENTITY_KEYS, entitiesOf } from './entities';
import { parseFrontMatter, type FrontMatterOptions } from './frontMatter';
import { problem } from './problem';
import { dominantEol, Positioner } from './text';
import type { NoteModel, ParseResult, Problem } from './types';

export interface ParseOptions extends FrontMatterOptions {
  /** Keys whose scalar string value is an entity (default: guest, speaker). */
  readonly scalarEntityKeys?: readonly string[];
}

export function parseNote(text: string, options: ParseOptions = {}): ParseResult {
  const problems: Problem[] = [];
  const pos = new Positioner(typeof text === 'string' ? text : '');
  try {
    return { note: parseUnsafe(pos.text, pos, problems, options), problems };
  } catch (e) {
    // A bug of ours must not take the server down with it: report it on the first line and move on.
    const message = e instanceof Error ? e.message : String(e);
    const all = [...problems, problem(pos, 'internal-error', t('NoteSense could not read this note: {0}', message), 0, 0)];
    return { note: emptyModel(pos), problems: all };
  }
}

function parseUnsafe(text: string, pos: Positioner, problems: Problem[], options: ParseOptions): NoteModel {
  const { frontMatter, bodyStart } = parseFrontMatter(text, pos, problems, options);
  const body = parseBody(text, bodyStart, pos, problems);
  return {
    length: text.length,
    lineCount: pos.lineCount,
    hasBom: text.charCodeAt(0) === 0xfeff,
    eol: dominantEol(text),
    frontMatter,
    entities: entitiesOf(frontMatter, options.scalarEntityKeys ?? DEFAULT_SCALAR_ENTITY_KEYS),
    body,
  };
}

function emptyModel(pos: Positioner): NoteModel {
  return {
    length: pos.text.length,
    lineCount: pos.lineCount,
    hasBom: false,
    eol: '\n',
    frontMatter: undefined,
    entities: [],
    body: { start: 0, headings: [], bolds: [], definitions: [], code: [] },
  };
}
