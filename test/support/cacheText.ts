import { hash32, NoteSummary } from '../../server/src/core/index/summary';
import { encodeCacheFile, readCacheFile } from '../../server/src/host/indexCache';

/**
 * An index cache file with bold texts swapped in the cached summaries: every note that holds the key of
 * a `from` text holds the key of its `to` text instead (the cache keeps keys of bold texts, not the
 * texts), still in increasing order. Everything else is written back as it was read (the header with its
 * fingerprint included). Tests use it to prove that a restart took a note from the cache: the server then
 * reports the swapped text, which no file holds.
 */
export function swapCachedBolds(cache: Uint8Array, swaps: ReadonlyArray<readonly [from: string, to: string]>): Buffer {
  const file = readCacheFile(cache);
  if (!file) throw new Error('not an index cache file');
  const map = new Map(swaps.map(([from, to]) => [hash32(from), hash32(to)]));
  let swapped = 0;
  const entries = file.entries.map((e) => {
    const keys = [...e.summary.data.bolds.keys].map((k) => {
      const to = map.get(k);
      if (to === undefined) return k;
      swapped++;
      return to;
    });
    const bolds = { keys: Uint32Array.from(new Set(keys)).sort() };
    return { ...e, summary: new NoteSummary({ ...e.summary.data, bolds }) };
  });
  if (swapped === 0) throw new Error('no cached note holds any of the texts to swap');
  return encodeCacheFile(file.header, entries);
}
