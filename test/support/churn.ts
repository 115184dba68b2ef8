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

/** `text` with a new title or date line (when it has one), nothing else changed. */
function retouched(text: string, next: () => number, step: number): string {
  return next() < 0.5
    ? text.replace(/^title:.*$/m, `title: 改题${step}`)
    : text.replace(/^date:.*$/m, `date: 2023-1${Math.floor(next() * 3)}-2${Math.floor(next() * 9)}`);
}

export interface ChurnState {
  readonly index: WorkspaceIndex;
  /** The current text of every note in the index. */
  readonly texts: Map<string, string>;
  readonly step: number;
}

/**
 * Random additions, edits and removals among `noteCount` notes, one change a step, applied to one index
 * note by note (some edits change only a note's title or date); `check` runs every third step, so that
 * caches are updated in place between questions.
 */
export function churn(next: () => number, steps: number, noteCount: number, noteText: (next: () => number, step: number) => string,
  check: (state: ChurnState) => void): void {
  const index = new WorkspaceIndex();
  const texts = new Map<string, string>();
  for (let step = 0; step < steps; step++) {
    const uri = `file:///vault/n${Math.floor(next() * noteCount)}.md`;
    const roll = texts.has(uri) ? next() : 1;
    if (roll < 0.2) {
      index.delete(uri);
      texts.delete(uri);
    } else if (roll < 0.36) {
      // Only the title or the date changes, every list as it was: the index keeps the note's entity ids.
      const text = retouched(texts.get(uri)!, next, step);
      texts.set(uri, text);
      index.set(summarize(uri, parseNote(text).note));
    } else {
      const text = noteText(next, step);
      texts.set(uri, text);
      index.set(summarize(uri, parseNote(text).note));
    }
    if (step % 3 === 0) check({ index, texts, step });
  }
}
