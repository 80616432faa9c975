//! Payload parsing for every agent, into the agent-independent [`Action`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::WireError;
use crate::action::{Action, Agent, Kind, Object};
use crate::policy::path::{normalize, spelling};

/// The largest payload the hook reads: a Write of a big generated file fits; more is denied.
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024 * 1024;

/// A JSON object's members, undecoded: only the fields a decision needs are ever decoded, so a
/// 1 MiB Write costs one validating scan, not a copy.
type Fields<'a> = BTreeMap<Cow<'a, str>, &'a RawValue>;

/// Parses one payload from `agent`. `home` expands `~` in paths. With `with_content`, the text a
/// Write or Edit carries is decoded too (for an approval prompt); the allow path skips it.
pub fn parse(agent: Agent, bytes: &[u8], home: &str, with_content: bool) -> Result<Action, WireError> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(WireError::TooLarge);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(WireError::Empty);
    }
    let Envelope { top: map, mut inputs } = envelope(bytes, with_content)?;

    // Copilot CLI's `preToolUse` event is camelCase; every other shape (Copilot's `PreToolUse`
    // included) uses Claude Code's snake_case keys.
    let camel = map.contains_key("toolName") && !map.contains_key("tool_name");
    let (session_key, tool_key, input_key) = if camel { ("sessionId", "toolName", "toolArgs") } else { ("session_id", "tool_name", "tool_input") };

    let cwd = string(&map, "cwd")?.ok_or(WireError::Missing("cwd"))?;
    if !cwd.starts_with('/') {
        return Err(WireError::RelativeCwd);
    }
    let cwd = normalize(&cwd, "/", home);
    let session = string(&map, session_key).map_err(|_| WireError::WrongType("session_id"))?.unwrap_or_default();
    let tool = string(&map, tool_key)?.ok_or(WireError::Missing("tool_name"))?;
    if tool.is_empty() {
        return Err(WireError::Missing("tool_name"));
    }
    let args_text: String;
    let input: Fields = match inputs.remove(input_key) {
        None | Some(Input::Null) => Fields::new(),
        Some(Input::Object(f)) => f,
        // Older Copilot CLI documentation shows `toolArgs` as a JSON string.
        Some(Input::Text(t)) if camel => {
            args_text = t;
            let mut de = serde_json::Deserializer::from_str(&args_text);
            let parsed = InputSeed { with_content }.deserialize(&mut de);
            match parsed {
                Ok(Input::Object(f)) if de.end().is_ok() => f,
                _ => return Err(WireError::WrongType("toolArgs")),
            }
        }
        Some(_) => return Err(WireError::WrongType("tool_input")),
    };
    let mcp_server = map.get("mcp_server").and_then(|r| serde_json::from_str::<McpServer>(r.get()).ok()).map(|m| m.name);
    // Gemini CLI's `mcp_context`: the call is an MCP server's tool.
    let mcp_server = mcp_server.or_else(|| {
        let ctx: Value = serde_json::from_str(map.get("mcp_context")?.get()).ok()?;
        let name = ["server_name", "serverName", "server", "name"].iter().find_map(|k| ctx.get(k).and_then(Value::as_str));
        Some(name.unwrap_or("").to_owned())
    });
    let (kind, object) = classify_tool(&tool, &input, mcp_server.as_deref(), &cwd, home, with_content)?;
    Ok(Action { agent, session, cwd, tool, kind, object })
}

/// The whole tool input of a payload, exactly as the agent sent it (`tool_input`, or Copilot CLI's
/// `toolArgs`, parsed when it is JSON text): what an approval binds, every member of it. `Null`
/// when the payload has none. Used on the approval path only.
pub fn tool_input(bytes: &[u8]) -> Result<Value, WireError> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(WireError::TooLarge);
    }
    let mut top: serde_json::Map<String, Value> = match serde_json::from_slice(bytes) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return Err(WireError::NotAnObject),
        Err(e) => return Err(WireError::Json(e.to_string())),
    };
    let camel = top.contains_key("toolName") && !top.contains_key("tool_name");
    let key = if camel { "toolArgs" } else { "tool_input" };
    match top.remove(key) {
        None => Ok(Value::Null),
        // Older Copilot CLI documentation shows `toolArgs` as a JSON string.
        Some(Value::String(t)) if camel => match serde_json::from_str::<Value>(&t) {
            Ok(v @ Value::Object(_)) => Ok(v),
            _ => Err(WireError::WrongType("toolArgs")),
        },
        Some(v) => Ok(v),
    }
}

#[derive(serde::Deserialize)]
struct McpServer {
    name: String,
}

/// Members of a tool input that carry file content: skipped unread unless content is wanted.
/// Prefix of a content key kept aside on the allow path.
const CONTENT_MARK: &str = "\u{0}content:";

/// Whether a Write or Edit of `path` is judged by its new text: package manifests whose scripts
/// run at install, and requirements files that can name another index.
fn content_decides(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    crate::policy::content::content_decides(path)
        || name == "package.json"
        || ((name.starts_with("requirements") || name.starts_with("constraints")) && (name.ends_with(".txt") || name.ends_with(".in")))
}

const CONTENT_KEYS: &[&str] = &["content", "file_text", "new_string", "old_string", "new_str", "old_str", "new_source", "new_text", "old_text", "edits"];

/// The payload's top level, undecoded, with the tool input (`tool_input` or `toolArgs`) parsed in
/// the same pass.
struct Envelope<'a> {
    top: Fields<'a>,
    inputs: BTreeMap<&'static str, Input<'a>>,
}

enum Input<'a> {
    Null,
    Object(Fields<'a>),
    Text(String),
    Other,
}

fn envelope(bytes: &[u8], with_content: bool) -> Result<Envelope<'_>, WireError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let env = EnvelopeSeed { with_content }.deserialize(&mut de).and_then(|e| de.end().map(|()| e));
    match env {
        Ok(e) => Ok(e),
        Err(e) if e.is_data() => Err(WireError::NotAnObject),
        Err(e) => Err(WireError::Json(e.to_string())),
    }
}

struct EnvelopeSeed {
    with_content: bool,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed {
    type Value = Envelope<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed {
    type Value = Envelope<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut top = Fields::new();
        let mut inputs = BTreeMap::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "tool_input" => {
                    inputs.insert("tool_input", map.next_value_seed(InputSeed { with_content: self.with_content })?);
                }
                "toolArgs" => {
                    inputs.insert("toolArgs", map.next_value_seed(InputSeed { with_content: self.with_content })?);
                }
                _ => {
                    top.insert(key, map.next_value::<&'de RawValue>()?);
                }
            }
        }
        Ok(Envelope { top, inputs })
    }
}

struct InputSeed {
    with_content: bool,
}

impl<'de> DeserializeSeed<'de> for InputSeed {
    type Value = Input<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for InputSeed {
    type Value = Input<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the tool's input")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fields::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            // Content is kept undecoded (a borrowed slice): decoded only for a prompt, or for the
            // few files whose new text decides (see `content_decides`).
            if !self.with_content && CONTENT_KEYS.contains(&key.as_ref()) {
                fields.insert(Cow::Owned(format!("{CONTENT_MARK}{key}")), map.next_value::<&'de RawValue>()?);
            } else {
                fields.insert(key, map.next_value::<&'de RawValue>()?);
            }
        }
        Ok(Input::Object(fields))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Input::Text(v.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Input::Text(v))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Input::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Input::Null)
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Input::Other)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Input::Other)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Input::Other)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Input::Other)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Input::Other)
    }
}

fn fields(bytes: &[u8]) -> Result<Fields<'_>, WireError> {
    match serde_json::from_slice::<Fields>(bytes) {
        Ok(f) => Ok(f),
        Err(e) if e.is_data() => Err(WireError::NotAnObject),
        Err(e) => Err(WireError::Json(e.to_string())),
    }
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
    let map = fields(bytes).ok()?;
    if map.contains_key("toolName") {
        return Some(Agent::CopilotCli);
    }
    match string(&map, "hook_event_name").ok().flatten().as_deref() {
        Some("BeforeTool") => Some(Agent::GeminiCli),
        Some("PreToolUse") if map.contains_key("turn_id") => Some(Agent::Codex),
        Some("PreToolUse") if map.contains_key("transcript_path") => Some(Agent::ClaudeCode),
        _ => None,
    }
}

/// A string member: `Ok(None)` when absent or null, an error when present with another type.
fn string(map: &Fields, key: &'static str) -> Result<Option<String>, WireError> {
    match map.get(key) {
        None => Ok(None),
        Some(r) if r.get() == "null" => Ok(None),
        Some(r) => serde_json::from_str::<String>(r.get()).map(Some).map_err(|_| WireError::WrongType(key)),
    }
}

/// The first of `keys` present in `input`, as a string; a present non-string is an error.
fn field(input: &Fields, keys: &[&'static str]) -> Result<Option<String>, WireError> {
    for key in keys {
        if let Some(s) = string(input, key)? {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

fn required(input: &Fields, keys: &[&'static str]) -> Result<String, WireError> {
    field(input, keys)?.ok_or(WireError::Missing(keys[0]))
}

/// The tool input as JSON, members kept aside as content included under their own names (an MCP
/// tool's `content` argument is judged like the rest).
/// A tool's arguments as one JSON value. An argument that does not parse (nested past the JSON
/// reader's limit) is an error: read as nothing, it would hide what it holds.
fn to_value(input: &Fields) -> Result<serde_json::Value, WireError> {
    input
        .iter()
        .map(|(k, v)| {
            let key = k.strip_prefix(CONTENT_MARK).unwrap_or(k);
            serde_json::from_str(v.get()).map(|v| (key.to_string(), v)).map_err(|e| WireError::Json(format!("`tool_input.{key}`: {e}")))
        })
        .collect::<Result<serde_json::Map<_, _>, _>>()
        .map(serde_json::Value::Object)
}

/// The files a tool names: normalized, with the spelling of those a link could take elsewhere.
fn file_object(paths: &[String], cwd: &str, home: &str, content: Option<String>, old: Option<String>) -> Object {
    let spelled: Vec<Option<String>> = paths.iter().map(|p| spelling(p, cwd, home)).collect();
    let spelled = if spelled.iter().any(Option::is_some) { spelled } else { Vec::new() };
    Object::Files { paths: paths.iter().map(|p| normalize(p, cwd, home)).collect(), spelled, content, old, pattern: None }
}

const PATH_KEYS: &[&str] = &["file_path", "path", "absolute_path", "notebook_path", "dir_path"];

fn classify_tool(tool: &str, input: &Fields, mcp_server: Option<&str>, cwd: &str, home: &str, with_content: bool) -> Result<(Kind, Object), WireError> {
    let files = |paths: Vec<String>, content: Option<String>, old: Option<String>| file_object(&paths, cwd, home, content, old);
    let decides = field(input, PATH_KEYS).ok().flatten().is_some_and(|p| content_decides(&p));
    let content = |keys: &[&'static str]| -> Result<Option<String>, WireError> {
        if with_content {
            field(input, keys)
        } else if decides {
            for key in keys {
                if let Some(r) = input.get(format!("{CONTENT_MARK}{key}").as_str())
                    && r.get() != "null"
                {
                    return serde_json::from_str::<String>(r.get()).map(Some).map_err(|_| WireError::WrongType(key));
                }
            }
            Ok(None)
        } else {
            Ok(None)
        }
    };
    let lower = tool.to_ascii_lowercase();
    if let Some(rest) = tool.strip_prefix("mcp__") {
        let (server, name) = rest.split_once("__").unwrap_or((rest, ""));
        let server = mcp_server.unwrap_or(server);
        return Ok((Kind::Mcp, Object::Mcp { server: server.into(), tool: name.into(), input: to_value(input)? }));
    }
    let kind_obj = match lower.as_str() {
        // Shells: Claude Code and Codex `Bash`, Copilot `bash`/`powershell`, Gemini `run_shell_command`.
        "bash" | "run_shell_command" | "shell" | "exec_command" | "local_shell" | "powershell" => {
            let raw = input.get("command").or_else(|| input.get("cmd")).ok_or(WireError::Missing("command"))?;
            let command = match serde_json::from_str::<serde_json::Value>(raw.get()) {
                Ok(serde_json::Value::String(s)) => s,
                // Codex's older `shell` tool sends argv as an array.
                Ok(serde_json::Value::Array(argv)) => argv_to_command(&argv)?,
                Ok(serde_json::Value::Null) => return Err(WireError::Missing("command")),
                _ => return Err(WireError::WrongType("command")),
            };
            // Gemini CLI's `directory` and Codex's `workdir`: the command runs there, which is
            // what the rules must see (`rm -rf *` in `../..`).
            let command = match field(input, &["directory", "dir_path", "workdir", "working_directory", "cwd"])? {
                Some(dir) if !dir.is_empty() && dir != "." => format!("cd {}; {command}", crate::policy::shell::quote(&dir)),
                _ => command,
            };
            (Kind::Exec, Object::Command { command })
        }
        "write" | "create" | "write_file" => {
            let path = required(input, PATH_KEYS)?;
            (Kind::Write, files(vec![path], content(&["content", "file_text"])?, None))
        }
        "edit" | "multiedit" | "replace" | "str_replace" | "notebookedit" | "str_replace_editor" => {
            let path = required(input, PATH_KEYS)?;
            let mut new = content(&["new_string", "new_str", "new_source", "new_text"])?;
            let mut old = content(&["old_string", "old_str", "old_text"])?;
            // MultiEdit: `edits` is a list of {old_string, new_string}; its new text is judged
            // as an Edit's is (a lifecycle script added to package.json).
            let edits = if with_content {
                input.get("edits")
            } else if decides {
                input.get(format!("{CONTENT_MARK}edits").as_str())
            } else {
                None
            };
            if new.is_none()
                && let Some(raw) = edits
            {
                let list: Vec<serde_json::Value> = serde_json::from_str(raw.get()).map_err(|_| WireError::WrongType("edits"))?;
                let joined = |key: &str| list.iter().filter_map(|e| e.get(key).and_then(|v| v.as_str())).collect::<Vec<_>>().join("\n");
                new = Some(joined("new_string"));
                old = Some(joined("old_string"));
            }
            (Kind::Edit, files(vec![path], new, old))
        }
        "apply_patch" => {
            let patch = input.iter().filter(|(k, _)| !k.starts_with(CONTENT_MARK)).find_map(|(_, r)| serde_json::from_str::<String>(r.get()).ok()).ok_or(WireError::Missing("patch"))?;
            let paths = patch_paths(&patch);
            if paths.is_empty() {
                return Err(WireError::Missing("patch file paths"));
            }
            (Kind::Edit, files(paths, with_content.then_some(patch), None))
        }
        "read" | "view" | "read_file" | "notebookread" => {
            let path = field(input, PATH_KEYS)?.unwrap_or_else(|| cwd.to_owned());
            (Kind::Read, files(vec![path], None, None))
        }
        // Searches read whole trees: the directory they start in, and for a glob pattern that
        // names a place (`~/.aws/**`), the directory it starts with.
        t if crate::policy::SEARCH_TOOLS.contains(&t) => {
            let mut paths = vec![field(input, PATH_KEYS)?.unwrap_or_else(|| cwd.to_owned())];
            for key in ["pattern", "glob", "include", "file_pattern"] {
                if let Ok(Some(p)) = field(input, &[key])
                    && (p.starts_with('/') || p.starts_with('~') || p.starts_with("..") || p.contains("/../"))
                {
                    let root = p.find(['*', '?', '[', '{']).map_or(p.as_str(), |i| &p[..p[..i].rfind('/').unwrap_or(0).max(1)]);
                    paths.push(if p.starts_with('/') || p.starts_with('~') { root.to_owned() } else { format!("{}/{root}", paths[0]) });
                }
            }
            let mut object = file_object(&paths, cwd, home, None, None);
            // (What a content search looks for: `Grep` for `BEGIN .*PRIVATE` prints the keys.)
            if matches!(t, "grep" | "search_file_content" | "grep_search" | "ripgrep" | "search" | "codebase_search")
                && let Object::Files { pattern, .. } = &mut object
            {
                *pattern = field(input, &["pattern", "query", "regex"])?;
            }
            (Kind::Read, object)
        }
        // Gemini CLI's memory: text added to ~/.gemini/GEMINI.md, read into every later session.
        "save_memory" => (Kind::Write, files(vec![format!("{home}/.gemini/GEMINI.md")], content(&["fact"])?, None)),
        "read_many_files" => {
            let paths: Vec<String> = input.get("paths").and_then(|r| serde_json::from_str(r.get()).ok()).ok_or(WireError::Missing("paths"))?;
            (Kind::Read, files(paths, None, None))
        }
        "webfetch" | "web_fetch" | "fetch" => {
            let mut url = required(input, &["url", "prompt"])?;
            // Gemini CLI's web_fetch takes a prompt holding the URLs: the whole text is judged.
            if url.is_empty() {
                url = field(input, &["prompt"])?.unwrap_or_default();
            }
            (Kind::Fetch, Object::Url { url })
        }
        "websearch" | "web_search" | "google_web_search" => {
            let q = field(input, &["query"])?.unwrap_or_default();
            (Kind::Fetch, Object::Url { url: format!("search:{q}") })
        }
        _ => match mcp_name(tool, mcp_server) {
            Some((server, name)) => (Kind::Mcp, Object::Mcp { server, tool: name, input: to_value(input)? }),
            None => (Kind::Other, Object::Raw { input: to_value(input)? }),
        },
    };
    Ok(kind_obj)
}

/// The server and tool of an MCP tool named otherwise than `mcp__server__tool`: Gemini CLI's
/// `server__tool` (its spelling when two servers' tools clash), `mcp_server_tool`, or any tool
/// the payload says an MCP server provides (`mcp_server`, `mcp_context`).
fn mcp_name(tool: &str, server: Option<&str>) -> Option<(String, String)> {
    if let Some((s, t)) = tool.split_once("__") {
        return Some((server.unwrap_or(s).to_owned(), t.to_owned()));
    }
    if let Some(rest) = tool.strip_prefix("mcp_") {
        let (s, t) = rest.split_once('_').unwrap_or((rest, rest));
        return Some((server.unwrap_or(s).to_owned(), t.to_owned()));
    }
    server.map(|s| (s.to_owned(), tool.to_owned()))
}

fn argv_to_command(argv: &[Value]) -> Result<String, WireError> {
    let words: Result<Vec<String>, WireError> = argv.iter().map(|a| a.as_str().map(crate::policy::shell::quote).ok_or(WireError::WrongType("command"))).collect();
    Ok(words?.join(" "))
}

/// The files a Codex `apply_patch` envelope touches.
fn patch_paths(patch: &str) -> Vec<String> {
    const MARKERS: [&str; 4] = ["*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: "];
    patch.lines().filter_map(|l| MARKERS.iter().find_map(|m| l.trim_start().strip_prefix(m))).map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect()
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
