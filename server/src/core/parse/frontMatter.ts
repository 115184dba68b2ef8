/**
 * Finds the front-matter block of a note and parses it with the `yaml` package.
 *
 * The split is written here rather than taken from gray-matter: gray-matter gives no positions, evaluates
 * `---js` blocks with `eval`, caches every input forever when called without options, and accepts a
 * closing `----` or `--- text` line. Here the opening line must be `---` (optionally naming a language,
 * which is reported and never run) and the closing line exactly `---`.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, Scalar, type Alias, type CST, type Document, type Node } from 'yaml';
import { t } from '../l10n';
import { problem } from './problem';
import { isBlank, lines, type Line, Positioner } from './text';
import type { Fix } from '../schema/edits';
import type { Field, FrontMatter, ListItem, Problem, Span, ValueKind } from './types';
import { composeCst, simpleCst, simpleScalar } from './yamlFast';

export interface FrontMatterOptions {
  /** Front matter longer than this (UTF-16 units) is not parsed. */
  readonly maxFrontMatterLength?: number;
  /** Deepest flow (`[`, `{`) or block nesting that is parsed. */
  readonly maxNestingDepth?: number;
  /**
   * The parse is only summarised for the index (the scan's parser thread): front matter of the common
   * shape (see yamlFast.ts) then gets its fields straight from the syntax tree, with no YAML `Document`
   * (`yaml` is undefined). Fields, data, problems and ranges are the same either way (tested).
   */
  readonly forIndex?: boolean;
}

export const DEFAULT_MAX_FRONT_MATTER_LENGTH = 512 * 1024;
export const DEFAULT_MAX_NESTING_DEPTH = 64;
/** How many nodes the plain-data conversion may visit (alias expansion included). */
const MAX_PLAIN_NODES = 100_000;

export interface FrontMatterResult {
  readonly frontMatter: FrontMatter | undefined;
  /** Where the body starts. */
  readonly bodyStart: number;
}


function lineText(text: string, line: Line): string {
  return text.slice(line.start, line.end);
}

/** `---`, `---yaml`, `--- js`: returns the language ('' for plain YAML), or undefined when not an opener. */
function openerLanguage(s: string): string | undefined {
  if (!s.startsWith('---') || s.startsWith('----')) return undefined;
  return s.slice(3).trim();
}

const isCloser = (s: string) => s.trimEnd() === '---';

export function parseFrontMatter(text: string, pos: Positioner, problems: Problem[], options: FrontMatterOptions = {}): FrontMatterResult {
  const first = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const it = lines(text, first);
  const openLine = it.next().value as Line | undefined;
  if (!openLine) return { frontMatter: undefined, bodyStart: first };
  const lang = openerLanguage(lineText(text, openLine));
  if (lang === undefined) {
    reportMisplaced(text, pos, problems, openLine);
    return { frontMatter: undefined, bodyStart: first };
  }
  const openLoc = pos.span(openLine.start, openLine.end);
  const contentStart = Math.min(openLine.next, text.length);
  let closeLine: Line | undefined;
  let firstBlank: Line | undefined;
  let dots: Line | undefined;
  for (const line of it) {
    if (isCloser(lineText(text, line))) {
      closeLine = line;
      break;
    }
    if (!firstBlank && isBlank(text, line.start, line.end)) firstBlank = line;
    if (!dots && !firstBlank && lineText(text, line).trimEnd() === '...') dots = line;
  }
  // An unclosed block is most likely the lines up to the first blank line: parse those, so that a note
  // whose author has not typed the closing `---` yet still gets completion, and its body still gets read.
  // A YAML document-end line `...` (Pandoc accepts it as a closer) ends the block where it stands.
  const contentEnd = closeLine ? closeLine.start : dots ? dots.start : firstBlank ? firstBlank.start : text.length;
  const blockEnd = closeLine ? Math.min(closeLine.next, text.length) : dots ? Math.min(dots.next, text.length) : contentEnd;
  const closeLoc = closeLine ? pos.span(closeLine.start, closeLine.end) : undefined;
  if (!closeLine && dots) {
    // The author meant `...` to close the block: writing `---` instead changes only those three characters.
    const fix: Fix = { title: t('Replace "..." with ---'), edits: [{ range: pos.range(dots.start, dots.start + 3), newText: '---' }], safe: true };
    problems.push(problem(pos, 'frontmatter-unclosed',
      t('Front matter ends with "...": NoteSense closes front matter with a --- line only.'), dots.start, dots.end,
      { insertAt: pos.range(contentEnd, contentEnd).start, fixes: [fix] }));
  } else if (!closeLine) {
    problems.push(problem(pos, 'frontmatter-unclosed',
      t('Front matter is not closed: add a line with --- after its last key.'), openLine.start, openLine.end,
      { insertAt: pos.range(contentEnd, contentEnd).start, fixes: [closeFix(text, pos, contentEnd, text.slice(openLine.end, openLine.next) || '\n')] }));
  }
  const language = lang === '' || lang.toLowerCase() === 'yaml' ? undefined : lang;
  const base = {
    loc: pos.span(openLine.start, closeLine ? closeLine.end : contentEnd),
    openLoc,
    closeLoc,
    contentLoc: pos.span(contentStart, Math.max(contentStart, contentEnd)),
    closed: closeLine !== undefined,
    language,
  };
  const empty = { ...base, yaml: undefined, fields: [], data: {} };
  if (language !== undefined) {
    problems.push(problem(pos, 'frontmatter-language',
      t('Front matter in "{0}" is never run: NoteSense reads YAML front matter only.', language),
      openLine.start, openLine.end, { language }));
    return { frontMatter: empty, bodyStart: blockEnd };
  }
  const content = text.slice(contentStart, Math.max(contentStart, contentEnd));
  const maxLength = options.maxFrontMatterLength ?? DEFAULT_MAX_FRONT_MATTER_LENGTH;
  if (content.length > maxLength) {
    problems.push(problem(pos, 'frontmatter-too-large',
      t('Front matter is {0} characters long, over the limit of {1}: it is not parsed.', content.length, maxLength),
      openLine.start, openLine.end));
    return { frontMatter: empty, bodyStart: blockEnd };
  }
  const deep = tooDeep(content, options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH);
  if (deep !== undefined) {
    const at = contentStart + deep;
    problems.push(problem(pos, 'yaml-too-deep',
      t('Front matter is nested more than {0} levels deep: it is not parsed.', options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH),
      at, Math.min(at + 1, text.length)));
    return { frontMatter: empty, bodyStart: blockEnd };
  }
  const fm = parseYaml(text, content, contentStart, pos, problems, base, options.forIndex === true);
  return { frontMatter: fm, bodyStart: blockEnd };
}

/**
 * The quick fix of a block without a closing line: a `---` line at `at`, where the parse took the block to
 * end (before its first blank line, else at the end of the note), with the note's line break. Not safe
 * (not part of "fix all"): where the front matter ends is a guess.
 */
function closeFix(text: string, pos: Positioner, at: number, eol: string): Fix {
  const atLineStart = at === 0 || text.charCodeAt(at - 1) === 10 || text.charCodeAt(at - 1) === 13;
  return { title: t('Close the front matter with a --- line here'), edits: [{ range: pos.range(at, at), newText: `${atLineStart ? '' : eol}---${eol}` }], safe: false };
}

/** Blank lines before a `---` block: it is not front matter to any Markdown tool, and probably meant to be. */
function reportMisplaced(text: string, pos: Positioner, problems: Problem[], firstLine: Line): void {
  if (!isBlank(text, firstLine.start, firstLine.end)) return;
  for (const line of lines(text, firstLine.next)) {
    if (isBlank(text, line.start, line.end)) continue;
    const s = lineText(text, line);
    if (s.trim() === '---') {
      problems.push(problem(pos, 'frontmatter-misplaced',
        t('Front matter must start on the first line of the note: remove the blank lines above ---.'),
        line.start, line.end, { deleteFrom: pos.range(firstLine.start, line.start) }));
    }
    return;
  }
}

/**
 * The first offset where flow brackets or block indentation nest deeper than `max`, or undefined.
 * Checked before parsing: pathological nesting is costly for any YAML parser.
 */
function tooDeep(content: string, max: number): number | undefined {
  let depth = 0;
  let quote = 0;
  let lineStart = true;
  let blockDepth = 0;
  // The indentations of the enclosing block collections: `a:\n b:\n  c:` nests one level per line, and
  // the yaml composer recurses once per level (a few thousand levels overflow its stack).
  const indents: number[] = [];
  let indent = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true;
      blockDepth = 0;
      indent = 0;
      if (quote === 39) quote = 0; // a single-quoted scalar spanning lines is rare; do not let it hide brackets
      continue;
    }
    if (quote) {
      if (c === quote && (quote !== 34 || content.charCodeAt(i - 1) !== 92)) quote = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        indent++;
        continue;
      }
      if (blockDepth === 0 && depth === 0 && c !== 35) {
        // The first indicator or text of a line that is not a comment: this line's indentation level.
        while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
        if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
        if (indents.length + depth > max) return i;
      }
      if ((c === 45 || c === 63 || c === 58) && (content.charCodeAt(i + 1) === 32 || content.charCodeAt(i + 1) === 10)) {
        // `- - - x` or `? ? x`: each indicator opens a block collection
        if (++blockDepth + indents.length > max) return i;
        continue;
      }
      lineStart = false;
    }
    if (c === 34 || c === 39) {
      const prev = content.charCodeAt(i - 1);
      if (i === 0 || prev === 32 || prev === 91 || prev === 123 || prev === 44 || prev === 58) quote = c;
    } else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 35 && (i === 0 || content.charCodeAt(i - 1) === 32)) {
      // comment: skip to the end of the line
      while (i + 1 < content.length && content.charCodeAt(i + 1) !== 10 && content.charCodeAt(i + 1) !== 13) i++;
    }
  }
  return undefined;
}

function yamlCode(code: string, warning: boolean): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'yaml-duplicate-key';
    case 'TAB_AS_INDENT':
      return 'yaml-tab-indent';
    case 'MULTIPLE_DOCS':
      return 'yaml-multiple-documents';
    case 'RESOURCE_EXHAUSTION':
      return 'yaml-alias-limit';
    default:
      return warning ? 'yaml-warning' : 'yaml-syntax';
  }
}

function yamlMessage(code: string, detail: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return t('Duplicate key: each key may appear only once in the front matter.');
    case 'TAB_AS_INDENT':
      return t('Tabs cannot indent YAML: use spaces.');
    case 'MULTIPLE_DOCS':
      return t('The front matter holds more than one YAML document.');
    case 'TAG_RESOLVE_FAILED':
      return t('Unknown YAML tag: its value is read as plain text.');
    case 'MISSING_CHAR':
      if (/directives-end/.test(detail)) return t('YAML directives (%YAML, %TAG) cannot be used in front matter: remove this line.');
      return t('YAML syntax error: {0}', detail.split('\n')[0]);
    default:
      return t('YAML syntax error: {0}', detail.split('\n')[0]);
  }
}

function parseYaml(text: string, content: string, offset: number, pos: Positioner, problems: Problem[],
  base: Omit<FrontMatter, 'yaml' | 'fields' | 'data'>, forIndex: boolean): FrontMatter {
  // `yaml` breaks lines at `\n` (and `\r\n`) only; a lone `\r` becomes `\n`, which keeps every offset.
  const source = content.includes('\r') ? content.replace(/\r(?!\n)/g, '\n') : content;
  // `uniqueKeys` is checked below with a set: yaml's own check compares every key with every other one,
  // which takes seconds on a note with tens of thousands of keys.
  const options = { prettyErrors: false, uniqueKeys: false, strict: true, keepSourceTokens: false } as const;
  const clamp = (o: number) => Math.max(0, Math.min(o, content.length)) + offset;
  // The common shape's syntax tree is built without yaml's Lexer and Parser (see yamlFast.ts).
  const cst = simpleCst(source);
  if (cst && forIndex) {
    const read = fieldsOfTree(cst, (s, e) => pos.span(clamp(s), clamp(e)), pos, offset + content.length);
    if (read) return { ...base, yaml: undefined, ...read };
  }
  const doc = cst ? composeCst(cst, source, options) : parseDocument(source, options);
  // One broken line makes `yaml` report a cascade of errors there; the first says what is wrong.
  const syntaxLines = new Set<number>();
  for (const [list, warning] of [[[...doc.errors, ...duplicateKeys(doc)], false], [doc.warnings, true]] as const) {
    for (const e of list) {
      let start = clamp(e.pos[0]);
      let end = clamp(e.pos[1]);
      const lineEnd = (from: number) => {
        let i = from;
        while (i < offset + content.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
        return i;
      };
      if (e.code === 'DUPLICATE_KEY') {
        // The whole repeated key, up to its colon.
        const colon = text.indexOf(':', start);
        end = colon > start && colon < lineEnd(start) ? colon : lineEnd(start);
      } else if (e.code === 'MISSING_CHAR' && /directives-end/.test(e.message)) {
        // A `%YAML` or `%TAG` line: yaml points at the line after it, but the directive is what to remove.
        const d = /^%/m.exec(content);
        if (d) {
          start = offset + d.index;
          end = lineEnd(start);
        }
      } else if (e.code === 'MISSING_CHAR' && /quote/i.test(e.message)) {
        // yaml points past the end of the file; the author needs the quote that was opened.
        const q = Math.max(content.lastIndexOf('"', e.pos[0] - 1), content.lastIndexOf("'", e.pos[0] - 1));
        if (q >= 0) {
          start = offset + q;
          end = lineEnd(start);
        }
      }
      if (end <= start) {
        // Point errors (a missing character) get the rest of their line, or the character before.
        end = lineEnd(start);
        if (end === start && start > offset) start--;
      }
      const code = yamlCode(e.code, warning);
      if (code === 'yaml-syntax') {
        const line = pos.positionAt(start).line;
        if (syntaxLines.has(line)) continue;
        syntaxLines.add(line);
      }
      problems.push(problem(pos, code, yamlMessage(e.code, e.message), start, end, { yamlCode: e.code }));
    }
  }
  const span = (n: Node): Span => {
    const r = n.range ?? [0, 0, 0];
    return pos.span(clamp(r[0]), clamp(r[1]));
  };
  const fields: Field[] = [];
  const data: Record<string, unknown> = {};
  const budget: Budget = { nodes: MAX_PLAIN_NODES, exhausted: false };
  const root = doc.contents;
  if (root !== null && !isMap(root)) {
    problems.push(problem(pos, 'frontmatter-not-mapping',
      t('Front matter must be a mapping of keys to values (key: value).'), span(root).start, span(root).end));
  } else if (root) {
    for (const pair of root.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const valueNode = pair.value as Node | null;
      const value = valueNode ? toPlain(valueNode, doc, budget, 0) : null;
      setOwn(data, key, value);
      const field: Field = {
        key,
        keyLoc: span(pair.key),
        valueLoc: valueNode && valueNode.range ? span(valueNode) : undefined,
        kind: kindOf(valueNode, doc),
        value,
        ...(quoteOf(valueNode) ? { quote: quoteOf(valueNode) } : {}),
        ...(isSeq(valueNode)
          ? {
              items: valueNode.items.map((item) => listItem(item as Node, doc, budget, span, pos, offset, content.length)),
              listStyle: valueNode.flow ? 'flow' as const : 'block' as const,
            }
          : {}),
      };
      fields.push(field);
    }
  }
  for (const alias of budget.unresolved ?? []) {
    const loc = span(alias);
    problems.push(problem(pos, 'yaml-syntax', t('Unknown alias "*{0}": no anchor &{0} comes before it.', alias.source), loc.start, loc.end));
  }
  if (budget.exhausted) {
    problems.push(problem(pos, 'yaml-alias-limit',
      t('Front matter expands to too many values (YAML aliases): only part of it is read.'),
      base.contentLoc.start, Math.min(base.contentLoc.end, base.contentLoc.start + 3)));
  }
  return { ...base, yaml: doc, fields, data };
}

/** A DUPLICATE_KEY error, as yaml would report it, for every scalar key repeated in the same mapping. */
function duplicateKeys(doc: Document.Parsed): Array<{ code: string; message: string; pos: [number, number] }> {
  const out: Array<{ code: string; message: string; pos: [number, number] }> = [];
  // The nodes in the order `visit` goes through them (pair keys before values, aliases not followed),
  // without its per-node bookkeeping.
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (seen.has(key)) {
          const r = pair.key.range ?? [0, 0];
          out.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [r[0], r[1]] });
        } else seen.add(key);
      }
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  return out;
}

function listItem(node: Node, doc: Document.Parsed, budget: Budget, span: (n: Node) => Span, pos: Positioner,
  offset: number, contentLength: number): ListItem {
  const loc = span(node);
  let valueLoc = loc;
  if (isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) && loc.end - loc.start >= 2) {
    valueLoc = pos.span(loc.start + 1, Math.min(loc.end - 1, offset + contentLength));
  }
  const quote = quoteOf(node);
  return { value: toPlain(node, doc, budget, 0), kind: kindOf(node, doc), loc, valueLoc, ...(quote ? { quote } : {}) };
}

function quoteOf(node: unknown): '"' | "'" | undefined {
  if (!isScalar(node)) return undefined;
  return node.type === Scalar.QUOTE_DOUBLE ? '"' : node.type === Scalar.QUOTE_SINGLE ? "'" : undefined;
}

/**
 * The fields and data of front matter of the common shape, read from the syntax tree `simpleCst` built,
 * exactly as `parseYaml` reads them from the Document the Composer would make of it (a test holds the
 * two equal on random front matter and every fixture). Undefined when the Document would carry a
 * problem (a key given twice, a value the core schema cannot resolve) or need the node budget: those
 * go through the Composer.
 */
function fieldsOfTree(cst: CST.Document, span: (start: number, end: number) => Span, pos: Positioner, contentEnd: number):
  Pick<FrontMatter, 'fields' | 'data'> | undefined {
  const map = cst.value;
  if (map?.type !== 'block-map') return undefined;
  const fields: Field[] = [];
  const data: Record<string, unknown> = {};
  const keys = new Set<string>();
  // toPlain's budget: a node per value, and per list one for the list and two for each item.
  let nodes = 0;
  const scalarLoc = (token: CST.FlowScalar) => span(token.offset, token.offset + token.source.length);
  const item = (token: CST.FlowScalar): ListItem | undefined => {
    const s = simpleScalar(token);
    if (!s) return undefined;
    const loc = scalarLoc(token);
    // As `listItem`: a quoted string's text lies between its quotes.
    const valueLoc = s.quote && loc.end - loc.start >= 2 ? pos.span(loc.start + 1, Math.min(loc.end - 1, contentEnd)) : loc;
    return { value: s.value, kind: kindOfValue(s.value), loc, valueLoc, ...(s.quote ? { quote: s.quote } : {}) };
  };
  for (const pair of map.items) {
    if (pair.key?.type !== 'scalar') return undefined;
    const k = simpleScalar(pair.key);
    if (!k) return undefined;
    const key = String(k.value);
    if (keys.has(key)) return undefined;
    keys.add(key);
    const keyLoc = scalarLoc(pair.key);
    const v = pair.value;
    let field: Field;
    if (v === undefined) {
      // `key:` and nothing: the Composer makes an empty scalar just after the colon.
      const colon = pair.sep?.find((t) => t.type === 'map-value-ind');
      if (!colon) return undefined;
      field = { key, keyLoc, valueLoc: span(colon.offset + 1, colon.offset + 1), kind: 'null', value: null };
      nodes += 1;
    } else if (v.type === 'block-seq' || v.type === 'flow-collection') {
      const tokens = v.items.map((i) => i.value);
      const items: ListItem[] = [];
      for (const token of tokens) {
        const it = token && (token.type === 'scalar' || token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar') ? item(token) : undefined;
        if (!it) return undefined;
        items.push(it);
      }
      // A block list ends after its last item's line break, a flow list after its bracket.
      const last = v.type === 'block-seq' ? tokens[tokens.length - 1] : undefined;
      const lastEnd = last && 'end' in last ? last.end?.[0] : undefined;
      const end = v.type === 'block-seq' ? (lastEnd ? lastEnd.offset + lastEnd.source.length : undefined) : v.end[0] ? v.end[0].offset + 1 : undefined;
      if (end === undefined) return undefined;
      field = { key, keyLoc, valueLoc: span(v.offset, end), kind: 'list', value: items.map((i) => i.value), items, listStyle: v.type === 'block-seq' ? 'block' : 'flow' };
      nodes += 1 + 2 * items.length;
    } else if (v.type === 'scalar' || v.type === 'single-quoted-scalar' || v.type === 'double-quoted-scalar') {
      const s = simpleScalar(v);
      if (!s) return undefined;
      field = { key, keyLoc, valueLoc: scalarLoc(v), kind: kindOfValue(s.value), value: s.value, ...(s.quote ? { quote: s.quote } : {}) };
      nodes += 1;
    } else {
      return undefined;
    }
    if (nodes > MAX_PLAIN_NODES) return undefined;
    setOwn(data, key, field.value);
    fields.push(field);
  }
  return { fields, data };
}

function kindOfValue(value: string | number | boolean | null): ValueKind {
  return value === null ? 'null' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean';
}

/**
 * `Alias.resolve` searches the whole document for its anchor on every call; an alias bomb calls it for
 * each of the budget's nodes. Each alias is resolved once per parse instead.
 */
const resolved = new WeakMap<Alias, Node | undefined>();
function resolveAlias(alias: Alias, doc: Document.Parsed): Node | undefined {
  if (!resolved.has(alias)) resolved.set(alias, alias.resolve(doc) as Node | undefined);
  return resolved.get(alias);
}

interface Budget {
  nodes: number;
  exhausted: boolean;
  /** Aliases whose anchor does not exist (yaml itself only notices when converting to JavaScript). */
  unresolved?: Set<Alias>;
}

function kindOf(node: Node | null, doc: Document.Parsed): ValueKind {
  if (isAlias(node)) {
    const target = resolveAlias(node, doc);
    return target && !isAlias(target) ? kindOf(target, doc) : 'other';
  }
  if (node === null || (isScalar(node) && node.value === null)) return 'null';
  if (isSeq(node)) return 'list';
  if (isMap(node)) return 'map';
  if (isScalar(node)) {
    switch (typeof node.value) {
      case 'string':
        return 'string';
      case 'number':
      case 'bigint':
        return 'number';
      case 'boolean':
        return 'boolean';
    }
  }
  return 'other';
}

/** Defines an own property even for keys like `__proto__`, which plain assignment would not. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // Only `__proto__` assigns differently (it sets the prototype); every other key becomes the same own,
  // enumerable, writable and configurable property, and assignment is much cheaper.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Plain data for a node. Aliases are followed within a budget of nodes (an alias bomb stops here, not
 * in the allocator) and a depth limit (a self-referencing alias stops too).
 */
function toPlain(node: unknown, doc: Document.Parsed, budget: Budget, depth: number): unknown {
  if (budget.nodes-- <= 0 || depth > DEFAULT_MAX_NESTING_DEPTH * 2) {
    budget.exhausted = true;
    return null;
  }
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'bigint' ? Number(v) : v;
  }
  if (isAlias(node)) {
    const target = resolveAlias(node, doc);
    if (!target) (budget.unresolved ??= new Set()).add(node);
    return toPlain(target, doc, budget, depth + 1);
  }
  if (isSeq(node)) return node.items.map((i) => toPlain(i, doc, budget, depth + 1));
  if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(toPlain(pair.key, doc, budget, depth + 1));
      setOwn(obj, key, toPlain(pair.value, doc, budget, depth + 1));
    }
    return obj;
  }
  return null;
}
