/**
 * The front-matter schema as the features see it: one rule per key, whatever its origin (the built-in
 * default of this note format, inference from the vault, or a user JSON Schema).
 */

/** The value types NoteSense distinguishes. `date` and `url` are strings of a particular shape. */
export type FieldType = 'string' | 'list' | 'boolean' | 'date' | 'url' | 'number';

export interface KeyRule {
  readonly key: string;
  /** The expected type, when one is known with confidence. */
  readonly type: FieldType | undefined;
  /** Nearly every note has this key. */
  readonly required: boolean;
  /** The key's value must not be empty (`''`, nothing, or whitespace). */
  readonly nonEmpty: boolean;
  /** A small closed set of values. */
  readonly enum?: readonly string[];
  /** True when the enum was inferred from the vault rather than written by a person. */
  readonly enumInferred?: boolean;
  /** For an inferred enum: every value other notes use, which is never reported. */
  readonly usedValues?: ReadonlySet<string>;
  readonly description?: string;
  readonly origin: 'builtin' | 'inferred' | 'user';
}

/** The rules that apply to one note. */
export interface EffectiveSchema {
  readonly rules: ReadonlyMap<string, KeyRule>;
  /** Keys that are never reported as unknown: schema keys and keys the vault has established. */
  readonly knownKeys: ReadonlySet<string>;
  /** The keys a misspelt key is compared with. */
  readonly suggestFrom: ReadonlySet<string>;
  /** Every key other notes use, with how many use it. */
  readonly usedKeys: ReadonlyMap<string, number>;
}
