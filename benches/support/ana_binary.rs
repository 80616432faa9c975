//! The `ana` binary the whole-process benches time: the one a user gets.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The installed form of `ana`: release, statically linked (glibc, at a fixed address).
pub fn ana_binary() -> PathBuf {
    if let Ok(p) = std::env::var("ANA_BENCH_BIN") {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The binary a user gets from `installers/build.sh` (and `ana install` wires), when it is
    // there and statically linked.
    let built = root.join("target/release/ana");
    let is_static = Command::new("ldd").arg(&built).output().is_ok_and(|o| {
        let t = String::from_utf8_lossy(&o.stdout) + String::from_utf8_lossy(&o.stderr);
        t.contains("statically linked") || t.contains("not a dynamic executable")
    });
    if built.exists() && is_static {
        return built;
    }
    let target = root.join("target/static");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["rustc", "--release", "--bin", "ana", "--target-dir"])
        .arg(&target)
        .args(["--", "-C", "target-feature=+crt-static", "-C", "relocation-model=static"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the static ana");
    target.join("release/ana")
}
