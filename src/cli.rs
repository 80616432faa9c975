//! The command line (clap types only).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ana",
    version,
    about = "Agent Native Authorization: no standing privilege for AI coding agents",
    long_about = None,
    after_help = "Examples:\n  ana demo                          a guided tour on a temporary home with the software key\n  ana explain 'git push --force'    what the rules say about a command, without running it\n  ana install claude-code           wire ana into an agent\n  ana approve                       the approval prompt\n\nExit status: 0 success (check: allowed, or allowed to run confined), 1 no (a deny, nothing pending, problems found), 2 usage error, 3 failure (e.g. the approval agent is unreachable), 4 check: needs approval, 5 check: deferred to the agent's prompt."
)]
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
    /// Run a command confined: what the hook puts in front of a command whose rule says
    /// `confine` (`ana run [--profile NAME] [--project DIR] -c 'COMMAND'`; `--explain` lists the areas).
    Run {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
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
    /// Wire ana into an agent's hook settings (claude-code, copilot-cli, gemini-cli, codex), the
    /// approval agent into your service manager (service), or — with sudo — set up system mode
    /// (system), where the trust anchor is out of the reach of your user and so of your agents.
    Install {
        #[arg(value_parser = parse_target)]
        target: InstallTarget,
        /// user (your home), project (this repository, shared), local (this repository, yours).
        #[arg(long, value_enum, default_value = "user")]
        scope: Scope,
        /// The hook's deadline in seconds, written both to the agent and to the hook.
        #[arg(long, default_value_t = crate::install::DEFAULT_TIMEOUT)]
        timeout: u32,
        /// system: let a SOFTWARE key count (tests and demos only; `sudo ana touch` is its finger).
        #[arg(long)]
        allow_software_key: bool,
        /// system: the user who may reach the approval agent (default: the one running sudo).
        #[arg(long)]
        user: Option<String>,
    },
    /// Remove exactly what `ana install` added.
    Uninstall {
        #[arg(value_parser = parse_target)]
        target: InstallTarget,
        #[arg(long, value_enum, default_value = "user")]
        scope: Scope,
        /// system: also remove the approval agent's state (history) and its account.
        #[arg(long)]
        purge: bool,
    },
    /// System mode, as root: give the touch a software key waits for (tests and demos only).
    Touch {
        /// How long to wait for a ceremony that wants a touch (seconds).
        #[arg(long, default_value_t = 30)]
        wait: u64,
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
    ///
    /// On a terminal, the list is an interactive browser: type to filter, Enter shows a record
    /// and its verified proof, q/Esc quits. Piped or redirected, it is a table.
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
    /// System mode (root).
    System,
}

fn parse_target(s: &str) -> Result<InstallTarget, String> {
    match s {
        "service" => Ok(InstallTarget::Service),
        "system" => Ok(InstallTarget::System),
        other => crate::action::Agent::from_name(other).map(InstallTarget::Agent).ok_or_else(|| format!("`{other}`: choose claude-code, copilot-cli, gemini-cli, codex, service or system")),
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
    /// From this time: `yesterday`, `today`, `2h`, `3 days ago`, `2026-11-29`, `2026-11-29 14:00`
    /// (local time; a trailing `Z` means UTC).
    #[arg(long, global = true, value_parser = time_arg)]
    pub since: Option<String>,
    /// Before this time (same forms as --since).
    #[arg(long, global = true, value_parser = time_arg)]
    pub until: Option<String>,
    /// Only this coding agent's calls.
    #[arg(long, value_enum)]
    pub agent: Option<AgentName>,
    #[arg(long)]
    pub session: Option<String>,
    /// Only allowed or only denied calls.
    #[arg(long, value_enum)]
    pub decision: Option<HistoryDecision>,
    #[arg(long)]
    pub rule: Option<String>,
    /// Text in the summary, reason or cwd.
    #[arg(long)]
    pub grep: Option<String>,
    /// At most this many records, newest first.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// A JSON array, for scripts.
    #[arg(long)]
    pub json: bool,
    /// Show and read times in UTC instead of local time.
    #[arg(long, global = true)]
    pub utc: bool,
}

/// Checks a time argument's spelling when the command line is read (the zone is applied later).
fn time_arg(s: &str) -> Result<String, String> {
    crate::history::time::parse(s, crate::history::time::now_ms(), crate::history::time::Zone::Utc).map(|_| s.to_owned())
}

/// A history record's decision, as a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HistoryDecision {
    Allow,
    Deny,
}

impl HistoryDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryDecision::Allow => "allow",
            HistoryDecision::Deny => "deny",
        }
    }
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
        /// Records older than this go (same forms as --since).
        #[arg(long, value_parser = time_arg)]
        before: String,
        /// Say how many records would go, and delete nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List enrolled keys.
    List,
    /// Remove a key (by id prefix or name); needs an approval with another enrolled key.
    Remove { key: String },
}

/// A policy layer a person edits or checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LayerName {
    System,
    User,
    Project,
}

impl LayerName {
    pub fn layer(self) -> crate::policy::schema::Layer {
        use crate::policy::schema::Layer;
        match self {
            LayerName::System => Layer::System,
            LayerName::User => Layer::User,
            LayerName::Project => Layer::Project,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy file (default: every layer that applies here): every error at once,
    /// with file:line:col, the line and "did you mean"; rules that can never match are flagged.
    Check {
        file: Option<PathBuf>,
        /// Judge FILE as this layer's (default: by where it is — `.ana/policy.toml` is a
        /// project's, /etc/ana a system's, anything else yours).
        #[arg(long, value_enum, requires = "file")]
        layer: Option<LayerName>,
    },
    /// Edit a policy in $VISUAL/$EDITOR, as visudo does: a copy is edited, checked, and installed
    /// only when it compiles.
    #[command(
        after_help = "Examples:\n  ana policy edit                  your own policy (~/.config/ana/policy.toml)\n  ana policy edit --layer project  this repository's .ana/policy.toml\n  sudo ana policy edit --layer system"
    )]
    Edit {
        #[arg(long, value_enum, default_value = "user")]
        layer: LayerName,
    },
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
