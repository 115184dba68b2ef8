/**
 * `relatedInformation: false` (what the CLI sets: it prints no related locations) gives the same
 * problems, in the same order, less their related locations; and the default still gives them, so that
 * the comparison is not between two empty lists.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { problemsOf } from '../../../server/src/core/features/diagnostics';
import type { Problem } from '../../../server/src/core/parse/types';
import { TestVault, vaultTexts } from '../entities/vault';
import { GlossaryVault } from './vault';

const without = (p: Problem): Problem => {
  const { relatedInformation: _dropped, ...rest } = p;
  return rest;
};

/** Every note's problems with and without related information; the codes whose problems had some. */
function compare(contexts: Iterable<DocumentContext>): Set<string> {
  const withRelated = new Set<string>();
  for (const ctx of contexts) {
    const full = problemsOf(ctx);
    const bare = problemsOf({ ...ctx, settings: { ...ctx.settings, relatedInformation: false } });
    assert.deepEqual(bare, full.map(without), ctx.uri);
    assert.ok(bare.every((p) => p.relatedInformation === undefined), ctx.uri);
    for (const p of full) if ((p.relatedInformation?.length ?? 0) > 0) withRelated.add(p.code);
  }
  return withRelated;
}

describe('diagnostics without related information', () => {
  it('are the glossary problems less their related locations: duplicates, conflicts, English name clashes', () => {
    const vault = new GlossaryVault();
    vault.settings = DEFAULT_CORE_SETTINGS;
    const names = [...vault.texts.keys()].map((uri) => decodeURIComponent(uri.slice('file:///vault/'.length)));
    const codes = compare(names.map((n) => vault.ctx(n)));
    for (const code of ['glossary-duplicate-definition', 'glossary-conflict', 'glossary-english-clash']) assert.ok(codes.has(code), code);
  });

  it('are the entity problems less their related locations: near duplicates', () => {
    const vault = new TestVault();
    const codes = compare([...vaultTexts().keys()].map((rel) => vault.ctx(rel)));
    assert.ok(codes.has('entity-near-duplicate'));
  });
});
