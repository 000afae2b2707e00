//! The chart grid: as many charts as fit, paged with `c` when they do not.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;

use crate::ui::Theme;
use crate::ui::game::Game;
use crate::ui::plot::{self, CHARTS};

/// How many charts the panel shows at once in `area`.
pub fn slots(area: Rect) -> usize {
    let cols = (area.width / 36).max(1);
    let rows = (area.height / 6).max(1);
    usize::from(cols * rows).min(CHARTS.len())
}

/// `c`: the next page of charts, or why there is none.
pub fn next_page(g: &mut Game, area: Rect) -> String {
    let slots = slots(area);
    if slots >= CHARTS.len() {
        return format!(
            "all {} charts are showing: c pages them on a smaller terminal",
            CHARTS.len()
        );
    }
    g.chart_page += 1;
    let pages = CHARTS.len().div_ceil(slots);
    format!(
        "charts: page {} of {pages} (c next)",
        g.chart_page % pages + 1
    )
}

/// Draws the panel.
pub fn render(g: &Game, theme: &Theme, marker: Marker, area: Rect, buf: &mut Buffer) {
    let cols = (area.width / 36).max(1);
    let slots = slots(area);
    let shown = usize::from(cols).min(slots);
    let rows_used = slots.div_ceil(shown) as u16;
    let secs = if area.width >= 100 { 300 } else { 120 };
    let row_areas = area.layout_vec(&Layout::vertical(vec![
        Constraint::Fill(1);
        rows_used as usize
    ]));
    for (r, row) in row_areas.iter().enumerate() {
        let in_row = shown.min(slots - r * shown);
        let cells = row.layout_vec(&Layout::horizontal(vec![Constraint::Fill(1); in_row]));
        for (c, cell) in cells.iter().enumerate() {
            let kind = CHARTS[(g.chart_page * slots + r * shown + c) % CHARTS.len()];
            plot::render(kind, &g.sim, theme, marker, secs, *cell, buf);
        }
    }
}
