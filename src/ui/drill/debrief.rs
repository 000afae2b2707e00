//! The drill's debrief: the rubric (points and reasons), the outcome, the hidden fault,
//! the player's plan, a model answer for the case, and the seed to replay it. Read-only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::view::{header, heading};
use super::{Drill, Finished};
use crate::drill::{Strategy, rubric};
use crate::ui::keymap::Ctx;
use crate::ui::{Theme, view};

/// The debrief scrolls at most this far.
pub const DEBRIEF_SCROLL_MAX: u16 = 300;

pub fn render(drill: &Drill, done: &Finished, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let j = &done.judgement;
    let outcome = &j.outcome;
    let [head, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let (verdict, vstyle) = if outcome.passed {
        ("PASSED", theme.good)
    } else {
        ("FAILED", theme.bad)
    };
    let right = Span::styled(
        format!(
            "{verdict} · {} · plan {}/{} · {} points ",
            j.verdict.as_str(),
            j.plan_points,
            rubric::max_total(),
            outcome.score.points
        ),
        vstyle.add_modifier(Modifier::BOLD),
    );
    header(drill, Some(right), theme, head, buf);
    let mut lines = vec![heading(
        format!(
            "THE RUBRIC — your plan: {}/{}",
            j.plan_points,
            rubric::max_total()
        ),
        theme,
    )];
    for m in &j.marks {
        let style = match m.points {
            0 => theme.bad,
            pts if pts >= rubric::MAX_POINTS => theme.good,
            _ => theme.warn,
        };
        let glyph = match m.points {
            0 => "✖",
            pts if pts >= rubric::MAX_POINTS => "✔",
            _ => "◐",
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {glyph} {:<16}", m.criterion.name()), style),
            Span::styled(
                format!("{}/{} {:<8}", m.points, rubric::MAX_POINTS, m.word()),
                style.add_modifier(Modifier::BOLD),
            ),
            Span::styled(m.reason.clone(), theme.text),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(heading(format!("THE OUTCOME — {verdict}"), theme));
    let score = &outcome.score;
    let opt = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.0} s"));
    lines.push(Line::styled(
        format!(
            " downtime {} s · error budget used {:.0}% · users hit {:.1}% · detect {} · restore {} · sessions lost {} · {} points",
            score.downtime_s,
            score.error_budget_used_pct,
            score.users_affected_pct,
            opt(score.mttd_s),
            opt(score.mttr_s),
            score.sessions_lost,
            score.points
        ),
        theme.text,
    ));
    let mut checks: Vec<(String, bool)> = outcome.objectives.clone();
    checks.push((outcome.shipped.describe(), outcome.shipped.is_good()));
    for (text, met) in checks {
        let (g, st) = if met {
            ("✔", theme.good)
        } else {
            ("✖", theme.bad)
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {g} "), st),
            Span::styled(text, theme.text),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(heading("THE HIDDEN FAULT".into(), theme));
    lines.push(Line::styled(
        format!(" {}", drill.scenario.fault.detail),
        theme.warn,
    ));
    lines.push(Line::raw(""));
    lines.push(heading("YOUR PLAN".into(), theme));
    let mine = done.plan.lines();
    if mine.is_empty() {
        lines.push(Line::styled(" (empty)", theme.dim));
    }
    lines.extend(
        mine.into_iter()
            .map(|l| Line::styled(format!("   {l}"), theme.text)),
    );
    lines.push(Line::raw(""));
    lines.push(heading("A MODEL ANSWER FOR THIS CASE".into(), theme));
    lines.extend(
        j.model
            .lines()
            .into_iter()
            .map(|l| Line::styled(format!("   {l}"), theme.accent)),
    );
    for why in &j.model_why {
        lines.push(Line::from(vec![
            Span::styled(" ▸ ", theme.accent),
            Span::styled(why.clone(), theme.text),
        ]));
    }
    if matches!(
        done.plan.strategy(),
        Some(Strategy::BlueGreen { switch_after: None })
    ) {
        lines.push(Line::styled(
            " (your blue-green switched only when you typed `switch green`)",
            theme.dim,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(heading("THE SEED".into(), theme));
    lines.push(Line::styled(
        format!(
            " {} — the same case again: r here, or `zerodown drill --seed {}` (your partner too) · n: the next case",
            drill.seed(),
            drill.seed()
        ),
        theme.text,
    ));
    let inner = body.inner(Margin::new(1, 0));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((done.scroll, 0))
        .render(inner, buf);
    view::footer(Ctx::DrillDebrief, theme, footer, buf);
}
