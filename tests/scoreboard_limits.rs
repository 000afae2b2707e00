//! The scoreboard's limits (hardening, item 6): cheap checks before any parse that could
//! build a tree, a duplicate key refused, the file limit per student folder, and entries
//! that are not reports listed as rejected rather than skipped.

mod common;

use common::{TempDir, builtin, read};
use zerodown::command::parse_script;
use zerodown::runner::run_script;
use zerodown::scoreboard::{self, Board, MAX_FILES, check_text};

const BAD: &str = "05-bad-build";
const SEED: u64 = 4242;

fn honest() -> String {
    let script = parse_script(&read(&format!("levels/solutions/{BAD}.txt"))).expect("script");
    run_script(&builtin(BAD), BAD, &script, SEED).to_json()
}

/// `(file name, why)` of every rejection, in the board's order.
fn rejected(board: &Board) -> Vec<(String, String)> {
    board
        .rejected
        .iter()
        .map(|r| {
            let name = r.file.file_name().expect("a name").to_string_lossy();
            (name.into_owned(), r.why.clone())
        })
        .collect()
}

#[test]
fn a_report_that_is_not_an_object_is_refused_before_it_is_parsed() {
    // 16 MB of `[0,0,…]` used to become a ~290 MB tree before the first check.
    let mut zeros = String::with_capacity(16 * 1024 * 1024);
    zeros.push('[');
    while zeros.len() < 16 * 1024 * 1024 - 4 {
        zeros.push_str("0,");
    }
    zeros.push_str("0]");
    for text in [zeros.as_str(), " [1]", "\"a string\"", "42", "null"] {
        let why = check_text(text, None).expect_err("not a report");
        assert_eq!(
            why, "not a run report: a report is a JSON object, `{ … }`",
            "{text:.20}"
        );
    }
    // An object of the wrong version is refused by a typed read of one field.
    let other = format!(
        r#"{{"x": [{}], "game_version": "0.0.1"}}"#,
        "0,".repeat(1000) + "0"
    );
    let why = check_text(&other, None).expect_err("another version");
    assert!(why.contains("made with zerodown 0.0.1"), "{why}");
}

#[test]
fn a_key_given_twice_is_refused() {
    let honest = honest();
    assert!(check_text(&honest, None).is_ok());
    // A reader that keeps one copy takes these for the honest report.
    let twice_outcome = honest.replacen(
        "\"outcome\": \"passed\",",
        "\"outcome\": \"passed\",\n  \"outcome\": \"passed\",",
        1,
    );
    let twice_second = honest.replacen("\"t\": 3,", "\"t\": 3,\n      \"t\": 3,", 1);
    let twice_version = honest.replacen(
        "\"game_version\"",
        &format!(
            "\"game_version\": \"{}\", \"game_version\"",
            env!("CARGO_PKG_VERSION")
        ),
        1,
    );
    for (text, key) in [
        (twice_outcome, "outcome"),
        (twice_second, "t"),
        (twice_version, "game_version"),
    ] {
        assert_ne!(text, honest, "{key}: the edit applies");
        let why = check_text(&text, None).expect_err(key);
        assert!(
            why.starts_with("not a run report") && why.contains(key),
            "{key}: {why}"
        );
    }
}

/// `n` empty files named `*.json` in `dir/name`.
fn junk_folder(dir: &TempDir, name: &str, n: usize) {
    std::fs::create_dir(dir.path(name)).expect("mkdir");
    for i in 0..n {
        std::fs::write(dir.path(&format!("{name}/{i}.json")), "").expect("write");
    }
}

#[test]
fn the_file_limit_applies_per_student_folder() {
    let dir = TempDir::new("per-folder");
    std::fs::create_dir(dir.path("alice")).expect("mkdir");
    dir.file(&format!("alice/{BAD}.json"), &honest());
    // Together more than MAX_FILES: each folder is within it.
    junk_folder(&dir, "carol", MAX_FILES / 2 + 100);
    junk_folder(&dir, "dave", MAX_FILES / 2 + 100);
    // One folder over it is that student's problem.
    junk_folder(&dir, "bob", MAX_FILES + 1);
    let board = scoreboard::collect(&dir.0, None).expect("the class is ranked");
    assert_eq!(board.accepted.len(), 1);
    assert_eq!(board.accepted[0].player, "alice");
    let why = rejected(&board);
    assert_eq!(why.len(), 1 + 2 * (MAX_FILES / 2 + 100));
    assert_eq!(
        why[0],
        (
            "bob".to_string(),
            format!("a student's folder with more than {MAX_FILES} files")
        )
    );
    // The class's own folder still has the limit.
    let big = TempDir::new("too-big");
    for i in 0..=MAX_FILES {
        std::fs::write(big.path(&format!("{i}.txt")), "").expect("write");
    }
    let e = scoreboard::collect(&big.0, None).expect_err("not a class");
    assert!(e.contains(&format!("more than {MAX_FILES} files")), "{e}");
}

#[cfg(unix)]
#[test]
fn links_pipes_and_folders_named_like_reports_are_listed_as_rejected() {
    let dir = TempDir::new("not-files");
    dir.file(&format!("alice-{BAD}.json"), &honest());
    std::os::unix::fs::symlink("/dev/zero", dir.path("zero.json")).expect("symlink");
    std::os::unix::fs::symlink(
        dir.path(&format!("alice-{BAD}.json")),
        dir.path("copy.json"),
    )
    .expect("symlink");
    std::fs::create_dir(dir.path("folder.json")).expect("mkdir");
    std::fs::create_dir(dir.path("bob")).expect("mkdir");
    std::fs::create_dir(dir.path("bob/inner.json")).expect("mkdir");
    std::os::unix::fs::symlink("/etc", dir.path("linked-student")).expect("symlink");
    let fifo = dir.path("bob/pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    // Not a report at all: skipped, as before.
    dir.file("notes.txt", "hello");
    std::os::unix::fs::symlink("/dev/zero", dir.path("bob/zero.txt")).expect("symlink");

    let board = scoreboard::collect(&dir.0, None).expect("a board");
    assert_eq!(board.accepted.len(), 1, "{:?}", board.rejected);
    let mut want = vec![
        ("bob/inner.json", "a folder named like a report"),
        ("copy.json", "a symbolic link: not followed"),
        ("folder.json", "a folder named like a report"),
        ("linked-student", "a symbolic link: not followed"),
        ("zero.json", "a symbolic link: not followed"),
    ];
    if made {
        want.insert(1, ("bob/pipe.json", "not a regular file (a pipe"));
    }
    let got: Vec<(String, String)> = board
        .rejected
        .iter()
        .map(|r| {
            let rel = r
                .file
                .strip_prefix(&dir.0)
                .unwrap_or(std::path::Path::new("?"));
            (rel.to_string_lossy().into_owned(), r.why.clone())
        })
        .collect();
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for ((file, why), (want_file, want_why)) in got.iter().zip(want) {
        assert!(
            file == want_file && why.starts_with(want_why),
            "{file}: {why}"
        );
    }
}
