/**
 * The caches that features keep in step with the index, made when a host starts; and the one-time work
 * of the first requests (`warmUp`).
 *
 * The glossary's lexicon (and the definition lists hovers asked for), the schema's statistics of the
 * vault, entity recency and the completion caches each follow the index through the notes that change
 * (see `watchIndex`). A request brings them up to date before it reads them, so after a scan round of
 * hundreds of notes the next request paid for all of them (~0.2 ms a note at 10,000 notes: hovers
 * waited ~80 ms during a cold index), and the first hover after a start heard of every note at once
 * (1.1–1.6 s). A host instead makes them before any note arrives (`followIndex`) and catches them up in
 * short slices between its own (`catchUpIndex`, index/changes.ts): a request then finds little or nothing
 * left to do.
 */
import { recencyVersion } from '../entities/recency';
import { glossaryCompletionPrepared, prepareGlossaryCompletion } from '../glossary/completion';
import { lexiconOf } from '../glossary/lexicon';
import { foldCode } from '../glossary/matcher';
import type { ShouldStop } from '../index/changes';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { vaultView } from '../schema/infer';

/**
 * Makes the caches that every note changes (the lexicon, the schema's statistics, recency), so that
 * they follow `index` from now on. Cheap on an empty index; on a full one, it is the first request's
 * work done now.
 */
export function followIndex(index: WorkspaceIndex): void {
  lexiconOf(index);
  vaultView(index);
  recencyVersion(index);
}

/**
 * Makes, in slices, what the first request after a change of the vocabulary would otherwise make on its
 * way: glossary completion's terms in order with their pinyin (~0.3 s at 10,000 notes, which the first
 * `**` after a start waited for). True when done, false when `shouldStop` stopped it (call again to go
 * on). A host calls it once the caches caught up with the index (`catchUpIndex`).
 */
export function prepareFeatures(index: WorkspaceIndex, shouldStop: ShouldStop): boolean {
  return prepareGlossaryCompletion(index, shouldStop);
}

/** Whether what `prepareFeatures` makes is made for the vocabulary as the index holds it now. */
export function featuresPrepared(index: WorkspaceIndex): boolean {
  return glossaryCompletionPrepared(index);
}

/**
 * Builds what the first hover or completion would otherwise build on its way: the matcher's
 * case-folding table. A host calls it once at start, before it answers its first request. The pinyin
 * library is loaded apart, when the host chooses (`warmUpPinyin`): a restart needs it only once its
 * index is ready.
 */
export function warmUp(): void {
  foldCode(0);
}
