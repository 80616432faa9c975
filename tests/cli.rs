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

/// Every command a user can type has an "Examples:" block in its `--help` (and so in its man
/// page); `crates/ana-agent/tests/readme.rs` checks that each example parses.
#[test]
fn every_command_has_an_example() {
    use clap::CommandFactory;
    let mut root = ana::cli::Cli::command();
    root.build();
    let mut missing = Vec::new();
    let mut seen = 0;
    let mut stack = vec![root];
    while let Some(cmd) = stack.pop() {
        seen += 1;
        if ana::cli::examples(&cmd).is_empty() {
            missing.push(cmd.get_bin_name().unwrap_or(cmd.get_name()).to_owned());
        }
        stack.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help").cloned());
    }
    assert!(seen >= 30, "walked only {seen} commands");
    assert!(missing.is_empty(), "commands without an example in --help: {missing:?}");
}

/// Black box: each subcommand's `--help`, as the binary prints it, ends with its examples.
#[rstest]
#[case::agent(&["agent", "--help"])]
#[case::agent_status(&["agent", "status", "--help"])]
#[case::enroll(&["enroll", "--help"])]
#[case::history_prune(&["history", "prune", "--help"])]
#[case::install(&["install", "--help"])]
fn help_shows_examples(#[case] args: &[&str]) {
    let out = Env::new().run(args, b"");
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    assert!(out.stdout.contains("\nExamples:\n  ana "), "{args:?}:\n{}", out.stdout);
}
