//! Property tests: nothing panics on any input, and verdicts do not depend on spelling.

use ana::action::{Action, Agent, Kind, Object};
use ana::policy::{shell, Decision, Env, Policy};
use proptest::prelude::*;

fn policy() -> Policy<'static> {
    Policy { layers: vec![ana::rules::builtin()] }
}

const VARS: [(&str, &str); 2] = [("ana_config", "/home/dev/.config/ana"), ("ana_data", "/home/dev/.local/share/ana")];

fn env() -> Env<'static> {
    Env { home: "/home/dev", project: Some("/home/dev/project"), vars: &VARS }
}

fn exec(command: &str) -> Action {
    Action {
        agent: Agent::ClaudeCode,
        session: "s".into(),
        cwd: "/home/dev/project".into(),
        tool: "Bash".into(),
        kind: Kind::Exec,
        object: Object::Command { command: command.into() },
    }
}

fn decision(command: &str) -> (Decision, Option<String>) {
    let (v, _) = policy().evaluate(&exec(command), &env());
    (v.decision, v.rule)
}

/// Shell-ish text: words, quotes, operators, substitutions.
fn shellish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "rm", "-rf", "/", "~", "git", "push", "--force", "'", "\"", "$(", ")", "`", "|", "&&", "||", ";", "<<EOF\n", "\nEOF\n",
        "{", "}", "(", ")", "$HOME", "${X:-", "*", "sh", "-c", "eval", "\\", "$'\\x72'", " ", "\n", "<(", ">", ">>", "2>&1",
        "find", "-exec", "{}", "+", "\\;", "xargs", "sudo", "env", "A=1", "for", "do", "done", "if", "then", "fi", "case", "esac",
        "((", "))", "[[", "]]", "!", "&", "#", "=", "..", "curl", "bash", "python3", "-e",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn shell_analysis_never_panics(s in shellish()) {
        let _ = shell::analyze(&s, "/home/dev/project", "/home/dev");
        let _ = policy().evaluate(&exec(&s), &env());
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let _ = shell::analyze(&s, "/home/dev/project", "/home/dev");
    }

    #[test]
    fn payload_parsing_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for agent in Agent::ALL {
            let _ = ana::wire::parse(agent, &bytes, "/home/dev", true);
        }
        let _ = ana::wire::detect_agent(&bytes, |_| None);
    }

    #[test]
    fn json_payloads_never_panic(v in json_value()) {
        let bytes = serde_json::to_vec(&v).unwrap();
        for agent in Agent::ALL {
            if let Ok(a) = ana::wire::parse(agent, &bytes, "/home/dev", true) {
                let _ = policy().evaluate(&a, &env());
            }
        }
    }

    /// Extra blanks between words never change the verdict.
    #[test]
    fn whitespace_does_not_change_the_verdict(idx in 0usize..12, spaces in prop::collection::vec(1usize..4, 8)) {
        let commands = ["rm -rf /", "git push --force origin main", "git reset --hard HEAD", "ls -la src", "cat ~/.ssh/id_rsa",
            "kubectl -n prod delete deploy api", "terraform destroy", "git commit -m done", "dd if=/dev/zero of=/dev/sda",
            "chmod -R 777 /", "npm publish", "echo hi > notes.txt"];
        let c = commands[idx];
        let spaced: String = c.split(' ').enumerate().map(|(i, w)| format!("{}{w}", " ".repeat(if i == 0 { 0 } else { spaces[i % spaces.len()] }))).collect();
        prop_assert_eq!(decision(c), decision(&spaced));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// The plain-word fast path gives exactly what the parser gives.
    #[test]
    fn the_plain_word_fast_path_matches_the_parser(words in prop::collection::vec(prop::sample::select(vec![
        "rm", "-rf", "/", "git", "push", "--force", "origin", "main", "+main", ":x", "ls", "-la", "*.o", "a?", "x=1", "--opt=v",
        "cargo", "build", "--release", "/usr/bin/rm", "target", "../up", "./x", "if", "time", "for", "echo", "%s", "a,b", "@x", "^x",
        "kubectl", "-n", "prod", "delete", "dd", "of=/dev/sda", "mkfs.ext4", "sudo", "env", "A=B", "timeout", "5", "xargs", "find", "-delete", "watch", "ssh", "host",
    ]), 1..8), sep in prop::sample::select(vec![" ", "  ", "\t", " \t "])) {
        let text = words.join(sep);
        prop_assume!(shell::plain_words(&text).is_some());
        let fast = shell::analyze(&text, "/home/dev/project", "/home/dev");
        // The same text with a trailing `;` is not plain, so it takes the parser.
        let parsed = shell::analyze(&format!("{text} ;"), "/home/dev/project", "/home/dev");
        prop_assert_eq!(fast, parsed);
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let key = prop::sample::select(vec!["session_id", "cwd", "tool_name", "tool_input", "command", "file_path", "toolName", "toolArgs", "sessionId", "url", "path", "content", "hook_event_name"]);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        prop::sample::select(vec!["/home/dev/project", "Bash", "rm -rf /", "x", "", "bash", "Write", "/etc/passwd", "mcp__a__b", "{\"command\":\"ls\"}"]).prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| serde_json::Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// Every spelling of the same flags gets the same verdict.
#[test]
fn flag_spellings_are_equivalent() {
    let groups: &[&[&str]] = &[
        &["rm -rf /", "rm -fr /", "rm -r -f /", "rm -f -r /", "rm --recursive --force /", "rm --force --recursive /", "rm -R -f /", "rm --recur --forc /", "rm -rf -- /"],
        &["rm -rf ../x", "rm -fr ../x", "rm -r -f ../x", "rm --recursive --force ../x"],
        &["git push --force", "git push -f", "git push --forc", "git push origin main -f", "git push -uf origin main"],
        &["git reset --hard", "git -C . reset --hard", "git reset --hard HEAD~1", "git --no-pager reset --hard"],
        &["chmod -R 777 /", "chmod 777 -R /", "chmod --recursive 777 /"],
        &["kubectl delete ns prod", "kubectl -n x delete ns prod", "kubectl --namespace x delete ns prod", "kubectl delete --namespace x ns prod"],
    ];
    for group in groups {
        let first = decision(group[0]);
        assert_ne!(first.0, Decision::Allow, "{}", group[0]);
        for c in &group[1..] {
            assert_eq!(decision(c).0, first.0, "`{c}` vs `{}`", group[0]);
        }
    }
}
