// Runs the mocha suite (out/e2e/suite/index.js) inside code-server's Node extension host: the job
// @vscode/test-electron does with a desktop VS Code, which cannot be downloaded here.
//
// code-server's command line rejects --extensionDevelopmentPath/--extensionTestsPath, but its web
// workbench reads both from the URL query parameter `payload` (vscode-remote:// URIs). The workbench
// reports the run's end through window.codeAutomationExit(code) and streams the extension host's
// output through window.codeAutomationLog(type, args): both are exposed before the page loads.
//
// env: CS_URL (code-server base URL), WS_DIR (folder to open), EXT_DEV_PATH (the extension folder:
//      the installed .vsix, so the packaged files are what is tested), EXT_TESTS_PATH (compiled runner),
//      TIMEOUT_MS (default 300000), CHROMIUM (default /usr/bin/chromium)
// Prints the suite's "N passed, M failed" alone on a line; exit code 0 when every test passed.
import { format } from 'node:util';
import { launch, need } from './browser.mjs';

const url = new URL(need('CS_URL'));
const wsDir = need('WS_DIR');
const remote = (p) => `vscode-remote://${url.host}${p}`;
const payload = [['extensionDevelopmentPath', remote(need('EXT_DEV_PATH'))], ['extensionTestsPath', remote(need('EXT_TESTS_PATH'))]];
const target = `${url.origin}/?folder=${encodeURIComponent(wsDir)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

const browser = await launch();
const page = await browser.newPage();
let summary = '';
let finish;
const exited = new Promise((resolve) => { finish = resolve; });
await page.exposeFunction('codeAutomationLog', (type, args) => {
  const text = format(...(args ?? []));
  if (/Ignoring fetching additional builtin extensions/.test(text)) return;
  const m = /^\s*(\d+ passed, \d+ failed)\s*$/.exec(text);
  if (m) summary = m[1];
  console.log(`[${type}] ${text}`);
});
await page.exposeFunction('codeAutomationExit', (code) => finish(code));
const t0 = Date.now();
await page.goto(target);
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 300_000);
let timer;
const code = await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); })]);
clearTimeout(timer);
console.log(`extension-host suite finished with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
await browser.close();
// A run that never reported (crash, timeout) counts as one failure.
console.log(summary || '0 passed, 1 failed');
process.exit(code === 0 && summary !== '' ? 0 : 1);
