//! Classroom workshops: class codes round-trip, and the scoreboard ranks honest reports and
//! rejects edited, foreign and hostile ones — because it re-simulates every report.

mod common;

use std::process::Output;

use common::{TempDir, builtin, read, zerodown};
use zerodown::command::parse_script;
use zerodown::runner::run_script;
use zerodown::scoreboard::{self, Format, check_text, standings};
use zerodown::workshop::ClassCode;

const ROLL: &str = "03-rolling-by-hand";
const BAD: &str = "05-bad-build";
const SEED: u32 = 4242;

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The report of `levels/<dir>/<id>.txt` played with `seed`, as JSON.
fn report(id: &str, dir: &str, seed: u32) -> String {
    let script = parse_script(&read(&format!("levels/{dir}/{id}.txt"))).expect("script");
    run_script(&builtin(id), id, &script, u64::from(seed)).to_json()
}

fn class() -> ClassCode {
    ClassCode::new(&[ROLL, BAD], SEED).expect("a class")
}

#[test]
fn a_class_code_round_trips_through_the_cli() {
    let out = zerodown(&[
        "workshop",
        "new",
        "--missions",
        "3,05-bad-build",
        "--seed",
        "4242",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let code = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("class code: "))
        .expect("the code on the first line");
    assert_eq!(ClassCode::parse(code), Ok(class()));
    let shown = stdout(&zerodown(&["workshop", "show", &code.to_lowercase()]));
    assert!(
        shown.contains("03-rolling-by-hand, 05-bad-build"),
        "{shown}"
    );
    assert!(shown.contains("seed:     4242"), "{shown}");
    let typo = zerodown(&["workshop", "show", "AAAA-AAAA-AAAA"]);
    assert_eq!(typo.status.code(), Some(2));
    let bad = zerodown(&["workshop", "new", "--missions", "07-canry"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `07-canary`"));
}

#[test]
fn the_scoreboard_ranks_honest_reports() {
    let dir = TempDir::new("board");
    std::fs::create_dir(dir.path("bob")).expect("mkdir");
    for id in [ROLL, BAD] {
        dir.file(&format!("alice-{id}.json"), &report(id, "solutions", SEED));
        dir.file(&format!("bob/{id}.json"), &report(id, "mistakes", SEED));
    }
    dir.file(
        &format!("carol-{BAD}.json"),
        &report(BAD, "solutions", SEED),
    );
    let board = scoreboard::collect(&dir.0, Some(&class())).expect("a board");
    assert!(board.rejected.is_empty(), "{:?}", board.rejected);
    let rows = standings(&board);
    let order: Vec<(&str, usize, usize)> = rows
        .iter()
        .map(|s| (s.player.as_str(), s.rank, s.passed))
        .collect();
    assert_eq!(order, [("alice", 1, 2), ("carol", 2, 1), ("bob", 3, 0)]);
    assert!(rows[0].points > rows[1].points && rows[1].points > rows[2].points);
    assert_eq!(rows[0].missions, 2);

    let md = scoreboard::render(&board, Format::Markdown);
    assert!(md.contains("| 1 | alice | 2/2 |"), "{md}");
    let csv = scoreboard::render(&board, Format::Csv);
    assert_eq!(csv.lines().count(), 1 + 5, "{csv}");
    let out = zerodown(&["scoreboard", dir.0.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("alice"));
}

/// Issue 21 item 1: every mission starts at 1000 points and a failed run kept them, so a
/// student whose scripts did nothing ranked above one who passed. The board ranks passes,
/// then stars, then the points of passed missions; a failed run counts 0 there (its report
/// keeps its number), and a mission without a report is "not played", not failed.
#[test]
fn doing_nothing_never_outranks_shipping() {
    let dir = TempDir::new("idle");
    let empty = parse_script("# nothing").expect("an empty script");
    let nothing = |id: &str| run_script(&builtin(id), id, &empty, u64::from(SEED)).to_json();
    for id in [ROLL, BAD] {
        dir.file(&format!("dave-{id}.json"), &nothing(id));
        dir.file(&format!("alice-{id}.json"), &report(id, "solutions", SEED));
    }
    dir.file(
        &format!("carol-{BAD}.json"),
        &report(BAD, "solutions", SEED),
    );
    let board = scoreboard::collect(&dir.0, Some(&class())).expect("a board");
    assert!(board.rejected.is_empty(), "{:?}", board.rejected);
    let idle: Vec<_> = board
        .accepted
        .iter()
        .filter(|e| e.player == "dave")
        .collect();
    assert!(
        idle.iter()
            .all(|e| e.report.outcome == "failed" && e.report.score.points > 0)
    );
    let rows = standings(&board);
    let order: Vec<(&str, usize, usize, usize, usize)> = rows
        .iter()
        .map(|s| (s.player.as_str(), s.rank, s.passed, s.failed, s.not_played))
        .collect();
    assert_eq!(
        order,
        [
            ("alice", 1, 2, 0, 0),
            ("carol", 2, 1, 0, 1),
            ("dave", 3, 0, 2, 0)
        ]
    );
    assert_eq!(rows[2].points, 0, "a failed run counts 0 on the board");
    let md = scoreboard::render(&board, Format::Markdown);
    assert!(md.contains("| 2 | carol | 1/2 | 0 · 0 · 1 |"), "{md}");
}

#[test]
fn an_edited_score_is_rejected_with_the_field_that_differs() {
    let honest = report(BAD, "solutions", SEED);
    assert!(check_text(&honest, Some(&class())).is_ok());
    let mut v: serde_json::Value = serde_json::from_str(&honest).expect("json");
    v["score"]["points"] = 9999.into();
    let why = check_text(&v.to_string(), None).expect_err("edited points");
    assert!(why.contains("score.points says 9999"), "{why}");

    // A quieter forgery: the outcome alone, or one second of the timeline.
    let mut v: serde_json::Value = serde_json::from_str(&honest).expect("json");
    v["timeline"][30]["failed"] = 0.into();
    v["timeline"][30]["ok"] = v["timeline"][30]["arrived"].clone();
    assert!(check_text(&v.to_string(), None).is_err());

    // A mistake's report made to look like a pass.
    let naive = report(BAD, "mistakes", SEED);
    let forged = naive.replace("\"outcome\": \"failed\"", "\"outcome\": \"passed\"");
    assert_ne!(forged, naive);
    assert!(
        check_text(&forged, None)
            .expect_err("forged")
            .contains("outcome")
    );
}

#[test]
fn reports_of_another_class_or_version_are_rejected() {
    let other_seed = report(BAD, "solutions", 1);
    let why = check_text(&other_seed, Some(&class())).expect_err("seed");
    assert!(why.contains("seed 1"), "{why}");
    let other_mission = report("01-one-server", "solutions", SEED);
    let why = check_text(&other_mission, Some(&class())).expect_err("mission");
    assert!(why.contains("not one of this class's"), "{why}");
    let old = report(BAD, "solutions", SEED).replacen(
        &format!("\"game_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"game_version\": \"0.0.1\"",
        1,
    );
    let why = check_text(&old, None).expect_err("version");
    assert!(why.contains("zerodown 0.0.1"), "{why}");
}

#[test]
fn hostile_files_are_rejected_cleanly() {
    let dir = TempDir::new("hostile");
    let v = env!("CARGO_PKG_VERSION");
    let head = format!(r#"{{"game_version":"{v}","mission":"{BAD}","seed":{SEED},"#);
    dir.file("garbage.json", "\u{1b}[2J not json at all");
    // Terminal escapes in a field and in a file name.
    dir.file(
        "esc.json",
        &format!(r#"{{"game_version":"{v}","mission":"\u001b[2Jowned","seed":1,"commands":[]}}"#),
    );
    dir.file("\u{1b}[41mname.json", "{}");
    dir.file("deep.json", &"[".repeat(200_000));
    dir.file(
        "path.json",
        &format!(r#"{{"game_version":"{v}","mission":"/etc/passwd","seed":1,"commands":[]}}"#),
    );
    dir.file(
        "bad-command.json",
        &format!(r#"{head}"commands":[{{"t":1.0,"command":"rm -rf /"}}]}}"#),
    );
    dir.file(
        "late.json",
        &format!(r#"{head}"commands":[{{"t":1e9,"command":"pause"}}]}}"#),
    );
    let many: Vec<String> = (0..20_000)
        .map(|_| r#"{"t":1.0,"command":"pause"}"#.to_string())
        .collect();
    dir.file(
        "many.json",
        &format!(r#"{head}"commands":[{}]}}"#, many.join(",")),
    );
    // Over the size limit: refused before it is parsed.
    let huge = std::fs::File::create(dir.path("huge.json")).expect("create");
    huge.set_len(zerodown::replay::MAX_REPORT_BYTES + 1)
        .expect("sparse file");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/dev/zero", dir.path("zero.json")).expect("symlink");
    dir.file("honest.json", &report(BAD, "solutions", SEED));

    let board = scoreboard::collect(&dir.0, None).expect("a board");
    assert_eq!(board.accepted.len(), 1, "{:?}", board.rejected);
    let why: Vec<String> = board
        .rejected
        .iter()
        .map(|r| {
            format!(
                "{}: {}",
                r.file.file_name().expect("name").to_string_lossy(),
                r.why
            )
        })
        .collect();
    let mut expect = vec![
        ("\u{1b}[41mname.json", "not a run report"),
        ("bad-command.json", "unknown command"),
        ("deep.json", "not a run report"),
        ("esc.json", "not a built-in mission"),
        ("garbage.json", "not a run report"),
        ("huge.json", "too large"),
        ("late.json", "after the mission's end"),
        ("many.json", "commands (a run has at most"),
        ("path.json", "not a built-in mission"),
    ];
    // Listed, never opened (a link is made only on Unix).
    if cfg!(unix) {
        expect.push(("zero.json", "a symbolic link: not followed"));
    }
    assert_eq!(why.len(), expect.len(), "{why:#?}");
    for (line, (file, reason)) in why.iter().zip(expect) {
        assert!(
            line.starts_with(file) && line.contains(reason),
            "{line} ≠ {file}: {reason}"
        );
    }
    // Nothing from a file reaches the terminal raw (escape sequences are defused).
    for format in [Format::Table, Format::Markdown, Format::Csv] {
        let text = scoreboard::render(&board, format);
        assert!(!text.contains('\u{1b}'), "{format:?}:\n{text}");
    }
    let out = zerodown(&["scoreboard", dir.0.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_empty_or_missing_folder_is_bad_input() {
    let dir = TempDir::new("empty");
    assert_eq!(
        zerodown(&["scoreboard", dir.0.to_str().expect("utf-8")])
            .status
            .code(),
        Some(2)
    );
    let missing = dir.path("nope");
    let out = zerodown(&["scoreboard", missing.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let out = zerodown(&[
        "scoreboard",
        dir.0.to_str().expect("utf-8"),
        "--format",
        "xml",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_reports_folder_that_cannot_be_written_is_refused_before_playing() {
    let dir = TempDir::new("no-reports");
    let file = dir.file("taken", "a file, not a folder");
    let reports = file.join("class");
    let code = class().to_string();
    let out = zerodown(&[
        "play",
        "--code",
        &code,
        "--reports",
        reports.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--reports") && err.contains("taken"), "{err}");
    let out = zerodown(&["play", "--code", "AAAA-AAAA-AAAA"]);
    assert_eq!(out.status.code(), Some(2), "a mistyped code");
    let out = zerodown(&["play", "07-canary", "--code", &code]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "not one of the class's missions"
    );
}

/// Missions can be named by their campaign number, as `workshop new --missions 3,7` does.
#[test]
fn a_mission_number_works_wherever_an_id_does() {
    assert_eq!(zerodown::mission::campaign_id("7"), Some("07-canary"));
    assert_eq!(
        zerodown::mission::campaign_id("07-canary"),
        Some("07-canary")
    );
    assert_eq!(zerodown::mission::campaign_id("0"), None);
    assert_eq!(zerodown::mission::campaign_id("99"), None);
    let notes = zerodown(&["notes", "7"]);
    assert_eq!(notes.status.code(), Some(0));
    assert!(stdout(&notes).contains("canary"));
    let run = zerodown(&[
        "run",
        "2",
        "--script",
        "levels/solutions/02-all-at-once.txt",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
    let empty = zerodown(&["workshop", "new", "--missions", ",,"]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("(empty)"));
}

/// A file name is not a line: one with line breaks and bidi overrides adds no row to the
/// table, no heading to the Markdown, no record to the CSV, and reads as stored.
#[test]
fn a_file_name_cannot_fake_a_scoreboard_line() {
    let dir = TempDir::new("fake-rows");
    dir.file(
        &format!("alice-{BAD}.json"),
        &report(BAD, "solutions", SEED),
    );
    dir.file(
        &format!("dave\u{202e}nosj.-{BAD}.json"),
        &report(BAD, "mistakes", SEED),
    );
    let fake = "x\n1  mallory  2-2  27★  99999\n## Owned\n| 1 | mallory | 2-2 |\r\u{2066}.json";
    dir.file(fake, "{}");
    let board = scoreboard::collect(&dir.0, None).expect("a board");
    assert_eq!((board.accepted.len(), board.rejected.len()), (2, 1));
    for format in [Format::Table, Format::Markdown, Format::Csv] {
        let text = scoreboard::render(&board, format);
        for c in ['\r', '\u{202e}', '\u{2066}'] {
            assert!(!text.contains(c), "{format:?} {c:?}:\n{text}");
        }
        for line in text.lines() {
            assert!(
                !line.contains("mallory") || line.contains("not a run report"),
                "{format:?}: a faked line `{line}`:\n{text}"
            );
            assert!(!line.starts_with("## Owned"), "{format:?}:\n{text}");
        }
    }
    let csv = scoreboard::render(&board, Format::Csv);
    assert_eq!(csv.lines().count(), 1 + 2 + 1, "{csv}");
    let out = zerodown(&["scoreboard", dir.0.to_str().expect("utf-8")]);
    let text = stdout(&out);
    assert!(text.contains("dave?nosj"), "{text}");
    assert!(!text.contains('\u{202e}'), "{text}");
}

#[test]
fn watch_refuses_a_missing_folder_and_a_bad_stuck_limit() {
    let missing = zerodown(&["workshop", "watch", "/no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/folder"));
    let dir = TempDir::new("watch-flags");
    let path = dir.0.display().to_string();
    for stuck in ["2s", "3h", "soon"] {
        let out = zerodown(&["workshop", "watch", &path, "--stuck", stuck]);
        assert_eq!(out.status.code(), Some(2), "--stuck {stuck}");
    }
    let code = zerodown(&["workshop", "watch", &path, "--code", "AAAA"]);
    assert_eq!(code.status.code(), Some(2));
}
