/**
 * Incremental sync over stdio: a note typed into with random range edits (`didChange` with ranges, as
 * VS Code sends them) must end where a note opened with the final text starts. The server applies each
 * change to its copy, re-parses only the lines an edit touched (`reparseNote`) and replaces the note's
 * index contributions; a fresh open parses the whole text once. Their diagnostics and quick fixes,
 * symbols, hovers, definitions, completions and the whole index must be the same (`observe`). The notes
 * have CRLF line breaks, a BOM, Chinese text and emoji, and the edits add and remove the characters the
 * body's parser reads: `**`, brackets, colons, line breaks, fenced blocks, `---` lines, headings and
 * list items. (Moving the items after an edit wrongly, for bold
 * spans, English names or headings, fails most of these tests; the core's property test of `reparseNote`
 * checks the parse itself, this one what the editor gets from it.)
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { INDEX_SNAPSHOT_REQUEST } from '../../server/src/lsp/indexSnapshot';
import { rng } from '../support/churn';
import { fileUri, startServer, type TestServer } from '../support/lsp';
import { answersIn, assertSameAnswers, caretAt, observe, positionAt, probesOf } from '../support/observe';
import { fixtureVault, readFixture } from '../support/paths';

/** What the edits insert: the parser's punctuation, line breaks, Chinese text, emoji and plain words. */
const PIECES = ['**', '**', '（', '）', '(', ')', ':', '：', '“', '”', '\n', '\r\n', '\n\n', '😀', '数据墙', 'Data wall', '- ', '---\n', '`', '# ', ' ', 'x', '\t', '术语', '（Term: 定义）'];

/** Where the body starts: after the line that closes the front matter (0 when there is none). */
function bodyStart(text: string): number {
  const first = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!/^---\r?\n/.test(text.slice(first))) return 0;
  const close = /\r?\n---(\r?\n|$)/.exec(text.slice(first + 3));
  return close ? first + 3 + close.index + close[0].length : 0;
}

/**
 * One random edit of the body of `text`, where typing mostly is: an insertion, a deletion of up to 6
 * units, or a replacement. (An edit in the front matter parses the note again in full, and one that broke
 * its closing line would leave every later edit a full parse too: the re-parse of touched lines untested.)
 * With `anywhere`, that share of the edits may also fall in the front matter.
 */
function randomEdit(text: string, next: () => number, anywhere = 0): { start: number; end: number; insert: string } {
  const body = next() < anywhere ? 0 : bodyStart(text);
  const start = caretAt(text, body + Math.floor(next() * (text.length + 1 - body)));
  const kind = next();
  const end = kind < 0.45 ? start : caretAt(text, Math.min(text.length, start + 1 + Math.floor(next() * 6)));
  // A fenced block now and then: a fence mark changes how the lines after it are read, so the whole body
  // is parsed again (a lone mark would turn the rest of the note into code and leave nothing to move).
  const piece = next() < 0.02 ? '\n```\n**代码**\n```\n' : PIECES[Math.floor(next() * PIECES.length)]!;
  const insert = kind >= 0.45 && kind < 0.7 ? '' : piece;
  return { start, end: Math.max(end, start), insert };
}

/**
 * A note in the vault's format, large enough that 80 edits leave most of it: entity lists, and eight
 * sections of definitions in each variant, bold mentions of terms and of entities, an emoji, a list item
 * and one fenced block.
 */
function note(): string {
  const lines = ['---', 'title: 增量编辑', 'date: 2024-05-01', 'people:', '- Ada Lovelace', '- "李四"', 'companies_orgs: [OpenAI, 清华大学]', 'tags:', '- 测试', '---', '# 增量编辑', ''];
  for (let i = 1; i <= 8; i++) {
    lines.push(
      `## 第${i}节 😀`,
      '',
      `**数据墙${i}**（Data wall ${i}: 指高质量训练数据变得稀缺的瓶颈）是主要障碍。`,
      `“**解缚${i}**”（Unhobbling ${i}: 解除对模型能力的人为限制）带来收益，见**数据墙${i}**。`,
      `**新冠疫情${i}**（COVID）与**贝利亚${i}（Beria）**都被提到；数据墙${i}之后还有 Data Wall ${i}。`,
      // Entities the vault's other notes list and this one does not (a hint on each), and one it lists.
      `**Sam Altman** 谈 **GPT-4**，**Nvidia** 与 **Ada Lovelace** 也在。`,
      `- 列表项 **表征${i}**（Representation ${i}: 数据在模型内部的编码）`,
      '',
    );
    if (i === 4) lines.push('```text', `**代码里的${i}**（Not: 定义）`, '```', '');
  }
  return lines.join('\n');
}

function applyEdit(text: string, e: { start: number; end: number; insert: string }): string {
  return text.slice(0, e.start) + e.insert + text.slice(e.end);
}

describe('incremental sync over stdio: random edits end where a fresh open starts', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ rootPath: fixtureVault, capabilities: { textDocument: { diagnostic: { dynamicRegistration: false }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } } } });
    // The vault's own notes indexed first, so that the index the edits change is not empty.
    await server.connection.sendRequest(INDEX_SNAPSHOT_REQUEST);
  });
  after(() => server.stop());

  const notes: Array<[string, () => string]> = [
    ['lf.md', () => note()],
    ['crlf.md', () => note().replace(/\n/g, '\r\n')],
    ['bom-crlf.md', () => '\ufeff' + note().replace(/\n/g, '\r\n')],
    ['fixture-glossary.md', () => readFixture('glossary', 'vault', '2024-04-25-规模定律与数据墙.md')],
  ];

  for (const [name, read] of notes) for (const seed of [1, 2]) {
    it(`${name}, seed ${seed}: four rounds of 20 edits, one or two changes a message`, async () => {
      const uri = fileUri(`/notesense-incremental/${seed}-${name}`);
      const next = rng([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261) + seed);
      let text = read();
      server.open(uri, text, 1);
      // Each round ends with a check and a fresh open, from which the next round types on: a wrong place
      // carried from edit to edit is caught before a full parse (a fence) could set it right again. In the
      // last round a fifth of the edits may fall in the front matter: the parse switches between full
      // and incremental as the block breaks and closes again.
      const answered = { hover: false, definition: false, completion: false };
      for (let round = 0; round < 4; round++) {
        let version = 1;
        for (let i = 0; i < 20; i++) {
          const changes: TextDocumentContentChangeEvent[] = [];
          // Changes in one message apply in order, each to the text the one before left.
          for (let k = next() < 0.25 ? 2 : 1; k > 0; k--) {
            const e = randomEdit(text, next, round === 3 ? 0.2 : 0);
            changes.push({ range: { start: positionAt(text, e.start), end: positionAt(text, e.end) }, text: e.insert });
            text = applyEdit(text, e);
          }
          void server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: changes });
          // A request after most edits, as an editor's code actions and pulls come while typing: each one
          // makes the server parse the version it has (edits typed faster are parsed together).
          if (i % 5 !== 4) await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionAt(text, Math.floor(next() * text.length)) });
        }
        const probes = probesOf(text);
        const typed = await observe(server, uri, probes);
        server.close(uri);
        server.open(uri, text, 1);
        const opened = await observe(server, uri, probes);
        const where = `${name}, seed ${seed}, round ${round + 1}`;
        assertSameAnswers(typed, opened, where);
        // The note's text did reach the index: a snapshot without it would compare equal only by chance.
        assert.ok(JSON.stringify(typed.index).includes(uri), where);
        const got = answersIn(typed);
        answered.hover ||= got.hover;
        answered.definition ||= got.definition;
        answered.completion ||= got.completion;
      }
      server.close(uri);
      // The comparisons above compared answers, not empty lists.
      assert.deepEqual(answered, { hover: true, definition: true, completion: true });
    });
  }

});
