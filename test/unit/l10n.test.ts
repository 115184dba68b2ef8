import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths';

/** Every message a user reads exists in English (the source) and Simplified Chinese (the bundle). */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const CALL = /\b(?:l10n\.)?t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;

function messages(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of [...sources(path.join(repoRoot, 'server', 'src')), ...sources(path.join(repoRoot, 'client', 'src'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) {
      // Unescape the literal the way JavaScript would.
      const literal = m[1] === '`' ? m[2]! : (JSON.parse(`"${m[2]!.replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"')}"`) as string);
      found.set(literal, path.relative(repoRoot, file));
    }
  }
  return found;
}

describe('localisation', () => {
  const bundle = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const used = messages();

  it('finds the messages in the sources', () => {
    assert.ok(used.size > 20, `only ${used.size} messages found`);
  });

  it('translates every message to Simplified Chinese', () => {
    const missing = [...used].filter(([m]) => !(m in bundle)).map(([m, f]) => `${f}: ${m}`);
    assert.deepEqual(missing, []);
  });

  it('keeps every placeholder in the translation', () => {
    for (const [en, zh] of Object.entries(bundle)) {
      const ph = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
      assert.equal(ph(zh), ph(en), en);
    }
  });

  it('has no stale translations', () => {
    const stale = Object.keys(bundle).filter((m) => !used.has(m));
    assert.deepEqual(stale, []);
  });

  it('translates every manifest string', () => {
    const en = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const zh = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const manifest = readFileSync(path.join(repoRoot, 'package.json'), 'utf8');
    for (const m of manifest.matchAll(/"%([^%"]+)%"/g)) assert.ok(m[1]! in en, `package.json uses %${m[1]}% which package.nls.json lacks`);
  });
});
