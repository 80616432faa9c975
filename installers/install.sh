#!/usr/bin/env bash
# Installs ana from this source tree: system packages, a release build (the hook statically
# linked), the two binaries in ~/.local/bin (or PREFIX/bin), then offers to wire each agent and
# the approver's service. Run it again to update; `--yes` answers yes to every question.
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
# A man page per command (`man ana`, `man ana-history`), and completions for bash, zsh and fish.
mkdir -p "$PREFIX/share/man/man1" "$PREFIX/share/bash-completion/completions" \
  "$PREFIX/share/zsh/site-functions" "$PREFIX/share/fish/vendor_completions.d"
install -m 0644 man/*.1 "$PREFIX/share/man/man1/"
install -m 0644 completions/ana.bash "$PREFIX/share/bash-completion/completions/ana"
install -m 0644 completions/ana.zsh "$PREFIX/share/zsh/site-functions/_ana"
install -m 0644 completions/ana.fish "$PREFIX/share/fish/vendor_completions.d/ana.fish"
echo "installed the man pages and the bash, zsh and fish completions under $PREFIX/share"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "add $PREFIX/bin to your PATH";; esac

ANA="$PREFIX/bin/ana"
for agent in claude-code copilot-cli gemini-cli codex; do
  if ask "wire ana into $agent?"; then "$ANA" install "$agent"; fi
done
if ask "start the approver (ana's approval agent) with your session (systemd user unit / launchd)?"; then "$ANA" install service; fi
echo
echo "next: \`ana enroll\` with your security key (and a backup key), then \`ana doctor\`."
