//! Windows line endings (issue 20 item 1): a mission, sandbox, script or plan saved with
//! CRLF (Notepad, a git checkout with `autocrlf`) means exactly what the LF file means,
//! and a problem in it is reported at the same line and column.

mod common;

use std::path::PathBuf;

use common::{crate_path, read, zerodown};
use zerodown::command::parse_script;
use zerodown::drill::plan::Plan;
use zerodown::mission::{builtin, load_str, mistake_script, solution_script};

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// A fresh folder for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zerodown-crlf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn every_mission_and_sandbox_reads_the_same_with_crlf() {
    for (id, source) in builtin() {
        let lf = load_str(source, id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let windows = load_str(&crlf(source), id).unwrap_or_else(|e| panic!("{id} CRLF: {e}"));
        assert_eq!(lf, windows, "{id}");
    }
    for entry in std::fs::read_dir(crate_path("sandbox")).expect("sandbox folder") {
        let path = entry.expect("entry").path();
        let source = std::fs::read_to_string(&path).expect("sandbox file");
        let name = path.display().to_string();
        let lf = load_str(&source, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let windows = load_str(&crlf(&source), &name).expect("CRLF sandbox");
        assert_eq!(lf, windows, "{name}");
    }
}

/// A string may span lines in RON: its line break is `\n` whatever the file's.
#[test]
fn a_string_across_lines_keeps_one_line_break() {
    let source = read("levels/02-all-at-once.ron").replace("grew: twenty", "grew:\ntwenty");
    let lf = load_str(&source, "02.ron").expect("LF");
    assert!(lf.briefing.contains("grew:\ntwenty"), "{}", lf.briefing);
    assert_eq!(lf, load_str(&crlf(&source), "02.ron").expect("CRLF"));
}

#[test]
fn a_problem_in_a_crlf_mission_is_at_the_same_line_and_column() {
    for bad in std::fs::read_dir(crate_path("tests/missions/bad")).expect("bad missions") {
        let path = bad.expect("entry").path();
        let source = std::fs::read_to_string(&path).expect("mission");
        let lf = load_str(&source, "m.ron")
            .expect_err("a bad mission")
            .to_string();
        let windows = load_str(&crlf(&source), "m.ron").expect_err("still bad");
        assert_eq!(lf, windows.to_string(), "{}", path.display());
    }
}

#[test]
fn every_reference_script_and_plan_parses_the_same_with_crlf() {
    for (id, _) in builtin() {
        for script in [solution_script(id), mistake_script(id)]
            .into_iter()
            .flatten()
        {
            assert_eq!(parse_script(script), parse_script(&crlf(script)), "{id}");
        }
    }
    for entry in std::fs::read_dir(crate_path("tests/fuzz/plans")).expect("plans") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("plan");
        assert_eq!(Plan::parse(&text), Plan::parse(&crlf(&text)));
    }
}

/// End to end: `check` and `run` read CRLF files from disk.
#[test]
fn the_cli_checks_and_runs_crlf_files() {
    let dir = scratch("cli");
    let mission = dir.join("02.ron");
    let script = dir.join("solution.txt");
    std::fs::write(&mission, crlf(&read("levels/02-all-at-once.ron"))).expect("write");
    let solution = read("levels/solutions/02-all-at-once.txt");
    std::fs::write(&script, crlf(&solution)).expect("write");
    let (mission, script) = (mission.display().to_string(), script.display().to_string());
    let out = zerodown(&["check", &mission, &script]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let run = |script: &str| {
        let out = zerodown(&["run", &mission, "--script", script]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        out.stdout
    };
    let lf = dir.join("lf.txt");
    std::fs::write(&lf, &solution).expect("write");
    assert_eq!(run(&script), run(&lf.display().to_string()));
    let _ = std::fs::remove_dir_all(&dir);
}
