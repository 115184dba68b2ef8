/** Shared set-up for the schema tests: a vault of clean notes in the index, and a note checked against it. */
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { problemsOf } from '../../../server/src/core/features/diagnostics';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import type { Problem } from '../../../server/src/core/parse/types';
import { fixAllEdits } from '../../../server/src/core/schema/codeActions';
import type { Fix } from '../../../server/src/core/schema/edits';
import type { UserSchema } from '../../../server/src/core/schema/userSchema';
import { readFixture } from '../../support/paths';

export const CLEAN = readFixture('schema', 'clean.md');

/**
 * Twelve clean notes made from `clean.md`: every key in every note, `status` evergreen ×6, budding ×4,
 * seedling ×2, so that inference makes every key required and `status` a closed set.
 */
export function cleanVault(count = 12): WorkspaceIndex {
  const index = new WorkspaceIndex();
  const statuses = ['evergreen', 'evergreen', 'budding', 'evergreen', 'budding', 'seedling', 'evergreen', 'budding', 'evergreen', 'seedling', 'budding', 'evergreen'];
  for (let i = 0; i < count; i++) {
    const text = CLEAN.replace('status: evergreen', `status: ${statuses[i % statuses.length]}`).replace('规模定律的账本', `笔记 ${i}`);
    index.set(summarize(`file:///vault/clean-${i}.md`, parseNote(text).note));
  }
  return index;
}

export function contextOf(text: string, options: { index?: WorkspaceIndex; uri?: string; schemas?: readonly UserSchema[] } = {}): DocumentContext {
  const index = options.index ?? cleanVault();
  const uri = options.uri ?? 'file:///vault/note.md';
  const { note, problems } = parseNote(text);
  // As in the server: the note being checked is in the index too (its own values must not count).
  index.set(summarize(uri, note));
  return { uri, text, note, problems, index, settings: { ...DEFAULT_CORE_SETTINGS, ...(options.schemas ? { schemas: options.schemas } : {}) } };
}

export function check(text: string, options: Parameters<typeof contextOf>[1] = {}): Problem[] {
  return problemsOf(contextOf(text, options));
}

export function fixesOf(p: Problem): Fix[] {
  return ((p.data as { fixes?: Fix[] } | undefined)?.fixes) ?? [];
}

export function fixAll(text: string, options: Parameters<typeof contextOf>[1] = {}) {
  return fixAllEdits(contextOf(text, options));
}

export function only(problems: readonly Problem[], code: string): Problem[] {
  return problems.filter((p) => p.code === code);
}
