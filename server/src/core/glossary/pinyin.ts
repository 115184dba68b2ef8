/**
 * Pinyin of glossary terms, for completion and workspace-symbol filtering (`sjq`, `shujuqiang` → 数据墙).
 *
 * pinyin-pro segments words to pick the reading of polyphonic characters, which costs about a third of
 * a millisecond per term: thousands of terms would stall the first completion for a second or more.
 * Terms are therefore spelled character by character from a per-character cache (a vault uses a few
 * thousand distinct characters, each looked up once per process), with each character's most common
 * reading. Filtering only needs what a user would type, and that is almost always the common reading.
 */
import { pinyinEngine } from '../../vendor/pinyinPro';

export interface TermPinyin {
  /** Syllables without spaces (`shujuqiang`), other characters folded to lower case; '' without Chinese. */
  readonly full: string;
  /** First letters of the syllables (`sjq`). */
  readonly initials: string;
}

const HAN = /\p{Script=Han}/u;
const chars = new Map<string, string>();
const terms = new Map<string, TermPinyin>();
const TERM_CACHE_LIMIT = 50_000;
const NONE: TermPinyin = { full: '', initials: '' };

function reading(ch: string): string {
  let r = chars.get(ch);
  if (r === undefined) {
    try {
      r = (pinyinEngine()(ch, { toneType: 'none', type: 'array', v: true })[0] ?? '').toLowerCase();
    } catch {
      r = '';
    }
    chars.set(ch, r);
  }
  return r;
}

export function termPinyin(term: string): TermPinyin {
  const hit = terms.get(term);
  if (hit) return hit;
  let result = NONE;
  if (HAN.test(term)) {
    let full = '';
    let initials = '';
    for (const ch of term) {
      if (HAN.test(ch)) {
        const r = reading(ch);
        full += r;
        initials += r.charAt(0);
      } else if (!/\s/.test(ch)) {
        const lower = ch.toLowerCase();
        full += lower;
        initials += lower;
      }
    }
    result = { full, initials };
  }
  if (terms.size >= TERM_CACHE_LIMIT) terms.clear();
  terms.set(term, result);
  return result;
}

/**
 * Loads pinyin-pro and builds what its first call builds (~80 ms in all, see `pinyinEngine`), so that
 * a host can do it at a moment of its choosing rather than inside the first request or slice that needs
 * a value's or a term's pinyin. Once it is loaded, a call is a cache lookup.
 */
export function warmUpPinyin(): void {
  termPinyin('数据');
}
