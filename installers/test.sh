#!/usr/bin/env bash
# Runs every test ana has, as CI does: installs what the tests need when it is missing (the build
# dependencies; Node.js for the real agent CLIs, which the end-to-end tests install themselves
# from tests/e2e/package-lock.json; QEMU, a kernel and busybox for the hardware-in-the-loop
# tests), then `cargo test --workspace --locked`, then `tests/hil/run`.
# apt-get runs through sudo when you are not root. A part that cannot run says so and fails.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root=()
if [ "$(id -u)" != 0 ]; then as_root=(sudo); fi
need=()
if command -v dpkg >/dev/null; then
  for p in pkg-config libudev-dev libpcsclite-dev libclang-dev tmux nodejs npm qemu-system-x86 linux-image-amd64 busybox-static python3-cryptography python3-venv cpio xz-utils udev; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
fi
# Node.js from elsewhere (nvm, a tarball) serves as well as Debian's.
if command -v npm >/dev/null; then
  filtered=(); for p in "${need[@]}"; do case "$p" in nodejs|npm) ;; *) filtered+=("$p");; esac; done; need=("${filtered[@]}")
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing for the tests: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "install Rust first: https://rustup.rs" >&2; exit 1; }

cargo test --workspace --locked

# Hardware-in-the-loop: virtual security keys on /dev/uhid in a QEMU guest, driven through the
# binaries just built. Its last line reads `N passed, N failed`.
hil_rc=0
ANA_HIL_BIN=target/debug ANA_HIL_TIMEOUT="${ANA_HIL_TIMEOUT:-1800}" tests/hil/run || hil_rc=$?
case "$hil_rc" in
  0) ;;
  77) echo "hil: SKIPPED — the reason is printed above; the USB path was not tested"; exit 77 ;;
  *) echo "hil: failed (exit $hil_rc)"; exit "$hil_rc" ;;
esac
