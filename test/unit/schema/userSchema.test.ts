import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, after } from 'node:test';
import type { Problem } from '../../../server/src/core/parse/types';
import { applyEdits } from '../../../server/src/core/schema/edits';
import { bindingFor, compileUserSchema, type UserSchema } from '../../../server/src/core/schema/userSchema';
import { loadFolderSchema, SchemaStore } from '../../../server/src/host/schemaFile';
import { rangeOf } from '../../support/caret';
import { fixturesDir, readFixture } from '../../support/paths';
import { check, fixesOf, only } from './helpers';

const workspace = path.join(fixturesDir, 'schema', 'workspace');
const folderUri = pathToFileURL(workspace).href;
const noteUri = `${folderUri}/note.md`;

function at(ps: readonly Problem[], code: string, text: string, needle: string, occurrence = 0): Problem {
  const want = rangeOf(text, needle, occurrence);
  const hit = only(ps, code).find((p) => JSON.stringify(p.range) === JSON.stringify(want));
  assert.ok(hit, `${code} at ${needle}: got ${JSON.stringify(only(ps, code).map((p) => p.range))}`);
  return hit;
}

describe('user schema file', async () => {
  const loaded = await loadFolderSchema(workspace);
  const schemas: UserSchema[] = [loaded!.schema!];
  const text = readFixture('schema', 'workspace', 'note.md');
  const ps = check(text, { uri: noteUri, schemas });

  it('loads .notesense/schema.yaml with two bindings and no errors', () => {
    assert.deepEqual(loaded!.errors, []);
    assert.equal(schemas[0]!.bindings.length, 2);
  });

  it('binds notes by glob, relative to the folder, first match wins', () => {
    assert.equal(bindingFor(schemas, `${folderUri}/people/fermi.md`), schemas[0]!.bindings[0]);
    assert.equal(bindingFor(schemas, noteUri), schemas[0]!.bindings[1]);
    assert.equal(bindingFor(schemas, 'file:///elsewhere/x.md'), undefined);
  });

  it('maps each ajv error to its YAML node with our codes', () => {
    at(ps, 'schema-date-format', text, '2024/6/4');
    const e = at(ps, 'schema-not-in-enum', text, 'evergren');
    assert.match(e.message, /"evergreen"/);
    at(ps, 'schema-wrong-type', text, "'no'");
    at(ps, 'schema-violation', text, '9');
    const u = at(ps, 'schema-unknown-key', text, 'peopel');
    assert.match(u.message, /"people"/);
    at(ps, 'schema-wrong-type', text, '42');
    at(ps, 'schema-expected-list', text, 'llm');
  });

  it('a note that passes its schema has no schema problems (a people note needs no date or status)', () => {
    const fermi = readFixture('schema', 'workspace', 'people', 'fermi.md');
    const problems = check(fermi, { uri: `${folderUri}/people/fermi.md`, schemas });
    assert.deepEqual(problems.filter((p) => p.code.startsWith('schema-')), []);
  });

  it('reports the required keys the schema lists, and inserts them', () => {
    const fermi = '---\ntitle: Fermi\n---\n';
    const missing = only(check(fermi, { uri: `${folderUri}/people/x.md`, schemas }), 'schema-missing-key');
    assert.deepEqual(missing.map((p) => (p.data as { key: string }).key), ['born']);
    assert.match(missing[0]!.message, /the schema requires it/);
    assert.equal(applyEdits(fermi, fixesOf(missing[0]!)[0]!.edits), "---\ntitle: Fermi\nborn: ''\n---\n");
  });

  it('fixes through the user schema keep quotes: enum and dates', () => {
    const quoted = text.replace('status: evergren', "status: 'evergren'");
    const p = only(check(quoted, { uri: noteUri, schemas }), 'schema-not-in-enum')[0]!;
    assert.equal(applyEdits(quoted, fixesOf(p)[0]!.edits), quoted.replace("'evergren'", "'evergreen'"));
  });
});

describe('the schema store of the language server', () => {
  it('loads each folder\'s schema file, and none in an untrusted workspace', async () => {
    const messages: string[] = [];
    const store = new SchemaStore((m) => messages.push(m));
    store.setFolders([folderUri]);
    await store.load('');
    assert.equal(store.current().length, 1);
    assert.ok(store.affectedBy([{ uri: `${folderUri}/.notesense/schema.yaml` }]));
    assert.ok(!store.affectedBy([{ uri: `${folderUri}/note.md` }]));
    store.setTrusted(false);
    await store.load('');
    assert.equal(store.current().length, 0);
    assert.deepEqual(messages, []);
  });
});

describe('schema files that cannot be used', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'notesense-schema-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports YAML that does not parse', async () => {
    mkdirSync(path.join(dir, '.notesense'), { recursive: true });
    writeFileSync(path.join(dir, '.notesense', 'schema.yaml'), 'type: [object\n');
    const r = await loadFolderSchema(dir);
    assert.equal(r!.schema, undefined);
    assert.match(r!.errors[0]!, /not valid YAML/);
  });

  it('reports a schema ajv rejects, and reads JSON when asked', async () => {
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ type: 'object', properties: { a: { type: 'nope' } } }));
    const r = await loadFolderSchema(dir, 'bad.json');
    assert.equal(r!.schema, undefined);
    assert.match(r!.errors.join('\n'), /not a valid JSON Schema/);
  });

  it('a plain draft-07 schema in JSON applies to every note', async () => {
    writeFileSync(path.join(dir, 'plain.json'), JSON.stringify({ type: 'object', required: ['title'] }));
    const r = await loadFolderSchema(dir, 'plain.json');
    assert.deepEqual(r!.errors, []);
    assert.ok(bindingFor([r!.schema!], `${pathToFileURL(dir).href}/deep/note.md`));
  });

  it('says when the configured file does not exist', async () => {
    const r = await loadFolderSchema(dir, 'missing.yaml');
    assert.match(r!.errors[0]!, /does not exist/);
  });

  it('compiles each dialect by its $schema', () => {
    for (const $schema of ['http://json-schema.org/draft-07/schema#', 'https://json-schema.org/draft/2019-09/schema', 'https://json-schema.org/draft/2020-12/schema']) {
      const r = compileUserSchema({ $schema, type: 'object', required: ['title'] }, 'file:///x', 'file:///x/s.json');
      assert.deepEqual(r.errors, [], $schema);
      assert.equal(r.schema!.bindings[0]!.validate({}), false);
    }
  });

  it('never throws on a schema object that is not one', () => {
    assert.equal(compileUserSchema(42, 'file:///x', 'file:///x/s.json').schema, undefined);
    assert.equal(compileUserSchema({ schemas: [1] }, 'file:///x', 'file:///x/s.json').schema, undefined);
  });
});
