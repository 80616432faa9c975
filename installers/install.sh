#!/usr/bin/env bash
# Installs ana from this source tree: system packages, a release build (the hook statically
# linked), the two binaries in ~/.local/bin (or PREFIX/bin), then offers to wire each agent and
# the approval agent's service. Run it again to update; `--yes` answers yes to every question.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX="${PREFIX:-$HOME/.local}"
YES=0
[ "${1:-}" = "--yes" ] && YES=1

ask() { [ "$YES" = 1 ] && return 0; read -r -p "$1 [y/N] " a; [ "$a" = y ] || [ "$a" = Y ]; }

if command -v apt-get >/dev/null; then
  need=()
  for p in pkg-config libudev-dev libpcsclite-dev libclang-dev; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  if [ "${#need[@]}" -gt 0 ]; then
    echo "installing build dependencies: ${need[*]}"
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${need[@]}"
  fi
fi
command -v cargo >/dev/null || { echo "install Rust first: https://rustup.rs"; exit 1; }

echo "building (release)…"
cargo build --release --locked -p ana-agent
# The hook runs before every tool call: link it statically (no dynamic loader at start-up).
cargo rustc --release --locked --bin ana --target-dir target/static -- -C target-feature=+crt-static

mkdir -p "$PREFIX/bin"
install -m 0755 target/static/release/ana "$PREFIX/bin/ana"
install -m 0755 target/release/ana-agent "$PREFIX/bin/ana-agent"
echo "installed $PREFIX/bin/ana and $PREFIX/bin/ana-agent"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "add $PREFIX/bin to your PATH";; esac

ANA="$PREFIX/bin/ana"
for agent in claude-code copilot-cli gemini-cli codex; do
  if ask "wire ana into $agent?"; then "$ANA" install "$agent"; fi
done
if ask "start the approval agent with your session (systemd user unit / launchd)?"; then "$ANA" install service; fi
echo
echo "next: \`ana enroll\` with your security key (and a backup key), then \`ana doctor\`."
