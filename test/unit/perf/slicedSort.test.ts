import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SlicedSort } from '../../../server/src/core/slicedSort';
import { termOrder } from '../../../server/src/core/glossary/termOrder';

describe('SlicedSort', () => {
  // Pairs compared by their key only, so that a stable sort is told apart from an unstable one by the tags.
  const byKey = (a: [number, number], b: [number, number]) => a[0] - b[0];

  it('gives the stable order of one sort, however it is stopped and resumed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3000, size: 'max' }), fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }), (keys, stops) => {
        const items = keys.map((k, i): [number, number] => [k, i]);
        const sort = new SlicedSort(items, byKey);
        let asked = 0;
        let calls = 0;
        while (!sort.run(() => stops[asked++ % stops.length]!)) calls++;
        assert.deepEqual(sort.result, items.slice().sort(byKey));
        // Stopping at every question still ends, in a bounded number of calls.
        assert.ok(calls <= items.length + 64, `${calls} calls`);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves its input as it was and sorts Chinese terms as the collator does', () => {
    const terms = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000)) + String.fromCharCode(0x4e00 + ((i * 104729) % 20000)));
    const before = terms.slice();
    const sort = new SlicedSort(terms, termOrder.compare);
    let slices = 1;
    while (!sort.run(() => true)) slices++;
    assert.deepEqual(terms, before);
    assert.deepEqual(sort.result, terms.slice().sort(termOrder.compare));
    assert.ok(slices > 20, `${slices} slices`);
    assert.equal(sort.run(() => true), true, 'done stays done');
  });

  it('sorts nothing and one item at once', () => {
    assert.deepEqual(new SlicedSort<[number, number]>([], byKey).result, []);
    const one = new SlicedSort<[number, number]>([[1, 0]], byKey);
    assert.equal(one.run(() => true), true);
    assert.deepEqual(one.result, [[1, 0]]);
  });
});
