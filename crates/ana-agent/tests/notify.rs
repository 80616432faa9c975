//! The desktop notifier against a fake notification server on a private D-Bus session bus: a
//! notice per pending request that stays (no expiry), names the request, offers "Open prompt"
//! where the server has actions (and says how to open the prompt where it has none), is closed
//! when the request leaves the queue, and whose action opens the prompt without deciding.
//!
//! Needs `dbus-daemon`; without it the test says so and fails rather than pass unrun, unless
//! `ANA_TEST_NO_DBUS=1` says the machine has none on purpose.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;
use std::time::Duration;

use ana::action::{Action, Agent, Kind, Object};
use ana::intent::Intent;
use ana::policy::{Decision, Level, Verdict};
use ana::protocol::Pending;
use ana_agent::notify::{self, Opened};
use tokio::sync::{mpsc, oneshot, watch};

#[derive(Debug)]
enum Event {
    Notify { id: u32, replaces: u32, app: String, summary: String, body: String, actions: Vec<String>, expire: i32, resident: bool },
    Close(u32),
}

struct Fake {
    events: mpsc::UnboundedSender<Event>,
    caps: Vec<String>,
    next: std::sync::atomic::AtomicU32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Fake {
    fn get_capabilities(&self) -> Vec<String> {
        self.caps.clone()
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(&self, app: String, replaces: u32, _icon: String, summary: String, body: String, actions: Vec<String>, hints: HashMap<String, zbus::OwnedVariant>, expire: i32) -> u32 {
        let id = if replaces != 0 { replaces } else { self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) };
        let resident = hints.get("resident").and_then(|v| bool::try_from(v).ok()).unwrap_or(false);
        let _ = self.events.send(Event::Notify { id, replaces, app, summary, body, actions, expire, resident });
        id
    }

    fn close_notification(&self, id: u32) {
        let _ = self.events.send(Event::Close(id));
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("fake".into(), "ana tests".into(), "1".into(), "1.2".into())
    }
}

/// A private session bus; killed when dropped.
struct Bus(std::process::Child);

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_bus(dir: &std::path::Path) -> Option<(Bus, String)> {
    let config = dir.join("bus.conf");
    std::fs::write(
        &config,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path={}/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>"#,
            dir.display()
        ),
    )
    .unwrap();
    let mut child =
        std::process::Command::new("dbus-daemon").arg(format!("--config-file={}", config.display())).args(["--nofork", "--print-address=1"]).stdout(std::process::Stdio::piped()).spawn().ok()?;
    // Ready when it prints its address.
    let mut address = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut address).unwrap();
    Some((Bus(child), address.trim().to_owned()))
}

fn pending(id: u64, command: &str, description: &str, state: &str, software: bool) -> Pending {
    let action = Action { agent: Agent::ClaudeCode, session: "s1".into(), cwd: "/home/dev/project".into(), tool: "Bash".into(), kind: Kind::Exec, object: Object::Command { command: command.into() } };
    let verdict = Verdict { decision: Decision::Approve, level: Level::Presence, rule: Some("git.force-push".into()), reason: "force push".into(), subject: String::new() };
    let now = ana::cmd::approval::now_ms();
    let intent = Intent::for_action(&action, serde_json::json!({"command": command, "description": description}), &verdict, "bm9uY2Utbm9uY2Utbm9uY2U", now, now + 400_000).unwrap();
    let mut evaluation = ana::cmd::approval::evaluation(&intent, now + 100_000);
    ana::render::vet(&mut evaluation).unwrap();
    Pending { id, evaluation, received_ms: now, state: state.parse().expect("a pending state"), authenticator: "USB security key".into(), software }
}

/// The next event from the fake server; fails (never hangs) when none comes.
async fn next(events: &mut mpsc::UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(20), events.recv()).await.expect("the notifier did not call the server").expect("the fake server is gone")
}

async fn serve(address: &str, caps: &[&str]) -> (zbus::Connection, mpsc::UnboundedReceiver<Event>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let fake = Fake { events: tx, caps: caps.iter().map(|c| c.to_string()).collect(), next: 1.into() };
    let conn = zbus::connection::Builder::address(address).name("org.freedesktop.Notifications").serve_at("/org/freedesktop/Notifications", fake).build().await.unwrap();
    (conn, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_live_as_long_as_their_requests_and_open_the_prompt_without_deciding() {
    if std::process::Command::new("dbus-daemon").arg("--version").output().is_err() {
        assert!(std::env::var_os("ANA_TEST_NO_DBUS").is_some(), "dbus-daemon is not installed: this test cannot run (set ANA_TEST_NO_DBUS=1 to skip it on purpose)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_bus, address) = start_bus(dir.path()).expect("dbus-daemon starts");
    // SAFETY: this test binary runs one test; nothing else reads the environment concurrently.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address) };
    assert!(notify::available());

    // A server with actions.
    let (server, mut events) = serve(&address, &["actions", "body", "persistence"]).await;
    let (queue_tx, queue_rx) = watch::channel(Arc::new(Vec::<Pending>::new()));
    let (opened_tx, mut opened) = mpsc::unbounded_channel::<()>();
    let open: Arc<dyn Fn() -> Opened + Send + Sync> = Arc::new(move || {
        let _ = opened_tx.send(());
        Opened::Terminal("fake-terminal -e ana approve".into())
    });
    let (stop, stopped) = oneshot::channel();
    let notifier = tokio::spawn(notify::run(queue_rx, open, stopped));

    queue_tx.send_replace(Arc::new(vec![pending(1, "git push --force origin main", "Publish <b>the</b> fix", "waiting", false)]));
    let Event::Notify { id, replaces, app, summary, body, actions, expire, resident } = next(&mut events).await else { panic!("expected a notice") };
    assert_eq!((replaces, app.as_str()), (0, "ana"));
    assert_eq!(summary, "ana: claude-code asks for your approval");
    assert!(body.contains("git push --force origin main") && body.contains("the agent says: \"Publish &lt;b&gt;the&lt;/b&gt; fix\"") && body.contains("touch your key"), "{body}");
    assert_eq!(expire, 0, "a notice stays while its request is pending (0: never expires)");
    assert!(resident);
    assert_eq!(actions, ["default", "Open prompt", "open", "Open prompt"]);

    // The user picks "Open prompt": the prompt is opened, and that is all (the notice stays,
    // nothing is closed or decided). The watcher subscribes after the notice is shown, so the
    // click is repeated until it is seen.
    let mut seen = false;
    for _ in 0..100 {
        server.emit_signal(None::<&str>, "/org/freedesktop/Notifications", "org.freedesktop.Notifications", "ActionInvoked", &(id, "open")).await.unwrap();
        if tokio::time::timeout(Duration::from_millis(200), opened.recv()).await.is_ok() {
            seen = true;
            break;
        }
    }
    assert!(seen, "the action did not open the prompt");
    assert!(events.try_recv().is_err(), "an action changes no notice");

    // A second request, then the first one's hook stops waiting: its notice is replaced in place.
    queue_tx.send_replace(Arc::new(vec![pending(1, "git push --force origin main", "x", "detached", false), pending(2, "terraform destroy", "", "waiting", true)]));
    let mut got = vec![next(&mut events).await, next(&mut events).await];
    got.sort_by_key(|e| match e {
        Event::Notify { replaces, .. } => *replaces,
        Event::Close(_) => u32::MAX,
    });
    let Event::Notify { id: second, replaces: 0, summary, body, .. } = &got[0] else { panic!("expected a new notice: {got:?}") };
    assert_eq!(summary, "ana: claude-code asks for your approval (SOFTWARE key)");
    assert!(body.contains("SOFTWARE key (insecure") && !body.contains("touch your key"), "{body}");
    let Event::Notify { replaces, body, .. } = &got[1] else { panic!("expected a replaced notice: {got:?}") };
    assert_eq!(*replaces, id);
    assert!(body.contains("hook stopped waiting"), "{body}");

    // Decided: closed. The rest close when the approval agent stops.
    queue_tx.send_replace(Arc::new(vec![pending(2, "terraform destroy", "", "waiting", true)]));
    assert!(matches!(next(&mut events).await, Event::Close(c) if c == id));
    stop.send(()).unwrap();
    assert!(matches!(next(&mut events).await, Event::Close(c) if c == *second));
    notifier.await.unwrap();
    drop(server);

    // A server without actions: no button, and the notice says how to open the prompt.
    let (_server, mut events) = serve(&address, &["body"]).await;
    let (queue_tx, queue_rx) = watch::channel(Arc::new(vec![pending(3, "rm -rf build", "", "waiting", false)]));
    let (stop, stopped) = oneshot::channel();
    let notifier = tokio::spawn(notify::run(queue_rx, Arc::new(|| -> Opened { panic!("no action to pick") }), stopped));
    let Event::Notify { actions, body, .. } = next(&mut events).await else { panic!("expected a notice") };
    assert!(actions.is_empty());
    assert!(body.contains("Run `ana approve` in a terminal"), "{body}");
    stop.send(()).unwrap();
    assert!(matches!(next(&mut events).await, Event::Close(_)));
    notifier.await.unwrap();
    drop(queue_tx);
}
