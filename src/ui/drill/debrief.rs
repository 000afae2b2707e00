//! The drill's debrief: the rubric (points and reasons), the outcome, the hidden fault, the
//! replay (what the plan did against every kind of fault: what caught it, when, how much of
//! the error budget was gone), the player's plan, a model answer for the case, and the seed
//! to replay it. Read-only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::view::{header, heading};
use super::{Drill, Finished};
use crate::drill::{FaultKind, Plan, Replay, Row, Shipped, Strategy, rubric};
use crate::time::clock;
use crate::ui::keymap::Ctx;
use crate::ui::{Theme, view};

/// Width of the replay table's "caught by" column (longer names are cut with `…`).
const CAUGHT_W: usize = 27;

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
    lines.extend(replay_table(&done.plan, &j.replay, theme));
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

/// `text` cut to `w` characters, with `…` when cut, padded to `w`.
fn fit(text: &str, w: usize) -> String {
    if text.chars().count() <= w {
        format!("{text:<w$}")
    } else {
        let cut: String = text.chars().take(w.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// How a replayed run ended, in a few words.
fn ending(row: &Row, line: f64) -> (bool, String) {
    let o = &row.outcome;
    if o.passed {
        let v = match &o.shipped {
            Shipped::Good(v) => v.as_str(),
            _ => "?",
        };
        return (true, format!("on {v}"));
    }
    let s = &o.score;
    let text = if s.downtime_s > 0 {
        format!("{} s down", s.downtime_s)
    } else if s.error_budget_used_pct > line {
        format!("budget {:.0}%", s.error_budget_used_pct)
    } else {
        match &o.shipped {
            Shipped::Faulty => "shipped it".to_string(),
            Shipped::Old => "still v1".to_string(),
            Shipped::Replaced { .. } => "v2 thrown away".to_string(),
            Shipped::Unfinished(_) | Shipped::Good(_) => "unfinished".to_string(),
        }
    };
    (false, text)
}

/// The replay as a table: one kind of fault a line, the case's own marked `▸`.
fn replay_table(plan: &Plan, replay: &Replay, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        heading(
            format!(
                "WHAT IF v2 HAD… — your plan replayed on this case: passed {} of {}",
                replay.passed(),
                replay.rows.len()
            ),
            theme,
        ),
        Line::styled(
            format!(
                "   {:<17}{} {:>5}{:>7}  ended",
                "fault",
                fit("stopped by", CAUGHT_W),
                "at",
                "budget"
            ),
            theme.dim,
        ),
    ];
    for row in &replay.rows {
        let mine = row.kind == replay.actual;
        let (caught, at, budget) = match row.first() {
            Some(c) => (
                rubric::catcher_name(plan, c.by, c.served_live),
                clock(c.at_s()),
                format!("{:>6.0}%", c.budget_pct),
            ),
            None => ("—".to_string(), "—".to_string(), "      —".to_string()),
        };
        let late = row.first().is_some_and(|c| !c.in_time);
        let (ok, end) = ending(row, replay.line);
        let (glyph, style) = if ok {
            ("✔", theme.good)
        } else {
            ("✖", theme.bad)
        };
        let name = if row.kind == FaultKind::None {
            "none (healthy)"
        } else {
            row.kind.as_str()
        };
        let kind_style = if mine {
            theme.text.add_modifier(Modifier::BOLD)
        } else {
            theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(if mine { " ▸ " } else { "   " }, theme.accent),
            Span::styled(format!("{name:<17}"), kind_style),
            Span::styled(fit(&caught, CAUGHT_W), theme.text),
            Span::styled(format!(" {at:>5}"), theme.text),
            Span::styled(budget, if late { theme.warn } else { theme.text }),
            Span::styled(format!("  {glyph} {end}"), style),
        ]));
    }
    lines.push(Line::styled(
        format!(
            " ▸ this case · budget: error budget spent when it was stopped (in time: under {:.0}%, before an OOM kill)",
            replay.line
        ),
        theme.dim,
    ));
    lines
}
