export { parseNote, type ParseOptions } from './note';
export { Positioner, lines } from './text';
export type * from './types';
