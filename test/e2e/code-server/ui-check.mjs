// The UI itself, in code-server's real workbench driven by headless Chromium: the status bar shows the
// vault's size, hovering a glossary term shows its definition from another note, and completion in a
// front-matter people list offers a person listed in another note. Screenshots go to OUT_DIR.
//
// env: CS_URL, WS_DIR (a fresh copy of the fixture vault), OUT_DIR, CHROMIUM (default /usr/bin/chromium),
//      UI_LANG (en or zh-cn: the display language code-server was started with; default en)
// Prints one line per check and "N passed, M failed"; exit code 0 when all passed.
/* global document */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { launch, need } from './browser.mjs';

const csUrl = need('CS_URL');
const wsDir = need('WS_DIR');
const outDir = need('OUT_DIR');
const NOTE = 'beta.md';
const HOVER_LINE = '这一行用粗体提及**数据墙**。';
const HOVER_WORD = '数据墙';
const HOVER_EXPECT = '训练数据耗尽的瓶颈'; // alpha.md's definition of 数据墙
const LIST_LINE = '- 马斯克';
const TYPED = '- Leo';
const COMPLETION_EXPECT = 'Leopold Aschenbrenner'; // listed in alpha.md and gamma.md, not in beta.md
// What NoteSense itself says, in the display language: the client's status bar and the server's hover.
const LANG = process.env.UI_LANG ?? 'en';
const UI = {
  en: { status: /^\W*\d+ notes\s*$/, definedIn: 'Defined in', suffix: '' },
  'zh-cn': { status: /^\W*\d+ 篇笔记\s*$/, definedIn: '定义于', suffix: '-zh-cn' },
}[LANG];
if (!UI) throw new Error(`unknown UI_LANG ${LANG}`);

const lines = readFileSync(path.join(wsDir, NOTE), 'utf8').split(/\r?\n/);
const lineNumber = (text) => {
  const i = lines.indexOf(text);
  if (i < 0) throw new Error(`${NOTE} has no line ${JSON.stringify(text)}`);
  return i + 1;
};

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const results = [];
async function check(name, run) {
  try {
    await run();
    results.push(true);
    log(`ok   ${name}`);
  } catch (e) {
    results.push(false);
    log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
    await page.screenshot({ path: path.join(outDir, `failure-${LANG}-${results.length}.png`) }).catch(() => {});
  }
}

const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage();
page.on('pageerror', (e) => console.log('[pageerror]', e.message));

/** Moves the caret to a 1-based line with Go to Line, which also scrolls it into view. */
async function goToLine(n) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${n}`); // Go to Line is Quick Open with a ':' prefix; fill() replaces the prefix too
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** The centre of `word` inside the rendered editor line whose text is `lineText`. */
function boxOf(lineText, word) {
  return page.evaluate(([lt, w]) => {
    for (const line of document.querySelectorAll('.editor-instance .view-line')) {
      if (line.textContent.replace(/\u00a0/g, ' ') !== lt) continue;
      for (const span of line.querySelectorAll('span span')) {
        const i = span.textContent.indexOf(w);
        if (i < 0 || !span.firstChild) continue;
        const r = document.createRange();
        r.setStart(span.firstChild, i);
        r.setEnd(span.firstChild, i + w.length);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
    }
    return null;
  }, [lineText, word]);
}

try {
  await page.goto(`${csUrl}/?folder=${encodeURIComponent(wsDir)}`);
  await page.locator(`.explorer-folders-view .monaco-list-row[aria-label*="${NOTE}"]`).first().waitFor({ timeout: 90_000 });
  log('workbench ready');
  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor();
  await quickInput.fill(NOTE);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: NOTE }).first().waitFor();
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line').first().waitFor({ timeout: 30_000 });
  log(`opened ${NOTE}`);

  await check(`the status bar shows the size of the vault (${LANG})`, async () => {
    // NoteSense's own item (its id ends with the one given to createStatusBarItem), not the progress
    // item VS Code shows for the server's work-done progress; ready once it reads "N notes".
    const item = page.locator('.statusbar-item[id$="notesense.status"]', { hasText: UI.status }).first();
    await item.waitFor({ timeout: 60_000 });
    log('status bar:', JSON.stringify(await item.innerText()), JSON.stringify(await item.getAttribute('aria-label')));
  });

  await check(`hovering a term shows its definition from another note (${LANG})`, async () => {
    await goToLine(lineNumber(HOVER_LINE));
    const hover = page.locator('.monaco-hover:visible');
    let text = '';
    // Retried: the first hover can come before the server has the vault indexed.
    for (let attempt = 0; attempt < 20 && !text.includes(HOVER_EXPECT); attempt++) {
      const box = await boxOf(HOVER_LINE, HOVER_WORD);
      if (!box) throw new Error(`${HOVER_WORD} is not visible`);
      await page.mouse.move(box.x, box.y - 60);
      await page.mouse.move(box.x, box.y, { steps: 5 });
      try { await hover.filter({ hasText: HOVER_EXPECT }).first().waitFor({ timeout: 3_000 }); } catch { /* moved away and retried */ }
      text = (await hover.allInnerTexts()).join('\n');
    }
    log('hover:', JSON.stringify(text));
    if (!text.includes(HOVER_EXPECT)) throw new Error(`the hover lacks ${HOVER_EXPECT}`);
    if (!text.includes(UI.definedIn)) throw new Error(`the hover is not in ${LANG}: it lacks ${UI.definedIn}`);
    await page.screenshot({ path: path.join(outDir, `hover${UI.suffix}.png`) });
  });

  await check(`completion in a people list offers a person from another note (${LANG})`, async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await goToLine(lineNumber(LIST_LINE));
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End'); // whatever indentation Enter added is replaced by the typed item
    await page.keyboard.type(TYPED);
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await rows.filter({ hasText: COMPLETION_EXPECT }).first().waitFor({ timeout: 30_000 });
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent));
    log('suggestions:', JSON.stringify(labels));
    await page.screenshot({ path: path.join(outDir, `completion${UI.suffix}.png`) });
  });
} catch (e) {
  results.push(false);
  log(`FAIL setting up the workbench: ${e instanceof Error ? e.message : String(e)}`);
  await page.screenshot({ path: path.join(outDir, `failure-${LANG}-setup.png`) }).catch(() => {});
} finally {
  await browser.close();
}
const passed = results.filter(Boolean).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length ? 0 : 1);
