//! git configuration that runs programs or changes what git commands do, wherever it is set: `-c`,
//! `--config-env`, and `git config` writes. Keys are compared as git does, case-insensitively in
//! their section and name (`CORE.FSMONITOR` is `core.fsmonitor`). The environment's
//! `GIT_CONFIG_*` variables are the shell walker's (see `code_env`).

use super::super::schema::fact;
use super::super::shell::Word;
use super::Code;

/// git's own options before the subcommand that take a value.
pub const GLOBAL_VALUES: &[&str] = &["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--super-prefix", "--config-env", "--exec-path", "--list-cmds", "--attr-source"];

/// Where the subcommand of `git ARGS` is: the first word after git's own options (`-C DIR`,
/// `-c K=V` and the others of [`GLOBAL_VALUES`] take the next word).
pub fn subcommand_at(args: &[Word]) -> usize {
    let mut i = 0;
    while i < args.len() && args[i].text.starts_with('-') {
        i += if GLOBAL_VALUES.contains(&args[i].text.as_str()) { 2 } else { 1 };
    }
    i
}

/// Whether setting `key` (as written) to `value` makes git run a program, load more
/// configuration, or change what a command does to remote history.
pub fn is_code_key(key: &str, value: &str) -> bool {
    let key = key.to_ascii_lowercase();
    let (section, rest) = key.split_once('.').unwrap_or((key.as_str(), ""));
    let name = rest.rsplit('.').next().unwrap_or(rest);
    let has_sub = rest.contains('.');
    match (section, name) {
        ("core", "hookspath" | "sshcommand" | "fsmonitor" | "pager" | "editor" | "askpass" | "gitproxy" | "worktree" | "attributesfile" | "excludesfile") => true,
        ("sequence", "editor") | ("diff", "external" | "textconv" | "command") | ("merge", "driver") => true,
        ("gpg", "program") | ("filter", "clean" | "smudge" | "process") | ("credential", "helper") => true,
        ("include", "path") | ("includeif", "path") => true,
        ("protocol", "allow") => true,
        ("uploadpack", "packobjectshook") | ("receive", "procreceiverefs") | ("init", "templatedir") | ("safe", "directory") => true,
        ("alias", _) | ("pager", _) => true,
        // Where a push lands: a refspec that maps one branch onto another (`feature:main`) or
        // forces, and the settings that pick the upstream, make an approved `git push origin
        // feature` rewrite another branch.
        ("remote", "push") => value.starts_with('+') || value.contains(':') || value.is_empty(),
        ("remote", "pushdefault") | ("push", "default") => true,
        // `remote.X.mirror`: every push makes the remote's refs match the local ones, deleting
        // the rest; `remote.X.prune`/`fetch.prune` only prune what fetch tracks.
        ("remote", "mirror") => !matches!(value.to_ascii_lowercase().as_str(), "false" | "no" | "off" | "0"),
        ("branch", "merge" | "remote" | "pushremote") => has_sub,
        ("remote", "receivepack" | "uploadpack" | "vcs" | "proxy") => true,
        ("url", "insteadof" | "pushinsteadof") => true,
        ("sendemail", "smtpserver" | "tocmd" | "cccmd" | "sendmailcmd") => true,
        ("web", "browser") | ("browser", "cmd" | "path") | ("man", "cmd" | "path") => true,
        ("difftool" | "mergetool", "cmd" | "path") => has_sub,
        ("submodule", "update") => value.starts_with('!'),
        ("http", "proxy" | "sslcainfo" | "cookiefile") => true,
        ("ssh", "variant") => true,
        _ => false,
    }
}

/// The configuration a git command line sets that runs code: `-c KEY=VALUE`, `--config-env
/// KEY=VAR` (whose value is unknown here), `--exec-path=DIR`, and `git config` writes.
pub fn nested(argv: &[Word]) -> Vec<Code> {
    let mut out = Vec::new();
    let mut i = 1;
    let code = |out: &mut Vec<Code>| out.push(Code::Fact(fact::CONFIG_CODE));
    // git's own options.
    while i < argv.len() {
        let a = argv[i].text.as_str();
        if !a.starts_with('-') {
            break;
        }
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if a.starts_with("--") => (n, Some(v)),
            _ => (a, None),
        };
        let value = |i: usize| inline.map(str::to_owned).or_else(|| argv.get(i + 1).map(|w| w.text.clone()));
        match name {
            "-c" | "--config-env" => {
                let dynamic = argv.get(i + 1).is_some_and(|w| w.dynamic);
                if let Some(v) = value(i) {
                    let (k, val) = v.split_once('=').unwrap_or((&v, ""));
                    // `--config-env` takes its value from the environment: unknown here.
                    if dynamic || is_code_key(k, if name == "-c" { val } else { "" }) {
                        code(&mut out);
                    }
                }
            }
            _ if a.starts_with("-c") && a.len() > 2 => {
                if let Some((k, val)) = a[2..].split_once('=')
                    && is_code_key(k, val)
                {
                    code(&mut out);
                }
            }
            // `--exec-path` alone prints the directory; with a value, git runs its programs from there.
            "--exec-path" if inline.is_some() || argv.get(i + 1).is_some_and(|w| !w.text.starts_with('-')) => {
                out.push(Code::Fact(fact::RUNS_CODE));
            }
            _ => {}
        }
        let takes_value = GLOBAL_VALUES.contains(&name) && inline.is_none() && name != "--exec-path";
        i += if takes_value { 2 } else { 1 };
    }
    let sub = argv.get(i).map_or("", |w| w.text.as_str());
    let rest = argv.get(i..).unwrap_or(&[]);
    match sub {
        "config" if config_sets_code(&argv[i + 1..]) => code(&mut out),
        // Commands that run a command line: `rebase -x`, `difftool -x`, `grep -O`,
        // `submodule foreach`, `bisect run`.
        "rebase" | "difftool" | "grep" | "mergetool" => {
            let names: &[&str] = match sub {
                "rebase" => &["-x", "--exec"],
                "difftool" => &["-x", "--extcmd", "-t", "--tool"],
                "mergetool" => &["-t", "--tool"],
                _ => &["-O", "--open-files-in-pager"],
            };
            for w in super::option_values(rest, names, &["-m", "--message", "-s", "--strategy", "-X", "--strategy-option", "--onto", "-e", "-f", "--max-depth", "-A", "-B", "-C", "--context"]) {
                out.push(Code::Shell(w));
            }
            // `git grep -Ovim`: the pager attached.
            if sub == "grep" {
                for w in rest.iter().filter(|w| w.text.starts_with("-O") && w.text.len() > 2) {
                    out.push(Code::Shell(Word { text: w.text[2..].to_owned(), ..w.clone() }));
                }
            }
        }
        "submodule" if argv.get(i + 1).is_some_and(|w| w.text == "foreach") => {
            let words: Vec<&Word> = argv[i + 2..].iter().skip_while(|w| w.text.starts_with('-')).collect();
            if !words.is_empty() {
                let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
                out.push(Code::Shell(Word { text, dynamic: words.iter().any(|w| w.dynamic), glob: false }));
            }
        }
        "bisect" if argv.get(i + 1).is_some_and(|w| w.text == "run") => {
            let words = &argv[i + 2..];
            if !words.is_empty() {
                let text = words.iter().map(|w| super::super::shell::quote(&w.text)).collect::<Vec<_>>().join(" ");
                out.push(Code::Shell(Word { text, dynamic: words.iter().any(|w| w.dynamic), glob: false }));
            }
        }
        _ => {}
    }
    out.extend(subcommand_code(&argv[i.min(argv.len())..]));
    out
}

/// The `ext::` transport, which runs its address as a command.
fn subcommand_code(args: &[Word]) -> Vec<Code> {
    // `rebase --exec`, `bisect run` and `submodule foreach` are followed in `nested`.
    let mut out = Vec::new();
    if args.iter().any(|w| w.text.starts_with("ext::") || w.dynamic && w.text.contains("::")) {
        out.push(Code::Fact(fact::RUNS_CODE));
    }
    out
}

/// Whether `git config ARGS` writes a key that runs code.
fn config_sets_code(args: &[Word]) -> bool {
    const READS: &[&str] = &[
        "--get",
        "--get-all",
        "--get-regexp",
        "--get-urlmatch",
        "--list",
        "-l",
        "--unset",
        "--unset-all",
        "--remove-section",
        "--rename-section",
        "--get-color",
        "--get-colorbool",
        "get",
        "list",
        "unset",
        "remove-section",
        "rename-section",
    ];
    const VALUES: &[&str] = &["-f", "--file", "--blob", "--type", "--default", "--comment", "--value", "--url"];
    let mut pos: Vec<&Word> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].text.as_str();
        if READS.contains(&a) && (a.starts_with('-') || pos.is_empty()) {
            return false;
        }
        if a == "set" && pos.is_empty() {
            i += 1;
            continue;
        }
        if a.starts_with('-') {
            i += if VALUES.contains(&a) { 2 } else { 1 };
            continue;
        }
        pos.push(&args[i]);
        i += 1;
    }
    match pos.as_slice() {
        [key, value, ..] => key.dynamic || is_code_key(&key.text, &value.text),
        // `git config KEY`: a read.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets_code(s: &str) -> bool {
        let argv: Vec<Word> = s.split(' ').map(Word::lit).collect();
        nested(&argv).iter().any(|c| matches!(c, Code::Fact(f) if f & (fact::CONFIG_CODE | fact::RUNS_CODE) != 0))
    }

    #[test]
    fn code_running_configuration_in_any_spelling() {
        for s in [
            "git -c core.fsmonitor=x status",
            "git -c CORE.FSMONITOR=x status",
            "git -c Core.HooksPath=/tmp/h commit",
            "git --config-env=core.pager=X log",
            "git --config-env core.sshCommand=X fetch",
            "git -c gpg.program=x commit -S",
            "git -c diff.external=x diff",
            "git -c filter.a.clean=x add .",
            "git -c include.path=/tmp/c status",
            "git -c includeIf.gitdir:/.path=/tmp/c status",
            "git -c alias.st=!sh status",
            "git -c remote.origin.push=+refs/heads/*:refs/heads/* push",
            "git config core.fsmonitor x",
            "git config --global core.pager x",
            "git config set core.editor x",
            "git config --local CORE.hooksPath .h",
            "git config remote.origin.push refs/heads/feature:refs/heads/main",
            "git config push.default upstream",
            "git config branch.feature.merge refs/heads/main",
            "git --exec-path=/tmp/x status",
            "git -c credential.helper=!x fetch",
        ] {
            assert!(sets_code(s), "{s}");
        }
        for s in [
            "git -c user.name=x commit",
            "git config user.email a@b",
            "git config --get core.pager",
            "git config core.hooksPath",
            "git -c color.ui=never log",
            "git status",
            "git config --unset core.fsmonitor",
            "git -c remote.origin.push=refs/heads/main push",
        ] {
            assert!(!sets_code(s), "{s}");
        }
    }

    #[test]
    fn subcommands_that_run_commands() {
        let shell = |argv: &[&str]| -> Vec<String> {
            let argv: Vec<Word> = argv.iter().map(|a| Word::lit(a)).collect();
            nested(&argv).into_iter().filter_map(|c| if let Code::Shell(w) = c { Some(w.text) } else { None }).collect()
        };
        assert_eq!(shell(&["git", "rebase", "--exec", "make test", "HEAD~2"]), vec!["make test"]);
        assert_eq!(shell(&["git", "rebase", "-q", "-x", "echo x", "main"]), vec!["echo x"]);
        assert_eq!(shell(&["git", "rebase", "--exec=cargo test", "main"]), vec!["cargo test"]);
        assert_eq!(shell(&["git", "bisect", "run", "sh", "-c", "echo it's"]), vec!["sh -c 'echo it'\\''s'"]);
        assert_eq!(shell(&["git", "submodule", "foreach", "--recursive", "git", "pull"]), vec!["git pull"]);
        assert!(shell(&["git", "rebase", "main"]).is_empty());
        assert!(sets_code("git clone ext::sh%20-c%20x /tmp/y"));
    }
}
