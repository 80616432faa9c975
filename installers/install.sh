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

installers/build.sh

mkdir -p "$PREFIX/bin"
install -m 0755 target/release/ana "$PREFIX/bin/ana"
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
