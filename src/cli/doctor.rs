//! `zerodown doctor`: what this terminal will show, checked before a workshop starts, so a
//! laptop that can't draw the game is found in the first minute, not the twentieth.

use std::path::PathBuf;

use super::Look;
use crate::progress::Store;
use crate::ui::{ColorDepth, GlyphMode, MIN_HEIGHT, MIN_WIDTH};

/// What the doctor looks at, gathered once (the environment, the terminal, the save).
pub struct Facts<'a> {
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// The terminal's size, `None` when standard output is not a terminal.
    pub size: Option<(u16, u16)>,
    pub save: Result<PathBuf, String>,
    pub look: Look,
    /// Whether this is Windows (no locale variables; see `GlyphMode::detect`).
    pub windows: bool,
    /// The config folder, and the config files in it that exist.
    pub config: Option<(PathBuf, Vec<&'static str>)>,
}

fn depth_name(d: ColorDepth) -> &'static str {
    match d {
        ColorDepth::TrueColor => "24-bit (truecolor)",
        ColorDepth::Ansi256 => "256 colours",
        ColorDepth::Ansi16 => "16 colours",
    }
}

/// The doctor's report, line by line.
pub fn report(f: &Facts<'_>) -> String {
    let var = f.var;
    let shown =
        |name: &str| var(name).map_or_else(|| format!("{name} unset"), |v| format!("{name}={v}"));
    let mut out = vec!["zerodown doctor: what this terminal will show".to_string()];
    out.push(match f.size {
        Some((w, h)) if w >= MIN_WIDTH && h >= MIN_HEIGHT => {
            format!("terminal size   {w}×{h} · ok (the game needs at least {MIN_WIDTH}×{MIN_HEIGHT})")
        }
        Some((w, h)) => format!(
            "terminal size   {w}×{h} · TOO SMALL: enlarge the window to at least {MIN_WIDTH}×{MIN_HEIGHT}"
        ),
        None => "terminal size   not a terminal (output is redirected): run doctor in the window you will play in".to_string(),
    });
    let detected = ColorDepth::detect(var);
    let (depth, why) = match f.look.colors {
        Some(d) => (d, "--colors".to_string()),
        None => (
            detected,
            format!(
                "{}, {}, {}",
                shown("COLORTERM"),
                shown("TERM"),
                shown("TERM_PROGRAM")
            ),
        ),
    };
    out.push(format!(
        "colour depth    {} (from {why})",
        depth_name(depth)
    ));
    out.push(
        "                if the game's colours look wrong or show stray codes, try --colors 256 or --colors 16"
            .to_string(),
    );
    let glyphs = GlyphMode::detect(var, f.windows);
    out.push(format!(
        "glyphs          {} ({})",
        if glyphs.utf8 {
            "UTF-8: box drawing, symbols and Braille expected to render"
        } else {
            "the locale is not UTF-8: the game draws ASCII (--unicode draws the symbols anyway)"
        },
        glyphs.why
    ));
    out.push("test line       ■ ▲ ◆ ✓ ↻ ✚ ◌ ○ ⊘ ✖ !  ▁▃▅▇  ⣀⣤⣶⣿  ┌─┐│└┘".to_string());
    out.push(
        "                each should be one clear symbol; if some are boxes or ?, play with --ascii;"
            .to_string(),
    );
    out.push("                if only the last group (Braille) is, with --dots".to_string());
    out.push(match &f.save {
        Ok(p) => format!("progress saved  {}", p.display()),
        Err(e) => format!("progress saved  nowhere: {e} (set ZERODOWN_HOME to a folder)"),
    });
    out.push(match &f.config {
        _ if f.look.no_config => "config          not read (--no-config)".to_string(),
        None => "config          no config folder on this system (set ZERODOWN_CONFIG)".to_string(),
        Some((dir, files)) if files.is_empty() => format!(
            "config          {}: no files (zerodown config --write makes them)",
            dir.display()
        ),
        Some((dir, files)) => format!(
            "config          {}: {} (zerodown config checks them)",
            dir.display(),
            files.join(", ")
        ),
    });
    let theme = f.look.theme.map_or_else(
        || {
            if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                "mono (NO_COLOR)".to_string()
            } else {
                "dark".to_string()
            }
        },
        |p| p.name().to_string(),
    );
    let glyph_mode = match f.look.glyphs {
        Some(GlyphMode::Ascii) => "ASCII glyphs (--ascii)",
        Some(GlyphMode::Unicode) => "Unicode glyphs (--unicode)",
        None if glyphs.mode == GlyphMode::Ascii => "ASCII glyphs (the locale)",
        None => "Unicode glyphs",
    };
    let ascii = f.look.glyphs.unwrap_or(glyphs.mode) == GlyphMode::Ascii;
    let charts = match (f.look.dots, ascii) {
        (true, false) => "dots (--dots)",
        (true, true) => "ASCII dots (--dots)",
        (false, false) => "Braille",
        (false, true) => "ASCII ' . : |",
    };
    out.push(format!(
        "the game will   theme {theme} · charts {charts} · {glyph_mode} · {}",
        depth_name(depth)
    ));
    out.push(
        "                change with --theme, --dots, --ascii or --unicode, --colors".to_string(),
    );
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Prints the report for this terminal. Always succeeds: it only looks.
pub fn run(look: Look) -> std::process::ExitCode {
    use std::io::IsTerminal as _;
    let var = |k: &str| std::env::var(k).ok();
    let size = std::io::stdout()
        .is_terminal()
        .then(|| ratatui::crossterm::terminal::size().ok())
        .flatten();
    let save = Store::locate().map(|s| s.path()).map_err(|e| e.to_string());
    let facts = Facts {
        var: &var,
        size,
        save,
        look,
        windows: cfg!(windows),
        config: crate::config::dir().map(|d| {
            let files = crate::config::FILES
                .into_iter()
                .filter(|name| d.join(name).exists())
                .collect();
            (d, files)
        }),
    };
    say!("{}", report(&facts).trim_end());
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::Palette;

    fn facts(
        var: &dyn Fn(&str) -> Option<String>,
        size: Option<(u16, u16)>,
        look: Look,
    ) -> Facts<'_> {
        Facts {
            var,
            size,
            save: Ok(PathBuf::from(
                "/home/ada/.local/share/zerodown/progress.json",
            )),
            look,
            windows: false,
            config: Some((
                PathBuf::from("/home/ada/.config/zerodown"),
                vec!["keys.ron"],
            )),
        }
    }

    #[test]
    fn a_workshop_laptop_is_described_line_by_line() {
        let env = |k: &str| match k {
            "TERM" => Some("xterm-256color".to_string()),
            "LANG" => Some("en_GB.UTF-8".to_string()),
            _ => None,
        };
        let text = report(&facts(&env, Some((120, 40)), Look::default()));
        assert!(text.contains("terminal size   120×40 · ok"), "{text}");
        assert!(text.contains("colour depth    256 colours (from COLORTERM unset, TERM=xterm-256color, TERM_PROGRAM unset)"), "{text}");
        assert!(
            text.contains(
                "UTF-8: box drawing, symbols and Braille expected to render (LANG=en_GB.UTF-8)"
            ),
            "{text}"
        );
        assert!(
            text.contains("progress saved  /home/ada/.local/share/zerodown/progress.json"),
            "{text}"
        );
        assert!(
            text.contains(
                "config          /home/ada/.config/zerodown: keys.ron (zerodown config checks them)"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "the game will   theme dark · charts Braille · Unicode glyphs · 256 colours"
            ),
            "{text}"
        );
    }

    #[test]
    fn problems_are_named_with_what_to_do() {
        let env = |k: &str| match k {
            "LC_ALL" => Some("C".to_string()),
            "LANG" => Some("en_US.UTF-8".to_string()),
            "NO_COLOR" => Some("1".to_string()),
            _ => None,
        };
        let look = Look {
            theme: None,
            dots: true,
            colors: Some(ColorDepth::Ansi16),
            glyphs: None,
            no_config: false,
        };
        let text = report(&facts(&env, Some((79, 24)), look));
        assert!(
            text.contains("79×24 · TOO SMALL: enlarge the window to at least 80×24"),
            "{text}"
        );
        assert!(
            text.contains("the locale is not UTF-8: the game draws ASCII")
                && text.contains("(LC_ALL=C)"),
            "{text}"
        );
        assert!(
            text.contains("colour depth    16 colours (from --colors)"),
            "{text}"
        );
        assert!(
            text.contains(
                "theme mono (NO_COLOR) · charts ASCII dots (--dots) · ASCII glyphs (the locale) · 16 colours"
            ),
            "{text}"
        );
        let piped = report(&facts(
            &env,
            None,
            Look {
                theme: Some(Palette::Light),
                glyphs: Some(GlyphMode::Unicode),
                ..Look::default()
            },
        ));
        assert!(piped.contains("not a terminal"), "{piped}");
        assert!(piped.contains("theme light"), "{piped}");
        assert!(piped.contains("Unicode glyphs (--unicode)"), "{piped}");
    }
}
