//! The real `zerodown` binary: exit codes (0 passed, 1 objectives not met, 2 bad input),
//! the JSON report of DESIGN §6 on disk, problems placed at `file:line:col:`, and no
//! partial files on bad input.

mod common;

use std::path::Path;
use std::process::Output;

use common::{TempDir, crate_path, zerodown};
use serde_json::Value;

const SOLVED: &str = "levels/solutions/02-all-at-once.txt";
const NAIVE: &str = "levels/mistakes/02-all-at-once.txt";

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited, not killed")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

/// Space-separated key names, sorted.
fn sorted(names: &str) -> Vec<&str> {
    let mut k: Vec<&str> = names.split_whitespace().collect();
    k.sort_unstable();
    k
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn run_a_solution_writes_the_report_and_exits_0() {
    let dir = TempDir::new("solution");
    let report = dir.0.join("report.json");
    let out = zerodown(&[
        "run",
        "02-all-at-once",
        "--script",
        SOLVED,
        "--report",
        p(&report),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("PASSED"));
    assert_eq!(
        dir.entries(),
        ["report.json"],
        "no temporary file left behind"
    );
    let text = std::fs::read_to_string(&report).expect("report written");
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        keys(&v),
        sorted(
            "game_version mission seed outcome grade stars score objectives timeline events commands quiz_order"
        )
    );
    assert_eq!(
        keys(&v["score"]),
        sorted(
            "downtime_s total_requests failed_requests availability error_budget_used_pct mttd_s mttr_s users_affected_pct sessions_lost rollout_s points \
             slow_requests slow_s wrong_reads duplicate_writes"
        ),
        "DESIGN §6's fields, plus the additions for slowness and hidden damage"
    );
    assert_eq!(
        (&v["mission"], &v["seed"]),
        (&Value::from("02-all-at-once"), &Value::from(1))
    );
    assert_eq!(
        (&v["outcome"], &v["stars"]),
        (&Value::from("passed"), &Value::from(3))
    );
    assert!(v["score"]["mttd_s"].is_null(), "no incident: null");
    let timeline = v["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 720, "one entry per second of 12 minutes");
    assert_eq!(
        keys(&timeline[0]),
        sorted(
            "t arrived ok failed in_flight error_rate p50_ms p95_ms p99_ms cpu_avg cpu_max mem_avg servers in_service by_version"
        )
    );
    assert_eq!(
        keys(&timeline[0]["by_version"]["v1"]),
        sorted("servers in_service arrived ok failed p99_ms")
    );
    assert_eq!(keys(&v["events"][0]), ["severity", "t", "text"]);
    assert_eq!(keys(&v["commands"][0]), ["command", "t"]);
    assert_eq!(v["commands"][0]["command"], "drain web-01..web-04");
}

#[test]
fn run_a_mistake_exits_1_and_prints_the_report() {
    let out = zerodown(&["run", "02-all-at-once", "--script", NAIVE, "--seed", "9"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(
        (&v["outcome"], &v["seed"]),
        (&Value::from("failed"), &Value::from(9))
    );
    assert!(v["score"]["downtime_s"].as_u64().expect("a count") > 0);
}

#[test]
fn check_places_every_mission_problem_at_file_line_col() {
    let bad = crate_path("tests/missions/bad");
    let mut files: Vec<String> = std::fs::read_dir(&bad)
        .expect("tests/missions/bad")
        .map(|e| {
            format!(
                "tests/missions/bad/{}",
                e.expect("entry").file_name().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for file in &files {
        let out = zerodown(&["check", file]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{file}: {err}");
        let problems: Vec<&str> = err.lines().filter(|l| !l.ends_with("problem(s)")).collect();
        assert!(!problems.is_empty(), "{file}");
        for line in problems {
            let rest = line
                .strip_prefix(&format!("{file}:"))
                .expect("starts with the file");
            let mut parts = rest.splitn(3, ':');
            let (l, c) = (parts.next().expect("line"), parts.next().expect("col"));
            assert!(l.parse::<u32>().is_ok_and(|n| n >= 1), "{line}");
            assert!(c.parse::<u32>().is_ok_and(|n| n >= 1), "{line}");
            assert!(
                parts.next().is_some_and(|m| m.len() > 5),
                "a message: {line}"
            );
        }
    }
    let out = zerodown(&["check", "tests/missions/bad/syntax.ron"]);
    assert!(stderr(&out).starts_with("tests/missions/bad/syntax.ron:4:20: expected colon"));
}

#[test]
fn check_accepts_the_levels_and_their_scripts() {
    let out = zerodown(&["check", "levels/02-all-at-once.ron", SOLVED, NAIVE]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn check_places_script_typos_and_suggests() {
    let dir = TempDir::new("typo");
    let a = dir.file("a.txt", "rollbak\n");
    let b = dir.file("b.txt", "deplyo v2 web-01\n");
    let out = zerodown(&["check", p(&a), p(&b)]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}:1:1: unknown command `rollbak`", p(&a))),
        "{err}"
    );
    let want = format!(
        "{}:1:1: unknown command `deplyo`; did you mean `deploy`?",
        p(&b)
    );
    assert!(err.contains(&want), "{err}");
}

#[test]
fn run_refuses_an_unknown_mission_and_a_broken_script() {
    let out = zerodown(&["run", "no-such-mission", "--script", SOLVED]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown mission `no-such-mission`"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    let dir = TempDir::new("broken-script");
    let script = dir.file("s.txt", "wait 5s\ndrain web-01..\n");
    let report = dir.0.join("r.json");
    let out = zerodown(&[
        "run",
        "02-all-at-once",
        "--script",
        p(&script),
        "--report",
        p(&report),
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(&format!("{}:2:", p(&script))),
        "{}",
        stderr(&out)
    );
    assert_eq!(dir.entries(), ["s.txt"], "no report for bad input");
}

#[test]
fn an_unwritable_report_exits_2_without_a_partial_file() {
    let dir = TempDir::new("unwritable");
    let missing = dir.0.join("missing").join("report.json");
    let out = zerodown(&[
        "run",
        "02-all-at-once",
        "--script",
        SOLVED,
        "--report",
        p(&missing),
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot write report"),
        "{}",
        stderr(&out)
    );
    assert!(
        dir.entries().is_empty(),
        "nothing created: {:?}",
        dir.entries()
    );
    // A directory in the way: the rename fails and the temporary file is removed.
    std::fs::create_dir(dir.0.join("taken.json")).expect("mkdir");
    let taken = dir.0.join("taken.json");
    let out = zerodown(&[
        "run",
        "02-all-at-once",
        "--script",
        SOLVED,
        "--report",
        p(&taken),
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(dir.entries(), ["taken.json"], "no taken.json.tmp left");
}

#[test]
fn list_names_every_level() {
    let out = zerodown(&["list"]);
    assert_eq!(code(&out), 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("02-all-at-once") && text.contains("Twenty servers"),
        "{text}"
    );
    assert!(text.contains("03-rolling-by-hand") && text.contains("Rolling, two at a time"));
    assert!(!text.contains("broken"), "{text}");
}

/// `--report` never replaces what is at its path with a regular file: a link to the
/// terminal or a pipe (`/dev/stdout`) is written through and stays a link; a folder is
/// refused and stays.
#[cfg(unix)]
#[test]
fn a_report_to_a_link_or_device_is_written_through_not_replaced() {
    let dir = TempDir::new("report-through");
    let link = dir.path("out.json");
    std::os::unix::fs::symlink("/dev/stdout", &link).expect("symlink");
    let out = zerodown(&[
        "run",
        "02-all-at-once",
        "--script",
        SOLVED,
        "--report",
        p(&link),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"mission\": \"02-all-at-once\""), "{text}");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("still there")
            .is_symlink()
    );
    let folder = dir.path("folder.json");
    std::fs::create_dir(&folder).expect("dir");
    let out = zerodown(&[
        "run",
        "02-all-at-once",
        "--script",
        SOLVED,
        "--report",
        p(&folder),
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    assert!(folder.is_dir());
    assert_eq!(dir.entries(), ["folder.json", "out.json"]);
}

/// `--colors` takes truecolor, 256 or 16, and says so on anything else.
#[test]
fn colors_flag_names_the_depths_it_takes() {
    let out = zerodown(&["list", "--colors", "8"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown colour depth `8` (truecolor, 256 or 16)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(code(&zerodown(&["list", "--colors", "256"])), 0);
}

/// Issue 20 item 4: a workshop starts with everyone running `zerodown doctor`.
#[test]
fn doctor_describes_the_terminal_and_exits_0() {
    let out = zerodown(&["doctor", "--colors", "256"]);
    assert_eq!(code(&out), 0);
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "terminal size",
        "colour depth    256 colours (from --colors)",
        "glyphs",
        "test line",
        "progress saved",
        "the game will",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
}

/// A script a student might hand in for 03: a command the mission has not unlocked, a
/// version it does not have, and a wait that cannot end in time.
const OFF_MISSION: &str = "canary v3 steps=10,100 interval=30s\ndeploy v9 all\nwait 20s\nwait until all-on v3 timeout=5s\n";

#[test]
fn run_prints_every_refused_command_with_its_time_and_reason() {
    let dir = TempDir::new("refusals");
    let script = dir.file("s.txt", OFF_MISSION);
    let report = dir.0.join("r.json");
    let args = ["run", "03-rolling-by-hand", "--script", p(&script)];
    let summary = zerodown(&[&args[..], &["--report", p(&report)]].concat());
    assert_eq!(code(&summary), 1, "{}", stderr(&summary));
    let out = String::from_utf8_lossy(&summary.stdout);
    let s = p(&script);
    for want in [
        "3 script lines not carried out:".to_string(),
        format!("{s}:1: at 0:00 `canary v3 steps=10,100 interval=30s`: `canary` is not available"),
        format!("{s}:2: at 0:00 `deploy v9 all`: no version `v9` in this mission"),
        format!("{s}:4: at 0:25 `wait until all-on v3 timeout=5s`: timed out after 5s"),
    ] {
        assert!(out.contains(&want), "missing {want:?} in\n{out}");
    }
    // Without --report, standard output stays the JSON alone and the refusals go to stderr.
    let piped = zerodown(&args);
    let json: Value = serde_json::from_slice(&piped.stdout).expect("stdout is the report");
    assert_eq!(json["mission"], "03-rolling-by-hand");
    assert!(stderr(&piped).contains(&format!("{s}:2: at 0:00 `deploy v9 all`")));
}

#[test]
fn check_with_a_mission_places_what_the_mission_would_refuse() {
    let dir = TempDir::new("check-mission");
    let script = dir.file("s.txt", OFF_MISSION);
    let out = zerodown(&["check", p(&script), "--mission", "03-rolling-by-hand"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    let s = p(&script);
    assert!(
        err.contains(&format!(
            "{s}:1:1: 03-rolling-by-hand: `canary` is not available in this mission (it allows: deploy, drain"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{s}:2:1: 03-rolling-by-hand: no version `v9` in this mission (it has: v2, v3)"
        )),
        "{err}"
    );
    assert!(err.contains("2 problem(s)"), "{err}");
    // Without --mission the same script is well formed.
    assert_eq!(code(&zerodown(&["check", p(&script)])), 0);
}

#[test]
fn every_reference_script_fits_its_mission() {
    for entry in std::fs::read_dir(crate_path("levels/solutions")).expect("solutions") {
        let path = entry.expect("entry").path();
        let id = path.file_stem().and_then(|s| s.to_str()).expect("name");
        let mistake = crate_path(&format!("levels/mistakes/{id}.txt"));
        let out = zerodown(&["check", p(&path), p(&mistake), "--mission", id]);
        assert_eq!(code(&out), 0, "{id}: {}", stderr(&out));
    }
}

#[test]
fn commands_for_a_mission_lists_only_what_it_allows() {
    let out = zerodown(&["commands", "--mission", "03-rolling-by-hand"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("versions: v2, v3"), "{text}");
    assert!(text.contains("\ndrain <targets>\n"), "{text}");
    assert!(!text.contains("canary"), "{text}");
    let all = String::from_utf8_lossy(&zerodown(&["commands"]).stdout).into_owned();
    assert!(all.contains("canary"));
    let bad = zerodown(&["commands", "--mission", "nope"]);
    assert_eq!(code(&bad), 2);
}
