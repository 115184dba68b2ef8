/** Loads the message bundle for a locale from the `l10n/` folder shipped beside the bundles. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundleNameFor, useBundle, type Bundle } from '../core/l10n';

function findBundle(name: string): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'l10n', `bundle.l10n.${name}.json`);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** Switches the core's messages to `requested` (an editor or environment locale); English otherwise. */
export function applyLocale(requested: string | undefined): string {
  const name = bundleNameFor(requested);
  if (name === 'en') {
    useBundle('en', undefined);
    return 'en';
  }
  const file = findBundle(name);
  if (!file) {
    useBundle('en', undefined);
    return 'en';
  }
  useBundle(name, JSON.parse(readFileSync(file, 'utf8')) as Bundle);
  return name;
}
