import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { csvField, exportGlossary, glossaryEntries, glossaryFormat } from '../../../server/src/core/glossary/export';
import { GlossaryVault } from './vault';

const vault = new GlossaryVault();
const label = (uri: string) => decodeURIComponent(uri.slice('file:///vault/'.length));

/** A minimal RFC 4180 reader, to check that the export reads back to the same fields. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('glossary export', () => {
  it('one entry per term and distinct definition, notes that agree sharing it, in pinyin order', () => {
    const entries = glossaryEntries(vault.index, label);
    assert.deepEqual(entries.map((e) => `${e.term}|${e.english}|${e.sources.map((s) => s.slice(0, 10)).join('+')}`), [
      '表征|Representation|2024-04-25+2024-07-01',
      '表征学习|Representation learning|2024-04-25',
      '解缚|Unhobbling|2024-04-25',
      '数据壁垒|Data wall|2024-07-01',
      '数据墙|Data wall|2024-04-25+2024-08-01',
      '数据墙|Data wall|2024-07-01',
      '中国共产党|CCP|2024-04-25',
    ]);
    assert.equal(entries[0]!.definition, '数据在模型内部的编码');
    assert.equal(entries.at(-1)!.definition, '');
  });

  it('json: an array of {term, english, definition, sources}', () => {
    const json = JSON.parse(exportGlossary(vault.index, 'json', label)) as Array<Record<string, unknown>>;
    assert.equal(json.length, 7);
    assert.deepEqual(Object.keys(json[0]!), ['term', 'english', 'definition', 'sources']);
    assert.deepEqual(json[4]!['sources'], ['2024-04-25-规模定律与数据墙.md', '2024-08-01-重复.md']);
  });

  it('csv: a header, CRLF rows, quoting that reads back to the same fields', () => {
    const v = new GlossaryVault({
      'q.md': '**引号**（Quote: 他说"你好"，然后, 离开）\n**公式**（Formula: =1+1 不会被执行）\n',
    });
    const csv = exportGlossary(v.index, 'csv', label);
    assert.ok(csv.startsWith('term,english,definition,sources\r\n'));
    assert.ok(csv.endsWith('\r\n'));
    const rows = readCsv(csv);
    assert.deepEqual(rows[0], ['term', 'english', 'definition', 'sources']);
    const byTerm = new Map(rows.slice(1).map((r) => [r[0], r]));
    assert.deepEqual(byTerm.get('引号'), ['引号', 'Quote', '他说"你好"，然后, 离开', 'q.md']);
    // A spreadsheet would run a field starting with `=`: it gets an apostrophe.
    assert.equal(byTerm.get('公式')![2], "'=1+1 不会被执行");
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField(' padded '), '" padded "');
    const fixture = readCsv(exportGlossary(vault.index, 'csv', label));
    assert.equal(fixture.length, 8);
    assert.ok(fixture.every((r) => r.length === 4));
  });

  it('md: a table whose cells cannot break out (| escaped, no HTML, no links)', () => {
    const v = new GlossaryVault({ 'm.md': '**管道**（Pipe: a | b <script>x</script> [l](command:x)）\n' });
    const md = exportGlossary(v.index, 'md', label);
    const lines = md.trimEnd().split('\n');
    assert.equal(lines[0], '# Glossary');
    assert.equal(lines[2], '| Term | English | Definition | Sources |');
    assert.equal(lines[4], '| 管道 | Pipe | a \\| b \\<script\\>x\\</script\\> \\[l\\]\\(command:x\\) | m.md |');
    // Every row has exactly five unescaped pipes.
    for (const line of lines.slice(2)) assert.equal(line.replace(/\\\|/g, '').split('|').length - 1, 5, line);
    assert.ok(exportGlossary(vault.index, 'md', label).includes('| 数据墙 | Data wall | 指算力增长快于可用数据增长的局面 | 2024-07-01-分歧.md |'));
  });

  it('knows its format names', () => {
    assert.equal(glossaryFormat('markdown'), 'md');
    assert.equal(glossaryFormat('CSV'), 'csv');
    assert.equal(glossaryFormat('xml'), undefined);
    assert.equal(glossaryFormat(3), undefined);
  });
});
