//! The prompt: key handling as pure state, and each view as a snapshot of a test terminal.

use ana::protocol::{Entity, Evaluation, EvaluationContext, Pending};
use ana::tui::state::{Effect, Key, Mode, State};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use rstest::rstest;

const NOW: u64 = 1_795_920_000_000;

fn pending(id: u64, command: &str, state: &str, software: bool) -> Pending {
    let intent = serde_json::json!({"type": "agent_tool_call", "actions": ["exec"], "command": command, "agent": "claude-code", "nonce": "n", "expires_at": NOW + 300_000});
    Pending {
        id,
        evaluation: Evaluation {
            subject: Entity { kind: Some("agent".into()), id: Some("claude-code".into()), name: None, properties: serde_json::json!({"session": "818c74ad-f6f2-4f47"}) },
            action: Entity { kind: None, id: None, name: Some("exec".into()), properties: serde_json::json!({"tool": "Bash"}) },
            resource: Entity { kind: Some("exec".into()), id: Some(command.into()), name: None, properties: serde_json::json!({"cwd": "/home/dev/project"}) },
            context: EvaluationContext {
                intent,
                rule: Some("git.force-push".into()),
                reason: "needs the user's approval on their security key: ana rule `git.force-push`: force push rewrites the remote's history (`git push --force origin main`)".into(),
                level: "presence".into(),
                summary: command.into(),
                deadline_ms: NOW + 95_000,
                detail: serde_json::json!({"subject": "git push --force origin main", "object": {"type": "command", "command": command}}),
                exclude_credentials: Vec::new(),
            },
        },
        received_ms: NOW - 5_000,
        state: state.into(),
        authenticator: if software { "software key (INSECURE: tests and demo only)".into() } else { "USB security key".into() },
        software,
    }
}

fn write_request(id: u64) -> Pending {
    let mut p = pending(id, "edit /home/dev/project/.github/workflows/release.yml", "waiting", false);
    p.evaluation.context.rule = Some("persist.ci".into());
    p.evaluation.context.reason = "needs the user's approval on their security key: ana rule `persist.ci`: changes a CI workflow, which runs with the repository's secrets (`edit /home/dev/project/.github/workflows/release.yml`)".into();
    p.evaluation.context.detail = serde_json::json!({"subject": "edit /home/dev/project/.github/workflows/release.yml", "object": {"type": "files", "paths": ["/home/dev/project/.github/workflows/release.yml"], "old": "on: push\nruns-on: ubuntu-latest", "content": "on: [push, pull_request]\nruns-on: ubuntu-latest"}});
    p
}

fn state(pending: Vec<Pending>) -> State {
    let mut s = State::new(true);
    s.now_ms = NOW;
    s.branches.insert("/home/dev/project".into(), "main".into());
    s.set_queue(pending);
    s
}

fn screen(s: &State) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 26)).unwrap();
    t.draw(|f| ana::tui::view::render(f, s)).unwrap();
    format!("{}", t.backend())
}

#[rstest]
#[case::approve_with_y(Key::Char('y'), Effect::Approve { id: 1, pin: None })]
#[case::approve_with_enter(Key::Enter, Effect::Approve { id: 1, pin: None })]
#[case::quit(Key::Char('q'), Effect::Quit)]
#[case::quit_with_ctrl_c(Key::CtrlC, Effect::Quit)]
#[case::move_down_does_nothing_else(Key::Down, Effect::None)]
#[case::n_opens_the_reason(Key::Char('n'), Effect::None)]
fn keys(#[case] key: Key, #[case] effect: Effect) {
    let mut s = state(vec![pending(1, "git push --force origin main", "waiting", false), pending(2, "terraform destroy", "waiting", false)]);
    assert_eq!(s.key(key), effect);
}

#[test]
fn deny_with_a_reason() {
    let mut s = state(vec![pending(1, "git push -f", "waiting", false)]);
    assert_eq!(s.key(Key::Char('n')), Effect::None);
    assert_eq!(s.mode, Mode::Reason { id: 1, text: String::new() });
    for c in "not on mainx".chars() {
        s.key(Key::Char(c));
    }
    s.key(Key::Backspace);
    assert_eq!(s.key(Key::Enter), Effect::Deny { id: 1, reason: Some("not on main".into()) });
    assert_eq!(s.mode, Mode::Normal);
    // A second decision for the same request is not sent while the first is under way.
    assert_eq!(s.key(Key::Char('y')), Effect::None);
}

#[test]
fn deny_without_a_reason_and_cancel() {
    let mut s = state(vec![pending(1, "git push -f", "waiting", false)]);
    s.key(Key::Char('n'));
    assert_eq!(s.key(Key::Esc), Effect::None);
    assert_eq!(s.mode, Mode::Normal);
    s.key(Key::Char('n'));
    assert_eq!(s.key(Key::Enter), Effect::Deny { id: 1, reason: None });
}

#[test]
fn a_pin_request_is_asked_for_masked() {
    let mut s = state(vec![pending(1, "git push -f", "waiting", false)]);
    s.set_queue(vec![pending(1, "git push -f", "pin", false)]);
    assert_eq!(s.mode, Mode::Pin { id: 1, text: String::new() });
    for c in "1234".chars() {
        s.key(Key::Char(c));
    }
    let shown = screen(&s);
    assert!(shown.contains("PIN for #1: ••••") && !shown.contains("1234"), "{shown}");
    assert_eq!(s.key(Key::Enter), Effect::Approve { id: 1, pin: Some("1234".into()) });
}

#[test]
fn moving_and_new_requests_never_hide_the_selected_one() {
    let mut s = state(vec![pending(1, "a", "waiting", false), pending(2, "b", "waiting", false)]);
    s.key(Key::Char('j'));
    assert_eq!(s.selected().unwrap().id, 2);
    s.key(Key::Down);
    assert_eq!(s.selected().unwrap().id, 2, "stops at the end");
    s.set_queue(vec![pending(1, "a", "waiting", false), pending(2, "b", "waiting", false), pending(3, "c", "waiting", false)]);
    assert_eq!(s.selected().unwrap().id, 2, "a new request does not move the selection");
    s.set_queue(vec![pending(2, "b", "waiting", false), pending(3, "c", "waiting", false)]);
    assert_eq!(s.selected().unwrap().id, 2);
    s.key(Key::Char('k'));
    s.key(Key::Up);
    assert_eq!(s.selected().unwrap().id, 2);
}

#[test]
fn nothing_to_approve() {
    insta::assert_snapshot!(screen(&state(vec![])));
}

#[test]
fn one_command_with_a_software_key() {
    insta::assert_snapshot!(screen(&state(vec![pending(1, "ls && git push --force origin main", "waiting", true)])));
}

#[test]
fn a_queue_with_the_key_blinking() {
    insta::assert_snapshot!(screen(&state(vec![pending(1, "git push --force origin main", "touch", false), pending(2, "terraform destroy", "waiting", false)])));
}

#[test]
fn an_edit_shows_its_diff() {
    insta::assert_snapshot!(screen(&state(vec![write_request(4)])));
}

#[test]
fn a_late_request_and_the_reason_prompt() {
    let mut s = state(vec![pending(7, "kubectl delete namespace staging", "detached", false)]);
    s.key(Key::Char('n'));
    s.key(Key::Char('n'));
    s.key(Key::Char('o'));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn details_show_the_signed_intent() {
    let mut s = state(vec![pending(1, "git push --force origin main", "waiting", false)]);
    s.key(Key::Char('d'));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn no_color_draws_no_colors() {
    let mut s = state(vec![pending(1, "git push --force origin main", "waiting", true)]);
    s.color = false;
    let mut t = Terminal::new(TestBackend::new(100, 26)).unwrap();
    t.draw(|f| ana::tui::view::render(f, &s)).unwrap();
    let buf = t.backend().buffer();
    assert!(buf.content().iter().all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset));
}
