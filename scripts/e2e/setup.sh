#!/usr/bin/env bash
# Installs what the real-VS-Code tests and `npm start` need, idempotently:
#   - Debian packages: chromium (driven by playwright-core), ripgrep (seed for code-server's install),
#     libkrb5-dev + build-essential (code-server's native modules);
#   - code-server (a real VS Code: server + web workbench) into the project-local, gitignored .e2e/code-server,
#     never into the project's own node_modules/package.json.
# Fast when already done: every step is skipped when its result is there (~0.5 s in total).
# Knobs: SEEK_E2E_DIR (default <repo>/.e2e), CS_VERSION (default 4.100.3: newer releases need Node 24).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E="${SEEK_E2E_DIR:-$REPO/.e2e}"
CS_VERSION="${CS_VERSION:-4.100.3}"
CS_DIR="$E2E/code-server"
CS="$CS_DIR/node_modules/.bin/code-server"
ms() { date +%s%3N; }
T0=$(ms)
log() { echo "[e2e setup +$(( $(ms) - T0 )) ms] $*"; }

# ---------- Debian packages ----------
need=()
for p in chromium ripgrep libkrb5-dev build-essential python3; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to apt-get install: ${need[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  log "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ---------- code-server ----------
# code-server writes ~/.config/code-server/config.yaml on every start, even for --version: keep it out of the real $HOME.
CS_HOME="$E2E/home"
cs_version() {
  [ -x "$CS" ] || return 0
  HOME="$CS_HOME" XDG_CONFIG_HOME="$CS_HOME/.config" XDG_DATA_HOME="$CS_HOME/.local/share" \
    "$CS" --version 2>/dev/null | awk '/^[0-9]+\.[0-9]+\.[0-9]+ /{print $1; exit}'
}
if [ "$(cs_version)" != "$CS_VERSION" ]; then
  log "npm install code-server@$CS_VERSION into $CS_DIR"
  T=$(ms)
  # code-server's postinstall runs `npm install` in lib/vscode, where @vscode/ripgrep@1.15.11 downloads rg from GitHub
  # (unreachable here). It first looks for $TMPDIR/vscode-ripgrep-cache-1.15.11/<asset>.tar.gz: seed it with Debian's rg.
  SEED="$E2E/tmp"
  RGC="$SEED/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$RGC" "$SEED/rg" "$CS_DIR" "$CS_HOME"
  cp /usr/bin/rg "$SEED/rg/rg"
  tar czf "$RGC/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$SEED/rg" rg
  [ -f "$CS_DIR/package.json" ] || echo '{"name":"seek-e2e-code-server","private":true}' >"$CS_DIR/package.json"
  # unsafe_perm: the postinstall refuses to run as root otherwise. yes: node-pty's install runs `npx node-gyp`,
  # which aborts without a TTY when the user's npmrc says yes=false.
  # node-gyp builds argon2/kerberos/node-pty from source (prebuilt downloads come from GitHub): it needs Node's headers,
  # which it would also download unless nodedir points at an installed copy (Debian/NodeSource ship /usr/include/node).
  if [ -z "${npm_config_nodedir:-}" ] && [ "$(npm config get nodedir)" = "undefined" -o -z "$(npm config get nodedir)" ] \
     && [ -f /usr/include/node/node_api.h ]; then export npm_config_nodedir=/usr; fi
  TMPDIR="$SEED" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --no-save --loglevel=error "code-server@$CS_VERSION" </dev/null
  got="$(cs_version)"
  [ "$got" = "$CS_VERSION" ] || { echo "setup: code-server --version says '$got', expected $CS_VERSION" >&2; exit 1; }
  log "code-server installed in $(( $(ms) - T )) ms ($(du -sh "$CS_DIR" | cut -f1))"
fi
log "ready: code-server $CS_VERSION, $(chromium --version 2>/dev/null | head -1), $(rg --version | head -1)"
