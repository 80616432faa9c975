//! Interpreter code given inline or in a heredoc, read for what it runs and touches (see
//! [`crate::policy::content`]): the shell lines it amounts to are walked one level deeper, marked
//! with the interpreter that runs them.

use super::{Cmd, Walker, basename};
use crate::policy::content::{self, Lang};
use crate::policy::schema::fact;

impl Walker<'_> {
    /// Reads the code of an interpreter command whose code is inline (`-c`, `-e`, a heredoc).
    pub(super) fn inline_code(&mut self, argv: &[super::Word], cmd: &mut Cmd, cwd: &Option<String>) {
        if cmd.facts & fact::INLINE_SCRIPT == 0 {
            return;
        }
        let program = basename(&argv[0].text);
        let mut code = String::new();
        for w in &argv[1..] {
            code.push_str(&w.text);
            code.push('\n');
        }
        if let Some(s) = &cmd.stdin_text {
            code.push_str(s);
        }
        let found = content::scan_code(&code, Lang::of(program));
        cmd.facts |= found.facts;
        let label = format!("{program} code:");
        for line in &found.lines {
            let start = self.out.len();
            let mut here = cwd.clone();
            self.script(line, &mut here, cmd.depth + 1, None);
            for c in &mut self.out[start..] {
                c.wrappers.insert(0, label.clone());
            }
        }
    }
}

impl Walker<'_> {
    /// `npm pkg set scripts.NAME=TEXT`: TEXT runs whenever the script does; walked now.
    pub(super) fn package_scripts_set(&mut self, argv: &[super::Word], cmd: &mut Cmd, cwd: &Option<String>) {
        let pos: Vec<&super::Word> = argv[1..].iter().filter(|w| !w.text.starts_with('-')).collect();
        if pos.len() < 3 || pos[0].text != "pkg" || pos[1].text != "set" {
            return;
        }
        for w in &pos[2..] {
            if let Some((_, text)) = w.text.strip_prefix("scripts.").and_then(|r| r.split_once('=')) {
                let script = super::Word { text: text.to_owned(), ..(*w).clone() };
                self.nested(Some(&script), cmd, cwd);
            }
        }
    }
}
