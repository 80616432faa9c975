//! What the confinement entry adds to a command: whole processes, timed pair by pair (direct,
//! confined, direct, confined…) so that machine noise hits both alike. Reports medians, the
//! difference and the ratio.
//!
//! cargo bench --bench confine_process            (300 pairs per case)
//! ANA_BENCH_PAIRS=1000 cargo bench --bench confine_process
//! ANA_BENCH_BIN=/path/to/ana cargo bench --bench confine_process   (time a given binary)
//!
//! ANA_BENCH_USER=name cargo bench --bench confine_process (as root: the unprivileged account the
//!                                   `user` rows run as; `nobody` by default)
//!
//! Cases:
//! - `exec`: `/bin/true` against `ana run --resolved -- /bin/true` (the entry itself: argument
//!   parsing, the profile as the hook passes it, the mounts that hold the repository's config
//!   and hooks and cover the secrets, the ruleset, exec), in a git project (`git`) and in a
//!   directory that is none (`plain`); run as root, again as an unprivileged user (`user`) whose
//!   home holds a few dotfiles, `~/.ssh` with a key, `~/.npmrc` and `~/.config/gh`;
//! - `shell`: `bash -c true` against `ana run -c true` (what a confined call runs);
//! - `agent line`: `sh -c 'true'` against `sh -c '<the hook's rewritten line>'` (the whole
//!   rewritten command as an agent runs it, cwd hand-back included).
//!
//! Target: the entry adds at most 1 ms.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "support/ana_binary.rs"]
mod ana_binary;
use ana_binary::ana_binary;

/// CPU time (user + system) of the children waited for so far, in µs.
fn children_cpu() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    let us = |t: libc::timeval| t.tv_sec as f64 * 1e6 + t.tv_usec as f64;
    us(ru.ru_utime) + us(ru.ru_stime)
}

/// Who runs a case, where.
struct Setting {
    label: String,
    /// Run as this user and group (as root only).
    ids: Option<(u32, u32)>,
    env: Vec<(&'static str, String)>,
    project: PathBuf,
}

/// Runs `argv` once: (wall µs, CPU µs).
fn once(argv: &[String], s: &Setting) -> (f64, f64) {
    use std::os::unix::process::CommandExt;
    let cpu = children_cpu();
    let start = Instant::now();
    let mut c = Command::new(&argv[0]);
    c.args(&argv[1..]).env_clear().envs(s.env.iter().map(|(k, v)| (*k, v.as_str()))).current_dir(&s.project).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    if let Some((uid, gid)) = s.ids {
        // (std drops root's supplementary groups when it sets the user.)
        c.gid(gid).uid(uid);
    }
    let status = c.status().expect("spawn");
    let us = start.elapsed().as_secs_f64() * 1e6;
    assert!(status.success(), "{argv:?} failed");
    (us, children_cpu() - cpu)
}

/// A home like a developer's (dotfiles, `~/.ssh` with a key, a registry token, the GitHub CLI's
/// login, caches), a git project and a plain directory beside it, owned by `ids`.
fn make_home(base: &Path, ids: Option<(u32, u32)>) -> (PathBuf, PathBuf, PathBuf) {
    let home = base.join("home");
    for d in [".ssh", ".config/gh", ".config/git", ".cache/pip", ".cargo/registry", ".npm", ".local/share"] {
        std::fs::create_dir_all(home.join(d)).expect("home");
    }
    for f in [".bashrc", ".profile", ".gitconfig", ".npmrc", ".bash_history", ".viminfo", ".ssh/id_ed25519", ".ssh/id_ed25519.pub", ".ssh/known_hosts", ".config/gh/hosts.yml"] {
        std::fs::write(home.join(f), "x\n").expect("home");
    }
    let (git, plain) = (base.join("project"), base.join("plain"));
    // A repository, as most projects are: its config and hooks are held by mounts.
    std::fs::create_dir_all(git.join(".git/hooks")).expect("project");
    std::fs::write(git.join(".git/config"), "[core]\n").expect("project");
    std::fs::write(git.join(".git/HEAD"), "ref: refs/heads/main\n").expect("project");
    std::fs::create_dir_all(&plain).expect("plain");
    if let Some((uid, gid)) = ids {
        let status = Command::new("chown").arg("-R").arg(format!("{uid}:{gid}")).arg(base).status().expect("chown");
        assert!(status.success(), "chown");
    }
    (home, git, plain)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    v[v.len() / 2]
}

fn main() {
    if !ana::confine::landlock::kernel_support().is_available() {
        eprintln!("confine_process: no Landlock here ({}); nothing to measure", ana::confine::landlock::kernel_support().describe());
        std::process::exit(1);
    }
    let ana = ana_binary();
    let ana = ana.display().to_string();
    let pairs: usize = std::env::var("ANA_BENCH_PAIRS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let scratch = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("scratch");
    let ana_home = scratch.path().join("ana");
    let path = std::env::var("PATH").unwrap_or_default();
    // SAFETY: getuid cannot fail.
    let root = unsafe { libc::getuid() } == 0;
    let mut settings = Vec::new();
    let real_home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let (_, git, plain) = make_home(scratch.path(), None);
    for (where_, project) in [("git", git), ("plain", plain)] {
        let env = vec![("ANA_HOME", ana_home.display().to_string()), ("HOME", real_home.clone()), ("PATH", path.clone())];
        settings.push(Setting { label: format!("{} {where_}", if root { "root" } else { "me" }), ids: None, env, project });
    }
    // The unprivileged user's home lies outside the temp directories (a home there would make
    // them no write area) and somewhere that user can reach.
    let user_scratch = if root { Some(tempfile::Builder::new().prefix("ana-bench-").tempdir_in("/home").expect("a scratch dir in /home")) } else { None };
    if let Some(dir) = &user_scratch {
        let name = std::env::var("ANA_BENCH_USER").unwrap_or_else(|_| "nobody".into());
        let ids = user_ids(&name).unwrap_or_else(|| panic!("no user {name} in /etc/passwd"));
        let (home, git, plain) = make_home(dir.path(), Some(ids));
        let ana_home = dir.path().join("ana");
        for (where_, project) in [("git", git), ("plain", plain)] {
            let env = vec![("ANA_HOME", ana_home.display().to_string()), ("HOME", home.display().to_string()), ("PATH", path.clone())];
            settings.push(Setting { label: format!("user {where_}"), ids: Some(ids), env, project });
        }
    }
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    println!("{pairs} pairs per case; ana = {ana}");
    println!("{:<20} {:>11} {:>12} {:>9} {:>7}   {:>9} {:>10} {:>10}", "case", "direct µs", "confined µs", "added µs", "ratio", "CPU dir.", "CPU conf.", "CPU added");
    for (n, setting) in settings.iter().enumerate() {
        let proj = setting.project.display().to_string();
        let ana_home = setting.env.iter().find(|(k, _)| *k == "ANA_HOME").map(|(_, v)| v.clone()).expect("ANA_HOME");
        let line = |i: usize| {
            // Spread like the hook's random names: one in 16 starts with `0`, which prunes old files.
            let file = format!("{ana_home}/run/cwd/{:016x}{:016x}", (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15), i);
            ana::confine::rewrite::command_line(&ana::confine::rewrite::Rewrite { ana: &ana, profile: "project", write: &[], read: &[], project: Some(&proj), cwd_file: &file, command: "true" })
        };
        type Case<'a> = (&'a str, Box<dyn Fn(usize) -> Vec<String> + 'a>, Box<dyn Fn(usize) -> Vec<String> + 'a>);
        let mut cases: Vec<Case> = vec![("exec", Box::new(|_| s(&["/bin/true"])), Box::new(|_| s(&[&ana, "run", "--resolved", "--project", &proj, "--", "/bin/true"])))];
        // The shell forms once, in the first setting.
        if n == 0 {
            cases.push(("shell", Box::new(|_| s(&["/bin/bash", "-c", "true"])), Box::new(|_| s(&[&ana, "run", "--resolved", "--project", &proj, "-c", "true"]))));
            cases.push(("agent line", Box::new(|_| s(&["/bin/sh", "-c", "true"])), Box::new(|i| vec!["/bin/sh".into(), "-c".into(), line(i)])));
        }
        for (name, direct, confined) in &cases {
            // Warm up both.
            for i in 0..10 {
                once(&direct(i), setting);
                once(&confined(1_000_000 + i), setting);
            }
            let (mut d, mut c, mut dc, mut cc) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs), Vec::with_capacity(pairs), Vec::with_capacity(pairs));
            for i in 0..pairs {
                let (w, cpu) = once(&direct(i), setting);
                d.push(w);
                dc.push(cpu);
                let (w, cpu) = once(&confined(i), setting);
                c.push(w);
                cc.push(cpu);
            }
            let (md, mc) = (median(&mut d), median(&mut c));
            let (mdc, mcc) = (median(&mut dc), median(&mut cc));
            let label = format!("{name} ({})", setting.label);
            println!("{label:<20} {md:>11.0} {mc:>12.0} {:>9.0} {:>6.2}×   {mdc:>9.0} {mcc:>10.0} {:>10.0}", mc - md, mc / md, mcc - mdc);
            let _ = std::fs::remove_dir_all(Path::new(&ana_home).join("run/cwd"));
        }
    }
}

/// The user and group id of `name`, from `/etc/passwd`.
fn user_ids(name: &str) -> Option<(u32, u32)> {
    std::fs::read_to_string("/etc/passwd").ok()?.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 4 && f[0] == name).then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?))).flatten()
    })
}
