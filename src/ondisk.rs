//! Files a command runs from disk, read when it runs: a script (`sh scripts/setup.sh`,
//! `./build.sh`, `python3 tools/gen.py`), the Makefile or justfile a runner reads, package.json
//! scripts (`npm test`, `npm run x`), a git alias (`git co`). A file written in one call and run
//! in the next is judged by what it holds, as a Write of it would have been (see
//! `policy::later`): its text can only make the verdict stricter.

use crate::action::{Action, Kind, Object};
use crate::policy::Ran;
use crate::policy::schema::fact;
use crate::policy::shell::{self, Cmd};
use crate::policy::{Env, Policy, Verdict, path};

/// The most text read from one file; a larger file a command runs cannot be judged.
const MAX_BYTES: u64 = 1024 * 1024;
/// The most files read for one call, the files they run in turn included.
const MAX_FILES: usize = 16;
/// How many files deep a file run by a file run by the command is followed.
const MAX_DEPTH: u8 = 4;

/// git's own commands: any other word in their place may be an alias.
const GIT_COMMANDS: &[&str] = &[
    "add",
    "am",
    "annotate",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bundle",
    "cat-file",
    "check-ignore",
    "checkout",
    "cherry",
    "cherry-pick",
    "citool",
    "clean",
    "clone",
    "commit",
    "config",
    "count-objects",
    "describe",
    "diff",
    "difftool",
    "fetch",
    "format-patch",
    "fsck",
    "gc",
    "grep",
    "gui",
    "help",
    "init",
    "instaweb",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "merge",
    "merge-base",
    "mergetool",
    "mv",
    "notes",
    "pull",
    "push",
    "range-diff",
    "rebase",
    "reflog",
    "remote",
    "repack",
    "replace",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "shortlog",
    "show",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "submodule",
    "switch",
    "tag",
    "worktree",
    "version",
    "whatchanged",
    "maintenance",
    "lfs",
    "flow",
];

/// The stricter verdict what `action`'s command runs from disk calls for, if any.
pub fn judge(policy: &Policy, action: &Action, env: &Env) -> Option<Verdict> {
    judge_at(policy, action, env, (0, false), &mut 0)
}

/// [`judge`] for a command found `depth` files deep; `read` counts the files read so far for the
/// call. A file that runs another (`npm test` → `./scripts/test.sh`) is followed to it, up to
/// [`MAX_DEPTH`] files deep; past that, or past [`MAX_FILES`] files, the file is not cleared.
fn judge_at(policy: &Policy, action: &Action, env: &Env, (depth, bins): (u8, bool), read: &mut usize) -> Option<Verdict> {
    if let Object::Files { paths, content: Some(new), old, .. } = &action.object {
        return paths.iter().find_map(|p| ignore_weakened(policy, env, p, new, old.as_deref()));
    }
    if let Some(v) = tool_searched(policy, action, env) {
        return Some(v);
    }
    if let Object::Files { paths, pattern: None, content: None, .. } = &action.object
        && action.kind == crate::action::Kind::Read
        && let Some(v) = paths.iter().take(8).find_map(|p| key_by_content(policy, p))
    {
        return Some(v);
    }
    let Object::Command { command } = &action.object else { return None };
    let cmds = shell::analyze(command, &action.cwd, env.home);
    // A file read that holds a private key, whatever its name (`cat keys/pi`, `base64
    // ops/github-deploy`).
    for c in cmds.iter().take(16) {
        for e in crate::policy::effects::of_command(c, env.home).iter().filter(|e| e.kind == crate::policy::effects::EffectKind::Read && !e.dynamic && !e.glob && !e.recursive).take(8) {
            if let Some(v) = key_by_content(policy, &e.target) {
                return Some(v);
            }
        }
    }
    if let Some(v) = trees_sent(policy, &cmds, env)
        .or_else(|| trees_staged(policy, &cmds, env))
        .or_else(|| trees_searched(policy, &cmds, action, env))
        .or_else(|| ignore_files_changed(policy, &cmds, env))
        .or_else(|| files_written_from_text(policy, action, &cmds, env))
    {
        return Some(v);
    }
    // What earlier parts of the command write: a file they replace is not what is on disk now
    // (`cp notes.txt run.py && python3 run.py`).
    // A file written from text the command holds (`cat > gen.py <<'EOF' … EOF`) is judged by that
    // text.
    let mut written: Vec<(String, Option<String>)> = Vec::new();
    for c in &cmds {
        if let Some(v) = unvetted_package(policy, c, &action.cwd) {
            return Some(v);
        }
        if let Some(v) = requirements_elsewhere(policy, c, &action.cwd, env.home, read) {
            return Some(v);
        }
        if let Some(v) = sql_file_run(policy, action, env, c, read) {
            return Some(v);
        }
        if let Some(v) = dbt_project_statements(policy, action, env, c) {
            return Some(v);
        }
        if let Some(v) = http_body_file(policy, action, env, c, read) {
            return Some(v);
        }
        if let Some(v) = manifest_elsewhere(policy, c, &action.cwd, env.home, read) {
            return Some(v);
        }
        if let Some(v) = cargo_alias(policy, action, env, c, read) {
            return Some(v);
        }
        if let Some(v) = cargo_config_programs(policy, action, env, c, read) {
            return Some(v);
        }
        if let Some(v) = config_file_run(policy, action, env, c, read) {
            return Some(v);
        }
        if let Some(v) = probe_scripts(policy, c, &action.cwd, env.home) {
            return Some(v);
        }
        let format = runner_format(c);
        for (file, text) in files_run(c, &action.cwd, env.home, bins) {
            *read += 1;
            if *read > MAX_FILES {
                return policy.runs_unreadable(&file, "one file more than ana reads for one call");
            }
            // Written from the command's own text, it is judged by that text and by what is on
            // disk now (a `>>` adds to it); written otherwise, it cannot be judged before it runs.
            // A file an earlier part writes, or one a pattern names that an earlier part writes.
            let pattern = file.contains(['*', '?']);
            let texts = match written.iter().rev().find(|(w, _)| path::is_within(&file, w) || (pattern && crate::policy::glob::matches_path(&file, w))) {
                Some((w, Some(body))) if *w == file => vec![Text::Read(body.clone()), text],
                Some(_) => vec![Text::Unreadable("written by an earlier part of the same command, before it runs")],
                None => vec![text],
            };
            for text in texts {
                let v = match text {
                    // Past what is judged of a file, anything may follow.
                    Text::Read(text) if text.len() > crate::policy::content::MAX_CODE => {
                        policy.runs_unreadable(&file, &format!("longer than ana judges ({} KiB)", crate::policy::content::MAX_CODE / 1024))
                    }
                    Text::Read(text) => {
                        // make's variables given on its command line (`make upload FILE=.env`)
                        // are its recipes' `$(FILE)`, before the Makefile's own; those of its
                        // environment after them.
                        let text = if matches!(c.program.as_str(), "make" | "gmake") && crate::policy::content::is_makefile(file.rsplit('/').next().unwrap_or("")) {
                            let assign = |n: &str, v: &shell::Word| format!("{n} := {}\n", if v.dynamic { "$(shell :)" } else { v.text.as_str() });
                            let given: String = c
                                .args()
                                .iter()
                                .filter_map(|w| {
                                    w.text
                                        .split_once('=')
                                        .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
                                        .map(|(n, v)| assign(n, &shell::Word { text: v.to_owned(), ..w.clone() }))
                                })
                                .collect();
                            let env: String = c.env.iter().map(|(n, v)| assign(n, v)).collect();
                            let text = format!("{given}{text}\n{env}");
                            // Only the recipes the goals reach run (`make all` does not flash).
                            make_goals(c.args()).and_then(|goals| crate::policy::content::make_reachable(&text, &goals)).unwrap_or(text)
                        } else {
                            text
                        };
                        let ran = if matches!(c.program.as_str(), "source" | ".") {
                            Ran::Sourced
                        } else if c.redirects.iter().any(|r| !r.write && path::normalize(&r.target.text, c.cwd.as_deref().unwrap_or(&action.cwd), env.home) == file) {
                            Ran::Stdin
                        } else {
                            Ran::Executed
                        };
                        // A package manager runs the scripts it is asked for, with their `pre`
                        // and `post` scripts; which, when ana can tell.
                        // A file the runner reads under a name that says nothing of what it
                        // holds (`make -f ci.txt`, a Taskfile's `includes: ./ops.txt`) is read as
                        // the runner reads its own.
                        let as_path =
                            format.filter(|_| !crate::policy::content::file_text(&file, &text, None).runs_anything()).map(|n| format!("{}/{n}", file.rsplit_once('/').map_or("", |(d, _)| d)));
                        let file_as = as_path.as_deref().unwrap_or(&file);
                        let base = file_as.rsplit('/').next().unwrap_or("");
                        let named = if file.ends_with("/package.json") && c.program != "deno" {
                            package_scripts_run(c).and_then(|names| crate::policy::content::package_scripts_named(&text, &names))
                        } else {
                            // A file given by an option (`honcho -f Procfile.dev`) is read as the
                            // runner reads its own.
                            // A file another pulls in is read by what it holds, whole.
                            crate::policy::programs::tasks::runs(&c.program, run_through(c), c.args()).and_then(|r| {
                                let given = r.file.as_ref().filter(|f| f.rsplit('/').next() == Some(base));
                                given
                                    .and_then(|_| crate::policy::programs::tasks::commands(r.files.first()?.rsplit('/').next()?, &text, r.tasks.as_deref()))
                                    .or_else(|| crate::policy::programs::tasks::commands(base, &text, r.tasks.as_deref()))
                            })
                        };
                        // A launcher's script is read as its language's, whatever its name.
                        let runner = match crate::policy::programs::interpreters::launched(&c.program, &c.argv) {
                            Some((_, true)) => "sh",
                            Some((_, false)) => "python3",
                            None if BATCH.contains(&c.program.as_str()) => "sh",
                            None if c.program == "rails" => "ruby",
                            None => c.program.as_str(),
                        };
                        let (mut scripts, facts) = named.map_or_else(|| Policy::scripts_on_disk(file_as, &text, runner, ran), |s| (s, 0));
                        let too_big = facts & (fact::TOO_BIG | fact::HIDDEN_CODE) != 0;
                        // Code that runs what it fetches, or deletes on another machine through a
                        // library: judged as the command that does the same would be.
                        for (bit, rule) in [(fact::REMOTE_CODE, "supply.remote-code"), (fact::REMOTE_CHANGE, "cloud.change"), (fact::RUNS_REQUEST_INPUT, "persist.backdoor")] {
                            if facts & bit != 0 {
                                return policy.decided_by(rule, format!("{file}: its code"));
                            }
                        }
                        // A file of the command's arguments handed to a program on disk that
                        // talks to the network (`node upload.js .env https://…`) may be sent:
                        // judged as sent. An HTTP method among them (`api.py DELETE /v1/x`)
                        // asks another machine for that change.
                        if !crate::policy::programs::tasks::is_task_file(base)
                            && !matches!(base, "package.json" | "Makefile" | "makefile" | "GNUmakefile")
                            && crate::policy::content::uses_network(&text)
                        {
                            let here = c.cwd.as_deref().unwrap_or(&action.cwd);
                            // (And a file named in the environment it is given: `ARTIFACT=~/.aws/
                            // credentials python3 push.py`, or by an option: `--file=.env`.)
                            let given = c.args().iter().chain(c.env.iter().map(|(_, v)| v)).filter(|w| !w.dynamic && !w.text.contains("://")).map(|w| match w.text.split_once('=') {
                                Some((k, v)) if k.starts_with('-') => v,
                                _ => w.text.as_str(),
                            });
                            for t in given.filter(|t| !t.starts_with('-') && !t.is_empty()) {
                                let p = path::normalize(t, here, env.home);
                                if p != file && std::path::Path::new(&p).is_file() {
                                    scripts.push(format!("curl -sT {} 'https://(where the program sends it)'", shell::quote(&p)));
                                }
                            }
                            if c.args().iter().any(|w| w.text.eq_ignore_ascii_case("delete") || w.text.rsplit_once('=').is_some_and(|(k, v)| k.starts_with('-') && v.eq_ignore_ascii_case("delete"))) {
                                scripts.push("curl -X DELETE 'https://(where the program sends it)'".to_owned());
                            }
                        }
                        // What the command puts in the environment is what the file's commands
                        // find there (`FILE=.env sh upload.sh` whose script sends "${FILE:-x}").
                        if !c.env.is_empty() {
                            let given: String = c.env.iter().map(|(n, v)| if v.dynamic { format!("{n}=\"$(:)\"\n") } else { format!("{n}={}\n", shell::quote(&v.text)) }).collect();
                            for s in &mut scripts {
                                s.insert_str(0, &given);
                            }
                        }
                        if too_big {
                            return policy.runs_unreadable(&file, "its code does more than ana judges of one file");
                        }
                        policy.runs_on_disk(action, env, &file, &scripts).or_else(|| {
                            // A package's scripts and a recipe run in the package's directory; a
                            // script's commands where it was started.
                            let here = c.cwd.as_deref().unwrap_or(&action.cwd);
                            let base = file.rsplit('/').next().unwrap_or("");
                            let dir = match file.rsplit_once('/') {
                                Some((dir, _))
                                    if matches!(base, "package.json" | "Makefile" | "makefile" | "GNUmakefile" | "justfile" | "Justfile" | ".justfile")
                                        || crate::policy::programs::tasks::is_task_file(base) =>
                                {
                                    dir
                                }
                                _ => here,
                            };
                            deeper(policy, action, env, (depth, dir), read, &file, scripts)
                        })
                    }
                    Text::Unreadable(why) => policy.runs_unreadable(&file, why),
                    Text::Missing => None,
                };
                if v.is_some() {
                    return v;
                }
            }
        }
        use crate::policy::effects::{EffectKind, of_command};
        // Only a whole file written from the command's own text is known (`cat > f <<EOF`); an
        // append (`>>`, an edit) adds to what is on disk.
        let body = c.stdin_text.as_ref().filter(|_| matches!(c.program.as_str(), "cat" | "tee"));
        // A change of mode, owner or times leaves the text as it is (`chmod +x x.py && ./x.py`).
        if matches!(c.program.as_str(), "chmod" | "chown" | "chgrp" | "touch" | "setfacl" | "chattr") && c.redirects.iter().all(|r| !r.write) {
            continue;
        }
        written.extend(
            of_command(c, env.home)
                .into_iter()
                .filter(|e| !e.dynamic && matches!(e.kind, EffectKind::Write | EffectKind::Edit))
                .map(|e| (e.target, body.filter(|_| e.kind == EffectKind::Write).cloned())),
        );
    }
    None
}

/// A directory of the project sent to another machine with a secret file in it (`tar czf - . |
/// curl -T - …`, `rsync -a . host:`): the secret leaves with the rest.
fn trees_sent(policy: &Policy, cmds: &[Cmd], env: &Env) -> Option<Verdict> {
    let dirs = crate::policy::sent_project_paths(cmds, env);
    if dirs.is_empty() {
        return None;
    }
    // What the archivers and copiers of the command leave out: `--exclude P`, zip's `-x P…`,
    // and git's ignore rules (`tar --exclude-vcs-ignores`, `rsync --filter=':- .gitignore'`).
    let mut patterns = Vec::new();
    let mut vcs = false;
    for c in cmds.iter().filter(|c| matches!(c.program.as_str(), "rsync" | "tar" | "gtar" | "bsdtar" | "zip" | "7z" | "rclone")) {
        let args = c.args();
        let mut i = 0;
        while i < args.len() {
            let a = args[i].text.as_str();
            if let Some(v) = a.strip_prefix("--exclude=") {
                patterns.push(v.to_owned());
            } else if a == "--exclude" || (c.program == "zip" && a == "-x") {
                let list = c.program == "zip";
                i += 1;
                while i < args.len() && !args[i].text.starts_with('-') {
                    patterns.push(args[i].text.clone());
                    i += 1;
                    if !list {
                        break;
                    }
                }
                continue;
            } else if matches!(a, "--exclude-vcs-ignores" | "-F") || a.starts_with("--filter=") && a.contains(".gitignore") || a.starts_with("--filter=:-") {
                vcs = true;
            }
            i += 1;
        }
    }
    let project = env.project.unwrap_or("/");
    for dir in dirs {
        let rules = if vcs {
            let mut outer = crate::tree::outer_rules(project, env.home);
            outer.push(crate::tree::Ignore::parse("", &patterns.join("\n")));
            crate::tree::Rules::Git { outer, replaced: None }
        } else if patterns.is_empty() {
            crate::tree::Rules::None
        } else {
            crate::tree::Rules::Excluding(vec![crate::tree::Ignore::parse("", &patterns.join("\n"))])
        };
        let found = if vcs { crate::tree::secrets_in_repo(project, &dir, &rules) } else { crate::tree::secrets_in(&dir, &rules) };
        if let Some(v) = found_in_tree(policy, "secrets.sends-tree", &dir, found, |secret| format!("{dir}, which holds {secret}")) {
            return Some(v);
        }
    }
    None
}

/// A recursive search for passwords, tokens or keys (`grep -r password .`, `rg -uu private_key`,
/// `grep -R BEGIN secrets/`) over a tree that holds secret files: the lines it prints are the
/// secrets. (ripgrep and its kin leave out what the ignore files do, unless told not to.)
fn trees_searched(policy: &Policy, cmds: &[Cmd], action: &Action, env: &Env) -> Option<Verdict> {
    for c in cmds {
        let p = c.program.as_str();
        let args = c.args();
        let short = |w: &shell::Word, l: char| w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains(l);
        let rg = matches!(p, "rg" | "ag" | "ack" | "pt" | "ugrep");
        let grep = matches!(p, "grep" | "egrep" | "fgrep" | "ggrep")
            && args.iter().any(|w| w.text.starts_with("--recursive") || w.text.starts_with("--dereference-recursive") || short(w, 'r') || short(w, 'R'));
        if !rg && !grep {
            continue;
        }
        let given = option_values(args, &["-e", "--regexp"]);
        let positional: Vec<&shell::Word> = args.iter().filter(|w| !w.text.starts_with('-')).collect();
        let (patterns, dirs): (Vec<&str>, Vec<&shell::Word>) =
            if given.is_empty() { (positional.first().map(|w| w.text.as_str()).into_iter().collect(), positional.iter().skip(1).copied().collect()) } else { (given, positional) };
        let here = c.cwd.as_deref().unwrap_or(&action.cwd);
        let dirs: Vec<String> = if dirs.is_empty() { vec![here.to_owned()] } else { dirs.iter().map(|w| path::normalize(&w.text, here, env.home)).collect() };
        let ignores = rg && !args.iter().any(|w| w.text.starts_with("-uu") || matches!(w.text.as_str(), "--no-ignore" | "--no-ignore-vcs" | "-u" | "--unrestricted" | "--all-types"));
        if let Some(v) = secrets_searched_for(policy, &patterns, &dirs, ignores, env) {
            return Some(v);
        }
    }
    None
}

/// A search tool (`Grep` for `BEGIN .*PRIVATE`) that looks for passwords or keys over a tree
/// holding secret files: [`trees_searched`]'s question for an agent's own tool, which leaves out
/// what the ignore files do, as ripgrep does.
fn tool_searched(policy: &Policy, action: &Action, env: &Env) -> Option<Verdict> {
    let Object::Files { paths, pattern: Some(pattern), .. } = &action.object else { return None };
    secrets_searched_for(policy, &[pattern.as_str()], paths, true, env)
}

/// Whether a search for any of `patterns` over `dirs` looks for secrets in a tree that holds
/// them; `ignores`: the search leaves out what the project's ignore files do.
fn secrets_searched_for(policy: &Policy, patterns: &[&str], dirs: &[String], ignores: bool, env: &Env) -> Option<Verdict> {
    const SECRET_WORDS: &[&str] =
        &["pass", "pwd", "secret", "token", "private", "api_key", "apikey", "api-key", "credential", "aws_", "begin", "sk_live", "akia", "auth", "key", "-----", "ssh-", "=="];
    // (A pattern that matches nearly any line prints the secrets' lines too: `.`, `=`, `^`.)
    let broad = |t: &str| t.trim_matches(['^', '$']).len() <= 2 || matches!(t, ".*" | ".+" | "\\w" | "\\S" | "[a-z]" | "[A-Za-z]" | "[A-Za-z0-9]" | "\\w+" | "\\S+");
    if !patterns.iter().any(|t| {
        let l = t.to_ascii_lowercase();
        broad(t) || SECRET_WORDS.iter().any(|w| l.contains(w))
    }) {
        return None;
    }
    let project = env.project.unwrap_or("/");
    for dir in dirs.iter().filter(|d| std::path::Path::new(d.as_str()).is_dir()) {
        let found = if ignores && (dir == project || path::is_within(dir, project)) {
            crate::tree::secrets_in_repo(project, dir, &crate::tree::Rules::Git { outer: crate::tree::outer_rules(project, env.home), replaced: None })
        } else {
            crate::tree::secrets_in(dir, &crate::tree::Rules::None)
        };
        if let Some(v) = found_in_tree(policy, "secrets.search-tree", dir, found, |secret| format!("{dir}, searched for passwords or keys, holds {secret}")) {
            return Some(v);
        }
    }
    None
}

/// A debug probe's scripts from the project or the user's files (`openocd -f tools/eol.cfg`,
/// `./openocd.cfg` read when no `-f` is given, `source [find x.cfg]`, `JLinkExe -CommandFile
/// f.jlink`, `pyocd --script x.py`): one that locks the chip, writes its option bytes or OTP,
/// or runs code (OpenOCD's Tcl runs programs with `exec`) needs approval, as the same command
/// given inline does. OpenOCD's own scripts (root's, under its install) are not read.
fn probe_scripts(policy: &Policy, c: &Cmd, cwd: &str, home: &str) -> Option<Verdict> {
    const LOCKS: &[&str] = &[
        "option_write",
        "option_load",
        "options_write",
        "x lock",
        " lock 0",
        "flash protect",
        "set-security",
        "otp_",
        "rdp",
        "approtect",
        "bootprot",
        "fcf_source",
        "mdm ",
        "unsecure",
        "set_protection",
        "writeotp",
        "w4 0x1fff",
        "w1 0x1fff",
        "0x10001",
        " 10001",
        " 1fff7",
        " 1fffc",
        " 1ffff",
        " 1fff8",
        "w4 4002",
        "w1 4002",
    ];
    const CODE: &[&str] = &[
        "exec",
        "eval",
        "uplevel",
        "subst",
        "open \"|",
        "open |",
        "open {|",
        "interp",
        "load ",
        "socket",
        "rename ",
        "system",
        "shell",
        "$::env",
        "env(",
        "add_script_search_dir",
        "mww ",
        "mwh ",
        "mwb ",
        "mwd ",
    ];
    let here = c.cwd.as_deref().unwrap_or(cwd);
    let args = c.args();
    let program = c.program.as_str();
    let mut files: Vec<String> = Vec::new();
    let mut dirs: Vec<String> = vec![here.to_owned()];
    match program {
        "openocd" => {
            dirs.extend(option_values(args, &["-s", "--search"]).iter().map(|d| path::normalize(d, here, home)));
            dirs.extend([format!("{home}/.openocd"), format!("{home}/.config/openocd")]);
            let mut given: Vec<String> = option_values(args, &["-f", "--file"]).iter().map(|f| f.to_string()).collect();
            // (`-ftools/x.cfg`, glued.)
            given.extend(args.iter().filter_map(|w| w.text.strip_prefix("-f").filter(|r| !r.is_empty() && !r.starts_with('-') && !r.starts_with('=')).map(str::to_owned)));
            if given.iter().any(|f| f == "-" || f.starts_with("/dev/") || f.starts_with("/proc/")) || args.iter().any(|w| w.dynamic) {
                return policy.decided_by("hw.debugger-script", format!("{program}: reads a script ana cannot see"));
            }
            files.extend(given.iter().cloned());
            if given.is_empty() && option_values(args, &["-c", "--command"]).is_empty() {
                files.push("openocd.cfg".into());
            }
            for cmd in option_values(args, &["-c", "--command"]) {
                let lower = cmd.to_ascii_lowercase();
                if let Some(w) = CODE.iter().find(|w| lower.contains(*w)) {
                    return policy.decided_by("hw.debugger-script", format!("openocd -c {cmd:?}: runs `{w}`"));
                }
                files.extend(sourced(cmd));
            }
        }
        "JLinkExe" | "JLink" | "JLink.exe" | "jlinkexe" => files.extend(option_values(args, &["-CommandFile", "-commandfile", "-CommanderScript", "-commanderscript"]).iter().map(|f| f.to_string())),
        "pyocd" => {
            if let Some(f) = option_values(args, &["--script", "-x"]).first() {
                return policy.decided_by("hw.debugger-script", format!("pyocd runs the script {f}"));
            }
            // pyOCD loads `pyocd_user.py` from where it runs, or the script its configuration
            // names.
            for f in ["pyocd_user.py", "pyocd.yaml", "pyocd.yml", ".pyocd.yaml", ".pyocd.yml"] {
                let p = format!("{here}/{f}");
                if std::path::Path::new(&p).exists() && (f.ends_with(".py") || std::fs::read_to_string(&p).map_or(true, |t| t.contains("user_script"))) {
                    return policy.decided_by("hw.probe-user-script", format!("{p}: pyOCD loads and runs it"));
                }
            }
            return None;
        }
        _ => return None,
    }
    // Each file where OpenOCD looks for it, and the files it sources in turn (a few deep).
    let mut seen: Vec<String> = Vec::new();
    let mut queue: Vec<(String, u8)> = files.into_iter().map(|f| (f, 0)).collect();
    while let Some((name, depth)) = queue.pop() {
        if seen.len() >= 16 {
            return policy.decided_by("hw.debugger-script", format!("{program}: sources more scripts than ana reads"));
        }
        let found = if name.starts_with('/') || name.starts_with('~') { vec![path::normalize(&name, here, home)] } else { dirs.iter().map(|d| format!("{d}/{name}")).collect() };
        let Some(file) = found.into_iter().find(|f| std::path::Path::new(f).exists()) else { continue };
        if seen.contains(&file) {
            continue;
        }
        seen.push(file.clone());
        let text = match text_of(&file) {
            Some(Text::Read(t)) => t,
            Some(Text::Unreadable(why)) => return policy.decided_by("hw.debugger-script", format!("{file}: {why}")),
            _ => continue,
        };
        let lower = text.to_ascii_lowercase();
        let code: String = lower.lines().map(|l| l.split('#').next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        if let Some(w) = LOCKS.iter().chain(CODE).find(|w| code.contains(*w)) {
            return policy.decided_by("hw.debugger-script", format!("{file}: holds `{}`", w.trim()));
        }
        if depth < 4 {
            queue.extend(sourced(&text).into_iter().map(|f| (f, depth + 1)));
        }
    }
    None
}

/// The files a Tcl script sources (`source [find interface/stlink.cfg]`, `source x.tcl`);
/// a computed name is returned as it is written, and found nowhere.
fn sourced(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("source ") {
        let rest = text[at + 7..].trim_start();
        let rest = rest.strip_prefix("[find ").unwrap_or(rest);
        let name: String = rest.chars().take_while(|c| !c.is_whitespace() && !matches!(c, ']' | ';' | '"' | '{' | '}')).collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// A regular file whose first bytes are a private key (PEM, OpenSSH, PuTTY) or a WireGuard key,
/// whatever its name says: `secrets.read`.
fn key_by_content(policy: &Policy, path: &str) -> Option<Verdict> {
    use std::io::Read;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 64 * 1024 || meta.len() < 40 {
        return None;
    }
    let mut head = [0u8; 512];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    let text = String::from_utf8_lossy(&head[..n]);
    let t = text.trim_start();
    let pem = t.starts_with("-----BEGIN") && t.lines().next().is_some_and(|l| l.contains("PRIVATE KEY"));
    // (A public key looks the same: its name tells it apart.)
    let wg = meta.len() <= 46 && !path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase().contains("pub") && crate::tree::is_wireguard_key(t);
    (pem || t.starts_with("PuTTY-User-Key-File") || wg).then(|| policy.decided_by("secrets.read", format!("{path} holds a private key")))?
}

/// The verdict of `rule` for what a walk of `dir` found: a secret (`held` says what becomes of
/// it), or a tree larger than the walk reads, which cannot be cleared; `None` for neither.
fn found_in_tree(policy: &Policy, rule: &str, dir: &str, found: Result<Option<String>, String>, held: impl FnOnce(&str) -> String) -> Option<Verdict> {
    match found {
        Ok(Some(secret)) => policy.decided_by(rule, held(&secret)),
        Ok(None) => None,
        Err(at) => policy.decided_by(rule, format!("{dir}, larger than ana looks through for secrets (stopped at {at})")),
    }
}

/// `git add -A`, `git add .`, `git add DIR`, `git add -f …` in the project: a secret file the
/// ignore rules do not keep out (or `-f` overrides them for) is staged, and the next push
/// publishes it.
fn trees_staged(policy: &Policy, cmds: &[Cmd], env: &Env) -> Option<Verdict> {
    let project = env.project?;
    for c in cmds.iter().filter(|c| c.program == "git") {
        let args = c.args();
        // (`-C DIR` moves it: judged by other rules.)
        let i = crate::policy::programs::git::subcommand_at(args);
        // `git update-index --add [--stdin] F…`: stages files, ignored or not.
        if args.get(i).is_some_and(|w| w.text == "update-index") && args.iter().any(|w| w.text == "--add") {
            let rest = &args[i + 1..];
            let named: Vec<String> = rest.iter().filter(|w| !w.text.starts_with('-')).map(|w| path::normalize(&w.text, c.cwd.as_deref().unwrap_or(project), env.home)).collect();
            let dirs = if rest.iter().any(|w| w.text == "--stdin") || named.is_empty() { vec![project.to_owned()] } else { named };
            for dir in dirs.iter().filter(|d| *d == project || path::is_within(d, project)) {
                let found = crate::tree::secrets_in(dir, &crate::tree::Rules::None);
                if let Some(v) = found_in_tree(policy, "secrets.git-add-tree", dir, found, |secret| format!("{secret}, which git update-index would stage")) {
                    return Some(v);
                }
            }
            continue;
        }
        if !args.get(i).is_some_and(|w| matches!(w.text.as_str(), "add" | "stage")) {
            continue;
        }
        let rest = &args[i + 1..];
        let cluster = |w: &shell::Word, c: char| w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains(c);
        let force = rest.iter().any(|w| w.text == "--force" || cluster(w, 'f'));
        let all = rest.iter().any(|w| matches!(w.text.as_str(), "--all" | "--no-ignore-removal") || cluster(w, 'A'));
        let cwd = c.cwd.as_deref().unwrap_or(project);
        // A pathspec with magic or a pattern (`':(glob).env'`, `'*.env'`), or pathspecs read from
        // a file or stdin, may name anything in the repository.
        let anywhere = |t: &str| t.starts_with(":(") || t.contains(['*', '?', '[']);
        let mut dirs: Vec<String> = rest
            .iter()
            .filter(|w| !w.text.starts_with('-'))
            .map(|w| if w.dynamic || w.glob || anywhere(&w.text) { project.to_owned() } else { path::normalize(w.text.trim_start_matches(":/"), cwd, env.home) })
            .collect();
        if (all && dirs.is_empty()) || rest.iter().any(|w| w.text.starts_with("--pathspec-from-file")) {
            dirs.push(project.to_owned());
        }
        for dir in dirs.iter().filter(|d| *d == project || path::is_within(d, project)) {
            let rules = if force { crate::tree::Rules::None } else { crate::tree::Rules::Git { outer: crate::tree::outer_rules(project, env.home), replaced: None } };
            let found = if force { crate::tree::secrets_in(dir, &rules) } else { crate::tree::secrets_in_repo(project, dir, &rules) };
            if let Some(v) = found_in_tree(policy, "secrets.git-add-tree", dir, found, |secret| format!("{secret}, which git add would stage")) {
                return Some(v);
            }
        }
    }
    None
}

/// A `.gitignore` changed by a command (`echo '!.env' >> .gitignore`, `sed -i '/.env/d'
/// .gitignore`, `rm .gitignore`): judged with the text it gets when the command says it (an
/// append or a write of known text), as emptied otherwise.
fn ignore_files_changed(policy: &Policy, cmds: &[Cmd], env: &Env) -> Option<Verdict> {
    use crate::policy::effects::{EffectKind, of_command};
    // Only a command that names an ignore file, or writes or removes by a pattern, can change
    // one (most commands: neither, and their effects are not worked out again).
    let may_touch = |c: &&Cmd| {
        c.redirects.iter().any(|r| r.write && (r.target.text.contains("gitignore") || r.target.dynamic || r.target.glob))
            || c.args().iter().any(|w| {
                w.text.contains("gitignore") || ((w.glob || w.dynamic) && matches!(c.program.as_str(), "rm" | "mv" | "cp" | "sed" | "truncate" | "perl" | "unlink" | "tee" | "ln" | "install"))
            })
    };
    for c in cmds.iter().filter(may_touch) {
        for e in of_command(c, env.home) {
            if e.dynamic || !matches!(e.kind, EffectKind::Write | EffectKind::Edit | EffectKind::Delete) || !e.target.ends_with("/.gitignore") {
                continue;
            }
            let now = read_text(&e.target).unwrap_or_default();
            let text = text_written(c);
            let append = c.redirects.iter().any(|r| r.write && r.append && path::normalize(&r.target.text, c.cwd.as_deref().unwrap_or("/"), env.home) == e.target)
                || (c.program == "tee" && c.args().iter().any(|w| w.text == "-a"));
            let after = match (e.kind, text) {
                (EffectKind::Delete, _) | (_, None) => String::new(),
                (_, Some(t)) if append => format!("{now}\n{t}\n"),
                (_, Some(t)) => t,
            };
            if let Some(v) = ignore_weakened(policy, env, &e.target, &after, None) {
                return Some(v);
            }
        }
    }
    None
}

/// The text a command writes when it is known from its own words: a here-document given to
/// `cat` or `tee`, or what `echo` or `printf` print.
fn text_written(c: &Cmd) -> Option<String> {
    let plain = !c.args().iter().any(|w| w.dynamic);
    let args = || c.args().iter().map(|w| w.text.as_str()).collect::<Vec<_>>();
    match c.program.as_str() {
        "cat" | "tee" => c.stdin_text.clone(),
        "echo" if plain => crate::policy::programs::text::echo_output(&args()),
        "printf" if plain => crate::policy::programs::text::printf_command(&args()),
        _ => None,
    }
}

/// A file's text, read as [`text_of`] reads it (a FIFO never waited on, the size bounded); `None`
/// when there is none to read.
fn read_text(file: &str) -> Option<String> {
    match text_of(file)? {
        Text::Read(text) => Some(text),
        Text::Unreadable(_) | Text::Missing => None,
    }
}

/// `cp SRC DST`, `mv SRC DST`, `install -m 755 SRC DST`: the target and the text it will hold,
/// when one file is copied and it can be read.
fn copied_file(c: &Cmd, dir: &str, home: &str) -> Option<(String, String)> {
    if !matches!(c.program.as_str(), "cp" | "mv" | "install") {
        return None;
    }
    let mut operands = Vec::new();
    let mut args = c.args().iter();
    while let Some(w) = args.next() {
        if w.text == "--" {
            operands.extend(args.by_ref());
            break;
        }
        if w.text.starts_with('-') && w.text.len() > 1 {
            // `-t DIR`, `--target-directory`: not one source and one target; options of
            // `install` that take values.
            if matches!(w.text.as_str(), "-t" | "-T") || w.text.starts_with("--target-directory") || w.text == "-r" || w.text == "-R" || w.text.starts_with("--recursive") {
                return None;
            }
            if c.program == "install" && matches!(w.text.as_str(), "-m" | "-o" | "-g" | "-S" | "--mode" | "--owner" | "--group" | "--suffix") {
                args.next();
            }
            continue;
        }
        operands.push(w);
    }
    let [src, dst] = operands[..] else { return None };
    if src.dynamic || dst.dynamic {
        return None;
    }
    let src_path = path::normalize(&src.text, dir, home);
    let text = read_text(&src_path)?;
    let dst_path = path::normalize(&dst.text, dir, home);
    if std::fs::metadata(&dst_path).is_ok_and(|m| m.is_dir()) || dst.text.ends_with('/') {
        // Into a directory: the file of the same name there.
        let name = src_path.rsplit('/').next()?;
        return Some((format!("{}/{name}", dst_path.trim_end_matches('/')), text));
    }
    Some((dst_path, text))
}

/// The patch file a command applies, as named (`git apply FILE`, `patch -i FILE`, `patch < FILE`).
fn named_patch(c: &Cmd) -> Option<&shell::Word> {
    let args = c.args();
    match c.program.as_str() {
        "patch" => args.windows(2).find(|p| p[0].text == "-i" || p[0].text == "--input").map(|p| &p[1]).or_else(|| c.redirects.iter().find(|r| !r.write).map(|r| &r.target)),
        "git" => {
            let k = args.iter().position(|w| matches!(w.text.as_str(), "apply" | "am"))?;
            args[k + 1..].iter().find(|w| !w.text.starts_with('-'))
        }
        _ => None,
    }
}

/// The text of the patch a command applies, when it can be read: `patch` given it on stdin (a
/// here-document or a redirected file) or with `-i FILE`; `git apply FILE…`, `git am FILE…`.
fn patch_text(c: &Cmd, dir: &str, home: &str) -> Option<String> {
    let args = c.args();
    match c.program.as_str() {
        "patch" => {
            if let Some(t) = &c.stdin_text {
                return Some(t.clone());
            }
            let named = args.windows(2).find(|p| p[0].text == "-i" || p[0].text == "--input").map(|p| &p[1]).or_else(|| c.redirects.iter().find(|r| !r.write).map(|r| &r.target))?;
            (!named.dynamic).then(|| read_text(&path::normalize(&named.text, dir, home))).flatten()
        }
        "git" => {
            let k = args.iter().position(|w| matches!(w.text.as_str(), "apply" | "am"))?;
            if let Some(t) = c.stdin_text.as_ref().filter(|_| args[k + 1..].iter().all(|w| w.text.starts_with('-'))) {
                return Some(t.clone());
            }
            let mut text = String::new();
            for w in args[k + 1..].iter().filter(|w| !w.text.starts_with('-')) {
                text.push_str(&read_text(&path::normalize(&w.text, dir, home))?);
            }
            (!text.is_empty()).then_some(text)
        }
        _ => None,
    }
}

/// `dd if=SRC of=DST`: the target and the text it will hold, when the source can be read.
fn dd_copy(c: &Cmd, dir: &str, home: &str) -> Option<(String, String)> {
    if c.program != "dd" || c.args().iter().any(|w| w.dynamic) {
        return None;
    }
    let value = |k: &str| c.args().iter().find_map(|w| w.text.strip_prefix(k).map(str::to_owned));
    let (src, dst) = (value("if=")?, value("of=")?);
    Some((path::normalize(&dst, dir, home), read_text(&path::normalize(&src, dir, home))?))
}

/// `cat FILE… > target`, `tee target < FILE`, `cat FILE | tee target`: the text of the files
/// read in, when each can be read (`before`: the command before this one, which a pipe feeds it).
fn text_read_in(c: &Cmd, before: Option<&Cmd>, dir: &str, home: &str) -> Option<String> {
    let names: Vec<&shell::Word> = match c.program.as_str() {
        // (`sort`, `uniq`, `tac` give back the same lines, in another order.)
        "cat" | "sort" | "uniq" | "tac" => c.args().iter().filter(|w| !w.text.starts_with('-') || w.text == "-").collect(),
        "tee" if c.stdin_from.as_deref() == Some("cat") => {
            let cat = before.filter(|b| b.program == "cat" && b.stdin_text.is_none())?;
            cat.args().iter().filter(|w| !w.text.starts_with('-') || w.text == "-").collect()
        }
        "tee" => c.redirects.iter().filter(|r| !r.write).map(|r| &r.target).collect(),
        _ => return None,
    };
    if names.is_empty() || names.iter().any(|w| w.dynamic || w.text == "-") {
        return None;
    }
    let mut text = String::new();
    for w in names {
        text.push_str(&read_text(&path::normalize(&w.text, dir, home))?);
    }
    Some(text)
}

/// `now` with `text` added on a line of its own.
fn with_line(now: &str, text: &str) -> String {
    format!("{now}{}{text}", if now.is_empty() || now.ends_with('\n') { "" } else { "\n" })
}

/// The verdict for `file` made to hold `content` (an Edit of `old`, or a Write when there is
/// none), when it is stricter than confinement.
fn stricter_as_written(policy: &Policy, action: &Action, env: &Env, file: String, content: String, old: Option<String>) -> Option<Verdict> {
    let kind = if old.is_some() { Kind::Edit } else { Kind::Write };
    let write = Action { kind, object: Object::Files { paths: vec![file], spelled: Vec::new(), content: Some(content), old, pattern: None }, ..action.clone() };
    let v = policy.verdict(&write, env);
    (v.decision > crate::policy::Decision::Confine).then_some(v)
}

/// A file the command writes from text it holds (`printf '--extra-index-url …' >>
/// requirements.txt`, `echo 'curl … | sh' >> scripts/dev.sh`, `cat > Makefile <<EOF`): judged
/// as the Write of that text (an append as the edit that adds it) would be.
fn files_written_from_text(policy: &Policy, action: &Action, cmds: &[Cmd], env: &Env) -> Option<Verdict> {
    // `sed -i '1i --extra-index-url …' requirements.txt`, `ed`, `ex -c`, `perl -pi -e`: the edit
    // that adds its text (what `r FILE` or a script file holds read from disk).
    for c in cmds.iter().filter(|c| !c.args().iter().any(|w| w.dynamic)) {
        let args: Vec<&str> = c.args().iter().map(|w| w.text.as_str()).collect();
        let dir = c.cwd.as_deref().unwrap_or(&action.cwd);
        let read = |name: &str| read_text(&path::normalize(name, dir, env.home));
        let Some((edits, files)) = crate::policy::programs::text::edits_in_place(&c.program, &args, c.stdin_text.as_deref(), &read) else { continue };
        for f in files {
            let file = path::normalize(&f, dir, env.home);
            // A file that is not there (yet) holds nothing: what the edit adds is all it holds.
            let now = read_text(&file).unwrap_or_default();
            // A substitution of plain text is made where it matches; the rest (a pattern, an
            // added line) is added as a line of its own.
            let mut content = now.clone();
            // In a Makefile text that lands where it cannot be seen is taken as a recipe line
            // (a substitution by a pattern inside one, `perl -pi` text).
            let makefile = crate::policy::content::is_makefile(file.rsplit('/').next().unwrap_or(""));
            for crate::policy::programs::text::SedEdit { pattern, text } in &edits {
                match pattern {
                    Some(p) if !p.is_empty() && !p.contains(['.', '*', '[', '^', '$', '\\', '+', '?', '(', '{', '|']) && content.contains(p.as_str()) => content = content.replace(p.as_str(), text),
                    _ => {
                        let first = text.split_whitespace().next().unwrap_or("");
                        let rule_or_assignment = first.ends_with(':') || first.contains('=') || text.split_whitespace().nth(1).is_some_and(|w| matches!(w, "=" | ":=" | "?=" | "+=" | "::="));
                        let recipe = makefile && !text.starts_with('\t') && !rule_or_assignment;
                        content = with_line(&content, &format!("{}{text}\n", if recipe { "\t" } else { "" }));
                    }
                }
            }
            if let Some(v) = stricter_as_written(policy, action, env, file, content, Some(now)) {
                return Some(v);
            }
        }
    }
    // `patch -p1 < fix.diff`, `git apply fix.diff`, `git am 0001.patch`: each file a patch
    // touches, judged as the edit that adds its `+` lines.
    for (k, c) in cmds.iter().enumerate() {
        let dir = c.cwd.as_deref().unwrap_or(&action.cwd);
        // (`printf '%s\n' '--- a/x' … | patch -p1`: the text the stage before prints.)
        let printed = || k.checked_sub(1).filter(|_| matches!(c.stdin_from.as_deref(), Some("echo" | "printf"))).and_then(|b| text_written(&cmds[b]));
        let Some(text) = patch_text(c, dir, env.home).or_else(|| matches!(c.program.as_str(), "patch" | "git").then(printed).flatten()) else {
            // A patch ana cannot read before it is applied: computed when it runs (`git apply
            // <(curl …)`), or a file an earlier part of the command makes (`curl -o /tmp/p URL &&
            // git apply /tmp/p`).
            if let Some(w) = named_patch(c)
                && (w.dynamic || (k > 0 && !std::path::Path::new(&path::normalize(&w.text, dir, env.home)).exists()))
            {
                return policy.runs_unreadable(&w.text, "a patch ana cannot read before it is applied");
            }
            continue;
        };
        for (link, target) in crate::policy::content::patched_links(&text, 1) {
            let line = format!("ln -s {} {}", shell::quote(&target), shell::quote(&link));
            let run = Action { kind: Kind::Exec, object: Object::Command { command: line }, cwd: dir.to_owned(), ..action.clone() };
            let v = policy.verdict(&run, env);
            if v.decision > crate::policy::Decision::Confine {
                return Some(v);
            }
        }
        let strip = c.args().iter().find_map(|w| w.text.strip_prefix("-p").and_then(|n| n.parse::<usize>().ok())).unwrap_or(if c.program == "git" { 1 } else { 0 });
        let reverse = c.args().iter().any(|w| matches!(w.text.as_str(), "-R" | "--reverse"));
        for (file, lines) in crate::policy::content::patched_files(&text, strip, reverse) {
            let file = path::normalize(&file, dir, env.home);
            let now = read_text(&file).unwrap_or_default();
            let content = with_line(&now, &format!("{}\n", lines.join("\n")));
            if let Some(v) = stricter_as_written(policy, action, env, file, content, Some(now)) {
                return Some(v);
            }
        }
    }
    for (k, c) in cmds.iter().enumerate().filter(|(_, c)| matches!(c.program.as_str(), "echo" | "printf" | "cat" | "tee" | "cp" | "mv" | "install" | "sort" | "uniq" | "tac" | "dd")) {
        let dir = c.cwd.as_deref().unwrap_or(&action.cwd);
        let mut targets: Vec<(&shell::Word, bool)> = c.redirects.iter().filter(|r| r.write).map(|r| (&r.target, r.append)).collect();
        if c.program == "tee" {
            let append = c.args().iter().any(|w| w.text == "-a" || w.text == "--append");
            targets.extend(c.args().iter().filter(|w| !w.text.starts_with('-')).map(|w| (w, append)));
        }
        // A file an earlier part of the command writes is not what is on disk now (looked for
        // only when the command copies or reads one in).
        let written_before = || -> Vec<String> {
            cmds[..k]
                .iter()
                .flat_map(|b| b.redirects.iter().filter(|r| r.write && !r.target.dynamic).map(|r| path::normalize(&r.target.text, b.cwd.as_deref().unwrap_or(&action.cwd), env.home)))
                .collect()
        };
        // A copy: judged as the Write of what it copies, at the path it lands.
        let copied = copied_file(c, dir, env.home).or_else(|| dd_copy(c, dir, env.home)).filter(|_| {
            let before = written_before();
            c.args().iter().all(|w| !before.contains(&path::normalize(w.text.trim_start_matches("if="), dir, env.home)))
        });
        if let Some((file, text)) = copied {
            if let Some(v) = stricter_as_written(policy, action, env, file, text, None) {
                return Some(v);
            }
            continue;
        }
        if targets.iter().all(|(t, _)| t.dynamic || t.text.starts_with("/dev/")) {
            continue;
        }
        let Some(text) = text_written(c).or_else(|| text_read_in(c, k.checked_sub(1).map(|b| &cmds[b]), dir, env.home).filter(|_| written_before().is_empty())) else { continue };
        for (target, append) in targets.into_iter().filter(|(t, _)| !t.dynamic && !t.text.starts_with("/dev/")) {
            let file = path::normalize(&target.text, dir, env.home);
            let now = if append { read_text(&file) } else { None };
            let content = now.as_deref().map_or_else(|| text.clone(), |now| with_line(now, &text));
            if let Some(v) = stricter_as_written(policy, action, env, file, content, now) {
                return Some(v);
            }
        }
    }
    None
}

/// A Write or Edit of a `.gitignore` after which a secret file in its directory is no longer
/// ignored (`.env` taken out, a `!.env` added): the next `git add -A` stages it.
fn ignore_weakened(policy: &Policy, env: &Env, file: &str, new: &str, old: Option<&str>) -> Option<Verdict> {
    let project = env.project?;
    let (dir, name) = file.rsplit_once('/')?;
    if name != ".gitignore" || !(dir == project || path::is_within(dir, project)) {
        return None;
    }
    let now = read_text(file).unwrap_or_default();
    let after = match old {
        // An edit: its text replaces the old text in the file.
        Some(o) if !o.is_empty() => now.replacen(o, new, 1),
        _ => new.to_owned(),
    };
    // A line that keeps secrets out taken away, or one that lets them in (`!.env`) added,
    // whether or not such a file is there yet: the next one made is committed.
    let (was, is) = match old {
        Some(o) if !o.is_empty() => (o, new),
        _ => (now.as_str(), new),
    };
    // (Only the blanks git drops are trimmed: a line that ends in a no-break space names
    // another file than the one it looks like.)
    let lines = |t: &str| t.lines().map(|l| l.trim_matches([' ', '\t', '\r'])).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect::<Vec<_>>();
    let (was, is) = (lines(was), lines(is));
    if let Some(line) = was.iter().find(|l| !is.contains(l) && keeps_secrets_out(l)).or_else(|| is.iter().find(|l| !was.contains(l) && l.starts_with('!') && keeps_secrets_out(&l[1..]))) {
        return policy.decided_by("secrets.unignored", format!("{file}: `{line}` no longer keeps secret files out of commits"));
    }
    let rel = dir.strip_prefix(project).unwrap_or("").trim_start_matches('/');
    let at = if rel.is_empty() { ".gitignore".to_owned() } else { format!("{rel}/.gitignore") };
    let outer = crate::tree::outer_rules(project, env.home);
    let before = crate::tree::secrets_in_repo(project, dir, &crate::tree::Rules::Git { outer: outer.clone(), replaced: Some((&at, &now)) });
    let then = crate::tree::secrets_in_repo(project, dir, &crate::tree::Rules::Git { outer, replaced: Some((&at, &after)) });
    match (before, then) {
        (Ok(None), Ok(Some(secret))) => policy.decided_by("secrets.unignored", format!("{file} no longer keeps {secret} out of commits")),
        _ => None,
    }
}

/// Batch schedulers, whose job is a shell script given by name or on stdin.
const BATCH: &[&str] = &["sbatch", "qsub", "msub", "bsub", "oarsub", "condor_qsub"];

/// The goals of a make command line: its words that are neither options (nor their values)
/// nor variable assignments; `None` when one is computed or the line adds rules of its own
/// (`--eval`), so that which recipes run is not known.
fn make_goals(args: &[shell::Word]) -> Option<Vec<String>> {
    const VALUES: &[&str] =
        &["-f", "--file", "--makefile", "-C", "--directory", "-I", "--include-dir", "-o", "--old-file", "--assume-old", "-W", "--what-if", "--new-file", "--assume-new", "-O", "--output-sync"];
    let mut goals = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        let t = w.text.as_str();
        if t == "-E" || t.starts_with("--eval") || (t.starts_with("-E") && !t.starts_with("--")) {
            return None;
        }
        if VALUES.contains(&t) {
            i += 2;
            continue;
        }
        // `-j 4`, `-l 2.5`: an optional number.
        if matches!(t, "-j" | "--jobs" | "-l" | "--load-average" | "--max-load") {
            i += if args.get(i + 1).is_some_and(|n| n.text.bytes().all(|b| b.is_ascii_digit() || b == b'.')) { 2 } else { 1 };
            continue;
        }
        if t.starts_with('-') {
            i += 1;
            continue;
        }
        if w.dynamic || w.glob {
            return None;
        }
        if !t.contains('=') {
            goals.push(t.to_owned());
        }
        i += 1;
    }
    Some(goals)
}

/// Whether an ignore line names secret files: `.env` (not its examples), keys, key stores,
/// Terraform state and variables, credentials and token files.
fn keeps_secrets_out(line: &str) -> bool {
    // (`\.env` is `.env` to git: a backslash escapes the character after it.)
    let l = line.replace('\\', "");
    let l = l.trim_start_matches("**/").trim_matches('/').to_ascii_lowercase();
    let example = ["example", "sample", "template", "dist"].iter().any(|e| l.ends_with(e));
    (l.starts_with(".env") && !example)
        || [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".tfstate", ".tfvars", ".age", ".gpg", "id_rsa", "id_ed25519", ".kdbx"].iter().any(|e| l.ends_with(e))
        || ["credential", "secret", ".npmrc", ".pypirc", ".netrc", "config.local", "service-account", ".token", "_token", "-token", "token.json", ".dev.vars", "kaggle.json", "*.env"]
            .iter()
            .any(|w| l.contains(w))
        || l.ends_with("token")
}

/// The files the commands of `file` run in turn (`npm test` runs `./scripts/test.sh`, which runs
/// `tools/x.py`), judged as it is.
fn deeper(policy: &Policy, action: &Action, env: &Env, (depth, cwd): (u8, &str), read: &mut usize, file: &str, scripts: Vec<String>) -> Option<Verdict> {
    if scripts.is_empty() {
        return None;
    }
    // A package's scripts find its packages' programs first (`"test": "mytool"` runs
    // `node_modules/.bin/mytool`).
    let bins = file.ends_with("/package.json");
    if depth + 1 >= MAX_DEPTH {
        // Only a file whose commands run further files is past reach.
        let runs_more = scripts.iter().any(|s| shell::analyze(s, cwd, env.home).iter().any(|c| !files_run(c, cwd, env.home, bins).is_empty()));
        return if runs_more { policy.runs_unreadable(file, "runs files more files deep than ana follows") } else { None };
    }
    for script in scripts {
        let run = Action { kind: crate::action::Kind::Exec, object: Object::Command { command: script }, cwd: cwd.to_owned(), ..action.clone() };
        if let Some(v) = judge_at(policy, &run, env, (depth + 1, bins), read) {
            return Some(v);
        }
    }
    None
}

/// An install from requirements files (`pip install -r requirements.txt`, `uv pip install -c
/// constraints.txt`) that take packages from an index other than PyPI, in the file or in one it
/// names in turn: judged as that option on the command line would be. The file may have been
/// changed by an earlier call that only wrote inside the project.
fn requirements_elsewhere(policy: &Policy, c: &Cmd, cwd: &str, home: &str, read: &mut usize) -> Option<Verdict> {
    if !matches!(c.program.as_str(), "pip" | "pip3" | "uv" | "pipenv" | "pipx") && !c.program.starts_with("pip3.") {
        return None;
    }
    const OPTIONS: &[&str] = &["-r", "--requirement", "--requirements", "-c", "--constraint", "--constraints"];
    let args = c.args();
    // `-r FILE`, `--requirement=FILE`, and pip's glued `-rFILE`.
    let glued = args.iter().map(|w| w.text.as_str()).filter(|t| t.len() > 2 && (t.starts_with("-r") || t.starts_with("-c")) && !t.starts_with("--")).map(|t| &t[2..]);
    let mut files: Vec<(String, u8)> = option_values(args, OPTIONS).into_iter().chain(glued).map(|v| (path::normalize(v, c.cwd.as_deref().unwrap_or(cwd), home), 0)).collect();
    while let Some((file, depth)) = files.pop() {
        *read += 1;
        if *read > MAX_FILES {
            return policy.runs_unreadable(&file, "one file more than ana reads for one call");
        }
        let Some(Text::Read(text)) = text_of(&file) else { continue };
        if let Some(line) = crate::policy::index_elsewhere(&text) {
            return policy.installs_from_elsewhere(&file, line);
        }
        // `-r other.txt` and `-c other.txt` inside: relative to the file's directory.
        let dir = file.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
        for l in text.lines().map(str::trim).filter(|_| depth < MAX_DEPTH) {
            let named = OPTIONS.iter().find_map(|o| l.strip_prefix(o).filter(|r| r.starts_with([' ', '=', '\t'])).map(|r| r.trim_start_matches([' ', '=', '\t']).trim()));
            if let Some(n) = named.filter(|n| !n.is_empty()) {
                files.push((path::normalize(n, dir, home), depth + 1));
            }
        }
    }
    None
}

/// The manifest an install reads that names where its packages come from (`conda env create -f
/// environment.yml`, `dbt deps`, `bundle install`, `composer install`): judged as writing it
/// would be, for an earlier call may have changed it.
fn manifest_elsewhere(policy: &Policy, c: &Cmd, cwd: &str, home: &str, read: &mut usize) -> Option<Verdict> {
    let args = c.args();
    // Terraform's CLI configuration named in its environment (`TF_CLI_CONFIG_FILE=./dev.tfrc`):
    // where providers come from (mirrors, overrides) and the credentials helpers it runs.
    if matches!(c.program.as_str(), "terraform" | "tofu" | "terragrunt") {
        for (_, v) in c.env.iter().filter(|(n, _)| matches!(n.as_str(), "TF_CLI_CONFIG_FILE" | "TERRAFORM_CONFIG" | "TOFU_CLI_CONFIG_FILE")) {
            if v.dynamic {
                return policy.installs_from_elsewhere(&v.text, "a CLI configuration computed when it runs");
            }
            let file = path::normalize(&v.text, c.cwd.as_deref().unwrap_or(cwd), home);
            *read += 1;
            if let Some(Text::Read(text)) = text_of(&file)
                && let Some(line) = text
                    .lines()
                    .find(|l| ["provider_installation", "network_mirror", "filesystem_mirror", "dev_overrides", "credentials_helper", "plugin_cache_dir", "host "].iter().any(|k| l.contains(k)))
            {
                return policy.installs_from_elsewhere(&file, line.trim());
            }
        }
    }
    let pos: Vec<&str> = args.iter().map(|w| w.text.as_str()).filter(|t| !t.starts_with('-')).collect();
    let (names, option): (&[&str], &[&str]) = match (c.program.as_str(), pos.first().copied(), pos.get(1).copied()) {
        ("conda" | "mamba" | "micromamba", Some("env"), Some("create" | "update")) => (&["environment.yml", "environment.yaml"], &["-f", "--file"]),
        ("conda" | "mamba" | "micromamba", Some("create" | "install" | "update"), _) if args.iter().any(|w| w.text == "-f" || w.text.starts_with("--file")) => (&[], &["-f", "--file"]),
        ("dbt", Some("deps"), _) => (&["packages.yml", "dependencies.yml"], &["--project-dir"]),
        ("bundle" | "bundler", Some("install" | "update" | "i"), _) | ("bundle" | "bundler", None, _) => (&["Gemfile"], &["--gemfile"]),
        ("composer", Some("install" | "i" | "update" | "u" | "upgrade" | "require" | "r"), _) => (&["composer.json"], &["-d", "--working-dir"]),
        // pre-commit fetches and runs the hooks of the repositories its configuration names
        // (`try-repo REPO`: that one).
        ("pre-commit" | "prek", Some("try-repo"), repo) => {
            let repo = repo.unwrap_or(".");
            if (repo.contains("://") || repo.starts_with("git@")) && !crate::policy::content::vetted_hook_repository(repo) {
                return policy.installs_from_elsewhere(repo, "hooks from this repository");
            }
            return None;
        }
        ("pre-commit" | "prek", Some("run" | "install" | "install-hooks" | "hook-impl" | "autoupdate" | "gc"), _) | ("pre-commit" | "prek", None, _) => {
            (&[".pre-commit-config.yaml", ".pre-commit-config.yml"], &["-c", "--config"])
        }
        ("tox", _, _) => (&["tox.ini", "tox.toml"], &["-c", "--conf"]),
        // `ansible-galaxy install -r requirements.yml`, `ansible-galaxy collection install -r …`.
        ("ansible-galaxy", Some("install" | "role" | "collection"), _) if args.iter().any(|w| w.text == "-r" || w.text.starts_with("--role-file") || w.text.starts_with("--requirements-file")) => {
            (&["requirements.yml"], &["-r", "--role-file", "--requirements-file"])
        }
        ("lefthook", Some("run" | "install" | "add"), _) => (&["lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml"], &[]),
        _ => return None,
    };
    let here = c.cwd.as_deref().unwrap_or(cwd);
    let given = option_values(args, option);
    let mut files: Vec<String> = Vec::new();
    match given.first() {
        // dbt's and composer's options name a directory.
        Some(d) if matches!(c.program.as_str(), "dbt" | "composer") => files.extend(names.iter().map(|n| path::normalize(&format!("{d}/{n}"), here, home))),
        Some(f) => files.push(path::normalize(f, here, home)),
        None => files.extend(names.iter().map(|n| path::normalize(n, here, home))),
    }
    for file in files {
        *read += 1;
        let Some(Text::Read(text)) = text_of(&file) else { continue };
        let name = match file.rsplit('/').next().unwrap_or("") {
            n if names.contains(&n) => n,
            _ => names.first().copied().unwrap_or("environment.yml"),
        };
        if let Some(line) = text.lines().find(|l| crate::policy::content::manifest_source(name, &[l])) {
            return policy.installs_from_elsewhere(&file, line.trim());
        }
    }
    None
}

/// `cargo NAME …` where NAME is no subcommand of cargo's own: an alias of the nearest
/// `.cargo/config.toml` (or of `~/.cargo/config.toml`), judged as the command it stands for
/// (`ci = "publish --no-verify"` makes `cargo ci` a publish).
fn cargo_alias(policy: &Policy, action: &Action, env: &Env, c: &Cmd, read: &mut usize) -> Option<Verdict> {
    const BUILTIN: &[&str] = &[
        "build",
        "b",
        "check",
        "c",
        "clean",
        "doc",
        "d",
        "new",
        "init",
        "add",
        "remove",
        "rm",
        "run",
        "r",
        "test",
        "t",
        "bench",
        "update",
        "search",
        "publish",
        "install",
        "uninstall",
        "fmt",
        "clippy",
        "tree",
        "vendor",
        "fix",
        "metadata",
        "package",
        "login",
        "logout",
        "owner",
        "yank",
        "version",
        "help",
        "locate-project",
        "generate-lockfile",
        "fetch",
        "rustc",
        "rustdoc",
        "pkgid",
        "verify-project",
        "report",
        "config",
        "info",
        "read-manifest",
        "git-checkout",
        "make",
        "nextest",
        "watch",
        "expand",
        "audit",
        "deny",
        "outdated",
        "edit",
        "upgrade",
        "binstall",
        "llvm-cov",
        "tarpaulin",
        "miri",
        "udeps",
        "machete",
        "insta",
        "leptos",
        "tauri",
        "zigbuild",
        "ndk",
        "apk",
        "xwin",
        "dist",
        "release",
        "semver-checks",
    ];
    if c.program != "cargo" {
        return None;
    }
    let args = c.args();
    let k = args.iter().position(|w| !w.text.starts_with('-') && !w.text.starts_with('+'))?;
    // `cargo --config k=v NAME`: an option before the name takes its value; not followed.
    if args[..k].iter().any(|w| matches!(w.text.as_str(), "--config" | "-Z" | "--color" | "-C")) {
        return None;
    }
    let name = &args[k];
    if name.dynamic || BUILTIN.contains(&name.text.as_str()) {
        return None;
    }
    let here = c.cwd.as_deref().unwrap_or(&action.cwd);
    for file in cargo_configs(here, env.home) {
        let Some(text) = read_text(&file) else { continue };
        *read += 1;
        let Ok(doc) = text.parse::<toml::Table>() else { continue };
        let Some(value) = doc.get("alias").and_then(|a| a.get(&name.text)) else { continue };
        let Some(expansion) = crate::policy::content::cargo_alias_words(value) else { continue };
        if expansion.split_whitespace().next() == Some(name.text.as_str()) {
            return None;
        }
        let rest: Vec<String> = args[k + 1..].iter().map(|w| if w.dynamic { "\"$v\"".to_owned() } else { shell::quote(&w.text) }).collect();
        let line = format!("cargo {expansion} {}", rest.join(" "));
        let run = Action { kind: Kind::Exec, object: Object::Command { command: line.trim_end().to_owned() }, ..action.clone() };
        let v = policy.verdict(&run, env);
        if v.decision > crate::policy::Decision::Confine {
            return Some(v);
        }
        // What the command it stands for runs from disk (`xtask = "run -p xtask --"`).
        return judge_at(policy, &run, env, (1, false), read);
    }
    None
}

/// The `.cargo/config.toml` files cargo reads for a command run in `here`: the nearest first, up
/// to the root, then the user's (the legacy name `config` beside each).
fn cargo_configs(here: &str, home: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    let mut dir = here.to_owned();
    loop {
        files.push(format!("{dir}/.cargo/config.toml"));
        files.push(format!("{dir}/.cargo/config"));
        match dir.rsplit_once('/') {
            Some((up, _)) if !up.is_empty() => dir = up.to_owned(),
            _ => break,
        }
    }
    files.push(format!("{home}/.cargo/config.toml"));
    files.push(format!("{home}/.cargo/config"));
    files
}

/// `cargo build`, `run`, `test` …: the programs its configuration makes it run (a target's
/// `runner`, `build.rustc-wrapper`, a `linker`), judged as the commands they are.
fn cargo_config_programs(policy: &Policy, action: &Action, env: &Env, c: &Cmd, read: &mut usize) -> Option<Verdict> {
    if c.program != "cargo" {
        return None;
    }
    let args = c.args();
    let verb = args.iter().enumerate().find(|(k, w)| !(w.text.starts_with(['-', '+']) || (*k > 0 && matches!(args[k - 1].text.as_str(), "--config" | "-Z" | "--color" | "-C"))))?.1;
    let runs = matches!(verb.text.as_str(), "run" | "r" | "test" | "t" | "bench");
    if !runs && !matches!(verb.text.as_str(), "build" | "b" | "check" | "c" | "clippy" | "doc" | "d" | "install" | "package" | "publish" | "rustc" | "fix") {
        return None;
    }
    let here = c.cwd.as_deref().unwrap_or(&action.cwd);
    // `--config FILE` and `--config 'KEY=VALUE'` come first, as cargo reads them.
    let mut given: Vec<(String, String)> = Vec::new();
    for v in option_values(c.args(), &["--config"]) {
        if v.contains('=') {
            given.push(("--config".to_owned(), v.to_owned()));
        } else {
            let file = path::normalize(v, here, env.home);
            given.push((file.clone(), read_text(&file).unwrap_or_default()));
        }
    }
    let on_disk = cargo_configs(here, env.home).into_iter().filter_map(|f| read_text(&f).map(|t| (f, t)));
    for (file, text) in given.into_iter().chain(on_disk) {
        *read += 1;
        let lines = crate::policy::content::cargo_config_programs(&text, runs);
        if let Some(v) = policy.runs_on_disk(action, env, &file, &lines) {
            return Some(v);
        }
        // What a program named by a path runs from disk (`runner = "./tools/flash.sh"`).
        for line in lines {
            let run = Action { kind: Kind::Exec, object: Object::Command { command: line }, ..action.clone() };
            if let Some(v) = judge_at(policy, &run, env, (1, false), read) {
                return Some(v);
            }
        }
    }
    None
}

/// A curl or wget configuration file given on the command line (`curl -K upload.cfg`,
/// `wget --config=x`): its lines are options of this run, judged with the command's own.
fn config_file_run(policy: &Policy, action: &Action, env: &Env, c: &Cmd, read: &mut usize) -> Option<Verdict> {
    let names: &[&str] = match c.program.as_str() {
        "curl" => &["-K", "--config"],
        "wget" | "wget2" => &["--config"],
        _ => return None,
    };
    let args = c.args();
    let here = c.cwd.as_deref().unwrap_or(&action.cwd);
    let (mut own, mut files) = (String::new(), Vec::new());
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        let inline = names.iter().find_map(|n| t.strip_prefix(n).and_then(|r| r.strip_prefix('=').or(if *n == "-K" && !r.is_empty() { Some(r) } else { None })));
        if names.contains(&t) {
            files.extend(args.get(i + 1).map(|w| (w.text.clone(), w.dynamic)));
            i += 1;
        } else if let Some(f) = inline {
            files.push((f.to_owned(), args[i].dynamic));
        } else {
            own.push(' ');
            shell::push_quoted(&mut own, t);
        }
        i += 1;
    }
    // Configuration text as the options of this run, with the command's own.
    let judge = |text: &str| {
        crate::policy::content::config_options(&c.program, text).into_iter().find_map(|line| {
            let run = Action { kind: Kind::Exec, object: Object::Command { command: format!("{line}{own}") }, ..action.clone() };
            Some(policy.verdict(&run, env)).filter(|v| v.decision > crate::policy::Decision::Confine)
        })
    };
    // wget's `-e CMD`, `--execute=CMD`: a line of its configuration given on the command line.
    if c.program != "curl" {
        let given: Vec<&str> = option_values(args, &["-e", "--execute"]).into_iter().chain(args.iter().filter_map(|w| w.text.strip_prefix("--execute="))).collect();
        if let Some(v) = judge(&given.join("\n")) {
            return Some(v);
        }
    }
    for (f, dynamic) in files {
        *read += 1;
        if dynamic || f == "-" {
            return policy.runs_unreadable(&f, "a configuration read when it runs");
        }
        let file = path::normalize(&f, here, env.home);
        let Some(Text::Read(text)) = text_of(&file) else { continue };
        if let Some(v) = judge(&text) {
            return Some(v);
        }
    }
    None
}

/// How SQL clients include a file of statements in others: psql's `\i`, `\ir`, `\include`,
/// `\include_relative`, mysql's `source` and `\.`.
const SQL_INCLUDES: &[&str] = &["\\include_relative ", "\\include ", "\\ir ", "\\i ", "source ", "SOURCE ", "\\. ", ":r ", ":R "];

/// Database clients that run a file of statements (`psql -f cleanup.sql`, `mysql db < x.sql`,
/// `sqlcmd -i x.sql`): judged as the client given that text on its command line (`psql -c
/// TEXT`), so a file written in an earlier call is no way around the database rules.
fn sql_file_run(policy: &Policy, action: &Action, env: &Env, c: &Cmd, read: &mut usize) -> Option<Verdict> {
    if !crate::policy::programs::text::is_sql_client(&c.program) {
        return None;
    }
    const OPTIONS: &[&str] = &["-f", "--file", "-i", "--input-file", "--queries-file", "--init", "-init"];
    let args = c.args();
    let here = c.cwd.as_deref().unwrap_or(&action.cwd);
    let mut files = option_values(args, OPTIONS);
    files.extend(args.iter().map(|w| w.text.as_str()).filter(|t| !t.starts_with('-') && (t.ends_with(".sql") || (c.program.starts_with("mongo") && t.ends_with(".js")))));
    files.extend(c.redirects.iter().filter(|r| !r.write).map(|r| r.target.text.as_str()));
    // `psql -c '\i f.sql'`: a file included from the command's own statements.
    for t in option_values(args, &["-c", "--command", "-e", "--execute"]) {
        files.extend(t.split(['\n', ';']).filter_map(|l| SQL_INCLUDES.iter().find_map(|p| l.trim().strip_prefix(p))).map(|f| f.trim().trim_matches(['\'', '"'])));
    }
    let line = quoted_line(c);
    // Files the statements include in turn (`\i other.sql`, `\ir`, `\include`, mysql's
    // `source`), read after the ones named.
    let mut queue: Vec<String> = files.iter().map(|f| path::normalize(f, here, env.home)).collect();
    let mut k = 0;
    while k < queue.len() {
        let file = queue[k].clone();
        k += 1;
        *read += 1;
        if *read > MAX_FILES {
            return policy.runs_unreadable(&file, "one file more than ana reads for one call");
        }
        // Statements ana cannot read (a file written by this same command, one computed when it
        // runs, a pipe, a file too large) reach a database other than this machine's test one
        // only with approval: they may be anything.
        let text = match text_of(&file) {
            Some(Text::Read(text)) => text,
            _ if crate::policy::programs::text::runs_in_test_env(c) => continue,
            Some(Text::Unreadable(why)) => return policy.runs_unreadable(&file, why),
            _ => return policy.runs_unreadable(&file, "statements not on disk when the command is judged (written by the command itself, or computed when it runs)"),
        };
        let dir = file.rsplit_once('/').map_or(here, |(d, _)| d).to_owned();
        for l in text.lines().map(str::trim) {
            let included = SQL_INCLUDES.iter().find_map(|p| l.strip_prefix(p));
            if let Some(f) = included {
                let f = f.trim().trim_end_matches(';').trim_matches(['\'', '"']);
                // `\ir` and `\include_relative` from the file's directory, the rest from where
                // the client runs.
                let base = if l.starts_with("\\ir ") || l.starts_with("\\include_relative ") { &dir } else { here };
                let p = path::normalize(f, base, env.home);
                if !queue.contains(&p) {
                    queue.push(p);
                }
            }
        }
        // Past what is judged, any statement may follow (as for a script).
        if text.len() > crate::policy::content::MAX_CODE {
            return policy.runs_unreadable(&file, &format!("longer than ana judges ({} KiB)", crate::policy::content::MAX_CODE / 1024));
        }
        let mut run = line.clone();
        shell::push_quoted(&mut run, &text);
        // And as the server reads it: comments out (MySQL's `/*! … */` in), pieces of a string
        // put together (`'DR' || 'OP TABLE'`), runs of blanks as one.
        run.push(' ');
        shell::push_quoted(&mut run, &crate::policy::programs::text::sql_as_run(&text));
        if let Some(v) = policy.runs_statements(action, env, &file, run) {
            return Some(v);
        }
    }
    None
}

/// `dbt run|build|seed|snapshot|test|retry|run-operation`: the statements the project's hooks
/// run on the target with every run (`on-run-end`, a model's `post_hook`), read from its files
/// as they are judged when written — a file
/// put there by other means (a download, a checkout, code) is no way around them. Not for a
/// target named as a development one (`--target dev`).
fn dbt_project_statements(policy: &Policy, action: &Action, env: &Env, c: &Cmd) -> Option<Verdict> {
    if !matches!(c.program.as_str(), "dbt" | "dbt.cli.main") {
        return None;
    }
    let args = c.args();
    let sub = args.iter().find(|w| !w.text.starts_with('-'))?.text.as_str();
    if !matches!(sub, "run" | "build" | "seed" | "snapshot" | "test" | "retry" | "run-operation" | "clone") {
        return None;
    }
    let development = |t: &str| {
        let t = t.to_ascii_lowercase();
        ["dev", "development", "local", "test", "ci", "sandbox", "scratch"].iter().any(|d| t == *d || t.starts_with(&format!("{d}_")) || t.ends_with(&format!("_{d}")))
    };
    if option(args, &["--target", "-t"]).is_some_and(development) {
        return None;
    }
    let here = c.cwd.as_deref().unwrap_or(&action.cwd);
    let project = path::normalize(option(args, &["--project-dir"]).unwrap_or("."), here, env.home);
    let mut files = vec![format!("{project}/dbt_project.yml")];
    // (A macro runs only when a hook, a model or `run-operation` calls it: not read here.)
    for (dir, ext) in [("models", ".sql"), ("models", ".yml"), ("snapshots", ".sql")] {
        files.extend(source_files(&format!("{project}/{dir}"), true, ext));
        if files.len() > 400 {
            return policy.runs_unreadable(&project, "a dbt project with more files than ana reads for one call");
        }
    }
    for f in files {
        let Some(text) = read_text(&f) else { continue };
        for line in crate::policy::content::file_text(&f, &text, None).sql {
            if let Some(v) = policy.runs_statements(action, env, &f, line) {
                return Some(v);
            }
        }
    }
    None
}

/// `c`'s words as a shell line, each quoted, with a blank after each: the start of a line a file's
/// text is appended to, to judge the command as if that text were given inline.
fn quoted_line(c: &Cmd) -> String {
    let mut line = String::new();
    for w in &c.argv {
        shell::push_quoted(&mut line, &w.text);
        line.push(' ');
    }
    line
}

/// A request body an HTTP client sends from a file (`curl -d @mutation.json`, `--json @q.json`,
/// `-F q=@f`, wget's `--body-file`, httpie's `@file` and `< file`, `gh api --input f`): the
/// command is judged again with the file's text as a word of its own, so that a GraphQL delete
/// mutation or a JSON-RPC `deleteUser` in the file is seen as it would be inline.
fn http_body_file(policy: &Policy, action: &Action, env: &Env, c: &Cmd, read: &mut usize) -> Option<Verdict> {
    if !matches!(c.program.as_str(), "curl" | "curlie" | "wget" | "wget2" | "http" | "https" | "xh" | "xhs" | "httpie" | "gh") {
        return None;
    }
    let args = c.args();
    let here = c.cwd.as_deref().unwrap_or(&action.cwd);
    let mut files: Vec<&str> = option_values(args, &["--body-file", "--post-file", "--input", "-T", "--upload-file"]);
    for (k, w) in args.iter().enumerate() {
        // `@file` alone, after `=` or glued to a short option (`-d @f`, `-d@f`, `q=@f`, httpie's
        // `field=@f` and `field:=@f`), a form field read from a file (`-F 'q=<f'`), and
        // `--data-urlencode name@f`; `@-` is stdin, judged with the command's stdin.
        let urlencode = k > 0 && args[k - 1].text == "--data-urlencode" || w.text.starts_with("--data-urlencode=");
        let t = w.text.strip_prefix("--data-urlencode=").unwrap_or(&w.text);
        let read_at = |at: usize, mark: char| {
            (at == 0 || t[..at].ends_with('=') || (mark == '@' && (matches!(&t[..at], "-d" | "-F") || (urlencode && !t[..at].contains('=')))) || (mark == '<' && t[..at].ends_with('=')))
                && !t[at + 1..].is_empty()
                && &t[at + 1..] != "-"
                && !t[at + 1..].contains("://")
        };
        if let Some(at) = t.find('@').filter(|&at| read_at(at, '@')) {
            files.push(t[at + 1..].split(';').next().unwrap_or(""));
        } else if let Some(at) = t.find('<').filter(|&at| at > 0 && read_at(at, '<')) {
            files.push(t[at + 1..].split(';').next().unwrap_or(""));
        }
    }
    files.extend(c.redirects.iter().filter(|r| !r.write).map(|r| r.target.text.as_str()));
    let line = quoted_line(c);
    for f in files.into_iter().filter(|f| !f.is_empty()) {
        let file = path::normalize(f, here, env.home);
        *read += 1;
        if *read > MAX_FILES {
            return policy.runs_unreadable(&file, "one file more than ana reads for one call");
        }
        let Some(Text::Read(text)) = text_of(&file) else { continue };
        let mut run = line.clone();
        shell::push_quoted(&mut run, &text);
        let v = policy.runs_statements(action, env, &file, run);
        if v.as_ref().is_some_and(|v| v.rule.as_deref() == Some("net.api-delete")) {
            return v;
        }
    }
    None
}

/// What a file a command runs holds, as far as ana can tell.
enum Text {
    Read(String),
    /// It exists, but cannot be read whole as a regular file: why.
    Unreadable(&'static str),
    /// There is no such file now (an earlier part of the command may write it).
    Missing,
}

/// A file's text; `None` when there is no such file (the command fails on its own), or it is a
/// compiled program.
fn text_of(p: &str) -> Option<Text> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(_) if std::fs::symlink_metadata(p).is_ok() => return Some(Text::Unreadable("a link that leads nowhere ana can read")),
        // No such file, or a path through a file (`wt/.git/hooks` where `.git` is a file).
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => return None,
        Err(_) => return Some(Text::Unreadable("not readable")),
    };
    if !meta.is_file() {
        return Some(Text::Unreadable("not a regular file (a pipe, a device or a socket)"));
    }
    // Opened without waiting on a FIFO swapped in since the look above, and read to the limit.
    let mut f = match std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(p) {
        Ok(f) => f,
        Err(_) => return Some(Text::Unreadable("not readable")),
    };
    let mut bytes = Vec::new();
    if f.by_ref().take(4).read_to_end(&mut bytes).is_err() {
        return Some(Text::Unreadable("not readable"));
    }
    // A compiled program (`./target/release/app`) holds no commands ana can read, whatever its
    // size: it is what confinement is for, as any program is.
    if compiled(&bytes) {
        return None;
    }
    if meta.len() > MAX_BYTES {
        return Some(Text::Unreadable("larger than ana reads (1 MiB)"));
    }
    if f.by_ref().take(MAX_BYTES + 1).read_to_end(&mut bytes).is_err() || bytes.len() as u64 > MAX_BYTES {
        return Some(Text::Unreadable("not readable whole"));
    }
    Some(Text::Read(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Whether a file's first bytes are those of a compiled program: ELF, or Mach-O (thin, either
/// byte order).
fn compiled(head: &[u8]) -> bool {
    matches!(head, [0x7f, b'E', b'L', b'F'] | [0xfe, 0xed, 0xfa, 0xce | 0xcf] | [0xce | 0xcf, 0xfa, 0xed, 0xfe])
}

/// The name of the kind of file a runner reads (`Makefile` for make, `Taskfile.yml` for task),
/// under which a file it reads that is named otherwise is judged.
fn runner_format(c: &Cmd) -> Option<&'static str> {
    let program = c.program.as_str();
    if matches!(program, "make" | "gmake") {
        return Some("Makefile");
    }
    if program == "just" {
        return Some("justfile");
    }
    if program == "ctest" {
        return Some("CMakeLists.txt");
    }
    if compose_files(program, c.args()).is_some() {
        return Some("compose.yaml");
    }
    if matches!(run_through(c), Some("bundle" | "bundler")) {
        return Some("included.rb");
    }
    if matches!(program, "jupyter" | "jupyter-nbconvert" | "jupyter-execute" | "nbconvert" | "papermill" | "runipy" | "jupytext" | "quarto") {
        return Some("notebook.ipynb");
    }
    let r = crate::policy::programs::tasks::runs(program, run_through(c), c.args())?;
    Some(match program {
        "rake" | "bundle" | "bundler" | "fastlane" => "included.rb",
        "gradle" | "gradlew" => "included.gradle",
        _ => r.files.first()?.rsplit('/').next()?,
    })
}

/// The files `c` runs, with their text: `(path, text)`. A git alias is given as the name
/// `git alias NAME` and its command line. `bins`: the command is a package script's, whose
/// programs are looked for in `node_modules/.bin` first.
fn files_run(c: &Cmd, cwd: &str, home: &str, bins: bool) -> Vec<(String, Text)> {
    // (In a container of this machine, where the project is most often mounted: its files are
    // read from the project, as the likeliest reading of what runs.)
    let in_container = c.wrappers.iter().any(|w| w == shell::CONTAINER_EXEC);
    if c.cwd.is_none() && !in_container && runs_from_where_it_runs(c) {
        // `cd "$D" && ./run.sh`, `cd "$(…)" && make`: where it runs is not known, so neither is
        // which file it runs.
        return vec![(c.display(), Text::Unreadable("run from a directory ana cannot work out"))];
    }
    files_run_in(c, cwd, home, bins)
}

/// Whether `c` runs a file it names relatively, or one it looks for where it runs (a Makefile,
/// a manifest, a package's program, a test runner's `conftest.py`).
fn runs_from_where_it_runs(c: &Cmd) -> bool {
    let relative = |w: &shell::Word| !w.text.starts_with('/') && !w.text.starts_with('~');
    let program = c.program.as_str();
    let interpreter = crate::policy::programs::interpreters::is_interpreter(program);
    let a_shell = shell::SHELLS.contains(&program);
    let package_manager = |p: &str| matches!(p, "npm" | "pnpm" | "yarn" | "bun" | "npx" | "pnpx" | "bunx");
    if crate::policy::programs::tasks::runs(program, run_through(c), c.args()).is_some() || compose_files(program, c.args()).is_some_and(|f| f.is_none()) {
        return true;
    }
    if matches!(program, "make" | "gmake" | "just" | "pytest" | "py.test" | "gunicorn" | "flask")
        || package_manager(program)
        || c.wrappers.iter().any(|w| package_manager(w.rsplit('/').next().unwrap_or(w)))
    {
        return true;
    }
    if let Some((i, _)) = crate::policy::programs::interpreters::launched(program, &c.argv) {
        return c.argv.get(i).is_some_and(relative);
    }
    if !(interpreter || a_shell || c.facts & fact::SCRIPT_FILE != 0) {
        return false;
    }
    // The script: the program named by a path, a shell's or interpreter's operand, or a file on
    // its stdin.
    let args = c.args();
    let word = match c.argv.first() {
        Some(w) if w.text.contains('/') && !interpreter && !a_shell => Some(w),
        _ if a_shell || interpreter => script_operand(c),
        _ => args.iter().find(|w| !w.text.starts_with('-')),
    };
    word.is_some_and(relative) || c.redirects.iter().any(|r| !r.write && relative(&r.target))
}

/// The script file a shell or an interpreter runs, as it finds it past its options (`bash -o
/// errexit x.sh`, `python3 -W ignore x.py`); `None` for inline code, stdin, or another program.
fn script_operand(c: &Cmd) -> Option<&shell::Word> {
    let program = c.program.as_str();
    if shell::SHELLS.contains(&program) {
        match shell::shell_script(&c.argv) {
            shell::ShellScript::File(i) => c.argv.get(i),
            _ => None,
        }
    } else {
        crate::policy::programs::interpreters::script_file(program, &c.argv).and_then(|i| c.argv.get(i))
    }
}

fn files_run_in(c: &Cmd, cwd: &str, home: &str, bins: bool) -> Vec<(String, Text)> {
    let here = c.cwd.as_deref().unwrap_or(cwd);
    let at = |w: &str| path::normalize(w, here, home);
    // A directory run as a script (`python3 app`) runs its `__main__.py`.
    let read = |p: String| {
        let p = if std::path::Path::new(&p).is_dir() { format!("{p}/__main__.py") } else { p };
        text_of(&p).map(|t| (p, t))
    };
    // A file the command names to run: kept when it does not exist yet, for an earlier part of
    // the same command may write it.
    let named = |p: String| read(p.clone()).or(Some((p, Text::Missing)));
    let args = c.args();
    let program = c.program.as_str();
    let mut out = Vec::new();
    let interpreter = crate::policy::programs::interpreters::is_interpreter(program);
    let a_shell = shell::SHELLS.contains(&program);
    let script_word = if a_shell || interpreter { script_operand(c) } else { args.iter().find(|w| !w.text.starts_with('-') && !w.dynamic) };
    // Files a pattern names (`bash lib/*.sh`, `for f in t/*.sh; do sh "$f"; done`): each one it
    // matches now, when it names files of one known directory.
    let by_pattern = |w: &shell::Word| -> Vec<(String, Text)> {
        let pattern = at(&w.text);
        match files_matching(&pattern) {
            // And the pattern itself, which meets a file an earlier part of the command writes.
            Some(files) => files.into_iter().filter_map(read).chain([(pattern, Text::Missing)]).collect(),
            None => vec![(w.text.clone(), Text::Unreadable("named by a pattern or computed when it runs"))],
        }
    };
    if c.facts & fact::SCRIPT_FILE != 0 {
        // The program named by a path is the script (`./build.sh`), unless it is the interpreter
        // of one (`/usr/bin/python3 x.py`).
        match c.argv.first() {
            Some(w) if w.text.contains('/') && !w.dynamic && !interpreter && !a_shell => out.extend(named(at(&w.text))),
            _ => match script_word {
                Some(w) if w.glob => out.extend(by_pattern(w)),
                Some(w) if !w.dynamic => out.extend(named(at(&w.text))),
                _ => {}
            },
        }
    }
    // A script a launcher, profiler, app server or batch scheduler runs (`torchrun train.py`,
    // `accelerate launch train.py`, `streamlit run app.py`, `sbatch job.sh`).
    let launched = crate::policy::programs::interpreters::launched(program, &c.argv);
    if let Some((i, _)) = launched
        && let Some(w) = c.argv.get(i)
    {
        if w.dynamic {
            out.push((w.text.clone(), Text::Unreadable("named by a pattern or computed when it runs")));
        } else {
            // The value of an option that names it (`--module=x`, `--app=proj`), then the file
            // before a function or an attribute (`modal run app.py::main`, `uvicorn
            // app.main:app`, `gunicorn 'app:create_app()'`).
            let file = match w.text.split_once('=') {
                Some((o, v)) if o.starts_with('-') => v,
                // (An option's value written on to it: `celery -Aproj`.)
                _ if w.text.starts_with('-') && !w.text.starts_with("--") && w.text.len() > 2 => &w.text[2..],
                _ => w.text.as_str(),
            };
            let file = file.split_once("::").map_or(file, |(f, _)| f);
            let file = file.split_once(':').map_or(file, |(f, _)| f);
            // A module name (`-m pkg.train`): its file, or its package's `__main__.py`.
            let module = !file.contains('/') && !file.ends_with(".py") && !std::path::Path::new(&at(file)).is_file();
            // A batch job file after an option ana took for one with a value (`sbatch -W
            // job.sh`): the first later word that names a file.
            let job = launched
                .filter(|(_, shell)| *shell && !std::path::Path::new(&at(file)).is_file())
                .and_then(|(i, _)| c.argv[i + 1..].iter().find(|w| !w.dynamic && !w.text.starts_with('-') && std::path::Path::new(&at(&w.text)).is_file()));
            if let Some(w) = job {
                out.extend(named(at(&w.text)));
            } else if module && !BATCH.contains(&program) {
                // The module's file, its package (`__init__.py`, and `__main__.py` as a
                // program, `celery.py` as Celery looks for an app), else the module that
                // holds a name (`arq worker.WorkerSettings`).
                let rel = file.replace('.', "/");
                let parent = rel.rsplit_once('/').map(|(p, _)| p.to_owned());
                let mut candidates = vec![format!("{rel}.py"), format!("{rel}/__main__.py"), format!("{rel}/__init__.py"), format!("{rel}/celery.py")];
                candidates.extend(parent.iter().flat_map(|p| [format!("{p}.py"), format!("{p}/__init__.py")]));
                // Looked for where it runs and in the folders it is told to load from
                // (`uvicorn --app-dir src`, `gunicorn --chdir src`, `--pythonpath`, `celery
                // --workdir`, `dramatiq --path`, `PYTHONPATH=src`).
                let mut bases: Vec<String> = vec![String::new()];
                let dirs = ["--app-dir", "--chdir", "--pythonpath", "--workdir", "--working-dir", "--path", "-P"];
                for (k, a) in c.argv.iter().enumerate() {
                    match a.text.split_once('=') {
                        Some((o, v)) if dirs.contains(&o) => bases.extend(v.split(',').map(|d| format!("{d}/"))),
                        _ if dirs.contains(&a.text.as_str()) => bases.extend(c.argv.get(k + 1).iter().flat_map(|v| v.text.split(',').map(|d| format!("{d}/")).collect::<Vec<_>>())),
                        _ => {}
                    }
                }
                bases.extend(c.env.iter().filter(|(k, _)| k == "PYTHONPATH").flat_map(|(_, v)| v.text.split(':').map(|d| format!("{d}/")).collect::<Vec<_>>()));
                let found: Vec<(String, Text)> = bases.iter().flat_map(|b| candidates.iter().map(move |f| format!("{b}{f}"))).filter_map(|f| read(at(&f))).take(16).collect();
                out.extend(found);
            } else {
                out.extend(named(at(file)));
            }
        }
    }
    // Celery's application named by `CELERY_APP` when no `-A` is given.
    if matches!(program, "celery" | "faust")
        && launched.is_none()
        && let Some((_, v)) = c.env.iter().find(|(k, _)| k == "CELERY_APP" || k == "FAUST_APP")
    {
        let rel = v.text.split(':').next().unwrap_or("").replace('.', "/");
        out.extend([format!("{rel}.py"), format!("{rel}/__init__.py"), format!("{rel}/celery.py")].iter().filter_map(|f| read(at(f))).collect::<Vec<_>>());
    }
    // Gunicorn's configuration is Python it runs: `-c FILE`, or `gunicorn.conf.py` where it
    // runs.
    if program == "gunicorn" {
        let given = args.iter().enumerate().find_map(|(i, w)| match w.text.split_once('=') {
            Some(("--config", v)) => Some(v.to_owned()),
            _ if matches!(w.text.as_str(), "-c" | "--config") => args.get(i + 1).map(|v| v.text.clone()),
            // (`-cconf/gunicorn.py`.)
            _ if w.text.starts_with("-c") && w.text.len() > 2 && !w.text.starts_with("--") => Some(w.text[2..].to_owned()),
            _ => None,
        });
        let file = given
            .map(|f| {
                let f = f.strip_prefix("file:").unwrap_or(&f).to_owned();
                f.strip_prefix("python:").map_or_else(|| f.clone(), |m| format!("{}.py", m.replace('.', "/")))
            })
            .unwrap_or_else(|| "gunicorn.conf.py".into());
        out.extend(read(at(&file)));
    }
    // `flask run` without `--app`: the application `FLASK_APP` names, else `app.py` or
    // `wsgi.py` where it runs.
    if program == "flask" && launched.is_none() {
        // (`FLASK_APP` given to the command, else as Flask loads it from `.flaskenv` or `.env`.)
        let dotenv = || {
            [".flaskenv", ".env"].iter().find_map(|f| {
                let text = std::fs::read_to_string(at(f)).ok()?;
                text.lines().find_map(|l| l.trim().trim_start_matches("export ").strip_prefix("FLASK_APP=").map(|v| v.trim().trim_matches(['"', '\'']).to_owned()))
            })
        };
        let named = c.env.iter().find(|(k, _)| k == "FLASK_APP").map(|(_, v)| v.text.clone()).or_else(dotenv);
        let names = match named {
            Some(m) => {
                let m = m.split_once(':').map_or(m.as_str(), |(f, _)| f).to_owned();
                if m.ends_with(".py") { vec![m] } else { vec![format!("{}.py", m.replace('.', "/")), format!("{}/__init__.py", m.replace('.', "/"))] }
            }
            None => vec!["app.py".into(), "wsgi.py".into(), "app/__init__.py".into(), "wsgi/__init__.py".into()],
        };
        out.extend(names.iter().filter_map(|f| read(at(f))).collect::<Vec<_>>());
    }
    // A batch job file after an option ana took for one with a value that swallowed it
    // (`sbatch -W job.sh`): the first word that names a file.
    if BATCH.contains(&program) && launched.is_none() {
        out.extend(c.argv[1..].iter().find(|w| !w.dynamic && !w.text.starts_with('-') && std::path::Path::new(&at(&w.text)).is_file()).and_then(|w| read(at(&w.text))));
    }
    // Code an interpreter or a shell reads from a file on its stdin (`python3 < x.py`,
    // `python3 - < x.py`, `sh < x.sh`, `bash -s ARGS < x.sh`).
    let from_stdin = if a_shell {
        shell::shell_script(&c.argv) == shell::ShellScript::Stdin
    } else if BATCH.contains(&program) {
        // `sbatch < job.sh`: the job script comes on stdin when no file is named.
        launched.is_none()
    } else {
        interpreter && crate::policy::programs::interpreters::script(program, &c.argv) == crate::policy::programs::interpreters::Script::Stdin
    };
    if from_stdin {
        out.extend(c.redirects.iter().filter(|r| !r.write && !r.target.dynamic).find_map(|r| named(at(&r.target.text))));
    }
    // Rails' console fed a file (`rails c < x.rb`), and `rails runner FILE`: Ruby run in the
    // application.
    if program == "rails" {
        let pos: Vec<&shell::Word> = args.iter().filter(|w| !w.text.starts_with('-')).collect();
        match pos.first().map(|w| w.text.as_str()) {
            Some("console" | "c") => out.extend(c.redirects.iter().filter(|r| !r.write && !r.target.dynamic).find_map(|r| named(at(&r.target.text)))),
            Some("runner" | "r") => {
                out.extend(pos.iter().skip(1).find(|w| !w.dynamic && std::path::Path::new(&at(&w.text)).is_file()).and_then(|w| read(at(&w.text))));
            }
            _ => {}
        }
    }
    // A file fed to another machine's shell (`ssh host 'bash -s' < scripts/remote.sh`, `ssh host
    // < x.sh`): run there as a script.
    if matches!(program, "ssh" | "autossh" | "tailscale") {
        out.extend(c.redirects.iter().filter(|r| !r.write && !r.target.dynamic && r.target.text != "/dev/null").find_map(|r| read(at(&r.target.text))));
    }
    // A script computed when it runs (`python3 $(ls *.py)`): which file runs is only known then.
    if c.facts & fact::SCRIPT_FILE != 0
        && (interpreter || a_shell)
        && let Some(w) = if a_shell { script_word } else { args.iter().find(|w| !w.text.starts_with('-')) }
        && w.dynamic
    {
        out.push((w.text.clone(), Text::Unreadable("named by a pattern or computed when it runs")));
    }
    // `python -m MODULE`: a module of the project's (`MODULE.py`, `MODULE/__main__.py`).
    if c.wrappers.last().is_some_and(|w| crate::policy::programs::interpreters::is_python(w)) && !program.is_empty() && !c.argv[0].dynamic {
        let rel = program.replace('.', "/");
        out.extend([format!("{rel}.py"), format!("{rel}/__main__.py")].iter().find_map(|f| read(at(f))));
    }
    // A package's program: `npx tool`, `npm exec tool`, `pnpm exec tool`, a package script's
    // `tool`: the nearest `node_modules/.bin/tool`.
    // (`npm exec`, `pnpm exec`, `yarn run`, `bun x` are peeled off as wrappers, as `npx` is.)
    let via_package_manager = matches!(run_through(c), Some("npx" | "bunx" | "pnpx" | "npm" | "pnpm" | "yarn" | "bun"));
    if (via_package_manager || bins) && !program.is_empty() && c.argv.first().is_some_and(|w| !w.dynamic && !w.text.contains('/')) {
        out.extend(upward(here, &[&format!("node_modules/.bin/{program}")]).and_then(read));
    }
    // `npm run NAME`, `pnpm run NAME`, `yarn NAME`: NAME is the manifest's script, if it has one.
    if matches!(run_through(c), Some("npm" | "pnpm" | "yarn" | "bun")) {
        out.extend(upward(here, &["package.json"]).and_then(read));
    }
    // `cargo run`: the package's own program (`-p NAME`: the member of that name).
    if program == "cargo" {
        let pos: Vec<&str> = args.iter().take_while(|w| w.text != "--").filter(|w| !w.text.starts_with('-')).map(|w| w.text.as_str()).collect();
        if matches!(pos.first(), Some(&("run" | "r"))) {
            match option_values(args, &["-p", "--package"]).first() {
                Some(p) => {
                    let found = [format!("{p}/src/main.rs"), format!("crates/{p}/src/main.rs"), format!("tools/{p}/src/main.rs")].into_iter().find_map(|f| read(at(&f)));
                    out.extend(found);
                }
                None => out.extend(read(at("src/main.rs"))),
            }
        }
    }
    // `go generate ./...`: the `//go:generate` lines of the Go files it reads.
    if program == "go" && args.first().is_some_and(|w| w.text == "generate") {
        for pkg in args.iter().skip(1).filter(|w| !w.text.starts_with('-')).map(|w| w.text.as_str()).chain(std::iter::once(".")).take(8) {
            let (dir, deep) = match pkg.strip_suffix("/...") {
                Some(d) => (d, true),
                None => (pkg, false),
            };
            // Only the directives run: judged as a script of those lines.
            for f in go_files(&at(dir), deep) {
                if let Some((_, Text::Read(text))) = read(f.clone()) {
                    let lines: Vec<&str> = text.lines().filter_map(|l| l.trim_start().strip_prefix("//go:generate ")).collect();
                    if !lines.is_empty() {
                        out.push((format!("{f}//go:generate.sh"), Text::Read(lines.join("\n"))));
                    }
                }
            }
            if args.len() > 1 {
                break;
            }
        }
    }
    // Dagster loads the code it is pointed at (`dagster asset materialize -f assets.py`,
    // `dagster job execute --python-file jobs.py`).
    if program == "dagster" {
        for f in option_values(args, &["-f", "--python-file"]) {
            out.extend(read(at(f)));
        }
    }
    // Airflow runs a DAG's code (`airflow dags test ID`, `dags trigger`, `tasks test ID TASK`):
    // the Python files of its DAG folders that name the DAG.
    if program == "airflow" {
        let pos: Vec<&str> = args.iter().filter(|w| !w.text.starts_with('-')).map(|w| w.text.as_str()).collect();
        if let [group, verb, dag, ..] = pos[..]
            && matches!((group, verb), ("dags", "test" | "trigger" | "backfill" | "unpause" | "reserialize") | ("tasks", "test" | "run" | "render"))
        {
            // (Set on the command, or in the environment the agent runs the hook in, which the
            // command inherits.)
            let setting = |n: &str| c.env.iter().find(|(k, _)| k == n).map(|(_, v)| v.text.clone());
            let dags_folder = setting("AIRFLOW__CORE__DAGS_FOLDER").or_else(|| std::env::var("AIRFLOW__CORE__DAGS_FOLDER").ok());
            let airflow_home = setting("AIRFLOW_HOME").or_else(|| std::env::var("AIRFLOW_HOME").ok());
            let mut folders: Vec<String> = option_values(args, &["-S", "--subdir"]).into_iter().map(&at).collect();
            folders.extend(dags_folder.map(|d| at(&d)));
            folders.push(format!("{}/dags", airflow_home.map_or_else(|| format!("{home}/airflow"), |h| at(&h))));
            folders.push(at("dags"));
            let quoted = [format!("'{dag}'"), format!("\"{dag}\"")];
            for folder in folders {
                let files = if folder.ends_with(".py") { vec![folder] } else { source_files(&folder, true, ".py") };
                for f in files {
                    if let Some((p, Text::Read(text))) = read(f)
                        && quoted.iter().any(|q| text.contains(q.as_str()))
                    {
                        out.push((p, Text::Read(text)));
                    }
                }
            }
        }
    }
    // Test runners run the project's `conftest.py`; installs of a directory run its `setup.py`.
    if matches!(program, "pytest" | "py.test") {
        for f in ["conftest.py", "tests/conftest.py", "test/conftest.py"] {
            out.extend(read(at(f)));
        }
    }
    if matches!(program, "pip" | "pip3") && args.first().is_some_and(|w| w.text == "install") {
        for w in args.iter().skip(1).filter(|w| !w.dynamic && (w.text == "." || w.text.starts_with("./") || w.text.starts_with('/'))) {
            out.extend(read(format!("{}/setup.py", at(&w.text))));
        }
    }
    // Modules node (and its kin) loads before the script or code (`node -r ./x.js -e 1`,
    // `--import`, a loader, bun's `--preload`).
    if matches!(program, "node" | "nodejs" | "bun" | "tsx" | "ts-node" | "deno") {
        for f in option_values(args, &["-r", "--require", "--import", "--loader", "--experimental-loader", "--preload"]) {
            if f.starts_with(['.', '/', '~']) {
                out.extend(read(at(f)));
            }
        }
    }
    // A task runner's file: the one it names, or the nearest it finds (Gradle's build and
    // settings scripts both).
    if let Some(r) = crate::policy::programs::tasks::runs(program, run_through(c), args) {
        let dir = r.dir.as_deref().map_or_else(|| here.to_owned(), at);
        for f in &r.also {
            out.extend(read(path::normalize(f, &dir, home)));
        }
        match &r.file {
            Some(f) => out.extend(read(path::normalize(f, &dir, home))),
            None => {
                if let Some(first) = upward(&dir, r.files) {
                    let found = first.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
                    out.extend(read(first));
                    // rake loads every `rakelib/*.rake` beside the Rakefile (Rails' tasks: every
                    // `lib/tasks/*.rake`).
                    if program == "rake" {
                        for dir in ["rakelib", "lib/tasks"] {
                            out.extend(files_matching(&format!("{found}/{dir}/*.rake")).unwrap_or_default().into_iter().filter_map(read));
                        }
                    }
                    if matches!(program, "gradle" | "gradlew" | "sbt" | "sbtn") {
                        out.extend(r.files.iter().skip(1).filter_map(|n| read(format!("{found}/{n}"))).filter(|(p, _)| !out.iter().any(|(q, _)| q == p)).collect::<Vec<_>>());
                    }
                    // The other build files the tool loads with the first: every `*.sbt` and
                    // `project/*.scala` of sbt's, subprojects' build files, an umbrella's
                    // apps and Mix's configuration.
                    let also: &[&str] = match program {
                        "sbt" | "sbtn" => &["*.sbt", "project/*.sbt", "project/*.scala", "*/build.sbt"],
                        "mix" | "iex" | "elixir" => &["apps/*/mix.exs", "config/*.exs"],
                        "gradle" | "gradlew" => &["*/build.gradle", "*/build.gradle.kts", "gradle/*.gradle", "gradle/*.gradle.kts", "buildSrc/build.gradle", "buildSrc/build.gradle.kts"],
                        _ => &[],
                    };
                    for pattern in also {
                        let more: Vec<(String, Text)> = files_matching_under(&format!("{found}/{pattern}")).into_iter().filter(|p| !out.iter().any(|(q, _)| q == p)).filter_map(read).collect();
                        out.extend(more);
                    }
                }
            }
        }
    }
    // CMake code run from files the command names: `cmake -C FILE` (a script that fills the
    // cache first), a toolchain or project include (`--toolchain F`, `-DCMAKE_PROJECT_INCLUDE=F`),
    // `ctest -S FILE` (a dashboard script).
    if program == "cmake" {
        let mut given: Vec<&str> = option_values(args, &["-C", "--toolchain"]);
        let defines = args.iter().enumerate().filter_map(|(i, w)| match w.text.strip_prefix("-D") {
            Some("") => args.get(i + 1).map(|v| v.text.as_str()),
            Some(d) => Some(d),
            None => None,
        });
        for d in defines {
            let (name, value) = d.split_once('=').unwrap_or((d, ""));
            let name = name.split(':').next().unwrap_or(name);
            if name == "CMAKE_TOOLCHAIN_FILE" || (name.starts_with("CMAKE_PROJECT_") && name.contains("INCLUDE")) || name.starts_with("CMAKE_USER_MAKE_RULES_OVERRIDE") {
                given.extend(value.split(';').filter(|v| !v.is_empty()));
            }
        }
        for f in given {
            out.extend(named(at(f)));
        }
    }
    if program == "ctest" {
        for f in option_values(args, &["-S", "-SP", "-SR", "--script"]) {
            out.extend(named(at(f.split(',').next().unwrap_or(f))));
        }
        // The tests and custom commands of the build directory it runs in.
        let dir = option(args, &["--test-dir"]).map_or_else(|| here.to_owned(), at);
        out.extend(["CTestTestfile.cmake", "CTestCustom.cmake", "CTestCustom.ctest"].iter().filter_map(|n| read(format!("{dir}/{n}"))));
    }
    // MSBuild (`dotnet build`, `dotnet test`, `msbuild`): the project it builds (the one named,
    // or each in the directory) and every `Directory.Build.props`/`.targets` above it, whose
    // targets and `Exec` commands run in the build.
    if let Some(project) = msbuild_project(program, args) {
        let (dir, one) = match project.map(at) {
            Some(p) if crate::policy::content::is_msbuild(&p) => (p.rsplit_once('/').map_or_else(|| here.to_owned(), |(d, _)| d.to_owned()), Some(p)),
            Some(p) if p.ends_with(".sln") || p.ends_with(".slnx") => (p.rsplit_once('/').map_or_else(|| here.to_owned(), |(d, _)| d.to_owned()), None),
            Some(d) => (d, None),
            None => (here.to_owned(), None),
        };
        match one {
            Some(p) => out.extend(named(p)),
            None => out.extend(
                files_matching(&format!("{dir}/*proj"))
                    .unwrap_or_default()
                    .into_iter()
                    .chain(files_matching(&format!("{dir}/*proj.user")).unwrap_or_default())
                    .filter(|f| crate::policy::content::is_msbuild(f))
                    .filter_map(read),
            ),
        }
        let mut d = dir.trim_end_matches('/').to_owned();
        while !d.is_empty() {
            out.extend(["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "Directory.Build.rsp"].iter().filter_map(|n| read(format!("{d}/{n}"))));
            d.truncate(d.rfind('/').unwrap_or(0));
        }
    }
    // The Compose files `docker compose up` (and its kin) starts containers from.
    if let Some(files) = compose_files(program, args) {
        match files {
            Some(given) => {
                for f in given {
                    out.push(if f == "-" { (f, Text::Unreadable("given on stdin")) } else { read(at(&f)).unwrap_or((at(&f), Text::Missing)) });
                }
            }
            None => {
                let dir = option(args, &["--project-directory"]).map_or_else(|| here.to_owned(), at);
                // The nearest directory with a Compose file (an override alone counts, so that
                // nothing is missed), and every Compose file there.
                const NAMES: [&str; 8] = [
                    "compose.yaml",
                    "compose.yml",
                    "docker-compose.yaml",
                    "docker-compose.yml",
                    "compose.override.yaml",
                    "compose.override.yml",
                    "docker-compose.override.yaml",
                    "docker-compose.override.yml",
                ];
                if let Some(first) = upward(&dir, &NAMES) {
                    let found = first.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
                    out.extend(NAMES.iter().filter_map(|n| read(format!("{found}/{n}"))));
                }
            }
        }
    }
    // Yarn runs the release and plugins its settings name (`yarnPath:`, `plugins: - path:`), and
    // pnpm its `.pnpmfile.cjs` hooks, whatever it is asked to do.
    if (program == "yarn" || run_through(c) == Some("yarn"))
        && let Some((rc, Text::Read(t))) = upward(here, &[".yarnrc.yml"]).and_then(read)
    {
        let dir = rc.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
        for l in t.lines() {
            let l = l.trim().trim_start_matches("- ");
            if let Some(v) = l.strip_prefix("yarnPath:").or_else(|| l.strip_prefix("path:")) {
                let v = v.trim().trim_matches(['"', '\'']);
                if !v.is_empty() {
                    out.extend(read(path::normalize(v, &dir, home)));
                }
            }
        }
    }
    if program == "pnpm" && args.first().is_none_or(|w| matches!(w.text.as_str(), "install" | "i" | "add" | "update" | "up" | "remove" | "rm" | "dedupe" | "rebuild")) {
        out.extend(upward(here, &[".pnpmfile.cjs", ".pnpmfile.mjs"]).and_then(read));
    }
    // Notebooks executed (`jupyter nbconvert --execute`, `jupyter execute`, `papermill`,
    // `jupytext --execute`, `ipython x.ipynb`): their cells.
    let executes = match program {
        "jupyter" | "jupyter-nbconvert" | "jupyter-execute" | "nbconvert" => args.iter().any(|w| matches!(w.text.as_str(), "execute" | "--execute" | "run")) || program == "jupyter-execute",
        "papermill" | "ipython" | "ipython3" | "runipy" => true,
        "jupytext" | "quarto" => args.iter().any(|w| w.text == "--execute" || w.text == "render"),
        "pytest" | "py.test" => args.iter().any(|w| w.text == "--nbmake" || w.text == "--nbval" || w.text == "--nbval-lax"),
        _ => false,
    };
    if executes {
        // (A notebook under another name, `analysis.json`, is one too.)
        for w in args.iter().filter(|w| (w.text.ends_with(".ipynb") || w.text.ends_with(".json") || w.text.ends_with(".qmd")) && !w.text.starts_with('-')) {
            out.push(if w.dynamic { (w.text.clone(), Text::Unreadable("named by a pattern or computed when it runs")) } else { read(at(&w.text)).unwrap_or((at(&w.text), Text::Missing)) });
            if program == "papermill" {
                break;
            }
        }
    }
    match program {
        // `go run ./cmd/x` (and `go generate`) run the package's code: its `.go` files.
        "go" if args.first().is_some_and(|w| w.text == "run" || w.text == "generate") => {
            for w in args[1..].iter().filter(|w| !w.dynamic && (w.text.starts_with("./") || w.text == ".")).take(1) {
                let dir = at(&w.text);
                let pattern = if dir.ends_with(".go") { dir } else { format!("{}/*.go", dir.trim_end_matches('/')) };
                if let Some(files) = files_matching(&pattern) {
                    out.extend(files.into_iter().filter_map(read));
                }
            }
        }
        "make" | "gmake" => {
            let dir = option(args, &["-C", "--directory"]).map_or_else(|| here.to_owned(), at);
            // `-f F`, `--file=F`, and `-f` given in `MAKEFLAGS`; `MAKEFILES` read before them.
            let flags: Vec<shell::Word> = c.env.iter().filter(|(n, _)| n == "MAKEFLAGS").flat_map(|(_, v)| v.text.split_whitespace().map(shell::Word::lit).collect::<Vec<_>>()).collect();
            let given: Vec<String> = option_values(args, &["-f", "--file", "--makefile"])
                .into_iter()
                .chain(option_values(&flags, &["-f", "--file", "--makefile"]))
                .map(str::to_owned)
                .chain(args.iter().chain(&flags).filter_map(|w| w.text.strip_prefix("-f").filter(|r| !r.is_empty() && !r.starts_with('-')).map(str::to_owned)))
                .collect();
            for (_, v) in c.env.iter().filter(|(n, _)| n == "MAKEFILES") {
                out.extend(v.text.split_whitespace().filter_map(|f| read(path::normalize(f, &dir, home))));
            }
            if given.is_empty() {
                out.extend(["GNUmakefile", "makefile", "Makefile"].iter().find_map(|n| read(format!("{dir}/{n}"))));
            }
            out.extend(given.iter().filter_map(|f| read(path::normalize(f, &dir, home))));
        }
        // Plan and apply run the configuration's external data sources and local-exec
        // provisioners: the `.tf` files of the directory (`-chdir=DIR`).
        "terraform" | "tofu" | "terragrunt" if args.iter().any(|w| matches!(w.text.as_str(), "plan" | "apply" | "destroy" | "refresh" | "import" | "console" | "test" | "run-all")) => {
            let dir = option(args, &["-chdir"]).map_or_else(|| here.to_owned(), at);
            if let Some(files) = files_matching(&format!("{}/*.tf", dir.trim_end_matches('/'))) {
                out.extend(files.into_iter().filter_map(read));
            }
        }
        // The manifests a cluster is given: what its pods get of the node (privileged, host
        // namespaces and paths) is judged as the `docker run` that does the same.
        "kubectl" | "oc" | "kubecolor" | "microk8s" | "k3s" if args.iter().any(|w| matches!(w.text.as_str(), "apply" | "create" | "replace")) => {
            // `-f F`, `-fF`, `--filename=F`, `-f a.yaml,b.yaml`, `-f 'k8s/*.yaml'`, `-k DIR`.
            let mut given: Vec<(String, bool)> = Vec::new();
            for (i, w) in args.iter().enumerate() {
                let t = w.text.as_str();
                let (value, kustomize) = match t {
                    "-f" | "--filename" => (args.get(i + 1).map(|v| v.text.as_str()), false),
                    "-k" | "--kustomize" => (args.get(i + 1).map(|v| v.text.as_str()), true),
                    _ if t.starts_with("--filename=") => (Some(&t[11..]), false),
                    _ if t.starts_with("--kustomize=") => (Some(&t[12..]), true),
                    _ if t.starts_with("-f") && t.len() > 2 && !t.starts_with("--") => (Some(t[2..].trim_start_matches('=')), false),
                    _ if t.starts_with("-k") && t.len() > 2 && !t.starts_with("--") => (Some(t[2..].trim_start_matches('=')), true),
                    _ => (None, false),
                };
                given.extend(value.into_iter().flat_map(|v| v.split(',')).map(|v| (v.to_owned(), kustomize)));
            }
            for (f, kustomize) in given {
                if f == "-" || f == "/dev/stdin" {
                    // The manifest on stdin: a redirected file, or the command's own text.
                    out.extend(c.redirects.iter().filter(|r| !r.write && !r.target.dynamic).filter_map(|r| read(at(&r.target.text))));
                    if let Some(text) = &c.stdin_text {
                        out.push((format!("{here}/(stdin).yaml"), Text::Read(text.clone())));
                    }
                    continue;
                }
                if f.contains("://") {
                    continue;
                }
                let f = at(&f);
                if !kustomize && (f.ends_with(".yaml") || f.ends_with(".yml") || f.ends_with(".json")) && !f.contains(['*', '?']) {
                    out.extend(read(f));
                } else if let Some(files) = files_matching(&if f.contains(['*', '?']) { f.clone() } else { format!("{}/*.*", f.trim_end_matches('/')) }) {
                    out.extend(files.into_iter().filter(|p| p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".json")).filter_map(read));
                }
            }
        }
        // A test runner loads its configuration (code, for vitest, jest and mocha) and the
        // setup files, plugins and reporters it names, before any test.
        "vitest" | "jest" | "mocha" | "pytest" | "py.test" | "playwright" | "cypress" | "karma" | "ava" | "jasmine" | "cucumber-js" => {
            // Files given on the command line to load first (`--require F`, `--globalSetup F`).
            const LOADS: &[&str] = &[
                "-r",
                "--require",
                "--file",
                "--setupFiles",
                "--setupFilesAfterEnv",
                "--globalSetup",
                "--globalTeardown",
                "--testEnvironment",
                "--preset",
                "--helper",
                "--import",
                "--testRunner",
                "--reporter",
                "--node-option",
                "-n",
            ];
            for f in option_values(args, LOADS) {
                let f = f.trim_start_matches("require=").trim_start_matches("import=");
                if f.starts_with(['.', '/', '~']) {
                    out.extend(read(at(f)));
                }
            }
            for (config, text) in runner_configs(program, args, here, &at) {
                let dir = config.rsplit_once('/').map_or(here, |(d, _)| d).to_owned();
                for f in runner_loads(program, &config, &text) {
                    out.extend(read(path::normalize(&f.replace("<rootDir>", &dir), &dir, home)));
                }
                // A JSON, INI or TOML configuration is data; a `.js`/`.ts` one is run.
                if [".js", ".ts", ".mjs", ".cjs", ".mts", ".cts"].iter().any(|e| config.ends_with(e)) {
                    out.push((config, Text::Read(text)));
                }
            }
            if program == "pytest" || program == "py.test" {
                // `-p NAME` on the command line too.
                for m in plugin_modules(&args.iter().map(|w| w.text.as_str()).collect::<Vec<_>>()) {
                    out.extend(read(at(&m)));
                }
            }
        }
        // The build's plugins run what the POM says (exec, antrun).
        // RSpec's option files (`.rspec`, `.rspec-local`, `~/.rspec`): the files their
        // `--require` loads, and the command's own; `spec_helper` from `spec/`.
        "rspec" => {
            let mut requires: Vec<String> = option_values(args, &["-r", "--require"]).into_iter().map(str::to_owned).collect();
            let options = upward(here, &[".rspec"]).map(|f| f.rsplit_once('/').map_or(here.to_owned(), |(d, _)| d.to_owned())).unwrap_or_else(|| here.to_owned());
            for f in [format!("{options}/.rspec"), format!("{options}/.rspec-local"), format!("{home}/.rspec"), format!("{home}/.config/rspec/options")] {
                if let Some(text) = read_text(&f) {
                    let words: Vec<&str> = text.split_whitespace().collect();
                    requires.extend(words.windows(2).filter(|p| p[0] == "--require" || p[0] == "-r").map(|p| p[1].to_owned()));
                    requires.extend(words.iter().filter_map(|w| w.strip_prefix("--require=")).map(str::to_owned));
                }
            }
            for r in requires {
                let file = if r.starts_with(['.', '/', '~']) { at(&r) } else { format!("{options}/spec/{}", if r.ends_with(".rb") { r.clone() } else { format!("{r}.rb") }) };
                out.extend(read(file));
            }
        }
        // PHPUnit's (and Pest's) configuration: the `bootstrap` file it runs first.
        "phpunit" | "pest" | "paratest" => {
            let config = option(args, &["-c", "--configuration"]).map(at).or_else(|| upward(here, &["phpunit.xml", "phpunit.xml.dist", "phpunit.dist.xml"]));
            if let Some(config) = config.filter(|c| !c.ends_with('/')) {
                let dir = config.rsplit_once('/').map_or(here, |(d, _)| d).to_owned();
                if let Some(text) = read_text(&config) {
                    for (k, _) in text.match_indices("bootstrap=") {
                        let v = text[k + 10..].trim_start_matches(['"', '\'']);
                        let v = v.split(['"', '\'']).next().unwrap_or("");
                        if !v.is_empty() {
                            out.extend(read(path::normalize(v, &dir, home)));
                        }
                    }
                }
            }
            for b in option_values(args, &["--bootstrap"]) {
                out.extend(read(at(b)));
            }
        }
        // Gradle's init scripts: named (`--init-script F`, `-I F`) and the user's own
        // (`~/.gradle/init.gradle(.kts)`, `~/.gradle/init.d/*`), run before every build.
        "gradle" | "gradlew" => {
            for f in option_values(args, &["--init-script", "-I"]) {
                out.extend(named(at(f)));
            }
            for n in ["init.gradle", "init.gradle.kts"] {
                out.extend(read(format!("{home}/.gradle/{n}")));
            }
            out.extend(files_matching(&format!("{home}/.gradle/init.d/*")).unwrap_or_default().into_iter().filter_map(read));
        }
        "mvn" | "mvnw" | "mvnd" => {
            let pom = option(args, &["-f", "--file"]).map_or_else(|| format!("{here}/pom.xml"), at);
            let pom = if pom.ends_with(".xml") { pom } else { format!("{}/pom.xml", pom.trim_end_matches('/')) };
            out.extend(read(pom));
        }
        // Both look in the directory they run in, then in each one above it.
        "just" => out.extend(match option(args, &["-f", "--justfile"]).or_else(|| args.iter().find_map(|w| w.text.strip_prefix("--justfile="))) {
            Some(f) => read(at(f)),
            None => upward(here, &["justfile", "Justfile", ".justfile"]).and_then(read),
        }),
        "npm" | "pnpm" | "yarn" | "bun" if !args.is_empty() => out.extend(match option(args, &["--prefix", "-C", "--dir", "--cwd"]) {
            Some(dir) => read(format!("{}/package.json", at(dir))),
            None => upward(here, &["package.json"]).and_then(read),
        }),
        "git" => {
            let i = crate::policy::programs::git::subcommand_at(args);
            let name = args.get(i).filter(|w| !w.dynamic).map_or("", |w| w.text.as_str());
            if !name.is_empty() && !GIT_COMMANDS.contains(&name) {
                out.extend(git_alias(here, home, name).map(|body| (format!("git alias {name}"), Text::Read(body))));
            }
            // The hooks the command runs (`git commit` runs `pre-commit`), from `core.hooksPath`
            // (`.husky`) or `.git/hooks`.
            let hooks: &[&str] = match name {
                "commit" => &["pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"],
                "merge" | "pull" => &["pre-merge-commit", "prepare-commit-msg", "commit-msg", "post-merge"],
                "push" => &["pre-push"],
                "checkout" | "switch" | "clone" => &["post-checkout"],
                "rebase" => &["pre-rebase", "post-rewrite"],
                "am" => &["applypatch-msg", "pre-applypatch", "post-applypatch"],
                "cherry-pick" | "revert" => &["prepare-commit-msg", "commit-msg", "post-commit"],
                _ => &[],
            };
            if !hooks.is_empty()
                && let Some(dir) = git_hooks_dir(here, home)
            {
                out.extend(hooks.iter().filter_map(|h| read(format!("{dir}/{h}"))));
            }
        }
        _ => {}
    }
    // What those files pull in (a Taskfile's `includes:`, Compose's `include:`, lefthook's
    // `extends:`, `eval_gemfile`, `apply from:`), and what that pulls in.
    // `bundle exec X` evaluates the Gemfile before X runs.
    if matches!(run_through(c), Some("bundle" | "bundler")) {
        out.extend(upward(here, &["Gemfile"]).and_then(read).filter(|(p, _)| !out.iter().any(|(q, _)| q == p)));
    }
    // (Runners only: a script's own `load`/`require_relative` are the code's business.)
    let format = runner_format(c);
    let mut i = if format.is_some() { 0 } else { out.len() };
    while i < out.len() && out.len() <= MAX_FILES {
        let mut found = Vec::new();
        if let (p, Text::Read(t)) = &out[i] {
            let (dir, base) = p.rsplit_once('/').unwrap_or(("", p));
            // Every file make (or just) reads is a makefile, whatever its name (`make -f ci.txt`).
            let base = match format {
                Some(f @ ("Makefile" | "justfile")) => f,
                _ => base,
            };
            for inc in crate::policy::programs::tasks::includes(base, t) {
                if inc.contains("://") || inc.starts_with("git@") {
                    found.push((inc, Text::Unreadable("fetched from another machine when it runs")));
                    continue;
                }
                let target = path::normalize(&inc, dir, home);
                if target.contains('*') {
                    found.extend(files_matching(&target).into_iter().flatten().filter_map(read));
                } else {
                    found.extend(read(target));
                }
            }
        }
        found.retain(|(p, _)| !out.iter().any(|(q, _)| q == p));
        out.extend(found);
        i += 1;
    }
    out
}

/// The base name of the runner a command is run through (`npx`, `pdm` of `pdm run lint`).
fn run_through(c: &Cmd) -> Option<&str> {
    c.wrappers.last().map(|w| w.rsplit('/').next().unwrap_or(w))
}

/// A package runner's package at a version (`npx -y tool@latest`, `pnpm dlx x@1`) that the
/// project neither lists among its dependencies nor has installed: fetched from the registry and
/// run. (A bare name, `npx eslint`, is the everyday use, and runs the project's own when it has
/// one.)
fn unvetted_package(policy: &Policy, c: &Cmd, cwd: &str) -> Option<Verdict> {
    let runner = run_through(c)?;
    if !matches!(runner, "npx" | "bunx" | "pnpx" | "npm" | "pnpm" | "yarn" | "bun") || c.argv.first().is_none_or(|w| w.dynamic) {
        return None;
    }
    let spec = c.package.as_deref().unwrap_or(&c.argv[0].text);
    // `@scope/name@1.2`, `name@latest`: the name, and whether a version is asked for (the `@`
    // of a scope is not a version's).
    let (name, version) = match spec.char_indices().skip(1).find(|&(_, ch)| ch == '@') {
        Some((at, _)) => (&spec[..at], at + 1 < spec.len()),
        None => (spec, false),
    };
    if !version || name.is_empty() || name.contains(['/', ':']) && !name.starts_with('@') {
        return None;
    }
    // The project generators and CLIs whose own documentation says to run them this way
    // (`npx create-next-app@latest`, `pnpm dlx shadcn@latest add button`).
    const WELL_KNOWN: &[&str] = &[
        "create-next-app",
        "create-vite",
        "create-react-app",
        "create-t3-app",
        "create-svelte",
        "sv",
        "create-astro",
        "astro",
        "create-remix",
        "create-expo-app",
        "create-nuxt",
        "nuxi",
        "create-vue",
        "@angular/cli",
        "@nestjs/cli",
        "shadcn",
        "shadcn-ui",
        "create-turbo",
        "storybook",
        "prisma",
        "npm-check-updates",
        "wrangler",
        "vercel",
        "netlify-cli",
        "firebase-tools",
        "supabase",
        "typescript",
        "prettier",
        "eslint",
        "@biomejs/biome",
        "tsx",
        "degit",
    ];
    // (`prettier@npm:other`: another package under a known name.)
    if WELL_KNOWN.contains(&name) && !spec.contains("@npm:") {
        return None;
    }
    let here = c.cwd.as_deref().unwrap_or(cwd);
    let bin = name.rsplit('/').next().unwrap_or(name);
    if upward(here, &[&format!("node_modules/.bin/{bin}"), &format!("node_modules/{name}/package.json")]).is_some() {
        return None;
    }
    let listed = upward(here, &["package.json"])
        .and_then(|f| read_text(&f))
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"].iter().any(|k| v.get(k).and_then(|d| d.get(name)).is_some()));
    if listed {
        return None;
    }
    policy.decided_by("supply.unvetted-package", format!("{runner} {spec}"))
}

/// For a command that starts containers from Compose files (`docker compose up`, `podman-compose
/// run`): the files given with `-f` (`Some(None)` when none is: the default ones are read);
/// `None` for any other command.
fn compose_files(program: &str, args: &[shell::Word]) -> Option<Option<Vec<String>>> {
    const STARTS: &[&str] = &["up", "run", "create", "start", "restart", "watch"];
    let rest = match program {
        "docker" | "podman" | "nerdctl" => &args[args.iter().position(|w| w.text == "compose")? + 1..],
        "docker-compose" | "podman-compose" => args,
        _ => return None,
    };
    let mut files = Vec::new();
    let mut verb = None;
    let mut i = 0;
    while i < rest.len() && verb.is_none() {
        let t = rest[i].text.as_str();
        if matches!(t, "-f" | "--file") {
            files.extend(rest.get(i + 1).map(|w| if w.dynamic { "-".to_owned() } else { w.text.clone() }));
            i += 2;
        } else if let Some(f) = t.strip_prefix("--file=") {
            files.push(if rest[i].dynamic { "-".to_owned() } else { f.to_owned() });
            i += 1;
        } else if matches!(t, "-p" | "--project-name" | "--project-directory" | "--env-file" | "--profile" | "--ansi" | "--progress" | "--parallel") {
            i += 2;
        } else if t.starts_with('-') {
            i += 1;
        } else {
            verb = Some(t);
        }
    }
    STARTS.contains(&verb?).then_some(if files.is_empty() { None } else { Some(files) })
}

/// The configuration files a test runner reads where it runs (or `--config FILE`), with their
/// text: the nearest one up from `here`, as the runners look.
fn runner_configs(program: &str, args: &[shell::Word], here: &str, at: &dyn Fn(&str) -> String) -> Vec<(String, String)> {
    const JS: [&str; 6] = ["ts", "mts", "cts", "js", "mjs", "cjs"];
    let names: Vec<String> = match program {
        "vitest" => ["vitest.config", "vitest.workspace", "vite.config"].iter().flat_map(|b| JS.iter().map(move |e| format!("{b}.{e}"))).collect(),
        "jest" => JS.iter().map(|e| format!("jest.config.{e}")).chain(["jest.config.json".into(), "package.json".into()]).collect(),
        "mocha" => [".mocharc.js", ".mocharc.cjs", ".mocharc.mjs", ".mocharc.json", ".mocharc.jsonc", ".mocharc.yml", ".mocharc.yaml", "package.json"].iter().map(|s| s.to_string()).collect(),
        // Configurations that are code: read whole, as the runner runs them.
        "playwright" | "cypress" | "ava" => JS.iter().map(|e| format!("{program}.config.{e}")).collect(),
        "karma" => JS.iter().map(|e| format!("karma.conf.{e}")).collect(),
        "jasmine" => ["spec/support/jasmine.json", "spec/support/jasmine.mjs", "spec/support/jasmine.js"].iter().map(|s| s.to_string()).collect(),
        "cucumber-js" => ["cucumber.js", "cucumber.cjs", "cucumber.mjs", "cucumber.json", "cucumber.yaml", "cucumber.yml"].iter().map(|s| s.to_string()).collect(),
        _ => ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"].iter().map(|s| s.to_string()).collect(),
    };
    let given = option(args, &["--config", "-c", "--config-file"]).filter(|_| program != "pytest" && program != "py.test").map(at);
    let found = given.or_else(|| upward(here, &names.iter().map(String::as_str).collect::<Vec<_>>()));
    let mut out = Vec::new();
    if let Some(f) = found
        && let Some(text) = read_text(&f)
    {
        out.push((f, text));
    }
    out
}

/// The files a test runner's configuration makes it load: vitest's and jest's `globalSetup`,
/// `globalTeardown`, `setupFiles`, `setupFilesAfterEnv`, `testEnvironment`, `reporters`,
/// `snapshotResolver`, `transform`, mocha's `require` and `file`, as paths (`./x`, `<rootDir>/x`);
/// pytest's `addopts = -p NAME` plugins, as the module's file.
fn runner_loads(program: &str, config: &str, text: &str) -> Vec<String> {
    if program == "pytest" || program == "py.test" {
        let words: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("addopts"))
            .filter_map(|r| r.trim_start().strip_prefix('=').map(str::trim))
            .flat_map(|v| v.trim_matches(['"', '\'', '[', ']']).split([' ', ',']).map(|w| w.trim_matches(['"', '\'', ' '])))
            .filter(|w| !w.is_empty())
            .collect();
        let _ = config;
        return plugin_modules(&words);
    }
    const KEYS: &[&str] = &[
        "globalSetup",
        "globalTeardown",
        "setupFiles",
        "setupFilesAfterEnv",
        "setupFilesAfterEach",
        "testEnvironment",
        "reporters",
        "snapshotResolver",
        "transform",
        "require",
        "file",
        "testSequencer",
        "resolver",
        "runner",
        "watchPlugins",
        "reporter",
        "import",
        "testRunner",
        "preset",
        "helpers",
        "spec",
        "extends",
        "node-option",
    ];
    let mut out = Vec::new();
    for key in KEYS {
        let mut rest = text;
        while let Some(i) = rest.find(key) {
            let after = &rest[i + key.len()..];
            rest = after;
            // `key: …` or `"key": …`, up to the end of the line, or of the list it opens.
            let value = after.trim_start_matches(['"', '\'']).trim_start();
            let Some(value) = value.strip_prefix(':').or_else(|| value.strip_prefix('=')) else { continue };
            let value = value.trim_start();
            // A YAML list on the lines below (`require:` then `  - ./x.js`) belongs to it.
            let end = if value.starts_with('[') || value.starts_with('{') {
                value.find([']', '}']).unwrap_or(value.len())
            } else if value.is_empty() || value.starts_with('\n') {
                let mut end = 0;
                for l in value.split_inclusive('\n').skip(1) {
                    if !l.trim_start().starts_with('-') {
                        break;
                    }
                    end += l.len();
                }
                (value.find('\n').unwrap_or(0) + end).min(value.len())
            } else {
                value.find('\n').unwrap_or(value.len())
            };
            let segment = &value[..end];
            let quoted: Vec<&str> = segment.split(['"', '\'', '`']).skip(1).step_by(2).collect();
            // Unquoted in YAML (`require: ./x.js`, `- ./y.js`).
            let words: Vec<&str> =
                if quoted.is_empty() { segment.split([' ', ',', '[', ']', '\n', '\t']).filter(|w| w.starts_with('.') || w.starts_with('/') || w.starts_with("<rootDir>")).collect() } else { quoted };
            for lit in words {
                if lit.starts_with("./") || lit.starts_with("../") || lit.starts_with("<rootDir>") || lit.starts_with('/') {
                    out.push(lit.to_owned());
                }
            }
        }
    }
    out
}

/// The files of pytest's `-p NAME` plugins in `words` (`-p tests.plug`, `-ptests.plug`): the
/// module's `.py`, or its package's `__init__.py`; `-p no:…` disables one.
fn plugin_modules(words: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let name = match w.strip_prefix("-p") {
            Some("") => words.get(i + 1).copied().unwrap_or(""),
            Some(n) => n,
            None => continue,
        };
        if name.is_empty() || name.starts_with("no:") || name.starts_with('-') {
            continue;
        }
        let rel = name.replace('.', "/");
        out.push(format!("{rel}.py"));
        out.push(format!("{rel}/__init__.py"));
    }
    out
}

/// The package.json scripts a package manager's command runs, with their `pre` and `post`
/// scripts: `npm test`, `npm run build` (read as the wrapper `npm` around `build`), `yarn
/// build`, an install's lifecycle scripts. `None` when ana cannot tell (every script counts).
fn package_scripts_run(c: &Cmd) -> Option<Vec<String>> {
    let manager = |p: &str| matches!(p, "npm" | "pnpm" | "yarn" | "bun");
    let around = |name: &str| vec![format!("pre{name}"), name.to_owned(), format!("post{name}")];
    if run_through(c).is_some_and(manager) {
        return (!c.program.is_empty() && !c.argv[0].dynamic).then(|| around(&c.argv[0].text));
    }
    if !manager(&c.program) {
        return None;
    }
    let args = c.args();
    let verb = args.iter().find(|w| !w.text.starts_with('-'))?;
    if verb.dynamic {
        return None;
    }
    let lifecycle = |names: &[&str]| Some(names.iter().map(|n| (*n).to_owned()).collect());
    match verb.text.as_str() {
        "test" | "t" | "tst" => Some(around("test")),
        "start" | "stop" | "restart" => Some(around(&verb.text)),
        "install" | "i" | "ci" | "add" | "isntall" | "in" => lifecycle(&["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare", "dependencies"]),
        "pack" => lifecycle(&["prepack", "prepare", "postpack"]),
        "publish" => lifecycle(&["prepublishOnly", "prepack", "prepare", "postpack", "publish", "postpublish"]),
        _ => None,
    }
}

/// The first of `names` in `dir` or the nearest directory above it that holds one.
/// The Go files of `dir` (and, `deep`, the directories below it but `vendor`, `testdata` and
/// hidden ones), at most 400, at most 8 levels deep.
fn go_files(dir: &str, deep: bool) -> Vec<String> {
    source_files(dir, deep, ".go")
}

/// The files of `dir` whose names end in `ext`, and with `deep` those of its folders (not
/// hidden ones, vendored code or test data), 400 at most.
fn source_files(dir: &str, deep: bool, ext: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_owned(), 0u8)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = format!("{d}/{name}");
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if deep && depth < 8 && !name.starts_with('.') && !matches!(name.as_str(), "vendor" | "testdata" | "node_modules") {
                    stack.push((path, depth + 1));
                }
            } else if name.ends_with(ext) {
                out.push(path);
                if out.len() >= 400 {
                    return out;
                }
            }
        }
    }
    out
}

/// The project an MSBuild command builds (`dotnet build app.csproj`, `dotnet run --project
/// src/Api`, `msbuild x.sln`): `Some(None)` for the one where it runs, `None` when the command
/// builds nothing.
fn msbuild_project<'a>(program: &str, args: &'a [shell::Word]) -> Option<Option<&'a str>> {
    const VALUES: &[&str] = &[
        "-c",
        "--configuration",
        "-f",
        "--framework",
        "-r",
        "--runtime",
        "-o",
        "--output",
        "-v",
        "--verbosity",
        "-a",
        "--arch",
        "--os",
        "-s",
        "--source",
        "--logger",
        "-l",
        "--filter",
        "--settings",
        "--launch-profile",
        "--property",
        "-bl",
        "--results-directory",
        "--collect",
        "-e",
        "--environment",
    ];
    let from = match program {
        "msbuild" | "xbuild" => 0,
        "dotnet" => {
            let verb = args.first().filter(|w| !w.dynamic)?;
            match verb.text.as_str() {
                // (`dotnet watch run`: the verb it watches.)
                "watch" if args.get(1).is_some_and(|w| matches!(w.text.as_str(), "run" | "test" | "build")) => 2,
                "build" | "test" | "run" | "pack" | "publish" | "restore" | "msbuild" | "watch" | "clean" | "vstest" | "format" => 1,
                // `dotnet ef migrations add`, `dotnet ef database update`: built first.
                "ef" if args.get(1).is_some_and(|w| matches!(w.text.as_str(), "migrations" | "database" | "dbcontext")) => 2,
                _ => return None,
            }
        }
        _ => return None,
    };
    let rest = args.get(from..)?;
    // (`-p` is `--project` to `dotnet run`, `watch` and `ef`; to the others `-p:NAME=VALUE`.)
    let project: &[&str] = if program == "dotnet" && args.first().is_some_and(|w| matches!(w.text.as_str(), "run" | "watch" | "ef")) { &["--project", "-p"] } else { &["--project"] };
    if let Some(p) = option(rest, project) {
        return Some(Some(p));
    }
    let mut i = 0;
    while i < rest.len() {
        let t = rest[i].text.as_str();
        if t == "--" {
            break;
        }
        if t.starts_with('-') || (t.starts_with('/') && program != "dotnet" && t.contains(':')) {
            i += if VALUES.contains(&t) { 2 } else { 1 };
            continue;
        }
        return Some((!rest[i].dynamic).then_some(t));
    }
    Some(None)
}

fn upward(dir: &str, names: &[&str]) -> Option<String> {
    let mut dir = dir.trim_end_matches('/');
    loop {
        if let Some(found) = names.iter().map(|n| format!("{dir}/{n}")).find(|p| std::fs::symlink_metadata(p).is_ok()) {
            return Some(found);
        }
        dir = &dir[..dir.rfind('/')?];
    }
}

/// The files a pattern names whose one folder may be a wildcard (`apps/*/mix.exs`): each
/// folder's matches, at most 64 folders.
fn files_matching_under(pattern: &str) -> Vec<String> {
    match pattern.split_once("/*/") {
        Some((dir, rest)) if !dir.contains('*') => std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) && !e.file_name().to_string_lossy().starts_with('.'))
                    .take(64)
                    .flat_map(|e| files_matching(&format!("{dir}/{}/{rest}", e.file_name().to_string_lossy())).unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default(),
        _ => files_matching(pattern).unwrap_or_default(),
    }
}

/// The files a pattern (an absolute path whose last component holds `*` or `?`) names now, in
/// the shell's order; `None` when ana cannot tell as the shell would: a wildcard in a directory,
/// a class or brace, an unreadable directory, or no match (the shell then passes the pattern
/// itself, and an earlier part of the command may make the file). More than ana reads in one
/// call are cut there, one past, so that the caller sees there were too many.
fn files_matching(pattern: &str) -> Option<Vec<String>> {
    let (dir, base) = pattern.rsplit_once('/')?;
    if dir.contains(['*', '?', '[', '{', '\\']) || base.contains(['[', '{', '\\']) {
        return None;
    }
    let dir = if dir.is_empty() { "/" } else { dir };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        // A wildcard never names a leading `.`.
        .filter(|n| (base.starts_with('.') || !n.starts_with('.')) && crate::policy::glob::matches_path(base, n))
        .collect();
    if names.is_empty() {
        return None;
    }
    names.sort();
    names.truncate(MAX_FILES + 1);
    Some(names.into_iter().map(|n| format!("{}/{n}", dir.trim_end_matches('/'))).collect())
}

/// Every value given to one of `names` (`-r FILE`, `--requirement=FILE`), in order.
fn option_values<'a>(args: &'a [shell::Word], names: &[&str]) -> Vec<&'a str> {
    args.iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let t = w.text.as_str();
            if names.contains(&t) { args.get(i + 1).map(|v| v.text.as_str()) } else { names.iter().find_map(|n| t.strip_prefix(n).and_then(|r| r.strip_prefix('='))) }
        })
        .collect()
}

/// The value of the first of `names` given as an option (`-C DIR`, `--directory=DIR`).
fn option<'a>(args: &'a [shell::Word], names: &[&str]) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, w)| {
        let t = w.text.as_str();
        if names.contains(&t) { args.get(i + 1).filter(|v| !v.dynamic).map(|v| v.text.as_str()) } else { names.iter().find_map(|n| t.strip_prefix(n).and_then(|r| r.strip_prefix('='))) }
    })
}

/// The repository's git directory above `dir` (the common one of a linked worktree or a
/// submodule, whose `.git` is a file naming its own), with the repository's top.
fn git_dir(dir: &str, home: &str) -> Option<(String, String)> {
    let root = crate::paths::project_root(dir, home)?;
    let git_dir = match text_of(&format!("{root}/.git")) {
        Some(Text::Read(link)) => {
            let named = link.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
            let dir = path::normalize(named, &root, home);
            match text_of(&format!("{dir}/commondir")) {
                Some(Text::Read(common)) => path::normalize(common.trim(), &dir, home),
                _ => dir,
            }
        }
        _ => format!("{root}/.git"),
    };
    Some((root, git_dir))
}

/// The value of `key` in `[section]` of a git config text (names case-insensitive; a quoted
/// value with git's escapes undone).
fn git_config_value(config: &str, section: &str, key: &str) -> Option<String> {
    let mut inside = false;
    config.lines().find_map(|line| {
        let l = line.trim();
        if l.starts_with('[') {
            inside = l.trim_start_matches('[').trim_end_matches(']').trim().eq_ignore_ascii_case(section);
            return None;
        }
        let (_, v) = l.split_once('=').filter(|(k, _)| inside && k.trim().eq_ignore_ascii_case(key))?;
        let v = v.trim();
        Some(match v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
            None => v.to_owned(),
        })
    })
}

/// The directory git runs the repository's hooks from: `core.hooksPath` (relative to the
/// repository's top) or the git directory's `hooks`.
fn git_hooks_dir(dir: &str, home: &str) -> Option<String> {
    let (root, git_dir) = git_dir(dir, home)?;
    let configured = match text_of(&format!("{git_dir}/config")) {
        Some(Text::Read(config)) => git_config_value(&config, "core", "hookspath"),
        _ => None,
    };
    Some(match configured {
        Some(p) => path::normalize(&p, &root, home),
        None => format!("{git_dir}/hooks"),
    })
}

/// The command line a git alias stands for (`!…` as a shell line, else a git command line),
/// from the config of the repository's git directory above `dir`.
fn git_alias(dir: &str, home: &str, name: &str) -> Option<String> {
    let (_, git_dir) = git_dir(dir, home)?;
    let Some(Text::Read(config)) = text_of(&format!("{git_dir}/config")) else { return None };
    let v = git_config_value(&config, "alias", name)?;
    Some(match v.strip_prefix('!') {
        Some(sh) => sh.to_owned(),
        None => format!("git {v}"),
    })
}
