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
    classify_payload_confined(agent, input, paths).map(|(a, v, _)| (a, v))
}

/// [`classify_payload`], plus the confinement profile when the verdict is `confine`.
pub fn classify_payload_confined(agent: crate::action::Agent, input: &[u8], paths: &Paths) -> Result<(Action, Verdict, Option<String>), String> {
    let action = crate::wire::parse(agent, input, &paths.home, false).map_err(|e| format!("ana blocked this call: {e}"))?;
    match classify(paths, &action, Report::Verdict) {
        Ok((v, _, policy)) => {
            let profile = confine_profile(&policy, &v);
            Ok((action, v, profile))
        }
        Err(e) => Err(format!("ana's policy is broken, so every call is blocked until it is fixed: {e}. Ask the user to run `ana policy check`.")),
    }
}

/// The profile a `confine` verdict runs under: its rule's, or the default.
pub fn confine_profile(policy: &Policy, verdict: &Verdict) -> Option<String> {
    if verdict.decision != crate::policy::Decision::Confine {
        return None;
    }
    let rule = verdict.rule.as_deref().and_then(|id| policy.rules().find(|r| r.id == id));
    Some(rule.and_then(|r| r.profile).unwrap_or(crate::confine::profile::DEFAULT).to_owned())
}

/// How much [`classify`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    /// The verdict only (the hook's fast path): the findings list is empty.
    Verdict,
    /// Every checked part with its own verdict (`ana explain`).
    EveryPart,
}

/// Loads the policy for `action`'s project and classifies it, reporting as `report` says.
pub fn classify(paths: &Paths, action: &Action, report: Report) -> Result<(Verdict, Vec<Finding>, Policy<'static>), PolicyError> {
    let project = project_root(&action.cwd, &paths.home);
    let policy = rules::load(paths, project.as_deref())?;
    let vars = Vars::new(paths);
    let pairs = vars.as_pairs();
    let env = Env { home: &paths.home, project: project.as_deref(), vars: &pairs, resolve: Some(crate::paths::resolve_links) };
    let (verdict, findings) = match report {
        Report::EveryPart => policy.evaluate(action, &env),
        Report::Verdict => (policy.verdict(action, &env), Vec::new()),
    };
    Ok((verdict, findings, policy))
}
