//! "As real config": the player's run and the reference solution (or, in the drill, the
//! plan and the model answer) written as rollout configuration, side by side, with the
//! lines that differ marked. One page for both debriefs. Everything is written and compared
//! once, when the page opens (the reference is a whole headless mission); the page only
//! scrolls, switches format and, on a narrow screen, switches side.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthChar;

use crate::manifest::diff::{self, Row};
use crate::manifest::{self, Format, Play};
use crate::ui::keymap::{Action, Binding, Ctx};
use crate::ui::{Theme, game::Game, view};

/// From this width the two configs stand side by side; below, one shows at a time.
pub const SIDE_BY_SIDE: u16 = 100;

/// The page's rows above and below the configs: the header, the legend, the footer.
const CHROME: u16 = 3;

/// The page, with every format written and compared.
#[derive(Debug, Clone)]
pub struct ConfigPage {
    /// Whose config each side is: `you`, `reference`.
    pub labels: [&'static str; 2],
    /// Why there is no second config to compare with (`None`: there is one).
    pub alone: Option<String>,
    /// Each format's rows, in `Format::ALL`'s order.
    rows: Vec<Vec<Row>>,
    /// Which format shows (an index into `Format::ALL`).
    pub format: usize,
    /// Lines scrolled off the top.
    pub scroll: u16,
    /// On a narrow screen, the second config shows instead of the first.
    pub second: bool,
}

impl ConfigPage {
    /// `mine` beside `other` (or alone, saying why), titled `title` in the files' header.
    pub fn new(
        title: &str,
        labels: [&'static str; 2],
        mine: &Play,
        other: Result<Play, String>,
    ) -> Self {
        let (rows, alone) = match other {
            Ok(other) => (
                Format::ALL
                    .iter()
                    .map(|&f| {
                        diff::lines(
                            &manifest::export(mine, f, title),
                            &manifest::export(&other, f, title),
                        )
                    })
                    .collect(),
                None,
            ),
            Err(why) => (
                Format::ALL
                    .iter()
                    .map(|&f| {
                        manifest::export(mine, f, title)
                            .lines()
                            .map(|l| Row {
                                left: Some(l.to_string()),
                                right: None,
                                changed: false,
                            })
                            .collect()
                    })
                    .collect(),
                Some(why),
            ),
        };
        Self {
            labels,
            alone,
            rows,
            format: 0,
            scroll: 0,
            second: false,
        }
    }

    /// A finished mission's page: the player's commands beside the reference solution played
    /// on the same mission and seed.
    pub fn of_run(game: &Game) -> Self {
        let mission = game.sim.mission();
        let mine = Play::from_commands(mission, game.sim.command_log());
        let other = manifest::reference(&game.id, mission, game.seed).ok_or_else(|| {
            if mission.sandbox {
                "free play has no reference solution: your config alone".to_string()
            } else {
                "this mission has no reference solution (not a built-in one): your config alone"
                    .to_string()
            }
        });
        Self::new(&game.id, ["you", "reference"], &mine, other)
    }

    /// A drill's page: the player's plan beside the model answer, both as the case's config.
    pub fn of_plan(
        scenario: &crate::drill::Scenario,
        plan: &crate::drill::Plan,
        model: &crate::drill::Plan,
    ) -> Self {
        let m = &scenario.mission;
        let mine = Play::from_plan(m, plan, crate::drill::NEW);
        let other = Play::from_plan(m, model, crate::drill::NEW);
        let title = format!("drill {}", scenario.seed);
        Self::new(&title, ["your plan", "model answer"], &mine, Ok(other))
    }

    /// The format showing.
    pub fn format(&self) -> Format {
        Format::ALL[self.format % Format::ALL.len()]
    }

    /// The rows of the format showing.
    pub fn rows(&self) -> &[Row] {
        self.rows.get(self.format).map_or(&[], Vec::as_slice)
    }

    /// Applies a key of the page on a `size` screen. Returns whether the page closes.
    pub fn update(&mut self, action: Action, size: (u16, u16)) -> bool {
        let page = size.1.saturating_sub(CHROME).max(1);
        let max = self.max_scroll(size);
        // The screen may have grown since the last key: scroll from where the page shows.
        self.scroll = self.scroll.min(max);
        match action {
            Action::Back | Action::ShowConfig => return true,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(max),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll = (self.scroll.saturating_add(page)).min(max),
            Action::NextFormat => {
                self.format = (self.format + 1) % Format::ALL.len();
                self.scroll = self.scroll.min(self.max_scroll(size));
            }
            Action::OtherSide if self.alone.is_none() => {
                self.second = !self.second;
                self.scroll = self.scroll.min(self.max_scroll(size));
            }
            _ => {}
        }
        false
    }

    /// How far the page scrolls on a `size` screen.
    fn max_scroll(&self, (w, h): (u16, u16)) -> u16 {
        let total = self.body(&Theme::new(crate::ui::Palette::Dark), w).len();
        let rows = shown(h.saturating_sub(CHROME), total);
        u16::try_from(total.saturating_sub(rows)).unwrap_or(u16::MAX)
    }

    /// Whether both configs show side by side at `width`.
    fn side_by_side(&self, width: u16) -> bool {
        self.alone.is_none() && width >= SIDE_BY_SIDE
    }

    /// The configs' lines as drawn `width` columns wide (long lines wrapped, never cut).
    fn body(&self, theme: &Theme, width: u16) -> Vec<Line<'static>> {
        let width = usize::from(width);
        let mut out = Vec::new();
        if self.side_by_side(width as u16) {
            // `~ text…  │~ text…` : each half a gutter, the text, a space before the rule.
            let left_w = width.saturating_sub(1) / 2;
            let right_w = width.saturating_sub(1 + left_w);
            for row in self.rows() {
                let l = cell(
                    row.left.as_deref(),
                    row.right.is_some(),
                    '-',
                    row,
                    theme,
                    left_w,
                );
                let r = cell(
                    row.right.as_deref(),
                    row.left.is_some(),
                    '+',
                    row,
                    theme,
                    right_w,
                );
                for k in 0..l.len().max(r.len()) {
                    let mut spans = l.get(k).cloned().unwrap_or_else(|| blank(left_w));
                    spans.push(Span::styled("│", theme.dim));
                    spans.extend(r.get(k).cloned().unwrap_or_else(|| blank(right_w)));
                    out.push(Line::from(spans));
                }
            }
        } else {
            let second = self.second && self.alone.is_none();
            for row in self.rows() {
                let (this, other, only) = if second {
                    (row.right.as_deref(), row.left.is_some(), '+')
                } else {
                    (
                        row.left.as_deref(),
                        row.right.is_some() || self.alone.is_some(),
                        '-',
                    )
                };
                if this.is_none() {
                    continue;
                }
                out.extend(
                    cell(this, other, only, row, theme, width)
                        .into_iter()
                        .map(Line::from),
                );
            }
        }
        out
    }
}

/// How many lines of `total` show in a body `height` rows high: all of them, or all but the
/// last row, which says there is more (so the mark never covers a line's end).
fn shown(height: u16, total: usize) -> usize {
    let height = usize::from(height);
    if total > height {
        height.saturating_sub(1)
    } else {
        height
    }
}

/// A blank half-row `w` columns wide.
fn blank(w: usize) -> Vec<Span<'static>> {
    vec![Span::raw(" ".repeat(w))]
}

/// One side of a row as lines `w` columns wide: the gutter mark (`~` changed, `only` when
/// the other side has no line here), the text wrapped to fit with a column to spare.
fn cell(
    text: Option<&str>,
    other: bool,
    only: char,
    row: &Row,
    theme: &Theme,
    w: usize,
) -> Vec<Vec<Span<'static>>> {
    let Some(text) = text else {
        return Vec::new();
    };
    let mark = match (row.changed, other) {
        (false, _) => ' ',
        (true, true) => '~',
        (true, false) => only,
    };
    let style = if row.changed {
        theme.warn
    } else if text.trim_start().starts_with('#') {
        theme.dim
    } else {
        theme.text
    };
    let room = w.saturating_sub(3).max(1);
    wrap(text, room)
        .into_iter()
        .enumerate()
        .map(|(k, piece)| {
            let used = view::width(&piece);
            let gutter = if k == 0 { mark } else { ' ' };
            vec![
                Span::styled(format!("{gutter} "), style.add_modifier(Modifier::BOLD)),
                Span::styled(piece, style),
                Span::styled(" ".repeat(w.saturating_sub(2 + used)), Style::default()),
            ]
        })
        .collect()
}

/// A YAML line in pieces of at most `w` columns: broken at a space when there is one, the
/// pieces after the first indented under the line's text. Nothing is dropped.
pub fn wrap(text: &str, w: usize) -> Vec<String> {
    let w = w.max(4);
    if view::width(text) <= w {
        return vec![text.to_string()];
    }
    let indent = text.len() - text.trim_start_matches(' ').len();
    let lead = " ".repeat((indent + 2).min(w / 2));
    let mut out = Vec::new();
    let mut rest: Vec<char> = text.chars().collect();
    let mut first = true;
    while !rest.is_empty() {
        let prefix = if first { "" } else { lead.as_str() };
        let room = w - view::width(prefix);
        // How many chars fit in `room` columns.
        let mut used = 0;
        let mut fit = 0;
        for c in &rest {
            let cw = c.width().unwrap_or(0);
            if used + cw > room {
                break;
            }
            used += cw;
            fit += 1;
        }
        let mut end = fit.max(1);
        if end < rest.len() {
            // Back to the last space past the indentation, if there is one.
            if let Some(space) = rest[..end].iter().rposition(|&c| c == ' ')
                && rest[..space].iter().any(|&c| c != ' ')
            {
                end = space + 1;
            }
        }
        let piece: String = rest[..end].iter().collect();
        out.push(format!("{prefix}{}", piece.trim_end()));
        rest.drain(..end);
        // Spaces at a break are the break.
        while rest.first() == Some(&' ') {
            rest.remove(0);
        }
        first = false;
    }
    out
}

/// Draws the page over the whole of `area`.
pub fn render(page: &ConfigPage, ctx: Ctx, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [head, legend, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let wide = page.side_by_side(area.width);
    let [first, second] = page.labels;
    let whose = if page.alone.is_some() {
        format!("{first} alone")
    } else if wide {
        format!("{first} | {second}")
    } else if page.second {
        format!("{second} (Tab: {first})")
    } else {
        format!("{first} (Tab: {second})")
    };
    let head_line = Line::from(vec![
        Span::styled(" AS REAL CONFIG", theme.title.add_modifier(Modifier::BOLD)),
        Span::styled(
            format!(
                " · {} ({}/{})",
                page.format().title(),
                page.format + 1,
                Format::ALL.len()
            ),
            theme.accent,
        ),
        Span::styled(format!(" · {whose}"), theme.title),
    ]);
    view::fit(head_line, area.width).render(head, buf);
    let legend_line = if let Some(why) = &page.alone {
        Line::styled(format!(" {why}"), theme.warn)
    } else {
        let changed = page.rows().iter().filter(|r| r.changed).count();
        Line::styled(
            format!(
                " ~ differs · - {first} only · + {second} only · {changed} of {} lines differ",
                page.rows().len()
            ),
            theme.dim,
        )
    };
    view::fit(legend_line, area.width).render(legend, buf);
    let lines = page.body(theme, body.width);
    let rows = shown(body.height, lines.len());
    let top = usize::from(page.scroll).min(lines.len().saturating_sub(rows));
    for (i, line) in lines.iter().skip(top).take(rows).enumerate() {
        let y = body.y + i as u16;
        line.clone()
            .render(Rect::new(body.x, y, body.width, 1), buf);
    }
    view::corner_mark(view::more(top, rows, lines.len()), theme, body, buf);
    let alone = page.alone.is_some();
    let doc = |b: &Binding| {
        if b.action == Action::OtherSide && (wide || alone) {
            ""
        } else {
            b.doc
        }
    };
    view::footer_with(ctx, &doc, theme, footer, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_character_and_indents_the_rest() {
        assert_eq!(wrap("  short: line", 20), vec!["  short: line"]);
        let line = "      query: sum(rate(http_requests_total{app=\"web\",code=~\"5..\"}[1m]))";
        let pieces = wrap(line, 30);
        assert!(pieces.iter().all(|p| view::width(p) <= 30), "{pieces:?}");
        assert!(
            pieces[1..].iter().all(|p| p.starts_with("        ")),
            "{pieces:?}"
        );
        let back: String = pieces
            .iter()
            .map(|p| p.trim_start())
            .collect::<Vec<_>>()
            .join("");
        let want: String = line.chars().filter(|c| *c != ' ').collect();
        assert_eq!(back.replace(' ', ""), want);
        let words = wrap("# a comment that is long enough to wrap twice over", 20);
        assert_eq!(words[0], "# a comment that is");
        assert!(words.iter().all(|p| view::width(p) <= 20), "{words:?}");
    }
}
