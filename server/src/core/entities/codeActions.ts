/**
 * Quick fixes for the entity diagnostics, as minimal text edits that keep the note's formatting:
 * replace a near duplicate with the preferred spelling; add an untagged mention to its list in the
 * list's own style (block or flow, indentation, quotes, line breaks).
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { t } from '../l10n';
import type { Field } from '../parse/types';
import { NEAR_DUPLICATE, UNTAGGED_MENTION, type NearDuplicateData, type UntaggedMentionData } from './diagnostics';
import { offsetAt, positionAt } from '../parse/text';
import { valueText } from './rename';
import { styleOf } from '../index/summary';
import { quoteForYaml } from './yamlText';

export function entityCodeActions(ctx: DocumentContext, _range: Range, diagnostics: readonly Diagnostic[], only: readonly string[] | undefined): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || k.startsWith(CodeActionKind.QuickFix + '.') || CodeActionKind.QuickFix.startsWith(k))) return [];
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = (d.data ?? {}) as Record<string, unknown>;
    if (d.code === NEAR_DUPLICATE && typeof data['replacement'] === 'string') {
      const edit = nearDuplicateFix(ctx, d.range, data as unknown as NearDuplicateData);
      if (edit) {
        out.push({
          title: t('Use the spelling "{0}"', (data as unknown as NearDuplicateData).replacement),
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: { changes: { [ctx.uri]: [edit] } },
        });
      }
    } else if (d.code === UNTAGGED_MENTION && typeof data['value'] === 'string' && typeof data['key'] === 'string') {
      const { value, key } = data as unknown as UntaggedMentionData;
      const edit = addToList(ctx, key, value);
      if (edit) {
        out.push({
          title: t('Add "{0}" to {1}', value, key),
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: { changes: { [ctx.uri]: [edit] } },
        });
      }
    }
  }
  return out;
}

function nearDuplicateFix(ctx: DocumentContext, range: Range, data: NearDuplicateData): TextEdit | undefined {
  const start = offsetAt(ctx.text, range.start);
  const ref = ctx.note.entities.find((e) => e.loc.start === start);
  if (!ref) return undefined;
  return { range: ref.loc.range, newText: valueText(data.replacement, styleOf(ctx.note.frontMatter, ref)) };
}

/**
 * The edit that adds `value` to the list `key`: after the last item of a block list (same indentation
 * and dash, same quotes as the items), before the `]` of a flow list, under an empty `key:`, or as a new
 * block list before the closing `---` when the key is missing.
 */
export function addToList(ctx: DocumentContext, key: string, value: string): TextEdit | undefined {
  const fm = ctx.note.frontMatter;
  if (!fm?.yaml || !fm.closeLoc) return undefined;
  const text = ctx.text;
  const eol = ctx.note.eol;
  const field = fm.fields.find((f) => f.key === key);
  const at = (o: number) => ({ start: positionAt(text, o), end: positionAt(text, o) });
  if (!field) {
    const prefix = blockPrefix(ctx, undefined) ?? '- ';
    const insert = fm.closeLoc.start;
    return { range: at(insert), newText: `${key}:${eol}${prefix}${quoteForYaml(value, false)}${eol}` };
  }
  if (field.kind === 'null') {
    const prefix = blockPrefix(ctx, undefined) ?? '- ';
    const lineEnd = endOfLine(text, field.keyLoc.end);
    // `people:` (or `people: `): the list goes on the lines below; trailing spaces after the colon stay.
    return { range: at(lineEnd), newText: `${eol}${prefix}${quoteForYaml(value, false)}` };
  }
  if (!field.items || !field.valueLoc) return undefined;
  const quote = commonQuote(ctx, field);
  const written = quote ? `${quote}${valueText(value, { quote, flow: field.listStyle === 'flow' })}${quote}` : quoteForYaml(value, field.listStyle === 'flow');
  if (field.listStyle === 'flow') {
    const last = field.items[field.items.length - 1];
    if (last) return { range: at(last.loc.end), newText: `, ${written}` };
    const open = text.indexOf('[', field.valueLoc.start);
    if (open < 0 || open >= field.valueLoc.end) return undefined;
    return { range: at(open + 1), newText: written };
  }
  const last = field.items[field.items.length - 1];
  if (!last) return undefined;
  const prefix = blockPrefix(ctx, field) ?? '- ';
  return { range: at(endOfLine(text, last.loc.end)), newText: `${eol}${prefix}${written}` };
}

function endOfLine(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

/**
 * The text before a block item's value on its line (`- `, `  - `), taken from `field`'s last item or,
 * without one, from the first block list of the note. Undefined when the note has no block list.
 */
function blockPrefix(ctx: DocumentContext, field: Field | undefined): string | undefined {
  const fields = field ? [field] : ctx.note.frontMatter?.fields ?? [];
  for (const f of fields) {
    if (f.listStyle !== 'block' || !f.items?.length) continue;
    const item = f.items[f.items.length - 1]!;
    let lineStart = item.loc.start;
    while (lineStart > 0 && ctx.text.charCodeAt(lineStart - 1) !== 10 && ctx.text.charCodeAt(lineStart - 1) !== 13) lineStart--;
    const prefix = ctx.text.slice(lineStart, item.loc.start);
    if (prefix.trim() === '-' && prefix.endsWith(' ')) return prefix;
  }
  return undefined;
}

/** The quote every string item of the list uses, or '' when they are plain or mixed. */
function commonQuote(ctx: DocumentContext, field: Field): '' | '"' | "'" {
  const quotes = new Set(field.items!.map((i) => (i.valueLoc.start > i.loc.start ? ctx.text.charAt(i.loc.start) : '')));
  if (quotes.size !== 1) return '';
  const q = [...quotes][0];
  return q === '"' || q === "'" ? q : '';
}
