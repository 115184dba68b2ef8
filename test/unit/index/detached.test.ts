import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { summarize, summarizeDetached, type NoteSummary } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { parseNote } from '../../../server/src/core/parse/note';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A note of the format, ~60,000 characters, its strings its own (no two notes share a text). */
function note(i: number): string {
  const filler = `第${i}篇的正文，只是为了让笔记和种子笔记一样长。`.repeat(2400);
  // Strings of 13 characters or more taken from a text are slices of it (shorter ones are copied).
  return `---\ntitle: 第${i}篇笔记的标题，足够长的一个标题\npeople: [张三${i}, 李四]\ntags: [标签${i}]\n---\n` +
    `**术语${i}**（Term number ${i}: 第${i}个定义，一段足够长的解释文字）\n${filler}\n**数据墙**（Data wall: 指数据不够用了，训练数据变得稀缺）\n`;
}

/** The heap the index holds after every note's text and parse are gone, and the texts' size. */
function heldBy(make: (uri: string, text: string) => NoteSummary): { held: number; texts: number } {
  // What the first notes allocate once (code, caches) is not what the index holds.
  const warm = new WorkspaceIndex();
  for (let i = 0; i < 20; i++) warm.set(make(`file:///w/${i}.md`, note(1000 + i)));
  gc();
  const before = process.memoryUsage().heapUsed;
  const index = new WorkspaceIndex();
  let texts = 0;
  for (let i = 0; i < 200; i++) {
    const text = note(i);
    texts += text.length * 2;
    index.set(make(`file:///v/${i}.md`, text));
  }
  gc();
  const held = process.memoryUsage().heapUsed - before;
  assert.equal(index.uris().next().done, false);
  return { held, texts };
}

describe('a summary detached from its note (summarizeDetached)', () => {
  it('equals the summary made from the parse', () => {
    const text = note(1);
    const parsed = parseNote(text).note;
    assert.deepEqual(summarizeDetached('file:///v/1.md', parsed).data, summarize('file:///v/1.md', parsed).data);
  });

  it('keeps no note text alive in the index, where a summary of slices keeps them all', () => {
    const detached = heldBy((uri, text) => summarizeDetached(uri, parseNote(text, { forIndex: true }).note));
    const sliced = heldBy((uri, text) => summarize(uri, parseNote(text, { forIndex: true }).note));
    assert.ok(detached.held < detached.texts / 20, `detached: ${detached.held} bytes held for ${detached.texts} bytes of text`);
    assert.ok(sliced.held > sliced.texts / 2, `sliced: ${sliced.held} bytes held for ${sliced.texts} bytes of text`);
  });
});
