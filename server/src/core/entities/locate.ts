/**
 * Where the cursor is, in entity terms, decided from the parsed front matter (fields, items and their
 * node ranges), never from a regular expression on the line.
 */
import type { Position } from 'vscode-languageserver-types';
import { entityKindOf } from '../index/entityKinds';
import type { EntityInfo } from '../index/workspaceIndex';
import type { DocumentContext } from '../features/context';
import { offsetAt } from '../parse/text';
import type { Bold, EntityRef, Field, Span } from '../parse/types';

/** The value being typed in an entity list item or scalar: what completion replaces and filters by. */
export interface ValueContext {
  readonly field: Field;
  readonly key: string;
  readonly kind: string;
  /** The span the chosen value replaces (the current value, inside any quotes; empty for a new item). */
  readonly start: number;
  readonly end: number;
  /** The text from the start of the value to the cursor. */
  readonly prefix: string;
  /** The quote around the value (`"` or `'`), or '' when unquoted. */
  readonly quote: '' | '"' | "'";
  /** Text to put before the value (a space after `-` or `:` with none). */
  readonly lead: string;
  /** Whether the value sits in a flow list (`[a, b]`), where `,` and brackets need quoting. */
  readonly flow: boolean;
  /** The other values of the same list, which completion leaves out. */
  readonly siblings: readonly string[];
}

const SCALAR_KINDS = new Set(['string', 'null', 'number', 'boolean']);

/**
 * The entity value context at `position`, or undefined outside one: a block item (`- Le|`, `- |`), a
 * flow item or the empty slot after a comma (`[OpenAI, Ant|]`, `[OpenAI, |]`), or the value of a
 * scalar entity key (`guest: |`).
 */
export function valueContextAt(ctx: DocumentContext, position: Position): ValueContext | undefined {
  const fm = ctx.note.frontMatter;
  if (!fm?.yaml) return undefined;
  const off = offsetAt(ctx.text, position);
  if (off < fm.contentLoc.start || off > fm.contentLoc.end) return undefined;
  const text = ctx.text;
  for (const field of fm.fields) {
    if (field.items && field.valueLoc) {
      const vl = field.valueLoc;
      const flow = field.listStyle === 'flow';
      if (off < vl.start || off > vl.end) continue;
      const siblingsBut = (i: number) => field.items!.filter((it, j) => j !== i && typeof it.value === 'string').map((it) => it.value as string);
      for (let i = 0; i < field.items.length; i++) {
        const item = field.items[i]!;
        if (!SCALAR_KINDS.has(item.kind) || off < item.loc.start || off > item.loc.end) continue;
        const quoteChar = item.valueLoc.start > item.loc.start ? text.charAt(item.loc.start) : '';
        const quote = quoteChar === '"' || quoteChar === "'" ? quoteChar : '';
        // The cursor on a closing quote still edits the value inside it.
        const start = item.valueLoc.start;
        const end = item.valueLoc.end;
        const cursor = Math.min(Math.max(off, start), end);
        const lead = item.loc.start === item.loc.end && text.charAt(off - 1) === '-' ? ' ' : '';
        return ctxOf(field, start, end, text.slice(start, cursor), quote, lead, flow, siblingsBut(i));
      }
      // An empty slot in a flow list: right after `[` or a comma, with nothing but spaces in between.
      if (flow && off > vl.start && (off < vl.end || text.charAt(vl.end - 1) !== ']')) {
        const before = text.slice(vl.start, off).trimEnd();
        const last = before.charAt(before.length - 1);
        if (last === '[' || last === ',') {
          const lead = off === before.length + vl.start && last === ',' ? ' ' : '';
          return ctxOf(field, off, off, '', '', lead, true, siblingsBut(-1));
        }
      }
      continue;
    }
    if (!ctx.settings.scalarEntityKeys.includes(field.key) || (field.kind !== 'string' && field.kind !== 'null')) continue;
    const line = field.keyLoc.range.start.line;
    if (position.line !== line) continue;
    if (field.kind === 'null') {
      // `guest:` or `guest: `: anywhere after the colon on the key's line.
      const colon = text.indexOf(':', field.keyLoc.end);
      if (colon < 0 || off <= colon) continue;
      const lead = off === colon + 1 ? ' ' : '';
      return ctxOf(field, off, off, '', '', lead, false, []);
    }
    const vl = field.valueLoc!;
    if (off < vl.start || off > vl.end) continue;
    const value = String(field.value);
    const quoted = vl.end - vl.start === value.length + 2;
    const quoteChar = quoted ? text.charAt(vl.start) : '';
    const quote = quoteChar === '"' || quoteChar === "'" ? quoteChar : '';
    const start = quoted ? vl.start + 1 : vl.start;
    const end = quoted ? vl.end - 1 : vl.end;
    const cursor = Math.min(Math.max(off, start), end);
    return ctxOf(field, start, end, text.slice(start, cursor), quote, '', false, []);
  }
  return undefined;
}

function ctxOf(field: Field, start: number, end: number, prefix: string, quote: ValueContext['quote'], lead: string, flow: boolean,
  siblings: string[]): ValueContext {
  return { field, key: field.key, kind: entityKindOf(field.key), start, end, prefix, quote, lead, flow, siblings };
}

/** An entity under the cursor: a front-matter value, or a bold mention in the body of a known entity. */
export type EntityTarget =
  | { readonly where: 'value'; readonly ref: EntityRef; readonly kind: string; readonly value: string; readonly loc: Span }
  | { readonly where: 'bold'; readonly bold: Bold; readonly kind: string; readonly value: string; readonly loc: Span };

export function entityAt(ctx: DocumentContext, position: Position): EntityTarget | undefined {
  const off = offsetAt(ctx.text, position);
  for (const ref of ctx.note.entities) {
    if (off >= ref.loc.start && off <= ref.loc.end) return { where: 'value', ref, kind: entityKindOf(ref.key), value: ref.value, loc: ref.loc };
  }
  if (ctx.note.frontMatter && off <= ctx.note.frontMatter.loc.end) return undefined;
  for (const bold of ctx.note.body.bolds) {
    if (off < bold.textLoc.start || off > bold.textLoc.end) continue;
    const info = boldEntity(ctx, bold.text);
    if (info) return { where: 'bold', bold, kind: info.kind, value: info.value, loc: bold.textLoc };
  }
  return undefined;
}

/** The entity a bold text names: the one this note lists, else the most used of any kind. */
export function boldEntity(ctx: DocumentContext, text: string): EntityInfo | undefined {
  // Most bold texts name no entity: asked of every bold span of a note (~300 in this format), the
  // lists `entitiesNamed` makes were most of this function's time in a vault-wide check.
  if (!ctx.index.hasEntityNamed(text)) return undefined;
  const named = ctx.index.entitiesNamed(text);
  if (named.length === 0) return undefined;
  const listed = ctx.note.entities.find((e) => e.value === text);
  if (listed) return named.find((n) => n.kind === entityKindOf(listed.key)) ?? named[0];
  return named.sort((a, b) => b.notes.size - a.notes.size || a.kind.localeCompare(b.kind))[0];
}
