//! Every path ana uses, in one place.
//!
//! With `ANA_HOME` set, everything lives below it (tests never touch the real home):
//! `config/`, `data/`, `run/`, `system/`. Otherwise the XDG directories, `/etc/ana` for the
//! root-owned system layer, and `$XDG_RUNTIME_DIR/ana` for the socket. Directories ana creates
//! are private (0700).

use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Paths {
    /// The user's home directory.
    pub home: String,
    /// `ANA_HOME`, when set.
    pub ana_home: Option<String>,
    /// The user's policy and settings.
    pub config: PathBuf,
    /// History, enrolled keys, compiled policy cache, soft key state.
    pub data: PathBuf,
    /// The approval agent's socket lives here.
    pub runtime: PathBuf,
    /// The root-owned system layer (policy and keys an agent cannot change).
    pub system: PathBuf,
}

impl Paths {
    /// Reads the environment. `getenv` looks a variable up (the process environment in
    /// production, a map in tests).
    pub fn from_env(getenv: impl Fn(&str) -> Option<String>) -> Paths {
        let nonempty = |k: &str| getenv(k).filter(|v| !v.is_empty());
        let home = nonempty("HOME").unwrap_or_else(|| "/".into());
        if let Some(root) = nonempty("ANA_HOME") {
            let r = PathBuf::from(&root);
            return Paths {
                home,
                config: r.join("config"),
                data: r.join("data"),
                runtime: r.join("run"),
                system: r.join("system"),
                ana_home: Some(root),
            };
        }
        let xdg = |var: &str, fallback: &str| nonempty(var).map_or_else(|| Path::new(&home).join(fallback), PathBuf::from);
        // SAFETY: getuid cannot fail.
        let uid = unsafe { libc::getuid() };
        let runtime = nonempty("XDG_RUNTIME_DIR").map_or_else(|| PathBuf::from(format!("/tmp/ana-{uid}")), |d| PathBuf::from(d).join("ana"));
        Paths {
            config: xdg("XDG_CONFIG_HOME", ".config").join("ana"),
            data: xdg("XDG_DATA_HOME", ".local/share").join("ana"),
            runtime,
            system: PathBuf::from("/etc/ana"),
            home,
            ana_home: None,
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

    pub fn policy_cache(&self) -> PathBuf {
        self.data.join("policy-cache")
    }

    pub fn socket(&self) -> PathBuf {
        self.runtime.join("agent.sock")
    }

    pub fn history_db(&self) -> PathBuf {
        self.data.join("history.db")
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
    let too_wide = root == "/" || root == home || root.matches('/').count() <= 1
        || root.starts_with("/etc") || root.starts_with("/usr") || root == "/home";
    (!too_wide).then(|| root.to_owned())
}

/// Where `path` (absolute) really leads: symbolic links in it followed, for the longest part of
/// it that exists, the rest appended. `None` when nothing can be resolved.
pub fn resolve_links(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut existing = Path::new(path);
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            out.extend(rest.iter().rev());
            return out.to_str().map(str::to_owned);
        }
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    }
}
