//! Layered policies, through the binary: built-in → system → user → project.

mod util;

use util::{Env, bash};

fn check(env: &Env, command: &str) -> serde_json::Value {
    check_in(env, command, "/home/dev/project")
}

fn check_in(env: &Env, command: &str, cwd: &str) -> serde_json::Value {
    let payload = serde_json::json!({"session_id":"s","transcript_path":"/t","cwd":cwd,"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":command}});
    let out = env.run(&["check", "--agent", "claude-code", "--json"], &serde_json::to_vec(&payload).unwrap());
    let v = out.json();
    // The exit code tells the decision too (see `ana --help`).
    let code = match v["decision"].as_str() {
        Some("allow") => 0,
        Some("approve") => 4,
        Some("ask") => 5,
        Some("confine") => 0,
        _ => 1,
    };
    assert_eq!(out.code, code, "{v} {}", out.stderr);
    v
}

#[test]
fn check_json_has_the_documented_shape() {
    let env = Env::new();
    let v = check(&env, "git push -f");
    assert_eq!(v["decision"], "approve");
    assert_eq!(v["rule"], "git.force-push");
    assert!(v["reason"].as_str().unwrap().contains("force push"));
    let v = check(&env, "ls");
    assert_eq!(v["decision"], "allow");
    assert_eq!(v["rule"], serde_json::Value::Null);
}

#[test]
fn the_user_can_disable_a_builtin_rule_and_add_their_own() {
    let env = Env::new();
    env.user_policy(
        r#"disable = ["git.force-push"]

[[rule]]
id = "my.no-make-deploy"
description = "deploys go through CI"
decision = "deny"
program = ["make"]
subcommand = ["deploy"]
"#,
    );
    // No approval any more: an ordinary push, which runs confined with git's credentials (or,
    // where nothing can be confined, is simply allowed).
    let v = check(&env, "git push -f");
    assert!(v["decision"] == "confine" || v["decision"] == "allow", "{v}");
    assert_eq!(v["rule"], "profile.git-remote", "{v}");
    assert_eq!(check(&env, "git push origin +main")["rule"], "git.force-push-refspec");
    let v = check(&env, "make deploy");
    assert_eq!((v["decision"].as_str(), v["rule"].as_str()), (Some("deny"), Some("my.no-make-deploy")));
}

#[test]
fn a_user_allow_rule_loosens_builtin_rules_but_never_protected_ones() {
    let env = Env::new();
    env.user_policy(
        r#"[[rule]]
id = "my.scratch-push"
description = "force pushes to my scratch remote are fine"
decision = "allow"
program = ["git"]
subcommand = ["push scratch"]

[[rule]]
id = "my.allow-everything"
description = "an attempt to allow everything"
decision = "allow"
tool = ["write", "edit", "delete"]
"#,
    );
    assert_eq!(check(&env, "git push scratch -f")["decision"], "allow");
    assert_eq!(check(&env, "git push origin -f")["decision"], "approve");
    // The self-protection pack still binds.
    assert_eq!(check(&env, "echo '{}' > ~/.claude/settings.json")["rule"], "self.agent-hooks");
}

#[test]
fn protected_rules_cannot_be_disabled() {
    let env = Env::new();
    env.user_policy("disable = [\"self.agent-hooks\"]\n");
    let v = check(&env, "ls");
    assert_eq!(v["decision"], "deny");
    assert!(v["reason"].as_str().unwrap().contains("cannot be disabled"), "{v}");
}

#[test]
fn a_project_policy_may_only_tighten() {
    let env = Env::new();
    let project = env.dir.path().join("proj");
    std::fs::create_dir_all(project.join(".ana")).unwrap();
    std::fs::create_dir_all(project.join(".git")).unwrap();
    let cwd = project.display().to_string();
    std::fs::write(project.join(".ana/policy.toml"), "[[rule]]\nid = \"p.no-npm-i\"\ndescription = \"use pnpm here\"\ndecision = \"deny\"\nprogram = [\"npm\"]\nsubcommand = [\"install\", \"i\"]\n")
        .unwrap();
    assert_eq!(check_in(&env, "npm install", &cwd)["rule"], "p.no-npm-i");

    std::fs::write(project.join(".ana/policy.toml"), "[[rule]]\nid = \"p.open\"\ndescription = \"x\"\ndecision = \"allow\"\nprogram = [\"git\"]\n").unwrap();
    let v = check_in(&env, "ls", &cwd);
    assert_eq!(v["decision"], "deny");
    assert!(v["reason"].as_str().unwrap().contains("may only tighten"), "{v}");

    std::fs::write(project.join(".ana/policy.toml"), "disable = [\"git.force-push\"]\n").unwrap();
    let v = check_in(&env, "ls", &cwd);
    assert!(v["reason"].as_str().unwrap().contains("may only tighten"), "{v}");
}

#[test]
fn the_system_layer_binds_the_user() {
    let env = Env::new();
    std::fs::create_dir_all(env.ana_home().join("system")).unwrap();
    std::fs::write(
        env.ana_home().join("system/policy.toml"),
        "[[rule]]\nid = \"org.no-publish\"\ndescription = \"publishing goes through release engineering\"\ndecision = \"deny\"\nprogram = [\"npm\"]\nsubcommand = [\"publish\"]\n",
    )
    .unwrap();
    env.user_policy("disable = [\"publish.package\"]\n[[rule]]\nid = \"my.publish\"\ndescription = \"I publish\"\ndecision = \"allow\"\nprogram = [\"npm\"]\n");
    assert_eq!(check(&env, "npm publish")["rule"], "org.no-publish");
}

#[test]
fn the_compiled_cache_follows_edits() {
    let env = Env::new();
    let rule = |d: &str| format!("[[rule]]\nid = \"my.r\"\ndescription = \"d\"\ndecision = \"{d}\"\nprogram = [\"make\"]\n");
    env.user_policy(&rule("deny"));
    assert_eq!(check(&env, "make")["decision"], "deny");
    assert!(std::fs::read_dir(env.ana_home().join("data/policy-cache")).unwrap().count() >= 1, "a compiled copy is kept");
    assert_eq!(check(&env, "make")["decision"], "deny");
    // A different size and mtime: the cache key changes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.user_policy(&rule("approve"));
    assert_eq!(check(&env, "make")["decision"], "approve");
}

#[test]
fn policy_check_reports_file_line_and_column() {
    let env = Env::new();
    let p = env.dir.path().join("bad.toml");
    std::fs::write(&p, "[[rule]]\nid = \"a\"\ndescription = \"d\"\ndecision = \"deny\"\nprogram = [\"x\"]\nflags = 3\n").unwrap();
    let out = env.run(&["policy", "check", p.to_str().unwrap()], b"");
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("bad.toml:6:1") && out.stdout.contains("flags"), "{}", out.stdout);
    std::fs::write(&p, "[[rule]]\nid = \"a\"\ndescription = \"d\"\ndecision = \"deny\"\nprogram = [\"x\"]\n").unwrap();
    let out = env.run(&["policy", "check", p.to_str().unwrap()], b"");
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn policy_test_runs_a_corpus() {
    let env = Env::new();
    let corpus = format!("{}/tests/fixtures/corpus.jsonl", env!("CARGO_MANIFEST_DIR"));
    let out = env.run(&["policy", "test", &corpus], b"");
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("144 of 144 cases as expected"), "{}", out.stdout);
    let bad = env.dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"id\":\"b1\",\"expect\":\"allow\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"rm -rf /\"}}\n").unwrap();
    let out = env.run(&["policy", "test", bad.to_str().unwrap()], b"");
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("miss: b1"), "{}", out.stdout);
}

#[test]
fn explain_names_the_rule_for_each_part() {
    let env = Env::new();
    let out = env.run(&["explain", "--cwd", "/home/dev/project", "ls && git push -f"], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("git.force-push") && out.stdout.contains("verdict: approve"), "{}", out.stdout);
    let _ = bash; // shared helper
}

/// Without `ANA_HOME`, the user's policy is where the platform keeps configuration (through the
/// `directories` crate): on Linux `$XDG_CONFIG_HOME/ana` when that is an absolute path, else
/// `~/.config/ana`.
#[cfg(target_os = "linux")]
#[test]
fn without_ana_home_the_user_policy_is_in_the_xdg_config_directory() {
    let env = Env::new();
    let home = env.home();
    let xdg = env.dir.path().join("xdg-config");
    let policy = |dir: &std::path::Path, id: &str| {
        std::fs::create_dir_all(dir.join("ana")).unwrap();
        std::fs::write(dir.join("ana/policy.toml"), format!("[[rule]]\nid = \"{id}\"\ndescription = \"no frob\"\ndecision = \"deny\"\nprogram = [\"frob\"]\n")).unwrap();
    };
    let rule = |xdg_config: Option<&std::ffi::OsStr>| {
        let mut c = env.command(&["check", "--agent", "claude-code", "--json"]);
        c.env_remove("ANA_HOME").env("HOME", &home);
        if let Some(x) = xdg_config {
            c.env("XDG_CONFIG_HOME", x);
        }
        let v = util::run(c, &bash("frob now")).json();
        v["rule"].as_str().map(str::to_owned)
    };
    assert_eq!(rule(None), None, "no policy of the user's yet");
    policy(&home.join(".config"), "home.no-frob");
    assert_eq!(rule(None).as_deref(), Some("home.no-frob"), "~/.config/ana/policy.toml");
    policy(&xdg, "xdg.no-frob");
    assert_eq!(rule(Some(xdg.as_os_str())).as_deref(), Some("xdg.no-frob"), "$XDG_CONFIG_HOME/ana/policy.toml");
    assert_eq!(rule(Some("xdg-config".as_ref())).as_deref(), Some("home.no-frob"), "a relative XDG_CONFIG_HOME does not count");
    // Nothing of ana's was written outside that home (the data directory is ~/.local/share/ana).
    assert!(!env.ana_home().join("data").exists());
}
