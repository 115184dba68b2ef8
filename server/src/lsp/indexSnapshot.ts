/**
 * `notesense/indexSnapshot`: the whole workspace index in a deterministic form (WorkspaceIndex.snapshot),
 * once the current scan has ended. Tests compare it with a cold index of what is on disk after a crash
 * or a burst of file changes; it is large, so clients other than tests have no reason to ask for it.
 */
import type { WorkspaceIndex } from '../core/index/workspaceIndex';
import type { Indexer } from './indexer';

export const INDEX_SNAPSHOT_REQUEST = 'notesense/indexSnapshot';

export async function indexSnapshot(indexer: Indexer, index: WorkspaceIndex): Promise<unknown> {
  await indexer.whenScanned();
  return index.snapshot();
}
