/**
 * Reading notes from disk, for the language server's scan and the CLI. Everything that touches the file
 * system lives here, outside the pure core.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.obsidian', '.trash']);

export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'too-large' | 'binary' | 'unreadable'; readonly detail: string };

/**
 * Reads a note as UTF-8 text the way an editor shows it: the BOM removed. Files over `maxBytes`, and
 * files that hold NUL bytes (images, UTF-16 text), are skipped with a reason rather than read.
 */
export async function readNote(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<ReadResult> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(file, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, reason: 'unreadable', detail: 'not a regular file' };
    if (stat.size > maxBytes) return { ok: false, reason: 'too-large', detail: `${stat.size} bytes` };
    const bytes = await handle.readFile();
    return decodeNote(bytes);
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? String(e) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export function decodeNote(bytes: Uint8Array): ReadResult {
  if (bytes.includes(0)) return { ok: false, reason: 'binary', detail: 'contains NUL bytes' };
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

export interface ListOptions {
  /** Returns true for paths (relative to the root, `/`-separated) that must not be read. */
  readonly exclude?: (relativePath: string, isDirectory: boolean) => boolean;
}

/**
 * Every `.md` file below `root`, depth first, in a stable order. Symbolic links are not followed, so a
 * link loop or a link out of the folder can neither hang the scan nor read a file twice.
 */
export async function listNotes(root: string, options: ListOptions = {}): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name) || options.exclude?.(childRel, true)) continue;
        await walk(path.join(dir, entry.name), childRel);
      } else if (entry.isFile() && /\.md$/i.test(entry.name) && !options.exclude?.(childRel, false)) {
        out.push(path.join(dir, entry.name));
      }
    }
  };
  await walk(root, '');
  return out;
}
