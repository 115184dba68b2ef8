import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { fixturesDir, repoRoot } from '../support/paths';

/** `notesense check` and `notesense schema infer`, run as the bundled CLI (dist/cli.js, built before the LSP tests) on a copy of the fixtures. */
const cli = path.join(repoRoot, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args, '--lang', 'en'], { encoding: 'utf8' });

describe('notesense check and schema infer', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'notesense-cli-'));
    for (let i = 0; i < 12; i++) {
      const status = ['evergreen', 'budding', 'seedling'][i % 3];
      cpSync(path.join(fixturesDir, 'schema', 'clean.md'), path.join(dir, `clean-${i}.md`));
      const file = path.join(dir, `clean-${i}.md`);
      const text = readFileSync(file, 'utf8').replace('status: evergreen', `status: ${status}`);
      writeFileSync(file, text);
    }
    for (const name of ['values.md', 'crlf.md', 'bom.md', 'traps.md']) cpSync(path.join(fixturesDir, 'schema', 'cases', name), path.join(dir, name));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports schema problems with file, line and column, and exits 1 on errors', () => {
    const r = run('check', dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^values\.md:8:7 {2}warning {2}schema-date-format {2}/m);
    assert.match(r.stdout, /^bom\.md:5:7 {2}error {2}schema-invalid-date/m);
    assert.match(r.stdout, /^traps\.md:21:6 {2}error {2}yaml-fullwidth-colon/m);
  });

  it('writes SARIF 2.1.0 with UTF-16 columns', () => {
    const r = run('check', dir, '--format', 'sarif');
    const sarif = JSON.parse(r.stdout) as { version: string; runs: Array<{ columnKind: string; results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endColumn: number } } }> }> }> };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0]!.columnKind, 'utf16CodeUnits');
    const date = sarif.runs[0]!.results.find((x) => x.ruleId === 'schema-date-format' && x.locations[0]!.physicalLocation.artifactLocation.uri === 'values.md')!;
    assert.equal(date.level, 'warning');
    assert.deepEqual(date.locations[0]!.physicalLocation.region, { startLine: 8, startColumn: 7, endLine: 8, endColumn: 15 });
  });

  it('--fix applies the safe fixes to the files, keeping CRLF and the BOM', () => {
    const r = run('check', dir, '--fix');
    assert.match(r.stderr, /fixed: values\.md/);
    assert.equal(readFileSync(path.join(dir, 'values.md'), 'utf8'), readFileSync(path.join(fixturesDir, 'schema', 'cases', 'values.fixed.md'), 'utf8'));
    assert.equal(readFileSync(path.join(dir, 'crlf.md'), 'utf8'), readFileSync(path.join(fixturesDir, 'schema', 'cases', 'crlf.fixed.md'), 'utf8'));
    const bom = readFileSync(path.join(dir, 'bom.md'));
    assert.deepEqual([...bom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(readFileSync(path.join(dir, 'clean-0.md'), 'utf8'), readFileSync(path.join(fixturesDir, 'schema', 'clean.md'), 'utf8'));
    assert.doesNotMatch(r.stdout, /schema-date-format|schema-duplicate-item|yaml-fullwidth/);
    assert.match(r.stdout, /schema-not-in-enum/, 'what is not safe to fix is still reported');
  });

  it('schema infer prints the inferred schema, or writes it with --out', () => {
    const r = run('schema', 'infer', dir);
    assert.equal(r.status, 0, r.stderr);
    const schema = parse(r.stdout) as { properties: Record<string, { enum?: string[] }>; required: string[] };
    assert.deepEqual([...schema.properties['status']!.enum!].sort(), ['budding', 'evergreen', 'seedling']);
    const out = path.join(dir, 'schema.yaml');
    assert.equal(run('schema', 'infer', dir, '--out', out).status, 0);
    assert.equal(readFileSync(out, 'utf8'), r.stdout);
  });

  it('--schema names a schema file (relative to the current directory); one that cannot be used is a usage error', () => {
    const r = spawnSync(process.execPath, [cli, 'check', dir, '--schema', path.join('test', 'fixtures', 'schema', 'workspace', '.notesense', 'schema.yaml'), '--lang', 'en'], { encoding: 'utf8', cwd: repoRoot });
    assert.match(r.stdout, /schema-unknown-key {2}Unknown key "area": the schema does not allow it\./);
    const missing = run('check', dir, '--schema', path.join(dir, 'nope.yaml'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /does not exist/);
  });

  it('uses the folder\'s .notesense/schema.yaml', () => {
    const r = run('check', path.join(fixturesDir, 'schema', 'workspace'));
    assert.match(r.stdout, /^note\.md:6:9 {2}warning {2}schema-violation/m);
  });
});
