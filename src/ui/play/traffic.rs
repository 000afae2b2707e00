//! The traffic panel: each version's share of user requests and its servers in service.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use crate::sim::VersionId;
use crate::ui::Theme;
use crate::ui::game::Game;

/// Draws the panel.
pub fn render(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let last = g.sim.history().last();
    let total = last.map_or(0, |m| m.arrived);
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(
            format!(" TRAFFIC {total} req/s · demand {:.0} ", g.sim.demand_rps()),
            theme.title,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let label_w = 4 + g
        .sim
        .versions()
        .iter()
        .map(|v| v.name.chars().count())
        .max()
        .unwrap_or(2) as u16;
    let bar_w = inner.width.saturating_sub(label_w + 24).max(4);
    for (i, (v, y)) in g
        .sim
        .versions()
        .iter()
        .zip(inner.y..inner.bottom())
        .enumerate()
    {
        let id = VersionId(i as u16);
        let vs = last
            .and_then(|m| m.by_version.get(i))
            .copied()
            .unwrap_or_default();
        let share = if total > 0 {
            vs.arrived as f64 / total as f64
        } else {
            0.0
        };
        let filled = (share * f64::from(bar_w)).round() as usize;
        let line = Line::from(vec![
            Span::styled(
                format!(
                    "{} {:<w$} ",
                    Theme::version_glyph(id),
                    v.name,
                    w = label_w as usize - 3
                ),
                theme.version(id),
            ),
            Span::styled("█".repeat(filled), theme.version(id)),
            Span::styled(
                "░".repeat(bar_w as usize - filled.min(bar_w as usize)),
                theme.dim,
            ),
            Span::styled(format!(" {:>3.0}%", share * 100.0), theme.text),
            Span::styled(
                format!("  {}/{} in service", vs.in_service, vs.servers),
                theme.dim,
            ),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
    }
}
