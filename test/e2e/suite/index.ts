/**
 * Mocha entry point that VS Code's extension host loads through `extensionTestsPath`, under
 * @vscode/test-electron (test/e2e/runTest.ts) and under code-server (test/e2e/code-server/run-suite.mjs)
 * alike. The contract is VS Code's: export `run()`, reject when a test fails.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 90_000, reporter: 'spec' });
  const grep = process.env['NOTESENSE_E2E_GREP'];
  if (grep) mocha.grep(grep);
  for (const f of readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The closing line CI reads; the code-server driver re-prints it alone on a line.
      console.log(`${runner.stats?.passes ?? 0} passed, ${runner.stats?.failures ?? failures} failed`);
      if (failures > 0) reject(new Error(`${failures} end-to-end tests failed`));
      else resolve();
    });
  });
}
