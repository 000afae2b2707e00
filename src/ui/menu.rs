//! The screens before play: title (the name in hand-drawn block letters), the mission map
//! (chapters, missions, best stars this session, rank) and the briefing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::keymap::Ctx;
use super::{App, Theme, view};
use crate::sim::Sim;
use crate::time::clock;

/// `ZERODOWN` in five rows of block letters.
const BIG: [&str; 5] = [
    "█████ █████ ████   ███  ████   ███  █   █ █   █",
    "   █  █     █   █ █   █ █   █ █   █ █   █ ██  █",
    "  █   ████  ████  █   █ █   █ █   █ █ █ █ █ █ █",
    " █    █     █  █  █   █ █   █ █   █ ██ ██ █  ██",
    "█████ █████ █   █  ███  ████   ███  █   █ █   █",
];

pub fn title(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [body, footer] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let mut lines: Vec<Line> = BIG
        .iter()
        .map(|l| Line::styled(*l, theme.accent.add_modifier(Modifier::BOLD)))
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

/// A rank from the stars earned.
fn rank(total: u32, max: u32) -> &'static str {
    match (total, max) {
        (0, _) => "intern",
        (t, m) if t >= m => "principal SRE",
        (t, m) if t * 2 >= m => "release engineer",
        _ => "junior engineer",
    }
}

pub fn map(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let [head, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let total: u32 = app
        .missions
        .iter()
        .map(|m| u32::from(m.best.unwrap_or(0)))
        .sum();
    let max = 3 * app.missions.len() as u32;
    Line::from(vec![
        Span::styled(" MISSIONS", theme.title),
        Span::styled(
            format!("   rank: {}  ·  {total}/{max} ★", rank(total, max)),
            theme.dim,
        ),
    ])
    .render(head, buf);
    let [list, preview] = body.layout(&Layout::horizontal([
        Constraint::Percentage(60),
        Constraint::Fill(1),
    ]));
    let mut lines = Vec::new();
    let mut chapter = None;
    for (i, entry) in app.missions.iter().enumerate() {
        let ch = entry.mission.as_ref().map_or(0, |m| m.chapter);
        if chapter != Some(ch) {
            chapter = Some(ch);
            lines.push(Line::styled(format!(" CHAPTER {ch}"), theme.accent));
        }
        let sel = i == app.selected;
        let marker = if sel { "▸ " } else { "  " };
        let (name, status) = match &entry.mission {
            Ok(m) => (
                m.title.clone(),
                entry.best.map_or("○ new".to_string(), stars),
            ),
            Err(_) => ("(broken mission file)".to_string(), "✖".to_string()),
        };
        let style = if sel { theme.selected } else { theme.text };
        lines.push(Line::from(vec![
            Span::styled(format!("  {marker}{} · {name}", entry.id), style),
            Span::styled(format!("  {status}"), theme.warn),
        ]));
    }
    Paragraph::new(lines)
        .block(Block::bordered().border_style(theme.border))
        .render(list, buf);
    let text = match app.missions.get(app.selected).map(|e| &e.mission) {
        Some(Ok(m)) => vec![
            Line::styled(m.title.clone(), theme.title),
            Line::raw(""),
            Line::styled(m.concept.clone(), theme.text),
            Line::raw(""),
            Line::styled("Enter reads the briefing", theme.dim),
        ],
        Some(Err(e)) => vec![Line::styled(e.clone(), theme.bad)],
        None => vec![Line::styled("no missions found", theme.bad)],
    };
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(" THE IDEA "),
        )
        .render(preview, buf);
    view::footer(Ctx::Map, theme, footer, buf);
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
            "mission {}{deadline} · SLO {:.1}% · a second above {:.0}% errors is downtime",
            clock(m.duration.secs()),
            m.slo.target * 100.0,
            m.slo.outage_error_rate * 100.0
        ),
        theme.text,
    ));
    lines.push(Line::styled(
        format!(
            "{} servers × {:.0} req/s · {:.0} req/s of users · drain {} · deploy {} · boot {}",
            m.fleet.servers,
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
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(" BRIEFING "),
        )
        .render(body, buf);
    view::footer(Ctx::Briefing, theme, footer, buf);
}
