import type { EntityRef, FrontMatter } from './types';

/** Keys whose single string value names a person, as opposed to the usual lists. */
export const DEFAULT_SCALAR_ENTITY_KEYS: readonly string[] = ['guest', 'speaker'];

/**
 * The entity values of a note: every string item of every top-level list (`people`, `tags`, …), and the
 * value of each scalar entity key (`guest: Dwarkesh Patel`). Empty strings name nothing.
 */
export function entitiesOf(fm: FrontMatter | undefined, scalarKeys: readonly string[] = DEFAULT_SCALAR_ENTITY_KEYS): EntityRef[] {
  const out: EntityRef[] = [];
  if (!fm) return out;
  for (const field of fm.fields) {
    if (field.items) {
      field.items.forEach((item, index) => {
        if (item.kind === 'string' && typeof item.value === 'string' && item.value.trim() !== '') {
          out.push({ key: field.key, value: item.value, loc: item.valueLoc, index });
        }
      });
    } else if (field.kind === 'string' && scalarKeys.includes(field.key) && typeof field.value === 'string' && field.value.trim() !== '' && field.valueLoc) {
      out.push({ key: field.key, value: field.value, loc: innerLoc(field.valueLoc, field.value), index: -1 });
    }
  }
  return out;
}

/** The value's own text inside quotes: a quoted scalar's node is two characters longer than its text. */
function innerLoc(loc: EntityRef['loc'], value: string): EntityRef['loc'] {
  // A quoted scalar that spans lines folds its line breaks, so the length test says nothing about it and
  // its character arithmetic would leave the line: such a value keeps its whole node as location.
  const quoted = loc.end - loc.start === value.length + 2 && loc.range.start.line === loc.range.end.line;
  if (!quoted) return loc;
  return {
    start: loc.start + 1,
    end: loc.end - 1,
    range: {
      start: { line: loc.range.start.line, character: loc.range.start.character + 1 },
      end: { line: loc.range.end.line, character: loc.range.end.character - 1 },
    },
  };
}
