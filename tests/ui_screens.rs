//! Screens of the terminal UI, drawn into a `TestBackend` at 80×24 and 160×48 and compared
//! with insta snapshots. The sim is driven by `Action::Tick`, never by a clock, so every
//! snapshot is deterministic. Colour is not in the snapshots: where colour carries meaning,
//! the cells' styles are asserted directly.

mod common;

use common::ui::{command, draw, key};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use zerodown::ui::{Action, App, Screen, Settings};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn ticks(app: &mut App, n: u32) {
    for _ in 0..n {
        app.update(Action::Tick);
    }
}

fn app_at(w: u16, h: u16) -> App {
    let mut app = App::new(Settings::default());
    app.update(Action::Resize(w, h));
    app
}

/// The id of the mission most screen tests play (twenty servers, no rollout commands).
const MISSION: &str = "02-all-at-once";

/// Briefing → play of `MISSION`.
fn playing(w: u16, h: u16) -> App {
    let (id, mission) = zerodown::mission::resolve(MISSION).expect("built-in mission");
    let mut app = App::briefing(Settings::default(), &id, mission);
    app.update(Action::Resize(w, h));
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Play(_)));
    app
}

/// Moves the map's selection to the mission called `id`.
fn select(app: &mut App, id: &str) {
    let target = app
        .missions
        .iter()
        .position(|m| m.id == id)
        .expect("mission on the map");
    while app.selected < target {
        key(app, KeyCode::Down);
    }
}

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, w, h).backend());
    }
}

#[test]
fn title_map_and_briefing() {
    let mut app = app_at(80, 24);
    snap("title", &app);
    key(&mut app, KeyCode::Enter);
    snap("map", &app);
    key(&mut app, KeyCode::Enter);
    snap("briefing", &app);
}

#[test]
fn play_screen_mid_rollout() {
    let mut app = playing(80, 24);
    ticks(&mut app, 100);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "drain web-01..web-04");
    key(&mut app, KeyCode::Enter);
    ticks(&mut app, 400);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "deploy v2 web-01..web-04");
    key(&mut app, KeyCode::Enter);
    ticks(&mut app, 150);
    key(&mut app, KeyCode::Right);
    snap("play", &app);
}

fn row_text(t: &Terminal<TestBackend>, y: u16) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    (0..t.backend().buffer().area.height)
        .map(|y| row_text(t, y))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn failing_servers_are_red_and_marked_with_a_glyph() {
    let mut app = playing(160, 48);
    ticks(&mut app, 20);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "deploy v2 all");
    key(&mut app, KeyCode::Enter);
    ticks(&mut app, 3);
    let t = draw(&app, 160, 48);
    let buf = t.backend().buffer();
    // web-01's cell: name, space, version glyph, state glyph, heat glyph.
    let (version, state) = (&buf[(8, 2)], &buf[(9, 2)]);
    assert_eq!(
        row_text(&t, 2).trim_start_matches('│').get(..6),
        Some("web-01")
    );
    assert_eq!(version.symbol(), "▲");
    assert_eq!(version.fg, Color::Magenta, "v2 keeps its colour");
    assert_eq!(state.symbol(), "⊘", "in traffic but not answering");
    assert_eq!(state.fg, Color::LightRed);
    snap("play_outage", &app);
}

#[test]
fn too_small_terminal_says_so_and_recovers() {
    let mut app = app_at(60, 20);
    let t = draw(&app, 60, 20);
    let text = screen_text(&t);
    assert!(
        text.contains("enlarge the terminal to at least 80×24"),
        "{text}"
    );
    assert!(text.contains("(now 60×20)"));
    insta::assert_snapshot!("too_small_60x20", t.backend());
    app.update(Action::Resize(80, 24));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("press Enter to choose a mission"));
}

#[test]
fn console_marks_the_error_column_and_suggests() {
    let mut app = playing(80, 24);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "drain web-01 dpeloy");
    key(&mut app, KeyCode::Enter);
    let t = draw(&app, 80, 24);
    let console = row_text(&t, 22);
    let footer = row_text(&t, 23);
    assert!(console.starts_with(":drain web-01 dpeloy"), "{console}");
    assert!(footer.contains("^ too many arguments"), "{footer}");
    // The caret sits under column 13 (after the `:`).
    assert_eq!(footer.find('^'), Some(14));
    let marked = &t.backend().buffer()[(14, 22)];
    assert_eq!(marked.symbol(), "d");
    assert!(marked.modifier.contains(ratatui::style::Modifier::REVERSED));
    snap("console_error", &app);

    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "dpeloy v2 all");
    key(&mut app, KeyCode::Enter);
    let footer = row_text(&draw(&app, 80, 24), 23);
    assert!(footer.contains("did you mean `deploy`?"), "{footer}");

    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "drain web-1");
    key(&mut app, KeyCode::Tab);
    let t = draw(&app, 80, 24);
    assert!(
        row_text(&t, 23).contains("web-10  web-11"),
        "{}",
        row_text(&t, 23)
    );
    snap("console_completion", &app);
    typed(&mut app, "2");
    key(&mut app, KeyCode::Tab);
    assert!(row_text(&draw(&app, 80, 24), 22).starts_with(":drain web-12 "));

    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "deploy v7 web-12");
    key(&mut app, KeyCode::Enter);
    let console = row_text(&draw(&app, 80, 24), 22);
    assert!(
        console.starts_with("✖ refused: no version `v7`"),
        "{console}"
    );
}

#[test]
fn help_overlay_lists_commands_keys_and_glossary_and_filters() {
    let mut app = playing(80, 24);
    key(&mut app, KeyCode::Char('?'));
    assert!(!app.clock_running(), "help pauses the clock");
    snap("help", &app);
    typed(&mut app, "drain");
    let text = screen_text(&draw(&app, 160, 48));
    assert!(
        text.contains("drain <targets>") && text.contains("take a server out"),
        "{text}"
    );
    assert!(!text.contains("pause the running rollout"));
    snap("help_filtered", &app);
    key(&mut app, KeyCode::Esc);
    assert!(app.help.is_none());
}

#[test]
fn q_asks_before_abandoning() {
    let mut app = playing(80, 24);
    key(&mut app, KeyCode::Char('q'));
    snap("abandon", &app);
    key(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.screen, Screen::Play(_)));
    key(&mut app, KeyCode::Char('q'));
    key(&mut app, KeyCode::Char('y'));
    assert!(matches!(app.screen, Screen::Map));
}

/// The whole game through keys only: title, map, briefing, the reference solution typed
/// in the console, time passing, the debrief and its quiz.
#[test]
fn end_to_end_from_title_to_debrief() {
    // A player who has passed the first mission, so that `MISSION` is open on the map.
    let mut progress = zerodown::progress::Progress::default();
    let first = zerodown::mission::builtin()[0].0;
    progress.record(
        first,
        zerodown::progress::RunResult {
            passed: true,
            stars: 3,
            points: 900,
        },
    );
    let loaded = zerodown::progress::Loaded {
        progress,
        warning: None,
    };
    let mut app = App::new(Settings::default()).with_progress(loaded, None);
    app.update(Action::Resize(120, 40));
    key(&mut app, KeyCode::Enter); // title → map
    select(&mut app, MISSION);
    key(&mut app, KeyCode::Enter); // map → briefing of 02-all-at-once
    key(&mut app, KeyCode::Enter); // start
    let Screen::Play(g) = &app.screen else {
        panic!("not playing")
    };
    assert_eq!(g.id, "02-all-at-once");
    let solution = include_str!("../levels/solutions/02-all-at-once.txt");
    for line in solution
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        command(&mut app, line);
        let Screen::Play(g) = &app.screen else {
            panic!("left play at `{line}`")
        };
        assert!(
            !g.console.open,
            "`{line}` did not run: {:?}",
            g.console.feedback
        );
    }
    key(&mut app, KeyCode::Char('+'));
    let mut guard = 0;
    while matches!(app.screen, Screen::Play(_)) {
        app.update(Action::Tick);
        guard += 1;
        assert!(guard < 20_000, "the mission never ended");
    }
    let Screen::Debrief(d) = &app.screen else {
        panic!("no debrief")
    };
    assert!(d.outcome.passed, "{:?}", d.outcome);
    assert_eq!(d.outcome.stars, 3);
    // The scroll mark has a row of its own: it never covers the end of a line of text.
    let text = screen_text(&draw(&app, 80, 24));
    let marked = text
        .lines()
        .find(|l| l.contains("↓ more"))
        .expect("more to scroll");
    let before = &marked[..marked.find("↓ more").unwrap_or(0)];
    assert!(before.trim().is_empty(), "the mark covers text: {marked}");
    snap("debrief", &app);
    // The choices are shown in the seed's order: press the number the answer is shown at.
    let place = d.answer_place(0).expect("a quiz");
    let shown = d.order[0].clone();
    let right = char::from_digit(place as u32 + 1, 10).expect("a digit");
    key(&mut app, KeyCode::Char(right));
    let Screen::Debrief(d) = &app.screen else {
        panic!("no debrief")
    };
    assert_eq!(d.answers, vec![Some(shown[place])]);
    assert_eq!(shown[place], d.game.sim.mission().quiz[0].answer);
    let text = screen_text(&draw(&app, 160, 48));
    assert!(text.contains("right!"), "{text}");
    snap("debrief_answered", &app);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Map));
    let record = app.progress.get(MISSION).expect("recorded");
    assert_eq!(
        (record.best_stars, record.passed, record.attempts),
        (3, true, 1)
    );
    assert!(record.best_points > 0);
    let played = app
        .missions
        .iter()
        .position(|m| m.id == MISSION)
        .expect("on the map");
    assert_eq!(app.selected, played + 1, "the next mission is highlighted");
}

#[test]
fn a_failed_run_marks_impact_reaction_and_restore() {
    let mut app = playing(160, 48);
    ticks(&mut app, 100);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "deploy v2 all");
    key(&mut app, KeyCode::Enter);
    ticks(&mut app, 150);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "restart web-01");
    key(&mut app, KeyCode::Enter);
    while matches!(app.screen, Screen::Play(_)) {
        app.update(Action::Tick);
    }
    let Screen::Debrief(d) = &app.screen else {
        panic!("no debrief")
    };
    assert!(!d.outcome.passed);
    let k = d.markers;
    assert!(
        k.onset.is_some() && k.reaction.is_some() && k.restored.is_some(),
        "{k:?}"
    );
    assert!(k.onset <= k.reaction && k.reaction <= k.restored);
    snap("debrief_failed", &app);
}

#[test]
fn the_clock_waits_while_the_terminal_is_too_small() {
    let mut app = playing(80, 24);
    assert!(app.clock_running());
    app.update(Action::Resize(70, 24));
    assert!(!app.clock_running());
    app.update(Action::Resize(80, 24));
    assert!(app.clock_running());
    key(&mut app, KeyCode::Char(' '));
    assert!(!app.clock_running(), "space pauses");
}

/// Issue 13 item 2: at 80×24 the objectives panel had no room for tips and `t` showed
/// nothing. `t` opens the tip in a box, whole at any size, and the clock waits for it.
#[test]
fn t_shows_each_tip_whole_at_80x24_and_the_clock_waits() {
    let mut app = playing(80, 24);
    ticks(&mut app, 20);
    let Screen::Play(g) = &app.screen else {
        panic!("not playing")
    };
    let tips = g.sim.mission().hints.clone();
    assert!(tips.len() >= 2, "{MISSION} has tips");
    for (i, tip) in tips.iter().enumerate() {
        key(&mut app, KeyCode::Char('t'));
        let t = draw(&app, 80, 24);
        let text = screen_text(&t);
        assert!(
            text.contains(&format!("TIP {} of {}", i + 1, tips.len())),
            "{text}"
        );
        for word in tip.split_whitespace() {
            assert!(
                text.contains(word),
                "`{word}` of tip {} missing:\n{text}",
                i + 1
            );
        }
        assert!(text.contains("⏸ paused"), "{text}");
        let before = match &app.screen {
            Screen::Play(g) => g.sim.tick(),
            _ => 0,
        };
        assert!(!app.clock_running(), "the clock waits while a tip is open");
        ticks(&mut app, 10);
        assert!(matches!(&app.screen, Screen::Play(g) if g.sim.tick() == before));
    }
    key(&mut app, KeyCode::Esc);
    assert!(app.clock_running());
    insta::assert_snapshot!("tip_box_80x24", {
        key(&mut app, KeyCode::Char('t'));
        draw(&app, 80, 24).backend().to_string()
    });
}

/// Issue 13 item 5: `c`, `m` and `T` acted without saying so, and the light theme drew
/// black text on whatever the terminal's background was.
#[test]
fn keys_that_change_the_look_say_what_they_switched_to() {
    let mut app = playing(120, 40);
    key(&mut app, KeyCode::Char('c'));
    let text = screen_text(&draw(&app, 120, 40));
    assert!(text.contains("all 5 charts are showing"), "{text}");
    key(&mut app, KeyCode::Char('T'));
    let t = draw(&app, 120, 40);
    let text = screen_text(&t);
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.contains("theme: light · T next")),
        "{text}"
    );
    // The light palette paints its own background: no cell is left on the terminal's.
    let buf = t.backend().buffer();
    assert!(
        buf.content.iter().all(|c| c.bg != Color::Reset),
        "light theme without background"
    );
    key(&mut app, KeyCode::Char('m'));
    let text = screen_text(&draw(&app, 120, 40));
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.contains("charts drawn with dots")),
        "{text}"
    );
    key(&mut app, KeyCode::Char('n'));
    let text = screen_text(&draw(&app, 120, 40));
    assert!(
        !text.contains("charts drawn with"),
        "the note goes at the next key"
    );
    let mut small = playing(80, 24);
    key(&mut small, KeyCode::Char('c'));
    let text = screen_text(&draw(&small, 80, 24));
    assert!(text.contains("charts: page 2 of"), "{text}");
}

/// Issue 13 items 6 and 8: "1 servers" in 01's briefing, 04's "85 %" broken across lines,
/// and 01's quiet hour told only in its second tip.
#[test]
fn briefings_say_one_server_and_keep_numbers_with_their_units() {
    let (_, first) = zerodown::mission::resolve("01-one-server").expect("built-in mission");
    assert!(
        first.briefing.contains("quietest around 9:00"),
        "{}",
        first.briefing
    );
    for (id, w, h) in [
        ("01-one-server", 80, 24),
        ("04-rolling-at-peak", 80, 24),
        ("04-rolling-at-peak", 100, 30),
    ] {
        let (id, mission) = zerodown::mission::resolve(id).expect("built-in mission");
        let mut app = App::briefing(Settings::default(), &id, mission);
        app.update(Action::Resize(w, h));
        let text = screen_text(&draw(&app, w, h));
        assert!(!text.contains("1 servers"), "{text}");
        let rows: Vec<&str> = text.lines().collect();
        for pair in rows.windows(2) {
            let end = pair[0].trim_end_matches(['│', ' ']);
            let start = pair[1].trim_start_matches(['│', ' ']);
            assert!(
                !(end.ends_with(|c: char| c.is_ascii_digit()) && start.starts_with('%')),
                "a number and its % split:\n{}\n{}",
                pair[0],
                pair[1]
            );
        }
    }
}

/// At 80×24 a briefing's last objectives fell off the box with no sign: it scrolls, and
/// says when there is more.
#[test]
fn a_long_briefing_scrolls_and_says_there_is_more() {
    let (id, mission) = zerodown::mission::resolve("01-one-server").expect("built-in mission");
    let last = mission.objectives.len();
    let mut app = App::briefing(Settings::default(), &id, mission);
    app.update(Action::Resize(80, 24));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("↓ more"), "{text}");
    for _ in 0..40 {
        key(&mut app, KeyCode::Down);
    }
    let text = screen_text(&draw(&app, 80, 24));
    assert!(
        text.contains("↑ more") && !text.contains("↓ more"),
        "{text}"
    );
    assert!(last > 0);
    assert!(
        text.contains("LIMITS") && text.contains("rollout done within"),
        "{text}"
    );
}

/// At 80×24 the map's list ended at 14: 15 and 16 could be selected but not seen.
#[test]
fn the_map_scrolls_to_the_selected_mission() {
    let mut app = app_at(80, 24);
    key(&mut app, KeyCode::Enter);
    for _ in 0..20 {
        key(&mut app, KeyCode::Down);
    }
    let text = screen_text(&draw(&app, 80, 24));
    assert!(
        text.lines()
            .any(|l| l.contains('▸') && l.contains("16-interview")),
        "{text}"
    );
    assert!(text.contains("↑ more"), "{text}");
}

/// Issue 20 item 2: 24-bit colours were sent whatever the terminal showed. In 256 and 16
/// colour depth, no cell carries a colour the terminal can't show; the colours each depth
/// draws the play screen with are kept as a snapshot.
#[test]
fn every_colour_is_one_the_terminal_shows_in_each_depth() {
    use std::fmt::Write as _;
    use zerodown::ui::{ColorDepth, Palette};
    let mut seen = String::new();
    for depth in [
        ColorDepth::TrueColor,
        ColorDepth::Ansi256,
        ColorDepth::Ansi16,
    ] {
        for palette in [Palette::Dark, Palette::Light, Palette::ColorBlind] {
            let settings = Settings {
                palette,
                colors: depth,
                ..Settings::default()
            };
            let (id, mission) = zerodown::mission::resolve(MISSION).expect("built-in mission");
            let mut app = App::briefing(settings, &id, mission);
            app.update(Action::Resize(120, 40));
            key(&mut app, KeyCode::Enter);
            ticks(&mut app, 300);
            let t = draw(&app, 120, 40);
            let mut colours: Vec<String> = t
                .backend()
                .buffer()
                .content
                .iter()
                .flat_map(|c| [c.fg, c.bg])
                .map(|c| format!("{c:?}"))
                .collect();
            colours.sort();
            colours.dedup();
            for c in &colours {
                match depth {
                    ColorDepth::TrueColor => {}
                    ColorDepth::Ansi256 => {
                        assert!(!c.starts_with("Rgb"), "{depth:?} {palette:?}: {c}");
                    }
                    ColorDepth::Ansi16 => assert!(
                        !c.starts_with("Rgb") && !c.starts_with("Indexed"),
                        "{depth:?} {palette:?}: {c}"
                    ),
                }
            }
            let _ = writeln!(seen, "{depth:?} {palette:?}: {}", colours.join(" "));
        }
    }
    insta::assert_snapshot!("colours_by_depth", seen);
}
