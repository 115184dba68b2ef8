/**
 * Schema inference from the vault. Statistics per key (how many notes have it, the classes of its values,
 * its scalar values) are kept per index and brought up to date by comparing summary objects: the index
 * replaces a note's summary whenever the note changes, so an unchanged note costs one identity check and
 * a changed one costs its own keys, never a pass over every value of the vault.
 *
 * A note is always checked against the other notes: its own values must not vote for themselves (a typo
 * would otherwise be an allowed value the moment it is typed).
 */
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { NoteSummary } from '../index/summary';
import { watchIndex } from '../index/changes';
import { BUILTIN_KEYS } from './builtin';
import type { EffectiveSchema, FieldType, KeyRule } from './types';
import { classify, type ValueClass } from './values';

interface KeyStat {
  notes: number;
  readonly classes: Map<ValueClass, number>;
  readonly values: Map<string, number>;
  /** How many times `values` changed: what `top` was computed at. */
  changes: number;
  /** The most used values of a key with many (see `topOf`), as of `changes`. */
  top: { readonly changes: number; readonly values: ReadonlyMap<string, number> } | undefined;
}

/** The least number of other notes from which anything is inferred. */
export const MIN_NOTES = 3;
/** Share of notes that must have a key for it to be required. */
export const REQUIRED_SHARE = 0.9;
/** Share of the non-empty values that must agree on a type. */
export const TYPE_SHARE = 0.8;
/** A value is required (never empty) only when this many other notes all fill it in. */
const MIN_NONEMPTY_NOTES = 10;
const MAX_ENUM_VALUES = 8;
const MIN_ENUM_USES = 10;

/** The note's fields, each key once (a duplicated key counts once: the parser reports the duplicate). */
function fieldsOf(s: NoteSummary): NoteSummary['fields'] {
  const seen = new Set<string>();
  return s.fields.filter((f) => !seen.has(f.key) && (seen.add(f.key), true));
}

/**
 * Counts a note's fields (`fieldsOf`) in (`sign` 1) or out (-1), but those of the keys in `unchanged`.
 * Returns how the number of notes with front matter changes.
 */
function add(stats: Map<string, KeyStat>, fields: NoteSummary['fields'], sign: 1 | -1, unchanged?: ReadonlySet<string>): number {
  if (fields.length === 0) return 0;
  for (const f of fields) {
    if (unchanged?.has(f.key)) continue;
    let k = stats.get(f.key);
    if (!k) stats.set(f.key, (k = { notes: 0, classes: new Map(), values: new Map(), changes: 0, top: undefined }));
    k.notes += sign;
    const c = classify(f.kind, f.scalar);
    k.classes.set(c, (k.classes.get(c) ?? 0) + sign);
    if (typeof f.scalar === 'string' && c !== 'empty') {
      k.values.set(f.scalar, (k.values.get(f.scalar) ?? 0) + sign);
      k.changes++;
    }
    if (k.notes === 0) stats.delete(f.key);
  }
  return sign;
}

/**
 * The keys whose field is the same in both versions of a note (same kind and scalar): a change of the note
 * (typing in its body, most edits) neither takes them out of the statistics nor puts them back, so the
 * most used values kept for them (see `topOf`) stay valid.
 */
function unchangedKeys(before: NoteSummary['fields'], after: NoteSummary['fields']): Set<string> {
  const old = new Map(before.map((f) => [f.key, f]));
  const same = new Set<string>();
  for (const f of after) {
    const o = old.get(f.key);
    if (o && o.kind === f.kind && o.scalar === f.scalar) same.add(f.key);
  }
  return same;
}

class Incremental {
  readonly stats = new Map<string, KeyStat>();
  notes = 0;
  /** Brings the statistics up to date with the notes changed since the last call (see `watchIndex`). */
  readonly refresh: () => void;

  constructor(index: WorkspaceIndex) {
    this.refresh = watchIndex(index, (before, after) => {
      const old = before && fieldsOf(before);
      const now = after && fieldsOf(after);
      const unchanged = old && now ? unchangedKeys(old, now) : undefined;
      if (old) this.notes += add(this.stats, old, -1, unchanged);
      if (now) this.notes += add(this.stats, now, 1, unchanged);
    });
  }
}

const cache = new WeakMap<WorkspaceIndex, Incremental>();

/** What the vault says about one key, seen from one note (whose own values are left out). */
export interface KeyUsage {
  readonly key: string;
  /** Notes (other than the excluded one) that have the key. */
  readonly notes: number;
  readonly classes: ReadonlyMap<ValueClass, number>;
  /** Non-empty scalar string values with the number of notes that use them, most used first. */
  readonly values: ReadonlyArray<readonly [string, number]>;
  /** True when the key has too many distinct values to list: `values` holds only the most used. */
  readonly open: boolean;
}

/** The statistics of the vault, optionally without one note. */
export class VaultView {
  /** The excluded note's fields by key (looked up for every key, so indexed once). */
  private readonly own: ReadonlyMap<string, NoteSummary['fields'][number]>;

  constructor(private readonly base: Incremental, private readonly excluded: NoteSummary | undefined) {
    this.own = new Map(excluded ? fieldsOf(excluded).map((f) => [f.key, f]) : []);
  }

  /** Notes with front matter. */
  get notes(): number {
    return this.base.notes - (this.excluded && this.excluded.fields.length > 0 ? 1 : 0);
  }

  /** Notes other than the excluded one that have `key` (cheaper than `usage`). */
  count(key: string): number {
    return (this.base.stats.get(key)?.notes ?? 0) - (this.own.has(key) ? 1 : 0);
  }

  keys(): string[] {
    return [...this.base.stats.keys()].filter((k) => this.count(k) > 0);
  }

  usage(key: string): KeyUsage {
    const k = this.base.stats.get(key);
    const classes = new Map(k?.classes ?? []);
    // Free-text keys (titles, summaries) have one value per note: copying and sorting all of them on every
    // check would cost a pass over the vault, so only the few most used are kept for them.
    const many = (k?.values.size ?? 0) > MANY_VALUES;
    const values = many ? new Map(topOf(k!)) : new Map(k?.values ?? []);
    let notes = k?.notes ?? 0;
    const f = this.own.get(key);
    if (f) {
      notes--;
      const c = classify(f.kind, f.scalar);
      classes.set(c, (classes.get(c) ?? 0) - 1);
      if (typeof f.scalar === 'string' && c !== 'empty' && values.has(f.scalar)) values.set(f.scalar, values.get(f.scalar)! - 1);
    }
    const sorted = [...values].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return { key, notes: Math.max(0, notes), classes, values: many ? sorted.slice(0, TOP_VALUES) : sorted, open: many };
  }
}

const MANY_VALUES = 64;
const TOP_VALUES = 5;

/**
 * The TOP_VALUES + 1 most used values of a key (one more than shown: leaving the checked note out lowers
 * one count by one), computed again only when the key's values changed. Finding them is a pass over
 * every distinct value of the key, and a note's check asks for each of its keys: at 10,000 notes the
 * CLI's `check` made that pass for every note and allocated ~23 GB in it, half of all it allocated, and
 * in the editor it was 0.3 of the ~1.5 ms that each check of a benchmark note took (now 0.07 of ~1.0).
 */
function topOf(k: KeyStat): ReadonlyMap<string, number> {
  if (k.top?.changes !== k.changes) k.top = { changes: k.changes, values: topValues(k.values, TOP_VALUES + 1) };
  return k.top.values;
}

function topValues(values: ReadonlyMap<string, number>, n: number): Map<string, number> {
  const top: Array<[string, number]> = [];
  for (const e of values) {
    if (top.length < n || e[1] > top[top.length - 1]![1]) {
      top.push(e);
      top.sort((a, b) => b[1] - a[1]);
      if (top.length > n) top.pop();
    }
  }
  return new Map(top);
}

/** The vault's statistics as of now; `exclude` leaves out one note (the one being checked). */
export function vaultView(index: WorkspaceIndex, exclude?: string): VaultView {
  let inc = cache.get(index);
  if (!inc) cache.set(index, (inc = new Incremental(index)));
  inc.refresh();
  return new VaultView(inc, exclude !== undefined ? index.get(exclude) : undefined);
}

/** The type most non-empty values agree on, if any. */
export function inferType(u: KeyUsage): FieldType | undefined {
  const n = (c: ValueClass) => u.classes.get(c) ?? 0;
  const votes = [...u.classes].reduce((a, [c, v]) => (c === 'empty' ? a : a + v), 0);
  if (votes < MIN_NOTES) return undefined;
  const share = (v: number) => v / votes >= TYPE_SHARE;
  if (share(n('date'))) return 'date';
  if (share(n('url'))) return 'url';
  if (share(n('string') + n('date') + n('url'))) return 'string';
  if (share(n('list'))) return 'list';
  if (share(n('boolean'))) return 'boolean';
  if (share(n('number'))) return 'number';
  return undefined;
}

/**
 * A small closed set of values, when the other notes show one: few distinct values used at least twice
 * each, which account for nearly every use. A value used once elsewhere is left out of the set (it is as
 * likely a typo as a new value), but a note is never faulted for a value another note also uses.
 */
export function inferEnum(u: KeyUsage): string[] | undefined {
  if (u.open || BUILTIN_KEYS.get(u.key)?.freeText) return undefined;
  const uses = u.values.reduce((a, [, n]) => a + n, 0);
  const strings = (u.classes.get('string') ?? 0) + (u.classes.get('date') ?? 0) + (u.classes.get('url') ?? 0);
  if (uses < MIN_ENUM_USES || strings !== uses) return undefined;
  const frequent = u.values.filter(([, n]) => n >= 2);
  const covered = frequent.reduce((a, [, n]) => a + n, 0);
  if (frequent.length === 0 || frequent.length > MAX_ENUM_VALUES || frequent.length * 2 > uses || covered < ENUM_SHARE * uses) return undefined;
  return frequent.map(([v]) => v);
}

/** Share of the uses of a key that its closed set must account for. */
const ENUM_SHARE = 0.9;

/** The rule for `key`: the built-in type when there is one, else the inferred one, plus what the vault shows. */
export function ruleFor(view: VaultView, key: string): KeyRule | undefined {
  const builtin = BUILTIN_KEYS.get(key);
  const enough = view.notes >= MIN_NOTES;
  // Fewer than MIN_NOTES notes tell nothing about a key (no type, not required, no closed set).
  if (!builtin && (view.count(key) < MIN_NOTES || !enough)) return undefined;
  const u = view.usage(key);
  const type = builtin?.type ?? inferType(u);
  const required = enough && u.notes / view.notes >= REQUIRED_SHARE;
  const empties = u.classes.get('empty') ?? 0;
  const stringy = type === 'string' || type === 'date' || type === 'url';
  const nonEmpty = (builtin?.nonEmpty ?? false) || (!builtin?.mayBeEmpty && required && stringy && u.notes >= MIN_NONEMPTY_NOTES && empties === 0);
  const enumValues = enough && (type === undefined || type === 'string') ? inferEnum(u) : undefined;
  return {
    key,
    type,
    required,
    nonEmpty,
    ...(enumValues ? { enum: enumValues, enumInferred: true, usedValues: new Set(u.values.map(([v]) => v)) } : {}),
    ...(builtin ? { description: builtin.description() } : {}),
    origin: builtin ? 'builtin' : 'inferred',
  };
}

/** The built-in schema combined with what the vault shows, for one note (left out of the statistics). */
export function effectiveSchema(view: VaultView): EffectiveSchema {
  const rules = new Map<string, KeyRule>();
  const used = view.keys();
  const keys = new Set<string>([...BUILTIN_KEYS.keys(), ...used]);
  for (const key of keys) {
    const rule = ruleFor(view, key);
    if (rule) rules.set(key, rule);
  }
  // A key only one or two other notes use may be the same typo made twice: it is known only when no
  // much more common key (or a built-in one) is spelled almost the same.
  const established = new Set<string>(BUILTIN_KEYS.keys());
  const counts = new Map(used.map((k) => [k, view.count(k)]));
  for (const [k, n] of counts) if (n >= RARE_KEY_NOTES) established.add(k);
  return { rules, knownKeys: established, suggestFrom: established, usedKeys: counts };
}

/** Keys used by fewer other notes than this are checked for typos. */
const RARE_KEY_NOTES = 3;
