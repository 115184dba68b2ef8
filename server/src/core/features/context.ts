/**
 * What every feature receives: the note being edited (its text and model) and the workspace index of
 * all notes. Features are pure, synchronous functions of this context and a position.
 */
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { NoteModel, Problem } from '../parse/types';
import type { UserSchema } from '../schema/userSchema';

export interface CoreSettings {
  /** Keys whose scalar string value is an entity, besides lists (default: guest, speaker). */
  readonly scalarEntityKeys: readonly string[];
  /** `notesense.glossary.*`: whether renaming a term also renames its plain (not bold) mentions. */
  readonly glossary?: { readonly renamePlainMentions: boolean };
  /** User front-matter schemas (`.notesense/schema.yaml`, `notesense.schema`), compiled, one per folder. */
  readonly schemas?: readonly UserSchema[];
  /** `notesense.entityKeys`: list keys whose items are entities. */
  readonly entityKeys?: readonly string[];
  /** `notesense.completion.*`: whether completion matches Chinese names by pinyin. */
  readonly completion?: { readonly pinyin: boolean };
  /**
   * Whether diagnostics carry their related locations (the other notes' definitions of a conflicting
   * term, where a preferred spelling is used…); on unless false. The CLI prints none of them, and
   * making them (each a range and a described definition) was ~15% of checking a vault of 10,000 notes.
   */
  readonly relatedInformation?: boolean;
}

/** Whether diagnostics made under `settings` carry related locations (see `CoreSettings.relatedInformation`). */
export function wantsRelatedInformation(settings: CoreSettings): boolean {
  return settings.relatedInformation !== false;
}

export const DEFAULT_CORE_SETTINGS: CoreSettings = {
  scalarEntityKeys: ['guest', 'speaker'],
};

export interface DocumentContext {
  readonly uri: string;
  readonly text: string;
  readonly note: NoteModel;
  /** The parse problems of the note. */
  readonly problems: readonly Problem[];
  readonly index: WorkspaceIndex;
  readonly settings: CoreSettings;
  /**
   * The current text of another note (the open buffer, else the file), or undefined when it cannot be
   * read. The index keeps no texts; features that must look into other notes' bodies (glossary
   * references and rename) read them through this, on demand.
   */
  readonly readText?: (uri: string) => string | undefined;
  /**
   * Whether another note may contain one of `exact` as written, or one of `caseless` (lower-case ASCII)
   * with its letters in either case: false only when it certainly holds none. The host answers from the
   * file's bytes without decoding them (true for a note open in the editor, which `readText` serves), so
   * a feature that searches every note reads the text of only those that may hold what it looks for.
   */
  readonly mayContain?: (uri: string, exact: readonly string[], caseless: readonly string[]) => boolean;
}
