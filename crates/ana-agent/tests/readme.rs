//! The README is executable: every `ana …` command it shows — in its code blocks and in its
//! inline code — is accepted by the binary exactly as written, and every `$ ana explain …`
//! example prints what the README says it prints. A README that drifts from the binary fails.

mod util;

use std::path::Path;
use std::process::{Command, Stdio};

use util::Home;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).expect("README.md")
}

/// Splits a shell line into words: single and double quotes, backslash escapes; stops at an
/// unquoted `#` (a comment). `None` for what a shell would do more with (`$(`, a backtick).
fn words(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut any = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                any = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                any = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => cur.extend(chars.next()),
                        '$' | '`' => return None,
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                any = true;
                cur.extend(chars.next());
            }
            '$' | '`' | '|' | '<' | '>' => return None,
            '#' if !any && cur.is_empty() => break,
            c if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                any = true;
                cur.push(c);
            }
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    Some(out)
}

/// Every `ana …` command the README shows: lines of its shell blocks (after a `$ ` prompt, split
/// at `&&`, `sudo ` dropped) and inline code spans that start with `ana `.
fn commands(text: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut in_sh = false;
    let mut push = |s: &str| {
        for part in s.split("&&") {
            let part = part.trim().trim_start_matches("$ ").trim_start_matches("sudo ");
            let part = part.strip_prefix("./target/release/").unwrap_or(part);
            if part.starts_with("ana ")
                && let Some(w) = words(part)
            {
                found.push(w);
            }
        }
    };
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if in_sh {
            push(line);
        } else {
            for (i, span) in line.split('`').enumerate() {
                if i % 2 == 1 {
                    push(span);
                }
            }
        }
    }
    found
}

#[test]
fn the_lexer_splits_like_a_shell() {
    assert_eq!(words("ana explain 'cd / && rm -rf *'  # a comment").unwrap(), ["ana", "explain", "cd / && rm -rf *"]);
    assert_eq!(words(r#"ana deny --reason "not on main""#).unwrap(), ["ana", "deny", "--reason", "not on main"]);
    assert!(words("ana hook < payload.json").is_none());
}

/// `ana ARGS --help` succeeds exactly when ARGS are accepted: clap rejects an unknown argument
/// before it reaches `--help`, and `ana agent`/`ana enroll` hand the same test to the approval
/// agent's parser.
#[test]
fn every_ana_command_in_the_readme_is_accepted() {
    let text = readme();
    let cmds = commands(&text);
    assert!(cmds.len() >= 30, "found only {} commands in the README: the extraction broke", cmds.len());
    let h = Home::new();
    let mut bad = Vec::new();
    for c in &cmds {
        let mut args: Vec<&str> = c[1..].iter().map(String::as_str).collect();
        // Placeholders the README writes in capitals (ID, AGENT, FILE) stand for a value.
        if args.iter().any(|a| a.chars().any(|ch| ch.is_ascii_uppercase()) && a.chars().all(|ch| ch.is_ascii_uppercase() || ch == '|' || ch == '-' || ch == '[' || ch == ']' || ch == '.')) {
            continue;
        }
        // `ana run` reads its own arguments (like `ana hook`): its help comes first.
        if args.first() == Some(&"run") {
            args.insert(1, "--help");
        } else {
            args.push("--help");
        }
        let out = h.ana(&args);
        if !out.status.success() {
            bad.push(format!("`{}`: {}", c.join(" "), String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or("")));
        }
    }
    assert!(bad.is_empty(), "README commands the binary rejects:\n{}", bad.join("\n"));
}

/// The `$ ana explain …` examples print what the README shows (`…` at a line's end stands for
/// the rest of that line).
#[test]
fn explain_examples_print_what_the_readme_shows() {
    let text = readme();
    let mut checked = 0;
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(cmd) = lines[i].strip_prefix("$ ana explain ") else {
            i += 1;
            continue;
        };
        let mut expected = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].starts_with("$ ") && !lines[i].starts_with("```") {
            expected.push(lines[i]);
            i += 1;
        }
        while expected.last().is_some_and(|l| l.is_empty()) {
            expected.pop();
        }
        let w = words(cmd).expect("a plain command");
        let h = Home::new();
        let mut c = Command::new(util::ana_bin());
        c.arg("explain").args(&w);
        h.env(&mut c);
        let out = c.stdin(Stdio::null()).output().unwrap();
        let got = String::from_utf8_lossy(&out.stdout).into_owned();
        let got: Vec<&str> = got.trim_end().lines().collect();
        assert_eq!(got.len(), expected.len(), "`ana explain {cmd}` printed:\n{}\nthe README shows:\n{}", got.join("\n"), expected.join("\n"));
        for (g, e) in got.iter().zip(&expected) {
            match e.strip_suffix('…') {
                Some(prefix) => assert!(g.starts_with(prefix.trim_end()), "`ana explain {cmd}`: {g:?} does not start with {prefix:?}"),
                None => assert_eq!(g.trim_end(), e.trim_end(), "`ana explain {cmd}`"),
            }
        }
        checked += 1;
    }
    assert!(checked >= 2, "the README's explain examples were not found");
}

/// Every example in every `--help` (`ana::cli::examples`) is a command line `ana` accepts as
/// written, and what `ana agent …`/`ana enroll …` hand over, `ana-agent` accepts too.
#[test]
fn every_help_example_parses() {
    use clap::CommandFactory;
    let mut root = ana::cli::Cli::command();
    root.build();
    let mut all = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(cmd) = stack.pop() {
        all.extend(ana::cli::examples(&cmd));
        stack.extend(cmd.get_subcommands().cloned());
    }
    assert!(all.len() >= 40, "found only {} examples: the extraction broke", all.len());
    let mut bad = Vec::new();
    for ex in &all {
        // What a shell does around the command (`sudo`, a redirection, a pipe) is not ana's.
        let line = ex.command.strip_prefix("sudo ").unwrap_or(&ex.command);
        let line = [" < ", " > ", " | "].iter().fold(line, |l, cut| l.split(cut).next().unwrap_or(l));
        let Some(w) = words(line) else {
            bad.push(format!("`{}`: not a plain command line", ex.command));
            continue;
        };
        if w.first().map(String::as_str) != Some("ana") {
            bad.push(format!("`{}`: does not start with `ana`", ex.command));
            continue;
        }
        if let Err(e) = root.clone().try_get_matches_from(&w) {
            bad.push(format!("`{}`: {}", ex.command, e.to_string().lines().next().unwrap_or("")));
            continue;
        }
        let handed = match w.get(1).map(String::as_str) {
            Some("agent") => Some([&["ana-agent".to_owned()][..], &w[2..]].concat()),
            Some("enroll") => Some([&["ana-agent".to_owned(), "enroll".to_owned()][..], &w[2..]].concat()),
            _ => None,
        };
        if let Some(h) = handed
            && let Err(e) = ana::cli::agent_command().try_get_matches_from(&h)
        {
            bad.push(format!("`{}` handed over as {h:?}: {}", ex.command, e.to_string().lines().next().unwrap_or("")));
        }
    }
    assert!(bad.is_empty(), "--help examples that do not parse:\n{}", bad.join("\n"));
}
