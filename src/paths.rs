//! Every path ana uses, in one place, and which of the two modes this machine is in.
//!
//! **System mode** (`sudo ana install system`): `/etc/ana` exists, is a directory owned by root and
//! writable by nobody else. Then the trust root is fixed: the enrolled keys and settings in
//! `/etc/ana`, the approval agent's socket in `/run/ana`, its state (history, used nonces, a
//! software key if one is allowed) in `/var/lib/ana`. No environment variable moves any of these:
//! the hook runs with the agent's environment, which the agent controls.
//!
//! **User mode** (everything else): with `ANA_HOME` set, everything lives below it (tests never
//! touch the real home): `config/`, `data/`, `run/`, `system/`. Otherwise the platform's
//! directories, found through the `directories` crate (see [`PlatformDirs`]): on Linux the XDG
//! ones, `$XDG_RUNTIME_DIR/ana` for the socket; on macOS `~/Library/Application Support/ana`.
//! Without a runtime directory (macOS, a cron job, `su`, a container) the socket goes in a private
//! directory under the data directory; never a shared directory such as `/tmp`, where another
//! user could create it first. Directories ana creates are private (0700).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The root-owned trust root of system mode.
pub const SYSTEM_ROOT: &str = "/etc/ana";
/// The runtime directory of the system approval agent (root-created).
pub const SYSTEM_RUNTIME: &str = "/run/ana";
/// The system approval agent's state, owned by its account.
pub const SYSTEM_STATE: &str = "/var/lib/ana";
/// Where `sudo ana touch` leaves the touch the software key waits for in system mode: a directory
/// only root can write.
pub const SYSTEM_TOUCH: &str = "/run/ana-touch";

/// Which trust root applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Everything under the user's home: protects against an agent's mistakes, not against an
    /// agent set on getting around ana.
    User,
    /// The trust root is root's and the approval agent's account's, out of the user's reach.
    System,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::User => "user",
            Mode::System => "system",
        }
    }
}

/// The name of ana's directory inside each of the platform's directories.
const APP: &str = "ana";

/// Where the platform's conventions put a user's files for ana, through the `directories` crate:
///
/// | | Linux (XDG) | macOS |
/// |---|---|---|
/// | `config` | `$XDG_CONFIG_HOME/ana`, by default `~/.config/ana` | `~/Library/Application Support/ana` |
/// | `data` | `$XDG_DATA_HOME/ana`, by default `~/.local/share/ana` | `~/Library/Application Support/ana` |
/// | `runtime` | `$XDG_RUNTIME_DIR/ana` | none |
///
/// An XDG variable counts only when it holds an absolute path, as the XDG specification says.
/// `home` is `$HOME`, else the account's home directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformDirs {
    pub home: PathBuf,
    pub config: PathBuf,
    pub data: PathBuf,
    /// A per-user, per-boot directory only the user can enter, when the platform has one.
    pub runtime: Option<PathBuf>,
}

impl PlatformDirs {
    /// From the process environment (reads variables only, and the account database only when
    /// `$HOME` is unset). `None` when no home directory can be found at all.
    pub fn current() -> Option<PlatformDirs> {
        let base = directories::BaseDirs::new()?;
        Some(PlatformDirs { home: base.home_dir().to_owned(), config: base.config_dir().join(APP), data: base.data_dir().join(APP), runtime: base.runtime_dir().map(|d| d.join(APP)) })
    }

    /// With no home directory at all: the platform's layout below `/`, which holds nothing of
    /// the user's (ana then finds no policy, keys or approver of theirs).
    fn homeless() -> PlatformDirs {
        let under = |rel: &str| Path::new("/").join(rel).join(APP);
        #[cfg(target_os = "macos")]
        let (config, data) = (under("Library/Application Support"), under("Library/Application Support"));
        #[cfg(not(target_os = "macos"))]
        let (config, data) = (under(".config"), under(".local/share"));
        PlatformDirs { home: PathBuf::from("/"), config, data, runtime: None }
    }
}

/// Whether `dir` can be a trust root: a real directory (not a link), owned by root, writable by
/// nobody else.
pub fn root_owned_dir(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir() && m.uid() == 0 && m.mode() & 0o022 == 0)
}

/// Whether this machine is in system mode (one `lstat`).
pub fn system_mode_installed() -> bool {
    root_owned_dir(Path::new(SYSTEM_ROOT))
}

#[derive(Clone, Debug)]
pub struct Paths {
    /// Which trust root applies.
    pub mode: Mode,
    /// The user's home directory.
    pub home: String,
    /// `ANA_HOME`, when set (user mode only).
    pub ana_home: Option<String>,
    /// The user's policy and settings.
    pub config: PathBuf,
    /// The user's own files: enrolled keys (user mode), the compiled policy cache, the hook's
    /// record of requests it left for a late approval.
    pub data: PathBuf,
    /// The approval agent's socket lives here.
    pub runtime: PathBuf,
    /// The trust root's configuration: `/etc/ana` in system mode (keys, settings, site policy).
    pub system: PathBuf,
    /// The approval agent's own state: history, its history key, used nonces, a software key.
    /// The data directory in user mode; `/var/lib/ana`, unreadable by the user, in system mode.
    pub state: PathBuf,
}

impl Paths {
    /// Reads the environment. `getenv` looks `ANA_HOME` and `HOME` up (the process environment
    /// in production, a map in tests); without `ANA_HOME`, the platform's directories come from
    /// the process environment ([`PlatformDirs::current`]). In system mode (see
    /// [`system_mode_installed`]) nothing in the environment moves the trust root.
    pub fn from_env(getenv: impl Fn(&str) -> Option<String>) -> Paths {
        Paths::resolve(getenv, if system_mode_installed() { Mode::System } else { Mode::User })
    }

    /// As [`Paths::from_env`], with the mode given.
    pub fn resolve(getenv: impl Fn(&str) -> Option<String>, mode: Mode) -> Paths {
        let nonempty = |k: &str| getenv(k).filter(|v| !v.is_empty());
        if mode == Mode::User
            && let Some(root) = nonempty("ANA_HOME")
        {
            let home = nonempty("HOME").unwrap_or_else(|| "/".into());
            let r = PathBuf::from(&root);
            return Paths { mode, home, config: r.join("config"), data: r.join("data"), runtime: r.join("run"), system: r.join("system"), state: r.join("data"), ana_home: Some(root) };
        }
        Paths::in_platform_dirs(PlatformDirs::current().unwrap_or_else(PlatformDirs::homeless), nonempty("HOME"), mode)
    }

    /// The paths of `mode` for a user whose platform directories are `dirs`; `home` overrides
    /// `dirs.home` (the `$HOME` the caller was given).
    pub fn in_platform_dirs(dirs: PlatformDirs, home: Option<String>, mode: Mode) -> Paths {
        let PlatformDirs { home: platform_home, config, data, runtime } = dirs;
        let home = home.unwrap_or_else(|| platform_home.display().to_string());
        match mode {
            Mode::System => Paths { mode, config, data, runtime: PathBuf::from(SYSTEM_RUNTIME), system: PathBuf::from(SYSTEM_ROOT), state: PathBuf::from(SYSTEM_STATE), home, ana_home: None },
            Mode::User => {
                // No runtime directory (macOS, a cron job, `su`, a container): a private
                // directory of the user's own, never a shared one.
                let runtime = runtime.unwrap_or_else(|| data.join("run"));
                Paths { mode, config, state: data.clone(), data, runtime, system: PathBuf::from(SYSTEM_ROOT), home, ana_home: None }
            }
        }
    }

    /// From the process environment.
    pub fn current() -> Paths {
        Paths::from_env(|k| std::env::var(k).ok())
    }

    pub fn user_policy(&self) -> PathBuf {
        self.config.join("policy.toml")
    }

    pub fn system_policy(&self) -> PathBuf {
        self.system.join("policy.toml")
    }

    /// The trust root's settings (system mode): whether a software key may count, the approval
    /// agent's account.
    pub fn settings(&self) -> PathBuf {
        self.system.join("settings.toml")
    }

    pub fn policy_cache(&self) -> PathBuf {
        self.data.join("policy-cache")
    }

    pub fn socket(&self) -> PathBuf {
        self.runtime.join("agent.sock")
    }

    pub fn history_db(&self) -> PathBuf {
        self.state.join("history.db")
    }

    /// The key that authenticates the history's chain (readable only by the approval agent's
    /// account in system mode).
    pub fn history_key(&self) -> PathBuf {
        self.state.join("history.key")
    }

    /// The software key's private state (tests and demos only).
    pub fn soft_key(&self) -> PathBuf {
        self.state.join("softkey.cbor")
    }

    /// Requests a hook left pending for a late approval: one empty file per nonce, taken (removed)
    /// by the retry that uses the grant, so a grant counts once.
    pub fn pending_grants(&self) -> PathBuf {
        self.data.join("pending-grants")
    }

    /// Creates `dir` and its missing parents with mode 0700.
    pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
}

/// The project root for a session in `cwd`: the nearest directory at or above `cwd` that holds
/// `.git`, else `cwd`. `None` when that is the home directory, the root, or a system directory,
/// so that nothing there counts as "inside the project".
pub fn project_root(cwd: &str, home: &str) -> Option<String> {
    let mut dir = Some(Path::new(cwd));
    let mut found: Option<&Path> = None;
    while let Some(d) = dir {
        if d.as_os_str() == home || d.as_os_str() == "/" {
            break;
        }
        if d.join(".git").symlink_metadata().is_ok() {
            found = Some(d);
            break;
        }
        dir = d.parent();
    }
    let root = found.map_or(cwd, |p| p.to_str().unwrap_or(cwd));
    let too_wide = root == "/" || root == home || root.matches('/').count() <= 1 || root.starts_with("/etc") || root.starts_with("/usr") || root == "/home";
    (!too_wide).then(|| root.to_owned())
}

/// Where `path` (absolute) really leads, walked the way the kernel walks it: component by
/// component, a symbolic link replaced by its target (read with `readlink`) before a following
/// `..` is applied, so `lnk/../x` is `x` beside the link's target. Once a component does not
/// exist the rest is appended as written (`..` removed as text, which is all the kernel could
/// do with it: it would fail). `None` for a relative path, or one through more links than the
/// kernel follows (it would refuse it with `ELOOP`).
pub fn resolve_links(path: &str) -> Option<String> {
    /// Linux's `MAXSYMLINKS`.
    const MAX_LINKS: usize = 40;
    /// Components looked at in all, links' targets included: a bound on the work, not a limit
    /// a real path meets.
    const MAX_STEPS: usize = 4096;
    if !path.starts_with('/') {
        return None;
    }
    let mut out = String::with_capacity(path.len());
    let mut todo: Vec<String> = path.split('/').rev().map(str::to_owned).collect();
    let (mut links, mut steps, mut exists) = (0, 0, true);
    while let Some(part) = todo.pop() {
        steps += 1;
        if steps > MAX_STEPS {
            return None;
        }
        match part.as_str() {
            "" | "." => {}
            ".." => out.truncate(out.rfind('/').unwrap_or(0)),
            name => {
                let at = out.len();
                out.push('/');
                out.push_str(name);
                if !exists {
                    continue;
                }
                match std::fs::symlink_metadata(&out) {
                    Ok(m) if m.file_type().is_symlink() => {
                        links += 1;
                        if links > MAX_LINKS {
                            return None;
                        }
                        let Ok(target) = std::fs::read_link(&out) else {
                            exists = false;
                            continue;
                        };
                        let target = target.to_str()?.to_owned();
                        out.truncate(if target.starts_with('/') { 0 } else { at });
                        todo.extend(target.split('/').rev().map(str::to_owned));
                    }
                    Ok(_) => {}
                    Err(_) => exists = false,
                }
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Where `path` really leads: its symbolic links followed ([`resolve_links`]), and, for a file
/// with more than one name, the secret or start-up file of `home` it is another name of (`ln
/// ~/.aws/credentials notes.txt` made earlier: reading `notes.txt` reads the credentials,
/// appending to a hard link of `~/.bashrc` changes it). Files are compared by device and inode;
/// only a file with several links is compared, so an ordinary file costs one `stat`.
pub fn where_it_leads(path: &str, home: &str) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let resolved = resolve_links(path)?;
    if let Ok(m) = std::fs::metadata(&resolved)
        && m.is_file()
        && m.nlink() > 1
        && let Some(other) = named_in_home(home).into_iter().find(|p| std::fs::metadata(p).is_ok_and(|o| o.dev() == m.dev() && o.ino() == m.ino()))
    {
        return Some(other);
    }
    Some(resolved)
}

/// The files of `home` whose other names matter: keys and credentials, and the files that run
/// at login or configure the agents and git.
fn named_in_home(home: &str) -> Vec<String> {
    const FILES: &[&str] = &[
        ".aws/credentials",
        ".aws/config",
        ".netrc",
        ".git-credentials",
        ".npmrc",
        ".pypirc",
        ".docker/config.json",
        ".kube/config",
        ".config/gh/hosts.yml",
        ".config/gcloud/application_default_credentials.json",
        ".azure/accessTokens.json",
        ".pgpass",
        ".my.cnf",
        ".vault-token",
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".profile",
        ".zshrc",
        ".zshenv",
        ".zprofile",
        ".gitconfig",
        ".config/git/config",
        ".ssh/config",
        ".ssh/authorized_keys",
        ".claude/settings.json",
        ".gemini/settings.json",
        ".codex/config.toml",
        ".codex/hooks.json",
        ".copilot/hooks/ana.json",
    ];
    let home = home.trim_end_matches('/');
    let mut out: Vec<String> = FILES.iter().map(|f| format!("{home}/{f}")).collect();
    // Every private key in `~/.ssh`, whatever its name.
    if let Ok(dir) = std::fs::read_dir(format!("{home}/.ssh")) {
        out.extend(dir.filter_map(|e| e.ok()?.file_name().into_string().ok()).filter(|n| !n.ends_with(".pub") && n != "known_hosts").map(|n| format!("{home}/.ssh/{n}")));
    }
    out
}

/// The effective uid of this process.
pub fn euid() -> u32 {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() }
}

#[cfg(test)]
mod tests {
    use super::resolve_links;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_hard_link_to_a_secret_or_start_up_file_leads_to_it() {
        let home = tempfile::tempdir().unwrap();
        let h = home.path().display().to_string();
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
        std::fs::create_dir_all(home.path().join("project")).unwrap();
        std::fs::write(home.path().join(".aws/credentials"), "[default]\n").unwrap();
        std::fs::write(home.path().join(".ssh/deploy_key"), "-----BEGIN OPENSSH PRIVATE KEY-----\n").unwrap();
        std::fs::write(home.path().join(".bashrc"), "# rc\n").unwrap();
        std::fs::write(home.path().join("project/notes.txt"), "notes\n").unwrap();
        for (secret, link) in [(".aws/credentials", "project/a.txt"), (".ssh/deploy_key", "project/b.txt"), (".bashrc", "project/c.txt")] {
            std::fs::hard_link(home.path().join(secret), home.path().join(link)).unwrap();
            assert_eq!(super::where_it_leads(&format!("{h}/{link}"), &h), Some(format!("{h}/{secret}")), "{link}");
        }
        // A file with one name, and one with two that is nothing of home's, lead to themselves.
        assert_eq!(super::where_it_leads(&format!("{h}/project/notes.txt"), &h), Some(format!("{h}/project/notes.txt")));
        std::fs::hard_link(home.path().join("project/notes.txt"), home.path().join("project/notes2.txt")).unwrap();
        assert_eq!(super::where_it_leads(&format!("{h}/project/notes2.txt"), &h), Some(format!("{h}/project/notes2.txt")));
    }

    #[test]
    fn links_are_followed_before_dot_dot_as_the_kernel_does() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().display().to_string();
        std::fs::create_dir_all(format!("{root}/home/.ssh")).unwrap();
        std::fs::create_dir_all(format!("{root}/home/proj/sub")).unwrap();
        symlink(format!("{root}/home/.ssh"), format!("{root}/home/proj/l")).unwrap();
        symlink("../../.ssh", format!("{root}/home/proj/sub/rel")).unwrap();
        symlink("loop", format!("{root}/home/proj/loop")).unwrap();
        let r = |p: &str| resolve_links(&format!("{root}{p}"));
        let want = |p: &str| Some(format!("{root}{p}"));
        assert_eq!(r("/home/proj/l/../x"), want("/home/x"), "`..` after a link leaves its target");
        assert_eq!(r("/home/proj/l/authorized_keys"), want("/home/.ssh/authorized_keys"));
        assert_eq!(r("/home/proj/sub/rel/id_rsa"), want("/home/.ssh/id_rsa"), "a relative link");
        assert_eq!(r("/home/proj/sub/rel/../.bashrc"), want("/home/.bashrc"));
        assert_eq!(r("/home/proj/new/../x"), want("/home/proj/x"), "past what exists, as written");
        assert_eq!(r("/home/proj//./sub"), want("/home/proj/sub"));
        assert_eq!(r("/home/proj/loop/x"), None, "a loop of links");
        assert_eq!(resolve_links("relative/x"), None);
    }
}
