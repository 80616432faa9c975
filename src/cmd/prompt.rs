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
use crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};

use crate::ipc::Client;
use crate::paths::Paths;
use crate::protocol::{Pending, Request, Response, Role};
use crate::tui::state::{Effect, Key, State};

enum Msg {
    Queue(Vec<Pending>),
    Decided(u64, String),
    Lost(String),
}

fn subscribe(paths: &Paths, tx: mpsc::Sender<Msg>) -> anyhow::Result<()> {
    let mut c = Client::connect(&paths.socket(), Role::Prompt, Duration::from_secs(5))?;
    c.send(&Request::Subscribe)?;
    std::thread::spawn(move || loop {
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
    });
    Ok(())
}

/// Sends one decision on its own connection; the outcome arrives as a message.
fn decide(paths: &Paths, tx: mpsc::Sender<Msg>, id: u64, approve: bool, reason: Option<String>, pin: Option<String>) {
    let socket = paths.socket();
    std::thread::spawn(move || {
        let outcome = (|| -> anyhow::Result<String> {
            let mut c = Client::connect(&socket, Role::Cli, Duration::from_secs(5))?;
            let (ok, message) = c.decide(id, approve, reason, pin, Instant::now() + Duration::from_secs(120))?;
            Ok(if ok { message } else { format!("not approved: {message}") })
        })();
        let _ = tx.send(Msg::Decided(id, outcome.unwrap_or_else(|e| format!("failed: {e}"))));
    });
}

/// The branch checked out in the repository holding `cwd`.
pub fn git_branch(cwd: &str) -> Option<String> {
    let mut dir = Some(std::path::Path::new(cwd));
    while let Some(d) = dir {
        if let Ok(head) = std::fs::read_to_string(d.join(".git/HEAD")) {
            let head = head.trim();
            return Some(head.strip_prefix("ref: refs/heads/").map_or_else(|| format!("detached at {}", &head[..head.len().min(10)]), str::to_owned));
        }
        dir = d.parent();
    }
    None
}

fn key_of(e: &event::KeyEvent) -> Option<Key> {
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
        _ => return None,
    })
}

/// Restores the terminal: on normal exit, on error, and from the panic hook.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(std::io::stdout(), LeaveAlternateScreen, cursor::Show);
}

pub fn run_tui() -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let (tx, rx) = mpsc::channel();
    subscribe(&paths, tx.clone())?;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut state = State::new(color);

    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen, cursor::Hide)?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    let result = (|| -> anyhow::Result<()> {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))?;
        loop {
            while let Ok(msg) = rx.try_recv() {
                match msg {
                    Msg::Queue(p) => {
                        for q in &p {
                            let cwd = q.evaluation.resource.properties["cwd"].as_str().unwrap_or("").to_owned();
                            if !state.branches.contains_key(&cwd) {
                                if let Some(b) = git_branch(&cwd) {
                                    state.branches.insert(cwd, b);
                                }
                            }
                        }
                        state.set_queue(p);
                    }
                    Msg::Decided(id, m) => state.decided(id, format!("#{id}: {m}")),
                    Msg::Lost(e) => anyhow::bail!("lost the approval agent: {e}"),
                }
            }
            state.now_ms = super::approval::now_ms();
            terminal.draw(|f| crate::tui::view::render(f, &state))?;
            if event::poll(Duration::from_millis(250))? {
                if let Event::Key(k) = event::read()? {
                    if let Some(key) = key_of(&k) {
                        match state.key(key) {
                            Effect::Quit => return Ok(()),
                            Effect::Approve { id, pin } => decide(&paths, tx.clone(), id, true, None, pin),
                            Effect::Deny { id, reason } => decide(&paths, tx.clone(), id, false, reason, None),
                            Effect::None => {}
                        }
                    }
                }
            }
        }
    })();
    restore();
    result.map(|()| ExitCode::SUCCESS)
}

/// `--plain`: prints each request as it arrives; reads `y [ID]`, `n [ID] [reason]`, `q`.
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
    let mut seen = std::collections::HashSet::new();
    let mut queue: Vec<Pending> = Vec::new();
    println!("ana approve --plain: y [ID] approves, n [ID] [reason] denies, q quits");
    loop {
        while let Ok(msg) = rx.try_recv() {
            match msg {
                Msg::Queue(p) => {
                    for q in p.iter().filter(|q| seen.insert(q.id)) {
                        let c = &q.evaluation.context;
                        println!("\n#{} {} in {}", q.id, q.evaluation.subject.id.as_deref().unwrap_or("?"), q.evaluation.resource.properties["cwd"].as_str().unwrap_or("?"));
                        println!("   {}", c.summary);
                        println!("   rule {}: {}", c.rule.as_deref().unwrap_or("-"), c.reason);
                        println!("   key: {}{}", q.authenticator, if q.software { " — SOFTWARE, insecure" } else { "" });
                    }
                    queue = p;
                }
                Msg::Decided(id, m) => println!("#{id}: {m}"),
                Msg::Lost(e) => anyhow::bail!("lost the approval agent: {e}"),
            }
        }
        match line_rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let mut words = line.split_whitespace();
                let cmd = words.next().unwrap_or("");
                let rest: Vec<&str> = words.collect();
                let (id, reason_words) = match rest.first().and_then(|w| w.trim_start_matches('#').parse::<u64>().ok()) {
                    Some(id) => (Some(id), &rest[1..]),
                    None => (None, &rest[..]),
                };
                let id = id.or_else(|| queue.iter().find(|p| p.state == "waiting" || p.state == "detached").map(|p| p.id));
                match (cmd, id) {
                    ("q", _) => return Ok(ExitCode::SUCCESS),
                    ("y", Some(id)) => decide(&paths, tx.clone(), id, true, None, None),
                    ("n", Some(id)) => decide(&paths, tx.clone(), id, false, (!reason_words.is_empty()).then(|| reason_words.join(" ")), None),
                    ("y" | "n", None) => println!("nothing pending"),
                    _ => println!("y [ID] approves, n [ID] [reason] denies, q quits"),
                }
                std::io::stdout().flush()?;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(ExitCode::SUCCESS),
        }
    }
}
