//! Where a tool call came from: the coding agent's process, its terminal (tty), and the tmux pane
//! or terminal program the hook's environment names. Shown beside a request as *context*: the
//! hook reports it, the key does not sign it, and every prompt labels it so.
//!
//! Why it is not part of the intent: everything here is what the agent's own uid can set (a
//! process renames itself, `TMUX_PANE` is an environment variable), so it helps a person place a
//! request among their terminals but proves nothing, and a signature must not lend it weight.
//!
//! Gathered only on the approval path (never for a call that is allowed or denied outright):
//! a few small reads under `/proc`, no process spawned. The parsing is pure and tested apart.

use serde::{Deserialize, Serialize};

/// How many ancestors of the hook are looked at (the agent is usually the first or second).
pub const MAX_CHAIN: usize = 8;
/// The longest text any member of an [`Origin`] keeps (a prompt escapes and shows it whole).
pub const MAX_TEXT: usize = 200;

/// Where the hook that asked was started from, as it observed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The coding agent's process: the first ancestor of the hook that is not a shell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
    /// The agent's controlling terminal (`/dev/pts/3`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tty: Option<String>,
    /// `TMUX_PANE` (`%7`) and the tmux session's socket, when the agent runs inside tmux.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tmux_pane: Option<String>,
    /// `TERM_PROGRAM` (`WezTerm`, `vscode`, `iTerm.app`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal: Option<String>,
}

/// One process: its id and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    pub pid: u32,
    pub name: String,
}

/// What `/proc/PID/stat` says that matters here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stat {
    /// The kernel's short name (`comm`, at most 15 bytes).
    pub comm: String,
    pub ppid: u32,
    /// The controlling terminal's device number (0: none).
    pub tty_nr: u32,
}

/// Parses `/proc/PID/stat`. The name sits in parentheses and may itself hold spaces and
/// parentheses, so the fields are read after the *last* `)`.
pub fn parse_stat(text: &str) -> Option<Stat> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?.to_owned();
    let mut rest = text.get(close + 1..)?.split_ascii_whitespace();
    let _state = rest.next()?;
    let ppid = rest.next()?.parse().ok()?;
    let _pgrp = rest.next()?;
    let _session = rest.next()?;
    let tty_nr = rest.next()?.parse::<i64>().ok()?;
    Some(Stat { comm, ppid, tty_nr: u32::try_from(tty_nr).unwrap_or(0) })
}

/// The device name of a `tty_nr` (Linux's encoding: major in bits 8–19, minor in bits 0–7 and
/// 20–31): `/dev/pts/N` for pseudo-terminals, `/dev/ttyN` for virtual consoles.
pub fn tty_name(tty_nr: u32) -> Option<String> {
    if tty_nr == 0 {
        return None;
    }
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    match major {
        136..=143 => Some(format!("/dev/pts/{}", (major - 136) * 256 + minor)),
        4 if minor < 64 => Some(format!("/dev/tty{minor}")),
        4 => Some(format!("/dev/ttyS{}", minor - 64)),
        _ => Some(format!("tty {major}:{minor}")),
    }
}

/// Shells that stand between an agent and its hook (Claude Code runs hooks through `sh -c`).
fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "dash" | "zsh" | "fish" | "ksh" | "mksh" | "busybox" | "env" | "timeout" | "nice")
}

/// Cuts `s` to [`MAX_TEXT`] characters, saying so.
fn bounded(s: &str) -> String {
    if s.chars().count() <= MAX_TEXT {
        return s.to_owned();
    }
    let keep: String = s.chars().take(MAX_TEXT).collect();
    format!("{keep}…")
}

impl Origin {
    /// The origin from the hook's ancestors (nearest first: its parent, then that one's
    /// parent…, each with its `stat`) and its environment.
    pub fn from_chain(chain: &[(u32, Stat, Option<String>)], env: impl Fn(&str) -> Option<String>) -> Origin {
        let agent = chain.iter().find(|(_, st, name)| !is_shell(name.as_deref().unwrap_or(&st.comm))).or(chain.first());
        let process = agent.map(|(pid, st, name)| Process { pid: *pid, name: bounded(name.as_deref().unwrap_or(&st.comm)) });
        // The agent's terminal; the nearest ancestor with one if the agent has none of its own.
        let tty = agent.and_then(|(_, st, _)| tty_name(st.tty_nr)).or_else(|| chain.iter().find_map(|(_, st, _)| tty_name(st.tty_nr)));
        let nonempty = |k: &str| env(k).filter(|v| !v.is_empty()).map(|v| bounded(&v));
        Origin { process, tty, tmux_pane: nonempty("TMUX_PANE").filter(|_| nonempty("TMUX").is_some()), terminal: nonempty("TERM_PROGRAM") }
    }

    /// Observes this process's origin now (Linux: `/proc`; elsewhere only the environment).
    pub fn gather() -> Origin {
        let mut chain = Vec::new();
        let mut pid = std::os::unix::process::parent_id();
        while pid > 1 && chain.len() < MAX_CHAIN {
            let Some(st) = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok().as_deref().and_then(parse_stat) else { break };
            let next = st.ppid;
            chain.push((pid, st, program_name(pid)));
            pid = next;
        }
        Origin::from_chain(&chain, |k| std::env::var(k).ok())
    }

    /// Caps every member (a client may send anything): text to [`MAX_TEXT`] characters.
    pub fn bound(&mut self) {
        for s in [&mut self.tty, &mut self.tmux_pane, &mut self.terminal].into_iter().flatten() {
            *s = bounded(s);
        }
        if let Some(p) = &mut self.process {
            p.name = bounded(&p.name);
        }
    }

    /// Whether nothing was observed.
    pub fn is_empty(&self) -> bool {
        self == &Origin::default()
    }

    /// One line for the prompts (unescaped: surfaces escape it): `claude (pid 4242) · tty
    /// /dev/pts/3 · tmux pane %7 · WezTerm`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.process {
            parts.push(format!("{} (pid {})", p.name, p.pid));
        }
        if let Some(t) = &self.tty {
            parts.push(format!("tty {t}"));
        }
        if let Some(t) = &self.tmux_pane {
            parts.push(format!("tmux pane {t}"));
        }
        if let Some(t) = &self.terminal {
            parts.push(format!("in {t}"));
        }
        parts.join(" · ")
    }
}

/// The program's name from its command line (see [`name_from_cmdline`]); `None` when it cannot be
/// read.
fn program_name(pid: u32) -> Option<String> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(256);
    std::fs::File::open(format!("/proc/{pid}/cmdline")).ok()?.take(4096).read_to_end(&mut buf).ok()?;
    name_from_cmdline(&buf)
}

/// A program's name from its NUL-separated command line: the first word's base name
/// (`/usr/bin/claude` → `claude`), which, unlike `comm`, is not cut at 15 bytes; for a script
/// run by an interpreter (Gemini CLI and Copilot CLI are Node scripts), the script's name with the
/// interpreter's: `gemini (node)`.
pub fn name_from_cmdline(cmdline: &[u8]) -> Option<String> {
    let words: Vec<String> = cmdline.split(|b| *b == 0).filter(|a| !a.is_empty()).take(2).map(|w| String::from_utf8_lossy(w).into_owned()).collect();
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).trim_start_matches('-').to_owned();
    let program = base(words.first()?);
    if program.is_empty() {
        return None;
    }
    match words.get(1) {
        Some(script) if matches!(program.as_str(), "node" | "bun" | "deno" | "python" | "python3") && !script.starts_with('-') && !base(script).is_empty() => {
            Some(format!("{} ({program})", base(script)))
        }
        _ => Some(program),
    }
}

/// The root of the git work tree holding `cwd` and the branch checked out there, read now.
/// `None` outside a repository.
pub fn project(cwd: &str) -> Option<(String, String)> {
    let mut dir = Some(std::path::Path::new(cwd));
    while let Some(d) = dir {
        let git = d.join(".git");
        let head = if git.is_dir() {
            std::fs::read_to_string(git.join("HEAD")).ok()
        } else if git.is_file() {
            // A linked work tree: `.git` is a file naming its git directory.
            std::fs::read_to_string(&git).ok().and_then(|t| t.trim().strip_prefix("gitdir: ").map(|g| d.join(g))).and_then(|g| std::fs::read_to_string(g.join("HEAD")).ok())
        } else {
            None
        };
        if let Some(head) = head {
            let head = head.trim();
            let branch = head.strip_prefix("ref: refs/heads/").map_or_else(|| format!("detached at {}", &head[..head.len().min(10)]), str::to_owned);
            return Some((d.display().to_string(), branch));
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(comm: &str, ppid: u32, tty_nr: u32) -> Stat {
        Stat { comm: comm.into(), ppid, tty_nr }
    }

    #[test]
    fn stat_lines_with_odd_names_parse() {
        let s = parse_stat("4242 (claude) S 4100 4242 4100 34819 4242 4194304 0 0").unwrap();
        assert_eq!(s, stat("claude", 4100, 34819));
        // A name holding spaces and parentheses: read after the last `)`.
        let s = parse_stat("77 (a) b (c) R 12 77 77 0 -1 0").unwrap();
        assert_eq!(s, stat("a) b (c", 12, 0));
        assert_eq!(parse_stat("garbage"), None);
        assert_eq!(parse_stat("1 (x) S notanumber"), None);
    }

    #[test]
    fn tty_numbers_name_their_devices() {
        assert_eq!(tty_name(0), None);
        assert_eq!(tty_name((136 << 8) | 3).as_deref(), Some("/dev/pts/3"));
        // pts 300: major 137, minor 44.
        assert_eq!(tty_name((137 << 8) | 44).as_deref(), Some("/dev/pts/300"));
        assert_eq!(tty_name((4 << 8) | 2).as_deref(), Some("/dev/tty2"));
        assert_eq!(tty_name((4 << 8) | 65).as_deref(), Some("/dev/ttyS1"));
    }

    #[test]
    fn the_agent_is_the_first_ancestor_that_is_not_a_shell() {
        let chain = vec![(900, stat("sh", 800, 0), Some("sh".into())), (800, stat("claude", 700, (136 << 8) | 5), Some("claude".into())), (700, stat("bash", 1, (136 << 8) | 5), None)];
        let env = |k: &str| match k {
            "TMUX" => Some("/tmp/tmux-1000/default,123,0".into()),
            "TMUX_PANE" => Some("%7".into()),
            "TERM_PROGRAM" => Some("tmux".into()),
            _ => None,
        };
        let o = Origin::from_chain(&chain, env);
        assert_eq!(o.process, Some(Process { pid: 800, name: "claude".into() }));
        assert_eq!(o.tty.as_deref(), Some("/dev/pts/5"));
        assert_eq!(o.tmux_pane.as_deref(), Some("%7"));
        assert_eq!(o.describe(), "claude (pid 800) · tty /dev/pts/5 · tmux pane %7 · in tmux");
        // A pane without TMUX (a stale variable) is not claimed; nothing at all is an empty origin.
        let o = Origin::from_chain(&[], |k| (k == "TMUX_PANE").then(|| "%1".into()));
        assert!(o.is_empty(), "{o:?}");
    }

    #[test]
    fn a_script_is_named_with_its_interpreter() {
        assert_eq!(name_from_cmdline(b"/usr/local/bin/claude\0--resume\0").as_deref(), Some("claude"));
        assert_eq!(name_from_cmdline(b"node\0/usr/lib/node_modules/@google/gemini-cli/bundle/gemini.js\0-p\0").as_deref(), Some("gemini.js (node)"));
        assert_eq!(name_from_cmdline(b"node\0--no-warnings\0x.js\0").as_deref(), Some("node"));
        assert_eq!(name_from_cmdline(b"-bash\0").as_deref(), Some("bash"));
        assert_eq!(name_from_cmdline(b""), None);
    }

    #[test]
    fn long_text_is_bounded() {
        let mut o = Origin { process: Some(Process { pid: 1, name: "x".repeat(5000) }), terminal: Some("y".repeat(5000)), ..Origin::default() };
        o.bound();
        assert_eq!(o.process.unwrap().name.chars().count(), MAX_TEXT + 1);
        assert_eq!(o.terminal.unwrap().chars().count(), MAX_TEXT + 1);
    }

    #[test]
    fn the_project_is_the_work_tree_root_and_its_branch() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("src/deep")).unwrap();
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/feature/x\n").unwrap();
        let (root, branch) = project(&dir.path().join("src/deep").display().to_string()).unwrap();
        assert_eq!((root.as_str(), branch.as_str()), (dir.path().to_str().unwrap(), "feature/x"));
        // A linked work tree names its git directory in a `.git` file.
        let wt = tempfile::tempdir().unwrap();
        let gitdir = dir.path().join(".git/worktrees/w");
        std::fs::create_dir_all(&gitdir).unwrap();
        std::fs::write(gitdir.join("HEAD"), "0123456789abcdef\n").unwrap();
        std::fs::write(wt.path().join(".git"), format!("gitdir: {}\n", gitdir.display())).unwrap();
        assert_eq!(project(wt.path().to_str().unwrap()).unwrap().1, "detached at 0123456789");
    }

    #[test]
    fn gathering_here_names_a_parent_process() {
        // The test runner has a parent; on Linux its name is read from /proc.
        if cfg!(target_os = "linux") {
            let o = Origin::gather();
            assert!(o.process.is_some_and(|p| p.pid > 0 && !p.name.is_empty()));
        }
    }
}
