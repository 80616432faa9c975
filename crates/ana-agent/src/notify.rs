//! A desktop notification when a request arrives, so a user without a prompt open is told.
//! On when a desktop session is there (a D-Bus session bus, or macOS) unless `--no-notify`;
//! tests and headless machines have none, so it is off there. Failures are logged, never fatal.

use ana::protocol::Pending;

/// Whether this session can show notifications.
pub fn available() -> bool {
    cfg!(target_os = "macos") || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

/// The notification's title and body for `p`, from the intent the key will sign (escaped, and
/// cut with a marker: the prompt shows it whole).
pub fn text(p: &Pending) -> (String, String) {
    match ana::intent::Intent::from_value(&p.evaluation.context.intent) {
        Ok(i) => {
            let title = format!("ana: {} needs your approval", ana::render::requester(&i));
            let body = format!(
                "{}\nrule {}\nOpen `ana approve` to see all of it, approve (then touch your key) or deny.",
                ana::render::one_line(&ana::render::summary(&i), 120),
                ana::render::one_line(i.rule().unwrap_or("-"), 60)
            );
            (title, markup_safe(&body))
        }
        Err(_) => ("ana: a request needs your attention".into(), "It cannot be shown here; open `ana approve`.".into()),
    }
}

/// Notification servers on Linux may read the body as markup: `<`, `>` and `&` are written as
/// entities, so a command cannot hide part of itself in a tag.
fn markup_safe(body: &str) -> String {
    if cfg!(target_os = "linux") { body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;") } else { body.to_owned() }
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
    fn pending(intent: serde_json::Value, summary: &str) -> ana::protocol::Pending {
        serde_json::from_value(serde_json::json!({
            "id": 1, "received_ms": 0, "state": "waiting", "authenticator": "k", "software": false,
            "evaluation": {"subject": {"id": "gemini-cli", "properties": {}}, "action": {"properties": {}}, "resource": {"properties": {}},
              "context": {"intent": intent, "rule": "git.force-push", "reason": "r", "level": "presence", "summary": summary, "deadline_ms": 0}}
        }))
        .unwrap()
    }

    fn intent(command: &str) -> serde_json::Value {
        serde_json::json!({"type": "agent_tool_call", "version": 2, "actions": ["exec"], "locations": ["file:///p"], "agent": "codex", "session": "s", "cwd": "/p",
            "tool": "Bash", "command": command, "input": {"command": command}, "rule": "git.force-push", "reason": "r", "decision": "approve",
            "level": "presence", "nonce": "n", "created_at": 1, "expires_at": 2})
    }

    #[test]
    fn the_text_names_the_agent_the_command_and_the_rule_from_the_intent() {
        // The client-supplied summary and agent are never shown.
        let (title, body) = super::text(&pending(intent("git push -f"), "npm test"));
        assert_eq!(title, "ana: codex needs your approval");
        assert!(body.contains("git push -f") && body.contains("git.force-push") && body.contains("ana approve"), "{body}");
        assert!(!body.contains("npm test"));
    }

    #[test]
    fn escapes_and_long_commands_are_shown_as_such() {
        let long = format!("echo hi{}\u{1b}[2J && git push -f", " ".repeat(500));
        let (_, body) = super::text(&pending(intent(&long), ""));
        let and = if cfg!(target_os = "linux") { "&amp;&amp;" } else { "&&" };
        assert!(body.contains(&format!("⟨500 spaces⟩⟨ESC⟩[2J {and} git push -f")) && !body.contains('\u{1b}'), "{body}");
        if cfg!(target_os = "linux") {
            let (_, body) = super::text(&pending(intent("echo <b>hi</b> && rm -rf ~"), ""));
            assert!(body.contains("echo &lt;b&gt;hi&lt;/b&gt; &amp;&amp; rm -rf ~"), "{body}");
        }
        let (_, body) = super::text(&pending(intent(&"x".repeat(400)), ""));
        assert!(body.contains("… (+293 more)"), "{body}");
    }

    #[test]
    fn no_session_bus_no_notifications() {
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && !cfg!(target_os = "macos") {
            assert!(!super::available());
        }
    }
}
