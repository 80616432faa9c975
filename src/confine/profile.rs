//! Profiles: which areas a confined command may write, and which secrets it may read.
//!
//! Every profile starts from the same base: the project (the repository root of the call's
//! working directory, or that directory), the temp directories, the build tools' caches and the
//! terminal devices are writable; the policy's secrets are unreadable; everything else is
//! readable and nothing else is writable; the repository's `.git/config` and `.git/hooks` are
//! held read-only ([`Pin`]). A profile adds write areas and secrets it may read. The default is
//! [`DEFAULT`]; the other [`BUILTIN`] profiles read the credentials ordinary tools need (git's,
//! ssh's, the cloud CLIs'); a user's or the system's policy can define more, or extend a built-in
//! one, with `[[profile]]` tables (`name`, `write`, `read`).
//!
//! Whatever a profile says, an area that is the home directory or above it, or that overlaps
//! one of the [`NEVER_WRITABLE`] paths (ana's files, agents' settings and hooks, shell start-up
//! files, keys, credential stores, autostart and service locations, directories on `PATH`), is
//! refused. Pure: no I/O; [`super::landlock`] opens the paths.

pub use crate::policy::schema::ProfileSpec;

use super::repo::Layout;

/// The profile a `confine` rule without `profile = …` uses.
pub const DEFAULT: &str = "project";

/// A built-in profile: the base plus what it adds.
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    pub name: &'static str,
    pub about: &'static str,
    /// Secrets it may read.
    pub read: &'static [&'static str],
    /// Whether the project's `.git/config` and `.git/hooks` stay writable (a `git config` the
    /// rules found harmless); every other profile leaves them read-only.
    pub git_config: bool,
}

/// Git's credentials: keys for ssh remotes, stored passwords and tokens for https ones.
const GIT_REMOTE: &[&str] = &["~/.ssh", "~/.git-credentials", "~/.config/git/credentials", "~/.config/gh", "~/.netrc"];

/// The built-in profiles and what each is for. A rule names one with `profile = "…"`; a user's
/// or the system's policy extends one with a `[[profile]]` table of the same name.
pub const BUILTIN: &[Builtin] = &[
    Builtin { name: DEFAULT, about: "the project, temp directories and build caches; no secrets", read: &[], git_config: false },
    Builtin { name: "git-remote", about: "the project's defaults, and git's credentials (ssh keys, stored tokens)", read: GIT_REMOTE, git_config: false },
    Builtin { name: "git-config", about: "the project's defaults, and the repository's own .git/config and hooks", read: &[], git_config: true },
    Builtin { name: "ssh", about: "the project's defaults, and ~/.ssh", read: &["~/.ssh"], git_config: false },
    Builtin { name: "github", about: "the project's defaults, and the GitHub CLI's token and git's credentials", read: GIT_REMOTE, git_config: false },
    Builtin { name: "aws", about: "the project's defaults, and ~/.aws", read: &["~/.aws"], git_config: false },
    Builtin { name: "gcloud", about: "the project's defaults, and ~/.config/gcloud", read: &["~/.config/gcloud"], git_config: false },
    Builtin { name: "azure", about: "the project's defaults, and ~/.azure", read: &["~/.azure"], git_config: false },
    Builtin { name: "kube", about: "the project's defaults, and ~/.kube", read: &["~/.kube"], git_config: false },
    Builtin { name: "docker", about: "the project's defaults, and Docker's registry credentials", read: &["~/.docker/config.json"], git_config: false },
    Builtin {
        name: "cloud",
        about: "the project's defaults, and the cloud and cluster credentials (infrastructure tools)",
        read: &[
            "~/.aws",
            "~/.config/gcloud",
            "~/.azure",
            "~/.kube",
            "~/.oci",
            "~/.terraform.d/credentials.tfrc.json",
            "~/.docker/config.json",
            "~/.vault-token",
            "~/.config/configstore/firebase-tools.json",
            "~/.config/netlify",
            "~/.local/share/com.vercel.cli",
            "~/.wrangler/config",
            "~/.config/.wrangler/config",
            "~/.supabase/access-token",
            "~/.config/stripe",
        ],
        git_config: false,
    },
    Builtin {
        name: "publish",
        about: "the project's defaults, and the package registries' tokens and git's credentials",
        read: &[
            "~/.npmrc",
            "~/.pypirc",
            "~/.cargo/credentials",
            "~/.cargo/credentials.toml",
            "~/.gem/credentials",
            "~/.yarnrc.yml",
            "~/.ssh",
            "~/.git-credentials",
            "~/.config/gh",
            "~/.netrc",
            "~/.appcenter-cli",
            "~/.fastlane",
            "~/.appstoreconnect",
            "~/.private_keys",
            "~/private_keys",
            "~/.config/configstore/firebase-tools.json",
        ],
        git_config: false,
    },
];

/// The built-in profile `name`.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.name == name)
}

/// Temp directories. `$TMPDIR` is not taken from the environment: a persistent agent shell
/// could point it at a directory on `PATH`.
pub const TEMP: &[&str] = &["/tmp", "/var/tmp", "/dev/shm"];

/// Caches build and test tools write. A cache that does not exist yet stays closed (ana creates
/// nothing in the home directory): run the tool once outside ana, or add the area to a profile.
pub const CACHES: &[&str] = &[
    "~/.cargo/registry",
    "~/.cargo/git",
    "~/.cargo/.package-cache",
    "~/.cargo/.package-cache-mutate",
    "~/.cargo/.global-cache",
    "~/.rustup/tmp",
    "~/.npm",
    "~/.cache/pip",
    "~/.cache/pypoetry",
    "~/.cache/uv",
    "~/.cache/go-build",
    "~/go/pkg/mod",
    "~/.cache/yarn",
    "~/.yarn/berry/cache",
    "~/.cache/pnpm",
    "~/.local/share/pnpm/store",
    "~/.pnpm-store",
    "~/.cache/node-gyp",
    "~/.cache/typescript",
    "~/.bun/install/cache",
    "~/.cache/deno",
    "~/.cache/bazel",
    "~/.cache/sccache",
    "~/.cache/ccache",
    "~/.ccache",
    "~/.gradle/caches",
    "~/.m2/repository",
    "~/.nuget/packages",
    "~/.cache/mypy",
    "~/.cache/ruff",
    "~/.cache/black",
    "~/.cache/hatch",
    "~/.cache/zig",
];

/// Device files a command writes in normal use.
pub const DEVICES: &[&str] = &["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx"];
/// Device directories: none. A confined command keeps the terminal it was given, but opens no
/// other (`/dev/pts/N`): it could paint over the approval prompt there.
pub const DEVICE_DIRS: &[&str] = &[];

/// Secrets no profile reads unless it lists them in `read` (the concrete paths of the policy's
/// `secrets.read` rule; its patterns that match anywhere, like `*.pem` or `.env`, cannot be
/// expressed as a Landlock rule and are left to the classifier).
pub const SECRETS: &[&str] = &[
    "~/.ssh",
    "~/.gnupg",
    "~/.aws",
    "~/.config/gcloud",
    "~/.azure",
    "~/.kube",
    "~/.docker/config.json",
    "~/.netrc",
    "~/.npmrc",
    "~/.pypirc",
    "~/.cargo/credentials",
    "~/.cargo/credentials.toml",
    "~/.git-credentials",
    "~/.config/gh",
    "~/.config/hub",
    "~/.terraform.d/credentials.tfrc.json",
    "~/.vault-token",
    "~/.password-store",
    "~/.local/share/keyrings",
    "~/.pgpass",
    "~/.my.cnf",
    "~/.config/op",
    "~/.mozilla",
    "~/.config/google-chrome",
    "~/.config/chromium",
    "~/.config/BraveSoftware",
    "~/.config/microsoft-edge",
    "~/.config/git/credentials",
    "~/.gem/credentials",
    "~/.yarnrc.yml",
    "~/.config/composer/auth.json",
    "~/.m2/settings.xml",
    "~/.gradle/gradle.properties",
    "~/.oci",
    "~/.config/sops",
    "~/.claude/.credentials.json",
    "~/.codex/auth.json",
    // Front-end and mobile tools' sessions and signing keys (the `cloud` and `publish`
    // profiles read them).
    "~/.config/configstore/firebase-tools.json",
    "~/.config/netlify",
    "~/.local/share/com.vercel.cli",
    "~/.wrangler/config",
    "~/.config/.wrangler/config",
    "~/.appcenter-cli",
    "~/.fastlane",
    "~/.appstoreconnect",
    "~/.private_keys",
    "~/private_keys",
    "~/.supabase/access-token",
    "~/.android/adbkey",
    "~/.config/stripe",
    "~/.bash_history",
    "~/.zsh_history",
    "~/.python_history",
    "~/.local/share/ana",
    // Machine learning and data services' tokens.
    "~/.cache/huggingface/token",
    "~/.cache/huggingface/stored_tokens",
    "~/.huggingface/token",
    "~/.kaggle",
    "~/.config/kaggle",
    "~/.databrickscfg",
    "~/.s3cfg",
    "~/.boto",
    "~/.config/rclone",
    "~/.mc/config.json",
    "~/.modal.toml",
    "~/.mlflow/credentials",
    "~/.comet.config",
    "~/.clearml.conf",
    "~/.config/replicate",
    "~/.runpod",
    "~/.config/vastai",
    "~/.ngc",
    "~/.config/ngc",
    "~/.snowsql",
    "~/.dbt/profiles.yml",
    "~/.config/doctl",
    "~/.talos",
    "~/.config/talos",
    "~/.cloudflared",
    "~/.config/age",
    "~/.config/dvc/config.local",
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/ssh/ssh_host_rsa_key",
    "/etc/ssh/ssh_host_ecdsa_key",
    "/etc/ssh/ssh_host_ed25519_key",
];

/// Paths no area may overlap (contain, equal, or lie in): writing them changes what runs later
/// outside the confinement, or what guards it.
pub const NEVER_WRITABLE: &[&str] = &[
    // ana's own files
    "~/.config/ana",
    "~/.local/share/ana",
    "/etc/ana",
    // agents' settings and hooks
    "~/.claude",
    "~/.claude.json",
    "~/.gemini",
    "~/.codex",
    "~/.copilot",
    "~/.config/github-copilot",
    "~/.cursor",
    "/etc/claude-code",
    "/etc/gemini-cli",
    "/etc/codex",
    "/etc/github-copilot",
    // shell start-up files and login environment
    "~/.bashrc",
    "~/.bash_profile",
    "~/.bash_login",
    "~/.bash_logout",
    "~/.profile",
    "~/.zshrc",
    "~/.zshenv",
    "~/.zprofile",
    "~/.zlogin",
    "~/.zlogout",
    "~/.config/fish",
    "~/.inputrc",
    "~/.xprofile",
    "~/.xsession",
    "~/.xinitrc",
    "~/.pam_environment",
    "~/.config/environment.d",
    // configuration that runs programs: git's hooks path and fsmonitor, cargo's wrappers
    "~/.gitconfig",
    "~/.config/git",
    // Notebook and REPL start-up code, package sources, trackers' server addresses.
    "~/.jupyter",
    "~/.ipython",
    "~/.local/share/jupyter/kernels",
    "~/.condarc",
    "~/.mambarc",
    "~/.config/pip",
    "~/.config/uv",
    "~/.config/wandb",
    "~/.cargo/config",
    "~/.cargo/config.toml",
    "~/.config/pip",
    "~/.pip",
    // directories on PATH
    "~/.local/bin",
    "~/bin",
    "~/.cargo/bin",
    "~/go/bin",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/opt",
    // autostart and services
    "~/.config/autostart",
    "~/.config/systemd",
    "~/.local/share/systemd",
    "~/Library/LaunchAgents",
    "/etc",
    "/var/spool/cron",
    "/boot",
];

/// The profile a confined command runs under: the base plus what the built-in profile of its
/// name and the policy added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// Areas the policy's `[[profile]]` tables add (as written: absolute or `~/…`).
    pub write: Vec<String>,
    /// Secrets the built-in profile and the policy's tables let it read.
    pub read: Vec<String>,
    /// The project's `.git/config` and `.git/hooks` stay writable.
    pub git_config: bool,
}

impl Profile {
    /// The profile `name` with only what the policy added (`write`, `read`), as `ana run` reads
    /// it from its command line: the built-in part comes from [`BUILTIN`], not from the caller.
    pub fn from_parts(name: &str, write: Vec<String>, read: Vec<String>) -> Profile {
        let b = builtin(name);
        let mut all_read: Vec<String> = b.map(|b| b.read.iter().map(|r| (*r).to_owned()).collect()).unwrap_or_default();
        all_read.extend(read);
        Profile { name: name.to_owned(), write, read: all_read, git_config: b.is_some_and(|b| b.git_config) }
    }

    /// What the policy added to the built-in part, for the command line: (`write`, `read`).
    pub fn policy_parts(&self) -> (&[String], Vec<&String>) {
        let builtin_read = builtin(&self.name).map(|b| b.read).unwrap_or_default();
        (&self.write, self.read.iter().filter(|r| !builtin_read.contains(&r.as_str())).collect())
    }
}

/// Why a profile name cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProfileError {
    #[error("no confinement profile `{0}` (built in: {builtin}; define others with [[profile]] in your policy)", builtin = BUILTIN.iter().map(|b| b.name).collect::<Vec<_>>().join(", "))]
    Unknown(String),
    #[error("a profile name is letters, digits, `-`, `_` and `.`: `{0}`")]
    BadName(String),
}

/// Whether `name` can name a profile.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// The profile `name`: a built-in one, extended by every `[[profile]]` of that name in `specs`
/// (system layer first, then the user's), or one the specs define.
pub fn resolve(name: &str, specs: &[ProfileSpec]) -> Result<Profile, ProfileError> {
    if !valid_name(name) {
        return Err(ProfileError::BadName(name.to_owned()));
    }
    let mine: Vec<&ProfileSpec> = specs.iter().filter(|s| s.name == name).collect();
    if builtin(name).is_none() && mine.is_empty() {
        return Err(ProfileError::Unknown(name.to_owned()));
    }
    Ok(Profile::from_parts(name, mine.iter().flat_map(|s| s.write.iter().cloned()).collect(), mine.iter().flat_map(|s| s.read.iter().cloned()).collect()))
}

/// What the plan is computed from.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub home: &'a str,
    /// The account's home from the user database, when it differs from `home` (`$HOME`, which
    /// a persistent agent shell could change): its secrets and guarded paths count as well.
    pub account_home: Option<&'a str>,
    /// The project root; `None` when the call's directory is home, `/` or a system directory
    /// (then nothing there is writable).
    pub project: Option<&'a str>,
    /// ana's own directories that hold state (data, runtime), never writable nor readable.
    pub ana_dirs: &'a [String],
    /// ana's configuration directories (policies, public keys): readable, never writable.
    pub ana_config: &'a [String],
    /// The command runs as root.
    pub root: bool,
    /// Build caches where the environment moved them (`$CARGO_HOME/registry`, …), as absolute
    /// paths: checked like every other area.
    pub env_caches: &'a [String],
    /// The git directories around the project ([`super::repo::layout`]). Those of the project's
    /// repository that lie outside it (a linked worktree's, a submodule's) are write areas too:
    /// git writes its objects, refs and index there.
    pub repo: Option<&'a Layout>,
}

/// The caches in a directory a build tool's environment variable names: (variable, entries).
pub const ENV_CACHES: &[(&str, &[&str])] =
    &[("CARGO_HOME", &["registry", "git", ".package-cache", ".package-cache-mutate", ".global-cache"]), ("RUSTUP_HOME", &["tmp"]), ("GOMODCACHE", &[""]), ("GOCACHE", &[""])];

/// The cache areas `env` names (see [`ENV_CACHES`]); relative or empty values are ignored.
pub fn env_caches(env: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let mut out = Vec::new();
    for (var, entries) in ENV_CACHES {
        let Some(dir) = env(var).filter(|d| d.starts_with('/')) else { continue };
        for e in *entries {
            let p = if e.is_empty() { dir.clone() } else { format!("{}/{e}", dir.trim_end_matches('/')) };
            out.push(crate::policy::path::normalize(&p, "/", "/"));
        }
    }
    out
}

/// The areas, as absolute paths, before any is opened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Directories (or files) writable, and readable, with everything beneath them.
    pub write: Vec<String>,
    /// Device files readable and writable.
    pub devices: Vec<String>,
    /// Paths that stay unreadable (when they exist and the user could read them).
    pub hidden: Vec<String>,
    /// Areas refused, and why (shown by `ana run --explain` and in tests).
    pub refused: Vec<(String, String)>,
    /// Paths inside a write area that are pinned in place by a mount (see [`Pin`]).
    pub pinned: Vec<(String, Pin)>,
}

/// How a path inside a write area is held, where Landlock cannot (it only grants, and a grant on
/// a directory covers everything beneath it): by a bind mount in a mount namespace of the
/// confined command's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pin {
    /// Cannot be renamed, replaced or removed (a mount point), but its contents stay writable:
    /// the repository's `.git`, so that another directory cannot take its place.
    InPlace,
    /// Pinned in place like [`Pin::InPlace`], because something held lies beneath it (a
    /// directory above a git directory); when it is not a real directory, what lies beneath is
    /// still held.
    Above,
    /// Read-only: `.git/config` and `.git/hooks`, which run code, and say where a push lands,
    /// the next time anyone runs git there.
    ReadOnly,
}

/// What the mounts keep in place, in the order they must be made (a directory before what is
/// pinned inside it). Each git directory of `repo` that lies in a write area is pinned in place,
/// its `config`, `config.worktree`, `hooks` and `commondir` read-only; each `.git` file there
/// (`gitdir: …`) read-only. A profile with `git_config` leaves the project repository's own
/// config and hooks writable (not its submodules' or nested repositories').
pub fn pins(repo: &Layout, write: &[String], profile: &Profile) -> Vec<(String, Pin)> {
    let writable = |p: &str| write.iter().any(|w| within(p, w));
    let mut out = Vec::new();
    // The project repository's own git directory and common directory first; a linked
    // worktree's git directory holds no config or hooks of its own (see below).
    let worktree_dir = |g: &str| repo.worktrees.iter().any(|w| w == g);
    for (g, own) in repo.own.iter().map(|g| (g, true)).chain(repo.others.iter().map(|g| (g, false))) {
        if !writable(g) {
            continue;
        }
        out.push((g.clone(), Pin::InPlace));
        out.push((format!("{g}/commondir"), Pin::ReadOnly));
        if worktree_dir(g) {
            continue;
        }
        if !(own && profile.git_config) {
            for f in ["config", "config.worktree", "hooks"] {
                out.push((format!("{g}/{f}"), Pin::ReadOnly));
            }
        }
    }
    // Every linked worktree's `commondir` (which says where its config is) and
    // `config.worktree`.
    for w in repo.worktrees.iter().filter(|w| writable(w)) {
        out.push((format!("{w}/commondir"), Pin::ReadOnly));
        out.push((format!("{w}/config.worktree"), Pin::ReadOnly));
    }
    out.extend(repo.links.iter().filter(|l| writable(l)).map(|l| (l.clone(), Pin::ReadOnly)));
    // What is held can still be carried off with a directory above it (`.git/modules`, the
    // nested repository's own directory, a submodule's working tree): renamed, it takes the held
    // entries with it and leaves room for a copy of the attacker's. So every directory above a
    // held entry that could be renamed (its parent lies in a write area) is pinned in place too.
    let mut above: Vec<(String, Pin)> = Vec::new();
    for (p, _) in &out {
        let mut d = parent(p);
        while let Some(dir) = d {
            match parent(dir) {
                Some(up) if writable(up) => {
                    above.push((dir.to_owned(), Pin::Above));
                    d = Some(up);
                }
                _ => break,
            }
        }
    }
    // A directory pinned for its own sake stays so.
    above.retain(|(d, _)| !out.iter().any(|(p, _)| p == d));
    out.extend(above);
    // A directory before what lies inside it (its path is a prefix of theirs).
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup();
    out
}

/// Expands `~` and `~/…`; anything not absolute after that is `None`.
pub fn expand(pattern: &str, home: &str) -> Option<String> {
    if !(pattern.starts_with('/') || pattern == "~" || pattern.starts_with("~/")) {
        return None;
    }
    let p = if pattern == "~" {
        home.to_owned()
    } else if let Some(rest) = pattern.strip_prefix("~/") {
        format!("{}/{rest}", home.trim_end_matches('/'))
    } else {
        pattern.to_owned()
    };
    if clean(&p) {
        return Some(p);
    }
    let p = crate::policy::path::normalize(&p, "/", home);
    p.starts_with('/').then_some(p)
}

/// `p` is already in the form [`crate::policy::path::normalize`] gives: absolute, no empty, `.`
/// or `..` component, no trailing `/`, nothing under `/proc` (whose links it resolves).
fn clean(p: &str) -> bool {
    p.len() > 1 && p.starts_with('/') && !p.ends_with('/') && !p.contains("/proc/") && p[1..].split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// `a` is `b` or lies beneath it.
/// The directory holding `p` (an absolute path), if any.
fn parent(p: &str) -> Option<&str> {
    match p.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) if p.len() > 1 => Some("/"),
        Some((d, _)) if !d.is_empty() => Some(d),
        _ => None,
    }
}

fn within(a: &str, b: &str) -> bool {
    a == b || b == "/" || (a.starts_with(b) && a.as_bytes().get(b.len()) == Some(&b'/'))
}

/// The kind of candidate area a built-in cache is.
const BUILTIN_CACHE: &str = "built-in cache";

/// Computes the plan for `profile` in `ctx`. Every refused area is listed with its reason.
pub fn plan(profile: &Profile, ctx: &Context) -> Plan {
    let home = ctx.home.trim_end_matches('/');
    let home = if home.is_empty() { "/" } else { home };
    let homes: Vec<&str> = std::iter::once(home).chain(ctx.account_home.map(|h| h.trim_end_matches('/')).filter(|h| !h.is_empty() && *h != home)).collect();
    // ana's own directories, then the built-in guarded paths of every home.
    let own = ctx.ana_dirs.len() + ctx.ana_config.len();
    let guarded: Vec<String> =
        ctx.ana_dirs.iter().cloned().chain(ctx.ana_config.iter().cloned()).chain(homes.iter().flat_map(|h| NEVER_WRITABLE.iter().chain(SECRETS).filter_map(move |p| expand(p, h)))).collect();
    let mut out = Plan::default();
    let mut candidates: Vec<(String, &str)> = Vec::new();
    if let Some(p) = ctx.project {
        candidates.push((p.to_owned(), "project"));
    }
    if let Some(repo) = ctx.repo.filter(|_| ctx.project.is_some()) {
        candidates.extend(repo.own.iter().filter(|g| !ctx.project.is_some_and(|p| within(g, p))).map(|g| (g.clone(), "git")));
    }
    candidates.extend(TEMP.iter().map(|t| ((*t).to_owned(), "temp")));
    candidates.extend(CACHES.iter().filter_map(|c| expand(c, home)).map(|c| (c, BUILTIN_CACHE)));
    candidates.extend(ctx.env_caches.iter().map(|c| (c.clone(), "cache")));
    for w in &profile.write {
        match expand(w, home) {
            Some(p) => candidates.push((p, "profile")),
            None => out.refused.push((w.clone(), "not an absolute path".into())),
        }
    }
    // The built-in caches lie apart from the built-in guarded paths of the same home (a test
    // checks it): with one home, only ana's own directories can overlap them.
    for (area, kind) in candidates {
        let check = if kind == BUILTIN_CACHE && homes.len() == 1 { &guarded[..own] } else { &guarded[..] };
        let why = if homes.iter().any(|h| within(h, &area)) {
            Some("contains the home directory".to_owned())
        } else {
            check.iter().find(|g| within(&area, g) || within(g, &area)).map(|g| format!("overlaps {g}, which is never writable"))
        };
        match why {
            Some(why) => out.refused.push((area, why)),
            None if !out.write.contains(&area) => out.write.push(area),
            None => {}
        }
    }
    out.devices = DEVICES.iter().chain(DEVICE_DIRS).map(|d| (*d).to_owned()).collect();
    if let Some(repo) = ctx.repo {
        out.pinned = pins(repo, &out.write, profile);
    }

    let readable: Vec<String> = profile.read.iter().filter_map(|r| expand(r, home)).collect();
    out.hidden = homes.iter().flat_map(|h| SECRETS.iter().filter_map(move |s| expand(s, h))).chain(ctx.ana_dirs.iter().cloned()).filter(|s| !readable.iter().any(|r| within(s, r))).collect();
    out.hidden.dedup();
    out
}

/// One line naming the writable areas, for the note a failed confined command prints.
pub fn summary(project: Option<&str>) -> String {
    match project {
        Some(p) => format!("the project ({p}), temp directories and build caches"),
        None => "temp directories and build caches (not this directory: it is home or a system directory)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(project: Option<&'a str>, ana: &'a [String]) -> Context<'a> {
        Context { home: "/home/u", account_home: None, project, ana_dirs: ana, ana_config: &[], root: false, env_caches: &[], repo: None }
    }

    #[test]
    fn the_base_opens_project_temp_and_caches() {
        let p = plan(&resolve(DEFAULT, &[]).unwrap(), &ctx(Some("/home/u/src/x"), &[]));
        assert!(p.write.contains(&"/home/u/src/x".to_owned()));
        assert!(p.write.contains(&"/tmp".to_owned()));
        assert!(p.write.contains(&"/home/u/.cargo/registry".to_owned()));
        assert!(p.hidden.contains(&"/home/u/.aws".to_owned()));
        assert!(p.refused.is_empty(), "{:?}", p.refused);
    }

    #[test]
    fn areas_over_home_or_guarded_paths_are_refused() {
        let spec = ProfileSpec {
            name: DEFAULT.into(),
            write: vec!["~".into(), "/".into(), "/home".into(), "~/.config".into(), "~/.ssh/x".into(), "~/.local/bin".into(), "relative".into(), "~/.cache/ok".into(), "/srv/ana-data".into()],
            ..Default::default()
        };
        let ana = vec!["/srv/ana-data/x".to_owned()];
        let p = plan(&resolve(DEFAULT, &[spec]).unwrap(), &ctx(Some("/home/u/.config"), &ana));
        let refused: Vec<&str> = p.refused.iter().map(|(a, _)| a.as_str()).collect();
        for r in ["/home/u", "/", "/home", "/home/u/.config", "/home/u/.ssh/x", "/home/u/.local/bin", "relative", "/srv/ana-data"] {
            assert!(refused.contains(&r), "{r} should be refused: {refused:?}");
        }
        assert!(p.write.contains(&"/home/u/.cache/ok".to_owned()));
        assert!(!p.write.iter().any(|w| w == "/home/u/.config"));
    }

    #[test]
    fn a_profile_reads_only_the_secrets_it_lists() {
        let spec = ProfileSpec { name: "aws".into(), read: vec!["~/.aws".into()], ..Default::default() };
        let p = plan(&resolve("aws", &[spec]).unwrap(), &ctx(None, &[]));
        assert!(!p.hidden.contains(&"/home/u/.aws".to_owned()));
        assert!(p.hidden.contains(&"/home/u/.ssh".to_owned()));
        assert!(!p.write.iter().any(|w| w.starts_with("/home/u/src")));
    }

    #[test]
    fn the_accounts_own_home_counts_when_home_was_changed() {
        let c = Context { home: "/tmp/fake", account_home: Some("/home/u"), project: Some("/home/u/src/x"), ana_dirs: &[], ana_config: &[], root: false, env_caches: &[], repo: None };
        let p = plan(&resolve(DEFAULT, &[]).unwrap(), &c);
        assert!(p.hidden.contains(&"/home/u/.aws".to_owned()) && p.hidden.contains(&"/tmp/fake/.aws".to_owned()));
        // /tmp holds the (fake) home: refused.
        assert!(p.refused.iter().any(|(a, _)| a == "/tmp"), "{:?}", p.refused);
    }

    #[test]
    fn the_repositorys_config_and_hooks_are_pinned() {
        let repo = Layout { own: vec!["/home/u/src/x/.git".into()], ..Default::default() };
        let c = Context { root: true, repo: Some(&repo), ..ctx(Some("/home/u/src/x"), &[]) };
        let p = plan(&resolve(DEFAULT, &[]).unwrap(), &c);
        assert!(p.hidden.contains(&"/etc/shadow".to_owned()), "{:?}", p.hidden);
        assert!(p.pinned.contains(&("/home/u/src/x/.git/config".to_owned(), Pin::ReadOnly)), "{:?}", p.pinned);
        let p = plan(&resolve("git-config", &[]).unwrap(), &Context { repo: Some(&repo), ..ctx(Some("/home/u/src/x"), &[]) });
        assert_eq!(p.pinned, vec![("/home/u/src/x/.git".to_owned(), Pin::InPlace), ("/home/u/src/x/.git/commondir".to_owned(), Pin::ReadOnly)]);
    }

    #[test]
    fn a_worktrees_git_directories_are_write_areas_held_like_the_projects_own() {
        let repo = Layout {
            own: vec!["/home/u/src/main/.git/worktrees/w".into(), "/home/u/src/main/.git".into()],
            worktrees: vec!["/home/u/src/main/.git/worktrees/w".into()],
            others: vec!["/home/u/src/main/.git/modules/lib".into(), "/home/u/src/w/vendor/x/.git".into()],
            links: vec!["/home/u/src/w/.git".into()],
        };
        let p = plan(&resolve(DEFAULT, &[]).unwrap(), &Context { repo: Some(&repo), ..ctx(Some("/home/u/src/w"), &[]) });
        assert!(p.write.contains(&"/home/u/src/main/.git".to_owned()), "{:?}", p.write);
        for (path, pin) in [
            ("/home/u/src/main/.git", Pin::InPlace),
            ("/home/u/src/main/.git/config", Pin::ReadOnly),
            ("/home/u/src/main/.git/hooks", Pin::ReadOnly),
            ("/home/u/src/main/.git/worktrees/w/commondir", Pin::ReadOnly),
            ("/home/u/src/main/.git/worktrees/w/config.worktree", Pin::ReadOnly),
            ("/home/u/src/main/.git/modules/lib/config", Pin::ReadOnly),
            ("/home/u/src/main/.git/modules/lib/hooks", Pin::ReadOnly),
            ("/home/u/src/w/vendor/x/.git/config", Pin::ReadOnly),
            ("/home/u/src/w/.git", Pin::ReadOnly),
        ] {
            assert!(p.pinned.contains(&(path.to_owned(), pin)), "{path}: {:?}", p.pinned);
        }
        let main = p.pinned.iter().position(|(q, _)| q == "/home/u/src/main/.git").unwrap();
        let inner = p.pinned.iter().position(|(q, _)| q == "/home/u/src/main/.git/worktrees/w").unwrap();
        assert!(main < inner, "a directory is held before what is inside it");
        assert!(!p.pinned.iter().any(|(q, _)| q == "/home/u/src/main/.git/worktrees/w/hooks"), "a worktree's git directory has no hooks of its own: {:?}", p.pinned);
        // A git directory under a guarded path is no write area, and not pinned.
        let repo = Layout { own: vec!["/home/u/.claude/x".into()], ..Default::default() };
        let p = plan(&resolve(DEFAULT, &[]).unwrap(), &Context { repo: Some(&repo), ..ctx(Some("/home/u/src/w"), &[]) });
        assert!(!p.write.iter().any(|w| w.starts_with("/home/u/.claude")) && p.pinned.is_empty(), "{:?} {:?}", p.write, p.pinned);
    }

    #[test]
    fn unknown_and_bad_names() {
        assert_eq!(resolve("nope", &[]), Err(ProfileError::Unknown("nope".into())));
        assert_eq!(resolve("a b", &[]), Err(ProfileError::BadName("a b".into())));
    }

    #[test]
    fn the_builtin_caches_lie_apart_from_the_guarded_paths() {
        for home in ["/home/u", "/root", "/"] {
            let guarded: Vec<String> = NEVER_WRITABLE.iter().chain(SECRETS).filter_map(|p| expand(p, home)).collect();
            for c in CACHES.iter().filter_map(|c| expand(c, home)) {
                assert!(!guarded.iter().any(|g| within(&c, g) || within(g, &c)), "{c} overlaps a guarded path");
            }
        }
        // With the guarded paths of a second home (HOME changed), a cache can be refused.
        let c = Context { home: "/home/u/.config/systemd", account_home: Some("/home/u"), ..ctx(None, &[]) };
        let p = plan(&resolve(DEFAULT, &[]).unwrap(), &c);
        assert!(p.refused.iter().any(|(a, _)| a == "/home/u/.config/systemd/.npm"), "{:?}", p.refused);
        // And an ana directory inside a cache is never writable.
        let ana = vec!["/home/u/.npm/ana".to_owned()];
        let p = plan(&resolve(DEFAULT, &[]).unwrap(), &ctx(None, &ana));
        assert!(p.refused.iter().any(|(a, _)| a == "/home/u/.npm"), "{:?}", p.refused);
    }

    #[test]
    fn expand_takes_the_short_way_only_for_clean_paths() {
        assert_eq!(expand("~/.npm", "/home/u").as_deref(), Some("/home/u/.npm"));
        assert_eq!(expand("~/a/../.npm", "/home/u").as_deref(), Some("/home/u/.npm"));
        assert_eq!(expand("~/./x//y/", "/home/u").as_deref(), Some("/home/u/x/y"));
        assert_eq!(expand("/x/..", "/home/u").as_deref(), Some("/"));
        assert!(!clean("/a/./b") && !clean("/a//b") && !clean("/a/") && !clean("/") && clean("/a/b"));
    }

    #[test]
    fn within_is_by_component() {
        assert!(within("/a/b", "/a"));
        assert!(!within("/ab", "/a"));
        assert!(within("/x", "/"));
    }
}
