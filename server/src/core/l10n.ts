/**
 * Localisation for every message a user reads. Messages are written in English in the code and looked up
 * in a bundle (`l10n/bundle.l10n.<locale>.json`, keyed by the English text) that the host loads and hands
 * over here, so the core itself never touches the file system.
 */
import * as l10n from '@vscode/l10n';

export type Bundle = Record<string, string | { message: string; comment: string[] }>;

let currentLocale = 'en';

/** Switches every later `t()` call to `bundle` (or back to English when `bundle` is undefined). */
export function useBundle(locale: string, bundle: Bundle | undefined): void {
  currentLocale = bundle ? locale : 'en';
  l10n.config({ contents: bundle ?? {} });
}

export function locale(): string {
  return currentLocale;
}

/** Normalises an editor or environment locale (`zh-CN`, `zh_CN.UTF-8`, `zh-Hans`) to a bundle name. */
export function bundleNameFor(requested: string | undefined): 'zh-cn' | 'en' {
  const l = (requested ?? '').toLowerCase().replace('_', '-');
  return l.startsWith('zh') && !/^zh-(tw|hk|mo|hant)/.test(l) ? 'zh-cn' : 'en';
}

export const t = l10n.t;
