//! Desktop notifications for pending requests, so a user without a prompt open is told.
//!
//! One notice per pending request: shown when it arrives, kept on screen while it waits (no
//! expiry: the request may wait minutes), replaced when its state changes (the hook stopped
//! waiting), closed when it is decided, cancelled or expires. Each names the request (escaped,
//! one line per field, cut with a marker: the prompt shows it whole), the agent's own description
//! as its words, and a software key as such.
//!
//! Where the notification server supports actions, a notice offers "Open prompt", which starts
//! `ana approve` in a terminal (or, with no terminal to start, says how). That is all an action
//! can do: the notifier holds no way to decide a request — it only reads the queue — so nothing
//! is ever approved without the prompt and the key.
//!
//! On when a desktop session is there (a D-Bus session bus, or macOS) unless `--no-notify`;
//! headless machines have none. Failures are logged, never fatal. The text and the lifetime
//! ([`Tracker`]) are pure and tested apart; the D-Bus part is tested against a fake server.

use std::collections::BTreeMap;
use std::sync::Arc;

use ana::protocol::Pending;

/// Whether this session can show notifications.
pub fn available() -> bool {
    cfg!(target_os = "macos") || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

/// The action a notice offers where the server supports actions.
pub const OPEN_ACTION: &str = "open";
/// Its label.
pub const OPEN_LABEL: &str = "Open prompt";

/// What a request's notice says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The request's id in the queue.
    pub id: u64,
    pub title: String,
    pub body: String,
    /// Whether to offer "Open prompt".
    pub open_action: bool,
}

/// The state of a request that its notice reflects: a change replaces the notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Waiting,
    /// The key is blinking for it.
    Touch,
    /// The hook stopped waiting: an approval now makes a one-time grant.
    Detached,
}

fn phase(p: &Pending) -> Phase {
    match p.state.as_str() {
        "touch" | "pin" | "verifying" => Phase::Touch,
        "detached" => Phase::Detached,
        _ => Phase::Waiting,
    }
}

/// The notice's title and body for `p`, from the intent the key will sign (escaped, and cut with
/// a marker: the prompt shows it whole). `actions`: whether the server shows an "Open prompt"
/// button (else the body says how to open the prompt).
pub fn text(p: &Pending, actions: bool) -> (String, String) {
    let key = if p.software { " (SOFTWARE key)" } else { "" };
    let how = if actions { "Open the prompt to read all of it and decide" } else { "Run `ana approve` in a terminal to read all of it and decide" };
    let Ok(i) = ana::intent::Intent::from_value(&p.evaluation.context.intent) else {
        return (format!("ana: a request needs your attention{key}"), markup_safe(&format!("It cannot be shown here or approved. {how}.")));
    };
    let title = format!("ana: {} asks for your approval{key}", ana::render::requester(&i));
    let mut body = vec![ana::render::one_line(&ana::render::summary(&i), 120)];
    if let Some(t) = i.tool_call() {
        if let Some(d) = ana::render::description(t) {
            body.push(format!("the agent says: \"{}\"", ana::render::one_line(d, 100)));
        }
        body.push(format!("in {}", ana::render::one_line(&t.cwd, 80)));
    }
    body.push(format!("rule {}", ana::render::one_line(i.rule().unwrap_or("-"), 60)));
    if let Some(o) = p.evaluation.context.origin.as_ref().filter(|o| !o.is_empty()) {
        body.push(format!("from {} (as its hook reports)", ana::render::one_line(&o.describe(), 80)));
    }
    body.push(match phase(p) {
        Phase::Touch if !p.software => "Your key is waiting for a touch.".to_owned(),
        Phase::Detached => "The agent's hook stopped waiting: approving now lets its retry through once.".to_owned(),
        _ if p.software => format!("{how}; approving signs with the SOFTWARE key (insecure: tests and demos only), no touch."),
        _ => format!("{how}; approve there, then touch your key."),
    });
    (title, markup_safe(&body.join("\n")))
}

/// Notification servers on Linux may read the body as markup: `<`, `>` and `&` are written as
/// entities, so a command cannot hide part of itself in a tag.
fn markup_safe(body: &str) -> String {
    if cfg!(target_os = "linux") { body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;") } else { body.to_owned() }
}

/// What the notifier must do after the queue changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new request: show its notice.
    Show(Notice),
    /// A request whose state changed: replace its notice.
    Replace(Notice),
    /// A request no longer pending (decided, cancelled, expired): close its notice.
    Close(u64),
}

/// Which requests have a notice, and in which phase: the lifetime logic, pure.
#[derive(Debug, Default)]
pub struct Tracker {
    shown: BTreeMap<u64, Phase>,
}

impl Tracker {
    /// The changes that bring the notices in line with `pending` (the whole queue).
    pub fn update(&mut self, pending: &[Pending], actions: bool) -> Vec<Change> {
        let mut changes = Vec::new();
        let gone: Vec<u64> = self.shown.keys().copied().filter(|id| !pending.iter().any(|p| p.id == *id)).collect();
        for id in gone {
            self.shown.remove(&id);
            changes.push(Change::Close(id));
        }
        for p in pending {
            let now = phase(p);
            let notice = || {
                let (title, body) = text(p, actions);
                Notice { id: p.id, title, body, open_action: actions }
            };
            match self.shown.insert(p.id, now) {
                None => changes.push(Change::Show(notice())),
                Some(was) if was != now => changes.push(Change::Replace(notice())),
                Some(_) => {}
            }
        }
        changes
    }
}

/// What "Open prompt" did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    /// A terminal was started with `ana approve` (the command line).
    Terminal(String),
    /// No terminal could be started: the user is told to run `ana approve`.
    Told(String),
}

/// Starts `ana approve` in a terminal: `xdg-terminal-exec`, then the Debian alternative
/// `x-terminal-emulator`, then `$TERMINAL`, GNOME Terminal, Konsole and xterm. Never decides.
pub fn open_prompt() -> Opened {
    // `ana` beside this binary (both are installed together), else on PATH.
    let ana = std::env::current_exe().ok().and_then(|e| e.parent().map(|d| d.join("ana"))).filter(|p| p.is_file()).map_or_else(|| "ana".to_owned(), |p| p.display().to_string());
    let terminal = std::env::var("TERMINAL").ok().filter(|t| !t.is_empty() && !t.contains(char::is_whitespace));
    let mut candidates: Vec<(String, Vec<&str>)> = vec![("xdg-terminal-exec".into(), vec![]), ("x-terminal-emulator".into(), vec!["-e"])];
    if let Some(t) = terminal {
        candidates.push((t, vec!["-e"]));
    }
    candidates.extend([("gnome-terminal".to_owned(), vec!["--"]), ("konsole".into(), vec!["-e"]), ("xterm".into(), vec!["-e"])]);
    for (program, args) in candidates {
        let started = std::process::Command::new(&program)
            .args(&args)
            .arg(&ana)
            .arg("approve")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if let Ok(mut child) = started {
            // Reaped on its own thread: the terminal may stay open for hours.
            std::thread::spawn(move || child.wait());
            return Opened::Terminal(format!("{program} {} {ana} approve", args.join(" ")).replace("  ", " "));
        }
    }
    Opened::Told("no terminal could be started: run `ana approve` in a terminal".into())
}

/// Shows a notice for every pending request in `queue` (the whole queue, each time it changes)
/// until the sender goes away or `stop` fires (then it closes every notice); `open` runs when the user picks "Open prompt" (or clicks the
/// notice). It gets nothing that could decide a request.
#[cfg(all(feature = "notify", unix, not(target_os = "macos")))]
pub async fn run(mut queue: tokio::sync::watch::Receiver<Arc<Vec<Pending>>>, open: Arc<dyn Fn() -> Opened + Send + Sync>, mut stop: tokio::sync::oneshot::Receiver<()>) {
    use notify_rust::{Hint, Notification, NotificationHandle, Timeout};
    use tokio::sync::oneshot;

    // Whether the server shows actions: asked when the first notice is due, and again while it
    // could not be asked (a notification server that starts after the approval agent).
    let mut actions: Option<bool> = None;
    let mut tracker = Tracker::default();
    // Each live notice: its handle, and the sender that stops its watcher.
    let mut live: BTreeMap<u64, (Arc<NotificationHandle>, oneshot::Sender<()>)> = BTreeMap::new();
    let notification = |n: &Notice, replaces: Option<u32>| {
        let mut b = Notification::new();
        b.appname("ana").summary(&n.title).body(&n.body).timeout(Timeout::Never).hint(Hint::Resident(true)).hint(Hint::Category("x-ana.approval".into()));
        if n.open_action {
            b.action("default", OPEN_LABEL).action(OPEN_ACTION, OPEN_LABEL);
        }
        if let Some(id) = replaces {
            b.id(id);
        }
        b.finalize()
    };
    loop {
        let pending = queue.borrow_and_update().clone();
        if actions.is_none() && !pending.is_empty() {
            match tokio::task::spawn_blocking(notify_rust::get_capabilities).await {
                Ok(Ok(caps)) => actions = Some(caps.iter().any(|c| c == "actions")),
                Ok(Err(e)) => tracing::info!("the notification server cannot be asked what it shows: {e}"),
                Err(_) => {}
            }
        }
        for change in tracker.update(&pending, actions.unwrap_or(false)) {
            let (notice, replaces) = match change {
                Change::Close(id) => {
                    if let Some((handle, stop_watching)) = live.remove(&id) {
                        let _ = stop_watching.send(());
                        handle.close_async().await;
                    }
                    continue;
                }
                Change::Show(n) => (n, None),
                Change::Replace(n) => {
                    // The same notice is updated in place; its old watcher stops.
                    let id = live.remove(&n.id).map(|(handle, stop_watching)| {
                        let _ = stop_watching.send(());
                        handle.id()
                    });
                    (n, id)
                }
            };
            let handle: NotificationHandle = match notification(&notice, replaces).show_async().await {
                Ok(h) => h,
                Err(e) => {
                    tracing::debug!("no desktop notification: {e}");
                    continue;
                }
            };
            let handle = Arc::new(handle);
            let (stop_tx, stop_rx) = oneshot::channel::<()>();
            live.insert(notice.id, (handle.clone(), stop_tx));
            let open = open.clone();
            tokio::spawn(async move {
                let mut picked = None;
                tokio::select! {
                    () = handle.wait_for_action_async(|r| picked = Some(r.clone())) => {}
                    _ = stop_rx => return,
                }
                if let Some(notify_rust::NotificationResponse::Default | notify_rust::NotificationResponse::Action(_)) = picked {
                    match tokio::task::spawn_blocking(move || open()).await {
                        Ok(Opened::Terminal(cmd)) => tracing::info!(command = %cmd, "opened the prompt from a notification"),
                        Ok(Opened::Told(why)) => {
                            tracing::info!("{why}");
                            let _ = Notification::new().appname("ana").summary("ana: open the prompt yourself").body(&why).show_async().await;
                        }
                        Err(_) => {}
                    }
                }
            });
        }
        tokio::select! {
            changed = queue.changed() => if changed.is_err() { break },
            _ = &mut stop => break,
        }
    }
    // The approval agent stops: no request is pending any more.
    for (_, (handle, stop_watching)) in live {
        let _ = stop_watching.send(());
        handle.close_async().await;
    }
}

/// macOS and builds without notifications: a notice per new request, no actions, no lifetime.
#[cfg(not(all(feature = "notify", unix, not(target_os = "macos"))))]
pub async fn run(mut queue: tokio::sync::watch::Receiver<Arc<Vec<Pending>>>, open: Arc<dyn Fn() -> Opened + Send + Sync>, mut stop: tokio::sync::oneshot::Receiver<()>) {
    let _ = open;
    let mut tracker = Tracker::default();
    loop {
        let pending = queue.borrow_and_update().clone();
        for change in tracker.update(&pending, false) {
            if let Change::Show(n) = change {
                #[cfg(feature = "notify")]
                if let Err(e) = notify_rust::Notification::new().summary(&n.title).body(&n.body).appname("ana").show() {
                    tracing::debug!("no desktop notification: {e}");
                }
                #[cfg(not(feature = "notify"))]
                let _ = n;
            }
        }
        tokio::select! {
            changed = queue.changed() => if changed.is_err() { break },
            _ = &mut stop => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending_with(id: u64, intent: serde_json::Value, summary: &str, state: &str, software: bool) -> Pending {
        serde_json::from_value(serde_json::json!({
            "id": id, "received_ms": 0, "state": state, "authenticator": "k", "software": software,
            "evaluation": {"subject": {"id": "gemini-cli", "properties": {}}, "action": {"properties": {}}, "resource": {"properties": {}},
              "context": {"intent": intent, "rule": "git.force-push", "reason": "r", "level": "presence", "summary": summary, "deadline_ms": 0}}
        }))
        .unwrap()
    }

    fn pending(intent: serde_json::Value, summary: &str) -> Pending {
        pending_with(1, intent, summary, "waiting", false)
    }

    fn intent_with(command: &str, input: serde_json::Value) -> serde_json::Value {
        serde_json::json!({"type": "agent_tool_call", "version": 2, "actions": ["exec"], "locations": ["file:///p"], "agent": "codex", "session": "s", "cwd": "/p",
            "tool": "Bash", "command": command, "input": input, "rule": "git.force-push", "reason": "r", "decision": "approve",
            "level": "presence", "nonce": "n", "created_at": 1, "expires_at": 2})
    }

    fn intent(command: &str) -> serde_json::Value {
        intent_with(command, serde_json::json!({"command": command}))
    }

    #[test]
    fn the_text_names_the_agent_the_command_and_the_rule_from_the_intent() {
        // The client-supplied summary and agent are never shown.
        let (title, body) = text(&pending(intent("git push -f"), "npm test"), true);
        assert_eq!(title, "ana: codex asks for your approval");
        assert!(body.contains("git push -f") && body.contains("git.force-push") && body.contains("in /p"), "{body}");
        assert!(body.contains("Open the prompt to read all of it and decide; approve there, then touch your key."), "{body}");
        assert!(!body.contains("npm test"));
        // Without actions, the notice says how to open the prompt.
        let (_, body) = text(&pending(intent("git push -f"), ""), false);
        assert!(body.contains("Run `ana approve` in a terminal"), "{body}");
    }

    #[test]
    fn the_agents_description_is_quoted_as_its_words_one_line_escaped() {
        let i = intent_with("rm -rf build", serde_json::json!({"command": "rm -rf build", "description": "Clean\nSAFE\u{1b}[1m"}));
        let (_, body) = text(&pending(i, ""), true);
        assert!(body.contains("the agent says: \"Clean⏎SAFE⟨ESC⟩[1m\""), "{body}");
    }

    #[test]
    fn a_software_key_is_named_as_such() {
        let (title, body) = text(&pending_with(1, intent("git push -f"), "", "waiting", true), true);
        assert_eq!(title, "ana: codex asks for your approval (SOFTWARE key)");
        assert!(body.contains("SOFTWARE key (insecure: tests and demos only), no touch") && !body.contains("touch your key"), "{body}");
    }

    #[test]
    fn escapes_and_long_commands_are_shown_as_such() {
        let long = format!("echo hi{}\u{1b}[2J && git push -f", " ".repeat(500));
        let (_, body) = text(&pending(intent(&long), ""), true);
        let and = if cfg!(target_os = "linux") { "&amp;&amp;" } else { "&&" };
        assert!(body.contains(&format!("⟨500 spaces⟩⟨ESC⟩[2J {and} git push -f")) && !body.contains('\u{1b}'), "{body}");
        if cfg!(target_os = "linux") {
            let (_, body) = text(&pending(intent("echo <b>hi</b> && rm -rf ~"), ""), true);
            assert!(body.contains("echo &lt;b&gt;hi&lt;/b&gt; &amp;&amp; rm -rf ~"), "{body}");
        }
        let (_, body) = text(&pending(intent(&"x".repeat(400)), ""), true);
        assert!(body.contains("… (+293 more)"), "{body}");
        // Every field is one line: the body has no more lines than fields.
        assert!(body.lines().count() <= 6, "{body}");
    }

    #[test]
    fn a_notice_lives_exactly_as_long_as_its_request() {
        let mut t = Tracker::default();
        let a = pending_with(1, intent("git push -f"), "", "waiting", false);
        let b = pending_with(2, intent("terraform destroy"), "", "waiting", false);
        let shown = |c: &[Change]| {
            c.iter()
                .map(|c| match c {
                    Change::Show(n) => format!("show {}", n.id),
                    Change::Replace(n) => format!("replace {}", n.id),
                    Change::Close(id) => format!("close {id}"),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(&t.update(std::slice::from_ref(&a), true)), ["show 1"]);
        // The same queue again (a tick, another subscriber): nothing to do; no expiry by time.
        assert!(t.update(std::slice::from_ref(&a), true).is_empty());
        assert_eq!(shown(&t.update(&[a.clone(), b.clone()], true)), ["show 2"]);
        // The hook stops waiting: the notice is replaced, saying what an approval now does.
        let detached = pending_with(1, intent("git push -f"), "", "detached", false);
        let changes = t.update(&[detached.clone(), b.clone()], true);
        assert_eq!(shown(&changes), ["replace 1"]);
        assert!(matches!(&changes[0], Change::Replace(n) if n.body.contains("hook stopped waiting")));
        // Decided, cancelled or expired: closed.
        assert_eq!(shown(&t.update(std::slice::from_ref(&b), true)), ["close 1"]);
        assert_eq!(shown(&t.update(&[], true)), ["close 2"]);
        assert!(t.update(&[], true).is_empty());
    }

    #[test]
    fn no_session_bus_no_notifications() {
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && !cfg!(target_os = "macos") {
            assert!(!available());
        }
    }
}
