import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { indexedDefinitionsOf, keepEveryDefinitionList, lexiconOf, listVersion, prepareDefinitionsOf } from '../../../server/src/core/glossary/lexicon';
import { mentionAt, mentionAtOffset, mentionsNear, mentionsOf } from '../../../server/src/core/glossary/mentions';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { rangeOf, textAt } from '../../support/caret';
import { plainDefinition } from '../../support/definitions';
import { A, GlossaryVault } from './vault';

describe('glossary vocabulary per index version', () => {
  it('keeps the matcher while the vocabulary stays the same, and rebuilds it when a term comes or goes', () => {
    const vault = new GlossaryVault();
    const first = lexiconOf(vault.index);
    assert.equal(lexiconOf(vault.index), first, 'same index version');
    // A keystroke that changes no definition: a new index version, the same vocabulary.
    vault.set(A, vault.text(A) + '\n又提到数据墙。\n');
    assert.equal(lexiconOf(vault.index), first);
    // A new definition changes it.
    vault.set('new.md', '**算力墙**（Compute wall: 指算力不足）\n');
    const second = lexiconOf(vault.index);
    assert.notEqual(second, first);
    assert.ok(second.terms.has('算力墙'));
    assert.deepEqual(second.english.get('compute wall'), ['算力墙']);
    // A changed English name changes it too.
    vault.set('new.md', '**算力墙**（Compute barrier: 指算力不足）\n');
    const third = lexiconOf(vault.index);
    assert.ok(!third.english.has('compute wall') && third.english.has('compute barrier'));
    // Removing the note removes its terms.
    vault.index.delete('file:///vault/new.md');
    assert.ok(!lexiconOf(vault.index).terms.has('算力墙'));
    assert.deepEqual(lexiconOf(vault.index).english.get('data wall'), ['数据墙', '数据壁垒']);
  });

  it('scanning only the lines around candidates finds what a scan of the whole note finds there', () => {
    const vault = new GlossaryVault();
    const lexicon = lexiconOf(vault.index);
    for (const [uri, text] of vault.texts) {
      const note = parseNote(text).note;
      const whole = mentionsOf(text, note, lexicon);
      for (const term of lexicon.terms) {
        const offsets: number[] = [];
        for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) offsets.push(at);
        const near = mentionsNear(text, lexicon, offsets).filter((m) => m.terms.includes(term) && m.kind !== 'english');
        const expected = whole.filter((m) => m.terms.includes(term) && m.kind !== 'english');
        assert.deepEqual(near.map((m) => [m.start, m.kind]), expected.map((m) => [m.start, m.kind]), `${uri} ${term}`);
      }
    }
  });

  it('the mention at an offset, from its line alone when the note has no mentions cached, is the one a whole scan finds', () => {
    const vault = new GlossaryVault();
    const lexicon = lexiconOf(vault.index);
    let found = 0;
    for (const [uri, text] of vault.texts) {
      const whole = mentionsOf(text, parseNote(text).note, lexicon);
      for (let at = 0; at <= text.length; at++) {
        // A fresh parse each time: nothing cached for it, so only the line around `at` is scanned.
        const near = mentionAtOffset(text, parseNote(text).note, lexicon, at);
        const expected = mentionAt(whole, at);
        assert.deepEqual(near, expected, `${uri} at ${at}`);
        if (expected) found++;
      }
      // One model asked again and again: a line, then the whole note (cached), then the cache.
      const model = parseNote(text).note;
      for (let at = 0; at <= text.length; at += 7) assert.deepEqual(mentionAtOffset(text, model, lexicon, at), mentionAt(whole, at), `${uri} at ${at}, same model`);
    }
    assert.ok(found > 100, `only ${found} offsets are in a mention`);
  });

  it('scans lines for one lexicon until they add up to the note, then the whole note once, then reads the cache', () => {
    const vault = new GlossaryVault();
    const lexicon = lexiconOf(vault.index);
    const [uri, short] = [...vault.texts].sort((a, b) => b[1].length - a[1].length)[0]!;
    // A long note: its lines then hold a small part of it (as in the notes of the format, ~27,000 units).
    const text = short + '\n这一行只是正文，不提任何术语。'.repeat(80) + '\n';
    const model = parseNote(text).note;
    const whole = mentionsOf(text, parseNote(text).note, lexicon);
    // Every call of the matcher, as the part of the text it reads.
    const reads: Array<[number, number]> = [];
    const find = lexicon.matcher.find.bind(lexicon.matcher);
    lexicon.matcher.find = (t, from, to, skip) => {
      reads.push([from ?? 0, to ?? t.length]);
      return find(t, from, to, skip);
    };
    try {
      const target = whole.find((m) => m.kind === 'plain' || m.kind === 'bold')!;
      assert.ok(target, `${uri} mentions a term`);
      const lineStart = text.lastIndexOf('\n', target.start) + 1;
      const lineEnd = text.indexOf('\n', target.start) < 0 ? text.length : text.indexOf('\n', target.start);
      const lineLength = lineEnd - lineStart;
      const lines = Math.ceil(text.length / lineLength);
      assert.ok(lines > 8, `${uri}: the line is ${lineLength} of ${text.length} units`);
      for (let i = 1; i <= lines; i++) {
        assert.deepEqual(mentionAtOffset(text, model, lexicon, target.start), target, `request ${i}`);
        if (i < lines) {
          assert.equal(reads.length, i, `request ${i} reads one line`);
          assert.deepEqual(reads[i - 1], [Math.max(lineStart, model.body.start), lineEnd]);
        }
      }
      // The request that brought the lines read to the note's length read the whole body.
      assert.deepEqual(reads.at(-1), [model.body.start, text.length]);
      const count = reads.length;
      assert.deepEqual(mentionAtOffset(text, model, lexicon, target.end - 1), target);
      assert.deepEqual(mentionAtOffset(text, model, lexicon, target.end), mentionAt(whole, target.end));
      assert.equal(reads.length, count, 'then the cache answers');
      // Another lexicon starts the count again: one line.
      vault.set('other.md', '**另一个词**（Another term: 只为换一个词表）\n');
      const next = lexiconOf(vault.index);
      assert.notEqual(next, lexicon);
      const otherModel = parseNote(text).note;
      const before = reads.length;
      assert.deepEqual(mentionAtOffset(text, otherModel, next, target.start), target);
      assert.equal(reads.length, before + 1);
      assert.deepEqual(reads.at(-1), [Math.max(lineStart, model.body.start), lineEnd]);
    } finally {
      lexicon.matcher.find = find;
    }
  });
});

describe('definitions kept for a term (read from the notes\' summaries)', () => {
  const uri = 'file:///vault/2024-03-01-墙.md';
  const note = (before: string) => `---\ntitle: 墙\n---\n${before}😀**数据墙**（Data wall: 指训练数据耗尽）。\r\n`;
  const put = (index: WorkspaceIndex, text: string) => index.set(summarize(uri, parseNote(text).note));

  it('reads each field from the summary, with the first and last character of each range, and shows them as JSON', () => {
    const index = new WorkspaceIndex();
    const text = note('前文');
    put(index, text);
    const [d] = indexedDefinitionsOf(index, '数据墙');
    assert.ok(d);
    assert.equal(d.uri, uri);
    assert.equal(d.term, '数据墙');
    assert.equal(d.english, 'Data wall');
    assert.equal(d.definition, '指训练数据耗尽');
    assert.equal(d.date, '2024-03-01');
    assert.deepEqual(d.termRange, rangeOf(text, '数据墙'));
    const whole = d.range;
    // The whole definition runs from the bold term's opening ** to the closing parenthesis.
    assert.equal(textAt(text, whole), '**数据墙**（Data wall: 指训练数据耗尽）');
    assert.deepEqual([d.line, d.character], [whole.start.line, whole.start.character]);
    assert.deepEqual(JSON.parse(JSON.stringify(d)), JSON.parse(JSON.stringify(plainDefinition(d))));
  });

  it('keeps a note\'s block when it comes back the same, and takes it again when it moved', () => {
    const index = new WorkspaceIndex();
    put(index, note('前文'));
    const list = indexedDefinitionsOf(index, '数据墙');
    const version = listVersion(list);
    put(index, note('前文'));
    assert.equal(indexedDefinitionsOf(index, '数据墙'), list);
    assert.equal(listVersion(list), version, 'the same definition in the same place: the block stays');
    const moved = note('\n前文');
    put(index, moved);
    const after = indexedDefinitionsOf(index, '数据墙');
    assert.equal(listVersion(after), version + 1, 'one line lower: the block is taken again');
    assert.deepEqual(after[0]!.termRange, rangeOf(moved, '数据墙'));
  });
});

describe('a term\'s kept list built in steps', () => {
  /** 300 notes define 数据墙, a few of them twice, on 30 dates. */
  function vault(): WorkspaceIndex {
    const index = new WorkspaceIndex();
    for (let n = 0; n < 300; n++) {
      const twice = n % 7 === 0 ? `\n\n**数据墙**（Data wall: 第二次）` : '';
      const text = `---\ntitle: 笔记${n}\ndate: 2024-01-${String(1 + (n % 30)).padStart(2, '0')}\n---\n**数据墙**（Data wall: 第${n % 5}种说法）${twice}\n`;
      index.set(summarize(`file:///v/${String((n * 37) % 300).padStart(3, '0')}.md`, parseNote(text).note));
    }
    return index;
  }
  const places = (list: readonly { uri: string; line: number; character: number; date: string }[]) => list.map((d) => `${d.date} ${d.uri} ${d.line}:${d.character}`);

  it('gives the list a build in one go gives, in display order, stopping at every question', () => {
    const index = vault();
    let steps = 1;
    while (!prepareDefinitionsOf(index, '数据墙', () => true)) steps++;
    assert.ok(steps > 3, `${steps} steps`);
    const stepped = places(indexedDefinitionsOf(index, '数据墙'));
    const whole = places(indexedDefinitionsOf(vault(), '数据墙'));
    assert.equal(stepped.length, 300 + 43);
    assert.deepEqual(stepped, whole);
    assert.deepEqual(stepped, [...stepped].sort(), 'dates, then uris, then positions');
  });

  it('starts again when the index changed under it, and a request finishes a build under way', () => {
    const index = vault();
    assert.equal(prepareDefinitionsOf(index, '数据墙', () => true), false);
    index.set(summarize('file:///v/new.md', parseNote('---\ntitle: 新\ndate: 2023-12-31\n---\n**数据墙**（Data wall: 最早）\n').note));
    while (!prepareDefinitionsOf(index, '数据墙', () => true));
    const list = indexedDefinitionsOf(index, '数据墙');
    assert.equal(list[0]!.uri, 'file:///v/new.md', 'the note that came meanwhile, oldest, first');
    assert.deepEqual(places(list), places(indexedDefinitionsOf((() => {
      const fresh = vault();
      fresh.set(summarize('file:///v/new.md', parseNote('---\ntitle: 新\ndate: 2023-12-31\n---\n**数据墙**（Data wall: 最早）\n').note));
      return fresh;
    })(), '数据墙')));
    const other = vault();
    assert.equal(prepareDefinitionsOf(other, '数据墙', () => true), false);
    assert.deepEqual(places(indexedDefinitionsOf(other, '数据墙')), places(indexedDefinitionsOf(vault(), '数据墙')));
    assert.equal(prepareDefinitionsOf(other, '数据墙', () => true), true, 'kept');
  });
});

describe('every definition list at once (keepEveryDefinitionList)', () => {
  const place = (d: { uri: string; term: string; line: number; character: number; definition: string }) => `${d.uri} ${d.term} ${d.line}:${d.character} ${d.definition}`;

  it('gives each term the list that building it alone gives, in the same order, and keeps them up to date', () => {
    const all = new GlossaryVault();
    // Notes of the same date (ordered by uri), one with no date, one defining a term twice.
    all.set('2024-09-09-同日甲.md', '---\ndate: 2024-04-25\n---\n**数据墙**（Data wall: 同日）\n**数据墙**（Data wall: 同日又一次）\n');
    all.set('同日乙.md', '---\ndate: 2024-04-25\n---\n**数据墙**（Data wall: 乙）\n');
    all.set('无日期.md', '**数据墙**（Data wall: 无日期）与**算力墙**（Compute wall: 算力）\n');
    const kept = new GlossaryVault(Object.fromEntries([...all.texts].map(([uri, text]) => [decodeURIComponent(uri.slice('file:///vault/'.length)), text])));
    // One list already kept before: it stays the same object.
    const before = indexedDefinitionsOf(kept.index, '算力墙');
    keepEveryDefinitionList(kept.index);
    assert.equal(indexedDefinitionsOf(kept.index, '算力墙'), before);
    const terms = [...lexiconOf(all.index).terms].sort();
    assert.ok(terms.length > 5);
    for (const term of terms) {
      assert.deepEqual(indexedDefinitionsOf(kept.index, term).map(place), indexedDefinitionsOf(all.index, term).map(place), term);
    }
    // A change reaches the lists kept this way as it reaches any kept list.
    kept.set('同日乙.md', '---\ndate: 2024-04-25\n---\n**数据墙**（Data wall: 乙改）\n');
    all.set('同日乙.md', '---\ndate: 2024-04-25\n---\n**数据墙**（Data wall: 乙改）\n');
    assert.deepEqual(indexedDefinitionsOf(kept.index, '数据墙').map(place), indexedDefinitionsOf(all.index, '数据墙').map(place));
  });

  it('keeps every list, past the 2,000 most recently used that are kept otherwise', () => {
    const terms = Array.from({ length: 2100 }, (_, i) => `术语${i}`);
    const notes = { 'a.md': terms.map((t) => `**${t}**（义）`).join('\n') + '\n' };
    const lru = new GlossaryVault(notes);
    const first = indexedDefinitionsOf(lru.index, terms[0]!);
    for (const t of terms) indexedDefinitionsOf(lru.index, t);
    assert.notEqual(indexedDefinitionsOf(lru.index, terms[0]!), first, 'the least recently used list was dropped and built again');
    const all = new GlossaryVault(notes);
    keepEveryDefinitionList(all.index);
    const kept = terms.map((t) => indexedDefinitionsOf(all.index, t));
    // Lists built one at a time afterwards (new terms) drop none either.
    for (let i = 0; i < 20; i++) {
      all.set(`new${i}.md`, `**新术语${i}**（义）\n`);
      assert.equal(indexedDefinitionsOf(all.index, `新术语${i}`).length, 1);
    }
    terms.forEach((t, i) => assert.equal(indexedDefinitionsOf(all.index, t), kept[i], t));
  });
});
