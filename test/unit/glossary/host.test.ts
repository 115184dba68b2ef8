import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { readNoteTextSync } from '../../../server/src/host/noteText';
import { exportGlossaryCommand, relativeLabel } from '../../../server/src/lsp/glossaryCommand';
import { B, GLOSSARY_VAULT, GlossaryVault } from './vault';

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
