#!/usr/bin/env bash
# Cross-compiles `ana` (the hook, the prompt, every command but the approval agent) for macOS on
# Apple silicon from Linux, and checks that the result is a Mach-O arm64 executable. Nothing here
# can run it: this proves the code builds and links for macOS, not that it works there.
# Needs: rustup's aarch64-apple-darwin target, cargo-zigbuild (crates.io) and Zig (the `ziglang`
# package on PyPI); each is installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
target=aarch64-apple-darwin
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
command -v cargo-zigbuild >/dev/null || cargo install --locked cargo-zigbuild
if ! command -v zig >/dev/null && ! python3 -c 'import ziglang' 2>/dev/null; then
  python3 -m pip install --quiet ziglang 2>/dev/null || python3 -m pip install --quiet --break-system-packages ziglang
fi
cargo zigbuild --locked --target "$target" -p ana --bin ana
out="target/$target/debug/ana"
file "$out" | grep -q "Mach-O 64-bit arm64 executable" || { file "$out"; echo "macos: $out is not a Mach-O arm64 executable" >&2; exit 1; }
echo "macos: built $out (Mach-O arm64); ana-agent is not built for macOS (its USB/NFC stack is Linux-only here)"
