/**
 * The diagnostic codes of front-matter validation. Registered with the shared table at load time, so that
 * `notesense.diagnostics.severity` and `# notesense-disable-next-line` accept them like the parser's codes.
 */
import { registerCodes, type CodeInfo } from '../codes';

export const SCHEMA_CODES = {
  'schema-missing-key': { severity: 'warning', area: 'schema' },
  'schema-wrong-type': { severity: 'warning', area: 'schema' },
  'schema-not-in-enum': { severity: 'warning', area: 'schema' },
  'schema-invalid-date': { severity: 'error', area: 'schema' },
  'schema-date-format': { severity: 'warning', area: 'schema' },
  'schema-invalid-format': { severity: 'warning', area: 'schema' },
  'schema-unknown-key': { severity: 'warning', area: 'schema' },
  'schema-expected-list': { severity: 'warning', area: 'schema' },
  'schema-duplicate-item': { severity: 'warning', area: 'schema' },
  'schema-empty-value': { severity: 'warning', area: 'schema' },
  'schema-violation': { severity: 'warning', area: 'schema' },
  'yaml-fullwidth-colon': { severity: 'error', area: 'yaml' },
  'yaml-fullwidth-comma': { severity: 'warning', area: 'yaml' },
  'yaml-fullwidth-bracket': { severity: 'error', area: 'yaml' },
  'yaml-fullwidth-space': { severity: 'error', area: 'yaml' },
} as const satisfies Record<string, CodeInfo>;

export type SchemaCode = keyof typeof SCHEMA_CODES;

registerCodes(SCHEMA_CODES);
