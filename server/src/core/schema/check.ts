/**
 * Front-matter validation: the diagnostics provider of the schema. With a user schema bound to the note,
 * ajv validates the note's data and each error is mapped back to its YAML node; without one, the
 * built-in schema of this note format combined with what the rest of the vault shows applies. In both
 * cases the Chinese-keyboard traps and duplicate list items are checked, and every problem that has a
 * fix carries it (title and minimal edits) in its `data`.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { codeInfo } from '../codes';
import type { DocumentContext } from '../features/context';
import { t } from '../l10n';
import { problem } from '../parse/problem';
import { Positioner } from '../parse/text';
import type { Field, FrontMatter, Problem, Span } from '../parse/types';
import './codes';
import { edit, yamlScalar, type Fix } from './edits';
import { effectiveSchema, vaultView } from './infer';
import { shown, typeName } from './messages';
import { closest, nearest } from './suggest';
import { trapProblems } from './traps';
import type { EffectiveSchema, FieldType, KeyRule } from './types';
import { bindingFor, type ErrorObject, type SchemaBinding } from './userSchema';
import { checkDate, classify, isUrl } from './values';

export function schemaProblems(ctx: DocumentContext): Problem[] {
  const fm = ctx.note.frontMatter;
  if (!fm || fm.language !== undefined) return [];
  const pos = new Positioner(ctx.text);
  const out = trapProblems(ctx.text, fm, pos);
  if (!fm.yaml || (fm.yaml.contents !== null && !isMap(fm.yaml.contents))) return out;
  const c = new Checker(ctx, fm, pos, out);
  c.duplicates();
  const binding = bindingFor(ctx.settings.schemas, ctx.uri);
  if (binding) c.user(binding);
  else c.inferred(effectiveSchema(vaultView(ctx.index, ctx.uri)));
  return out;
}

/** The schema that applies to a note, as rules (for completion and hover). */
export function rulesFor(ctx: DocumentContext): { rules: ReadonlyMap<string, KeyRule>; knownKeys: ReadonlySet<string> } {
  const binding = bindingFor(ctx.settings.schemas, ctx.uri);
  if (binding) return { rules: binding.rules, knownKeys: new Set(binding.rules.keys()) };
  const schema = effectiveSchema(vaultView(ctx.index, ctx.uri));
  return { rules: schema.rules, knownKeys: new Set([...schema.knownKeys, ...schema.usedKeys.keys()]) };
}

const MAX_SUGGESTIONS = 200;

class Checker {
  private readonly text: string;
  /** The YAML could not be read completely: keys may be missing only because of the syntax error. */
  private readonly broken: boolean;

  constructor(private readonly ctx: DocumentContext, private readonly fm: FrontMatter, private readonly pos: Positioner, private readonly out: Problem[]) {
    this.text = ctx.text;
    this.broken = !fm.closed || ctx.problems.some((p) => p.severity === 'error' && codeInfo(p.code)?.area === 'yaml')
      || out.some((p) => p.code.startsWith('yaml-fullwidth-'));
  }

  private push(code: string, message: string, loc: { start: number; end: number }, data?: Record<string, unknown>): void {
    this.out.push(problem(this.pos, code, message, loc.start, loc.end, data));
  }

  duplicates(): void {
    for (const f of this.fm.fields) {
      const seen = new Set<string>();
      f.items?.forEach((item, i) => {
        if (typeof item.value !== 'string' || item.value.trim() === '') return;
        if (!seen.has(item.value)) {
          seen.add(item.value);
          return;
        }
        const fix = this.removeItemFix(f, i);
        this.push('schema-duplicate-item', t('"{0}" is listed twice in "{1}".', shown(item.value), f.key), item.loc,
          { key: f.key, value: item.value, index: i, ...(fix ? { fixes: [fix] } : {}) });
      });
    }
  }

  /** Offsets of the Chinese-keyboard traps, sorted (computed once). */
  private trapOffsets: number[] | undefined;

  /** A Chinese-keyboard trap inside the field's value: that diagnostic and its fix come first. */
  private trapped(f: Field): boolean {
    const loc = f.valueLoc;
    if (!loc) return false;
    this.trapOffsets ??= this.out.filter((p) => p.code.startsWith('yaml-fullwidth-')).map((p) => this.pos.doc.offsetAt(p.range.start)).sort((a, b) => a - b);
    const offsets = this.trapOffsets;
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid]! < loc.start) lo = mid + 1;
      else hi = mid;
    }
    return lo < offsets.length && offsets[lo]! < loc.end;
  }

  inferred(schema: EffectiveSchema): void {
    const present = new Set(this.fm.fields.map((f) => f.key));
    for (const f of this.fm.fields) {
      const rule = schema.rules.get(f.key);
      if (rule && !this.trapped(f)) this.checkValue(f, rule);
      if (!schema.knownKeys.has(f.key)) this.unknownKey(f, schema.suggestFrom, present, false);
    }
    if (!this.broken) this.missing([...schema.rules.values()].filter((r) => r.required && !present.has(r.key)));
  }

  user(binding: SchemaBinding): void {
    const present = new Set(this.fm.fields.map((f) => f.key));
    binding.validate(this.fm.data);
    const missing: KeyRule[] = [];
    for (const e of binding.validate.errors ?? []) {
      if (e.keyword === 'uniqueItems' || e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
      const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      if (e.keyword === 'required' && path.length === 0) {
        const key = String((e.params as { missingProperty: string }).missingProperty);
        if (!this.broken) missing.push(binding.rules.get(key) ?? { key, type: undefined, required: true, nonEmpty: false, origin: 'user' });
        continue;
      }
      if ((e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') && path.length === 0) {
        const key = String((e.params as Record<string, unknown>)['additionalProperty'] ?? (e.params as Record<string, unknown>)['unevaluatedProperty']);
        const f = this.fm.fields.find((x) => x.key === key);
        if (f) this.unknownKey(f, new Set(binding.rules.keys()), present, true);
        continue;
      }
      const field = this.fm.fields.find((f) => f.key === path[0]);
      if (field && this.trapped(field)) continue;
      this.ajvError(e, path);
    }
    this.missing(missing);
  }

  private ajvError(e: ErrorObject, path: string[]): void {
    const found = this.resolve(path);
    const loc = found?.value ?? found?.key ?? this.fm.openLoc;
    const field = path.length >= 1 ? this.fm.fields.find((f) => f.key === path[0]) : undefined;
    const value = found?.data;
    const name = path.join('.') || t('front matter');
    const params = e.params as Record<string, unknown>;
    const empty = value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
    switch (e.keyword) {
      case 'type': {
        const expected = ([] as unknown[]).concat(params['type']).map(String);
        if (expected.includes('array') && field && path.length === 1 && !empty && !Array.isArray(value) && typeof value !== 'object') {
          this.expectedList(field);
          return;
        }
        if (empty && value !== undefined) {
          this.push('schema-empty-value', t('"{0}" needs a value.', name), loc, { key: path[0] });
          return;
        }
        const actual = Array.isArray(value) ? 'list' : value === null ? 'empty' : typeof value === 'object' ? 'map' : typeof value;
        const fixes = expected.includes('boolean') && field && path.length === 1 ? this.booleanFix(field) : undefined;
        this.push('schema-wrong-type', t('"{0}" should be {1}, not {2}.', name, expected.map(typeName).join(t(' or ')), typeName(actual)), loc,
          { key: path[0], ...(fixes ? { fixes } : {}) });
        return;
      }
      case 'enum':
      case 'const': {
        const allowed = (e.keyword === 'enum' ? (params['allowedValues'] as unknown[]) : [params['allowedValue']]).filter((v): v is string => typeof v === 'string');
        this.notInEnum(name, value, allowed, found?.value, path[0]);
        return;
      }
      case 'format': {
        const format = String(params['format']);
        if (format === 'date' && typeof value === 'string' && found?.value) {
          this.date(name, value, found.value, path[0]);
          return;
        }
        this.push('schema-invalid-format', t('"{0}" is not a valid {1}.', shown(value), format), loc, { key: path[0], format });
        return;
      }
      case 'minLength':
      case 'minItems':
        if (empty) {
          this.push('schema-empty-value', t('"{0}" needs a value.', name), loc, { key: path[0] });
          return;
        }
        break;
    }
    this.push('schema-violation', t('"{0}": {1}', name, e.message ?? e.keyword), loc, { key: path[0], keyword: e.keyword });
  }

  /** The YAML nodes at a JSON pointer path: the value and, for a mapping entry, its key. */
  private resolve(path: readonly string[]): { value: Span | undefined; key: Span | undefined; data: unknown } | undefined {
    let node: unknown = this.fm.yaml?.contents;
    let keyNode: unknown;
    let data: unknown = this.fm.data;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === seg);
        if (!pair) return undefined;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(seg)];
        keyNode = undefined;
      } else return undefined;
      data = data && typeof data === 'object' ? (data as Record<string, unknown>)[seg] : undefined;
    }
    const span = (n: unknown) => {
      const r = (n as Node | null)?.range;
      return r ? this.pos.span(r[0] + this.fm.contentLoc.start, r[1] + this.fm.contentLoc.start) : undefined;
    };
    return { value: node ? span(node) : undefined, key: keyNode ? span(keyNode) : undefined, data };
  }

  private checkValue(f: Field, rule: KeyRule): void {
    const cls = classify(f.kind, f.value);
    const loc = f.valueLoc ?? f.keyLoc;
    if (cls === 'empty') {
      if (rule.nonEmpty) this.push('schema-empty-value', t('"{0}" needs a value.', f.key), loc, { key: f.key });
      return;
    }
    const wrong = (expected: FieldType, fixes?: Fix[]) => this.push('schema-wrong-type', t('"{0}" should be {1}, not {2}.', f.key, typeName(expected), typeName(cls)), loc,
      { key: f.key, expected, ...(fixes ? { fixes } : {}) });
    switch (rule.type) {
      case 'list':
        if (f.kind === 'string' || f.kind === 'number' || f.kind === 'boolean') this.expectedList(f);
        else if (f.kind !== 'list') wrong('list');
        else {
          for (const item of f.items ?? []) {
            if (item.kind === 'map' || item.kind === 'list') {
              this.push('schema-wrong-type', t('The items of "{0}" should be text, not {1}.', f.key, typeName(item.kind)), item.loc, { key: f.key });
            }
          }
        }
        return;
      case 'string':
        if (f.kind !== 'string') return wrong('string', this.quoteFix(f));
        break;
      case 'date':
        if (f.kind === 'string' && f.valueLoc) this.date(f.key, String(f.value), f.valueLoc, f.key);
        else wrong('date');
        return;
      case 'url':
        if (f.kind !== 'string') wrong('url');
        else if (!isUrl(String(f.value))) this.push('schema-invalid-format', t('"{0}" is not a URL.', shown(f.value)), loc, { key: f.key, format: 'url' });
        return;
      case 'boolean':
        if (f.kind !== 'boolean') wrong('boolean', this.booleanFix(f));
        return;
      case 'number':
        if (f.kind !== 'number') wrong('number');
        return;
    }
    if (rule.enum && typeof f.value === 'string' && !rule.enum.includes(f.value) && !rule.usedValues?.has(f.value)) this.notInEnum(f.key, f.value, rule.enum, f.valueLoc, f.key);
  }

  private date(name: string, value: string, loc: Span, key: string | undefined): void {
    const check = checkDate(value);
    if (check.ok) return;
    if (check.canonical === undefined) {
      this.push('schema-invalid-date', t('"{0}" is not a valid date: write it as YYYY-MM-DD.', shown(value)), loc, { key });
      return;
    }
    this.push('schema-date-format', t('Write the date of "{0}" as {1} (YYYY-MM-DD).', name, check.canonical), loc,
      { key, value: check.canonical, fixes: [this.replaceScalar(loc, check.canonical, t('Write the date as {0}', check.canonical), true)] });
  }

  private notInEnum(name: string, value: unknown, allowed: readonly string[], loc: Span | undefined, key: string | undefined): void {
    const guess = typeof value === 'string' ? nearest(value, allowed) : undefined;
    const list = allowed.slice(0, 8).join(', ') + (allowed.length > 8 ? ', …' : '');
    const message = guess
      ? t('"{0}" is not an allowed value of "{1}" ({2}). Did you mean "{3}"?', shown(value), name, list, guess)
      : t('"{0}" is not an allowed value of "{1}" ({2}).', shown(value), name, list);
    const fixes = guess && loc && typeof value === 'string' ? [this.replaceScalar(loc, guess, t('Change to "{0}"', guess), false)] : undefined;
    this.push('schema-not-in-enum', message, loc ?? this.fm.openLoc, { key, ...(guess ? { value: guess } : {}), allowed: [...allowed], ...(fixes ? { fixes } : {}) });
  }

  /** How many keys of one note are compared with the known keys (a hostile note may have thousands). */
  private suggestions = MAX_SUGGESTIONS;

  private unknownKey(f: Field, known: ReadonlySet<string>, present: ReadonlySet<string>, always: boolean): void {
    const guess = this.suggestions-- > 0 ? closest(f.key, [...known].filter((k) => k !== f.key)) : undefined;
    if (!guess && !always) return;
    const fixes: Fix[] | undefined = guess && !present.has(guess)
      ? [{ title: t('Rename to "{0}"', guess), edits: [edit(this.pos, f.keyLoc.start, f.keyLoc.end, guess)], safe: false }]
      : undefined;
    const message = guess ? t('Unknown key "{0}". Did you mean "{1}"?', f.key, guess) : t('Unknown key "{0}": the schema does not allow it.', f.key);
    this.push('schema-unknown-key', message, f.keyLoc, { key: f.key, ...(guess ? { value: guess } : {}), ...(fixes ? { fixes } : {}) });
  }

  private missing(rules: readonly KeyRule[]): void {
    if (rules.length === 0) return;
    const all = rules.length > 1 && this.fm.closed ? this.insertKeysFix(rules, t('Add all missing keys')) : undefined;
    for (const r of rules) {
      const own = this.fm.closed ? this.insertKeysFix([r], t('Add the missing key "{0}"', r.key)) : undefined;
      const fixes = [own, all].filter((x): x is Fix => x !== undefined);
      const message = r.origin === 'user' ? t('Missing key "{0}": the schema requires it.', r.key) : t('Missing key "{0}": nearly every note has it.', r.key);
      this.push('schema-missing-key', message, this.fm.openLoc, { key: r.key, ...(fixes.length ? { fixes } : {}) });
    }
  }

  // ---- fixes --------------------------------------------------------------------------------------

  /** The quote most scalars of the note use, for new values. */
  private quoteStyle(): "'" | '"' {
    let single = 0;
    let double = 0;
    for (const f of this.fm.fields) {
      const c = f.valueLoc ? this.text.charAt(f.valueLoc.start) : '';
      if (c === "'") single++;
      else if (c === '"') double++;
    }
    return double > single ? '"' : "'";
  }

  private insertKeysFix(rules: readonly KeyRule[], title: string): Fix | undefined {
    const close = this.fm.closeLoc;
    if (!close) return undefined;
    const eol = this.ctx.note.eol;
    const fields = this.fm.fields;
    const sorted = fields.length > 1 && fields.every((f, i) => i === 0 || fields[i - 1]!.key <= f.key);
    const q = this.quoteStyle();
    const emptyOf = (type: FieldType | undefined) => (type === 'list' ? ' []' : type === 'boolean' ? ' false' : type === 'number' ? '' : ` ${q}${q}`);
    const edits = rules.map((r) => {
      const next = sorted ? fields.find((f) => f.key > r.key) : undefined;
      const at = next ? this.lineStart(next.keyLoc.start) : close.start;
      return { at, text: `${r.key}:${emptyOf(r.type)}${eol}`, key: r.key };
    }).sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
    return { title, edits: edits.map((e) => edit(this.pos, e.at, e.at, e.text)), safe: false };
  }

  private lineStart(offset: number): number {
    let i = offset;
    while (i > 0 && this.text.charAt(i - 1) !== '\n' && this.text.charAt(i - 1) !== '\r') i--;
    return i;
  }

  /** Replaces a scalar's value, inside its quotes when it has them. */
  private replaceScalar(loc: Span, value: string, title: string, safe: boolean): Fix {
    const raw = this.text.slice(loc.start, loc.end);
    const q = raw.charAt(0);
    if ((q === "'" || q === '"') && raw.length >= 2 && raw.endsWith(q)) {
      const inner = q === "'" ? value.replace(/'/g, "''") : JSON.stringify(value).slice(1, -1);
      return { title, edits: [edit(this.pos, loc.start + 1, loc.end - 1, inner)], safe };
    }
    return { title, edits: [edit(this.pos, loc.start, loc.end, yamlScalar(value, this.quoteStyle()))], safe };
  }

  /** `title: 1984` is a number to YAML: quoting it keeps the text the author wrote. */
  private quoteFix(f: Field): Fix[] | undefined {
    if ((f.kind !== 'number' && f.kind !== 'boolean') || !f.valueLoc) return undefined;
    const raw = this.text.slice(f.valueLoc.start, f.valueLoc.end);
    const q = this.quoteStyle();
    return [{ title: t('Quote it as text'), edits: [edit(this.pos, f.valueLoc.start, f.valueLoc.end, `${q}${raw}${q}`)], safe: false }];
  }

  private booleanFix(f: Field): Fix[] | undefined {
    if (f.kind !== 'string' || !f.valueLoc) return undefined;
    const v = String(f.value).trim().toLowerCase();
    const b = v === 'true' || v === 'yes' || v === 'on' ? 'true' : v === 'false' || v === 'no' || v === 'off' ? 'false' : undefined;
    if (!b) return undefined;
    return [{ title: t('Change to {0}', b), edits: [edit(this.pos, f.valueLoc.start, f.valueLoc.end, b)], safe: true }];
  }

  /** The block list prefix of the note (`- ` or `  - `), or undefined when its lists are flow lists. */
  private blockPrefix(): string | undefined {
    let block = 0;
    let flow = 0;
    let prefix: string | undefined;
    for (const f of this.fm.fields) {
      if (!f.items || f.items.length === 0) continue;
      if (f.listStyle === 'flow') flow++;
      else {
        block++;
        const first = f.items[0]!;
        const p = this.text.slice(this.lineStart(first.loc.start), first.loc.start);
        if (prefix === undefined && /^ *- +$/.test(p)) prefix = p;
      }
    }
    if (flow > block) return undefined;
    return prefix ?? '- ';
  }

  private expectedList(f: Field): void {
    const loc = f.valueLoc!;
    const raw = this.text.slice(loc.start, loc.end);
    // `tags: a, b` (or `a，b`) was meant as two items; a quoted scalar stays one item as written.
    const plain = !/^['"|>]/.test(raw);
    const items = plain && /[,，]/.test(raw) ? raw.split(/[,，]/).map((s) => s.trim()).filter((s) => s !== '') : [raw];
    const prefix = this.blockPrefix();
    let fix: Fix;
    if (prefix !== undefined && !raw.includes('\n')) {
      const colon = this.text.indexOf(':', f.keyLoc.end);
      const eol = this.ctx.note.eol;
      fix = { title: t('Turn into a list'), edits: [edit(this.pos, colon + 1, loc.end, items.map((i) => eol + prefix + i).join(''))], safe: true };
    } else {
      fix = { title: t('Turn into a list'), edits: [edit(this.pos, loc.start, loc.end, `[${items.join(', ')}]`)], safe: true };
    }
    this.push('schema-expected-list', t('"{0}" should be a list: write each value as an item.', f.key), loc, { key: f.key, fixes: [fix] });
  }

  private removeItemFix(f: Field, i: number): Fix | undefined {
    const item = f.items![i]!;
    const title = t('Remove the duplicate "{0}"', shown(item.value));
    if (f.listStyle === 'flow') {
      const prev = f.items![i - 1]!;
      return { title, edits: [edit(this.pos, prev.loc.end, item.loc.end, '')], safe: true };
    }
    const start = this.lineStart(item.loc.start);
    if (!/^[ \t]*-[ \t]+$/.test(this.text.slice(start, item.loc.start))) return undefined;
    let end = item.loc.end;
    while (this.text.charAt(end) === ' ' || this.text.charAt(end) === '\t') end++;
    if (this.text.charAt(end) === '\r') end++;
    if (this.text.charAt(end) === '\n') end++;
    // Something after the item on its line (a comment) would be lost with the line: no fix then.
    if (end === item.loc.end || !/[\r\n]$/.test(this.text.slice(start, end))) return undefined;
    return { title, edits: [edit(this.pos, start, end, '')], safe: true };
  }
}
