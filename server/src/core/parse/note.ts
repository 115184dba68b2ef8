/**
 * `parseNote(text)`: the one model of a note that every feature reads. It never throws: whatever the
 * input, the result is a model and a list of problems.
 */
import { t } from '../l10n';
import { bodyAround, boldsOfText, parseBody, reparseBody } from './body';
import { DEFAULT_SCALAR_ENTITY_KEYS, entitiesOf } from './entities';
import { parseFrontMatter, type FrontMatterOptions } from './frontMatter';
import { problem } from './problem';
import { dominantEol, Positioner } from './text';
import type { Bold, EntityRef, FrontMatter, NoteBody, NoteModel, ParseResult, Problem } from './types';

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

/**
 * The bold spans of `text` that read exactly `needle`, as `parseNote(text)` finds them, without parsing
 * the front matter, and reading only the lines that hold `needle` when the body has no fenced code (see
 * `boldsOfText`). Never throws: a note it cannot read gives none.
 */
export function boldSpansOf(text: string, needle: string): Bold[] {
  if (needle === '' || typeof text !== 'string') return [];
  const offsets: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) offsets.push(at);
  if (offsets.length === 0) return [];
  try {
    const pos = new Positioner(text);
    const { bodyStart } = parseFrontMatter(text, pos, [], { maxFrontMatterLength: 0 });
    return boldsOfText(text, bodyStart, needle, offsets, pos);
  } catch {
    return [];
  }
}

/**
 * The body of `text` as `parseNote(text)` reads it on the lines that hold `offsets` (see `bodyAround`),
 * without parsing the front matter; with the text's positioner. Never throws: undefined when the note
 * cannot be read so (the caller then parses it whole).
 */
export function bodyNear(text: string, offsets: readonly number[]): { body: NoteBody; pos: Positioner } | undefined {
  try {
    const pos = new Positioner(text);
    const { bodyStart } = parseFrontMatter(text, pos, [], { maxFrontMatterLength: 0 });
    return { body: bodyAround(text, bodyStart, offsets, pos), pos };
  } catch {
    return undefined;
  }
}

function parseUnsafe(text: string, pos: Positioner, problems: Problem[], options: ParseOptions): NoteModel {
  const { frontMatter, bodyStart } = parseFrontMatter(text, pos, problems, options);
  return withBody(text, pos, problems, frontMatter, bodyStart, entitiesOf(frontMatter, scalarKeysOf(options)));
}

function withBody(text: string, pos: Positioner, problems: Problem[], frontMatter: FrontMatter | undefined, bodyStart: number,
  entities: readonly EntityRef[]): NoteModel {
  return modelOf(text, pos, frontMatter, entities, parseBody(text, bodyStart, pos, problems));
}

function modelOf(text: string, pos: Positioner, frontMatter: FrontMatter | undefined, entities: readonly EntityRef[], body: NoteBody): NoteModel {
  return {
    length: text.length,
    lineCount: pos.lineCount,
    hasBom: text.charCodeAt(0) === 0xfeff,
    eol: dominantEol(text),
    frontMatter,
    entities,
    body,
  };
}

function scalarKeysOf(options: ParseOptions): readonly string[] {
  return options.scalarEntityKeys ?? DEFAULT_SCALAR_ENTITY_KEYS;
}

/**
 * A parse of an open note, kept by the server between versions so that the next version can reuse what
 * an edit did not touch (see `reparseNote`). It holds the text it was made from: open notes only.
 */
export interface NoteParse {
  readonly text: string;
  readonly result: ParseResult;
  /**
   * The length of the prefix (up to and including the closing `---` line and its line break) whose parse
   * does not depend on anything after it, or 0 when there is none (no closed front matter).
   */
  readonly frontMatterEnd: number;
  /** How many of `result.problems` come from that prefix (they come first). */
  readonly frontMatterProblems: number;
  readonly scalarKeys: readonly string[];
}

/**
 * Parses `text`, the next version of the note `previous` was parsed from. A keystroke in the body (the
 * usual case: front matter is a few lines at the top of a long note) leaves the front-matter block
 * untouched, so its YAML parse, problems and entities are taken from `previous`, and of the body only
 * the lines the edit touched are read again (see `reparseBody`). The front matter's positions stay valid
 * because everything before them is unchanged too. The result equals `parseNote(text, options)` (a
 * property test checks it on random edit sequences).
 */
export function reparseNote(text: string, options: ParseOptions = {}, previous?: NoteParse): NoteParse {
  const scalarKeys = scalarKeysOf(options);
  if (typeof text !== 'string') text = '';
  if (previous && previous.frontMatterEnd > 0 && sameKeys(previous.scalarKeys, scalarKeys) && text.length >= previous.frontMatterEnd
    && text.startsWith(previous.text.slice(0, previous.frontMatterEnd))) {
    const pos = new Positioner(text);
    const { note, problems: old } = previous.result;
    const problems = old.slice(0, previous.frontMatterProblems);
    try {
      // Only the lines the edit touched, when no fence is involved; else the whole body.
      const body = reparseBody(previous.text, note.body, old.slice(previous.frontMatterProblems), text, pos);
      const model = body
        ? modelOf(text, pos, note.frontMatter, note.entities, body.body)
        : withBody(text, pos, problems, note.frontMatter, previous.frontMatterEnd, note.entities);
      // One at a time: a hostile note can have more problems than a spread into `push` can pass.
      if (body) for (const problem of body.problems) problems.push(problem);
      return { ...previous, text, result: { note: model, problems } };
    } catch {
      // The full parse below reports it.
    }
  }
  const problems: Problem[] = [];
  const pos = new Positioner(text);
  let frontMatterEnd = 0;
  let frontMatterProblems = 0;
  let result: ParseResult;
  try {
    const { frontMatter, bodyStart } = parseFrontMatter(text, pos, problems, options);
    // Reusable only when the block is closed by a `---` line with its line break: then no later text can
    // change where it ends (an edit right after a final `---` without one could turn it into `---x`).
    if (frontMatter?.closed && bodyStart > 0 && text.charCodeAt(bodyStart - 1) === 10) {
      frontMatterEnd = bodyStart;
      frontMatterProblems = problems.length;
    }
    result = { note: withBody(text, pos, problems, frontMatter, bodyStart, entitiesOf(frontMatter, scalarKeys)), problems };
  } catch {
    frontMatterEnd = 0;
    result = parseNote(text, options);
  }
  return { text, result, frontMatterEnd, frontMatterProblems, scalarKeys };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((k, i) => k === b[i]));
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
