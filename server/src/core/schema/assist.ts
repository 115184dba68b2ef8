/**
 * Editing help from the schema: completion of keys on a new front-matter line and of closed values
 * (`status: `, `draft: `), and hover on a key with its description, type and how the vault uses it.
 * Both return undefined outside their context, so that the next provider (entities, glossary) answers.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Hover, type Position } from 'vscode-languageserver-types';
import type { DocumentContext } from '../features/context';
import { t } from '../l10n';
import { Positioner } from '../parse/text';
import type { FrontMatter } from '../parse/types';
import { rulesFor } from './check';
import { yamlScalar } from './edits';
import { vaultView } from './infer';
import { typeName } from './messages';
import type { KeyRule } from './types';

/** The front matter's content line at `position`, or undefined when the position is not in it. */
function contentLine(ctx: DocumentContext, fm: FrontMatter, position: Position): { start: number; before: string; after: string } | undefined {
  const pos = new Positioner(ctx.text);
  const offset = pos.doc.offsetAt(position);
  if (offset < fm.contentLoc.start || offset > fm.contentLoc.end) return undefined;
  const lineStart = pos.doc.offsetAt({ line: position.line, character: 0 });
  if (lineStart < fm.contentLoc.start) return undefined;
  const lineEnd = pos.doc.offsetAt({ line: position.line + 1, character: 0 });
  const rest = ctx.text.slice(offset, lineEnd).replace(/\r?\n$|\r$/, '');
  return { start: lineStart, before: ctx.text.slice(lineStart, offset), after: rest };
}

/** The note's block list item prefix (`- `, `  - `), or undefined when its lists are flow lists. */
function listPrefix(ctx: DocumentContext, fm: FrontMatter): string | undefined {
  let flow = 0;
  let block = 0;
  let prefix: string | undefined;
  for (const f of fm.fields) {
    if (!f.items?.length) continue;
    if (f.listStyle === 'flow') flow++;
    else {
      block++;
      const first = f.items[0]!.loc.start;
      let ls = first;
      while (ls > 0 && ctx.text.charAt(ls - 1) !== '\n' && ctx.text.charAt(ls - 1) !== '\r') ls--;
      const p = ctx.text.slice(ls, first);
      if (prefix === undefined && /^ *- +$/.test(p)) prefix = p;
    }
  }
  return flow > block ? undefined : prefix ?? '- ';
}

function documentation(rule: KeyRule | undefined, key: string, ctx: DocumentContext): string {
  const view = vaultView(ctx.index);
  const u = view.usage(key);
  const parts: string[] = [];
  if (rule?.description) parts.push(rule.description);
  const facts: string[] = [];
  if (rule?.type) facts.push(t('Type: {0}', typeName(rule.type)));
  if (rule?.required) facts.push(t('Required'));
  if (rule?.enum) facts.push(t('Allowed values: {0}', rule.enum.map((v) => `\`${v}\``).join(', ')));
  if (view.notes > 0) facts.push(t('Used by {0} of {1} notes', u.notes, view.notes));
  const top = u.values.filter(([, n]) => n >= 2).slice(0, 5);
  if (top.length) facts.push(t('Most common values: {0}', top.map(([v, n]) => `\`${v}\` ×${n}`).join(', ')));
  if (facts.length) parts.push(facts.map((f) => `- ${f}`).join('\n'));
  return parts.join('\n\n');
}

export function schemaCompletion(ctx: DocumentContext, position: Position): CompletionList | undefined {
  const fm = ctx.note.frontMatter;
  if (!fm || fm.language !== undefined) return undefined;
  const line = contentLine(ctx, fm, position);
  if (!line || line.after.trim() !== '') return undefined;
  const { rules, knownKeys } = rulesFor(ctx);
  const pos = new Positioner(ctx.text);
  // A new key: nothing but the start of a key on the line.
  const keyStart = /^[A-Za-z_\u3400-\u9fff][\w\-\u3400-\u9fff]*$|^$/.exec(line.before);
  if (keyStart) {
    const present = new Set(fm.fields.filter((f) => f.keyLoc.range.start.line !== position.line).map((f) => f.key));
    const prefix = listPrefix(ctx, fm);
    const eol = ctx.note.eol;
    const range = { start: pos.doc.positionAt(line.start), end: position };
    const items: CompletionItem[] = [];
    const add = (key: string, rule: KeyRule | undefined, group: string) => {
      if (present.has(key)) return;
      const list = rule?.type === 'list';
      items.push({
        label: key,
        kind: CompletionItemKind.Property,
        detail: rule?.type ? typeName(rule.type) : undefined,
        documentation: { kind: MarkupKind.Markdown, value: documentation(rule, key, ctx) },
        sortText: `${group}${rule?.required ? 0 : 1}${key}`,
        textEdit: { range, newText: list ? (prefix === undefined ? `${key}: []` : `${key}:${eol}${prefix}`) : `${key}: ` },
        ...(rule?.enum || rule?.type === 'boolean' ? { command: { title: '', command: 'editor.action.triggerSuggest' } } : {}),
      });
    };
    // Keys of the schema (built-in or the user's) first, then the keys only the vault uses.
    for (const [key, rule] of rules) add(key, rule, rule.origin === 'inferred' ? '1' : '0');
    for (const key of knownKeys) if (!rules.has(key)) add(key, undefined, '1');
    return items.length ? { isIncomplete: false, items } : undefined;
  }
  // A value after `key: `, for keys with a closed set of values.
  const value = /^([A-Za-z_\u3400-\u9fff][\w\-\u3400-\u9fff]*):[ ]+(['"]?)([^'"]*)$/.exec(line.before);
  if (!value) return undefined;
  const rule = rules.get(value[1]!);
  const choices = rule?.enum ?? (rule?.type === 'boolean' ? ['true', 'false'] : undefined);
  if (!choices) return undefined;
  const quote = value[2] as '' | "'" | '"';
  const start = pos.doc.offsetAt(position) - value[3]!.length;
  const range = { start: pos.doc.positionAt(start), end: position };
  return {
    isIncomplete: false,
    items: choices.map((c, i) => ({
      label: c,
      kind: CompletionItemKind.EnumMember,
      sortText: String(i).padStart(3, '0'),
      textEdit: { range, newText: quote === "'" ? c.replace(/'/g, "''") : quote === '"' ? JSON.stringify(c).slice(1, -1) : rule?.type === 'boolean' ? c : yamlScalar(c) },
    })),
  };
}

export function schemaHover(ctx: DocumentContext, position: Position): Hover | undefined {
  const fm = ctx.note.frontMatter;
  if (!fm) return undefined;
  const pos = new Positioner(ctx.text);
  const offset = pos.doc.offsetAt(position);
  const field = fm.fields.find((f) => offset >= f.keyLoc.start && offset <= f.keyLoc.end);
  if (!field) return undefined;
  const { rules } = rulesFor(ctx);
  const body = documentation(rules.get(field.key), field.key, ctx);
  return { contents: { kind: MarkupKind.Markdown, value: `**${field.key}**${body ? '\n\n' + body : ''}` }, range: field.keyLoc.range };
}
