//! ASCII mode (issue 20 item 3): with `GlyphMode::Ascii` every screen is drawn in ASCII, the
//! symbols swapped after drawing through one table. Every mission is played with its
//! solution and every screen on the way drawn both ways: in Unicode each character drawn
//! must be in the table (so nothing falls back to `?`), in ASCII no cell may hold anything
//! else. The play screen and the debrief are kept as snapshots, read as a player would.

mod common;

use std::path::Path;

use common::ui::{draw, key, play_through, run_to_end};

use ratatui::crossterm::event::KeyCode;
use zerodown::ui::glyphs::ascii;
use zerodown::ui::{Action, App, GlyphMode, Screen, Settings};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn ascii_settings() -> Settings {
    Settings {
        glyphs: GlyphMode::Ascii,
        ..Settings::default()
    }
}

/// The cells of `app` drawn at `w`×`h`, row by row.
fn rows(app: &App, w: u16, h: u16) -> Vec<String> {
    let t = draw(app, w, h);
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

/// What is wrong with `app`'s screen at every size: a Unicode character the table lacks,
/// or a cell of the ASCII screen that is not ASCII.
fn problems(app: &App, place: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut unicode = app.clone();
    unicode.settings.glyphs = GlyphMode::Unicode;
    let mut plain = app.clone();
    plain.settings.glyphs = GlyphMode::Ascii;
    for (w, h) in SIZES {
        for row in rows(&unicode, w, h) {
            for c in row.chars().filter(|&c| ascii(c).is_none()) {
                out.push(format!("{place} {w}x{h}: `{c}` not in the table: {row}"));
            }
        }
        for row in rows(&plain, w, h) {
            if !row.is_ascii() {
                out.push(format!("{place} {w}x{h}: not ASCII: {row}"));
            }
        }
    }
    out
}

fn assert_none(mut all: Vec<String>) {
    all.dedup();
    assert!(all.is_empty(), "{}:\n{}", all.len(), all.join("\n"));
}

#[test]
fn every_screen_of_every_mission_is_ascii_in_ascii_mode() {
    let mut all = Vec::new();
    let mut app = App::new(Settings::default());
    all.extend(problems(&app, "title"));
    key(&mut app, KeyCode::Enter);
    all.extend(problems(&app, "map"));
    key(&mut app, KeyCode::Char('?'));
    all.extend(problems(&app, "help"));
    all.extend(problems(&App::drill(Settings::default(), 7), "drill plan"));
    for (id, _) in zerodown::mission::builtin() {
        let (_, mission) = zerodown::mission::resolve(id).expect("built-in mission");
        let briefing = App::briefing(Settings::default(), id, mission);
        all.extend(problems(&briefing, &format!("{id} briefing")));
        let mut app = play_through(id, Settings::default(), |app, line| {
            all.extend(problems(app, &format!("{id} after `{line}`")));
        });
        run_to_end(&mut app, 200_000);
        all.extend(problems(&app, &format!("{id} debrief")));
        key(&mut app, KeyCode::Char('c'));
        all.extend(problems(&app, &format!("{id} as config")));
    }
    assert_none(all);
}

/// Every character in the game's source, missions and assets (outside `//` comments) has an ASCII
/// stand-in, so a screen no test reaches cannot fall back to `?` either. Test-only text
/// (a name with CJK, fractions in a rank's doc) is listed here.
#[test]
fn the_table_covers_every_character_the_source_writes() {
    const TEST_ONLY: &[char] = &['漢', '字', '¼', '½', '¾'];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for dir in ["src", "levels", "assets"] {
        visit(&root.join(dir), &mut |path, text| {
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for c in line.chars().filter(|&c| ascii(c).is_none()) {
                    if !TEST_ONLY.contains(&c) {
                        missing.push(format!("{}:{}: `{c}`", path.display(), n + 1));
                    }
                }
            }
        });
    }
    assert_none(missing);
}

fn visit(dir: &Path, f: &mut dyn FnMut(&Path, &str)) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable source folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            visit(&path, f);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "ron" || e == "txt")
        {
            let text = std::fs::read_to_string(&path).expect("UTF-8 source");
            f(&path, &text);
        }
    }
}

/// The play screen of `02-all-at-once` mid-rollout, as `tests/ui_screens.rs` plays it.
fn mid_rollout(settings: Settings) -> App {
    let (id, mission) = zerodown::mission::resolve("02-all-at-once").expect("built-in");
    let mut app = App::briefing(settings, &id, mission);
    key(&mut app, KeyCode::Enter);
    let ticks = |app: &mut App, n: u32| {
        for _ in 0..n {
            app.update(Action::Tick);
        }
    };
    ticks(&mut app, 100);
    common::ui::command(&mut app, "drain web-01..web-04");
    ticks(&mut app, 400);
    common::ui::command(&mut app, "deploy v2 web-01..web-04");
    ticks(&mut app, 150);
    app
}

#[test]
fn the_play_screen_in_ascii_keeps_versions_states_and_heat_apart() {
    let app = mid_rollout(ascii_settings());
    assert!(matches!(app.screen, Screen::Play(_)));
    for (w, h) in SIZES {
        let screen = rows(&app, w, h).join("\n");
        // The legend names each version's and state's ASCII glyph.
        for legend in ["# v1", "^ v2", "+ in service"] {
            assert!(screen.contains(legend), "{legend}:\n{screen}");
        }
        // web-01 runs v2 and is deploying (`u`) at no CPU (`0`); web-05 serves v1 (`+`)
        // at about 70 % CPU (`7`).
        assert!(
            screen.contains("01^u0") || screen.contains("01 ^u0"),
            "{screen}"
        );
        assert!(
            screen.contains("05#+7") || screen.contains("05 #+7"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("ascii_play_{w}x{h}"), screen);
    }
}

#[test]
fn the_debrief_in_ascii() {
    let mut app = play_through("02-all-at-once", ascii_settings(), |_, _| {});
    run_to_end(&mut app, 200_000);
    assert!(matches!(app.screen, Screen::Debrief(_)));
    for (w, h) in SIZES {
        let screen = rows(&app, w, h).join("\n");
        assert!(screen.contains("***"), "three stars:\n{screen}");
        insta::assert_snapshot!(format!("ascii_debrief_{w}x{h}"), screen);
    }
}
