// Bundles the three entry points with esbuild: the extension's main (client), the language server and
// the CLI. `vscode` stays external (the extension host provides it); everything else is inlined so the
// .vsix needs no node_modules.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.env.NOTESENSE_MINIFY === '1',
  logLevel: 'warning',
  legalComments: 'none',
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
  // The initial scan's parser threads, started by server/src/lsp/summaryPool.ts beside dist/server.js.
  build({ ...common, entryPoints: ['server/src/lsp/summaryWorker.ts'], outfile: 'dist/summaryWorker.js' }),
]);
