import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { exampleVault, repoRoot } from '../support/paths';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '' } });

describe('notesense report (what `npm start` shows)', () => {
  const r = cli('report', exampleVault);

  it('exits 1 because the example vault has deliberate errors', () => {
    assert.equal(r.status, 1, r.stderr);
  });

  it('lists the problems of every provider, not only the parser', () => {
    for (const code of ['yaml-syntax', 'yaml-duplicate-key', 'schema-not-in-enum', 'schema-unknown-key', 'yaml-fullwidth-colon', 'glossary-conflict', 'entity-untagged-mention']) {
      assert.match(r.stdout, new RegExp(`\\s${code}\\s`), code);
    }
    assert.match(r.stdout, /^typos-and-traps\.md:15:1 {2}warning {2}schema-unknown-key {2}Unknown key "peopel"\. Did you mean "people"\?$/m);
  });

  it('lists the entities by key and the glossary with the defining note', () => {
    assert.match(r.stdout, /^ {2}people \(\d+\): Sam Altman ×\d+/m);
    assert.match(r.stdout, /^ {2}数据墙 — Data wall: .+ {2}\[2024-04-25-规模定律与数据墙\.md\]$/m);
  });
});

describe('notesense check', () => {
  it('prints JSON with relative files and LSP ranges', () => {
    const r = cli('check', exampleVault, '--format', 'json');
    assert.equal(r.status, 1);
    const json = JSON.parse(r.stdout) as { files: number; diagnostics: Array<{ file: string; range: { start: { line: number; character: number } }; severity: string; code: string; message: string }> };
    assert.ok(json.files >= 12);
    const d = json.diagnostics.find((x) => x.code === 'schema-unknown-key')!;
    assert.deepEqual(Object.keys(d).sort(), ['code', 'file', 'message', 'range', 'severity']);
    assert.equal(d.file, 'typos-and-traps.md');
    assert.deepEqual(d.range, { start: { line: 14, character: 0 }, end: { line: 14, character: 6 } });
  });

  it('exits 2 on a usage error', () => {
    assert.equal(cli('check', path.join(repoRoot, 'no-such-folder')).status, 2);
    assert.equal(cli('frobnicate', exampleVault).status, 2);
    assert.equal(cli('check', exampleVault, '--format', 'yaml').status, 2);
  });

  it('speaks Chinese with --lang zh-cn', () => {
    const r = cli('check', exampleVault, '--lang', 'zh-cn');
    assert.match(r.stdout, /篇笔记/);
  });
});
