//! What the confinement entry adds to a command: whole processes, timed pair by pair (direct,
//! confined, direct, confined…) so that machine noise hits both alike. Reports medians, the
//! difference and the ratio.
//!
//! cargo bench --bench confine_process            (300 pairs per case)
//! ANA_BENCH_PAIRS=1000 cargo bench --bench confine_process
//! ANA_BENCH_BIN=/path/to/ana cargo bench --bench confine_process   (time a given binary)
//!
//! Cases:
//! - `exec`: `/bin/true` against `ana run -- /bin/true` (the entry itself: argument parsing,
//!   the profile, reading the home directory's entries, the ruleset, exec);
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

fn once(argv: &[String], env: &[(&str, String)], cwd: &Path) -> f64 {
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
    us
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
    std::fs::create_dir_all(project.join(".git")).expect("project");
    let ana_home = scratch.path().join("ana");
    let env: Vec<(&str, String)> =
        vec![("ANA_HOME", ana_home.display().to_string()), ("HOME", std::env::var("HOME").unwrap_or_else(|_| "/root".into())), ("PATH", std::env::var("PATH").unwrap_or_default())];
    let proj = project.display().to_string();
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    let line = |i: usize| {
        let file = format!("{}/run/cwd/{:032x}", ana_home.display(), i + 1);
        ana::confine::rewrite::command_line(&ana::confine::rewrite::Rewrite { ana: &ana, profile: "project", project: Some(&proj), cwd_file: &file, command: "true" })
    };
    type Case<'a> = (&'a str, Box<dyn Fn(usize) -> Vec<String> + 'a>, Box<dyn Fn(usize) -> Vec<String> + 'a>);
    let cases: Vec<Case> = vec![
        ("exec", Box::new(|_| s(&["/bin/true"])), Box::new(|_| s(&[&ana, "run", "--project", &proj, "--", "/bin/true"]))),
        ("shell", Box::new(|_| s(&["/bin/bash", "-c", "true"])), Box::new(|_| s(&[&ana, "run", "--project", &proj, "-c", "true"]))),
        ("agent line", Box::new(|_| s(&["/bin/sh", "-c", "true"])), Box::new(|i| vec!["/bin/sh".into(), "-c".into(), line(i)])),
    ];
    println!("{pairs} pairs per case; ana = {ana}");
    println!("{:<12} {:>12} {:>12} {:>10} {:>7}", "case", "direct µs", "confined µs", "added µs", "ratio");
    for (name, direct, confined) in &cases {
        // Warm up both.
        for i in 0..10 {
            once(&direct(i), &env, &project);
            once(&confined(1_000_000 + i), &env, &project);
        }
        let (mut d, mut c) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
        for i in 0..pairs {
            d.push(once(&direct(i), &env, &project));
            c.push(once(&confined(i), &env, &project));
        }
        let (md, mc) = (median(&mut d), median(&mut c));
        println!("{name:<12} {md:>12.0} {mc:>12.0} {:>10.0} {:>6.2}×", mc - md, mc / md);
        let _ = std::fs::remove_dir_all(ana_home.join("run/cwd"));
    }
}
