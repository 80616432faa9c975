//! Enrolled keys. System mode: only `/etc/ana/keys.json` (root-owned) counts. User mode:
//! `keys.json` in the system directory (when present) and in the user's data directory. The hook
//! reads them to verify every approval itself.

use std::path::Path;

use crate::paths::Paths;
use crate::webauthn::EnrolledKey;

/// Every enrolled key, system keys first. A file that exists but does not parse is an error:
/// the hook must not verify against a partial list silently.
pub fn load(paths: &Paths) -> Result<Vec<EnrolledKey>, String> {
    let mut out = Vec::new();
    let files = match paths.mode {
        crate::paths::Mode::System => vec![system_file(paths)],
        crate::paths::Mode::User => vec![system_file(paths), paths.data.join("keys.json")],
    };
    for file in files {
        match std::fs::read(&file) {
            Ok(bytes) => {
                let keys: Vec<EnrolledKey> = serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
                out.extend(keys);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", file.display())),
        }
    }
    Ok(out)
}

/// The trust root's keys file.
pub fn system_file(paths: &Paths) -> std::path::PathBuf {
    paths.system.join("keys.json")
}

/// The user's own keys (not the system's).
pub fn load_user(paths: &Paths) -> Result<Vec<EnrolledKey>, String> {
    let file = paths.data.join("keys.json");
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", file.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("{}: {e}", file.display())),
    }
}

/// Writes the user's keys atomically (temp file, fsync, rename), mode 0600.
pub fn save_user(paths: &Paths, keys: &[EnrolledKey]) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(keys).map_err(std::io::Error::other)?;
    write_private(&paths.data.join("keys.json"), &bytes)
}

/// Writes the trust root's keys (system mode, as root): public parts only, mode 0644.
pub fn save_system(paths: &Paths, keys: &[EnrolledKey]) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let file = system_file(paths);
    let bytes = serde_json::to_vec_pretty(keys).map_err(std::io::Error::other)?;
    let tmp = file.with_extension(format!("json.tmp-{}", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644))?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, &file)
}

/// Writes `bytes` to `path` atomically with mode 0600, creating private parent directories.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path.parent().ok_or_else(|| std::io::Error::other("no parent directory"))?;
    Paths::create_private_dir(dir)?;
    let tmp = dir.join(format!(".{}.{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("f"), std::process::id()));
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}
