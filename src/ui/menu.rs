//! The screens before play: title (the name in hand-drawn block letters), the mission map
//! (chapters, missions with saved stars and points, lock state, the mission to continue,
//! the rank) and the briefing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::keymap::Ctx;
use super::{App, view};
use crate::progress::{Access, Rank};
use crate::sim::Sim;
use crate::time::clock;

/// `ZERODOWN` in block letters (`assets/title.txt`: content a writer may change).
const BIG: &str = include_str!("../../assets/title.txt");

/// How a broken config file's line on the title screen starts.
pub const CONFIG_WARNING: &str = "config not used: ";

pub fn title(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    // The warning names two paths: give it the lines it wraps to (estimated: one spare for
    // word wrap), and never more than a third of the screen.
    let inner = usize::from(area.width.saturating_sub(2).max(1));
    let warning = app.warning.as_ref().map_or(0, |w| {
        let lines = (w.chars().count() + 2).div_ceil(inner) + 1;
        (lines as u16 + 2).min(area.height / 3)
    });
    let [body, warn_area, footer] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(warning),
        Constraint::Length(1),
    ]));
    if let Some(w) = &app.warning {
        let style = theme.warn.add_modifier(Modifier::BOLD);
        let lines: Vec<Line> = w
            .lines()
            .map(|l| Line::styled(format!("⚠ {l}"), style))
            .collect();
        let config = w.lines().any(|l| l.starts_with(CONFIG_WARNING));
        let save = w.lines().any(|l| !l.starts_with(CONFIG_WARNING));
        let title = match (save, config) {
            (true, true) => " YOUR SAVE AND CONFIG ",
            (false, true) => " YOUR CONFIG ",
            _ => " YOUR SAVE ",
        };
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().border_style(theme.warn).title(title))
            .render(warn_area, buf);
    }
    let mut lines: Vec<Line> = BIG
        .lines()
        .map(|l| Line::styled(l, theme.accent.add_modifier(Modifier::BOLD)))
        .collect();
    lines.extend([
        Line::raw(""),
        Line::styled(
            "ship releases to a live fleet without your users noticing",
            theme.title,
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled("users", theme.text),
            Span::styled(" ──▶ ", theme.dim),
            Span::styled("load balancer", theme.text),
            Span::styled(" ──▶ ", theme.dim),
            Span::styled("■ ■ ■ ▲ ■ ■", theme.good),
            Span::styled("  app servers", theme.text),
        ]),
        Line::raw(""),
        Line::styled(
            "You are the release engineer. Users keep arriving while you type.",
            theme.dim,
        ),
        Line::raw(""),
        Line::styled(
            "press Enter to choose a mission",
            theme.warn.add_modifier(Modifier::BOLD),
        ),
    ]);
    let h = lines.len() as u16;
    let r = body.centered_vertically(Constraint::Length(h));
    Paragraph::new(lines).centered().render(r, buf);
    view::footer(Ctx::Title, theme, footer, buf);
}

fn stars(n: u8) -> String {
    "★".repeat(n as usize) + &"☆".repeat(3 - n.min(3) as usize)
}

/// The lock glyph; the word "locked" always goes with it (meaning never by glyph alone).
const LOCK: &str = "🔒";
/// Cells of the status column on the map (`★★☆  980`, `🔒 locked`, `▶ continue`).
const STATUS_CELLS: usize = 11;

/// A mission's status on the map and its style.
fn status<'a>(app: &App, i: usize, access: &Access, next: Option<usize>) -> Span<'a> {
    let theme = &app.theme;
    let entry = &app.missions[i];
    let record = app.progress.get(&entry.id);
    let (text, style) = match (&entry.mission, access, record) {
        (Err(_), _, _) => ("✖ broken".to_string(), theme.bad),
        (_, Access::Locked { .. }, _) => (format!("{LOCK} locked"), theme.dim),
        (_, _, Some(r)) if r.passed => (
            format!("{} {:>4}", stars(r.best_stars), r.best_points),
            theme.warn,
        ),
        _ if next == Some(i) => (
            "▶ continue".to_string(),
            theme.good.add_modifier(Modifier::BOLD),
        ),
        _ => ("○ open".to_string(), theme.text),
    };
    let pad = STATUS_CELLS.saturating_sub(Span::raw(text.as_str()).width());
    Span::styled(format!("{text}{}", " ".repeat(pad)), style)
}

/// What a rank-up says, on the debrief and the map.
pub fn rank_up_text(rank: Rank) -> String {
    format!(
        "rank up: {} — you can be trusted to {}",
        rank.name(),
        rank.skill()
    )
}

/// The rank line: rank, what it means, stars, and what the next rank needs.
fn rank_line(app: &App) -> String {
    let (total, max, rank) = app.stars();
    let next = Rank::next(total, max).map_or(String::new(), |(r, need)| {
        format!(" · {need} ★ more for {}", r.name())
    });
    format!(
        "   rank: {} ({}) · {total}/{max} ★{next}",
        rank.name(),
        rank.skill()
    )
}

/// The map's head line in a workshop: the class, its seed and where reports go.
fn class_line(code: &crate::workshop::ClassCode, reports: Option<&super::Reports>) -> String {
    let to = reports.map_or("reports are not saved (--reports DIR)".to_string(), |r| {
        format!("reports → {}", r.dir.display())
    });
    format!("   class {code} · seed {} · {to}", code.seed)
}

pub fn map(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let [head, note, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let head_text = match &app.class {
        Some(code) => class_line(code, app.reports.as_ref()),
        None => rank_line(app),
    };
    Line::from(vec![
        Span::styled(" MISSIONS", theme.title),
        Span::styled(head_text, theme.dim),
    ])
    .render(head, buf);
    if let Some(text) = app.notice.as_ref().or(app.warning.as_ref()) {
        Line::styled(
            format!(" ⚠ {text}"),
            theme.warn.add_modifier(Modifier::BOLD),
        )
        .render(note, buf);
    } else if let Some(rank) = app.rank_up {
        Line::styled(
            format!(" ★ {}", rank_up_text(rank)),
            theme.good.add_modifier(Modifier::BOLD),
        )
        .render(note, buf);
    }
    let [list, preview] = body.layout(&Layout::horizontal([
        Constraint::Percentage(60),
        Constraint::Fill(1),
    ]));
    let access = app.access();
    let next = app.continue_at();
    let mut lines = Vec::new();
    let mut chapter = None;
    let mut selected_row = 0;
    for (i, entry) in app.missions.iter().enumerate() {
        let ch = entry.mission.as_ref().map_or(0, |m| m.chapter);
        if chapter != Some(ch) {
            chapter = Some(ch);
            lines.push(Line::styled(format!(" CHAPTER {ch}"), theme.accent));
        }
        let sel = i == app.selected;
        let name = entry
            .mission
            .as_ref()
            .map_or("(broken mission file)".to_string(), |m| m.title.clone());
        let style = match (sel, &access[i]) {
            (true, _) => theme.selected,
            (false, Access::Locked { .. }) => theme.dim,
            (false, Access::Open) => theme.text,
        };
        if sel {
            selected_row = lines.len();
        }
        lines.push(Line::from(vec![
            Span::styled(if sel { " ▸ " } else { "   " }, style),
            status(app, i, &access[i], next),
            Span::styled(format!("{} · {name}", entry.id), style),
        ]));
    }
    // Every title whole or ending in `…`; the list scrolls to keep the selection (and its
    // chapter's heading, when it fits) in view.
    let inner = Block::bordered().inner(list);
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| view::fit(l, inner.width))
        .collect();
    let rows = usize::from(inner.height).max(1);
    let scroll = (selected_row + 2)
        .saturating_sub(rows)
        .min(lines.len().saturating_sub(rows));
    let more = view::more(scroll, rows, lines.len());
    let mut block = Block::bordered().border_style(theme.border);
    if !more.is_empty() {
        block = block.title(Line::styled(more, theme.dim).right_aligned());
    }
    Paragraph::new(lines)
        .scroll((scroll as u16, 0))
        .block(block)
        .render(list, buf);
    preview_panel(app, access.get(app.selected), preview, buf);
    view::footer(Ctx::Map, theme, footer, buf);
}

/// The highlighted mission: its record, its lock, its idea.
fn preview_panel(app: &App, access: Option<&Access>, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(entry) = app.missions.get(app.selected) else {
        Paragraph::new(Line::styled("no missions found", theme.bad))
            .block(Block::bordered().border_style(theme.border))
            .render(area, buf);
        return;
    };
    let text = match &entry.mission {
        Ok(m) => {
            let record = match app.progress.get(&entry.id) {
                Some(r) => format!(
                    "best {} · {} points · {} attempt{}",
                    stars(r.best_stars),
                    r.best_points,
                    r.attempts,
                    if r.attempts == 1 { "" } else { "s" }
                ),
                None => "not played yet".to_string(),
            };
            let (action, style) = match access {
                Some(Access::Locked { after }) => {
                    (format!("{LOCK} locked: pass {after} first"), theme.warn)
                }
                _ => ("Enter reads the briefing".to_string(), theme.dim),
            };
            vec![
                Line::styled(m.title.clone(), theme.title),
                Line::styled(record, theme.warn),
                Line::raw(""),
                Line::styled(m.concept.clone(), theme.text),
                Line::raw(""),
                Line::styled(action, style),
            ]
        }
        Err(e) => vec![Line::styled(e.clone(), theme.bad)],
    };
    Paragraph::new(view::glued(text))
        .wrap(Wrap { trim: true })
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(" THE IDEA "),
        )
        .render(area, buf);
    view::unglue(area, buf);
}

pub fn briefing(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let [body, footer] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let Some((id, Ok(m))) = app.missions.get(app.selected).map(|e| (&e.id, &e.mission)) else {
        return;
    };
    if m.sandbox {
        let lines = super::sandbox::briefing(id, m, theme);
        render_briefing(lines, true, app, [body, footer], buf);
        return;
    }
    let h = |t: &str| Line::styled(t.to_string(), theme.accent.add_modifier(Modifier::BOLD));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{id} · {}", m.title), theme.title),
            Span::styled(format!("   chapter {}", m.chapter), theme.dim),
        ]),
        Line::raw(""),
        h("THE STORY"),
        Line::styled(m.briefing.clone(), theme.text),
        Line::raw(""),
        h("THE IDEA"),
        Line::styled(m.concept.clone(), theme.text),
        Line::raw(""),
        h("OBJECTIVES"),
    ];
    // The sim words the objectives (its `describe`), so the briefing and the debrief agree.
    let objectives = Sim::new(m, m.seed).outcome().objectives;
    lines.extend(
        objectives
            .iter()
            .map(|o| Line::styled(format!("○ {}", o.text), theme.text)),
    );
    lines.push(Line::raw(""));
    lines.push(h("LIMITS"));
    let deadline = m.deadline.map_or(String::new(), |d| {
        format!(" · deadline {}", clock(d.secs()))
    });
    lines.push(Line::styled(
        format!(
            "mission {}{deadline} · {}",
            clock(m.duration.secs()),
            m.slo.describe()
        ),
        theme.text,
    ));
    lines.push(Line::styled(
        format!(
            "{} × {:.0} req/s · {:.0} req/s of users · drain {} · deploy {} · boot {}",
            crate::words::count(m.fleet.servers as usize, "server"),
            m.fleet.capacity_rps,
            m.traffic.base_rps,
            m.fleet.timings.drain,
            m.fleet.timings.deploy,
            m.fleet.timings.boot
        ),
        theme.dim,
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "In play, press : to type commands (Tab completes), ? for help. Press Enter to start.",
        theme.warn.add_modifier(Modifier::BOLD),
    ));
    render_briefing(lines, false, app, [body, footer], buf);
}

/// The briefing's box and footer around its lines (a mission's or a sandbox's).
fn render_briefing(
    lines: Vec<Line>,
    free_play: bool,
    app: &App,
    [body, footer]: [Rect; 2],
    buf: &mut Buffer,
) {
    let theme = &app.theme;
    let lines = view::glued(lines);
    let inner = Block::bordered().inner(body);
    let total = view::wrapped_height(&lines, inner.width);
    let scroll = app.briefing_scroll.min(total.saturating_sub(inner.height));
    let more = view::more(
        usize::from(scroll),
        usize::from(inner.height),
        usize::from(total),
    );
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .scroll((scroll, 0))
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(" BRIEFING ")
                .title(Line::styled(more, theme.accent).right_aligned()),
        )
        .render(body, buf);
    view::unglue(body, buf);
    view::footer_with(
        Ctx::Briefing,
        &view::mission_doc(free_play, true),
        theme,
        footer,
        buf,
    );
}
