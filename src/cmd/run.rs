//! `ana run`: confines itself with a profile, then runs the command.
//!
//! ```text
//! ana run [--profile NAME] [--project DIR] [--cwd-file FILE] -c 'SHELL COMMAND'
//! ana run [--profile NAME] [--project DIR] -- PROGRAM [ARG…]
//! ana run [--profile NAME] [--project DIR] --explain
//! ana run --resolved --profile NAME [--write AREA]… [--read SECRET]… [--project DIR] …
//! ```
//!
//! The hook puts it in front of every shell command it lets run (see `crate::confine`). It
//! never runs the command unconfined: a bad argument, an unknown profile, a kernel that refuses
//! the ruleset all end with exit status 126 and a line on stderr. Like `hook`, it skips the
//! general CLI parser (`main` hands argv straight here): it runs before every confined command.
//!
//! With `--resolved` (what the hook writes) the profile is complete on the command line: the
//! built-in part of `NAME` plus the `--write` and `--read` areas the policy's `[[profile]]`
//! tables add, so `ana run` reads no policy file. Whatever the areas, the plan refuses those
//! over the home directory or ana's and the agents' files; and the hook checks a line that
//! claims to be its own before it lets it pass.

use std::ffi::{CString, OsString};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::confine::{self, profile, rewrite};
use crate::paths::Paths;

/// The exit status when the command could not be started confined (as a shell's "cannot execute").
pub const CANNOT_RUN: i32 = 126;

const USAGE: &str = "usage: ana run [--profile NAME] [--project DIR] [--cwd-file FILE] (-c 'COMMAND' | -- PROGRAM [ARG…] | --explain)";

#[derive(Debug, Default)]
struct Args {
    profile: Option<String>,
    /// The profile is complete on the command line (`--write`, `--read`): no policy is read.
    resolved: bool,
    write: Vec<String>,
    read: Vec<String>,
    project: Option<String>,
    cwd_file: Option<PathBuf>,
    shell_command: Option<String>,
    argv: Vec<OsString>,
    explain: bool,
}

fn parse(args: &[OsString]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut i = 0;
    let text = |a: &OsString| a.to_str().map(str::to_owned).ok_or_else(|| "an argument is not UTF-8".to_owned());
    while i < args.len() {
        let a = text(&args[i])?;
        let mut value = |name: &str| -> Result<String, String> {
            i += 1;
            args.get(i).ok_or_else(|| format!("`{name}` needs a value")).and_then(text)
        };
        match a.as_str() {
            "--profile" | "-p" => out.profile = Some(value("--profile")?),
            "--project" => out.project = Some(value("--project")?),
            "--resolved" => out.resolved = true,
            "--write" => out.write.push(value("--write")?),
            "--read" => out.read.push(value("--read")?),
            "--cwd-file" => out.cwd_file = Some(PathBuf::from(value("--cwd-file")?)),
            "-c" => out.shell_command = Some(value("-c")?),
            "--explain" => out.explain = true,
            "--" => {
                out.argv = args[i + 1..].to_vec();
                break;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
        i += 1;
    }
    if let Some(p) = out.project.as_ref().filter(|p| !p.starts_with('/')) {
        return Err(format!("`--project {p}` is not an absolute path"));
    }
    let areas = !out.write.is_empty() || !out.read.is_empty();
    if areas && !out.resolved {
        return Err("`--write` and `--read` go with `--resolved`".into());
    }
    let forms = usize::from(out.shell_command.is_some()) + usize::from(!out.argv.is_empty()) + usize::from(out.explain);
    if forms != 1 {
        return Err("give exactly one of `-c COMMAND`, `-- PROGRAM …` or `--explain`".into());
    }
    Ok(out)
}

fn fail(msg: &str) -> ! {
    let _ = writeln!(std::io::stderr(), "ana run: {msg}; the command was not run");
    std::process::exit(CANNOT_RUN)
}

/// The `[[profile]]` tables of the system's and the user's policy files (a project's policy
/// cannot define profiles: an agent can write files in its project).
fn profile_specs(paths: &Paths) -> Result<Vec<profile::ProfileSpec>, String> {
    #[derive(serde::Deserialize)]
    struct OnlyProfiles {
        #[serde(default)]
        profile: Vec<profile::ProfileSpec>,
    }
    let mut specs = Vec::new();
    for file in [paths.system_policy(), paths.user_policy()] {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
        };
        let parsed: OnlyProfiles = toml::from_str(&text).map_err(|e| format!("{}: {}", file.display(), e.message()))?;
        specs.extend(parsed.profile);
    }
    Ok(specs)
}

/// ana's directories that hold state (the history, grants, a software key, the runtime
/// directory): never writable, never readable. The configuration (`~/.config/ana`, `/etc/ana`:
/// policies and the enrolled keys' public parts) stays readable, so that `ana explain` and
/// `ana check` work confined; it is never writable (see `profile::NEVER_WRITABLE`). The runtime
/// directory is left out when it lies in a temp directory (an `XDG_RUNTIME_DIR` under `/tmp`):
/// the temp directories stay writable, and the socket there checks its peer.
fn ana_dirs(paths: &Paths) -> Vec<String> {
    let runtime = paths.runtime.display().to_string();
    let in_temp = profile::TEMP.iter().any(|t| runtime.starts_with(&format!("{t}/")));
    let mut v: Vec<String> = vec![paths.data.display().to_string()];
    if paths.state != paths.data {
        v.push(paths.state.display().to_string());
    }
    if !in_temp {
        v.push(runtime);
    }
    v
}

/// Where cwd files live: a directory of the user's that no confined command can write — ana's
/// runtime directory in user mode; in system mode, where that directory is the approval agent's
/// (the user may not create files in it), the user's own data directory.
pub fn cwd_dir(paths: &Paths) -> PathBuf {
    match paths.mode {
        crate::paths::Mode::User => paths.runtime.join("cwd"),
        crate::paths::Mode::System => paths.data.join("run").join("cwd"),
    }
}

/// Creates the cwd file (it must be new, directly in [`cwd_dir`], and not a link) and puts it
/// on [`rewrite::CWD_FD`] for the confined shell.
fn open_cwd_file(paths: &Paths, file: &Path) -> Result<(), String> {
    let dir = cwd_dir(paths);
    if file.parent() != Some(dir.as_path()) || file.file_name().is_none_or(|n| n.len() < 16) {
        return Err(format!("`--cwd-file` must be a fresh name in {}", dir.display()));
    }
    Paths::create_private_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // Now and then, remove what earlier calls left (the agent's shell reads the file after this
    // process is gone, so nobody removes it right away).
    if file.file_name().is_some_and(|n| n.as_bytes().first() == Some(&b'0')) {
        prune(&dir);
    }
    let c = CString::new(file.as_os_str().as_bytes()).map_err(|_| "`--cwd-file` holds a NUL byte".to_owned())?;
    // SAFETY: a valid C string; the flags make it a new regular file, never a link's target.
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC, 0o600) };
    if fd < 0 {
        return Err(format!("cannot create {}: {}", file.display(), std::io::Error::last_os_error()));
    }
    // SAFETY: both descriptors are valid; dup2 clears close-on-exec on the copy, which is the
    // point: the confined shell inherits it.
    unsafe {
        if libc::dup2(fd, rewrite::CWD_FD) < 0 {
            return Err(format!("cannot pass the cwd file on: {}", std::io::Error::last_os_error()));
        }
        libc::close(fd);
    }
    Ok(())
}

fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in entries.flatten() {
        if e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < hour_ago) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The home directory of this process's account, from `/etc/passwd` (read directly: NSS in a
/// statically linked binary would load shared libraries at run time). `None` for an account
/// that is not listed there (LDAP, …): then only `$HOME` counts.
fn account_home() -> Option<String> {
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() }.to_string();
    let text = std::fs::read_to_string("/etc/passwd").ok()?;
    text.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 7 && f[2] == uid && f[5].starts_with('/')).then(|| f[5].to_owned())
    })
}

fn shell() -> &'static str {
    if Path::new("/bin/bash").exists() { "/bin/bash" } else { "/bin/sh" }
}

/// Runs `ana run` with the process's argv after `run`. Never returns.
pub fn main(args: &[OsString]) -> ! {
    // Help, when asked for before the command (`ana run -c 'x --help'` runs x with --help).
    if args.iter().take_while(|a| *a != "-c" && *a != "--").any(|a| a == "--help" || a == "-h") {
        println!(
            "Runs a command confined by the kernel (Landlock): it may write only beneath the project, the temp\ndirectories and the build caches of its profile, and cannot read the policy's secrets. The hook puts\nit in front of the commands it lets run confined; `--explain` lists a profile's areas.\n\n{USAGE}\n\nExample:\n  ana run --explain\n  ana run --project \"$PWD\" -c 'python3 -c \"print(1)\"'"
        );
        std::process::exit(0);
    }
    let mut args = parse(args).unwrap_or_else(|e| fail(&format!("{e}\n{USAGE}")));
    let paths = Paths::current();
    let name = args.profile.clone().unwrap_or_else(|| profile::DEFAULT.to_owned());
    let prof = if args.resolved {
        if !profile::valid_name(&name) {
            fail(&profile::ProfileError::BadName(name.clone()).to_string());
        }
        profile::Profile::from_parts(&name, std::mem::take(&mut args.write), std::mem::take(&mut args.read))
    } else {
        let specs = profile_specs(&paths).unwrap_or_else(|e| fail(&e));
        profile::resolve(&name, &specs).unwrap_or_else(|e| fail(&e.to_string()))
    };
    let dirs = ana_dirs(&paths);
    let config = [paths.config.display().to_string(), paths.system.display().to_string()];
    let caches = profile::env_caches(|k| std::env::var(k).ok());
    // An account home that does not exist (`/nonexistent`) holds nothing to guard or hide.
    let account = account_home().filter(|h| *h != paths.home && std::fs::symlink_metadata(h).is_ok());
    // SAFETY: getuid cannot fail.
    let root = unsafe { libc::getuid() } == 0;
    let repo = args.project.as_deref().map(confine::repo::layout);
    let ctx = profile::Context {
        home: &paths.home,
        account_home: account.as_deref(),
        project: args.project.as_deref(),
        ana_dirs: &dirs,
        ana_config: &config,
        root,
        env_caches: &caches,
        repo: repo.as_ref(),
    };
    let plan = profile::plan(&prof, &ctx);

    if args.explain {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "profile {}: {}", prof.name, confine::support().describe());
        for w in &plan.write {
            let _ = writeln!(out, "write   {w}");
        }
        for d in &plan.devices {
            let _ = writeln!(out, "device  {d}");
        }
        for h in &plan.hidden {
            let _ = writeln!(out, "hidden  {h}");
        }
        for (a, why) in &plan.refused {
            let _ = writeln!(out, "refused {a}: {why}");
        }
        for (p, pin) in &plan.pinned {
            let how = match pin {
                profile::Pin::InPlace | profile::Pin::Above => "pinned  ",
                profile::Pin::ReadOnly => "readonly",
            };
            let _ = writeln!(out, "{how} {p}");
        }
        std::process::exit(0);
    }

    // The switch only ever makes the hook ask for approval; here, with the kernel willing, the
    // command runs confined whatever the environment says.
    let abi = match confine::landlock::kernel_support() {
        confine::Support::Landlock { abi } => abi,
        confine::Support::Unavailable(why) => fail(&format!("cannot confine: {why}")),
    };
    let with_cwd = match (&args.cwd_file, &args.shell_command) {
        (Some(f), Some(_)) => {
            open_cwd_file(&paths, f).unwrap_or_else(|e| fail(&e));
            true
        }
        (Some(_), None) => fail("`--cwd-file` goes with `-c`"),
        _ => false,
    };
    // What Landlock cannot hold (the repository's config and hooks), the mount table does, and
    // it covers the secrets that exist (cheaper than a Landlock rule for every entry beside
    // each). Where no mount namespace can be made, the command still runs confined by Landlock,
    // which then hides the secrets itself (`ana doctor` says so); a half-made user namespace is
    // never run in.
    let homes: Vec<confine::secrets::Home> = std::iter::once(paths.home.as_str()).chain(account.as_deref().filter(|a| *a != paths.home)).map(confine::secrets::Home::list).collect();
    let mut plan = plan;
    plan.write.retain(|w| homes.iter().all(|h| h.may_exist(w)));
    // SAFETY: getuid cannot fail.
    let secrets = confine::secrets::present(&plan.hidden, &homes, unsafe { libc::getuid() });
    let held = match confine::mounts::hold(&plan.pinned, &secrets) {
        Ok(held) => held,
        Err(e) if e.fatal() => fail(&format!("cannot confine: {e}")),
        Err(_) => confine::mounts::Held::default(),
    };
    let left: &[confine::secrets::Secret] = if held.masked { &[] } else { &secrets };
    if let Err(e) = confine::landlock::restrict(&plan, abi, left) {
        fail(&format!("cannot confine: {e}"));
    }

    let argv: Vec<CString> = match &args.shell_command {
        Some(cmd) => {
            let script = if with_cwd { rewrite::inner_script(cmd) } else { cmd.clone() };
            let sh = shell();
            [sh, "-c", &script].iter().map(|s| CString::new(*s)).collect::<Result<_, _>>().unwrap_or_else(|_| fail("the command holds a NUL byte"))
        }
        None => args.argv.iter().map(|a| CString::new(a.as_bytes())).collect::<Result<_, _>>().unwrap_or_else(|_| fail("an argument holds a NUL byte")),
    };
    let mut ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: `ptrs` is a null-terminated array of valid C strings that outlive the call.
    unsafe { libc::execvp(ptrs[0], ptrs.as_ptr()) };
    let err = std::io::Error::last_os_error();
    let _ = writeln!(std::io::stderr(), "ana run: {}: {err}", argv[0].to_string_lossy());
    std::process::exit(if err.kind() == std::io::ErrorKind::NotFound { 127 } else { CANNOT_RUN })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Args, String> {
        parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn exactly_one_form() {
        assert!(p(&["-c", "true"]).is_ok());
        assert!(p(&["--", "true"]).is_ok());
        assert!(p(&["--explain"]).is_ok());
        assert!(p(&[]).is_err());
        assert!(p(&["-c", "true", "--", "x"]).is_err());
        assert!(p(&["--project", "rel", "-c", "x"]).is_err());
        assert!(p(&["--bogus"]).is_err());
        assert!(p(&["--write", "/x", "-c", "true"]).is_err(), "areas only with --resolved");
        let a = p(&["--resolved", "--profile", "aws", "--write", "~/.c", "--read", "~/.r", "-c", "x"]).unwrap();
        assert_eq!((a.write, a.read), (vec!["~/.c".to_owned()], vec!["~/.r".to_owned()]));
    }
}
