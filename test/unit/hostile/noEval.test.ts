/**
 * No code from a note ever runs. Every payload below writes a marker file when evaluated; the tests
 * check that the marker never appears, through the parser, the CLI's vault loader and the bundled server,
 * and that the check script rejects a bundle that could evaluate. test/unit/parse/frontMatter.test.ts
 * covers the closed `---js`/`---coffee` blocks; these are the remaining openers, line breaks and paths.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseNote } from '../../../server/src/core/parse/note';
import { loadVault } from '../../../server/src/host/vault';
import { fileUri, startServer } from '../../support/lsp';
import { repoRoot } from '../../support/paths';

const dir = mkdtempSync(path.join(tmpdir(), 'notesense-noeval-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** A fresh marker path per payload, so one payload's marker cannot hide another's. */
const marker = () => path.join(dir, `pwned-${++counter}`);

const jsPayload = (m: string) => `require('fs').writeFileSync(${JSON.stringify(m)}, 'x'); module.exports = { title: 'x' }`;
const coffeePayload = (m: string) => `require('fs').writeFileSync ${JSON.stringify(m)}, 'x'`;

interface Case {
  readonly name: string;
  readonly note: (m: string) => string;
  /** The opening line as the range of the frontmatter-language problem covers it (BOM excluded). */
  readonly opener: string;
}

const cases: Case[] = [];
for (const opener of ['---js', '---javascript', '--- JavaScript', '---coffee', '---JS  ', '---ts']) {
  const body = opener.includes('coffee') ? coffeePayload : jsPayload;
  for (const [eolName, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
    cases.push({ name: `${opener.trim()} ${eolName} closed`, opener, note: (m) => [opener, body(m), '---', '**数据墙**（Data wall: 瓶颈）', ''].join(eol) });
    cases.push({ name: `${opener.trim()} ${eolName} unclosed`, opener, note: (m) => [opener, body(m), ''].join(eol) });
    cases.push({ name: `${opener.trim()} ${eolName} BOM`, opener, note: (m) => '\uFEFF' + [opener, body(m), '---', ''].join(eol) });
  }
}

describe('front matter that names a language is reported, never run', () => {
  it('the payload is real: gray-matter, which NoteSense does not use, runs it', async () => {
    // gray-matter is a dev dependency only for this proof and the split-agreement test.
    const matter = (await import('gray-matter')).default;
    const m = marker();
    matter(`---js\n${jsPayload(m)}\n---\nbody\n`);
    assert.equal(existsSync(m), true, 'the payload must write its marker when evaluated, or these tests prove nothing');
  });

  for (const c of cases) {
    it(c.name, () => {
      const m = marker();
      const text = c.note(m);
      const { note, problems } = parseNote(text);
      const lang = problems.filter((p) => p.code === 'frontmatter-language');
      assert.equal(lang.length, 1, JSON.stringify(problems));
      const bom = text.startsWith('\uFEFF') ? 1 : 0;
      assert.deepEqual(lang[0]!.range, { start: { line: 0, character: bom }, end: { line: 0, character: bom + c.opener.length } });
      assert.deepEqual(note.frontMatter!.fields, []);
      assert.deepEqual(note.frontMatter!.data, {});
      assert.equal(existsSync(m), false);
    });
  }

  it('keeps reading the body after a closed block in another language', () => {
    const { note } = parseNote(`---coffee\r\n${coffeePayload(marker())}\r\n---\r\n**数据墙**（Data wall: 瓶颈）\r\n`);
    assert.deepEqual(note.body.definitions.map((d) => d.term), ['数据墙']);
  });

  it('YAML tags that name JavaScript are plain text', () => {
    const m = marker();
    const fn = `function () { require("fs").writeFileSync(${JSON.stringify(m)}, "x") }`;
    const text = `---\nf: !!js/function '${fn}'\nr: !!js/regexp /a/g\nu: !!js/undefined ''\nt: !<tag:yaml.org,2002:js/function> '${fn}'\n---\n`;
    const { note, problems } = parseNote(text);
    const data = note.frontMatter!.data;
    for (const v of Object.values(data)) assert.notEqual(typeof v, 'function');
    assert.equal(data['f'], fn);
    assert.equal(data['r'], '/a/g');
    const warnings = problems.filter((p) => p.code === 'yaml-warning');
    assert.deepEqual(warnings.map((p) => p.range.start.line), [1, 2, 3, 4]);
    assert.equal(existsSync(m), false);
  });

  it('the CLI loader reads such notes from disk without running them', async () => {
    const vault = mkdtempSync(path.join(dir, 'vault-'));
    const markers = cases.map((c, i) => {
      const m = marker();
      writeFileSync(path.join(vault, `note-${i}.md`), c.note(m));
      return m;
    });
    const notes = await loadVault(vault);
    assert.equal(notes.length, cases.length);
    for (const n of notes) assert.ok(n.problems.some((p) => p.code === 'frontmatter-language'), n.relative);
    for (const m of markers) assert.equal(existsSync(m), false, m);
  });

  it('the bundled server reports them and runs nothing', async (t) => {
    if (!existsSync(path.join(repoRoot, 'dist', 'server.js'))) return t.skip('dist/server.js is not built');
    const server = await startServer({ capabilities: { textDocument: { publishDiagnostics: {} } } });
    try {
      const markers: string[] = [];
      const uris: string[] = [];
      cases.forEach((c, i) => {
        const m = marker();
        markers.push(m);
        const uri = fileUri(path.join(dir, `open-${i}.md`));
        uris.push(uri);
        server.open(uri, c.note(m));
      });
      for (const uri of uris) {
        await server.waitForNotification<{ uri: string; diagnostics: Array<{ code?: unknown }> }>('textDocument/publishDiagnostics',
          (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'frontmatter-language'));
      }
      for (const m of markers) assert.equal(existsSync(m), false, m);
    } finally {
      await server.stop();
    }
  });
});

describe('scripts/check-no-eval.mjs', () => {
  const script = path.join(repoRoot, 'scripts', 'check-no-eval.mjs');

  it('passes on the real entry points', (t) => {
    if (!existsSync(path.join(repoRoot, 'dist', 'server.js'))) return t.skip('dist/ is not built');
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /server\/src\/main\.ts: \d+ modules/);
    assert.match(r.stdout, /server\/src\/cli\.ts: \d+ modules/);
  });

  it('fails on an entry that bundles gray-matter and calls eval and new Function', () => {
    const r = spawnSync(process.execPath, [script, '--entry', 'test/fixtures/hostile/eval-entry.js'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /bundles gray-matter/);
    assert.match(r.stderr, /eval\( in node_modules\/gray-matter\/lib\/engines\.js/);
    assert.match(r.stderr, /new Function in test\/fixtures\/hostile\/eval-entry\.js/);
    assert.match(r.stderr, /Function\( in test\/fixtures\/hostile\/eval-entry\.js/);
  });
});
