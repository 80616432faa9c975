//! Whole-process latency and peak memory of `ana hook`, against a do-nothing floor binary built
//! in the same run with the same compiler and flags, timed pair by pair (floor, ana, floor, ana…)
//! so that machine noise hits both alike. Reports medians, the ratio to the floor, and peak RSS.
//!
//! cargo bench --bench hook_process            (400 pairs per case)
//! ANA_BENCH_PAIRS=2000 cargo bench --bench hook_process
//! ANA_BENCH_BIN=/path/to/ana cargo bench --bench hook_process   (time a given binary)
//!
//! It times `target/release/ana` as `installers/build.sh` leaves it (release, statically linked,
//! the binary `ana install` wires); without one it builds the same into target/static, and the floor twice: linked like a default Rust binary (dynamic)
//! and statically, so both ratios are shown.
//!
//! Target: every case within 1.2× the floor, peak RSS under 5 MiB.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "support/ana_binary.rs"]
mod ana_binary;
use ana_binary::ana_binary;

fn build_floor(out: &Path, statically: bool) -> PathBuf {
    build(out, if statically { "floor-static" } else { "floor-dynamic" }, "floor.rs", statically)
}

fn build(out: &Path, name: &str, source: &str, statically: bool) -> PathBuf {
    let exe = out.join(name);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/process").join(source);
    let mut c = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()));
    c.args(["--edition", "2021", "-C", "opt-level=3", "-C", "codegen-units=1", "-C", "panic=unwind"]);
    if statically {
        c.args(["-C", "target-feature=+crt-static", "-C", "relocation-model=static"]);
    }
    let status = c.arg("-o").arg(&exe).arg(&src).status().expect("rustc runs");
    assert!(status.success(), "building the floor binary");
    exe
}

/// Runs `exe args` with `stdin`, returns (wall µs, peak RSS KiB — inflated by this process's
/// own memory, see `peak_rss` — and the exit code).
fn once(exe: &Path, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> (f64, i64, i32) {
    let start = Instant::now();
    let mut child = Command::new(exe).args(args).envs(env.iter().copied()).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    {
        let mut i = child.stdin.take().unwrap();
        let _ = i.write_all(stdin);
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `status` and `usage` are valid for writes.
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64() * 1e6;
    std::mem::forget(child); // already reaped
    let code = std::process::ExitStatus::from_raw(status).code().unwrap_or(-1);
    (wall, usage.ru_maxrss, code)
}

/// Peak RSS in KiB of one run, measured by the launcher (see launch.rs).
fn peak_rss(launcher: &Path, exe: &Path, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> i64 {
    let mut child = Command::new(launcher).arg(exe).args(args).envs(env.iter().copied()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn the launcher");
    {
        let mut i = child.stdin.take().unwrap();
        let _ = i.write_all(stdin);
    }
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("the launcher prints the peak RSS")
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn payload(tool: &str, input: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "session_id": "bench", "transcript_path": "/dev/null", "cwd": "/home/dev/project",
        "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": input,
    }))
    .unwrap()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let pairs: usize = std::env::var("ANA_BENCH_PAIRS").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
    let tmp = std::env::temp_dir().join(format!("ana-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let floor = build_floor(&tmp, false);
    let floor_static = build_floor(&tmp, true);
    let launcher = build(&tmp, "launch", "launch.rs", true);
    let ana = ana_binary();
    let ana_home = tmp.join("home");
    let ana_home_s = ana_home.display().to_string();
    let env = [("HOME", "/home/dev"), ("ANA_HOME", ana_home_s.as_str())];
    let big = "x".repeat(1024 * 1024);
    let cases: Vec<(&str, Vec<u8>, i32)> = vec![
        ("harmless Bash (ls -la)", payload("Bash", serde_json::json!({"command": "ls -la"})), 0),
        ("git command (git status)", payload("Bash", serde_json::json!({"command": "git status"})), 0),
        ("git pipeline (git log | head)", payload("Bash", serde_json::json!({"command": "git log --oneline -20 | head -5"})), 0),
        ("denied (rm -rf /)", payload("Bash", serde_json::json!({"command": "rm -rf /"})), 2),
        ("confined (python3 -c), rewritten", payload("Bash", serde_json::json!({"command": "python3 -c 'print(1)'"})), 0),
        ("Read", payload("Read", serde_json::json!({"file_path": "/home/dev/project/Cargo.toml"})), 0),
        ("1 MiB Write", payload("Write", serde_json::json!({"file_path": "/home/dev/project/big.txt", "content": big})), 0),
    ];
    println!("ana: {}", ana.display());
    println!("{pairs} pairs per case, floor and ana alternating\n");
    println!("{:<32} {:>9} {:>9} {:>9} {:>8} {:>8} {:>10} {:>10}", "case", "floor µs", "static µs", "ana µs", "ratio", "ratio-s", "ana RSS", "floor RSS");
    let mut worst: f64 = 0.0;
    let mut worst_static: f64 = 0.0;
    let mut worst_rss = 0;
    for (name, input, want) in &cases {
        // Warm up the page cache for both binaries.
        for _ in 0..20 {
            once(&floor, &[], input, &env);
            once(&floor_static, &[], input, &env);
            let (_, _, code) = once(&ana, &["hook", "--agent", "claude-code"], input, &env);
            assert_eq!(code, *want, "{name}: unexpected exit code");
        }
        let (mut f, mut fs, mut a) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs), Vec::with_capacity(pairs));
        for _ in 0..pairs {
            f.push(once(&floor, &[], input, &env).0);
            fs.push(once(&floor_static, &[], input, &env).0);
            a.push(once(&ana, &["hook", "--agent", "claude-code"], input, &env).0);
        }
        let (mut rss, mut floor_rss) = (0, 0);
        for _ in 0..10 {
            floor_rss = floor_rss.max(peak_rss(&launcher, &floor, &[], input, &env));
            rss = rss.max(peak_rss(&launcher, &ana, &["hook", "--agent", "claude-code"], input, &env));
        }
        let (mf, mfs, ma) = (median(&mut f), median(&mut fs), median(&mut a));
        let (ratio, ratio_s) = (ma / mf, ma / mfs);
        worst = worst.max(ratio);
        worst_static = worst_static.max(ratio_s);
        worst_rss = worst_rss.max(rss);
        println!("{name:<32} {mf:>9.0} {mfs:>9.0} {ma:>9.0} {ratio:>7.2}× {ratio_s:>7.2}× {:>6.1} MiB {:>6.1} MiB", rss as f64 / 1024.0, floor_rss as f64 / 1024.0);
    }
    println!("\nworst ratio {worst:.2}× to the default (dynamic) floor, {worst_static:.2}× to the static floor (target ≤ 1.20×); worst peak RSS {:.1} MiB (target < 5 MiB)", worst_rss as f64 / 1024.0);
    let _ = std::fs::remove_dir_all(&tmp);
}
