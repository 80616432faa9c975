//! The Landlock backend: turns a [`Plan`] into a ruleset on this process.
//!
//! Landlock only grants: a ruleset handles some access rights, which are then denied everywhere
//! except beneath the hierarchies a rule names, and a rule on a directory covers everything
//! beneath it. So:
//! - every right but `EXECUTE` and `IOCTL_DEV` is handled (programs run from anywhere; terminal
//!   ioctls keep working);
//! - listing directories is granted on `/`;
//! - reading files is granted on `/` when the secrets are covered by mounts
//!   ([`super::mounts`]); where they are not (no user namespaces), on every entry of `/`, except
//!   that a directory holding a hidden secret is opened up one level at a time: its other entries
//!   get the right and the secret does not (so `~/.config/gh` stays closed while `~/.config/git`
//!   is readable);
//! - the write areas and device files get the write rights.
//!
//! Landlock cannot take a right away below a directory that has it, which is why secrets inside
//! a write area (a `.env` in the project) stay readable, and why nothing inside the project is
//! protected from the command (see the README's confinement section).

use std::ffi::CString;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use landlock::{ABI, Access, AccessFs, BitFlags};

use super::profile::Plan;
use super::secrets::{Secret, is_public_ssh_entry};
use super::{MIN_ABI, Support};

const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;

/// The kernel's Landlock ABI, read with `landlock_create_ruleset(NULL, 0, VERSION)`.
pub fn kernel_support() -> Support {
    // SAFETY: with a null attribute, size 0 and the VERSION flag the call only returns a number.
    let v = unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, std::ptr::null::<u8>(), 0usize, LANDLOCK_CREATE_RULESET_VERSION) };
    if v < 0 {
        let err = std::io::Error::last_os_error();
        return Support::Unavailable(match err.raw_os_error() {
            Some(libc::ENOSYS) => "this kernel has no Landlock (it needs Linux 5.13 or later, built with CONFIG_SECURITY_LANDLOCK)".into(),
            Some(libc::EOPNOTSUPP) => "Landlock is built into this kernel but not enabled (add `landlock` to the `lsm=` boot parameter)".into(),
            _ => format!("Landlock is not usable here: {err}"),
        });
    }
    let abi = v as i32;
    if abi < MIN_ABI {
        return Support::Unavailable(format!("this kernel's Landlock ABI is {abi}; ana needs {MIN_ABI} (Linux 6.2 or later)"));
    }
    Support::Landlock { abi }
}

fn abi_of(version: i32) -> ABI {
    match version {
        ..=3 => ABI::V3,
        4 => ABI::V4,
        5 => ABI::V5,
        _ => ABI::V6,
    }
}

/// What applying a plan did, for `ana run --explain` and tests.
#[derive(Debug, Default)]
pub struct Applied {
    /// Rules added.
    pub rules: usize,
    /// Write areas that do not exist, so stay closed.
    pub missing: Vec<String>,
}

/// Why a ruleset could not be applied. The command is then not run.
#[derive(Debug, thiserror::Error)]
pub enum ConfineError {
    #[error("Landlock refused the ruleset ({0}): {1}")]
    Landlock(&'static str, std::io::Error),
    #[error("cannot list {0}: {1}")]
    List(String, std::io::Error),
}

/// Opens `path` with `O_PATH` (no contents, no link followed) for a rule; `kind` is the entry's
/// type when a directory listing already told it (saving a `fstat`). Links are skipped: a rule on
/// a link's own inode grants nothing, access through it is checked where it leads.
fn open_path_typed(at: Option<&OwnedFd>, path: &Path, kind: Option<std::fs::FileType>) -> Option<(OwnedFd, bool)> {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_some_and(|k| k.is_symlink()) {
        return None;
    }
    // Relative to the directory being listed, when there is one: a one-component lookup.
    let (dirfd, name) = match at {
        Some(d) => (std::os::fd::AsRawFd::as_raw_fd(d), path.file_name()?.as_bytes()),
        None => (libc::AT_FDCWD, path.as_os_str().as_bytes()),
    };
    let c = CString::new(name).ok()?;
    // SAFETY: a valid C string and an open directory (or AT_FDCWD); O_PATH opens no contents.
    let fd = unsafe { libc::openat(dirfd, c.as_ptr(), libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC) };
    if fd < 0 {
        return None;
    }
    // SAFETY: `fd` was just returned by open(2) and is owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    if let Some(k) = kind.filter(|k| k.is_dir() || k.is_file() || k.is_char_device() || k.is_block_device() || k.is_fifo() || k.is_socket()) {
        return Some((fd, k.is_dir()));
    }
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `fd` is open; `st` is a valid out-pointer.
    if unsafe { libc::fstat(std::os::fd::AsRawFd::as_raw_fd(&fd), &mut st) } != 0 {
        return None;
    }
    match st.st_mode & libc::S_IFMT {
        libc::S_IFLNK => None,
        libc::S_IFDIR => Some((fd, true)),
        _ => Some((fd, false)),
    }
}

fn open_path(path: &Path) -> Option<(OwnedFd, bool)> {
    open_path_typed(None, path, None)
}

/// `struct landlock_ruleset_attr` (ABI 6 size). An older kernel accepts it as long as the members
/// it does not know are zero.
#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

/// `LANDLOCK_SCOPE_SIGNAL` (ABI 6): signals only to processes in the same or a nested domain.
const LANDLOCK_SCOPE_SIGNAL: u64 = 1 << 1;

/// `struct landlock_path_beneath_attr` (packed in the kernel's header).
#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

const LANDLOCK_RULE_PATH_BENEATH: libc::c_int = 1;

/// The ruleset, built with the system calls directly: the crate's rule builder checks each
/// descriptor's type with an extra `fstat`, and a ruleset here has a hundred rules or more, on
/// the path of every confined command. The crate still names the access rights per ABI.
struct Builder {
    ruleset: OwnedFd,
    abi: ABI,
    rules: usize,
    /// Descriptors of rules already added, kept open: they are close-on-exec, so the `execve`
    /// that follows closes them all at once instead of one `close` each (a ruleset here has a
    /// hundred rules or more). Closed early only past [`KEPT_FDS`].
    kept: Vec<OwnedFd>,
}

/// How many rule descriptors are kept open before they are closed one by one.
const KEPT_FDS: usize = 512;

impl Builder {
    fn new(handled: BitFlags<AccessFs>, abi: ABI) -> Result<Builder, ConfineError> {
        // From ABI 6, signals only inside the confined command's own process tree: nothing it
        // starts can stop or kill a hook (whose silence the agent would take as "go ahead"), a
        // prompt, or the approval agent.
        let scoped = if abi >= ABI::V6 { LANDLOCK_SCOPE_SIGNAL } else { 0 };
        let attr = RulesetAttr { handled_access_fs: handled.bits(), handled_access_net: 0, scoped };
        // SAFETY: `attr` is a valid landlock_ruleset_attr of the size passed.
        let fd = unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, &attr as *const RulesetAttr, std::mem::size_of::<RulesetAttr>(), 0u32) };
        if fd < 0 {
            return Err(ConfineError::Landlock("create", std::io::Error::last_os_error()));
        }
        // SAFETY: a new descriptor owned by nobody else.
        Ok(Builder { ruleset: unsafe { OwnedFd::from_raw_fd(fd as i32) }, abi, rules: 0, kept: Vec::with_capacity(256) })
    }

    fn add(&mut self, fd: OwnedFd, dir: bool, access: BitFlags<AccessFs>) -> Result<(), ConfineError> {
        let access = if dir { access } else { access & AccessFs::from_file(self.abi) };
        if access.is_empty() {
            return Ok(());
        }
        let attr = PathBeneathAttr { allowed_access: access.bits(), parent_fd: std::os::fd::AsRawFd::as_raw_fd(&fd) };
        // SAFETY: both descriptors are open; `attr` is a valid landlock_path_beneath_attr.
        let r = unsafe { libc::syscall(libc::SYS_landlock_add_rule, std::os::fd::AsRawFd::as_raw_fd(&self.ruleset), LANDLOCK_RULE_PATH_BENEATH, &attr as *const PathBeneathAttr, 0u32) };
        if r != 0 {
            return Err(ConfineError::Landlock("add a rule", std::io::Error::last_os_error()));
        }
        self.rules += 1;
        if self.kept.len() < KEPT_FDS {
            self.kept.push(fd);
        }
        Ok(())
    }

    /// Enforces the ruleset on this process, after `no_new_privs` (which Landlock requires of
    /// an unprivileged process, and which keeps set-user-id programs from gaining privileges).
    fn restrict_self(self) -> Result<(), ConfineError> {
        // SAFETY: plain prctl and landlock_restrict_self calls on our own process.
        unsafe {
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                return Err(ConfineError::Landlock("no_new_privs", std::io::Error::last_os_error()));
            }
            if libc::syscall(libc::SYS_landlock_restrict_self, std::os::fd::AsRawFd::as_raw_fd(&self.ruleset), 0u32) != 0 {
                return Err(ConfineError::Landlock("restrict", std::io::Error::last_os_error()));
            }
        }
        // What is still open closes with the exec.
        for fd in self.kept {
            std::mem::forget(fd);
        }
        Ok(())
    }

    /// Grants `access` on every entry of `dir` except the `hidden` paths, descending into the
    /// entries that hold one. Inside a hidden `~/.ssh`, the public entries (`*.pub`,
    /// `known_hosts`, `authorized_keys`, `config`) stay readable, and nothing else.
    fn grant_except(&mut self, dir: &Path, hidden: &[String], access: BitFlags<AccessFs>) -> Result<(), ConfineError> {
        let entries = std::fs::read_dir(dir).map_err(|e| ConfineError::List(dir.display().to_string(), e))?;
        let at = open_path(dir).map(|(fd, _)| fd);
        for entry in entries.flatten() {
            let path = entry.path();
            // From the listing (d_type); a file system that does not fill it costs a fstat.
            let kind = entry.file_type().ok();
            let Some(p) = path.to_str() else {
                // A name that is not UTF-8 cannot be a hidden path's ancestor: grant it whole.
                if let Some((fd, is_dir)) = open_path_typed(at.as_ref(), &path, kind) {
                    self.add(fd, is_dir, access)?;
                }
                continue;
            };
            if hidden.iter().any(|h| h == p) {
                if p.ends_with("/.ssh") && kind.is_some_and(|k| k.is_dir()) {
                    self.grant_public(&path, access)?;
                }
                continue;
            }
            let holds_hidden = hidden.iter().any(|h| h.starts_with(p) && h.as_bytes().get(p.len()) == Some(&b'/'));
            match open_path_typed(at.as_ref(), &path, kind) {
                Some((_, true)) if holds_hidden => self.grant_except(&path, hidden, access)?,
                Some((fd, is_dir)) => self.add(fd, is_dir, access)?,
                None => {}
            }
        }
        Ok(())
    }
}

impl Builder {
    /// The public entries of an ssh directory: readable by any confined command (`cat
    /// ~/.ssh/id_ed25519.pub`), while the keys beside them stay closed.
    fn grant_public(&mut self, dir: &Path, access: BitFlags<AccessFs>) -> Result<(), ConfineError> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
        let at = open_path(dir).map(|(fd, _)| fd);
        for entry in entries.flatten() {
            let name = entry.file_name();
            let public = name.to_str().is_some_and(is_public_ssh_entry);
            if !public {
                continue;
            }
            if let Some((fd, false)) = open_path_typed(at.as_ref(), &entry.path(), entry.file_type().ok()) {
                self.add(fd, false, access)?;
            }
        }
        Ok(())
    }
}

/// Applies `plan` to this process (and so to everything it executes). `hidden` are the secrets
/// Landlock must hide itself (those the mounts could not cover; see [`super::secrets::present`]):
/// with none, reading is granted on `/` with one rule. Sets `no_new_privs`, so set-user-id
/// programs such as `sudo` do not gain privileges under it. On an error nothing is applied and
/// the caller must not run the command.
pub fn restrict(plan: &Plan, version: i32, hidden: &[Secret]) -> Result<Applied, ConfineError> {
    let abi = abi_of(version);
    let handled = AccessFs::from_all(abi) & !AccessFs::Execute & !AccessFs::IoctlDev;
    let read = AccessFs::ReadFile | AccessFs::ReadDir;
    let mut b = Builder::new(handled, abi)?;
    let mut applied = Applied::default();

    if hidden.is_empty() {
        // Reading and listing: everywhere.
        if let Some((fd, _)) = open_path(Path::new("/")) {
            b.add(fd, true, read)?;
        }
    } else {
        // Listing directories: everywhere. Reading files: everywhere but the secrets, which
        // takes a rule for every other entry of each directory above one.
        if let Some((fd, _)) = open_path(Path::new("/")) {
            b.add(fd, true, AccessFs::ReadDir.into())?;
        }
        let canonical: Vec<String> = hidden.iter().map(|h| std::fs::canonicalize(&h.path).ok().and_then(|p| p.to_str().map(str::to_owned)).unwrap_or_else(|| h.path.clone())).collect();
        b.grant_except(Path::new("/"), &canonical, read)?;
    }
    // Writing: the areas and the devices.
    for area in &plan.write {
        match open_path(Path::new(area)) {
            Some((fd, is_dir)) => b.add(fd, is_dir, handled)?,
            None => applied.missing.push(area.clone()),
        }
    }
    for dev in &plan.devices {
        if let Some((fd, is_dir)) = open_path(Path::new(dev)) {
            let access = if is_dir { handled } else { AccessFs::ReadFile | AccessFs::WriteFile | AccessFs::Truncate };
            b.add(fd, is_dir, access)?;
        }
    }
    applied.rules = b.rules;
    b.restrict_self()?;
    Ok(applied)
}
