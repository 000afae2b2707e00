//! `zerodown sandbox`: the example files validate, broken sandbox files are reported exactly
//! like missions, the flags build the fleet they name, every command is unlocked, a sandbox
//! runs headless with every request accounted for, and the binary's exit codes.

mod common;

use clap::Parser;
use common::{TempDir, crate_path, zerodown};
use zerodown::cli::{Cli, Cmd};
use zerodown::command::{COMMANDS, parse_command, parse_script};
use zerodown::mission::{
    Balancer, Mission, Sessions, Version, known_commands, load_path, load_str, resolve,
};
use zerodown::runner::run_script;
use zerodown::sim::{Rejected, Sim};
use zerodown::time::Dur;

/// The sandbox `zerodown sandbox ARGS…` would play, or its error text.
fn sandbox(args: &[&str]) -> Result<(String, Mission), String> {
    let argv = ["zerodown", "sandbox"].iter().chain(args).copied();
    match Cli::try_parse_from(argv)
        .map_err(|e| e.to_string())?
        .command
    {
        Some(Cmd::Sandbox(a)) => a.mission(),
        other => panic!("not the sandbox command: {other:?}"),
    }
}

fn example_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(crate_path("sandbox"))
        .expect("sandbox/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_example_files_are_valid_free_play() {
    let files = example_files();
    assert!(files.len() >= 3, "the examples: {files:?}");
    for path in files {
        let m = load_path(&path).unwrap_or_else(|e| panic!("{}:\n{e}", path.display()));
        assert!(m.sandbox, "{}", path.display());
        assert!(m.objectives.is_empty());
        assert_eq!(m.unlocks, known_commands(), "{}", path.display());
    }
    let migration = load_path(&crate_path("sandbox/migration.ron")).expect("valid");
    assert_eq!(migration.database.migrations.len(), 4);
    assert!(migration.pipeline.is_some());
}

/// The same broken sections, once in a sandbox and once in a mission (whose extra required
/// fields come last, so every line and column is the same).
const BROKEN: &str = r#"
    fleet: (servers: 0, capacity_rps: -1.0),
    traffic: (base_rps: 100.0, spikes: [(at: "1m", length: "0s", factor: 2.0)]),
    versions: {"v1": (errors: 2.0), "v 2": ()},
    start: (version: "v9"),
    duration: "0s",
"#;

#[test]
fn a_broken_sandbox_gets_every_problem_placed_like_a_mission() {
    let as_sandbox = format!("Sandbox({BROKEN})");
    let as_mission = format!(
        "Mission({BROKEN}title: \"t\", objectives: [DowntimeAtMost(\"0s\")], stars: (two: 1, three: 2))"
    );
    let problems = |text: &str| load_str(text, "f.ron").expect_err("broken").problems;
    let sandbox = problems(&as_sandbox);
    assert_eq!(sandbox, problems(&as_mission));
    let shown: Vec<String> = sandbox.iter().map(ToString::to_string).collect();
    for want in [
        "f.ron:2:22: fleet.servers must be 1 to 10000, found 0",
        "f.ron:2:39: fleet.capacity_rps must be greater than 0",
        "f.ron:3:60: traffic.spikes[0].length must be longer than 0s",
        "f.ron:4:31: versions[\"v1\"].errors must be between 0 and 1, found 2",
        "f.ron:4:37: version name \"v 2\"",
        "f.ron:5:22: start.version names version \"v9\"",
        "f.ron:6:15: duration must be longer than 0s",
    ] {
        assert!(
            shown.iter().any(|p| p.starts_with(want)),
            "want {want:?} in:\n{}",
            shown.join("\n")
        );
    }
}

#[test]
fn typos_and_the_wrong_kind_of_file_are_named() {
    let first = |text: &str| load_str(text, "f.ron").expect_err(text).problems[0].to_string();
    // The fleet's types are the mission's: the same suggestion.
    assert_eq!(
        first("Sandbox(fleet: (servers: 4, capacity: 10.0))"),
        first("Mission(fleet: (servers: 4, capacity: 10.0))")
    );
    assert!(first("Sandbox(fleet: (servers: 4, capacity: 10.0))").contains("`capacity_rps`"));
    // A mission-only field is not part of free play.
    assert!(first("Sandbox(objectives: [])").starts_with("f.ron:1:9: unknown field `objectives`"));
    assert!(first("// a comment\nSandbx(title: \"x\")").starts_with(
        "f.ron:2:1: `Sandbx(` is neither a mission nor a sandbox (did you mean `Sandbox`?)"
    ));
    // Objectives are what a mission needs and a sandbox does not.
    let bare = r#"(title: "x", fleet: (servers: 1, capacity_rps: 1.0), traffic: (base_rps: 1.0),
        versions: {"v1": ()}, start: (version: "v1"), duration: "1m", objectives: [],
        stars: (two: 1, three: 1))"#;
    assert!(first(&format!("Mission{bare}")).contains("objectives must list at least one"));
    assert!(load_str("Sandbox()", "f.ron").is_ok());
}

#[test]
fn flags_build_the_fleet_they_name() {
    let (id, m) = sandbox(&[
        "--servers",
        "40",
        "--rps",
        "3000",
        "--capacity",
        "90",
        "--balancer",
        "server-count",
        "--version",
        "v2:errors=0.05,onset=1m",
        "--version",
        "v3",
        "--sessions",
        "external",
        "--migrations",
        "--pipeline",
        "--duration",
        "10m",
    ])
    .expect("valid flags");
    assert_eq!(id, "sandbox");
    let sim = Sim::new(&m, m.seed);
    assert_eq!(sim.servers().len(), 40);
    assert!(
        sim.servers()
            .iter()
            .all(|s| sim.version_name(s.version) == "v1")
    );
    assert!((m.traffic.base_rps - 3000.0).abs() < 1e-9);
    assert!((m.fleet.capacity_rps - 90.0).abs() < 1e-9);
    assert_eq!(m.fleet.balancer, Balancer::ServerCount);
    assert_eq!(m.fleet.sessions, Sessions::External);
    assert!(m.fleet.session_store_rps.is_some());
    assert_eq!(m.versions.keys().collect::<Vec<_>>(), ["v1", "v2", "v3"]);
    assert!((m.versions["v2"].errors - 0.05).abs() < 1e-12);
    assert_eq!(m.versions["v2"].onset_after, Dur::from_secs(60));
    assert_eq!(m.versions["v3"], Version::default());
    let migrations: Vec<_> = m.database.migrations.keys().collect();
    assert_eq!(migrations, ["backfill", "contract", "expand"]);
    assert!(m.pipeline.is_some());
    assert_eq!(m.duration, Dur::from_secs(600));

    // Nothing given: the default fleet; v3 is the release with a defect.
    let (_, d) = sandbox(&[]).expect("default");
    assert_eq!(d.fleet.servers, 20);
    assert_eq!(d.start.version, "v1");
    assert!(d.versions["v3"].errors > 0.0 && d.versions["v2"] == Version::default());

    // Flags override a file and keep the rest of it.
    let (id, f) = sandbox(&["sandbox/big-fleet.ron", "--servers", "120", "--seed", "9"])
        .expect("file and flags");
    assert_eq!(
        (id.as_str(), f.fleet.servers, f.seed),
        ("big-fleet", 120, 9)
    );
    assert!((f.traffic.base_rps - 7000.0).abs() < 1e-9);
    assert!(f.versions["v2"].tail.is_some(), "the file's versions stay");
}

#[test]
fn bad_flags_name_the_flag() {
    let err = |args: &[&str]| sandbox(args).expect_err("refused");
    assert!(err(&["--servers", "0"]).contains("--servers"));
    assert!(err(&["--rps", "-5"]).contains("--rps"));
    // 1e308 requests a second wrapped the sim's counters (a panic in a debug build).
    let huge = err(&["--rps", "1e308"]);
    assert!(
        huge.contains("--rps") && huge.contains("at most 10000000"),
        "{huge}"
    );
    assert!(err(&["--capacity", "1e308"]).contains("--capacity"));
    assert!(err(&["--version", "v2:latency=1e308"]).contains("at most 1000"));
    assert!(err(&["--balancer", "random"]).contains("--balancer"));
    assert!(err(&["--version", "v2:errors=2"]).contains("errors must be between 0 and 1"));
    assert!(err(&["--version", "v2:bogus"]).contains("unknown key `bogus`"));
    assert!(err(&["--duration", "forever"]).contains("--duration"));
    assert!(err(&["--start", "v9"]).starts_with("--start v9: no such version"));
}

/// One line of each command, to show that none is locked in free play.
const SAMPLES: &[&str] = &[
    "deploy v2 web-01",
    "drain web-02",
    "undrain web-02",
    "restart web-03",
    "pause",
    "resume",
    "speed 2",
    "note trying every command",
    "wait 1s",
    "rolling v2 batch=2",
    "bluegreen v2",
    "switch green",
    "delete blue",
    "canary v2 steps=10,50,100 interval=30s",
    "weight 20",
    "promote",
    "abort",
    "retry",
    "rollback",
    "shadow v2 50%",
    "guard error_rate>2% for 10s -> rollback",
    "guards",
    "unguard 1",
    "migrate expand",
    "sessions external",
    "sticky on",
    "probe readiness deep",
    "pipeline run v2",
    "promote staging",
];

#[test]
fn every_command_is_unlocked_in_a_sandbox() {
    let samples: Vec<_> = SAMPLES
        .iter()
        .map(|l| parse_command(l).unwrap_or_else(|e| panic!("{l}: {e:?}")))
        .collect();
    for spec in COMMANDS {
        assert!(
            samples.iter().any(|c| c.name() == spec.name),
            "add a sample of `{}`",
            spec.name
        );
    }
    let (_, m) = sandbox(&["--migrations", "--pipeline"]).expect("valid");
    for (line, cmd) in SAMPLES.iter().zip(&samples) {
        let mut sim = Sim::new(&m, 1);
        let result = sim.apply(cmd);
        assert!(
            !matches!(result, Err(Rejected::Locked(_))),
            "`{line}` is locked in a sandbox"
        );
    }
    // The same check refuses in a campaign mission: the test can tell.
    let one = resolve("01-one-server").expect("built in").1;
    let canary = parse_command("canary v2 steps=10,100 interval=30s").expect("parses");
    assert!(matches!(
        Sim::new(&one, 1).apply(&canary),
        Err(Rejected::Locked(_))
    ));
}

#[test]
fn a_sandbox_runs_headless_and_accounts_for_every_request() {
    let (id, m) = sandbox(&["--duration", "4m", "--servers", "10", "--rps", "600"]).expect("valid");
    let script = parse_script(
        "guard error_rate>2% for 10s version=v3 -> rollback\nrolling v2 batch=2\n\
         wait until all-on v2 timeout=3m\ncanary v3 steps=20,100 interval=20s\n",
    )
    .expect("script");
    let report = run_script(&m, &id, &script, m.seed);
    assert_eq!(
        report.timeline.len(),
        240,
        "one entry a second for 4 minutes"
    );
    let refused: Vec<_> = report
        .events
        .iter()
        .filter(|e| e.text.contains("refused"))
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
    assert_eq!(
        report.commands.len(),
        3,
        "every command but the wait applied"
    );
    let mut in_flight = 0;
    for e in &report.timeline {
        assert_eq!(
            e.in_flight + e.ok + e.failed,
            in_flight + e.arrived,
            "t={}",
            e.t
        );
        in_flight = e.in_flight;
    }
    let arrived: u64 = report.timeline.iter().map(|e| e.arrived).sum();
    let done: u64 = report.timeline.iter().map(|e| e.ok + e.failed).sum();
    assert_eq!(arrived, done + in_flight);
    let failed: u64 = report.timeline.iter().map(|e| e.failed).sum();
    assert_eq!(
        report.score.total_requests, arrived,
        "the score counts the timeline"
    );
    assert_eq!(report.score.failed_requests, failed);
    assert!(arrived > 100_000, "the fleet served its users: {arrived}");
}

#[test]
fn check_accepts_the_example_sandbox_files() {
    let out = zerodown(&[
        "check",
        "sandbox/big-fleet.ron",
        "sandbox/leaky-release.ron",
        "sandbox/migration.ron",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn bad_input_exits_2_with_file_line_col_or_the_flag() {
    let dir = TempDir::new("sandbox");
    let broken = dir.0.join("broken.ron");
    std::fs::write(&broken, format!("Sandbox({BROKEN})")).expect("write");
    let path = broken.to_str().expect("utf-8");
    let out = zerodown(&["sandbox", path]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{path}:2:22: fleet.servers")),
        "{err}"
    );
    assert_eq!(err.lines().count(), 8, "every problem at once:\n{err}");
    let out = zerodown(&["check", path]);
    assert_eq!(out.status.code(), Some(2));

    let out = zerodown(&["sandbox", "--servers", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'--servers <N>'"));
    let out = zerodown(&["sandbox", "--version", "v2:errors=1.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'--version <SPEC>'"));
}
