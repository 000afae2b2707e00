//! Glyph mode: Unicode (symbols, box drawing, Braille) or plain ASCII for a font or console
//! that lacks them. Screens always draw Unicode; in ASCII mode one pass over the drawn buffer
//! swaps every symbol through [`ascii`], as the colour depth is mapped, so no screen can
//! forget. The table keeps meaning without colour: versions `# ^ * @`, server states in
//! letters (`+` in service), CPU heat as a digit (tenths), Braille charts in `' . : |`, box drawing in `+ - |`.
//! Knows nothing of the game: only characters.

use ratatui::buffer::Buffer;

/// Which characters the screen may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GlyphMode {
    /// Symbols, box drawing and Braille (a UTF-8 locale and a font that has them).
    #[default]
    Unicode,
    /// ASCII only (`--ascii`, or a locale that is not UTF-8).
    Ascii,
}

/// What decided the glyph mode, for `zerodown doctor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlyphChoice {
    pub mode: GlyphMode,
    /// Whether the locale says UTF-8.
    pub utf8: bool,
    /// The variable that decided it (`LANG=en_GB.UTF-8`), or why none did.
    pub why: String,
}

impl GlyphMode {
    /// Its name, for the doctor and the flags' help.
    pub fn name(self) -> &'static str {
        match self {
            GlyphMode::Unicode => "Unicode",
            GlyphMode::Ascii => "ASCII",
        }
    }

    /// The mode this environment asks for: Unicode when the locale is UTF-8 (`LC_ALL`, then
    /// `LC_CTYPE`, then `LANG`, the first one set, as C does). With none set, Unicode only in
    /// Windows Terminal (`WT_SESSION`) when `windows`: Windows sets no locale variables, and
    /// its legacy console lacks most of the symbols. The one place that decides it: the game
    /// and `zerodown doctor` both ask here.
    pub fn detect(var: &dyn Fn(&str) -> Option<String>, windows: bool) -> GlyphChoice {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .into_iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()).map(|v| (name, v)));
        let (utf8, why) = match locale {
            Some((name, v)) => {
                let lower = v.to_lowercase();
                (
                    lower.contains("utf-8") || lower.contains("utf8"),
                    format!("{name}={v}"),
                )
            }
            None if windows && var("WT_SESSION").is_some() => {
                (true, "Windows Terminal (WT_SESSION)".to_string())
            }
            None => (false, "no LC_ALL, LC_CTYPE or LANG".to_string()),
        };
        let mode = if utf8 {
            GlyphMode::Unicode
        } else {
            GlyphMode::Ascii
        };
        GlyphChoice { mode, utf8, why }
    }
}

/// Swaps every cell's symbol in `buf` for its ASCII stand-in (`?` for one the table lacks;
/// tests keep the table complete for what the game draws).
pub fn to_ascii(buf: &mut Buffer) {
    for cell in &mut buf.content {
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        let c = symbol.chars().next().and_then(ascii).unwrap_or('?');
        cell.set_char(c);
    }
}

/// The ASCII stand-in of a character the game draws (`None`: not in the table).
pub fn ascii(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    symbol(c)
        .or_else(|| heat(c))
        .or_else(|| box_drawing(c))
        .or_else(|| braille(c))
}

/// Symbols and letters, each group of characters with its stand-in. Several groups may
/// share one: the screen around a symbol tells a version `*` from a star.
const TABLE: &[(&str, char)] = &[
    // Versions.
    ("■", '#'),
    ("▲", '^'),
    ("◆", '*'),
    ("●", '@'),
    // Server states (the legend names each), also the log's event marks; ✔ met, ✖ failed.
    ("✓✔", '+'),
    ("⊘", 'f'),
    ("✚", 'h'),
    ("◌", 'd'),
    ("○", 'o'),
    ("↻", 'u'),
    ("✖✗", 'X'),
    // Guards, mirrors and partial marks, alerts, pause, rollback, switch, weights,
    // database, delete, sessions, the drill's timer, a locked mission.
    ("◉", 'O'),
    ("◐", '~'),
    ("⚠", '!'),
    ("⏸⏹", '|'),
    ("↶↩", '<'),
    ("⇄↔⚖⛁", '='),
    ("✂", '-'),
    ("⚙", '%'),
    ("⏱", 'T'),
    ("🔒", '-'),
    // Stars, pointers, arrows, keys.
    ("★", '*'),
    ("☆", '.'),
    ("▶▸⏵⏩»→", '>'),
    ("◀←⌫", '<'),
    ("↑", '^'),
    ("↓", 'v'),
    // Bars, the ghost line, the text cursor, the title's block letters, dots.
    ("█▰▓", '#'),
    ("░▱", '.'),
    ("▒", ':'),
    ("▏▎▍▌", '|'),
    ("•·", '.'),
    // Punctuation, maths and accented letters in the game's text.
    ("—–−‐", '-'),
    ("…", '.'),
    ("×", 'x'),
    ("÷", '/'),
    ("≤", '<'),
    ("≥", '>'),
    ("≈±≠", '~'),
    ("‘’", '\''),
    ("“”", '"'),
    ("§", 'S'),
    ("éèêë", 'e'),
    ("áàâäå", 'a'),
    ("óòôöø", 'o'),
    ("úùûü", 'u'),
    ("íìîï", 'i'),
    ("ç", 'c'),
    ("ñ", 'n'),
];

/// A character of [`TABLE`].
fn symbol(c: char) -> Option<char> {
    TABLE
        .iter()
        .find(|(from, _)| from.contains(c))
        .map(|&(_, to)| to)
}

/// CPU heat `▁`…`▇` (level `i` of 7 is CPU near `i/6`) as that CPU in tenths, 9 at most.
fn heat(c: char) -> Option<char> {
    let i = ['▁', '▂', '▃', '▄', '▅', '▆', '▇']
        .iter()
        .position(|&h| h == c)?;
    char::from_digit(((i as u32 * 10 + 3) / 6).min(9), 10)
}

/// Lines and corners (U+2500–U+257F): `-`, `|`, and `+` for anything that joins.
fn box_drawing(c: char) -> Option<char> {
    Some(match c {
        '─' | '━' | '┄' | '┅' | '┈' | '┉' | '═' | '╌' | '╍' | '╴' | '╶' | '╸' | '╺' => {
            '-'
        }
        '│' | '┃' | '┆' | '┇' | '┊' | '┋' | '║' | '╎' | '╏' | '╵' | '╷' | '╹' | '╻' => {
            '|'
        }
        '\u{2500}'..='\u{257F}' => '+',
        _ => return None,
    })
}

/// A Braille cell (2×4 dots) by the rows it fills: one row `'` (top half) or `.`, two `:`,
/// three or four `|`.
fn braille(c: char) -> Option<char> {
    let dots = u32::from(c).checked_sub(0x2800).filter(|&d| d <= 0xFF)?;
    // Dots 1 4 | 2 5 | 3 6 | 7 8, by row, top to bottom.
    let rows = [0x09, 0x12, 0x24, 0xC0].map(|mask| dots & mask != 0);
    Some(match rows.iter().filter(|&&r| r).count() {
        0 => ' ',
        1 if rows[0] || rows[1] => '\'',
        1 => '.',
        2 => ':',
        _ => '|',
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_string())
        }
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        let utf8 = GlyphMode::detect(&env(&[("LANG", "en_GB.UTF-8")]), false);
        assert_eq!(utf8.mode, GlyphMode::Unicode);
        assert_eq!(utf8.why, "LANG=en_GB.UTF-8");
        let c = GlyphMode::detect(&env(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")]), false);
        assert_eq!((c.mode, c.why.as_str()), (GlyphMode::Ascii, "LC_ALL=C"));
        let ctype = GlyphMode::detect(&env(&[("LC_ALL", ""), ("LC_CTYPE", "de_DE.utf8")]), false);
        assert_eq!(ctype.mode, GlyphMode::Unicode);
        assert_eq!(GlyphMode::detect(&env(&[]), false).mode, GlyphMode::Ascii);
    }

    #[test]
    fn windows_without_a_locale_trusts_windows_terminal_only() {
        let wt = GlyphMode::detect(&env(&[("WT_SESSION", "abc")]), true);
        assert_eq!(wt.mode, GlyphMode::Unicode);
        assert_eq!(GlyphMode::detect(&env(&[]), true).mode, GlyphMode::Ascii);
        // WT_SESSION is no reason on a Unix machine (it leaks into WSL's shells).
        assert_eq!(
            GlyphMode::detect(&env(&[("WT_SESSION", "abc")]), false).mode,
            GlyphMode::Ascii
        );
    }

    #[test]
    fn versions_states_and_heat_stay_apart() {
        let versions: Vec<_> = "■▲◆●".chars().filter_map(ascii).collect();
        assert_eq!(versions, ['#', '^', '*', '@']);
        let states: Vec<_> = "✓⊘✚!◌○↻✖".chars().filter_map(ascii).collect();
        assert_eq!(states, ['+', 'f', 'h', '!', 'd', 'o', 'u', 'X']);
        let heat: String = "▁▂▃▄▅▆▇".chars().filter_map(ascii).collect();
        assert_eq!(heat, "0235789");
        for s in &states {
            assert!(!versions.contains(s) && !s.is_ascii_digit(), "{s}");
        }
    }

    #[test]
    fn braille_reads_by_the_rows_it_fills() {
        assert_eq!(ascii('\u{2800}'), Some(' '));
        assert_eq!(ascii('⠁'), Some('\''));
        assert_eq!(ascii('⣀'), Some('.'));
        assert_eq!(ascii('⠤'), Some('.'));
        assert_eq!(ascii('⡄'), Some(':'));
        assert_eq!(ascii('⣿'), Some('|'));
    }

    #[test]
    fn the_pass_leaves_only_ascii() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 3));
        buf.set_string(0, 0, "┌─ ■ v1 ─┐", ratatui::style::Style::new());
        buf.set_string(0, 1, "│✓▇ ⣿ 漢│", ratatui::style::Style::new());
        to_ascii(&mut buf);
        assert_eq!(
            buf,
            Buffer::with_lines(["+- # v1 -+  ", "|+9 | ? |   ", "            "])
        );
    }
}
