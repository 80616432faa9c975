//! `ana policy edit` and the diagnosis `ana policy check` prints, in the manner of visudo: edit a
//! copy, check it, show every error at once (file:line:col, the line, a caret, "did you mean"),
//! warn about rules that can never match, and install only a file that compiles.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::paths::{Paths, project_root};
use crate::policy::schema::Layer;
use crate::render::escape;
use crate::rules::{self, PolicyError};

/// One problem in a policy text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// A warning leaves the file installable; an error does not.
    pub severity: Severity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Every problem in `text` as a `layer` policy, not only the first: the compiler stops at the
/// first error, so each error's rule (or line, outside rules) is blanked out — line numbers
/// kept — and the text compiled again, until it compiles or nothing more can be blanked.
pub fn diagnose(text: &str, layer: Layer) -> Vec<Problem> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut problems = Vec::new();
    for _ in 0..200 {
        let joined = lines.join("\n");
        match rules::compile_text(joined, "policy", layer) {
            Ok(compiled) => {
                problems.extend(never_matching(text, &compiled));
                break;
            }
            Err(PolicyError::Unreadable { message, .. }) => {
                problems.push(Problem { line: 1, column: 1, message, severity: Severity::Error });
                break;
            }
            Err(PolicyError::Invalid { mut line, mut column, message, .. }) => {
                // Errors about a whole rule come without a place: point at its id.
                if let (1, Some(id)) = (line, message.strip_prefix("rule `").and_then(|r| r.split('`').next()))
                    && let Some(i) = lines.iter().position(|l| l.contains(&format!("\"{id}\"")))
                {
                    (line, column) = (i + 1, 1);
                }
                // A rule's error names a value (`unknown decision `maybe``): point at its line.
                if let Some(value) = message.strip_prefix("rule `").and_then(|r| r.split('`').nth(2)).filter(|v| !v.is_empty()) {
                    let (from, to) = rule_block(&lines, line);
                    if let Some(i) = (from..to).find(|&i| lines[i].contains(value) && lines[i].contains('=')) {
                        (line, column) = (i + 1, lines[i].find(value).map_or(1, |c| c + 1));
                    }
                }
                let message = with_hints(&message, &lines, line);
                let syntax = message.contains("TOML")
                    || message.contains("expected") && message.contains("found")
                    || message.contains("invalid") && column > 0 && lines.get(line.saturating_sub(1)).is_some_and(|l| !l.contains('='));
                problems.push(Problem { line, column, message, severity: Severity::Error });
                let (from, to) = rule_block(&lines, line);
                let before: Vec<String> = lines.clone();
                for l in lines.iter_mut().take(to).skip(from) {
                    l.clear();
                }
                // A syntax error can leave nothing to blank that helps: stop there.
                if lines == before || syntax && from + 1 == to && before.get(from).is_some_and(|l| l.trim().is_empty()) {
                    break;
                }
            }
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    problems
}

/// The lines (0-based, end exclusive) of the `[[rule]]` block holding 1-based `line`; the line
/// alone when it is outside any rule.
fn rule_block(lines: &[String], line: usize) -> (usize, usize) {
    let at = line.saturating_sub(1).min(lines.len().saturating_sub(1));
    let is_header = |l: &str| l.trim_start().starts_with('[');
    let start = (0..=at).rev().find(|&i| is_header(&lines[i]));
    match start {
        Some(s) if lines[s].trim_start().starts_with("[[rule]]") => {
            let end = (s + 1..lines.len()).find(|&i| is_header(&lines[i])).unwrap_or(lines.len());
            (s, end)
        }
        _ => (at, at + 1),
    }
}

/// Adds "did you mean" to an unknown key, and points at an unclosed bracket that the parser
/// reports later than where it is.
fn with_hints(message: &str, lines: &[String], line: usize) -> String {
    let mut out = message.trim_end().to_owned();
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let unknown = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> =
            rest.split("expected one of ").nth(1).or_else(|| rest.split("expected ").nth(1)).unwrap_or("").split('`').enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, s)| s).collect();
        if let Some(best) = expected.iter().map(|e| (distance(unknown, e), *e)).filter(|(d, _)| *d <= 2 || unknown.len() > 4 && *d <= 3).min() {
            out.push_str(&format!(" — did you mean `{}`?", best.1));
        }
    }
    // An array or table header opened on an earlier line and never closed: toml reports the
    // error where it gives up, often lines later.
    for i in (line.saturating_sub(4)..line.saturating_sub(1)).rev() {
        let Some(l) = lines.get(i) else { continue };
        let code = l.split('#').next().unwrap_or("");
        let opens = code.matches('[').count();
        let closes = code.matches(']').count();
        if opens > closes && !code.trim_end().ends_with(',') && !code.trim_end().ends_with('[') {
            out.push_str(&format!(" (line {}: a `[` is not closed)", i + 1));
            break;
        }
    }
    out
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Rules that compile but can never decide anything: a matcher on commands (`program`,
/// `subcommand`, flags) limited to tools that are not commands, or an allow rule aimed at a
/// protected built-in rule, which nothing lifts.
fn never_matching(text: &str, compiled: &crate::policy::Compiled<'static>) -> Vec<Problem> {
    let mut out = Vec::new();
    let line_of = |id: &str| text.lines().position(|l| l.contains(&format!("\"{id}\""))).map_or(1, |i| i + 1);
    let builtin = rules::builtin();
    for r in compiled.rules.iter() {
        let exec_only = !r.programs.is_empty() || !r.subcommands.is_empty() || !r.any_flag.is_empty() || !r.all_flags.is_empty();
        if exec_only && r.tools != 0 && r.tools & crate::policy::schema::tool::EXEC == 0 {
            out.push(Problem {
                line: line_of(r.id),
                column: 1,
                message: format!("rule `{}` can never match: it names programs or flags, which only commands have, but its `tool` leaves out `exec`", r.id),
                severity: Severity::Warning,
            });
        }
        if r.decision == crate::policy::Decision::Allow
            && let Some(p) = builtin.rules.iter().find(|b| b.protected && b.id == r.id)
        {
            out.push(Problem {
                line: line_of(r.id),
                column: 1,
                message: format!("rule `{}` has the id of protected built-in rule `{}`, which no allow lifts", r.id, p.id),
                severity: Severity::Warning,
            });
        }
    }
    out
}

/// Prints `problems` as `file:line:col: error: message`, the line, and a caret.
pub fn print(name: &str, text: &str, problems: &[Problem]) {
    let lines: Vec<&str> = text.lines().collect();
    for p in problems {
        let kind = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        println!("{name}:{}:{}: {kind}: {}", p.line, p.column, escape(&p.message));
        if let Some(l) = lines.get(p.line.saturating_sub(1)) {
            println!("  {:>4} | {}", p.line, escape(l));
            println!("       | {}^", " ".repeat(p.column.saturating_sub(1).min(l.chars().count())));
        }
    }
}

/// Which layer a policy file belongs to, by where it is.
pub fn layer_of(path: &Path, paths: &Paths) -> Layer {
    let same = |a: &Path, b: &Path| a == b || std::fs::canonicalize(a).ok().is_some_and(|x| std::fs::canonicalize(b).ok().is_some_and(|y| x == y));
    if same(path, &paths.system_policy()) {
        Layer::System
    } else if same(path, &paths.user_policy()) {
        Layer::User
    } else if path.parent().and_then(Path::file_name).is_some_and(|d| d == ".ana") {
        Layer::Project
    } else {
        Layer::User
    }
}

/// `ana policy edit`: edits a copy of the chosen layer's file in `$VISUAL`/`$EDITOR`, checks
/// it, and installs it only when it compiles.
pub fn edit(layer: Layer) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let target: PathBuf = match layer {
        Layer::System => paths.system_policy(),
        Layer::Project => {
            let cwd = std::env::current_dir()?.display().to_string();
            let root = project_root(&cwd, &paths.home).context("not inside a project (a directory with .git below your home)")?;
            Path::new(&root).join(".ana/policy.toml")
        }
        _ => paths.user_policy(),
    };
    let original = match std::fs::read_to_string(&target) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => TEMPLATE.to_owned(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", target.display())),
    };
    let dir = target.parent().context("the policy file has no directory")?;
    Paths::create_private_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
    let copy = dir.join(format!(".policy.toml.edit-{}", std::process::id()));
    write_private(&copy, &original)?;
    let _cleanup = Cleanup(copy.clone());
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    let interactive = std::io::stdin().is_terminal();
    loop {
        let status = std::process::Command::new("sh").arg("-c").arg(format!("{editor} \"$1\"")).arg("sh").arg(&copy).status().with_context(|| format!("running the editor `{editor}`"))?;
        anyhow::ensure!(status.success(), "the editor `{editor}` failed ({status}); {} is unchanged", target.display());
        let text = std::fs::read_to_string(&copy)?;
        if text == original {
            println!("no changes; {} is unchanged", target.display());
            return Ok(ExitCode::SUCCESS);
        }
        let problems = diagnose(&text, layer);
        let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
        print(&target.display().to_string(), &text, &problems);
        if errors == 0 {
            install(&target, &text)?;
            println!("installed {} ({} layer{})", target.display(), layer.name(), if problems.is_empty() { String::new() } else { format!(", {} warning(s)", problems.len()) });
            return Ok(ExitCode::SUCCESS);
        }
        println!("{errors} error(s): {} was NOT changed", target.display());
        if !interactive {
            return Ok(super::Exit::No.into());
        }
        print!("What now? (e)dit again, e(x)it without saving: ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !answer.trim().eq_ignore_ascii_case("e") {
            println!("{} is unchanged", target.display());
            return Ok(super::Exit::No.into());
        }
    }
}

const TEMPLATE: &str = "# ana policy — `ana policy show` lists the built-in rules; the README's Policies section\n# explains each matcher. Saved only when it compiles.\n\n# disable = [\"k8s.delete\"]\n\n# [[rule]]\n# id = \"my.rule\"\n# description = \"what it is for\"\n# decision = \"approve\"\n# program = [\"kubectl\"]\n";

struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).with_context(|| format!("creating {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

/// Writes `text` to `target` atomically, keeping the old file as `target.bak`.
fn install(target: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = target.with_extension(format!("toml.new-{}", std::process::id()));
    write_private(&tmp, text)?;
    if target.exists() {
        std::fs::copy(target, target.with_extension("toml.bak")).with_context(|| format!("backing up {}", target.display()))?;
    }
    std::fs::rename(&tmp, target).with_context(|| format!("installing {}", target.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_at_once_with_did_you_mean() {
        let text = "[[rule]]\nid = \"a\"\ndescription = \"x\"\ndecison = \"deny\"\nprogram = [\"rm\"]\n\n[[rule]]\nid = \"b\"\ndescription = \"y\"\ndecision = \"maybe\"\nprogram = [\"git\"]\n\n[[rule]]\nid = \"c\"\ndescription = \"z\"\ndecision = \"deny\"\nprogam = [\"curl\"]\n";
        let p = diagnose(text, Layer::User);
        let errors: Vec<_> = p.iter().filter(|p| p.severity == Severity::Error).collect();
        assert_eq!(errors.len(), 3, "{p:#?}");
        assert!(errors[0].message.contains("did you mean `decision`"), "{p:#?}");
        assert!(errors[2].message.contains("did you mean `program`"), "{p:#?}");
        assert!(errors.windows(2).all(|w| w[0].line < w[1].line), "{p:#?}");
    }

    #[test]
    fn a_rule_that_can_never_match_is_flagged() {
        let text = "[[rule]]\nid = \"my.never\"\ndescription = \"x\"\ndecision = \"deny\"\ntool = [\"write\"]\nprogram = [\"git\"]\n";
        let p = diagnose(text, Layer::User);
        assert!(p.iter().any(|p| p.line == 2 && (p.message.contains("can never match") || p.message.contains("only apply to `exec`"))), "{p:#?}");
    }

    #[test]
    fn a_clean_file_has_no_problems() {
        let text = "[[rule]]\nid = \"my.ok\"\ndescription = \"x\"\ndecision = \"deny\"\nprogram = [\"git\"]\n";
        assert_eq!(diagnose(text, Layer::User), vec![]);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("decison", "decision"), 1);
        assert_eq!(distance("progam", "program"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
