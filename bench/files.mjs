// The notes of a generated vault, in a stable order: every `.md` file below `root`, names sorted.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export function listFiles(root) {
  const out = [];
  const walk = (d) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.md')) out.push(path.join(d, e.name));
    }
  };
  walk(root);
  return out;
}
