import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root (the folder with package.json), found from the compiled test's location. */
export const repoRoot = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'server'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
})();

export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const fixtureVault = path.join(fixturesDir, 'vault');
export const exampleVault = path.join(repoRoot, 'examples', 'vault');

export function readFixture(...parts: string[]): string {
  return readFileSync(path.join(fixturesDir, ...parts), 'utf8');
}
