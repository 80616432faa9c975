//! Wiring ana into each agent's hook settings: pure merges of the settings text (this module),
//! and the file handling around them (`cmd::install`).
//!
//! Every merge keeps the user's other keys, hooks and their order, recognizes ana's own entry by
//! its command (`… hook --agent NAME …`) and replaces it in place, so running it twice changes
//! nothing; `remove` takes out exactly that entry.

use serde_json::{Map, Value, json};

pub mod system;

use crate::action::Agent;

/// The hook's timeout when none is given: long enough to reach for a key and touch it.
pub const DEFAULT_TIMEOUT: u32 = 120;

/// Why a settings file is not touched.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    #[error("it is not valid JSON ({0}); fix it first, ana leaves it as it is")]
    Json(String),
    #[error("it is not valid TOML ({0}); fix it first, ana leaves it as it is")]
    Toml(String),
    #[error("`{0}` is not what ana expects there (an object or a list); fix it first, ana leaves it as it is")]
    Shape(&'static str),
}

/// The command line an agent runs.
pub fn hook_command(ana: &str, agent: Agent, timeout: u32) -> String {
    format!("{} hook --agent {} --timeout {timeout}", crate::policy::shell::quote(ana), agent.name())
}

/// Whether a hook handler is ana's for `agent`.
fn is_ours(handler: &Value, agent: Agent) -> bool {
    let marker = format!("hook --agent {}", agent.name());
    let command = handler.get("command").and_then(Value::as_str).unwrap_or("");
    let args: Vec<&str> = handler.get("args").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    command.contains(&marker) || args.join(" ").contains(&marker)
}

/// The indentation a JSON text uses (the first indented line's), to write it back alike.
pub fn indent_of(text: &str) -> usize {
    text.lines()
        .find_map(|l| {
            let n = l.len() - l.trim_start_matches(' ').len();
            (n > 0 && !l.trim().is_empty()).then_some(n)
        })
        .unwrap_or(2)
        .min(8)
}

/// Pretty JSON with `indent` spaces and a final newline.
pub fn to_json(v: &Value, indent: usize) -> String {
    use serde::Serialize;
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, serde_json::ser::PrettyFormatter::with_indent(pad.as_bytes()));
    v.serialize(&mut ser).expect("JSON values serialize");
    let mut s = String::from_utf8(out).expect("serde_json writes UTF-8");
    s.push('\n');
    s
}

fn parse(text: &str) -> Result<Map<String, Value>, MergeError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(MergeError::Shape("the top level")),
        Err(e) => Err(MergeError::Json(format!("line {}, column {}: {e}", e.line(), e.column()))),
    }
}

fn object<'a>(m: &'a mut Map<String, Value>, key: &'static str) -> Result<&'a mut Map<String, Value>, MergeError> {
    m.entry(key).or_insert_with(|| json!({})).as_object_mut().ok_or(MergeError::Shape(key))
}

fn array<'a>(m: &'a mut Map<String, Value>, key: &'static str) -> Result<&'a mut Vec<Value>, MergeError> {
    m.entry(key).or_insert_with(|| json!([])).as_array_mut().ok_or(MergeError::Shape(key))
}

/// Claude Code, Gemini CLI and Codex keep hooks as `hooks.EVENT[] = {matcher?, hooks: [handler]}`.
/// Puts `group` in place of ana's group (or appends it); returns the new text and the group's
/// index.
fn merge_grouped(text: &str, event: &'static str, agent: Agent, group: Value) -> Result<(String, usize), MergeError> {
    let mut root = parse(text)?;
    let groups = array(object(&mut root, "hooks")?, event)?;
    let ours = groups.iter().position(|g| g.get("hooks").and_then(Value::as_array).is_some_and(|hs| hs.iter().any(|h| is_ours(h, agent))));
    let index = match ours {
        Some(i) => {
            groups[i] = group;
            i
        }
        None => {
            groups.push(group);
            groups.len() - 1
        }
    };
    Ok((to_json(&Value::Object(root), indent_of(text)), index))
}

/// Removes ana's handlers (and groups left empty by that); other hooks stay as they are.
fn remove_grouped(text: &str, event: &'static str, agent: Agent) -> Result<String, MergeError> {
    let mut root = parse(text)?;
    if let Some(Value::Object(hooks)) = root.get_mut("hooks") {
        if let Some(Value::Array(groups)) = hooks.get_mut(event) {
            for g in groups.iter_mut() {
                if let Some(Value::Array(hs)) = g.get_mut("hooks") {
                    hs.retain(|h| !is_ours(h, agent));
                }
            }
            groups.retain(|g| g.get("hooks").and_then(Value::as_array).is_none_or(|hs| !hs.is_empty()));
            if groups.is_empty() {
                hooks.remove(event);
            }
        }
        if hooks.is_empty() {
            root.remove("hooks");
        }
    }
    Ok(to_json(&Value::Object(root), indent_of(text)))
}

/// Claude Code: `PreToolUse`, every tool, `onFailure: block` (a failing hook blocks).
pub fn claude_code(text: &str, ana: &str, timeout: u32) -> Result<String, MergeError> {
    let group = json!({"matcher": "*", "hooks": [{"type": "command", "command": hook_command(ana, Agent::ClaudeCode, timeout), "timeout": timeout, "onFailure": "block"}]});
    merge_grouped(text, "PreToolUse", Agent::ClaudeCode, group).map(|(t, _)| t)
}

pub fn claude_code_remove(text: &str) -> Result<String, MergeError> {
    remove_grouped(text, "PreToolUse", Agent::ClaudeCode)
}

/// Gemini CLI: `BeforeTool`, every tool, timeout in milliseconds.
pub fn gemini_cli(text: &str, ana: &str, timeout: u32) -> Result<String, MergeError> {
    let group = json!({"matcher": ".*", "hooks": [{"type": "command", "command": hook_command(ana, Agent::GeminiCli, timeout), "timeout": timeout as u64 * 1000}]});
    merge_grouped(text, "BeforeTool", Agent::GeminiCli, group).map(|(t, _)| t)
}

pub fn gemini_cli_remove(text: &str) -> Result<String, MergeError> {
    remove_grouped(text, "BeforeTool", Agent::GeminiCli)
}

/// Copilot CLI: ana's own file under `hooks/`, `exec` + `args` (no shell).
pub fn copilot_cli(ana: &str, timeout: u32) -> String {
    let v = json!({"version": 1, "hooks": {"preToolUse": [{"type": "command", "exec": ana, "args": ["hook", "--agent", "copilot-cli", "--timeout", timeout.to_string()], "timeoutSec": timeout}]}});
    to_json(&v, 2)
}

/// Codex: `hooks.json` (Claude's format, no matcher) — returns the text, the group index, and the
/// handler that the trust hash covers.
pub fn codex_hooks(text: &str, ana: &str, timeout: u32) -> Result<(String, usize, Value), MergeError> {
    let handler = json!({"type": "command", "command": hook_command(ana, Agent::Codex, timeout), "timeout": timeout});
    let (t, i) = merge_grouped(text, "PreToolUse", Agent::Codex, json!({"hooks": [handler.clone()]}))?;
    Ok((t, i, handler))
}

pub fn codex_hooks_remove(text: &str) -> Result<String, MergeError> {
    remove_grouped(text, "PreToolUse", Agent::Codex)
}

/// The hash Codex trusts a hook by: SHA-256 of the compact, key-sorted
/// `{"event_name":"pre_tool_use","hooks":[{…handler, "async":false}]}` (no `matcher` key when
/// there is none; `timeout` defaults to 600).
pub fn codex_trust_hash(handler: &Value, matcher: Option<&str>) -> String {
    use sha2::Digest;
    let mut h = handler.clone();
    if let Value::Object(m) = &mut h {
        m.entry("timeout").or_insert(json!(600));
        m.insert("async".into(), json!(false));
    }
    let mut v = json!({"event_name": "pre_tool_use", "hooks": [h]});
    if let Some(m) = matcher {
        v["matcher"] = m.into();
    }
    let canonical = crate::intent::canonical(&v).expect("integers only");
    format!("sha256:{}", crate::intent::hex(&sha2::Sha256::digest(canonical.as_bytes())))
}

/// The `[hooks.state]` key Codex looks the trust up under.
pub fn codex_trust_key(hooks_file: &str, group: usize) -> String {
    format!("{hooks_file}:pre_tool_use:{group}:0")
}

/// Records (or, with `hash: None`, removes) the trust of ana's hook in Codex's `config.toml`,
/// keeping the user's comments and formatting.
pub fn codex_config(text: &str, hooks_file: &str, key: &str, hash: Option<&str>) -> Result<String, MergeError> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| MergeError::Toml(e.to_string()))?;
    let hooks = doc.entry("hooks").or_insert(toml_edit::table()).as_table_mut().ok_or(MergeError::Shape("hooks"))?;
    hooks.set_implicit(true);
    let state = hooks.entry("state").or_insert(toml_edit::table()).as_table_mut().ok_or(MergeError::Shape("hooks.state"))?;
    state.set_implicit(true);
    let _ = hooks_file; // Other groups in that file are the user's own, trusted by them: left alone.
    if hash.is_none() {
        state.remove(key);
    }
    if let Some(h) = hash {
        let mut t = toml_edit::Table::new();
        t.insert("trusted_hash", toml_edit::value(h));
        state.insert(key, toml_edit::Item::Table(t));
    }
    if state.is_empty() {
        hooks.remove("state");
    }
    if hooks.is_empty() {
        doc.remove("hooks");
    }
    Ok(doc.to_string())
}
