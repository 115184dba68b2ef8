import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnnotatedTextEdit, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { entityCodeActions } from '../../../server/src/core/entities/codeActions';
import { entityDiagnostics, NEAR_DUPLICATE, UNTAGGED_MENTION } from '../../../server/src/core/entities/diagnostics';
import { entityDefinition, entityHover, entityReferences, entitySymbols } from '../../../server/src/core/entities/navigation';
import { entityRename, MERGE_ANNOTATION } from '../../../server/src/core/entities/rename';
import type { DocumentContext } from '../../../server/src/core/features/context';
import { drain } from '../../../server/src/core/steps';
import { codeInfo } from '../../../server/src/core/codes';
import { toDiagnostics } from '../../../server/src/core/features/diagnostics';
import { hash32 } from '../../../server/src/core/index/summary';
import { parseNote } from '../../../server/src/core/parse/note';
import { rangeOf, textAt } from '../../support/caret';
import { TestVault, uriOf } from './vault';

/** The entity provider's rename, run to the end. */
const renameEntity = (ctx: DocumentContext, position: Parameters<typeof entityRename.prepare>[1], newName: string) => drain(entityRename.renameSteps(ctx, position, newName));

const DEVDAY = '2024-01-10-openai-devday.md';
const LAWSUIT = '2024-03-05-musk-lawsuit.md';
const BOARD = '2023-11-20-board.md';
const SAM = 'people/Sam Altman.md';
const ANTHROPIC = '2024-05-01-anthropic.md';
const INTERVIEW = '2024-06-01-马斯克访谈.md';

const apply = (text: string, edits: readonly TextEdit[]) => TextDocument.applyEdits(TextDocument.create('x', 'markdown', 0, text), [...edits]);

/** Every note's text after a workspace edit (plain `changes` or annotated `documentChanges`). */
function applyWorkspaceEdit(vault: TestVault, edit: WorkspaceEdit): Map<string, string> {
  const byUri = new Map<string, TextEdit[]>(Object.entries(edit.changes ?? {}));
  for (const dc of edit.documentChanges ?? []) if ('edits' in dc) byUri.set(dc.textDocument.uri, dc.edits as TextEdit[]);
  const out = new Map<string, string>();
  for (const [rel, text] of vault.texts) {
    const edits = byUri.get(uriOf(rel));
    if (edits) out.set(rel, apply(text, edits));
  }
  return out;
}

describe('entity hover', () => {
  it('on a front-matter value: kind, notes, first and last date, recent notes as links', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(DEVDAY);
    const range = rangeOf(ctx.text, 'Sam Altman');
    const hover = entityHover(ctx, range.start)!;
    assert.deepEqual(hover.range, range);
    const md = (hover.contents as { value: string }).value;
    assert.match(md, /^\*\*Sam Altman\*\* · people/);
    assert.match(md, /4 notes, from 2022-05-01 to 2024-03-05/);
    assert.ok(md.includes(`[马斯克起诉 OpenAI](${uriOf(LAWSUIT)})`), md);
    assert.ok(md.indexOf(uriOf(LAWSUIT)) < md.indexOf(uriOf(DEVDAY)));
    // The end of the range still hovers; the key does not.
    assert.ok(entityHover(ctx, range.end));
    assert.equal(entityHover(ctx, rangeOf(ctx.text, 'people').start), undefined);
    const greg = (entityHover(ctx, rangeOf(ctx.text, 'Greg Brockman').start)!.contents as { value: string }).value;
    assert.match(greg, /\n1 note, on 2024-01-10\n/);
  });

  it('escapes note text and never links to commands', () => {
    const vault = new TestVault();
    vault.edit('evil.md', "---\ntitle: '[x](command:workbench.action.quit) <img src=x>'\ndate: '2030-01-01'\npeople:\n- Sam Altman\n---\n");
    const ctx = vault.ctx(DEVDAY);
    const md = (entityHover(ctx, rangeOf(ctx.text, 'Sam Altman').start)!.contents as { value: string }).value;
    assert.ok(md.includes('\\[x\\]\\(command\\:workbench\\.action\\.quit\\) \\<img src\\=x\\>'), md);
    assert.doesNotMatch(md, /\]\(command:/);
  });

  it('on a bold mention of a known entity in the body', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(DEVDAY);
    const range = rangeOf(ctx.text, 'Satya Nadella');
    const hover = entityHover(ctx, range.start)!;
    assert.deepEqual(hover.range, range);
    assert.match((hover.contents as { value: string }).value, /Satya Nadella\*\* · people/);
  });
});

describe('entity references and definition', () => {
  it('references: every note listing it (CRLF, BOM, quotes, scalar) and bold mentions', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(INTERVIEW);
    // Occurrence 0 is in the title, which names no entity.
    assert.equal(entityReferences(ctx, rangeOf(ctx.text, '马斯克').start), undefined);
    const refs = entityReferences(ctx, rangeOf(ctx.text, '马斯克', 1).start)!;
    const got = refs.map((r) => [r.uri, textAt(vault.texts.get(decodeURIComponent(r.uri.slice('file:///vault/'.length)))!, r.range)]);
    assert.deepEqual(got, [
      [uriOf(DEVDAY), '马斯克'],
      [uriOf(LAWSUIT), '马斯克'],
      [uriOf(INTERVIEW), '马斯克'],
      [uriOf(LAWSUIT), '马斯克'],
      [uriOf(INTERVIEW), '马斯克'],
    ]);
    const lawsuit = vault.texts.get(LAWSUIT)!;
    assert.deepEqual(refs[1]!.range, rangeOf(lawsuit, '马斯克', 1));
    assert.deepEqual(refs[3]!.range, rangeOf(lawsuit, '马斯克', 2));
  });

  it('a quoted value: the range is inside the quotes', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(LAWSUIT);
    const refs = entityReferences(ctx, rangeOf(ctx.text, 'Sam Altman').start)!;
    const here = refs.find((r) => r.uri === uriOf(LAWSUIT))!;
    assert.deepEqual(here.range, rangeOf(ctx.text, 'Sam Altman'));
    assert.equal(ctx.text.slice(0, 0), '');
  });

  it('definition: the note titled with the entity, else the references', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(DEVDAY);
    const def = entityDefinition(ctx, rangeOf(ctx.text, 'Sam Altman').start)!;
    assert.deepEqual(def.map((l) => l.uri), [uriOf(SAM)]);
    const greg = entityDefinition(ctx, rangeOf(ctx.text, 'Greg Brockman').start)!;
    assert.deepEqual(greg.map((l) => l.uri), [uriOf(DEVDAY)]);
    assert.deepEqual(greg[0]!.range, rangeOf(ctx.text, 'Greg Brockman'));
  });

  it('workspace symbols find entities by name and pinyin', () => {
    const vault = new TestVault();
    const byName = entitySymbols(vault.index, 'altman', 10);
    assert.deepEqual(byName.map((s) => [s.name, s.containerName]), [['Sam Altman', 'people']]);
    const byPinyin = entitySymbols(vault.index, 'msk', 10);
    assert.equal(byPinyin[0]!.name, '马斯克');
    assert.equal(entitySymbols(vault.index, '', 3).length, 3);
  });
});

describe('bold mentions, found by the summaries\' keys and read from the notes', () => {
  // These two texts share their hash32, a bold text's key in a summary: b may hold 人物5tzx as far as
  // its summary tells, and is read to find out that it does not.
  const texts = new Map([
    ['a.md', '---\npeople:\n- 人物5tzx\n---\n正文提到**人物5tzx**。\n'],
    ['b.md', '---\ntags: [x]\n---\n这里是**人物k3ad**，不是同一个人。\n'],
    ['c.md', '---\ntags: [y]\n---\n😀再提**人物5tzx**一次\r\n'],
  ]);

  it('the two texts share a key: both notes are candidates', () => {
    assert.equal(hash32('人物5tzx'), hash32('人物k3ad'));
    const vault = new TestVault(texts);
    assert.deepEqual(vault.index.notesWithBold('人物5tzx').sort(), [uriOf('a.md'), uriOf('b.md'), uriOf('c.md')]);
    assert.deepEqual(vault.index.notesWithBold('不存在的粗体'), []);
  });

  it('references give the spans that hold the text exactly, read from the other notes (emoji before, CRLF after)', () => {
    const vault = new TestVault(texts);
    const ctx = vault.ctx('a.md');
    const refs = entityReferences(ctx, rangeOf(ctx.text, '人物5tzx').start)!;
    const c = texts.get('c.md')!;
    assert.deepEqual(refs, [
      { uri: uriOf('a.md'), range: rangeOf(ctx.text, '人物5tzx') },
      { uri: uriOf('a.md'), range: rangeOf(ctx.text, '人物5tzx', 1) },
      { uri: uriOf('c.md'), range: rangeOf(c, '人物5tzx') },
    ]);
    // The first and last character of the span read from c.
    const r = refs[2]!.range;
    assert.equal(textAt(c, { start: r.start, end: { line: r.start.line, character: r.start.character + 1 } }), '人');
    assert.equal(textAt(c, { start: { line: r.end.line, character: r.end.character - 1 }, end: r.end }), 'x');
  });

  it('a note changed on disk since it was indexed gives its spans where they are now', () => {
    const vault = new TestVault(texts);
    const moved = '---\ntags: [y]\n---\n新的一行\n\n再提**人物5tzx**与**人物5tzx**\n';
    const ctx = { ...vault.ctx('a.md'), readText: (u: string) => (u === uriOf('c.md') ? moved : texts.get(u.slice('file:///vault/'.length))) };
    const refs = entityReferences(ctx, rangeOf(ctx.text, '人物5tzx').start)!;
    assert.deepEqual(refs.filter((r) => r.uri === uriOf('c.md')).map((r) => r.range), [rangeOf(moved, '人物5tzx'), rangeOf(moved, '人物5tzx', 1)]);
  });

  it('notes that cannot be read give no bold mentions; the note being edited still does', () => {
    const vault = new TestVault(texts);
    const ctx = { ...vault.ctx('a.md'), readText: undefined };
    const refs = entityReferences(ctx, rangeOf(ctx.text, '人物5tzx').start)!;
    assert.deepEqual(refs, [
      { uri: uriOf('a.md'), range: rangeOf(ctx.text, '人物5tzx') },
      { uri: uriOf('a.md'), range: rangeOf(ctx.text, '人物5tzx', 1) },
    ]);
  });

  it('rename leaves the colliding text alone', () => {
    const vault = new TestVault(texts);
    const ctx = vault.ctx('c.md');
    const edit = renameEntity(ctx, rangeOf(ctx.text, '人物5tzx').start, '新名字')!;
    assert.deepEqual(Object.keys(edit.changes!).sort(), [uriOf('a.md'), uriOf('c.md')]);
    for (const [uri, edits] of Object.entries(edit.changes!)) {
      const text = texts.get(uri.slice('file:///vault/'.length))!;
      for (const e of edits) assert.equal(textAt(text, e.range), '人物5tzx');
    }
  });

  it('the note being edited gives its bold mentions from its current text, not its summary', () => {
    const vault = new TestVault(texts);
    // c is being typed in: its buffer has a second mention the index has not seen yet.
    const typed = texts.get('c.md')!.replace('一次', '一次，**人物5tzx**');
    const ctx = { ...vault.ctx('c.md'), text: typed, note: parseNote(typed).note };
    const refs = entityReferences(ctx, rangeOf(typed, '人物5tzx').start)!;
    assert.deepEqual(refs.filter((r) => r.uri === uriOf('c.md')).map((r) => r.range), [rangeOf(typed, '人物5tzx'), rangeOf(typed, '人物5tzx', 1)]);
  });
});

describe('entity rename', () => {
  it('prepareRename gives the value range and refuses elsewhere', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(BOARD);
    const range = rangeOf(ctx.text, 'Lex Fridman');
    assert.deepEqual(entityRename.prepare(ctx, range.end), { range, placeholder: 'Lex Fridman' });
    assert.equal(entityRename.prepare(ctx, rangeOf(ctx.text, 'guest').start), undefined);
    assert.equal(entityRename.prepare(ctx, rangeOf(ctx.text, '投了').start), undefined);
  });

  it('renames front-matter values and bold mentions across the vault with minimal edits', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(INTERVIEW);
    const edit = renameEntity(ctx, rangeOf(ctx.text, '马斯克', 1).start, 'Elon Musk')!;
    assert.equal(edit.changeAnnotations, undefined);
    const after = applyWorkspaceEdit(vault, edit);
    assert.deepEqual([...after.keys()].sort(), [LAWSUIT, DEVDAY, INTERVIEW].sort());
    // Every occurrence but the titles' (a title is not an entity value).
    const expected = (text: string) => text.split('\n').map((l) => (l.startsWith('title:') ? l : l.replaceAll('马斯克', 'Elon Musk'))).join('\n');
    for (const [rel, text] of after) assert.equal(text, expected(vault.texts.get(rel)!), rel);
  });

  it('keeps quotes, and quotes a new name YAML would misread', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(LAWSUIT);
    const edit = renameEntity(ctx, rangeOf(ctx.text, 'Sam Altman').start, 'Sam "S" Altman: CEO')!;
    const after = applyWorkspaceEdit(vault, edit);
    assert.ok(after.get(LAWSUIT)!.includes('people: [马斯克, "Sam \\"S\\" Altman: CEO"]\r\n'), after.get(LAWSUIT));
    assert.ok(after.get(DEVDAY)!.includes("  - 'Sam \"S\" Altman: CEO'\n"));
    assert.ok(after.get(DEVDAY)!.includes('**Sam "S" Altman: CEO** 在台上'));
    // Every renamed note still parses to the new value.
    for (const text of after.values()) {
      const values = parseNote(text).note.entities.map((e) => e.value);
      assert.ok(values.includes('Sam "S" Altman: CEO'));
      assert.ok(!values.includes('Sam Altman'));
    }
  });

  it('renaming to an existing name is a merge that asks for confirmation', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(BOARD);
    const edit = renameEntity(ctx, rangeOf(ctx.text, 'Open AI').start, 'OpenAI')!;
    const annotation = edit.changeAnnotations![MERGE_ANNOTATION]!;
    assert.equal(annotation.needsConfirmation, true);
    assert.match(annotation.description!, /"OpenAI" already exists in 3 notes/);
    const dc = edit.documentChanges![0]! as { edits: AnnotatedTextEdit[] };
    assert.equal(dc.edits[0]!.annotationId, MERGE_ANNOTATION);
    assert.equal(applyWorkspaceEdit(vault, edit).get(BOARD), vault.texts.get(BOARD)!.replace('Open AI', 'OpenAI'));
  });

  it('refuses an empty or multi-line name', () => {
    const vault = new TestVault();
    const ctx = vault.ctx(BOARD);
    const at = rangeOf(ctx.text, 'Lex Fridman').start;
    assert.equal(renameEntity(ctx, at, ''), undefined);
    assert.equal(renameEntity(ctx, at, 'a\nb'), undefined);
  });
});

describe('entity diagnostics and fixes', () => {
  const diagnosticsOf = (vault: TestVault, rel: string): Diagnostic[] => toDiagnostics(entityDiagnostics(vault.ctx(rel)));
  const fix = (vault: TestVault, rel: string, d: Diagnostic) => {
    const ctx = vault.ctx(rel);
    const actions = entityCodeActions(ctx, d.range, [d], undefined);
    assert.equal(actions.length, 1);
    return { title: actions[0]!.title, text: apply(ctx.text, actions[0]!.edit!.changes![ctx.uri]!) };
  };

  it('registers stable codes', () => {
    assert.equal(codeInfo(NEAR_DUPLICATE)?.area, 'entity');
    assert.equal(codeInfo(UNTAGGED_MENTION)?.severity, 'hint');
  });

  it('near duplicates (space, case, full width) get a fix to the most used spelling', () => {
    const vault = new TestVault();
    for (const [rel, spelled] of [[BOARD, 'Open AI'], [ANTHROPIC, 'openai'], [INTERVIEW, 'ＯｐｅｎＡＩ']] as const) {
      const ds = diagnosticsOf(vault, rel).filter((d) => d.code === NEAR_DUPLICATE);
      assert.equal(ds.length, 1, rel);
      const text = vault.texts.get(rel)!;
      assert.deepEqual(ds[0]!.range, rangeOf(text, spelled), rel);
      assert.match(String(ds[0]!.message), /looks like another spelling of "OpenAI" \(used in 3 notes\)/);
      const related = ds[0]!.relatedInformation!;
      assert.equal(related.length, 3);
      for (const r of related) {
        const other = vault.texts.get(decodeURIComponent(r.location.uri.slice('file:///vault/'.length)))!;
        assert.equal(textAt(other, r.location.range), 'OpenAI');
      }
      const f = fix(vault, rel, ds[0]!);
      assert.equal(f.title, 'Use the spelling "OpenAI"');
      assert.equal(f.text, text.replace(spelled, 'OpenAI'));
    }
    assert.deepEqual(diagnosticsOf(vault, DEVDAY).filter((d) => d.code === NEAR_DUPLICATE), []);
  });

  it('untagged mention: a bold known entity the front matter does not list', () => {
    const vault = new TestVault();
    const text = vault.texts.get(DEVDAY)!;
    const ds = diagnosticsOf(vault, DEVDAY).filter((d) => d.code === UNTAGGED_MENTION);
    assert.deepEqual(ds.map((d) => d.range), [rangeOf(text, 'Satya Nadella')]);
    const f = fix(vault, DEVDAY, ds[0]!);
    assert.equal(f.title, 'Add "Satya Nadella" to people');
    assert.equal(f.text, text.replace('  - 马斯克\n', '  - 马斯克\n  - Satya Nadella\n'));
    // Listed mentions (Sam Altman) and unknown bolds get nothing.
    const board = diagnosticsOf(vault, BOARD).filter((d) => d.code === UNTAGGED_MENTION);
    assert.deepEqual(board, []);
  });

  it('the fix keeps a flow list flow, with CRLF untouched', () => {
    const vault = new TestVault();
    // 特斯拉 is known (the interview lists it); the lawsuit's flow list of companies does not list it.
    const text = vault.texts.get(LAWSUIT)!.replace('**OpenAI**', '**特斯拉**');
    vault.edit(LAWSUIT, text);
    const d = diagnosticsOf(vault, LAWSUIT).find((x) => x.code === UNTAGGED_MENTION)!;
    assert.deepEqual(d.range, rangeOf(text, '特斯拉'));
    assert.equal(fix(vault, LAWSUIT, d).text, text.replace('[OpenAI, Tesla]', '[OpenAI, Tesla, 特斯拉]'));
  });

  it('the fix adds a missing list before the closing line, and fills an empty key', () => {
    const vault = new TestVault();
    const missing = "---\r\ntitle: x\r\ntags:\r\n  - a\r\n---\r\n**Dario Amodei** 说。\r\n";
    vault.edit('m.md', missing);
    const d1 = diagnosticsOf(vault, 'm.md').find((x) => x.code === UNTAGGED_MENTION)!;
    assert.equal(fix(vault, 'm.md', d1).text, missing.replace('  - a\r\n---', '  - a\r\npeople:\r\n  - Dario Amodei\r\n---'));
    const empty = "---\npeople:\ntitle: y\n---\n**Dario Amodei**\n";
    vault.edit('e.md', empty);
    const d2 = diagnosticsOf(vault, 'e.md').find((x) => x.code === UNTAGGED_MENTION)!;
    assert.equal(fix(vault, 'e.md', d2).text, "---\npeople:\n- Dario Amodei\ntitle: y\n---\n**Dario Amodei**\n");
  });

  it('the fix quotes like the list does', () => {
    const vault = new TestVault();
    const text = "---\npeople:\n  - 'A B'\n  - 'C D'\n---\n**Dario Amodei**\n";
    vault.edit('q.md', text);
    const d = diagnosticsOf(vault, 'q.md').find((x) => x.code === UNTAGGED_MENTION)!;
    assert.equal(fix(vault, 'q.md', d).text, text.replace("  - 'C D'\n", "  - 'C D'\n  - 'Dario Amodei'\n"));
  });
});
