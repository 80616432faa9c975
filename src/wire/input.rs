//! Payload parsing for every agent, into the agent-independent [`Action`].

use serde_json::{Map, Value};

use super::WireError;
use crate::action::{Action, Agent, Kind, Object};
use crate::policy::path::normalize;

/// The largest payload the hook reads: a Write of a big generated file fits; more is denied.
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024 * 1024;

/// Parses one payload from `agent`. `home` expands `~` in paths.
pub fn parse(agent: Agent, bytes: &[u8], home: &str) -> Result<Action, WireError> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(WireError::TooLarge);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(WireError::Empty);
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| WireError::Json(e.to_string()))?;
    let Value::Object(map) = value else { return Err(WireError::NotAnObject) };

    // Copilot CLI's `preToolUse` event is camelCase; every other shape (Copilot's `PreToolUse`
    // included) uses Claude Code's snake_case keys.
    let camel = map.contains_key("toolName") && !map.contains_key("tool_name");
    let (session_key, tool_key, input_key) =
        if camel { ("sessionId", "toolName", "toolArgs") } else { ("session_id", "tool_name", "tool_input") };

    let cwd = string(&map, "cwd")?;
    if !cwd.starts_with('/') {
        return Err(WireError::RelativeCwd);
    }
    let cwd = normalize(cwd, "/", home);
    let session = match map.get(session_key) {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(_) => return Err(WireError::WrongType("session_id")),
    };
    let tool = string(&map, tool_key)?.to_owned();
    if tool.is_empty() {
        return Err(WireError::Missing("tool_name"));
    }
    let input = match map.get(input_key) {
        Some(Value::Object(o)) => o.clone(),
        // Older Copilot CLI documentation shows `toolArgs` as a JSON string.
        Some(Value::String(s)) if camel => match serde_json::from_str(s) {
            Ok(Value::Object(o)) => o,
            _ => return Err(WireError::WrongType("toolArgs")),
        },
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(WireError::WrongType("tool_input")),
    };
    let mcp_server = map.get("mcp_server").and_then(|m| m.get("name")).and_then(Value::as_str);
    let (kind, object) = classify_tool(&tool, &input, mcp_server, &cwd, home)?;
    Ok(Action { agent, session, cwd, tool, kind, object })
}

/// Guesses the agent from the payload's shape and the environment the agent gives its hooks.
/// `env` looks a variable up (the process environment in production).
pub fn detect_agent(bytes: &[u8], env: impl Fn(&str) -> Option<String>) -> Option<Agent> {
    if env("CLAUDECODE").is_some() {
        return Some(Agent::ClaudeCode);
    }
    if env("GEMINI_SESSION_ID").is_some() || env("GEMINI_CLI").is_some() {
        return Some(Agent::GeminiCli);
    }
    if env("COPILOT_CLI").is_some() {
        return Some(Agent::CopilotCli);
    }
    if env("CODEX_HOME").is_some() || env("CODEX_SANDBOX").is_some() {
        return Some(Agent::Codex);
    }
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(bytes) else { return None };
    if map.contains_key("toolName") {
        return Some(Agent::CopilotCli);
    }
    match map.get("hook_event_name").and_then(Value::as_str) {
        Some("BeforeTool") => Some(Agent::GeminiCli),
        Some("PreToolUse") if map.contains_key("turn_id") => Some(Agent::Codex),
        Some("PreToolUse") if map.contains_key("transcript_path") => Some(Agent::ClaudeCode),
        _ => None,
    }
}

fn string<'a>(map: &'a Map<String, Value>, key: &'static str) -> Result<&'a str, WireError> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(WireError::Missing(key)),
        Some(_) => Err(WireError::WrongType(key)),
    }
}

/// The first of `keys` present in `input`, as a string; a present non-string is an error.
fn field<'a>(input: &'a Map<String, Value>, keys: &[&'static str]) -> Result<Option<&'a str>, WireError> {
    for key in keys {
        match input.get(*key) {
            Some(Value::String(s)) => return Ok(Some(s)),
            None | Some(Value::Null) => {}
            Some(_) => return Err(WireError::WrongType(key)),
        }
    }
    Ok(None)
}

fn required<'a>(input: &'a Map<String, Value>, keys: &[&'static str]) -> Result<&'a str, WireError> {
    field(input, keys)?.ok_or(WireError::Missing(keys[0]))
}

const PATH_KEYS: &[&str] = &["file_path", "path", "absolute_path", "notebook_path", "dir_path"];

fn classify_tool(
    tool: &str,
    input: &Map<String, Value>,
    mcp_server: Option<&str>,
    cwd: &str,
    home: &str,
) -> Result<(Kind, Object), WireError> {
    let files = |paths: Vec<String>, content: Option<String>, old: Option<String>| Object::Files {
        paths: paths.iter().map(|p| normalize(p, cwd, home)).collect(),
        content,
        old,
    };
    let lower = tool.to_ascii_lowercase();
    if let Some(rest) = tool.strip_prefix("mcp__") {
        let (server, name) = rest.split_once("__").unwrap_or((rest, ""));
        let server = mcp_server.unwrap_or(server);
        return Ok((Kind::Mcp, Object::Mcp { server: server.into(), tool: name.into(), input: input.clone().into() }));
    }
    let kind_obj = match lower.as_str() {
        // Shells: Claude Code and Codex `Bash`, Copilot `bash`/`powershell`, Gemini `run_shell_command`.
        "bash" | "run_shell_command" | "shell" | "exec_command" | "local_shell" | "powershell" => {
            let command = match input.get("command").or_else(|| input.get("cmd")) {
                Some(Value::String(s)) => s.clone(),
                // Codex's older `shell` tool sends argv as an array.
                Some(Value::Array(argv)) => argv_to_command(argv)?,
                None | Some(Value::Null) => return Err(WireError::Missing("command")),
                Some(_) => return Err(WireError::WrongType("command")),
            };
            (Kind::Exec, Object::Command { command })
        }
        "write" | "create" | "write_file" => {
            let path = required(input, PATH_KEYS)?;
            let content = field(input, &["content", "file_text"])?.map(str::to_owned);
            (Kind::Write, files(vec![path.into()], content, None))
        }
        "edit" | "multiedit" | "replace" | "str_replace" | "notebookedit" | "str_replace_editor" => {
            let path = required(input, PATH_KEYS)?;
            let new = field(input, &["new_string", "new_str", "new_source", "new_text"])?.map(str::to_owned);
            let old = field(input, &["old_string", "old_str", "old_text"])?.map(str::to_owned);
            let new = new.or_else(|| input.get("edits").map(|e| e.to_string()));
            (Kind::Edit, files(vec![path.into()], new, old))
        }
        "apply_patch" => {
            let patch = input.values().find_map(Value::as_str).ok_or(WireError::Missing("patch"))?;
            let paths = patch_paths(patch);
            if paths.is_empty() {
                return Err(WireError::Missing("patch file paths"));
            }
            (Kind::Edit, files(paths, Some(patch.to_owned()), None))
        }
        "read" | "view" | "read_file" | "ls" | "list_directory" | "glob" | "grep" | "search_file_content"
        | "notebookread" => {
            let path = field(input, PATH_KEYS)?.unwrap_or(cwd);
            (Kind::Read, files(vec![path.into()], None, None))
        }
        "read_many_files" => {
            let paths = match input.get("paths") {
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                _ => return Err(WireError::Missing("paths")),
            };
            (Kind::Read, files(paths, None, None))
        }
        "webfetch" | "web_fetch" | "fetch" => {
            let url = required(input, &["url", "prompt"])?;
            (Kind::Fetch, Object::Url { url: url.into() })
        }
        "websearch" | "web_search" | "google_web_search" => {
            let q = field(input, &["query"])?.unwrap_or_default();
            (Kind::Fetch, Object::Url { url: format!("search:{q}") })
        }
        _ => (Kind::Other, Object::Raw { input: input.clone().into() }),
    };
    Ok(kind_obj)
}

fn argv_to_command(argv: &[Value]) -> Result<String, WireError> {
    let mut words = Vec::with_capacity(argv.len());
    for a in argv {
        let s = a.as_str().ok_or(WireError::WrongType("command"))?;
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b)) {
            words.push(s.to_owned());
        } else {
            words.push(format!("'{}'", s.replace('\'', r"'\''")));
        }
    }
    Ok(words.join(" "))
}

/// The files a Codex `apply_patch` envelope touches.
fn patch_paths(patch: &str) -> Vec<String> {
    const MARKERS: [&str; 4] = ["*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: "];
    patch
        .lines()
        .filter_map(|l| MARKERS.iter().find_map(|m| l.trim_start().strip_prefix(m)))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_quoting() {
        let argv = vec![Value::from("bash"), Value::from("-lc"), Value::from("rm -rf '/'")];
        assert_eq!(argv_to_command(&argv).unwrap(), r"bash -lc 'rm -rf '\''/'\'''");
    }

    #[test]
    fn patch_files() {
        let p = "*** Begin Patch\n*** Update File: src/a.rs\n@@\n-x\n+y\n*** Delete File: b.txt\n*** End Patch";
        assert_eq!(patch_paths(p), vec!["src/a.rs", "b.txt"]);
    }
}
