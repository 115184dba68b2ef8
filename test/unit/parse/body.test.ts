import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { boldSpansOf, parseNote } from '../../../server/src/core/parse/note';
import type { Definition } from '../../../server/src/core/parse/types';
import { rangeOf, textAt } from '../../support/caret';

const defs = (text: string) => parseNote(text).note.body.definitions;
const one = (text: string): Definition => {
  const all = defs(text);
  assert.equal(all.length, 1, JSON.stringify(all.map((d) => d.term)));
  return all[0]!;
};

describe('glossary definitions, every variant', () => {
  it('**term**（English: definition）', () => {
    const text = '这与**数据墙**（Data wall: 指高质量训练数据变得稀缺的瓶颈）有关。';
    const d = one(text);
    assert.equal(d.variant, 'bold-paren');
    assert.equal(d.term, '数据墙');
    assert.equal(d.english, 'Data wall');
    assert.equal(d.definition, '指高质量训练数据变得稀缺的瓶颈');
    assert.deepEqual(d.termLoc.range, rangeOf(text, '数据墙'));
    assert.deepEqual(d.englishLoc!.range, rangeOf(text, 'Data wall'));
    assert.deepEqual(d.definitionLoc!.range, rangeOf(text, '指高质量训练数据变得稀缺的瓶颈'));
    assert.deepEqual(d.loc.range, rangeOf(text, '**数据墙**（Data wall: 指高质量训练数据变得稀缺的瓶颈）'));
  });

  it('“**term**”（English: definition）', () => {
    const text = '很多经济效益取决于“**解缚**”（Unhobbling: 指解除AI系统当前存在的限制）。';
    const d = one(text);
    assert.equal(d.variant, 'quoted-paren');
    assert.equal(d.term, '解缚');
    assert.equal(d.english, 'Unhobbling');
    assert.deepEqual(d.loc.range, rangeOf(text, '“**解缚**”（Unhobbling: 指解除AI系统当前存在的限制）'));
    assert.deepEqual(d.termLoc.range, rangeOf(text, '解缚'));
  });

  it('**term**（English） gives the English name only', () => {
    const text = '你会看到一些**新冠疫情**（COVID）的动态。';
    const d = one(text);
    assert.equal(d.english, 'COVID');
    assert.equal(d.definition, '');
    assert.equal(d.definitionLoc, undefined);
    assert.deepEqual(d.englishLoc!.range, rangeOf(text, 'COVID'));
  });

  it('**term（English）** with the English name inside the bold', () => {
    const text = '**拉夫连季·贝利亚（Lavrentiy Beria）**——那个管理机构的家伙';
    const d = one(text);
    assert.equal(d.variant, 'inner-paren');
    assert.equal(d.term, '拉夫连季·贝利亚');
    assert.equal(d.english, 'Lavrentiy Beria');
    assert.deepEqual(d.termLoc.range, rangeOf(text, '拉夫连季·贝利亚'));
    assert.deepEqual(d.englishLoc!.range, rangeOf(text, 'Lavrentiy Beria'));
    assert.deepEqual(d.loc.range, rangeOf(text, '**拉夫连季·贝利亚（Lavrentiy Beria）**'));
  });

  it('half-width parenthesis and colon, full-width colon', () => {
    const a = one('**Token**(Token: 模型处理文本的最小单位)');
    assert.deepEqual([a.term, a.english, a.definition], ['Token', 'Token', '模型处理文本的最小单位']);
    const b = one('**权重**（Weights：神经网络中的参数）');
    assert.deepEqual([b.term, b.english, b.definition], ['权重', 'Weights', '神经网络中的参数']);
  });

  it('nested parentheses inside a definition', () => {
    const text = '**强化学习**（Reinforcement learning: 一种通过奖励（reward）学习的方法(RL)）之后';
    const d = one(text);
    assert.equal(d.definition, '一种通过奖励（reward）学习的方法(RL)');
    assert.deepEqual(d.loc.range, rangeOf(text, '**强化学习**（Reinforcement learning: 一种通过奖励（reward）学习的方法(RL)）'));
  });

  it('a Chinese explanation without an English name', () => {
    const d = one('**苦差事**（指繁琐、困难的工作）');
    assert.equal(d.english, undefined);
    assert.equal(d.definition, '指繁琐、困难的工作');
  });

  it('Chinese before a colon is explanation, not an English name', () => {
    const d = one('**对齐**（注意：这是安全研究的核心）');
    assert.equal(d.english, undefined);
    assert.equal(d.definition, '注意：这是安全研究的核心');
  });

  it('bold without a parenthesis, or with digits only, is a mention, not a definition', () => {
    const text = '**GPT-4**据报道……**每季度250亿美元**（2023）以及**《Situational Awareness》**。';
    const { note } = parseNote(text);
    assert.deepEqual(note.body.definitions, []);
    assert.deepEqual(note.body.bolds.map((b) => b.text), ['GPT-4', '每季度250亿美元', '《Situational Awareness》']);
    assert.deepEqual(note.body.bolds[1]!.textLoc.range, rangeOf(text, '每季度250亿美元'));
  });

  it('reports a parenthesis that never closes, in linear time', () => {
    const text = `**数据墙**（Data wall: ${'（'.repeat(20000)}没有闭合\n下一行**解缚**（Unhobbling: 解除）`;
    const started = process.hrtime.bigint();
    const { note, problems } = parseNote(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.deepEqual(problems.map((p) => p.code), ['glossary-unclosed']);
    assert.equal(problems[0]!.range.start.line, 0);
    assert.equal(problems[0]!.range.start.character, '**数据墙**'.length);
    assert.equal(problems[0]!.range.end.line, 0);
    assert.deepEqual(note.body.definitions.map((d) => d.term), ['解缚']);
    console.log(`unclosed parenthesis x20000: ${ms.toFixed(1)} ms`);
  });

  it('several definitions on one line, with emoji before them', () => {
    const text = '😀**火箭**（Rocket: 一种飞行器）和🚀**卫星**（Satellite）';
    const all = defs(text);
    assert.deepEqual(all.map((d) => d.term), ['火箭', '卫星']);
    assert.deepEqual(all[0]!.termLoc.range, rangeOf(text, '火箭'));
    assert.deepEqual(all[1]!.termLoc.range, rangeOf(text, '卫星'));
    assert.equal(all[1]!.termLoc.range.start.character, text.indexOf('卫星'));
  });

  it('a term at the start and at the end of a line', () => {
    const text = '**表征**（Representations: 抽象表示）在开头\n结尾是**表征学习**（Representation learning）';
    const all = defs(text);
    assert.deepEqual(all[0]!.loc.range.start, { line: 0, character: 0 });
    assert.deepEqual(all[1]!.loc.range.end, { line: 1, character: text.split('\n')[1]!.length });
  });
});

describe('code is never read as prose', () => {
  it('skips fenced blocks and code spans', () => {
    const text = [
      '```md',
      '**数据墙**（Data wall: 在代码里）',
      '```',
      '`**解缚**（Unhobbling: 在行内代码里）` 之后**对齐**（Alignment: 真的定义）',
      '~~~~',
      '**X**（Y）',
      '~~~',
      '~~~~',
    ].join('\n');
    const { note } = parseNote(text);
    assert.deepEqual(note.body.definitions.map((d) => d.term), ['对齐']);
    assert.equal(note.body.code.length, 3);
    assert.deepEqual(note.body.code[1]!.range, rangeOf(text, '`**解缚**（Unhobbling: 在行内代码里）`'));
  });

  it('an unclosed fence runs to the end of the note', () => {
    const { note } = parseNote('```\n**数据墙**（Data wall: x）\n');
    assert.deepEqual(note.body.definitions, []);
  });
});

describe('headings and bold spans', () => {
  const text = '---\ntitle: x\n---\n\n### AI发展与地缘政治风险 ###\n正文 **自由民主** 与 ** 不是粗体 ** 和 \\**转义**\n#不是标题\n';
  const { note } = parseNote(text);

  it('finds ATX headings with their text range', () => {
    assert.equal(note.body.headings.length, 1);
    const h = note.body.headings[0]!;
    assert.equal(h.level, 3);
    assert.equal(h.text, 'AI发展与地缘政治风险');
    assert.deepEqual(h.textLoc.range, rangeOf(text, 'AI发展与地缘政治风险'));
    assert.equal(textAt(text, h.loc.range), '### AI发展与地缘政治风险 ###');
  });

  it('pairs bold delimiters and rejects padded ones', () => {
    assert.deepEqual(note.body.bolds.map((b) => b.text), ['自由民主']);
    assert.deepEqual(note.body.bolds[0]!.loc.range, rangeOf(text, '**自由民主**'));
  });
});

describe('the bold spans of one text (boldSpansOf)', () => {
  it('gives exactly the spans the full parse gives for that text, on random notes (fences, code, CRLF, emoji, BOM)', () => {
    const piece = fc.constantFrom('**', '*', '`', '``', '\\', '甲乙', '**甲乙**', '**甲乙丙**', '甲', '乙', '😀', ' ', '（', '）',
      '(Term: 义)', '\n', '\r\n', '\r', '\n```\n', '\n~~~\n', '\n    ```\n', '\n````\n', '\n  ~~~~ 甲乙\n', '```', '\n``` 甲`\n', '# ', '---\n', 'a: **甲乙**\n');
    const note = fc.tuple(fc.constantFrom('', '\ufeff'), fc.constantFrom('', '---\ntitle: x\n---\n', '---\r\npeople: ["**甲乙**"]\r\n---\r\n', '---\nopen: 1\n'),
      fc.array(piece, { maxLength: 60 })).map(([bom, fm, body]) => bom + fm + body.join(''));
    let found = 0;
    let fenced = 0;
    fc.assert(fc.property(note, fc.constantFrom('甲乙', '甲', '😀', '甲乙丙'), (text, needle) => {
      const want = parseNote(text).note.body.bolds.filter((b) => b.text === needle);
      const got = boldSpansOf(text, needle);
      found += want.length;
      if (want.length > 0 && (text.includes('```') || text.includes('~~~'))) fenced++;
      assert.deepEqual(got, want);
    }), { numRuns: 3000, seed: 11 });
    assert.ok(found > 150 && fenced > 60, `${found} spans compared, ${fenced} notes with a fence mark`);
  });

  it('reads the lines that hold the text, and knows a line in a fenced block from one after it', () => {
    const text = '---\npeople: [甲乙]\n---\n前😀**甲乙**后\r\n`**甲乙**` 与 **甲乙**\n**丙**\n';
    assert.deepEqual(boldSpansOf(text, '甲乙').map((b) => textAt(text, b.textLoc.range)), ['甲乙', '甲乙']);
    assert.deepEqual(boldSpansOf(text, '甲乙').map((b) => b.textLoc.range), [rangeOf(text, '甲乙', 1), rangeOf(text, '甲乙', 3)]);
    const fenced = `${text}\`\`\`\n**甲乙**\n\`\`\`\n**甲乙**\n`;
    assert.equal(boldSpansOf(fenced, '甲乙').length, 3, 'the bold inside the fence is code');
    assert.deepEqual(boldSpansOf(text, '不在'), []);
    assert.deepEqual(boldSpansOf(text, ''), []);
  });
});
