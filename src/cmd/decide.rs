//! `ana approve --yes [ID]` and `ana deny [ID]`: decide one pending request without the prompt.
//! With a hardware key, approving still needs the touch.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::ipc::Client;
use crate::paths::Paths;
use crate::protocol::{Choice, Pending, Request, Response, Role};

/// How long to wait for the key (the user touching it).
const CEREMONY_WAIT: Duration = Duration::from_secs(120);

/// The current queue.
pub fn queue(client: &mut Client) -> anyhow::Result<Vec<Pending>> {
    client.send(&Request::Subscribe)?;
    loop {
        match client.recv(Instant::now() + Duration::from_secs(5))? {
            Response::Queue { pending } => return Ok(pending),
            Response::Error { message } => anyhow::bail!("{message}"),
            _ => continue,
        }
    }
}

/// Approves or denies request `id`. Without an id, only when exactly one request is pending
/// (exits 2 listing them otherwise): a decision never lands on a request the user did not name or
/// see. The request is printed whole before it is decided. Exits 1 when nothing is pending or the
/// decision failed.
pub fn run(id: Option<u64>, choice: Choice, reason: Option<String>) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let mut client = Client::connect(&paths.socket(), Role::Cli, Duration::from_secs(5))?;
    let pending = queue(&mut client)?;
    let decidable: Vec<&crate::protocol::Pending> = pending.iter().filter(|p| p.state.decidable()).collect();
    let target = match (id, decidable.as_slice()) {
        (Some(id), _) => pending.iter().find(|p| p.id == id),
        (None, [one]) => Some(*one),
        (None, []) => None,
        (None, many) => {
            eprintln!(
                "ana: {} requests are pending; name the one to {}:",
                many.len(),
                match choice {
                    Choice::Approve => "approve (`ana approve --yes ID`)",
                    Choice::Deny => "deny (`ana deny ID`)",
                }
            );
            for p in many {
                let what = crate::intent::Intent::from_value(&p.evaluation.context.intent).map(|i| crate::render::one_line(&crate::render::summary(&i), 100));
                eprintln!("  #{:<4} {}", p.id, what.unwrap_or_else(|_| "⚠ a request ana cannot show".into()));
            }
            return Ok(ExitCode::from(2));
        }
    };
    let Some(target) = target else {
        eprintln!("ana: nothing is pending{}", id.map(|i| format!(" with id {i}")).unwrap_or_default());
        return Ok(ExitCode::from(1));
    };
    let id = target.id;
    let Ok(challenge) = crate::intent::challenge(&target.evaluation.context.intent) else {
        anyhow::bail!("request #{id} has no canonical form; deny it in `ana approve`");
    };
    if choice == Choice::Approve && crate::intent::Intent::from_value(&target.evaluation.context.intent).is_err() {
        anyhow::bail!("request #{id} cannot be shown as what it asks, so it cannot be approved; deny it with `ana deny {id}`");
    }
    let branch = crate::tui::view::cwd(target).and_then(|c| super::prompt::git_branch(&c));
    println!(
        "{} #{id}:",
        match choice {
            Choice::Approve => "approving",
            Choice::Deny => "denying",
        }
    );
    for l in super::prompt::plain_lines(target, branch.as_deref(), super::approval::now_ms()) {
        println!("   {l}");
    }
    if choice == Choice::Approve && !target.software {
        println!("touch your security key…");
    }
    let (ok, message) = client.decide_shown(id, choice, reason, None, Some(crate::intent::hex(&challenge)), Instant::now() + CEREMONY_WAIT)?;
    println!("{}", crate::render::escape(&message));
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
