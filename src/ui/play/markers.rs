//! A replay's second header line: who played it and how it ended, then its markers with
//! their times (`ada · passed ★★☆  ▸ fault 1:45  alert 1:46  reaction 1:49  restored 1:52`):
//! those passed plain, the next one bold in the accent colour, the later ones dim (the
//! clock beside them says the same in words). Items flow onto more lines when the width
//! runs out (a half of a side-by-side replay), one space apart then, never cut in the
//! middle; the rows they take do not change as the clock runs.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::ui::game::Playback;
use crate::ui::{Theme, view};

/// The line(s) for `p` at tick `now`, in `width` columns.
pub fn lines(p: &Playback, now: u64, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let next = p.markers.iter().position(|m| m.tick > now);
    let about = Some(p.about.clone())
        .filter(|a| !a.is_empty())
        .map(|a| (a, theme.title.add_modifier(Modifier::BOLD)));
    let items: Vec<(String, Style)> = about
        .into_iter()
        .chain(p.markers.iter().enumerate().map(|(i, m)| {
            let style = match next {
                Some(n) if i == n => theme.accent.add_modifier(Modifier::BOLD),
                Some(n) if i > n => theme.dim,
                _ => theme.text,
            };
            (item(i, m.text()), style)
        }))
        .collect();
    let texts: Vec<&str> = items.iter().map(|(t, _)| t.as_str()).collect();
    let (rows, gap) = rows(&texts, width);
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new(); rows.last().map_or(0, |r| r + 1)];
    for ((text, style), row) in items.into_iter().zip(rows) {
        let line = &mut lines[row];
        line.push(Span::raw(if line.is_empty() { " " } else { gap }));
        line.push(Span::styled(text, style));
    }
    lines
        .into_iter()
        .map(|l| view::fit(Line::from(l), width))
        .collect()
}

/// How many lines `lines` takes for `p` in `width` columns (none with nothing to say).
pub fn height(p: &Playback, width: u16) -> u16 {
    let marked: Vec<String> = p
        .markers
        .iter()
        .enumerate()
        .map(|(i, m)| item(i, m.text()))
        .collect();
    let about = Some(p.about.as_str()).filter(|a| !a.is_empty());
    let texts: Vec<&str> = about
        .into_iter()
        .chain(marked.iter().map(String::as_str))
        .collect();
    rows(&texts, width).0.last().map_or(0, |r| r + 1) as u16
}

/// The `i`th marker's text: the list starts with `▸ `.
fn item(i: usize, text: String) -> String {
    if i == 0 { format!("▸ {text}") } else { text }
}

/// The row of each item laid out left to right after a space, two between items when all
/// fit on one row in `width`, else one; and that gap.
fn rows(texts: &[&str], width: u16) -> (Vec<usize>, &'static str) {
    let room = usize::from(width).saturating_sub(1);
    let place = |gap: usize| {
        let (mut row, mut used) = (0, 0);
        texts
            .iter()
            .map(|t| {
                let w = view::width(t) + if used == 0 { 1 } else { gap };
                if used > 0 && used + w > room {
                    row += 1;
                    used = 0;
                    used += view::width(t) + 1;
                } else {
                    used += w;
                }
                row
            })
            .collect::<Vec<usize>>()
    };
    let wide = place(2);
    if wide.last().is_none_or(|&r| r == 0) {
        (wide, "  ")
    } else {
        (place(1), " ")
    }
}
