#!/usr/bin/env bash
# End-to-end tests in a real VS Code, offline: code-server 4.100.3 (VS Code 1.100's workbench and server,
# installed by scripts/e2e-setup.sh into .e2e-tools/) driven by Debian's Chromium through playwright-core.
#   1. build, `npm run package`, install the .vsix into a throw-away extensions folder
#   2. start code-server on 127.0.0.1 with a throw-away profile
#   3. the mocha suite (test/e2e/suite) inside the workbench's extension host, on a copy of the fixture vault,
#      with the installed .vsix as the extension under test
#   4. the Playwright UI check on a fresh copy: status bar, hover widget, suggest widget; screenshots
#   5. the grammar snapshots against VS Code's own Markdown and YAML grammars
# Artefacts (code-server log, screenshots) in .e2e-out/; UPDATE_SCREENSHOTS=1 copies the screenshots to
# images/ for the README. E2E_ONLY=suite|ui|grammar runs one part. NOTESENSE_E2E_GREP=<text> runs the suite's
# matching tests only. Closes with "e2e: N passed, M failed"; exit code 0 when nothing failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="${E2E_TOOLS_DIR:-$ROOT/.e2e-tools}"
CS_ENTRY="$TOOLS/node_modules/code-server/out/node/entry.js"
OUT="$ROOT/.e2e-out"
RUN="$(mktemp -d "${TMPDIR:-/tmp}/notesense-e2e.XXXXXX")"
trap 'rm -rf "$RUN"' EXIT # replaced below, once code-server may run
now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }
started=$(now)
pass=0
fail=0
count() { # adds the "N passed, M failed" counts found in file $1, or one failure when there are none
  local line
  line="$(grep -Eo '^(\[[a-z]+\] )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | grep -Eo '[0-9]+ passed, [0-9]+ failed')"
  if [ -z "$line" ]; then fail=$((fail + 1)); return; fi
  pass=$((pass + $(echo "$line" | cut -d' ' -f1)))
  fail=$((fail + $(echo "$line" | cut -d' ' -f3)))
}

[ -f "$CS_ENTRY" ] || { echo "code-server is not installed: run scripts/e2e-setup.sh"; echo "e2e: 0 passed, 1 failed"; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"

# A throw-away profile; the XDG folders keep code-server and Chromium out of $HOME.
mkdir -p "$RUN/ud/User" "$RUN/exts" "$RUN/xdg-config" "$RUN/xdg-data" "$RUN/xdg-cache"
cp test/e2e/settings.json "$RUN/ud/User/settings.json"
printf 'auth: none\n' > "$RUN/config.yaml"
export XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data" XDG_CACHE_HOME="$RUN/xdg-cache"
export EXTENSIONS_GALLERY='{}'   # no extension gallery: no look-ups of open-vsx.org
PORT="${E2E_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
CS=(node "$CS_ENTRY" --config "$RUN/config.yaml" --auth none --bind-addr "127.0.0.1:$PORT"
  --disable-telemetry --disable-update-check --disable-workspace-trust
  --disable-getting-started-override --ignore-last-opened
  --user-data-dir "$RUN/ud" --extensions-dir "$RUN/exts")
CS_PID=
stop_cs() { # the whole process group: watcher, extension hosts, language servers
  if [ -n "$CS_PID" ]; then
    kill -- -"$CS_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 -- -"$CS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 -- -"$CS_PID" 2>/dev/null
    CS_PID=
  fi
}
start_cs() { # extra code-server arguments; returns non-zero when /healthz does not answer within 60 s
  setsid "${CS[@]}" "$@" >> "$OUT/code-server.log" 2>&1 &
  CS_PID=$!
  node -e 'const u=process.argv[1];(async()=>{const end=Date.now()+60000;while(Date.now()<end){try{if((await fetch(u)).ok)process.exit(0)}catch{}await new Promise(r=>setTimeout(r,100))}process.exit(1)})()' \
    "http://127.0.0.1:$PORT/healthz"
}
trap 'stop_cs; rm -rf "$RUN"' EXIT

# 1. Build, package, install.
t=$(now)
VERSION="$(node -p 'require("./package.json").version')"
VSIX="$ROOT/notesense-$VERSION.vsix"
if ! npm run --silent package > "$OUT/package.log" 2>&1; then
  cat "$OUT/package.log"; echo "e2e: 0 passed, 1 failed"; exit 1
fi
"${CS[@]}" --install-extension "$VSIX" > "$OUT/install.log" 2>&1 || { cat "$OUT/install.log"; echo "e2e: 0 passed, 1 failed"; exit 1; }
EXT_DIR="$(ls -d "$RUN/exts"/notesense.notesense-"$VERSION"* | head -1)"
[ -f "$EXT_DIR/dist/server.js" ] || { echo "the .vsix did not install into $RUN/exts"; echo "e2e: 0 passed, 1 failed"; exit 1; }
echo "e2e: build + package + install $(basename "$VSIX"): $(ms "$t") ms"

# 2. code-server in its own process group, so that its watcher, extension hosts and language servers
#    all stop with it.
t=$(now)
if ! start_cs; then cat "$OUT/code-server.log"; echo "e2e: 0 passed, 1 failed"; exit 1; fi
echo "e2e: code-server $(node -p "require('$TOOLS/node_modules/code-server/package.json').version") on 127.0.0.1:$PORT after $(ms "$t") ms"

want() { [ -z "${E2E_ONLY:-}" ] || [ "$E2E_ONLY" = "$1" ]; }

# 3. The mocha suite in the extension host.
if want suite; then
t=$(now)
cp -r test/fixtures/vault "$RUN/vault-suite"
CS_URL="http://127.0.0.1:$PORT" WS_DIR="$RUN/vault-suite" EXT_DEV_PATH="$EXT_DIR" EXT_TESTS_PATH="$ROOT/out/e2e/suite/index.js" \
  node test/e2e/code-server/run-suite.mjs 2>&1 | tee "$OUT/suite.log"
count "$OUT/suite.log"
echo "e2e: extension-host suite $(ms "$t") ms"
fi

# 4. The UI check.
if want ui; then
t=$(now)
cp -r test/fixtures/vault "$RUN/vault-ui"
CS_URL="http://127.0.0.1:$PORT" WS_DIR="$RUN/vault-ui" OUT_DIR="$OUT" node test/e2e/code-server/ui-check.mjs 2>&1 | tee "$OUT/ui.log"
count "$OUT/ui.log"
echo "e2e: UI check $(ms "$t") ms"

# The same check with VS Code in Simplified Chinese. Microsoft's language pack is not on npm, so a fixture
# extension declares zh-cn as a display language (translating none of VS Code's own strings) and the
# profile's languagepacks.json, which VS Code writes when it installs a language pack itself, points at it.
# NoteSense's status bar comes from its client bundle and the hover from its server: both in Chinese.
t=$(now)
stop_cs
(cd test/e2e/fixtures/zh-cn-locale && "$ROOT/node_modules/.bin/vsce" package --allow-missing-repository --skip-license --out "$RUN/zh-cn-locale.vsix") > "$OUT/zh-cn-locale.log" 2>&1 \
  && "${CS[@]}" --install-extension "$RUN/zh-cn-locale.vsix" >> "$OUT/zh-cn-locale.log" 2>&1
ZH_DIR="$(ls -d "$RUN/exts"/notesense-e2e.notesense-e2e-zh-cn-locale-* 2>/dev/null | head -1)"
if [ -z "$ZH_DIR" ]; then
  cat "$OUT/zh-cn-locale.log"; fail=$((fail + 1))
else
  node -e 'const [ud, dir] = process.argv.slice(1); require("fs").writeFileSync(ud + "/languagepacks.json", JSON.stringify({ "zh-cn": {
    hash: "notesense-e2e", label: "中文(简体)", translations: { vscode: dir + "/translations/main.i18n.json" },
    extensions: [{ extensionIdentifier: { id: "notesense-e2e.notesense-e2e-zh-cn-locale" }, version: "0.0.1" }] } }))' "$RUN/ud" "$ZH_DIR"
  cp -r test/fixtures/vault "$RUN/vault-ui-zh"
  if start_cs --locale zh-cn; then
    CS_URL="http://127.0.0.1:$PORT" WS_DIR="$RUN/vault-ui-zh" OUT_DIR="$OUT" UI_LANG=zh-cn node test/e2e/code-server/ui-check.mjs 2>&1 | tee "$OUT/ui-zh-cn.log"
    count "$OUT/ui-zh-cn.log"
  else
    fail=$((fail + 1))
  fi
  stop_cs
fi
echo "e2e: UI check in Simplified Chinese $(ms "$t") ms"
if [ "${UPDATE_SCREENSHOTS:-}" = 1 ]; then
  mkdir -p images
  for f in hover completion hover-zh-cn; do [ -f "$OUT/$f.png" ] && cp "$OUT/$f.png" "images/$f.png" && echo "e2e: updated images/$f.png"; done
fi
fi

# 5. Grammar snapshots on VS Code's real grammars.
if want grammar; then
t=$(now)
NOTESENSE_VSCODE_EXTENSIONS="$TOOLS/node_modules/code-server/lib/vscode/extensions" \
  node --test --test-reporter=spec out/test/grammar/ > "$OUT/grammar.log" 2>&1
gp=$(grep -Eo '^ℹ pass [0-9]+' "$OUT/grammar.log" | grep -Eo '[0-9]+$'); gf=$(grep -Eo '^ℹ fail [0-9]+' "$OUT/grammar.log" | grep -Eo '[0-9]+$')
if [ -z "$gp" ] || [ -z "$gf" ]; then cat "$OUT/grammar.log"; fail=$((fail + 1)); else pass=$((pass + gp)); fail=$((fail + gf)); fi
[ "${gf:-1}" = 0 ] || cat "$OUT/grammar.log"
echo "e2e: grammar snapshots on VS Code's grammars ($gp passed, $gf failed) $(ms "$t") ms"
fi

echo "e2e: total $(ms "$started") ms; artefacts in $OUT"
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
