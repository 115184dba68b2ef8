/**
 * The built-in schema of this note format: the keys the notes of a knowledge base like this one carry,
 * with their natural types. It applies with no configuration at all; inference from the vault adds what
 * it learns (which keys are required, closed value sets), and a user schema replaces both.
 */
import { t } from '../l10n';
import type { FieldType } from './types';

export interface BuiltinKey {
  readonly type: FieldType;
  /** The value may not be empty when the key is present. */
  readonly nonEmpty?: boolean;
  /** Free text: never inferred as a closed set of values. */
  readonly freeText?: boolean;
  /** Empty is a normal value of this key (`source: ''`): never inferred as required to be filled. */
  readonly mayBeEmpty?: boolean;
  readonly description: () => string;
}

export const BUILTIN_KEYS: ReadonlyMap<string, BuiltinKey> = new Map<string, BuiltinKey>([
  ['title', { type: 'string', nonEmpty: true, freeText: true, description: () => t('The title of the note.') }],
  ['date', { type: 'date', nonEmpty: true, freeText: true, description: () => t('The date of the note, as YYYY-MM-DD.') }],
  ['draft', { type: 'boolean', description: () => t('true while the note is a draft and must not be published.') }],
  ['source', { mayBeEmpty: true, type: 'url', freeText: true, description: () => t('The URL the note is based on, or empty.') }],
  ['summary', { type: 'string', freeText: true, description: () => t('A summary of the note in a few sentences.') }],
  ['insight', { mayBeEmpty: true, type: 'string', freeText: true, description: () => t('The one idea worth keeping from the note.') }],
  ['area', { type: 'string', description: () => t('The broad area the note belongs to.') }],
  ['category', { type: 'string', description: () => t('The category of the note within its area.') }],
  ['layout', { type: 'string', description: () => t('The page layout used to publish the note.') }],
  ['series', { mayBeEmpty: true, type: 'string', description: () => t('The series the note is part of, or empty.') }],
  ['guest', { mayBeEmpty: true, type: 'string', freeText: true, description: () => t('The guest of the episode or talk, or empty.') }],
  ['speaker', { mayBeEmpty: true, type: 'string', freeText: true, description: () => t('The speaker or author, or empty.') }],
  ['status', { type: 'string', description: () => t('How mature the note is (for example seedling, budding, evergreen).') }],
  ['people', { type: 'list', description: () => t('The people the note mentions.') }],
  ['companies_orgs', { type: 'list', description: () => t('The companies and organisations the note mentions.') }],
  ['products_models', { type: 'list', description: () => t('The products and models the note mentions.') }],
  ['media_books', { type: 'list', description: () => t('The books, papers and media the note mentions.') }],
  ['tags', { type: 'list', description: () => t('Tags of the note.') }],
  ['project', { type: 'list', description: () => t('The projects the note belongs to.') }],
]);
