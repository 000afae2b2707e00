//! `zerodown scoreboard DIR --by-mission`: the student × mission grid of best attempts, what
//! each missed and how fast it detected and restored, how many students made each of the
//! notes' common mistakes (in any attempt), and a CSV gradebook with a row for every
//! student × mission of the class, missing ones included.

mod common;

use common::{TempDir, builtin, read, zerodown};
use zerodown::command::parse_script;
use zerodown::runner::run_script;
use zerodown::scoreboard::{self, Cell, Format};
use zerodown::workshop::ClassCode;
use zerodown::workshop::live::Heartbeat;

const ROLL: &str = "03-rolling-by-hand";
const CANARY: &str = "07-canary";
const SEED: u32 = 4242;

fn class() -> ClassCode {
    ClassCode::new(&[CANARY, ROLL], SEED).expect("a class")
}

/// A class folder: ada passes both; bob plays each mission's mistake script; cy plays only
/// the canary, twice: once rushing the fix with `promote --full`, once without analysis.
fn folder() -> TempDir {
    let dir = TempDir::new("by-mission");
    let plays = [
        ("ada", ROLL, "solutions/03-rolling-by-hand"),
        ("ada", CANARY, "solutions/07-canary"),
        ("bob", ROLL, "mistakes/03-rolling-by-hand"),
        ("bob", CANARY, "mistakes/07-canary"),
        ("cy", CANARY, "plays/07-canary/naive-3-promote-full-fix"),
        (
            "cy",
            CANARY,
            "plays/07-canary/naive-8-no-analysis-fleet-average",
        ),
    ];
    for (i, (who, id, script)) in plays.iter().enumerate() {
        let script = parse_script(&read(&format!("levels/{script}.txt"))).expect("script");
        let json = run_script(&builtin(id), id, &script, u64::from(SEED)).to_json();
        dir.file(&format!("{who}-{id}-{i}.json"), &json);
    }
    dir
}

fn players(cells: &[String]) -> Vec<&str> {
    cells.iter().map(String::as_str).collect()
}

#[test]
fn the_grid_shows_best_attempts_and_who_made_each_mistake() {
    let dir = folder();
    let board = scoreboard::collect(&dir.0, Some(&class())).expect("a board");
    assert!(board.rejected.is_empty(), "{:?}", board.rejected);
    let g = scoreboard::grid(&board);
    // bob lost more users' time than cy: both passed nothing.
    assert_eq!(g.players, ["ada", "cy", "bob"]);
    // In the class's order.
    let ids: Vec<&str> = g.missions.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, [CANARY, ROLL]);
    let canary = &g.missions[0];
    let Cell::Played(ada) = &canary.cells[0] else {
        panic!("ada played the canary")
    };
    assert_eq!((ada.outcome.as_str(), ada.attempts), ("passed", 1));
    assert!(ada.missed.is_empty() && ada.mistakes.is_empty());
    assert!(ada.mttd_s.is_some(), "v8's fault was detected");
    let Cell::Played(cy) = &canary.cells[1] else {
        panic!("cy played the canary")
    };
    assert_eq!(cy.attempts, 2);
    assert_eq!(cy.points, 0, "a failed best attempt counts 0");
    assert!(!cy.missed.is_empty());
    assert_eq!(
        g.missions[1].cells[1],
        Cell::NotPlayed,
        "cy never played 03"
    );
    assert_eq!(canary.played_passed(), (3, 1));
    let made = |what: &str| {
        let m = canary
            .mistakes
            .iter()
            .find(|m| m.what.starts_with(what))
            .unwrap_or_else(|| panic!("no mistake `{what}`"));
        players(&m.players)
    };
    assert_eq!(made("Turning analysis off"), ["cy", "bob"]);
    assert_eq!(made("Rushing the fix"), ["cy"]);
    assert!(canary.mistakes.iter().all(|m| m.recognised));
}

#[test]
fn the_csv_is_a_gradebook_with_every_student_and_mission() {
    let dir = folder();
    let board = scoreboard::collect(&dir.0, Some(&class())).expect("a board");
    let csv = scoreboard::render_by_mission(&board, Format::Csv);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 1 + 3 * 2, "{csv}");
    assert!(rows[0].starts_with("player,mission,status,outcome,stars,points"));
    assert!(
        rows.iter()
            .any(|r| r.starts_with("cy,03-rolling-by-hand,not played,,,0,")),
        "{csv}"
    );
    let bob = rows
        .iter()
        .find(|r| r.starts_with("bob,07-canary,played,failed,0,0,"))
        .expect("bob's canary");
    assert!(bob.contains("Turning analysis off"), "{bob}");
}

#[test]
fn the_table_reads_on_a_projector() {
    let dir = folder();
    let code = class().to_string();
    let out = zerodown(&[
        "scoreboard",
        &dir.0.display().to_string(),
        "--code",
        &code,
        "--by-mission",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!(text);
    let md = zerodown(&[
        "scoreboard",
        &dir.0.display().to_string(),
        "--by-mission",
        "--format",
        "md",
    ]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("### 07-canary"), "{md}");
    assert!(md.contains("| ada | ✔ ★★★"), "{md}");
}

#[test]
fn a_heartbeat_adds_students_without_reports_and_what_they_abandoned() {
    let dir = folder();
    let beat = |player: &str, abandoned: &[&str]| Heartbeat {
        player: player.into(),
        class: Some(class().to_string()),
        abandoned: abandoned.iter().map(ToString::to_string).collect(),
        ..Heartbeat::default()
    };
    for b in [beat("cy", &[ROLL]), beat("dee", &[CANARY])] {
        let json = serde_json::to_string(&b).expect("json");
        dir.file(&format!("{}.heartbeat", b.player), &json);
    }
    let board = scoreboard::collect(&dir.0, Some(&class())).expect("a board");
    assert!(board.rejected.is_empty(), "a heartbeat is not a report");
    let g = scoreboard::grid(&board);
    assert_eq!(g.players, ["ada", "cy", "bob", "dee"]);
    assert_eq!(g.missions[1].cells[1], Cell::Abandoned, "cy left 03");
    assert_eq!(g.missions[0].cells[3], Cell::Abandoned, "dee left 07");
    assert_eq!(g.missions[1].cells[3], Cell::NotPlayed);
    let csv = scoreboard::render_by_mission(&board, Format::Csv);
    assert!(csv.contains("\ndee,07-canary,abandoned,"), "{csv}");
    assert!(
        csv.contains("\ndee,03-rolling-by-hand,not played,"),
        "{csv}"
    );
}
