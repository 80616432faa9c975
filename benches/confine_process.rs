//! What the confinement entry adds to a command: whole processes, timed pair by pair (direct,
//! confined, direct, confined…) so that machine noise hits both alike. Reports medians, the
//! difference and the ratio.
//!
//! cargo bench --bench confine_process            (300 pairs per case)
//! ANA_BENCH_PAIRS=1000 cargo bench --bench confine_process
//! ANA_BENCH_BIN=/path/to/ana cargo bench --bench confine_process   (time a given binary)
//!
//! Cases:
//! - `exec`: `/bin/true` against `ana run --resolved -- /bin/true` (the entry itself: argument
//!   parsing, the profile as the hook passes it, the mounts that hold the repository's config
//!   and hooks, the ruleset, exec);
//! - `shell`: `bash -c true` against `ana run -c true` (what a confined call runs);
//! - `agent line`: `sh -c 'true'` against `sh -c '<the hook's rewritten line>'` (the whole
//!   rewritten command as an agent runs it, cwd hand-back included).
//!
//! Target: the entry adds at most 1 ms.

use std::path::Path;
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

/// Runs `argv` once: (wall µs, CPU µs).
fn once(argv: &[String], env: &[(&str, String)], cwd: &Path) -> (f64, f64) {
    let cpu = children_cpu();
    let start = Instant::now();
    let status = Command::new(&argv[0])
        .args(&argv[1..])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn");
    let us = start.elapsed().as_secs_f64() * 1e6;
    assert!(status.success(), "{argv:?} failed");
    (us, children_cpu() - cpu)
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
    let project = scratch.path().join("project");
    // A repository, as most projects are: its config and hooks are held by mounts.
    std::fs::create_dir_all(project.join(".git/hooks")).expect("project");
    std::fs::write(project.join(".git/config"), "[core]\n").expect("project");
    let ana_home = scratch.path().join("ana");
    let env: Vec<(&str, String)> =
        vec![("ANA_HOME", ana_home.display().to_string()), ("HOME", std::env::var("HOME").unwrap_or_else(|_| "/root".into())), ("PATH", std::env::var("PATH").unwrap_or_default())];
    let proj = project.display().to_string();
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    let line = |i: usize| {
        let file = format!("{}/run/cwd/{:032x}", ana_home.display(), i + 1);
        ana::confine::rewrite::command_line(&ana::confine::rewrite::Rewrite { ana: &ana, profile: "project", write: &[], read: &[], project: Some(&proj), cwd_file: &file, command: "true" })
    };
    type Case<'a> = (&'a str, Box<dyn Fn(usize) -> Vec<String> + 'a>, Box<dyn Fn(usize) -> Vec<String> + 'a>);
    let cases: Vec<Case> = vec![
        ("exec", Box::new(|_| s(&["/bin/true"])), Box::new(|_| s(&[&ana, "run", "--resolved", "--project", &proj, "--", "/bin/true"]))),
        ("shell", Box::new(|_| s(&["/bin/bash", "-c", "true"])), Box::new(|_| s(&[&ana, "run", "--resolved", "--project", &proj, "-c", "true"]))),
        ("agent line", Box::new(|_| s(&["/bin/sh", "-c", "true"])), Box::new(|i| vec!["/bin/sh".into(), "-c".into(), line(i)])),
    ];
    println!("{pairs} pairs per case; ana = {ana}");
    println!("{:<12} {:>12} {:>12} {:>10} {:>7}   {:>10} {:>10} {:>10}", "case", "direct µs", "confined µs", "added µs", "ratio", "CPU dir.", "CPU conf.", "CPU added");
    for (name, direct, confined) in &cases {
        // Warm up both.
        for i in 0..10 {
            once(&direct(i), &env, &project);
            once(&confined(1_000_000 + i), &env, &project);
        }
        let (mut d, mut c, mut dc, mut cc) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs), Vec::with_capacity(pairs), Vec::with_capacity(pairs));
        for i in 0..pairs {
            let (w, cpu) = once(&direct(i), &env, &project);
            d.push(w);
            dc.push(cpu);
            let (w, cpu) = once(&confined(i), &env, &project);
            c.push(w);
            cc.push(cpu);
        }
        let (md, mc) = (median(&mut d), median(&mut c));
        let (mdc, mcc) = (median(&mut dc), median(&mut cc));
        println!("{name:<12} {md:>12.0} {mc:>12.0} {:>10.0} {:>6.2}×   {mdc:>10.0} {mcc:>10.0} {:>10.0}", mc - md, mc / md, mcc - mdc);
        let _ = std::fs::remove_dir_all(ana_home.join("run/cwd"));
    }
}
