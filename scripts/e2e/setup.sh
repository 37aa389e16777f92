#!/usr/bin/env bash
# Installs what a real VS Code needs here when there is no desktop VS Code, idempotently:
#   - code-server 4.100.3 (a real VS Code: server + web workbench) into the project-local, gitignored .e2e/code-server,
#     never into the project's own node_modules/package.json;
#   - the Debian packages its install needs: ripgrep (seed for the rg download, which goes to GitHub),
#     libkrb5-dev, build-essential and python3 (it builds its native modules from source: prebuilt binaries come
#     from GitHub too);
#   - for the tests only: chromium, which Playwright drives.
# Usage: setup.sh [--for start|test]   (default test). `npm start` asks for `start`: it never needs Chromium.
# It says what it will install before installing it, asks first on a terminal (SEEK_SETUP_YES=1 skips the question),
# and without root or sudo explains what to run instead of failing half-way. Exit 3: the user has to act.
# Fast when already done: every step is skipped when its result is there (~0.5 s in total).
# Knobs: SEEK_E2E_DIR (default <repo>/.e2e), CS_VERSION (default 4.100.3: newer releases need Node 24).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E="${SEEK_E2E_DIR:-$REPO/.e2e}"
CS_VERSION="${CS_VERSION:-4.100.3}"
CS_DIR="$E2E/code-server"
CS="$CS_DIR/node_modules/.bin/code-server"
PURPOSE=test
[ "${1:-}" = "--for" ] && PURPOSE="${2:-test}"
case "$PURPOSE" in start | test) ;; *) echo "setup.sh: --for start|test, not '$PURPOSE'" >&2; exit 2 ;; esac
WHO="npm start"
[ "$PURPOSE" = test ] && WHO="the VS Code tests"
ms() { date +%s%3N; }
T0=$(ms)
log() { echo "[setup +$(( $(ms) - T0 )) ms] $*"; }

# code-server writes ~/.config/code-server/config.yaml on every start, even for --version: keep it out of the real $HOME.
CS_HOME="$E2E/home"
cs_version() {
  [ -x "$CS" ] || return 0
  HOME="$CS_HOME" XDG_CONFIG_HOME="$CS_HOME/.config" XDG_DATA_HOME="$CS_HOME/.local/share" \
    "$CS" --version 2>/dev/null | awk '/^[0-9]+\.[0-9]+\.[0-9]+ /{print $1; exit}'
}

# ---------- what is missing ----------
packages=(ripgrep libkrb5-dev build-essential python3)
[ "$PURPOSE" = test ] && packages=(chromium "${packages[@]}")
have_dpkg=1
command -v dpkg >/dev/null && command -v apt-get >/dev/null || have_dpkg=0
need=()
for p in "${packages[@]}"; do
  if ((have_dpkg)); then
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  fi
done
need_cs=0
[ "$(cs_version)" = "$CS_VERSION" ] || need_cs=1

explain_manual() {
  echo
  echo "To go on, either:"
  if ((have_dpkg)); then
    echo "  - run as root:  apt-get install -y --no-install-recommends ${need[*]}"
  else
    echo "  - install the equivalents of these Debian packages with your system's package manager:"
    echo "      ${packages[*]}"
  fi
  echo "    then run $WHO again; or"
  if [ "$PURPOSE" = start ]; then
    echo "  - install desktop VS Code (the \`code\` command): npm start then opens it with Seek loaded and installs nothing."
  else
    echo "  - with desktop VS Code, run the extension-host suite there instead:"
    echo "      npm run build && npm run compile-tests && npx vscode-test --config test/vscode-test.mjs"
  fi
}

if ((${#need[@]} == 0 && need_cs == 0)); then
  log "ready: code-server $CS_VERSION already installed in $CS_DIR"
  exit 0
fi

# ---------- say what will happen, ask on a terminal ----------
if [ "$PURPOSE" = start ]; then
  echo "npm start: there is no desktop VS Code (\`code\`) here, so Seek opens in code-server (VS Code in the browser),"
  echo "which is not set up yet. This will:"
else
  echo "The VS Code tests run Seek in code-server (VS Code in the browser), driven by Chromium; not set up yet. This will:"
fi
if ((${#need[@]})); then
  why="code-server's install builds native modules with them"
  [ "$PURPOSE" = test ] && why="Chromium for the UI tests, the rest because $why"
  echo "  - apt-get install ${need[*]} (system packages; $why)"
fi
if ((need_cs)); then
  echo "  - npm install code-server@$CS_VERSION into $CS_DIR (about 300 MB, for this project only)"
fi
if ((!have_dpkg)); then
  echo "  - (not a Debian-like system: the packages ${packages[*]} cannot be checked or installed from here)"
fi

SUDO=""
if ((${#need[@]})) && [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo
    echo "Installing system packages needs root, and this user is not root and has no sudo."
    explain_manual
    exit 3
  fi
  SUDO="sudo"
  echo "  (apt-get runs through sudo, which may ask for your password)"
fi
if [ -t 0 ] && [ "${SEEK_SETUP_YES:-}" != 1 ]; then
  read -r -p "Go ahead? [Y/n] " answer
  case "$answer" in
    "" | [yY]*) ;;
    *) echo "Nothing installed."; explain_manual; exit 3 ;;
  esac
fi

# ---------- Debian packages ----------
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  apt_log="$(mktemp)"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$apt_log" 2>&1; then
    tail -20 "$apt_log" >&2
    echo "setup: apt-get install ${need[*]} failed (output above)." >&2
    explain_manual >&2
    rm -f "$apt_log"
    exit 3
  fi
  rm -f "$apt_log"
  log "installed ${need[*]}"
fi

# ---------- code-server ----------
if ((need_cs)); then
  log "npm install code-server@$CS_VERSION into $CS_DIR"
  T=$(ms)
  # code-server's postinstall runs `npm install` in lib/vscode, where @vscode/ripgrep@1.15.11 downloads rg from GitHub
  # (unreachable here). It first looks for $TMPDIR/vscode-ripgrep-cache-1.15.11/<asset>.tar.gz: seed it with Debian's rg.
  SEED="$E2E/tmp"
  RGC="$SEED/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$RGC" "$SEED/rg" "$CS_DIR" "$CS_HOME"
  cp "$(command -v rg)" "$SEED/rg/rg"
  tar czf "$RGC/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$SEED/rg" rg
  [ -f "$CS_DIR/package.json" ] || echo '{"name":"seek-e2e-code-server","private":true}' >"$CS_DIR/package.json"
  # unsafe_perm: the postinstall refuses to run as root otherwise. yes: node-pty's install runs `npx node-gyp`,
  # which aborts without a TTY when the user's npmrc says yes=false.
  # dangerously_allow_all_scripts: npm >= 11.19 skips dependencies' install scripts unless a package.json's
  # allowScripts approves them, and code-server is nothing but install scripts: its postinstall runs a nested
  # `npm install` in lib/vscode, whose package.json we cannot add approvals to. Only an environment setting reaches
  # that nested install; it applies to this one pinned package, in its own folder, never to Seek's own install.
  # node-gyp builds argon2/kerberos/node-pty from source (prebuilt downloads come from GitHub): it needs Node's headers,
  # which it would also download unless nodedir points at an installed copy (Debian/NodeSource ship /usr/include/node).
  if [ -z "${npm_config_nodedir:-}" ] && [ "$(npm config get nodedir)" = "undefined" -o -z "$(npm config get nodedir)" ] \
     && [ -f /usr/include/node/node_api.h ]; then export npm_config_nodedir=/usr; fi
  TMPDIR="$SEED" npm_config_unsafe_perm=true npm_config_yes=true npm_config_dangerously_allow_all_scripts=true \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --no-save --loglevel=error "code-server@$CS_VERSION" </dev/null
  got="$(cs_version)"
  [ "$got" = "$CS_VERSION" ] || { echo "setup: code-server --version says '$got', expected $CS_VERSION" >&2; exit 1; }
  log "code-server installed in $(( $(ms) - T )) ms ($(du -sh "$CS_DIR" | cut -f1))"
fi
extra=""
[ "$PURPOSE" = test ] && extra=", $(chromium --version 2>/dev/null | head -1)"
log "ready: code-server $CS_VERSION$extra, $(rg --version | head -1)"
