//! `ana keys list` and `ana keys remove`: removing a key needs an approval signed by another
//! enrolled key (unless it is the last one), so an agent — or anyone at the keyboard without
//! your keys — cannot quietly swap the keys that guard approvals.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::ipc::Client;
use crate::paths::Paths;
use crate::protocol::{Entity, Evaluation, EvaluationContext, Request, Response, Role};
use crate::webauthn::{self, b64};

pub fn list() -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let keys = crate::keys::load(&paths).map_err(anyhow::Error::msg)?;
    if keys.is_empty() {
        println!("no key enrolled; run `ana enroll`");
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<[String; 7]> = keys
        .iter()
        .map(|k| {
            [
                b64(&k.credential_id).chars().take(12).collect(),
                crate::render::one_line(&k.name, 32),
                k.transport.to_string(),
                k.attestation_format.clone(),
                k.aaguid.clone(),
                k.sign_count.to_string(),
                if k.software { "SOFTWARE (insecure, tests only)".into() } else { "hardware".into() },
            ]
        })
        .collect();
    let header = ["ID", "NAME", "VIA", "ATTESTATION", "AAGUID", "SIGNS", "KIND"].map(str::to_owned);
    let mut width = header.clone().map(|h| crate::render::width(&h));
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(crate::render::width(c));
        }
    }
    for r in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = r.iter().zip(width).map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(crate::render::width(c))))).collect();
        println!("{}", cells.join("  ").trim_end());
    }
    Ok(ExitCode::SUCCESS)
}

/// How long the user has to approve the removal.
const APPROVAL_WAIT: Duration = Duration::from_secs(180);

/// System mode: root removes a key from /etc/ana (root is the authority there; no second key is
/// asked for).
fn remove_system(paths: &Paths, which: &str) -> anyhow::Result<ExitCode> {
    if crate::paths::euid() != 0 {
        anyhow::bail!("in system mode only root changes the enrolled keys: `sudo ana keys remove {which}`");
    }
    let mut keys = crate::keys::load(paths).map_err(anyhow::Error::msg)?;
    let matches: Vec<usize> = keys.iter().enumerate().filter(|(_, k)| b64(&k.credential_id).starts_with(which) || k.name == which).map(|(i, _)| i).collect();
    let index = match matches.as_slice() {
        [i] => *i,
        [] => anyhow::bail!("no enrolled key matches `{which}` (`ana keys list` shows ids and names)"),
        _ => anyhow::bail!("`{which}` matches {} keys; give more of the id", matches.len()),
    };
    let target = keys.remove(index);
    crate::keys::save_system(paths, &keys)?;
    println!("removed {} from {}; the approver stops accepting it with its next request", target.name, crate::keys::system_file(paths).display());
    Ok(ExitCode::SUCCESS)
}

pub fn remove(which: &str) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    if paths.mode == crate::paths::Mode::System {
        return remove_system(&paths, which);
    }
    let mut keys = crate::keys::load_user(&paths).map_err(anyhow::Error::msg)?;
    let matches: Vec<usize> = keys.iter().enumerate().filter(|(_, k)| b64(&k.credential_id).starts_with(which) || k.name == which).map(|(i, _)| i).collect();
    let index = match matches.as_slice() {
        [i] => *i,
        [] => anyhow::bail!("no enrolled key matches `{which}` (`ana keys list` shows ids and names)"),
        _ => anyhow::bail!("`{which}` matches {} keys; give more of the id", matches.len()),
    };
    let target = keys[index].clone();
    if keys.len() > 1 {
        let now = super::approval::now_ms();
        let nonce = crate::intent::nonce()?;
        let intent = serde_json::json!({
            "type": "ana_admin", "actions": ["keys.remove"], "credential": b64(&target.credential_id), "name": target.name,
            "level": "presence", "nonce": nonce, "created_at": now, "expires_at": now + APPROVAL_WAIT.as_millis() as u64,
        });
        let challenge = crate::intent::challenge(&intent).map_err(anyhow::Error::msg)?;
        let summary = format!("remove the enrolled key `{}`", target.name);
        let evaluation = Evaluation {
            subject: Entity { kind: Some("user".into()), id: Some("you (ana keys remove)".into()), name: None, properties: serde_json::json!({"session": ""}) },
            action: Entity { kind: None, id: None, name: Some("keys.remove".into()), properties: serde_json::json!({"tool": "ana keys remove"}) },
            resource: Entity { kind: Some("key".into()), id: Some(b64(&target.credential_id)), name: None, properties: serde_json::json!({"cwd": std::env::current_dir()?.display().to_string()}) },
            context: EvaluationContext {
                intent,
                rule: Some("ana.keys-remove".into()),
                reason: format!("ana rule `ana.keys-remove`: removing a key needs another enrolled key (`{summary}`)"),
                level: crate::policy::Level::Presence,
                summary: summary.clone(),
                deadline_ms: now + APPROVAL_WAIT.as_millis() as u64,
                detail: serde_json::json!({"subject": summary, "object": {"type": "raw", "input": {"credential": b64(&target.credential_id)}}}),
                exclude_credentials: vec![b64(&target.credential_id)],
                origin: None,
            },
        };
        let mut c = Client::connect(&paths.socket(), Role::Hook, Duration::from_secs(5))?;
        c.send(&Request::Evaluate { evaluation: Box::new(evaluation) })?;
        println!("approve the removal in `ana approve` with another of your keys…");
        match c.recv(Instant::now() + APPROVAL_WAIT)? {
            Response::Decision { decision: true, context } => {
                let proof = context.proof.ok_or_else(|| anyhow::anyhow!("the approval carried no signature"))?;
                let others: Vec<_> = keys.iter().filter(|k| k.credential_id != target.credential_id).cloned().collect();
                let (by, _) = webauthn::verify(&proof, &challenge, &others, crate::policy::Level::Presence).map_err(|e| anyhow::anyhow!("the approval did not verify with another key: {e}"))?;
                println!("approved with {}", crate::render::escape(&by.name));
            }
            Response::Decision { decision: false, context } => anyhow::bail!("not removed: {}", context.reason),
            other => anyhow::bail!("unexpected answer: {other:?}"),
        }
    }
    keys.remove(index);
    // Kept in the file as removed: it no longer counts, and the keys it endorsed stay a chain.
    let mut all = crate::keys::load_user_file(&paths).map_err(anyhow::Error::msg)?;
    for k in all.iter_mut().filter(|k| k.credential_id == target.credential_id) {
        k.removed = true;
    }
    crate::keys::save_user_file(&paths, &all)?;
    println!("removed {}{}", crate::render::escape(&target.name), if keys.is_empty() { " — no key is enrolled now: nothing can be approved until you `ana enroll`" } else { "" });
    Ok(ExitCode::SUCCESS)
}
