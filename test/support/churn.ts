import { summarize } from '../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../server/src/core/parse/note';

/** A small deterministic generator (sfc-like), so that a failing random test can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    s ^= s >>> 12;
    return (s >>> 0) / 4294967296;
  };
}

export interface ChurnState {
  readonly index: WorkspaceIndex;
  /** The current text of every note in the index. */
  readonly texts: Map<string, string>;
  readonly step: number;
}

/**
 * Random additions, edits and removals among `noteCount` notes, one change a step, applied to one index
 * note by note; `check` runs every third step, so that caches are updated in place between questions.
 */
export function churn(next: () => number, steps: number, noteCount: number, noteText: (next: () => number, step: number) => string,
  check: (state: ChurnState) => void): void {
  const index = new WorkspaceIndex();
  const texts = new Map<string, string>();
  for (let step = 0; step < steps; step++) {
    const uri = `file:///vault/n${Math.floor(next() * noteCount)}.md`;
    if (texts.has(uri) && next() < 0.2) {
      index.delete(uri);
      texts.delete(uri);
    } else {
      const text = noteText(next, step);
      texts.set(uri, text);
      index.set(summarize(uri, parseNote(text).note));
    }
    if (step % 3 === 0) check({ index, texts, step });
  }
}
