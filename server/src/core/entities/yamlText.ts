/**
 * Writing an entity value into YAML as an author would: plain when YAML reads it back as the same
 * string, single-quoted otherwise. Used by completion, rename and the quick fixes.
 */

/** Plain scalars YAML would read as something other than this string (a number, a boolean, null, a date). */
const NOT_A_STRING = /^(?:~|null|true|false|yes|no|on|off|[-+]?(?:\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|\.\d+|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan)|\d{4}-\d\d?-\d\d?.*)$/i;

/** Whether `value` must be quoted to stay the same string, in a block (`- x`, `key: x`) or flow (`[x]`) context. */
export function needsQuotes(value: string, flow: boolean): boolean {
  if (value === '' || value !== value.trim()) return true;
  if (NOT_A_STRING.test(value)) return true;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return true;
  if (/:\s|:$|\s#/.test(value)) return true;
  if (/[\r\n\t]/.test(value)) return true;
  if (flow && /[,[\]{}]/.test(value)) return true;
  return false;
}

export function quoteForYaml(value: string, flow: boolean): string {
  return needsQuotes(value, flow) ? `'${value.replace(/'/g, "''")}'` : value;
}
