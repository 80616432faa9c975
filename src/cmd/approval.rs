//! The hook's side of an approval: build the intent, ask the approval agent, wait no longer than
//! the deadline, and verify the answer itself before allowing anything.
//!
//! The approval agent's answer is never taken on trust: the hook checks the assertion against the
//! enrolled public keys and its own intent (its own nonce), so a process that impersonates the
//! agent on the socket cannot forge an approval.

use std::time::{Duration, Instant};

use crate::action::Action;
use crate::intent::{self, Intent};
use crate::ipc::{Client, IpcError};
use crate::paths::Paths;
use crate::policy::Verdict;
use crate::protocol::{Entity, Evaluation, EvaluationContext, Request, Response, Role};
use crate::wire::Answer;
use crate::{keys, webauthn};

pub use crate::time::now_ms;

/// How long a late approval may be made after the hook stops waiting (the grant window).
pub const LATE_APPROVAL: Duration = Duration::from_secs(300);

const DO_NOT_WORK_AROUND: &str = "Do not try to do this another way.";

/// The AuthZEN evaluation asking for `intent`. Everything a prompt shows comes from the intent;
/// the other members repeat it in AuthZEN's shape (the approval agent checks that they agree).
pub fn evaluation(intent: &Intent, deadline_ms: u64) -> Evaluation {
    let summary = crate::render::summary(intent);
    let (agent, session, kind, tool, cwd, reason) = match intent.tool_call() {
        Some(t) => (t.agent.name(), t.session.clone(), t.kind.name(), t.tool.clone(), t.cwd.clone(), t.reason.clone()),
        None => ("user", String::new(), "admin", "ana".to_owned(), String::new(), String::new()),
    };
    Evaluation {
        subject: Entity { kind: Some("agent".into()), id: Some(agent.into()), name: None, properties: serde_json::json!({"session": session}) },
        action: Entity { kind: None, id: None, name: Some(kind.into()), properties: serde_json::json!({"tool": tool}) },
        resource: Entity { kind: Some(kind.into()), id: Some(summary.clone()), name: None, properties: serde_json::json!({"cwd": cwd}) },
        context: EvaluationContext {
            intent: intent.to_value(),
            rule: intent.rule().map(str::to_owned),
            reason,
            level: intent.level,
            summary,
            deadline_ms,
            detail: serde_json::Value::Null,
            exclude_credentials: Vec::new(),
            origin: None,
        },
    }
}

/// Asks the approval agent to approve `action`, whose whole tool input is `input`, waiting at most
/// `remaining`. The flag says whether
/// the approval agent decided (and so recorded) the outcome; the hook records the rest.
pub fn request(paths: &Paths, action: &Action, input: serde_json::Value, verdict: &Verdict, remaining: Duration) -> (Answer, bool) {
    let pending_reason = |why: &str| (Answer::Deny(format!("{}. {why} {DO_NOT_WORK_AROUND}", verdict.reason)), false);
    let trust = match crate::trust::TrustRoot::load(paths) {
        Ok(t) => t,
        Err(e) => return pending_reason(&format!("ana's trust root cannot be read ({e}), so nothing can be approved.")),
    };
    let enrolled = match keys::load(paths) {
        Ok(k) if !k.is_empty() => k,
        Ok(_) => return pending_reason("No security key is enrolled, so nothing can be approved; ask the user to run `ana enroll`."),
        Err(e) => return pending_reason(&format!("ana's enrolled keys cannot be read ({e}), so nothing can be approved.")),
    };
    let started = Instant::now();
    let deadline = started + remaining;
    let now = now_ms();
    let deadline_ms = now + remaining.as_millis() as u64;
    let Ok(nonce) = intent::nonce() else { return pending_reason("ana could not draw a random nonce.") };
    let the_intent = match Intent::for_action(action, input, verdict, &nonce, now, deadline_ms + LATE_APPROVAL.as_millis() as u64) {
        Ok(i) => i,
        Err(e) => return pending_reason(&format!("{e}.")),
    };
    let (challenge, my_action) = (the_intent.challenge(), the_intent.action_digest());
    let connect_budget = remaining.min(Duration::from_secs(3));
    let mut client = match Client::connect(&paths.socket(), Role::Hook, connect_budget) {
        Ok(c) => c,
        Err(IpcError::NotRunning(_)) => {
            return pending_reason("ana's approver is not running, so nothing can be approved; ask the user to start it with `ana agent --daemonize`, then retry.");
        }
        Err(e) => return pending_reason(&format!("ana's approver cannot be reached ({e}).")),
    };
    // Where the call came from, for the prompt (context, not signed): gathered here, on the
    // approval path only.
    let mut asking = evaluation(&the_intent, deadline_ms);
    asking.context.origin = Some(Box::new(crate::origin::Origin::gather())).filter(|o| !o.is_empty());
    if client.send(&Request::Evaluate { evaluation: Box::new(asking) }).is_err() {
        return pending_reason("ana's approver stopped answering.");
    }
    match client.recv(deadline) {
        Ok(Response::Decision { decision: true, context }) => {
            let Some(proof) = context.proof else { return (Answer::Deny(format!("ana blocked this: the approver approved without a signature. {DO_NOT_WORK_AROUND}")), false) };
            // A one-time grant carries the earlier request's intent: it must name this exact action.
            let expected = match &context.granted_intent {
                None => challenge,
                Some(granted) => {
                    let Ok(typed) = Intent::from_value(granted) else {
                        return (Answer::Deny(format!("ana blocked this: the granted intent is malformed. {DO_NOT_WORK_AROUND}")), false);
                    };
                    if typed.action_digest() != my_action || typed.expires_ms <= now_ms() {
                        return (Answer::Deny(format!("ana blocked this: the approver offered an approval of another or expired action. {DO_NOT_WORK_AROUND}")), false);
                    }
                    // A grant counts once: it must be for a request a hook of this user left pending,
                    // and taking it removes that mark (a replayed grant finds none).
                    let nonce = granted.get("nonce").and_then(serde_json::Value::as_str).unwrap_or("");
                    if !take_pending_grant(paths, nonce) {
                        return (
                            Answer::Deny(format!(
                                "ana blocked this: the approver offered a grant that no pending request of yours is waiting for (used before, or never left pending). {DO_NOT_WORK_AROUND}"
                            )),
                            false,
                        );
                    }
                    match intent::challenge(granted) {
                        Ok(c) => c,
                        Err(_) => return (Answer::Deny("ana blocked this: the granted intent is malformed.".into()), false),
                    }
                }
            };
            match webauthn::verify(&proof, &expected, &enrolled, verdict.level) {
                Ok((key, _)) if key.software && !trust.allows_software_key() => {
                    (Answer::Deny(format!("ana blocked this: it was approved with a software key, which this machine's trust root does not allow. {DO_NOT_WORK_AROUND}")), false)
                }
                // A software key says it verified the user, but nothing stands behind that flag.
                Ok((key, _)) if key.software && verdict.level == crate::policy::Level::Verification => (
                    Answer::Deny(format!(
                        "ana blocked this: its rule needs the user verified on the key (PIN or biometric), and it was approved with a software key, which cannot verify anyone. {DO_NOT_WORK_AROUND}"
                    )),
                    false,
                ),
                Ok((key, _)) => {
                    let soft = if key.software { " (a SOFTWARE key: insecure, tests and demos only)" } else { "" };
                    (Answer::Allow(format!("approved by the user on {}{soft}: {}", key.name, context.reason)), true)
                }
                Err(e) => (Answer::Deny(format!("ana blocked this: the approval did not verify ({e}). {DO_NOT_WORK_AROUND}")), false),
            }
        }
        Ok(Response::Decision { decision: false, context }) => {
            (Answer::Deny(format!("{} — {}. Do not retry it and do not try another way; ask the user what to do instead.", verdict.reason, context.reason)), true)
        }
        Ok(other) => (Answer::Deny(format!("ana blocked this: the approver answered {other:?}.")), false),
        Err(IpcError::Timeout) => {
            leave_pending_grant(paths, &nonce);
            let detached = client.send(&Request::Detach).is_ok();
            let answer = Answer::Deny(format!(
                "{} — approval pending: the user has not approved it yet. It stays pending for {} minutes: wait for the user to approve it in `ana approve` (and touch their key), then retry exactly the same call. {DO_NOT_WORK_AROUND}",
                verdict.reason,
                LATE_APPROVAL.as_secs() / 60
            ));
            (answer, detached)
        }
        Err(e) => pending_reason(&format!("ana's approver failed while waiting ({e}).")),
    }
}

/// Marks the request with `nonce` as left pending for a late approval (an empty file named by
/// the nonce's digest), and clears marks older than the grant window.
fn leave_pending_grant(paths: &Paths, nonce: &str) {
    let dir = paths.pending_grants();
    if Paths::create_private_dir(&dir).is_err() {
        return;
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let stale = std::time::SystemTime::now() - LATE_APPROVAL - Duration::from_secs(60);
        for e in entries.flatten() {
            if e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < stale) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let _ = std::fs::write(dir.join(pending_name(nonce)), b"");
}

/// Takes the mark of the request with `nonce`: true once, for a request a hook left pending.
fn take_pending_grant(paths: &Paths, nonce: &str) -> bool {
    !nonce.is_empty() && std::fs::remove_file(paths.pending_grants().join(pending_name(nonce))).is_ok()
}

fn pending_name(nonce: &str) -> String {
    use sha2::Digest;
    intent::hex(&sha2::Sha256::digest(nonce.as_bytes()))
}
