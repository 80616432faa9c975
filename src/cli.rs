//! The command line (clap types only).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ana",
    version,
    about = "Agent Native Authorization: no standing privilege for AI coding agents",
    long_about = None,
    after_help = top_after_help()
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
    /// Run as a coding agent's pre-tool hook: read the payload on stdin, answer in the agent's format.
    ///
    /// The answer always comes before the agent's deadline. `ana install AGENT` wires it; you do
    /// not run it by hand. Its own fast parser reads these options (the general command line costs time on every
    /// tool call). Its exit status and output follow each agent's hook protocol: nothing on stdout
    /// means no opinion; a deny is the agent's deny JSON.
    #[command(
        after_help = "Examples:\n  ana hook --agent claude-code < payload.json      what Claude Code's settings run before every tool call\n  ana hook --agent gemini-cli --timeout 60 < payload.json"
    )]
    Hook {
        /// Whose payload and answer format (detected when left out).
        #[arg(short, long, value_enum)]
        agent: Option<AgentName>,
        /// The agent's hook timeout in seconds; ana always answers before it (default: 120,
        /// Copilot CLI 30, Gemini CLI 60).
        #[arg(short, long, value_name = "SECONDS")]
        timeout: Option<f64>,
    },
    /// Run a command confined by the kernel (Landlock), as the hook does for `confine` rules.
    ///
    /// The command may write only beneath the project, the temp directories and its profile's
    /// build caches, and cannot read the policy's secrets. Its own parser reads these options (it starts every confined command); exactly one of
    /// -c, `-- PROGRAM` and --explain.
    #[command(
        after_help = "Examples:\n  ana run --explain                              the areas the default profile may write\n  ana run --project . -c 'cargo build'           a command, confined to this project\n  ana run --profile project --explain            the built-in profile, named"
    )]
    Run {
        /// The confinement profile: its write areas and the secrets it may read.
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// The project the command may write beneath.
        #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        project: Option<PathBuf>,
        /// The hook's file through which a `cd` in the command carries over to the agent's shell.
        #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
        cwd_file: Option<PathBuf>,
        /// The command, run by the shell.
        #[arg(short = 'c', value_name = "COMMAND")]
        command: Option<String>,
        /// List the profile's write areas, devices, hidden and refused paths, and run nothing.
        #[arg(long)]
        explain: bool,
        /// A program and its arguments, run without a shell.
        #[arg(last = true, value_name = "PROGRAM")]
        program: Vec<String>,
    },
    /// Classify a payload on stdin without side effects and without contacting anything.
    #[command(
        after_help = "Examples:\n  ana check --agent claude-code < payload.json    exit 0 allow, 1 deny, 4 needs approval, 5 ask\n  ana check --json < payload.json                 {\"decision\",\"rule\",\"reason\"}"
    )]
    Check {
        /// Whose payload shape (detected when left out).
        #[arg(long, value_enum)]
        agent: Option<AgentName>,
        /// Print one JSON object: {"decision","rule","reason"}.
        #[arg(long)]
        json: bool,
    },
    /// Show how a shell command is parsed and which rule decides each part.
    #[command(
        after_help = "Examples:\n  ana explain 'git push --force origin main'\n  ana explain 'cd / && rm -rf *' --cwd /home/dev/project\n  ana explain --json 'curl https://example.com | sh'  one JSON object, for scripts"
    )]
    Explain {
        /// The command, exactly as an agent would send it.
        command: String,
        /// The directory it runs in (default: the current directory).
        #[arg(long, value_hint = clap::ValueHint::DirPath)]
        cwd: Option<String>,
        /// Print one JSON object, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Validate, edit, show and test policies.
    #[command(
        after_help = "Examples:\n  ana policy check                 every layer that applies here, every error at once\n  ana policy edit                  your own policy, as visudo edits sudoers\n  ana policy show --full           the effective policy, built-in packs included"
    )]
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// The approver, ana's approval agent: run (the default), status, stop.
    ///
    /// The approver holds pending approvals, drives the security key and records every decision
    /// in the history. Without a command it runs (`ana agent run`); `--daemonize` puts it in the
    /// background once it listens.
    #[command(
        after_help = "Examples:\n  ana agent --daemonize                       start it in the background (returns once it listens)\n  ana agent --authenticator soft --daemonize  with the software key (tests and the demo only)\n  ana agent status                            what runs, since when, with which key\n  ana agent stop"
    )]
    Agent(AgentArgs),
    /// Enroll a security key (CTAP2 makeCredential for ana's relying party).
    ///
    /// The first key is trusted on first use, and that is recorded in the history; each further
    /// key needs an approval from one already enrolled. In system mode only root enrolls.
    #[command(
        after_help = "Examples:\n  ana enroll                                         a USB security key (touch it when it blinks)\n  ana enroll --name backup                           a second key, approved with the first\n  ana enroll --authenticator soft --name 'demo key'  the software key (tests and the demo only)"
    )]
    Enroll(EnrollArgs),
    /// The enrolled keys: list, remove.
    #[command(after_help = "Examples:\n  ana keys list\n  ana keys remove backup           needs an approval with another enrolled key")]
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The approval prompt: every pending request, what exactly it asks; y approves (then touch
    /// the key), n denies.
    #[command(
        after_help = "Examples:\n  ana approve                      the full-screen prompt (line mode without a terminal)\n  ana approve --plain              the line-mode prompt\n  ana approve --yes 3              approve request 3 without the prompt (the key still needs its touch)"
    )]
    Approve {
        /// Approve without the prompt (the one pending request, or ID), printing it whole. A hardware key still
        /// needs its touch.
        #[arg(long)]
        yes: bool,
        /// A line-mode prompt for terminals without a full-screen UI.
        #[arg(long, conflicts_with = "yes")]
        plain: bool,
        /// The pending request's number, as the prompt shows it.
        id: Option<u64>,
    },
    /// Deny a pending request (the one pending, or ID).
    #[command(after_help = "Examples:\n  ana deny                         the one pending request\n  ana deny 3 --reason 'not on main; open a pull request'")]
    Deny {
        /// The pending request's number, as the prompt shows it.
        id: Option<u64>,
        /// Told to the agent's model.
        #[arg(long)]
        reason: Option<String>,
    },
    /// A tour on a temporary home with the software key: allow, deny, approve, a late approval.
    #[command(after_help = "Examples:\n  ana demo                         nothing of yours is touched; it waits for you at every step")]
    Demo,
    /// Wire ana into a coding agent, the approver into your service manager, or set up system mode.
    ///
    /// claude-code, copilot-cli, gemini-cli, codex: the agent's hook settings. service: the
    /// approver in your service manager. system (with sudo): system mode, where the trust anchor
    /// is out of the reach of your user and so of your agents.
    #[command(
        after_help = "Examples:\n  ana install claude-code                          ~/.claude/settings.json\n  ana install gemini-cli --scope project           this repository's .gemini/settings.json\n  ana install service                              start the approver with your session\n  sudo ana install system                          system mode"
    )]
    Install {
        /// What to wire: a coding agent, the approver's service, or system mode.
        #[arg(value_enum)]
        target: InstallTarget,
        /// Which of the agent's settings files (local: Claude Code only).
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
    #[command(after_help = "Examples:\n  ana uninstall claude-code\n  sudo ana uninstall system --purge              also the approver's history and account")]
    Uninstall {
        /// What to unwire: a coding agent, the approver's service, or system mode.
        #[arg(value_enum)]
        target: InstallTarget,
        /// The scope it was installed in.
        #[arg(long, value_enum, default_value = "user")]
        scope: Scope,
        /// system: also remove the approval agent's state (history) and its account.
        #[arg(long)]
        purge: bool,
    },
    /// System mode, as root: give the touch a software key waits for (tests and demos only).
    #[command(after_help = "Examples:\n  sudo ana touch                   touch for the next ceremony that waits\n  sudo ana touch --wait 60")]
    Touch {
        /// How long to wait for a ceremony that wants a touch (seconds).
        #[arg(long, default_value_t = 30)]
        wait: u64,
    },
    /// Check the installation and explain how to fix what is wrong.
    #[command(after_help = "Examples:\n  ana doctor                       exit 1 when something is wrong, each with its fix")]
    Doctor,
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  ana completions bash > ~/.local/share/bash-completion/completions/ana\n  ana completions zsh > ~/.zfunc/_ana\n  ana completions fish > ~/.config/fish/completions/ana.fish"
    )]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write every page — one per command — into DIR.
    #[command(hide = true)]
    Man {
        /// Write `ana.1`, `ana-approve.1`, … for every command into this directory.
        #[arg(long, value_hint = clap::ValueHint::DirPath)]
        dir: Option<PathBuf>,
    },
    /// The approval history: list (newest first), show, verify, export, stats, prune.
    ///
    /// On a terminal, the list is an interactive browser: type to filter, Enter shows a record
    /// and its verified proof, q/Esc quits. Piped or redirected, it is a table.
    #[command(after_help = format!("{}\n\n{}", crate::record::documented_values(), "Examples:\n  ana history                      the newest 50 records\n  ana history --since yesterday --decision deny\n  ana history --agent codex --grep 'git push' --limit 200\n  ana history show 42              one record with its verified proof"))]
    History {
        #[command(subcommand)]
        command: Option<HistoryCommand>,
        #[command(flatten)]
        filter: HistoryFilter,
    },
}

/// What `ana install` wires: an agent's hook, the approver's service, or system mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallTarget {
    Agent(crate::action::Agent),
    Service,
    /// System mode (root).
    System,
}

/// By hand rather than derived, for the agents' names and the spellings `Agent::from_name`
/// accepts (`claude`, `copilot`, …); listed, these values reach completions and `--help`.
impl ValueEnum for InstallTarget {
    fn value_variants<'a>() -> &'a [Self] {
        use crate::action::Agent;
        &[
            InstallTarget::Agent(Agent::ClaudeCode),
            InstallTarget::Agent(Agent::CopilotCli),
            InstallTarget::Agent(Agent::GeminiCli),
            InstallTarget::Agent(Agent::Codex),
            InstallTarget::Service,
            InstallTarget::System,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use crate::action::Agent;
        use clap::builder::PossibleValue;
        Some(match self {
            InstallTarget::Agent(a) => {
                let aliases: &[&str] = match a {
                    Agent::ClaudeCode => &["claude"],
                    Agent::CopilotCli => &["copilot"],
                    Agent::GeminiCli => &["gemini"],
                    Agent::Codex => &["codex-cli"],
                };
                PossibleValue::new(a.name()).aliases(aliases.iter().copied()).help(match a {
                    Agent::ClaudeCode => "Claude Code's settings.json",
                    Agent::CopilotCli => "Copilot CLI's hooks/ana.json",
                    Agent::GeminiCli => "Gemini CLI's settings.json",
                    Agent::Codex => "Codex's hooks.json and its trust entry",
                })
            }
            InstallTarget::Service => PossibleValue::new("service").help("the approver in your service manager (systemd user unit, launchd agent)"),
            InstallTarget::System => PossibleValue::new("system").help("system mode, as root: the trust anchor out of your user's reach"),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    /// Your home: every project.
    User,
    /// This repository, in a file shared with everyone who clones it.
    Project,
    /// This repository, in a file of yours alone.
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
    /// Only this session's calls (the coding agent's session id, whole).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Only allowed or only denied calls.
    #[arg(long, value_enum)]
    pub decision: Option<HistoryDecision>,
    /// Only the calls this rule decided (its id, e.g. `git.force-push`; `ana explain` names it).
    #[arg(long, value_name = "RULE_ID")]
    pub rule: Option<String>,
    /// Text in the summary, reason or cwd.
    #[arg(long, value_name = "TEXT")]
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
    crate::time::parse(s, crate::time::now_ms(), crate::time::Zone::Utc).map(|_| s.to_owned())
}

/// A history record's decision, as a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HistoryDecision {
    Allow,
    Deny,
}

impl HistoryDecision {
    /// The records' decision this filter selects.
    pub fn outcome(self) -> crate::record::Outcome {
        match self {
            HistoryDecision::Allow => crate::record::Outcome::Allow,
            HistoryDecision::Deny => crate::record::Outcome::Deny,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// One record in full, with its proof checked.
    #[command(after_help = "Examples:\n  ana history show 42\n  ana history show 42 --utc")]
    Show {
        /// The record's number (the ID column of `ana history`).
        id: i64,
    },
    /// Re-check the chain and every signature; exits 1 naming the first bad record.
    #[command(after_help = "Examples:\n  ana history verify")]
    Verify,
    /// Every record as JSON lines, oldest first.
    #[command(after_help = "Examples:\n  ana history export > history.jsonl")]
    Export,
    /// Counts by decision, rule, agent and day; the median time to approve.
    #[command(after_help = "Examples:\n  ana history stats\n  ana history stats --since '30 days ago'")]
    Stats,
    /// Delete records before a date; the rest stays verifiable.
    #[command(after_help = "Examples:\n  ana history prune --before 90d --dry-run    how many would go\n  ana history prune --before 2026-01-01")]
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
    #[command(after_help = "Examples:\n  ana keys list")]
    List,
    /// Remove a key (by id prefix or name); needs an approval with another enrolled key.
    #[command(after_help = "Examples:\n  ana keys remove backup\n  ana keys remove pQz7             by the start of its credential id, as `ana keys list` shows it")]
    Remove {
        /// The key's name or the start of its credential id (`ana keys list`).
        key: String,
    },
}

/// A policy layer a person edits or checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LayerName {
    /// The site policy in /etc/ana (root's).
    System,
    /// Yours (~/.config/ana/policy.toml).
    User,
    /// This repository's .ana/policy.toml: it may only tighten.
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
    #[command(
        after_help = "Examples:\n  ana policy check                        every layer that applies here\n  ana policy check .ana/policy.toml       judged as a project's file\n  ana policy check draft.toml --layer user"
    )]
    Check {
        /// The file (default: every layer that applies in this directory).
        #[arg(value_hint = clap::ValueHint::FilePath)]
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
        /// Which layer's file: yours, this repository's (.ana/policy.toml) or, as root, the site's.
        #[arg(long, value_enum, default_value = "user")]
        layer: LayerName,
    },
    /// Print the effective layered policy.
    #[command(after_help = "Examples:\n  ana policy show\n  ana policy show --full | less")]
    Show {
        /// Print the built-in packs' TOML too.
        #[arg(long)]
        full: bool,
    },
    /// Run a labelled corpus (JSON lines: id, expect allow|block, tool_name, tool_input).
    #[command(after_help = "Examples:\n  ana policy test cases.jsonl\n  ana policy test cases.jsonl --agent codex --cwd /srv/app")]
    Test {
        /// The corpus, one JSON object a line.
        #[arg(value_hint = clap::ValueHint::FilePath)]
        file: PathBuf,
        /// The agent whose payload shape to build.
        #[arg(long, value_enum, default_value = "claude-code")]
        agent: AgentName,
        /// The session's working directory for every case.
        #[arg(long, default_value = "/home/dev/project", value_hint = clap::ValueHint::DirPath)]
        cwd: String,
    },
}

/// An authenticator the approver drives (`--authenticator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AuthenticatorName {
    /// A USB security key (FIDO2/CTAP2).
    Usb,
    /// An NFC security key, through PC/SC (pcscd).
    Nfc,
    /// USB keys through ctap-hid-fido2, for keys the default stack mishandles.
    UsbCtaphid,
    /// The software key: insecure, for tests and the demo only.
    Soft,
}

/// `ana agent …`: the approver's command line. The same types parse it in `ana` (for help,
/// completions and the man pages, and to refuse a bad command line before handing over) and in
/// `ana-agent`, the binary `ana agent` hands the arguments to unchanged (see [`agent_command`]).
#[derive(Debug, Clone, clap::Args)]
pub struct AgentArgs {
    #[command(subcommand)]
    pub command: Option<AgentCommand>,
    /// Before the command, or without one: `ana agent --daemonize`, `ana-agent --system run`.
    #[command(flatten)]
    pub run: AgentRunArgs,
}

impl AgentArgs {
    /// The run options written before `run` and after it (`ana-agent --system run --daemonize`).
    pub fn run_args(&self) -> AgentRunArgs {
        match &self.command {
            Some(AgentCommand::Run(after)) => self.run.or(after),
            _ => self.run.clone(),
        }
    }
}

/// The default of `--grant-ttl`, seconds.
pub const DEFAULT_GRANT_TTL: u64 = 300;
/// The default of `--touch-timeout`, seconds.
pub const DEFAULT_TOUCH_TIMEOUT: u64 = 30;

/// How the approver runs.
#[derive(Debug, Clone, clap::Args)]
pub struct AgentRunArgs {
    /// Which authenticator approvals use (default: USB; the software key when only software keys
    /// are enrolled).
    #[arg(long, value_enum)]
    pub authenticator: Option<AuthenticatorName>,
    /// Return once the approver listens; it keeps running in the background and logs to
    /// `agent.log` in its state directory.
    #[arg(long)]
    pub daemonize: bool,
    /// How long an approval that arrives after the hook stopped waiting stays usable (seconds).
    #[arg(long, default_value_t = DEFAULT_GRANT_TTL, value_name = "SECONDS")]
    pub grant_ttl: u64,
    /// No desktop notifications (they are on when a desktop session is there).
    #[arg(long)]
    pub no_notify: bool,
    /// System mode: run as the approver's own account (started as root, it prepares its
    /// directories and drops to that account), trusting only /etc/ana.
    #[arg(long)]
    pub system: bool,
    /// System mode, software key: how long a ceremony waits for `sudo ana touch` (seconds).
    #[arg(long, default_value_t = DEFAULT_TOUCH_TIMEOUT, value_name = "SECONDS")]
    pub touch_timeout: u64,
}

impl AgentRunArgs {
    /// These options, with what `after` sets (a flag given, a value other than the default).
    fn or(&self, after: &AgentRunArgs) -> AgentRunArgs {
        AgentRunArgs {
            authenticator: after.authenticator.or(self.authenticator),
            daemonize: self.daemonize || after.daemonize,
            grant_ttl: if after.grant_ttl != DEFAULT_GRANT_TTL { after.grant_ttl } else { self.grant_ttl },
            no_notify: self.no_notify || after.no_notify,
            system: self.system || after.system,
            touch_timeout: if after.touch_timeout != DEFAULT_TOUCH_TIMEOUT { after.touch_timeout } else { self.touch_timeout },
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum AgentCommand {
    /// Run the approver (the default): in the foreground, or with --daemonize in the background.
    #[command(
        after_help = "Examples:\n  ana agent run                        in the foreground, logging to the terminal (ANA_LOG=debug for more)\n  ana agent run --daemonize            the same as `ana agent --daemonize`\n  sudo ana agent --system --daemonize  system mode, as the approver's own account"
    )]
    Run(AgentRunArgs),
    /// Stop the running approver; pending requests are denied.
    #[command(after_help = "Examples:\n  ana agent stop\n  ana agent stop --json             the approver's answer as JSON, for scripts")]
    Stop {
        /// Print the approver's answer as JSON, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// What runs, since when, which authenticator and keys, what is pending and granted.
    #[command(after_help = "Examples:\n  ana agent status\n  ana agent status --json           one JSON object, for scripts")]
    Status {
        /// Print one JSON object, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// `ana enroll`, as handed over to the approver's binary.
    #[command(hide = true)]
    Enroll(EnrollArgs),
}

/// `ana enroll …`, handed over to `ana-agent enroll …` unchanged.
#[derive(Debug, Clone, clap::Args)]
pub struct EnrollArgs {
    /// Which authenticator to enroll (default: a USB security key).
    #[arg(long, value_enum)]
    pub authenticator: Option<AuthenticatorName>,
    /// The key's name, unique among the enrolled keys (`ana keys remove NAME`).
    #[arg(long, default_value = "security key")]
    pub name: String,
    /// System mode, software key: how long to wait for `sudo ana touch` (seconds).
    #[arg(long, default_value_t = DEFAULT_TOUCH_TIMEOUT, value_name = "SECONDS")]
    pub touch_timeout: u64,
}

/// The approver binary's command line: `ana agent`'s own definition, named for its usage lines
/// (`Usage: ana agent …`), so the two binaries cannot disagree on what `ana agent …` accepts.
pub fn agent_command() -> clap::Command {
    let cli = <Cli as clap::CommandFactory>::command();
    let agent = cli.find_subcommand("agent").expect("`agent` is a subcommand of `Cli`").clone();
    agent.name("ana-agent").bin_name("ana agent").version(env!("CARGO_PKG_VERSION"))
}

/// The exit-code policy of every command but `hook` (see `cmd::Exit`), for `--help` and `ana(1)`.
pub const EXIT_STATUS: &[(u8, &str)] = &[
    (0, "success; ana check: allowed, or allowed to run confined"),
    (1, "no: a deny, nothing pending, a decision that did not go through, problems found (doctor, history verify, policy check)"),
    (2, "usage error: the command line was wrong"),
    (3, "failure: ana could not do it (the approver unreachable, a file unreadable, an internal error)"),
    (4, "ana check: needs approval on the key"),
    (5, "ana check: deferred to the coding agent's own prompt"),
];

/// Every environment variable ana reads, for `ana(1)` and the README (a test keeps the `ANA_*`
/// ones complete). Names separated by ", " share a meaning.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "ANA_HOME",
        "User mode only: keep all of ana's files below this directory (config/, data/, run/) instead of the platform's directories (XDG on Linux, ~/Library on macOS), as the demo and the tests do. System mode ignores it: nothing in the environment moves the trust anchor.",
    ),
    (
        "ANA_LOG",
        "The approver's log filter (tracing's syntax: error, warn, info, debug, ana_agent=trace); default info. In the foreground it logs to the terminal, with --daemonize to agent.log in its state directory.",
    ),
    (
        "AIRFLOW_HOME",
        "Read by the hook, as Airflow reads it: where `airflow dags test|trigger ID` and `airflow tasks test` find the DAG whose code they run ($AIRFLOW_HOME/dags), so that its code is judged.",
    ),
    ("AIRFLOW__CORE__DAGS_FOLDER", "Read by the hook, as Airflow reads it: the DAG folder the code of a DAG Airflow runs is looked for in, besides $AIRFLOW_HOME/dags and ./dags."),
    ("ANA_CONFINE", "off: read by the hook in the coding agent's environment; no confinement, so calls whose rule says confine need approval instead, as on a kernel without Landlock."),
    ("ANA_HOOK_TEST_CRASH", "Debug builds only (tests): abort, segv or overflow makes the hook crash on purpose after reading its payload, to show that a crash still answers deny."),
    ("XDG_CONFIG_HOME", "Linux, user mode: your policy (policy.toml) in $XDG_CONFIG_HOME/ana when it is an absolute path, by default ~/.config/ana. On macOS: ~/Library/Application Support/ana."),
    (
        "XDG_DATA_HOME",
        "Linux, user mode: the enrolled keys, the history, the approver's state and log, and any software key in $XDG_DATA_HOME/ana when it is an absolute path, by default ~/.local/share/ana. On macOS: ~/Library/Application Support/ana.",
    ),
    (
        "XDG_RUNTIME_DIR",
        "Linux, user mode: the approver's socket in $XDG_RUNTIME_DIR/ana; without it (and on macOS), a private directory under the data directory (run/), never a shared one such as /tmp.",
    ),
    (
        "HOME",
        "Where the platform's directories for ana (the XDG defaults; ~/Library on macOS) and each coding agent's settings (~/.claude, ~/.copilot, ~/.gemini) are; unset, the account's home directory.",
    ),
    ("CODEX_HOME", "Codex's directory (default ~/.codex), where ana install codex writes; set for its hooks, it also tells ana hook the caller is Codex."),
    (
        "CLAUDECODE, GEMINI_CLI, GEMINI_SESSION_ID, COPILOT_CLI, CODEX_SANDBOX",
        "Set by the coding agents for their hooks: ana hook and ana check without --agent tell the agent by them (else by the payload's shape).",
    ),
    ("VISUAL, EDITOR", "ana policy edit: the editor, $VISUAL first (default vi)."),
    ("NO_COLOR", "Set and not empty: the prompt draws without colour."),
    ("TERM", "dumb or empty: ana approve uses the line-mode prompt (--plain), as it does without a terminal."),
    ("DBUS_SESSION_BUS_ADDRESS", "Linux: the approver shows desktop notifications only when a session bus is there (--no-notify turns them off)."),
    ("SUDO_USER", "sudo ana install system: the user who may reach the approver, when --user is not given."),
    ("USER, LOGNAME", "The user name recorded with each decision in the history."),
    ("PATH", "ana agent and ana enroll run ana-agent from beside ana, else from PATH."),
    (
        "TMUX, TMUX_PANE, TERM_PROGRAM",
        "Read by the hook when it asks for an approval (never on allow or deny): the tmux pane and terminal the call came from, shown in the prompt as context that is not signed.",
    ),
    ("TERMINAL", "The terminal the notification's \"Open prompt\" action starts ana approve in, when xdg-terminal-exec and x-terminal-emulator are not there."),
];

/// The files ana reads and writes, for `ana(1)`.
pub const FILES: &[(&str, &str)] = &[
    ("~/.config/ana/policy.toml", "User mode: your policy (ana policy edit)."),
    ("~/.local/share/ana/keys.json", "User mode: the enrolled keys (public parts), each endorsed by one enrolled before it."),
    ("~/.local/share/ana/", "User mode: the history (history.db), the approver's state and its log (agent.log)."),
    ("$XDG_RUNTIME_DIR/ana/agent.sock", "User mode: the approver's socket (without XDG_RUNTIME_DIR: run/agent.sock in the data directory)."),
    ("~/Library/Application Support/ana/", "macOS, user mode: the policy, the enrolled keys, the history, the approver's state and log, and its socket (run/agent.sock)."),
    (".ana/policy.toml", "A project's policy: it may only tighten (add deny and approve rules)."),
    ("/etc/ana/", "System mode: the trust anchor, root's: enrolled keys (keys.json), the site policy (policy.toml), settings (settings.toml)."),
    ("/var/lib/ana/", "System mode: the approver's state and history, its own account's."),
    ("/run/ana/agent.sock", "System mode: the approver's socket."),
];

/// One example from a command's `--help`: the command line and what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub command: String,
    pub what: String,
}

/// The examples in `cmd`'s after-help: the lines under "Examples:", each a command, then two or
/// more spaces, then what it does (optional).
pub fn examples(cmd: &clap::Command) -> Vec<Example> {
    let Some(text) = cmd.get_after_help() else { return Vec::new() };
    let text = text.to_string();
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line == "Examples:" {
            inside = true;
            continue;
        }
        let Some(body) = line.strip_prefix("  ").filter(|_| inside) else {
            inside = false;
            continue;
        };
        let (command, what) = body.split_once("  ").unwrap_or((body, ""));
        out.push(Example { command: command.trim().to_owned(), what: what.trim().to_owned() });
    }
    out
}

/// `ana --help`'s closing text: examples and the exit status.
fn top_after_help() -> String {
    let codes: String = EXIT_STATUS.iter().map(|(c, m)| format!("\n  {c}  {m}")).collect();
    format!(
        "Examples:\n  ana demo                          a guided tour on a temporary home with the software key\n  ana explain 'git push --force'    what the rules say about a command, without running it\n  ana install claude-code           wire ana into a coding agent\n  ana agent --daemonize             start the approver\n  ana approve                       the approval prompt\n\nExit status (every command but `ana hook`, which answers in each agent's protocol):{codes}\n\nThe approver is ana's approval agent (`ana agent`); \"agent\" alone means a coding agent.\nEnvironment variables and files: `ana man | man -l -`."
    )
}
