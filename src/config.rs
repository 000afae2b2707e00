//! The player's configuration: `config.ron` (default speed, charts, mouse, theme),
//! `theme.ron` (a theme, or a built-in one with changes) and `keys.ron` (rebound keys), in
//! the platform's config folder (`~/.config/zerodown` on Linux) or `$ZERODOWN_CONFIG`.
//!
//! A broken file never stops the game: its problems (at `file:line:col`, read like a
//! mission) become a warning on the title screen, the defaults are used for that file, and
//! the file is left as it is. `--no-config` reads none of them.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ui::keymap::Rebinding;
use crate::ui::{Palette, Theme};

/// The variable that names another config folder.
pub const CONFIG_ENV: &str = "ZERODOWN_CONFIG";
/// The files, in the order they are listed.
pub const FILES: [&str; 3] = ["config.ron", "theme.ron", "keys.ron"];
/// The most a config file may take.
const MAX_BYTES: u64 = 256 * 1024;

/// `config.ron`: every field optional; the flags win over it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename = "Config", deny_unknown_fields)]
pub struct ConfigFile {
    /// The clock speed a mission starts at: 1, 2, 5, 10, 30, 60 or 120.
    pub speed: Option<u32>,
    /// `braille` or `dots`.
    pub charts: Option<String>,
    /// Whether the game takes the mouse (clicks on servers and panels).
    pub mouse: Option<bool>,
    /// `dark`, `light`, `cb` or `mono`.
    pub theme: Option<String>,
}

/// What the configuration folder gave, and what went wrong reading it.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: ConfigFile,
    /// A theme of the player's (`theme.ron`), replacing the built-in one it names as its
    /// base (or the dark one).
    pub theme: Option<Theme>,
    pub keys: Vec<Rebinding>,
    /// One line per broken file, for the title screen.
    pub warnings: Vec<String>,
}

/// The folder: `$ZERODOWN_CONFIG`, or the platform's config folder for zerodown.
pub fn dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "zerodown").map(|d| d.config_dir().to_path_buf())
}

/// Reads the three files of `dir` that exist.
pub fn load(dir: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    let mut read = |name: &str| -> Option<(String, String)> {
        let path = dir.join(name);
        if !path.exists() {
            return None;
        }
        let file = path.display().to_string();
        match crate::textfile::read_text(&path, MAX_BYTES) {
            Ok(text) => Some((text, file)),
            Err(e) => {
                loaded.warnings.push(format!("{file}: {e}"));
                None
            }
        }
    };
    let [config, theme, keys] = FILES.map(&mut read);
    if let Some((text, file)) = config {
        match read_config(&text, &file) {
            Ok(c) => loaded.config = c,
            Err(e) => loaded.warnings.push(e),
        }
    }
    if let Some((text, file)) = theme {
        match crate::ui::theme_file::read(&text, &file) {
            Ok(t) => loaded.theme = Some(t),
            Err(e) => loaded.warnings.push(e.to_string()),
        }
    }
    if let Some((text, file)) = keys {
        match crate::ui::keymap::read_rebindings(&text, &file) {
            Ok(k) => loaded.keys = k,
            Err(e) => loaded.warnings.push(e),
        }
    }
    loaded
}

/// Reads `config.ron`'s text.
///
/// # Errors
/// A RON mistake, an unknown field or a value out of range, at `file:line:col`.
pub fn read_config(source: &str, file: &str) -> Result<ConfigFile, String> {
    use crate::mission::{FieldPath, Problem, SourceMap};
    let source = &*crate::textfile::unix_newlines(source);
    let c: ConfigFile = crate::mission::parse_ron(source, file).map_err(|e| e.to_string())?;
    let map = SourceMap::new(source);
    let at = |field: &'static str, msg: String| {
        Problem::at(file, map.locate(&FieldPath::root().field(field)), msg).to_string()
    };
    if let Some(s) = c.speed
        && !crate::ui::game::SPEEDS.contains(&s)
    {
        return Err(at(
            "speed",
            format!("speed {s}: one of {:?}", crate::ui::game::SPEEDS),
        ));
    }
    if let Some(charts) = &c.charts
        && !matches!(charts.as_str(), "braille" | "dots")
    {
        return Err(at(
            "charts",
            format!("charts `{}`: braille or dots", crate::defuse::shown(charts)),
        ));
    }
    if let Some(theme) = &c.theme
        && Palette::from_name(theme).is_none()
    {
        return Err(at(
            "theme",
            format!(
                "theme `{}`: dark, light, cb or mono",
                crate::defuse::shown(theme)
            ),
        ));
    }
    Ok(c)
}

/// The default files, commented, for `zerodown config --print-defaults`: (name, text).
pub fn defaults() -> [(&'static str, String); 3] {
    let [config, theme, keys] = FILES;
    [
        (config, DEFAULT_CONFIG.to_string()),
        (theme, DEFAULT_THEME.to_string()),
        (keys, crate::ui::keymap::default_keys_file()),
    ]
}

const DEFAULT_CONFIG: &str = r#"// zerodown's settings. Every line is optional; a flag on the command line wins.
Config(
    // The clock speed a mission starts at: 1, 2, 5, 10, 30, 60 or 120.
    speed: 1,
    // Charts in "braille" (finer) or "dots" (for fonts without Braille).
    charts: "braille",
    // Whether the game takes the mouse (click a server, a panel).
    mouse: true,
    // dark, light, cb (colour-blind safe) or mono. theme.ron, if present, changes it.
    theme: "dark",
)
"#;

const DEFAULT_THEME: &str = r##"// Your theme: a built-in one (dark, light, cb, mono) with the changes you list. Without
// `base`, give every field (see assets/themes/dark.ron). Colours: a name (red, lightblue,
// darkgray…), "reset", "#rrggbb" or 0-255; a style: (fg, bg, bold, dim, italic,
// underlined, reversed).
Theme(
    base: "dark",
    // bad: (fg: "#ff5555", bold: true),
    // versions: ["cyan", "magenta", "yellow", "lightgreen"],
)
"##;
