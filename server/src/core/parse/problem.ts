import { codeInfo } from '../codes';
import type { Positioner } from './text';
import type { Problem } from './types';

/** A problem with the code's default severity, between two offsets of the note. */
export function problem(pos: Positioner, code: string, message: string, start: number, end: number, data?: unknown): Problem {
  const info = codeInfo(code);
  return { code, severity: info?.severity ?? 'error', message, range: pos.range(start, end), ...(data === undefined ? {} : { data }) };
}
