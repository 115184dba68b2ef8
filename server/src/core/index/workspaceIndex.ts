/**
 * The workspace index: one summary per note, and maps derived from them (entity → notes, term →
 * definitions). It is updated one note at a time: `set` removes the note's old contributions and adds
 * its new ones, so no edit ever costs a pass over the whole vault.
 */
import type { NoteSummary } from './summary';

export interface EntityKey {
  readonly key: string;
  readonly value: string;
}

export class WorkspaceIndex {
  private readonly notes = new Map<string, NoteSummary>();
  /** `key\u0000value` → uris of the notes that list it. */
  private readonly entityNotes = new Map<string, Set<string>>();
  /** term → uris of the notes that define it. */
  private readonly termNotes = new Map<string, Set<string>>();

  get size(): number {
    return this.notes.size;
  }

  get(uri: string): NoteSummary | undefined {
    return this.notes.get(uri);
  }

  uris(): IterableIterator<string> {
    return this.notes.keys();
  }

  summaries(): IterableIterator<NoteSummary> {
    return this.notes.values();
  }

  set(summary: NoteSummary): void {
    this.delete(summary.uri);
    this.notes.set(summary.uri, summary);
    for (const e of summary.entities) add(this.entityNotes, entityId(e.key, e.value), summary.uri);
    for (const d of summary.definitions) add(this.termNotes, d.term, summary.uri);
  }

  delete(uri: string): boolean {
    const old = this.notes.get(uri);
    if (!old) return false;
    this.notes.delete(uri);
    for (const e of old.entities) remove(this.entityNotes, entityId(e.key, e.value), uri);
    for (const d of old.definitions) remove(this.termNotes, d.term, uri);
    return true;
  }

  /** Every distinct (key, value) pair with the number of notes that list it. */
  *entities(): Generator<EntityKey & { readonly notes: number }> {
    for (const [id, uris] of this.entityNotes) {
      const i = id.indexOf('\u0000');
      yield { key: id.slice(0, i), value: id.slice(i + 1), notes: uris.size };
    }
  }

  notesListing(key: string, value: string): ReadonlySet<string> {
    return this.entityNotes.get(entityId(key, value)) ?? EMPTY;
  }

  /** Every defined term with the notes that define it. */
  *terms(): Generator<{ readonly term: string; readonly notes: ReadonlySet<string> }> {
    for (const [term, notes] of this.termNotes) yield { term, notes };
  }

  definitionsOf(term: string): Array<NoteSummary['definitions'][number] & { readonly uri: string }> {
    const out: Array<NoteSummary['definitions'][number] & { readonly uri: string }> = [];
    for (const uri of this.termNotes.get(term) ?? EMPTY) {
      for (const d of this.notes.get(uri)?.definitions ?? []) if (d.term === term) out.push({ ...d, uri });
    }
    return out;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function entityId(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function add(map: Map<string, Set<string>>, id: string, uri: string): void {
  let set = map.get(id);
  if (!set) map.set(id, (set = new Set()));
  set.add(uri);
}

function remove(map: Map<string, Set<string>>, id: string, uri: string): void {
  const set = map.get(id);
  if (!set) return;
  set.delete(uri);
  if (set.size === 0) map.delete(id);
}
