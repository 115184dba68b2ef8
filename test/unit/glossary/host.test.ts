import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { references } from '../../../server/src/core/features/references';
import { bytesMayContain, noteMayContain, readNoteTextSync } from '../../../server/src/host/noteText';
import { exportGlossaryCommand, relativeLabel } from '../../../server/src/lsp/glossaryCommand';
import { B, GLOSSARY_VAULT, GlossaryVault, offsetOf, positionAt } from './vault';

describe('reading other notes on demand', () => {
  it('reads a note as an editor shows it: BOM removed, CRLF kept', () => {
    const text = readNoteTextSync(pathToFileURL(path.join(GLOSSARY_VAULT, B)).href);
    assert.ok(text);
    assert.ok(text.startsWith('---\r\ntitle: 播客笔记'));
  });

  it('gives undefined for a missing file, a folder, a file over the limit and a uri that is not a file', () => {
    assert.equal(readNoteTextSync(pathToFileURL(path.join(GLOSSARY_VAULT, 'missing.md')).href), undefined);
    assert.equal(readNoteTextSync(pathToFileURL(GLOSSARY_VAULT).href), undefined);
    assert.equal(readNoteTextSync(pathToFileURL(path.join(GLOSSARY_VAULT, B)).href, 10), undefined);
    assert.equal(readNoteTextSync('untitled:Untitled-1'), undefined);
  });
});

describe('the export command', () => {
  it('labels sources relative to the workspace folder that holds them', () => {
    assert.equal(relativeLabel('file:///w/notes/%E6%95%B0.md', ['file:///w']), 'notes/数.md');
    assert.equal(relativeLabel('file:///w/a.md', ['file:///x', 'file:///w/']), 'a.md');
    assert.equal(relativeLabel('file:///elsewhere/a%20b.md', ['file:///w']), 'file:///elsewhere/a b.md');
  });

  it('takes the format as a string or { format }, md by default, and refuses an unknown one', () => {
    const vault = new GlossaryVault();
    assert.ok(exportGlossaryCommand(vault.index, ['file:///vault'], []).startsWith('# Glossary'));
    assert.ok(exportGlossaryCommand(vault.index, ['file:///vault'], [{ format: 'json' }]).startsWith('['));
    assert.ok(exportGlossaryCommand(vault.index, ['file:///vault'], ['CSV']).includes('\r\n数据墙,Data wall,指算力增长快于可用数据增长的局面,2024-07-01-分歧.md\r\n'));
    assert.throws(() => exportGlossaryCommand(vault.index, [], ['pdf']), /pdf/);
  });
});

describe('which notes may mention a term, by their bytes', () => {
  const definitions = '---\ntitle: 定义\n---\n**数据墙**（Data Wall: 定义一）\n**截止**（Knowledge cutoff: 定义三）\n**AI伦理**（AI ethics: 定义四）\n';
  const piece = fc.constantFrom('数据墙', 'data wall', 'Data Wall', 'DATA\u00a0WALL', 'data\twall', 'data\u3000wall', 'Data  wall', 'wall', 'data',
    '\u0130', '\u212anowledge cutoff', 'KNOWLEDGE CUTOFF', 'knowledge', 'cutoff', 'ai伦理', 'AI伦理', 'ai ethics', 'ＡＩ伦理', 'ｄａｔａ ｗａｌｌ', '😀', '**数据墙**', '**截止**',
    '截止', ' ', '\n', '\r\n', '`数据墙`', 'x', '（', '）');

  it('finds the same occurrences with the byte test as without it, on random vaults (case, spacing, İ, the Kelvin sign, CRLF)', () => {
    let skipped = 0;
    let found = 0;
    fc.assert(fc.property(fc.array(fc.array(piece, { maxLength: 24 }), { minLength: 1, maxLength: 4 }), fc.constantFrom('数据墙', '截止', 'AI伦理'), (bodies, term) => {
      const notes: Record<string, string> = { 'def.md': definitions };
      bodies.forEach((b, i) => (notes[`n${i}.md`] = `---\ntitle: n${i}\n---\n${b.join('')}\n`));
      const vault = new GlossaryVault(notes);
      const ctx = vault.ctx('def.md');
      const position = positionAt(ctx.text, offsetOf(ctx.text, term));
      const plain = references(ctx, position, true);
      const mayContain = (uri: string, exact: readonly string[], caseless: readonly string[]) => {
        const may = bytesMayContain(Buffer.from(vault.texts.get(uri)!, 'utf8'), exact, caseless);
        if (!may) skipped++;
        return may;
      };
      assert.deepEqual(references({ ...ctx, mayContain }, position, true), plain);
      found += (plain ?? []).filter((l) => l.uri !== ctx.uri).length;
    }), { numRuns: 400, seed: 13 });
    assert.ok(skipped > 100 && found > 100, `${skipped} notes skipped, ${found} occurrences in other notes`);
  });

  it('says a note may hold what it holds, in any letter case, and not what it does not', () => {
    const may = (text: string, exact: string[], caseless: string[]) => bytesMayContain(Buffer.from(text, 'utf8'), exact, caseless);
    assert.equal(may('正文提到数据墙。', ['数据墙'], []), true);
    assert.equal(may('正文提到数据。', ['数据墙'], []), false);
    assert.equal(may('the DATA Wall', ['数据墙'], ['wall']), true);
    assert.equal(may('the data', ['数据墙'], ['wall']), false);
    // Words are text, not patterns.
    assert.equal(may('uses C++ daily', [], ['c++']), true);
    assert.equal(may('uses C daily', [], ['c++']), false);
    assert.equal(may('axb', [], ['a.b']), false);
    assert.equal(may('x A.B y', [], ['zz', 'a.b']), true);
    // Lower-casing gives ASCII letters from these two: the note may hold `i` or `k`.
    assert.equal(may('\u212a', [], ['k']), true);
    assert.equal(may('\u0130', [], []), true);
    // Not text as the reader takes it, or a word that is not ASCII: may hold anything.
    assert.equal(may('a\u0000b', ['数据墙'], []), true);
    assert.equal(bytesMayContain(Buffer.from([0x61, 0xff, 0x62]), ['数据墙'], []), true);
    assert.equal(bytesMayContain(Buffer.from('\ufeffabc', 'utf16le'), ['数据墙'], []), true);
    assert.equal(may('abc', [], ['é']), true);
  });

  it('reads the note from disk, and may hold anything it cannot read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notesense-may-'));
    try {
      const file = path.join(dir, 'a.md');
      writeFileSync(file, '\ufeff---\r\ntitle: x\r\n---\r\n提到 Data\u00a0Wall。\r\n');
      const uri = pathToFileURL(file).href;
      assert.equal(noteMayContain(uri, ['数据墙'], ['wall']), true);
      assert.equal(noteMayContain(uri, ['数据墙'], ['cutoff']), false);
      assert.equal(noteMayContain(pathToFileURL(path.join(dir, 'missing.md')).href, ['数据墙'], []), true);
      assert.equal(noteMayContain(pathToFileURL(dir).href, ['数据墙'], []), true);
      assert.equal(noteMayContain(uri, ['数据墙'], [], 10), true, 'over the size limit');
      assert.equal(noteMayContain('untitled:Untitled-1', ['数据墙'], []), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands the bytes it read to a read of the same note in the same run only, never to a later one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notesense-hand-'));
    try {
      const file = path.join(dir, 'a.md');
      const other = path.join(dir, 'b.md');
      writeFileSync(file, '提到数据墙。\n');
      writeFileSync(other, '别的笔记\n');
      const uri = pathToFileURL(file).href;
      // In the same run: the text is the one tested, though the file changed since (the read is not repeated).
      assert.equal(noteMayContain(uri, ['数据墙'], []), true);
      writeFileSync(file, '改过了，提到数据墙。\n');
      assert.equal(readNoteTextSync(uri), '提到数据墙。\n');
      // Handed once: the next read goes to the file.
      assert.equal(readNoteTextSync(uri), '改过了，提到数据墙。\n');
      // Another note, or another size limit, is read from its file.
      assert.equal(noteMayContain(uri, ['数据墙'], []), true);
      assert.equal(readNoteTextSync(pathToFileURL(other).href), '别的笔记\n');
      assert.equal(noteMayContain(uri, ['数据墙'], []), true);
      assert.equal(readNoteTextSync(uri, 5), undefined, 'over the size limit');
      // A note that certainly does not hold the strings hands nothing over.
      writeFileSync(file, '无关\n');
      assert.equal(noteMayContain(uri, ['数据墙'], []), false);
      writeFileSync(file, '后来\n');
      assert.equal(readNoteTextSync(uri), '后来\n');
      // After the run (a microtask later), nothing is handed over.
      writeFileSync(file, '提到数据墙。\n');
      assert.equal(noteMayContain(uri, ['数据墙'], []), true);
      await Promise.resolve();
      writeFileSync(file, '再改，提到数据墙。\n');
      assert.equal(readNoteTextSync(uri), '再改，提到数据墙。\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
