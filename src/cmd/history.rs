//! `ana history`: list and filter, show one record, verify the chain and every proof, export
//! JSON lines, summarize, and prune.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use crate::cli::{HistoryCommand, HistoryFilter};
use crate::history::{ExportLine, Filter, History, Record, Row};
use crate::intent::Intent;
use crate::paths::Paths;
use crate::record::RecordKind;
use crate::render;
use crate::time;

fn open(paths: &Paths) -> anyhow::Result<History> {
    if paths.mode == crate::paths::Mode::System && std::fs::metadata(paths.history_db()).is_err() {
        anyhow::bail!("in system mode the history belongs to the approver's account: `sudo ana history …` changes it");
    }
    History::open(&paths.history_db(), Duration::from_secs(5)).with_context(|| format!("opening {}", paths.history_db().display()))
}

/// Where the records come from: the database itself (user mode, and root in system mode), or,
/// for a user in system mode (the database is the approval agent's), the agent — which answers
/// with that user's own records only.
enum Source {
    Local(History),
    Agent(Paths),
}

impl Source {
    fn open(paths: &Paths) -> anyhow::Result<Source> {
        if paths.mode == crate::paths::Mode::System && std::fs::metadata(paths.history_db()).is_err() {
            return Ok(Source::Agent(paths.clone()));
        }
        open(paths).map(Source::Local)
    }

    /// One page from the agent: the rows, the total the filter selects, the next page's start.
    fn page(paths: &Paths, filter: &Filter) -> anyhow::Result<(Vec<Row>, u64, Option<i64>)> {
        use crate::protocol::{Request, Response, Role};
        let mut c = crate::ipc::Client::connect(&paths.socket(), Role::Cli, Duration::from_secs(5)).context("the history is the approval agent's in system mode, and it cannot be reached")?;
        c.send(&Request::History { filter: Box::new(filter.clone()) })?;
        match c.recv(std::time::Instant::now() + Duration::from_secs(60))? {
            Response::History { lines, total, next_before } => Ok((lines.into_iter().map(Row::from).collect(), total, next_before)),
            Response::Error { message } => anyhow::bail!("the approval agent could not read the history: {message}"),
            other => anyhow::bail!("unexpected answer from the approval agent: {other:?}"),
        }
    }

    fn list(&self, f: &Filter) -> anyhow::Result<Vec<Row>> {
        match self {
            Source::Local(h) => Ok(h.list(f)?),
            Source::Agent(paths) => {
                let want = f.limit.unwrap_or(usize::MAX);
                let mut out = Vec::new();
                let mut filter = f.clone();
                loop {
                    filter.limit = Some(want - out.len());
                    let (rows, _, next) = Source::page(paths, &filter)?;
                    out.extend(rows);
                    match next {
                        Some(b) if out.len() < want => filter.before_id = Some(b),
                        _ => return Ok(out),
                    }
                }
            }
        }
    }

    fn count(&self, f: &Filter) -> anyhow::Result<u64> {
        match self {
            Source::Local(h) => Ok(h.count(f)?),
            Source::Agent(paths) => Ok(Source::page(paths, &Filter { limit: Some(1), ..f.clone() })?.1),
        }
    }

    fn get(&self, id: i64) -> anyhow::Result<Option<Row>> {
        match self {
            Source::Local(h) => Ok(h.get(id)?),
            Source::Agent(paths) => {
                let (rows, _, _) = Source::page(paths, &Filter { before_id: id.checked_add(1), limit: Some(1), ..Filter::default() })?;
                Ok(rows.into_iter().find(|r| r.id == id))
            }
        }
    }
}

fn zone(f: &HistoryFilter) -> time::Zone {
    if f.utc { time::Zone::Utc } else { time::Zone::Local }
}

/// System mode, as the user: the approval agent verifies (only it can read the history key).
fn verify_in_agent(paths: &Paths) -> anyhow::Result<ExitCode> {
    use crate::protocol::{Request, Response, Role};
    let mut c = crate::ipc::Client::connect(&paths.socket(), Role::Cli, Duration::from_secs(5))?;
    c.send(&Request::Verify)?;
    match c.recv(std::time::Instant::now() + Duration::from_secs(60))? {
        Response::Verified { records, error: None, .. } => {
            println!("history verifies: {records} records, chain, MACs (with the approver's key) and every proof");
            Ok(ExitCode::SUCCESS)
        }
        Response::Verified { error: Some(e), .. } => {
            println!("history does NOT verify: {e}");
            Ok(ExitCode::from(1))
        }
        Response::Error { message } => anyhow::bail!("the approver could not verify the history: {message}"),
        other => anyhow::bail!("unexpected answer: {other:?}"),
    }
}

fn filter(f: &HistoryFilter) -> anyhow::Result<Filter> {
    let now = crate::time::now_ms();
    let parse = |flag: &str, s: &Option<String>| s.as_deref().map(|v| time::parse(v, now, zone(f))).transpose().map_err(|e| anyhow::anyhow!("{flag}: {e}"));
    let since_ms = parse("--since", &f.since)?;
    let until_ms = parse("--until", &f.until)?;
    if let (Some(a), Some(b)) = (since_ms, until_ms) {
        anyhow::ensure!(a < b, "--since ({}) is not before --until ({})", time::format_in(a, zone(f)), time::format_in(b, zone(f)));
    }
    Ok(Filter {
        since_ms,
        until_ms,
        agent: f.agent.map(|a| a.agent().name().to_owned()),
        session: f.session.clone(),
        decision: f.decision.map(crate::cli::HistoryDecision::outcome),
        rule: f.rule.clone(),
        grep: f.grep.clone(),
        limit: Some(f.limit as usize),
        user: None,
        before_id: None,
    })
}

pub fn run(command: Option<HistoryCommand>, f: HistoryFilter) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    match command {
        None => list(&paths, &f),
        Some(HistoryCommand::Show { id }) => show(&paths, id, zone(&f)),
        Some(HistoryCommand::Verify) => verify(&paths),
        Some(HistoryCommand::Export) => export(&paths),
        Some(HistoryCommand::Stats) => stats(&paths, zone(&f)),
        Some(HistoryCommand::Prune { before, dry_run }) => {
            let ms = time::parse(&before, crate::time::now_ms(), zone(&f)).map_err(|e| anyhow::anyhow!("--before: {e}"))?;
            let shown = format!("{} {}", time::format_in(ms, zone(&f)), zone(&f).label(ms));
            let mut h = open(&paths)?;
            if dry_run {
                let n = h.count(&Filter { until_ms: Some(ms), ..Filter::default() })?;
                println!("would prune {n} records before {shown} (nothing deleted: --dry-run)");
                return Ok(ExitCode::SUCCESS);
            }
            let n = h.prune(ms)?;
            println!("pruned {n} records before {shown}; the rest still verifies");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn who(r: &Record) -> String {
    match (&r.key_name, r.software_key) {
        (Some(k), true) => format!("{k} (SOFTWARE)"),
        (Some(k), false) => k.clone(),
        (None, _) => decided_by_label(r.decided_by.as_str()).to_owned(),
    }
}

/// Who decided, as people read it. The stored value `agent` means ana itself refused (the hook
/// or the approver: no approver, no key, a request that did not verify); shown as `agent`, it read
/// as the coding agent named beside it.
fn decided_by_label(stored: &str) -> &str {
    match stored {
        "agent" => "ana",
        other => other,
    }
}

/// A column: escaped, cut to `width` with a marker, padded.
fn col(s: &str, width: usize) -> String {
    let e = render::one_line(s, width);
    let pad = width.saturating_sub(render::width(&e));
    format!("{e}{}", " ".repeat(pad))
}

fn list(paths: &Paths, f: &HistoryFilter) -> anyhow::Result<ExitCode> {
    let h = Source::open(paths)?;
    let mut filter = filter(f)?;
    // On a terminal, the interactive browser; piped or redirected, the table as always.
    if !f.json && interactive() {
        let table_limit = filter.limit;
        filter.limit = Some(BROWSE_LIMIT);
        let records = h.list(&filter)?;
        // Nothing to browse: say so as the table does.
        if !records.is_empty() {
            let total = h.count(&filter)?;
            return browse(paths, &h, records, total, zone(f));
        }
        filter.limit = table_limit;
    }
    let records = h.list(&filter)?;
    if f.json {
        let lines: Vec<ExportLine> = records.into_iter().map(ExportLine::from).collect();
        println!("{}", serde_json::to_string_pretty(&lines)?);
        return Ok(ExitCode::SUCCESS);
    }
    if records.is_empty() {
        println!("no records{}", if (Filter { limit: None, ..filter.clone() }) == Filter::default() { "" } else { " match these filters" });
        return Ok(ExitCode::SUCCESS);
    }
    let zone = zone(f);
    let header = ["ID", &format!("TIME ({})", zone.label(records[0].record.time_ms)), "AGENT", "KIND", "DECISION", "DECIDED BY", "RULE", "WHAT (`ana history show ID` shows all of it)"];
    let rows: Vec<[String; 8]> = records
        .iter()
        .map(|row| {
            let r = &row.record;
            [
                row.id.to_string(),
                time::format_in(r.time_ms, zone),
                render::one_line(&r.agent, 24),
                render::one_line(r.kind.as_str(), 16),
                render::one_line(r.decision.as_str(), 8),
                render::one_line(&who(r), 24),
                render::one_line(r.rule.as_deref().unwrap_or("-"), 40),
                render::one_line(&r.summary, 80),
            ]
        })
        .collect();
    let mut width = header.map(render::width);
    for row in &rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(render::width(cell));
        }
    }
    let line = |cells: [&str; 8]| {
        let mut out = format!("{:>w$}", cells[0], w = width[0]);
        for (i, c) in cells.iter().enumerate().skip(1) {
            if i == 7 {
                out.push_str("  ");
                out.push_str(c);
            } else {
                out.push_str("  ");
                out.push_str(&col(c, width[i]));
            }
        }
        out
    };
    println!("{}", line(header));
    for row in &rows {
        println!("{}", line(row.each_ref().map(String::as_str)));
    }
    let total = h.count(&filter)?;
    if total as usize > rows.len() {
        println!("showing the newest {} of {total} records (--limit N for more)", rows.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// The most records the browser loads (newest first); it says when there are more.
const BROWSE_LIMIT: usize = 10_000;

/// Whether `ana history` talks to a person: stdin and stdout are terminals and the terminal can
/// draw a full-screen view.
fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal() && std::env::var("TERM").is_ok_and(|t| !t.is_empty() && t != "dumb")
}

/// The browser's row for `row`: every text escaped onto one line.
pub fn entry(row: &Row, zone: time::Zone) -> crate::tui::history::Entry {
    let e = render::escape;
    let r = &row.record;
    crate::tui::history::Entry {
        id: row.id,
        time: time::format_in(r.time_ms, zone),
        agent: e(&r.agent),
        kind: e(r.kind.as_str()),
        decision: e(r.decision.as_str()),
        who: e(&who(r)),
        rule: e(r.rule.as_deref().unwrap_or("-")),
        what: e(&r.summary),
        reason: e(&r.reason),
    }
}

/// The interactive browser: filter as you type, Enter shows a record as `show` prints it.
fn browse(paths: &Paths, h: &Source, records: Vec<Row>, total: u64, zone: time::Zone) -> anyhow::Result<ExitCode> {
    use crate::tui::history::{Browser, Effect};
    use crossterm::event::{self, Event};
    use crossterm::terminal::{EnterAlternateScreen, disable_raw_mode, enable_raw_mode};

    let label = records.first().map_or_else(|| zone.label(time::now_ms()), |r| zone.label(r.record.time_ms));
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut browser = Browser::new(records.iter().map(|r| entry(r, zone)).collect(), total, label.to_string(), color);
    drop(records);
    enable_raw_mode()?;
    if let Err(e) = crossterm::execute!(std::io::stdout(), EnterAlternateScreen, crossterm::cursor::Hide) {
        let _ = disable_raw_mode();
        return Err(e.into());
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        super::prompt::restore();
        previous(info);
    }));
    let result = (|| -> anyhow::Result<()> {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))?;
        loop {
            terminal.draw(|f| crate::tui::history::render(f, &browser))?;
            let Event::Key(k) = event::read()? else { continue };
            let Some(key) = super::prompt::key_of(&k) else { continue };
            match browser.key(key) {
                Effect::Quit => return Ok(()),
                Effect::Show(id) => {
                    let lines = match h.get(id)? {
                        Some(r) => show_lines(paths, &r, zone),
                        None => vec![format!("record {id} is no longer in the history (pruned?)")],
                    };
                    browser.show(id, lines);
                }
                Effect::None => {}
            }
        }
    })();
    super::prompt::restore();
    result.map(|()| ExitCode::SUCCESS)
}

fn show(paths: &Paths, id: i64, zone: time::Zone) -> anyhow::Result<ExitCode> {
    let Some(row) = Source::open(paths)?.get(id)? else {
        eprintln!("ana: no record {id}");
        return Ok(ExitCode::from(1));
    };
    for l in show_lines(paths, &row, zone) {
        println!("{l}");
    }
    Ok(ExitCode::SUCCESS)
}

/// What `ana history show ID` prints for `row`: its fields, the intent as the prompt rendered
/// it, and its proof verified against the enrolled keys now. Every line escaped.
pub fn show_lines(paths: &Paths, row: &Row, zone: time::Zone) -> Vec<String> {
    let mut out = Vec::new();
    let r = &row.record;
    let e = render::escape;
    out.push(format!("record {}  {} {}", row.id, time::format_in(r.time_ms, zone), zone.label(r.time_ms)));
    out.push(format!("  {} — {} by {}", e(r.kind.as_str()), e(r.decision.as_str()), e(&who(r))));
    out.push(format!("  reason   {}", e(&r.reason)));
    out.push(format!("  user     {}", e(&r.user)));
    if let Some(l) = r.latency_ms {
        out.push(format!("  time to decide  {:.1} s", l as f64 / 1000.0));
    }
    let parsed = r.intent.as_deref().map(serde_json::from_str::<serde_json::Value>);
    match &parsed {
        Some(Ok(v)) => {
            // What the key signed, rendered as the prompt rendered it.
            let view = match Intent::from_value(v) {
                Ok(i) => render::intent(&i),
                Err(why) => render::unreadable(v, &format!("an intent this ana does not render field by field ({why}); its exact JSON:")),
            };
            out.push("  the intent:".into());
            for l in &view.lines {
                out.push(format!("    {}", l.text()));
            }
        }
        _ => {
            // No intent (a policy denial): the record's own fields.
            out.push(format!("  agent    {} (session {})", e(&r.agent), e(&r.session)));
            out.push(format!("  cwd      {}", e(&r.cwd)));
            out.push(format!("  tool     {}", e(&r.tool)));
            out.push(format!("  what     {}", e(&r.summary)));
            out.push(format!("  rule     {}", e(r.rule.as_deref().unwrap_or("-"))));
            if let Some(Err(err)) = &parsed {
                out.push(format!("  intent   (not JSON: {err}) {}", e(r.intent.as_deref().unwrap_or(""))));
            }
        }
    }
    if let Some(p) = &r.proof {
        let keys = crate::keys::load(paths).unwrap_or_default();
        let checked = match &r.intent {
            Some(i) => {
                let challenge: [u8; 32] = sha2::Digest::finalize(sha2::Digest::chain_update(<sha2::Sha256 as sha2::Digest>::new(), i.as_bytes())).into();
                let level = crate::intent::signed_level(i).unwrap_or(crate::policy::Level::Presence);
                match crate::webauthn::verify(p, &challenge, &keys, level) {
                    Ok((k, n)) => format!("verifies against enrolled key {} (signature count {n})", e(&k.name)),
                    Err(err) => format!("DOES NOT VERIFY: {}", e(&err.to_string())),
                }
            }
            None => "no intent recorded".into(),
        };
        out.push(format!("  proof    credential {}… — {checked}", crate::webauthn::b64(&p.credential_id).chars().take(16).collect::<String>()));
    }
    out.push(format!("  chain    prev {}…  hash {}…", e(&row.prev_hash.chars().take(16).collect::<String>()), e(&row.hash.chars().take(16).collect::<String>())));
    out
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
            println!("history does NOT verify: {}", render::escape(&e.to_string()));
            Ok(ExitCode::from(1))
        }
    }
}

fn export(paths: &Paths) -> anyhow::Result<ExitCode> {
    let h = Source::open(paths)?;
    let mut records = h.list(&Filter::default())?;
    records.reverse();
    let mut out = std::io::stdout().lock();
    for r in records {
        use std::io::Write;
        writeln!(out, "{}", serde_json::to_string(&ExportLine::from(r))?)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(paths: &Paths, zone: time::Zone) -> anyhow::Result<ExitCode> {
    let records = Source::open(paths)?.list(&Filter::default())?;
    let mut by: [BTreeMap<String, usize>; 4] = Default::default();
    let mut approve_ms: Vec<u64> = Vec::new();
    for r in records.iter().map(|row| &row.record) {
        *by[0].entry(format!("{} ({})", r.decision, r.kind)).or_default() += 1;
        *by[1].entry(r.rule.clone().unwrap_or_else(|| "-".into())).or_default() += 1;
        *by[2].entry(r.agent.clone()).or_default() += 1;
        *by[3].entry(time::day_in(r.time_ms, zone)).or_default() += 1;
        if matches!(r.kind, RecordKind::Approval | RecordKind::Grant) {
            approve_ms.extend(r.latency_ms);
        }
    }
    println!("{} records", records.len());
    for (title, map) in ["by decision", "by rule", "by agent", "by day"].iter().zip(&by) {
        println!("{title}:");
        let mut v: Vec<_> = map.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (k, n) in v {
            println!("  {n:>6}  {}", render::escape(k));
        }
    }
    approve_ms.sort_unstable();
    match approve_ms.get(approve_ms.len() / 2) {
        Some(m) if !approve_ms.is_empty() => println!("median time to approve: {:.1} s ({} approvals)", *m as f64 / 1000.0, approve_ms.len()),
        _ => println!("median time to approve: no approvals yet"),
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ana_refusing_is_not_called_agent() {
        let r = Record::new(crate::record::RecordKind::PolicyDenial, crate::record::DecidedBy::Agent);
        assert_eq!(who(&r), "ana");
        for v in ["policy", "user", "timeout", "grant"] {
            assert_eq!(decided_by_label(v), v);
        }
    }
}
