//! The objectives panel: score so far, each objective met or not, the deadline, the
//! narrator's last line and the revealed tips.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::time::clock;
use crate::ui::Theme;
use crate::ui::game::Game;

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
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("downtime {} s", s.downtime_s),
            if s.downtime_s > 0 {
                theme.bad
            } else {
                theme.good
            },
        ),
        Span::styled(
            format!(" · window budget {:.0}% spent", s.error_budget_used_pct),
            theme.budget(100.0 - s.error_budget_used_pct),
        ),
        Span::styled(
            format!(" · users hit {:.1}%", s.users_affected_pct),
            theme.text,
        ),
    ])];
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
        lines.push(Line::styled(hidden.join(" · "), theme.bad));
    }
    if m.sandbox {
        lines.push(Line::styled(
            "no objectives · every command is unlocked",
            theme.dim,
        ));
    }
    for o in &outcome.objectives {
        let (glyph, style) = if o.met {
            ("✔", theme.good)
        } else {
            ("○", theme.dim)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{glyph} "), style),
            Span::styled(o.text.clone(), theme.text),
        ]));
    }
    if !m.sandbox && !g.sim.is_finished() && g.sim.unsettled().is_none() {
        lines.push(Line::styled("✔ all settled · F finishes now", theme.good));
    }
    if let Some(d) = m.deadline {
        let left = d.secs() - g.sim.time_s();
        let text = if left > 0.0 {
            format!("deadline {} · {} left", clock(d.secs()), clock(left))
        } else {
            format!("deadline {} passed", clock(d.secs()))
        };
        lines.push(Line::styled(
            text,
            if left > 60.0 { theme.dim } else { theme.warn },
        ));
    }
    // Score and objectives never wrap (all of them stay visible at 80×24, truncated if
    // need be); the narrator and the tips below wrap into what is left.
    let inner = block.inner(area);
    block.render(area, buf);
    let fixed = lines.len() as u16;
    let [top, rest] = inner.layout(&Layout::vertical([
        Constraint::Length(fixed),
        Constraint::Fill(1),
    ]));
    Paragraph::new(lines).render(top, buf);
    let mut lines = Vec::new();
    if let Some(e) = g
        .sim
        .events()
        .iter()
        .rev()
        .find(|e| e.text.starts_with("» "))
    {
        lines.push(Line::styled(
            e.text.clone(),
            theme.accent.add_modifier(Modifier::ITALIC),
        ));
    }
    for (i, h) in m.hints.iter().take(g.hints_shown).enumerate() {
        lines.push(Line::styled(format!("tip {}: {h}", i + 1), theme.warn));
    }
    if g.hints_shown == 0 && !m.hints.is_empty() {
        lines.push(Line::styled("t shows a tip", theme.dim));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(rest, buf);
}
