//! A desktop notification when a request arrives, so a user without a prompt open is told.
//! On when a desktop session is there (a D-Bus session bus, or macOS) unless `--no-notify`;
//! tests and headless machines have none, so it is off there. Failures are logged, never fatal.

use ana::protocol::Pending;

/// Whether this session can show notifications.
pub fn available() -> bool {
    cfg!(target_os = "macos") || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

/// The notification's title and body for `p`.
pub fn text(p: &Pending) -> (String, String) {
    let c = &p.evaluation.context;
    let agent = p.evaluation.subject.id.as_deref().unwrap_or("an agent");
    let title = format!("ana: {agent} needs your approval");
    let body = format!("{}\nrule {}\nOpen `ana approve` to approve (then touch your key) or deny.", ana::action::one_line(&c.summary, 120), c.rule.as_deref().unwrap_or("-"));
    (title, body)
}

/// Shows the notification on a blocking thread (the notification service may be slow).
pub fn show(p: &Pending) {
    let (title, body) = text(p);
    std::thread::spawn(move || {
        #[cfg(feature = "notify")]
        if let Err(e) = notify_rust::Notification::new().summary(&title).body(&body).appname("ana").timeout(notify_rust::Timeout::Milliseconds(15_000)).show() {
            tracing::debug!("no desktop notification: {e}");
        }
        #[cfg(not(feature = "notify"))]
        let _ = (title, body);
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_text_names_the_agent_the_command_and_the_rule() {
        let p: ana::protocol::Pending = serde_json::from_value(serde_json::json!({
            "id": 1, "received_ms": 0, "state": "waiting", "authenticator": "k", "software": false,
            "evaluation": {"subject": {"id": "codex", "properties": {}}, "action": {"properties": {}}, "resource": {"properties": {}},
              "context": {"intent": {}, "rule": "git.force-push", "reason": "r", "level": "presence", "summary": "git push -f", "deadline_ms": 0}}
        })).unwrap();
        let (title, body) = super::text(&p);
        assert_eq!(title, "ana: codex needs your approval");
        assert!(body.contains("git push -f") && body.contains("git.force-push") && body.contains("ana approve"));
    }

    #[test]
    fn no_session_bus_no_notifications() {
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && !cfg!(target_os = "macos") {
            assert!(!super::available());
        }
    }
}
