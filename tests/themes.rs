//! Themes are data (`assets/themes/*.ron`, embedded): every built-in theme reads whole, and a
//! player's theme file — a built-in one with changes, or a whole theme — is read like a
//! mission: mistakes at `file:line:col`.

use ratatui::style::{Color, Modifier};
use zerodown::ui::theme_file::{builtin_sources, read};
use zerodown::ui::{Palette, Theme};

#[test]
fn every_built_in_theme_is_a_whole_theme() {
    let names: Vec<&str> = builtin_sources().map(|(n, _)| n).collect();
    assert_eq!(names, ["dark", "light", "cb", "mono"]);
    for (name, source) in builtin_sources() {
        assert!(!source.contains("base:"), "{name} stands on its own");
        read(source, name).unwrap_or_else(|e| panic!("{e}"));
    }
    let dark = Theme::new(Palette::Dark);
    assert_eq!(dark.bad.fg, Some(Color::LightRed));
    assert!(dark.bad.add_modifier.contains(Modifier::BOLD));
    assert_eq!(
        Theme::new(Palette::Light).background,
        Some(Color::Rgb(250, 250, 245))
    );
    assert_eq!(Theme::new(Palette::Mono).palette, Palette::Mono);
}

#[test]
fn a_player_theme_changes_a_built_in_one() {
    let theme = read(
        "Theme(\n    base: \"dark\",\n    bad: (fg: \"#ff0000\", underlined: true),\n)\n",
        "theme.ron",
    )
    .expect("a theme");
    assert_eq!(theme.bad.fg, Some(Color::Rgb(255, 0, 0)));
    assert!(theme.bad.add_modifier.contains(Modifier::UNDERLINED));
    assert_eq!(
        theme.dim,
        Theme::new(Palette::Dark).dim,
        "the rest is dark's"
    );
}

#[test]
fn theme_mistakes_are_placed_at_file_line_col() {
    let cases = [
        (
            "Theme(\n    base: \"dark\",\n    bad: (fg: \"redish\"),\n)\n",
            "theme.ron:3:",
            "`redish` is not a colour",
        ),
        (
            "Theme(\n    base: \"darkest\",\n)\n",
            "theme.ron:2:",
            "no built-in theme `darkest`",
        ),
        (
            "Theme(\n    base: \"dark\",\n    badd: (),\n)\n",
            "theme.ron:3:",
            "badd",
        ),
        (
            "Theme(\n    bad: (fg: \"red\"),\n)\n",
            "theme.ron:1:",
            "missing: versions",
        ),
        (
            "Theme(\n    base: \"dark\",\n    versions: [\"red\"],\n)\n",
            "theme.ron:3:",
            "takes 4 colours",
        ),
    ];
    for (source, at, says) in cases {
        let e = read(source, "theme.ron").expect_err(source).to_string();
        assert!(e.starts_with(at) && e.contains(says), "{source}\n→ {e}");
    }
}

#[test]
fn the_glossary_is_content_read_from_assets() {
    let glossary = zerodown::ui::glossary();
    assert!(glossary.len() >= 10);
    assert!(glossary.iter().any(|(term, _)| term == "drain"));
    assert!(
        glossary
            .iter()
            .all(|(t, w)| !t.trim().is_empty() && !w.trim().is_empty())
    );
}
