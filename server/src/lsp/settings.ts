/**
 * The `notesense.*` settings as the server sees them. Read from the client with
 * `workspace/configuration` when it supports it, re-read on `workspace/didChangeConfiguration`.
 */
import type { Connection } from 'vscode-languageserver';
import type { SeveritySetting } from '../core/features/diagnostics';

export interface Settings {
  readonly diagnostics: { readonly severity: Readonly<Record<string, SeveritySetting>> };
  readonly maxFileSize: number;
}

export const DEFAULT_SETTINGS: Settings = {
  diagnostics: { severity: {} },
  maxFileSize: 5 * 1024 * 1024,
};

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
  return { diagnostics: { severity }, maxFileSize };
}

export async function fetchSettings(connection: Connection, supported: boolean): Promise<Settings> {
  if (!supported) return DEFAULT_SETTINGS;
  try {
    return normalizeSettings(await connection.workspace.getConfiguration('notesense'));
  } catch {
    return DEFAULT_SETTINGS;
  }
}
