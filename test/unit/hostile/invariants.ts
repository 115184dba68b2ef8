/**
 * What must hold for any parse of any text, shared by the hostile-input and property-based tests: every
 * span of the model and every problem lies inside the document, starts before it ends, and its offsets
 * and LSP range name the same place.
 */
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import type { ParseResult } from '../../../server/src/core/parse/types';

interface SpanLike {
  start: number;
  end: number;
  range: Range;
}

const isSpan = (v: unknown): v is SpanLike =>
  typeof v === 'object' && v !== null && typeof (v as SpanLike).start === 'number' && typeof (v as SpanLike).end === 'number' &&
  typeof (v as SpanLike).range === 'object';

/** Every span in the model (the yaml Document, which has its own offsets, left out), with its path. */
export function spansOf(value: unknown, at = 'note', out: Array<[string, SpanLike]> = []): Array<[string, SpanLike]> {
  if (typeof value !== 'object' || value === null) return out;
  if (isSpan(value)) out.push([at, value]);
  for (const [k, v] of Object.entries(value)) {
    if (k === 'yaml' || k === 'range') continue;
    spansOf(v, `${at}.${k}`, out);
  }
  return out;
}

/** The canonical form of a position: the one `positionAt(offsetAt(p))` gives back. */
function canonical(doc: TextDocument, p: Position): Position {
  return doc.positionAt(doc.offsetAt(p));
}

/** Asserts every invariant; `label` names the input in failure messages. */
export function assertWellFormed(text: string, result: ParseResult, label = ''): void {
  const doc = TextDocument.create('test:', 'markdown', 0, text);
  const where = (s: string) => `${s} ${label}`.trim();
  assert.equal(result.note.length, text.length, where('length'));
  assert.equal(result.note.lineCount, doc.lineCount, where('lineCount'));
  for (const [at, span] of spansOf(result.note)) {
    assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, where(`${at} [${span.start}, ${span.end}) of ${text.length}`));
    assert.deepEqual(span.range.start, doc.positionAt(span.start), where(`${at}.range.start`));
    assert.deepEqual(span.range.end, doc.positionAt(span.end), where(`${at}.range.end`));
  }
  for (const p of result.problems) {
    const { start, end } = p.range;
    assert.deepEqual(canonical(doc, start), start, where(`problem ${p.code} start ${JSON.stringify(start)}`));
    assert.deepEqual(canonical(doc, end), end, where(`problem ${p.code} end ${JSON.stringify(end)}`));
    assert.ok(doc.offsetAt(start) <= doc.offsetAt(end), where(`problem ${p.code} starts after it ends`));
    assert.equal(typeof p.message, 'string');
    assert.ok(p.message.length > 0, where(`problem ${p.code} has no message`));
  }
}

/**
 * The model as plain data, without the yaml Document: what "deterministic" compares. Walked by hand:
 * JSON.stringify would call the Document's own toJSON first, which throws on an alias without anchor.
 */
export function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === 'bigint') return String(value);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'yaml') continue;
    Object.defineProperty(out, k, { value: comparable(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
