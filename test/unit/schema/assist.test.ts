import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { complete } from '../../../server/src/core/features/completion';
import { hover } from '../../../server/src/core/features/hover';
import { schemaCompletion } from '../../../server/src/core/schema/assist';
import { applyEdits } from '../../../server/src/core/schema/edits';
import { caret, rangeOf } from '../../support/caret';
import { CLEAN, contextOf } from './helpers';

const accept = (text: string, item: CompletionItem) => applyEdits(text, [item.textEdit as TextEdit]);

describe('key completion', () => {
  const { text, position } = caret(CLEAN.replace('people:\n', 'peo|\n').replace('- Sam Altman\n- 黄仁勋\n', '').replace('status: evergreen\n', ''));
  const list = schemaCompletion(contextOf(text), position)!;
  const labels = list.items.map((i) => i.label);

  it('offers the keys the note does not have yet, schema keys first', () => {
    assert.ok(labels.includes('people'));
    assert.ok(labels.includes('status'));
    assert.ok(!labels.includes('title'), 'title is already there');
    const sorted = [...list.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.ok(sorted.findIndex((i) => i.label === 'people') >= 0);
  });

  it('inserts a list key with its first item in the note\'s list style', () => {
    const people = list.items.find((i) => i.label === 'people')!;
    assert.equal(accept(text, people), text.replace('peo\n', 'people:\n- \n'));
  });

  it('inserts a scalar key with a space after the colon, and asks for its values', () => {
    const status = list.items.find((i) => i.label === 'status')!;
    assert.equal(accept(text, status), text.replace('peo\n', 'status: \n'));
    assert.equal(status.command?.command, 'editor.action.triggerSuggest');
  });

  it('follows CRLF and two-space list indentation', () => {
    const crlf = caret(CLEAN.replace('title:', '|\ntitle:').replace('people:\n- Sam Altman\n- 黄仁勋\n', '').replace(/^- /gm, '  - ').replace(/\n/g, '\r\n'));
    const item = schemaCompletion(contextOf(crlf.text), crlf.position)!.items.find((i) => i.label === 'people')!;
    assert.equal((item.textEdit as TextEdit).newText, 'people:\r\n  - ');
  });

  it('offers keys used elsewhere in the vault after the schema keys', () => {
    const index = contextOf(CLEAN.replace('title:', 'aliases: [x]\ntitle:'), { uri: 'file:///vault/other.md' }).index;
    const c = caret(CLEAN.replace('title:', '|\ntitle:'));
    const items = schemaCompletion(contextOf(c.text, { index }), c.position)!.items;
    const aliases = items.find((i) => i.label === 'aliases')!;
    assert.ok(aliases.sortText!.startsWith('1'));
  });
});

describe('value completion', () => {
  it('offers the closed set of values after status:', () => {
    const { text, position } = caret(CLEAN.replace('status: evergreen', 'status: ev|'));
    const list = complete(contextOf(text), position)!;
    assert.deepEqual(list.items.map((i) => i.label).sort(), ['budding', 'evergreen', 'seedling']);
    const ever = list.items.find((i) => i.label === 'evergreen')!;
    assert.equal(accept(text, ever), CLEAN);
  });

  it('offers true and false for a boolean', () => {
    const { text, position } = caret(CLEAN.replace('draft: false', 'draft: |'));
    assert.deepEqual(schemaCompletion(contextOf(text), position)!.items.map((i) => i.label), ['true', 'false']);
  });

  it('stays out of other contexts: entity values, the body', () => {
    const people = caret(CLEAN.replace('- 黄仁勋', '- 黄|'));
    assert.equal(schemaCompletion(contextOf(people.text), people.position), undefined);
    const body = caret(CLEAN.replace('正文 😀', '正文 |😀'));
    assert.equal(schemaCompletion(contextOf(body.text), body.position), undefined);
    const guest = caret(CLEAN.replace("guest: ''", 'guest: |'));
    assert.equal(schemaCompletion(contextOf(guest.text), guest.position), undefined);
  });
});

describe('hover on a key', () => {
  it('gives the description, the type and how the vault uses it', () => {
    const { text, position } = caret(CLEAN.replace('status: evergreen', 'sta|tus: evergreen'));
    const h = hover(contextOf(text), position)!;
    const value = (h.contents as MarkupContent).value;
    assert.match(value, /\*\*status\*\*/);
    assert.match(value, /How mature the note is/);
    assert.match(value, /Used by 13 of 13 notes/);
    assert.match(value, /`evergreen` ×7/);
    assert.deepEqual(h.range, rangeOf(text, 'status'));
  });

  it('says nothing on a value', () => {
    const { text, position } = caret(CLEAN.replace('status: evergreen', 'status: ever|green'));
    const h = hover(contextOf(text), position);
    assert.ok(!h || !(h.contents as MarkupContent).value.includes('How mature'));
  });
});
