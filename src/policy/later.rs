//! A file written now and run later (a script, a Makefile's recipe, package.json scripts, a
//! `conftest.py`): its new text is judged as the commands it would run, so that the Write needs
//! approval when running them would; and manifest edits that move where code comes from.

use super::content;
use super::schema::fact;
use super::shell::{Cmd, Word};
use super::{Decision, Env, Policy};
use crate::action::{Action, Kind, Object};

impl Policy<'_> {
    /// Commands standing for what the new text of `path` runs later, for the rules to meet:
    /// `runs-later` when a command in it would need approval or be denied if run now,
    /// `package-source` when it changes where packages come from.
    pub(super) fn runs_later(&self, action: &Action, env: &Env, path: &str, new: &str, old: Option<&str>) -> Vec<Cmd> {
        let text = content::file_text(path, new, old);
        let mut out = Vec::new();
        if text.source_change {
            out.push(Cmd { argv: vec![Word::lit(path)], program: "(install source)".into(), facts: fact::PACKAGE_SOURCE, ..Cmd::default() });
        }
        let mut scripts = text.shell;
        if let Some((code, lang)) = text.code {
            let found = content::scan_code(&code, lang);
            if found.facts != 0 {
                out.push(Cmd { argv: vec![Word::lit(path)], program: "(code)".into(), facts: found.facts, ..Cmd::default() });
            }
            scripts.extend(found.lines);
        }
        for script in scripts.into_iter().filter(|s| !s.trim().is_empty()) {
            let run = Action { kind: Kind::Exec, object: Object::Command { command: script }, ..action.clone() };
            let v = self.verdict(&run, env);
            if v.decision >= Decision::Ask && v.rule.as_deref().is_some_and(reaches_past_the_project) {
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
fn reaches_past_the_project(rule: &str) -> bool {
    const FAMILIES: &[&str] = &[
        "git.global-config",
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
    FAMILIES.iter().any(|f| rule.starts_with(f)) && !rule.contains("unknown")
}
