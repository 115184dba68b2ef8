/**
 * The whole glossary as a file to publish: one entry per term and distinct definition (two notes that
 * say the same thing share an entry, with both as sources), in pinyin order of the terms. The CLI
 * (`notesense glossary`) and the server command `notesense.server.exportGlossary` both call this.
 */
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { t } from '../l10n';
import { sortDefinitions, type TermDefinition } from './definitions';
import { escapeInline } from '../markdown';
import { foldEnglish, normalizeDefinition } from './normalize';
import { termOrder } from './termOrder';

export type GlossaryFormat = 'md' | 'json' | 'csv';

export const GLOSSARY_FORMATS: readonly GlossaryFormat[] = ['md', 'json', 'csv'];

/** `md`, `markdown`, `json`, `csv` (any case) → the format, or undefined. */
export function glossaryFormat(name: unknown): GlossaryFormat | undefined {
  if (typeof name !== 'string') return undefined;
  const n = name.trim().toLowerCase();
  if (n === 'markdown') return 'md';
  return (GLOSSARY_FORMATS as readonly string[]).includes(n) ? (n as GlossaryFormat) : undefined;
}

export interface GlossaryEntry {
  readonly term: string;
  readonly english: string;
  readonly definition: string;
  /** The notes that give this definition, labelled by the caller (relative paths for the CLI). */
  readonly sources: readonly string[];
}

export function glossaryEntries(index: WorkspaceIndex, label: (uri: string) => string = (u) => u): GlossaryEntry[] {
  const out: GlossaryEntry[] = [];
  const terms = [...index.terms()].map((x) => x.term).sort(termOrder.compare);
  for (const term of terms) {
    const defs = sortDefinitions(index, index.definitionsOf(term) as TermDefinition[]);
    const groups = new Map<string, { english: string; definition: string; sources: string[] }>();
    const add = (g: { sources: string[] }, uri: string) => {
      const source = label(uri);
      if (!g.sources.includes(source)) g.sources.push(source);
    };
    for (const d of defs) {
      if (!d.definition) continue;
      const key = `${normalizeDefinition(d.definition)}\u0000${d.english ? foldEnglish(d.english) : ''}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { english: d.english ?? '', definition: d.definition, sources: [] }));
      add(g, d.uri);
    }
    // A definition that only gives the English name (`**表征**（Representation）`) is a source of the
    // entries with that name; it gets an entry of its own only when nothing else explains the term.
    for (const d of defs) {
      if (d.definition) continue;
      const name = d.english ? foldEnglish(d.english) : '';
      const same = [...groups.values()].filter((g) => foldEnglish(g.english) === name);
      if (same.length) for (const g of same) add(g, d.uri);
      else {
        const key = `\u0000${name}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { english: d.english ?? '', definition: '', sources: [] }));
        add(g, d.uri);
      }
    }
    for (const g of groups.values()) out.push({ term, ...g });
  }
  return out;
}

export function exportGlossary(index: WorkspaceIndex, format: GlossaryFormat, label?: (uri: string) => string): string {
  const entries = glossaryEntries(index, label);
  switch (format) {
    case 'json':
      return JSON.stringify(entries, null, 2) + '\n';
    case 'csv':
      return toCsv(entries);
    case 'md':
      return toMarkdown(entries);
  }
}

/**
 * RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled, lines end with CRLF.
 * A field a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading apostrophe, the
 * usual defence against CSV injection.
 */
export function csvField(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

function toCsv(entries: readonly GlossaryEntry[]): string {
  const rows = [['term', 'english', 'definition', 'sources']];
  for (const e of entries) rows.push([e.term, e.english, e.definition, e.sources.join('; ')]);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function toMarkdown(entries: readonly GlossaryEntry[]): string {
  const lines = [
    `# ${t('Glossary')}`,
    '',
    `| ${t('Term')} | ${t('English')} | ${t('Definition')} | ${t('Sources')} |`,
    '| --- | --- | --- | --- |',
  ];
  for (const e of entries) {
    lines.push(`| ${escapeInline(e.term)} | ${escapeInline(e.english)} | ${escapeInline(e.definition)} | ${e.sources.map(escapeInline).join('; ')} |`);
  }
  return lines.join('\n') + '\n';
}
