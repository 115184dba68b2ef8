import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';
import { GLOSSARY_VAULT } from './vault';

/** Runs the compiled CLI (`out/server/src/cli.js`, what esbuild bundles as dist/cli.js). */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'out', 'server', 'src', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('notesense glossary <folder>', () => {
  it('exports Markdown by default, sources relative to the folder', () => {
    const r = cli('glossary', GLOSSARY_VAULT);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith('# Glossary\n\n| Term | English | Definition | Sources |\n'), r.stdout);
    assert.ok(r.stdout.includes('| 数据墙 | Data wall | 指在AI模型训练中，高质量训练数据变得稀缺的瓶颈 | 2024-04-25-规模定律与数据墙.md; 2024-08-01-重复.md |'));
    assert.ok(!r.stdout.includes(GLOSSARY_VAULT));
  });

  it('exports JSON and CSV, and in Chinese headings with --lang zh-cn', () => {
    const json = JSON.parse(cli('glossary', GLOSSARY_VAULT, '--format', 'json').stdout) as Array<{ term: string }>;
    assert.equal(json.length, 7);
    const csv = cli('glossary', GLOSSARY_VAULT, '--format', 'csv').stdout;
    assert.equal(csv.split('\r\n')[0], 'term,english,definition,sources');
    assert.ok(cli('glossary', GLOSSARY_VAULT, '--lang', 'zh-cn').stdout.startsWith('# 术语表\n\n| 术语 | 英文 | 定义 | 来源 |'));
  });

  it('writes to --out, and refuses an unknown format with exit code 2', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notesense-glossary-'));
    try {
      const file = path.join(dir, 'glossary.csv');
      const r = cli('glossary', GLOSSARY_VAULT, '--format', 'csv', '--out', file);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.ok(readFileSync(file, 'utf8').startsWith('term,english,definition,sources\r\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = cli('glossary', GLOSSARY_VAULT, '--format', 'xml');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown glossary format "xml"/);
  });
});
