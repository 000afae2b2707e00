//! The interview drill end to end: a drill is reproducible from its seed (same case, same
//! report byte for byte), its debrief scores a careful plan above a careless one in the
//! rubric and in the outcome, every kind of hidden fault comes up, every case is a valid
//! mission, the plan's automation switches and falls back, and the CLI behaves.
//!
//! The rubric reads the replay (the plan run once per kind of fault): plans that game a
//! keyword (loose guards, an irrelevant guard, p50 for latency, an analysis that never
//! aborts, guards that always fire, guards that only pause) never earn a strong hire, and
//! careful plans unlike the model answer are judged by what they do. Debug builds are slow
//! at replaying (8 runs of 15 game-minutes a plan), so the default tests replay a few cases;
//! `replay_sweep_on_40_seeds` (ignored) replays every plan on 40 seeds:
//! `cargo test --release --test drill -- --ignored`.

mod common;

use std::process::{Command, Output};

use common::{TempDir, crate_path};
use zerodown::drill::{self, DrillReport, FaultKind, Judgement, Plan, Replay, Scenario, rubric};

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

/// Plays a plan headless without judging it (no replay): the outcome and the run report.
fn played(s: &Scenario, p: &Plan) -> (drill::Outcome, zerodown::report::Report) {
    let (sim, report) = drill::play(s, p);
    (drill::Outcome::judge(&sim, s), report)
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

/// The judgement of `text` on `seed` from its replay alone (the case's own row is the run).
fn judge(seed: u64, text: &str) -> Judgement {
    let s = Scenario::generate(seed);
    let p = plan(text);
    let replay = Replay::run(&s, &p);
    let outcome = replay.row(s.fault.kind).outcome.clone();
    Judgement::with_replay(&s, &p, outcome, replay)
}

fn points(j: &Judgement, c: rubric::Criterion) -> u8 {
    j.marks
        .iter()
        .find(|m| m.criterion == c)
        .map_or(0, |m| m.points)
}

fn reason(j: &Judgement, c: rubric::Criterion) -> String {
    j.marks
        .iter()
        .find(|m| m.criterion == c)
        .map(|m| m.reason.clone())
        .unwrap_or_default()
}

#[test]
fn a_good_plan_beats_a_bad_one_on_every_kind_of_fault() {
    let seed = seed_of(FaultKind::Errors);
    let g = judge(seed, GOOD);
    let b = judge(seed, BAD);
    assert_eq!(g.plan_points, rubric::max_total(), "{:#?}", g.marks);
    assert!(b.plan_points <= 1, "{:#?}", b.marks);
    for (gm, bm) in g.marks.iter().zip(&b.marks) {
        assert!(gm.points > bm.points, "{gm:?} vs {bm:?}");
    }
    assert_eq!(g.verdict, rubric::Verdict::StrongHire);
    assert_eq!(b.verdict, rubric::Verdict::NoHire);
    for (gr, br) in g.replay.rows.iter().zip(&b.replay.rows) {
        let kind = gr.kind;
        assert!(gr.outcome.passed, "{kind}: {:?}", gr.outcome);
        assert!(!br.outcome.passed, "{kind}: {:?}", br.outcome);
        assert!(
            gr.outcome.score.points > br.outcome.score.points,
            "{kind}: {} vs {}",
            gr.outcome.score.points,
            br.outcome.score.points
        );
        assert_eq!(gr.outcome.score.downtime_s, 0, "{kind}: users kept up");
        if kind != FaultKind::None {
            assert!(
                !br.outcome.shipped.is_good() || br.outcome.score.downtime_s > 0,
                "{kind}: the careless plan must feel the fault"
            );
            let caught = gr.first().expect("something stopped v2");
            assert!(caught.in_time, "{kind}: {caught:?}");
        }
    }
}

/// The replay's row of the case's own kind is the headless run of the drill.
#[test]
fn the_replay_of_the_case_is_the_run() {
    let s = Scenario::generate(seed_of(FaultKind::Leak));
    let (sim, _) = drill::play(&s, &plan(GOOD));
    let run = drill::Outcome::judge(&sim, &s);
    let replay = Replay::run(&s, &plan(GOOD));
    let row = replay.row(s.fault.kind);
    assert_eq!(row.outcome.passed, run.passed);
    assert_eq!(row.outcome.shipped, run.shipped);
    assert_eq!(row.outcome.score.downtime_s, run.score.downtime_s);
}

#[test]
fn the_model_answer_passes_every_kind_of_fault_on_its_case() {
    for kind in [FaultKind::Leak, FaultKind::Tail] {
        let s = Scenario::generate(seed_of(kind));
        let (model, why) = rubric::model_answer(&s);
        let j = judge(s.seed, &model.to_text());
        assert!(j.outcome.passed, "{kind}: {:?}", j.outcome);
        assert_eq!(j.replay.passed(), 8, "{kind}");
        assert_eq!(j.plan_points, rubric::max_total(), "{kind}: {:#?}", j.marks);
        assert!(why.len() >= 4, "the model answer explains itself");
        assert_eq!(
            plan(&model.to_text()),
            model,
            "the model answer is a plan file"
        );
    }
}

/// Ending on v3 is a pass only when v2 was stopped for what its fault did: a guard that
/// fires on a healthy v2 throws a good release away, and that fails the drill.
#[test]
fn throwing_a_healthy_release_away_for_v3_fails() {
    let s = Scenario::generate(seed_of(FaultKind::None));
    let noisy = plan(
        "health deep\nguard cpu>1% for 10s -> rollback\ncanary v2 steps=5,25,50,100 interval=1m\nfallback v3\n",
    );
    let row = drill::replay::run_kind(&s, &noisy);
    assert!(!row.catches.is_empty(), "the guard fires on anything");
    assert!(!row.outcome.passed, "{:?}", row.outcome);
    assert!(!row.outcome.shipped.is_good(), "{:?}", row.outcome.shipped);
}

#[test]
fn the_fallback_rolls_back_a_stalled_release_and_ships_the_fix() {
    let s = Scenario::generate(seed_of(FaultKind::CrashLoop));
    let p = plan(
        "health deep\nguard error_rate>2% for 10s -> rollback\nrolling v2 max-unavailable=10%\nfallback v3\n",
    );
    let (outcome, report) = played(&s, &p);
    let commands: Vec<&str> = report.commands.iter().map(|c| c.command.as_str()).collect();
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
        report.events.iter().any(|e| e.text.contains("stalled")),
        "the stall is what stopped v2"
    );
    assert_eq!(outcome.shipped, drill::Shipped::Good("v3".into()));
}

#[test]
fn a_blue_green_bake_is_a_pre_promotion_analysis_of_the_preview() {
    // Case 22's errors show on the preview's smoke traffic: the plan's error guard holds
    // there during the bake, so green is never switched (Argo's prePromotionAnalysis) and
    // v3 ships instead. (A fault that needs real users or full load can't show there, and
    // the switch then hands it every user: the replay table says so.)
    let s = Scenario::generate(22);
    assert_eq!(s.fault.kind, FaultKind::Errors);
    let (outcome, report) = played(&s, &plan(BG_BAKE));
    let held = report
        .events
        .iter()
        .find(|e| e.text.contains("pre-promotion analysis on the preview"))
        .unwrap_or_else(|| panic!("no pre-promotion stop: {:?}", report.events));
    assert!(held.text.contains("error_rate>2%"), "{}", held.text);
    // The only switch is v3's, after the stop.
    assert!(
        report
            .commands
            .iter()
            .filter(|c| c.command == "switch green")
            .all(|c| c.t > held.t),
        "v2's green was switched"
    );
    assert_eq!(outcome.shipped, drill::Shipped::Good("v3".into()));
}

#[test]
fn a_blue_green_plan_switches_after_its_preview() {
    let s = Scenario::generate(seed_of(FaultKind::None));
    let (by_hand, _) = played(&s, &plan("bluegreen v2\n"));
    assert!(!by_hand.shipped.is_good(), "nobody typed `switch green`");
    let (auto, report) = played(&s, &plan("bluegreen v2\nswitch green after 1m\n"));
    let switch = report
        .commands
        .iter()
        .find(|c| c.command == "switch green")
        .expect("the plan switched");
    let ready = report
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
    assert_eq!(auto.shipped, drill::Shipped::Good("v2".into()));
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
    let careful = judge(
        7,
        "canary v2 steps=5,25,50,100 interval=30s\nguard error_rate>2% for 10s -> rollback\n",
    );
    assert_eq!(
        points(&careful, rubric::Criterion::Gradual),
        2,
        "{}",
        reason(&careful, rubric::Criterion::Gradual)
    );
    let leap = judge(7, "canary v2 steps=1,2,3,100 interval=30s\n");
    let why = reason(&leap, rubric::Criterion::Gradual);
    assert_eq!(points(&leap, rubric::Criterion::Gradual), 1, "{why}");
    assert!(why.contains("from 3% to 100%"), "{why}");
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
        let (outcome, report) = played(&s, &plan(&text));
        assert!(
            !report.events.iter().any(|e| e.text.contains("stalled")),
            "after {after}: {:?}",
            report
                .events
                .iter()
                .filter(|e| e.text.contains("stalled"))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            outcome.shipped,
            drill::Shipped::Good("v2".into()),
            "after {after}"
        );
    }
}

// Plans that game the old keyword rubric (issue: "judge by replay, not by keywords").

/// Guards at the loosest lines the old rubric accepted: they fire late or never.
const LOOSE: &str = "health deep
guard error_rate>5% for 2m -> rollback
guard p99>1000ms for 2m -> rollback
guard cpu>95% for 2m -> rollback
guard mem>85% for 2m -> rollback
canary v2 steps=5,25,50,100 interval=1m analysis=off
fallback v3
";

/// One guard on a signal that rarely shows a fault.
const IRRELEVANT: &str = "health deep
guard cpu>90% for 1m -> rollback
canary v2 steps=5,25,50,100 interval=1m analysis=off
fallback v3
";

/// p50 for latency: a slow tail never moves it.
const P50: &str = "health deep
guard error_rate>2% for 10s -> rollback
guard p50>500ms for 30s -> rollback
guard cpu>90% for 1m -> rollback
guard mem>50% for 10s -> rollback
canary v2 steps=5,25,50,100 interval=1m analysis=off
fallback v3
";

/// An analysis that tolerates 99 failures never aborts.
const LIMIT99: &str = "health deep
canary v2 steps=5,25,50,100 interval=1m limit=99
fallback v3
";

/// A guard that fires on any release.
const ALWAYS: &str = "health deep
guard error_rate>2% for 10s -> rollback
guard p99>500ms for 30s -> rollback
guard cpu>5% for 10s -> rollback
guard mem>50% for 10s -> rollback
canary v2 steps=5,25,50,100 interval=1m
fallback v3
";

/// Guards that only pause: the spread stops, users stay on v2.
const PAUSE: &str = "health deep
guard error_rate>2% for 10s -> pause
guard p99>500ms for 30s -> pause
guard cpu>90% for 1m -> pause
guard mem>50% for 10s -> pause
canary v2 steps=5,25,50,100 interval=1m analysis=off
fallback v3
";

// Careful plans that are not the model answer.

/// Rolling with surge and deep checks.
const SURGE: &str = "health deep
guard error_rate>2% for 10s -> rollback
guard p99>500ms for 30s -> rollback
guard cpu>90% for 30s -> rollback
guard mem>50% for 10s -> rollback
rolling v2 surge=10% unavailable=0%
fallback v3
";

/// A canary with a long bake at each step.
const LONG_BAKE: &str = "health deep
guard error_rate>2% for 10s -> rollback
guard p99>500ms for 30s -> rollback
guard cpu>90% for 1m -> rollback
guard mem>50% for 10s -> rollback
canary v2 steps=5,25,50,100 interval=90s
fallback v3
";

/// Blue-green with a two-minute bake before the switch.
const BG_BAKE: &str = "health deep
guard error_rate>2% for 10s -> rollback
guard p99>500ms for 30s -> rollback
guard cpu>90% for 1m -> rollback
guard mem>50% for 10s -> rollback
bluegreen v2
switch green after 2m
fallback v3
";

/// Careful, but so slow that v2 alone does not finish in 15 minutes.
const SLOW_SURGE: &str = "health deep
guard error_rate>2% for 10s -> rollback
guard p99>500ms for 30s -> rollback
guard cpu>90% for 1m -> rollback
guard mem>50% for 10s -> rollback
rolling v2 surge=5% unavailable=0% min-ready=30s
fallback v3
";

const GAMING: [(&str, &str); 6] = [
    ("loose guards", LOOSE),
    ("an irrelevant guard", IRRELEVANT),
    ("p50 for latency", P50),
    ("limit=99", LIMIT99),
    ("a guard that always fires", ALWAYS),
    ("guards that only pause", PAUSE),
];

use rubric::Criterion::{Gradual, Health, Monitoring, Rollback};

/// On a case a gaming plan passes (a healthy v2), its replay still shows what it would miss.
#[test]
fn plans_that_game_the_rubric_are_never_strong_hire() {
    let seed = seed_of(FaultKind::None);
    for (name, text) in GAMING {
        let j = judge(seed, text);
        assert_ne!(
            j.verdict,
            rubric::Verdict::StrongHire,
            "{name}: {:#?}",
            j.marks
        );
        let m = points(&j, Monitoring);
        let why = reason(&j, Monitoring);
        if text != PAUSE {
            assert!(m <= 1, "{name}: monitoring {m}: {why}");
        }
        match text {
            P50 => assert!(why.contains("not slow tail"), "{name}: {why}"),
            LIMIT99 => assert_eq!(m, 0, "{name}: {why}"),
            ALWAYS => {
                assert!(why.contains("fired on a healthy v2"), "{name}: {why}");
                assert!(!j.replay.row(FaultKind::None).outcome.passed, "{name}");
                assert!(!j.outcome.passed, "{name}: v3 replaced a healthy v2");
            }
            PAUSE => {
                let r = reason(&j, Rollback);
                assert_eq!(points(&j, Rollback), 0, "{name}: {r}");
                assert!(r.contains("left users on it"), "{name}: {r}");
            }
            _ => {}
        }
    }
}

/// Careful plans unlike the model answer are judged by what they do, and the reasons say
/// what cost them.
#[test]
fn careful_plans_unlike_the_model_answer_are_judged_by_what_they_do() {
    let seed = seed_of(FaultKind::Errors);
    let bake = judge(seed, LONG_BAKE);
    assert!(bake.outcome.passed, "{:?}", bake.outcome);
    assert_eq!(bake.replay.passed(), 8);
    assert_eq!(
        points(&bake, Monitoring),
        2,
        "{}",
        reason(&bake, Monitoring)
    );
    assert_eq!(points(&bake, Health), 2, "{}", reason(&bake, Health));
    assert!(reason(&bake, Health).contains("The trade-off"));
    assert_ne!(bake.verdict, rubric::Verdict::NoHire);

    // Surge rolls back batch by batch: v2 keeps serving while v1 comes back.
    let surge = judge(seed, SURGE);
    assert_eq!(points(&surge, Health), 2);
    assert!(
        points(&surge, Monitoring) >= 1,
        "{}",
        reason(&surge, Monitoring)
    );
    let why = reason(&surge, Rollback);
    assert_eq!(points(&surge, Rollback), 1, "{why}");
    assert!(
        why.contains("errors") && why.contains("batch by batch"),
        "{why}"
    );

    // Blue-green bakes green, then every user meets an errors fault at once.
    let bg = judge(seed, BG_BAKE);
    let why = reason(&bg, Gradual);
    assert_eq!(points(&bg, Gradual), 1, "{why}");
    assert!(
        why.contains("baked 2m") && why.contains("errors fault"),
        "{why}"
    );
    assert!(!bg.outcome.passed, "{:?}", bg.outcome);

    // Careful but slow: surge 5% with min-ready 30 s cannot ship in 15 minutes.
    let slow = judge(seed, SLOW_SURGE);
    let why = reason(&slow, Gradual);
    assert!(points(&slow, Gradual) <= 1, "{why}");
    assert!(why.contains("did not finish within 15m"), "{why}");
    assert_eq!(slow.verdict, rubric::Verdict::NoHire);
}

/// A careful canary with a long bake passes at least 90 % of 40 drills (one run each).
#[test]
fn a_long_bake_canary_passes_most_drills() {
    let p = plan(LONG_BAKE);
    let passed = (0..40)
        .filter(|&seed| {
            let s = Scenario::generate(seed);
            drill::replay::run_kind(&s, &p).outcome.passed
        })
        .count();
    assert!(passed >= 36, "{passed}/40");
}

/// Every plan above, replayed on 40 seeds (320 runs a plan: run it in release).
#[test]
#[ignore = "slow in debug: cargo test --release --test drill -- --ignored"]
fn replay_sweep_on_40_seeds() {
    let sweep = |text: &str| {
        let (mut passed, mut strong) = (0, 0);
        for seed in 0..40 {
            let j = judge(seed, text);
            passed += usize::from(j.outcome.passed);
            strong += usize::from(j.verdict == rubric::Verdict::StrongHire);
        }
        (passed, strong)
    };
    for (name, text) in GAMING {
        let (passed, strong) = sweep(text);
        eprintln!("{name}: passed {passed}/40, strong hire {strong}");
        assert_eq!(strong, 0, "{name}");
    }
    let (passed, strong) = sweep(SLOW_SURGE);
    eprintln!("slow surge: passed {passed}/40, strong hire {strong}");
    assert_eq!(strong, 0);
    for (name, text, floor) in [
        ("the model-like plan", GOOD, 40),
        ("a long bake canary", LONG_BAKE, 36),
        // Below 90 %: a surge rollback keeps v2 serving while v1 comes back (errors, CPU).
        ("surge with deep checks", SURGE, 28),
        // Below 90 %: guards watch users, not the preview, so every user meets the fault.
        ("blue-green with a bake", BG_BAKE, 27),
    ] {
        let (passed, strong) = sweep(text);
        eprintln!("{name}: passed {passed}/40, strong hire {strong}");
        assert!(passed >= floor, "{name}: {passed}/40");
    }
}
