/**
 * `# notesense-disable-next-line [code …]` in the front matter: the problems that start on the next line
 * are dropped (all of them, or those of the listed codes). And where a Chinese-keyboard trap explains a
 * YAML syntax error on the same line, only the precise diagnostic is kept.
 */
import { lines } from '../parse/text';
import type { NoteModel, Problem } from '../parse/types';

const DIRECTIVE = /^\s*#\s*notesense-disable-next-line\b(.*)$/;

/** The directives of a note: line number of the line they suppress → codes (empty: every code). */
export function disabledLines(text: string, note: NoteModel): Map<number, readonly string[]> {
  const out = new Map<number, readonly string[]>();
  const fm = note.frontMatter;
  if (!fm) return out;
  let line = fm.contentLoc.range.start.line;
  for (const l of lines(text, fm.contentLoc.start)) {
    if (l.start >= fm.contentLoc.end) break;
    const m = DIRECTIVE.exec(text.slice(l.start, l.end));
    if (m) out.set(line + 1, m[1]!.split(/[\s,]+/).filter((c) => c !== ''));
    line++;
  }
  return out;
}

export function filterProblems(text: string, note: NoteModel, problems: readonly Problem[]): Problem[] {
  const disabled = disabledLines(text, note);
  const trapLines = new Set(problems.filter((p) => p.code.startsWith('yaml-fullwidth-')).map((p) => p.range.start.line));
  return problems.filter((p) => {
    if (p.code === 'yaml-syntax' && trapLines.has(p.range.start.line)) return false;
    const codes = disabled.get(p.range.start.line);
    return !codes || (codes.length > 0 && !codes.includes(p.code));
  });
}
