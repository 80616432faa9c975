//! `ana check`: the hook's classification, with no side effects and no approval agent.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;

use crate::action::Agent;
use crate::paths::Paths;
use crate::policy::Decision;
use crate::wire;

/// What `check` decided, in the shape `--json` prints.
#[derive(Debug, serde::Serialize)]
pub struct Checked {
    pub decision: &'static str,
    pub rule: Option<String>,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<&'static str>,
    /// The profile a shell command runs under once it may run (allowed, confined, or approved
    /// under a rule that names one); absent where nothing is confined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

/// Classifies a payload the way the hook would.
pub fn classify(agent: Option<Agent>, input: &[u8], paths: &Paths) -> Checked {
    let deny = |reason: String| Checked { decision: "deny", rule: None, reason, level: None, profile: None };
    let Some(agent) = agent.or_else(|| wire::detect_agent(input, |k| std::env::var(k).ok())) else {
        return deny("could not tell which agent sent this payload; pass --agent".into());
    };
    match crate::guard::classify_payload_for_run(agent, input, paths) {
        // Where confinement is unavailable the hook asks for approval instead (or allows what a
        // rule confines only to pick a profile).
        Ok((a, v, _)) if v.decision == Decision::Confine && !crate::confine::support().is_available() => match crate::guard::unconfined_decision(paths, &a, &v) {
            Decision::Allow => Checked { decision: Decision::Allow.name(), level: None, rule: v.rule, reason: v.reason, profile: None },
            _ => Checked {
                decision: Decision::Approve.name(),
                level: Some(v.level.name()),
                reason: format!(
                    "needs the user's approval on their security key: ana rule `{}` would run this confined, but {} (`{}`)",
                    v.rule.as_deref().unwrap_or("-"),
                    crate::confine::support().describe(),
                    crate::action::one_line(&v.subject, 160)
                ),
                rule: v.rule,
                profile: None,
            },
        },
        Ok((a, v, profile)) => {
            // The profile a shell command runs under, where the hook can confine it.
            let confined = matches!(a.object, crate::action::Object::Command { .. }) && crate::confine::support().is_available();
            let profile = profile.ok().flatten().filter(|_| confined).map(|p| p.name);
            Checked { decision: v.decision.name(), level: (v.decision == Decision::Approve).then(|| v.level.name()), rule: v.rule, reason: v.reason, profile }
        }
        Err(reason) => deny(reason),
    }
}

pub fn run(agent: Option<Agent>, json: bool) -> anyhow::Result<ExitCode> {
    let mut input = Vec::new();
    std::io::stdin().take(wire::MAX_PAYLOAD_BYTES as u64 + 1).read_to_end(&mut input).context("reading the payload from stdin")?;
    let c = classify(agent, &input, &Paths::current());
    if json {
        println!("{}", serde_json::to_string(&c)?);
    } else {
        let level = c.level.map(|l| format!(" ({l})")).unwrap_or_default();
        let rule = c.rule.as_deref().map(|r| format!(" — rule {r}")).unwrap_or_default();
        let level = match &c.profile {
            Some(p) => format!(" (runs confined, profile {p})"),
            None => level,
        };
        println!("{}{level}{rule}\n  {}", c.decision, c.reason);
    }
    Ok(match c.decision {
        "allow" | "confine" => super::Exit::Success,
        "approve" => super::Exit::Approve,
        "ask" => super::Exit::Ask,
        _ => super::Exit::No,
    }
    .into())
}
