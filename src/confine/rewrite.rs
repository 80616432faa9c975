//! The command the hook hands back to the agent, and the script `ana run` gives its shell.
//!
//! The agent runs the rewritten command in its own shell (Claude Code and Copilot CLI keep that
//! shell's working directory for the next call), so the rewritten command must leave that shell
//! where the original command would have:
//!
//! ```text
//! '/usr/bin/ana' run --resolved --profile 'project' --project '/p' --cwd-file '/run/…/cwd/1f…' -c 'CMD'; \
//!   __ana_s=$?; __ana_d=; { read -r __ana_d < '/run/…/cwd/1f…'; } 2>/dev/null; \
//!   case $__ana_d in /*) cd -- "$__ana_d" 2>/dev/null;; esac; \
//!   [ $__ana_s -eq 0 ] || [ $__ana_s -gt 128 ] || printf '%s\n' 'ana: NOTE' >&2; (exit $__ana_s)
//! ```
//!
//! `ana run` creates the cwd file itself (fresh, never following a link) in ana's runtime
//! directory, which no confined command can write, and hands the confined shell only an open
//! descriptor to it; the shell's `EXIT` trap writes its final directory there. Whatever ends up
//! in the file is only ever used as one quoted argument of `cd --`, and only when it is an
//! absolute path: it cannot run anything. Only POSIX shell is used, so bash, zsh and dash all run
//! it; exit status, standard streams, stdin, signals and background jobs are the command's own.

/// The descriptor on which the confined shell reports its final directory.
pub const CWD_FD: i32 = 63;

/// Quotes `s` as one word for a POSIX shell.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// What the rewritten command needs.
#[derive(Clone, Debug)]
pub struct Rewrite<'a> {
    /// The absolute path of the `ana` binary.
    pub ana: &'a str,
    pub profile: &'a str,
    /// What the policy's `[[profile]]` tables add to the built-in profile: write areas and
    /// secrets it may read (as written in the policy).
    pub write: &'a [String],
    pub read: &'a [String],
    pub project: Option<&'a str>,
    /// A fresh path in ana's runtime directory.
    pub cwd_file: &'a str,
    /// The agent's command, unchanged.
    pub command: &'a str,
}

/// The note a failed confined command prints on stderr, so the model knows what happened.
pub fn failure_note(profile: &str, project: Option<&str>) -> String {
    let git = if project.is_some() && !super::profile::builtin(profile).is_some_and(|b| b.git_config) { "; the repository's .git/config and .git/hooks are read-only" } else { "" };
    let secrets = match super::profile::builtin(profile).map(|b| b.read).filter(|r| !r.is_empty()) {
        Some(r) => format!("cannot read your keys or credentials except {}", r.join(", ")),
        None => "cannot read your keys or credentials".to_owned(),
    };
    format!(
        "ana: this command ran confined (profile `{profile}`): it can write only in {}{git}, and {secrets}. \
         If it failed with \"Permission denied\", \"Read-only file system\" or \"Operation not permitted\" on a path outside those, ana blocked it; \
         ask the user to run that step or to allow it in their ana policy.",
        super::profile::summary(project)
    )
}

/// The command line for the agent's shell.
pub fn command_line(r: &Rewrite) -> String {
    let file = quote(r.cwd_file);
    let mut out = String::with_capacity(r.command.len() + 600);
    out.push_str(&quote(r.ana));
    out.push_str(" run --resolved --profile ");
    out.push_str(&quote(r.profile));
    for w in r.write {
        out.push_str(" --write ");
        out.push_str(&quote(w));
    }
    for w in r.read {
        out.push_str(" --read ");
        out.push_str(&quote(w));
    }
    if let Some(p) = r.project {
        out.push_str(" --project ");
        out.push_str(&quote(p));
    }
    out.push_str(" --cwd-file ");
    out.push_str(&file);
    out.push_str(" -c ");
    out.push_str(&quote(r.command));
    out.push_str("; __ana_s=$?; __ana_d=; { read -r __ana_d < ");
    out.push_str(&file);
    out.push_str("; } 2>/dev/null; case $__ana_d in /*) cd -- \"$__ana_d\" 2>/dev/null;; esac; ");
    out.push_str("[ $__ana_s -eq 0 ] || [ $__ana_s -gt 128 ] || printf '%s\\n' ");
    out.push_str(&quote(&failure_note(r.profile, r.project)));
    out.push_str(" >&2; (exit $__ana_s)");
    out
}

/// The parts of a line [`command_line`] wrote, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub ana: String,
    pub profile: String,
    pub write: Vec<String>,
    pub read: Vec<String>,
    pub project: Option<String>,
    pub cwd_file: String,
    pub command: String,
}

/// Reads back a line that [`command_line`] wrote: `Some` only when writing the parts again gives
/// exactly `line`, so nothing else can pass for one. The hook uses it to recognise a call it has
/// already rewritten (another ana hook ran first, or the agent repeats the line).
pub fn parse_line(line: &str) -> Option<Parsed> {
    fn word(s: &str) -> Option<(String, &str)> {
        let mut rest = s.strip_prefix('\'')?;
        let mut out = String::new();
        loop {
            let end = rest.find('\'')?;
            out.push_str(&rest[..end]);
            rest = &rest[end + 1..];
            match rest.strip_prefix("\\''") {
                Some(r) => {
                    out.push('\'');
                    rest = r;
                }
                None => return Some((out, rest)),
            }
        }
    }
    let (ana, rest) = word(line)?;
    let (profile, mut rest) = word(rest.strip_prefix(" run --resolved --profile ")?)?;
    let (mut write, mut read) = (Vec::new(), Vec::new());
    loop {
        if let Some(r) = rest.strip_prefix(" --write ") {
            let (w, r) = word(r)?;
            write.push(w);
            rest = r;
        } else if let Some(r) = rest.strip_prefix(" --read ") {
            let (w, r) = word(r)?;
            read.push(w);
            rest = r;
        } else {
            break;
        }
    }
    let (project, rest) = match rest.strip_prefix(" --project ") {
        Some(r) => {
            let (p, r) = word(r)?;
            (Some(p), r)
        }
        None => (None, rest),
    };
    let (cwd_file, rest) = word(rest.strip_prefix(" --cwd-file ")?)?;
    let (command, _) = word(rest.strip_prefix(" -c ")?)?;
    let parsed = Parsed { ana, profile, write, read, project, cwd_file, command };
    let again = command_line(&Rewrite {
        ana: &parsed.ana,
        profile: &parsed.profile,
        write: &parsed.write,
        read: &parsed.read,
        project: parsed.project.as_deref(),
        cwd_file: &parsed.cwd_file,
        command: &parsed.command,
    });
    (again == line).then_some(parsed)
}

/// The script the confined shell runs: the trap that reports the final directory, then the
/// agent's command on its own lines (so a trailing comment or an unclosed quote in it cannot
/// swallow the trap).
pub fn inner_script(command: &str) -> String {
    format!("trap '{{ pwd -P >&{CWD_FD}; }} 2>/dev/null' EXIT\n{command}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_single_quotes() {
        assert_eq!(quote("a'b"), r"'a'\''b'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn the_command_line_names_everything_once() {
        let r = Rewrite { ana: "/usr/bin/ana", profile: "project", write: &[], read: &[], project: Some("/p q"), cwd_file: "/run/a/cwd/x", command: "echo 'hi'; cd sub" };
        let line = command_line(&r);
        assert!(line.starts_with("'/usr/bin/ana' run --resolved --profile 'project' --project '/p q' --cwd-file '/run/a/cwd/x' -c 'echo '\\''hi'\\''; cd sub'; "), "{line}");
        assert!(line.ends_with("(exit $__ana_s)"));
        let back = parse_line(&line).unwrap();
        assert_eq!((back.profile.as_str(), back.project.as_deref(), back.command.as_str()), ("project", Some("/p q"), "echo 'hi'; cd sub"));
        assert_eq!(parse_line(&line.replace("(exit $__ana_s)", "(exit 0)")), None);
        assert_eq!(parse_line(&format!("{line}; rm -rf ~")), None);
        let extra = [String::from("~/.my cache")];
        let r = Rewrite { write: &extra, read: &extra, ..r };
        let back = parse_line(&command_line(&r)).unwrap();
        assert_eq!((back.write, back.read), (extra.to_vec(), extra.to_vec()));
    }
}
