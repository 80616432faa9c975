//! `ana explain 'COMMAND'`: the parsed simple commands, the rule that decided each, the verdict.
//! Every part is printed through the renderer's escaping: a command may hold escape sequences.

use std::process::ExitCode;

use crate::action::{Action, Agent, Kind, Object};
use crate::paths::Paths;

pub fn run(command: &str, cwd: Option<String>, json: bool) -> anyhow::Result<ExitCode> {
    let cwd = match cwd {
        Some(c) => c,
        None => std::env::current_dir()?.display().to_string(),
    };
    let paths = Paths::current();
    let action = Action {
        agent: Agent::ClaudeCode,
        session: String::new(),
        cwd: crate::policy::path::normalize(&cwd, "/", &paths.home),
        tool: "Bash".into(),
        kind: Kind::Exec,
        object: Object::Command { command: command.to_owned() },
    };
    let (verdict, findings, policy) = crate::guard::classify(&paths, &action, crate::guard::Report::EveryPart).map_err(|e| anyhow::anyhow!("{e}"))?;
    let support = crate::confine::support();
    let profile = crate::guard::run_profile(&policy, &verdict).ok().flatten().map(|p| p.name);
    if json {
        let parts: Vec<_> = findings.iter().map(|f| serde_json::json!({"subject": f.subject, "decision": f.verdict.decision.name(), "rule": f.verdict.rule})).collect();
        let out = serde_json::json!({
            "decision": verdict.decision.name(), "rule": verdict.rule, "reason": verdict.reason, "parts": parts,
        });
        let mut out = out;
        if let Some(p) = &profile {
            out["confine"] = serde_json::json!({"profile": p, "available": support.is_available(), "support": support.describe()});
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    for f in &findings {
        let rule = f.verdict.rule.as_deref().unwrap_or("-");
        println!("{:<8} {:<28} {}", f.verdict.decision.name(), crate::render::escape(rule), crate::render::escape(&f.subject));
    }
    println!();
    let level = if verdict.decision == crate::policy::Decision::Approve { format!(" ({})", verdict.level.name()) } else { String::new() };
    println!("verdict: {}{level}", verdict.decision.name());
    println!("  {}", crate::render::escape(&verdict.reason));
    if let Some(p) = &profile {
        let once = if verdict.decision == crate::policy::Decision::Approve { "once approved, " } else { "" };
        if support.is_available() {
            println!("  {once}runs confined under profile `{p}` ({}); `ana run --profile {p} --explain` lists its areas", support.describe());
        } else if verdict.decision == crate::policy::Decision::Confine && crate::guard::unconfined_decision(&paths, &action, &verdict) == crate::policy::Decision::Approve {
            println!("  would run confined under profile `{p}`, but {}: the hook asks for approval instead", support.describe());
        } else {
            println!("  would run confined under profile `{p}`, but {}: it runs unconfined", support.describe());
        }
    }
    Ok(ExitCode::SUCCESS)
}
