//! Pins paths inside a write area with bind mounts, in a mount namespace of the confined
//! command's own (Linux).
//!
//! Landlock only grants, and a grant on a directory covers everything beneath it: git must
//! create and write new files directly in `.git` (`index.lock`, `HEAD.lock`, `COMMIT_EDITMSG`),
//! which takes the write right on `.git` itself, and with it on `.git/config` and `.git/hooks`.
//! So those are held by the mount table instead:
//! - `.git` is bound onto itself: a mount point cannot be renamed or removed (`EBUSY`), so no
//!   other directory can take its place;
//! - `.git/config` and `.git/hooks` are bound onto themselves read-only (`EROFS`, and `EBUSY` for
//!   a rename over them).
//!
//! An unprivileged process gets the mount namespace through a user namespace that maps only its
//! own user and group (files of other accounts then show as `nobody`, as in any such sandbox);
//! root needs none. Shared mounts become slaves first, so nothing made here reaches the rest of
//! the system. The mounts are made before the Landlock ruleset is applied, and a Landlock domain
//! may not change the mount table afterwards, so the confined command cannot undo them.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::profile::Pin;

/// Why the paths could not be pinned.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    /// No mount namespace here (user namespaces turned off or restricted): nothing changed.
    #[error("no mount namespace for the command ({0}): {1}")]
    Namespace(&'static str, std::io::Error),
    /// The user namespace was made but its maps could not be written: this process can no
    /// longer create files as its user, and must not run the command.
    #[error("the command's user namespace could not be set up: {0}")]
    Broken(std::io::Error),
    #[error("cannot pin {0}: {1}")]
    Mount(String, std::io::Error),
}

impl PinError {
    /// Whether the process is left unfit to run the command. Otherwise the command can run
    /// confined by Landlock alone, with fewer paths (or none) pinned.
    pub fn fatal(&self) -> bool {
        matches!(self, PinError::Broken(_))
    }
}

fn c(path: &str) -> Result<CString, PinError> {
    CString::new(path).map_err(|_| PinError::Mount(path.to_owned(), std::io::Error::from(std::io::ErrorKind::InvalidInput)))
}

fn write_proc(file: &str, text: &str) -> Result<(), PinError> {
    std::fs::write(file, text).map_err(PinError::Broken)
}

/// Whether `path` is a directory reached without a link (a `.git` that is a file, as in a linked
/// worktree, or a link, is left alone).
fn real_dir(path: &str) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_dir())
}

/// The mount flags a read-only bind remount must keep: in a user namespace the kernel refuses a
/// remount that would clear `nosuid`, `nodev`, `noexec` or the atime flags of the mount it copies.
fn kept_flags(path: &CString) -> libc::c_ulong {
    // SAFETY: a valid C string and an out-pointer to a zeroed statvfs.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
        return 0;
    }
    let f = st.f_flag;
    let mut out = 0;
    for (st_flag, ms_flag) in [
        (libc::ST_NOSUID, libc::MS_NOSUID),
        (libc::ST_NODEV, libc::MS_NODEV),
        (libc::ST_NOEXEC, libc::MS_NOEXEC),
        (libc::ST_NOATIME, libc::MS_NOATIME),
        (libc::ST_NODIRATIME, libc::MS_NODIRATIME),
        (libc::ST_RELATIME, libc::MS_RELATIME),
    ] {
        if f & st_flag != 0 {
            out |= ms_flag;
        }
    }
    out
}

/// Pins `pins` (in order) and returns the paths pinned. Missing paths are skipped, and so is
/// everything of a repository whose `.git` (the [`Pin::InPlace`] entry) is not a real directory:
/// there is no repository of the project's own to hold. A missing `.git/hooks` is created
/// (empty) so that it can be held. On an error that is [`PinError::fatal`] the caller must not
/// run the command; on another, what was pinned so far stays pinned.
pub fn pin(pins: &[(String, Pin)]) -> Result<Vec<String>, PinError> {
    let git = pins.iter().find(|(_, k)| *k == Pin::InPlace).map(|(p, _)| p.as_str());
    let repo = git.is_some_and(real_dir);
    let wanted: Vec<&(String, Pin)> = pins.iter().filter(|(p, k)| *k == Pin::Empty || (repo && git.is_some_and(|g| p.starts_with(g)))).collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    for (p, kind) in &wanted {
        if *kind == Pin::ReadOnly && p.ends_with("/hooks") && std::fs::symlink_metadata(p).is_err() {
            let _ = std::fs::create_dir(p);
        }
    }
    // SAFETY: plain system calls on this (single-threaded) process.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let flags = if uid == 0 { libc::CLONE_NEWNS } else { libc::CLONE_NEWUSER | libc::CLONE_NEWNS };
    if unsafe { libc::unshare(flags) } != 0 {
        return Err(PinError::Namespace("unshare", std::io::Error::last_os_error()));
    }
    if uid != 0 {
        write_proc("/proc/self/setgroups", "deny")?;
        write_proc("/proc/self/uid_map", &format!("{uid} {uid} 1"))?;
        write_proc("/proc/self/gid_map", &format!("{gid} {gid} 1"))?;
    }
    let root = c("/")?;
    // SAFETY: valid C strings; null source, type and data are allowed for a propagation change.
    if unsafe { libc::mount(std::ptr::null(), root.as_ptr(), std::ptr::null(), libc::MS_REC | libc::MS_SLAVE, std::ptr::null()) } != 0 {
        return Err(PinError::Namespace("make mounts private", std::io::Error::last_os_error()));
    }
    let mut done = Vec::with_capacity(wanted.len());
    let null = c("/dev/null")?;
    for (p, kind) in wanted {
        match std::fs::symlink_metadata(p) {
            Err(_) => continue,
            Ok(m) if *kind == Pin::Empty && !m.file_type().is_file() => continue,
            Ok(_) => {}
        }
        let cp = c(p)?;
        let source = if *kind == Pin::Empty { &null } else { &cp };
        // SAFETY: valid C strings; a bind mount of a path onto itself (or of /dev/null onto a file).
        if unsafe { libc::mount(source.as_ptr(), cp.as_ptr(), std::ptr::null(), libc::MS_BIND, std::ptr::null()) } != 0 {
            return Err(PinError::Mount(p.clone(), std::io::Error::last_os_error()));
        }
        if *kind == Pin::ReadOnly {
            let keep = kept_flags(&cp);
            // SAFETY: as above; a remount of the bind mount just made.
            if unsafe { libc::mount(std::ptr::null(), cp.as_ptr(), std::ptr::null(), libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | keep, std::ptr::null()) } != 0 {
                return Err(PinError::Mount(p.clone(), std::io::Error::last_os_error()));
            }
        }
        done.push(p.clone());
    }
    Ok(done)
}

/// Whether `path` lies on a read-only mount (for tests and `ana doctor`).
pub fn read_only(path: &Path) -> bool {
    let Ok(cp) = CString::new(path.as_os_str().as_bytes()) else { return false };
    // SAFETY: a valid C string and an out-pointer to a zeroed statvfs.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    unsafe { libc::statvfs(cp.as_ptr(), &mut st) == 0 && st.f_flag & libc::ST_RDONLY != 0 }
}
