//! The drill's plan screen: the case, the steps as the commands they become, the selected
//! step's form, the countdown, the "add a step" menu and the whole case. Read-only.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::editor::{self, Kind};
use super::{Drill, PLAN_TIME, Planning};
use crate::drill::Step;
use crate::time::clock;
use crate::ui::keymap::Ctx;
use crate::ui::{Theme, view};

/// The countdown turns to a warning with this many seconds left.
const HURRY_S: f64 = 30.0;

pub(super) fn heading(text: String, theme: &Theme) -> Line<'static> {
    Line::styled(text, theme.accent.add_modifier(Modifier::BOLD))
}

/// The header: the seed always shows, so a pair can replay the case; the case's summary
/// when there is room for it beside `right`.
pub(super) fn header(
    d: &Drill,
    right: Option<Span<'static>>,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
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
    let case_h = (wrapped(&case_lines, area.width.saturating_sub(2)) + 2)
        // Header, form and footer take 7 rows; the plan keeps at least 6.
        .min(area.height.saturating_sub(13).max(4));
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
        if p.confirm_leave {
            Ctx::Confirm
        } else if p.adding.is_some() {
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
    if p.confirm_leave {
        view::popup(
            " leave the drill? ",
            "your plan is lost · y leave · n keep planning",
            theme,
            area,
            buf,
        );
    }
}

/// Rows `lines` take when word-wrapped into `width`, greedily, as the paragraph wraps them.
fn wrapped(lines: &[String], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let rows = |line: &str| {
        let (mut rows, mut used) = (1, 0);
        for word in line.split_whitespace() {
            let len = word.chars().count();
            if used > 0 && used + 1 + len > w {
                rows += 1 + (len.saturating_sub(1)) / w;
                used = len % w;
            } else {
                used += len + usize::from(used > 0);
            }
        }
        rows
    };
    lines.iter().map(|l| rows(l) as u16).sum()
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
