// Fails the build when code that can evaluate a string as JavaScript is bundled into the language server
// or the CLI, or when gray-matter (whose `---js` engine calls `eval`) is bundled at all.
//
// The entry points are bundled again in memory with the options of scripts/bundle.mjs (unminified, so
// that esbuild's `// path` comments say which module each line comes from) and with a metafile, which
// lists every module that contributes bytes to the output. Then:
//   1. no bundled module may come from gray-matter, or from the engines it would load (js-yaml's
//      JavaScript types, coffee-script, toml),
//   2. every `eval(`, `new Function` and bare `Function(` in the bundle text must be in a module of the
//      ALLOWED list below, which says why each one cannot run text from a note,
//   3. the files in dist/ (what ships) must hold no more such call sites than the in-memory bundle, so a
//      stale or differently built dist/ cannot hide one.
//
// Usage: node scripts/check-no-eval.mjs [--entry file ...]   (default: server/src/main.ts server/src/cli.ts)
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

/** Packages that must never be bundled: each can turn note text into running code. */
const FORBIDDEN_PACKAGES = ['gray-matter', 'js-yaml', 'coffee-script', 'coffeescript', 'toml', 'esprima'];

/**
 * Call sites that exist in dependencies and are unreachable from note text. Each entry names the module
 * (a path inside node_modules), the pattern found there and how many times, and why it is safe. A new
 * call site, or one more of an allowed kind, fails the check until someone reads it and adds it here.
 */
const ALLOWED = [
  {
    module: 'node_modules/ajv/dist/compile/index.js',
    pattern: 'new Function',
    count: 1,
    why:
      'ajv compiles a JSON Schema into a validation function. The schema comes from the user ' +
      '(.notesense/schema.* or the notesense.schema setting), never from a note: front matter reaches the ' +
      'compiled function only as the data argument, and parsing a note never calls ajv at all. In ' +
      'Restricted Mode the folder\'s schema file is not loaded and notesense.schema is a restricted ' +
      'configuration (package.json), so an untrusted folder cannot hand ajv a schema either.',
  },
];

const args = process.argv.slice(2);
const entries = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--entry' && args[i + 1]) entries.push(args[++i]);
  else {
    console.error(`check-no-eval: unknown argument ${args[i]}`);
    process.exit(2);
  }
}
const targets = entries.length > 0
  ? entries.map((e) => ({ entry: e, dist: undefined }))
  : [
      { entry: 'server/src/main.ts', dist: 'dist/server.js' },
      { entry: 'server/src/cli.ts', dist: 'dist/cli.js' },
    ];

// `eval(` and `new Function` anywhere; `Function(` only when it is not part of a longer name
// (`isFunction(`) or a property (`x.Function(`).
const PATTERNS = [
  { name: 'eval(', re: /(?<![\w$.])eval\s*\(/g },
  { name: 'new Function', re: /\bnew\s+Function\b/g },
  { name: 'Function(', re: /(?<![\w$.]|new\s)Function\s*\(/g },
];

function callSites(text) {
  const hits = [];
  for (const { name, re } of PATTERNS) {
    for (const m of text.matchAll(re)) hits.push({ name, index: m.index });
  }
  return hits;
}

/** The module each offset of an unminified esbuild bundle comes from, from its `// path` comments. */
function moduleAt(text, modules) {
  const starts = [];
  const re = /^\s*\/\/ (\S+)$/gm;
  for (const m of text.matchAll(re)) if (modules.has(m[1])) starts.push({ at: m.index, module: m[1] });
  return (offset) => {
    let found = '(entry)';
    for (const s of starts) {
      if (s.at > offset) break;
      found = s.module;
    }
    return found;
  };
}

const failures = [];
for (const { entry, dist } of targets) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    metafile: true,
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
    outfile: 'check-no-eval.out.js',
  });
  const output = Object.values(result.metafile.outputs)[0];
  const modules = new Set(Object.keys(output.inputs).filter((m) => output.inputs[m].bytesInOutput > 0));
  const forbidden = new Map();
  for (const m of modules) {
    const pkg = FORBIDDEN_PACKAGES.find((p) => m.includes(`node_modules/${p}/`));
    if (pkg) forbidden.set(pkg, [...(forbidden.get(pkg) ?? []), m]);
  }
  for (const [pkg, ms] of forbidden) {
    failures.push(`${entry}: bundles ${pkg}, which can evaluate note text (${ms.length} module(s), e.g. ${ms[ms.length - 1]})`);
  }
  const text = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
  const where = moduleAt(text, modules);
  const counts = new Map();
  const hits = callSites(text);
  for (const hit of hits) {
    const module = where(hit.index);
    const key = `${module}\u0000${hit.name}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of counts) {
    const [module, name] = key.split('\u0000');
    const allowed = ALLOWED.find((a) => a.module === module && a.pattern === name);
    if (!allowed) failures.push(`${entry}: ${n} × ${name} in ${module}, which is not in the allow-list of scripts/check-no-eval.mjs`);
    else if (n > allowed.count) failures.push(`${entry}: ${n} × ${name} in ${module}, but only ${allowed.count} are allowed`);
  }
  if (dist) {
    if (!existsSync(dist)) failures.push(`${dist} does not exist: run node scripts/bundle.mjs first`);
    else {
      const shipped = callSites(readFileSync(dist, 'utf8')).length;
      if (shipped > hits.length) failures.push(`${dist}: ${shipped} eval/Function call sites, but a fresh bundle of ${entry} has ${hits.length}`);
    }
  }
  console.log(`check-no-eval: ${entry}: ${modules.size} modules, ${hits.length} eval/Function call site(s)`);
}

if (failures.length > 0) {
  console.error('check-no-eval: FAILED');
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}
console.log('check-no-eval: no way from a note to eval, new Function or gray-matter');
