import { boldKey, NoteSummary } from '../../server/src/core/index/summary';
import { encodeCacheFile, readCacheFile } from '../../server/src/host/indexCache';

/**
 * An index cache file with bold texts swapped in the cached summaries: every note that holds the key of
 * a `from` text holds the key of its `to` text instead (the cache keeps keys of bold texts, not the
 * texts), still in increasing order, with each span pointing at its text's key. Everything else is
 * written back as it was read (the header with its fingerprint included). Tests use it to prove that a
 * restart took a note from the cache: the server then reports the swapped text, which no file holds.
 */
export function swapCachedBolds(cache: Uint8Array, swaps: ReadonlyArray<readonly [from: string, to: string]>): Buffer {
  const file = readCacheFile(cache);
  if (!file) throw new Error('not an index cache file');
  const map = new Map(swaps.map(([from, to]) => [boldKey(from).join(':'), boldKey(to)]));
  let swapped = 0;
  const entries = file.entries.map((e) => {
    const { keys, of } = e.summary.data.bolds;
    const pairs = Array.from({ length: keys.length / 2 }, (_, j) => {
      const to = map.get(`${keys[2 * j]}:${keys[2 * j + 1]}`);
      if (to) swapped++;
      return { key: to ?? [keys[2 * j]!, keys[2 * j + 1]!], was: j };
    });
    pairs.sort((x, y) => x.key[0] - y.key[0] || x.key[1] - y.key[1]);
    const now = new Map(pairs.map((p, j) => [p.was, j]));
    const bolds = { ...e.summary.data.bolds, keys: Uint32Array.from(pairs.flatMap((p) => [p.key[0], p.key[1]])), of: of.map((j) => now.get(j)!) };
    return { ...e, summary: new NoteSummary({ ...e.summary.data, bolds }) };
  });
  if (swapped === 0) throw new Error('no cached note holds any of the texts to swap');
  return encodeCacheFile(file.header, entries);
}
