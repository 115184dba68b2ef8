/**
 * The entity fixture vault in memory: every note parsed and indexed, and a DocumentContext for any
 * note (optionally with edited text, which replaces the note in the index as an open buffer would).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { fixturesDir } from '../../support/paths';

export const VAULT = path.join(fixturesDir, 'entities', 'vault');

/** `file:///vault/<relative path>`: stable uris that do not depend on the machine. */
export const uriOf = (relative: string) => 'file:///vault/' + relative.split('/').map(encodeURIComponent).join('/');

function walk(dir: string, rel = '', out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(p).isDirectory()) walk(p, r, out);
    else if (name.endsWith('.md') && name !== 'README.md') out.push(r);
  }
  return out;
}

/** The notes as an editor shows them (BOM removed), by relative path. */
export function vaultTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const rel of walk(VAULT)) {
    let text = readFileSync(path.join(VAULT, rel), 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    texts.set(rel, text);
  }
  return texts;
}

export class TestVault {
  readonly index = new WorkspaceIndex();
  readonly texts: Map<string, string>;
  constructor(texts = vaultTexts()) {
    this.texts = new Map(texts);
    for (const [rel, text] of this.texts) this.index.set(summarize(uriOf(rel), parseNote(text).note));
  }

  /** Replaces a note (as typing in its buffer does) and returns its context. */
  edit(relative: string, text: string): DocumentContext {
    this.texts.set(relative, text);
    this.index.set(summarize(uriOf(relative), parseNote(text).note));
    return this.ctx(relative);
  }

  ctx(relative: string): DocumentContext {
    const text = this.texts.get(relative);
    if (text === undefined) throw new Error(`no note ${relative}`);
    const { note, problems } = parseNote(text);
    const byUri = new Map([...this.texts].map(([r, t]) => [uriOf(r), t]));
    return { uri: uriOf(relative), text, note, problems, index: this.index, settings: DEFAULT_CORE_SETTINGS, readText: (u: string) => byUri.get(u) };
  }
}
