//! Which of a plan's hidden paths are there to hide, and which of its areas can exist: the few
//! system calls `ana run` makes before it holds or hides anything.
//!
//! The home directory is listed once; a path beneath it whose first component is not there is
//! not looked up at all (most of the policy's secrets and caches do not exist on a given
//! machine). What remains is looked up once each (`stat`, following links, as a mount would).
//! Nothing here changes anything.

use std::collections::HashSet;
use std::ffi::{CString, OsString};
use std::os::unix::fs::MetadataExt;

/// What a secret is, which decides how it is hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Not a directory (a file, or a socket or device someone named): covered by an empty file.
    File,
    /// A directory: covered by an empty one.
    Dir,
    /// An ssh directory: only its private entries are hidden; `*.pub`, `known_hosts`,
    /// `authorized_keys` and `config` stay readable (see [`is_public_ssh_entry`]).
    SshDir,
}

/// A secret that exists and that this process could read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    pub path: String,
    pub kind: Kind,
}

/// The entries of an ssh directory any confined command may read.
pub fn is_public_ssh_entry(name: &str) -> bool {
    name.ends_with(".pub") || matches!(name, "known_hosts" | "known_hosts.old" | "authorized_keys" | "config")
}

/// The names directly in the home directory, listed once.
#[derive(Debug)]
pub struct Home {
    dir: String,
    /// `None` when the directory could not be listed: then every path counts as possible.
    names: Option<HashSet<OsString>>,
}

impl Home {
    pub fn list(dir: &str) -> Home {
        let dir = dir.trim_end_matches('/').to_owned();
        let listed = if dir.is_empty() { Err(std::io::ErrorKind::Other.into()) } else { std::fs::read_dir(&dir) };
        let names = match listed {
            Ok(rd) => Some(rd.flatten().map(|e| e.file_name()).collect()),
            // No home directory (`/nonexistent`): nothing lies beneath it.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound || e.raw_os_error() == Some(libc::ENOTDIR) => Some(HashSet::new()),
            Err(_) => None,
        };
        Home { dir, names }
    }

    /// Whether `path` can exist: `false` only for a path beneath the home directory whose first
    /// component the listing does not hold.
    pub fn may_exist(&self, path: &str) -> bool {
        let (Some(names), Some(rest)) = (&self.names, path.strip_prefix(self.dir.as_str()).and_then(|r| r.strip_prefix('/'))) else { return true };
        let first = rest.split('/').next().unwrap_or_default();
        first.is_empty() || names.contains(std::ffi::OsStr::new(first))
    }
}

/// `a` lies beneath `b` (or is `b`).
fn within(a: &str, b: &str) -> bool {
    a == b || (a.starts_with(b) && a.as_bytes().get(b.len()) == Some(&b'/'))
}

fn accessible(path: &str, dir: bool) -> bool {
    let Ok(c) = CString::new(path) else { return true };
    // SAFETY: a valid C string.
    unsafe { libc::access(c.as_ptr(), libc::R_OK) == 0 || (dir && libc::access(c.as_ptr(), libc::X_OK) == 0) }
}

/// The `hidden` paths that exist and that this process (of user `uid`; root reads everything)
/// could read, none beneath another. A path that cannot be judged counts as readable.
pub fn present(hidden: &[String], homes: &[Home], uid: u32) -> Vec<Secret> {
    let mut out: Vec<Secret> = Vec::new();
    for h in hidden {
        if out.iter().any(|s| s.path == *h) || !homes.iter().all(|home| home.may_exist(h)) {
            continue;
        }
        let Ok(m) = std::fs::metadata(h) else { continue };
        let dir = m.is_dir();
        let readable = uid == 0 || (m.uid() == uid && m.mode() & if dir { 0o500 } else { 0o400 } != 0) || (m.uid() != uid && accessible(h, dir));
        if !readable {
            continue;
        }
        let kind = match dir {
            true if h.ends_with("/.ssh") => Kind::SshDir,
            true => Kind::Dir,
            false => Kind::File,
        };
        out.push(Secret { path: h.clone(), kind });
    }
    // One beneath another is covered with it (a hidden ana directory inside a hidden one).
    let all = out.clone();
    out.retain(|s| !all.iter().any(|o| o.path != s.path && o.kind != Kind::SshDir && within(&s.path, &o.path)));
    out
}

/// The entries of an ssh directory `dir` to hide (path, whether a directory): everything but its
/// public entries.
pub fn ssh_private_entries(dir: &str) -> Vec<(std::path::PathBuf, bool)> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out = Vec::new();
    for e in rd.flatten() {
        if e.file_name().to_str().is_some_and(is_public_ssh_entry) {
            continue;
        }
        let path = e.path();
        // Following links, as the mount does; a dangling link has nothing to show.
        let Ok(m) = std::fs::metadata(&path) else { continue };
        out.push((path, m.is_dir()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_under_home_whose_first_component_is_absent_cannot_exist() {
        let home = Home { dir: "/home/u".into(), names: Some([OsString::from(".ssh"), OsString::from(".config")].into_iter().collect()) };
        assert!(home.may_exist("/home/u/.ssh"));
        assert!(home.may_exist("/home/u/.config/gh"));
        assert!(!home.may_exist("/home/u/.aws"));
        assert!(!home.may_exist("/home/u/.aws/credentials"));
        assert!(home.may_exist("/etc/shadow"));
        assert!(home.may_exist("/home/uv/.aws"), "another directory");
        let unlisted = Home { dir: "/home/u".into(), names: None };
        assert!(unlisted.may_exist("/home/u/.aws"));
    }

    #[test]
    fn each_secret_once_and_none_beneath_another() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        std::fs::create_dir_all(format!("{d}/a/b")).unwrap();
        std::fs::write(format!("{d}/f"), "x").unwrap();
        let hidden: Vec<String> = [format!("{d}/a"), format!("{d}/f"), format!("{d}/a/b"), format!("{d}/a"), format!("{d}/missing")].into();
        // SAFETY: getuid cannot fail.
        let got = present(&hidden, &[], unsafe { libc::getuid() });
        assert_eq!(got, vec![Secret { path: format!("{d}/a"), kind: Kind::Dir }, Secret { path: format!("{d}/f"), kind: Kind::File }]);
    }

    #[test]
    fn public_ssh_entries() {
        for n in ["id_ed25519.pub", "known_hosts", "config", "authorized_keys"] {
            assert!(is_public_ssh_entry(n), "{n}");
        }
        for n in ["id_ed25519", "id_rsa", "config.d", "agent.sock"] {
            assert!(!is_public_ssh_entry(n), "{n}");
        }
    }
}
