/**
 * The `notesense.*` settings as the server sees them. Read from the client with
 * `workspace/configuration` when it supports it, re-read on `workspace/didChangeConfiguration`.
 */
import type { Connection } from 'vscode-languageserver';
import type { SeveritySetting } from '../core/features/diagnostics';

export interface Settings {
  readonly diagnostics: { readonly severity: Readonly<Record<string, SeveritySetting>> };
  readonly maxFileSize: number;
  /** Path of a user schema file ('' = the built-in schema). */
  readonly schema: string;
  /** Globs of files the indexer skips. */
  readonly exclude: readonly string[];
  /** List keys whose items are entities. */
  readonly entityKeys: readonly string[];
  /** Keys whose scalar string value is an entity. */
  readonly scalarEntityKeys: readonly string[];
  readonly completion: { readonly pinyin: boolean };
  readonly glossary: { readonly renamePlainMentions: boolean };
}

// The defaults mirror `contributes.configuration` in package.json (test/unit/client/manifest.test.ts checks).
export const DEFAULT_SETTINGS: Settings = {
  diagnostics: { severity: {} },
  maxFileSize: 5 * 1024 * 1024,
  schema: '',
  exclude: ['**/node_modules/**', '**/.git/**'],
  entityKeys: ['people', 'companies_orgs', 'products_models', 'media_books', 'tags', 'project'],
  scalarEntityKeys: ['guest', 'speaker'],
  completion: { pinyin: true },
  glossary: { renamePlainMentions: false },
};

const objectOf = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
/** A list of non-empty strings, or the default when the value is not a list (a wrong item is dropped). */
const stringsOf = (v: unknown, fallback: readonly string[]): readonly string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : fallback;
const booleanOf = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);

export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const diag = (r['diagnostics'] && typeof r['diagnostics'] === 'object' ? r['diagnostics'] : {}) as Record<string, unknown>;
  const severity: Record<string, SeveritySetting> = {};
  const rawSeverity = diag['severity'];
  if (rawSeverity && typeof rawSeverity === 'object') {
    for (const [code, value] of Object.entries(rawSeverity)) {
      if (value === 'error' || value === 'warning' || value === 'information' || value === 'hint' || value === 'off') severity[code] = value;
    }
  }
  const maxFileSize = typeof r['maxFileSize'] === 'number' && r['maxFileSize'] > 0 ? r['maxFileSize'] : DEFAULT_SETTINGS.maxFileSize;
  return {
    diagnostics: { severity },
    maxFileSize,
    schema: typeof r['schema'] === 'string' ? r['schema'].trim() : DEFAULT_SETTINGS.schema,
    exclude: stringsOf(r['exclude'], DEFAULT_SETTINGS.exclude),
    entityKeys: stringsOf(r['entityKeys'], DEFAULT_SETTINGS.entityKeys),
    scalarEntityKeys: stringsOf(r['scalarEntityKeys'], DEFAULT_SETTINGS.scalarEntityKeys),
    completion: { pinyin: booleanOf(objectOf(r['completion'])['pinyin'], DEFAULT_SETTINGS.completion.pinyin) },
    glossary: { renamePlainMentions: booleanOf(objectOf(r['glossary'])['renamePlainMentions'], DEFAULT_SETTINGS.glossary.renamePlainMentions) },
  };
}

export async function fetchSettings(connection: Connection, supported: boolean): Promise<Settings> {
  if (!supported) return DEFAULT_SETTINGS;
  try {
    return normalizeSettings(await connection.workspace.getConfiguration('notesense'));
  } catch {
    return DEFAULT_SETTINGS;
  }
}
