// Runs in a process of its own (node --test runs each file apart), so the library's state is this file's.
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseNote } from '../../../server/src/core/parse/note';
import { summarize } from '../../../server/src/core/index/summary';
import { WorkspaceIndex } from '../../../server/src/core/index/workspaceIndex';
import { warmUp } from '../../../server/src/core/features/follow';
import { lexiconOf } from '../../../server/src/core/glossary/lexicon';
import { termPinyin } from '../../../server/src/core/glossary/pinyin';
import { pinyinLoaded } from '../../../server/src/vendor/pinyinPro';
import { repoRoot } from '../../support/paths';

// Chinese everywhere but in the entity values: titles, headings, definitions, bold text.
const latin = '---\ntitle: 预热笔记\ndate: 2024-05-01\npeople:\n- Ada Lovelace\n- "Alan Turing"\ntags: [ai, history]\n---\n# 标题\n**数据墙**（Data wall: 指训练数据耗尽）与“**解缚**”（Unhobbling: 解除限制）。\n';
const chinese = '---\ntitle: 访谈\npeople:\n- 马斯克\n- Ada Lovelace\n---\n**数据墙**（Data wall）。\n';

describe('the pinyin library, loaded on first use', () => {
  it('is not loaded by parsing, summarising and indexing notes whose entity values have no Chinese', () => {
    warmUp();
    const index = new WorkspaceIndex();
    index.set(summarize('file:///latin.md', parseNote(latin).note));
    lexiconOf(index);
    assert.equal(index.entity('people', 'Ada Lovelace')?.pinyin.full, '');
    assert.equal(pinyinLoaded(), false);
  });

  it('is loaded by the first value with Chinese, whose forms are then the library\'s', () => {
    const index = new WorkspaceIndex();
    index.set(summarize('file:///chinese.md', parseNote(chinese).note));
    assert.equal(pinyinLoaded(), true);
    assert.deepEqual({ ...index.entity('people', '马斯克')?.pinyin }, { full: 'masike', initials: 'msk' });
    assert.deepEqual({ ...termPinyin('数据墙') }, { full: 'shujuqiang', initials: 'sjq' });
  });

  it('is reached only through server/src/vendor/pinyinPro.ts, which keeps it lazy', () => {
    // A value import anywhere else would load the library with the module (the bundle runs an imported
    // module's code when it starts): only type imports may name it.
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && /from 'pinyin-pro'|require\('pinyin-pro'\)/.test(readFileSync(p, 'utf8'))) found.push(path.relative(repoRoot, p));
      }
    };
    walk(path.join(repoRoot, 'server', 'src'));
    assert.deepEqual(found, [path.join('server', 'src', 'vendor', 'pinyinPro.ts')]);
    const vendor = readFileSync(path.join(repoRoot, 'server', 'src', 'vendor', 'pinyinPro.ts'), 'utf8');
    assert.match(vendor, /^import type \* as PinyinPro from 'pinyin-pro';$/m);
  });
});
