import type { Range } from 'vscode-languageserver-types';
import type { Document } from 'yaml';
import type { Severity } from '../codes';

/** A piece of the note: UTF-16 offsets into the note text and the same place as an LSP range. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly range: Range;
}

export interface Problem {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  /** Whatever a quick fix needs (suggested value, the node's text, …). */
  readonly data?: unknown;
  readonly relatedInformation?: ReadonlyArray<{ uri: string; range: Range; message: string }>;
}

export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'list' | 'map' | 'other';

export interface ListItem {
  /** The plain value (a string for string items). */
  readonly value: unknown;
  readonly kind: ValueKind;
  /** The item's node, quotes included. */
  readonly loc: Span;
  /** The text between the quotes for a quoted string, else the same as `loc`. */
  readonly valueLoc: Span;
  /** The quote around a quoted string (absent for any other item). */
  readonly quote?: '"' | "'";
}

export interface Field {
  readonly key: string;
  readonly keyLoc: Span;
  /** The value node; undefined for `key:` with nothing after it. */
  readonly valueLoc: Span | undefined;
  readonly kind: ValueKind;
  readonly value: unknown;
  /** For lists: one entry per item. */
  readonly items?: readonly ListItem[];
  /** For lists: `[a, b]` is flow, `- a` lines are block. */
  readonly listStyle?: 'flow' | 'block';
  /** The quote around a quoted string value (absent for any other value). */
  readonly quote?: '"' | "'";
}

export interface FrontMatter {
  /** From the opening `---` to the end of the closing `---` line (or the end of the note when unclosed). */
  readonly loc: Span;
  /** The opening delimiter line, without its line break. */
  readonly openLoc: Span;
  /** The closing delimiter line, without its line break; undefined when the block is never closed. */
  readonly closeLoc: Span | undefined;
  /** The text between the delimiter lines. */
  readonly contentLoc: Span;
  readonly closed: boolean;
  /** The language named after the opening `---` (`js`, `coffee`, …) when it is not YAML. Never evaluated. */
  readonly language: string | undefined;
  /**
   * The parsed YAML document (ranges are offsets into the content: add `contentLoc.start`). Undefined when
   * not parsed, and for a parse made only to be summarised (`forIndex`) when the fields were read
   * straight from the syntax tree of the common shape.
   */
  readonly yaml: Document.Parsed | undefined;
  readonly fields: readonly Field[];
  /** Plain data of the top-level mapping, safe to hand to a schema validator (own properties only). */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface EntityRef {
  /** The front-matter key that lists it (`people`, `guest`, …). */
  readonly key: string;
  readonly value: string;
  /** The value's text, inside any quotes. */
  readonly loc: Span;
  /** Index of the item in its list, or -1 for a scalar key. */
  readonly index: number;
}

export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly loc: Span;
  readonly textLoc: Span;
}

export interface Bold {
  readonly text: string;
  /** From the first `*` of the opener to the last `*` of the closer. */
  readonly loc: Span;
  readonly textLoc: Span;
}

export type DefinitionVariant =
  /** `**数据墙**（Data wall: 定义）` */
  | 'bold-paren'
  /** `“**解缚**”（Unhobbling: 定义）` */
  | 'quoted-paren'
  /** `**拉夫连季·贝利亚（Lavrentiy Beria）**` */
  | 'inner-paren';

export interface Definition {
  readonly term: string;
  readonly english: string | undefined;
  /** The explanation after the colon ('' when the parenthesis only gives the English name). */
  readonly definition: string;
  readonly variant: DefinitionVariant;
  /** The whole definition: bold, quotes and parenthesis. */
  readonly loc: Span;
  readonly termLoc: Span;
  readonly englishLoc: Span | undefined;
  readonly definitionLoc: Span | undefined;
}

export interface NoteBody {
  /** Offset where the body starts (after the front matter's closing line). */
  readonly start: number;
  readonly headings: readonly Heading[];
  readonly bolds: readonly Bold[];
  readonly definitions: readonly Definition[];
  /** Fenced code blocks and inline code spans, which no feature looks into. */
  readonly code: readonly Span[];
}

export interface NoteModel {
  readonly length: number;
  readonly lineCount: number;
  readonly hasBom: boolean;
  /** The line break used by most lines ('\n' when the note has none). */
  readonly eol: '\n' | '\r\n' | '\r';
  readonly frontMatter: FrontMatter | undefined;
  readonly entities: readonly EntityRef[];
  readonly body: NoteBody;
}

export interface ParseResult {
  readonly note: NoteModel;
  readonly problems: readonly Problem[];
}
