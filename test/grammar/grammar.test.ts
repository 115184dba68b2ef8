/**
 * Snapshot tests of the TextMate injection grammars (syntaxes/*.injection.tmLanguage.json): real `.md`
 * fixtures are tokenised with vscode-textmate and vscode-oniguruma, the engine VS Code itself uses, and
 * every token that carries a NoteSense scope is written to a golden file next to the fixture.
 *
 * The host Markdown grammar is a small stand-in (host/markdown-host.tmLanguage.json) because VS Code's
 * Markdown grammar is not on npm in a package we depend on. Only the `.notesense` scopes go into the
 * golden files, so the same snapshots also hold against VS Code's real Markdown and YAML grammars: set
 * NOTESENSE_VSCODE_EXTENSIONS to a VS Code `extensions` folder (scripts/e2e-run.sh points it at
 * code-server's) to run them there too.
 *
 * `UPDATE_SNAPSHOTS=1` rewrites the golden files instead of comparing.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { repoRoot } from '../support/paths';

const here = path.join(repoRoot, 'test', 'grammar');
const fixtures = path.join(here, 'fixtures');
const update = process.env['UPDATE_SNAPSHOTS'] === '1';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
};
const injections = manifest.contributes.grammars.filter((g) => g.injectTo?.includes('text.html.markdown'));

let onigLib: Promise<textmate.IOnigLib> | undefined;
function onig(): Promise<textmate.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

/** A registry with the given host grammars (scope name → file) plus NoteSense's injections. */
async function markdownGrammar(hosts: Record<string, string>): Promise<textmate.IGrammar> {
  const files: Record<string, string> = { ...hosts };
  for (const g of injections) files[g.scopeName] = path.join(repoRoot, g.path);
  const registry = new textmate.Registry({
    onigLib: onig(),
    loadGrammar: async (scopeName) => {
      const file = files[scopeName];
      return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => (scopeName === 'text.html.markdown' ? injections.map((g) => g.scopeName) : undefined),
  });
  const grammar = await registry.loadGrammar('text.html.markdown');
  assert.ok(grammar, 'the Markdown grammar loads');
  return grammar;
}

/**
 * The snapshot of one note: each line that has NoteSense tokens, followed by one row per token
 * (UTF-16 columns, the token's text, its NoteSense scopes).
 */
function snapshot(grammar: textmate.IGrammar, text: string): string {
  // As VS Code does when it opens a file: the BOM is not part of the text, and lines split on any EOL.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: string[] = [];
  let state = textmate.INITIAL;
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    const rows: string[] = [];
    for (const tok of r.tokens) {
      const ours = tok.scopes.filter((s) => s.endsWith('.notesense'));
      if (ours.length === 0) continue;
      rows.push(`  ${tok.startIndex}-${tok.endIndex} ${JSON.stringify(line.slice(tok.startIndex, tok.endIndex))} ${ours.join(' ')}`);
    }
    if (rows.length > 0) out.push(`${i + 1}: ${line}`, ...rows);
  });
  return `${out.join('\n')}\n`;
}

const fixtureFiles = readdirSync(fixtures).filter((f) => f.endsWith('.md')).sort();

function checkAll(grammar: () => Promise<textmate.IGrammar>, mayUpdate: boolean) {
  for (const name of fixtureFiles) {
    it(name, async () => {
      const actual = snapshot(await grammar(), readFileSync(path.join(fixtures, name), 'utf8'));
      const golden = path.join(fixtures, `${name}.tokens`);
      if (update && mayUpdate) writeFileSync(golden, actual);
      assert.ok(existsSync(golden), `${golden} is missing: run with UPDATE_SNAPSHOTS=1`);
      assert.equal(actual, readFileSync(golden, 'utf8'));
    });
  }
}

describe('injection grammars on the stand-in Markdown grammar', () => {
  const grammar = () => markdownGrammar({ 'text.html.markdown': path.join(here, 'host', 'markdown-host.tmLanguage.json') });
  checkAll(grammar, true);

  it('are contributed with injectTo for Markdown', () => {
    assert.deepEqual(injections.map((g) => g.scopeName).sort(), ['notesense.frontmatter.injection', 'notesense.markdown.injection']);
  });

  it('scope each part of a definition', async () => {
    const g = await grammar();
    const line = '“**数据墙**”（Data wall: 指在AI模型训练中…）';
    const scopesAt = (needle: string) => {
      const at = line.indexOf(needle);
      const tok = g.tokenizeLine(line, textmate.INITIAL).tokens.find((t) => t.startIndex <= at && at < t.endIndex);
      return tok?.scopes ?? [];
    };
    assert.ok(scopesAt('数据墙').includes('entity.name.term.notesense'));
    assert.ok(scopesAt('Data wall').includes('string.other.english.notesense'));
    assert.ok(scopesAt('指在').includes('meta.definition.text.notesense'));
    assert.ok(scopesAt('“').includes('meta.definition.notesense'));
  });
});

// VS Code's own grammars, when a VS Code build is at hand (code-server's, after scripts/e2e-setup.sh).
const vscodeExtensions = process.env['NOTESENSE_VSCODE_EXTENSIONS'];
describe('injection grammars on VS Code\'s Markdown and YAML grammars', { skip: vscodeExtensions ? false : 'NOTESENSE_VSCODE_EXTENSIONS is not set' }, () => {
  const grammar = () => markdownGrammar({
    'text.html.markdown': path.join(vscodeExtensions ?? '', 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json'),
    'source.yaml': path.join(vscodeExtensions ?? '', 'yaml', 'syntaxes', 'yaml.tmLanguage.json'),
    'source.yaml.1.2': path.join(vscodeExtensions ?? '', 'yaml', 'syntaxes', 'yaml-1.2.tmLanguage.json'),
    'source.yaml.1.3': path.join(vscodeExtensions ?? '', 'yaml', 'syntaxes', 'yaml-1.3.tmLanguage.json'),
    'source.yaml.1.1': path.join(vscodeExtensions ?? '', 'yaml', 'syntaxes', 'yaml-1.1.tmLanguage.json'),
    'source.yaml.1.0': path.join(vscodeExtensions ?? '', 'yaml', 'syntaxes', 'yaml-1.0.tmLanguage.json'),
    'source.yaml.embedded': path.join(vscodeExtensions ?? '', 'yaml', 'syntaxes', 'yaml-embedded.tmLanguage.json'),
  });
  checkAll(grammar, false);
});
