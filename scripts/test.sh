#!/usr/bin/env bash
# The whole test suite, as README's second command runs it (and .ci/run after `npm ci`):
# type-check, lint, bundle, unit and golden tests, LSP tests over JSON-RPC, end-to-end tests in a real VS Code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "== build (tsc -b + esbuild)"
npm run --silent build
echo "== no eval reachable from the bundles"
node scripts/check-no-eval.mjs
echo "== lint"
npm run --silent lint
echo "== unit, golden and LSP tests"
node scripts/run-node-tests.mjs out/test/unit out/test/lsp out/test/grammar
echo "== end-to-end tests in a real VS Code (code-server + Chromium; installs its tools on first run)"
npm run --silent test:e2e
