/**
 * Runs the end-to-end suite in a desktop VS Code downloaded by @vscode/test-electron, for machines that
 * can download it (developer laptops, hosted CI): `npm run build && node out/e2e/runTest.js`. The
 * offline runner for this project's CI is scripts/e2e-run.sh (code-server); both run the same suite.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  // Tests type into notes: they work on a copy of the fixture vault.
  const work = mkdtempSync(path.join(tmpdir(), 'notesense-e2e-'));
  const vault = path.join(work, 'vault');
  cpSync(path.join(root, 'test', 'fixtures', 'vault'), vault, { recursive: true });
  try {
    await runTests({
      version: process.env['NOTESENSE_VSCODE_VERSION'] ?? '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [vault, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(work, 'user-data')],
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
