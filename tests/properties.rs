//! Property tests: nothing panics on any input, and verdicts do not depend on spelling.

use ana::action::{Action, Agent, Kind, Object};
use ana::policy::{Decision, Env, Policy, shell};
use proptest::prelude::*;

fn policy() -> Policy<'static> {
    Policy { layers: vec![ana::rules::builtin()] }
}

const VARS: [(&str, &str); 2] = [("ana_config", "/home/dev/.config/ana"), ("ana_data", "/home/dev/.local/share/ana")];

fn env() -> Env<'static> {
    Env { home: "/home/dev", project: Some("/home/dev/project"), vars: &VARS, resolve: None }
}

fn exec(command: &str) -> Action {
    Action { agent: Agent::ClaudeCode, session: "s".into(), cwd: "/home/dev/project".into(), tool: "Bash".into(), kind: Kind::Exec, object: Object::Command { command: command.into() } }
}

fn decision(command: &str) -> (Decision, Option<String>) {
    let (v, _) = policy().evaluate(&exec(command), &env());
    (v.decision, v.rule)
}

/// Shell-ish text: words, quotes, operators, substitutions.
fn shellish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "rm", "-rf", "/", "~", "git", "push", "--force", "'", "\"", "$(", ")", "`", "|", "&&", "||", ";", "<<EOF\n", "\nEOF\n", "{", "}", "(", ")", "$HOME", "${X:-", "*", "sh", "-c", "eval", "\\",
        "$'\\x72'", " ", "\n", "<(", ">", ">>", "2>&1", "find", "-exec", "{}", "+", "\\;", "xargs", "sudo", "env", "A=1", "for", "do", "done", "if", "then", "fi", "case", "esac", "((", "))", "[[",
        "]]", "!", "&", "#", "=", "..", "curl", "bash", "python3", "-e",
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

    /// Any script, however it nests, is either walked on a bounded stack or refused before the
    /// parser: wrapped in more groups than ana parses, it is never allowed, on a 2 MiB stack.
    #[test]
    fn deep_wrapping_is_never_allowed(s in shellish(), open in prop::sample::select(vec!["{ ", "( ", "$(", "if true; then ", "while true; do ", "\"$(", "cat <<EOF\n$("]), n in 65usize..400) {
        let close = match open { "{ " => " ; }", "( " | "$(" => ")", "if true; then " => "; fi", "while true; do " => "; done", "\"$(" => ")\"", _ => ")\nEOF" };
        let script = format!("{}{s}\nrm -rf ~{}", open.repeat(n), close.repeat(n));
        let verdict = std::thread::Builder::new().stack_size(2 << 20).spawn(move || decision(&script)).unwrap().join().unwrap();
        prop_assert_ne!(verdict.0, Decision::Allow, "{:?}", verdict);
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

    /// Plain scripts, split without the parser, give exactly what the parser gives; scripts just
    /// outside the plain subset (expansions, escapes, odd operators) must fall back to it.
    #[test]
    fn the_plain_path_matches_the_parser(tokens in prop::collection::vec(prop::sample::select(vec![
        "rm", "-rf", "/", "git", "push", "--force", "origin", "main", "+main", ":x", "ls", "-la", "*.o", "a?", "x=1", "--opt=v",
        "cargo", "build", "/usr/bin/rm", "target", "../up", "./x", "if", "time", "for", "done", "echo", "%s", "a,b", "@x", "^x", "[ab]", "a]",
        "kubectl", "delete", "dd", "of=/dev/sda", "sudo", "env", "A=B", "timeout", "5", "xargs", "find", "-delete", "watch", "ssh", "host", "cd", "sh", "-c", "bash",
        "'rm -rf /'", "'a b'", "''", "\"x y\"", "\"$HOME\"", "\"a\\b\"", "\"\"", "'it''s'", "\"a'b\"", "'a\"b'", "a'b'c", "'unclosed", "\"unclosed",
        "~", "~/x", "~/", "~root", "~+", "HEAD~1", "a:~/x", "b=~/y", "'~'", "~'x'",
        " ", "  ", "\t", "|", "||", "&&", ";", "&", ";;", "|&", "\n", "#c", "a#b",
        ">", ">>", "<", "2>", "2>>", "2>&1", ">&2", "<&0", ">&-", "2>&", ">|", "<>", "<<", "<<<", "&>", "12>", "a2>", "0<", ">x", ">/dev/null", "<in.txt", ">&f",
        "$x", "`ls`", "$(ls)", "{a,b}", "(x)", "\\rm", "!", "é",
    ]), 1..12)) {
        let text: String = tokens.iter().enumerate().map(|(i, t)| if i == 0 { t.to_string() } else { format!(" {t}") }).collect::<String>();
        let glued: String = tokens.concat();
        for t in [&text, &glued] {
            let fast = shell::analyze(t, "/home/dev/project", "/home/dev");
            let parsed = shell::analyze_parsed(t, "/home/dev/project", "/home/dev");
            prop_assert_eq!(fast, parsed, "script {:?} (plain: {})", t, shell::plain::split(t, "/home/dev").is_some());
        }
    }
}

fn plain_script() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "rm",
        "-rf",
        "/",
        "git",
        "push",
        "-f",
        "ls",
        "*.o",
        "a?",
        "[ab]",
        "x=1",
        "--opt=v",
        "cd",
        "..",
        "/tmp",
        "sh",
        "-c",
        "bash",
        "echo",
        "cat",
        "tee",
        "curl",
        "xargs",
        "sudo",
        "env",
        "A=B",
        "'rm -rf /'",
        "'a b'",
        "''",
        "\"x y\"",
        "\"\"",
        "a'b'c",
        "~",
        "~/x",
        "HEAD~1",
        "'~'",
        "if",
        "2",
        "-",
    ]);
    let redirect =
        (prop::sample::select(vec![">", ">>", "<", "2>", "2>>", "1>", "0<", "2>&1", ">&2", "<&0", "> ", "2> "]), prop::sample::select(vec!["out", "/dev/null", "~/f", "'a b'", "/etc/hosts", "x*"]))
            .prop_map(|(op, target)| if op.contains('&') { op.to_owned() } else { format!("{op}{target}") });
    let command = (prop::collection::vec(redirect.clone(), 0..2), prop::collection::vec(word, 0..5), prop::collection::vec(redirect, 0..3))
        .prop_map(|(pre, words, post)| [pre, words.into_iter().map(str::to_owned).collect(), post].concat().join(" "));
    let op = prop::sample::select(vec![" | ", "|", " && ", "&&", " || ", "; ", ";", " ;  "]);
    (prop::collection::vec((command, op), 1..6), any::<bool>()).prop_map(|(parts, trailing)| {
        let mut s = String::new();
        for (i, (c, op)) in parts.iter().enumerate() {
            s.push_str(c);
            if i + 1 < parts.len() || trailing {
                s.push_str(op);
            }
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    /// Structured plain scripts: pipelines, lists, redirections, quotes, with `cd` between.
    #[test]
    fn plain_pipelines_and_lists_match_the_parser(script in plain_script()) {
        let fast = shell::analyze(&script, "/home/dev/project", "/home/dev");
        let parsed = shell::analyze_parsed(&script, "/home/dev/project", "/home/dev");
        prop_assert_eq!(fast, parsed, "script {:?} (plain: {})", script, shell::plain::split(&script, "/home/dev").is_some());
    }
}

/// The plain path is taken by the scripts agents write most, and never by what needs the parser.
#[test]
fn plain_scripts_skip_the_parser() {
    for s in [
        "git status",
        "git add -A && git commit -m 'fix: a b'",
        "cat README.md | head -50",
        "make test 2>&1 | tee test.log",
        "sudo -n true 2>/dev/null && echo yes || echo no",
        "grep -rn \"rm -rf /\" src/",
        "git diff --stat HEAD~1",
        "ls ~/.ssh",
        "cd build; make -j2;",
        "> /etc/passwd",
    ] {
        assert!(shell::plain::split(s, "/home/dev").is_some(), "{s}");
        assert_eq!(shell::analyze(s, "/p", "/home/dev"), shell::analyze_parsed(s, "/p", "/home/dev"), "{s}");
    }
    for s in [
        "echo $HOME",
        "a=1 b",
        "echo \"$(rm -rf ~)\"",
        "for i in 1; do x; done",
        "x &",
        "a &&",
        "a |",
        "; a",
        "a ;; b",
        "echo {a,b}",
        "cat <<EOF\nx\nEOF",
        "\\rm -rf /",
        "echo a # c",
        "~root/x",
        "echo \"a\\\"b\"",
        "if true; then x; fi",
        "echo 'é'",
        "echo >&file",
        "echo a\nrm -rf /",
    ] {
        assert!(shell::plain::split(s, "/home/dev").is_none(), "{s}");
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

/// Path components that meet the built-in patterns, and some that do not.
const PATH_PARTS: &[&str] = &[
    "home",
    "dev",
    "project",
    ".ssh",
    "id_rsa",
    "id_ed25519.pub",
    ".config",
    "ana",
    "etc",
    "passwd",
    "sudoers.d",
    "x",
    ".env",
    ".env.example",
    "a.pem",
    "key.key",
    ".git",
    "hooks",
    "config",
    ".github",
    "workflows",
    "ci.yml",
    "site-packages",
    "evil.pth",
    ".bashrc",
    ".bash_profile",
    ".claude",
    "settings.json",
    "dev",
    "tcp",
    "usr",
    "local",
    "bin",
    "run",
    "docker.sock",
    ".local",
    "share",
    "node_modules",
    "src",
    "main.rs",
    "tmp",
    "ana-1",
    "é",
    "",
];

/// Patterns as the built-in packs write them: anchored at home, at `/`, at a variable, or not.
fn path_pattern() -> impl Strategy<Value = String> {
    let anchor = prop::sample::select(vec!["~/", "~", "/", "**/", "", "{ana_config}/", "{ana_config}", "{unset}/", "*/"]);
    let part = prop::sample::select(vec![
        ".ssh",
        "id_*",
        "*.pem",
        "*",
        "**",
        ".bash*",
        "*rc",
        "etc",
        "passwd",
        ".config",
        "ana",
        "?ana",
        "[.]env",
        ".env*",
        "{a,b}.json",
        "settings*.json",
        "hooks",
        ".git",
        "dev",
        "tcp",
        "x",
        "é*",
        "*é",
        "home",
        "dev",
        "project",
        "config",
        ".claude",
        "site-packages",
        "*.pth",
        "",
    ]);
    (anchor, prop::collection::vec(part, 0..4)).prop_map(|(a, parts)| format!("{a}{}", parts.join("/")))
}

fn some_path() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PATH_PARTS.to_vec()), 0..6).prop_map(|parts| format!("/{}", parts.join("/")))
}

/// The rule filter only ever passes over a rule whose patterns cannot meet the path: a pattern
/// that matches a path, or names something inside it when it is a tree, is always admitted.
fn filter_admits_what_matches(pattern: &str, path: &str) -> Result<(), TestCaseError> {
    use ana::policy::glob::{PathGlob, PathProbe, PathsFilter, Target, Tree};
    let home = "/home/dev";
    let g = PathGlob::new(pattern);
    let filter = PathsFilter::of(std::slice::from_ref(&g));
    let target = Target::new(path);
    if g.matches(&target, home, &VARS) {
        prop_assert!(filter.admits(&PathProbe::of(&target, home, &VARS, false)), "{pattern} matches {path}");
        prop_assert!(filter.admits(&PathProbe::of(&target, home, &VARS, true)), "{pattern} matches the tree {path}");
    }
    if g.may_name_in(&Tree::new(path, home), home, &VARS) {
        prop_assert!(filter.admits(&PathProbe::of(&target, home, &VARS, true)), "{pattern} names something in {path}");
    }
    Ok(())
}

/// The same for a target that is a glob (`rm ~/.ssh/i?_rsa`), and for files found below a
/// directory (`find DIR -exec …`, written `DIR/<found>`).
fn filter_admits_globs_and_found(pattern: &str, path: &str) -> Result<(), TestCaseError> {
    use ana::policy::glob::{GlobTarget, PathGlob, PathProbe, PathsFilter, Target, Tree};
    let home = "/home/dev";
    let p = PathGlob::new(pattern);
    let filter = PathsFilter::of(std::slice::from_ref(&p));
    let target = Target::new(path);
    if path.contains(['*', '?', '[']) {
        let g = GlobTarget::new(path);
        for tree in [false, true] {
            let hit = p.matches(&target, home, &VARS) || (tree && p.may_name_in(&Tree::new(path, home), home, &VARS)) || p.may_meet_glob(&g, home, &VARS);
            if hit {
                prop_assert!(filter.admits(&PathProbe::of_glob(&g, &target, home, &VARS, tree)), "{pattern} meets the glob {path} (tree: {tree})");
            }
        }
    }
    let found = format!("{}/<found>", path.trim_end_matches('/'));
    let (found_target, dir) = (Target::new(&found), Target::new(path));
    if p.matches(&found_target, home, &VARS) || p.matches(&dir, home, &VARS) || p.may_name_in(&Tree::new(path, home), home, &VARS) {
        let probe = PathProbe::of(&dir, home, &VARS, true).or(PathProbe::of(&found_target, home, &VARS, false));
        prop_assert!(filter.admits(&probe), "{pattern} meets what is found below {path}");
    }
    Ok(())
}

fn glob_path() -> impl Strategy<Value = String> {
    let part = prop::sample::select(PATH_PARTS.iter().copied().chain(["*", "i?_rsa", ".s*", "*.pem", "[.]env", "pass*", "*"]).collect::<Vec<_>>());
    prop::collection::vec(part, 0..6).prop_map(|parts| format!("/{}", parts.join("/")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20000, ..ProptestConfig::default() })]

    #[test]
    fn the_rule_filter_never_turns_away_a_match(pattern in path_pattern(), path in some_path()) {
        filter_admits_what_matches(&pattern, &path)?;
    }

    #[test]
    fn the_rule_filter_never_turns_away_a_glob_or_found_files(pattern in path_pattern(), path in glob_path()) {
        filter_admits_globs_and_found(&pattern, &path)?;
    }
}

/// Every pattern of every built-in rule, against paths made of the literal parts of all of them:
/// the filter admits each path one of a rule's patterns matches or names something inside of.
#[test]
fn the_rule_filter_admits_every_builtin_match() {
    use ana::policy::glob::{PathProbe, Target, Tree};
    let home = "/home/dev";
    let builtin = ana::rules::builtin();
    let mut parts: Vec<String> = PATH_PARTS.iter().map(|p| p.to_string()).collect();
    for r in builtin.rules.iter() {
        for g in r.paths.iter() {
            let text = g.text.replace('~', home);
            parts.extend(text.split('/').filter(|c| !c.is_empty() && !c.contains(['*', '?', '[', '{', '\\'])).map(str::to_owned));
        }
    }
    parts.sort();
    parts.dedup();
    let mut paths: Vec<String> = vec!["/".into(), home.into(), "/home".into()];
    for r in builtin.rules.iter() {
        for g in r.paths.iter() {
            // The pattern with each wildcard part replaced by each literal part.
            let text = g.text.replace('~', home).replace("{ana_config}", VARS[0].1).replace("{ana_data}", VARS[1].1);
            let base: Vec<&str> = text.split('/').collect();
            paths.push(base.iter().map(|c| if c.contains(['*', '?', '[', '{']) { "x" } else { c }).collect::<Vec<_>>().join("/"));
            for p in &parts {
                let made: Vec<&str> = base.iter().map(|c| if c.contains(['*', '?', '[', '{']) { p.as_str() } else { c }).collect();
                let made = made.join("/");
                if made.starts_with('/') {
                    paths.push(made);
                } else {
                    paths.push(format!("/home/dev/project/{made}"));
                }
            }
        }
    }
    paths.sort();
    paths.dedup();
    let (mut matched, mut passed_over) = (0, 0);
    for r in builtin.rules.iter().filter(|r| !r.paths.is_empty()) {
        for path in &paths {
            let target = Target::new(path);
            let tree = Tree::new(path, home);
            let hits = r.paths.iter().any(|g| g.matches(&target, home, &VARS));
            let inside = r.paths.iter().any(|g| g.may_name_in(&tree, home, &VARS));
            let (plain, whole) = (PathProbe::of(&target, home, &VARS, false), PathProbe::of(&target, home, &VARS, true));
            if hits {
                matched += 1;
                assert!(r.path_filter.admits(&plain), "{} matches {path}", r.id);
            }
            if hits || inside {
                assert!(r.path_filter.admits(&whole), "{} meets the tree {path}", r.id);
            }
            if !r.path_filter.admits(&plain) {
                passed_over += 1;
            }
        }
    }
    // The check ran on real matches, and the filter does pass over rules.
    assert!(matched > 500, "{matched} matches");
    assert!(passed_over > 10_000, "{passed_over} rules passed over");
}
