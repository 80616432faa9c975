#!/usr/bin/env bash
# Cross-compiles ana for macOS on Apple silicon from Linux and checks that each result is a Mach-O
# arm64 executable. Nothing here can run them: this proves the code builds and links for macOS,
# not that it works there.
# - `ana`: the hook, the prompt, every command but the approval agent; whole.
# - `ana-agent`: without its default features, so the software key, the protocol, the approval
#   queue, grants and history, with no USB (`usb`, `ctap-hid-fido2`), NFC (`nfc`) or desktop
#   notification (`notify`) backend. Those need Apple's SDK, which is not here: `usb` and `nfc`
#   compile but link against the IOKit, CoreFoundation and PCSC frameworks; `ctap-hid-fido2`
#   (hidapi) and `notify` (mac-notification-sys) compile C and Objective-C against IOKit's and
#   Cocoa's headers.
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
cargo zigbuild --locked --target "$target" -p ana-agent --bin ana-agent --no-default-features
for bin in ana ana-agent; do
  out="target/$target/debug/$bin"
  file "$out" | grep -q "Mach-O 64-bit arm64 executable" || { file "$out"; echo "macos: $out is not a Mach-O arm64 executable" >&2; exit 1; }
done
echo "macos: built target/$target/debug/ana (whole) and target/$target/debug/ana-agent (software key only: no USB, NFC or notification backend, which need Apple's SDK to link), Mach-O arm64; neither is run here"
