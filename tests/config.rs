//! The player's config files (`config.ron`, `theme.ron`, `keys.ron` in `$ZERODOWN_CONFIG`):
//! the defaults `config --print-defaults` writes read back clean; mistakes are placed at
//! `file:line:col` and leave the file untouched; rebound keys replace the defaults in the
//! one key table the footer and help read.

mod common;

use std::process::Command;

use common::TempDir;
use ratatui::crossterm::event::KeyCode;
use zerodown::config::{defaults, read_config};
use zerodown::ui::keymap::{Ctx, KEYMAP, apply, read_rebindings};
use zerodown::ui::{Action, theme_file};

fn zerodown_with(config: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(args)
        .env("ZERODOWN_CONFIG", config)
        .output()
        .expect("run zerodown")
}

#[test]
fn the_default_files_read_back_clean() {
    for (name, text) in defaults() {
        let ok = match name {
            "config.ron" => read_config(&text, name).map(|_| ()),
            "theme.ron" => theme_file::read(&text, name)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            _ => read_rebindings(&text, name).map(|_| ()),
        };
        assert!(ok.is_ok(), "{name}: {ok:?}");
    }
    let keys = &defaults()[2].1;
    assert!(
        keys.contains("// Play         AskQuit          q"),
        "{keys}"
    );
}

#[test]
fn config_mistakes_are_placed() {
    let e = read_config("Config(\n    speed: 7,\n)\n", "config.ron").expect_err("speed 7");
    assert!(
        e.starts_with("config.ron:2:") && e.contains("speed 7"),
        "{e}"
    );
    let e = read_config("Config(\n    colour: 1,\n)\n", "config.ron").expect_err("unknown");
    assert!(e.starts_with("config.ron:2:"), "{e}");
    let c = read_config("Config(speed: 30, charts: \"dots\", mouse: false)", "c").expect("ok");
    assert_eq!((c.speed, c.mouse), (Some(30), Some(false)));
}

#[test]
fn rebound_keys_replace_the_defaults_and_conflicts_are_refused() {
    let keys = read_rebindings(
        "Keys(\n    bind: [\n        (in: \"Play\", action: \"AskQuit\", keys: [\"Q\", \"F10\"]),\n    ],\n)\n",
        "keys.ron",
    )
    .expect("valid");
    let table = apply(KEYMAP, &keys).expect("applies");
    let quit: Vec<KeyCode> = table
        .iter()
        .filter(|b| b.ctx == Ctx::Play && b.action == Action::AskQuit)
        .map(|b| b.code)
        .collect();
    assert_eq!(quit, [KeyCode::Char('Q'), KeyCode::F(10)]);
    assert!(
        table
            .iter()
            .filter(|b| b.ctx == Ctx::Play)
            .all(|b| b.code != KeyCode::Char('q'))
    );
    for (text, at, says) in [
        (
            "Keys(bind: [\n  (in: \"Play\", action: \"TogglePause\", keys: [\"p\"]),\n])",
            "keys.ron:2:",
            "`p` already means Promote in Play",
        ),
        (
            "Keys(bind: [\n  (in: \"Play\", action: \"Fly\", keys: [\"x\"]),\n])",
            "keys.ron:2:",
            "no action `Fly` in Play",
        ),
        (
            "Keys(bind: [\n  (in: \"Garden\", action: \"Quit\", keys: [\"x\"]),\n])",
            "keys.ron:2:",
            "no context `Garden`",
        ),
        (
            "Keys(bind: [\n  (in: \"Play\", action: \"AskQuit\", keys: [\"Hyper-x\"]),\n])",
            "keys.ron:2:",
            "`Hyper-x` is not a key",
        ),
    ] {
        let e = read_rebindings(text, "keys.ron").expect_err(text);
        assert!(e.starts_with(at) && e.contains(says), "{text}\n→ {e}");
    }
}

#[test]
fn a_broken_file_is_named_and_left_untouched() {
    let dir = TempDir::new("config");
    let theme = dir.file(
        "theme.ron",
        "Theme(\n    base: \"dark\",\n    bad: (fg: \"redish\"),\n)\n",
    );
    let before = std::fs::read(&theme).expect("theme");
    let out = zerodown_with(&dir.0, &["config"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:3:", theme.display()))
            && err.contains("`redish` is not a colour"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&theme).expect("theme"),
        before,
        "left as it was"
    );
    // --write keeps the existing file and adds the others.
    let out = zerodown_with(&dir.0, &["config", "--write"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("theme.ron: kept") && said.contains("keys.ron: written"),
        "{said}"
    );
    assert_eq!(std::fs::read(&theme).expect("theme"), before);
}

#[test]
fn the_title_screen_says_which_config_file_was_not_used() {
    use zerodown::ui::{App, Settings};
    let mut app = App::new(Settings::default());
    app.warning = Some(format!(
        "{}/home/ada/.config/zerodown/keys.ron:2:5: no action `Fly` in Play",
        zerodown::ui::menu::CONFIG_WARNING
    ));
    let text = common::ui::screen_text(&app, 80, 24);
    assert!(text.contains(" YOUR CONFIG "), "{text}");
    assert!(text.contains("keys.ron:2:5"), "{text}");
}

/// The README's example of the three files reads as it says.
#[test]
fn the_readme_example_is_valid() {
    let readme = common::read("README.md");
    let start = readme.find("```ron\n// config.ron").expect("the example") + "```ron\n".len();
    let block = &readme[start..];
    let block = &block[..block.find("```").expect("its end")];
    let theme_at = block.find("// theme.ron").expect("theme.ron");
    let keys_at = block.find("// keys.ron").expect("keys.ron");
    let config = read_config(&block[..theme_at], "config.ron").expect("config.ron");
    assert_eq!(config.speed, Some(5));
    theme_file::read(&block[theme_at..keys_at], "theme.ron").expect("theme.ron");
    assert_eq!(
        read_rebindings(&block[keys_at..], "keys.ron")
            .expect("keys.ron")
            .len(),
        2
    );
}
