import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { summarize } from '../../../server/src/core/index/summary';
import { parseNote } from '../../../server/src/core/parse/note';
import { schemaProblems } from '../../../server/src/core/schema/check';
import { cleanVault, contextOf } from './helpers';

/**
 * Front matter built to be slow: validation must stay linear in its size. The budget is for the schema
 * checks alone (parsing is the parser's and is tested with it), and generous for slow CI machines: a quadratic step takes minutes at this size.
 */
const timed = <T>(f: () => T): { value: T; ms: number } => {
  const started = Date.now();
  const value = f();
  return { value, ms: Date.now() - started };
};

describe('schema checks on hostile notes', () => {
  const N = 10_000;

  it('10,000 keys, in the note and in another note of the vault', () => {
    const keys = Array.from({ length: N }, (_, i) => `key${i}: 值${i}`).join('\n');
    const index = cleanVault();
    index.set(summarize('file:///vault/other-huge.md', parseNote(`---\n${keys.replace(/key/g, 'kei')}\n---\n`).note));
    const ctx = contextOf(`---\n${keys}\n---\n`, { index });
    const { value, ms } = timed(() => schemaProblems(ctx));
    assert.ok(ms < 5000, `${ms} ms`);
    assert.ok(value.length > 0);
  });

  it('10,000 lines indented with full-width spaces', () => {
    const ctx = contextOf(`---\ntags:\n${Array.from({ length: N }, (_, i) => `\u3000- t${i}`).join('\n')}\n---\n`);
    const { value, ms } = timed(() => schemaProblems(ctx));
    assert.ok(ms < 5000, `${ms} ms`);
    assert.equal(value.filter((p) => p.code === 'yaml-fullwidth-space').length, N);
  });

  it('a list of 10,000 identical items reports each repeat', () => {
    const ctx = contextOf(`---\ntags:\n${Array.from({ length: N }, () => '- 同一个').join('\n')}\n---\n`);
    const { value, ms } = timed(() => schemaProblems(ctx));
    assert.ok(ms < 5000, `${ms} ms`);
    assert.equal(value.filter((p) => p.code === 'schema-duplicate-item').length, N - 1);
  });
});
