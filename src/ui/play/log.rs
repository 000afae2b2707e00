//! The event log, newest at the bottom, filtered with `/`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::sim::Severity;
use crate::time::{TICKS_PER_SEC, clock};
use crate::ui::Theme;
use crate::ui::game::Game;

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
    let rows = block.inner(area).height as usize;
    let mut events: Vec<_> = g
        .sim
        .events()
        .iter()
        .rev()
        .filter(|e| filter.is_empty() || e.text.to_lowercase().contains(&filter))
        .take(rows)
        .collect();
    events.reverse();
    let lines: Vec<Line> = events
        .iter()
        .map(|e| {
            let style = if e.text.starts_with("» ") {
                theme.accent.add_modifier(Modifier::ITALIC)
            } else {
                theme.severity(e.severity)
            };
            Line::from(vec![
                Span::styled(
                    format!("{:>5} ", clock(e.tick as f64 / TICKS_PER_SEC as f64)),
                    theme.dim,
                ),
                Span::styled(
                    format!("{} ", e.severity.glyph()),
                    theme.severity(e.severity),
                ),
                Span::styled(
                    e.text.clone(),
                    if e.severity == Severity::Info {
                        style
                    } else {
                        theme.severity(e.severity)
                    },
                ),
            ])
        })
        .collect();
    Paragraph::new(lines).block(block).render(area, buf);
}
