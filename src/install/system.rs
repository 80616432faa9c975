//! System mode's managed files, as pure text merges: each agent's root-owned configuration that
//! the user cannot turn off, the udev rule, the service files. Like the user-mode merges, each
//! keeps what else is in the file, recognizes ana's own entry by its command and replaces it in
//! place (running it twice changes nothing), and `*_remove` takes out exactly ana's part.
//!
//! - Claude Code: `/etc/claude-code/managed-settings.json`, with `allowManagedHooksOnly` (the
//!   user's and the project's hooks, and their `disableAllHooks`, no longer apply).
//! - Copilot CLI: `/etc/github-copilot/policy.d/ana.json`, a policy hook file.
//! - Gemini CLI: `/etc/gemini-cli/settings.json`, with `hooksConfig.enabled: true` (a user's
//!   `enabled: false` no longer turns it off).
//! - Codex: `/etc/codex/requirements.toml`, `allow_managed_hooks_only = true`, the `hooks` feature
//!   pinned on (a user's `[features] hooks = false` switched every hook off, the managed one too),
//!   and a managed `[[hooks.PreToolUse]]` group (managed hooks skip Codex's trust check).

use serde_json::{Value, json};

use super::MergeError;
use crate::action::Agent;

/// Where the root-owned copies of the binaries go.
pub const LIB_DIR: &str = "/usr/local/lib/ana";
pub const CLAUDE_CODE_MANAGED: &str = "/etc/claude-code/managed-settings.json";
pub const COPILOT_POLICY: &str = "/etc/github-copilot/policy.d/ana.json";
pub const GEMINI_SYSTEM: &str = "/etc/gemini-cli/settings.json";
pub const CODEX_REQUIREMENTS: &str = "/etc/codex/requirements.toml";
pub const UDEV_RULE: &str = "/etc/udev/rules.d/70-ana-fido.rules";
pub const TMPFILES: &str = "/etc/tmpfiles.d/ana.conf";
pub const SYSTEMD_UNIT: &str = "/etc/systemd/system/ana-agent.service";
pub const LAUNCHD_PLIST: &str = "/Library/LaunchDaemons/dev.ana.agent.system.plist";

fn parse_object(text: &str) -> Result<serde_json::Map<String, Value>, MergeError> {
    if text.trim().is_empty() {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(MergeError::Shape("the top level")),
        Err(e) => Err(MergeError::Json(format!("line {}, column {}: {e}", e.line(), e.column()))),
    }
}

fn has_hooks(text: &str) -> bool {
    serde_json::from_str::<Value>(text).ok().and_then(|v| v.get("hooks").and_then(Value::as_object).map(|h| !h.is_empty())).unwrap_or(false)
}

/// Claude Code's managed settings: ana's PreToolUse hook, and only managed hooks run.
pub fn claude_code(text: &str, ana: &str, timeout: u32) -> Result<String, MergeError> {
    let merged = super::claude_code(text, ana, timeout)?;
    let mut root = parse_object(&merged)?;
    root.insert("allowManagedHooksOnly".into(), json!(true));
    Ok(super::to_json(&Value::Object(root), super::indent_of(text)))
}

/// Takes ana's hook out; `allowManagedHooksOnly` goes too when no managed hook is left.
pub fn claude_code_remove(text: &str) -> Result<String, MergeError> {
    let removed = super::claude_code_remove(text)?;
    if has_hooks(&removed) {
        return Ok(removed);
    }
    let mut root = parse_object(&removed)?;
    root.remove("allowManagedHooksOnly");
    Ok(super::to_json(&Value::Object(root), super::indent_of(text)))
}

/// Gemini CLI's system settings: ana's BeforeTool hook, and hooks enabled from the system layer
/// (which a user's or workspace's `enabled: false` cannot override).
pub fn gemini_cli(text: &str, ana: &str, timeout: u32) -> Result<String, MergeError> {
    let merged = super::gemini_cli(text, ana, timeout)?;
    let mut root = parse_object(&merged)?;
    let cfg = root.entry("hooksConfig").or_insert_with(|| json!({}));
    let cfg = cfg.as_object_mut().ok_or(MergeError::Shape("hooksConfig"))?;
    cfg.insert("enabled".into(), json!(true));
    Ok(super::to_json(&Value::Object(root), super::indent_of(text)))
}

pub fn gemini_cli_remove(text: &str) -> Result<String, MergeError> {
    let removed = super::gemini_cli_remove(text)?;
    if has_hooks(&removed) {
        return Ok(removed);
    }
    let mut root = parse_object(&removed)?;
    if let Some(Value::Object(cfg)) = root.get_mut("hooksConfig") {
        cfg.remove("enabled");
        if cfg.is_empty() {
            root.remove("hooksConfig");
        }
    }
    Ok(super::to_json(&Value::Object(root), super::indent_of(text)))
}

/// Copilot CLI's policy hook file (ana's own file).
pub fn copilot_cli(ana: &str, timeout: u32) -> String {
    super::copilot_cli(ana, timeout)
}

/// Codex's managed requirements: `allow_managed_hooks_only = true` and ana's managed
/// PreToolUse group, keeping everything else (comments included).
pub fn codex_requirements(text: &str, ana: &str, timeout: u32) -> Result<String, MergeError> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| MergeError::Toml(e.to_string()))?;
    doc.insert("allow_managed_hooks_only", toml_edit::value(true));
    // A user's `[features] hooks = false` (or the older `codex_hooks`) would switch every hook
    // off, the managed one included: the requirements pin the feature on.
    let features = doc.entry("features").or_insert(toml_edit::table()).as_table_mut().ok_or(MergeError::Shape("features"))?;
    features.insert("hooks", toml_edit::value(true));
    let hooks = doc.entry("hooks").or_insert(toml_edit::table()).as_table_mut().ok_or(MergeError::Shape("hooks"))?;
    hooks.set_implicit(true);
    let groups = hooks.entry("PreToolUse").or_insert(toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    let groups = groups.as_array_of_tables_mut().ok_or(MergeError::Shape("hooks.PreToolUse"))?;
    let mut handler = toml_edit::Table::new();
    handler.insert("type", toml_edit::value("command"));
    handler.insert("command", toml_edit::value(super::hook_command(ana, Agent::Codex, timeout)));
    handler.insert("timeout", toml_edit::value(i64::from(timeout)));
    let mut handlers = toml_edit::ArrayOfTables::new();
    handlers.push(handler);
    let mut group = toml_edit::Table::new();
    group.insert("hooks", toml_edit::Item::ArrayOfTables(handlers));
    let ours = groups.iter().position(is_codex_ours);
    match ours {
        Some(i) => {
            if let Some(g) = groups.get_mut(i) {
                *g = group;
            }
        }
        None => groups.push(group),
    }
    Ok(doc.to_string())
}

fn is_codex_ours(group: &toml_edit::Table) -> bool {
    let marker = format!("hook --agent {}", Agent::Codex.name());
    group.get("hooks").and_then(toml_edit::Item::as_array_of_tables).is_some_and(|hs| hs.iter().any(|h| h.get("command").and_then(toml_edit::Item::as_str).is_some_and(|c| c.contains(&marker))))
}

pub fn codex_requirements_remove(text: &str) -> Result<String, MergeError> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| MergeError::Toml(e.to_string()))?;
    let mut left = 0;
    if let Some(hooks) = doc.get_mut("hooks").and_then(toml_edit::Item::as_table_mut) {
        if let Some(groups) = hooks.get_mut("PreToolUse").and_then(toml_edit::Item::as_array_of_tables_mut) {
            groups.retain(|g| !is_codex_ours(g));
            if groups.is_empty() {
                hooks.remove("PreToolUse");
            }
        }
        left = hooks.len();
        if hooks.is_empty() {
            doc.remove("hooks");
        }
    }
    if left == 0 {
        doc.remove("allow_managed_hooks_only");
        if let Some(features) = doc.get_mut("features").and_then(toml_edit::Item::as_table_mut) {
            features.remove("hooks");
            if features.is_empty() {
                doc.remove("features");
            }
        }
    }
    Ok(doc.to_string())
}

/// The udev rule: FIDO HID keys (udev's `ID_FIDO_TOKEN`) get the approval agent's group, and
/// `uaccess` keeps the logged-in user's own access (a browser's WebAuthn keeps working).
pub fn udev_rule(agent_group: &str) -> String {
    format!(
        "# ana (system mode): the approver's account may use FIDO2 keys; the seat's user keeps\n\
         # access through uaccess. Written by `sudo ana install system`.\n\
         ACTION==\"add|change\", SUBSYSTEM==\"hidraw\", ENV{{ID_FIDO_TOKEN}}==\"1\", GROUP=\"{agent_group}\", MODE=\"0660\", TAG+=\"uaccess\"\n"
    )
}

/// tmpfiles.d: the runtime directories, made again at boot by root.
pub fn tmpfiles(agent_user: &str, client_group: &str) -> String {
    format!(
        "# ana (system mode), written by `sudo ana install system`.\n\
         d {} 0750 {agent_user} {client_group} -\n\
         d {} 0755 root root -\n",
        crate::paths::SYSTEM_RUNTIME,
        crate::paths::SYSTEM_TOUCH
    )
}

/// Fills a service template.
pub fn service(template: &str, agent_bin: &str, agent_user: &str, client_group: &str) -> String {
    template.replace("@ANA_AGENT@", agent_bin).replace("@AGENT_USER@", agent_user).replace("@CLIENT_GROUP@", client_group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude_code_managed_keeps_others_and_is_idempotent() {
        let before = "{\n  \"permissions\": {\"deny\": [\"Bash(curl:*)\"]}\n}\n";
        let once = claude_code(before, "/usr/local/lib/ana/ana", 120).unwrap();
        assert_eq!(claude_code(&once, "/usr/local/lib/ana/ana", 120).unwrap(), once);
        let v: Value = serde_json::from_str(&once).unwrap();
        assert_eq!(v["allowManagedHooksOnly"], true);
        assert_eq!(v["permissions"]["deny"][0], "Bash(curl:*)");
        assert!(v["hooks"]["PreToolUse"][0]["hooks"][0]["command"].as_str().unwrap().contains("hook --agent claude-code"));
        let removed: Value = serde_json::from_str(&claude_code_remove(&once).unwrap()).unwrap();
        assert_eq!(removed, serde_json::from_str::<Value>(before).unwrap());
    }

    #[test]
    fn gemini_system_settings_enable_hooks() {
        let once = gemini_cli("", "/usr/local/lib/ana/ana", 120).unwrap();
        let v: Value = serde_json::from_str(&once).unwrap();
        assert_eq!(v["hooksConfig"]["enabled"], true);
        assert_eq!(v["hooks"]["BeforeTool"][0]["hooks"][0]["timeout"], 120_000);
        assert_eq!(gemini_cli(&once, "/usr/local/lib/ana/ana", 120).unwrap(), once);
        assert_eq!(gemini_cli_remove(&once).unwrap().trim(), "{}");
    }

    #[test]
    fn codex_requirements_merge_and_remove() {
        let before = "# site policy\nallowed_sandbox_modes = [\"read-only\"]\n";
        let once = codex_requirements(before, "/usr/local/lib/ana/ana", 120).unwrap();
        assert_eq!(codex_requirements(&once, "/usr/local/lib/ana/ana", 120).unwrap(), once);
        let v: toml::Value = toml::from_str(&once).unwrap();
        assert_eq!(v["allow_managed_hooks_only"].as_bool(), Some(true));
        assert_eq!(v["features"]["hooks"].as_bool(), Some(true), "a user's `[features] hooks = false` must not switch the managed hook off");
        let h = &v["hooks"]["PreToolUse"][0]["hooks"][0];
        assert_eq!(h["type"].as_str(), Some("command"));
        assert_eq!(h["timeout"].as_integer(), Some(120));
        assert!(h["command"].as_str().unwrap().ends_with("hook --agent codex --timeout 120"));
        assert!(once.starts_with("# site policy"));
        assert_eq!(codex_requirements_remove(&once).unwrap(), before);
    }
}
