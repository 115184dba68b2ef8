/**
 * The stable diagnostic codes. A code never changes meaning once released: users refer to it in
 * `notesense.diagnostics.severity` settings and in `# notesense-disable-next-line` comments.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CodeInfo {
  /** Severity when the user has not configured one. */
  readonly severity: Severity;
  /** Which part of NoteSense reports it (used to group the README table). */
  readonly area: 'frontmatter' | 'yaml' | 'schema' | 'glossary' | 'entity' | 'file';
}

export const CODES = {
  'frontmatter-unclosed': { severity: 'error', area: 'frontmatter' },
  'frontmatter-language': { severity: 'error', area: 'frontmatter' },
  'frontmatter-misplaced': { severity: 'warning', area: 'frontmatter' },
  'frontmatter-not-mapping': { severity: 'error', area: 'frontmatter' },
  'frontmatter-too-large': { severity: 'error', area: 'frontmatter' },
  'yaml-syntax': { severity: 'error', area: 'yaml' },
  'yaml-duplicate-key': { severity: 'error', area: 'yaml' },
  'yaml-tab-indent': { severity: 'error', area: 'yaml' },
  'yaml-too-deep': { severity: 'error', area: 'yaml' },
  'yaml-alias-limit': { severity: 'error', area: 'yaml' },
  'yaml-multiple-documents': { severity: 'error', area: 'yaml' },
  'yaml-warning': { severity: 'warning', area: 'yaml' },
  'glossary-unclosed': { severity: 'warning', area: 'glossary' },
  'file-too-large': { severity: 'warning', area: 'file' },
  'file-binary': { severity: 'warning', area: 'file' },
  'internal-error': { severity: 'error', area: 'file' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/** Codes registered by feature modules (schema, entities, glossary) at load time. */
const extra = new Map<string, CodeInfo>();

export function registerCodes(codes: Record<string, CodeInfo>): void {
  for (const [code, info] of Object.entries(codes)) extra.set(code, info);
}

export function codeInfo(code: string): CodeInfo | undefined {
  return (CODES as Record<string, CodeInfo>)[code] ?? extra.get(code);
}

export function allCodes(): string[] {
  return [...Object.keys(CODES), ...extra.keys()];
}
