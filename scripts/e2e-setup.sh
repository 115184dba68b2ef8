#!/usr/bin/env bash
# Installs what the end-to-end tests in a real VS Code need, using only Debian's apt and the npm registry:
# Debian's Chromium (the browser Playwright drives), ripgrep (stands in for a GitHub download), the Kerberos
# headers (code-server compiles its 'kerberos' addon), a CJK font and code-server 4.100.3 (VS Code 1.100 web workbench
# and server, runs on Node 20) into the git-ignored .e2e-tools/. Idempotent: a second run does nothing.
# apt-get needs root; on a machine where the packages already exist it is never called.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${E2E_TOOLS_DIR:-$ROOT/.e2e-tools}"
CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep version pinned by code-server 4.100.3 (lib/vscode/npm-shrinkwrap.json) and the release
# tag its postinstall downloads from GitHub (const VERSION in its lib/postinstall.js).
RG_PKG=1.15.11
RG_TAG=v13.0.0-10
started=$(date +%s)

# 1. Debian packages. build-essential and python3 come with the node image; checked anyway because
#    node-gyp needs them to build code-server's native addons.
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
# A small CJK font, so that the Chinese text of the notes is legible in the screenshots (5 MB).
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
{ command -v make && command -v g++; } >/dev/null || need+=(build-essential)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  echo "e2e-setup: apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Build native addons against the system Node headers rather than downloading them.
if [ -f /usr/include/node/node_version.h ]; then export npm_config_nodedir=/usr; fi

# 2. Seed @vscode/ripgrep's download cache with Debian's rg: its postinstall finds
#    ${TMPDIR:-/tmp}/vscode-ripgrep-cache-<version>/<asset>, says "Using cached download" and stays offline.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PKG"
RG_ASSET="ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_CACHE/$RG_ASSET" ]; then
  mkdir -p "$RG_CACHE"
  tmp="$(mktemp -d)"
  cp "$(command -v rg)" "$tmp/rg"
  tar czf "$RG_CACHE/$RG_ASSET" -C "$tmp" rg
  rm -rf "$tmp"
fi

# 3. code-server into its own folder, never into the extension's dependencies. Its postinstall runs
#    'npm install' in lib/vscode and compiles native addons (prebuilt downloads from GitHub fail fast and
#    fall back to source builds).
#    npm_config_unsafe_perm=true : its postinstall refuses to run as root otherwise
#    npm_config_yes=true         : node-pty's postinstall runs 'npx node-gyp …' and must not prompt
installed() { node -p "try { require('$TOOLS/node_modules/code-server/package.json').version } catch { '' }"; }
if [ "$(installed)" != "$CODE_SERVER_VERSION" ] || \
   [ ! -x "$TOOLS/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{ "name": "notesense-e2e-tools", "private": true }' > "$TOOLS/package.json"
  echo "e2e-setup: npm install code-server@$CODE_SERVER_VERSION into $TOOLS (a minute or two)"
  (cd "$TOOLS" && npm_config_unsafe_perm=true npm_config_yes=true \
     npm install --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
fi
test -x "$TOOLS/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
# Not 'code-server --version': a run without --config and XDG_* writes ~/.config/code-server/config.yaml.
echo "e2e-setup: code-server $(installed) ready in $TOOLS ($(node -v), $(( $(date +%s) - started )) s)"
