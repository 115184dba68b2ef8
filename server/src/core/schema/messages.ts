/** The words for types and values in messages (localised at call time). */
import { t } from '../l10n';
import type { FieldType } from './types';
import type { ValueClass } from './values';

export function typeName(type: FieldType | ValueClass | string): string {
  switch (type) {
    case 'string':
      return t('text');
    case 'list':
    case 'array':
      return t('a list');
    case 'boolean':
      return t('true or false');
    case 'date':
      return t('a date (YYYY-MM-DD)');
    case 'url':
      return t('a URL');
    case 'number':
    case 'integer':
      return t('a number');
    case 'map':
    case 'object':
      return t('a mapping');
    case 'empty':
    case 'null':
      return t('empty');
    default:
      return type;
  }
}

/** A value as shown in a message: strings in quotes, anything else as JSON, long ones cut. */
export function shown(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}
