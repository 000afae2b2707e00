//! `zerodown progress` end to end, with `ZERODOWN_HOME` pointing at a temporary directory:
//! a corrupt save is set aside (and still exists), an interrupted write never replaces the
//! good file, export → import round-trips, a bad import changes nothing, a reset keeps a
//! recoverable copy, and the exit codes (0 done, 2 bad input).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{TempDir, crate_path};
use zerodown::progress::{HOME_ENV, Progress, RunResult, Store};

/// Runs the binary with its save in `home`.
fn zerodown(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(args)
        .env(HOME_ENV, home)
        .current_dir(crate_path(""))
        .output()
        .expect("run zerodown")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited, not killed")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The first mission passed with one star, then 02 failed once and passed with two.
fn some_progress() -> Progress {
    let mut p = Progress::default();
    p.record(
        zerodown::mission::builtin()[0].0,
        RunResult {
            passed: true,
            stars: 1,
            points: 500,
        },
    );
    for (passed, stars, points) in [(false, 0, 200), (true, 2, 870)] {
        p.record(
            "02-all-at-once",
            RunResult {
                passed,
                stars,
                points,
            },
        );
    }
    p
}

#[test]
fn progress_shows_the_path_rank_and_every_mission() {
    let home = TempDir::new("show");
    let out = zerodown(&home.0, &["progress"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let path = home.path("progress.json");
    assert!(
        text.starts_with(&format!(
            "progress: {}  (nothing saved yet)",
            path.display()
        )),
        "{text}"
    );
    let missions = zerodown::mission::builtin();
    let all = 3 * missions.len();
    assert!(
        text.contains(&format!("rank: Beginner (deploy an app) · 0/{all} ★")),
        "{text}"
    );
    assert!(
        text.contains(&format!("locked: pass {} first", missions[0].0)),
        "{text}"
    );
    assert!(home.entries().is_empty(), "showing writes nothing");

    Store::at(&home.0).save(&some_progress()).expect("save");
    let text = stdout(&zerodown(&home.0, &["progress"]));
    let line = |id: &str| text.lines().find(|l| l.starts_with(id)).unwrap_or_default();
    assert_eq!(
        line("02-all-at-once")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["02-all-at-once", "★★☆", "870", "2", "passed"],
        "{text}"
    );
    assert!(
        line("03-rolling-by-hand").contains("▶ continue here"),
        "{text}"
    );
    assert!(
        text.contains(&format!("rank: Beginner (deploy an app) · 3/{all} ★")),
        "{text}"
    );
    assert!(text.contains("last played: 02-all-at-once"), "{text}");
}

#[test]
fn a_corrupt_save_is_set_aside_with_a_warning_and_progress_starts_empty() {
    let home = TempDir::new("corrupt");
    let garbage = "{\"version\": 1, \"missions\": {\"02-all-at-once\": {\"best_st";
    std::fs::write(home.path("progress.json"), garbage).expect("write");
    let out = zerodown(&home.0, &["progress"]);
    assert_eq!(
        code(&out),
        0,
        "a bad save is not bad input: {}",
        stderr(&out)
    );
    let warning = stderr(&out);
    let aside = home.path("progress.json.corrupt-1");
    assert!(warning.starts_with("warning: "), "{warning}");
    assert!(
        warning.contains(p(&home.path("progress.json"))),
        "{warning}"
    );
    assert!(warning.contains(p(&aside)), "{warning}");
    assert_eq!(
        read(&aside),
        garbage,
        "the corrupt file still exists, unchanged"
    );
    let all = 3 * zerodown::mission::builtin().len();
    assert!(stdout(&out).contains(&format!("0/{all} ★")), "starts empty");
    // A second bad save does not overwrite the first one's copy.
    std::fs::write(home.path("progress.json"), "[]").expect("write");
    zerodown(&home.0, &["progress"]);
    assert_eq!(read(&aside), garbage);
    assert_eq!(read(&home.path("progress.json.corrupt-2")), "[]");
}

#[test]
fn an_interrupted_write_never_replaces_the_good_file() {
    let home = TempDir::new("interrupted");
    let store = Store::at(&home.0);
    store.save(&some_progress()).expect("save");
    let good = read(&store.path());
    // What a crash mid-save leaves: a truncated temporary file beside the good one.
    let newer = Progress::default().to_json();
    std::fs::write(
        home.path("progress.json.tmp-4242"),
        &newer[..newer.len() / 2],
    )
    .expect("write");
    let out = zerodown(&home.0, &["progress"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stderr(&out), "", "no warning: the save is fine");
    assert!(stdout(&out).contains("★★☆"), "{}", stdout(&out));
    assert_eq!(read(&store.path()), good);
    assert_eq!(store.load().progress, some_progress());
}

#[test]
fn export_then_import_round_trips() {
    let (a, b) = (TempDir::new("export-a"), TempDir::new("export-b"));
    Store::at(&a.0).save(&some_progress()).expect("save");
    let file = a.path("carry.json");
    let out = zerodown(&a.0, &["progress", "--export", p(&file)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("exported 2 mission record(s)"));
    // Into an empty home, then over an existing save (kept as a copy).
    let out = zerodown(&b.0, &["progress", "--import", p(&file)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(Store::at(&b.0).load().progress, some_progress());
    assert_eq!(b.entries(), ["progress.json"]);
    // Saves merge, so an empty save is written by hand.
    std::fs::write(b.path("progress.json"), Progress::default().to_json()).expect("write");
    let out = zerodown(&b.0, &["progress", "--import", p(&file)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("progress.json.before-import-1"));
    assert_eq!(read(&b.path("progress.json")), read(&file));
    assert_eq!(
        Progress::from_json(&read(&b.path("progress.json.before-import-1"))),
        Ok(Progress::default())
    );
}

#[test]
fn a_bad_import_is_refused_and_changes_nothing() {
    let home = TempDir::new("bad-import");
    let store = Store::at(&home.0);
    store.save(&some_progress()).expect("save");
    let before = read(&store.path());
    let bad = TempDir::new("bad-import-files");
    let cases = [
        ("syntax.json", "{\"version\": 1,", "line 1, column"),
        (
            "stars.json",
            &some_progress()
                .to_json()
                .replace("\"best_stars\": 2", "\"best_stars\": 7"),
            "best_stars 7",
        ),
        (
            "future.json",
            "{\"version\": 9, \"missions\": {}}",
            "version 9",
        ),
        (
            "unknown.json",
            "{\"version\": 1, \"cheats\": true}",
            "unknown field",
        ),
    ];
    for (name, text, why) in cases {
        let file = bad.path(name);
        std::fs::write(&file, text).expect("write");
        let out = zerodown(&home.0, &["progress", "--import", p(&file)]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{name}: {err}");
        assert!(
            err.starts_with("import refused, nothing changed: "),
            "{err}"
        );
        assert!(err.contains(p(&file)) && err.contains(why), "{name}: {err}");
        assert_eq!(read(&store.path()), before, "{name}");
        assert_eq!(
            home.entries(),
            ["progress.json"],
            "{name}: no copies, no temp files"
        );
    }
    let out = zerodown(
        &home.0,
        &["progress", "--import", p(&bad.path("missing.json"))],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(read(&store.path()), before);
}

#[test]
fn reset_keeps_a_recoverable_copy() {
    let home = TempDir::new("reset");
    let store = Store::at(&home.0);
    store.save(&some_progress()).expect("save");
    let before = read(&store.path());
    let out = zerodown(&home.0, &["progress", "--reset"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let kept = home.path("progress.json.reset-1");
    assert!(stdout(&out).contains(p(&kept)), "{}", stdout(&out));
    assert_eq!(read(&kept), before);
    assert_eq!(home.entries(), ["progress.json.reset-1"]);
    assert_eq!(store.load().progress, Progress::default());
    // Resetting again with nothing saved is fine and touches nothing.
    let out = zerodown(&home.0, &["progress", "--reset"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with("nothing to reset"));
    // Renaming the copy back undoes the reset.
    std::fs::rename(&kept, store.path()).expect("rename back");
    assert_eq!(store.load().progress, some_progress());
}

#[test]
fn conflicting_or_unknown_options_are_bad_input() {
    let home = TempDir::new("usage");
    for args in [
        &["progress", "--reset", "--import", "x.json"][..],
        &["progress", "--export", "a.json", "--import", "b.json"],
        &["progress", "--wipe"],
        &["progress", "--import"],
    ] {
        let out = zerodown(&home.0, args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
    assert!(home.entries().is_empty());
}

/// A save is a file like any other: a mission id or an unknown key with terminal escapes or
/// bidi overrides reaches `progress`, `list` and `progress --import` defused.
#[test]
fn escapes_in_a_save_never_reach_the_terminal() {
    let good: serde_json::Value = serde_json::from_str(&some_progress().to_json()).expect("json");
    // A bad id that also breaks the other rules (each quotes it), and a bad last mission.
    let mut bad_id = good.clone();
    let record = good["missions"]["02-all-at-once"].clone();
    let mut broken = record.clone();
    broken["best_stars"] = 5.into();
    broken["attempts"] = 0.into();
    bad_id["missions"]["\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}"] = broken;
    bad_id["last_mission"] = "\u{1b}[31mred-owned".into();
    // serde quotes an unknown key.
    let mut unknown = good.clone();
    unknown["\u{1b}[2Jkey\u{2066}"] = 1.into();
    let hostile = [bad_id.to_string(), unknown.to_string()];
    for text in hostile {
        for args in [
            &["progress"][..],
            &["list"][..],
            &["progress", "--import"][..],
        ] {
            let home = TempDir::new("hostile-save");
            let file = home.file("progress.json", &text);
            let mut args = args.to_vec();
            if args.len() == 2 {
                args.push(p(&file));
            }
            let out = zerodown(&home.0, &args);
            let all = stdout(&out) + &stderr(&out);
            assert!(
                all.contains("owned") || all.contains("key"),
                "{args:?}: {all}"
            );
            for c in ['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}'] {
                assert!(!all.contains(c), "{args:?} prints {c:?} raw:\n{all}");
            }
        }
    }
}
