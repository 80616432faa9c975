//! Black-box tests of `ana hook`: each agent's answers and exit codes, and failing closed.

mod util;

use rstest::rstest;
use util::{Env, bash, fixture};

/// What each agent must see for a deny: the JSON field that carries the decision, and the exit
/// code (2 blocks in Claude Code, Codex and Gemini CLI; Copilot CLI blocks on the JSON).
fn assert_deny(agent: &str, out: &util::Output) {
    let v = out.json();
    let (decision, reason) = match agent {
        "claude-code" | "codex" => (v["hookSpecificOutput"]["permissionDecision"].clone(), v["hookSpecificOutput"]["permissionDecisionReason"].clone()),
        "copilot-cli" => (v["permissionDecision"].clone(), v["permissionDecisionReason"].clone()),
        "gemini-cli" => (v["decision"].clone(), v["reason"].clone()),
        _ => (v["decision"].clone(), v["reason"].clone()),
    };
    assert_eq!(decision, "deny", "{agent}: {}", out.stdout);
    assert!(reason.as_str().is_some_and(|r| r.len() > 10), "{agent}: a deny needs a reason: {}", out.stdout);
    let code = if agent == "copilot-cli" { 0 } else { 2 };
    assert_eq!(out.code, code, "{agent}: exit code; stderr: {}", out.stderr);
}

/// What the hook must answer to a captured payload.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Denied,
    /// No output: a tool the agent runs itself (a read, an edit, a fetch).
    NoOpinion,
    /// An allowed shell command, handed back to run confined (where this machine can confine).
    Confined,
}

#[rstest]
#[case::claude_bash_denied("claude-code", "claude-code.Bash.json", Expect::Denied)]
#[case::claude_edit_no_opinion("claude-code", "claude-code.Edit.json", Expect::NoOpinion)]
#[case::claude_read_no_opinion("claude-code", "claude-code.Read.json", Expect::NoOpinion)]
#[case::claude_write_no_opinion("claude-code", "claude-code.Write.json", Expect::NoOpinion)]
#[case::claude_webfetch_no_opinion("claude-code", "claude-code.WebFetch.json", Expect::NoOpinion)]
#[case::claude_websearch_no_opinion("claude-code", "claude-code.WebSearch.json", Expect::NoOpinion)]
#[case::claude_mcp_no_opinion("claude-code", "claude-code.mcp.json", Expect::NoOpinion)]
#[case::codex_bash_confined("codex", "codex.Bash.json", Expect::Confined)]
#[case::copilot_camel_confined("copilot-cli", "copilot-cli.preToolUse.json", Expect::Confined)]
#[case::copilot_pascal_confined("copilot-cli", "copilot-cli.PreToolUse.json", Expect::Confined)]
#[case::gemini_confined("gemini-cli", "gemini-cli.BeforeTool.json", Expect::Confined)]
fn captured_payloads(#[case] agent: &str, #[case] file: &str, #[case] expect: Expect) {
    let env = Env::new();
    let out = env.run(&["hook", "--agent", agent], &fixture(file));
    let confines = ana::confine::support().is_available();
    match expect {
        Expect::Denied => assert_deny(agent, &out),
        Expect::Confined if confines => {
            let v = out.json();
            let (decision, input) = match agent {
                "claude-code" | "codex" => (&v["hookSpecificOutput"]["permissionDecision"], &v["hookSpecificOutput"]["updatedInput"]),
                "copilot-cli" => (&v["permissionDecision"], &v["modifiedArgs"]),
                _ => (&v["decision"], &v["hookSpecificOutput"]["tool_input"]),
            };
            assert_eq!((decision.as_str(), out.code), (Some("allow"), 0), "{}", out.stdout);
            let line = input["command"].as_str().unwrap_or_default();
            let original: serde_json::Value = serde_json::from_slice(&fixture(file)).unwrap();
            let original = original.get("tool_input").or_else(|| original.get("toolArgs")).unwrap()["command"].clone();
            let parsed = ana::confine::rewrite::parse_line(line).unwrap_or_else(|| panic!("not a line ana writes: {line}"));
            assert_eq!(Some(parsed.command.as_str()), original.as_str(), "{line}");
        }
        Expect::NoOpinion | Expect::Confined => assert_eq!((out.stdout.as_str(), out.code), ("", 0), "no opinion is no output: {}", out.stderr),
    }
}

/// The same dangerous command in every agent's own shape is denied in that agent's format.
#[rstest]
#[case::claude("claude-code", r#"{"session_id":"s","transcript_path":"/t","cwd":"/home/dev/project","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf /"}}"#)]
#[case::codex(
    "codex",
    r#"{"session_id":"s","turn_id":"t","cwd":"/home/dev/project","hook_event_name":"PreToolUse","model":"m","tool_name":"Bash","tool_input":{"command":"rm -rf /"},"tool_use_id":"c"}"#
)]
#[case::copilot_camel("copilot-cli", r#"{"sessionId":"s","timestamp":1,"cwd":"/home/dev/project","toolName":"bash","toolArgs":{"command":"rm -rf /"}}"#)]
#[case::copilot_string_args("copilot-cli", r#"{"sessionId":"s","timestamp":1,"cwd":"/home/dev/project","toolName":"bash","toolArgs":"{\"command\":\"rm -rf /\"}"}"#)]
#[case::copilot_pascal("copilot-cli", r#"{"hook_event_name":"PreToolUse","session_id":"s","cwd":"/home/dev/project","tool_name":"Bash","tool_input":{"command":"rm -rf /"}}"#)]
#[case::gemini("gemini-cli", r#"{"session_id":"s","cwd":"/home/dev/project","hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":"rm -rf /"}}"#)]
fn deny_in_each_format(#[case] agent: &str, #[case] payload: &str) {
    let env = Env::new();
    let out = env.run(&["hook", "--agent", agent], payload.as_bytes());
    assert_deny(agent, &out);
    assert!(out.json().to_string().contains("fs.delete-root-or-home"), "{}", out.stdout);
}

#[rstest]
#[case::claude("claude-code", "hookSpecificOutput")]
#[case::copilot("copilot-cli", "permissionDecision")]
fn ask_defers_where_the_agent_can_ask(#[case] agent: &str, #[case] key: &str) {
    let env = Env::new();
    env.user_policy("[[rule]]\nid = \"my.ask\"\ndescription = \"ask me first\"\ndecision = \"ask\"\nprogram = [\"make\"]\n");
    let payload = match agent {
        "copilot-cli" => br#"{"sessionId":"s","timestamp":1,"cwd":"/home/dev/project","toolName":"bash","toolArgs":{"command":"make deploy"}}"#.to_vec(),
        _ => bash("make deploy"),
    };
    let out = env.run(&["hook", "--agent", agent], &payload);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = out.json();
    let decision = if key == "hookSpecificOutput" { &v[key]["permissionDecision"] } else { &v[key] };
    assert_eq!(decision, "ask", "{}", out.stdout);
}

#[rstest]
#[case::codex("codex")]
#[case::gemini("gemini-cli")]
fn ask_becomes_deny_where_ask_fails_open(#[case] agent: &str) {
    let env = Env::new();
    env.user_policy("[[rule]]\nid = \"my.ask\"\ndescription = \"ask me first\"\ndecision = \"ask\"\nprogram = [\"make\"]\n");
    let payload = bash("make deploy");
    let out = env.run(&["hook", "--agent", agent], &payload);
    assert_deny(agent, &out);
}

#[test]
fn approve_without_an_enrolled_key_denies_and_says_how_to_enroll() {
    let env = Env::new();
    let out = env.run(&["hook", "--agent", "claude-code"], &bash("git push --force origin main"));
    assert_deny("claude-code", &out);
    let reason = out.json()["hookSpecificOutput"]["permissionDecisionReason"].as_str().unwrap().to_owned();
    assert!(reason.contains("git.force-push"), "{reason}");
    assert!(reason.contains("ana enroll") && reason.contains("Do not try"), "{reason}");
}

#[test]
fn agent_is_detected_from_the_payload() {
    let env = Env::new();
    let out = env.run(&["hook"], br#"{"session_id":"s","cwd":"/home/dev/project","hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":"rm -rf /"}}"#);
    assert_deny("gemini-cli", &out);
    // Answered in Copilot CLI's own format: an allowed command handed back in `modifiedArgs`
    // (where this machine can confine), else no opinion.
    let out = env.run(&["hook"], &fixture("copilot-cli.preToolUse.json"));
    assert_eq!(out.code, 0);
    if ana::confine::support().is_available() {
        assert!(out.json()["modifiedArgs"]["command"].as_str().is_some_and(|c| c.contains(" run --resolved ")), "{}", out.stdout);
    } else {
        assert_eq!(out.stdout, "");
    }
}

#[test]
fn unknown_agent_gets_a_deny_every_agent_reads() {
    let env = Env::new();
    let out = env.run(&["hook"], br#"{"cwd":"/","tool":"x"}"#);
    let v = out.json();
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
    assert_eq!(v["permissionDecision"], "deny");
    assert_eq!(v["decision"], "deny");
    assert_eq!(out.code, 2);
}

#[rstest]
#[case::unknown_flag(&["hook", "--agent", "claude-code", "--bogus"])]
#[case::unknown_agent(&["hook", "--agent", "cursor"])]
#[case::bad_timeout(&["hook", "--agent", "claude-code", "--timeout", "soon"])]
#[case::zero_timeout(&["hook", "--agent", "claude-code", "--timeout", "0"])]
#[case::missing_value(&["hook", "--agent"])]
fn bad_arguments_deny(#[case] args: &[&str]) {
    let env = Env::new();
    let out = env.run(args, &bash("ls"));
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert_eq!(out.json()["decision"], "deny");
}

/// Malformed input of every kind ends in a deny with a reason, never a panic or silence.
#[rstest]
#[case::empty(b"".to_vec())]
#[case::whitespace(b"  \n\t ".to_vec())]
#[case::truncated(br#"{"session_id":"s","cwd":"/home/dev/project","tool_name":"Bash","tool_inp"#.to_vec())]
#[case::not_json(b"rm -rf /".to_vec())]
#[case::array(b"[1,2,3]".to_vec())]
#[case::string(br#""Bash""#.to_vec())]
#[case::number(b"42".to_vec())]
#[case::null(b"null".to_vec())]
#[case::binary(vec![0xff, 0xfe, 0x00, 0x01, 0x80, 0x7b])]
#[case::invalid_utf8_in_string(b"{\"session_id\":\"s\",\"cwd\":\"/p\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"rm \xff\"}}".to_vec())]
#[case::missing_cwd(br#"{"session_id":"s","tool_name":"Bash","tool_input":{"command":"ls"}}"#.to_vec())]
#[case::relative_cwd(br#"{"session_id":"s","cwd":"project","tool_name":"Bash","tool_input":{"command":"ls"}}"#.to_vec())]
#[case::cwd_number(br#"{"session_id":"s","cwd":7,"tool_name":"Bash","tool_input":{"command":"ls"}}"#.to_vec())]
#[case::missing_tool(br#"{"session_id":"s","cwd":"/p","tool_input":{"command":"ls"}}"#.to_vec())]
#[case::empty_tool(br#"{"session_id":"s","cwd":"/p","tool_name":"","tool_input":{"command":"ls"}}"#.to_vec())]
#[case::tool_input_string(br#"{"session_id":"s","cwd":"/p","tool_name":"Bash","tool_input":"ls"}"#.to_vec())]
#[case::tool_input_array(br#"{"session_id":"s","cwd":"/p","tool_name":"Bash","tool_input":["ls"]}"#.to_vec())]
#[case::command_missing(br#"{"session_id":"s","cwd":"/p","tool_name":"Bash","tool_input":{}}"#.to_vec())]
#[case::command_number(br#"{"session_id":"s","cwd":"/p","tool_name":"Bash","tool_input":{"command":1}}"#.to_vec())]
#[case::command_object(br#"{"session_id":"s","cwd":"/p","tool_name":"Bash","tool_input":{"command":{"a":1}}}"#.to_vec())]
#[case::session_number(br#"{"session_id":5,"cwd":"/p","tool_name":"Bash","tool_input":{"command":"ls"}}"#.to_vec())]
#[case::write_without_path(br#"{"session_id":"s","cwd":"/p","tool_name":"Write","tool_input":{"content":"x"}}"#.to_vec())]
#[case::path_number(br#"{"session_id":"s","cwd":"/p","tool_name":"Read","tool_input":{"file_path":3}}"#.to_vec())]
#[case::trailing_garbage(br#"{"session_id":"s","cwd":"/p","tool_name":"Bash","tool_input":{"command":"ls"}} x"#.to_vec())]
#[case::two_documents(br#"{"a":1}{"b":2}"#.to_vec())]
#[case::deep_nesting({ let mut v = vec![b'['; 100_000]; v.extend(vec![b']'; 100_000]); v })]
#[case::deep_object_nesting({ let mut v = b"{\"cwd\":\"/p\",\"tool_name\":\"Bash\",\"tool_input\":".to_vec(); v.extend(b"{\"a\":".repeat(100_000)); v })]
#[case::deep_unknown_member_beside_an_allowed_command({ let mut v = br#"{"session_id":"s","cwd":"/home/dev/project","tool_name":"Bash","tool_input":{"x":"#.to_vec(); v.extend(vec![b'['; 200]); v.extend(vec![b']'; 200]); v.extend(br#","command":"git status --short"}}"#); v })]
#[case::deep_unknown_member_at_the_top({ let mut v = br#"{"session_id":"s","cwd":"/home/dev/project","tool_name":"Bash","y":"#.to_vec(); v.extend(b"{\"a\":".repeat(130)); v.extend(b"1"); v.extend(b"}".repeat(130)); v.extend(br#","tool_input":{"command":"ls -la"}}"#); v })]
#[case::oversize({ let mut v = br#"{"session_id":"s","cwd":"/p","tool_name":"Write","tool_input":{"file_path":"/p/x","content":""#.to_vec(); v.extend(vec![b'a'; 50 * 1024 * 1024]); v.extend(br#""}}"#); v })]
fn malformed_input_denies(#[case] input: Vec<u8>) {
    let env = Env::new();
    let out = env.run(&["hook", "--agent", "claude-code"], &input);
    assert_ne!(out.code, 101, "panicked: {}", out.stderr);
    assert_deny("claude-code", &out);
}

#[test]
fn a_one_mib_write_is_classified_not_rejected() {
    let env = Env::new();
    let content = "x".repeat(1024 * 1024);
    let payload = serde_json::json!({"session_id":"s","transcript_path":"/t","cwd":"/home/dev/project","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"/home/dev/project/big.txt","content":content}});
    let out = env.run(&["hook", "--agent", "claude-code"], &serde_json::to_vec(&payload).unwrap());
    assert_eq!((out.stdout.as_str(), out.code), ("", 0), "{}", out.stderr);
}

/// A link in the project that leads to ana's own policy (planted by a checkout, say): writing
/// through it is judged where it leads. A plain file beside it stays no-opinion.
#[test]
fn writes_through_a_symbolic_link_are_judged_where_it_leads() {
    let env = Env::new();
    let project = env.dir.path().join("project");
    std::fs::create_dir_all(project.join(".git")).unwrap();
    let policy = env.ana_home().join("config/policy.toml");
    std::fs::write(&policy, "").unwrap();
    std::os::unix::fs::symlink(&policy, project.join("settings.toml")).unwrap();
    std::os::unix::fs::symlink(env.ana_home().join("config"), project.join("conf")).unwrap();
    let write = |path: &str| {
        let payload = serde_json::json!({"session_id":"s","transcript_path":"/t","cwd":project,"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":path,"content":"x"}});
        env.run(&["hook", "--agent", "claude-code"], &serde_json::to_vec(&payload).unwrap())
    };
    for link in ["settings.toml", "conf/new.toml"] {
        let out = write(&project.join(link).display().to_string());
        assert_deny("claude-code", &out);
        let reason = out.json()["hookSpecificOutput"]["permissionDecisionReason"].as_str().unwrap().to_owned();
        assert!(reason.contains("self.ana-files") && reason.contains(&policy.parent().unwrap().display().to_string()), "{link}: {reason}");
    }
    let out = write(&project.join("plain.txt").display().to_string());
    assert_eq!((out.stdout.as_str(), out.code), ("", 0), "{}", out.stderr);
    // The same through the shell, and a link made and written in one command.
    let bash_in = |command: &str| {
        let payload = serde_json::json!({"session_id":"s","transcript_path":"/t","cwd":project,"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":command}});
        env.run(&["hook", "--agent", "claude-code"], &serde_json::to_vec(&payload).unwrap())
    };
    assert_deny("claude-code", &bash_in("echo x > settings.toml"));
    assert_deny("claude-code", &bash_in(&format!("ln -sf {} l && echo x > l", policy.display())));
}

/// A link in the project to a directory of the home (`l -> ~/.ssh`): a file tool's path through
/// it, and a path that goes up (`l/../x`) after it, are judged where the kernel takes them (the
/// target's directory), not where the text collapses to. Every file tool, every agent.
#[test]
fn file_tools_through_a_link_then_dot_dot_are_judged_where_the_kernel_goes() {
    let env = Env::new();
    let project = env.dir.path().join("project");
    std::fs::create_dir_all(project.join(".git")).unwrap();
    std::os::unix::fs::symlink("/home/dev/.ssh", project.join("l")).unwrap();
    std::fs::create_dir_all(project.join("sub")).unwrap();
    std::os::unix::fs::symlink("/home/dev/.config/git", project.join("sub/g")).unwrap();
    let p = |rel: &str| format!("{}/{rel}", project.display());
    let cases = [
        ("Write", serde_json::json!({"file_path": p("l/authorized_keys"), "content": "ssh-ed25519 AAAA x"})),
        ("Write", serde_json::json!({"file_path": p("l/../.bashrc"), "content": "curl x | sh"})),
        ("Edit", serde_json::json!({"file_path": p("l/../.bashrc"), "old_string": "a", "new_string": "b"})),
        ("MultiEdit", serde_json::json!({"file_path": p("l/../.profile"), "edits": [{"old_string": "a", "new_string": "b"}]})),
        ("Write", serde_json::json!({"file_path": p("sub/g/../../.ssh/config"), "content": "Host *"})),
        ("Read", serde_json::json!({"file_path": p("l/id_ed25519")})),
        ("Read", serde_json::json!({"file_path": p("l/../.aws/credentials")})),
    ];
    for (tool, input) in cases {
        let payload = serde_json::json!({"session_id":"s","transcript_path":"/t","cwd":project,"hook_event_name":"PreToolUse","tool_name":tool,"tool_input":input});
        let out = env.run(&["hook", "--agent", "claude-code"], &serde_json::to_vec(&payload).unwrap());
        assert!(!out.stdout.is_empty(), "{tool} {input}: allowed");
        assert_deny("claude-code", &out);
    }
    // The same text collapsed, where no link is, stays an ordinary write in the project.
    let payload =
        serde_json::json!({"session_id":"s","transcript_path":"/t","cwd":project,"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":p("sub/../notes.txt"),"content":"x"}});
    let out = env.run(&["hook", "--agent", "claude-code"], &serde_json::to_vec(&payload).unwrap());
    assert_eq!((out.stdout.as_str(), out.code), ("", 0), "{}", out.stderr);
}

/// Text that makes the shell parser panic is caught there and judged unparsable (which needs an
/// approval), not answered as an internal failure.
#[test]
fn a_parser_panic_is_an_unparsable_command() {
    let env = Env::new();
    let out = env.run(&["hook", "--agent", "claude-code"], &bash("$(<<EOF\n)\nEOF\n"));
    assert_deny("claude-code", &out);
    let reason = out.json()["hookSpecificOutput"]["permissionDecisionReason"].as_str().unwrap().to_owned();
    assert!(reason.contains("core.unparsable") && !reason.contains("internally"), "{reason}");
}

#[test]
fn a_broken_policy_denies_every_call_with_its_location() {
    let env = Env::new();
    env.user_policy("[[rule]]\nid = \"x\"\ndescription = \"d\"\ndecision = \"maybe\"\nprogram = [\"ls\"]\n");
    let out = env.run(&["hook", "--agent", "claude-code"], &bash("ls"));
    assert_deny("claude-code", &out);
    let reason = out.json()["hookSpecificOutput"]["permissionDecisionReason"].as_str().unwrap().to_owned();
    assert!(reason.contains("policy.toml:1:1") && reason.contains("unknown decision `maybe`"), "{reason}");

    env.user_policy("[[rule]]\nid = \"x\"\ndescription = \"d\"\ndecision = \"deny\"\nprgram = [\"ls\"]\n");
    let out = env.run(&["hook", "--agent", "claude-code"], &bash("ls"));
    let reason = out.json()["hookSpecificOutput"]["permissionDecisionReason"].as_str().unwrap().to_owned();
    assert!(reason.contains("policy.toml:5:1") && reason.contains("prgram"), "{reason}");
}

/// An agent that never closes the hook's stdin must still get a deny before its deadline.
#[test]
fn answers_before_the_deadline_when_stdin_never_ends() {
    let env = Env::new();
    let mut c = env.command(&["hook", "--agent", "claude-code", "--timeout", "2"]);
    let mut child = c.spawn().unwrap();
    let _stdin = child.stdin.take(); // held open, never written
    let start = std::time::Instant::now();
    // Bounded wait: the test fails rather than hangs if the watchdog never fires.
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(30), "the hook never answered");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
    assert!(v.to_string().contains("deadline"));
}
