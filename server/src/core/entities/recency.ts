/**
 * The most recent notes listing each entity, kept per index and updated note by note, for completion
 * (which ranks by recency and shows the three most recent notes of each item) and hover.
 *
 * `WorkspaceIndex.recentNotes` sorts every note of the entity on each call and reads each note's date
 * with a regular expression; for a tag listed by thousands of notes and a hundred completion items that
 * was most of a completion's time. Here each entity's most recent notes are computed once and then
 * kept: a note that enters an entity's most recent (a scan brings thousands) takes its place there, a
 * changed note drops the entities whose most recent notes it was among or whose oldest date it had, and
 * a change that keeps the note's date and title (typing in its body) drops nothing.
 */
import { noteDate } from '../index/entityKinds';
import type { NoteSummary } from '../index/summary';
import { entityIdsOf, type EntityInfo, type WorkspaceIndex } from '../index/workspaceIndex';
import { watchIndex } from '../index/changes';

export interface RecentNote {
  readonly uri: string;
  readonly title: string | undefined;
  readonly date: string | undefined;
}

/** How many recent notes are kept per entity (completion shows 3, hover 5). */
export const KEPT_RECENT = 5;

interface State {
  /** Brings the state up to date with the index. */
  sync: () => boolean;
  /** entity id → its most recent notes, most recent first (at most `KEPT_RECENT`), and its oldest date. */
  readonly recent: Map<string, Kept>;
  /** Incremented whenever a kept entry is dropped or replaced: what was read from the kept entries before may be stale. */
  version: number;
}

interface Kept {
  readonly top: RecentNote[];
  /** The oldest date of a note listing the entity (undefined when none is dated). */
  readonly first: string | undefined;
}

const states = new WeakMap<WorkspaceIndex, State>();

/** The order of `WorkspaceIndex.recentNotes`: date descending (undated last), then uri. */
function before(a: RecentNote, b: RecentNote): boolean {
  const da = a.date ?? '';
  const db = b.date ?? '';
  if (da !== db) return da > db;
  return a.uri < b.uri;
}

const NO_IDS: readonly string[] = [];

function idsOf(summary: NoteSummary | undefined): readonly string[] {
  return summary ? entityIdsOf(summary) : NO_IDS;
}

function noteChanged(state: State, old: NoteSummary | undefined, now: NoteSummary | undefined): void {
  if (state.recent.size === 0) return;
  const uri = (now ?? old)!.uri;
  const oldIds = idsOf(old);
  const newIds = idsOf(now);
  const oldDate = old && noteDate(uri, old.date);
  const entry: RecentNote | undefined = now && { uri, title: now.title, date: noteDate(uri, now.date) };
  const same = !!old && !!entry && oldDate === entry.date && old.title === entry.title;
  // The ids are distinct within a note and shared between summaries (the index's own strings), and a
  // note lists a few dozen: a search of the other list costs less than a set per note (a scan changes
  // tens of thousands of notes). An id listed before and now is looked at once, in the first pass. The
  // passes are told apart by number: when the entities did not change, the index gives the new summary
  // the old one's id list itself (the same array), and told apart by list each pass took the other's
  // part, so no id was looked at and a new title or date never reached the kept notes.
  for (let pass = 0; pass < 2; pass++) {
    const ids = pass === 0 ? oldIds : newIds;
    for (const id of ids) {
      if (pass === 1 && oldIds.includes(id)) continue;
      const kept = state.recent.get(id);
      if (!kept) continue;
      const wasListed = pass === 0 || oldIds.includes(id);
      const isListed = pass === 1 || newIds.includes(id);
      // Still listed, with the same date and title: nothing an entity's recent notes show has changed.
      if (same && wasListed && isListed) continue;
      const { top, first } = kept;
      // The note was among the most recent, or had the oldest date: which note takes its place is known
      // only by looking at all of the entity's notes again, when next asked.
      if (top.some((r) => r.uri === uri) || (wasListed && oldDate !== undefined && oldDate === first)) {
        drop(state, id);
        continue;
      }
      if (!entry || !isListed) continue;
      // Otherwise the note only adds itself (the usual case of a scan): among the most recent, or as the
      // oldest date, or neither. The entry is replaced, never changed, for callers that hold its lists.
      const enters = top.length < KEPT_RECENT || before(entry, top[top.length - 1]!);
      const older = entry.date !== undefined && (first === undefined || entry.date < first);
      if (!enters && !older) continue;
      let next = top;
      if (enters) {
        next = top.slice();
        let i = next.length;
        while (i > 0 && before(entry, next[i - 1]!)) i--;
        next.splice(i, 0, entry);
        if (next.length > KEPT_RECENT) next.pop();
      }
      state.recent.set(id, { top: next, first: older ? entry.date : first });
      state.version++;
    }
  }
}

function drop(state: State, id: string): void {
  state.recent.delete(id);
  state.version++;
}

function stateOf(index: WorkspaceIndex): State {
  let state = states.get(index);
  if (!state) {
    const s: State = { sync: () => false, recent: new Map(), version: 0 };
    s.sync = watchIndex(index, (old, now) => noteChanged(s, old, now));
    states.set(index, (state = s));
  }
  state.sync();
  return state;
}

function keptOf(index: WorkspaceIndex, info: EntityInfo): Kept {
  const state = stateOf(index);
  let kept = state.recent.get(info.id);
  if (!kept) {
    const top: RecentNote[] = [];
    let first: string | undefined;
    for (const uri of info.notes.keys()) {
      const summary = index.get(uri);
      const r: RecentNote = { uri, title: summary?.title, date: summary ? noteDate(uri, summary.date) : undefined };
      if (r.date !== undefined && (first === undefined || r.date < first)) first = r.date;
      if (top.length === KEPT_RECENT && !before(r, top[KEPT_RECENT - 1]!)) continue;
      let i = top.length;
      while (i > 0 && before(r, top[i - 1]!)) i--;
      top.splice(i, 0, r);
      if (top.length > KEPT_RECENT) top.pop();
    }
    kept = { top, first };
    state.recent.set(info.id, kept);
  }
  return kept;
}

/** The `limit` (at most `KEPT_RECENT`) most recent notes listing the entity: `index.recentNotes(info, limit)`. */
export function recentNotesOf(index: WorkspaceIndex, info: EntityInfo, limit = KEPT_RECENT): readonly RecentNote[] {
  const { top } = keptOf(index, info);
  return limit >= top.length ? top : top.slice(0, limit);
}

/** The date of the most recent note listing the entity (`index.lastDate(info)`). */
export function lastDateOf(index: WorkspaceIndex, info: EntityInfo): string | undefined {
  return keptOf(index, info).top[0]?.date;
}

/** The oldest date of a note listing the entity (`index.datesOf(info)[0]`). */
export function firstDateOf(index: WorkspaceIndex, info: EntityInfo): string | undefined {
  return keptOf(index, info).first;
}

/**
 * A number that changes whenever a date or recent note `lastDateOf`, `firstDateOf` or `recentNotesOf`
 * answered may have changed: a caller may keep what they answered about an entity while it stays the same.
 */
export function recencyVersion(index: WorkspaceIndex): number {
  return stateOf(index).version;
}
