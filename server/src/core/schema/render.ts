/**
 * The inferred schema written out as an editable `.notesense/schema.yaml`: a JSON Schema (2020-12) in
 * YAML, with each key's coverage and most used values as comments, so that the author sees why a key
 * was made required or given a closed set of values before deciding to keep it.
 */
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { t } from '../l10n';
import { ruleFor, vaultView } from './infer';
import type { KeyRule } from './types';

const key = (k: string) => (/^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k));
const str = (s: string) => JSON.stringify(s);

function typeLines(rule: KeyRule): string[] {
  switch (rule.type) {
    case 'list':
      return ['type: array', 'items:', '  type: string'];
    case 'date':
      return ['type: string', 'format: date'];
    case 'url':
      // "A URL or empty": one pattern gives one precise error, where anyOf would give three.
      return ['type: string', `pattern: ${str('^$|^[a-zA-Z][a-zA-Z0-9+.-]*://')}`];
    case 'boolean':
      return ['type: boolean'];
    case 'number':
      return ['type: number'];
    case 'string':
      return ['type: string'];
    default:
      return [];
  }
}

export interface RenderOptions {
  /** Put into the header comment (the CLI passes the folder). */
  readonly source?: string;
}

/** The schema inferred from every note of the index, as YAML text with `\n` line breaks. */
export function renderInferredSchema(index: WorkspaceIndex, options: RenderOptions = {}): string {
  const view = vaultView(index);
  const notes = view.notes;
  const lines: string[] = [
    `# ${t('NoteSense front-matter schema, inferred from {0} notes{1}.', notes, options.source ? ` (${options.source})` : '')}`,
    `# ${t('Edit it freely: NoteSense validates notes against this file instead of inferring.')}`,
    `# ${t('Coverage and the most used values of each key are given as comments.')}`,
    '$schema: https://json-schema.org/draft/2020-12/schema',
    'type: object',
    'properties:',
  ];
  const required: string[] = [];
  const keys = view.keys().sort((a, b) => view.usage(b).notes - view.usage(a).notes || (a < b ? -1 : 1));
  for (const k of keys) {
    const rule = ruleFor(view, k);
    const u = view.usage(k);
    const pct = notes ? Math.round((u.notes / notes) * 100) : 0;
    lines.push(`  # ${t('{0} of {1} notes ({2}%)', u.notes, notes, pct)}`);
    if (u.values.length && u.values[0]![1] >= 2) {
      lines.push(`  # ${t('most used: {0}', u.values.slice(0, 5).map(([v, n]) => `${v.length > 30 ? v.slice(0, 29) + '…' : v} ×${n}`).join(', ').replace(/[\r\n]+/g, ' '))}`);
    }
    lines.push(`  ${key(k)}:`);
    const body: string[] = rule ? typeLines(rule) : [];
    if (rule?.enum) body.push(`enum: [${rule.enum.map(str).join(', ')}]`);
    if (rule?.nonEmpty && rule.type !== 'list') body.push('minLength: 1');
    if (rule?.description) body.push(`description: ${str(rule.description)}`);
    if (body.length === 0) body.push('{}');
    if (body.length === 1 && body[0] === '{}') lines[lines.length - 1] += ' {}';
    else lines.push(...body.map((l) => `    ${l}`));
    if (rule?.required) required.push(k);
  }
  if (keys.length === 0) lines[lines.length - 1] += ' {}';
  lines.push(`required: [${required.map(str).join(', ')}]`);
  return lines.join('\n') + '\n';
}
