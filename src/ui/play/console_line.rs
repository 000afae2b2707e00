//! The console's line under the play screen: the command being typed (the column a parse
//! error points at underlined), or what the last command did, in at most two lines.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::ui::console::{Console, Feedback};
use crate::ui::{Theme, view};

/// Rows the console line takes: its result may take two.
pub fn console_height(c: &Console, width: u16) -> u16 {
    feedback_lines(c, width).map_or(1, |(_, _, l)| l.len() as u16)
}

/// The console: the line being typed, or what the last command did (`replay`: a replay's
/// console, which only takes a `goto`).
pub fn console_line(c: &Console, replay: bool, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let line = if c.open {
        let mut spans = vec![Span::styled(":", theme.accent)];
        let bad_col = match &c.feedback {
            Feedback::Invalid(e) => Some(e.column),
            _ => None,
        };
        let chars: Vec<char> = c.input().chars().collect();
        let cursor = c.cursor();
        // A line longer than the screen scrolls to keep the cursor in view.
        let scroll = c.scroll(usize::from(area.width).saturating_sub(3));
        for (i, ch) in chars.iter().enumerate().skip(scroll) {
            let style = if bad_col == Some(i) {
                theme
                    .bad
                    .add_modifier(Modifier::UNDERLINED | Modifier::REVERSED)
            } else if i == cursor {
                theme.accent.add_modifier(Modifier::REVERSED)
            } else {
                theme.text
            };
            spans.push(Span::styled(ch.to_string(), style));
        }
        if bad_col.is_some_and(|col| col >= chars.len()) {
            spans.push(Span::styled(
                " ",
                theme.bad.add_modifier(Modifier::REVERSED),
            ));
        }
        if cursor >= chars.len() {
            spans.push(Span::styled("▏", theme.accent));
        }
        Line::from(spans)
    } else if let Some((lead, tone, parts)) = feedback_lines(c, area.width) {
        let (style, text_style) = match tone {
            Tone::Done => (theme.good, theme.text),
            Tone::Warned => (theme.warn, theme.warn),
            Tone::Refused => (theme.bad, theme.text),
        };
        for (i, (part, y)) in parts.iter().zip(area.y..area.bottom()).enumerate() {
            let lead = if i == 0 { lead } else { "  " };
            let line = Line::from(vec![
                Span::styled(lead, style),
                Span::styled(part.clone(), text_style),
            ]);
            buf.set_line(area.x, y, &view::fit(line, area.width), area.width);
        }
        return;
    } else if replay {
        Line::styled(
            "watching a replay: the recording gives the commands, in time with the clock",
            theme.dim,
        )
    } else {
        Line::styled(
            ": type a command — try  drain web-01  (Tab completes, ? lists them)",
            theme.dim,
        )
    };
    let line = view::fit(line, area.width);
    line.render(area, buf);
}

/// How the console line says a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Done,
    Warned,
    Refused,
}

/// What the console line says about the last command (the console closed): its lead
/// (`✔ `, `⚠ ` or `✖ refused: `), its tone, and its text in at most two lines (the log
/// gives up a row for the second).
fn feedback_lines(c: &Console, width: u16) -> Option<(&'static str, Tone, Vec<String>)> {
    let (lead, tone, text) = match &c.feedback {
        _ if c.open => return None,
        Feedback::Done(t) => ("✔ ", Tone::Done, t),
        Feedback::Warned(t) => ("⚠ ", Tone::Warned, t),
        Feedback::Refused(t) => ("✖ refused: ", Tone::Refused, t),
        _ => return None,
    };
    let first_w = usize::from(width).saturating_sub(view::width(lead) + 1);
    let mut parts = view::wrap(text, first_w.max(10));
    if parts.len() > 2 {
        let rest = parts.split_off(1).join(" ");
        parts.push(rest);
    }
    Some((lead, tone, parts))
}
