//! `ana approve`: the terminal prompt (ratatui), or `--plain`, a line-mode prompt.
//!
//! One connection subscribes to the queue (every prompt sees every change, so a decision made in
//! one shows in all); each decision goes over its own connection, so the screen never blocks on
//! the key.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};

use crate::ipc::Client;
use crate::paths::Paths;
use crate::protocol::{Choice, Pending, Request, Response, Role};
use crate::tui::state::{Effect, Key, Palette, State};

enum Msg {
    Queue(Vec<Pending>),
    Decided(u64, String),
    Lost(String),
}

fn subscribe(paths: &Paths, tx: mpsc::Sender<Msg>) -> anyhow::Result<()> {
    let mut c = Client::connect(&paths.socket(), Role::Prompt, Duration::from_secs(5))?;
    c.send(&Request::Subscribe)?;
    std::thread::spawn(move || {
        loop {
            match c.recv(Instant::now() + Duration::from_secs(11 * 3600)) {
                Ok(Response::Queue { pending }) => {
                    if tx.send(Msg::Queue(pending)).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let _ = tx.send(Msg::Lost(e.to_string()));
                    return;
                }
            }
        }
    });
    Ok(())
}

/// Sends one decision on its own connection; the outcome arrives as a message. `shown` is the
/// challenge of the request the user saw: the agent refuses the decision for any other.
fn decide(paths: &Paths, tx: mpsc::Sender<Msg>, id: u64, choice: Choice, reason: Option<String>, pin: Option<String>, shown: Option<String>) {
    let socket = paths.socket();
    std::thread::spawn(move || {
        let outcome = (|| -> anyhow::Result<String> {
            let mut c = Client::connect(&socket, Role::Cli, Duration::from_secs(5))?;
            let (ok, message) = c.decide_shown(id, choice, reason, pin, shown, Instant::now() + Duration::from_secs(120))?;
            Ok(if ok { message } else { format!("not approved: {message}") })
        })();
        let _ = tx.send(Msg::Decided(id, outcome.unwrap_or_else(|e| format!("failed: {e}"))));
    });
}

/// The branch checked out in the repository holding `cwd`.
pub fn git_branch(cwd: &str) -> Option<String> {
    crate::origin::project(cwd).map(|(_, branch)| branch)
}

type ByCwd = std::collections::HashMap<String, String>;

/// The branch and the repository root of every pending request's cwd, read now.
fn projects(pending: &[Pending]) -> (ByCwd, ByCwd) {
    let (mut branches, mut roots) = (ByCwd::new(), ByCwd::new());
    for c in pending.iter().filter_map(crate::tui::view::cwd) {
        if let Some((root, branch)) = crate::origin::project(&c) {
            branches.insert(c.clone(), branch);
            roots.insert(c, root);
        }
    }
    (branches, roots)
}

/// The branch of every pending request's cwd, read now.
fn branches(pending: &[Pending]) -> ByCwd {
    projects(pending).0
}

/// Whether the branch of request `id`'s cwd changed since the screen showed it: the message.
fn branch_moved(state: &State, id: u64) -> Option<String> {
    let cwd = crate::tui::view::cwd(state.pending.iter().find(|p| p.id == id)?)?;
    let (was, now) = (state.branches.get(&cwd).cloned(), git_branch(&cwd));
    (was != now).then(|| {
        let name = |b: Option<String>| b.map_or_else(|| "none".to_owned(), |b| crate::render::escape(&b));
        format!("#{id}: the branch changed from {} to {} since it was shown; look again, then decide", name(was), name(now))
    })
}

pub(crate) fn key_of(e: &event::KeyEvent) -> Option<Key> {
    if e.kind != KeyEventKind::Press {
        return None;
    }
    Some(match e.code {
        KeyCode::Char('c') if e.modifiers.contains(KeyModifiers::CONTROL) => Key::CtrlC,
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        _ => return None,
    })
}

/// Restores the terminal: on normal exit, on error, and from the panic hook.
pub(crate) fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(std::io::stdout(), LeaveAlternateScreen, cursor::Show);
}

pub fn run_tui() -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let (tx, rx) = mpsc::channel();
    subscribe(&paths, tx.clone())?;
    let palette = if std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) { Palette::Colour } else { Palette::Monochrome };
    let mut state = State::new(palette);

    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen, cursor::Hide)?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    let result = (|| -> anyhow::Result<()> {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))?;
        let mut repainted = std::time::Instant::now();
        loop {
            // ratatui redraws only the cells it changed; anything else that wrote to this
            // terminal would stay on screen. Repaint it all now and then, and before a decision.
            if repainted.elapsed() >= REPAINT {
                terminal.clear()?;
                repainted = std::time::Instant::now();
            }
            while let Ok(msg) = rx.try_recv() {
                match msg {
                    Msg::Queue(p) => state.set_queue(p),
                    Msg::Decided(id, m) => state.decided(id, format!("#{id}: {m}")),
                    Msg::Lost(e) => anyhow::bail!("lost the approver: {e}"),
                }
            }
            state.now_ms = super::approval::now_ms();
            // The branch is context, not signed: read again on every tick.
            (state.branches, state.projects) = projects(&state.pending);
            terminal.draw(|f| crate::tui::view::render(f, &state))?;
            if event::poll(Duration::from_millis(250))?
                && let Event::Key(k) = event::read()?
                && let Some(key) = key_of(&k)
            {
                match state.key(key) {
                    Effect::Quit => return Ok(()),
                    Effect::Approve { id, pin } => match branch_moved(&state, id) {
                        // Repaint the whole screen as the ceremony starts: the user looks
                        // at the true request while the key waits for the touch.
                        _ if terminal.clear().and_then(|()| terminal.draw(|f| crate::tui::view::render(f, &state)).map(|_| ())).is_err() => {
                            state.decided(id, "the terminal could not be redrawn; nothing was approved".into());
                        }
                        // The branch shown is not the branch now: show it, ask again.
                        Some(moved) => {
                            state.branches = branches(&state.pending);
                            state.decided(id, moved);
                        }
                        None => decide(&paths, tx.clone(), id, Choice::Approve, None, pin, state.shown(id)),
                    },
                    Effect::Deny { id, reason } => decide(&paths, tx.clone(), id, Choice::Deny, reason, None, state.shown(id)),
                    Effect::None => {}
                }
            }
        }
    })();
    restore();
    result.map(|()| ExitCode::SUCCESS)
}

/// How often the prompt repaints the whole screen.
const REPAINT: Duration = Duration::from_secs(3);

/// How many lines of a request `--plain` prints before it asks to go on.
pub const PAGE: usize = 40;

/// The plain rendering of `p`: every field of the signed intent, then the context and the key,
/// then how to decide. Shared by `--plain` and `--yes`.
pub fn plain_lines(p: &Pending, branch: Option<&str>, now_ms: u64) -> Vec<String> {
    let mut state = State::new(Palette::Monochrome);
    state.now_ms = now_ms;
    if let (Some(b), Some(cwd)) = (branch, crate::tui::view::cwd(p)) {
        if let Some((root, _)) = crate::origin::project(&cwd) {
            state.projects.insert(cwd.clone(), root);
        }
        state.branches.insert(cwd, b.to_owned());
    }
    let mut lines: Vec<String> = crate::tui::view::request_lines(&state, p).iter().map(crate::render::Line::text).collect();
    lines.push(crate::render::context(&crate::tui::view::context(&state, p)).text());
    if let Some(o) = crate::tui::view::origin(p) {
        lines.push(o.text());
    }
    lines.push(format!("{:<w$}{}{}", "key", crate::render::escape(&p.authenticator), if p.software { " — SOFTWARE, insecure" } else { "" }, w = crate::render::LABEL));
    lines
}

/// What `--plain` is showing: one request at a time, paged.
#[derive(Default)]
struct Shown {
    id: Option<u64>,
    lines: Vec<String>,
    next: usize,
    /// Requests whose first page was printed: `y ID`/`n ID` may name them.
    seen: std::collections::HashSet<u64>,
    /// Requests announced as waiting behind the one shown.
    announced: std::collections::HashSet<u64>,
    /// The branch shown for each request (context): checked again before a decision.
    branches: std::collections::HashMap<u64, Option<String>>,
}

impl Shown {
    fn show(&mut self, p: &Pending, out: &mut impl Write) -> std::io::Result<()> {
        let cwd = crate::tui::view::cwd(p);
        let branch = cwd.as_deref().and_then(git_branch);
        self.id = Some(p.id);
        self.lines = plain_lines(p, branch.as_deref(), super::approval::now_ms());
        self.branches.insert(p.id, branch);
        self.next = 0;
        self.seen.insert(p.id);
        writeln!(out, "\n── request #{} ── {} lines ──", p.id, self.lines.len())?;
        self.page(out, PAGE)
    }

    fn page(&mut self, out: &mut impl Write, n: usize) -> std::io::Result<()> {
        let Some(id) = self.id else { return writeln!(out, "nothing is shown") };
        let end = self.next.saturating_add(n).min(self.lines.len());
        for l in &self.lines[self.next..end] {
            writeln!(out, "   {l}")?;
        }
        self.next = end;
        let rest = self.lines.len() - end;
        if rest > 0 {
            writeln!(out, "▼ {rest} more lines of #{id}: Enter shows {} more, `all` the rest; read them before you approve", PAGE.min(rest))?;
        } else {
            writeln!(out, "── end of #{id}: `y` approves it, `n [reason]` denies it ──")?;
        }
        out.flush()
    }
}

/// `--plain`: shows one request at a time, whole (paged); reads `y`, `n [reason]` (both act on the
/// request shown, or on `ID` if it was shown), Enter/`more`, `all`, `show ID`, `q`.
pub fn run_plain() -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let (tx, rx) = mpsc::channel();
    subscribe(&paths, tx.clone())?;
    let lines_tx = tx.clone();
    let (line_tx, line_rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if line_tx.send(line).is_err() {
                break;
            }
        }
        drop(lines_tx);
    });
    let mut out = std::io::stdout();
    let mut shown = Shown::default();
    let mut queue: Vec<Pending> = Vec::new();
    writeln!(out, "ana approve --plain: y approves the request shown, n [reason] denies it, Enter shows more, `show ID` another, q quits")?;
    loop {
        while let Ok(msg) = rx.try_recv() {
            match msg {
                Msg::Queue(p) => {
                    queue = p;
                    if let Some(id) = shown.id.filter(|id| !queue.iter().any(|q| q.id == *id)) {
                        writeln!(out, "#{id} is no longer pending")?;
                        shown.id = None;
                    }
                    // Nothing on screen: show the first request not seen yet, else the first pending.
                    if shown.id.is_none()
                        && let Some(next) = queue.iter().find(|q| !shown.seen.contains(&q.id)).or(queue.first())
                    {
                        shown.show(next, &mut out)?;
                    }
                    for q in &queue {
                        if Some(q.id) != shown.id && !shown.seen.contains(&q.id) && shown.announced.insert(q.id) {
                            writeln!(out, "(#{} is pending too: `show {}` shows it)", q.id, q.id)?;
                        }
                    }
                }
                Msg::Decided(id, m) => writeln!(out, "#{id}: {}", crate::render::escape(&m))?,
                Msg::Lost(e) => anyhow::bail!("lost the approver: {e}"),
            }
        }
        match line_rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let mut words = line.split_whitespace();
                let cmd = words.next().unwrap_or("");
                let rest: Vec<&str> = words.collect();
                let named = rest.first().and_then(|w| w.trim_start_matches('#').parse::<u64>().ok());
                let reason_words = if named.is_some() { &rest[1..] } else { &rest[..] };
                match cmd {
                    "q" => return Ok(ExitCode::SUCCESS),
                    "" | "more" => shown.page(&mut out, PAGE)?,
                    "all" => shown.page(&mut out, usize::MAX)?,
                    "show" => match named.and_then(|id| queue.iter().find(|q| q.id == id)) {
                        Some(p) => shown.show(p, &mut out)?,
                        None => writeln!(out, "no pending request {}", rest.first().copied().unwrap_or("(give an ID)"))?,
                    },
                    "y" | "n" => {
                        // A decision applies to the request shown, or to one the user was shown.
                        let target = match named {
                            Some(id) if shown.seen.contains(&id) => Some(id),
                            Some(id) => {
                                writeln!(out, "#{id} was not shown here: `show {id}` first")?;
                                None
                            }
                            None if shown.id.is_none() => {
                                writeln!(out, "nothing is shown")?;
                                None
                            }
                            None => shown.id,
                        };
                        // The branch is context: if it moved since it was shown, show it again.
                        let moved = target.and_then(|id| {
                            let cwd = queue.iter().find(|q| q.id == id).and_then(crate::tui::view::cwd)?;
                            let now = git_branch(&cwd);
                            (shown.branches.get(&id).is_some_and(|was| *was != now)).then_some((id, now))
                        });
                        if let Some((id, now)) = moved {
                            shown.branches.insert(id, now.clone());
                            writeln!(out, "#{id}: the branch changed since it was shown; it is now {}. Look again, then decide", now.map_or_else(|| "none".to_owned(), |b| crate::render::escape(&b)))?;
                        } else if let Some(id) = target {
                            let hash = queue.iter().find(|q| q.id == id).and_then(|q| crate::intent::challenge(&q.evaluation.context.intent).ok()).map(|c| crate::intent::hex(&c));
                            let readable = queue.iter().find(|q| q.id == id).is_some_and(|q| crate::intent::Intent::from_value(&q.evaluation.context.intent).is_ok());
                            match hash {
                                None => writeln!(out, "#{id} is no longer pending")?,
                                Some(_) if cmd == "y" && !readable => writeln!(out, "#{id} cannot be shown as what it asks, so it cannot be approved: `n` denies it")?,
                                Some(h) if cmd == "y" => decide(&paths, tx.clone(), id, Choice::Approve, None, None, Some(h)),
                                Some(h) => decide(&paths, tx.clone(), id, Choice::Deny, (!reason_words.is_empty()).then(|| reason_words.join(" ")), None, Some(h)),
                            }
                        }
                    }
                    _ => writeln!(out, "y approves the request shown, n [reason] denies it, Enter shows more, `all` the rest, `show ID` another, q quits")?,
                }
                out.flush()?;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(ExitCode::SUCCESS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_pages_a_long_write_whole() {
        let content: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let action = crate::action::Action {
            agent: crate::action::Agent::ClaudeCode,
            session: "s".into(),
            cwd: "/p".into(),
            tool: "Write".into(),
            kind: crate::action::Kind::Write,
            object: crate::action::Object::Files { paths: vec!["/home/dev/.bashrc".into()], spelled: Vec::new(), content: None, old: None, pattern: None },
        };
        let verdict = crate::policy::Verdict {
            decision: crate::policy::Decision::Approve,
            level: crate::policy::Level::Presence,
            rule: Some("persist.shell-rc".into()),
            reason: "r".into(),
            subject: String::new(),
        };
        let intent = crate::intent::Intent::for_action(&action, serde_json::json!({"file_path": "/home/dev/.bashrc", "content": content}), &verdict, "n", 1, 2).unwrap();
        let p =
            Pending { id: 4, evaluation: super::super::approval::evaluation(&intent, 2), received_ms: 1, state: crate::protocol::PendingState::Waiting, authenticator: "k".into(), software: false };
        let mut shown = Shown::default();
        let mut out = Vec::new();
        shown.show(&p, &mut out).unwrap();
        let first = String::from_utf8(std::mem::take(&mut out)).unwrap();
        assert!(first.contains(" 31 │ line 31") && !first.contains("line 32\n"), "{first}");
        assert!(first.contains("more lines of #4: Enter shows 40 more"), "{first}");
        shown.page(&mut out, usize::MAX).unwrap();
        let rest = String::from_utf8(out).unwrap();
        assert!(rest.contains("100 │ line 100") && rest.contains("end of #4"), "{rest}");
    }

    #[test]
    fn the_branch_is_read_again_when_the_user_decides() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = dir.path().display().to_string();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/feature\n").unwrap();
        let action = crate::action::Action {
            agent: crate::action::Agent::Codex,
            session: "s".into(),
            cwd: cwd.clone(),
            tool: "Bash".into(),
            kind: crate::action::Kind::Exec,
            object: crate::action::Object::Command { command: "git push --force".into() },
        };
        let verdict = crate::policy::Verdict {
            decision: crate::policy::Decision::Approve,
            level: crate::policy::Level::Presence,
            rule: Some("git.force-push".into()),
            reason: "r".into(),
            subject: String::new(),
        };
        let intent = crate::intent::Intent::for_action(&action, serde_json::json!({"command": "git push --force"}), &verdict, "n", 1, 2).unwrap();
        let p =
            Pending { id: 7, evaluation: super::super::approval::evaluation(&intent, 2), received_ms: 1, state: crate::protocol::PendingState::Waiting, authenticator: "k".into(), software: false };
        let mut state = State::new(Palette::Monochrome);
        state.set_queue(vec![p]);
        state.branches = branches(&state.pending);
        assert_eq!(state.branches.get(&cwd).map(String::as_str), Some("feature"));
        assert_eq!(branch_moved(&state, 7), None);
        // The agent checks out main after the prompt drew "feature".
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        let moved = branch_moved(&state, 7).expect("the move is seen");
        assert!(moved.contains("from feature to main"), "{moved}");
    }
}
