//! A play as real config, and back: golden exports of reference solutions in every format
//! (insta snapshots), every export read back without a field left unread, and the round
//! trip — export, import, play — of every reference solution and of drill model answers.

mod common;

use std::fmt::Write as _;
use std::process::Command as Process;

use zerodown::command::GuardAction;
use zerodown::drill::rubric::model_answer;
use zerodown::drill::{NEW, Plan, Scenario, Step, Strategy};
use zerodown::manifest::whatif::{self, Fault, Fleet};
use zerodown::manifest::{Format, How, Imported, Play, Release, export, import, reference};
use zerodown::mission::{self, Mission};

fn nothing_beside(_: &str) -> Option<(String, String)> {
    None
}

fn mission(id: &str) -> Mission {
    mission::resolve(id).expect("built-in mission").1
}

fn reference_play(id: &str) -> (Mission, Play) {
    let m = mission(id);
    let play = reference(id, &m, m.seed).expect("a reference solution");
    (m, play)
}

/// Missions whose golden exports are kept: rolling with surge, blue-green, canary, shadow,
/// migrations, guards with a canary, sessions.
const GOLDEN: [&str; 7] = [
    "04-rolling-at-peak",
    "06-blue-green",
    "07-canary",
    "09-shadow",
    "11-migration",
    "12-sessions",
    "16-interview",
];

#[test]
fn golden_exports_of_reference_solutions() {
    for id in GOLDEN {
        let (m, play) = reference_play(id);
        for format in Format::ALL {
            let text = export(&play, format, &format!("{id} ({})", m.title));
            insta::assert_snapshot!(format!("{id}-{}", format.name()), text);
        }
    }
}

/// What the round trip cannot keep, by design: Argo aborts a canary whose analysis fails
/// (the game's `rollback` guard on a canary reads back as `abort`, which is what Argo does).
fn normalise(r: &Release) -> Release {
    let mut r = r.clone();
    if let How::Ship(Strategy::Canary { .. }) = r.how {
        for g in &mut r.guards {
            if g.action == GuardAction::Rollback {
                g.action = GuardAction::Abort;
            }
        }
    }
    r.guards
        .sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    r
}

#[test]
fn every_export_reads_back_whole() {
    for (id, _) in mission::builtin() {
        let (m, play) = reference_play(id);
        for format in Format::ALL {
            let text = export(&play, format, id);
            if play.releases.is_empty() {
                continue;
            }
            let imported = import(&text, &nothing_beside)
                .unwrap_or_else(|e| panic!("{id} as {}: {e}\n{text}", format.name()));
            let unread: Vec<_> = imported
                .notes
                .iter()
                .filter(|n| n.text.contains("is not read"))
                .collect();
            assert!(unread.is_empty(), "{id} {}: {unread:#?}", format.name());
            if format == Format::Argo {
                let back: Vec<Release> = imported.play.releases.iter().map(normalise).collect();
                let mut want: Vec<Release> = play.releases.iter().map(normalise).collect();
                // Health checks and affinity are read from the pods; the game's own fleet
                // has fields no probe says (liveness off stays off, …): compare what config says.
                for (w, b) in want.iter_mut().zip(&back) {
                    w.health = b.health.clone();
                    w.sticky = b.sticky;
                }
                assert_eq!(back, want, "{id}: Argo keeps every release\n{text}");
                assert_eq!(imported.play.setup.replicas, m.fleet.servers, "{id}");
            }
        }
    }
}

/// One mission's round trip: the reference solution's outcome, and what its exported
/// config alone does on the same mission and seed.
struct Trip {
    id: &'static str,
    reference: (String, u8, u32),
    config: (String, u8, u32),
    by_hand: Vec<String>,
}

#[test]
fn round_trip_of_every_reference_solution() {
    let mut trips = Vec::new();
    for (id, _) in mission::builtin() {
        let (m, play) = reference_play(id);
        let script = mission::solution_script(id).expect("script");
        let script = zerodown::command::parse_script(script).expect("parses");
        let r1 = zerodown::runner::run_script(&m, id, &script, m.seed);
        let text = export(&play, Format::Argo, id);
        let by_hand: Vec<String> = play.by_hand.iter().map(|h| h.command.clone()).collect();
        for h in &play.by_hand {
            assert!(
                text.contains(&format!(
                    "{} {}:",
                    zerodown::time::clock(h.at.secs()),
                    h.command
                )),
                "{id}: `{}` is said in the export\n{text}",
                h.command
            );
        }
        let play2 = if play.releases.is_empty() {
            play.clone()
        } else {
            import(&text, &nothing_beside).expect("reads back").play
        };
        let r2 = whatif::on_mission(&play2, &m, id, m.seed);
        trips.push(Trip {
            id,
            reference: (r1.outcome.clone(), r1.stars, r1.score.points),
            config: (r2.outcome.clone(), r2.stars, r2.score.points),
            by_hand,
        });
    }
    let mut table = String::new();
    for t in &trips {
        let _ = writeln!(
            table,
            "{:<22} reference {:?}  config alone {:?}  by hand: {}",
            t.id,
            t.reference,
            t.config,
            if t.by_hand.is_empty() {
                "nothing".into()
            } else {
                t.by_hand.join("; ")
            }
        );
    }
    eprintln!("{table}");
    let mut exact = 0;
    for t in &trips {
        if t.by_hand.is_empty() {
            // Nothing was done by hand: config alone is the whole play, within 2 % of the
            // points (the guards' Argo cadence samples every 10 s, the game every second).
            assert_eq!(t.config.0, t.reference.0, "{}: same outcome\n{table}", t.id);
            assert_eq!(t.config.1, t.reference.1, "{}: same stars\n{table}", t.id);
            let tol = (f64::from(t.reference.2) * 0.02).ceil() as i64;
            assert!(
                (i64::from(t.config.2) - i64::from(t.reference.2)).abs() <= tol,
                "{}: points within {tol}\n{table}",
                t.id
            );
            exact += 1;
        }
    }
    assert!(
        exact >= 1,
        "the missions played by config alone round-trip:\n{table}"
    );
}

/// A drill plan without its fallback (the team's next release: no field of a rollout
/// config), and with Argo's abort for a failed canary analysis.
fn config_part(plan: &Plan) -> Plan {
    let canary = matches!(plan.strategy(), Some(Strategy::Canary { .. }));
    Plan {
        steps: plan
            .steps
            .iter()
            .filter(|s| !matches!(s, Step::Fallback))
            .map(|s| match s {
                Step::Watch(w) if canary && w.action == GuardAction::Rollback => {
                    let mut w = w.clone();
                    w.action = GuardAction::Abort;
                    Step::Watch(w)
                }
                other => other.clone(),
            })
            .collect(),
    }
}

#[test]
fn round_trip_of_drill_model_answers() {
    for seed in 1..=6 {
        let scenario = Scenario::generate(seed);
        let (model, _) = model_answer(&scenario);
        let play = Play::from_plan(&scenario.mission, &model, NEW);
        let text = export(&play, Format::Argo, "drill");
        let imported = import(&text, &nothing_beside).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let back = imported.play.plan().expect("a plan");
        let mut want = config_part(&model);
        // The import always says the health depth; the model says it too.
        want.steps.sort_by_key(|s| format!("{s:?}"));
        let mut got = back.clone();
        got.steps.sort_by_key(|s| format!("{s:?}"));
        assert_eq!(got, want, "seed {seed}\n{text}");
        // The same what-if on the same seed, from the plan and from its config.
        let original = Imported {
            format: Format::Argo,
            play: Play::from_plan(&scenario.mission, &config_part(&model), NEW),
            notes: Vec::new(),
            replicas_given: true,
        };
        let fleet = Fleet {
            servers: scenario.mission.fleet.servers,
            capacity_rps: scenario.mission.fleet.capacity_rps,
            rps: None,
        };
        let faults = Fault::all();
        let a = whatif::run(&original, fleet, &faults, &[seed]).expect("runs");
        let b = whatif::run(&imported, fleet, &faults, &[seed]).expect("runs");
        for (x, y) in a.rows.iter().zip(&b.rows) {
            assert_eq!(
                (x.caught, &x.by, x.shipped),
                (y.caught, &y.by, y.shipped),
                "seed {seed} {}",
                x.fault
            );
            assert!(
                (x.budget_pct - y.budget_pct).abs() <= 1.0,
                "seed {seed} {}: {x:?} {y:?}",
                x.fault
            );
            assert!(
                (x.downtime_s - y.downtime_s).abs() <= 5.0,
                "seed {seed} {}",
                x.fault
            );
        }
    }
}

/// Config plus what was done by hand, at the times it was done, is the reference play
/// again: the export lost nothing the play needed besides the hand work it lists.
#[test]
fn config_and_the_hand_work_it_lists_replay_every_reference() {
    let mut table = String::new();
    for (id, _) in mission::builtin() {
        let (m, play) = reference_play(id);
        let script = mission::solution_script(id).expect("script");
        let script = zerodown::command::parse_script(script).expect("parses");
        let r1 = zerodown::runner::run_script(&m, id, &script, m.seed);
        let play2 = if play.releases.is_empty() {
            play.clone()
        } else {
            let text = export(&play, Format::Argo, id);
            import(&text, &nothing_beside).expect("reads back").play
        };
        let mut commands = play2.commands(&m);
        for h in &play.by_hand {
            let c = zerodown::command::parse_command(&h.command).expect("a game command");
            commands.push((h.at.ticks(), c));
        }
        commands.sort_by_key(|(t, _)| *t);
        let mut run = zerodown::runner::Run::new(&m, m.seed);
        for (tick, c) in &commands {
            while run.sim.tick() < *tick && run.step() {}
            run.command(c);
        }
        let r2 = run.finish(id, m.seed);
        let _ = writeln!(
            table,
            "{id:<22} reference {} {}★ {}  config+hands {} {}★ {}",
            r1.outcome, r1.stars, r1.score.points, r2.outcome, r2.stars, r2.score.points
        );
        let tol = (f64::from(r1.score.points) * 0.02).ceil() as i64;
        assert!(
            r1.outcome == r2.outcome
                && r1.stars == r2.stars
                && (i64::from(r1.score.points) - i64::from(r2.score.points)).abs() <= tol,
            "{id}\n{table}"
        );
    }
    eprintln!("{table}");
}

/// `zerodown export` from a run report, from a script, to a file; bad input exits 2.
#[test]
fn export_from_the_command_line() {
    let dir = common::TempDir::new("export-cli");
    let report = dir.0.join("run.json");
    let script = common::crate_path("levels/solutions/07-canary.txt");
    let z = |args: &[&str]| {
        Process::new(env!("CARGO_BIN_EXE_zerodown"))
            .args(args)
            .output()
            .expect("runs")
    };
    let run = z(&[
        "run",
        "07-canary",
        "--script",
        script.to_str().expect("utf-8"),
        "--report",
        report.to_str().expect("utf-8"),
    ]);
    assert!(run.status.success());
    let out = dir.0.join("k8s.yaml");
    let e = z(&[
        "export",
        report.to_str().expect("utf-8"),
        "--to",
        "k8s",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(e.status.success(), "{}", String::from_utf8_lossy(&e.stderr));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains("kind: Deployment") && text.contains("Kubernetes cannot pause at weights"),
        "{text}"
    );
    let from_script = z(&[
        "export",
        "--mission",
        "07-canary",
        "--script",
        script.to_str().expect("utf-8"),
        "--to",
        "k8s",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&from_script.stdout),
        text,
        "the report and the script give one config"
    );
    let bad = z(&[
        "export",
        dir.0.join("missing.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let not_report = z(&["export", script.to_str().expect("utf-8")]);
    assert_eq!(not_report.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_report.stderr).contains("not a run report"));
}
