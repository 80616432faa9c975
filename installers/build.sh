#!/usr/bin/env bash
# Builds ana from this source tree: the build dependencies (Debian/Ubuntu, with sudo only when
# not already root), then target/release/ana-agent and target/release/ana — the hook linked
# statically, since it starts before every tool call (no dynamic loader at start-up).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
  need=()
  for p in pkg-config libudev-dev libpcsclite-dev libclang-dev tmux; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  if [ "${#need[@]}" -gt 0 ]; then
    echo "installing build dependencies: ${need[*]}"
    as_root=()
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || { echo "run as root, or install sudo: apt-get install ${need[*]}" >&2; exit 1; }
      as_root=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
fi
command -v cargo >/dev/null || { echo "install Rust first: https://rustup.rs" >&2; exit 1; }

# Each binary on its own: built together, the packages' features would be unified, and the hook
# would carry the approval agent's. `ana` is linked at a fixed address (not position-independent):
# a static-pie binary relocates ~18 000 pointers and copies ~100 pages at every start, which cost
# ~0.25 ms of every hook call and every confined command (stack, heap and mmap stay randomized).
cargo build --release --locked -p ana-agent --bin ana-agent
cargo rustc --release --locked -p ana --bin ana -- -C target-feature=+crt-static -C relocation-model=static
if ! { ldd target/release/ana 2>&1 || true; } | grep -Eq "statically linked|not a dynamic executable"; then
  echo "warning: target/release/ana is not statically linked" >&2
fi
echo "built target/release/ana (static) and target/release/ana-agent"
