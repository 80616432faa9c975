//! `ana agent …` and `ana enroll …`: hand over to `ana-agent`, the binary that links the FIDO2
//! hardware stack (kept out of this statically linked one).

use std::path::PathBuf;

/// `ana-agent` beside this binary, or on PATH.
pub fn agent_binary() -> anyhow::Result<PathBuf> {
    if let Ok(exe) = std::env::current_exe() {
        let sibling = exe.with_file_name("ana-agent");
        if sibling.exists() {
            return Ok(sibling);
        }
    }
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        let p = dir.join("ana-agent");
        if p.exists() {
            return Ok(p);
        }
    }
    anyhow::bail!("`ana-agent` was not found beside `ana` or on PATH; build it with `cargo build --release --workspace`")
}

/// Replaces this process with `ana-agent ARGS`.
pub fn exec<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> anyhow::Result<std::process::ExitCode> {
    use std::os::unix::process::CommandExt;
    let bin = agent_binary()?;
    let err = std::process::Command::new(&bin).args(args).exec();
    Err(anyhow::anyhow!("running {}: {err}", bin.display()))
}
