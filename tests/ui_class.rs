//! Classroom play in the terminal UI (`zerodown play --code CODE --reports DIR`): only the
//! class's missions, all open, on the class's seed; every finished mission writes a report
//! that the scoreboard re-simulates and accepts.

mod common;

use common::ui::{command, key, run_to_end, screen_text};

use common::TempDir;

use ratatui::crossterm::event::KeyCode;
use zerodown::scoreboard;
use zerodown::ui::{Action, App, Reports, Screen, Settings};
use zerodown::workshop::ClassCode;

const ID: &str = "02-all-at-once";

fn class() -> ClassCode {
    ClassCode::new(&[ID, "05-bad-build"], 77).expect("a class")
}

/// From the map: plays the highlighted mission with its reference solution typed into the
/// console, and runs the clock to the debrief.
fn play_solution(app: &mut App) {
    key(app, KeyCode::Enter); // map → briefing
    key(app, KeyCode::Enter); // briefing → play
    let Screen::Play(game) = &app.screen else {
        panic!("not playing");
    };
    assert_eq!(game.seed, 77, "the class's seed");
    let solution = include_str!("../levels/solutions/02-all-at-once.txt");
    for line in solution
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        command(app, line);
    }
    run_to_end(app, 20_000);
}

#[test]
fn a_class_plays_its_missions_and_each_finish_writes_a_checked_report() {
    let dir = TempDir::new("class");
    let reports = Reports::new(&dir.0, "Ada Lovelace");
    let mut app = App::for_class(Settings::default(), class()).with_reports(Some(reports));
    app.update(Action::Resize(120, 40));
    key(&mut app, KeyCode::Enter); // title → map
    let map = screen_text(&app, 120, 40);
    assert!(map.contains(&format!("class {}", class())), "{map}");
    assert!(
        map.contains("05-bad-build") && !map.contains("03-rolling"),
        "{map}"
    );
    assert!(
        !map.contains("locked"),
        "a class's missions are all open:\n{map}"
    );

    play_solution(&mut app);
    let text = screen_text(&app, 120, 40);
    assert!(text.contains("report saved"), "{text}");
    let file = dir.path(&format!("Ada_Lovelace-{ID}.json"));
    let report = scoreboard::check(&file, Some(&class())).expect("the scoreboard accepts it");
    assert_eq!((report.seed, report.outcome.as_str()), (77, "passed"));
    assert!(!report.commands.is_empty());

    // A second try is another file; nothing is overwritten.
    key(&mut app, KeyCode::Char('r')); // debrief → briefing (replay)
    key(&mut app, KeyCode::Esc); // → map, the same mission highlighted
    play_solution(&mut app);
    assert_eq!(
        dir.entries(),
        [
            format!("Ada_Lovelace-{ID}-2.json"),
            format!("Ada_Lovelace-{ID}.json")
        ]
    );
    let board = scoreboard::collect(&dir.0, Some(&class())).expect("a board");
    assert!(board.rejected.is_empty(), "{:?}", board.rejected);
    let rows = scoreboard::standings(&board);
    assert_eq!(rows.len(), 1, "both files are Ada's: {rows:?}");
    assert_eq!(
        (rows[0].player.as_str(), rows[0].passed),
        ("Ada_Lovelace", 1)
    );
}

#[test]
fn a_report_that_cannot_be_written_says_why_on_the_debrief() {
    let dir = TempDir::new("class-blocked");
    // A file where the folder should be.
    let blocked = dir.file("reports", "not a folder");
    let mut app = App::for_class(Settings::default(), class())
        .with_reports(Some(Reports::new(&blocked, "ada")));
    app.update(Action::Resize(120, 40));
    key(&mut app, KeyCode::Enter);
    play_solution(&mut app);
    let text = screen_text(&app, 120, 40);
    assert!(text.contains("report not saved"), "{text}");
}

#[test]
fn the_map_lists_a_class_s_missions_in_the_order_the_instructor_gave() {
    let code = ClassCode::new(&["7", "3"], 5).expect("a class");
    let app = App::for_class(Settings::default(), code).with_progress(
        zerodown::progress::Loaded {
            progress: zerodown::progress::Progress::default(),
            warning: None,
        },
        None,
    );
    assert_eq!(app.ids(), ["07-canary", "03-rolling-by-hand"]);
    assert_eq!(app.selected, 0, "the class starts with its first mission");
}

/// The heartbeat file's JSON.
fn heartbeat(dir: &TempDir, player: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.path(&format!("{player}.heartbeat"))).expect("a beat");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn class_play_writes_a_heartbeat_the_watch_view_reads() {
    let dir = TempDir::new("class-live");
    let mut app = App::for_class(Settings::default(), class())
        .with_reports(Some(Reports::new(&dir.0, "ada")));
    app.update(Action::Resize(120, 40));
    key(&mut app, KeyCode::Enter); // title → map
    app.beat(1_000);
    let b = heartbeat(&dir, "ada");
    assert_eq!(
        (b["screen"].as_str(), b["class"].as_str()),
        (Some("map"), Some(class().to_string().as_str()))
    );
    key(&mut app, KeyCode::Enter); // → briefing
    key(&mut app, KeyCode::Enter); // → play
    command(&mut app, "drain web-01");
    app.beat(1_010);
    app.beat(1_020);
    let b = heartbeat(&dir, "ada");
    assert_eq!(b["screen"], "playing");
    assert_eq!(b["mission"], ID);
    assert_eq!(b["last_command"], "drain web-01");
    assert_eq!(b["commands"], 1);
    assert_eq!(
        (b["updated_unix"].as_u64(), b["last_command_unix"].as_u64()),
        (Some(1_020), Some(1_010))
    );
    // Leaving mid-play abandons the mission; finishing it later takes that back.
    key(&mut app, KeyCode::Char('q'));
    app.update(Action::Yes);
    app.beat(1_030);
    assert_eq!(heartbeat(&dir, "ada")["abandoned"], serde_json::json!([ID]));
    play_solution(&mut app);
    app.beat(1_040);
    let b = heartbeat(&dir, "ada");
    assert_eq!(
        (b["screen"].as_str(), b["outcome"].as_str()),
        (Some("debrief"), Some("passed"))
    );
    assert_eq!(b["abandoned"], serde_json::json!([]));
    assert_eq!(b["finished"][0]["mission"], ID);
    // The scoreboard reads reports only: the heartbeat is not one.
    let board = scoreboard::collect(&dir.0, Some(&class())).expect("a board");
    assert!(board.rejected.is_empty(), "{:?}", board.rejected);
    assert_eq!(board.accepted.len(), 1);
}
