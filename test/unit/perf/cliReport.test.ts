/**
 * The CLI's reports written a diagnostic at a time (`writeJsonReport`, `writeTextReport`,
 * `writeSarifReport`) are the texts made from the whole list at once: `JSON.stringify(…, null, 2)` of the
 * report or of `toSarif`, and one line per diagnostic, byte for byte, with none, one or enough diagnostics to take many chunks, and messages that hold what JSON
 * escapes or leaves raw (quotes, line breaks, U+2028, Chinese, emoji).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { toSarif, writeJsonReport, writeSarifReport, writeTextReport, type CliDiagnostic } from '../../../server/src/host/check';

const SEVERITIES = ['error', 'warning', 'information', 'hint'];
const MESSAGES = ['"数据墙" is defined differently in 3 other note(s).', 'a "quoted"\nline\r\nbreak\ttab', 'line\u2028separator\u2029paragraph', 'emoji 😀 and \\ backslash', ''];

function diagnostics(n: number): CliDiagnostic[] {
  return Array.from({ length: n }, (_, i) => ({
    file: `笔记/${String(i).padStart(5, '0')}.md`,
    range: { start: { line: i, character: i % 7 }, end: { line: i + (i % 2), character: 3 } },
    severity: SEVERITIES[i % SEVERITIES.length]!,
    code: i % 3 === 0 ? 'glossary-conflict' : 'schema-unknown-key',
    message: MESSAGES[i % MESSAGES.length]!,
  }));
}

function written(report: typeof writeJsonReport, files: number, ds: CliDiagnostic[]): { text: string; chunks: number; tally: ReturnType<typeof writeJsonReport> } {
  const chunks: string[] = [];
  // A generator, as the CLI passes: the report must not need the list.
  const tally = report(files, (function* () {
    yield* ds;
  })(), (c) => chunks.push(c));
  return { text: chunks.join(''), chunks: chunks.length, tally };
}

describe('CLI reports written a diagnostic at a time', () => {
  for (const n of [0, 1, 2, 7, 3000]) {
    it(`JSON: the same text as JSON.stringify of the whole report (${n} diagnostics)`, () => {
      const ds = diagnostics(n);
      const { text, chunks, tally } = written(writeJsonReport, 42, ds);
      assert.equal(text, JSON.stringify({ files: 42, diagnostics: ds }, null, 2) + '\n');
      assert.deepEqual(JSON.parse(text), { files: 42, diagnostics: ds });
      assert.deepEqual(tally, { errors: ds.filter((d) => d.severity === 'error').length, warnings: ds.filter((d) => d.severity === 'warning').length, total: n });
      if (n === 3000) assert.ok(chunks > 3, `${chunks} chunks`);
    });

    it(`SARIF: the same text as JSON.stringify of toSarif (${n} diagnostics)`, () => {
      const ds = diagnostics(n);
      const root = '/仓库/my notes';
      const chunks: string[] = [];
      const tally = writeSarifReport(ds, '0.1.0', root, (c) => chunks.push(c));
      const text = chunks.join('');
      assert.equal(text, JSON.stringify(toSarif(ds, '0.1.0', root), null, 2) + '\n');
      assert.equal((JSON.parse(text) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results.length, n);
      assert.equal(tally.total, n);
      if (n === 3000) assert.ok(chunks.length > 3, `${chunks.length} chunks`);
    });

    it(`text: one line per diagnostic and the count (${n} diagnostics)`, () => {
      const ds = diagnostics(n);
      const { text, tally } = written(writeTextReport, 42, ds);
      const lines = ds.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}  ${d.severity}  ${d.code}  ${d.message}\n`);
      const errors = ds.filter((d) => d.severity === 'error').length;
      const warnings = ds.filter((d) => d.severity === 'warning').length;
      assert.equal(text, lines.join('') + `42 notes checked: ${errors} errors, ${warnings} warnings, ${n - errors - warnings} other.\n`);
      assert.equal(tally.total, n);
    });
  }
});
