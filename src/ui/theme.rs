//! Every colour and glyph of the UI, in one place. Meaning never rests on colour alone:
//! each version has a colour AND a glyph, each server state and severity has a glyph, so
//! the light, colour-blind-safe and `NO_COLOR` palettes swap colours, never glyphs.

use ratatui::style::{Color, Modifier, Style};

use crate::sim::{ServerState, Severity, VersionId};

/// Glyphs of the versions, by `VersionId` (cycled past four).
pub const VERSION_GLYPHS: [char; 4] = ['■', '▲', '◆', '●'];
/// CPU heat, from idle to saturated (not `█`, which bars and the title draw: in ASCII the
/// heat becomes a digit and they `#`).
const HEAT: [char; 7] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇'];

/// Which palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    /// Dark terminal background (default).
    #[default]
    Dark,
    /// Light terminal background.
    Light,
    /// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
    ColorBlind,
    /// No colour at all (the `NO_COLOR` convention): glyphs and modifiers only.
    Mono,
}

impl Palette {
    /// The next palette (`T` cycles them).
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Palette::Dark => Palette::Light,
            Palette::Light => Palette::ColorBlind,
            Palette::ColorBlind => Palette::Mono,
            Palette::Mono => Palette::Dark,
        }
    }

    /// Its name, for the footer.
    pub fn name(self) -> &'static str {
        match self {
            Palette::Dark => "dark",
            Palette::Light => "light",
            Palette::ColorBlind => "colour-blind",
            Palette::Mono => "no colour",
        }
    }

    /// Parses `dark`, `light`, `cb`/`colorblind`, `mono`/`none`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "dark" => Some(Palette::Dark),
            "light" => Some(Palette::Light),
            "cb" | "colorblind" | "colourblind" => Some(Palette::ColorBlind),
            "mono" | "none" | "no-color" => Some(Palette::Mono),
            _ => None,
        }
    }
}

/// The resolved styles of one palette.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub palette: Palette,
    pub(super) versions: [Color; 4],
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub accent: Style,
    pub good: Style,
    pub warn: Style,
    pub bad: Style,
    pub selected: Style,
    pub border: Style,
    pub(super) heat: [Color; 4],
    /// The palette's own background, where it needs one to be readable on any terminal
    /// (the light palette's dark text on a dark terminal).
    pub background: Option<Color>,
}

impl Theme {
    /// The styles of `palette`: its built-in theme (`assets/themes/*.ron`).
    pub fn new(palette: Palette) -> Self {
        super::theme_file::builtin(palette)
    }

    /// No colour and no modifier anywhere: where a whole theme file starts.
    pub fn fallback() -> Self {
        let base = Style::new();
        Self {
            palette: Palette::Dark,
            versions: [Color::Reset; 4],
            text: base,
            dim: base,
            title: base,
            accent: base,
            good: base,
            warn: base,
            bad: base,
            selected: base,
            border: base,
            heat: [Color::Reset; 4],
            background: None,
        }
    }

    /// A version's colour.
    pub fn version_color(&self, v: VersionId) -> Color {
        self.versions[v.0 as usize % self.versions.len()]
    }

    /// A version's style (its colour, bold).
    pub fn version(&self, v: VersionId) -> Style {
        Style::new()
            .fg(self.version_color(v))
            .add_modifier(Modifier::BOLD)
    }

    /// A version's glyph.
    pub fn version_glyph(v: VersionId) -> char {
        VERSION_GLYPHS[v.0 as usize % VERSION_GLYPHS.len()]
    }

    /// A server state's glyph. `✓` for in service, so it never reads as a version glyph.
    pub fn state_glyph(state: ServerState) -> char {
        match state {
            ServerState::InService => '✓',
            other => other.glyph(),
        }
    }

    /// A server state's style: good in service, warning in transition, bad when failing.
    pub fn state(&self, state: ServerState) -> Style {
        match state {
            ServerState::InService => self.good,
            ServerState::Failing | ServerState::Crashed | ServerState::Unhealthy => self.bad,
            ServerState::Drained => self.dim,
            _ => self.warn,
        }
    }

    /// A severity's style.
    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Info => self.text,
            Severity::Warn => self.warn,
            Severity::Error => self.bad,
        }
    }

    /// The background of a server cell by CPU (0..1): the heat map.
    pub fn heat_bg(&self, cpu: f64) -> Color {
        let i = if cpu >= 0.95 {
            3
        } else if cpu >= 0.8 {
            2
        } else {
            usize::from(cpu >= 0.6)
        };
        self.heat[i]
    }

    /// A block glyph for CPU (0..1), so heat reads without colour too.
    pub fn heat_glyph(cpu: f64) -> char {
        let i = (cpu.clamp(0.0, 1.0) * (HEAT.len() - 1) as f64).round() as usize;
        HEAT[i.min(HEAT.len() - 1)]
    }

    /// A style for a share of the error budget left (0..100).
    pub fn budget(&self, left_pct: f64) -> Style {
        if left_pct > 50.0 {
            self.good
        } else if left_pct > 20.0 {
            self.warn
        } else {
            self.bad
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_palette_keeps_the_glyphs_and_distinct_version_colours() {
        for p in [Palette::Dark, Palette::Light, Palette::ColorBlind] {
            let t = Theme::new(p);
            let colours: Vec<_> = (0..4).map(|i| t.version_color(VersionId(i))).collect();
            for (i, a) in colours.iter().enumerate() {
                assert!(
                    !colours[i + 1..].contains(a),
                    "{p:?}: version colours repeat"
                );
            }
        }
        assert_eq!(Theme::version_glyph(VersionId(1)), '▲');
        assert_eq!(Theme::version_glyph(VersionId(5)), '▲');
        assert_ne!(Theme::state_glyph(ServerState::InService), '■');
    }

    #[test]
    fn heat_glyph_grows_with_cpu() {
        assert_eq!(Theme::heat_glyph(0.0), '▁');
        assert_eq!(Theme::heat_glyph(0.5), '▄');
        assert_eq!(Theme::heat_glyph(1.0), '▇');
        assert_eq!(Theme::heat_glyph(7.0), '▇');
        assert_eq!(Palette::Dark.next().next().next().next(), Palette::Dark);
    }
}

/// How many colours the terminal shows. Every palette is written in 24-bit colours; on a
/// terminal without them each is drawn as the nearest of the 256 indexed colours (or of
/// the 16 ANSI ones), as bottom and btop do, instead of escape codes the terminal misreads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Ansi256,
    Ansi16,
}

/// The 16 ANSI colours with xterm's values, for the nearest-colour search.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

impl ColorDepth {
    /// Parses `truecolor` (or `24bit`), `256` and `16`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "truecolor" | "24bit" => Some(Self::TrueColor),
            "256" => Some(Self::Ansi256),
            "16" => Some(Self::Ansi16),
            _ => None,
        }
    }

    /// What the environment says the terminal shows: `COLORTERM=truecolor|24bit` (and
    /// terminals known to have it) is 24-bit, a `TERM` ending in `256color` is 256, macOS
    /// Terminal.app is 256, anything else 16.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> Self {
        let colorterm = var("COLORTERM").unwrap_or_default().to_lowercase();
        let term = var("TERM").unwrap_or_default();
        let program = var("TERM_PROGRAM").unwrap_or_default();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return Self::TrueColor;
        }
        if var("WT_SESSION").is_some()
            || matches!(program.as_str(), "iTerm.app" | "WezTerm" | "vscode")
        {
            return Self::TrueColor;
        }
        if term.ends_with("256color") || program == "Apple_Terminal" {
            return Self::Ansi256;
        }
        Self::Ansi16
    }

    /// `color` as this terminal can show it.
    pub fn map(self, color: Color) -> Color {
        match (self, color) {
            (Self::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
            (Self::Ansi16, Color::Rgb(r, g, b)) => nearest_16((r, g, b)),
            (Self::Ansi16, Color::Indexed(i)) => nearest_16(indexed_rgb(i)),
            (_, c) => c,
        }
    }
}

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).unsigned_abs();
    d(a.0, b.0).pow(2) + d(a.1, b.1).pow(2) + d(a.2, b.2).pow(2)
}

fn nearest_16(rgb: (u8, u8, u8)) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, c)| distance(rgb, *c))
        .map_or(Color::Reset, |(c, _)| *c)
}

/// The levels of xterm's 6×6×6 colour cube.
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The RGB value of indexed colour `i` in xterm's palette.
fn indexed_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI16[usize::from(i)].1,
        16..=231 => {
            let n = i - 16;
            (
                CUBE[usize::from(n / 36)],
                CUBE[usize::from(n / 6 % 6)],
                CUBE[usize::from(n % 6)],
            )
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

/// The nearest of the 240 cube and grey entries (16–255) to an RGB colour; the 16 system
/// colours are left out because terminals change them.
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    (16..=255u8)
        .min_by_key(|&i| distance((r, g, b), indexed_rgb(i)))
        .unwrap_or(16)
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    #[test]
    fn detection_follows_colorterm_term_and_known_terminals() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_string())
            }
        };
        assert_eq!(
            ColorDepth::detect(env(&[("COLORTERM", "truecolor"), ("TERM", "xterm")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("COLORTERM", "24bit")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "screen-256color")])),
            ColorDepth::Ansi256
        );
        assert_eq!(
            ColorDepth::detect(env(&[
                ("TERM", "xterm-256color"),
                ("TERM_PROGRAM", "Apple_Terminal")
            ])),
            ColorDepth::Ansi256
        );
        assert_eq!(
            ColorDepth::detect(env(&[("WT_SESSION", "x")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "linux")])),
            ColorDepth::Ansi16
        );
        assert_eq!(ColorDepth::detect(env(&[])), ColorDepth::Ansi16);
    }

    #[test]
    fn colours_map_to_their_nearest_indexed_neighbour() {
        assert_eq!(
            ColorDepth::Ansi256.map(Color::Rgb(255, 0, 0)),
            Color::Indexed(196)
        );
        assert_eq!(
            ColorDepth::Ansi256.map(Color::Rgb(128, 128, 128)),
            Color::Indexed(244)
        );
        assert_eq!(ColorDepth::Ansi256.map(Color::Cyan), Color::Cyan);
        assert_eq!(
            ColorDepth::Ansi16.map(Color::Rgb(250, 250, 245)),
            Color::White
        );
        assert_eq!(ColorDepth::Ansi16.map(Color::Rgb(0, 120, 0)), Color::Green);
        assert_eq!(ColorDepth::Ansi16.map(Color::Indexed(196)), Color::LightRed);
        assert_eq!(
            ColorDepth::TrueColor.map(Color::Rgb(1, 2, 3)),
            Color::Rgb(1, 2, 3)
        );
        assert_eq!(indexed_rgb(231), (255, 255, 255));
        assert_eq!(indexed_rgb(232), (8, 8, 8));
    }
}
