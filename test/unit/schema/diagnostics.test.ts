import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { toDiagnostics } from '../../../server/src/core/features/diagnostics';
import type { Problem } from '../../../server/src/core/parse/types';
import { rangeOf } from '../../support/caret';
import { readFixture } from '../../support/paths';
import { check, CLEAN, contextOf, only } from './helpers';
import { problemsOf } from '../../../server/src/core/features/diagnostics';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';

const fixture = (name: string) => readFixture('schema', 'cases', name);

/** The one problem of `code`, asserted at exactly `needle` (both ends). */
function expectAt(problems: readonly Problem[], code: string, text: string, needle: string, occurrence = 0): Problem {
  const found = only(problems, code);
  const want = rangeOf(text, needle, occurrence);
  const hit = found.find((p) => JSON.stringify(p.range) === JSON.stringify(want));
  assert.ok(hit, `${code} at ${JSON.stringify(needle)}: got ${JSON.stringify(found.map((p) => p.range))}`);
  assert.deepEqual(hit.range, want);
  return hit;
}

const schemaCodes = (ps: readonly Problem[]) => ps.filter((p) => p.code.startsWith('schema-') || p.code.startsWith('yaml-fullwidth-')).map((p) => p.code);

describe('schema diagnostics: the clean notes', () => {
  it('reports nothing on a clean note of the vault', () => {
    assert.deepEqual(schemaCodes(check(CLEAN)), []);
  });

  it('reports nothing on a clean note with no vault at all (built-in schema only)', () => {
    assert.deepEqual(schemaCodes(check(CLEAN, { index: new WorkspaceIndex() })), []);
  });

  it('accepts an unquoted canonical date, a date with a time, and an empty source', () => {
    const text = CLEAN.replace("date: '2024-06-04'", 'date: 2024-06-04 10:30').replace('source: https://example.com/notes/scaling', "source: ''");
    assert.deepEqual(schemaCodes(check(text)), []);
  });
});

describe('schema diagnostics: every code at its exact range', () => {
  const values = fixture('values.md');
  const vp = check(values);

  it('schema-duplicate-item: the repeated item, block and flow', () => {
    const block = expectAt(vp, 'schema-duplicate-item', values, 'OpenAI', 1);
    assert.match(block.message, /OpenAI.*companies_orgs/);
    expectAt(vp, 'schema-duplicate-item', values, 'agi', 1);
  });

  it('schema-date-format: a real date written another way', () => {
    const p = expectAt(vp, 'schema-date-format', values, '2024/6/4');
    assert.equal((p.data as { value: string }).value, '2024-06-04');
  });

  it('schema-wrong-type: text where true or false is expected', () => {
    expectAt(vp, 'schema-wrong-type', values, "'yes'");
  });

  it('schema-expected-list: a scalar where a list is expected', () => {
    expectAt(vp, 'schema-expected-list', values, '《原子弹秘史》');
  });

  it('schema-unknown-key: a misspelt key, with did-you-mean', () => {
    const p = expectAt(vp, 'schema-unknown-key', values, 'peopel');
    assert.match(p.message, /"people"/);
    assert.equal((p.data as { value: string }).value, 'people');
  });

  it('schema-invalid-format: not a URL', () => {
    expectAt(vp, 'schema-invalid-format', values, 'example.com/notes');
  });

  it('schema-not-in-enum: a value outside the closed set, with the closest allowed value', () => {
    const p = expectAt(vp, 'schema-not-in-enum', values, 'evergren');
    assert.match(p.message, /Did you mean "evergreen"/);
  });

  it('schema-empty-value: an empty title', () => {
    expectAt(vp, 'schema-empty-value', values, "''", 3);
  });

  it('schema-missing-key: on the opening line, naming the key', () => {
    const p = expectAt(vp, 'schema-missing-key', values, '---');
    assert.equal((p.data as { key: string }).key, 'people');
  });

  it('schema-invalid-date: a day that does not exist, in a note with a BOM and emoji', () => {
    const bom = fixture('bom.md');
    assert.equal(bom.charCodeAt(0), 0xfeff);
    const ps = check(bom);
    expectAt(ps, 'schema-invalid-date', bom, "'2024-13-45'");
    expectAt(ps, 'schema-duplicate-item', bom, '马斯克', 1);
    assert.deepEqual(schemaCodes(ps).sort(), ['schema-duplicate-item', 'schema-invalid-date']);
  });

  it('CRLF: ranges stay on their lines', () => {
    const crlf = fixture('crlf.md');
    assert.ok(crlf.includes('\r\n'));
    const ps = check(crlf);
    expectAt(ps, 'schema-date-format', crlf, '"2024.6.4"');
    expectAt(ps, 'schema-expected-list', crlf, 'agi, 大模型');
    assert.equal((expectAt(ps, 'schema-missing-key', crlf, '---').data as { key: string }).key, 'title');
  });
});

describe('schema diagnostics: the traps of a Chinese keyboard', () => {
  const traps = fixture('traps.md');
  const ps = check(traps);

  it('yaml-fullwidth-bracket: 【】 around a list', () => {
    expectAt(ps, 'yaml-fullwidth-bracket', traps, '【OpenAI，华为】');
  });

  it('yaml-fullwidth-comma: ， between flow items', () => {
    expectAt(ps, 'yaml-fullwidth-comma', traps, '，', 1);
  });

  it('yaml-fullwidth-space: U+3000 after a colon and in indentation', () => {
    expectAt(ps, 'yaml-fullwidth-space', traps, '\u3000', 0);
    expectAt(ps, 'yaml-fullwidth-space', traps, '\u3000', 1);
  });

  it('yaml-fullwidth-colon: ： after a key, but not ： inside a value', () => {
    const p = expectAt(ps, 'yaml-fullwidth-colon', traps, '：', 1);
    assert.match(p.message, /"title"/);
    assert.equal(only(ps, 'yaml-fullwidth-colon').length, 1, 'insight: 见解：… is a value, not a key');
  });

  it('replaces the generic YAML syntax error of a trap line with the precise one', () => {
    const text = CLEAN.replace('title: 规模定律的账本', 'title：规模定律的账本\nx: 1');
    const all = check(text);
    expectAt(all, 'yaml-fullwidth-colon', text, '：');
    assert.deepEqual(only(all, 'yaml-syntax'), []);
  });

  it('reports exactly the five traps and no schema noise caused by them', () => {
    assert.deepEqual(schemaCodes(ps).sort(), ['yaml-fullwidth-bracket', 'yaml-fullwidth-colon', 'yaml-fullwidth-comma', 'yaml-fullwidth-space', 'yaml-fullwidth-space']);
  });
});

describe('notesense-disable-next-line', () => {
  const text = fixture('disable.md');
  const ps = check(text);

  it('suppresses the listed code, or every code, on the next line only', () => {
    assert.deepEqual(only(ps, 'schema-date-format'), []);
    assert.deepEqual(only(ps, 'schema-not-in-enum'), []);
  });

  it('keeps the codes it does not list', () => {
    expectAt(ps, 'schema-expected-list', text, 'agi, llm');
  });

  it('works for the parser\'s codes too', () => {
    const dup = '---\ntitle: a\n# notesense-disable-next-line yaml-duplicate-key\ntitle: b\n---\n';
    assert.deepEqual(only(problemsOf(contextOf(dup)), 'yaml-duplicate-key'), []);
    const kept = '---\ntitle: a\n# notesense-disable-next-line schema-date-format\ntitle: b\n---\n';
    assert.equal(only(problemsOf(contextOf(kept)), 'yaml-duplicate-key').length, 1);
  });
});

describe('severity settings', () => {
  it('turns a code off or changes its severity', () => {
    const ps = check(fixture('values.md'));
    const d = toDiagnostics(ps, { severity: { 'schema-unknown-key': 'off', 'schema-date-format': 'error' } });
    assert.equal(d.filter((x) => x.code === 'schema-unknown-key').length, 0);
    assert.equal(d.find((x) => x.code === 'schema-date-format')!.severity, 1);
    assert.equal(d.find((x) => x.code === 'schema-not-in-enum')!.severity, 2);
  });

  it('carries the fix data to the diagnostic', () => {
    const d = toDiagnostics(check(fixture('values.md')));
    const date = d.find((x) => x.code === 'schema-date-format')!;
    assert.equal((date.data as { code: string }).code, 'schema-date-format');
    assert.equal((date.data as { fixes: unknown[] }).fixes.length, 1);
  });
});
