/**
 * Searches of lists that a large note makes long: a note's ~60 terms are searched each time, but a
 * glossary note of thousands, asked once per term (its diagnostics, its own definitions), made the
 * search quadratic (20,000 definitions: seconds). Lists longer than SEARCHED get a map from key to
 * positions, made at their first search and kept as long as the list.
 */

/** Lists of up to this many items are searched; longer ones get a map, made once. */
const SEARCHED = 256;
const maps = new WeakMap<readonly unknown[], Map<string, number[]>>();
const NONE: readonly number[] = [];

/**
 * The positions of the items of `list` whose key is `key`, in order. `keyOf` must give the same key for
 * an item every time, and a list must not change once searched (the map made for it is kept).
 */
export function positionsOf<T>(list: readonly T[], key: string, keyOf: (item: T) => string): readonly number[] {
  if (list.length <= SEARCHED) {
    let out: number[] | undefined;
    for (let i = 0; i < list.length; i++) if (keyOf(list[i]!) === key) (out ??= []).push(i);
    return out ?? NONE;
  }
  let map = maps.get(list);
  if (!map) {
    map = new Map();
    for (let i = 0; i < list.length; i++) {
      const k = keyOf(list[i]!);
      const positions = map.get(k);
      if (positions) positions.push(i);
      else map.set(k, [i]);
    }
    maps.set(list, map);
  }
  return map.get(key) ?? NONE;
}
