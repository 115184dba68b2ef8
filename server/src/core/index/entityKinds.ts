/**
 * Entity kinds and spelling keys, shared by the index and the entity features.
 *
 * A kind groups the keys whose values name the same sort of thing: `guest` and `speaker` name people,
 * so their values are one pool with `people` (completion offers a `people` value for `guest:`, and a
 * rename of a person reaches all three). Every other key is its own kind.
 */
import { pinyin } from 'pinyin-pro';

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

/**
 * Pinyin of a value, computed once when the value enters the index. Non-Chinese runs stay as they are
 * (folded), so `GPT-4 发布` gives `gpt-4fabu` and `gpt-4fb`.
 */
export function pinyinForms(value: string): PinyinForms {
  if (!HAN.test(value)) return { full: '', initials: '' };
  try {
    const parts = pinyin(value, { toneType: 'none', type: 'all', nonZh: 'consecutive', v: true });
    const full = fold(parts.map((p) => (p.isZh ? p.pinyin : p.origin)).join('').replace(/\s+/g, ''));
    const initials = fold(parts.map((p) => (p.isZh ? p.pinyin.charAt(0) : p.origin)).join('').replace(/\s+/g, ''));
    return { full, initials };
  } catch {
    return { full: '', initials: '' };
  }
}

/** A date for a note: its `date` field, else a `YYYY-MM-DD` at the start of its file name. */
export function noteDate(uri: string, date: string | undefined): string | undefined {
  const d = date?.trim().match(/^\d{4}-\d{2}-\d{2}/)?.[0];
  if (d) return d;
  const base = uri.slice(uri.lastIndexOf('/') + 1);
  return base.match(/^\d{4}-\d{2}-\d{2}/)?.[0];
}
