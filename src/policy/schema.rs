//! The policy file format (TOML) and its compiled form.
//!
//! Shared, through `#[path]`, by `build.rs` (which compiles the built-in packs into the binary)
//! and the library (which compiles a user's and a project's files). The compiled form is a
//! postcard blob whose strings borrow from the blob itself, so loading it parses no TOML and
//! copies no text. No I/O here.

use serde::{Deserialize, Serialize};

/// What a rule decides. Ordered by severity: a later variant wins over an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Decision {
    Allow,
    Ask,
    Approve,
    Deny,
}

impl Decision {
    pub fn name(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Ask => "ask",
            Decision::Approve => "approve",
            Decision::Deny => "deny",
        }
    }
}

/// How strongly an approval must be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// A touch of the key (CTAP2 user presence).
    Presence,
    /// A PIN or a biometric (CTAP2 user verification).
    Verification,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Presence => "presence",
            Level::Verification => "verification",
        }
    }
}

/// Which layer a rule came from; later layers are listed last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Layer {
    Builtin,
    System,
    User,
    Project,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Builtin => "builtin",
            Layer::System => "system",
            Layer::User => "user",
            Layer::Project => "project",
        }
    }
}

/// Named bit sets: tool kinds, facts about a parsed command, and classes of paths.
macro_rules! bits {
    ($table:ident, $( $name:ident = $bit:expr, $text:literal; )*) => {
        $( pub const $name: u32 = 1 << $bit; )*
        pub const $table: &[(&str, u32)] = &[ $( ($text, $name), )* ];
    };
}

pub mod tool {
    bits! { NAMES,
        EXEC = 0, "exec"; READ = 1, "read"; WRITE = 2, "write"; EDIT = 3, "edit"; DELETE = 4, "delete";
        FETCH = 5, "fetch"; MCP = 6, "mcp"; OTHER = 7, "other";
    }
}

/// Facts the shell analysis finds about a simple command; rules match them with `fact = [...]`.
pub mod fact {
    bits! { NAMES,
        DYNAMIC_PROGRAM = 0, "dynamic-program";
        COMPUTED_SCRIPT = 1, "computed-script";
        PIPED_SCRIPT = 2, "piped-script";
        REMOTE_SCRIPT = 3, "remote-script";
        INLINE_SCRIPT = 4, "inline-script";
        UNPARSABLE = 5, "unparsable";
        TOO_DEEP = 6, "too-deep";
        FORK_BOMB = 7, "fork-bomb";
        DYNAMIC_ARGS = 8, "dynamic-args";
        HIDDEN_SUBSTITUTION = 9, "hidden-substitution";
        SCRIPT_FILE = 10, "script-file";
    }
}

/// Classes of a path argument or a file effect's target; rules match them with `target = [...]`.
pub mod class {
    bits! { NAMES,
        ROOT = 0, "root";
        HOME = 1, "home";
        SYSTEM = 2, "system";
        OUTSIDE_PROJECT = 3, "outside-project";
        PROJECT_ROOT = 4, "project-root";
        INSIDE_PROJECT = 5, "inside-project";
        TEMP = 6, "temp";
        DYNAMIC = 7, "dynamic";
        DEVICE = 8, "device";
    }
}

/// Looks a name up in a bit table.
pub fn bit(table: &[(&str, u32)], name: &str) -> Option<u32> {
    table.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// Which arguments of a command are paths, for `target` and `path` matchers on `exec` rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PathArgs<'a> {
    /// Every positional argument after the subcommand.
    Positional,
    /// Every positional argument after the first (chmod MODE FILE…, chown OWNER FILE…).
    SkipFirst,
    /// The last positional argument.
    Last,
    /// Operands written `NAME=PATH` (dd's `of=`).
    Operand(&'a str),
}

/// One compiled rule. Every list is "any of"; every present matcher must match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule<'a> {
    pub id: &'a str,
    pub description: &'a str,
    pub decision: Decision,
    pub level: Level,
    pub layer: Layer,
    /// Part of the self-protection pack: no later layer can disable or loosen it.
    pub protected: bool,
    pub tools: u32,
    #[serde(borrow)]
    pub programs: Vec<&'a str>,
    #[serde(borrow)]
    pub subcommands: Vec<Vec<&'a str>>,
    #[serde(borrow)]
    pub verbs: Vec<&'a str>,
    #[serde(borrow)]
    pub any_flag: Vec<&'a str>,
    #[serde(borrow)]
    pub all_flags: Vec<Vec<&'a str>>,
    #[serde(borrow)]
    pub unless_flag: Vec<&'a str>,
    #[serde(borrow)]
    pub args: Vec<&'a str>,
    #[serde(borrow)]
    pub unless_arg: Vec<&'a str>,
    #[serde(borrow)]
    pub contains: Vec<&'a str>,
    pub targets: u32,
    #[serde(borrow)]
    pub paths: Vec<&'a str>,
    #[serde(borrow)]
    pub unless_path: Vec<&'a str>,
    #[serde(borrow)]
    pub path_args: PathArgs<'a>,
    pub forceful: Option<bool>,
    #[serde(borrow)]
    pub hosts: Vec<&'a str>,
    #[serde(borrow)]
    pub mcp_servers: Vec<&'a str>,
    #[serde(borrow)]
    pub mcp_tools: Vec<&'a str>,
    #[serde(borrow)]
    pub agents: Vec<&'a str>,
    pub facts: u32,
    #[serde(borrow)]
    pub stdin_from: Vec<&'a str>,
}

/// What a program's options look like, so positional arguments can be told from option values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Program<'a> {
    pub name: &'a str,
    #[serde(borrow)]
    pub options_with_value: Vec<&'a str>,
}

/// One compiled layer: a pack, or a policy file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Compiled<'a> {
    #[serde(borrow)]
    pub rules: Vec<Rule<'a>>,
    #[serde(borrow)]
    pub programs: Vec<Program<'a>>,
    /// Rule ids this layer switches off (never a protected rule's).
    #[serde(borrow)]
    pub disable: Vec<&'a str>,
}

// ---------------------------------------------------------------------------------------------
// The TOML form.

/// A policy file or a built-in pack, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    #[serde(default)]
    pub pack: Option<PackSpec>,
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub program: Vec<ProgramSpec>,
    #[serde(default)]
    pub rule: Vec<toml::Spanned<RuleSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackSpec {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub protected: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramSpec {
    pub name: String,
    #[serde(default)]
    pub options_with_value: Vec<String>,
}

/// One rule as written. See the README's policy section for each matcher.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub description: String,
    pub decision: String,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub tool: Vec<String>,
    #[serde(default)]
    pub program: Vec<String>,
    #[serde(default)]
    pub subcommand: Vec<String>,
    #[serde(default)]
    pub verb: Vec<String>,
    #[serde(default)]
    pub any_flag: Vec<String>,
    #[serde(default)]
    pub all_flags: Vec<Vec<String>>,
    #[serde(default)]
    pub unless_flag: Vec<String>,
    #[serde(default)]
    pub arg: Vec<String>,
    #[serde(default)]
    pub unless_arg: Vec<String>,
    #[serde(default)]
    pub contains: Vec<String>,
    #[serde(default)]
    pub target: Vec<String>,
    #[serde(default)]
    pub path: Vec<String>,
    #[serde(default)]
    pub unless_path: Vec<String>,
    #[serde(default)]
    pub path_args: Option<String>,
    #[serde(default)]
    pub forceful: Option<bool>,
    #[serde(default)]
    pub host: Vec<String>,
    #[serde(default)]
    pub mcp_server: Vec<String>,
    #[serde(default)]
    pub mcp_tool: Vec<String>,
    #[serde(default)]
    pub agent: Vec<String>,
    #[serde(default)]
    pub fact: Vec<String>,
    #[serde(default)]
    pub stdin_from: Vec<String>,
}

/// A policy error with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.len(), |nl| before.len() - nl - 1) + 1;
    (line, column)
}

/// Parses a TOML policy file. Errors carry the line and column they point at.
pub fn parse_file(text: &str) -> Result<PolicyFile, SpecError> {
    toml::from_str::<PolicyFile>(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        SpecError { line, column, message: e.message().to_owned() }
    })
}

/// Compiles a parsed file into rules that borrow from it. `protected_pack` is true only for the
/// built-in self-protection pack.
pub fn compile<'a>(file: &'a PolicyFile, text: &str, layer: Layer) -> Result<Compiled<'a>, SpecError> {
    let protected = file.pack.as_ref().is_some_and(|p| p.protected);
    if protected && layer != Layer::Builtin {
        return Err(SpecError { line: 1, column: 1, message: "only a built-in pack can be protected".into() });
    }
    let mut rules = Vec::with_capacity(file.rule.len());
    for spanned in &file.rule {
        let (line, column) = line_col(text, spanned.span().start);
        let err = |message: String| SpecError { line, column, message };
        let spec = spanned.get_ref();
        rules.push(compile_rule(spec, layer, protected).map_err(|m| err(format!("rule `{}`: {m}", spec.id)))?);
    }
    let programs = file
        .program
        .iter()
        .map(|p| Program { name: &p.name, options_with_value: p.options_with_value.iter().map(String::as_str).collect() })
        .collect();
    Ok(Compiled { rules, programs, disable: file.disable.iter().map(String::as_str).collect() })
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn bits_of(table: &[(&str, u32)], names: &[String], what: &str) -> Result<u32, String> {
    let mut out = 0;
    for n in names {
        out |= bit(table, n).ok_or_else(|| {
            let known: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            format!("unknown {what} `{n}` (known: {})", known.join(", "))
        })?;
    }
    Ok(out)
}

fn compile_rule<'a>(s: &'a RuleSpec, layer: Layer, protected: bool) -> Result<Rule<'a>, String> {
    if s.id.is_empty() || !s.id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
        return Err("an id is letters, digits, `-`, `_` and `.`".into());
    }
    if s.description.trim().is_empty() {
        return Err("a rule needs a description: it is the reason the agent and the user read".into());
    }
    let decision = match s.decision.as_str() {
        "allow" => Decision::Allow,
        "ask" => Decision::Ask,
        "approve" => Decision::Approve,
        "deny" => Decision::Deny,
        other => return Err(format!("unknown decision `{other}` (allow, ask, approve, deny)")),
    };
    let level = match (s.level.as_deref(), decision) {
        (None, _) => Level::Presence,
        (Some("presence"), Decision::Approve) => Level::Presence,
        (Some("verification"), Decision::Approve) => Level::Verification,
        (Some(l @ ("presence" | "verification")), _) => return Err(format!("level `{l}` only goes with decision approve")),
        (Some(other), _) => return Err(format!("unknown level `{other}` (presence, verification)")),
    };
    if layer == Layer::Project && decision == Decision::Allow {
        return Err("a project policy may only tighten: `allow` rules belong in your own policy".into());
    }
    let mut tools = bits_of(tool::NAMES, &s.tool, "tool")?;
    let exec_only = !s.program.is_empty() || !s.subcommand.is_empty() || !s.verb.is_empty()
        || !s.any_flag.is_empty() || !s.all_flags.is_empty() || !s.arg.is_empty() || !s.fact.is_empty()
        || !s.stdin_from.is_empty();
    if tools == 0 {
        tools = if exec_only {
            tool::EXEC
        } else if !s.mcp_tool.is_empty() || !s.mcp_server.is_empty() {
            tool::MCP
        } else if !s.host.is_empty() {
            tool::FETCH
        } else {
            return Err("say which tools the rule is for (`tool = [...]`) or give a program".into());
        };
    }
    if exec_only && tools != tool::EXEC {
        return Err("program, flag, argument and fact matchers only apply to `exec`".into());
    }
    let path_args = match s.path_args.as_deref() {
        None | Some("positional") => PathArgs::Positional,
        Some("skip-first") => PathArgs::SkipFirst,
        Some("last") => PathArgs::Last,
        Some(op) if op.starts_with("operand:") && op.len() > 8 => PathArgs::Operand(&op[8..]),
        Some(other) => return Err(format!("unknown path_args `{other}` (positional, skip-first, last, operand:NAME)")),
    };
    for f in s.any_flag.iter().chain(s.all_flags.iter().flatten()).chain(&s.unless_flag) {
        if !f.starts_with('-') {
            return Err(format!("flag `{f}` must start with `-`"));
        }
    }
    if s.all_flags.iter().any(Vec::is_empty) {
        return Err("`all_flags` groups must not be empty".into());
    }
    Ok(Rule {
        id: &s.id,
        description: &s.description,
        decision,
        level,
        layer,
        protected,
        tools,
        programs: strs(&s.program),
        subcommands: s.subcommand.iter().map(|c| c.split_whitespace().collect()).collect(),
        verbs: strs(&s.verb),
        any_flag: strs(&s.any_flag),
        all_flags: s.all_flags.iter().map(|g| strs(g)).collect(),
        unless_flag: strs(&s.unless_flag),
        args: strs(&s.arg),
        unless_arg: strs(&s.unless_arg),
        contains: strs(&s.contains),
        targets: bits_of(class::NAMES, &s.target, "target")?,
        paths: strs(&s.path),
        unless_path: strs(&s.unless_path),
        path_args,
        forceful: s.forceful,
        hosts: strs(&s.host),
        mcp_servers: strs(&s.mcp_server),
        mcp_tools: strs(&s.mcp_tool),
        agents: strs(&s.agent),
        facts: bits_of(fact::NAMES, &s.fact, "fact")?,
        stdin_from: strs(&s.stdin_from),
    })
}
