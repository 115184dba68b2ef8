import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { listEntities } from '../../../server/src/core/entities/list';
import { repoRoot } from '../../support/paths';
import { TestVault, VAULT } from './vault';

describe('entity list (notesense entities)', () => {
  it('lists every entity with kind and count, by kind then most used', () => {
    const rows = listEntities(new TestVault().index);
    assert.deepEqual(rows.filter((r) => r.kind === 'people').slice(0, 2).map((r) => [r.value, r.notes]), [['Sam Altman', 4], ['马斯克', 3]]);
    assert.deepEqual(rows.find((r) => r.value === '马斯克')!.keys, { people: 2, speaker: 1 });
    assert.equal(rows.find((r) => r.value === 'Open AI')!.nearDuplicateOf, 'OpenAI');
    assert.equal(rows.find((r) => r.value === 'OpenAI')!.nearDuplicateOf, undefined);
    assert.equal(rows.length, 21);
  });

  it('the CLI prints the same list as JSON and as text', () => {
    const cli = path.join(repoRoot, 'out', 'server', 'src', 'cli.js');
    const json = spawnSync(process.execPath, [cli, 'entities', VAULT, '--format', 'json', '--lang', 'en'], { encoding: 'utf8' });
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { entities: Array<{ kind: string; value: string; notes: number }> };
    // The fixture README.md is a note without entities.
    assert.equal(parsed.entities.length, 21);
    assert.deepEqual(parsed.entities.find((e) => e.value === 'Sam Altman'), { kind: 'people', value: 'Sam Altman', notes: 4, keys: { people: 4 } });
    const text = spawnSync(process.execPath, [cli, 'entities', VAULT, '--lang', 'en'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.ok(text.stdout.includes('people\tSam Altman\t4\n'), text.stdout);
    assert.ok(text.stdout.includes('companies_orgs\tOpen AI\t1  (near duplicate of "OpenAI")\n'));
    assert.match(text.stdout, /21 entities in 7 notes\.\n$/);
  });
});
