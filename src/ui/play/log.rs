//! The event log, newest at the bottom, filtered with `/`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::time::{TICKS_PER_SEC, clock};
use crate::ui::game::Game;
use crate::ui::{Theme, view};

/// Columns of an entry's time and glyph (`10:32 ⚠ `); wrapped lines are indented by it.
const LOG_LEAD: usize = 8;

/// Draws the panel.
pub fn render(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let filter = g.filter.to_lowercase();
    let title_right = if g.filter_open {
        Span::styled(
            format!(" /{}▏ ", g.filter),
            theme.accent.add_modifier(Modifier::REVERSED),
        )
    } else if g.filter.is_empty() {
        Span::styled(" / filter ", theme.dim)
    } else {
        Span::styled(format!(" filter: {} ", g.filter), theme.accent)
    };
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(" LOG ", theme.title))
        .title(Line::from(title_right).right_aligned());
    let inner = block.inner(area);
    let rows = usize::from(inner.height);
    // Newest at the bottom; each entry wrapped under its text, and an older entry shown
    // only when all of it fits.
    let text_w = usize::from(inner.width).saturating_sub(LOG_LEAD).max(10);
    let mut shown: Vec<Vec<Line>> = Vec::new();
    let mut used = 0;
    for e in g
        .sim
        .events()
        .iter()
        .rev()
        .filter(|e| g.shows(e))
        .filter(|e| filter.is_empty() || e.text.to_lowercase().contains(&filter))
    {
        let style = if e.text.starts_with("» ") {
            theme.accent.add_modifier(Modifier::ITALIC)
        } else {
            theme.severity(e.severity)
        };
        let parts = view::wrap(&e.text, text_w);
        let mut lines = Vec::new();
        for (i, part) in parts.into_iter().enumerate() {
            let lead = if i == 0 {
                vec![
                    Span::styled(
                        format!("{:>5} ", clock(e.tick as f64 / TICKS_PER_SEC as f64)),
                        theme.dim,
                    ),
                    Span::styled(
                        format!("{} ", e.severity.glyph()),
                        theme.severity(e.severity),
                    ),
                ]
            } else {
                vec![Span::raw(" ".repeat(LOG_LEAD))]
            };
            let mut spans = lead;
            spans.push(Span::styled(part, style));
            lines.push(Line::from(spans));
        }
        if used + lines.len() > rows {
            if shown.is_empty() {
                lines.truncate(rows);
                shown.push(lines);
            }
            break;
        }
        used += lines.len();
        shown.push(lines);
    }
    let lines: Vec<Line> = shown.into_iter().rev().flatten().collect();
    Paragraph::new(lines).block(block).render(area, buf);
}
