/**
 * Comparison forms for glossary text. Two notes that define a term with the same words but a different
 * comma, full-width form, emphasis or trailing full stop do not disagree; the normalized forms say so.
 */
import { foldCode } from './matcher';

/** An English name as the matcher and the clash check see it: trimmed, single spaces, lower case. */
export function foldEnglish(name: string): string {
  let out = '';
  let space = false;
  for (let i = 0; i < name.length; i++) {
    const c = foldCode(name.charCodeAt(i));
    if (c === 32 || c === 10 || c === 13) {
      space = out.length > 0;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += String.fromCharCode(c);
  }
  return out;
}

const EMPHASIS = /[*_`~]+/g;
const TRAILING = /[\s.。;；,，!！]+$/u;

/**
 * The form two definitions are compared in: NFKC (full-width letters, digits and punctuation become
 * ASCII), emphasis markers dropped, white space collapsed and removed next to CJK text (Chinese writers
 * vary on `AI 模型` vs `AI模型`), lower case, trailing punctuation dropped.
 */
export function normalizeDefinition(text: string): string {
  return text
    .normalize('NFKC')
    .replace(EMPHASIS, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([\u2e80-\u9fff\uf900-\ufaff“”‘’]) ?/gu, '$1')
    .toLowerCase()
    .replace(TRAILING, '')
    .trim();
}
