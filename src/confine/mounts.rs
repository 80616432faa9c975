//! Holds paths inside a write area, and covers secrets, with mounts in a mount namespace of the
//! confined command's own (Linux).
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
//! For the same reason Landlock can hide a secret only by granting every other entry of the
//! directories above it, one rule each (all of `~` when `~/.npmrc` exists: a few hundred system
//! calls on every command). Here a secret is covered instead, by an empty directory or file of
//! mode 000 on a small read-only file system (reading is refused, except to root, who reads
//! nothing; writing is refused); Landlock then grants reading on `/` with one rule.
//!
//! An unprivileged process gets the mount namespace through a user namespace that maps only its
//! own user and group (files of other accounts then show as `nobody`, as in any such sandbox);
//! root needs none. Shared mounts become slaves first, so nothing made here reaches the rest of
//! the system. The mounts are made before the Landlock ruleset is applied, and a Landlock domain
//! may not change the mount table afterwards (nor reach another namespace's view through
//! `/proc/PID/root`: it may not trace a process outside it), so the confined command cannot
//! undo them.

use std::ffi::CString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;

use super::profile::Pin;
use super::secrets::{Kind, Secret, ssh_private_entries};

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

/// What [`hold`] did.
#[derive(Debug, Default)]
pub struct Held {
    /// The paths pinned.
    pub pinned: Vec<String>,
    /// Every secret asked for is covered: Landlock need not hide any. `false` when there was
    /// nothing to cover, or when covering one failed (then Landlock hides them all).
    pub masked: bool,
    /// Why covering the secrets failed, if it did (for `ana doctor` and tests).
    pub mask_error: Option<String>,
    /// Paths that could not be pinned, and why.
    pub failed: Vec<String>,
}

/// Enters a mount namespace of this process's own (through a user namespace mapping only its
/// user and group, unless it is root), with every mount a slave of the system's.
fn enter() -> Result<(), PinError> {
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
    Ok(())
}

/// Binds `source` onto `target`; read-only when asked.
fn bind(source: &CString, target: &CString, read_only: bool) -> std::io::Result<()> {
    // SAFETY: valid C strings; a bind mount.
    if unsafe { libc::mount(source.as_ptr(), target.as_ptr(), std::ptr::null(), libc::MS_BIND, std::ptr::null()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    if read_only {
        let keep = kept_flags(target);
        // SAFETY: as above; a remount of the bind mount just made.
        if unsafe { libc::mount(std::ptr::null(), target.as_ptr(), std::ptr::null(), libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | keep, std::ptr::null()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Where the cover file system is made when no directory is to be covered: the first of these
/// that is a directory and holds none of the secrets. It is unmounted again right after, so the
/// command sees the directory as it is.
const SCRATCH: &[&str] = &["/mnt", "/media", "/srv", "/opt", "/dev/shm", "/var/tmp", "/tmp"];

/// Covers `targets` (path, whether a directory): makes a small read-only file system holding an
/// empty file and an empty directory, both mode 000 (reading or listing them is refused, except
/// to root, who sees them empty; writing is refused to all), and binds one or the other over each
/// target.
fn cover(targets: &[(&[u8], bool)]) -> Result<(), String> {
    let within = |t: &[u8], dir: &str| t.starts_with(dir.as_bytes()) && t.get(dir.len()) == Some(&b'/');
    // Made on the first directory to cover, when there is one (covered last, by its own empty
    // directory: nothing to unmount, which costs an RCU grace period); else on a scratch
    // directory, unmounted after.
    let first_dir = targets.iter().position(|(_, d)| *d);
    let at_path: String = match first_dir {
        Some(i) => String::from_utf8_lossy(targets[i].0).into_owned(),
        None => (*SCRATCH.iter().find(|d| real_dir(d) && !targets.iter().any(|(t, _)| within(t, d))).ok_or("no directory to make the cover in")?).to_owned(),
    };
    let at = c(&at_path).map_err(|e| e.to_string())?;
    let err = |what: &str| format!("{what}: {}", std::io::Error::last_os_error());
    let flags = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
    // SAFETY: valid C strings; a new tmpfs on a directory of this (private) namespace.
    if unsafe { libc::mount(c"tmpfs".as_ptr(), at.as_ptr(), c"tmpfs".as_ptr(), flags, c"mode=0700,size=4k".as_ptr().cast()) } != 0 {
        return Err(err("cannot make the cover"));
    }
    let (file, dir) = (c(&format!("{at_path}/f")).map_err(|e| e.to_string())?, c(&format!("{at_path}/d")).map_err(|e| e.to_string())?);
    let result = (|| {
        // SAFETY: valid C strings; a new empty file and directory, mode 000, on the new tmpfs.
        unsafe {
            let fd = libc::open(file.as_ptr(), libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC, 0);
            if fd < 0 {
                return Err(err("cannot make the cover's file"));
            }
            libc::close(fd);
            if libc::mkdir(dir.as_ptr(), 0) != 0 {
                return Err(err("cannot make the cover's directory"));
            }
            if libc::mount(std::ptr::null(), at.as_ptr(), std::ptr::null(), libc::MS_REMOUNT | libc::MS_RDONLY | flags, std::ptr::null()) != 0 {
                return Err(err("cannot make the cover read-only"));
            }
        }
        for (i, (t, is_dir)) in targets.iter().enumerate() {
            // The first directory is covered last; the same path twice would cover the cover.
            if Some(i) == first_dir || *t == at_path.as_bytes() {
                continue;
            }
            let target = CString::new(*t).map_err(|_| "a path holds a NUL byte".to_owned())?;
            bind(if *is_dir { &dir } else { &file }, &target, false).map_err(|e| format!("{}: {e}", String::from_utf8_lossy(t)))?;
        }
        if first_dir.is_some() {
            bind(&dir, &at, false).map_err(|e| format!("{at_path}: {e}"))?;
        }
        Ok(())
    })();
    if first_dir.is_none() || result.is_err() {
        // SAFETY: a valid C string; the covers bound above stay, the directory shows again.
        unsafe { libc::umount2(at.as_ptr(), libc::MNT_DETACH) };
    }
    result
}

/// Pins `pins` (in order: a directory before what is held inside it) and covers `secrets`, in a
/// mount namespace of this process's own, and returns what it did. Missing paths are skipped,
/// and so is everything inside a git directory (a [`Pin::InPlace`] entry) that is not a real
/// directory. A missing `hooks` is created (empty) so that it can be held.
///
/// On an error that is [`PinError::fatal`] the caller must not run the command; on another,
/// nothing was changed. A path that cannot be pinned is listed in [`Held::failed`], and the others
/// are still pinned; a secret that cannot be covered is not an error either: [`Held::masked`] is
/// then `false`, and Landlock must hide them all.
pub fn hold(pins: &[(String, Pin)], secrets: &[Secret]) -> Result<Held, PinError> {
    // What exists to hold: a git directory pinned in place is a real directory (not a link),
    // and what is held inside one needs it held.
    let mut wanted: Vec<&(String, Pin)> = Vec::with_capacity(pins.len());
    let mut skipped: Vec<&str> = Vec::new();
    for pin in pins {
        let (p, kind) = (pin.0.as_str(), pin.1);
        if skipped.iter().any(|s| p.starts_with(s) && p.as_bytes().get(s.len()) == Some(&b'/')) {
            continue;
        }
        let ok = match kind {
            Pin::InPlace | Pin::Above => real_dir(p),
            // A missing hooks directory is created (empty) so that it can be held.
            Pin::ReadOnly if p.ends_with("/hooks") => std::fs::symlink_metadata(p).is_ok() || std::fs::create_dir(p).is_ok(),
            Pin::ReadOnly => std::fs::symlink_metadata(p).is_ok(),
        };
        if ok {
            wanted.push(pin);
        } else if kind == Pin::InPlace {
            skipped.push(p);
        }
    }
    if wanted.is_empty() && secrets.is_empty() {
        return Ok(Held::default());
    }
    enter()?;
    let mut held = Held { pinned: Vec::with_capacity(wanted.len()), ..Held::default() };
    // One that fails does not keep the others from being held (nor what lies inside a git
    // directory that could not be pinned in place from being held read-only).
    for (p, kind) in wanted {
        let cp = c(p)?;
        match bind(&cp, &cp, *kind == Pin::ReadOnly) {
            Ok(()) => held.pinned.push(p.clone()),
            Err(e) => held.failed.push(format!("{p}: {e}")),
        }
    }
    let mut targets: Vec<(std::borrow::Cow<[u8]>, bool)> = Vec::with_capacity(secrets.len() + 4);
    for s in secrets {
        match s.kind {
            Kind::File | Kind::Dir => targets.push((s.path.as_bytes().into(), s.kind == Kind::Dir)),
            Kind::SshDir => targets.extend(ssh_private_entries(&s.path).into_iter().map(|(p, d)| (p.into_os_string().into_vec().into(), d))),
        }
    }
    let result = if targets.is_empty() { Ok(()) } else { cover(&targets.iter().map(|(t, d)| (t.as_ref(), *d)).collect::<Vec<_>>()) };
    match result {
        Ok(()) => held.masked = !secrets.is_empty(),
        Err(e) => held.mask_error = Some(e),
    }
    Ok(held)
}

/// Whether `path` lies on a read-only mount (for tests and `ana doctor`).
pub fn read_only(path: &Path) -> bool {
    let Ok(cp) = CString::new(path.as_os_str().as_bytes()) else { return false };
    // SAFETY: a valid C string and an out-pointer to a zeroed statvfs.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    unsafe { libc::statvfs(cp.as_ptr(), &mut st) == 0 && st.f_flag & libc::ST_RDONLY != 0 }
}
