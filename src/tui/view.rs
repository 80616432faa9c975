//! Drawing the prompt: the queue, then everything about the selected request — who asks, where,
//! the exact command with the part that matched highlighted (or the paths, URL, MCP call, and a
//! diff for writes and edits), the rule and why, the time left, the key's state.

use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::state::{Mode, State};
use crate::protocol::Pending;

fn style(state: &State, color: Color) -> Style {
    if state.color { Style::default().fg(color) } else { Style::default() }
}

fn strong(state: &State, color: Color) -> Style {
    style(state, color).add_modifier(Modifier::BOLD)
}

/// "1m 05s".
pub fn duration(ms: i64) -> String {
    let s = (ms.max(0) / 1000) as u64;
    if s >= 60 { format!("{}m {:02}s", s / 60, s % 60) } else { format!("{s}s") }
}

fn key_state(state: &State, p: &Pending) -> Line<'static> {
    let (text, color) = match p.state.as_str() {
        "touch" => ("TOUCH YOUR KEY NOW".to_owned(), Color::Yellow),
        "pin" => ("the key needs its PIN".to_owned(), Color::Yellow),
        "verifying" => ("verifying the signature…".to_owned(), Color::Cyan),
        "detached" => ("the hook stopped waiting: approving makes a one-time grant for the agent's retry".to_owned(), Color::Magenta),
        _ if state.deciding.contains(&p.id) => ("sent…".to_owned(), Color::Cyan),
        _ if p.software => ("press y: the software key signs at once".to_owned(), Color::White),
        _ => ("press y, then touch your key".to_owned(), Color::White),
    };
    let mut spans = vec![Span::styled(text, strong(state, color))];
    if p.software {
        spans.push(Span::styled("   SOFTWARE KEY — insecure, tests and demo only", strong(state, Color::Red)));
    }
    Line::from(spans)
}

fn time_left(state: &State, p: &Pending) -> String {
    let left = p.evaluation.context.deadline_ms as i64 - state.now_ms as i64;
    if p.state == "detached" || left <= 0 {
        let grant_left = p.evaluation.context.intent.get("expires_at").and_then(serde_json::Value::as_u64).unwrap_or(0) as i64 - state.now_ms as i64;
        format!("the hook gave up; a late approval is possible for {}", duration(grant_left))
    } else {
        format!("{} left before the agent's hook gives up", duration(left))
    }
}

/// The command with the matched part highlighted.
fn highlighted(state: &State, text: &str, part: &str) -> Line<'static> {
    let hot = strong(state, Color::Red).add_modifier(Modifier::UNDERLINED);
    match (!part.is_empty()).then(|| text.find(part)).flatten() {
        Some(at) => Line::from(vec![
            Span::raw(text[..at].to_owned()),
            Span::styled(part.to_owned(), hot),
            Span::raw(text[at + part.len()..].to_owned()),
        ]),
        None => Line::from(Span::raw(text.to_owned())),
    }
}

fn object_lines(state: &State, p: &Pending) -> Vec<Line<'static>> {
    let ctx = &p.evaluation.context;
    let object = &ctx.detail["object"];
    let subject = ctx.detail["subject"].as_str().unwrap_or("").to_owned();
    let label = |l: &str| Span::styled(format!("{l:<8}"), strong(state, Color::Gray));
    let mut out = Vec::new();
    match object["type"].as_str() {
        Some("command") => {
            let cmd = object["command"].as_str().unwrap_or("");
            for (i, line) in cmd.lines().enumerate() {
                let mut l = highlighted(state, line, &subject);
                l.spans.insert(0, if i == 0 { label("runs") } else { Span::raw("        ") });
                out.push(l);
            }
            if !subject.is_empty() && !cmd.contains(&subject) {
                out.push(Line::from(vec![label("matched"), Span::styled(subject, strong(state, Color::Red))]));
            }
        }
        Some("files") => {
            let paths: Vec<&str> = object["paths"].as_array().map(|a| a.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
            out.push(Line::from(vec![label("file"), Span::styled(paths.join(" "), strong(state, Color::Red))]));
            let old = object["old"].as_str().unwrap_or("");
            let new = object["content"].as_str().unwrap_or("");
            let shown = 12;
            for l in old.lines().take(shown) {
                out.push(Line::from(Span::styled(format!("        - {l}"), style(state, Color::Red))));
            }
            for l in new.lines().take(shown) {
                out.push(Line::from(Span::styled(format!("        + {l}"), style(state, Color::Green))));
            }
            let more = old.lines().count().saturating_sub(shown) + new.lines().count().saturating_sub(shown);
            if more > 0 {
                out.push(Line::from(format!("        … {more} more lines (d: details)")));
            }
        }
        Some("url") => out.push(Line::from(vec![label("fetch"), Span::styled(object["url"].as_str().unwrap_or("").to_owned(), strong(state, Color::Red))])),
        Some("mcp") => {
            out.push(Line::from(vec![label("mcp"), Span::styled(format!("{} / {}", object["server"].as_str().unwrap_or("?"), object["tool"].as_str().unwrap_or("?")), strong(state, Color::Red))]));
            out.push(Line::from(format!("        {}", crate::action::one_line(&object["input"].to_string(), 300))));
        }
        _ => out.push(Line::from(vec![label("what"), Span::raw(ctx.summary.clone())])),
    }
    out
}

pub fn render(f: &mut Frame, state: &State) {
    let area = f.area();
    let list_height = (state.pending.len() as u16).clamp(1, 8) + 2;
    let [list_area, detail_area, help_area] = Layout::vertical([Constraint::Length(list_height), Constraint::Min(5), Constraint::Length(3)]).areas(area);

    let title = match state.pending.len() {
        0 => " ana — nothing to approve ".to_owned(),
        1 => " ana — 1 pending approval ".to_owned(),
        n => format!(" ana — {n} pending approvals "),
    };
    let mut rows = Vec::new();
    if state.pending.is_empty() {
        rows.push(Line::from(Span::styled("Waiting for requests from your agents…", style(state, Color::Gray))));
    }
    for (i, p) in state.pending.iter().enumerate() {
        let marker = if i == state.selected { "▶ " } else { "  " };
        let left = p.evaluation.context.deadline_ms as i64 - state.now_ms as i64;
        let when = if p.state == "detached" || left <= 0 { "late".to_owned() } else { duration(left) };
        let mut line = Line::from(vec![
            Span::raw(marker),
            Span::styled(format!("#{:<4}", p.id), strong(state, Color::Cyan)),
            Span::raw(format!("{:<12} ", p.evaluation.subject.id.as_deref().unwrap_or("?"))),
            Span::raw(crate::action::one_line(&p.evaluation.context.summary, 60)),
            Span::styled(format!("  {when}"), style(state, Color::Gray)),
        ]);
        if i == state.selected {
            line = line.style(Style::default().add_modifier(Modifier::REVERSED));
        }
        rows.push(line);
    }
    f.render_widget(Paragraph::new(rows).block(Block::default().borders(Borders::ALL).title(title)), list_area);

    let mut d: Vec<Line> = Vec::new();
    if let Some(p) = state.selected() {
        let ctx = &p.evaluation.context;
        let label = |l: &str| Span::styled(format!("{l:<8}"), strong(state, Color::Gray));
        let agent = p.evaluation.subject.id.clone().unwrap_or_default();
        let session = p.evaluation.subject.properties["session"].as_str().unwrap_or("").chars().take(8).collect::<String>();
        let cwd = p.evaluation.resource.properties["cwd"].as_str().unwrap_or("").to_owned();
        let branch = state.branches.get(&cwd).map(|b| format!(" (branch {b})")).unwrap_or_default();
        d.push(Line::from(vec![label("who"), Span::styled(agent, strong(state, Color::Cyan)), Span::raw(format!(" · session {session}…"))]));
        d.push(Line::from(vec![label("where"), Span::raw(format!("{cwd}{branch}"))]));
        d.push(Line::from(vec![label("tool"), Span::raw(p.evaluation.action.properties["tool"].as_str().unwrap_or("?").to_owned())]));
        d.extend(object_lines(state, p));
        let rule = ctx.rule.clone().unwrap_or_else(|| "-".into());
        // The rule's own words: after "ana rule `id`: ", without the trailing "(`subject`)".
        let why = ctx.reason.split_once("`: ").map_or(ctx.reason.as_str(), |(_, w)| w);
        let why = why.rfind(" (`").map_or(why, |i| &why[..i]).to_owned();
        d.push(Line::from(vec![label("rule"), Span::styled(rule, strong(state, Color::Yellow)), Span::raw(format!(" — {why}"))]));
        d.push(Line::from(vec![label("level"), Span::raw(if ctx.level == "verification" { "PIN or biometric (user verification)".to_owned() } else { "a touch (user presence)".to_owned() })]));
        d.push(Line::from(vec![label("time"), Span::raw(time_left(state, p))]));
        d.push(Line::from(vec![label("key"), Span::raw(p.authenticator.clone())]));
        d.push(key_state(state, p));
        if state.detail {
            d.push(Line::from(""));
            d.push(Line::from(Span::styled("the intent your key signs (SHA-256 of its RFC 8785 form is the challenge):", strong(state, Color::Gray))));
            let pretty = serde_json::to_string_pretty(&ctx.intent).unwrap_or_default();
            d.extend(pretty.lines().map(|l| Line::from(l.to_owned())));
        }
    }
    match &state.mode {
        Mode::Reason { id, text } => {
            d.push(Line::from(""));
            d.push(Line::from(vec![Span::styled(format!("deny #{id} — reason for the agent (optional): "), strong(state, Color::Yellow)), Span::raw(text.clone()), Span::raw("▏")]));
        }
        Mode::Pin { id, text } => {
            d.push(Line::from(""));
            d.push(Line::from(vec![Span::styled(format!("PIN for #{id}: "), strong(state, Color::Yellow)), Span::raw("•".repeat(text.chars().count())), Span::raw("▏")]));
        }
        Mode::Normal => {}
    }
    if let Some(m) = &state.message {
        d.push(Line::from(""));
        d.push(Line::from(Span::styled(m.clone(), strong(state, Color::Green))));
    }
    f.render_widget(Paragraph::new(d).wrap(Wrap { trim: false }).block(Block::default().borders(Borders::ALL).title(" request ")), detail_area);

    let help = match state.mode {
        Mode::Normal => "y/Enter approve   n deny   ↑↓/j k move   d details   q quit",
        Mode::Reason { .. } => "Enter deny with this reason   Esc cancel",
        Mode::Pin { .. } => "Enter approve with this PIN   Esc cancel   (the PIN is never shown, logged or stored)",
    };
    f.render_widget(Paragraph::new(help).block(Block::default().borders(Borders::ALL)), help_area);
}
