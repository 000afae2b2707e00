//! The fleet map: one cell per server (name, version glyph, state glyph, CPU heat glyph),
//! a legend, and the detail line of the selected server. Also the grid geometry, shared by
//! the view and the mouse hit-test so a click lands on the cell that was drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use super::game::Game;
use super::{Theme, view};
use crate::sim::{Server, ServerState, VersionId};

/// Lines under the grid at least: the legend, and the selected server's detail (two lines
/// when one is too narrow); what is left goes to the legend.
pub const FOOTER_LINES: u16 = 3;

/// Where the cells are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// The cells' area (inside the border, above the legend).
    pub area: Rect,
    pub cols: usize,
    pub cell_w: u16,
    /// Whether cells show the whole name (`web-01`) or its number (`01`).
    pub wide: bool,
    /// First row shown (the grid scrolls to keep the selection visible).
    pub first_row: usize,
}

impl Grid {
    /// Lays out `n` servers named like `name` inside `inner` (the block's inner area).
    pub fn new(inner: Rect, n: usize, sample: &str, selected: usize) -> Self {
        let rows_room = inner.height.saturating_sub(FOOTER_LINES).max(1) as usize;
        let wide_w = sample.chars().count() as u16 + 5;
        let short_w = short_name(sample).chars().count() as u16 + 4;
        let fits = |w: u16| (inner.width / w).max(1) as usize * rows_room >= n;
        let (wide, cell_w) = if fits(wide_w) {
            (true, wide_w)
        } else {
            (false, short_w)
        };
        let cols = (inner.width / cell_w).max(1) as usize;
        let rows_needed = n.div_ceil(cols);
        let rows = rows_needed.min(rows_room);
        let sel_row = selected / cols;
        let first_row = if sel_row >= rows {
            sel_row + 1 - rows
        } else {
            0
        };
        Self {
            area: Rect::new(inner.x, inner.y, inner.width, rows as u16),
            cols,
            cell_w,
            wide,
            first_row,
        }
    }

    /// The server under a click, if any.
    pub fn hit(&self, x: u16, y: u16, n: usize) -> Option<usize> {
        if !self.area.contains((x, y).into()) {
            return None;
        }
        let col = ((x - self.area.x) / self.cell_w) as usize;
        let row = (y - self.area.y) as usize + self.first_row;
        let i = row * self.cols + col;
        (col < self.cols && i < n).then_some(i)
    }
}

/// Rows a fleet block needs: grid rows, legend and detail, borders.
/// Wide cells when they fit in `max`, else narrow ones.
pub fn wanted_height(n: usize, inner_width: u16, sample: &str, max: u16) -> u16 {
    let rows = |cell_w: u16| n.div_ceil((inner_width / cell_w).max(1) as usize) as u16;
    // A tall screen gives the legend its second row beside a two-row detail.
    let footer = if max >= 24 {
        FOOTER_LINES + 1
    } else {
        FOOTER_LINES
    };
    let wide = rows(sample.chars().count() as u16 + 5) + footer + 2;
    if wide <= max {
        return wide;
    }
    (rows(short_name(sample).chars().count() as u16 + 4) + footer + 2).min(max)
}

/// The longest server name: cells are as wide as it (a `shadow-01` beside `web-01`).
pub fn sample_name(servers: &[Server]) -> &str {
    servers
        .iter()
        .map(|s| s.name.as_str())
        .max_by_key(|n| n.chars().count())
        .unwrap_or("web-01")
}

/// A name for narrow cells: the numeric tail of the main pool's servers (`web-07` → `07`),
/// with the pool's initial for any other (`canary-01` → `c01`, `green-03` → `g03`), so a
/// canary is never mistaken for web-01.
fn short_name(name: &str) -> String {
    match name.rsplit_once('-') {
        Some(("web", n)) => n.to_string(),
        Some((pool, n)) => pool.chars().take(1).chain(n.chars()).collect(),
        None => name.to_string(),
    }
}

/// Draws the fleet block.
pub fn render(game: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let servers = game.sim.servers();
    let n = servers.len();
    let inner = Block::bordered().inner(area);
    let grid = Grid::new(inner, n, sample_name(servers), game.selected);
    // When not every server fits, the title says which are shown and how to see the rest.
    let first = grid.first_row * grid.cols;
    let last = (first + usize::from(grid.area.height) * grid.cols).min(n);
    let title = if last - first < n {
        format!(" FLEET · {}–{last} of {n} · ↑/↓ more ", first + 1)
    } else {
        format!(" FLEET {n} ")
    };
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    render_cells(game, theme, &grid, buf);
    let below = Rect::new(
        inner.x,
        grid.area.bottom(),
        inner.width,
        inner.bottom().saturating_sub(grid.area.bottom()),
    );
    // The selected server's detail first (two lines when one is too narrow), the legend
    // in what is left; entries stay whole and what does not fit ends in `…`.
    let detail = servers.get(game.selected).map_or_else(Vec::new, |s| {
        view::flow(
            detail_groups(game, s, theme),
            " · ",
            below.width,
            below.height.min(2),
        )
    });
    let legend_rows = below.height.saturating_sub(detail.len() as u16);
    let mut lines = view::flow(legend_groups(game, theme), "  ", below.width, legend_rows);
    lines.extend(detail);
    Paragraph::new(lines).render(below, buf);
}

fn render_cells(game: &Game, theme: &Theme, grid: &Grid, buf: &mut Buffer) {
    let servers = game.sim.servers();
    for (row, y) in (grid.first_row..).zip(grid.area.y..grid.area.bottom()) {
        for col in 0..grid.cols {
            let i = row * grid.cols + col;
            let Some(s) = servers.get(i) else { return };
            let x = grid.area.x + col as u16 * grid.cell_w;
            let name = if grid.wide {
                s.name.clone()
            } else {
                short_name(&s.name)
            };
            let name_style = if i == game.selected {
                theme.selected
            } else {
                theme.text
            };
            let state = s.state();
            let line = Line::from(vec![
                Span::styled(name, name_style),
                Span::raw(if grid.wide { " " } else { "" }),
                Span::styled(
                    Theme::version_glyph(s.version).to_string(),
                    theme.version(s.version),
                ),
                Span::styled(Theme::state_glyph(state).to_string(), theme.state(state)),
                Span::styled(Theme::heat_glyph(s.cpu).to_string(), heat_style(theme, s)),
            ]);
            buf.set_line(x, y, &line, grid.cell_w.saturating_sub(1));
        }
    }
}

fn heat_style(theme: &Theme, s: &Server) -> Style {
    if !s.process.is_running() {
        theme.dim
    } else if s.cpu >= 0.95 {
        theme.bad
    } else if s.cpu >= 0.8 {
        theme.warn
    } else {
        theme.dim
    }
}

fn legend_groups(game: &Game, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    let mut groups = Vec::new();
    for (i, v) in game.sim.versions().iter().enumerate() {
        let id = VersionId(i as u16);
        groups.push(vec![Span::styled(
            format!("{} {}", Theme::version_glyph(id), v.name),
            theme.version(id),
        )]);
    }
    for state in [
        ServerState::InService,
        ServerState::Draining,
        ServerState::Drained,
        ServerState::Deploying,
        ServerState::Pending,
        ServerState::Unhealthy,
        ServerState::Failing,
        ServerState::Crashed,
    ] {
        groups.push(vec![
            Span::styled(
                format!("{} ", Theme::state_glyph(state)),
                theme.state(state),
            ),
            Span::styled(state.as_str(), theme.dim),
        ]);
    }
    // `0-9 CPU` in ASCII, where the heat is CPU in tenths.
    groups.push(vec![Span::styled("▁-▇ CPU", theme.dim)]);
    groups
}

fn detail_groups(game: &Game, s: &Server, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    let state = s.state();
    let limit = game.sim.mission().fleet.memory_limit_mb;
    let text = |t: String| vec![Span::styled(t, theme.text)];
    vec![
        vec![
            Span::styled("▸ ", theme.accent),
            Span::styled(s.name.clone(), theme.title),
            Span::raw(" "),
            Span::styled(
                format!(
                    "{} {}",
                    Theme::version_glyph(s.version),
                    game.sim.version_name(s.version)
                ),
                theme.version(s.version),
            ),
        ],
        vec![Span::styled(
            format!("{} {}", Theme::state_glyph(state), state.as_str()),
            theme.state(state),
        )],
        text(format!("CPU {:.0}%", s.cpu * 100.0)),
        text(format!("mem {:.0}/{:.0} MB", s.memory_mb, limit)),
        text(format!("{:.0} ms", s.latency_ms)),
        text(format!("{:.0} sessions", s.sessions.total())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_prefers_wide_cells_and_hits_what_it_draws() {
        let g = Grid::new(Rect::new(1, 1, 58, 10), 20, "web-01", 0);
        assert!(g.wide);
        assert_eq!(g.cols, 5);
        assert_eq!(g.hit(1, 1, 20), Some(0));
        assert_eq!(g.hit(1 + 11, 2, 20), Some(6));
        assert_eq!(g.hit(1, 9, 20), None);
        let small = Grid::new(Rect::new(0, 0, 34, 7), 20, "web-01", 19);
        assert!(!small.wide);
        assert_eq!(small.first_row, 0);
        let scrolled = Grid::new(Rect::new(0, 0, 34, 5), 100, "web-01", 99);
        assert_eq!(
            scrolled.first_row + scrolled.area.height as usize - 1,
            99 / scrolled.cols
        );
    }

    #[test]
    fn zero_area_does_not_panic() {
        let g = Grid::new(Rect::new(0, 0, 0, 0), 20, "web-01", 0);
        assert_eq!(g.hit(0, 0, 20), None);
    }
}
