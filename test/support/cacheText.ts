import { hash32 } from '../../server/src/core/index/summary';

/**
 * The text of an index cache file with bold texts swapped in the cached summaries: every line whose
 * note holds the hash of a `from` text holds the hash of its `to` text instead (the cache keeps hashes of
 * bold texts, not the texts). The file's other bytes stay as they are. Tests use it to prove that a
 * restart took a note from the cache: the server then reports the swapped text, which no file holds.
 */
export function swapCachedBolds(cache: string, swaps: ReadonlyArray<readonly [from: string, to: string]>): string {
  const map = new Map(swaps.map(([from, to]) => [hash32(from), hash32(to)]));
  let swapped = 0;
  const lines = cache.split('\n').map((line, i) => {
    if (i === 0 || line === '') return line;
    const entry = JSON.parse(line) as [string, number, number, { bolds: string }];
    const [tag, base64] = entry[3].bolds.split(':') as [string, string];
    const bytes = Buffer.from(base64, 'base64');
    const hashes = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const out = Uint32Array.from(hashes, (h) => map.get(h) ?? h).sort();
    if (out.some((h, j) => h !== hashes[j])) swapped++;
    entry[3].bolds = `${tag}:${Buffer.from(out.buffer).toString('base64')}`;
    return JSON.stringify(entry);
  });
  if (swapped === 0) throw new Error('no cached note holds any of the texts to swap');
  return lines.join('\n');
}
