import { boldKey } from '../../server/src/core/index/summary';

const decode = (s: string) => {
  const [tag, base64] = s.split(':') as [string, string];
  const bytes = Buffer.from(base64, 'base64');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tag === 'u32' ? new Uint32Array(buffer) : new Uint16Array(buffer);
};
const encode = (a: Uint32Array | Uint16Array) => `${a instanceof Uint32Array ? 'u32' : 'u16'}:${Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')}`;

/**
 * The text of an index cache file with bold texts swapped in the cached summaries: every line whose
 * note holds the key of a `from` text holds the key of its `to` text instead (the cache keeps keys of
 * bold texts, not the texts), still in increasing order, with each span pointing at its text's key. The
 * file's other bytes stay as they are. Tests use it to prove that a restart took a note from the cache:
 * the server then reports the swapped text, which no file holds.
 */
export function swapCachedBolds(cache: string, swaps: ReadonlyArray<readonly [from: string, to: string]>): string {
  const map = new Map(swaps.map(([from, to]) => [boldKey(from).join(':'), boldKey(to)]));
  let swapped = 0;
  const lines = cache.split('\n').map((line, i) => {
    if (i === 0 || line === '') return line;
    const entry = JSON.parse(line) as [string, number, number, { bolds: { keys: string; of: string } }];
    const keys = decode(entry[3].bolds.keys);
    const of = decode(entry[3].bolds.of);
    const pairs = Array.from({ length: keys.length / 2 }, (_, j) => {
      const to = map.get(`${keys[2 * j]}:${keys[2 * j + 1]}`);
      if (to) swapped++;
      return { key: to ?? [keys[2 * j]!, keys[2 * j + 1]!], was: j };
    });
    pairs.sort((x, y) => x.key[0] - y.key[0] || x.key[1] - y.key[1]);
    const now = new Map(pairs.map((p, j) => [p.was, j]));
    const outKeys = Uint32Array.from(pairs.flatMap((p) => [p.key[0], p.key[1]]));
    const outOf = of.map((j) => now.get(j)!);
    entry[3].bolds.keys = encode(outKeys);
    entry[3].bolds.of = encode(outOf);
    return JSON.stringify(entry);
  });
  if (swapped === 0) throw new Error('no cached note holds any of the texts to swap');
  return lines.join('\n');
}
