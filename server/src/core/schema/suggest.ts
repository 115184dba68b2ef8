/** "Did you mean": the closest candidate by edit distance, when it is close enough to be a typo. */

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), by code point. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const u = [...b];
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) {
    rows.push(new Array<number>(u.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= u.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= u.length; j++) {
      const cost = s[i - 1] === u[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === u[j - 2] && s[i - 2] === u[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
    }
  }
  return rows[s.length]![u.length]!;
}

const fold = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
const MAX_WORD = 80;

/**
 * The candidate closest to `word`, or undefined when none is plausibly what was meant: a case or
 * separator difference, or at most two edits (one for short words) that leave most of the word intact.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  // A key of more than a line is no typo of a known key (and its edit distance would cost its length squared).
  if (word.length > MAX_WORD) return undefined;
  const folded = fold(word);
  for (const c of candidates) {
    if (c === word) return undefined;
    if (Math.abs(c.length - word.length) > 2 && fold(c) !== folded) continue;
    const score = fold(c) === folded ? 0.5 : editDistance(word.toLowerCase(), c.toLowerCase());
    const limit = Math.min(word.length, c.length) <= 4 ? 1 : 2;
    if (score <= limit && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** The candidate closest to `word` with no limit (for "closest allowed value" of an enum). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > MAX_WORD) return undefined;
  const folded = fold(word);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = fold(c) === folded ? 0 : editDistance(word.toLowerCase(), c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
