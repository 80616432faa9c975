//! Files a command runs from disk, read when it runs: a script (`sh scripts/setup.sh`,
//! `./build.sh`, `python3 tools/gen.py`), the Makefile or justfile a runner reads, package.json
//! scripts (`npm test`, `npm run x`), a git alias (`git co`). A file written in one call and run
//! in the next is judged by what it holds, as a Write of it would have been (see
//! `policy::later`): its text can only make the verdict stricter.

use crate::action::{Action, Object};
use crate::policy::schema::fact;
use crate::policy::shell::{self, Cmd};
use crate::policy::{Env, Policy, Verdict, path};

/// The most text read from one file.
const MAX_BYTES: u64 = 64 * 1024;
/// The most files read for one command.
const MAX_FILES: usize = 8;

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

/// Whether `command`'s words hold `git` followed by a word that is not one of git's own commands
/// (a quick look before parsing it again).
pub fn may_name_git_alias(command: &str) -> bool {
    let mut words = command.split_whitespace();
    while let Some(w) = words.next() {
        if w == "git" || w.ends_with("/git") {
            match words.find(|x| !x.starts_with('-')) {
                Some(next) if GIT_COMMANDS.contains(&next) => continue,
                // `git -C dir x`: the directory is a word too; parse to be sure.
                _ => return true,
            }
        }
    }
    false
}

/// The stricter verdict what `action`'s command runs from disk calls for, if any.
pub fn judge(policy: &Policy, action: &Action, env: &Env) -> Option<Verdict> {
    let Object::Command { command } = &action.object else { return None };
    let cmds = shell::analyze(command, &action.cwd, env.home);
    let mut read = 0;
    for c in &cmds {
        for (file, text) in files_run(c, &action.cwd, env.home) {
            read += 1;
            if read > MAX_FILES {
                return None;
            }
            if let Some(v) = policy.runs_on_disk(action, env, &file, &text) {
                return Some(v);
            }
        }
    }
    None
}

/// A regular file's text, when it is small enough to read whole.
fn text_of(p: &str) -> Option<String> {
    let meta = std::fs::metadata(p).ok()?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    std::fs::read_to_string(p).ok()
}

/// The files `c` runs, with their text: `(path, text)`. A git alias is given as the name
/// `git alias NAME` and its command line.
fn files_run(c: &Cmd, cwd: &str, home: &str) -> Vec<(String, String)> {
    let here = c.cwd.as_deref().unwrap_or(cwd);
    let at = |w: &str| path::normalize(w, here, home);
    let read = |p: String| text_of(&p).map(|t| (p, t));
    let args = c.args();
    let first_operand = || args.iter().find(|w| !w.text.starts_with('-') && !w.dynamic).map(|w| w.text.as_str());
    let program = c.program.as_str();
    let mut out = Vec::new();
    if c.facts & fact::SCRIPT_FILE != 0 {
        let file = match c.argv.first() {
            Some(w) if w.text.contains('/') && !w.dynamic => Some(w.text.as_str()),
            _ => first_operand(),
        };
        out.extend(file.map(at).and_then(read));
    }
    match program {
        "make" | "gmake" => {
            let dir = option(args, &["-C", "--directory"]).map_or_else(|| here.to_owned(), at);
            match option(args, &["-f", "--file", "--makefile"]) {
                Some(f) => out.extend(read(path::normalize(f, &dir, home))),
                None => out.extend(["GNUmakefile", "makefile", "Makefile"].iter().find_map(|n| read(format!("{dir}/{n}")))),
            }
        }
        "just" => out.extend(["justfile", "Justfile", ".justfile"].iter().find_map(|n| read(at(n)))),
        "npm" | "pnpm" | "yarn" | "bun" if !args.is_empty() => out.extend(read(at("package.json"))),
        "git" => {
            // The first word after git's own options (`-C DIR`, `-c K=V` take a value).
            let mut i = 0;
            while i < args.len() && args[i].text.starts_with('-') {
                i += if crate::policy::programs::git::GLOBAL_VALUES.contains(&args[i].text.as_str()) { 2 } else { 1 };
            }
            let name = args.get(i).filter(|w| !w.dynamic).map_or("", |w| w.text.as_str());
            if !name.is_empty() && !GIT_COMMANDS.contains(&name) {
                out.extend(git_alias(here, home, name).map(|body| (format!("git alias {name}"), body)));
            }
        }
        _ => {}
    }
    out
}

/// The value of the first of `names` given as an option (`-C DIR`, `--directory=DIR`).
fn option<'a>(args: &'a [shell::Word], names: &[&str]) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, w)| {
        let t = w.text.as_str();
        if names.contains(&t) { args.get(i + 1).filter(|v| !v.dynamic).map(|v| v.text.as_str()) } else { names.iter().find_map(|n| t.strip_prefix(n).and_then(|r| r.strip_prefix('='))) }
    })
}

/// The command line a git alias stands for (`!…` as a shell line, else a git command line),
/// from the repository's `.git/config` above `dir`.
fn git_alias(dir: &str, home: &str, name: &str) -> Option<String> {
    let root = crate::paths::project_root(dir, home)?;
    let config = text_of(&format!("{root}/.git/config"))?;
    let mut in_alias = false;
    for line in config.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_alias = l.trim_start_matches('[').trim_end_matches(']').trim().eq_ignore_ascii_case("alias");
            continue;
        }
        if !in_alias {
            continue;
        }
        if let Some((k, v)) = l.split_once('=')
            && k.trim().eq_ignore_ascii_case(name)
        {
            // A quoted value: git's escapes undone.
            let v = v.trim();
            let v = match v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
                Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
                None => v.to_owned(),
            };
            return Some(match v.strip_prefix('!') {
                Some(sh) => sh.to_owned(),
                None => format!("git {v}"),
            });
        }
    }
    None
}
