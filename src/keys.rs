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
                // The user's file must be a chain of endorsements (user mode); the trust root's
                // is root's to write.
                let keys = if file == system_file(paths) { keys.into_iter().filter(|k| !k.removed).collect() } else { check_chain(&keys).map_err(|e| format!("{}: {e}", file.display()))? };
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

/// Every entry of the user's keys file, removed ones included, unchecked.
pub fn load_user_file(paths: &Paths) -> Result<Vec<EnrolledKey>, String> {
    let file = paths.data.join("keys.json");
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", file.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("{}: {e}", file.display())),
    }
}

/// The user's own keys (not the system's) that count: the file must be a chain (see
/// [`check_chain`]); removed keys are left out.
pub fn load_user(paths: &Paths) -> Result<Vec<EnrolledKey>, String> {
    let all = load_user_file(paths)?;
    check_chain(&all).map_err(|e| format!("{}: {e}", paths.data.join("keys.json").display()))
}

/// What a key already enrolled signs to let `key` join (user mode): SHA-256 of the canonical
/// `{"type":"ana_enroll", credential_id, public_key, name, enrolled_at_ms}`.
pub fn endorsement_challenge(key: &EnrolledKey) -> [u8; 32] {
    let v = serde_json::json!({
        "type": "ana_enroll",
        "credential_id": crate::webauthn::b64(&key.credential_id),
        "public_key": crate::webauthn::b64(&key.public_key),
        "name": key.name,
        "enrolled_at_ms": key.enrolled_at_ms,
    });
    crate::intent::challenge(&v).expect("integers only")
}

/// Checks that `all` is a chain: the first key that counts came with nothing before it (trust on
/// first use), and every later one carries an endorsement by a key before it. Returns the keys
/// that count (not removed). A key added without an endorsement makes the whole file fail: the
/// hook then approves nothing rather than trusting a swapped file.
pub fn check_chain(all: &[EnrolledKey]) -> Result<Vec<EnrolledKey>, String> {
    for (i, k) in all.iter().enumerate() {
        let before = &all[..i];
        match &k.endorsement {
            Some(e) => {
                let endorsers: Vec<EnrolledKey> = before.iter().filter(|b| b.credential_id == e.by).cloned().collect();
                crate::webauthn::verify(&e.proof, &endorsement_challenge(k), &endorsers, crate::policy::Level::Presence)
                    .map_err(|why| format!("the key `{}` carries an endorsement that does not verify ({why})", k.name))?;
            }
            None if before.iter().any(|b| !b.removed) => {
                return Err(format!(
                    "the key `{}` was added without an approval from a key enrolled before it; it does not count — remove it, and enroll again with `ana enroll` (which asks an enrolled key)",
                    k.name
                ));
            }
            None => {}
        }
    }
    Ok(all.iter().filter(|k| !k.removed).cloned().collect())
}

/// Writes the user's keys file as given (every entry, removed ones included).
pub fn save_user_file(paths: &Paths, all: &[EnrolledKey]) -> std::io::Result<()> {
    save_user(paths, all)
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
