import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The core must stay pure: no VS Code API, no LSP connection, no file system, no network or processes.
// It may use the protocol's plain types and the TextDocument implementation.
const coreRestrictions = {
  paths: [
    { name: 'vscode', message: 'server/src/core is pure: no VS Code API.' },
    { name: 'vscode-languageserver', message: 'server/src/core is pure: use vscode-languageserver-types, not the connection.' },
    { name: 'vscode-languageserver/node', message: 'server/src/core is pure: no LSP connection.' },
    { name: 'vscode-languageclient', message: 'server/src/core is pure.' },
    { name: 'vscode-languageclient/node', message: 'server/src/core is pure.' },
    { name: 'gray-matter', message: 'gray-matter can eval front matter: the core splits notes itself.' },
    ...['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'worker_threads', 'vm'].flatMap((m) => [
      { name: m, message: 'server/src/core is pure: no Node I/O.' },
      { name: `node:${m}`, message: 'server/src/core is pure: no Node I/O.' },
    ]),
  ],
  patterns: [
    { group: ['**/host/*', '**/lsp/*', '../host', '../lsp', '../../host', '../../lsp'], message: 'server/src/core must not import the host or LSP layers.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.e2e-tools/**', '.e2e-out/**', '.bench/**', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    // Adapters of third-party libraries the core uses (loaded on first use): as pure as the core, and
    // the one `require` each makes is of its library.
    files: ['server/src/vendor/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', coreRestrictions],
      'no-restricted-globals': ['error', { name: 'process', message: 'server/src/vendor is pure.' }],
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.name='require'][arguments.0.value!='pinyin-pro']",
        message: 'server/src/vendor requires only the libraries it adapts.',
      }],
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', coreRestrictions],
      'no-restricted-globals': ['error', { name: 'process', message: 'server/src/core is pure: take settings as arguments.' }, { name: 'require', message: 'server/src/core is pure.' }],
    },
  },
);
