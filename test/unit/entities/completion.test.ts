import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver-types';
import { entityCompletion, MAX_COMPLETIONS, resolveEntityItem } from '../../../server/src/core/entities/completion';
import { caret, rangeOf, textAt } from '../../support/caret';
import { TestVault } from './vault';

/** Completion at the `|` of a note added to the fixture vault as `new.md`. */
function complete(marked: string, vault = new TestVault()): { list: CompletionList | undefined; text: string } {
  const { text, position } = caret(marked);
  const ctx = vault.edit('new.md', text);
  return { list: entityCompletion(ctx, position), text };
}

const labels = (list: CompletionList | undefined) => (list?.items ?? []).map((i) => i.label);
const edit = (item: CompletionItem) => item.textEdit as TextEdit;
/** The note after accepting `item`. */
function accept(text: string, item: CompletionItem): string {
  const e = edit(item);
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  return text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
}

describe('entity completion: contexts from the parsed YAML', () => {
  it('block item being typed: `- Sa|` replaces the value and offers people first by match', () => {
    const { list, text } = complete('---\npeople:\n- Sa|\n---\n');
    assert.ok(list);
    assert.equal(labels(list)[0], 'Sam Altman');
    assert.deepEqual(edit(list.items[0]!).range, rangeOf(text, 'Sa'));
    assert.equal(accept(text, list.items[0]!), '---\npeople:\n- Sam Altman\n---\n');
  });

  it('empty block item `- |` offers every person, the most used and most recent first', () => {
    const { list, text } = complete('---\npeople:\n- |\n---\n');
    // Sam Altman is in 4 notes, 马斯克 in 3 but more recently; every other person in one or two.
    assert.deepEqual(labels(list).slice(0, 2).sort(), ['Sam Altman', '马斯克'].sort());
    assert.equal(labels(list).length, 8);
    const range = edit(list!.items[0]!).range;
    assert.deepEqual(range, { start: { line: 2, character: 2 }, end: { line: 2, character: 2 } });
    assert.equal(accept(text, list!.items[0]!), `---\npeople:\n- ${list!.items[0]!.label}\n---\n`);
  });

  it('a dash with no space gets one', () => {
    const { list, text } = complete('---\npeople:\n-|\n---\n');
    assert.equal(accept(text, list!.items.find((i) => i.label === 'Sam Altman')!), '---\npeople:\n- Sam Altman\n---\n');
  });

  it('flow list `[OpenAI, Ant|]` offers companies and leaves out OpenAI', () => {
    const { list, text } = complete('---\ncompanies_orgs: [OpenAI, Ant|]\n---\n');
    assert.deepEqual(labels(list).slice(0, 1), ['Anthropic']);
    assert.ok(!labels(list).includes('OpenAI'));
    assert.deepEqual(edit(list!.items[0]!).range, rangeOf(text, 'Ant'));
    assert.equal(accept(text, list!.items[0]!), '---\ncompanies_orgs: [OpenAI, Anthropic]\n---\n');
  });

  it('empty flow slot `[OpenAI, |]` and `[OpenAI,|]`', () => {
    const a = complete('---\ncompanies_orgs: [OpenAI, |]\n---\n');
    assert.ok(!labels(a.list).includes('OpenAI'));
    assert.equal(accept(a.text, a.list!.items.find((i) => i.label === 'Microsoft')!), '---\ncompanies_orgs: [OpenAI, Microsoft]\n---\n');
    const b = complete('---\ncompanies_orgs: [OpenAI,|]\n---\n');
    assert.equal(accept(b.text, b.list!.items.find((i) => i.label === 'Microsoft')!), '---\ncompanies_orgs: [OpenAI, Microsoft]\n---\n');
  });

  it('cursor in the middle of a value replaces the whole value and filters by the text before the cursor', () => {
    const { list, text } = complete('---\npeople:\n- Gre|gg\n---\n');
    assert.equal(labels(list)[0], 'Greg Brockman');
    assert.deepEqual(edit(list!.items[0]!).range, rangeOf(text, 'Gregg'));
  });

  it('scalar entity key `guest: |` draws on people', () => {
    const { list, text } = complete('---\nguest: |\n---\n');
    assert.ok(labels(list).includes('Sam Altman'));
    assert.ok(labels(list).includes('Lex Fridman'));
    assert.equal(accept(text, list!.items.find((i) => i.label === 'Lex Fridman')!), '---\nguest: Lex Fridman\n---\n');
    const noSpace = complete('---\nspeaker:|\n---\n');
    assert.equal(accept(noSpace.text, noSpace.list!.items.find((i) => i.label === '马斯克')!), '---\nspeaker: 马斯克\n---\n');
  });

  it("an empty quoted scalar (`guest: ''`, as the note template writes it) is filled inside its quotes", () => {
    const { list, text } = complete("---\nguest: '|'\n---\n");
    assert.equal(accept(text, list!.items.find((i) => i.label === 'Lex Fridman')!), "---\nguest: 'Lex Fridman'\n---\n");
    const after = complete("---\nguest: ''|\n---\n");
    assert.equal(accept(after.text, after.list!.items.find((i) => i.label === 'Lex Fridman')!), "---\nguest: 'Lex Fridman'\n---\n");
  });

  it('inside quotes the value is replaced inside them', () => {
    const { list, text } = complete('---\npeople: ["Sam Alt|"]\n---\n');
    assert.deepEqual(edit(list!.items[0]!).range, rangeOf(text, 'Sam Alt'));
    assert.equal(accept(text, list!.items[0]!), '---\npeople: ["Sam Altman"]\n---\n');
  });

  it('CRLF, a BOM and an emoji before the cursor keep UTF-16 positions exact', () => {
    const crlf = complete('---\r\npeople:\r\n- Sa|\r\n---\r\n');
    assert.deepEqual(edit(crlf.list!.items[0]!).range, rangeOf(crlf.text, 'Sa'));
    assert.equal(accept(crlf.text.replace(/\r\n/g, '\n'), crlf.list!.items[0]!), '---\npeople:\n- Sam Altman\n---\n');
    const emoji = complete('\ufeff---\npeople: [🚀x, Sa|]\n---\n');
    assert.deepEqual(edit(emoji.list!.items[0]!).range, rangeOf(emoji.text, 'Sa'));
    assert.equal(emoji.list!.items[0]!.label, 'Sam Altman');
  });

  it('works while the YAML is still being typed: an unclosed flow list, an unclosed block', () => {
    const flow = complete('---\ncompanies_orgs: [OpenAI, An|\n---\n');
    assert.equal(flow.list!.items[0]!.label, 'Anthropic');
    assert.deepEqual(edit(flow.list!.items[0]!).range, rangeOf(flow.text, 'An'));
    const open = complete('---\npeople:\n- Sa|');
    assert.equal(open.list!.items[0]!.label, 'Sam Altman');
  });

  it('is not an entity context after the closing bracket or on a line without a dash', () => {
    assert.equal(complete('---\npeople: [A, B]|\n---\n').list, undefined);
    assert.equal(complete('---\npeople: [A, B] |\n---\n').list, undefined);
    assert.equal(complete('---\npeople:\n- A\n|\n---\n').list, undefined);
  });

  it('is not an entity context on a key, in a title, or in the body', () => {
    assert.equal(complete('---\npeo|ple:\n- A\n---\n').list, undefined);
    assert.equal(complete('---\ntitle: Sa|\n---\n').list, undefined);
    assert.equal(complete('---\npeople:\n- A\n---\nSa|\n').list, undefined);
  });

  it('leaves out values already in the list', () => {
    const { list } = complete('---\npeople:\n- Sam Altman\n- |\n---\n');
    assert.ok(!labels(list).includes('Sam Altman'));
    assert.ok(labels(list).includes('Greg Brockman'));
  });
});

describe('entity completion: matching and ranking', () => {
  it('full pinyin and initials find Chinese names, with the pinyin in filterText', () => {
    const initials = complete('---\npeople:\n- msk|\n---\n');
    assert.equal(labels(initials.list)[0], '马斯克');
    assert.match(initials.list!.items[0]!.filterText!, /\bmsk\b/);
    assert.match(initials.list!.items[0]!.filterText!, /\bmasike\b/);
    const full = complete('---\npeople:\n- mahua|\n---\n');
    assert.deepEqual(labels(full.list), ['马化腾']);
  });

  it('matches no pinyin when notesense.completion.pinyin is off', () => {
    const vault = new TestVault();
    const { text, position } = caret('---\npeople:\n- msk|\n---\n');
    const ctx = vault.edit('new.md', text);
    const list = entityCompletion({ ...ctx, settings: { ...ctx.settings, completion: { pinyin: false } } }, position);
    assert.ok(!labels(list).includes('马斯克'));
    const all = entityCompletion({ ...vault.edit('new.md', '---\npeople:\n- \n---\n'), settings: { ...ctx.settings, completion: { pinyin: false } } }, { line: 2, character: 2 });
    assert.equal(all!.items.find((i) => i.label === '马斯克')!.filterText, '马斯克');
  });

  it('is case- and width-insensitive', () => {
    const lower = complete('---\ncompanies_orgs:\n- micro|\n---\n');
    assert.equal(labels(lower.list)[0], 'Microsoft');
    const wide = complete('---\ncompanies_orgs:\n- ｍｉｃｒｏ|\n---\n');
    assert.equal(labels(wide.list)[0], 'Microsoft');
    assert.match(wide.list!.items[0]!.filterText!, /ｍｉｃｒｏｓｏｆｔ/);
  });

  it('prefers a prefix over a word start over a subsequence', () => {
    const vault = new TestVault();
    vault.edit('a.md', '---\npeople:\n- Adele Lutz\n- Malta\n- Salt Alto\n- Alt Person\n---\n');
    const { list } = complete('---\npeople:\n- alt|\n---\n', vault);
    // Prefix, then word starts (the more used first), then a substring, then a subsequence.
    assert.deepEqual(labels(list), ['Alt Person', 'Sam Altman', 'Salt Alto', 'Malta', 'Adele Lutz']);
  });

  it('ranks the values that appear with this note\'s values higher', () => {
    // Greg Brockman appears with OpenAI (devday); Dario Amodei with Anthropic.
    const withAnthropic = complete('---\ncompanies_orgs: [Anthropic]\npeople:\n- |\n---\n');
    const withOpenAI = complete('---\ncompanies_orgs: [Microsoft]\npeople:\n- |\n---\n');
    const rank = (l: CompletionList | undefined, v: string) => labels(l).indexOf(v);
    assert.ok(rank(withAnthropic.list, 'Dario Amodei') < rank(withAnthropic.list, 'Greg Brockman'));
    assert.ok(rank(withOpenAI.list, 'Greg Brockman') < rank(withOpenAI.list, 'Dario Amodei'));
  });

  it('ranks a more recent value higher when use and match are equal', () => {
    const vault = new TestVault();
    vault.edit('old.md', "---\ndate: '2001-01-01'\ntags: [zeta-old]\n---\n");
    vault.edit('new2.md', "---\ndate: '2025-01-01'\ntags: [zeta-new]\n---\n");
    const { list } = complete('---\ntags:\n- zeta|\n---\n', vault);
    assert.deepEqual(labels(list), ['zeta-new', 'zeta-old']);
  });

  it('shows the kind and number of notes, and the most recent notes as documentation when resolved', () => {
    const vault = new TestVault();
    const { list } = complete('---\npeople:\n- Sam|\n---\n', vault);
    const sam = list!.items[0]!;
    assert.equal(sam.detail, 'people · 4 notes');
    const greg = complete('---\npeople:\n- Greg|\n---\n').list!.items[0]!;
    assert.equal(greg.detail, 'people · 1 note');
    // The list leaves the documentation to `completionItem/resolve`, for the item the editor shows.
    assert.equal(sam.documentation, undefined);
    const resolved = resolveEntityItem(vault.index, JSON.parse(JSON.stringify(sam)));
    assert.equal(resolved.label, sam.label);
    const doc = (resolved.documentation as { value: string }).value;
    assert.ok(doc.indexOf('2024\\-03\\-05') < doc.indexOf('2024\\-01\\-10'), doc);
    assert.doesNotMatch(doc, /command:/);
  });

  it('caps the list and marks it incomplete when cut', () => {
    const vault = new TestVault();
    const many = Array.from({ length: MAX_COMPLETIONS + 20 }, (_, i) => `- Person ${String(i).padStart(3, '0')}`).join('\n');
    vault.edit('many.md', `---\npeople:\n${many}\n---\n`);
    const { list } = complete('---\npeople:\n- Per|\n---\n', vault);
    assert.equal(list!.items.length, MAX_COMPLETIONS);
    assert.equal(list!.isIncomplete, true);
    const small = complete('---\npeople:\n- Sam|\n---\n');
    assert.equal(small.list!.isIncomplete, false);
  });

  it('quotes a value YAML would misread', () => {
    const vault = new TestVault();
    vault.edit('q.md', "---\nmedia_books:\n- '《Energy: A Human History》'\n- 'true'\n---\n");
    const { list, text } = complete('---\nmedia_books: [|]\n---\n', vault);
    const item = list!.items.find((i) => i.label === '《Energy: A Human History》')!;
    assert.equal(accept(text, item), "---\nmedia_books: ['《Energy: A Human History》']\n---\n");
    assert.equal(textAt(text, edit(item).range), '');
  });
});
