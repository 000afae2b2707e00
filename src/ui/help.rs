//! The help overlay: keys (from the keymap), commands (from the command table) and a short
//! glossary, filtered by what the player types.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::keymap::{self, Ctx};
use super::{HelpState, Theme, view};
use crate::command::{COMMANDS, CONDITIONS};

/// The terms the missions use, explained in a line each (`assets/glossary.ron`).
pub fn glossary() -> &'static [(String, String)] {
    static GLOSSARY: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
        // tests/assets.rs reads it: this cannot fail.
        crate::mission::parse_ron(
            include_str!("../../assets/glossary.ron"),
            "assets/glossary.ron",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    });
    &GLOSSARY
}

fn ctx_name(ctx: Ctx) -> &'static str {
    match ctx {
        Ctx::Global => "anywhere",
        Ctx::Title => "title",
        Ctx::Map => "missions",
        Ctx::Briefing => "briefing",
        Ctx::Play => "playing",
        Ctx::Replay => "watching a replay",
        Ctx::Console => "console",
        Ctx::Filter => "log filter",
        Ctx::Confirm => "abandon?",
        Ctx::Waiting => "console wait",
        Ctx::Tip => "a tip",
        Ctx::Help => "help",
        Ctx::Debrief => "debrief",
        Ctx::DrillPlan => "drill plan",
        Ctx::DrillAdd => "drill: add a step",
        Ctx::DrillDebrief => "drill debrief",
        Ctx::Config => "as real config",
    }
}

/// A two-column row of help: `left` in a column `indent` wide, `right` wrapped in the
/// column after it (under itself, never back at the margin). A `left` wider than its
/// column gets a line of its own.
fn row(
    left: Vec<Span<'static>>,
    indent: usize,
    right: &str,
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    let left_w: usize = left.iter().map(|s| view::width(&s.content)).sum();
    let right_w = width.saturating_sub(indent).max(12);
    let mut lines = Vec::new();
    let mut first = Some(left);
    if left_w >= indent {
        lines.push(Line::from(first.take().unwrap_or_default()));
    }
    for part in view::wrap(right, right_w) {
        let mut spans = match first.take() {
            Some(mut l) => {
                l.push(Span::raw(" ".repeat(indent - left_w)));
                l
            }
            None => vec![Span::raw(" ".repeat(indent))],
        };
        spans.push(Span::styled(part, style));
        lines.push(Line::from(spans));
    }
    lines
}

/// Every entry of help as (searchable text, its lines) for a box `width` columns wide.
fn lines(theme: &Theme, width: usize) -> Vec<(String, Vec<Line<'static>>)> {
    let mut out = Vec::new();
    let head = |t: &str| {
        (
            String::new(),
            vec![Line::styled(t.to_string(), theme.title)],
        )
    };
    out.push(head(
        "COMMANDS  (type : in play; the same language as script files)",
    ));
    for c in COMMANDS {
        let alias = if c.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also {})", c.aliases.join(", "))
        };
        let text = format!("{}{alias} {}", c.usage, c.doc);
        let left = vec![Span::styled(format!("  {}", c.usage), theme.accent)];
        out.push((
            text,
            row(left, 31, &format!("{}{alias}", c.doc), theme.text, width),
        ));
    }
    let conds = format!(
        "conditions: {} · targets: web-01, web-01..web-04, web-01,web-03, a pool, a version, all",
        CONDITIONS.join(", ")
    );
    out.push((conds.clone(), row(Vec::new(), 2, &conds, theme.dim, width)));
    out.push((String::new(), vec![Line::raw("")]));
    out.push(head("KEYS"));
    let rows = keymap::help_rows();
    let widest =
        |w: &dyn Fn(&keymap::Binding) -> usize| rows.iter().map(|b| w(b)).max().unwrap_or(0);
    let ctx_w = widest(&|b| view::width(ctx_name(b.ctx))) + 4;
    let label_w = widest(&|b| view::width(b.label)) + 2;
    for b in rows {
        let text = format!("{} {} {}", ctx_name(b.ctx), b.label, b.doc);
        let left = vec![
            Span::styled(
                format!("  {:<w$}", ctx_name(b.ctx), w = ctx_w - 2),
                theme.dim,
            ),
            Span::styled(b.label, theme.accent),
        ];
        out.push((text, row(left, ctx_w + label_w, b.doc, theme.text, width)));
    }
    out.push((String::new(), vec![Line::raw("")]));
    out.push(head("GLOSSARY"));
    for (term, what) in glossary() {
        let left = vec![Span::styled(format!("  {term}"), theme.accent)];
        out.push((
            format!("{term} {what}"),
            row(left, 17, what, theme.text, width),
        ));
    }
    out
}

pub fn render(state: &HelpState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let r = area.centered(Constraint::Percentage(92), Constraint::Percentage(92));
    Clear.render(r, buf);
    let filter = state.filter.to_lowercase();
    let inner_w = usize::from(r.width.saturating_sub(2));
    let shown: Vec<Line> = lines(theme, inner_w)
        .into_iter()
        .filter(|(text, _)| {
            filter.is_empty() || (!text.is_empty() && text.to_lowercase().contains(&filter))
        })
        .flat_map(|(_, l)| l)
        .collect();
    let title = if state.filter.is_empty() {
        " HELP · type to filter · ↑↓ scroll · Esc closes ".to_string()
    } else {
        format!(" HELP · filter: {}▏ · Esc closes ", state.filter)
    };
    Paragraph::new(shown)
        .scroll((state.scroll, 0))
        .block(
            Block::bordered()
                .border_style(theme.accent)
                .title(Span::styled(title, theme.title)),
        )
        .render(r, buf);
}
