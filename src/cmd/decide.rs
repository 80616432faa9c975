//! `ana approve --yes [ID]` and `ana deny [ID]`: decide one pending request without the prompt.
//! With a hardware key, approving still needs the touch.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::ipc::Client;
use crate::paths::Paths;
use crate::protocol::{Pending, Request, Response, Role};

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

/// Approves or denies request `id` (the oldest waiting one without an id). Exits 1 when nothing
/// is pending or the decision failed.
pub fn run(id: Option<u64>, approve: bool, reason: Option<String>) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let mut client = Client::connect(&paths.socket(), Role::Cli, Duration::from_secs(5))?;
    let pending = queue(&mut client)?;
    let decidable = || pending.iter().filter(|p| p.state == "waiting" || p.state == "detached");
    if id.is_none() && approve && decidable().count() > 1 {
        // Which one the key would sign must be the user's choice, not the queue's order.
        eprintln!("ana: {} requests are pending; give the ID of the one to approve (`ana approve` shows them):", decidable().count());
        for p in decidable() {
            eprintln!("  #{}  {}", p.id, p.evaluation.context.summary);
        }
        return Ok(ExitCode::from(1));
    }
    let target = match id {
        Some(id) => pending.iter().find(|p| p.id == id),
        None => decidable().next(),
    };
    let Some(target) = target else {
        eprintln!("ana: nothing is pending{}", id.map(|i| format!(" with id {i}")).unwrap_or_default());
        return Ok(ExitCode::from(1));
    };
    let id = target.id;
    println!("{} #{id}: {} ({} in {})", if approve { "approving" } else { "denying" }, target.evaluation.context.summary, target.evaluation.subject.id.as_deref().unwrap_or("?"), target.evaluation.resource.properties["cwd"].as_str().unwrap_or("?"));
    if approve && !target.software {
        println!("touch your security key…");
    }
    let (ok, message) = client.decide(id, approve, reason, None, Instant::now() + CEREMONY_WAIT)?;
    println!("{message}");
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
