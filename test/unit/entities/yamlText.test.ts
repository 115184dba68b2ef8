import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import { needsQuotes, quoteForYaml } from '../../../server/src/core/entities/yamlText';
import { valueText } from '../../../server/src/core/entities/rename';

/** What YAML reads back from `value` written in a block item, a flow item and a scalar. */
function readBack(value: string): unknown[] {
  const block = parse(`k:\n- ${quoteForYaml(value, false)}\n`) as { k: unknown[] };
  const flow = parse(`k: [${quoteForYaml(value, true)}]\n`) as { k: unknown[] };
  const scalar = parse(`k: ${quoteForYaml(value, false)}\n`) as { k: unknown };
  const single = parse(`k: ['${valueText(value, { quote: "'", flow: true })}']\n`) as { k: unknown[] };
  const double = parse(`k: ["${valueText(value, { quote: '"', flow: true })}"]\n`) as { k: unknown[] };
  return [block.k[0], flow.k[0], scalar.k, single.k[0], double.k[0]];
}

describe('writing entity values into YAML', () => {
  it('leaves ordinary names plain', () => {
    for (const v of ['Sam Altman', '马斯克', 'GPT-4', '《原子弹秘史》', 'Y Combinator', 'ＯｐｅｎＡＩ']) assert.equal(quoteForYaml(v, true), v);
  });

  it('quotes what YAML would read as something else', () => {
    for (const v of ['true', 'null', '2024-06-04', '12', '- x', '#tag', 'a: b', 'a #b', '[x]', "it's", '', ' x', '*ref', '&a', '!tag', '%x', '@x', '`x', '|', '>']) {
      assert.ok(needsQuotes(v, false) || quoteForYaml(v, false) === v, v);
      assert.deepEqual(readBack(v), [v, v, v, v, v], v);
    }
    assert.equal(quoteForYaml('a, b', true), "'a, b'");
    assert.equal(quoteForYaml('a, b', false), 'a, b');
  });

  it('any one-line string reads back as itself, in every position (property)', () => {
    const line = fc.string({ unit: fc.oneof(fc.constantFrom(...'ab 马斯克:#-,[]{}\'"&*!|>%@`?~\\．，：'), fc.string({ minLength: 1, maxLength: 1 })), maxLength: 12 })
      // One line of printable text: control characters are not something an author types into a name.
      .filter((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f) || c === '\u2028' || c === '\u2029' || c === '\ufeff'));
    fc.assert(fc.property(line, (v) => {
      assert.deepEqual(readBack(v), [v, v, v, v, v]);
    }), { numRuns: 500 });
  });
});
