//! Free play in the terminal UI: the sandbox briefing and debrief as snapshots at 80×24 and
//! 160×48; no verdict without objectives; leaving quits instead of opening the campaign's
//! map; a finished sandbox is never recorded, even with a save at hand.

mod common;

use common::ui::{command, key, run_to_end};

use clap::Parser;
use common::TempDir;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use zerodown::cli::{Cli, Cmd};
use zerodown::progress::Store;
use zerodown::ui::{Action, App, Screen, Settings};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn text(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(app, w, h));
    }
}

/// The briefing of `zerodown sandbox ARGS…`.
fn sandbox(args: &[&str]) -> App {
    let argv = ["zerodown", "sandbox"].iter().chain(args).copied();
    let Some(Cmd::Sandbox(a)) = Cli::try_parse_from(argv).expect("flags").command else {
        panic!("not the sandbox command");
    };
    let (id, mission) = a.mission().expect("valid sandbox");
    let mut app = App::briefing(Settings::default(), &id, mission);
    app.update(Action::Resize(120, 40));
    app
}

/// Plays a short sandbox with a bad release rolled out, to its debrief.
fn finished(app: &mut App) {
    key(app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Play(_)));
    command(app, "rolling v2 batch=2");
    run_to_end(app, 5_000);
}

const SHORT: &[&str] = &[
    "--servers",
    "8",
    "--rps",
    "500",
    "--version",
    "v2:errors=0.3,onset=10s",
    "--duration",
    "2m",
];

#[test]
fn the_briefing_lists_the_fleet_and_unlocks_everything() {
    let app = sandbox(&[]);
    snap("sandbox_briefing", &app);
    let shown = text(&app, 160, 48);
    assert!(shown.contains("20 servers × 100 req/s"), "{shown}");
    assert!(shown.contains("versions v1 (running), v2, v3"), "{shown}");
    assert!(shown.contains("EVERY COMMAND IS UNLOCKED"), "{shown}");
    assert!(
        shown.contains("Esc quit"),
        "leaving free play quits:\n{shown}"
    );
    assert!(!shown.contains("OBJECTIVES"), "{shown}");
}

#[test]
fn the_debrief_shows_the_stats_without_a_verdict() {
    let mut app = sandbox(SHORT);
    finished(&mut app);
    let Screen::Debrief(d) = &app.screen else {
        panic!("the debrief shows");
    };
    assert!(d.outcome.score.failed_requests > 0, "the bad release hurt");
    snap("sandbox_debrief", &app);
    let shown = text(&app, 160, 48);
    for verdict in ["PASSED", "FAILED", "grade", "★", "quiz", "WHAT TO REMEMBER"] {
        assert!(!shown.contains(verdict), "{verdict:?} in:\n{shown}");
    }
    assert!(shown.contains("FREE PLAY"), "{shown}");
    assert!(shown.contains("THE FLEET AT THE END"), "{shown}");
    assert!(shown.contains("failed:"), "{shown}");
    // Enter leaves free play: out of the game, not onto the campaign's map.
    key(&mut app, KeyCode::Enter);
    assert!(app.should_quit);
}

#[test]
fn leaving_quits_and_nothing_is_recorded() {
    let mut app = sandbox(SHORT);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('q'));
    assert!(text(&app, 80, 24).contains("leave free play? (y/n)"));
    key(&mut app, KeyCode::Char('y'));
    assert!(app.should_quit, "y quits free play");

    // Played from a file through `zerodown play` (which has the save), still not recorded.
    let dir = TempDir::new("sandbox-save");
    let store = Store::at(dir.0.join("save"));
    let (id, mission) = sandbox(SHORT)
        .missions
        .pop()
        .map(|e| (e.id, e.mission.expect("valid")))
        .expect("the sandbox is on the list");
    let mut app =
        App::briefing(Settings::default(), &id, mission).with_progress(store.load(), Some(store));
    app.update(Action::Resize(120, 40));
    finished(&mut app);
    assert!(matches!(app.screen, Screen::Debrief(_)));
    assert!(app.progress.missions.is_empty(), "{:?}", app.progress);
    assert!(!dir.0.join("save").exists(), "nothing written");
}
