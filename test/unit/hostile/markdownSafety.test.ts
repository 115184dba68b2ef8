/**
 * Hover and completion content built from hostile notes: terms, definitions, English names and entity
 * names that hold a `command:` link, raw HTML and remote images. Every hover at every position of every
 * note, and the completion lists at the places they open, must render none of them: no link whose target
 * is not a note (`file:`), no raw HTML tag, no image. The client must not mark markdown as trusted.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Hover, MarkupContent } from 'vscode-languageserver-types';
import { complete, resolveCompletion } from '../../../server/src/core/features/completion';
import { DEFAULT_CORE_SETTINGS, type DocumentContext } from '../../../server/src/core/features/context';
import { hover } from '../../../server/src/core/features/hover';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';
import { repoRoot } from '../../support/paths';

const CMD = '[x](command:workbench.action.quit)';
const HTML = '<img src=x onerror=alert(1)>';
const IMG = '![](http://evil.example/p.png)';
const EVIL = `${CMD}${HTML}${IMG}<script>alert(1)</script>`;

const notes: Record<string, string> = {
  'file:///vault/a.md': [
    '---',
    `title: "${CMD} ${IMG}"`,
    'people:',
    `- "${CMD}"`,
    `- "${HTML}"`,
    `- "${IMG}"`,
    `- "马斯克${HTML}"`,
    `tags: ["${EVIL}"]`,
    `guest: "${HTML}"`,
    '---',
    `# 标题 ${EVIL}`,
    '',
    `**数据墙**（Data wall ${HTML}: 解释 ${CMD} ${IMG} ${HTML}）`,
    `**${CMD}**（${IMG}: ${HTML}）`,
    `“**解缚${HTML}**”（Unhobbling${CMD}: 解除 ${EVIL}）`,
    `**拉夫连季·贝利亚（Lavrentiy ${HTML}）**`,
    '',
    `正文提到数据墙、解缚${HTML}，以及 **数据墙** 和 ${CMD}。`,
    '',
  ].join('\n'),
  'file:///vault/b.md': [
    '---',
    'people:',
    '- ',
    '- 马',
    'tags: []',
    `guest: ""`,
    '---',
    `**数据墙**（Data wall: 另一个解释 ${EVIL}）`,
    '数据墙 与 解缚 以及 **',
    '',
  ].join('\n'),
};

const index = new WorkspaceIndex();
for (const [uri, text] of Object.entries(notes)) index.set(summarize(uri, parseNote(text).note));

function ctx(uri: string): DocumentContext {
  const text = notes[uri]!;
  const { note, problems } = parseNote(text);
  return { uri, text, note, problems, index, settings: DEFAULT_CORE_SETTINGS, readText: (u) => notes[u] };
}

/** Every markdown string a hover or completion list carries. */
function markdownOf(value: Hover | CompletionItem[] | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  const push = (c: unknown) => {
    if (typeof c === 'string') out.push(c);
    else if (c && typeof c === 'object' && 'value' in c) out.push((c as MarkupContent).value);
  };
  if (Array.isArray(value)) for (const item of value) push(item.documentation);
  else {
    const contents = value.contents;
    if (Array.isArray(contents)) contents.forEach(push);
    else push(contents);
  }
  return out;
}

/** What must never render: returns the reason, or undefined when `md` is safe. */
function unsafe(md: string): string | undefined {
  // Link and image targets: `](target` not escaped. Only links to notes are allowed.
  for (const m of md.matchAll(/(?<!\\)\]\(\s*<?([^)\s>]*)/g)) {
    if (!/^(file|untitled):/i.test(m[1]!)) return `a live link to ${m[1]}`;
  }
  if (/(?<!\\)!\[/.test(md)) return 'an image';
  if (/(?<!\\)<\/?[A-Za-z!]/.test(md)) return 'raw HTML';
  if (/(?<!\\)<(?:command|https?):/i.test(md)) return 'an autolink';
  return undefined;
}

describe('hover and completion content from hostile notes', () => {
  let hovers = 0;
  let lists = 0;
  let checked = 0;
  /** Markdown strings that carry a payload (escaped): proof the hostile text reached the content. */
  let carried = 0;

  it('no hover anywhere renders a command link, raw HTML or a remote image', () => {
    for (const uri of Object.keys(notes)) {
      const c = ctx(uri);
      const doc = TextDocument.create(uri, 'markdown', 1, c.text);
      for (let offset = 0; offset <= c.text.length; offset++) {
        const h = hover(c, doc.positionAt(offset));
        if (!h) continue;
        hovers++;
        for (const md of markdownOf(h)) {
          checked++;
          if (/workbench|onerror|evil\\?\.example/.test(md)) carried++;
          const why = unsafe(md);
          assert.equal(why, undefined, `${why} in the hover at ${uri}@${offset}:\n${md}`);
        }
      }
    }
    assert.ok(hovers > 20, `only ${hovers} hovers: the hostile terms and entities were not found`);
    assert.ok(carried > 0, 'no hover shows any payload: the test would pass without checking anything');
  });

  it('no completion documentation renders them either', () => {
    for (const uri of Object.keys(notes)) {
      const c = ctx(uri);
      const doc = TextDocument.create(uri, 'markdown', 1, c.text);
      for (let offset = 0; offset <= c.text.length; offset++) {
        const list = complete(c, doc.positionAt(offset));
        if (!list || list.items.length === 0) continue;
        lists++;
        // As an editor shows them: each item with what `completionItem/resolve` adds (entity items' documentation).
        for (const md of markdownOf(list.items.map((item) => resolveCompletion(index, item)))) {
          checked++;
          const why = unsafe(md);
          assert.equal(why, undefined, `${why} in a completion item at ${uri}@${offset}:\n${md}`);
        }
      }
    }
    assert.ok(lists > 0, 'no completion list at all: the test checks nothing');
    console.log(`  markdown safety: ${hovers} hovers and ${lists} completion lists, ${checked} markdown strings checked (${carried} hovers show a payload, escaped)`);
  });

  it('the checker itself catches each kind of payload', () => {
    assert.match(unsafe(CMD) ?? '', /live link/);
    assert.match(unsafe(HTML) ?? '', /raw HTML/);
    assert.match(unsafe(IMG) ?? '', /image|live link/);
    assert.equal(unsafe('\\[x\\]\\(command:workbench.action.quit\\) \\<img\\> \\!\\[\\]'), undefined);
    assert.equal(unsafe('[this note](file:///vault/a.md#L3)'), undefined);
  });

  it('the client never marks markdown as trusted', () => {
    const dir = path.join(repoRoot, 'client', 'src');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      assert.doesNotMatch(text, /isTrusted\s*[:=]\s*(true|\{)/, name);
      assert.doesNotMatch(text, /supportHtml\s*[:=]\s*true/, name);
    }
  });
});
