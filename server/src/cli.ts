#!/usr/bin/env node
/**
 * `notesense`: the same core as the language server, from the command line (for CI and scripts).
 * Exit codes: 0 no errors, 1 errors found, 2 usage or internal failure.
 */
import { parseArgs } from 'node:util';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { listEntities } from './core/entities/list';
import { t } from './core/l10n';
import { applyLocale } from './host/l10n';
import { diagnosticsOfVault, fixVault, loadForCheck, vaultDiagnostics, writeJsonReport, writeSarifReport, writeTextReport, type CheckedVault } from './host/check';
import { renderInferredSchema } from './core/schema/render';
import { exportGlossary, glossaryFormat } from './core/glossary/export';
import { termOrder } from './core/glossary/termOrder';

const EXIT_OK = 0;
const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;
/** Reported in SARIF output; kept equal to package.json's version. */
const VERSION = '0.1.0';

const write = (s: string) => process.stdout.write(s);
const out = (s = '') => write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

function usage(): string {
  return [
    t('Usage: notesense <command> <folder> [options]'),
    '',
    t('Commands:'),
    '  check <folder>    ' + t('report front-matter and glossary problems (--format text|json|sarif, --fix)'),
    '  schema infer <folder>  ' + t('print the schema inferred from the notes (--out FILE writes it)'),
    '  report <folder>   ' + t('problems, entities and glossary of a vault, for people'),
    '  glossary <folder> ' + t('export the glossary: term, English, definition, source notes (--format md|json|csv, --out FILE)'),
    '  entities <folder> ' + t('every entity with its kind and number of notes (--format text|json)'),
    '',
    t('Options:'),
    '  --format <f>      text | json | sarif',
    '  --fix             ' + t('apply the safe fixes to the files, then report what is left'),
    '  --schema <file>   ' + t('the front-matter schema (default: .notesense/schema.yaml or .json in the folder)'),
    '  --out <file>      ' + t('where schema infer writes the schema'),
    '  --lang <locale>   en | zh-cn ' + t('(default: from the environment)'),
    '  -h, --help',
  ].join('\n');
}

async function check(folder: string, format: string, fix: boolean, schema: string): Promise<number> {
  let vault = await loadForCheck(folder, schema);
  for (const e of vault.schemaErrors) err(e);
  // A schema named on the command line that cannot be used is a usage error, not a reason to infer.
  if (schema && vault.schemas.length === 0) return EXIT_USAGE;
  if (fix) {
    const changed = await fixVault(vault);
    for (const f of changed) err(t('fixed: {0}', f));
    if (changed.length) vault = await loadForCheck(folder, schema);
  }
  // Text and JSON are written as the notes are checked; SARIF names the codes found before its results.
  const { errors } = format === 'sarif'
    ? writeSarifReport(diagnosticsOfVault(vault), VERSION, vault.root, write)
    : (format === 'json' ? writeJsonReport : writeTextReport)(vault.notes.length, vaultDiagnostics(vault), write);
  return errors > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

async function inferSchema(folder: string, outFile: string | undefined): Promise<number> {
  const vault = await loadForCheck(folder);
  const text = renderInferredSchema(vault.index, { source: folder });
  if (outFile) {
    writeFileSync(outFile, text, 'utf8');
    err(t('Schema written to {0}.', outFile));
  } else process.stdout.write(text);
  return EXIT_OK;
}

/** `notesense glossary <folder>`: the glossary export, sources as paths relative to the folder. */
async function glossary(folder: string, format: string, outFile: string | undefined): Promise<number> {
  const fmt = glossaryFormat(format === 'text' ? 'md' : format);
  if (!fmt) {
    err(t('Unknown glossary format "{0}": use md, json or csv.', format));
    return EXIT_USAGE;
  }
  const vault = await loadForCheck(folder);
  const text = exportGlossary(vault.index, fmt, relativeNames(vault));
  if (outFile) {
    writeFileSync(outFile, text);
    err(t('Glossary written to {0}.', outFile));
  } else process.stdout.write(text);
  return EXIT_OK;
}

/** Every note's path relative to the folder, by uri, for people to read. */
function relativeNames(vault: CheckedVault): (uri: string) => string {
  const names = new Map(vault.notes.map((n) => [n.uri, n.relative]));
  return (uri) => names.get(uri) ?? uri;
}

/** `notesense report <folder>`: what `check` finds, then the vault's entities and glossary. */
async function report(folder: string): Promise<number> {
  const vault = await loadForCheck(folder);
  const { index } = vault;
  const nameOf = relativeNames(vault);
  const diags = diagnosticsOfVault(vault);
  out(t('NoteSense report for {0}: {1} notes', folder, vault.notes.length));
  out('');
  out(`## ${t('Problems')} (${diags.length})`);
  writeTextReport(vault.notes.length, diags, write);
  out('');
  const byKey = new Map<string, Array<{ value: string; notes: number }>>();
  for (const e of index.entities()) {
    if (!byKey.has(e.key)) byKey.set(e.key, []);
    byKey.get(e.key)!.push({ value: e.value, notes: e.notes });
  }
  const entityCount = [...byKey.values()].reduce((a, l) => a + l.length, 0);
  out(`## ${t('Entities')} (${t('{0} values under {1} keys', entityCount, byKey.size)})`);
  // One collator for every comparison: `localeCompare` makes one per call.
  const order = new Intl.Collator();
  for (const [key, values] of [...byKey].sort((a, b) => order.compare(a[0], b[0]))) {
    values.sort((a, b) => b.notes - a.notes || order.compare(a.value, b.value));
    const shown = values.slice(0, 8).map((v) => `${v.value} ×${v.notes}`).join(', ');
    out(`  ${key} (${values.length}): ${shown}${values.length > 8 ? ', …' : ''}`);
  }
  out('');
  const terms = [...index.terms()].sort((a, b) => termOrder.compare(a.term, b.term));
  out(`## ${t('Glossary')} (${t('{0} terms', terms.length)})`);
  for (const { term } of terms) {
    const defs = index.definitionsOf(term);
    const d = defs[0]!;
    const text = d.definition.length > 40 ? d.definition.slice(0, 40) + '…' : d.definition;
    const english = d.english ? ` — ${d.english}` : '';
    const more = defs.length > 1 ? `  (${t('{0} definitions', defs.length)})` : '';
    out(`  ${term}${english}${text ? `: ${text}` : ''}  [${nameOf(d.uri)}]${more}`);
  }
  return diags.some((x) => x.severity === 'error') ? EXIT_PROBLEMS : EXIT_OK;
}

/** `notesense entities <folder>`: every entity with its kind and count, from the same index as the server. */
async function entities(folder: string, format: string): Promise<number> {
  const { index } = await loadForCheck(folder);
  const rows = listEntities(index);
  if (format === 'json') {
    out(JSON.stringify({ notes: index.size, entities: rows }, null, 2));
    return EXIT_OK;
  }
  for (const r of rows) {
    const dup = r.nearDuplicateOf !== undefined ? `  (${t('near duplicate of "{0}"', r.nearDuplicateOf)})` : '';
    out(`${r.kind}\t${r.value}\t${r.notes}${dup}`);
  }
  out(t('{0} entities in {1} notes.', rows.length, index.size));
  return EXIT_OK;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        fix: { type: 'boolean' },
        schema: { type: 'string' },
        out: { type: 'string' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err((e as Error).message);
    err(usage());
    return EXIT_USAGE;
  }
  applyLocale(parsed.values.lang ?? process.env['LC_ALL'] ?? process.env['LC_MESSAGES'] ?? process.env['LANG']);
  const [command, second, third] = parsed.positionals;
  // `schema infer <folder>` has a subcommand before its folder.
  const folder = command === 'schema' ? third : second;
  if (parsed.values.help || !command) {
    (parsed.values.help ? out : err)(usage());
    return parsed.values.help ? EXIT_OK : EXIT_USAGE;
  }
  const format = parsed.values.format ?? 'text';
  // `glossary` has formats of its own (md, json, csv), checked there.
  if (command !== 'glossary' && format !== 'text' && format !== 'json' && format !== 'sarif') {
    err(t('Unknown format "{0}": use text, json or sarif.', format));
    return EXIT_USAGE;
  }
  if (!folder || !existsSync(folder) || !statSync(folder).isDirectory()) {
    err(t('Not a folder: {0}', folder ?? ''));
    err(usage());
    return EXIT_USAGE;
  }
  switch (command) {
    case 'check':
      // On the command line a relative --schema is relative to the current directory, as shells complete it.
      return check(folder, format, parsed.values.fix === true, parsed.values.schema ? resolvePath(parsed.values.schema) : '');
    case 'schema':
      if (second === 'infer') return inferSchema(folder, parsed.values.out);
      err(t('Unknown command "{0}".', `schema ${second ?? ''}`));
      err(usage());
      return EXIT_USAGE;
    case 'report':
      return report(folder);
    case 'glossary':
      return glossary(folder, format, parsed.values.out);
    case 'entities':
      return entities(folder, format);
    default:
      err(t('Unknown command "{0}".', command));
      err(usage());
      return EXIT_USAGE;
  }
}

if (require.main === module) {
  // `notesense report … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      err(`notesense: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
