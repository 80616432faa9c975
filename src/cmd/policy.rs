//! `ana policy check|show|test`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::action::Agent;
use crate::paths::{Paths, project_root};
use crate::policy::schema::Layer;
use crate::rules;

/// Validates one file (in the layer it belongs to), or every layer that applies in the current
/// directory, and then the layers together. Every error is listed, not only the first.
pub fn check(file: Option<&Path>, layer: Option<Layer>) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let cwd = std::env::current_dir()?.display().to_string();
    let project = project_root(&cwd, &paths.home);
    let files: Vec<(Layer, std::path::PathBuf)> = match file {
        Some(f) => vec![(layer.unwrap_or_else(|| super::policy_edit::layer_of(f, &paths)), f.to_owned())],
        None => rules::layer_files(&paths, project.as_deref()).into_iter().filter(|(_, p)| p.exists()).collect(),
    };
    let mut bad = false;
    for (layer, path) in &files {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let problems = super::policy_edit::diagnose(&text, *layer);
        let errors = problems.iter().filter(|p| p.severity == super::policy_edit::Severity::Error).count();
        super::policy_edit::print(&path.display().to_string(), &text, &problems);
        if errors > 0 {
            bad = true;
            println!("error  {} ({} layer): {errors} error(s)", path.display(), layer.name());
        } else {
            let c = rules::compile_text(text, &path.display().to_string(), *layer).map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("ok     {} ({} layer, {} rules, {} disabled)", path.display(), layer.name(), c.rules.len(), c.disable.len());
        }
    }
    if files.is_empty() {
        println!("no policy files here; the built-in packs apply");
    } else if !bad && file.is_none() {
        // The layers together, as the hook loads them.
        if let Err(e) = rules::load(&paths, project.as_deref()) {
            bad = true;
            println!("error  the layers together: {}", crate::render::escape(&e.to_string()));
        }
    }
    Ok(if bad { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Prints the effective policy: each layer and each rule.
pub fn show(full: bool) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let cwd = std::env::current_dir()?.display().to_string();
    let project = project_root(&cwd, &paths.home);
    let policy = rules::load(&paths, project.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("built-in packs:");
    for (name, description, _) in rules::PACKS {
        println!("  {name:<16} {description}");
    }
    for (layer, path) in rules::layer_files(&paths, project.as_deref()) {
        let state = if path.exists() { "present" } else { "absent" };
        println!("{} policy: {} ({state})", layer.name(), path.display());
    }
    println!();
    for r in policy.rules() {
        let level = if r.decision == crate::policy::Decision::Approve { format!("/{}", r.level.name()) } else { String::new() };
        let flags = if r.protected { " [protected]" } else { "" };
        let off = if policy.layers.iter().any(|l| l.disable.contains(&r.id)) && !r.protected { " [disabled]" } else { "" };
        // A project's policy is written in the project, where an agent can write: escaped.
        println!("{:<8} {:<32} {:<8} {}{flags}{off}", format!("{}{level}", r.decision.name()), crate::render::escape(r.id), r.layer.name(), crate::render::escape(r.description));
    }
    if full {
        for (name, _, text) in rules::PACKS {
            println!("\n# ---- pack {name} ----\n{text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One labelled case of a corpus file.
#[derive(serde::Deserialize)]
pub struct Case {
    pub id: String,
    pub expect: String,
    pub tool_name: String,
    pub tool_input: serde_json::Value,
    #[serde(default)]
    pub why: String,
}

/// Builds the payload an agent would send for a corpus case.
pub fn payload(case: &Case, agent: Agent, cwd: &str) -> Vec<u8> {
    let v = match agent {
        Agent::CopilotCli => serde_json::json!({"sessionId": "corpus", "timestamp": 0, "cwd": cwd, "toolName": case.tool_name, "toolArgs": case.tool_input}),
        Agent::GeminiCli => serde_json::json!({"session_id": "corpus", "cwd": cwd, "hook_event_name": "BeforeTool", "tool_name": case.tool_name, "tool_input": case.tool_input}),
        _ => serde_json::json!({"session_id": "corpus", "transcript_path": "/dev/null", "cwd": cwd, "hook_event_name": "PreToolUse", "tool_name": case.tool_name, "tool_input": case.tool_input}),
    };
    serde_json::to_vec(&v).expect("a JSON value serializes")
}

/// Whether `got` counts as blocking `case`. `confine` runs the command under the kernel's bounds:
/// an `allow` case runs, and a `block` case whose harm is interpreter code cannot reach outside
/// the project.
pub fn counts_as_blocked(case: &Case, got: &super::check::Checked) -> bool {
    match got.decision {
        "allow" => false,
        "confine" => case.expect == "block" && got.rule.as_deref() == Some("shell.inline-script"),
        _ => true,
    }
}

/// Runs a labelled corpus and prints a confusion table and every miss.
pub fn test(file: &Path, agent: Agent, cwd: &str) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let paths = Paths::current();
    let (mut aa, mut ab, mut ba, mut bb) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    let mut confined = 0;
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let case: Case = serde_json::from_str(line).with_context(|| format!("{}:{}: not a corpus case", file.display(), n + 1))?;
        let got = super::check::classify(Some(agent), &payload(&case, agent, cwd), &paths);
        // `confine` runs the command under the kernel's bounds: an `allow` case runs, and a
        // `block` case whose harm is interpreter code cannot reach outside the project.
        confined += usize::from(got.decision == "confine");
        let blocked = counts_as_blocked(&case, &got);
        match (case.expect.as_str(), blocked) {
            ("allow", false) => aa += 1,
            ("allow", true) => {
                ab += 1;
                misses.push(format!("{} expected allow, got {} ({}): {}", case.id, got.decision, got.rule.unwrap_or_default(), case.why));
            }
            ("block", true) => bb += 1,
            ("block", false) => {
                ba += 1;
                misses.push(format!("{} expected block, got allow: {}", case.id, case.why));
            }
            (other, _) => anyhow::bail!("{}:{}: `expect` is `{other}`, not allow or block", file.display(), n + 1),
        }
    }
    println!("                 got allow   got block");
    println!("expect allow   {aa:>10}  {ab:>10}");
    println!("expect block   {ba:>10}  {bb:>10}");
    for m in &misses {
        println!("miss: {m}");
    }
    println!("{} of {} cases as expected", aa + bb, aa + ab + ba + bb);
    if confined > 0 {
        println!("{confined} run confined");
    }
    Ok(if misses.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
