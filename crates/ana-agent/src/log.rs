//! Where the approval agent writes its log when it runs in the background: `agent.log` in its
//! state directory (the history's), kept under [`MAX_BYTES`] by moving the full file to
//! `agent.log.1`. Run by systemd, the agent logs to stderr, which is the journal. `ana doctor`
//! shows the last warnings and errors from this file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How large `agent.log` grows before it is moved to `agent.log.1`.
pub const MAX_BYTES: u64 = 1 << 20;

/// The log file for `state`.
pub fn file(state: &Path) -> PathBuf {
    state.join("agent.log")
}

/// An append-only writer that rotates at [`MAX_BYTES`].
struct Rotating {
    path: PathBuf,
    file: Mutex<Option<std::fs::File>>,
}

impl Rotating {
    fn open(&self) -> std::io::Result<std::fs::File> {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(&self.path)
    }
}

impl Write for &Rotating {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if guard.as_ref().and_then(|f| f.metadata().ok()).is_some_and(|m| m.len() + buf.len() as u64 > MAX_BYTES) {
            let _ = std::fs::rename(&self.path, self.path.with_extension("log.1"));
            *guard = None;
        }
        if guard.is_none() {
            *guard = Some(self.open()?);
        }
        guard.as_mut().expect("opened above").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends the agent's log to `agent.log` in `state`. Call once, in the daemonized child.
pub fn to_file(state: &Path) {
    let writer: &'static Rotating = Box::leak(Box::new(Rotating { path: file(state), file: Mutex::new(None) }));
    let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_from_env("ANA_LOG").unwrap_or_else(|_| "info".into())).with_ansi(false).with_writer(move || writer).try_init();
}
