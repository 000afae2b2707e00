//! The view: `impl Widget for &App` picks the screen; shared pieces (footer hints from the
//! keymap, popups, the too-small screen) live here. Read-only: nothing here changes state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::keymap::{self, Ctx};
use super::{
    App, ColorDepth, GlyphMode, MIN_HEIGHT, MIN_WIDTH, Screen, Theme, debrief, glyphs, help, menu,
    play, sandbox,
};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(&self.theme, area, buf);
            return;
        }
        let ctx = self.ctx();
        match &self.screen {
            Screen::Title => menu::title(self, area, buf),
            Screen::Map => menu::map(self, area, buf),
            Screen::Briefing => menu::briefing(self, area, buf),
            Screen::Play(g) => play::render(g, &self.theme, self.settings.marker, ctx, area, buf),
            Screen::Debrief(d) => debrief::render(d, &self.theme, self.settings.marker, area, buf),
            Screen::Drill(d) => d.render(&self.theme, self.settings.marker, ctx, area, buf),
            Screen::Compare(c) => c.render(&self.theme, self.settings.marker, ctx, area, buf),
        }
        if let Some(h) = &self.help {
            help::render(h, &self.theme, area, buf);
        }
        if let Some(text) = &self.flash {
            let text = format!(" {text} ");
            let w = (width(&text) as u16).min(area.width);
            let r = Rect::new(area.right().saturating_sub(w), area.y, w, 1);
            Line::styled(text, self.theme.accent.add_modifier(Modifier::REVERSED)).render(r, buf);
        }
        settle(buf, &self.settings, &self.theme);
    }
}

/// The last pass over a drawn screen, for every screen of the game: a palette with its own
/// background (light) paints it wherever nothing else did, so its dark text reads on a dark
/// terminal too; every colour is brought down to what the terminal shows; then every
/// symbol, for a font or console without them.
pub fn settle(buf: &mut Buffer, settings: &super::Settings, theme: &Theme) {
    let depth = settings.colors;
    for cell in &mut buf.content {
        if let Some(bg) = theme.background
            && cell.bg == ratatui::style::Color::Reset
        {
            cell.set_bg(bg);
        }
        if depth != ColorDepth::TrueColor {
            cell.set_fg(depth.map(cell.fg));
            cell.set_bg(depth.map(cell.bg));
        }
    }
    if settings.glyphs == GlyphMode::Ascii {
        glyphs::to_ascii(buf);
    }
}

/// The "enlarge the terminal" screen.
fn too_small(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let text = vec![
        Line::styled("zerodown", theme.title),
        Line::raw(""),
        Line::styled(
            format!("enlarge the terminal to at least {MIN_WIDTH}×{MIN_HEIGHT}"),
            theme.warn,
        ),
        Line::styled(format!("(now {}×{})", area.width, area.height), theme.text),
        Line::raw(""),
        Line::styled("Ctrl-C quits", theme.dim),
    ];
    let h = (text.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    Paragraph::new(text)
        .centered()
        .wrap(Wrap { trim: true })
        .render(Rect::new(area.x, y, area.width, h), buf);
}

/// The footer: the current context's keys, from the keymap. When they do not all fit, the
/// last one (how to leave) stays and the ones before it that fit are shown.
pub fn footer(ctx: Ctx, theme: &Theme, area: Rect, buf: &mut Buffer) {
    footer_with(ctx, &|b| b.doc, theme, area, buf);
}

/// How the footer words a key (`""` leaves it out).
pub type KeyDoc<'a> = &'a dyn Fn(&keymap::Binding) -> &'static str;

/// The words of a mission's keys: for free play when `free_play` (the keys that lead back
/// to the missions quit there, and say so), without the hint key when the mission has no
/// hints (sandboxes, drills).
pub fn mission_doc(free_play: bool, has_hints: bool) -> impl Fn(&keymap::Binding) -> &'static str {
    move |b| {
        if b.action == keymap::Action::Hint && !has_hints {
            ""
        } else if free_play {
            sandbox::key_doc(b).unwrap_or_default()
        } else {
            b.doc
        }
    }
}

/// The footer with the keys worded by `doc`.
pub fn footer_with(ctx: Ctx, doc: KeyDoc<'_>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let hints: Vec<_> = keymap::footer(ctx).filter(|b| !doc(b).is_empty()).collect();
    let room = usize::from(area.width).saturating_sub(1);
    // Two spaces between keys when all fit so, else one; then the last key (how to leave)
    // stays and the ones before it that fit are shown, in the keymap's order.
    let all = |gap: usize| -> usize {
        hints
            .iter()
            .map(|b| width(b.label) + width(doc(b)) + 1 + gap)
            .sum()
    };
    let gap = if all(2) <= room { 2 } else { 1 };
    let entry_w = |b: &keymap::Binding| width(b.label) + width(doc(b)) + 1 + gap;
    let last_w = hints.last().map_or(0, |b| entry_w(b));
    let mut used = 0;
    let mut spans = vec![Span::raw(" ")];
    for (i, b) in hints.iter().enumerate() {
        let is_last = i + 1 == hints.len();
        if !is_last && used + entry_w(b) + last_w > room {
            continue;
        }
        used += entry_w(b);
        spans.push(Span::styled(b.label, theme.accent));
        spans.push(Span::styled(
            format!(" {}{}", doc(b), " ".repeat(gap)),
            theme.dim,
        ));
    }
    Line::from(spans).render(area, buf);
}

/// A centered box with a title and one line of text, over whatever is below.
pub fn popup(title: &str, text: &str, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = (text.chars().count() as u16 + 4)
        .max(title.chars().count() as u16 + 4)
        .min(area.width);
    let r = area.centered(Constraint::Length(w), Constraint::Length(3));
    Clear.render(r, buf);
    Paragraph::new(Line::styled(text.to_string(), theme.text))
        .centered()
        .block(
            Block::bordered()
                .border_style(theme.bad)
                .title(Span::styled(title.to_string(), theme.bad)),
        )
        .render(r, buf);
}

/// `text` with the spaces a line must not break at made non-breaking: before `%`, in
/// `1 700`, and between a number and its unit (`16 s`, `512 MB`), so wrapping never
/// leaves `85` at a line's end and `%` at the next one's start.
pub fn glue(text: &str) -> String {
    const UNITS: [&str; 12] = [
        "%", "s", "ms", "m", "min", "h", "MB", "GB", "req/s", "×", "points", "servers",
    ];
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len());
    for (i, w) in words.iter().enumerate() {
        out.push_str(w);
        let Some(next) = words.get(i + 1) else { break };
        let number = w.chars().last().is_some_and(|c| c.is_ascii_digit());
        let unit = UNITS.iter().any(|u| {
            next.strip_prefix(u)
                .is_some_and(|rest| rest.chars().all(|c| !c.is_alphanumeric()))
        });
        let thousands = next.len() >= 3
            && next.chars().take(3).all(|c| c.is_ascii_digit())
            && !next.chars().nth(3).is_some_and(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_digit())
            && w.len() <= 3;
        out.push(if number && (unit || thousands) || next.starts_with('%') {
            '\u{a0}'
        } else {
            ' '
        });
    }
    out
}

/// `lines` with every span `glue`d, for text a `Paragraph` wraps.
pub fn glued(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    lines
        .into_iter()
        .map(|mut l| {
            for s in &mut l.spans {
                if s.content.contains(' ') {
                    s.content = glue(&s.content).into();
                }
            }
            l
        })
        .collect()
}

/// After drawing `glue`d text into `area`: its non-breaking spaces become plain ones, so
/// what reaches the terminal (and a copy of the screen) is ordinary text.
pub fn unglue(area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.symbol() == "\u{a0}" {
                cell.set_symbol(" ");
            }
        }
    }
}

/// Rows `lines` take when a `Paragraph` word-wraps them into `width` columns (at most one
/// more per line than it needs: `wrap` keeps a line's last column free).
pub fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            wrap(&text, usize::from(width) + 1).len() as u16
        })
        .sum()
}

/// `lines` for a `Paragraph` `width` columns wide, where an indented list item (` ✔ 2. text`)
/// too long for one line continues under its text, not at the margin.
pub fn hang(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        if line.spans.len() != 1
            || !text.starts_with(' ')
            || self::width(&text) <= usize::from(width)
        {
            out.push(line);
            continue;
        }
        // The lead: spaces, then up to two short marks (`✔`, `2.`) each with its space.
        let mut lead = text.len() - text.trim_start().len();
        for _ in 0..2 {
            let rest = &text[lead..];
            match rest.find(' ') {
                Some(n) if n > 0 && rest[..n].chars().count() <= 3 => {
                    lead += n + 1;
                }
                _ => break,
            }
        }
        let indent = self::width(&text[..lead]);
        let style = line.spans[0].style;
        let parts = wrap(&text[lead..], usize::from(width).saturating_sub(indent) + 1);
        for (i, part) in parts.into_iter().enumerate() {
            let head = if i == 0 {
                text[..lead].to_string()
            } else {
                " ".repeat(indent)
            };
            out.push(Line::from(Span::styled(format!("{head}{part}"), style)).style(line.style));
        }
    }
    out
}

/// A scrolled box's title mark: which way there is more (`""` when all of it shows).
pub fn more(scroll: usize, rows: usize, total: usize) -> &'static str {
    match (scroll > 0, scroll + rows < total) {
        (true, true) => " ↑↓ more ",
        (true, false) => " ↑ more ",
        (false, true) => " ↓ more ",
        (false, false) => "",
    }
}

/// A scroll mark (`more`'s, or any short hint) in the bottom-right corner of `area`,
/// reversed so it reads as a mark and not as text.
pub fn corner_mark(hint: &str, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if hint.is_empty() {
        return;
    }
    let w = width(hint) as u16;
    Line::styled(
        hint.to_string(),
        theme.accent.add_modifier(Modifier::REVERSED),
    )
    .render(
        Rect::new(
            area.right().saturating_sub(w),
            area.bottom().saturating_sub(1),
            w.min(area.width),
            1,
        ),
        buf,
    );
}

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `line` made to fit `width` columns. It stays whole when it fits and its last column is
/// not a letter (so no word ever touches a border); otherwise it is cut at a word boundary
/// (or mid-word when no boundary is near) and the cut is marked with `…`.
pub fn fit(line: Line<'static>, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let total: usize = cells.iter().map(|(c, _)| c.width().unwrap_or(0)).sum();
    let ends_in_letter = cells.last().is_some_and(|(c, _)| c.is_alphabetic());
    if total < width || (total == width && !ends_in_letter) {
        return line;
    }
    let room = width.saturating_sub(1);
    let mut used = 0;
    let mut end = 0;
    for (c, _) in &cells {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        end += 1;
    }
    // Back to the last space when it is near, dropping separators left hanging (` · `).
    if let Some(space) = cells[..end].iter().rposition(|(c, _)| *c == ' ')
        && space > 0
        && space + room / 3 >= end
    {
        end = space;
    }
    while end > 0 && matches!(cells[end - 1].0, ' ' | '·' | ',' | ':' | '-' | '(') {
        end -= 1;
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (c, style) in &cells[..end] {
        match spans.last_mut() {
            Some(last) if last.style == *style => last.content.to_mut().push(*c),
            _ => spans.push(Span::styled(c.to_string(), *style)),
        }
    }
    let style = cells
        .get(end.saturating_sub(1))
        .map_or(Style::default(), |(_, s)| *s);
    spans.push(Span::styled("…", style));
    Line { spans, ..line }
}

/// `text` wrapped at spaces into lines of at most `width` columns; a word longer than a
/// line is cut and marked with `…`. Never empty.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        // A run of spaces inside a line stays (`try  :canary v2`); at a line's start it goes.
        if word.is_empty() {
            if let Some(cur) = lines
                .last_mut()
                .filter(|c| !c.is_empty() && self::width(c) + 1 < width)
            {
                cur.push(' ');
            }
            continue;
        }
        let word = if self::width(word) > width {
            let fitted = fit(Line::raw(word.to_string()), width as u16);
            fitted.spans.iter().map(|s| s.content.as_ref()).collect()
        } else {
            word.to_string()
        };
        let Some(cur) = lines.last_mut() else { break };
        let needed = self::width(cur) + usize::from(!cur.is_empty()) + self::width(&word);
        if cur.is_empty() {
            cur.push_str(&word);
        } else if needed < width {
            cur.push(' ');
            cur.push_str(&word);
        } else {
            let end = cur.trim_end().len();
            cur.truncate(end);
            lines.push(word);
        }
    }
    if let Some(cur) = lines.last_mut() {
        let end = cur.trim_end().len();
        cur.truncate(end);
    }
    lines
}

/// Groups of spans laid out left to right, each group whole, into lines of `width`
/// columns and at most `rows` lines; groups that do not fit are left out and the last
/// line ends with `…`. For legends and key bars, where an entry cut in two means nothing.
pub fn flow(
    groups: Vec<Vec<Span<'static>>>,
    gap: &str,
    width: u16,
    rows: u16,
) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let gap_w = self::width(gap);
    // Each line's spans and where each of its groups (with the gap before it) starts.
    let mut lines: Vec<(Vec<Span<'static>>, Vec<usize>)> = Vec::new();
    let mut used = 0;
    let mut dropped = false;
    for group in groups {
        let w: usize = group.iter().map(|s| self::width(&s.content)).sum();
        let n = lines.len();
        match lines.last_mut() {
            Some((line, starts)) if used + gap_w + w < width => {
                starts.push(line.len());
                line.push(Span::raw(gap.to_string()));
                line.extend(group);
                used += gap_w + w;
            }
            _ if n < usize::from(rows) && w < width => {
                lines.push((group, vec![0]));
                used = w;
            }
            // A group wider than a line starts its own, cut with `…`.
            _ if n < usize::from(rows) => {
                let cut = fit(Line::from(group), width as u16);
                used = cut.width();
                lines.push((cut.spans, vec![0]));
            }
            _ => {
                dropped = true;
                break;
            }
        }
    }
    if dropped && let Some((last, starts)) = lines.last_mut() {
        // Room for ` …`: the last group makes way, whole, if it must (never the first).
        if used + 2 >= width
            && starts.len() > 1
            && let Some(start) = starts.pop()
        {
            last.truncate(start);
        }
        last.push(Span::raw(" …"));
    }
    lines.into_iter().map(|(l, _)| Line::from(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn fit_keeps_what_fits_and_marks_a_cut_at_a_word() {
        let l = |t: &str| Line::raw(t.to_string());
        assert_eq!(text(&fit(l("in service"), 20)), "in service");
        // Exactly the width and ending in a letter: a word would touch the border.
        assert_eq!(text(&fit(l("in service"), 10)), "in servic…");
        assert_eq!(
            text(&fit(l("every server on v2 and in service"), 20)),
            "every server on v2…"
        );
        assert_eq!(
            text(&fit(l("downtime 0 s · window budget"), 16)),
            "downtime 0 s…"
        );
        assert_eq!(text(&fit(l("abcdefghijklmnop"), 8)), "abcdefg…");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_inner_runs() {
        assert_eq!(
            wrap("try  :canary v2 steps=5", 13),
            vec!["try  :canary", "v2 steps=5"]
        );
        assert_eq!(wrap("", 10), vec![String::new()]);
        let long = wrap("a verylongwordindeed b", 8);
        assert_eq!(long, vec!["a", "verylon…", "b"]);
    }

    /// Issue 13 item 3: a quiz answer's second line started at column 0.
    #[test]
    fn hang_continues_a_list_item_under_its_text() {
        let item = Line::raw(" ✔ 3. The load balancer stops sending any traffic while one deploys");
        let lines: Vec<String> = hang(vec![item], 40).iter().map(text).collect();
        assert_eq!(lines[0], " ✔ 3. The load balancer stops sending");
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.starts_with("      ") && !l[6..].starts_with(' ')),
            "{lines:?}"
        );
        let plain = Line::raw("QUIZ  a question that is long enough to wrap around here");
        assert_eq!(hang(vec![plain.clone()], 20), vec![plain]);
    }

    /// Issue 13 item 6: 04's briefing broke `85 %` across two lines.
    #[test]
    fn glue_keeps_numbers_with_their_units() {
        let nb = '\u{a0}';
        assert_eq!(
            glue("the fleet at 85 % CPU"),
            format!("the fleet at 85{nb}% CPU")
        );
        assert_eq!(
            glue("1 700 req/s, 16 s."),
            format!("1{nb}700{nb}req/s, 16{nb}s.")
        );
        assert_eq!(glue("v2 is 3 servers"), format!("v2 is 3{nb}servers"));
        assert_eq!(glue("at 12 sharp"), "at 12 sharp");
        assert_eq!(glue("2 same"), "2 same");
    }

    #[test]
    fn flow_keeps_groups_whole_and_marks_the_rest() {
        let g = |t: &str| vec![Span::raw(t.to_string())];
        let groups = || {
            vec![
                g("CPU 58%"),
                g("mem 512/2048 MB"),
                g("58 ms"),
                g("3 sessions"),
            ]
        };
        let lines: Vec<String> = flow(groups(), " · ", 30, 2).iter().map(text).collect();
        assert_eq!(
            lines,
            vec!["CPU 58% · mem 512/2048 MB", "58 ms · 3 sessions"]
        );
        // No room for the `…` after the last group that fits: that group makes way, whole.
        let one = flow(groups(), " · ", 34, 1);
        assert_eq!(text(&one[0]), "CPU 58% · mem 512/2048 MB …");
        let one = flow(groups(), " · ", 30, 1);
        assert_eq!(text(&one[0]), "CPU 58% · mem 512/2048 MB …");
    }
}
