/**
 * Safe Markdown for hovers, completion documentation and exports, shared by every feature. Everything that comes from a note is escaped so that it renders
 * as the literal text: every ASCII punctuation character gets a backslash (CommonMark allows escaping any
 * of them), which disarms emphasis, links (`](`), images (`![`), raw HTML (`<`), entities (`&`), code
 * and the autolinks some renderers add for bare `www.` or `https:` text. Control characters and the
 * bidirectional overrides that could disguise text are dropped, and line breaks become spaces, so a
 * value can never start a new block (a heading, a list, a table row).
 */

const PUNCTUATION = /[!-/:-@[-`{-~]/g;
// C0 and C1 controls (except tab, which becomes a space), bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function escapeMarkdown(text: string): string {
  return text.replace(INVISIBLE, '').replace(/[\t\r\n]+/g, ' ').replace(PUNCTUATION, '\\$&');
}

const INLINE = /[\\`*_{}[\]()<>#!|~&$]/g;

/**
 * Lighter escaping for an exported file (a table cell): the characters that make emphasis, code, links,
 * images, HTML, entities or end a table cell, but not `.`, `-` or `:`, which cannot start a block inside
 * a cell and would make the published text hard to read.
 */
export function escapeInline(text: string): string {
  return text.replace(INVISIBLE, '').replace(/[\t\r\n]+/g, ' ').replace(INLINE, '\\$&');
}

const SAFE_URI = /[^A-Za-z0-9\-._~:/?#@!$&+,;=%]/gu;

/**
 * A link to a note, or just its escaped label when the uri is not a `file:` (or `untitled:`) uri: a
 * hover must never link to a `command:` or a web page, whatever a uri handed to the server holds. The
 * target is percent-encoded so that no `)`, `<`, space or quote can end it early.
 */
export function noteLink(label: string, uri: string, line?: number): string {
  if (!/^(file|untitled):/i.test(uri)) return escapeMarkdown(label);
  const base = uri.replace(/#.*$/s, '');
  const target = base.replace(SAFE_URI, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD';
    }
  });
  const fragment = line === undefined ? '' : `#L${line + 1}`;
  return `[${escapeMarkdown(label)}](${target}${fragment})`;
}
