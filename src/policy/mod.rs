//! Classifies an [`Action`] against layered rules: allow (no opinion), deny, approve, or ask.
//!
//! Pure: no I/O, no runtime, no regex. Loading the layers from disk is `crate::rules`'s job.

mod chain;
pub mod content;
pub mod effects;
pub mod glob;
mod later;
pub mod path;
pub mod programs;
pub mod schema;
pub mod shell;

use crate::action::{Action, Kind, Object};
use effects::{Effect, EffectKind};
use glob::{PathKey, Target, Tree};
pub use later::Ran;
pub use schema::{Compiled, Decision, Layer, Level, Rule};
use schema::{PathArgs, class, tool};
use shell::Cmd;

/// Programs whose words are a list of tasks to run in turn, any of which may be the one a rule
/// names (`mvn clean verify deploy`, `rake db:migrate db:drop`).
const TASK_LISTS: &[&str] = &["gradle", "gradlew", "mvn", "mvnw", "rake", "rails", "mix", "sbt", "ant", "grunt", "gulp", "invoke", "inv", "fab", "bazel", "bazelisk", "nx", "turbo", "lerna"];

/// Facts about the user's machine the rules need: where home and the project are, and where
/// ana keeps its own files (for `{ana_config}`-style path patterns).
#[derive(Clone, Debug)]
pub struct Env<'a> {
    pub home: &'a str,
    /// The project root: the nearest directory above cwd holding `.git`, else cwd. `None` when
    /// cwd is home or a system directory, so that nothing counts as "inside the project".
    pub project: Option<&'a str>,
    /// `(name, value)` pairs substituted for `{name}` in path patterns.
    pub vars: &'a [(&'a str, &'a str)],
    /// Where a path really leads (symbolic links followed), when that differs: the target then
    /// meets the rules under both names. `None` keeps the evaluation free of I/O.
    /// Called with the path and the home directory.
    pub resolve: Option<fn(&str, &str) -> Option<String>>,
}

/// The outcome for the whole tool call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub decision: Decision,
    pub level: Level,
    /// The id of the rule that decided; `None` for allow.
    pub rule: Option<String>,
    /// One line for the user and the model.
    pub reason: String,
    /// The part of the call the rule matched (`rm -rf /`, `write /etc/hosts`).
    pub subject: String,
}

impl Verdict {
    fn allow() -> Verdict {
        Verdict { decision: Decision::Allow, level: Level::Presence, rule: None, reason: "no rule matched".into(), subject: String::new() }
    }
}

/// One checked part of a tool call and what decided it, for `ana explain`.
#[derive(Clone, Debug)]
pub struct Finding {
    pub subject: String,
    pub verdict: Verdict,
}

/// The loaded layers, built-in packs first.
#[derive(Clone, Debug, Default)]
pub struct Policy<'a> {
    pub layers: Vec<Compiled<'a>>,
}

/// The running choice of rule for one subject.
struct Pick<'s, 'a> {
    best: Option<&'s Rule<'a>>,
    /// The most severe rule no `allow` can lift.
    binding: Option<&'s Rule<'a>>,
    loosened: bool,
}

impl<'s, 'a> Pick<'s, 'a> {
    /// `named`: the rule names the command's program literally (found by its name in the index),
    /// so its program list need not be tried.
    #[allow(clippy::too_many_arguments)]
    fn consider(&mut self, policy: &Policy<'a>, rule: &'s Rule<'a>, subject: &Subject, seen: &Seen, action: &Action, env: &Env, named: bool) {
        // Matching rules out first: it is what most tries end in.
        if !policy.matches(rule, subject, seen, action, env, named) || policy.disabled(rule) {
            return;
        }
        if rule.decision == Decision::Allow {
            self.loosened = true;
            return;
        }
        let more_severe = |cur: Option<&Rule>| cur.is_none_or(|c| (c.decision, c.level) < (rule.decision, rule.level));
        if (rule.protected || rule.layer == Layer::System) && more_severe(self.binding) {
            self.binding = Some(rule);
        }
        if more_severe(self.best) {
            self.best = Some(rule);
        }
    }
}

/// What a subject's matching needs that does not depend on the rule, worked out once per subject
/// rather than once per rule tried.
#[derive(Default)]
struct Seen<'e> {
    /// A file effect's target (not for a dynamic path or a fetch).
    target: Option<Target<'e>>,
    /// The tree an effect on a whole directory covers.
    tree: Option<Tree<'e>>,
    /// `DIR/<found>` and `DIR/<all>`: DIR.
    found_in: Option<(Target<'e>, Tree<'e>)>,
    /// A target that is itself a glob.
    glob_target: Option<glob::GlobTarget<'e>>,
    /// A dynamic path: its static last component, and the directory it starts in.
    name: Option<&'e str>,
    within: Option<(Target<'e>, Tree<'e>)>,
    /// A fetch: the URL in lower case, and its host.
    url: Option<(String, std::borrow::Cow<'e, str>)>,
    /// What a rule's [`glob::PathsFilter`] looks at (the default lets every rule through).
    probe: glob::PathProbe,
    /// A command's arguments (and the text it reads) as `contains` compares them, made on the
    /// first rule that asks.
    text: std::cell::OnceCell<String>,
}

impl<'e> Seen<'e> {
    fn of(subject: &'e Subject, env: &Env) -> Seen<'e> {
        let Subject::File(e, _, key) = subject else {
            return Seen::default();
        };
        if e.kind == EffectKind::Fetch {
            // An IPv4 address in any spelling the resolver takes (`0xa9.0376.43518`) as dotted
            // decimal, which host patterns name.
            let host = url_host(&e.target);
            let host = canonical_ipv4(host).map_or(std::borrow::Cow::Borrowed(host), std::borrow::Cow::Owned);
            return Seen { url: Some((e.target.to_ascii_lowercase(), host)), ..Seen::default() };
        }
        if e.dynamic {
            let within = e.within.as_deref().map(|d| (Target::new(d), Tree::new(d, env.home)));
            return Seen { name: effects::static_name(&e.target), within, ..Seen::default() };
        }
        let found_in = if e.target.ends_with('>') { e.target.strip_suffix(shell::FOUND).or_else(|| e.target.strip_suffix(shell::FOUND_ALL)) } else { None }
            .and_then(|d| d.strip_suffix('/'))
            .map(|d| if d.is_empty() { "/" } else { d })
            .map(|d| (Target::new(d), Tree::new(d, env.home)));
        // The rules whose patterns cannot meet the path are passed over: a plain path or a tree;
        // files found below a directory, as that tree; a glob, below its literal directory.
        let target = Target::with_key(&e.target, *key);
        let glob_target = e.glob.then(|| glob::GlobTarget::new(&e.target));
        let probe = match (&found_in, &glob_target) {
            (None, None) => glob::PathProbe::of(&target, env.home, env.vars, e.recursive),
            (Some((dir, _)), None) => glob::PathProbe::of(dir, env.home, env.vars, true).or(glob::PathProbe::of(&target, env.home, env.vars, e.recursive)),
            (None, Some(g)) => glob::PathProbe::of_glob(g, &target, env.home, env.vars, e.recursive),
            (Some(_), Some(_)) => glob::PathProbe::ALL,
        };
        Seen { target: Some(target), tree: e.recursive.then(|| Tree::new(&e.target, env.home)), found_in, glob_target, probe, ..Seen::default() }
    }
}

enum Subject<'c> {
    /// A simple command, with its positional and option indices computed once.
    Exec {
        cmd: &'c Cmd,
        /// The positional indices, then the option indices (one allocation for both).
        idx: Vec<usize>,
        positional: usize,
        /// The [`schema::word_bit`]s of its first five positional words.
        words: u64,
    },
    /// A file effect, and the classes and key of its target, computed once.
    File(Effect, u32, PathKey),
    Mcp {
        server: &'c str,
        tool: &'c str,
    },
    Other,
}

impl<'a> Policy<'a> {
    /// Every rule, in layer order.
    pub fn rules(&self) -> impl Iterator<Item = &Rule<'a>> {
        self.layers.iter().flat_map(|l| l.rules.iter())
    }

    fn disabled(&self, rule: &Rule) -> bool {
        if rule.protected || rule.layer == Layer::System {
            return false;
        }
        // A layer only disables rules of the layers before it; the project layer none.
        self.layers.iter().filter(|l| l.disable.contains(&rule.id)).any(|l| l.layer > rule.layer && l.layer != Layer::Project)
    }

    fn options_with_value(&self, program: &str) -> &[&'a str] {
        self.layers.iter().rev().flat_map(|l| l.programs.iter()).find(|p| p.name == program).map_or(&[], |p| &p.options_with_value)
    }

    /// Classifies one action; `findings` lists every checked part with its own verdict.
    pub fn evaluate(&self, action: &Action, env: &Env) -> (Verdict, Vec<Finding>) {
        let mut findings = Vec::new();
        let v = self.run(action, env, Some(&mut findings));
        (v, findings)
    }

    /// Classifies one action, keeping only the verdict (the hook's path).
    pub fn verdict(&self, action: &Action, env: &Env) -> Verdict {
        self.run(action, env, None)
    }

    fn run(&self, action: &Action, env: &Env, mut findings: Option<&mut Vec<Finding>>) -> Verdict {
        let mut cmds: Vec<shell::Cmd>;
        let mut subjects: Vec<Subject> = Vec::with_capacity(8);
        let file = |e: Effect| {
            let classes = if e.kind == EffectKind::Fetch {
                // A secret under a secret's name in the query, or secret-shaped anywhere in it.
                if content::secret_in_query(&e.target) || content::secret_shaped_or_encoded(&e.target) { class::SECRET_IN_URL } else { 0 }
            } else if computed_in_project(&e, env) {
                class::COMPUTED_IN_PROJECT
            } else {
                classify(&e.target, e.dynamic, e.glob, env)
            };
            let key = if e.dynamic { PathKey::default() } else { PathKey::of(&e.target) };
            Subject::File(e, classes, key)
        };
        // A link (`link.json` → `~/.claude/settings.json`) is judged where it leads as well.
        let resolved = |e: &Effect| -> Option<Effect> {
            let resolve = env.resolve?;
            if e.dynamic || e.glob || e.kind == EffectKind::Fetch {
                return None;
            }
            resolve(e.spelled.as_deref().unwrap_or(&e.target), env.home).filter(|r| *r != e.target).map(|target| Effect { target, spelled: None, ..e.clone() })
        };
        let with_link = |e: Effect| resolved(&e).map(file).into_iter().chain(std::iter::once(file(e)));
        // A pattern read over one directory (`monitoring/alerts/*.yml`), when nothing in the call
        // writes or links files first: the files it matches now, each judged by name, instead of
        // every name it could match. (No match, too many, or a pattern of
        // directories: the pattern stays as it is.)
        let expanded = |e: Effect, expand: bool| -> Vec<Subject> {
            // (Reads only: a pattern that deletes or writes is judged by every name it could meet.)
            let files = (expand && e.glob && !e.dynamic && e.kind == EffectKind::Read && env.resolve.is_some()).then(|| glob::files_matching(&e.target, 64)).flatten();
            match files {
                Some(files) => files.into_iter().flat_map(|target| with_link(Effect { target, glob: false, spelled: None, ..e.clone() })).collect(),
                None => with_link(e).collect(),
            }
        };
        // An MCP tool's arguments: commands, paths and URLs in them meet the same rules.
        let mcp = match &action.object {
            Object::Mcp { server, tool, input } => mcp_arguments((server, tool), input, &action.cwd, env.home),
            _ => McpArguments::default(),
        };
        let command_text = match &action.object {
            Object::Command { command } => Some(command.as_str()),
            _ => None,
        };
        match (&action.object, action.kind) {
            (Object::Command { .. }, _) | (Object::Mcp { .. }, _) => {
                cmds = match command_text {
                    Some(c) => shell::analyze(c, &action.cwd, env.home),
                    None => mcp.commands.iter().flat_map(|c| shell::analyze(c, &action.cwd, env.home)).collect(),
                };
                // Files an MCP tool writes with their text (`push_files`, `create_or_update_file`):
                // judged as a Write of that text would be.
                for (p, text) in &mcp.files {
                    if package_source(p, text, None) {
                        cmds.push(shell::Cmd { argv: vec![shell::Word::lit(p)], program: "(install source)".into(), facts: schema::fact::PACKAGE_SOURCE, ..shell::Cmd::default() });
                    }
                    cmds.extend(self.runs_later(action, env, p, text, None));
                }
                // A file downloaded, then run, in the same command.
                chain::downloads_run(&mut cmds, env.home);
                // A script, recipe or manifest written by the command itself (`cat > x.sh <<EOF`).
                let written = self.written_by_commands(action, env, &cmds);
                cmds.extend(written);
                // A private key or token written into a request (`curl -H "Authorization: token
                // ghp_…"`, `-u`, `-d`, a here-document it sends) leaves with it.
                // A token split across a host name's labels (`dig AKIAIOSF.ODNN7EXA.MPLE.x.io`)
                // leaves in the resolver's queries: the labels are read joined as well.
                if cmds.iter().any(|c| {
                    SENDERS.contains(&c.program)
                        && (c.args().iter().any(|w| !w.dynamic && (content::secret_shaped_or_encoded(&w.text) || content::secret_in_host_labels(&w.text)))
                            || c.stdin_text.as_deref().is_some_and(content::secret_shaped_or_encoded))
                }) {
                    cmds.push(content::secret_text_subject(&action.summary()));
                }
                // An MCP tool of a cloud, cluster or forge whose name says it does more than read
                // (`kubectl_apply`, `update_repository`, `install_chart`), unless a command line
                // built from its fields is judged instead.
                if let Object::Mcp { server, tool, input } = &action.object
                    && let Some(what) = mcp_remote_change(server, tool, input)
                {
                    cmds.push(shell::Cmd { argv: vec![shell::Word::lit(&what)], program: "(mcp)".into(), facts: schema::fact::REMOTE_CHANGE, ..shell::Cmd::default() });
                }
                // A private key or token in an MCP tool's arguments leaves with them.
                if let Object::Mcp { input, tool, .. } = &action.object
                    && (content::secret_in_json(input) || (content::mcp_tool_sends(tool) && json_strings(input).any(content::labelled_secret)))
                {
                    cmds.push(content::secret_text_subject(&action.summary()));
                }
                // A file from outside the project sent to another machine (`curl -T /tmp/.c
                // https://…`, `cat /tmp/.c | nc host 80`): what an earlier call staged leaves.
                if let Some(what) = sends_files_from_outside(&cmds, env) {
                    cmds.push(shell::Cmd { argv: vec![shell::Word::lit(&what)], program: "(upload)".into(), facts: schema::fact::UPLOADS_OUTSIDE_FILE, ..shell::Cmd::default() });
                }
                // Files copied into another machine's system folders, or a sync that deletes
                // there (`rsync -a --delete ./rootfs/ root@host:/`).
                if let Some(what) = cmds.iter().find_map(remote_system_copy) {
                    cmds.push(shell::Cmd { argv: vec![shell::Word::lit(&what)], program: "(copy to another machine)".into(), facts: schema::fact::RUNS_LATER, ..shell::Cmd::default() });
                }
                // Code that prints the whole environment, piped to a sender (`ruby -e 'puts
                // ENV.to_h.to_json' | curl -d @- …`): judged as `env | curl` is.
                if let Some(c) = environment_printed_to_sender(&cmds) {
                    cmds.push(c);
                }
                if let Some(what) = sends_stored_data(&cmds, env) {
                    cmds.push(shell::Cmd { argv: vec![shell::Word::lit(&what)], program: "(upload)".into(), facts: schema::fact::SENDS_DATA, ..shell::Cmd::default() });
                }
                // A port of this machine forwarded to another (`ssh -L 6543:db.prod:5432 …`,
                // `kubectl port-forward`): `localhost` is that machine for the command.
                let tunnel = cmds.iter().any(|c| {
                    (matches!(c.program.as_str(), "ssh" | "autossh") && c.args().iter().any(|w| w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('L')))
                        || (matches!(c.program.as_str(), "kubectl" | "oc") && c.args().iter().any(|w| w.text == "port-forward"))
                        || matches!(c.program.as_str(), "cloud-sql-proxy" | "cloud_sql_proxy" | "socat" | "sshuttle")
                });
                for c in &mut cmds {
                    if git_elsewhere(c, &action.cwd, env) {
                        c.facts |= schema::fact::SCRIPT_FILE;
                    }
                    if programs::remote::changes(&c.program, &c.argv).is_some() {
                        c.facts |= schema::fact::REMOTE_CHANGE;
                    } else if programs::remote::destroys_by_verb(&c.program, &c.argv) && (!self.models(&c.program) || programs::remote::REGISTRY_CLIENTS.contains(&c.program.as_str())) {
                        c.facts |= schema::fact::DESTROYS_UNMODELLED;
                    }
                    if programs::text::runs_in_test_env(c) && !tunnel {
                        c.facts |= schema::fact::TEST_ENV;
                    }
                    if programs::remote::deletes_through_api(&c.program, &c.argv, c.stdin_text.as_deref()) {
                        c.facts |= schema::fact::API_DELETE;
                    }
                    if programs::text::changes_every_row(c) {
                        c.facts |= schema::fact::CHANGES_EVERY_ROW;
                    }
                    c.facts |= programs::text::sql_facts(c);
                    if programs::text::dbt_elsewhere(c) {
                        c.facts |= schema::fact::DBT_ELSEWHERE;
                    }
                    if programs::text::reads_unread_input(c) {
                        c.facts |= schema::fact::UNREAD_INPUT;
                    }
                    if programs::devices::device_unmodelled(c) {
                        c.facts |= schema::fact::DEVICE_UNMODELLED;
                    }
                    // A disk image in a file is formatted as a file is written: unless a link
                    // (made now or on disk) takes the name to a device.
                    if FORMATTERS.iter().any(|f| c.program.starts_with(f))
                        && c.links.is_empty()
                        && programs::devices::formats_image_only(c, |p| {
                            let full = path::normalize(p, c.cwd.as_deref().unwrap_or(&action.cwd), env.home);
                            std::fs::metadata(&full).map_or(true, |m| m.is_file())
                        })
                    {
                        c.facts |= schema::fact::IMAGE_FILE;
                    }
                    if FORMATTERS.iter().any(|f| c.program.starts_with(f)) && programs::devices::formatter_only_reads(c) {
                        c.facts |= schema::fact::ONLY_READS_DISK;
                    }
                    if programs::official_indexes_only(c) {
                        c.facts |= schema::fact::OFFICIAL_INDEX;
                    }
                    if programs::conda_other_channel(c) {
                        c.facts |= schema::fact::OTHER_CHANNEL;
                    }
                    // `--kubeconfig FILE` other than the user's: it runs the programs its users
                    // name for credentials, as `KUBECONFIG=FILE` does.
                    if matches!(c.program.as_str(), "kubectl" | "oc" | "kubecolor" | "helm" | "k9s" | "stern" | "kustomize" | "skaffold" | "flux" | "argocd")
                        && programs::option_values(&c.argv, &["--kubeconfig"], &[]).iter().any(|w| w.dynamic || !w.text.contains("/.kube/"))
                    {
                        c.facts |= schema::fact::CODE_ENV;
                    }
                }
                if let Object::Mcp { server, tool, .. } = &action.object {
                    subjects.push(Subject::Mcp { server, tool });
                    subjects.extend(mcp.effects.iter().cloned().flat_map(with_link));
                }
                // Patterns are matched against the disk only when no part of the command makes
                // files or links a pattern could then meet.
                let expand = !cmds.iter().any(|c| {
                    !c.links.is_empty()
                        || c.redirects.iter().any(|r| r.write)
                        || matches!(c.program.as_str(), "cp" | "mv" | "ln" | "install" | "rsync" | "tar" | "unzip" | "curl" | "wget" | "git" | "touch" | "tee" | "dd" | "cpio" | "7z" | "mkdir")
                        || c.facts & (schema::fact::INLINE_SCRIPT | schema::fact::SCRIPT_FILE | schema::fact::RUNS_CODE) != 0
                });
                for c in &cmds {
                    let args = c.args();
                    let mut idx = Vec::with_capacity(2 * args.len());
                    positional_into(args, self.options_with_value(&c.program), &mut idx);
                    let positional = idx.len();
                    // The words a subcommand may start at (see `matches_exec`).
                    let words = idx.iter().take(5).fold(0, |bits, &i| bits | schema::word_bit(&args[i].text));
                    idx.extend(option_tokens(args));
                    subjects.push(Subject::Exec { cmd: c, idx, positional, words });
                    subjects.extend(effects::of_command(c, env.home).into_iter().flat_map(|e| expanded(e, expand)));
                }
            }
            (Object::Files { paths, spelled, content, old, .. }, kind) => {
                // New text that makes installs run code or fetch from elsewhere: judged as a
                // command of its own (`package-source`).
                cmds = paths
                    .iter()
                    .filter(|p| content.as_deref().is_some_and(|c| package_source(p, c, old.as_deref())))
                    .map(|p| shell::Cmd { argv: vec![shell::Word::lit(p)], program: "(install source)".into(), facts: schema::fact::PACKAGE_SOURCE, ..shell::Cmd::default() })
                    .collect();
                // A login baked into what a build makes (an image recipe that adds a key to
                // root's `authorized_keys`, empties root's password, turns on `debug-tweaks`).
                if let Some(new) = content.as_deref()
                    && let Some(p) = paths.iter().find(|p| !content::is_prose(p))
                    && let Some(what) = content::bakes_in_login(new, old.as_deref())
                {
                    cmds.push(shell::Cmd {
                        argv: vec![shell::Word::lit(&format!("{p}: {what}"))],
                        program: "(login baked into a build)".into(),
                        facts: schema::fact::RUNS_LATER,
                        ..shell::Cmd::default()
                    });
                }
                // New text that runs later (a script, a recipe, a test runner's code).
                if let Some(new) = content.as_deref() {
                    cmds.extend(paths.iter().flat_map(|p| self.runs_later(action, env, p, new, old.as_deref())));
                }
                for c in &cmds {
                    subjects.push(Subject::Exec { cmd: c, idx: Vec::new(), positional: 0, words: 0 });
                }
                let k = match kind {
                    Kind::Write => EffectKind::Write,
                    Kind::Edit => EffectKind::Edit,
                    _ => EffectKind::Read,
                };
                let tool = action.tool.to_ascii_lowercase();
                // Gemini CLI's read_many_files takes directories too.
                let search = SEARCH_TOOLS.contains(&tool.as_str()) || tool == "read_many_files";
                let effects = effects::of_files(k, paths, spelled).into_iter().map(|e| Effect { recursive: search, ..e });
                subjects.extend(effects.flat_map(|e| expanded(e, k == EffectKind::Read)));
            }
            // A `file://` URL reads a local file.
            (Object::Url { url }, _) if effects::file_url(url).is_some() => {
                let target = path::normalize(&effects::file_url(url).unwrap_or_default(), &action.cwd, env.home);
                subjects.push(file(Effect { kind: EffectKind::Read, target, dynamic: false, glob: false, recursive: false, forced: false, spelled: None, within: None }));
            }
            (Object::Url { url }, _) => {
                // A private key or token in a URL, a search or a fetch prompt leaves with it.
                cmds = if content::secret_shaped_or_encoded(url) || content::secret_in_host_labels(url) { vec![content::secret_text_subject(&action.summary())] } else { Vec::new() };
                for c in &cmds {
                    subjects.push(Subject::Exec { cmd: c, idx: Vec::new(), positional: 0, words: 0 });
                }
                subjects.push(file(Effect { kind: EffectKind::Fetch, target: url.clone(), dynamic: false, glob: false, recursive: false, forced: false, spelled: None, within: None }));
            }
            (Object::Raw { .. }, _) => subjects.push(Subject::Other),
        }
        let text = |subject: &Subject| match subject {
            Subject::Exec { cmd, .. } => cmd.display(),
            Subject::File(e, ..) => describe(e),
            Subject::Mcp { server, tool } => format!("mcp {server}/{tool}"),
            Subject::Other => action.tool.clone(),
        };
        // The most severe rule and its subject; the verdict's text is only written for it.
        let mut overall: Option<(&Rule, &Subject)> = None;
        for subject in &subjects {
            let rule = self.decide(subject, action, env);
            if let Some(r) = rule
                && overall.is_none_or(|(o, _)| (r.decision, r.level) > (o.decision, o.level))
            {
                overall = Some((r, subject));
            }
            if let Some(f) = findings.as_deref_mut() {
                let v = verdict_for(rule, text(subject));
                f.push(Finding { subject: v.subject.clone(), verdict: v });
            }
        }
        match overall {
            Some((r, subject)) => verdict_for(Some(r), text(subject)),
            None => Verdict::allow(),
        }
    }

    /// Whether some rule names `program` (a rule list of its own in any layer, or a glob that
    /// matches it): a program ana has a model of.
    fn models(&self, program: &str) -> bool {
        self.layers.iter().any(|layer| match layer.index {
            Some(ix) => !ix.for_program(program).is_empty() || ix.by_prefix.iter().any(|(p, _)| program.starts_with(p)),
            None => layer.rules.iter().any(|r| r.programs.iter().any(|g| g.matches_word(program))),
        })
    }

    /// The rule that decides `subject`, if any: the most severe match, unless a user or system
    /// `allow` rule lifts the non-binding ones (protected and system rules always bind).
    fn decide<'s>(&'s self, subject: &Subject, action: &Action, env: &Env) -> Option<&'s Rule<'a>> {
        let mut pick = Pick { best: None, binding: None, loosened: false };
        let seen = Seen::of(subject, env);
        for layer in &self.layers {
            let Some(ix) = layer.index else {
                for r in layer.rules.iter() {
                    pick.consider(self, r, subject, &seen, action, env, false);
                }
                continue;
            };
            let ids: &[u16] = match subject {
                Subject::Exec { cmd, words, .. } => {
                    // A rule whose subcommands all start with a word the command's first
                    // positional words do not hold is passed over.
                    let may_match = |r: &Rule| (r.facts == 0 || r.facts & cmd.facts != 0) && (r.subcommand_words == 0 || r.subcommand_words & words != 0);
                    // A program a glob names (`python3.11` for `python3.*`): every list that may
                    // hold its rules, merged into file order.
                    if ix.by_prefix.iter().any(|(p, _)| cmd.program.starts_with(p)) {
                        let mut ids: Vec<u16> = ix.for_program(&cmd.program).iter().chain(ix.any_program).copied().collect();
                        ids.extend(ix.by_prefix.iter().filter(|(p, _)| cmd.program.starts_with(p)).flat_map(|(_, l)| l.iter().copied()));
                        ids.sort_unstable();
                        ids.dedup();
                        for id in ids {
                            pick.consider(self, &layer.rules[id as usize], subject, &seen, action, env, false);
                        }
                        continue;
                    }
                    // Both lists are sorted: merge them so rules are tried in file order. The
                    // program's own list is short; the rules tried for every program run between.
                    // Most of those ask for a fact of the command (`fact = [...]`), which most
                    // commands lack: the test `matches_exec` starts with, made before the call.
                    let (a, b) = (ix.for_program(&cmd.program), ix.any_program);
                    let mut j = 0;
                    for &id in a.iter().chain(std::iter::once(&u16::MAX)) {
                        while let Some(&k) = b.get(j)
                            && k < id
                        {
                            let r = &layer.rules[k as usize];
                            if may_match(r) {
                                pick.consider(self, r, subject, &seen, action, env, false);
                            }
                            j += 1;
                        }
                        if id == u16::MAX {
                            break;
                        }
                        let r = &layer.rules[id as usize];
                        if may_match(r) {
                            pick.consider(self, r, subject, &seen, action, env, true);
                        }
                    }
                    continue;
                }
                Subject::File(e, classes, _) if e.kind != EffectKind::Fetch => {
                    // The first tests of `matches` for a file effect, where most tries end, made
                    // here before the call.
                    let forceful = e.recursive || e.forced;
                    for &id in ix.files_for(tool_bit(e.kind)) {
                        let r = &layer.rules[id as usize];
                        if (r.targets == 0 || r.targets & classes != 0) && r.forceful.is_none_or(|f| f == forceful) && (r.paths.is_empty() || r.path_filter.admits(&seen.probe)) {
                            pick.consider(self, r, subject, &seen, action, env, false);
                        }
                    }
                    continue;
                }
                Subject::File(e, ..) => ix.files_for(tool_bit(e.kind)),
                Subject::Mcp { .. } => ix.mcp,
                Subject::Other => ix.other,
            };
            for &id in ids {
                pick.consider(self, &layer.rules[id as usize], subject, &seen, action, env, false);
            }
        }
        if pick.loosened { pick.binding } else { pick.best }
    }

    fn matches(&self, r: &Rule, subject: &Subject, seen: &Seen, action: &Action, env: &Env, named: bool) -> bool {
        if !r.agents.is_empty() && !r.agents.iter().any(|a| *a == action.agent.name()) {
            return false;
        }
        match subject {
            Subject::Exec { cmd, idx, positional, .. } => {
                let (pos, options) = idx.split_at(*positional);
                r.tools & tool::EXEC != 0 && self.matches_exec(r, cmd, pos, options, seen, env, named)
            }
            Subject::File(e, classes, _) => {
                if r.tools & tool_bit(e.kind) == 0 {
                    return false;
                }
                if let Some((url, host)) = &seen.url {
                    if r.targets != 0 && r.targets & classes == 0 {
                        return false;
                    }
                    // `contains` looks at the whole URL (a token in its query), case-insensitively.
                    if !r.contains.is_empty() && !r.contains.iter().any(|c| contains_nocase(url, c)) {
                        return false;
                    }
                    return r.hosts.is_empty() || r.hosts.iter().any(|h| h.matches_nocase(host));
                }
                if let Some(f) = r.forceful
                    && f != (e.recursive || e.forced)
                {
                    return false;
                }
                if r.targets != 0 && r.targets & classes == 0 {
                    return false;
                }
                if r.paths.is_empty() && r.unless_path.is_empty() {
                    return true;
                }
                if !r.paths.is_empty() && !r.path_filter.admits(&seen.probe) {
                    return false;
                }
                let Some(target) = &seen.target else {
                    // A path only known at run time meets the patterns its static parts can
                    // name: some file below the directory it starts in (`~/.ssh/$k`), or its
                    // last component (`$(…)/id_rsa`).
                    if r.paths.is_empty() {
                        return true;
                    }
                    let name = seen.name;
                    let hit = |p: &glob::PathGlob| {
                        name.is_some_and(|n| p.names_last(n)) || seen.within.as_ref().is_some_and(|(t, tree)| p.matches(t, env.home, env.vars) || p.may_name_in(tree, env.home, env.vars))
                    };
                    return r.paths.iter().any(hit) && !name.is_some_and(|n| r.unless_path.iter().any(|p| p.names_last(n)));
                };
                // An effect on a whole tree (`cp -r`, `tar -x -C`, `rm -r`, `grep -r`) also meets
                // the patterns naming something inside it, and a target that is a glob the
                // patterns that may name one of its files.
                // `DIR/<found>` and `DIR/<all>` (`find DIR … -exec cat {}`, `find DIR | xargs
                // cat`) are files below DIR: they meet the patterns naming DIR itself or something
                // inside it.
                let hit = |p: &glob::PathGlob| {
                    p.matches(target, env.home, env.vars)
                        || seen.found_in.as_ref().is_some_and(|(d, t)| p.matches(d, env.home, env.vars) || p.may_name_in(t, env.home, env.vars))
                        || seen.tree.as_ref().is_some_and(|t| p.may_name_in(t, env.home, env.vars))
                        || seen.glob_target.as_ref().is_some_and(|g| p.may_meet_glob(g, env.home, env.vars))
                };
                // A plain path (most effects) or a tree: a loop with nothing else to look at.
                let any = match (&seen.found_in, &seen.tree, &seen.glob_target) {
                    (None, None, None) => r.paths.iter().any(|p| p.matches(target, env.home, env.vars)),
                    (None, Some(t), None) => r.paths.iter().any(|p| p.matches(target, env.home, env.vars) || p.may_name_in(t, env.home, env.vars)),
                    _ => r.paths.iter().any(hit),
                };
                (r.paths.is_empty() || any) && !r.unless_path.iter().any(|p| p.matches(target, env.home, env.vars))
            }
            Subject::Mcp { server, tool: name } => {
                r.tools & tool::MCP != 0
                    && (r.mcp_servers.is_empty() || r.mcp_servers.iter().any(|p| p.matches_nocase(server)))
                    && (r.mcp_tools.is_empty() || r.mcp_tools.iter().any(|p| p.matches_nocase(name)))
            }
            Subject::Other => r.tools & tool::OTHER != 0,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn matches_exec(&self, r: &Rule, cmd: &Cmd, pos: &[usize], options: &[usize], seen: &Seen, env: &Env, named: bool) -> bool {
        if (r.facts != 0 && r.facts & cmd.facts == 0) || r.unless_facts & cmd.facts != 0 {
            return false;
        }
        if !named && !r.programs.is_empty() && !r.programs.iter().any(|p| p.matches_word(&cmd.program)) {
            return false;
        }
        if !r.stdin_from.is_empty() {
            match &cmd.stdin_from {
                Some(from) if r.stdin_from.iter().any(|p| p.matches_word(from)) => {}
                _ => return false,
            }
        }
        let args = cmd.args();
        let mut consumed = 0;
        if !r.subcommands.is_empty() {
            let at = |start: usize| {
                let pos = &pos[start..];
                r.subcommands.iter().filter(|words| words.len() <= pos.len() && words.iter().zip(pos).all(|(w, &i)| w.matches_word(&args[i].text))).map(|w| w.len()).max()
            };
            let mut best = at(0).map(|n| (0, n));
            // A global option whose value the program's table does not list (`docker -H URL run
            // --privileged`, `podman --url URL run`) made its value look like the subcommand.
            // A rule that asks or forbids also meets the reading where such options take the
            // word after them; one that allows never does (that would loosen).
            if r.decision > Decision::Confine {
                let mut start = 0;
                while best.is_none() && start < pos.len().min(4) && may_be_option_value(args, pos[start]) {
                    start += 1;
                    best = at(start).map(|n| (start, n));
                }
            }
            // A task runner runs each of its words as a task (`mvn clean verify deploy`): the
            // rule's words may start at any of them.
            if best.is_none() && TASK_LISTS.contains(&cmd.program.as_str()) {
                best = (1..pos.len()).find_map(|start| at(start).map(|n| (start, n)));
            }
            match best {
                Some((start, n)) => consumed = start + n,
                None => return false,
            }
        }
        // A verb among the first words; for a task runner, whose every word is a task
        // (`./gradlew clean lint test assemble publish`), among all of them.
        if !r.verbs.is_empty() {
            let verb_words = if TASK_LISTS.contains(&cmd.program.as_str()) { usize::MAX } else { 4 };
            if !pos.iter().take(verb_words).any(|&i| r.verbs.iter().any(|v| v.matches_word(&args[i].text))) {
                return false;
            }
        }
        // (No option given: no flag can match.)
        if !r.any_flag.is_empty() && (options.is_empty() || !r.any_flag.iter().any(|f| flag_matches(f, args, options))) {
            return false;
        }
        if !r.all_flags.is_empty() && (options.is_empty() || !r.all_flags.iter().all(|group| group.iter().any(|f| flag_matches(f, args, options)))) {
            return false;
        }
        if !options.is_empty() && r.unless_flag.iter().any(|f| flag_matches(f, args, options)) {
            return false;
        }
        let rest = &pos[consumed..];
        if !r.args.is_empty() && !rest.iter().any(|&i| r.args.iter().any(|p| p.matches_word(&args[i].text))) {
            return false;
        }
        if rest.iter().any(|&i| r.unless_arg.iter().any(|p| p.matches_word(&args[i].text))) {
            return false;
        }
        if !r.contains.is_empty() {
            let text = seen.text.get_or_init(|| {
                let mut text = String::new();
                let sql = programs::text::is_sql_client(&cmd.program);
                for w in args {
                    text.push(' ');
                    if sql {
                        text.push_str(&programs::text::sql_contains_text(&w.text));
                    } else {
                        text.push_str(&w.text);
                    }
                }
                if let Some(s) = &cmd.stdin_text {
                    text.push(' ');
                    if sql {
                        text.push_str(&programs::text::sql_contains_text(s));
                    } else {
                        text.push_str(s);
                    }
                }
                squeeze_lower(&text)
            });
            if !r.contains.iter().any(|c| if is_squeezed_lower(c) { glob::has_text(text, c) } else { glob::has_text(text, &squeeze_lower(c)) }) {
                return false;
            }
        }
        if r.targets != 0 || !r.paths.is_empty() {
            let mut paths: Vec<(String, bool, bool)> = Vec::new();
            let cwd = cmd.cwd.as_deref();
            let mut add = |text: &str, w: &shell::Word| {
                let (p, dynamic) = path::resolve_through(text, w.dynamic, cwd, env.home, &cmd.links);
                paths.push((p, dynamic, w.glob));
            };
            match r.path_args {
                PathArgs::Positional => rest.iter().for_each(|&i| add(&args[i].text, &args[i])),
                PathArgs::SkipFirst => rest.iter().skip(1).for_each(|&i| add(&args[i].text, &args[i])),
                PathArgs::Last => rest.last().into_iter().for_each(|&i| add(&args[i].text, &args[i])),
                PathArgs::Operand(name) => {
                    for w in args {
                        if let Some(v) = w.text.strip_prefix(name).and_then(|v| v.strip_prefix('=')) {
                            add(v, w);
                        }
                    }
                }
            }
            let hit = paths.iter().any(|(p, dynamic, glob)| {
                (r.targets == 0 || r.targets & classify(p, *dynamic, *glob, env) != 0)
                    && if *dynamic {
                        r.paths.is_empty()
                    } else {
                        let target = Target::new(p);
                        (r.paths.is_empty() || r.paths.iter().any(|g| g.matches(&target, env.home, env.vars))) && !r.unless_path.iter().any(|g| g.matches(&target, env.home, env.vars))
                    }
            });
            if !hit {
                return false;
            }
        }
        true
    }
}

/// The tool bit rules name an effect of this kind by (`tool = ["read"]`).
fn tool_bit(kind: EffectKind) -> u32 {
    match kind {
        EffectKind::Read => tool::READ,
        EffectKind::Write => tool::WRITE,
        EffectKind::Edit => tool::EDIT,
        EffectKind::Delete => tool::DELETE,
        EffectKind::Fetch => tool::FETCH,
    }
}

/// Programs that format or partition what they are given (a device, or a disk image in a file).
const FORMATTERS: &[&str] =
    &["mkfs", "mke2fs", "mkswap", "wipefs", "fdisk", "sfdisk", "cfdisk", "gdisk", "sgdisk", "parted", "cryptsetup", "mkdosfs", "mkntfs", "mformat", "mlabel", "blkdiscard", "newfs"];

/// Tools that search or list: what they read is the whole tree below their path.
pub const SEARCH_TOOLS: &[&str] =
    &["ls", "list_directory", "glob", "grep", "search_file_content", "search", "find", "find_files", "codebase_search", "file_search", "list_files", "grep_search", "glob_search", "ripgrep"];

/// What an MCP tool's arguments hold that other rules know how to judge.
#[derive(Default)]
struct McpArguments {
    commands: Vec<String>,
    effects: Vec<Effect>,
    /// `(path, text)` of files the tool is given to write.
    files: Vec<(String, String)>,
}

/// Walks an MCP tool's arguments (bounded) for commands (`command`, `cmd`, `script`), paths
/// (`path`, `file`, `filename`, `directory`, …) and URLs (`url`, `uri`, any `http(s)://` value).
/// A path is written when the tool's name says it writes, deleted when it says it deletes, and
/// read otherwise.
/// Programs an MCP tool may be a front for, whose argument lists are judged as command lines.
const MCP_PROGRAMS: &[&str] =
    &["kubectl", "oc", "helm", "git", "gh", "docker", "podman", "aws", "gcloud", "az", "terraform", "tofu", "npm", "pnpm", "yarn", "cargo", "pip", "rm", "psql", "mysql", "redis-cli"];

/// What an MCP tool of a cloud, cluster, forge or data store changes, when its server or name
/// says it is one and its name's verb is not a read (`get_`, `list_`, `describe_`…) or everyday
/// collaboration on a forge (a pull request, an issue, a comment, a push to a branch).
fn mcp_remote_change(server: &str, tool: &str, input: &serde_json::Value) -> Option<String> {
    const PLATFORMS: &[&str] = &[
        "github",
        "gitlab",
        "kubernetes",
        "k8s",
        "kubectl",
        "aws",
        "gcloud",
        "gcp",
        "azure",
        "az",
        "cloudflare",
        "vercel",
        "netlify",
        "heroku",
        "fly",
        "terraform",
        "argocd",
        "helm",
        "redis",
        "digitalocean",
        "hetzner",
        "supabase",
        "firebase",
        "stripe",
        "docker",
        "flux",
        "pulumi",
        "vault",
        "pagerduty",
        "opsgenie",
        "grafana",
        "datadog",
        "sentry",
        "statuspage",
        "alertmanager",
        "prometheus",
        "newrelic",
        "splunk",
        "consul",
        "nomad",
        "mongodb",
        "mongo",
        "atlas",
        "postgres",
        "postgresql",
        "mysql",
        "neon",
        "planetscale",
        "snowflake",
        "bigquery",
        "databricks",
        "elasticsearch",
        "elastic",
        "kafka",
        "rabbitmq",
        "jenkins",
        "circleci",
        "buildkite",
        "render",
        "railway",
        "linode",
        "vultr",
        "hcloud",
        "openstack",
        "auth0",
        "okta",
        "ansible",
        "awx",
        "velero",
        "incident",
        "firehydrant",
        "rootly",
        "launchdarkly",
        "unleash",
        "flagsmith",
        "statsig",
        "posthog",
        "growthbook",
        "configcat",
    ];
    const READS: &[&str] = &[
        "get",
        "list",
        "describe",
        "search",
        "read",
        "show",
        "view",
        "fetch",
        "find",
        "lookup",
        "count",
        "inspect",
        "explain",
        "logs",
        "log",
        "status",
        "diff",
        "download",
        "check",
        "validate",
        "whoami",
        "history",
        "plan",
        "preview",
        "estimate",
        "select",
        "query",
        "scan",
        "keys",
        "info",
        "ttl",
        "type",
        "exists",
        "hget",
        "hgetall",
        "lrange",
        "smembers",
        "zrange",
        "dbsize",
        "ping",
        "mget",
        "execute",
        "run",
        "summarize",
        "analyze",
        "top",
        "events",
        "explore",
        "retrieve",
        "version",
        "status",
        "health",
        "catalog",
        "stats",
        "history",
        "diff",
        "validate",
        "preview",
    ];
    // Words of a tool's name that change something, wherever they stand (`kv_put`,
    // `incident_resolve`, `run_response_play`): the name is no read then.
    const CHANGES: &[&str] = &[
        "delete",
        "remove",
        "create",
        "update",
        "put",
        "set",
        "write",
        "patch",
        "apply",
        "deploy",
        "scale",
        "restart",
        "stop",
        "start",
        "trigger",
        "resolve",
        "ack",
        "acknowledge",
        "silence",
        "mute",
        "unmute",
        "snooze",
        "disable",
        "enable",
        "toggle",
        "rollback",
        "promote",
        "cancel",
        "terminate",
        "kill",
        "invoke",
        "publish",
        "upload",
        "merge",
        "close",
        "archive",
        "assign",
        "escalate",
        "reset",
        "revoke",
        "rotate",
        "import",
        "restore",
        "sync",
        "register",
        "deregister",
        "purge",
        "drop",
        "truncate",
        "play",
        "build",
        "release",
        "approve",
        "reject",
        "pause",
        "resume",
        "flush",
        "evict",
        "drain",
        "cordon",
        "upsert",
        "insert",
        "modify",
        "edit",
        "change",
        "move",
        "rename",
        "send",
        "post",
        "dispatch",
    ];
    const COLLABORATION: &[&str] = &[
        "create_pull_request",
        "create_merge_request",
        "create_issue",
        "add_issue_comment",
        "add_comment",
        "create_comment",
        "update_issue",
        "update_pull_request",
        "create_branch",
        "push_files",
        "create_or_update_file",
        "fork_repository",
        "request_copilot_review",
        "create_pending_pull_request_review",
        "add_pull_request_review_comment",
        "reply_to_comment",
    ];
    let lower_server = server.to_ascii_lowercase();
    let lower = tool.to_ascii_lowercase();
    let name = lower.rsplit("__").next().unwrap_or(&lower);
    let tokens = |s: &str| s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    let platform = tokens(&lower_server).iter().chain(tokens(&lower).iter()).any(|t| PLATFORMS.contains(&t.as_str()));
    // Everyday collaboration is a forge's (an issue, a pull request, a comment), not an on-call
    // or error tracker's (`update_issue` there resolves an alert).
    let forge = ["github", "gitlab", "gitea", "bitbucket", "forgejo", "codeberg"].iter().any(|f| lower_server.contains(f) || lower.contains(f));
    if !platform || (forge && COLLABORATION.contains(&name)) || mcp_program_line(tool, input).is_some() {
        return None;
    }
    // The verb: the first word of the name that is not the platform's or a program's.
    let words = tokens(name);
    let verb = words.iter().find(|w| !PLATFORMS.contains(&w.as_str()) && !MCP_PROGRAMS.contains(&w.as_str()) && !matches!(w.as_str(), "generic" | "tool" | "api" | "cli" | "call" | "use"))?;
    // A tool that takes a command line (`call_aws`, `run_gcloud_command`) is judged by it.
    if ["command", "cmd", "cli_command", "args", "argv"].iter().any(|k| input.get(*k).is_some()) {
        return None;
    }
    let changes = words.iter().any(|w| CHANGES.contains(&w.as_str()));
    (changes || !READS.contains(&verb.as_str()) && !words.iter().any(|w| READS.contains(&w.as_str()))).then(|| format!("mcp {server}/{tool}"))
}

/// The command line of an MCP tool that drives one of [`MCP_PROGRAMS`] and names its verb in a
/// field: the program (from the tool's or server's name), the verb, then the resource, name and
/// namespace fields.
/// The program an MCP tool drives, from the words of its name (`mcp__kubernetes__kubectl_get`,
/// `mcp__gcloud__run_gcloud_command`, `mcp__azure__az`).
fn mcp_program(tool: &str) -> Option<&'static str> {
    let lower = tool.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric() && c != '-').filter(|t| !t.is_empty()).collect();
    // A program named in the tool's own name first, then the server's.
    words.iter().rev().chain(words.iter()).find_map(|t| match *t {
        "kubernetes" | "k8s" => Some("kubectl"),
        "github" => Some("gh"),
        "azure" => Some("az"),
        "gcp" => Some("gcloud"),
        t => MCP_PROGRAMS.iter().copied().find(|p| *p == t),
    })
}

fn mcp_program_line(tool: &str, input: &serde_json::Value) -> Option<String> {
    let obj = input.as_object()?;
    let program = mcp_program(tool)?;
    // `{"service_name": "ec2", "operation_name": "terminate_instances"}`: `aws ec2 terminate-instances`.
    if program == "aws"
        && let (Some(service), Some(op)) =
            (obj.get("service_name").or_else(|| obj.get("service")).and_then(|v| v.as_str()), obj.get("operation_name").or_else(|| obj.get("operation")).and_then(|v| v.as_str()))
    {
        let mut line = String::from("aws ");
        shell_quote(&mut line, service);
        line.push(' ');
        shell_quote(&mut line, &op.replace('_', "-").to_ascii_lowercase());
        return Some(line);
    }
    let field = |names: &[&str]| names.iter().find_map(|n| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).and_then(|(_, v)| v.as_str()));
    let verb = field(&["command", "verb", "action", "operation", "subcommand", "op", "method"])?;
    if verb.is_empty() || verb.contains(char::is_whitespace) {
        return None;
    }
    let mut line = String::from(program);
    for v in [Some(verb), field(&["resourceType", "resource_type", "resource", "kind", "type"]), field(&["name", "resourceName", "resource_name"])].into_iter().flatten() {
        line.push(' ');
        shell_quote(&mut line, v);
    }
    if let Some(ns) = field(&["namespace", "ns"]) {
        line.push_str(" -n ");
        shell_quote(&mut line, ns);
    }
    Some(line)
}

/// Whether an MCP tool's name says it runs statements on a database.
fn database_tool(tool: &str) -> bool {
    let t = tool.to_ascii_lowercase();
    [
        "sql",
        "query",
        "database",
        "_db",
        "db_",
        "postgres",
        "mysql",
        "maria",
        "snowflake",
        "bigquery",
        "warehouse",
        "lakehouse",
        "dwh",
        "clickhouse",
        "duckdb",
        "redshift",
        "databricks",
        "athena",
        "trino",
        "mongo",
        "sqlite",
        "supabase",
        "neon",
        "spanner",
        "cockroach",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// Appends `s` to `line` in single quotes.
fn shell_quote(line: &mut String, s: &str) {
    line.push('\'');
    line.push_str(&s.replace('\'', "'\\''"));
    line.push('\'');
}

fn mcp_arguments((server, tool): (&str, &str), input: &serde_json::Value, cwd: &str, home: &str) -> McpArguments {
    let database = database_tool(server) || database_tool(tool);
    let name = tool.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    let kind = if has(&["delete", "remove", "rm", "unlink", "drop", "destroy", "purge"]) {
        EffectKind::Delete
    } else if has(&["write", "edit", "create", "save", "put", "upload", "move", "rename", "copy", "append", "replace", "patch", "update", "mkdir", "set"]) {
        EffectKind::Write
    } else {
        EffectKind::Read
    };
    let mut out = McpArguments::default();
    // A tool that drives a program (`kubectl_generic`, a `kubernetes` server's `resource_op`)
    // with its verb in a field (`{"command": "delete", "resourceType": "namespace", "name":
    // "prod"}`): judged as that program's command line.
    if let Some(line) = mcp_program_line(tool, input) {
        out.commands.push(line);
    }
    let mut stack: Vec<(&str, &serde_json::Value, u8)> = vec![("", input, 0)];
    let mut seen = 0;
    while let Some((key, v, depth)) = stack.pop() {
        seen += 1;
        if seen > 256 {
            break;
        }
        let k = key.to_ascii_lowercase();
        match v {
            // `{"args": ["delete", "ns", "prod"]}` for a tool named after a program: its command line.
            serde_json::Value::Array(a) if matches!(k.as_str(), "args" | "argv" | "arguments" | "command" | "cmd") && a.iter().all(|x| x.is_string()) && !a.is_empty() => {
                let mut line = String::new();
                // The program the tool drives, unless the list names it first.
                if let Some(program) = mcp_program(tool).filter(|p| a.first().and_then(|x| x.as_str()) != Some(*p)) {
                    line.push_str(program);
                }
                for x in a.iter().filter_map(|x| x.as_str()) {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    shell_quote(&mut line, x);
                }
                out.commands.push(line);
            }
            // SQL is judged as a database client would run it: a field named for it (`sql`,
            // `query`, `statement`), and for a database's tool any field whose name says so
            // (`sql_query`, `queryText`, `statement_text`, `q`) or whose text reads as a statement
            // (`{"input": "DROP SCHEMA …"}`). (A search tool's `search_query` is not SQL.)
            serde_json::Value::String(s)
                if matches!(k.as_str(), "sql" | "query" | "statement" | "stmt" | "statements" | "queries")
                    || (database && (k.contains("sql") || k.contains("query") || k.contains("statement") || k == "q" || content::sql_statement_start(s))) =>
            {
                let mut line = String::from("psql -c ");
                shell_quote(&mut line, s);
                out.commands.push(line);
            }
            // Code a notebook or database tool runs (`{"code": "spark.sql('DROP …')"}`, a cell's
            // `source`): what it does, as code read anywhere.
            serde_json::Value::String(s)
                if matches!(k.as_str(), "code" | "source" | "cell" | "python" | "script_text" | "notebook_cell")
                    && (database || ["notebook", "jupyter", "cell", "kernel", "python", "spark", "execute", "run"].iter().any(|w| tool.to_ascii_lowercase().contains(w))) =>
            {
                out.commands.extend(content::scan_code(s, content::Lang::Other).lines);
                // A SQL cell (`%sql`, `%%sql`): its statements.
                if let Some(rest) = s.trim_start().strip_prefix("%%sql").or_else(|| s.trim_start().strip_prefix("%sql")) {
                    let mut line = String::from("psql -c ");
                    shell_quote(&mut line, rest);
                    out.commands.push(line);
                }
            }
            serde_json::Value::Object(m) if depth < 6 => {
                // `{"path": "package.json", "content": "…"}`: a file and the text it gets.
                let text = ["content", "contents", "text", "file_content", "body"].iter().find_map(|k| m.get(*k).and_then(|v| v.as_str()));
                let file = ["path", "file_path", "filepath", "filename", "file", "name"].iter().find_map(|k| m.get(*k).and_then(|v| v.as_str()));
                if let (Some(file), Some(text)) = (file, text)
                    && out.files.len() < 32
                {
                    let target = path::normalize(file, cwd, home);
                    // The file it writes meets the rules a Write of it would (a workflow, a hook).
                    out.effects.push(Effect { kind: EffectKind::Write, target: target.clone(), dynamic: false, glob: false, recursive: false, forced: false, spelled: None, within: None });
                    out.files.push((target, text.to_owned()));
                }
                stack.extend(m.iter().map(|(k, v)| (k.as_str(), v, depth + 1)));
            }
            serde_json::Value::Array(a) if depth < 6 => stack.extend(a.iter().map(|v| (key, v, depth + 1))),
            serde_json::Value::String(s) => {
                let k = key.to_ascii_lowercase();
                if s.starts_with("http://") || s.starts_with("https://") || matches!(k.as_str(), "url" | "uri" | "endpoint" | "href" | "link") {
                    out.effects.push(Effect { kind: EffectKind::Fetch, target: s.clone(), dynamic: false, glob: false, recursive: false, forced: false, spelled: None, within: None });
                } else if matches!(k.as_str(), "script" | "shell" | "bash" | "sh") || k.contains("command") || k.ends_with("cmd") || k.starts_with("cmd") || k.ends_with("_script") {
                    // A server may run a program named in another case (`AWS ec2 …`).
                    let first = s.split_whitespace().next().unwrap_or("");
                    let lower = first.to_ascii_lowercase();
                    if first != lower && MCP_PROGRAMS.contains(&lower.as_str()) {
                        out.commands.push(format!("{lower}{}", &s.trim_start()[first.len()..]));
                    }
                    // A tool that drives a program, given its arguments only (`{"command": "vm
                    // create …"}` for `az`).
                    if let Some(program) = mcp_program(tool).filter(|p| lower != *p) {
                        out.commands.push(format!("{program} {s}"));
                    }
                    out.commands.push(s.clone());
                } else if matches!(k.as_str(), "sql" | "query" | "statement" | "statements") {
                    // SQL meets the database rules as the argument of a client called `sql`.
                    out.commands.push(format!("sql {}", shell::quote(s)));
                } else if (k.contains("path")
                    || k.contains("file")
                    || k.contains("dir")
                    || matches!(k.as_str(), "source" | "destination" | "dest" | "target" | "src" | "dst" | "location" | "cwd" | "root" | "folder"))
                    && (s.starts_with('/') || s.starts_with('~') || s.starts_with('.') || s.contains('/'))
                {
                    let target = path::normalize(s, cwd, home);
                    let recursive = k.contains("dir") || k == "root" || k == "folder" || kind == EffectKind::Delete;
                    out.effects.push(Effect { kind, target, dynamic: false, glob: false, recursive, forced: false, spelled: path::spelling(s, cwd, home), within: None });
                } else if (s.starts_with('/') || s.starts_with("~/")) && !s.starts_with("//") && s.len() <= 1024 && !s.contains(char::is_whitespace) {
                    // A path under any other name (`"attachments": ["~/.ssh/id_ed25519"]`): the
                    // tool may read it, whatever it does with it.
                    let target = path::normalize(s, cwd, home);
                    out.effects.push(Effect { kind: EffectKind::Read, target, dynamic: false, glob: false, recursive: false, forced: false, spelled: path::spelling(s, cwd, home), within: None });
                }
            }
            _ => {}
        }
    }
    out
}

fn verdict_for(rule: Option<&Rule>, subject: String) -> Verdict {
    match rule {
        None => Verdict { subject, ..Verdict::allow() },
        Some(r) => Verdict { decision: r.decision, level: r.level, rule: Some(r.id.to_owned()), reason: reason(r, &subject), subject },
    }
}

fn reason(r: &Rule, subject: &str) -> String {
    // `one_line` copies; most subjects are one short line already.
    let copy;
    let subject = if subject.len() <= 160 && subject.bytes().all(|b| (b' '..0x7f).contains(&b)) {
        subject
    } else {
        copy = crate::action::one_line(subject, 160);
        copy.as_str()
    };
    // Pieces pushed into one buffer sized once (the hook writes one of these for every call that
    // a rule decides).
    let parts: [&str; 9] = match r.decision {
        Decision::Deny => ["forbidden by ana rule `", r.id, "`: ", r.description, " (`", subject, "`). Do not try to do this another way; tell the user what you wanted to do and why.", "", ""],
        Decision::Approve => ["needs the user's approval on their security key: ana rule `", r.id, "`: ", r.description, " (`", subject, "`)", "", ""],
        Decision::Ask => ["ana rule `", r.id, "`: ", r.description, " (`", subject, "`); the user must confirm it", "", ""],
        Decision::Allow => ["allowed by ana rule `", r.id, "`", "", "", "", "", "", ""],
        Decision::Confine => ["runs confined (profile `", r.profile.unwrap_or(crate::confine::profile::DEFAULT), "`) by ana rule `", r.id, "`: ", r.description, " (`", subject, "`)"],
    };
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

fn describe(e: &Effect) -> String {
    let verb = match e.kind {
        EffectKind::Read if e.recursive => "read everything in",
        EffectKind::Read => "read",
        EffectKind::Write if e.recursive => "write a whole tree into",
        EffectKind::Write => "write",
        EffectKind::Edit => "edit",
        EffectKind::Delete if e.recursive || e.forced => "delete (forced or recursive)",
        EffectKind::Delete => "delete",
        EffectKind::Fetch => "fetch",
    };
    let mut out = String::with_capacity(verb.len() + 1 + e.target.len());
    out.push_str(verb);
    out.push(' ');
    out.push_str(&e.target);
    out
}

/// Whether `squeeze_lower(s) == s`: no upper case, every run of white space one plain space.
fn is_squeezed_lower(s: &str) -> bool {
    let mut space = false;
    for (i, c) in s.chars().enumerate() {
        if c.is_whitespace() {
            // Leading white space is dropped, and every run becomes one space.
            if c != ' ' || space || i == 0 {
                return false;
            }
            space = true;
        } else {
            if c.is_uppercase() || c.to_lowercase().ne(std::iter::once(c)) {
                return false;
            }
            space = false;
        }
    }
    true
}

/// Whether `hay` (already in ASCII lower case) contains `needle` in any ASCII case.
fn contains_nocase(hay: &str, needle: &str) -> bool {
    if needle.bytes().any(|b| b.is_ascii_uppercase()) { glob::has_text(hay, &needle.to_ascii_lowercase()) } else { glob::has_text(hay, needle) }
}

fn squeeze_lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// The host of a URL, without user info or port.
pub fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.starts_with('[') {
        return host.split(']').next().map_or(host, |h| &h[1..]);
    }
    host.split(':').next().unwrap_or(host)
}

/// Programs that send what they are given to another machine.
static SENDERS: schema::Names<128> = schema::Names::new(&[
    "aria2c",
    "curl",
    "dig",
    "drill",
    "elinks",
    "ftp",
    "gnutls-cli",
    "host",
    "http",
    "httpie",
    "https",
    "lftp",
    "links",
    "lynx",
    "mail",
    "mailx",
    "mutt",
    "nc",
    "ncat",
    "netcat",
    "nslookup",
    "openssl",
    "ping",
    "rsync",
    "scp",
    "sendmail",
    "sftp",
    "smbclient",
    "socat",
    "ssh",
    "swaks",
    "telnet",
    "tftp",
    "w3m",
    "wget",
    "wget2",
    "xh",
    "xhs",
]);

/// Programs that send a file's bytes to another machine, with the files they take.
static UPLOADERS: schema::Names<128> = schema::Names::new(&[
    "curl",
    "wget",
    "wget2",
    "http",
    "https",
    "xh",
    "xhs",
    "httpie",
    "nc",
    "ncat",
    "netcat",
    "nc.openbsd",
    "nc.traditional",
    "socat",
    "telnet",
    "scp",
    "rsync",
    "openssl",
    "sftp",
    "ssh",
    "lftp",
    "ftp",
    "tftp",
    "smbclient",
    "mail",
    "mailx",
    "mutt",
    "sendmail",
    "croc",
    "wormhole",
    "ipfs",
    "POST",
    "PUT",
    "lwp-request",
]);

/// Programs that copy files to a remote store or a machine: `aws s3 cp SRC s3://…`, `gsutil cp`,
/// `rclone copy`, `kubectl cp`, `docker cp`; their sources are every path but the last, when
/// the last is remote (`s3://…`, `remote:path`, `pod:/path`).
static COPIERS: schema::Names<32> = schema::Names::new(&["aws", "gsutil", "gcloud", "az", "rclone", "s3cmd", "mc", "kubectl", "oc", "docker", "podman", "azcopy", "b2"]);

/// Programs that publish files they are given on a hosting service (`gh gist create F`, `gh
/// release upload T F`, `glab snippet create F`, `git send-email F`, `oras push R F`): any path
/// outside the project among their arguments is sent.
static PUBLISHERS: schema::Names<16> = schema::Names::new(&["gh", "glab", "oras", "crane", "helm", "git"]);

/// The first file from outside the project (a temporary, home or system file; one ana cannot
/// compute) that a command of `cmds` sends to a host other than this machine: curl's and wget's
/// uploads and request bodies, httpie's `@FILE` items, a file redirected or piped into curl, nc
/// or socat, scp's and rsync's local sources, cloud and cluster copies, files published by
/// `gh`/`git send-email`; through a link in the project that leads out of it, a copy made earlier
/// in the same command, or a substitution (`-d "$(cat /tmp/x)"`). Files in the project are the
/// project's to send.
fn sends_files_from_outside(cmds: &[Cmd], env: &Env) -> Option<String> {
    let outside = |e: &Effect| {
        if e.kind != EffectKind::Read || e.target.starts_with("/dev/") || e.target.starts_with("/proc/self/fd") {
            return false;
        }
        if e.dynamic && env.project.is_some_and(|p| e.within.as_deref().is_some_and(|d| d == p || path::is_within(d, p))) {
            return false;
        }
        let inside = |t: &str| classify(t, e.dynamic, e.glob, env) & (class::INSIDE_PROJECT | class::PROJECT_ROOT) != 0;
        // A link in the project that leads out of it sends what it leads to.
        !inside(&e.target) || (!e.dynamic && env.resolve.and_then(|r| r(&e.target, env.home)).is_some_and(|t| !inside(&t)))
    };
    // Files written by a command that read one from outside (`cp /tmp/x ./x`, `cat /tmp/x > y`):
    // they hold what it read. And whether any command reads from outside at all, for words a
    // substitution or a variable fills.
    let mut tainted: Vec<String> = Vec::new();
    let mut reads_outside = false;
    for (i, c) in cmds.iter().enumerate() {
        let effects = effects::of_command(c, env.home);
        let read_out = effects.iter().any(&outside);
        if read_out || effects.iter().any(|e| e.kind == EffectKind::Read && tainted.contains(&e.target)) {
            tainted.extend(effects.iter().filter(|e| matches!(e.kind, EffectKind::Write | EffectKind::Edit) && !e.dynamic).map(|e| e.target.clone()));
        }
        if let Some(what) = sent_from_outside(cmds, i, c, effects, env, &outside, &tainted, reads_outside) {
            return Some(what);
        }
        reads_outside |= read_out;
    }
    None
}

/// Every string in a JSON value, however deep (members' names aside).
fn json_strings(v: &serde_json::Value) -> impl Iterator<Item = &str> {
    let mut stack = vec![v];
    std::iter::from_fn(move || {
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::String(s) => return Some(s.as_str()),
                serde_json::Value::Array(a) => stack.extend(a),
                serde_json::Value::Object(m) => stack.extend(m.values()),
                _ => {}
            }
        }
        None
    })
}

/// Programs whose output is what a database, a message stream or cloud storage holds.
const DATA_SOURCES: &[&str] = &[
    "psql",
    "mysql",
    "mariadb",
    "mongosh",
    "mongo",
    "mongoexport",
    "mongodump",
    "pg_dump",
    "pg_dumpall",
    "mysqldump",
    "mariadb-dump",
    "sqlcmd",
    "bcp",
    "snowsql",
    "snow",
    "bq",
    "clickhouse-client",
    "clickhouse",
    "cqlsh",
    "redis-cli",
    "valkey-cli",
    "sqlite3",
    "duckdb",
    "kcat",
    "kafkacat",
    "kafka-console-consumer",
    "kafka-console-consumer.sh",
    "spark-sql",
    "beeline",
    "trino",
    "presto",
    "athena",
    "databricks",
    "hdfs",
    "aws",
    "gsutil",
    "gcloud",
    "az",
    "azcopy",
    "rclone",
    "mc",
    "cockroach",
    "usql",
    "pgcli",
    "mycli",
    "influx",
    "elasticdump",
    "supabase",
    "turso",
    // Platforms' and services' CLIs: customers, payments, configuration, secrets, state.
    "stripe",
    "heroku",
    "fly",
    "flyctl",
    "railway",
    "render",
    "vercel",
    "netlify",
    "firebase",
    "wrangler",
    "pscale",
    "neonctl",
    "doctl",
    "hcloud",
    "linode-cli",
    "op",
    "bw",
    "vault",
    "doppler",
    "infisical",
    "kubectl",
    "oc",
    "helm",
    "terraform",
    "tofu",
    "pulumi",
    "rabbitmqadmin",
    "rabbitmqctl",
    "sentry-cli",
    "twilio",
    "shopify",
    // The environment, and stores of secrets and configuration.
    "env",
    "printenv",
    "consul",
    "nomad",
    "chamber",
    "gpg",
    "sops",
    "age",
    "dotenvx",
    "envchain",
    "aws-vault",
    "credstash",
    "pass",
    "gopass",
    "s3cmd",
    "b2",
    "terragrunt",
    "docker",
    "podman",
    "rails",
];

/// What a pipeline sends to another machine of what a database, a message stream or cloud
/// storage returned in an earlier stage (`psql -c '\copy (…) to stdout' | gzip | curl -T -
/// https://…`), when the database is not this machine's test database.
/// A copy to another machine (`rsync`, `scp`) into its system folders or login files
/// (`root@host:/etc/`, `host:.ssh/authorized_keys`), or a sync that deletes over a whole
/// tree there (`rsync -a --delete ./rootfs/ root@host:/`): what it says it does.
fn remote_system_copy(c: &Cmd) -> Option<String> {
    if !matches!(c.program.as_str(), "rsync" | "scp" | "sftp" | "rclone" | "pscp" | "mutagen") {
        return None;
    }
    let args = c.args();
    let deletes = args.iter().any(|w| w.text.starts_with("--delete") || w.text == "--del" || w.text.starts_with("--remove-source") || w.text == "sync");
    let values = programs::value_options(&c.program).unwrap_or_default();
    let mut idx = Vec::new();
    positional_into(args, &values, &mut idx);
    let positional: Vec<&shell::Word> = idx.iter().map(|&i| &args[i]).collect();
    let dest = positional.last()?;
    // `host:PATH`, `user@host:PATH`, `user@[fd00::5]:PATH` (not `./a:b`, `C:\x`).
    let text = dest.text.as_str();
    let (host, path) = match text.find("]:") {
        Some(at) if text.contains('[') => (&text[..at + 1], &text[at + 2..]),
        _ => text.split_once(':')?,
    };
    if host.is_empty() || host.contains('/') || host.len() == 1 {
        return None;
    }
    // `rsync://host/module/…`: a module is the server's to place.
    if path.starts_with("//") {
        return None;
    }
    // (As the other machine takes it: `/./` and `//` are `/`.)
    let mut norm = path.replace("/./", "/");
    while norm.contains("//") {
        norm = norm.replace("//", "/");
    }
    let norm = if norm == "/." { "/".to_owned() } else { norm };
    let path = if norm == "/" { "/" } else { norm.trim_end_matches('/').trim_end_matches("/.") };
    let recursive = args
        .iter()
        .any(|w| w.text == "--recursive" || w.text == "--archive" || (w.text.starts_with('-') && !w.text.starts_with("--") && (w.text.contains('r') || w.text.contains('a') || w.text.contains('R'))));
    // A tree copied into the top of a machine (`scp -r etc root@host:/`, `rsync -aR ./etc/x
    // root@host:/`), or dotfiles into a home (`rsync -a dotfiles/ host:`): the names in it land
    // in system folders or login files.
    let sources = &positional[..positional.len() - 1];
    if recursive && (path == "/" || ((path.is_empty() || path == "~") && sources.iter().any(|w| w.text.ends_with('/') || w.text.contains("dot")))) {
        return Some(format!("{} {}: copies a tree into the top of the other machine or its home", c.program, dest.text));
    }
    const SYSTEM: &[&str] = &["/etc", "/usr", "/boot", "/root", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/efi", "/var/spool/cron", "/var/lib", "/opt", "/home"];
    const PERSONAL: &[&str] = &[".ssh", ".bashrc", ".profile", ".bash_profile", ".zshrc", ".config/autostart", ".config/systemd"];
    let in_home = path.strip_prefix("~/").or_else(|| if path.starts_with('/') { None } else { Some(path) });
    let whole = path.is_empty() || path == "~" || path == "/" || path == "/var" || path == "/srv" || SYSTEM.contains(&path);
    let system = SYSTEM.iter().any(|d| path == *d || path.strip_prefix(d).is_some_and(|r| r.starts_with('/'))) && !path.starts_with("/home/") && !path.starts_with("/opt/");
    let personal = in_home.is_some_and(|p| PERSONAL.iter().any(|d| p == *d || p.starts_with(&format!("{d}/")))) || path.contains("/.ssh");
    if dest.dynamic || (deletes && whole) || system || personal {
        Some(format!("{} {}: {}", c.program, dest.text, if deletes { "syncs over, deleting what the copy does not have" } else { "copies into its system or login files" }))
    } else {
        None
    }
}

fn sends_stored_data(cmds: &[Cmd], env: &Env) -> Option<String> {
    // Files a data source wrote earlier in the command (`psql … -c '…' > users.csv && curl -F
    // f=@users.csv …`): what it returned, staged.
    let mut staged: Vec<(String, &str)> = Vec::new();
    // A source other than this machine's test database, and the files a command writes.
    let source = |s: &Cmd| DATA_SOURCES.contains(&s.program.as_str()) && !programs::text::local_test_database(s);
    let writes = |c: &Cmd| -> Vec<String> { effects::of_command(c, env.home).into_iter().filter(|e| matches!(e.kind, EffectKind::Write | EffectKind::Edit) && !e.dynamic).map(|e| e.target).collect() };
    for (i, c) in cmds.iter().enumerate() {
        if source(c) {
            let mut written = writes(c);
            // (`psql -o FILE`, `mysql --tee=FILE`, `sqlcmd -o FILE`, `bq … > FILE`.)
            let own: &[&str] = match c.program.as_str() {
                "pg_dump" | "pg_dumpall" => &["-f", "--file"],
                "mysqldump" | "mariadb-dump" => &["-r", "--result-file"],
                "redis-cli" | "valkey-cli" => &["--rdb"],
                _ => &[],
            };
            for w in programs::option_values(&c.argv, &["-o", "--output", "--tee", "--out", "--output-file"], &[]).into_iter().chain(programs::option_values(&c.argv, own, &[])) {
                if !w.dynamic {
                    written.push(path::normalize(&w.text, c.cwd.as_deref().unwrap_or("/"), env.home));
                }
            }
            staged.extend(written.into_iter().map(|t| (t, c.program.as_str())));
        }
        // What a source returned, given to a sender through a substitution or a variable
        // (`x=$(env); curl -d "$x" …`, `curl -d "$(psql -c …)" …`, `curl -d @<(pg_dump db) …`).
        if SENDERS.contains(&c.program)
            && c.args().iter().any(|w| w.dynamic)
            && let Some(s) = cmds[..i].iter().enumerate().find_map(|(k, s)| {
                // (A substitution's commands are listed just before the command that holds it.)
                let substituted = k + 1 == i && c.args().iter().any(|w| w.dynamic && (w.text.contains("<(") || w.text.contains("$(")));
                (source(s) && (s.depth > c.depth || substituted)).then_some(s)
            })
        {
            return Some(format!("{} sends what {} returns, through a substitution or a variable", c.program, s.program));
        }
        // What a group or a subshell of a source writes (`(env) > e.txt`, `{ stripe …; } > s.txt`):
        // the redirection follows the group's last command.
        if c.program.is_empty() && i > 0 && source(&cmds[i - 1]) {
            let from = cmds[i - 1].program.as_str();
            staged.extend(writes(c).into_iter().map(|t| (t, from)));
        }
        // What a later stage of its pipeline writes (`psql … | tee out.txt`, `… | gzip > x.gz`).
        if c.stdin_from.is_some()
            && !DATA_SOURCES.contains(&c.program.as_str())
            && let Some(stage) = stages_before(cmds, i).find(|s| source(s))
        {
            let from = stage.program.as_str();
            staged.extend(writes(c).into_iter().map(|t| (t, from)));
        }
        if !staged.is_empty()
            && UPLOADERS.contains(&c.program)
            && let Some(files) = sent_files(cmds, i, c, effects::of_command(c, env.home), env)
            && let Some((_, from)) = staged.iter().find(|(t, _)| files.iter().any(|e| e.kind == EffectKind::Read && &e.target == t))
        {
            return Some(format!("{} sends what {from} wrote to a file", c.program));
        }
        // Sent by an uploader to another machine, or loaded into another machine's database,
        // stream or cache (`pg_dump … | psql -h 203.0.113.5`, `kcat … | kcat -b x -P`).
        // (Only a stage that reads a pipe can send what an earlier stage returned.)
        if c.stdin_from.is_none() {
            continue;
        }
        let code_sends = c.facts & schema::fact::INLINE_SCRIPT != 0 && content::uses_network(&c.args().iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "));
        let receives = code_sends
            || matches!(
                c.program.as_str(),
                "psql"
                    | "mysql"
                    | "mariadb"
                    | "mongosh"
                    | "mongo"
                    | "mongoimport"
                    | "mongorestore"
                    | "sqlcmd"
                    | "clickhouse-client"
                    | "redis-cli"
                    | "valkey-cli"
                    | "kcat"
                    | "kafkacat"
                    | "kafka-console-producer"
                    | "kafka-console-producer.sh"
                    | "cqlsh"
                    | "cockroach"
                    | "pg_restore"
            ) && programs::text::names_another_host(c);
        if !(receives || UPLOADERS.contains(&c.program) && sent_files(cmds, i, c, effects::of_command(c, env.home), env).is_some()) {
            continue;
        }
        if let Some(stage) = stages_before(cmds, i).find(|s| source(s)) {
            return Some(format!("{} sends what {} returns", c.program, stage.program));
        }
    }
    None
}

/// A sender reading a pipe into which code printed the whole environment, as the sender reading
/// `env`'s output; code run by an earlier stage (`rails runner CODE`) counts.
fn environment_printed_to_sender(cmds: &[Cmd]) -> Option<Cmd> {
    cmds.iter().enumerate().find_map(|(i, c)| {
        if !SENDERS.contains(&c.program) || c.stdin_from.is_none() {
            return None;
        }
        // Earlier stages, and the code they run (listed before each stage).
        let mut piped = true;
        for s in cmds[..i].iter().rev() {
            if s.depth <= c.depth {
                if !piped {
                    break;
                }
                piped = s.stdin_from.is_some();
            }
            // (`sh -c env`, `(env)`, `{ env; }`, `eval env`: the printer run inside a stage.)
            let printer = matches!(s.program.as_str(), "env" | "printenv" | "compgen")
                || (matches!(s.program.as_str(), "set" | "export" | "declare" | "typeset") && s.args().iter().all(|w| w.text.starts_with('-')));
            if printer || s.facts & schema::fact::INLINE_SCRIPT != 0 && content::dumps_environment(&s.args().iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")) {
                return Some(Cmd { stdin_from: Some("env".into()), ..c.clone() });
            }
        }
        None
    })
}

/// The stages of a pipeline before its `i`th command, nearest first (`a | b | c`: for `c`, `b`
/// then `a`); commands found inside one (ssh's remote command) are passed over.
fn stages_before(cmds: &[Cmd], i: usize) -> impl Iterator<Item = &Cmd> {
    let c = &cmds[i];
    let mut j = i;
    let mut stage = c;
    std::iter::from_fn(move || {
        while stage.stdin_from.is_some() && j > 0 {
            j -= 1;
            if cmds[j].depth > c.depth {
                continue;
            }
            stage = &cmds[j];
            return Some(stage);
        }
        None
    })
}

/// What `c` (the `i`th of `cmds`) sends from outside the project, if anything (see
/// [`sends_files_from_outside`]).
#[allow(clippy::too_many_arguments)]
fn sent_from_outside(cmds: &[Cmd], i: usize, c: &Cmd, effects: Vec<Effect>, env: &Env, outside: &dyn Fn(&Effect) -> bool, tainted: &[String], reads_outside: bool) -> Option<String> {
    let files = sent_files(cmds, i, c, effects, env)?;
    if let Some(e) = files.iter().find(|e| outside(e) || (e.kind == EffectKind::Read && tainted.contains(&e.target))) {
        return Some(format!("{} sends {}", c.program, e.target));
    }
    // A word or stdin text a substitution or a variable fills, after a command that read a file
    // from outside (`-d "$(cat /tmp/x)"`, `x=$(cat /tmp/x); curl -d "$x"`, `@<(cat /tmp/x)`).
    let filled = c.args().iter().any(|w| w.dynamic && w.text.contains(['$', '`', '('])) || c.stdin_text.as_deref().is_some_and(|t| t.contains('$'));
    if filled && reads_outside {
        return Some(format!("{} sends what a command read from outside the project", c.program));
    }
    None
}

/// Paths of the project that `cmds` send to another machine, whole (a directory sent with
/// everything in it, `tar czf - . | curl -T - …`, `rsync -a . host:`) or as files: what is in
/// them is read from disk by the caller (a tree holds the project's secrets too).
pub fn sent_project_paths(cmds: &[Cmd], env: &Env) -> Vec<String> {
    let Some(project) = env.project else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for (i, c) in cmds.iter().enumerate() {
        // (git sends files only by mail: every other git command is left before its effects.)
        // A copier only sends with a verb that copies (`kubectl cp`, `aws s3 sync`).
        let copies = || {
            c.args()
                .iter()
                .any(|w| matches!(w.text.as_str(), "cp" | "sync" | "mv" | "copy" | "put" | "upload" | "rsync" | "copyto" | "moveto" | "move" | "put-object" | "upload-file" | "upload-batch"))
        };
        if !(UPLOADERS.contains(&c.program) || (COPIERS.contains(&c.program) && copies()) || PUBLISHERS.contains(&c.program))
            || (c.program == "git" && !c.args().iter().any(|w| w.text == "send-email"))
        {
            continue;
        }
        let effects = effects::of_command(c, env.home);
        for e in sent_files(cmds, i, c, effects, env).unwrap_or_default() {
            if e.kind == EffectKind::Read && !e.dynamic && (e.target == project || path::is_within(&e.target, project)) && !out.contains(&e.target) {
                out.push(e.target);
            }
        }
    }
    out
}

/// The files `c` (the `i`th of `cmds`) sends to another machine, with what the stages before it
/// in a pipeline read; `None` when it sends nothing (a local address, not an upload).
fn sent_files(cmds: &[Cmd], i: usize, c: &Cmd, effects: Vec<Effect>, env: &Env) -> Option<Vec<Effect>> {
    let program = c.program.as_str();
    let args = c.args();
    let pos = || effects::positionals_for(program, args);
    let read = |w: &shell::Word| Effect {
        kind: EffectKind::Read,
        target: if w.dynamic { w.text.clone() } else { path::normalize(&w.text, c.cwd.as_deref().unwrap_or("/"), env.home) },
        dynamic: w.dynamic || (c.cwd.is_none() && !w.text.starts_with(['/', '~'])),
        glob: w.glob,
        recursive: true,
        forced: false,
        spelled: None,
        within: None,
    };
    let mut files: Vec<Effect> = if UPLOADERS.contains(&c.program) {
        match program {
            "scp" | "rsync" => {
                let pos = pos();
                // `SRC… HOST:DEST`: local sources sent to a remote destination.
                if !pos.last().is_some_and(|w| remote_spec(&w.text)) {
                    return None;
                }
                pos[..pos.len() - 1].iter().filter(|w| !remote_spec(&w.text)).map(|w| read(w)).collect()
            }
            "curl" | "wget" | "wget2" => {
                // Through a proxy, or with the name resolved elsewhere, a loopback address is not
                // this machine; a configuration file may name the address itself.
                let elsewhere = args.iter().any(|w| {
                    let t = w.text.as_str();
                    ["-x", "--proxy", "--preproxy", "--resolve", "--connect-to", "--socks", "-K", "--config", "-e", "--execute"]
                        .iter()
                        .any(|o| t == *o || (t.starts_with("--") && t.starts_with(o) && t.contains('=')) || (o.len() == 2 && t.starts_with(o) && t.len() > 2 && !o.starts_with("--")))
                });
                if !elsewhere && !effects.iter().any(|e| e.kind == EffectKind::Fetch && !loopback(url_host(&e.target))) {
                    return None;
                }
                effects
            }
            // httpie takes its address without a scheme, `:3000` for this machine.
            "http" | "https" | "xh" | "xhs" | "httpie" => {
                if args.iter().any(|w| w.text.starts_with(':') || loopback(url_host(&w.text)) || loopback(url_host(&format!("http://{}", w.text)))) {
                    return None;
                }
                effects
            }
            // `openssl s_client -connect HOST:PORT` sends its stdin.
            "openssl" if args.first().is_none_or(|w| w.text != "s_client") => return None,
            // socat's bare path addresses are files too (`socat -u /tmp/x TCP:host:80`).
            "socat" => {
                if args.iter().any(|w| loopback_word(&w.text)) {
                    return None;
                }
                let mut files = effects;
                files.extend(pos().into_iter().filter(|w| w.text.starts_with(['/', '.', '~']) && !w.text.contains(':')).map(&read));
                files
            }
            _ => {
                if args.iter().any(|w| loopback_word(&w.text)) {
                    return None;
                }
                // Every path among their words: `mail -a F`, `lftp -e "put F"`, `croc send F`.
                // And on stdin (`echo "put /tmp/x" | sftp host`).
                // (ssh and sftp use the key `-i` names without sending it; sftp's `-b FILE`
                // holds its commands.)
                let mut files = effects;
                if matches!(program, "ssh" | "sftp") {
                    files.extend(programs::option_values(&c.argv, &["-b"], &[]).iter().map(&read));
                } else {
                    files.extend(
                        args.iter()
                            .flat_map(|w| w.text.split_whitespace().filter(|t| t.starts_with(['/', '~'])).map(|t| shell::Word { text: t.to_owned(), ..w.clone() }).collect::<Vec<_>>())
                            .map(|w| read(&w)),
                    );
                }
                if let Some(text) = &c.stdin_text {
                    files.extend(text.split_whitespace().filter(|t| t.starts_with(['/', '~'])).map(|t| read(&shell::Word::lit(t))));
                }
                files
            }
        }
    } else if COPIERS.contains(&c.program) {
        let pos = pos();
        let remote = |t: &str| t.contains("://") || (t.contains(':') && !t.starts_with(['/', '.', '~', '-']));
        match pos.last() {
            Some(last) if pos.len() >= 2 && remote(&last.text) => pos[..pos.len() - 1].iter().filter(|w| !remote(&w.text) && (w.text.contains('/') || w.text.contains('.'))).map(|w| read(w)).collect(),
            _ => {
                // `--body F`, `--payload fileb://F`, `--from-file=F`, `-f F` (an upload's file).
                let mut files = Vec::new();
                for w in args {
                    let t = w.text.split_once('=').map_or(w.text.as_str(), |(_, v)| v);
                    let t = t.strip_prefix("fileb://").or_else(|| t.strip_prefix("file://")).or_else(|| t.strip_prefix('@')).unwrap_or(t);
                    if t.starts_with(['/', '~']) && (w.text.contains("file") || args.iter().any(|o| o.text.contains("upload") || o.text == "put-object" || o.text == "--body")) {
                        files.push(read(&shell::Word { text: t.to_owned(), ..w.clone() }));
                    }
                }
                files
            }
        }
    } else if PUBLISHERS.contains(&c.program) {
        let sends = match program {
            "git" => args.iter().any(|w| w.text == "send-email"),
            "gh" | "glab" => args.iter().any(|w| matches!(w.text.as_str(), "gist" | "snippet" | "release" | "issue" | "pr" | "upload")),
            _ => args.iter().any(|w| matches!(w.text.as_str(), "push" | "append")),
        };
        if !sends {
            return None;
        }
        let mut files: Vec<Effect> = effects;
        files.extend(args.iter().filter(|w| w.text.starts_with(['/', '~'])).map(&read));
        files.extend(args.iter().filter_map(|w| w.text.strip_prefix("--body-file=").or_else(|| w.text.strip_prefix("--input=")).map(|f| read(&shell::Word { text: f.to_owned(), ..w.clone() }))));
        files
    } else {
        return None;
    };
    // What the stages before it in a pipeline read flows into it.
    for stage in stages_before(cmds, i) {
        files.extend(effects::of_command(stage, env.home));
    }
    Some(files)
}

/// `host:path`, `user@host:path`, `host::module`, `rsync://…`: not a local path.
fn remote_spec(w: &str) -> bool {
    if w.starts_with("rsync://") || w.starts_with("scp://") {
        return true;
    }
    let head = w.split('/').next().unwrap_or("");
    !w.starts_with(['/', '.', '~']) && head.contains(':')
}

/// A host that is this machine: `localhost`, `*.localhost`, `::1`, an address in 127.0.0.0/8 in
/// any spelling the resolver reads as one (`127.1`, `0x7f.1`), `0.0.0.0`. Not a name that only
/// begins like one (`127.0.0.1.example.com`).
fn loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let h = h.strip_suffix('.').unwrap_or(&h);
    if h == "localhost" || h.ends_with(".localhost") || h == "::1" || h == "0" || h == "0.0.0.0" {
        return true;
    }
    let dotted = canonical_ipv4(h).unwrap_or_else(|| h.to_owned());
    let parts: Vec<&str> = dotted.split('.').collect();
    parts.len() == 4 && parts[0] == "127" && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A word of nc's or socat's that names this machine or a local socket.
fn loopback_word(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    l.split([':', ',', '=', '@']).any(loopback) || l.starts_with("unix") || w == "-U" || w == "--unixsock"
}

/// An IPv4 address as `inet_aton` reads it (what curl, wget and libc resolvers take): one to
/// four parts, each decimal, octal (`0…`) or hex (`0x…`), the last filling the bytes left; in
/// dotted decimal, when that is not how it was written.
pub fn canonical_ipv4(host: &str) -> Option<String> {
    let h = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = h.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let value = |p: &str| -> Option<u64> {
        let (digits, radix) = match p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            Some(hex) => (hex, 16),
            None if p.len() > 1 && p.starts_with('0') => (&p[1..], 8),
            None => (p, 10),
        };
        if digits.is_empty() && radix == 16 {
            return Some(0);
        }
        if digits.is_empty() || digits.len() > 12 {
            return None;
        }
        u64::from_str_radix(digits, radix).ok()
    };
    let nums: Vec<u64> = parts.iter().map(|p| value(p)).collect::<Option<_>>()?;
    let (last, head) = nums.split_last()?;
    if head.iter().any(|n| *n > 255) || *last >= 1u64 << (8 * (4 - head.len())) {
        return None;
    }
    let ip = head.iter().fold(0u64, |acc, n| (acc << 8) | n) << (8 * (4 - head.len())) | last;
    let dotted = format!("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
    (dotted != host).then_some(dotted)
}

/// Indices of positional arguments; options and the values of `with_value` options are skipped.
pub(crate) fn positional_indices(args: &[shell::Word], with_value: &[&str]) -> Vec<usize> {
    let mut out = Vec::with_capacity(args.len());
    positional_into(args, with_value, &mut out);
    out
}

/// [`positional_indices`], appended to `out`.
fn positional_into(args: &[shell::Word], with_value: &[&str], out: &mut Vec<usize>) {
    let mut i = 0;
    let mut done = false;
    while i < args.len() {
        let a = args[i].text.as_str();
        if done {
            out.push(i);
        } else if a == "--" {
            done = true;
        } else if a.starts_with('-') && a.len() > 1 {
            if with_value.contains(&a) {
                i += 1;
            }
        } else {
            out.push(i);
        }
        i += 1;
    }
}

/// Whether the word at `i` directly follows an option that may take it as its value (`-H URL`):
/// an option token without `=` of its own.
fn may_be_option_value(args: &[shell::Word], i: usize) -> bool {
    i > 0 && {
        let prev = args[i - 1].text.as_str();
        prev.len() > 1 && prev.starts_with('-') && prev != "--" && !prev.contains('=')
    }
}

/// Indices of option tokens (before `--`).
fn option_tokens(args: &[shell::Word]) -> impl Iterator<Item = usize> + '_ {
    args.iter().enumerate().take_while(|(_, w)| w.text != "--").filter(|(_, w)| w.text.starts_with('-') && w.text.len() > 1).map(|(i, _)| i)
}

/// Whether flag `spec` is given, in any spelling: `-f` inside a cluster (`-rf`), `--force` or an
/// unambiguous abbreviation (`--forc`), `--name=value`, `--name value`, and single-dash long
/// options (`-delete`, `-auto-approve`) exactly.
fn flag_matches(spec: &str, args: &[shell::Word], options: &[usize]) -> bool {
    // Split at the first `=` byte by byte: these are a few bytes long, shorter than what a
    // searcher costs to set up.
    fn split(s: &str) -> (&str, Option<&str>) {
        match s.bytes().position(|b| b == b'=') {
            Some(at) => (&s[..at], Some(&s[at + 1..])),
            None => (s, None),
        }
    }
    let (name, value) = split(spec);
    options.iter().any(|&i| {
        let tok = args[i].text.as_str();
        let (tname, tval) = split(tok);
        let name_hit = if name.starts_with("--") {
            tname == name || (tval.is_none() && tname.len() >= 4 && name.starts_with(tname) && value.is_none())
        } else if name.len() == 2 {
            // A short flag, alone or inside a cluster of letters.
            let letter = name.as_bytes()[1];
            !tok.starts_with("--") && (tok == name || (tok[1..].bytes().all(|b| b.is_ascii_alphabetic()) && tok[1..].bytes().any(|b| b == letter)))
        } else {
            tname == name
        };
        if !name_hit {
            return false;
        }
        match value {
            None => true,
            Some(v) => {
                let given = tval.or_else(|| if tok == name { args.get(i + 1).map(|w| w.text.as_str()) } else { None });
                given.is_some_and(|g| glob::matches_word(v, g))
            }
        }
    })
}

const SYSTEM_DIRS: &[&str] = &[
    "/etc",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/boot",
    "/proc",
    "/sys",
    "/var",
    "/opt",
    "/srv",
    "/root",
    "/snap",
    "/dev",
    "/run",
    "/System",
    "/Library",
    "/private",
    "/Applications",
];
const HARMLESS_DEVICES: &[&str] = &["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/tty", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/full"];

/// The classes of a path (bits of [`class`]).
/// A write or edit of a path only known at run time, below a directory inside the project
/// (`grep -rl … tests | xargs sed -i …`): confinement bounds where it can land.
fn computed_in_project(e: &Effect, env: &Env) -> bool {
    e.dynamic && matches!(e.kind, EffectKind::Write | EffectKind::Edit) && env.project.is_some_and(|p| e.within.as_deref().is_some_and(|d| path::is_within(d, p) || d == p))
}

pub fn classify(p: &str, dynamic: bool, glob: bool, env: &Env) -> u32 {
    if dynamic {
        return class::DYNAMIC;
    }
    // A bare wildcard (`dir/*`, `dir/.*`, `dir/**`) covers everything in its directory; a
    // pattern (`dir/*.o`) names some files in it, which are classified as children of `dir`.
    // So does `DIR/<all>`, every file `find DIR` finds.
    let (dir, contents) = match glob.then(|| whole_dir_glob(p)).flatten().or_else(|| p.strip_suffix(shell::FOUND_ALL).and_then(|d| d.strip_suffix('/')).map(|d| if d.is_empty() { "/" } else { d })) {
        Some(d) => (d, true),
        None => (p, false),
    };
    let home = env.home;
    if dir == "/" {
        return class::ROOT | class::OUTSIDE_PROJECT | if contents { class::SYSTEM } else { 0 };
    }
    // (Each list is only looked at for a path under its first directory.)
    if (dir.starts_with("/dev/") && (HARMLESS_DEVICES.contains(&dir) || path::is_within(dir, "/dev/fd") || path::is_within(dir, "/dev/shm")))
        || (dir.starts_with("/proc/") && path::is_within(dir, "/proc/self/fd"))
    {
        return class::TEMP;
    }
    // The project first: one kept in a temporary directory is still the project.
    if let Some(project) = env.project {
        if dir == project {
            return class::PROJECT_ROOT;
        }
        if path::is_within(dir, project) {
            return class::INSIDE_PROJECT;
        }
    }
    if path::is_within(dir, "/tmp") || path::is_within(dir, "/var/tmp") {
        // A temporary directory that holds the project is not only temporary files.
        return if env.project.is_some_and(|p| path::is_within(p, dir)) { class::OUTSIDE_PROJECT } else { class::TEMP };
    }
    if dir == home {
        return class::HOME | class::OUTSIDE_PROJECT;
    }
    if path::is_within(dir, "/dev") {
        return class::DEVICE | class::SYSTEM | class::OUTSIDE_PROJECT;
    }
    if SYSTEM_DIRS.iter().any(|s| path::is_within(dir, s)) || (!path::is_within(dir, home) && dir.matches('/').count() == 1 && dir != "/home" && dir != "/Users" && dir != "/mnt" && dir != "/media") {
        return class::SYSTEM | class::OUTSIDE_PROJECT;
    }
    if dir == "/home" || dir == "/Users" {
        return class::HOME | class::SYSTEM | class::OUTSIDE_PROJECT;
    }
    class::OUTSIDE_PROJECT
}

/// Where a JSON string's text (after its opening quote) ends: the index of its closing quote.
fn json_string_end(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, b) in body.bytes().enumerate() {
        match b {
            b'"' if !escaped => return Some(i),
            b'\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    None
}

/// Whether new text for `path` adds install-time code or another package source: a
/// `package.json` lifecycle script (`preinstall`, `install`, `postinstall`, `prepare`…) or
/// `publishConfig`/`registry` not in the old text, or given another value there, or a requirements file's index option naming
/// a host other than PyPI.
fn package_source(path: &str, new: &str, old: Option<&str>) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "package.json" {
        const KEYS: &[&str] = &["preinstall", "install", "postinstall", "prepare", "prepublish", "prepublishOnly", "prepack", "postpack", "preuninstall", "postuninstall", "publishConfig", "registry"];
        // Every `"key": value` in `text`, the value as written (a string up to its closing quote,
        // anything else up to the next `,`, `}` or line end).
        let values = |text: &'_ str, k: &str| -> Vec<String> {
            let quoted = format!("\"{k}\"");
            text.match_indices(&quoted)
                .filter_map(|(i, _)| text[i + quoted.len()..].trim_start().strip_prefix(':'))
                .map(|rest| {
                    let rest = rest.trim_start();
                    let end = if let Some(body) = rest.strip_prefix('"') { json_string_end(body).map_or(rest.len(), |j| j + 2) } else { rest.find([',', '}', '\n']).unwrap_or(rest.len()) };
                    rest[..end].trim_end().to_owned()
                })
                .collect()
        };
        // A key added, or given another value (`"postinstall": "node x.js"` → `"curl … | sh"`).
        return KEYS.iter().any(|k| {
            let before = old.map(|o| values(o, k)).unwrap_or_default();
            values(new, k).iter().any(|v| !before.contains(v))
        });
    }
    index_elsewhere(new).is_some()
}

/// The first line of a requirements file that takes packages from an index or a place other
/// than PyPI: an index option (`--extra-index-url`, `--index-url`, `-i`, `--find-links`,
/// `--trusted-host`) or a package given by address (`name @ https://…`, `git+https://…`,
/// `-e git+…`), as `pip install URL` on the command line.
pub(crate) fn index_elsewhere(text: &str) -> Option<&str> {
    let elsewhere = |v: &str| {
        let host = v.split("://").nth(1).unwrap_or(v).split(['/', ':', '@']).next().unwrap_or("");
        !matches!(host, "pypi.org" | "files.pythonhosted.org" | "pypi.python.org")
    };
    text.lines().map(str::trim).find(|&l| {
        if l.starts_with('#') {
            return false;
        }
        let value = ["--extra-index-url", "--index-url", "--find-links", "--trusted-host", "-i", "-f"]
            .iter()
            .find_map(|o| l.strip_prefix(o).filter(|r| r.starts_with([' ', '=', '\t'])).map(|r| r.trim_start_matches([' ', '=', '\t']).trim()));
        if let Some(v) = value {
            return elsewhere(v);
        }
        let spec = l.strip_prefix("--editable").or_else(|| l.strip_prefix("-e")).map_or(l, str::trim_start);
        let address = match spec.split_once(" @ ").or_else(|| spec.split_once("@ ")) {
            Some((_, a)) => a.trim(),
            None => spec,
        };
        ["git+", "hg+", "svn+", "bzr+", "http://", "https://", "ftp://"].iter().any(|p| address.starts_with(p))
            && elsewhere(["git+", "hg+", "svn+", "bzr+"].iter().find_map(|p| address.strip_prefix(p)).unwrap_or(address))
    })
}

/// Whether a git command works in a repository outside the project (`git -C DIR`, `cd DIR && git`,
/// `--git-dir`, `--work-tree`): that repository's configuration and hooks can run programs, and
/// a confined command may have written them there. It runs confined, like a script of its own.
fn git_elsewhere(c: &shell::Cmd, cwd: &str, env: &Env) -> bool {
    if c.program != "git" {
        return false;
    }
    let outside = |dir: &str| match env.project {
        Some(project) => !path::is_within(dir, project),
        None => dir != cwd,
    };
    let here = c.cwd.as_deref().unwrap_or("");
    if c.cwd.is_none() || (here != cwd && outside(here)) {
        return true;
    }
    let argv = &c.argv;
    let mut i = 1;
    while i < argv.len() && argv[i].text.starts_with('-') {
        let a = argv[i].text.as_str();
        let (name, inline) = a.split_once('=').map_or((a, None), |(n, v)| (n, Some(v)));
        if matches!(name, "--git-dir" | "--work-tree") {
            let (value, dynamic) = match inline {
                Some(v) => (v.to_owned(), argv[i].dynamic),
                None => argv.get(i + 1).map_or((String::new(), true), |w| (w.text.clone(), w.dynamic)),
            };
            if dynamic || outside(&path::normalize(&value, here, env.home)) {
                return true;
            }
        }
        i += if programs::git::GLOBAL_VALUES.contains(&name) && inline.is_none() { 2 } else { 1 };
    }
    false
}

/// For `dir/*`-like globs, the directory whose whole contents they name.
fn whole_dir_glob(p: &str) -> Option<&str> {
    let cut = p.find(['*', '?', '[', '{'])?;
    let slash = p[..cut].rfind('/')?;
    let last = &p[slash + 1..];
    if !matches!(last, "*" | ".*" | "**" | "*/" | "**/*" | "{*,.*}" | "{.*,*}" | ".[!.]*" | "*/*") {
        return None;
    }
    Some(if slash == 0 { "/" } else { &p[..slash] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Agent;
    use std::borrow::Cow;

    #[test]
    fn requirements_that_take_packages_from_elsewhere() {
        for text in [
            "--extra-index-url https://pkgs.example.net/simple\nfoo",
            "-i http://mirror.example/simple",
            "requests @ https://files.example.net/requests.whl",
            "-e git+https://github.com/x/y.git#egg=y",
            "git+ssh://git@example.com/x.git",
        ] {
            assert!(index_elsewhere(text).is_some(), "{text}");
        }
        for text in [
            "requests==2.31\nflask>=3",
            "--index-url https://pypi.org/simple\nx",
            "# --extra-index-url https://pkgs.example.net/simple",
            "torch @ https://files.pythonhosted.org/packages/torch-2.0+cpu.whl",
            "-r other.txt",
        ] {
            assert!(index_elsewhere(text).is_none(), "{text}");
        }
    }

    fn bash(command: &str) -> Action {
        Action { agent: Agent::ClaudeCode, session: "s".into(), cwd: "/home/dev/project".into(), tool: "Bash".into(), kind: Kind::Exec, object: Object::Command { command: command.into() } }
    }

    proptest::proptest! {
        /// The shortcut that skips squeezing a rule's `contains` text holds only for texts that
        /// squeezing leaves as they are.
        #[test]
        fn squeezed_text_is_recognised(s in "[ \\ta-cA-Cé\u{130}\n]{0,8}") {
            proptest::prop_assert!(!is_squeezed_lower(&s) || squeeze_lower(&s) == s);
        }
    }

    #[test]
    fn rule_texts_are_taken_as_written() {
        for c in ["drop table", "rm -rf /", "a b c "] {
            assert!(is_squeezed_lower(c), "{c}");
        }
        for c in [" a", "a  b", "a\tb", "Drop", "\u{130}"] {
            assert!(!is_squeezed_lower(c), "{c}");
        }
    }

    /// The built-in index lists every file rule under each kind of effect it names, and no
    /// other: a rule left out of a list would never be tried.
    #[test]
    fn the_file_index_lists_each_rule_under_its_kinds() {
        let b = crate::rules::builtin();
        let ix = b.index.expect("the built-in packs are indexed");
        for bit in [tool::READ, tool::WRITE, tool::EDIT, tool::DELETE, tool::FETCH] {
            let want: Vec<u16> = b.rules.iter().enumerate().filter(|(_, r)| r.tools & bit != 0).map(|(i, _)| i as u16).collect();
            assert!(!want.is_empty());
            assert_eq!(ix.files_for(bit), want.as_slice(), "tool bit {bit}");
        }
        assert!(ix.files_for(tool::EXEC).is_empty() && ix.files_for(tool::MCP).is_empty());
    }

    /// Every exec rule whose program patterns name a program is among the rules the index
    /// gives for it: for each pattern, the name itself, or for a glob, names it matches.
    #[test]
    fn the_program_index_gives_every_rule_that_may_match() {
        let b = crate::rules::builtin();
        let ix = b.index.expect("the built-in packs are indexed");
        let candidates = |program: &str| -> Vec<u16> {
            let mut v: Vec<u16> = ix.for_program(program).iter().chain(ix.any_program).copied().collect();
            v.extend(ix.by_prefix.iter().filter(|(p, _)| program.starts_with(p)).flat_map(|(_, l)| l.iter().copied()));
            v
        };
        let mut names: Vec<String> = Vec::new();
        for r in b.rules.iter().filter(|r| r.tools & tool::EXEC != 0) {
            for p in r.programs.iter() {
                let t = p.text;
                names.push(t.replace(['*', '?'], "x").replace(['[', ']', '{', '}', '\\'], ""));
                names.push(t.replace(['*', '?'], "").replace(['[', ']', '{', '}', '\\'], ""));
            }
        }
        names.extend(["python3.12", "mkfs.ext4", "newfs_msdos", "git", "ls", "x"].map(String::from));
        let mut checked = 0;
        for name in &names {
            let got = candidates(name);
            for (i, r) in b.rules.iter().enumerate().filter(|(_, r)| r.tools & tool::EXEC != 0) {
                if r.programs.is_empty() || r.programs.iter().any(|p| p.matches_word(name)) {
                    assert!(got.contains(&(i as u16)), "{} for program {name}", r.id);
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// What a layer's `disable` list reaches follows from the layer's own identity, not from its
    /// rules: a user layer with no rules of its own switches a built-in rule off, a project layer
    /// never does.
    #[test]
    fn a_layers_disable_list_reaches_by_its_own_identity() {
        let env = Env { home: "/home/dev", project: Some("/home/dev/project"), vars: &[], resolve: None };
        let with = |layer: Layer| Policy { layers: vec![crate::rules::builtin(), Compiled { layer, disable: Cow::Owned(vec!["git.force-push"]), ..Compiled::default() }] };
        // Allowed, so it runs confined under the profile that may reach the remote.
        let v = with(Layer::User).verdict(&bash("git push -f"), &env);
        assert_eq!((v.decision, v.rule.as_deref()), (Decision::Confine, Some("profile.git-remote")));
        assert_eq!(with(Layer::Project).verdict(&bash("git push -f"), &env).decision, Decision::Approve);
        assert_eq!(Policy { layers: vec![crate::rules::builtin()] }.verdict(&bash("git push -f"), &env).decision, Decision::Approve);
    }
}
