/**
 * Entity kinds and spelling keys, shared by the index and the entity features.
 *
 * A kind groups the keys whose values name the same sort of thing: `guest` and `speaker` name people,
 * so their values are one pool with `people` (completion offers a `people` value for `guest:`, and a
 * rename of a person reaches all three). Every other key is its own kind.
 */
import { pinyinEngine } from '../../vendor/pinyinPro';

const PEOPLE_KEYS = new Set(['people', 'guest', 'speaker']);

/** The keys this note format uses for entities; any other top-level list of strings counts too. */
export const KNOWN_ENTITY_KEYS: readonly string[] = [
  'people', 'companies_orgs', 'products_models', 'media_books', 'tags', 'project', 'guest', 'speaker',
];

export function entityKindOf(key: string): string {
  return PEOPLE_KEYS.has(key) ? 'people' : key;
}

/**
 * Case- and width-insensitive form used for matching: NFKC turns full-width `Ａ` into `A` and
 * full-width digits and punctuation into their ASCII forms; then lower case.
 */
export function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/**
 * The spelling key of near duplicates: folded, without spaces and the joiners people vary on
 * (`Open AI`, `open-ai`, `ＯｐｅｎＡＩ` and `openai` all give `openai`).
 */
export function spellingKey(s: string): string {
  return fold(s).replace(/[\s\-_.·・,，'’"]+/gu, '');
}

export interface PinyinForms {
  /** Syllables joined without spaces: `masike` (empty when the value has no Chinese). */
  readonly full: string;
  /** First letters of the syllables: `msk`. */
  readonly initials: string;
}

const HAN = /\p{Script=Han}/u;
const HAN_RUNS = /(\p{Script=Han}+)/u;

/** Pinyin syllables of Han runs already seen (names repeat across values: `马斯克`, `马斯克访谈`). */
const runCache = new Map<string, readonly string[]>();
const RUN_CACHE_SIZE = 20_000;

function syllablesOf(run: string): readonly string[] {
  let syllables = runCache.get(run);
  if (!syllables) {
    // The array form is an order of magnitude faster than `type: 'all'`; a whole run keeps pinyin-pro's
    // phrase-level choice of readings for polyphonic characters.
    syllables = pinyinEngine()(run, { toneType: 'none', type: 'array', v: true });
    if (runCache.size >= RUN_CACHE_SIZE) runCache.clear();
    runCache.set(run, syllables);
  }
  return syllables;
}

/**
 * The pinyin forms of a value with no Chinese: one object for all of them (most entities of a vault;
 * an object each was ~2 MB at 10,000 notes).
 */
export const NO_PINYIN: PinyinForms = Object.freeze({ full: '', initials: '' });

/** Pinyin forms of these two strings: `NO_PINYIN` when both are empty. */
export function pinyinOf(full: string, initials: string): PinyinForms {
  return full === '' && initials === '' ? NO_PINYIN : { full, initials };
}

/**
 * Pinyin of a value, computed once when the value enters the index. Non-Chinese runs stay as they are
 * (folded, without spaces and punctuation), so `GPT-4 发布` gives `gpt4fabu` and `gpt4fb`.
 */
export function pinyinForms(value: string): PinyinForms {
  if (!HAN.test(value)) return NO_PINYIN;
  try {
    let full = '';
    let initials = '';
    for (const [i, part] of value.split(HAN_RUNS).entries()) {
      if (i % 2 === 1) {
        const syllables = syllablesOf(part);
        full += syllables.join('');
        initials += syllables.map((x) => x.charAt(0)).join('');
      } else {
        // Punctuation (`《》`, `-`, spaces) would stand between the author's letters and the syllables.
        const plain = fold(part).replace(/[^\p{L}\p{N}]+/gu, '');
        full += plain;
        initials += plain;
      }
    }
    return pinyinOf(fold(full), fold(initials));
  } catch {
    return NO_PINYIN;
  }
}

/** A date for a note: its `date` field, else a `YYYY-MM-DD` at the start of its file name. */
export function noteDate(uri: string, date: string | undefined): string | undefined {
  const d = date?.trim().match(/^\d{4}-\d{2}-\d{2}/)?.[0];
  if (d) return d;
  const base = uri.slice(uri.lastIndexOf('/') + 1);
  return base.match(/^\d{4}-\d{2}-\d{2}/)?.[0];
}

/** The folded words of a value, for matching the start of any word (`alt` in `Sam Altman`, `原子` in `《原子弹》`). */
export function wordsOf(folded: string): string[] {
  return folded.split(/[\s\-_·・/《》「」『』“”"'()（）[\]]+/u).filter((w) => w !== '');
}
