import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CodeActionKind, type Diagnostic } from 'vscode-languageserver-types';
import { codeActions } from '../../../server/src/core/features/codeActions';
import { toDiagnostics } from '../../../server/src/core/features/diagnostics';
import type { Problem } from '../../../server/src/core/parse/types';
import { applyEdits } from '../../../server/src/core/schema/edits';
import { FIX_ALL_KIND } from '../../../server/src/core/schema/codeActions';
import { rangeOf } from '../../support/caret';
import { readFixture } from '../../support/paths';
import { check, contextOf, fixAll, fixesOf, only } from './helpers';

const fixture = (name: string) => readFixture('schema', 'cases', name);

/** The text after the first fix of the one problem of `code` (optionally the nth problem, the mth fix). */
function fixed(text: string, code: string, which = 0, fix = 0): string {
  const p: Problem | undefined = only(check(text), code)[which];
  assert.ok(p, `no ${code}`);
  const f = fixesOf(p)[fix];
  assert.ok(f, `${code} has no fix #${fix}`);
  return applyEdits(text, f.edits);
}

describe('quick fixes are minimal edits that keep the note as written', () => {
  const values = fixture('values.md');

  it('renames a misspelt key to the suggestion', () => {
    assert.equal(fixed(values, 'schema-unknown-key'), values.replace('peopel:', 'people:'));
  });

  it('replaces a value with the closest allowed value', () => {
    assert.equal(fixed(values, 'schema-not-in-enum'), values.replace('status: evergren', 'status: evergreen'));
  });

  it('normalises a date, inside its quotes when it has them', () => {
    assert.equal(fixed(values, 'schema-date-format'), values.replace('date: 2024/6/4', 'date: 2024-06-04'));
    const crlf = fixture('crlf.md');
    assert.equal(fixed(crlf, 'schema-date-format'), crlf.replace('"2024.6.4"', '"2024-06-04"'));
  });

  it('turns a scalar into a block list in the note\'s indentation and line breaks', () => {
    assert.equal(fixed(values, 'schema-expected-list'), values.replace('media_books: 《原子弹秘史》', 'media_books:\n- 《原子弹秘史》'));
    const crlf = fixture('crlf.md');
    assert.equal(fixed(crlf, 'schema-expected-list'), crlf.replace('tags: agi, 大模型', 'tags:\r\n  - agi\r\n  - 大模型'));
  });

  it('turns a scalar into a flow list when the note writes its lists that way', () => {
    const text = fixture('values.md').replace('- OpenAI\n- 华为\n- OpenAI\n', '').replace('companies_orgs:\n', 'companies_orgs: [OpenAI, 华为]\n')
      .replace('peopel:\n- Sam Altman\n', 'people: [Sam Altman]\n').replace('project:\n- ai-impact-analysis\n', 'project: [ai-impact-analysis]\n');
    assert.equal(fixed(text, 'schema-expected-list'), text.replace('media_books: 《原子弹秘史》', 'media_books: [《原子弹秘史》]'));
  });

  it('removes a duplicate item: its whole line in a block list, the item and its comma in a flow list', () => {
    assert.equal(fixed(values, 'schema-duplicate-item', 0), values.replace('- 华为\n- OpenAI\n', '- 华为\n'));
    assert.equal(fixed(values, 'schema-duplicate-item', 1), values.replace('tags: [agi, "llm", agi]', 'tags: [agi, "llm"]'));
  });

  it('leaves a duplicate with a comment on its line to the author', () => {
    const text = values.replace('- 华为\n- OpenAI\n', '- 华为\n- OpenAI # 又一次\n');
    const p = only(check(text), 'schema-duplicate-item')[0]!;
    assert.deepEqual(fixesOf(p), []);
  });

  it('quotes a number where text is expected, in the note\'s quote style', () => {
    const text = fixture('values.md').replace('layout: post.njk', 'layout: 1984');
    assert.equal(fixed(text, 'schema-wrong-type', 1), text.replace('layout: 1984', "layout: '1984'"));
  });

  it('changes quoted yes to true', () => {
    assert.equal(fixed(values, 'schema-wrong-type'), values.replace("draft: 'yes'", 'draft: true'));
  });

  it('inserts a missing key in alphabetical place, with an empty value of its type', () => {
    const missing = fixture('missing.md');
    const ps = only(check(missing), 'schema-missing-key');
    assert.deepEqual(ps.map((p) => (p.data as { key: string }).key), ['date', 'tags']);
    assert.equal(applyEdits(missing, fixesOf(ps[0]!)[0]!.edits), missing.replace('draft: false\n', "date: ''\ndraft: false\n"));
    assert.equal(applyEdits(missing, fixesOf(ps[1]!)[0]!.edits), missing.replace('title: 缺少键\n', 'tags: []\ntitle: 缺少键\n'));
    // "Add all missing keys" inserts both at once.
    assert.equal(applyEdits(missing, fixesOf(ps[0]!)[1]!.edits), fixture('missing.fixed.md'));
  });

  it('inserts before the closing line with CRLF when the keys are not sorted', () => {
    const crlf = fixture('crlf.md');
    const p = only(check(crlf), 'schema-missing-key')[0]!;
    // crlf.md is sorted: title goes last, right before the closing ---.
    assert.equal(applyEdits(crlf, fixesOf(p)[0]!.edits), crlf.replace("tags: agi, 大模型\r\n---", "tags: agi, 大模型\r\ntitle: ''\r\n---"));
    const unsorted = crlf.replace('area: ai-technology\r\n', '').replace('status: budding\r\n', 'status: budding\r\narea: ai-technology\r\n');
    const q = only(check(unsorted), 'schema-missing-key')[0]!;
    assert.equal(applyEdits(unsorted, fixesOf(q)[0]!.edits), unsorted.replace('大模型\r\n---', "大模型\r\ntitle: ''\r\n---"));
  });

  it('replaces each full-width character, and only it', () => {
    const traps = fixture('traps.md');
    assert.equal(fixed(traps, 'yaml-fullwidth-bracket'), traps.replace('【OpenAI，华为】', '[OpenAI, 华为]'));
    assert.equal(fixed(traps, 'yaml-fullwidth-comma'), traps.replace('[Sam Altman，黄仁勋]', '[Sam Altman, 黄仁勋]'));
    assert.equal(fixed(traps, 'yaml-fullwidth-space', 0), traps.replace('layout:\u3000post', 'layout: post'));
    assert.equal(fixed(traps, 'yaml-fullwidth-space', 1), traps.replace('\u3000- ai', ' - ai'));
    assert.equal(fixed(traps, 'yaml-fullwidth-colon'), traps.replace('title：', 'title: '));
  });
});

/** unclosed.md with its closing line where the quick fix puts it: before the first blank line. */
const closingApplied = (text: string) => text.replace('tags: [agi, 算力]\n\n', 'tags: [agi, 算力]\n---\n\n');

describe('front matter without a closing line', () => {
  const unclosed = fixture('unclosed.md');

  /** The one fix of the note's frontmatter-unclosed problem. */
  const closing = (text: string) => {
    const ps = only(check(text), 'frontmatter-unclosed');
    assert.equal(ps.length, 1, JSON.stringify(text));
    const fs = fixesOf(ps[0]!);
    assert.equal(fs.length, 1);
    return fs[0]!;
  };

  it('inserts a --- line before the first blank line, where the parse ended the block; a guess, so not safe', () => {
    const fix = closing(unclosed);
    assert.equal(fix.safe, false);
    // An insertion: the empty range at the start of the blank line (line 6).
    const at = { line: 6, character: 0 };
    assert.deepEqual(fix.edits.map((e) => e.range), [{ start: at, end: at }]);
    const after = applyEdits(unclosed, fix.edits);
    assert.equal(after, closingApplied(unclosed));
    assert.deepEqual(only(check(after), 'frontmatter-unclosed'), []);
    // "Fix all" leaves the guess to the author.
    assert.equal(applyEdits(unclosed, fixAll(unclosed)).includes('算力]\n---'), false);
  });

  it('uses the note\'s line breaks, and adds one when the note ends without', () => {
    const crlf = unclosed.replace(/\n/g, '\r\n');
    assert.equal(applyEdits(crlf, closing(crlf).edits), crlf.replace('算力]\r\n\r\n', '算力]\r\n---\r\n\r\n'));
    const cases: Array<[string, string]> = [
      ['---\ntitle: x', '---\ntitle: x\n---\n'],
      ['---\ntitle: x\n', '---\ntitle: x\n---\n'],
      ['---', '---\n---\n'],
      ['\uFEFF---\r\ntitle: 😀\r\n', '\uFEFF---\r\ntitle: 😀\r\n---\r\n'],
    ];
    for (const [text, want] of cases) {
      const after = applyEdits(text, closing(text).edits);
      assert.equal(after, want, JSON.stringify(text));
      assert.deepEqual(only(check(after), 'frontmatter-unclosed'), [], JSON.stringify(after));
    }
  });

  it('writes --- for a ... closer, changing only those three characters (a safe fix)', () => {
    const dots = fixture('unclosed-dots.md');
    const fix = closing(dots);
    assert.equal(fix.safe, true);
    assert.deepEqual(fix.edits.map((e) => e.range), [rangeOf(dots, '...')]);
    assert.equal(applyEdits(dots, fix.edits), fixture('unclosed-dots.fixed.md'));
  });

  it('is offered as a quick fix of the diagnostic', () => {
    const ctx = contextOf(unclosed);
    const diagnostics = toDiagnostics(check(unclosed)).filter((d: Diagnostic) => d.code === 'frontmatter-unclosed');
    const actions = codeActions(ctx, diagnostics[0]!.range, diagnostics, [CodeActionKind.QuickFix]);
    assert.equal(actions.length, 1);
    assert.deepEqual(actions[0]!.diagnostics, diagnostics);
    assert.equal(applyEdits(unclosed, actions[0]!.edit!.changes![ctx.uri]!), closingApplied(unclosed));
  });
});

describe('fix all', () => {
  for (const name of ['values', 'traps', 'crlf', 'missing', 'unclosed-dots']) {
    it(`applies every safe fix of ${name}.md at once`, () => {
      const text = fixture(`${name}.md`);
      const expected = name === 'missing' ? text : fixture(`${name}.fixed.md`);
      assert.equal(applyEdits(text, fixAll(text)), expected);
    });
  }

  it('keeps the BOM, the emoji and everything it does not fix', () => {
    const bom = fixture('bom.md');
    assert.equal(applyEdits(bom, fixAll(bom)), bom.replace('- 马斯克\n- 😀 表情\n- 马斯克\n', '- 马斯克\n- 😀 表情\n'));
  });
});

describe('code actions', () => {
  const values = fixture('values.md');
  const ctx = contextOf(values);
  const diagnostics = toDiagnostics(check(values));
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

  it('offers each diagnostic\'s fixes as quick fixes', () => {
    const date = diagnostics.filter((d: Diagnostic) => d.code === 'schema-date-format');
    const actions = codeActions(ctx, range, date, [CodeActionKind.QuickFix]);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, CodeActionKind.QuickFix);
    assert.equal(actions[0]!.isPreferred, true);
    assert.deepEqual(actions[0]!.diagnostics, date);
    assert.equal(applyEdits(values, actions[0]!.edit!.changes![ctx.uri]!), values.replace('2024/6/4', '2024-06-04'));
  });

  it('offers source.fixAll.notesense only when asked for it', () => {
    assert.deepEqual(codeActions(ctx, range, [], [CodeActionKind.QuickFix]), []);
    const all = codeActions(ctx, range, [], [CodeActionKind.SourceFixAll]);
    assert.equal(all.length, 1);
    assert.equal(all[0]!.kind, FIX_ALL_KIND);
    assert.equal(applyEdits(values, all[0]!.edit!.changes![ctx.uri]!), fixture('values.fixed.md'));
  });
});
