import type { Range } from 'vscode-languageserver-types';
import { isScalar, isSeq, Scalar } from 'yaml';
import type { EntityRef, FrontMatter, NoteModel, ValueKind } from '../parse/types';

/** How an entity value is written, so a rename in a note that is not open can keep its style. */
export interface EntityStyle {
  /** The quote around the value, or '' for a plain scalar. */
  readonly quote: '' | '"' | "'";
  /** Whether it sits in a flow list (`[a, b]`). */
  readonly flow: boolean;
}

/**
 * What the workspace index keeps of a note: enough to answer completion, hover, references and rename
 * across the vault without the note's text. Built from the model; never holds the text itself.
 */
export interface NoteSummary {
  readonly uri: string;
  readonly title: string | undefined;
  readonly date: string | undefined;
  /** Each top-level front-matter key with its kind and, for scalars, its value (schema inference reads these). */
  readonly fields: ReadonlyArray<{ readonly key: string; readonly kind: ValueKind; readonly scalar?: string | number | boolean }>;
  readonly entities: ReadonlyArray<{ readonly key: string; readonly value: string; readonly range: Range; readonly style: EntityStyle }>;
  readonly definitions: ReadonlyArray<{
    readonly term: string;
    readonly english: string | undefined;
    readonly definition: string;
    readonly range: Range;
    readonly termRange: Range;
  }>;
  readonly bolds: ReadonlyArray<{ readonly text: string; readonly range: Range }>;
}

export function summarize(uri: string, note: NoteModel): NoteSummary {
  const data = note.frontMatter?.data ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  return {
    uri,
    title: str(data['title']),
    date: str(data['date']),
    fields: (note.frontMatter?.fields ?? []).map((f) => {
      const v = f.value;
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? { key: f.key, kind: f.kind, scalar: v } : { key: f.key, kind: f.kind };
    }),
    entities: note.entities.map((e) => ({ key: e.key, value: e.value, range: e.loc.range, style: styleOf(note.frontMatter, e) })),
    definitions: note.body.definitions.map((d) => ({
      term: d.term,
      english: d.english,
      definition: d.definition,
      range: d.loc.range,
      termRange: d.termLoc.range,
    })),
    bolds: note.body.bolds.map((b) => ({ text: b.text, range: b.textLoc.range })),
  };
}

/** The quoting and list style of an entity value, read from its YAML node. */
export function styleOf(fm: FrontMatter | undefined, e: EntityRef): EntityStyle {
  const field = fm?.fields.find((f) => f.key === e.key);
  const flow = field?.listStyle === 'flow';
  let node: unknown;
  try {
    const value = fm?.yaml?.get(e.key, true);
    node = e.index >= 0 ? (isSeq(value) ? value.items[e.index] : undefined) : value;
  } catch {
    node = undefined;
  }
  const type = isScalar(node) ? node.type : undefined;
  const quote = type === Scalar.QUOTE_DOUBLE ? '"' : type === Scalar.QUOTE_SINGLE ? "'" : '';
  return { quote, flow };
}
