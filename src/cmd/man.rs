//! `ana man`: the manual pages — `ana(1)` and one page per command (`ana-approve(1)`,
//! `ana-policy-check(1)`, …) — generated from the command line's clap definitions (`cli.rs`), so
//! they say what the binary accepts. `man/` holds them; a test regenerates them and compares.
//!
//! Beyond what clap_mangen renders: EXAMPLES from each command's `--help`, and in `ana(1)` the exit
//! status and the environment ([`crate::cli::EXIT_STATUS`], [`crate::cli::ENVIRONMENT`]); every
//! page ends with SEE ALSO naming only pages this generator writes.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::cli::{self, Cli};

/// One generated page: its file name (`ana-history-show.1`) and its roff text.
pub struct Page {
    pub file: String,
    pub text: Vec<u8>,
}

/// Every page, `ana.1` first, then each visible command depth first.
pub fn pages() -> Vec<Page> {
    // `ana help` is clap's; `ana COMMAND --help` is documented on every page.
    let mut root = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    root.build();
    let mut out = Vec::new();
    walk(&root, None, &mut out);
    out
}

fn walk(cmd: &clap::Command, parent: Option<&str>, out: &mut Vec<Page>) {
    let name = page_name(cmd);
    out.push(Page { file: format!("{name}.1"), text: render(cmd, parent) });
    for sub in visible(cmd) {
        walk(sub, Some(&name), out);
    }
}

fn visible(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands().filter(|s| !s.is_hide_set())
}

/// `ana`, `ana-policy`, `ana-policy-check`: clap sets these display names when it builds the tree.
fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name()).to_owned()
}

fn render(cmd: &clap::Command, parent: Option<&str>) -> Vec<u8> {
    let man = clap_mangen::Man::new(cmd.clone()).title(page_name(cmd)).source(format!("ana {}", env!("CARGO_PKG_VERSION"))).manual("ana manual");
    // Each `render_*` call writes the roff preamble (two lines) again: keep the first.
    let mut w = Vec::new();
    let mut section = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut part = Vec::new();
        f(&mut part).expect("rendering into a Vec cannot fail");
        let body = if w.is_empty() { &part[..] } else { strip_preamble(&part) };
        w.extend_from_slice(body);
    };
    section(&|o| man.render_title(o));
    section(&|o| man.render_name_section(o));
    section(&|o| man.render_synopsis_section(o));
    section(&|o| man.render_description_section(o));
    section(&|o| man.render_options_section(o));
    if visible(cmd).next().is_some() {
        section(&|o| man.render_subcommands_section(o));
    }
    let mut roff = Roff::default();
    let examples = cli::examples(cmd);
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for ex in &examples {
            roff.control("TP", []);
            roff.text([bold(ex.command.as_str())]);
            if !ex.what.is_empty() {
                roff.text([roman(ex.what.as_str())]);
            }
        }
    }
    if parent.is_none() {
        roff.control("SH", ["EXIT STATUS"]);
        for (code, meaning) in cli::EXIT_STATUS {
            roff.control("TP", []);
            roff.text([bold(code.to_string())]);
            roff.text([roman(*meaning)]);
        }
        roff.text([roman("ana hook answers in each coding agent's own protocol instead (a deny is an answer, not an exit status).")]);
        roff.control("SH", ["ENVIRONMENT"]);
        for (vars, meaning) in cli::ENVIRONMENT {
            roff.control("TP", []);
            let names: Vec<&str> = vars.split(", ").collect();
            let mut line = Vec::new();
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    line.push(roman(", "));
                }
                line.push(bold(*n));
            }
            roff.text(line);
            roff.text([roman(*meaning)]);
        }
        roff.control("SH", ["FILES"]);
        for (path, what) in cli::FILES {
            roff.control("TP", []);
            roff.text([italic(*path)]);
            roff.text([roman(*what)]);
        }
    }
    roff.control("SH", ["SEE ALSO"]);
    let mut see = Vec::new();
    if let Some(p) = parent {
        see.push(format!("{p}(1)"));
    }
    if parent.is_some_and(|p| p != "ana") {
        see.push("ana(1)".to_owned());
    }
    if parent.is_none() {
        see.push("the README that comes with ana".to_owned());
    } else {
        see.push(format!("`{} --help`", cmd.get_bin_name().unwrap_or_else(|| cmd.get_name())));
    }
    roff.text([roman(see.join(", "))]);
    let mut rest = Vec::new();
    roff.to_writer(&mut rest).expect("rendering into a Vec cannot fail");
    w.extend_from_slice(strip_preamble(&rest));
    w
}

/// `roff`'s text without the preamble it starts every rendering with (the `Aq` string's
/// definition), when it is there.
fn strip_preamble(text: &[u8]) -> &[u8] {
    const PREAMBLE: &[u8] = b".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    text.strip_prefix(PREAMBLE).unwrap_or(text)
}

/// `ana man`: `ana(1)` on stdout; with `--dir DIR`, every page into DIR (`man -l DIR/ana.1`).
pub fn run(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let pages = pages();
    let Some(dir) = dir else {
        use std::io::Write;
        std::io::stdout().write_all(&pages[0].text)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for p in &pages {
        let path = dir.join(&p.file);
        std::fs::write(&path, &p.text).with_context(|| format!("writing {}", path.display()))?;
    }
    println!("{} pages in {}", pages.len(), dir.display());
    Ok(ExitCode::SUCCESS)
}
