import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_CORE_SETTINGS } from '../../../server/src/core/features/context';
import { problemsOf } from '../../../server/src/core/features/diagnostics';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { effectiveSchema, inferEnum, vaultView } from '../../../server/src/core/schema/infer';
import { renderInferredSchema } from '../../../server/src/core/schema/render';
import { compileUserSchema } from '../../../server/src/core/schema/userSchema';
import { exampleVault, fixtureVault } from '../../support/paths';
import { check, CLEAN, cleanVault } from './helpers';

function loadFolder(dir: string): Array<{ uri: string; name: string; text: string }> {
  return readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort().map((name) => ({
    name, uri: `file:///v/${encodeURIComponent(name)}`, text: readFileSync(path.join(dir, name), 'utf8').replace(/^\uFEFF/, ''),
  }));
}

function schemaProblemsOfVault(dir: string, skip: readonly string[]) {
  const notes = loadFolder(dir);
  const index = new WorkspaceIndex();
  for (const n of notes) index.set(summarize(n.uri, parseNote(n.text).note));
  const out: string[] = [];
  for (const n of notes) {
    if (skip.includes(n.name)) continue;
    const { note, problems } = parseNote(n.text);
    for (const p of problemsOf({ uri: n.uri, text: n.text, note, problems, index, settings: DEFAULT_CORE_SETTINGS })) {
      if (p.code.startsWith('schema-') || p.code.startsWith('yaml-fullwidth-')) out.push(`${n.name}: ${p.code} ${p.message}`);
    }
  }
  return out;
}

describe('inference gives no noise on clean notes', () => {
  it('examples/vault: the ten clean notes', () => {
    assert.deepEqual(schemaProblemsOfVault(exampleVault, ['broken-yaml.md', 'typos-and-traps.md']), []);
  });

  it('examples/vault: the deliberate mistakes of typos-and-traps.md are all found', () => {
    const found = schemaProblemsOfVault(exampleVault, loadFolder(exampleVault).map((n) => n.name).filter((n) => n !== 'typos-and-traps.md'))
      .map((s) => s.split(' ')[1]).sort();
    assert.deepEqual(found, ['schema-duplicate-item', 'schema-expected-list', 'schema-invalid-date', 'schema-not-in-enum', 'schema-unknown-key',
      'yaml-fullwidth-bracket', 'yaml-fullwidth-colon']);
  });

  it('test/fixtures/vault: every note that parses', () => {
    assert.deepEqual(schemaProblemsOfVault(fixtureVault, ['broken.md']), []);
  });
});

describe('inference', () => {
  it('makes keys nearly every note has required, and infers types and closed sets', () => {
    const schema = effectiveSchema(vaultView(cleanVault()));
    const status = schema.rules.get('status')!;
    assert.equal(status.required, true);
    assert.deepEqual([...status.enum!].sort(), ['budding', 'evergreen', 'seedling']);
    assert.equal(schema.rules.get('people')!.type, 'list');
    assert.equal(schema.rules.get('date')!.type, 'date');
    assert.equal(schema.rules.get('title')!.enum, undefined, 'free text is never a closed set');
  });

  it('infers nothing from too few notes, beyond the built-in types', () => {
    const schema = effectiveSchema(vaultView(cleanVault(2)));
    assert.equal(schema.rules.get('status')!.required, false);
    assert.equal(schema.rules.get('status')!.enum, undefined);
    assert.equal(schema.rules.get('people')!.type, 'list');
  });

  it('learns types of keys it does not know by majority', () => {
    const index = new WorkspaceIndex();
    for (let i = 0; i < 5; i++) index.set(summarize(`file:///v/${i}.md`, parseNote(CLEAN.replace('title:', `rating: ${i}\naliases: [a${i}]\ntitle:`)).note));
    const schema = effectiveSchema(vaultView(index));
    assert.equal(schema.rules.get('rating')!.type, 'number');
    assert.equal(schema.rules.get('aliases')!.type, 'list');
    const wrong = check(CLEAN.replace('title:', 'rating: 很高\naliases: 别名\ntitle:'), { index });
    assert.deepEqual(wrong.filter((p) => p.code.startsWith('schema-')).map((p) => p.code).sort(), ['schema-expected-list', 'schema-wrong-type']);
  });

  it('never counts the note being checked: its typo is not an allowed value', () => {
    const index = cleanVault();
    const typo = CLEAN.replace('status: evergreen', 'status: evergren');
    index.set(summarize('file:///vault/note.md', parseNote(typo).note));
    assert.equal(check(typo, { index }).filter((p) => p.code === 'schema-not-in-enum').length, 1);
  });

  it('does not fault a value another note also uses, even outside the closed set', () => {
    const index = cleanVault();
    const other = CLEAN.replace('status: evergreen', 'status: archived');
    index.set(summarize('file:///vault/other.md', parseNote(other).note));
    assert.deepEqual(check(other, { index }).filter((p) => p.code === 'schema-not-in-enum'), []);
  });

  it('leaves values used once out of a closed set, and gives up on open sets', () => {
    const usage = (values: Array<[string, number]>) => ({
      key: 'k', notes: 20, open: false, values, classes: new Map([['string', values.reduce((a, [, n]) => a + n, 0)]] as const),
    });
    assert.deepEqual(inferEnum(usage([['a', 8], ['b', 6], ['typo', 1]])), ['a', 'b']);
    assert.equal(inferEnum(usage([['a', 3], ['b', 1], ['c', 1], ['d', 1], ['e', 1], ['f', 1], ['g', 1], ['h', 1]])), undefined);
  });

  it('stays equal to a rebuild when notes change, arrive and leave one by one', () => {
    const index = cleanVault();
    const view = () => JSON.stringify([...effectiveSchema(vaultView(index)).rules].map(([k, r]) => [k, r.type, r.required, r.enum]));
    view();
    index.set(summarize('file:///vault/clean-3.md', parseNote(CLEAN.replace('status: evergreen', 'status: budding')).note));
    index.delete('file:///vault/clean-4.md');
    index.set(summarize('file:///vault/new.md', parseNote(CLEAN.replace('tags:', 'extra: x\ntags:')).note));
    const incremental = view();
    const fresh = new WorkspaceIndex();
    for (const s of index.summaries()) fresh.set(s);
    const rebuilt = JSON.stringify([...effectiveSchema(vaultView(fresh)).rules].map(([k, r]) => [k, r.type, r.required, r.enum]));
    assert.equal(incremental, rebuilt);
  });
});

describe('the statistics of a key with many distinct values', () => {
  // More distinct values than `usage` lists (64): only the most used are kept, computed once per change.
  const note = (i: number, source: string, body = '') =>
    summarize(`file:///v/s${i}.md`, parseNote(`---\ntitle: 笔记 ${i}\nsource: ${source}\n---\n${body}正文\n`).note);
  const top = (index: WorkspaceIndex, exclude?: string) => vaultView(index, exclude).usage('source');
  const rebuilt = (index: WorkspaceIndex) => {
    const fresh = new WorkspaceIndex();
    for (const s of index.summaries()) fresh.set(s);
    return fresh;
  };

  it('follows the notes as they change, and equals a rebuild', () => {
    const index = new WorkspaceIndex();
    for (let i = 0; i < 80; i++) index.set(note(i, i < 5 ? 'alpha' : i < 9 ? 'beta' : `v${i}`));
    assert.equal(top(index).open, true);
    assert.deepEqual(top(index).values.slice(0, 2), [['alpha', 5], ['beta', 4]]);
    // A body edit leaves every field as it was; then six notes take a new value, one another kind.
    index.set(note(0, 'alpha', '改了正文'));
    for (let i = 20; i < 26; i++) index.set(note(i, 'gamma'));
    index.set(note(30, '[x, y]'));
    index.delete('file:///v/s1.md');
    assert.deepEqual(top(index).values.slice(0, 3), [['gamma', 6], ['alpha', 4], ['beta', 4]]);
    const fresh = rebuilt(index);
    assert.deepEqual(top(index), top(fresh));
    assert.deepEqual(top(index, 'file:///v/s20.md'), top(fresh, 'file:///v/s20.md'));
    assert.deepEqual(top(index, 'file:///v/s20.md').values[0], ['gamma', 5]);
    assert.deepEqual(top(index, 'file:///v/s30.md'), top(fresh, 'file:///v/s30.md'));
  });

  it('counts a note whose fields did not change once, however often it changes', () => {
    const index = new WorkspaceIndex();
    for (let i = 0; i < 70; i++) index.set(note(i, i < 3 ? 'alpha' : `v${i}`));
    const before = top(index);
    for (let k = 0; k < 5; k++) index.set(note(0, 'alpha', `第${k}次`));
    assert.deepEqual(top(index), before);
    assert.deepEqual(top(index), top(rebuilt(index)));
    assert.equal(vaultView(index).count('source'), 70);
  });
});

describe('the inferred schema as a file', () => {
  const text = renderInferredSchema(cleanVault(), { source: 'vault' });

  it('is YAML with coverage and top values as comments', () => {
    assert.match(text, /# 12 of 12 notes \(100%\)/);
    assert.match(text, /# most used: evergreen ×6, budding ×4, seedling ×2/);
    const schema = parse(text) as { properties: Record<string, { enum?: string[]; type?: string }>; required: string[] };
    assert.deepEqual(schema.properties['status']!.enum, ['evergreen', 'budding', 'seedling']);
    assert.equal(schema.properties['people']!.type, 'array');
    assert.ok(schema.required.includes('title'));
  });

  it('compiles, and the notes it was inferred from pass it', () => {
    const compiled = compileUserSchema(parse(text), 'file:///vault', 'file:///vault/.notesense/schema.yaml');
    assert.deepEqual(compiled.errors, []);
    const binding = compiled.schema!.bindings[0]!;
    for (const note of [CLEAN, CLEAN.replace('status: evergreen', 'status: seedling')]) {
      assert.equal(binding.validate(parseNote(note).note.frontMatter!.data), true, JSON.stringify(binding.validate.errors));
    }
  });

  it('the example vault\'s inferred schema accepts its clean notes', () => {
    const index = new WorkspaceIndex();
    const notes = loadFolder(exampleVault);
    for (const n of notes) index.set(summarize(n.uri, parseNote(n.text).note));
    const compiled = compileUserSchema(parse(renderInferredSchema(index)), 'file:///v', 'file:///v/s.yaml');
    const binding = compiled.schema!.bindings[0]!;
    for (const n of notes.filter((x) => !['broken-yaml.md', 'typos-and-traps.md'].includes(x.name))) {
      assert.equal(binding.validate(parseNote(n.text).note.frontMatter!.data), true, `${n.name}: ${JSON.stringify(binding.validate.errors)}`);
    }
  });
});
