//! The command line's contract: one exit-code policy for every command (documented in `--help`),
//! `ana check` telling allow, deny, approve and ask apart by exit code, and a closed stdout
//! ending quietly.

mod util;

use std::process::Stdio;

use rstest::rstest;
use util::{Env, bash};

#[rstest]
#[case::allowed("ls -la", 0, "allow")]
#[case::denied("rm -rf /", 1, "deny")]
#[case::needs_approval("git push --force origin main", 4, "approve")]
fn check_exit_code_tells_the_decision_apart(#[case] command: &str, #[case] code: i32, #[case] decision: &str) {
    let env = Env::new();
    let out = env.run(&["check", "--agent", "claude-code", "--json"], &bash(command));
    assert_eq!(out.json()["decision"], decision, "{}", out.stdout);
    assert_eq!(out.code, code, "{command}: {}", out.stderr);
}

#[test]
fn usage_error_is_2_and_failure_is_3() {
    let env = Env::new();
    assert_eq!(env.run(&["no-such-command"], b"").code, 2);
    assert_eq!(env.run(&["history", "list", "--limit", "many"], b"").code, 2);
    // No approval agent runs in this home: that is a failure, not a "no".
    let out = env.run(&["approve", "--yes"], b"");
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("not running"), "{}", out.stderr);
}

#[test]
fn help_documents_the_exit_codes() {
    let out = Env::new().run(&["--help"], b"");
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Exit status: 0 success"), "{}", out.stdout);
    assert!(out.stdout.contains("Examples:"), "{}", out.stdout);
}

/// `ana … | head -1`: the reader goes away; ana must end without a panic or a backtrace.
#[rstest]
#[case::completions(&["completions", "bash"])]
#[case::man(&["man"])]
#[case::explain(&["explain", "ls && ls && ls && git status && git log && cat README.md && echo hi"])]
fn closed_stdout_ends_quietly(#[case] args: &[&str]) {
    let env = Env::new();
    let mut c = env.command(args);
    c.stdin(Stdio::null());
    let mut child = c.spawn().unwrap();
    // Close the read end at once: every write ana makes meets a closed pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
}

#[rstest]
#[case::decision(&["history", "--decision", "maybe"])]
#[case::agent(&["history", "--agent", "cursor"])]
#[case::since(&["history", "--since", "tomorrowish"])]
#[case::until(&["history", "--until", "2026-02-30"])]
#[case::limit(&["history", "--limit", "0"])]
#[case::prune(&["history", "prune", "--before", "last tuesday-ish"])]
fn bad_history_filters_are_usage_errors(#[case] args: &[&str]) {
    let out = Env::new().run(args, b"");
    assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
}

#[rstest]
#[case::yesterday(&["history", "--since", "yesterday"])]
#[case::hours(&["history", "--since", "2h"])]
#[case::words(&["history", "--since", "3 days ago", "--until", "now"])]
#[case::utc(&["history", "--utc", "--since", "2026-11-29 14:00"])]
#[case::prune_dry_run(&["history", "prune", "--before", "30d", "--dry-run"])]
fn natural_dates_are_accepted(#[case] args: &[&str]) {
    let out = Env::new().run(args, b"");
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
}

/// The value lists the README and `ana history --help` show are the enums' own: a kind, decision
/// or decider added to the code and not to the documentation fails here.
#[test]
fn documented_record_values_match_the_enums() {
    use ana::record::{DecidedBy, Outcome, RecordKind};
    let sentence = ana::record::documented_values();
    for v in RecordKind::ALL.iter().map(|v| v.as_str()).chain(Outcome::ALL.iter().map(|v| v.as_str())).chain(DecidedBy::ALL.iter().map(|v| v.as_str())) {
        assert!(sentence.contains(&format!("`{v}`")), "{v} is missing from: {sentence}");
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(words(&readme).contains(&sentence), "README.md does not say, in its history section:\n{sentence}");
    let out = Env::new().run(&["history", "--help"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(words(&out.stdout).contains(&sentence), "{}", out.stdout);
}
