// Runs node:test over every *.test.js below the given folders (compiled by `tsc -b` into out/).
// Node 20's `--test` does not take glob patterns, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
};
for (const dir of process.argv.slice(2)) walk(dir);
if (files.length === 0) {
  console.error('no test files found under', process.argv.slice(2).join(' '));
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
