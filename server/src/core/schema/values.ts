/** How a value is classified for inference and checking: dates, URLs and empty values apart from text. */
import type { ValueKind } from '../parse/types';

export type ValueClass = 'string' | 'list' | 'boolean' | 'number' | 'date' | 'url' | 'empty' | 'map' | 'other';

const CANONICAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A canonical date with a time after it (`2024-06-04 10:30`, `2024-06-04T10:30:00Z`), which is fine too. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Dates as people type them: `2024/6/4`, `2024.06.04`, `2024-6-4`, `2024年6月4日`. */
const LOOSE_DATE = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

export function classify(kind: ValueKind, value: unknown): ValueClass {
  switch (kind) {
    case 'null':
      return 'empty';
    case 'string': {
      const s = typeof value === 'string' ? value.trim() : '';
      if (s === '') return 'empty';
      if (CANONICAL_DATE.test(s) || DATE_TIME.test(s)) return 'date';
      if (URL_LIKE.test(s)) return 'url';
      return 'string';
    }
    case 'list':
    case 'boolean':
    case 'number':
    case 'map':
      return kind;
    default:
      return 'other';
  }
}

export function isUrl(s: string): boolean {
  return URL_LIKE.test(s.trim());
}

function daysIn(year: number, month: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

const validDate = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
const pad = (n: number) => String(n).padStart(2, '0');

export type DateCheck =
  | { readonly ok: true }
  /** A real date written another way: `canonical` is the YYYY-MM-DD form. */
  | { readonly ok: false; readonly canonical: string }
  /** Not a date at all, or a day that does not exist (`2024-13-45`). */
  | { readonly ok: false; readonly canonical: undefined };

export function checkDate(raw: string): DateCheck {
  const s = raw.trim();
  const canonical = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (canonical && (CANONICAL_DATE.test(s) || DATE_TIME.test(s))) {
    return validDate(+canonical[1]!, +canonical[2]!, +canonical[3]!) ? { ok: true } : { ok: false, canonical: undefined };
  }
  const loose = LOOSE_DATE.exec(s);
  if (loose) {
    const [y, m, d] = [+loose[1]!, +loose[2]!, +loose[3]!];
    if (validDate(y, m, d)) return { ok: false, canonical: `${y}-${pad(m)}-${pad(d)}` };
  }
  return { ok: false, canonical: undefined };
}
