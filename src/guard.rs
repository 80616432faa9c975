//! Classifies an action on this machine: finds the project root, loads the policy layers that
//! apply, and runs the pure evaluation. Shared by `hook`, `check`, `explain` and `policy test`.

use crate::action::Action;
use crate::paths::{Paths, project_root};
use crate::policy::{Env, Finding, Policy, Verdict};
use crate::rules::{self, PolicyError};

/// Where ana's own files are, for the `{name}` variables of path patterns.
pub struct Vars {
    pairs: Vec<(&'static str, String)>,
}

impl Vars {
    pub fn new(paths: &Paths) -> Vars {
        let exe = std::env::current_exe().ok().map(|p| p.display().to_string()).unwrap_or_else(|| "/nonexistent/ana".into());
        let agent_exe = std::path::Path::new(&exe).with_file_name("ana-agent").display().to_string();
        let codex_home = std::env::var("CODEX_HOME").unwrap_or_else(|_| format!("{}/.codex", paths.home));
        let mut pairs = vec![
            ("ana_config", paths.config.display().to_string()),
            ("ana_data", paths.data.display().to_string()),
            ("ana_bin", exe),
            ("ana_agent_bin", agent_exe),
            ("codex_home", codex_home),
            ("ana_runtime", paths.runtime.display().to_string()),
        ];
        if let Some(h) = &paths.ana_home {
            pairs.push(("ana_home", h.clone()));
        }
        Vars { pairs }
    }

    pub fn as_pairs(&self) -> Vec<(&str, &str)> {
        self.pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
}

/// Parses an agent's payload and classifies it, as the hook does: `Err` is the reason for the
/// deny a malformed payload or a broken policy gets.
pub fn classify_payload(agent: crate::action::Agent, input: &[u8], paths: &Paths) -> Result<(Action, Verdict), String> {
    classify_payload_for_run(agent, input, paths).map(|(a, v, _)| (a, v))
}

/// The profile a command a verdict lets run runs under, or why it cannot run at all.
pub type RunProfile = Result<Option<crate::confine::profile::Profile>, String>;

/// [`classify_payload`], plus the profile a command the verdict lets run runs under (see
/// [`run_profile`]).
pub fn classify_payload_for_run(agent: crate::action::Agent, input: &[u8], paths: &Paths) -> Result<(Action, Verdict, RunProfile), String> {
    let action = crate::wire::parse(agent, input, &paths.home, false).map_err(|e| format!("ana blocked this call: {e}"))?;
    match classify(paths, &action, Report::Verdict) {
        Ok((v, _, policy)) => {
            let profile = run_profile(&policy, &v);
            Ok((action, v, profile))
        }
        Err(e) => Err(format!("ana's policy is broken, so every call is blocked until it is fixed: {e}. Ask the user to run `ana policy check`.")),
    }
}

/// The profile a command `verdict` lets run runs under: for `allow` and `confine`, the deciding
/// rule's `profile` or the default; for `approve`, the rule's `profile` when it names one (what
/// the approval covers), and `None` when it does not (a rule whose approved effect lies outside
/// every profile: `sudo`, services, start-up files); `None` for deny and ask. Either way with
/// what the policy's `[[profile]]` tables add. `Err` when the rule names a profile that exists
/// nowhere.
pub fn run_profile(policy: &Policy, verdict: &Verdict) -> RunProfile {
    use crate::policy::Decision;
    let rule = verdict.rule.as_deref().and_then(|id| policy.rules().find(|r| r.id == id));
    let name = match (verdict.decision, rule.and_then(|r| r.profile)) {
        (Decision::Allow | Decision::Confine, p) => p.unwrap_or(crate::confine::profile::DEFAULT),
        (Decision::Approve, Some(p)) => p,
        _ => return Ok(None),
    };
    let defs: Vec<crate::confine::profile::ProfileSpec> = policy
        .layers
        .iter()
        .flat_map(|l| l.profiles.iter())
        .filter(|d| d.name == name)
        .map(|d| crate::confine::profile::ProfileSpec {
            name: d.name.to_owned(),
            description: None,
            write: d.write.iter().map(|w| (*w).to_owned()).collect(),
            read: d.read.iter().map(|r| (*r).to_owned()).collect(),
        })
        .collect();
    crate::confine::profile::resolve(name, &defs).map(Some).map_err(|e| e.to_string())
}

/// How much [`classify`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    /// The verdict only (the hook's fast path): the findings list is empty.
    Verdict,
    /// Every checked part with its own verdict (`ana explain`).
    EveryPart,
}

/// What a `confine` verdict becomes where nothing can be confined: the `profile.` rules only pick
/// a profile for ordinary commands, which are then allowed as before confinement existed, unless
/// another part of the command falls under a rule that confines code the rules cannot see
/// (which then needs approval).
pub fn unconfined_decision(paths: &Paths, action: &Action, verdict: &Verdict) -> crate::policy::Decision {
    use crate::policy::Decision;
    let profile_rule = |id: Option<&str>| id.is_some_and(|r| r.starts_with(PROFILE_RULES));
    if verdict.decision != Decision::Confine || !profile_rule(verdict.rule.as_deref()) {
        return if verdict.decision == Decision::Confine { Decision::Approve } else { verdict.decision };
    }
    match classify(paths, action, Report::EveryPart) {
        Ok((_, findings, _)) if findings.iter().all(|f| f.verdict.decision != Decision::Confine || profile_rule(f.verdict.rule.as_deref())) => Decision::Allow,
        _ => Decision::Approve,
    }
}

/// The id prefix of the rules that only pick a confinement profile (rules/15-confine.toml).
pub const PROFILE_RULES: &str = "profile.";

/// Loads the policy for `action`'s project and classifies it, reporting as `report` says.
pub fn classify(paths: &Paths, action: &Action, report: Report) -> Result<(Verdict, Vec<Finding>, Policy<'static>), PolicyError> {
    let project = project_root(&action.cwd, &paths.home);
    let policy = rules::load(paths, project.as_deref())?;
    let vars = Vars::new(paths);
    let pairs = vars.as_pairs();
    let env = Env { home: &paths.home, project: project.as_deref(), vars: &pairs, resolve: Some(crate::paths::where_it_leads) };
    let (mut verdict, mut findings) = match report {
        Report::EveryPart => policy.evaluate(action, &env),
        Report::Verdict => (policy.verdict(action, &env), Vec::new()),
    };
    // A script, recipe, package script or git alias the command runs is read from disk: what it
    // holds may call for approval (a file written in an earlier call).
    // Every command that would run is looked at: which rule won (a profile's, a runner's) says
    // nothing of the files the rest of the command runs (`git fetch && sh scripts/k.sh`).
    if verdict.decision <= crate::policy::Decision::Confine
        && let Some(v) = crate::ondisk::judge(&policy, action, &env)
    {
        findings.push(Finding { subject: v.subject.clone(), verdict: v.clone() });
        verdict = v;
    }
    Ok((verdict, findings, policy))
}
