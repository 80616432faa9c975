//! The agent-independent description of one tool call.
//!
//! Adapters in `wire` build an [`Action`]; the policy and the approval agent only ever see this
//! type. It does no I/O.

use serde::Serialize;

/// Which agent sent the tool call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agent {
    ClaudeCode,
    CopilotCli,
    GeminiCli,
    Codex,
}

impl Agent {
    /// Every agent ana knows, in the order the CLI lists them.
    pub const ALL: [Agent; 4] = [Agent::ClaudeCode, Agent::CopilotCli, Agent::GeminiCli, Agent::Codex];

    /// The agent's name as written on the command line (`--agent NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "claude-code",
            Agent::CopilotCli => "copilot-cli",
            Agent::GeminiCli => "gemini-cli",
            Agent::Codex => "codex",
        }
    }

    /// Parses a name from the command line; a few common spellings are accepted.
    pub fn from_name(name: &str) -> Option<Agent> {
        match name {
            "claude-code" | "claude" => Some(Agent::ClaudeCode),
            "copilot-cli" | "copilot" => Some(Agent::CopilotCli),
            "gemini-cli" | "gemini" => Some(Agent::GeminiCli),
            "codex" | "codex-cli" => Some(Agent::Codex),
            _ => None,
        }
    }
}

/// What kind of thing the tool does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Exec,
    Write,
    Edit,
    Read,
    Fetch,
    Mcp,
    Other,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Exec => "exec",
            Kind::Write => "write",
            Kind::Edit => "edit",
            Kind::Read => "read",
            Kind::Fetch => "fetch",
            Kind::Mcp => "mcp",
            Kind::Other => "other",
        }
    }
}

/// The object the tool acts on.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Object {
    /// A shell command, exactly as the agent sent it.
    Command { command: String },
    /// One or more files. Paths are absolute and normalized (no `.` or `..`).
    Files {
        paths: Vec<String>,
        /// For each path that goes up (`..`) after naming a directory, its absolute spelling
        /// before `..` was removed (`None` for the others; empty when none does): a symbolic
        /// link among the named directories changes where the kernel takes it (`lnk/../x` is
        /// `x` beside the link's target), and the policy judges it there too.
        #[serde(skip)]
        spelled: Vec<Option<String>>,
        /// For writes and edits: the new text, when the tool sends it (diffs in the prompt).
        #[serde(skip_serializing_if = "Option::is_none")]
        content: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        old: Option<String>,
        /// For a search tool (Grep): what it looks for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pattern: Option<String>,
    },
    /// A URL to fetch, or a search query.
    Url { url: String },
    /// An MCP tool call.
    Mcp { server: String, tool: String, input: serde_json::Value },
    /// Anything else: the raw tool input.
    Raw { input: serde_json::Value },
}

/// One tool call, independent of the agent that sent it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Action {
    pub agent: Agent,
    pub session: String,
    /// The session's working directory, absolute.
    pub cwd: String,
    /// The tool's own name, as the agent spelled it (`Bash`, `run_shell_command`, …).
    pub tool: String,
    pub kind: Kind,
    pub object: Object,
}

impl Action {
    /// A one-line summary for prompts, logs and the history.
    pub fn summary(&self) -> String {
        match &self.object {
            Object::Command { command } => one_line(command, 200),
            Object::Files { paths, .. } => format!("{} {}", self.kind.name(), paths.join(" ")),
            Object::Url { url } => format!("{} {url}", self.tool),
            Object::Mcp { server, tool, .. } => format!("mcp {server}/{tool}"),
            Object::Raw { .. } => self.tool.clone(),
        }
    }
}

/// Squeezes text onto one line and cuts it at `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    if text.len() <= max && text.bytes().all(|b| b >= b' ' && b != 0x7f && b < 0x80) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len().min(max.saturating_add(3)));
    for (n, c) in text.chars().map(|c| if c.is_control() { ' ' } else { c }).enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}
