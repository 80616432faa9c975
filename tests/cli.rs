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
    assert!(out.stdout.contains("Exit status (every command but `ana hook`"), "{}", out.stdout);
    for code in ["\n  0  success", "\n  1  no", "\n  2  usage error", "\n  3  failure", "\n  4  ana check: needs approval", "\n  5  ana check: deferred"] {
        assert!(out.stdout.contains(code), "{code:?} in {}", out.stdout);
    }
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

/// What bash offers after `ana completions bash` is loaded: the script comes from the binary and
/// runs in a real bash, asked as the shell asks at a TAB (`COMP_WORDS`, the completion function).
fn bash_completes(env: &Env, words: &[&str]) -> Vec<String> {
    let script = env.run(&["completions", "bash"], b"");
    assert_eq!(script.code, 0, "{}", script.stderr);
    let dir = env.dir.path().join("completion");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ana.bash"), &script.stdout).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let probe = format!(
        "source ana.bash\ncomplete -p ana >/dev/null || exit 9\nfn=$(complete -p ana | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')\nCOMP_WORDS=({})\nCOMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\nCOMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\nCOMPREPLY=()\n\"$fn\" ana \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        quoted.join(" ")
    );
    let out = std::process::Command::new("bash").arg("--norc").arg("-c").arg(probe).current_dir(&dir).output().expect("bash runs");
    assert!(out.status.success(), "bash: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
}

#[rstest]
#[case::subcommands(&["ana", ""], &["agent", "enroll", "approve", "history", "install", "doctor", "explain"])]
#[case::agent(&["ana", "agent", ""], &["run", "stop", "status", "--daemonize", "--authenticator"])]
#[case::agent_run_flags(&["ana", "agent", "run", "--"], &["--daemonize", "--authenticator", "--grant-ttl", "--no-notify", "--system"])]
#[case::agent_status(&["ana", "agent", "status", "--"], &["--json"])]
#[case::authenticator(&["ana", "agent", "--authenticator", ""], &["usb", "nfc", "usb-ctaphid", "soft"])]
#[case::enroll(&["ana", "enroll", "--"], &["--authenticator", "--name"])]
#[case::enroll_authenticator(&["ana", "enroll", "--authenticator", ""], &["usb", "nfc", "soft"])]
#[case::install_targets(&["ana", "install", ""], &["claude-code", "copilot-cli", "gemini-cli", "codex", "service", "system"])]
#[case::uninstall_targets(&["ana", "uninstall", ""], &["claude-code", "service", "system"])]
#[case::install_scope(&["ana", "install", "codex", "--scope", ""], &["user", "project", "local"])]
#[case::history_filters(&["ana", "history", "--"], &["--since", "--until", "--agent", "--decision", "--rule", "--grep", "--limit", "--utc"])]
#[case::history_agent(&["ana", "history", "--agent", ""], &["claude-code", "copilot-cli", "gemini-cli", "codex"])]
#[case::history_decision(&["ana", "history", "--decision", ""], &["allow", "deny"])]
#[case::history_commands(&["ana", "history", ""], &["show", "verify", "export", "stats", "prune"])]
#[case::policy_edit_layer(&["ana", "policy", "edit", "--layer", ""], &["system", "user", "project"])]
#[case::completions(&["ana", "completions", ""], &["bash", "zsh", "fish"])]
fn bash_completion_offers(#[case] words: &[&str], #[case] expected: &[&str]) {
    let env = Env::new();
    let offered = bash_completes(&env, words);
    let missing: Vec<&&str> = expected.iter().filter(|e| !offered.iter().any(|o| o == *e)).collect();
    assert!(missing.is_empty(), "{words:?}: bash offers {offered:?}, not {missing:?}");
}

/// The `ANA_*` names in `text`: an upper-case word starting `ANA_`, not a template's `@ANA_…@`.
fn ana_variables(text: &str) -> std::collections::BTreeSet<String> {
    let b = text.as_bytes();
    let mut found = std::collections::BTreeSet::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("ANA_") {
        let start = i + at;
        let mut end = start + 4;
        while end < b.len() && (b[end].is_ascii_uppercase() || b[end].is_ascii_digit() || b[end] == b'_') {
            end += 1;
        }
        let before = start.checked_sub(1).map(|p| b[p]);
        let word = before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'@'));
        let name = text[start..end].trim_end_matches('_');
        if word && name.len() > 4 {
            found.insert(name.to_owned());
        }
        i = end;
    }
    found
}

/// Every file below `dir` (recursively) whose name ends in one of `exts` or is one of `names`.
fn sources(dir: &std::path::Path, exts: &[&str], names: &[&str], out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if !matches!(name.as_str(), "target" | "node_modules" | ".venv" | "snapshots" | "fixtures") {
                sources(&p, exts, names, out);
            }
        } else if exts.iter().any(|x| name.ends_with(x)) || names.contains(&name.as_str()) {
            out.push(p);
        }
    }
}

/// Every `ANA_*` variable the code reads is documented: the product's in `ana(1)`'s ENVIRONMENT
/// (`cli::ENVIRONMENT`) and in the README's Environment section, the tests' and benchmarks' in
/// the README. A new variable without a line there fails here.
#[test]
fn every_environment_variable_is_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let scan = |dirs: &[&str], exts: &[&str], names: &[&str]| {
        let mut files = Vec::new();
        for d in dirs {
            sources(&root.join(d), exts, names, &mut files);
        }
        assert!(!files.is_empty(), "nothing to scan in {dirs:?}");
        let mut vars = std::collections::BTreeSet::new();
        for f in &files {
            vars.extend(ana_variables(&std::fs::read_to_string(f).unwrap()));
        }
        vars
    };
    let mut product_files = scan(&["src", "crates/ana-agent/src"], &[".rs"], &[]);
    product_files.extend(ana_variables(&std::fs::read_to_string(root.join("build.rs")).unwrap()));
    let dev = scan(&["tests", "benches", "crates/ana-agent/tests", "crates/ana-agent/benches", "installers"], &[".rs", ".sh", ".py"], &["run"]);
    for must in ["ANA_HOME", "ANA_LOG", "ANA_CONFINE"] {
        assert!(product_files.contains(must), "the scan missed {must}: {product_files:?}");
    }
    assert!(dev.contains("ANA_TEST_HARDWARE") && dev.contains("ANA_HIL_TIMEOUT"), "the scan missed the tests' variables: {dev:?}");

    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let env_section = readme.split("\n## Environment\n").nth(1).expect("the README has an Environment section");
    let env_section = env_section.split("\n## ").next().unwrap();
    let man = std::fs::read_to_string(root.join("man/ana.1")).unwrap().replace("\\-", "-");
    let man_env = man.split(".SH ENVIRONMENT").nth(1).expect("ana(1) has an ENVIRONMENT section");
    let table: std::collections::BTreeSet<&str> = ana::cli::ENVIRONMENT.iter().flat_map(|(names, _)| names.split(", ")).collect();
    let mut undocumented = Vec::new();
    for v in &product_files {
        if !table.contains(v.as_str()) {
            undocumented.push(format!("{v}: not in cli::ENVIRONMENT"));
        }
        if !man_env.contains(&format!("\\fB{v}\\fR")) {
            undocumented.push(format!("{v}: not in man/ana.1's ENVIRONMENT (regenerate: `ana man --dir man`)"));
        }
    }
    for v in product_files.iter().chain(&dev) {
        if !env_section.contains(&format!("`{v}")) {
            undocumented.push(format!("{v}: not in the README's Environment section"));
        }
    }
    // And every other variable the product reads by name (`var("…")`, `var_os("…")`, and the
    // lookups that take a closure, `env("…")`, `getenv("…")`, `nonempty("…")`, `xdg("…")`).
    let mut files = Vec::new();
    for d in ["src", "crates/ana-agent/src"] {
        sources(&root.join(d), &[".rs"], &[], &mut files);
    }
    let mut read = std::collections::BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for call in ["var(\"", "var_os(\"", "env(\"", "getenv(\"", "nonempty(\"", "xdg(\""] {
            for (at, _) in text.match_indices(call) {
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &text[at + call.len()..];
                let name: String = rest.chars().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_').collect();
                if !name.is_empty() && rest[name.len()..].starts_with('"') {
                    read.insert(name);
                }
            }
        }
    }
    for must in ["TERM", "NO_COLOR", "EDITOR", "HOME", "CLAUDECODE"] {
        assert!(read.contains(must), "the scan missed {must}: {read:?}");
    }
    let missing: Vec<&String> = read.iter().filter(|v| !table.contains(v.as_str())).collect();
    assert!(undocumented.is_empty(), "undocumented environment variables:\n{}", undocumented.join("\n"));
    assert!(missing.is_empty(), "variables ana reads but cli::ENVIRONMENT (ana(1)) does not document: {missing:?}");
}

#[test]
fn the_variable_scan_finds_names_and_skips_templates() {
    let found = ana_variables("std::env::var(\"ANA_HOME\"); ${ANA_HIL_SMP:-2} ExecStart=@ANA_AGENT@ run; BANANA_X; ANA_");
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["ANA_HIL_SMP", "ANA_HOME"]);
}

/// Every argument of every command says what it is for (in `--help` and the man pages).
#[test]
fn every_argument_is_documented() {
    use clap::CommandFactory;
    let mut root = ana::cli::Cli::command();
    root.build();
    let mut missing = Vec::new();
    let mut stack = vec![root];
    while let Some(cmd) = stack.pop() {
        for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            if a.get_help().is_none() && a.get_long_help().is_none() {
                missing.push(format!("{} {}", cmd.get_bin_name().unwrap_or(cmd.get_name()), a.get_id()));
            }
        }
        stack.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    }
    assert!(missing.is_empty(), "arguments without a description: {missing:?}");
}

/// The forms the service units and the README use: run flags before `run`, after it, or without
/// it, all reach the approver.
#[rstest]
#[case::service_unit(&["ana-agent", "--system", "run"], true, false, None)]
#[case::readme(&["ana-agent", "--daemonize"], false, true, None)]
#[case::after_run(&["ana-agent", "run", "--daemonize", "--authenticator", "soft"], false, true, Some(ana::cli::AuthenticatorName::Soft))]
#[case::both_sides(&["ana-agent", "--system", "run", "--daemonize", "--grant-ttl", "60"], true, true, None)]
fn approver_run_flags_on_either_side_of_run(#[case] argv: &[&str], #[case] system: bool, #[case] daemonize: bool, #[case] auth: Option<ana::cli::AuthenticatorName>) {
    use clap::FromArgMatches;
    let m = ana::cli::agent_command().try_get_matches_from(argv).unwrap();
    let args = ana::cli::AgentArgs::from_arg_matches(&m).unwrap();
    let run = args.run_args();
    assert_eq!((run.system, run.daemonize, run.authenticator), (system, daemonize, auth), "{argv:?}");
    if argv.contains(&"--grant-ttl") {
        assert_eq!(run.grant_ttl, 60);
    }
}

#[test]
fn enroll_reaches_the_approver_with_its_flags() {
    use clap::FromArgMatches;
    let m = ana::cli::agent_command().try_get_matches_from(["ana-agent", "enroll", "--authenticator", "soft", "--name", "desk", "--touch-timeout", "5"]).unwrap();
    let Some(ana::cli::AgentCommand::Enroll(e)) = ana::cli::AgentArgs::from_arg_matches(&m).unwrap().command else { panic!("not enroll") };
    assert_eq!((e.authenticator, e.name.as_str(), e.touch_timeout), (Some(ana::cli::AuthenticatorName::Soft), "desk", 5));
}
