/**
 * Every entity of an index with its kind, note count and keys: what `notesense entities` prints.
 * Sorted by kind, then most used first, then by value, so the output is stable for scripts and diffs.
 */
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { preferredSpelling } from './diagnostics';

export interface EntityRow {
  readonly kind: string;
  readonly value: string;
  /** Notes that list it. */
  readonly notes: number;
  /** How many times each key lists it. */
  readonly keys: Readonly<Record<string, number>>;
  /** The most used spelling when this one is a near duplicate of it. */
  readonly nearDuplicateOf?: string;
}

export function listEntities(index: WorkspaceIndex): EntityRow[] {
  const rows: EntityRow[] = [];
  for (const info of index.entityInfos()) {
    const best = preferredSpelling(index, info);
    rows.push({
      kind: info.kind,
      value: info.value,
      notes: info.notes.size,
      keys: Object.fromEntries([...info.keys].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      ...(best.value !== info.value ? { nearDuplicateOf: best.value } : {}),
    });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.kind, b.kind) || b.notes - a.notes || cmp(a.value, b.value));
}
