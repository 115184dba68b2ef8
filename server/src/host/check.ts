/**
 * `notesense check` over a folder: every note checked by the same providers as in the editor (schema,
 * glossary, entities), against an index of the whole folder and the folder's user schema when it has
 * one; `--fix` applies the safe fixes to the files; SARIF output for code-scanning tools.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Range } from 'vscode-languageserver-types';
import { codeInfo } from '../core/codes';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../core/features/context';
import { problemsOf, severityOf, type SeveritySetting } from '../core/features/diagnostics';
import { keepEveryDefinitionList } from '../core/glossary/lexicon';
import { warmUpPinyin } from '../core/glossary/pinyin';
import { summarizeDetached } from '../core/index/summary';
import { WorkspaceIndex } from '../core/index/workspaceIndex';
import { parseNote } from '../core/parse/note';
import { t } from '../core/l10n';
import type { Problem } from '../core/parse/types';
import { fixAllEdits } from '../core/schema/codeActions';
import { applyEdits } from '../core/schema/edits';
import type { UserSchema } from '../core/schema/userSchema';
import { loadFolderSchema } from './schemaFile';
import { listVault, readVaultNote, type VaultFile } from './vault';

export interface CheckedVault {
  readonly root: string;
  /** The notes, listed: each is read again when it is checked (see `readVaultNote`). */
  readonly notes: readonly VaultFile[];
  readonly index: WorkspaceIndex;
  readonly schemas: readonly UserSchema[];
  /** Why the schema file could not be used (the check then infers). */
  readonly schemaErrors: readonly string[];
}

/**
 * The folder's notes indexed, one at a time: a note's text and parse are dropped once its summary is in
 * the index, and read again when the note is checked. Kept for the whole vault, they were ~4 GB at
 * 10,000 notes of the seed's size (every text and every parse at once).
 */
export async function loadForCheck(folder: string, schemaSetting = ''): Promise<CheckedVault> {
  // The pinyin library first, as the server does before a scan without a cache (see `warmUpPinyin`).
  // Loaded instead by the first value that needs it, in the middle of this pass, it left V8 sizing the
  // heap from a smaller start: at 10,000 notes the check's peak RSS was 1.47 GB against 0.62 GB, and it
  // took 52–66 s against 36–43 s.
  warmUpPinyin();
  const { root, files } = await listVault(folder);
  const index = new WorkspaceIndex();
  for (const f of files) {
    // The index's parse, as the server's scan reads notes (equal to the full parse on what it keeps).
    const { result } = readVaultNote(root, f, { forIndex: true });
    if (result) index.set(summarizeDetached(f.uri, result.note));
  }
  const loaded = await loadFolderSchema(root, schemaSetting);
  return { root, notes: files, index, schemas: loaded?.schema ? [loaded.schema] : [], schemaErrors: loaded?.errors ?? [] };
}

function contextOf(v: CheckedVault, uri: string, text: string, result: ReturnType<typeof parseNote>): DocumentContext {
  return { uri, text, note: result.note, problems: result.problems, index: v.index, settings: { ...DEFAULT_CORE_SETTINGS, schemas: v.schemas, relatedInformation: false } };
}

/** Every problem of a note: the file's own (skipped, unreadable) or everything the providers report. */
export function problemsOfNote(v: CheckedVault, f: VaultFile): readonly Problem[] {
  const n = readVaultNote(v.root, f);
  if (n.text === undefined || !n.result) return n.problems;
  return problemsOf(contextOf(v, n.uri, n.text, n.result));
}

export interface CliDiagnostic {
  readonly file: string;
  readonly range: Range;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

export function diagnosticsOfVault(v: CheckedVault, severity: Readonly<Record<string, SeveritySetting>> = {}): CliDiagnostic[] {
  return [...vaultDiagnostics(v, severity)];
}

/** The diagnostics of `diagnosticsOfVault` one at a time, each note's as it is checked. */
export function* vaultDiagnostics(v: CheckedVault, severity: Readonly<Record<string, SeveritySetting>> = {}): Generator<CliDiagnostic> {
  // Every note's conflict checks read every term's definition list: built in one pass, and all kept.
  keepEveryDefinitionList(v.index);
  for (const n of v.notes) {
    for (const p of problemsOfNote(v, n)) {
      const s = severityOf(p.code, p.severity, { severity });
      if (s === 'off') continue;
      yield { file: n.relative, range: p.range, severity: s, code: p.code, message: p.message };
    }
  }
}

/** How many diagnostics a report wrote, and how many of them were errors and warnings. */
export interface ReportTally {
  errors: number;
  warnings: number;
  total: number;
}

/** About how many characters a report hands to `write` at a time. */
const REPORT_CHUNK = 1 << 16;

/** Gathers a report's text and hands it to `write` in chunks of about REPORT_CHUNK characters. */
class Chunks {
  private chunk = '';
  constructor(private readonly write: (chunk: string) => void) {}

  add(text: string): void {
    this.chunk += text;
    if (this.chunk.length >= REPORT_CHUNK) {
      this.write(this.chunk);
      this.chunk = '';
    }
  }

  end(text: string): void {
    this.write(this.chunk + text);
    this.chunk = '';
  }
}

function tallied(tally: ReportTally, d: CliDiagnostic): void {
  tally.total++;
  if (d.severity === 'error') tally.errors++;
  else if (d.severity === 'warning') tally.warnings++;
}

/**
 * Writes `JSON.stringify(document, null, 2)` and a line break, where `document` holds the empty array
 * `"<key>": []` (its only one under that key): that array gets `diagnostics` as `toItem` makes them, one
 * at a time, in chunks, so neither the items' objects nor the whole text are kept. The document is laid out
 * with no items, and each item's own text is indented to the array's depth. A string in JSON holds no
 * raw line break (`\n` is escaped), so every line break of an item's text is one of the layout's.
 */
function writeJsonWithArray(document: object, key: string, diagnostics: Iterable<CliDiagnostic>, toItem: (d: CliDiagnostic) => object, write: (chunk: string) => void): ReportTally {
  const tally: ReportTally = { errors: 0, warnings: 0, total: 0 };
  const skeleton = JSON.stringify(document, null, 2);
  const marker = `${JSON.stringify(key)}: []`;
  const at = skeleton.indexOf(marker);
  const indent = ' '.repeat(at - skeleton.lastIndexOf('\n', at) - 1);
  const out = new Chunks(write);
  out.add(skeleton.slice(0, at + marker.length - 1));
  for (const d of diagnostics) {
    tallied(tally, d);
    const text = JSON.stringify(toItem(d), null, 2).split('\n').join(`\n${indent}  `);
    out.add(`${tally.total === 1 ? '' : ','}\n${indent}  ${text}`);
  }
  out.end(`${tally.total === 0 ? '' : `\n${indent}`}]${skeleton.slice(at + marker.length)}\n`);
  return tally;
}

/**
 * Writes `{ files, diagnostics }` exactly as `JSON.stringify(…, null, 2)` and a line break would, one
 * diagnostic at a time, in chunks of about REPORT_CHUNK characters. At 10,000 notes of the seed's size the
 * whole text was one 72 MB string (two bytes a character: its messages are Chinese) and a UTF-8 copy of
 * it, besides the 181,599 diagnostics kept to make it.
 */
export function writeJsonReport(files: number, diagnostics: Iterable<CliDiagnostic>, write: (chunk: string) => void): ReportTally {
  return writeJsonWithArray({ files, diagnostics: [] }, 'diagnostics', diagnostics, (d) => d, write);
}

/**
 * Writes one line per diagnostic (`file:line:column  severity  code  message`) and a line that counts
 * them, in chunks of about REPORT_CHUNK characters (a write per line was 181,599 writes at 10,000 notes).
 */
export function writeTextReport(files: number, diagnostics: Iterable<CliDiagnostic>, write: (chunk: string) => void): ReportTally {
  const tally: ReportTally = { errors: 0, warnings: 0, total: 0 };
  const out = new Chunks(write);
  for (const d of diagnostics) {
    tallied(tally, d);
    out.add(`${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}  ${d.severity}  ${d.code}  ${d.message}\n`);
  }
  const { errors, warnings, total } = tally;
  out.end(t('{0} notes checked: {1} errors, {2} warnings, {3} other.', files, errors, warnings, total - errors - warnings) + '\n');
  return tally;
}

/** How many passes `--fix` makes over one note: a fix can reveal another (a trap hid a wrong date). */
const MAX_FIX_PASSES = 5;

/** Applies every safe fix to the files. Returns the files changed. */
export async function fixVault(v: CheckedVault): Promise<string[]> {
  const changed: string[] = [];
  for (const f of v.notes) {
    const n = readVaultNote(v.root, f);
    if (n.text === undefined || !n.result) continue;
    let text = n.text;
    let result = n.result;
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const edits = fixAllEdits(contextOf(v, n.uri, text, result));
      if (edits.length === 0) break;
      text = applyEdits(text, edits);
      result = parseNote(text);
      v.index.set(summarizeDetached(n.uri, result.note));
    }
    if (text === n.text) continue;
    // The reader removed the BOM; put it back so that the fix changes nothing but the problems.
    const head = await fsp.readFile(n.file).then((b) => b.subarray(0, 3), () => Buffer.alloc(0));
    const bom = head.length === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? '\uFEFF' : '';
    await fsp.writeFile(n.file, bom + text, 'utf8');
    changed.push(n.relative);
  }
  return changed;
}

const SARIF_LEVEL: Record<string, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0 for code-scanning tools. Columns are UTF-16 code units, as in LSP. */
export function toSarif(diags: readonly CliDiagnostic[], version: string, root: string): object {
  const codes = sarifRules(diags);
  return sarifSkeleton(codes, version, root, diags.map((d) => sarifResult(d, codes)));
}

/** The codes of `diags`, each once, in order: the SARIF rules, which each result points at by position. */
function sarifRules(diags: readonly CliDiagnostic[]): string[] {
  return [...new Set(diags.map((d) => d.code))].sort();
}

function sarifSkeleton(codes: readonly string[], version: string, root: string, results: readonly object[]): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'NoteSense',
          version,
          rules: codes.map((id) => ({
            id,
            shortDescription: { text: id },
            defaultConfiguration: { level: SARIF_LEVEL[codeInfo(id)?.severity ?? 'warning'] ?? 'warning' },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root + path.sep).href } },
      results,
    }],
  };
}

function sarifResult(d: CliDiagnostic, codes: readonly string[]): object {
  return {
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: SARIF_LEVEL[d.severity] ?? 'warning',
    message: { text: d.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: d.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' },
        region: {
          startLine: d.range.start.line + 1,
          startColumn: d.range.start.character + 1,
          endLine: d.range.end.line + 1,
          endColumn: d.range.end.character + 1,
        },
      },
    }],
  };
}

/**
 * Writes `toSarif(diags, …)` exactly as `JSON.stringify(…, null, 2)` and a line break would, one result at
 * a time, in chunks of about REPORT_CHUNK characters. The rules come before the results and list the
 * codes found, so the diagnostics are all gathered first; their results and the whole text are not.
 */
export function writeSarifReport(diags: readonly CliDiagnostic[], version: string, root: string, write: (chunk: string) => void): ReportTally {
  const codes = sarifRules(diags);
  return writeJsonWithArray(sarifSkeleton(codes, version, root, []), 'results', diags, (d) => sarifResult(d, codes), write);
}
