/**
 * Whether the characters of `q` appear in `s` in order (the filter editors use): compared by code unit,
 * a surrogate pair of `q` only as a pair. With `fold`, each code unit of `s` is folded first (`q` must
 * be folded alike), and a NUL in `s` starts the search again: `s` is then a list of names, each after a
 * NUL, and one of them must hold `q`.
 */
export function isSubsequence(q: string, s: string, fold?: (code: number) => number): boolean {
  if (q === '') return true;
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    let c = s.charCodeAt(j);
    if (fold) {
      if (c === 0) {
        i = 0;
        continue;
      }
      c = fold(c);
    }
    if (c !== q.charCodeAt(i)) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      // A high surrogate matches only with its low one.
      if (s.charCodeAt(j + 1) !== q.charCodeAt(i + 1)) continue;
      j++;
      i++;
    }
    if (++i >= q.length) return true;
  }
  return false;
}
