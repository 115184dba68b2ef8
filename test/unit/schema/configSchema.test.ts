import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { renderInferredSchema } from '../../../server/src/core/schema/render';
import { fixturesDir, repoRoot } from '../../support/paths';
import { cleanVault } from './helpers';

/** schemas/notesense-schema.json, which VS Code uses to check and complete `.notesense/schema.*`. */
describe('the JSON Schema of NoteSense schema files', () => {
  const meta = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'notesense-schema.json'), 'utf8')) as object;
  const validate = new Ajv({ strict: false }).compile(meta);

  it('accepts the bound form of the test workspace', () => {
    const config = parse(readFileSync(path.join(fixturesDir, 'schema', 'workspace', '.notesense', 'schema.yaml'), 'utf8'));
    assert.equal(validate(config), true, JSON.stringify(validate.errors));
  });

  it('accepts the plain schema that schema infer writes', () => {
    assert.equal(validate(parse(renderInferredSchema(cleanVault()))), true, JSON.stringify(validate.errors));
  });

  it('rejects a binding without a schema and a key schema with an unknown type', () => {
    assert.equal(validate({ schemas: [{ files: ['**/*.md'] }] }), false);
    assert.equal(validate({ type: 'object', properties: { title: { type: 'text' } } }), false);
  });

  it('is what package.json contributes for JSON and YAML files', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation: Array<{ url: string }>; yamlValidation: Array<{ url: string }> };
    };
    assert.equal(manifest.contributes.jsonValidation[0]!.url, './schemas/notesense-schema.json');
    assert.equal(manifest.contributes.yamlValidation[0]!.url, './schemas/notesense-schema.json');
  });
});
