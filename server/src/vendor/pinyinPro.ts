/**
 * pinyin-pro, loaded when a value or a term first needs its pinyin.
 *
 * The library builds its dictionaries (~20,000 characters, and its phrases) when it is loaded: in the
 * server's bundle that was ~570 KB of module code run at start, 50–70 ms of every start before the
 * server could answer `initialize`, and its first call builds a phrase automaton (~30 ms more). A
 * restart on an unchanged vault needs no pinyin until its index is ready (the index cache holds each
 * entity value's forms), so the library waits for its first use. The bundler keeps a `require` inside a
 * function lazy: the library's code runs the first time this does.
 *
 * This module is the core's only way to the library, outside the core because the core may not call
 * `require` (the lint rules, which allow this folder that one call only: see eslint.config.mjs).
 */
import type * as PinyinPro from 'pinyin-pro';

export type Pinyin = typeof PinyinPro.pinyin;

let loaded: Pinyin | undefined;

/** pinyin-pro's `pinyin`, the library loaded on the first call. */
export function pinyinEngine(): Pinyin {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (loaded ??= (require('pinyin-pro') as typeof PinyinPro).pinyin);
}

/** Whether the library has been loaded (for tests and diagnostics). */
export function pinyinLoaded(): boolean {
  return loaded !== undefined;
}
