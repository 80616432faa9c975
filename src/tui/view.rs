//! Drawing the prompt: the queue, then the selected request exactly as `render` renders the
//! intent the key will sign — whole, wrapped, scrollable, with a position indicator so that
//! nothing is off screen without the prompt saying so — then the key's state and the context the
//! prompt observed (the branch, the time left), labelled as not signed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use std::rc::Rc;

use super::state::{Mode, Rows, State};
use crate::intent::Intent;
use crate::protocol::{Pending, PendingState};
use crate::render::{self, Tone};

fn style(state: &State, color: Color) -> Style {
    if state.color { Style::default().fg(color) } else { Style::default() }
}

fn strong(state: &State, color: Color) -> Style {
    style(state, color).add_modifier(Modifier::BOLD)
}

fn tone(state: &State, t: Tone) -> Style {
    match t {
        Tone::Text => Style::default(),
        Tone::Label => strong(state, Color::Gray),
        Tone::Strong => strong(state, Color::Red),
        Tone::Rule => strong(state, Color::Yellow),
        Tone::Added => style(state, Color::Green),
        Tone::Removed => style(state, Color::Red),
        // Escapes stand out even without colour.
        Tone::Escape => strong(state, Color::Magenta).add_modifier(Modifier::REVERSED),
        Tone::Context => style(state, Color::Cyan),
        Tone::Warning => strong(state, Color::Yellow),
        Tone::Dim => style(state, Color::DarkGray),
    }
}

fn line(state: &State, l: &render::Line) -> Line<'static> {
    Line::from(l.spans.iter().map(|s| Span::styled(s.text.clone(), tone(state, s.tone))).collect::<Vec<_>>())
}

/// "1m 05s".
pub fn duration(ms: i64) -> String {
    let s = (ms.max(0) / 1000) as u64;
    if s >= 60 { format!("{}m {:02}s", s / 60, s % 60) } else { format!("{s}s") }
}

fn key_state(state: &State, p: &Pending) -> Line<'static> {
    let (text, color) = match p.state {
        PendingState::Touch => ("TOUCH YOUR KEY NOW".to_owned(), Color::Yellow),
        PendingState::Pin => ("the key needs its PIN".to_owned(), Color::Yellow),
        PendingState::Verifying => ("verifying the signature…".to_owned(), Color::Cyan),
        _ if Intent::from_value(&p.evaluation.context.intent).is_err() => ("this request cannot be approved: press n".to_owned(), Color::Red),
        PendingState::Detached => ("the hook stopped waiting: approving makes a one-time grant for the agent's retry".to_owned(), Color::Magenta),
        _ if state.deciding.contains(&p.id) => ("sent…".to_owned(), Color::Cyan),
        _ if p.software => ("press y: the software key signs at once".to_owned(), Color::Reset),
        _ => ("press y, then touch your key".to_owned(), Color::Reset),
    };
    let mut spans = vec![Span::styled(text, strong(state, color)), Span::styled(format!("   key: {}", render::escape(&p.authenticator)), style(state, Color::Gray))];
    if p.software {
        spans.push(Span::styled(" — SOFTWARE KEY, insecure", strong(state, Color::Red)));
    }
    Line::from(spans)
}

/// What the prompt observed about `p` now — not signed.
pub fn context(state: &State, p: &Pending) -> String {
    let left = p.evaluation.context.deadline_ms as i64 - state.now_ms as i64;
    let time = if p.state == PendingState::Detached || left <= 0 {
        let expires = Intent::from_value(&p.evaluation.context.intent).map(|i| i.expires_ms).unwrap_or(0);
        format!("the hook gave up; a late approval is possible for {}", duration(expires as i64 - state.now_ms as i64))
    } else {
        format!("{} left before the agent's hook gives up", duration(left))
    };
    let cwd = cwd(p);
    match cwd.as_ref().and_then(|c| state.branches.get(c)) {
        Some(b) => match cwd.as_ref().and_then(|c| state.projects.get(c)).filter(|root| Some(*root) != cwd.as_ref()) {
            Some(root) => format!("repository {root}, branch {b} (read now) · {time}"),
            None => format!("branch {b} (read now) · {time}"),
        },
        None => time,
    }
}

/// Where `p` came from (the agent's process, tty, tmux pane), as its hook reported it: a line
/// labelled as context, or none.
pub fn origin(p: &Pending) -> Option<render::Line> {
    p.evaluation.context.origin.as_deref().and_then(render::origin)
}

/// The cwd the intent of `p` signs, if it is a tool call.
pub fn cwd(p: &Pending) -> Option<String> {
    Intent::from_value(&p.evaluation.context.intent).ok()?.tool_call().map(|t| t.cwd.clone())
}

/// The request's rendering: every field of the signed intent, then (with `d`) its exact JSON.
pub fn request_lines(state: &State, p: &Pending) -> Vec<render::Line> {
    let v = &p.evaluation.context.intent;
    match Intent::from_value(v) {
        Ok(i) => {
            let mut lines = render::intent(&i).lines;
            if state.detail {
                let mut h = render::Line::default();
                h.spans.push(render::Span { text: "the exact intent your key signs (the challenge is the SHA-256 of its RFC 8785 form):".into(), tone: Tone::Label });
                lines.push(render::Line::default());
                lines.push(h);
                lines.extend(render::json(v));
            }
            lines
        }
        Err(e) => render::unreadable(v, &format!("this request cannot be shown as what it asks ({e}); it cannot be approved: deny it")).lines,
    }
}

/// The request's rows wrapped at `width`, from the state's cache when it still applies.
fn wrapped(state: &State, p: &Pending, width: usize) -> Rc<Vec<render::Line>> {
    let mut cache = state.rows.borrow_mut();
    if let Some(c) = cache.as_ref().filter(|c| c.id == p.id && c.received_ms == p.received_ms && c.width == width && c.detail == state.detail) {
        return c.rows.clone();
    }
    let rows = Rc::new(render::wrap(&request_lines(state, p), width));
    *cache = Some(Rows { id: p.id, received_ms: p.received_ms, width, detail: state.detail, rows: rows.clone() });
    rows
}

/// The queue's row for `p`: who and what, escaped and cut (with a marker; the pane shows all).
fn row(state: &State, p: &Pending, selected: bool, cols: usize) -> Line<'static> {
    let left = p.evaluation.context.deadline_ms as i64 - state.now_ms as i64;
    let when = if p.state == PendingState::Detached || left <= 0 { "late".to_owned() } else { duration(left) };
    let (who, what) = match Intent::from_value(&p.evaluation.context.intent) {
        // What is left of the row after the marker, id, agent and time.
        Ok(i) => (render::requester(&i).to_owned(), render::one_line(&render::summary(&i), cols.saturating_sub(2 + 5 + 13 + 2 + when.chars().count()).max(20))),
        Err(_) => ("?".to_owned(), "⚠ a request ana cannot show".to_owned()),
    };
    let mut l = Line::from(vec![
        Span::raw(if selected { "▶ " } else { "  " }),
        Span::styled(format!("#{:<4}", p.id), strong(state, Color::Cyan)),
        Span::raw(format!("{who:<12} ")),
        Span::raw(what),
        // The time left escalates as it runs out.
        Span::styled(
            format!("  {when}"),
            match left {
                _ if p.state == PendingState::Detached => style(state, Color::Magenta),
                ..=10_000 => strong(state, Color::Red),
                10_001..=30_000 => strong(state, Color::Yellow),
                _ => style(state, Color::Reset),
            },
        ),
    ]);
    if selected {
        l = l.style(Style::default().add_modifier(Modifier::REVERSED));
    }
    l
}

/// The most queue rows shown at once; more are scrolled to, and the title says how many.
const QUEUE_ROWS: usize = 8;

/// The smallest terminal the prompt decides in; below it, it says so and `y` does nothing.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 14;

pub fn render(f: &mut Frame, state: &State) {
    let area = f.area();
    let small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
    state.too_small.set(small);
    if small {
        let text = vec![
            Line::from(Span::styled("ana: terminal too small", strong(state, Color::Red))),
            Line::from(format!("{}×{} — needs {MIN_WIDTH}×{MIN_HEIGHT} to show a request whole", area.width, area.height)),
            Line::from(format!("{} pending; nothing can be decided here", state.pending.len())),
            Line::from("q quits"),
        ];
        f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), area);
        return;
    }
    // The key, the context, and what the user is typing or was told.
    let mut status: Vec<Line> = Vec::new();
    if let Some(p) = state.selected() {
        status.push(key_state(state, p));
        status.push(line(state, &render::context(&context(state, p))));
        if let Some(o) = origin(p) {
            status.push(line(state, &o));
        }
    }
    match &state.mode {
        Mode::Reason { id, text } => {
            status.push(Line::from(vec![Span::styled(format!("deny #{id} — reason for the agent (optional): "), strong(state, Color::Yellow)), Span::raw(render::escape(text)), Span::raw("▏")]));
        }
        Mode::Pin { id, text } => {
            status.push(Line::from(vec![Span::styled(format!("PIN for #{id}: "), strong(state, Color::Yellow)), Span::raw("•".repeat(text.chars().count())), Span::raw("▏")]));
        }
        Mode::Normal => {}
    }
    if let Some(m) = &state.message {
        let bad = ["denied", "refused", "failed", "not ", "cannot", "no longer", "timed out", "wrong"].iter().any(|w| m.contains(w));
        let calm = m.contains("has just taken the place") || m.contains("look again");
        let color = if calm {
            Color::Yellow
        } else if bad {
            Color::Red
        } else {
            Color::Green
        };
        status.push(Line::from(Span::styled(render::escape(m), strong(state, color))));
    }
    // As tall as its wrapped lines: what the user types or is told is never cut off.
    let inner = area.width.saturating_sub(2).max(1) as usize;
    // Word wrapping may leave a row short: one spare row for each line that wraps.
    let status_rows: usize = status.iter().map(|l| if l.width() > inner { l.width().div_ceil(inner) + 1 } else { 1 }).sum();
    let shown_rows = state.pending.len().clamp(1, QUEUE_ROWS);
    let [list_area, detail_area, status_area, help_area] =
        Layout::vertical([Constraint::Length(shown_rows as u16 + 2), Constraint::Min(3), Constraint::Length(status_rows.max(2) as u16 + 2), Constraint::Length(3)]).areas(area);

    // The queue, as a window that always holds the selected request.
    let first = (state.selected + 1).saturating_sub(QUEUE_ROWS);
    let last = (first + QUEUE_ROWS).min(state.pending.len());
    let mut title = match state.pending.len() {
        0 => " ana — nothing to approve ".to_owned(),
        1 => " ana — 1 pending approval ".to_owned(),
        n => format!(" ana — {n} pending approvals "),
    };
    if first > 0 || last < state.pending.len() {
        title.push_str(&format!("(▲ {first} above · ▼ {} below) ", state.pending.len() - last));
    }
    let mut rows = Vec::new();
    if state.pending.is_empty() {
        rows.push(Line::from(Span::styled("Waiting for requests from your agents…", style(state, Color::Gray))));
    }
    for (i, p) in state.pending.iter().enumerate().take(last).skip(first) {
        rows.push(row(state, p, i == state.selected, list_area.width.saturating_sub(2) as usize));
    }
    f.render_widget(Paragraph::new(rows).block(Block::default().borders(Borders::ALL).title(title)), list_area);

    // The request, whole, scrollable.
    let inner_w = detail_area.width.saturating_sub(2) as usize;
    let inner_h = detail_area.height.saturating_sub(2) as usize;
    let mut block = Block::default().borders(Borders::ALL);
    let mut body = Vec::new();
    if let Some(p) = state.selected() {
        let wrapped = wrapped(state, p, inner_w);
        let total = wrapped.len();
        let max = total.saturating_sub(inner_h);
        state.page.set(inner_h.saturating_sub(1).max(1));
        state.max_scroll.set(max);
        let top = state.scroll.min(max);
        let bottom = (top + inner_h).min(total);
        body = wrapped[top..bottom].iter().map(|l| line(state, l)).collect();
        let mut t = format!(" request #{} ", p.id);
        if total > inner_h {
            t.push_str(&format!("— lines {}–{bottom} of {total} ", top + 1));
        }
        block = block.title(t);
        if top > 0 {
            block = block.title(Line::from(Span::styled(format!(" ▲ {top} lines above (PgUp) "), strong(state, Color::Yellow))).right_aligned());
        }
        if bottom < total {
            block = block.title_bottom(Line::from(Span::styled(format!(" ▼ {} more lines (PgDn/space): read them before you approve ", total - bottom), strong(state, Color::Yellow))));
        } else if total > inner_h {
            block = block.title_bottom(Line::from(Span::styled(" end of the request ", style(state, Color::Gray))));
        }
    } else {
        state.max_scroll.set(0);
        block = block.title(" request ");
    }
    f.render_widget(Paragraph::new(body).block(block), detail_area);

    f.render_widget(Paragraph::new(status).wrap(Wrap { trim: false }).block(Block::default().borders(Borders::ALL)), status_area);

    let help = match state.mode {
        Mode::Normal => "y/Enter approve   n deny   ↑↓ select   PgDn/PgUp/space scroll   d exact intent   q quit",
        Mode::Reason { .. } => "Enter deny with this reason   Esc cancel",
        Mode::Pin { .. } => "Enter approve with this PIN   Esc cancel   (the PIN is never shown, logged or stored)",
    };
    f.render_widget(Paragraph::new(help).block(Block::default().borders(Borders::ALL)), help_area);
}
