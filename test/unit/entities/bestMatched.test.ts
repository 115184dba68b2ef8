import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bestMatched, EMPTY_QUERY_CANDIDATES, Match } from '../../../server/src/core/entities/completion';
import type { EntityInfo } from '../../../server/src/core/index/workspaceIndex';

type M = { match: Match; notes: number; info: EntityInfo };

/** The definition: the best by match, then note count, then value, `EMPTY_QUERY_CANDIDATES` of them. */
function reference(matched: M[]): string[] {
  return [...matched]
    .sort((a, b) => b.match - a.match || b.notes - a.notes || (a.info.value < b.info.value ? -1 : a.info.value > b.info.value ? 1 : 0))
    .slice(0, EMPTY_QUERY_CANDIDATES)
    .map((m) => m.info.value)
    .sort();
}

const levels = [Match.Subsequence, Match.PinyinSubstring, Match.Substring, Match.PinyinPrefix, Match.WordPrefix, Match.Prefix, Match.Exact];

describe('the best matches of a short query on a large vault', () => {
  it('picks the same candidates as sorting every match (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 900, maxLength: 2_500 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: levels.length - 1 }), fc.integer({ min: 1, max: 6 })), { minLength: 2_500, maxLength: 2_500 }),
        (values, attrs) => {
          const matched: M[] = values.map((value, i) => ({ match: levels[attrs[i]![0]]!, notes: attrs[i]![1], info: { value } as EntityInfo }));
          const got = bestMatched(matched).map((m) => m.info.value).sort();
          assert.deepEqual(got, reference(matched));
          assert.equal(got.length, Math.min(values.length, EMPTY_QUERY_CANDIDATES));
        },
      ),
      { numRuns: 40, endOnFailure: true },
    );
  });
});
