/**
 * What `npm run package` puts into the .vsix: only the bundles, grammars, snippets, translations,
 * manifest strings, README, CHANGELOG, LICENSE, schemas and the images the README shows. Checked on
 * `vsce ls`, which applies .vscodeignore exactly as packaging does.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';

const ALLOWED = [
  /^package\.json$/, /^package\.nls(\.[a-z-]+)?\.json$/, /^README\.md$/, /^CHANGELOG\.md$/, /^LICENSE$/,
  /^dist\/(client|server|cli|summaryWorker)\.js$/, /^l10n\/bundle\.l10n\.[a-z-]+\.json$/, /^syntaxes\/[^/]+\.tmLanguage\.json$/,
  /^snippets\/[^/]+\.json$/, /^schemas\/[^/]+\.json$/, /^images\/[^/]+\.png$/,
];

describe('the .vsix contents', () => {
  const listed = execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], {
    cwd: repoRoot,
    encoding: 'utf8',
  }).split('\n').map((l) => l.trim()).filter((l) => l !== '');

  it('holds only run-time files: no sources, tests, source maps or node_modules', () => {
    const unexpected = listed.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(unexpected, []);
    assert.ok(!listed.some((f) => f.includes('node_modules') || f.endsWith('.ts') || f.endsWith('.map')));
  });

  it('holds everything the manifest points at', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      main: string; contributes: { grammars: { path: string }[]; snippets: { path: string }[] };
    };
    const needed = [manifest.main, ...manifest.contributes.grammars.map((g) => g.path), ...manifest.contributes.snippets.map((s) => s.path)]
      .map((p) => p.replace(/^\.\//, ''));
    for (const f of [...needed, 'dist/server.js', 'l10n/bundle.l10n.zh-cn.json', 'package.nls.zh-cn.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
      assert.ok(listed.includes(f), `${f} is packaged`);
    }
  });

  it('packages exactly the images the README shows', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const img of listed.filter((f) => f.startsWith('images/'))) {
      assert.ok(readme.includes(img), `${img} is packaged but README.md does not show it`);
    }
    for (const m of readme.matchAll(/\]\((images\/[^)\s]+)\)/g)) assert.ok(listed.includes(m[1]!), `${m[1]} is shown by README.md but not packaged`);
  });
});
