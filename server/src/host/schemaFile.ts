/**
 * Loading user front-matter schemas from the workspace: `.notesense/schema.yaml` (or `.yml`, `.json`) in
 * each workspace folder, or the file named by the `notesense.schema` setting (absolute, or relative to
 * each folder). The file is parsed here (JSON or YAML, with the `yaml` package: never evaluated) and
 * compiled by the core. A file that cannot be used is reported and the folder falls back to inference.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { t } from '../core/l10n';
import { compileUserSchema, type UserSchema } from '../core/schema/userSchema';

export const SCHEMA_FILE_NAMES = ['.notesense/schema.yaml', '.notesense/schema.yml', '.notesense/schema.json'];
/** A glob for file watchers that covers every default schema file. */
export const SCHEMA_WATCH_GLOB = '**/.notesense/schema.{yaml,yml,json}';
const MAX_SCHEMA_BYTES = 1024 * 1024;

export interface LoadedSchemaFile {
  readonly file: string;
  readonly schema: UserSchema | undefined;
  /** Why the file (or part of it) cannot be used, ready for the user. */
  readonly errors: readonly string[];
}

/** Parses and compiles one schema file. Never throws. */
export async function loadSchemaFile(file: string, folderUri: string): Promise<LoadedSchemaFile> {
  let text: string;
  try {
    const stat = await fsp.stat(file);
    if (stat.size > MAX_SCHEMA_BYTES) return { file, schema: undefined, errors: [t('{0}: the schema file is larger than 1 MB.', file)] };
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    return { file, schema: undefined, errors: [t('{0}: the schema file could not be read ({1}).', file, (e as NodeJS.ErrnoException).code ?? String(e))] };
  }
  // An empty file is a schema being written (the infer command creates the file, then fills it).
  if (text.trim() === '') return { file, schema: undefined, errors: [] };
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text.replace(/^\uFEFF/, '')) : parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (e) {
    return { file, schema: undefined, errors: [t('{0}: the schema file is not valid {1}: {2}', file, /\.json$/i.test(file) ? 'JSON' : 'YAML', (e as Error).message.split('\n')[0]!)] };
  }
  const compiled = compileUserSchema(raw, folderUri, pathToFileURL(file).href);
  return { file, schema: compiled.schema, errors: compiled.errors.map((m) => `${file}: ${m}`) };
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The schema file of a folder: the setting's path when given, else the first default file that exists. */
export async function findSchemaFile(folder: string, setting = ''): Promise<string | undefined> {
  if (setting) {
    const file = path.isAbsolute(setting) ? setting : path.join(folder, setting);
    return (await exists(file)) ? file : undefined;
  }
  for (const name of SCHEMA_FILE_NAMES) {
    const file = path.join(folder, name);
    if (await exists(file)) return file;
  }
  return undefined;
}

/** Loads the schema of a folder given by path (for the CLI). */
export async function loadFolderSchema(folder: string, setting = ''): Promise<LoadedSchemaFile | undefined> {
  const root = path.resolve(folder);
  const file = await findSchemaFile(root, setting);
  if (!file) return setting ? { file: setting, schema: undefined, errors: [t('{0}: the schema file does not exist.', setting)] } : undefined;
  return loadSchemaFile(file, pathToFileURL(root).href);
}

/**
 * The schemas of the workspace folders, for the language server: reloaded at start, when the setting
 * changes and when a schema file changes on disk.
 */
export class SchemaStore {
  private folders: string[] = [];
  private schemas: readonly UserSchema[] = [];
  private files = new Set<string>();
  private generation = 0;
  private trusted = true;

  constructor(private readonly report: (message: string) => void) {}

  /**
   * In an untrusted folder (VS Code's Restricted Mode, told by the client as `initializationOptions.trusted:
   * false`) no schema file is loaded: ajv compiles a schema into code, and a hostile `pattern` could hang
   * the server. Notes are then checked by inference, which runs nothing from the folder.
   */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
  }

  setFolders(uris: readonly string[]): void {
    this.folders = uris.filter((u) => u.startsWith('file:')).map((u) => u.replace(/\/+$/, ''));
  }

  folderUris(): readonly string[] {
    return this.folders;
  }

  current(): readonly UserSchema[] {
    return this.schemas;
  }

  /** True when one of the changed files is (or may become) a schema file. */
  affectedBy(changes: ReadonlyArray<{ uri: string }>): boolean {
    return changes.some((c) => /\/\.notesense\/schema\.(ya?ml|json)$/i.test(c.uri) || this.files.has(c.uri));
  }

  async load(setting: string): Promise<void> {
    const generation = ++this.generation;
    const loaded: UserSchema[] = [];
    const files = new Set<string>();
    for (const folderUri of this.trusted ? this.folders : []) {
      let folder: string;
      try {
        folder = fileURLToPath(folderUri);
      } catch {
        continue;
      }
      const result = await loadFolderSchema(folder, setting);
      if (!result) continue;
      files.add(pathToFileURL(path.resolve(folder, result.file)).href);
      for (const e of result.errors) this.report(e);
      if (result.schema) loaded.push({ ...result.schema, folderUri });
    }
    // A newer load started while this one read files: its result wins.
    if (generation !== this.generation) return;
    this.schemas = loaded;
    this.files = files;
  }
}
