//! Themes as data: the built-in palettes are `assets/themes/*.ron` (embedded in the binary),
//! and a player's `theme.ron` is a whole theme or a built-in one with changes (`base:
//! "dark"`). Both are read like missions: a RON mistake or a colour that does not exist is
//! a problem at `file:line:col`.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use super::theme::{Palette, Theme};
use crate::mission::{FieldPath, MissionError, Problem, SourceMap};

/// The built-in themes' sources, by palette.
const BUILTIN: [(Palette, &str, &str); 4] = [
    (
        Palette::Dark,
        "dark",
        include_str!("../../assets/themes/dark.ron"),
    ),
    (
        Palette::Light,
        "light",
        include_str!("../../assets/themes/light.ron"),
    ),
    (
        Palette::ColorBlind,
        "cb",
        include_str!("../../assets/themes/cb.ron"),
    ),
    (
        Palette::Mono,
        "mono",
        include_str!("../../assets/themes/mono.ron"),
    ),
];

/// A theme file: every field optional, so a player's file may change only a few.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename = "Theme", deny_unknown_fields)]
pub struct ThemeFile {
    /// The built-in theme this one changes (`dark`, `light`, `cb`, `mono`).
    pub base: Option<String>,
    /// Four colours, one per version (v1, v2, v3, v4, then again).
    pub versions: Option<Vec<String>>,
    pub text: Option<StyleSpec>,
    pub dim: Option<StyleSpec>,
    pub title: Option<StyleSpec>,
    pub accent: Option<StyleSpec>,
    pub good: Option<StyleSpec>,
    pub warn: Option<StyleSpec>,
    pub bad: Option<StyleSpec>,
    pub selected: Option<StyleSpec>,
    pub border: Option<StyleSpec>,
    /// Four colours behind a server's cell: idle, warm, hot, saturated.
    pub heat: Option<Vec<String>>,
    pub background: Option<String>,
}

/// A style: colours by name, `#rrggbb` or index, and modifiers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StyleSpec {
    pub fg: Option<String>,
    pub bg: Option<String>,
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underlined: bool,
    pub reversed: bool,
}

/// A colour's problem, at its field.
struct Issue {
    path: FieldPath,
    message: String,
}

fn color(text: &str, path: &FieldPath, issues: &mut Vec<Issue>) -> Color {
    text.parse::<Color>().unwrap_or_else(|_| {
        issues.push(Issue {
            path: path.clone(),
            message: format!(
                "`{}` is not a colour: a name (red, lightblue, darkgray…), \"reset\", \"#rrggbb\" or 0-255",
                crate::defuse::shown(text)
            ),
        });
        Color::Reset
    })
}

impl StyleSpec {
    fn style(&self, path: &FieldPath, issues: &mut Vec<Issue>) -> Style {
        let mut style = Style::new();
        if let Some(fg) = &self.fg {
            style = style.fg(color(fg, &path.field("fg"), issues));
        }
        if let Some(bg) = &self.bg {
            style = style.bg(color(bg, &path.field("bg"), issues));
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
        ] {
            if on {
                style = style.add_modifier(m);
            }
        }
        style
    }
}

impl ThemeFile {
    /// `theme` with this file's changes; the problems of the colours that don't exist.
    fn apply(&self, mut theme: Theme, issues: &mut Vec<Issue>) -> Theme {
        let root = FieldPath::root();
        let colors = |list: &[String], name: &'static str, issues: &mut Vec<Issue>| {
            let mut out = [Color::Reset; 4];
            if list.len() != 4 {
                issues.push(Issue {
                    path: root.field(name),
                    message: format!("`{name}` takes 4 colours, not {}", list.len()),
                });
            }
            for (i, c) in list.iter().take(4).enumerate() {
                out[i] = color(c, &root.field(name).index(i), issues);
            }
            out
        };
        if let Some(v) = &self.versions {
            theme.versions = colors(v, "versions", issues);
        }
        if let Some(h) = &self.heat {
            theme.heat = colors(h, "heat", issues);
        }
        if let Some(bg) = &self.background {
            theme.background = match color(bg, &root.field("background"), issues) {
                Color::Reset => None,
                c => Some(c),
            };
        }
        let styles: [(&Option<StyleSpec>, &'static str, &mut Style); 9] = [
            (&self.text, "text", &mut theme.text),
            (&self.dim, "dim", &mut theme.dim),
            (&self.title, "title", &mut theme.title),
            (&self.accent, "accent", &mut theme.accent),
            (&self.good, "good", &mut theme.good),
            (&self.warn, "warn", &mut theme.warn),
            (&self.bad, "bad", &mut theme.bad),
            (&self.selected, "selected", &mut theme.selected),
            (&self.border, "border", &mut theme.border),
        ];
        for (spec, name, slot) in styles {
            if let Some(spec) = spec {
                *slot = spec.style(&root.field(name), issues);
            }
        }
        theme
    }

    /// The fields a whole theme must give and this one doesn't.
    fn missing(&self) -> Vec<&'static str> {
        let given = [
            ("versions", self.versions.is_some()),
            ("text", self.text.is_some()),
            ("dim", self.dim.is_some()),
            ("title", self.title.is_some()),
            ("accent", self.accent.is_some()),
            ("good", self.good.is_some()),
            ("warn", self.warn.is_some()),
            ("bad", self.bad.is_some()),
            ("selected", self.selected.is_some()),
            ("border", self.border.is_some()),
            ("heat", self.heat.is_some()),
            ("background", self.background.is_some()),
        ];
        given.iter().filter(|(_, g)| !g).map(|(n, _)| *n).collect()
    }
}

/// Reads a theme file's text: a built-in theme changed by it (`base`), or a whole theme.
///
/// # Errors
/// A RON mistake, an unknown field or base, a colour that does not exist, or a theme
/// without a base that leaves fields out; each at `file:line:col`.
pub fn read(source: &str, file: &str) -> Result<Theme, MissionError> {
    let source = &*crate::textfile::unix_newlines(source);
    let spec: ThemeFile = crate::mission::parse_ron(source, file)?;
    let map = SourceMap::new(source);
    let at = |path: &FieldPath, message: String| Problem::at(file, map.locate(path), message);
    let start = if let Some(name) = spec.base.as_deref() {
        let Some(p) = Palette::from_name(name) else {
            return Err(MissionError::from(vec![at(
                &FieldPath::root().field("base"),
                format!(
                    "no built-in theme `{}`: dark, light, cb or mono",
                    crate::defuse::shown(name)
                ),
            )]));
        };
        builtin(p)
    } else {
        let missing = spec.missing();
        if !missing.is_empty() {
            return Err(MissionError::from(vec![at(
                &FieldPath::root(),
                format!(
                    "a theme without `base` gives every field; missing: {} (or start from one: `base: \"dark\"`)",
                    missing.join(", ")
                ),
            )]));
        }
        Theme::fallback()
    };
    let mut issues = Vec::new();
    let theme = spec.apply(start, &mut issues);
    if issues.is_empty() {
        Ok(theme)
    } else {
        Err(MissionError::from(
            issues
                .into_iter()
                .map(|i| at(&i.path, i.message))
                .collect::<Vec<_>>(),
        ))
    }
}

/// A built-in theme, parsed once.
pub fn builtin(palette: Palette) -> Theme {
    static THEMES: std::sync::LazyLock<Vec<(Palette, Theme)>> = std::sync::LazyLock::new(|| {
        BUILTIN
            .iter()
            .map(|(p, name, source)| {
                let theme = read(source, &format!("assets/themes/{name}.ron"))
                    // tests/themes.rs reads every built-in theme: this cannot fail.
                    .unwrap_or_else(|e| panic!("a built-in theme does not load: {e}"));
                (
                    *p,
                    Theme {
                        palette: *p,
                        ..theme
                    },
                )
            })
            .collect()
    });
    THEMES
        .iter()
        .find(|(p, _)| *p == palette)
        .map_or_else(Theme::fallback, |(_, t)| *t)
}

/// The built-in themes' (name, source), for `config --print-defaults` and the tests.
pub fn builtin_sources() -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTIN.iter().map(|(_, name, source)| (*name, *source))
}
