//! Text from outside (file names, report and save fields, error messages that quote them)
//! made safe to print on a terminal, in a Markdown page or a CSV cell. Owns no I/O.
//!
//! A control character is a terminal escape or a line break (a file name with `\n` adds a
//! fake row to the scoreboard and a heading to its Markdown); a bidi override or isolate
//! (U+202A–202E, U+2066–2069) makes the text read in another order than it is stored. All
//! of them become `?`. The scoreboard, replays and saved progress use these, and nothing
//! else, to print what a file said; the command language quotes what was typed with `shown`
//! too.

/// Longest piece of a file's text quoted in a message.
const MAX_SHOWN: usize = 60;

/// Whether `c` must not reach a terminal: a control character, or a bidi override or
/// isolate.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` on one line, safe to print whole: controls (line breaks too) and bidi controls
/// become `?`.
pub fn defused(text: &str) -> String {
    text.chars()
        .map(|c| if is_unsafe(c) { '?' } else { c })
        .collect()
}

/// A message of ours that may span lines, quoting text from a file: like `defused`, but its
/// line breaks stay. Quote a file's text with `defused` or `shown` first: this keeps a line
/// break that came from the file.
pub fn defused_lines(text: &str) -> String {
    text.split('\n').map(defused).collect::<Vec<_>>().join("\n")
}

/// `defused`, and cut after 60 characters (`…`): a file's text quoted in a message.
pub fn shown(text: &str) -> String {
    let mut s = defused(&text.chars().take(MAX_SHOWN).collect::<String>());
    if text.chars().nth(MAX_SHOWN).is_some() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_line_breaks_and_bidi_controls_become_question_marks() {
        assert_eq!(defused("\u{1b}[2Jowned"), "?[2Jowned");
        assert_eq!(defused("alice\n| 1 | mallory |"), "alice?| 1 | mallory |");
        assert_eq!(defused("a\r\tb\u{7f}\u{9b}"), "a??b??");
        assert_eq!(defused("evil\u{202e}gpj.json"), "evil?gpj.json");
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{2066}', '\u{2069}',
        ] {
            assert_eq!(defused(&format!("x{c}y")), "x?y", "{c:?}");
        }
        assert_eq!(defused("café ★ 漢字"), "café ★ 漢字");
    }

    #[test]
    fn messages_keep_their_own_lines_and_quotes_are_cut() {
        assert_eq!(defused_lines("one\u{1b}\ntwo\r"), "one?\ntwo?");
        assert_eq!(shown(&"x".repeat(61)), format!("{}…", "x".repeat(60)));
        assert_eq!(shown("a\nb"), "a?b");
    }
}
