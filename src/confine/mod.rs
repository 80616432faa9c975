//! Confinement: the kernel bounds what a command ana lets through can do.
//!
//! A classifier reading command text cannot see what a Python one-liner, a script the agent just
//! wrote or a build runner does once it runs. So every shell command ana lets run (allowed,
//! under a `confine` rule, or approved on the key) is handed back to the agent rewritten to start
//! with `ana run`, which applies a Landlock ruleset to
//! itself and then runs the original command in a shell: writes are possible only beneath the
//! project, the temp directories and the build caches a [`profile::Profile`] names; the secrets
//! of the policy are unreadable unless the profile lists them.
//!
//! - [`profile`]: which areas a profile opens, and the checks that keep ana's files, agents'
//!   settings, shell start-up files and keys out of them. Pure.
//! - [`landlock`]: turns a [`profile::Plan`] into a Landlock ruleset on this process (Linux).
//! - [`mounts`]: holds what Landlock cannot (the repository's `.git/config` and hooks) with
//!   bind mounts in a mount namespace of the command's own, and covers the secrets there (Linux).
//! - [`repo`]: the git directories around the project whose config and hooks are held.
//! - [`secrets`]: which of the secrets exist and could be read, found with few system calls.
//! - [`rewrite`]: the command line the hook hands back to the agent, which hands the final
//!   working directory back to the agent's own shell.
//!
//! Nothing here decides *whether* a call may run; the policy does.

#[cfg(target_os = "linux")]
pub mod landlock;
/// Where there is no Landlock (macOS for now), nothing can be confined: calls that would run
/// confined need approval instead. A Seatbelt backend can take this module's place.
#[cfg(not(target_os = "linux"))]
pub mod landlock {
    use super::Support;
    use super::profile::Plan;

    pub fn kernel_support() -> Support {
        Support::Unavailable("confinement needs Linux's Landlock; this system has none yet".into())
    }

    #[derive(Debug, Default)]
    pub struct Applied {
        pub rules: usize,
        pub missing: Vec<String>,
    }

    #[derive(Debug, thiserror::Error)]
    pub enum ConfineError {
        #[error("confinement needs Linux's Landlock")]
        Unsupported,
    }

    pub fn restrict(_plan: &Plan, _version: i32, _hidden: &[super::secrets::Secret]) -> Result<Applied, ConfineError> {
        Err(ConfineError::Unsupported)
    }
}
#[cfg(target_os = "linux")]
pub mod mounts;
/// Without Linux's mount namespaces nothing is pinned.
#[cfg(not(target_os = "linux"))]
pub mod mounts {
    use super::profile::Pin;
    use super::secrets::Secret;

    #[derive(Debug, Default)]
    pub struct Held {
        pub pinned: Vec<String>,
        pub masked: bool,
        pub mask_error: Option<String>,
        pub failed: Vec<String>,
    }

    #[derive(Debug, thiserror::Error)]
    pub enum PinError {
        #[error("pinning paths needs Linux's mount namespaces")]
        Unsupported,
    }

    impl PinError {
        /// Whether the command must not run: never here (nothing was changed).
        pub fn fatal(&self) -> bool {
            false
        }
    }

    pub fn hold(_pins: &[(String, Pin)], _secrets: &[Secret]) -> Result<Held, PinError> {
        Err(PinError::Unsupported)
    }
}
pub mod profile;
pub mod repo;
pub mod rewrite;
pub mod secrets;

/// Setting this to `off` in the hook's (the agent's) environment makes confinement unavailable:
/// calls that would run confined need approval instead, as on a kernel without Landlock.
pub const ENV_SWITCH: &str = "ANA_CONFINE";

/// The lowest Landlock ABI ana confines with: 2 adds `REFER` (renames across directories, which
/// every build tool does), 3 adds `TRUNCATE` (without it a confined command could truncate any
/// file the user owns).
pub const MIN_ABI: i32 = 3;

/// Whether this machine can confine a command, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Support {
    /// Landlock with this ABI version.
    Landlock { abi: i32 },
    /// Why not; calls that would run confined need approval instead.
    Unavailable(String),
}

impl Support {
    pub fn is_available(&self) -> bool {
        matches!(self, Support::Landlock { .. })
    }

    /// One line for `ana doctor` and for the reason of an approval that confinement would have
    /// spared.
    pub fn describe(&self) -> String {
        match self {
            Support::Landlock { abi } => format!("Landlock ABI {abi}"),
            Support::Unavailable(why) => why.clone(),
        }
    }
}

/// Asks the kernel (one system call, no allocation on the available path) and the environment.
pub fn support() -> Support {
    if std::env::var_os(ENV_SWITCH).is_some_and(|v| v == "off") {
        return Support::Unavailable(format!("confinement is turned off ({ENV_SWITCH}=off)"));
    }
    landlock::kernel_support()
}
