//! The interview drill end to end: a drill is reproducible from its seed (same case, same
//! report byte for byte), its debrief scores a careful plan above a careless one in the
//! rubric and in the outcome, every kind of hidden fault comes up, every case is a valid
//! mission, the plan's automation switches and falls back, and the CLI behaves.

mod common;

use std::process::{Command, Output};

use common::{TempDir, crate_path};
use zerodown::drill::{self, DrillReport, FaultKind, Plan, Scenario, rubric};

/// Canary with analysis, guards on every signal that roll back, deep checks, a fallback.
const GOOD: &str = "health deep
guard error_rate>2% for 10s -> rollback
guard p99>500ms for 30s -> rollback
guard cpu>90% for 1m -> rollback
guard mem>50% for 10s -> rollback
canary v2 steps=5,25,50,100 interval=1m
fallback v3
";

/// Every server at once, nothing watched, shallow checks.
const BAD: &str = "health shallow\ndeploy v2 all\n";

/// Seeds scanned for fault kinds and validity.
const SEEDS: std::ops::Range<u64> = 0..200;

fn plan(text: &str) -> Plan {
    Plan::parse(text).unwrap_or_else(|e| panic!("plan parses: {e:?}"))
}

/// The first seed whose fault is `kind`.
fn seed_of(kind: FaultKind) -> u64 {
    SEEDS
        .clone()
        .find(|&s| Scenario::generate(s).fault.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} fault in seeds {SEEDS:?}"))
}

fn report_json(seed: u64, text: &str) -> String {
    let scenario = Scenario::generate(seed);
    let p = plan(text);
    let drilled = drill::run(&scenario, &p);
    DrillReport::new(&scenario, &p, &drilled).to_json()
}

#[test]
fn a_drill_is_reproducible_from_its_seed() {
    assert_eq!(Scenario::generate(42), Scenario::generate(42));
    let a = report_json(42, GOOD);
    assert_eq!(
        a,
        report_json(42, GOOD),
        "same seed, same plan: same report"
    );
    assert_ne!(
        Scenario::generate(42),
        Scenario::generate(43),
        "another seed, another case"
    );
    assert_ne!(a, report_json(43, GOOD));
    let v: serde_json::Value = serde_json::from_str(&a).expect("valid JSON");
    assert_eq!(v["seed"], 42);
    assert_eq!(v["run"]["mission"], "drill");
    assert_eq!(v["rubric"].as_array().map(Vec::len), Some(4));
}

#[test]
fn every_fault_kind_comes_up_and_every_case_is_a_valid_mission() {
    let mut seen = Vec::new();
    for seed in SEEDS {
        let s = Scenario::generate(seed);
        let issues = zerodown::mission::validate(&s.mission);
        assert!(issues.is_empty(), "seed {seed}: {issues:?}");
        assert!(
            (drill::scenario::MIN_SERVERS..=drill::scenario::MAX_SERVERS).contains(&s.servers())
        );
        assert!(s.mission.duration <= drill::scenario::DURATION);
        assert!(s.mission.hints.is_empty(), "no hints in a drill");
        if !seen.contains(&s.fault.kind) {
            seen.push(s.fault.kind);
        }
    }
    for kind in FaultKind::ALL {
        assert!(seen.contains(&kind), "{kind} never drawn in {SEEDS:?}");
    }
}

#[test]
fn the_brief_never_tells_the_fault() {
    for kind in FaultKind::ALL {
        let s = Scenario::generate(seed_of(kind));
        let told = format!("{}\n{}", s.brief(), s.compact().join("\n"));
        for word in [
            "leak",
            "crash",
            "tail",
            "database config",
            "CPU:",
            "errors:",
        ] {
            assert!(!told.contains(word), "{kind}: the brief says `{word}`");
        }
        assert!(told.contains("v3"), "the brief names the fallback build");
    }
}

#[test]
fn a_good_plan_beats_a_bad_one_in_the_rubric_and_the_outcome() {
    let (good, bad) = (plan(GOOD), plan(BAD));
    for kind in FaultKind::ALL {
        let seed = seed_of(kind);
        let s = Scenario::generate(seed);
        let g = drill::run(&s, &good).judgement;
        let b = drill::run(&s, &bad).judgement;
        assert_eq!(g.plan_points, rubric::max_total(), "{kind}: {:#?}", g.marks);
        assert!(b.plan_points <= 1, "{kind}: {:#?}", b.marks);
        for (gm, bm) in g.marks.iter().zip(&b.marks) {
            assert!(gm.points > bm.points, "{kind}: {gm:?} vs {bm:?}");
        }
        assert!(g.outcome.passed, "{kind} seed {seed}: {:?}", g.outcome);
        assert!(!b.outcome.passed, "{kind} seed {seed}: {:?}", b.outcome);
        assert!(
            g.outcome.score.points > b.outcome.score.points,
            "{kind}: {} vs {}",
            g.outcome.score.points,
            b.outcome.score.points
        );
        if kind != FaultKind::None {
            assert!(
                !b.outcome.shipped.is_good() || b.outcome.score.downtime_s > 0,
                "{kind}: the careless plan must feel the fault"
            );
            assert!(
                g.outcome.score.downtime_s == 0,
                "{kind}: the careful plan keeps users up"
            );
        }
        assert_eq!(g.verdict, rubric::Verdict::StrongHire);
        assert_eq!(b.verdict, rubric::Verdict::NoHire);
    }
}

#[test]
fn the_model_answer_passes_its_own_case() {
    for kind in [FaultKind::Leak, FaultKind::Tail, FaultKind::BrokenDbConfig] {
        let s = Scenario::generate(seed_of(kind));
        let (model, why) = rubric::model_answer(&s);
        let j = drill::run(&s, &model).judgement;
        assert!(j.outcome.passed, "{kind}: {:?}", j.outcome);
        assert_eq!(j.plan_points, rubric::max_total(), "{kind}: {:#?}", j.marks);
        assert!(why.len() >= 4, "the model answer explains itself");
        let text = model.to_text();
        assert_eq!(plan(&text), model, "the model answer is a plan file");
    }
}

#[test]
fn the_fallback_rolls_back_a_stalled_release_and_ships_the_fix() {
    let s = Scenario::generate(seed_of(FaultKind::CrashLoop));
    let p = plan(
        "health deep\nguard error_rate>2% for 10s -> rollback\nrolling v2 max-unavailable=10%\nfallback v3\n",
    );
    let d = drill::run(&s, &p);
    let commands: Vec<&str> = d
        .report
        .commands
        .iter()
        .map(|c| c.command.as_str())
        .collect();
    assert_eq!(
        commands[0],
        "guard error_rate>2% for 10s version=v2 -> rollback"
    );
    assert!(commands.contains(&"rollback"), "{commands:?}");
    assert!(
        commands.contains(&"rolling v3 max-unavailable=10%"),
        "{commands:?}"
    );
    assert!(
        d.report.events.iter().any(|e| e.text.contains("stalled")),
        "the stall is what stopped v2"
    );
    assert_eq!(
        d.judgement.outcome.shipped,
        drill::Shipped::Good("v3".into())
    );
}

#[test]
fn a_blue_green_plan_switches_after_its_preview() {
    let s = Scenario::generate(seed_of(FaultKind::None));
    let by_hand = drill::run(&s, &plan("bluegreen v2\n"));
    assert!(
        !by_hand.judgement.outcome.shipped.is_good(),
        "nobody typed `switch green`"
    );
    let auto = drill::run(&s, &plan("bluegreen v2\nswitch green after 1m\n"));
    let switch = auto
        .report
        .commands
        .iter()
        .find(|c| c.command == "switch green")
        .expect("the plan switched");
    let ready = auto
        .report
        .events
        .iter()
        .find(|e| e.text.starts_with("green ready"))
        .expect("green got ready");
    assert!(
        (switch.t - ready.t - 60.0).abs() <= 1.0,
        "switch at {} after ready at {}",
        switch.t,
        ready.t
    );
    assert_eq!(
        auto.judgement.outcome.shipped,
        drill::Shipped::Good("v2".into())
    );
}

fn zerodown(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(args)
        .current_dir(crate_path(""))
        .output()
        .expect("run zerodown")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited")
}

#[test]
fn the_cli_runs_a_plan_file_and_writes_the_report() {
    let dir = TempDir::new("drill_cli");
    let good = dir.file("good.plan", GOOD);
    let bad = dir.file("bad.plan", BAD);
    let report = dir.path("drill.json");
    let seed = seed_of(FaultKind::Errors).to_string();
    let as_str = |p: &std::path::Path| p.to_str().expect("utf-8").to_string();
    let out = zerodown(&[
        "drill",
        "--seed",
        &seed,
        "--plan",
        &as_str(&good),
        "--report",
        &as_str(&report),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(code(&out), 0, "{stdout}");
    for part in [
        "RUBRIC  8/8",
        "OUTCOME  PASSED",
        "THE HIDDEN FAULT  errors",
        "MODEL ANSWER",
    ] {
        assert!(stdout.contains(part), "missing {part}: {stdout}");
    }
    assert_eq!(
        std::fs::read_to_string(&report).expect("report written"),
        report_json(seed.parse().expect("seed"), GOOD)
    );
    let out = zerodown(&["drill", "--seed", &seed, "--plan", &as_str(&bad)]);
    assert_eq!(code(&out), 1);
    let brief = zerodown(&["drill", "--seed", &seed, "--brief"]);
    assert_eq!(code(&brief), 0);
    let told = String::from_utf8_lossy(&brief.stdout);
    assert!(told.contains(&format!("seed {seed}")) && !told.contains("errors:"));
}

#[test]
fn plan_file_problems_name_the_file_line_and_column() {
    let dir = TempDir::new("drill_bad_plan");
    let path = dir.file(
        "typo.plan",
        "health deep\ncanary v2 step=5,100\nfallback v4\n",
    );
    let out = zerodown(&[
        "drill",
        "--seed",
        "1",
        "--plan",
        path.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    let name = path.display().to_string();
    assert!(err.contains(&format!("{name}:2:11:")), "{err}");
    assert!(
        err.contains(&format!("{name}:3:10: the fallback is")),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing runs on bad input");
}

#[test]
fn a_plan_that_is_not_a_regular_file_is_refused_not_read() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(["drill", "--seed", "5", "--plan", "/dev/zero"])
        .output()
        .expect("run zerodown");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/zero: not a regular file"), "{err}");
}

/// A canary that jumps from a few percent to everyone in one step is not gradual, however
/// small it starts.
#[test]
fn a_canary_that_jumps_to_everyone_is_only_partly_gradual() {
    let s = Scenario::generate(7);
    let gradual = |text: &str| {
        let plan = Plan::parse(text).expect("a plan");
        rubric::mark(&plan, &s)
            .into_iter()
            .find(|m| m.criterion == rubric::Criterion::Gradual)
            .expect("a gradual mark")
    };
    let careful = gradual("canary v2 steps=5,25,50,100 interval=30s\n");
    assert_eq!(careful.points, 2, "{}", careful.reason);
    let leap = gradual("canary v2 steps=1,2,3,100 interval=30s\n");
    assert_eq!(leap.points, 1, "{}", leap.reason);
    assert!(leap.reason.contains("from 3% to 100%"), "{}", leap.reason);
}

/// Issue 15's bug: switching to green, green becoming ready and the scale-down wait are
/// progress (Argo pauses a blue-green rollout waiting for promotion; the progress deadline
/// does not run then). A healthy v2 behind a long preview or a long scale-down delay used to
/// be reported stalled, and the plan's fallback threw it away for v3.
#[test]
fn a_blue_green_that_waits_on_purpose_is_not_stalled_and_ships_v2() {
    let s = Scenario::generate(seed_of(FaultKind::None));
    for after in ["1m", "5m"] {
        let text = format!("bluegreen v2\nswitch green after {after}\nfallback v3\n");
        let d = drill::run(&s, &plan(&text));
        assert!(
            !d.report.events.iter().any(|e| e.text.contains("stalled")),
            "after {after}: {:?}",
            d.report
                .events
                .iter()
                .filter(|e| e.text.contains("stalled"))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            d.judgement.outcome.shipped,
            drill::Shipped::Good("v2".into()),
            "after {after}"
        );
    }
}
