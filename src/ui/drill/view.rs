//! The drill's own screens: the plan (case, steps as commands, the selected step's form, the
//! countdown, the "add a step" menu, the whole case) and the debrief (rubric, outcome, the
//! hidden fault, your plan, the model answer, the seed). Read-only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::editor::{self, Kind};
use super::{Drill, Finished, PLAN_TIME, Planning};
use crate::drill::{Step, Strategy, rubric};
use crate::time::clock;
use crate::ui::keymap::Ctx;
use crate::ui::{Theme, view};

/// The debrief scrolls at most this far.
pub const DEBRIEF_SCROLL_MAX: u16 = 300;
/// The countdown turns to a warning with this many seconds left.
const HURRY_S: f64 = 30.0;

fn heading(text: String, theme: &Theme) -> Line<'static> {
    Line::styled(text, theme.accent.add_modifier(Modifier::BOLD))
}

/// The header: the seed always shows, so a pair can replay the case; the case's summary
/// when there is room for it beside `right`.
fn header(d: &Drill, right: Option<Span<'static>>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![
        Span::styled(" zerodown drill", theme.accent.add_modifier(Modifier::BOLD)),
        Span::styled(format!(" · seed {} ", d.seed()), theme.title),
    ];
    let right_w = right.as_ref().map_or(0, |r| r.width() as u16 + 1);
    let summary = Span::styled(format!("· {}", d.scenario.summary()), theme.dim);
    let used: usize = spans.iter().map(Span::width).sum();
    if used + summary.width() + usize::from(right_w) < usize::from(area.width) {
        spans.push(summary);
    }
    Line::from(spans).render(area, buf);
    if let Some(span) = right {
        let r = Rect::new(
            area.right().saturating_sub(right_w),
            area.y,
            right_w.min(area.width),
            1,
        );
        Line::from(vec![Span::raw(" "), span]).render(r, buf);
    }
}

/// One step as the plan's text says it.
fn step_text(step: &Step) -> String {
    let plan = crate::drill::Plan {
        steps: vec![step.clone()],
    };
    plan.lines().join(" · ")
}

pub fn plan(d: &Drill, p: &Planning, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let left = p.left_s();
    let style = if left <= HURRY_S {
        theme.bad.add_modifier(Modifier::BOLD | Modifier::REVERSED)
    } else {
        theme.warn.add_modifier(Modifier::BOLD)
    };
    let countdown = Span::styled(format!("⏱ {} left to plan ", clock(left.ceil())), style);
    let full_case = area.height >= 40;
    let case_lines: Vec<String> = if full_case {
        d.scenario
            .brief()
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        d.scenario.compact()
    };
    let case_h = (wrapped(&case_lines, area.width.saturating_sub(2)) + 2).min(area.height / 3);
    let [head, case, steps, form, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(case_h),
        Constraint::Fill(1),
        Constraint::Length(5),
        Constraint::Length(1),
    ]));
    header(d, Some(countdown), theme, head, buf);
    let case_text: Vec<Line> = case_lines
        .into_iter()
        .map(|l| Line::styled(l, theme.text))
        .collect();
    let case_title = if full_case {
        " THE CASE ".to_string()
    } else {
        " THE CASE · c shows all of it ".to_string()
    };
    Paragraph::new(case_text)
        .wrap(Wrap { trim: true })
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(Span::styled(case_title, theme.title)),
        )
        .render(case, buf);
    steps_panel(p, theme, steps, buf);
    form_panel(p, theme, form, buf);
    view::footer(
        if p.adding.is_some() {
            Ctx::DrillAdd
        } else {
            Ctx::DrillPlan
        },
        theme,
        footer,
        buf,
    );
    if let Some(i) = p.adding {
        add_menu(p, i, theme, area, buf);
    }
    if p.show_case {
        whole_case(d, theme, area, buf);
    }
}

/// Rows `lines` take when word-wrapped into `width` (an estimate by characters).
fn wrapped(lines: &[String], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| l.chars().count().div_ceil(w).max(1) as u16)
        .sum()
}

fn steps_panel(p: &Planning, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let n = p.plan.steps.len();
    let title = format!(
        " YOUR PLAN · {n} step{} in order, as the commands that run at 0:00 ",
        if n == 1 { "" } else { "s" }
    );
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines: Vec<Line> = Vec::new();
    for (i, step) in p.plan.steps.iter().enumerate() {
        let selected = i == p.selected;
        let marker = if selected { "▶" } else { " " };
        let style = if selected { theme.selected } else { theme.text };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker}{:>2} ", i + 1), theme.accent),
            Span::styled(step_text(step), style),
        ]));
    }
    let add_selected = p.selected == n;
    lines.push(Line::from(vec![
        Span::styled(
            format!("{}   ", if add_selected { "▶" } else { " " }),
            theme.accent,
        ),
        Span::styled(
            if n == 0 {
                "+ add a step (a): the plan is empty".to_string()
            } else {
                "+ add a step (a)".to_string()
            },
            if add_selected {
                theme.selected
            } else {
                theme.dim
            },
        ),
    ]));
    if p.plan.strategy().is_none() && n > 0 {
        lines.push(Line::styled(
            "     no strategy yet: nothing would ship",
            theme.warn,
        ));
    }
    // Keep the selection in view.
    let h = usize::from(inner.height.max(1));
    let skip = (p.selected + 1).saturating_sub(h);
    Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).render(inner, buf);
}

fn form_panel(p: &Planning, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(step) = p.plan.steps.get(p.selected) else {
        Paragraph::new(vec![
            Line::styled(
                "a (or →) adds a step after the selected one: health checks, a signal to watch, the strategy, the fallback.",
                theme.text,
            ),
            Line::styled(
                "Enter runs the plan as it stands; when the time runs out, it runs anyway.",
                theme.dim,
            ),
        ])
        .wrap(Wrap { trim: true })
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(Span::styled(" STEP ", theme.title)),
        )
        .render(area, buf);
        return;
    };
    let fields = editor::fields(step);
    let focus = p.field.min(fields.len().saturating_sub(1));
    let mut spans = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("   "));
        }
        spans.push(Span::styled(format!("{} ", f.label), theme.dim));
        let value = format!("◀ {} ▶", f.value);
        let style = if i == focus {
            theme
                .accent
                .add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            theme.text
        };
        spans.push(Span::styled(value, style));
    }
    let doc = fields.get(focus).map_or("", |f| f.doc);
    let kind = match step {
        Step::Health(_) => "health checks",
        Step::Watch(_) => "a signal to watch",
        Step::Rollout(_) => "the strategy",
        Step::Fallback => "the fallback",
    };
    let title = format!(
        " STEP {}: {kind} · Tab next field · ←/→ change ",
        p.selected + 1
    );
    Paragraph::new(vec![
        Line::from(spans),
        Line::styled(doc.to_string(), theme.dim),
    ])
    .wrap(Wrap { trim: true })
    .block(
        Block::bordered()
            .border_style(theme.border)
            .title(Span::styled(title, theme.title)),
    )
    .render(area, buf);
}

fn add_menu(p: &Planning, sel: usize, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = 70.min(area.width.saturating_sub(4));
    let h = Kind::ALL.len() as u16 + 3;
    let r = area.centered(Constraint::Length(w), Constraint::Length(h));
    Clear.render(r, buf);
    let mut lines = Vec::new();
    for (i, kind) in Kind::ALL.iter().enumerate() {
        let there = editor::existing(&p.plan, *kind).is_some();
        let mut text = kind.label();
        if there {
            text.push_str(" (in the plan)");
        }
        let style: Style = match (i == sel, there) {
            (true, _) => theme.selected,
            (false, true) => theme.dim,
            (false, false) => theme.text,
        };
        lines.push(Line::from(vec![
            Span::styled(if i == sel { "▶ " } else { "  " }, theme.accent),
            Span::styled(text, style),
        ]));
    }
    lines.push(Line::styled(
        "Enter adds it after the selected step · Esc cancels",
        theme.dim,
    ));
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .border_style(theme.accent)
                .title(Span::styled(" ADD A STEP ", theme.title)),
        )
        .render(r, buf);
}

fn whole_case(d: &Drill, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [_, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    Clear.render(body, buf);
    Clear.render(footer, buf);
    // A small terminal drops the blank lines, so the whole case fits.
    let roomy = area.height >= 30;
    let mut lines: Vec<Line> = d
        .scenario
        .brief()
        .lines()
        .filter(|l| roomy || !l.is_empty())
        .map(|l| Line::styled(l.to_string(), theme.text))
        .collect();
    if roomy {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        format!(
            "The drill: {} to plan, then the plan runs live (step in with : and p/a/r), then the debrief. No hints.",
            clock(PLAN_TIME.secs())
        ),
        theme.warn,
    ));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .block(
            Block::bordered()
                .border_style(theme.accent)
                .title(Span::styled(" THE CASE ", theme.title)),
        )
        .render(body, buf);
    Line::styled(" c, Esc or Enter: back to the plan", theme.dim).render(footer, buf);
}

pub fn debrief(d: &Drill, f: &Finished, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let j = &f.judgement;
    let o = &j.outcome;
    let [head, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let (verdict, vstyle) = if o.passed {
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
            o.score.points
        ),
        vstyle.add_modifier(Modifier::BOLD),
    );
    header(d, Some(right), theme, head, buf);
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
            p if p >= rubric::MAX_POINTS => theme.good,
            _ => theme.warn,
        };
        let glyph = match m.points {
            0 => "✖",
            p if p >= rubric::MAX_POINTS => "✔",
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
    let s = &o.score;
    let opt = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.0} s"));
    lines.push(Line::styled(
        format!(
            " downtime {} s · error budget used {:.0}% · users hit {:.1}% · detect {} · restore {} · sessions lost {} · {} points",
            s.downtime_s,
            s.error_budget_used_pct,
            s.users_affected_pct,
            opt(s.mttd_s),
            opt(s.mttr_s),
            s.sessions_lost,
            s.points
        ),
        theme.text,
    ));
    let mut checks: Vec<(String, bool)> = o.objectives.clone();
    checks.push((o.shipped.describe(), o.shipped.is_good()));
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
        format!(" {}", d.scenario.fault.detail),
        theme.warn,
    ));
    lines.push(Line::raw(""));
    lines.push(heading("YOUR PLAN".into(), theme));
    let mine = f.plan.lines();
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
        f.plan.strategy(),
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
            d.seed(),
            d.seed()
        ),
        theme.text,
    ));
    let inner = body.inner(Margin::new(1, 0));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((f.scroll, 0))
        .render(inner, buf);
    view::footer(Ctx::DrillDebrief, theme, footer, buf);
}
