/**
 * The traps of a Chinese keyboard: full-width `：` after a key, `，` between the items of a flow list,
 * `【】` instead of `[]`, and the full-width space U+3000 in indentation or after a colon. YAML reads all of
 * them as ordinary text, so the parser either reports a generic syntax error or silently builds the wrong
 * value; these checks name the character and replace it.
 *
 * They look at the text of the front matter line by line because the YAML nodes are exactly what went
 * wrong here: `title：x` is one plain scalar, not a key. Lines inside a correctly parsed value (a long
 * summary that contains `：` in its prose) are left alone by checking the parsed fields' value ranges.
 */
import { t } from '../l10n';
import { problem } from '../parse/problem';
import { lines, type Positioner } from '../parse/text';
import type { FrontMatter, Problem } from '../parse/types';
import { edit, type Fix } from './edits';

const KEY_THEN_FULLWIDTH_COLON = /^([ \u3000]*)([A-Za-z_\u3400-\u9fff][\w\-\u3400-\u9fff]*)[ \u3000]*：/u;
const KEY_THEN_COLON = /^([ \u3000]*)([A-Za-z_\u3400-\u9fff][\w\-\u3400-\u9fff]*)[ ]*[:：]([ \u3000]*)/u;

export function trapProblems(text: string, fm: FrontMatter, pos: Positioner): Problem[] {
  const out: Problem[] = [];
  const inValue = valueLookup(fm);
  const fixOf = (start: number, end: number, newText: string): Fix => ({ title: t('Replace full-width punctuation'), edits: [edit(pos, start, end, newText)], safe: true });
  for (const line of lines(text, fm.contentLoc.start)) {
    if (line.start >= fm.contentLoc.end) break;
    const s = text.slice(line.start, Math.min(line.end, fm.contentLoc.end));
    if (/^\s*#/.test(s)) continue;
    // U+3000 in the indentation.
    const indent = /^[ \u3000]*/.exec(s)![0];
    const first = indent.indexOf('\u3000');
    if (first >= 0 && !inValue(line.start + first)) {
      const start = line.start + first;
      const end = line.start + indent.lastIndexOf('\u3000') + 1;
      out.push(problem(pos, 'yaml-fullwidth-space', t('Full-width space (U+3000) in the indentation: YAML indents with ordinary spaces.'),
        start, end, { fixes: [fixOf(start, end, text.slice(start, end).replace(/\u3000/g, ' '))] }));
    }
    const colon = KEY_THEN_FULLWIDTH_COLON.exec(s);
    if (colon) {
      const at = line.start + colon[0].length - 1;
      if (!inValue(at)) {
        const next = text.charAt(at + 1);
        const end = next === '\u3000' ? at + 2 : at + 1;
        const replacement = next === ' ' || next === '' || next === '\r' || next === '\n' ? ':' : ': ';
        out.push(problem(pos, 'yaml-fullwidth-colon', t('Full-width colon "：" after the key "{0}": YAML needs ":" followed by a space.', colon[2]!),
          at, at + 1, { key: colon[2], fixes: [fixOf(at, end, replacement)] }));
      }
    }
    const keyed = KEY_THEN_COLON.exec(s);
    if (keyed && !colon) {
      // `key:` + U+3000 + `value`: the full-width space after the colon makes the whole line one plain scalar.
      const gap = keyed[3]!;
      const w = gap.indexOf('\u3000');
      if (w >= 0) {
        const start = line.start + keyed[0].length - gap.length + w;
        const end = line.start + keyed[0].length - gap.length + gap.lastIndexOf('\u3000') + 1;
        if (!inValue(start)) {
          out.push(problem(pos, 'yaml-fullwidth-space', t('Full-width space (U+3000) after the colon: YAML separates a key from its value with an ordinary space.'),
            start, end, { fixes: [fixOf(start, end, ' '.repeat(end - start))] }));
        }
      }
    }
    if (keyed) {
      // `key: 【a, b】`: a string to YAML, a list to the author.
      const open = line.start + keyed[0].length;
      if (text.charAt(open) === '【') {
        const close = text.indexOf('】', open);
        const end = close >= 0 && close < line.end ? close + 1 : open + 1;
        const fixed = text.slice(open, end).replace(/^【/, '[').replace(/】$/, ']').replace(/，[ \u3000]*/g, ', ');
        out.push(problem(pos, 'yaml-fullwidth-bracket', t('Full-width brackets "【】": a YAML list is written with "[" and "]".'),
          open, end, { fixes: [fixOf(open, end, fixed)] }));
      }
    }
  }
  // `[a，b]` parses as one item "a，b": point at each `，` of an unquoted item of a flow list.
  for (const f of fm.fields) {
    if (f.listStyle !== 'flow' || !f.items) continue;
    for (const item of f.items) {
      const raw = text.slice(item.loc.start, item.loc.end);
      if (item.kind !== 'string' || /^['"]/.test(raw)) continue;
      for (let i = raw.indexOf('，'); i >= 0; i = raw.indexOf('，', i + 1)) {
        const at = item.loc.start + i;
        let end = at + 1;
        while (text.charAt(end) === ' ' || text.charAt(end) === '\u3000') end++;
        out.push(problem(pos, 'yaml-fullwidth-comma', t('Full-width comma "，" in the list "{0}": YAML separates items with ",".', f.key),
          at, at + 1, { key: f.key, fixes: [fixOf(at, end, ', ')] }));
      }
    }
  }
  return out;
}

/**
 * Whether an offset is inside a parsed value: the value spans sorted once and searched by bisection, so
 * that a front matter of 40,000 lines costs 40,000 lookups of log(n), not 40,000 scans of every field.
 */
function valueLookup(fm: FrontMatter): (offset: number) => boolean {
  const spans = fm.fields.flatMap((f) => (f.valueLoc ? [[f.valueLoc.start, f.valueLoc.end] as const] : [])).sort((a, b) => a[0] - b[0]);
  return (offset) => {
    let lo = 0;
    let hi = spans.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]![0] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Value spans do not overlap: only the last one starting at or before the offset can hold it.
    return found >= 0 && offset < spans[found]![1];
  };
}
