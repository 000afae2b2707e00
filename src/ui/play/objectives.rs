//! The objectives panel: score so far, each objective met or not, the deadline, the
//! narrator's last line and the revealed tips.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::time::clock;
use crate::ui::game::Game;
use crate::ui::{Theme, view};

/// Draws the panel.
pub fn render(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let m = g.sim.mission();
    let outcome = g.sim.outcome();
    let s = &outcome.score;
    let what = if m.sandbox { "FREE PLAY" } else { "OBJECTIVES" };
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(
            format!(" {what} · {} points ", s.points),
            theme.title,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let width = inner.width;
    let mut lines = view::flow(
        vec![
            vec![Span::styled(
                format!("downtime {} s", s.downtime_s),
                if s.downtime_s > 0 {
                    theme.bad
                } else {
                    theme.good
                },
            )],
            vec![Span::styled(
                format!("window budget {:.0}% spent", s.error_budget_used_pct),
                theme.budget(100.0 - s.error_budget_used_pct),
            )],
            vec![Span::styled(
                format!("users hit {:.1}%", s.users_affected_pct),
                theme.text,
            )],
        ],
        " · ",
        width,
        if inner.height >= 10 { 2 } else { 1 },
    );
    let summary_rows = lines.len();
    // Slowness and damage nobody sees on the error chart, once there is some.
    let mut hidden = Vec::new();
    if s.slow_s > 0 {
        hidden.push(format!("slow {} s", s.slow_s));
    }
    if s.sessions_lost > 0 {
        hidden.push(format!("sessions lost {}", s.sessions_lost));
    }
    if s.damaged_data() > 0 {
        hidden.push(format!("damaged records {}", s.damaged_data()));
    }
    if !hidden.is_empty() {
        let groups = hidden
            .into_iter()
            .map(|h| vec![Span::styled(h, theme.bad)])
            .collect();
        lines.extend(view::flow(groups, " · ", width, 1));
    }
    if m.sandbox {
        lines.push(Line::styled(
            "no objectives · every command is unlocked",
            theme.dim,
        ));
    }
    // Each objective whole when the panel has the rows, else one line each ending in `…`
    // (the briefing and the debrief say them in full).
    let marks: Vec<(&str, Style, &str)> = outcome
        .objectives
        .iter()
        .map(|o| {
            if o.met {
                ("✔ ", theme.good, o.text.as_str())
            } else {
                ("○ ", theme.dim, o.text.as_str())
            }
        })
        .collect();
    let text_w = usize::from(width.saturating_sub(2));
    let parts: Vec<Vec<String>> = marks
        .iter()
        .map(|(_, _, t)| view::wrap(t, text_w))
        .collect();
    let wrapped: usize = parts.iter().map(Vec::len).sum();
    let tail_rows = 2; // the settled line and the deadline
    let wrap = lines.len() + wrapped + tail_rows <= usize::from(inner.height);
    for ((glyph, style, text), parts) in marks.into_iter().zip(parts) {
        if wrap {
            for (i, part) in parts.into_iter().enumerate() {
                let lead = if i == 0 { glyph } else { "  " };
                lines.push(Line::from(vec![
                    Span::styled(lead, style),
                    Span::styled(part, theme.text),
                ]));
            }
        } else {
            lines.push(Line::from(vec![
                Span::styled(glyph, style),
                Span::styled(text.to_string(), theme.text),
            ]));
        }
    }
    // The state of play comes last and always shows.
    let mut tail = Vec::new();
    let unsettled = g.sim.unsettled();
    if !m.sandbox && !g.sim.is_finished() && unsettled.is_none() {
        tail.push(Line::styled("✔ all settled · F finishes now", theme.good));
    }
    // A deadline matters until the mission is settled; after it, "passed" would read as
    // a failure next to a success.
    if let Some(d) = m.deadline.filter(|_| unsettled.is_some()) {
        let left = d.secs() - g.sim.time_s();
        let text = if left > 0.0 {
            format!("deadline {} · {} left", clock(d.secs()), clock(left))
        } else {
            format!("deadline {} passed", clock(d.secs()))
        };
        tail.push(Line::styled(
            text,
            if left > 60.0 { theme.dim } else { theme.warn },
        ));
    }
    // Too many for the panel: the score line gives way first (the header keeps the
    // budget), then the last rows say how many more there are, never dropped unsaid.
    let rows = usize::from(inner.height).saturating_sub(tail.len());
    if lines.len() > rows && summary_rows > 0 {
        lines.drain(..summary_rows);
    }
    if lines.len() > rows && rows > 0 {
        let hidden = lines.len() - (rows - 1);
        lines.truncate(rows - 1);
        lines.push(Line::styled(
            format!("… {hidden} more (all in the briefing)"),
            theme.dim,
        ));
    }
    lines.extend(tail);
    let lines: Vec<Line> = lines.into_iter().map(|l| view::fit(l, width)).collect();
    // The score and objectives first; the narrator and the tips wrap into what is left
    // (`t` shows a tip in a box of its own whatever the panel's room).
    let fixed = lines.len() as u16;
    let [top, rest] = inner.layout(&Layout::vertical([
        Constraint::Length(fixed),
        Constraint::Fill(1),
    ]));
    Paragraph::new(lines).render(top, buf);
    let mut paras: Vec<(String, Style)> = Vec::new();
    if let Some(e) = g
        .sim
        .events()
        .iter()
        .rev()
        .find(|e| e.text.starts_with("» "))
    {
        paras.push((e.text.clone(), theme.accent.add_modifier(Modifier::ITALIC)));
    }
    for (i, h) in m.hints.iter().take(g.hints_shown).enumerate() {
        paras.push((format!("tip {}: {h}", i + 1), theme.warn));
    }
    if !m.hints.is_empty() {
        let text = if g.hints_shown == 0 {
            "t shows a tip"
        } else {
            "t shows the tips"
        };
        paras.push((text.to_string(), theme.dim));
    }
    let mut lines: Vec<Line> = paras
        .iter()
        .flat_map(|(text, style)| {
            view::wrap(text, usize::from(width))
                .into_iter()
                .map(|l| Line::styled(l, *style))
        })
        .collect();
    let rows = usize::from(rest.height);
    if lines.len() > rows && rows > 0 {
        lines.truncate(rows);
        if let Some(last) = lines.pop() {
            let mut last = last;
            last.spans.push(Span::raw(" …"));
            lines.push(view::fit(last, width));
        }
    }
    Paragraph::new(lines).render(rest, buf);
}
