//! `ana history`: list and filter, show one record, verify the chain and every proof, export
//! JSON lines, summarize, and prune.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use crate::cli::{HistoryCommand, HistoryFilter};
use crate::history::{time, Filter, History, Record};
use crate::paths::Paths;

fn open(paths: &Paths) -> anyhow::Result<History> {
    if paths.mode == crate::paths::Mode::System && std::fs::metadata(paths.history_db()).is_err() {
        anyhow::bail!("in system mode the history belongs to the approval agent's account: `sudo ana history …` reads it, `ana history verify` asks the agent");
    }
    History::open(&paths.history_db(), Duration::from_secs(5)).with_context(|| format!("opening {}", paths.history_db().display()))
}

/// System mode, as the user: the approval agent verifies (only it can read the history key).
fn verify_in_agent(paths: &Paths) -> anyhow::Result<ExitCode> {
    use crate::protocol::{Request, Response, Role};
    let mut c = crate::ipc::Client::connect(&paths.socket(), Role::Cli, Duration::from_secs(5))?;
    c.send(&Request::Verify)?;
    match c.recv(std::time::Instant::now() + Duration::from_secs(60))? {
        Response::Verified { records, error: None, .. } => {
            println!("history verifies: {records} records, chain, MACs (with the approval agent's key) and every proof");
            Ok(ExitCode::SUCCESS)
        }
        Response::Verified { error: Some(e), .. } => {
            println!("history does NOT verify: {e}");
            Ok(ExitCode::from(1))
        }
        Response::Error { message } => anyhow::bail!("the approval agent could not verify the history: {message}"),
        other => anyhow::bail!("unexpected answer: {other:?}"),
    }
}

fn filter(f: &HistoryFilter) -> anyhow::Result<Filter> {
    let now = crate::history::time::now_ms();
    let parse = |s: &Option<String>| s.as_deref().map(|v| time::parse(v, now)).transpose().map_err(anyhow::Error::msg);
    Ok(Filter {
        since_ms: parse(&f.since)?,
        until_ms: parse(&f.until)?,
        agent: f.agent.clone(),
        session: f.session.clone(),
        decision: f.decision.clone(),
        rule: f.rule.clone(),
        grep: f.grep.clone(),
        limit: Some(f.limit),
    })
}

pub fn run(command: Option<HistoryCommand>, f: HistoryFilter) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    match command {
        None => list(&paths, &f),
        Some(HistoryCommand::Show { id }) => show(&paths, id),
        Some(HistoryCommand::Verify) => verify(&paths),
        Some(HistoryCommand::Export) => export(&paths),
        Some(HistoryCommand::Stats) => stats(&paths),
        Some(HistoryCommand::Prune { before }) => {
            let ms = time::parse(&before, crate::history::time::now_ms()).map_err(anyhow::Error::msg)?;
            let n = open(&paths)?.prune(ms)?;
            println!("pruned {n} records before {}; the rest still verifies", time::format(ms));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn who(r: &Record) -> String {
    match (&r.key_name, r.software_key) {
        (Some(k), true) => format!("{k} (SOFTWARE)"),
        (Some(k), false) => k.clone(),
        (None, _) => r.decided_by.clone(),
    }
}

fn list(paths: &Paths, f: &HistoryFilter) -> anyhow::Result<ExitCode> {
    let records = open(paths)?.list(&filter(f)?)?;
    if f.json {
        println!("{}", serde_json::to_string_pretty(&records)?);
        return Ok(ExitCode::SUCCESS);
    }
    if records.is_empty() {
        println!("no records");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:>5}  {:<19}  {:<11}  {:<11}  {:<8}  {:<22}  {:<24}  WHAT", "ID", "TIME (UTC)", "AGENT", "KIND", "DECISION", "DECIDED BY", "RULE");
    for r in records {
        println!(
            "{:>5}  {}  {:<11}  {:<11}  {:<8}  {:<22}  {:<24}  {}",
            r.id,
            time::format(r.time_ms),
            r.agent,
            r.kind,
            r.decision,
            crate::action::one_line(&who(&r), 22),
            r.rule.as_deref().unwrap_or("-"),
            crate::action::one_line(&r.summary, 80)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn show(paths: &Paths, id: i64) -> anyhow::Result<ExitCode> {
    let Some(r) = open(paths)?.get(id)? else {
        eprintln!("ana: no record {id}");
        return Ok(ExitCode::from(1));
    };
    println!("record {}  {} UTC", r.id, time::format(r.time_ms));
    println!("  {} — {} by {}", r.kind, r.decision, who(&r));
    println!("  agent    {} (session {})", r.agent, r.session);
    println!("  cwd      {}", r.cwd);
    println!("  tool     {}", r.tool);
    println!("  what     {}", r.summary);
    println!("  rule     {}", r.rule.as_deref().unwrap_or("-"));
    println!("  reason   {}", r.reason);
    println!("  user     {}", r.user);
    if let Some(l) = r.latency_ms {
        println!("  time to decide  {:.1} s", l as f64 / 1000.0);
    }
    if let Some(i) = &r.intent {
        println!("  intent   {i}");
    }
    if let Some(p) = &r.proof {
        let keys = crate::keys::load(paths).unwrap_or_default();
        let checked = match &r.intent {
            Some(i) => {
                let challenge: [u8; 32] = sha2::Digest::finalize(sha2::Digest::chain_update(<sha2::Sha256 as sha2::Digest>::new(), i.as_bytes())).into();
                match crate::webauthn::verify(p, &challenge, &keys, i.contains("\"level\":\"verification\"")) {
                    Ok((k, n)) => format!("verifies against enrolled key {} (signature count {n})", k.name),
                    Err(e) => format!("DOES NOT VERIFY: {e}"),
                }
            }
            None => "no intent recorded".into(),
        };
        println!("  proof    credential {}… — {checked}", crate::webauthn::b64(&p.credential_id).chars().take(16).collect::<String>());
    }
    println!("  chain    prev {}…  hash {}…", &r.prev_hash[..16], &r.hash[..16]);
    Ok(ExitCode::SUCCESS)
}

fn verify(paths: &Paths) -> anyhow::Result<ExitCode> {
    if paths.mode == crate::paths::Mode::System && crate::history::HistoryKey::load(&crate::history::key_path(&paths.history_db())).ok().flatten().is_none() {
        return verify_in_agent(paths);
    }
    let keys = crate::keys::load(paths).map_err(anyhow::Error::msg)?;
    let history = open(paths)?;
    match history.verify(&keys)? {
        Ok(n) => {
            println!("{n} records verified: the chain is intact and every proof checks against the enrolled keys");
            if !history.authenticated() {
                println!("(the history key is not readable here, so the MACs were not checked)");
            } else if paths.mode == crate::paths::Mode::User {
                println!("(user mode: the history key is yours, so this catches accidents, not someone who can write your files; `sudo ana install system` puts it out of reach)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("history does NOT verify: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

fn export(paths: &Paths) -> anyhow::Result<ExitCode> {
    let h = open(paths)?;
    let mut records = h.list(&Filter::default())?;
    records.reverse();
    let mut out = std::io::stdout().lock();
    for r in records {
        use std::io::Write;
        writeln!(out, "{}", serde_json::to_string(&r)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(paths: &Paths) -> anyhow::Result<ExitCode> {
    let records = open(paths)?.list(&Filter::default())?;
    let mut by: [BTreeMap<String, usize>; 4] = Default::default();
    let mut approve_ms: Vec<u64> = Vec::new();
    for r in &records {
        *by[0].entry(format!("{} ({})", r.decision, r.kind)).or_default() += 1;
        *by[1].entry(r.rule.clone().unwrap_or_else(|| "-".into())).or_default() += 1;
        *by[2].entry(r.agent.clone()).or_default() += 1;
        *by[3].entry(time::day(r.time_ms)).or_default() += 1;
        if matches!(r.kind.as_str(), "approval" | "grant") {
            approve_ms.extend(r.latency_ms);
        }
    }
    println!("{} records", records.len());
    for (title, map) in ["by decision", "by rule", "by agent", "by day"].iter().zip(&by) {
        println!("{title}:");
        let mut v: Vec<_> = map.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (k, n) in v {
            println!("  {n:>6}  {k}");
        }
    }
    approve_ms.sort_unstable();
    match approve_ms.get(approve_ms.len() / 2) {
        Some(m) if !approve_ms.is_empty() => println!("median time to approve: {:.1} s ({} approvals)", *m as f64 / 1000.0, approve_ms.len()),
        _ => println!("median time to approve: no approvals yet"),
    }
    Ok(ExitCode::SUCCESS)
}
