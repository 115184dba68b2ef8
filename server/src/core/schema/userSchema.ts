/**
 * A user schema: JSON Schema (draft-07 or 2020-12) from `.notesense/schema.yaml|json` or the
 * `notesense.schema` setting, optionally bound to notes by glob. The host reads and parses the file; this
 * module compiles it with ajv (pure JavaScript: no I/O) and answers which binding applies to a note.
 *
 * The file is either a plain JSON Schema, which applies to every note of the folder, or
 * `{ "schemas": [{ "files": ["people/**"], "schema": { … } }, …] }`, where the first binding whose globs
 * match a note's path (relative to the folder) applies to it.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import picomatch from 'picomatch';
import { t } from '../l10n';
import type { FieldType, KeyRule } from './types';

export interface SchemaBinding {
  /** Globs relative to the folder; undefined matches every note. */
  readonly files: readonly string[] | undefined;
  readonly validate: ValidateFunction;
  /** The schema's top-level properties as rules, for completion, hover and the missing-key fix. */
  readonly rules: ReadonlyMap<string, KeyRule>;
  /** False when the schema forbids keys it does not list (`additionalProperties: false`). */
  readonly openKeys: boolean;
  readonly match: (relativePath: string) => boolean;
}

export interface UserSchema {
  /** The workspace folder the schema belongs to (`file:///…`, no trailing slash). */
  readonly folderUri: string;
  /** Where the schema was read from. */
  readonly sourceUri: string;
  readonly bindings: readonly SchemaBinding[];
}

export type CompileResult = { readonly schema: UserSchema; readonly errors: readonly string[] } | { readonly schema: undefined; readonly errors: readonly string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function makeAjv(schema: Record<string, unknown>): Ajv {
  const draft = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  // allErrors: an author wants every problem of the note at once, not the first one.
  const options = { allErrors: true, strict: false, validateFormats: true, messages: true } as const;
  const ajv = /2020-12/.test(draft) ? new Ajv2020(options) : /2019-09/.test(draft) ? new Ajv2019(options) : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

function typeOf(s: Record<string, unknown>): FieldType | undefined {
  const types = (Array.isArray(s['type']) ? s['type'] : [s['type']]).filter((x) => x !== 'null');
  const ty = types[0];
  if (ty === 'array') return 'list';
  if (ty === 'boolean') return 'boolean';
  if (ty === 'number' || ty === 'integer') return 'number';
  if (ty === 'string') {
    if (s['format'] === 'date') return 'date';
    if (s['format'] === 'uri' || s['format'] === 'url' || s['format'] === 'iri') return 'url';
    return 'string';
  }
  if (Array.isArray(s['enum']) && s['enum'].every((v) => typeof v === 'string')) return 'string';
  return undefined;
}

function rulesOf(schema: Record<string, unknown>): Map<string, KeyRule> {
  const rules = new Map<string, KeyRule>();
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((k): k is string => typeof k === 'string') : []);
  for (const [key, raw] of Object.entries(props)) {
    const s = isObject(raw) ? raw : {};
    const enumValues = Array.isArray(s['enum']) ? s['enum'].filter((v): v is string => typeof v === 'string') : undefined;
    const minLength = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
    rules.set(key, {
      key,
      type: typeOf(s),
      required: required.has(key),
      nonEmpty: minLength > 0,
      ...(enumValues && enumValues.length ? { enum: enumValues } : {}),
      ...(typeof s['description'] === 'string' ? { description: s['description'] } : {}),
      origin: 'user',
    });
  }
  for (const key of required) if (!rules.has(key)) rules.set(key, { key, type: undefined, required: true, nonEmpty: false, origin: 'user' });
  return rules;
}

/**
 * Compiles a parsed schema file. Never throws: a schema that cannot be used is reported in `errors`.
 * The dialect follows `$schema`: 2020-12 and 2019-09 by name, draft-07 (ajv's default, which also reads
 * draft-06 schemas) otherwise.
 */
export function compileUserSchema(raw: unknown, folderUri: string, sourceUri: string): CompileResult {
  const errors: string[] = [];
  if (!isObject(raw)) return { schema: undefined, errors: [t('The schema file must hold a JSON Schema object or {"schemas": […]}.')] };
  const entries: Array<{ files: unknown; schema: unknown }> = Array.isArray(raw['schemas'])
    ? raw['schemas'].map((e) => (isObject(e) ? { files: e['files'], schema: e['schema'] } : { files: undefined, schema: undefined }))
    : [{ files: undefined, schema: raw }];
  const bindings: SchemaBinding[] = [];
  entries.forEach((e, i) => {
    if (!isObject(e.schema)) {
      errors.push(t('Schema entry {0} has no "schema" object: it is ignored.', i + 1));
      return;
    }
    const files = typeof e.files === 'string' ? [e.files] : Array.isArray(e.files) ? e.files.filter((f): f is string => typeof f === 'string') : undefined;
    try {
      const validate = makeAjv(e.schema).compile(e.schema);
      const matcher = files && files.length ? picomatch(files as string[], { dot: true }) : undefined;
      const openKeys = e.schema['additionalProperties'] !== false && e.schema['unevaluatedProperties'] !== false;
      bindings.push({ files, validate, rules: rulesOf(e.schema), openKeys, match: (rel) => (matcher ? matcher(rel) : true) });
    } catch (err) {
      errors.push(t('Schema entry {0} is not a valid JSON Schema: {1}', i + 1, err instanceof Error ? err.message : String(err)));
    }
  });
  if (bindings.length === 0) return { schema: undefined, errors: errors.length ? errors : [t('The schema file binds no schema to any note.')] };
  return { schema: { folderUri: folderUri.replace(/\/+$/, ''), sourceUri, bindings }, errors };
}

/** The binding that applies to a note, from the schema of the innermost folder that holds it. */
export function bindingFor(schemas: readonly UserSchema[] | undefined, uri: string): SchemaBinding | undefined {
  let best: { schema: UserSchema; rel: string } | undefined;
  for (const s of schemas ?? []) {
    const prefix = s.folderUri + '/';
    if (!uri.startsWith(prefix)) continue;
    if (best && best.schema.folderUri.length >= s.folderUri.length) continue;
    let rel = uri.slice(prefix.length);
    try {
      rel = decodeURIComponent(rel);
    } catch {
      // keep the encoded path: it still matches globs without special characters
    }
    best = { schema: s, rel };
  }
  if (!best) return undefined;
  return best.schema.bindings.find((b) => b.match(best.rel));
}

export type { ErrorObject };
