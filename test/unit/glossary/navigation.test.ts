import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Location } from 'vscode-languageserver-types';
import { definition } from '../../../server/src/core/features/definition';
import { references } from '../../../server/src/core/features/references';
import { prepareRename, rename } from '../../../server/src/core/features/rename';
import { rangeOf, textAt } from '../../support/caret';
import { A, applyWorkspaceEdit, B, C, D, GlossaryVault, offsetOf, positionAt, uriOf } from './vault';

const at = (v: GlossaryVault, name: string, needle: string, occurrence = 0, delta = 0) => positionAt(v.text(name), offsetOf(v.text(name), needle, occurrence, delta));

/** `name:line:text` for each location, to compare whole lists readably. */
const describeLocations = (v: GlossaryVault, locs: readonly Location[] | undefined) =>
  (locs ?? []).map((l) => {
    const name = decodeURIComponent(l.uri.slice('file:///vault/'.length));
    return `${name.slice(0, 10)}:${l.range.start.line}:${textAt(v.texts.get(l.uri)!, l.range)}`;
  });

describe('glossary go to definition', () => {
  const vault = new GlossaryVault();

  it('jumps from a mention in another note to every definition, the oldest note first', () => {
    const locs = definition(vault.ctx(B), at(vault, B, '数据墙'));
    assert.deepEqual(describeLocations(vault, locs), ['2024-04-25:8:数据墙', '2024-07-01:4:数据墙', '2024-08-01:4:数据墙', '2024-08-01:6:数据墙']);
    assert.deepEqual(locs![0]!.range, rangeOf(vault.text(A), '数据墙', 1));
  });

  it('from an English-name mention and from the quoted variant', () => {
    assert.deepEqual(describeLocations(vault, definition(vault.ctx(A), at(vault, A, 'unhobbling'))), ['2024-04-25:10:解缚']);
    assert.deepEqual(describeLocations(vault, definition(vault.ctx(B), at(vault, B, '解缚', 0, 1))), ['2024-04-25:10:解缚']);
  });

  it('says nothing off a term', () => {
    assert.equal(definition(vault.ctx(A), at(vault, A, '规模化')), undefined);
  });
});

describe('glossary find all mentions', () => {
  const vault = new GlossaryVault();

  it('finds definitions, bold, plain and English mentions across the vault, not in code', () => {
    const locs = references(vault.ctx(B), at(vault, B, '表征学习', 0, 3), true);
    assert.deepEqual(describeLocations(vault, locs), [
      '2024-06-20:5:表征学习',
      '2024-04-25:9:表征学习',
      '2024-04-25:9:Representation learning',
    ]);
  });

  it('leaves the declarations out when asked to', () => {
    const locs = references(vault.ctx(A), at(vault, A, '数据墙', 3), false);
    assert.deepEqual(describeLocations(vault, locs), [
      '2024-04-25:9:数据墙',
      '2024-04-25:12:数据墙',
      '2024-04-25:12:Data Wall',
      '2024-04-25:19:数据墙',
      '2024-06-20:4:数据墙',
      '2024-06-20:5:data wall',
    ]);
  });

  it('falls back to the summary\'s definitions for a note it cannot read', () => {
    // A defines 解缚 and mentions it again; unread, it gives only the definition's term.
    const ctx = { ...vault.ctx(B), readText: (uri: string) => (uri === uriOf(A) ? undefined : vault.texts.get(uri)) };
    const locs = references(ctx, at(vault, B, '解缚'), true);
    assert.deepEqual(describeLocations(vault, locs), ['2024-06-20:6:解缚', '2024-04-25:10:解缚']);
    assert.deepEqual(locs![1]!.range, rangeOf(vault.text(A), '解缚'));
    // B itself unread, from A: B defines nothing, so its bold mention is not known.
    const fromA = { ...vault.ctx(A), readText: (uri: string) => (uri === uriOf(B) ? undefined : vault.texts.get(uri)) };
    assert.deepEqual(describeLocations(vault, references(fromA, at(vault, A, '解缚'), true)), ['2024-04-25:10:解缚', '2024-04-25:10:Unhobbling', '2024-04-25:12:unhobbling']);
  });
});

describe('glossary rename', () => {
  it('prepares on the term, not on an English name', () => {
    const vault = new GlossaryVault();
    assert.deepEqual(prepareRename(vault.ctx(A), at(vault, A, '数据墙', 3, 2)), { range: rangeOf(vault.text(A), '数据墙', 3), placeholder: '数据墙' });
    assert.equal(prepareRename(vault.ctx(A), at(vault, A, 'Data Wall')), undefined);
    assert.equal(prepareRename(vault.ctx(A), at(vault, A, '规模化')), undefined);
  });

  it('renames the definitions and bold mentions everywhere, leaving plain mentions, English names and code', () => {
    const vault = new GlossaryVault();
    const edit = rename(vault.ctx(B), at(vault, B, '数据墙'), '数据壁');
    // B only mentions it in plain text: untouched by default.
    assert.deepEqual(Object.keys(edit!.changes!).sort(), [uriOf(A), uriOf(C), uriOf(D)].sort());
    const after = applyWorkspaceEdit(vault, edit!);
    const expectA = vault.text(A).replace('**数据墙**（Data wall', '**数据壁**（Data wall').replace('撞上**数据墙**后', '撞上**数据壁**后');
    assert.equal(after.get(uriOf(A)), expectA);
    assert.equal(after.get(uriOf(C)), vault.text(C).replace('**数据墙**', '**数据壁**'));
    assert.equal(after.get(uriOf(D)), vault.text(D).replaceAll('**数据墙**', '**数据壁**'));
    // Every edit replaces exactly the term: minimal edits.
    for (const [uri, edits] of Object.entries(edit!.changes!)) for (const e of edits) assert.equal(textAt(vault.texts.get(uri)!, e.range), '数据墙');
  });

  it('also renames plain mentions with notesense.glossary.renamePlainMentions, keeping BOM and CRLF', () => {
    const vault = new GlossaryVault();
    vault.settings = { ...vault.settings, glossary: { renamePlainMentions: true } };
    const edit = rename(vault.ctx(A), at(vault, A, '数据墙', 2), '数据壁');
    const after = applyWorkspaceEdit(vault, edit!);
    const a = after.get(uriOf(A))!;
    // The definition, the start of a line, the bold mention and the end of a line.
    assert.equal(a.split('数据壁').length - 1, 4);
    // Not in the front matter, the code span or the fence.
    assert.ok(a.includes('title: 规模定律与数据墙') && a.includes('`数据墙`') && a.includes('```text\n数据墙\n```'));
    assert.equal(after.get(uriOf(B)), vault.text(B).replace('😀数据墙', '😀数据壁'));
    assert.ok(after.get(uriOf(B))!.startsWith('\ufeff---\r\n'));
    // The longer term 表征学习 is not a mention of 表征.
    const edit2 = rename(vault.ctx(A), at(vault, A, '表征', 1), '表示');
    const a2 = applyWorkspaceEdit(vault, edit2!).get(uriOf(A))!;
    assert.ok(a2.includes('**表征学习**') && a2.includes('**表示**（Representation'));
  });

  it('refuses a name that would break the bold or the definition', () => {
    const vault = new GlossaryVault();
    for (const bad of ['', '  ', 'a**b', '数据（墙）', 'x\ny']) assert.equal(rename(vault.ctx(A), at(vault, A, '数据墙', 3), bad), undefined, bad);
  });
});
