//! The command line (clap types only).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "ana", version, about = "Agent Native Authorization: no standing privilege for AI coding agents", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AgentName {
    ClaudeCode,
    CopilotCli,
    GeminiCli,
    Codex,
}

impl AgentName {
    pub fn agent(self) -> crate::action::Agent {
        use crate::action::Agent;
        match self {
            AgentName::ClaudeCode => Agent::ClaudeCode,
            AgentName::CopilotCli => Agent::CopilotCli,
            AgentName::GeminiCli => Agent::GeminiCli,
            AgentName::Codex => Agent::Codex,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run as an agent's pre-tool hook: read the payload on stdin, answer in the agent's format.
    Hook {
        #[arg(long, value_enum)]
        agent: Option<AgentName>,
        /// The agent's hook timeout in seconds; ana always answers before it.
        #[arg(long)]
        timeout: Option<f64>,
    },
    /// Classify a payload on stdin without side effects and without contacting anything.
    Check {
        #[arg(long, value_enum)]
        agent: Option<AgentName>,
        /// Print one JSON object: {"decision","rule","reason"}.
        #[arg(long)]
        json: bool,
    },
    /// Show how a shell command is parsed and which rule decides each part.
    Explain {
        /// The command, exactly as an agent would send it.
        command: String,
        /// The directory it runs in (default: the current directory).
        #[arg(long)]
        cwd: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Validate, show and test policies.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// The approval agent: `ana agent [--daemonize] [--authenticator usb|nfc|soft]`, `ana agent stop`, `ana agent status`.
    #[command(disable_help_flag = true)]
    Agent {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Enroll a security key: `ana enroll [--authenticator usb|nfc|soft] [--name NAME]`.
    #[command(disable_help_flag = true)]
    Enroll {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Enrolled keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The approval prompt: every pending request, what exactly it asks; y approves (then touch
    /// the key), n denies.
    Approve {
        /// Approve without the prompt (the one pending request, or ID), printing it whole. A hardware key still
        /// needs its touch.
        #[arg(long)]
        yes: bool,
        /// A line-mode prompt for terminals without a full-screen UI.
        #[arg(long, conflicts_with = "yes")]
        plain: bool,
        id: Option<u64>,
    },
    /// Deny a pending request (the one pending, or ID).
    Deny {
        id: Option<u64>,
        /// Told to the agent's model.
        #[arg(long)]
        reason: Option<String>,
    },
    /// A tour on a temporary home with the software key: allow, deny, approve, a late approval.
    Demo,
    /// Wire ana into an agent's hook settings (claude-code, copilot-cli, gemini-cli, codex), or the
    /// approval agent into your service manager (service).
    Install {
        #[arg(value_parser = parse_target)]
        target: InstallTarget,
        /// user (your home), project (this repository, shared), local (this repository, yours).
        #[arg(long, value_enum, default_value = "user")]
        scope: Scope,
        /// The hook's deadline in seconds, written both to the agent and to the hook.
        #[arg(long, default_value_t = crate::install::DEFAULT_TIMEOUT)]
        timeout: u32,
    },
    /// Remove exactly what `ana install` added.
    Uninstall {
        #[arg(value_parser = parse_target)]
        target: InstallTarget,
        #[arg(long, value_enum, default_value = "user")]
        scope: Scope,
    },
    /// Check the installation and explain how to fix what is wrong.
    Doctor,
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(hide = true)]
    Man,
    /// The approval history: list (newest first), show, verify, export, stats, prune.
    History {
        #[command(subcommand)]
        command: Option<HistoryCommand>,
        #[command(flatten)]
        filter: HistoryFilter,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallTarget {
    Agent(crate::action::Agent),
    Service,
}

fn parse_target(s: &str) -> Result<InstallTarget, String> {
    match s {
        "service" => Ok(InstallTarget::Service),
        other => crate::action::Agent::from_name(other).map(InstallTarget::Agent).ok_or_else(|| format!("`{other}`: choose claude-code, copilot-cli, gemini-cli, codex or service")),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    User,
    Project,
    Local,
}

#[derive(Debug, Clone, clap::Args)]
pub struct HistoryFilter {
    /// From this time: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS (UTC), or a duration ago (30m, 12h, 7d).
    #[arg(long)]
    pub since: Option<String>,
    /// Before this time.
    #[arg(long)]
    pub until: Option<String>,
    #[arg(long)]
    pub agent: Option<String>,
    #[arg(long)]
    pub session: Option<String>,
    /// allow or deny.
    #[arg(long)]
    pub decision: Option<String>,
    #[arg(long)]
    pub rule: Option<String>,
    /// Text in the summary, reason or cwd.
    #[arg(long)]
    pub grep: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// A JSON array, for scripts.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// One record in full, with its proof checked.
    Show { id: i64 },
    /// Re-check the chain and every signature; exits 1 naming the first bad record.
    Verify,
    /// Every record as JSON lines, oldest first.
    Export,
    /// Counts by decision, rule, agent and day; the median time to approve.
    Stats,
    /// Delete records before a date; the rest stays verifiable.
    Prune {
        #[arg(long)]
        before: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List enrolled keys.
    List,
    /// Remove a key (by id prefix or name); needs an approval with another enrolled key.
    Remove { key: String },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy file (default: every layer that applies here).
    Check { file: Option<PathBuf> },
    /// Print the effective layered policy.
    Show {
        /// Print the built-in packs' TOML too.
        #[arg(long)]
        full: bool,
    },
    /// Run a labelled corpus (JSON lines: id, expect allow|block, tool_name, tool_input).
    Test {
        file: PathBuf,
        /// The agent whose payload shape to build.
        #[arg(long, value_enum, default_value = "claude-code")]
        agent: AgentName,
        /// The session's working directory for every case.
        #[arg(long, default_value = "/home/dev/project")]
        cwd: String,
    },
}
