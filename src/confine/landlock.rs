//! The Landlock backend: turns a [`Plan`] into a ruleset on this process.
//!
//! Landlock only grants: a ruleset handles some access rights, which are then denied everywhere
//! except beneath the hierarchies a rule names, and a rule on a directory covers everything
//! beneath it. So:
//! - every right but `EXECUTE` and `IOCTL_DEV` is handled (programs run from anywhere; terminal
//!   ioctls keep working);
//! - listing directories is granted on `/`;
//! - reading files is granted on every entry of `/`, except that a directory holding a hidden
//!   secret is opened up one level at a time: its other entries get the right and the secret does
//!   not (so `~/.config/gh` stays closed while `~/.config/git` is readable);
//! - the write areas and device files get the write rights.
//!
//! Landlock cannot take a right away below a directory that has it, which is why secrets inside
//! a write area (a `.env` in the project) stay readable, and why nothing inside the project is
//! protected from the command (see the README's confinement section).

use std::ffi::CString;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use landlock::{Access, AccessFs, BitFlags, CompatLevel, Compatible, PathBeneath, Ruleset, RulesetAttr, RulesetCreated, RulesetCreatedAttr, RulesetStatus, Scope, ABI};

use super::profile::Plan;
use super::{Support, MIN_ABI};

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
    #[error("Landlock refused the ruleset: {0}")]
    Landlock(#[from] landlock::RulesetError),
    #[error("the kernel did not enforce the ruleset")]
    NotEnforced,
    #[error("cannot list {0}: {1}")]
    List(String, std::io::Error),
}

fn open_path(path: &Path) -> Option<(OwnedFd, bool)> {
    let c = CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: a valid C string; O_PATH opens no file contents.
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC) };
    if fd < 0 {
        return None;
    }
    // SAFETY: `fd` was just returned by open(2) and is owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `fd` is open; `st` is a valid out-pointer.
    if unsafe { libc::fstat(std::os::fd::AsRawFd::as_raw_fd(&fd), &mut st) } != 0 {
        return None;
    }
    match st.st_mode & libc::S_IFMT {
        // A rule on a link's own inode grants nothing: access through it is checked where it leads.
        libc::S_IFLNK => None,
        libc::S_IFDIR => Some((fd, true)),
        _ => Some((fd, false)),
    }
}

fn readable(path: &str) -> bool {
    let Ok(c) = CString::new(path) else { return false };
    // SAFETY: a valid C string.
    unsafe { libc::access(c.as_ptr(), libc::R_OK) == 0 }
}

struct Builder {
    ruleset: RulesetCreated,
    abi: ABI,
    rules: usize,
}

impl Builder {
    fn add(&mut self, fd: OwnedFd, dir: bool, access: BitFlags<AccessFs>) -> Result<(), ConfineError> {
        let access = if dir { access } else { access & AccessFs::from_file(self.abi) };
        if access.is_empty() {
            return Ok(());
        }
        (&mut self.ruleset).add_rule(PathBeneath::new(fd, access))?;
        self.rules += 1;
        Ok(())
    }

    /// Grants `access` on every entry of `dir` except the `hidden` paths, descending into the
    /// entries that hold one.
    fn grant_except(&mut self, dir: &Path, hidden: &[String], access: BitFlags<AccessFs>) -> Result<(), ConfineError> {
        let entries = std::fs::read_dir(dir).map_err(|e| ConfineError::List(dir.display().to_string(), e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(p) = path.to_str() else {
                // A name that is not UTF-8 cannot be a hidden path's ancestor: grant it whole.
                if let Some((fd, is_dir)) = open_path(&path) {
                    self.add(fd, is_dir, access)?;
                }
                continue;
            };
            if hidden.iter().any(|h| h == p) {
                continue;
            }
            let holds_hidden = hidden.iter().any(|h| h.starts_with(p) && h.as_bytes().get(p.len()) == Some(&b'/'));
            match open_path(&path) {
                Some((_, true)) if holds_hidden => self.grant_except(&path, hidden, access)?,
                Some((fd, is_dir)) => self.add(fd, is_dir, access)?,
                None => {}
            }
        }
        Ok(())
    }
}

/// Applies `plan` to this process (and so to everything it executes). Sets `no_new_privs`, so
/// set-user-id programs such as `sudo` do not gain privileges under it. On an error nothing is
/// applied and the caller must not run the command.
pub fn restrict(plan: &Plan, version: i32) -> Result<Applied, ConfineError> {
    let abi = abi_of(version);
    let handled = AccessFs::from_all(abi) & !AccessFs::Execute & !AccessFs::IoctlDev;
    let read = AccessFs::ReadFile | AccessFs::ReadDir;
    let mut attr = Ruleset::default().set_compatibility(CompatLevel::HardRequirement).handle_access(handled)?;
    if version >= 6 {
        // Signals only inside the confined command's own process tree: nothing it starts can
        // stop or kill a hook (whose silence the agent would take as "go ahead"), a prompt, or
        // the approval agent.
        attr = attr.scope(Scope::Signal)?;
    }
    let ruleset = attr.create()?;
    let mut b = Builder { ruleset, abi, rules: 0 };
    let mut applied = Applied::default();

    // Listing directories: everywhere.
    if let Some((fd, _)) = open_path(Path::new("/")) {
        b.add(fd, true, AccessFs::ReadDir.into())?;
    }
    // Reading files: everywhere but the secrets that exist and the user could read.
    let mut hidden: Vec<String> = Vec::new();
    for h in &plan.hidden {
        if readable(h) {
            hidden.push(std::fs::canonicalize(h).ok().and_then(|p| p.to_str().map(str::to_owned)).unwrap_or_else(|| h.clone()));
        }
    }
    b.grant_except(Path::new("/"), &hidden, read)?;
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
    let status = b.ruleset.restrict_self()?;
    if status.ruleset == RulesetStatus::NotEnforced {
        return Err(ConfineError::NotEnforced);
    }
    Ok(applied)
}
