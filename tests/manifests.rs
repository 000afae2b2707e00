//! Real configuration read into the game: each format's defaults (hand-written manifests in
//! `tests/manifests/`), unknown fields listed with their lines, and malformed input refused
//! with a line and a column (exit 2 from the command line).

use std::path::Path;
use std::process::Command as Process;

use zerodown::command::{Amount, GuardAction, Metric, Op};
use zerodown::drill::Strategy;
use zerodown::manifest::{How, Imported, import, import_for};
use zerodown::mission::{Balancer, CheckDepth};
use zerodown::time::Dur;

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/manifests"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).expect("manifest")
}

fn nothing_beside(_: &str) -> Option<(String, String)> {
    None
}

fn load(name: &str) -> Imported {
    import(&read(name), &nothing_beside).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn strategy(i: &Imported) -> &Strategy {
    match &i.play.shipping().expect("a release").how {
        How::Ship(s) => s,
        How::Mirror(_) => panic!("a mirror"),
    }
}

#[test]
fn a_deployment_without_a_strategy_rolls_25_percent_surge_and_unavailable() {
    let i = load("deployment-defaults.yaml");
    assert_eq!(
        strategy(&i),
        &Strategy::Surge {
            surge: Amount::Percent(25),
            unavailable: Amount::Percent(25),
            min_ready: Dur::default(),
        }
    );
    let s = &i.play.setup;
    assert_eq!(s.replicas, 40);
    assert!(i.replicas_given);
    assert_eq!(
        s.progress_deadline,
        Dur::from_secs(600),
        "progressDeadlineSeconds 600"
    );
    assert_eq!(
        s.drain,
        Dur::from_secs(30),
        "terminationGracePeriodSeconds 30"
    );
    let h = &s.health;
    assert_eq!(
        (h.period, h.failure_threshold, h.success_threshold),
        (Dur::from_secs(10), 3, 1)
    );
    assert_eq!(h.depth, CheckDepth::Shallow);
    assert_eq!(
        i.play.releases[0].version, "2.4.1",
        "the image tag names the release"
    );
}

#[test]
fn recreate_is_all_at_once_and_replicas_default_to_one() {
    let i = load("deployment-recreate.yaml");
    assert_eq!(strategy(&i), &Strategy::AllAtOnce);
    assert_eq!(i.play.setup.replicas, 12);
    let i = import(
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: a:v2\n",
        &nothing_beside,
    )
    .expect("ok");
    assert_eq!(i.play.setup.replicas, 1, "spec.replicas defaults to 1");
    assert!(!i.replicas_given);
}

#[test]
fn no_surge_is_in_place_and_probes_set_the_health_checks() {
    let i = load("deployment-inplace.yaml");
    assert_eq!(
        strategy(&i),
        &Strategy::Rolling {
            batch: Amount::Count(2)
        }
    );
    let s = &i.play.setup;
    assert_eq!(s.progress_deadline, Dur::from_secs(300));
    assert_eq!(s.drain, Dur::from_secs(45));
    assert_eq!(
        s.health.depth,
        CheckDepth::Deep,
        "a path that touches the database"
    );
    assert_eq!(
        (s.health.period, s.health.failure_threshold),
        (Dur::from_secs(5), 2)
    );
    assert_eq!(
        s.health.liveness.as_ref().map(|l| l.period),
        Some(Dur::from_secs(20))
    );
    assert!(s.health.startup);
    assert!(
        i.notes
            .iter()
            .any(|n| n.text.contains("resources") && n.line == 34),
        "{:#?}",
        i.notes
    );
}

#[test]
fn an_argo_canary_without_traffic_routing_is_weighted_by_pod_counts() {
    let i = load("argo-canary-replicas.yaml");
    assert_eq!(i.play.setup.balancer, Balancer::ServerCount);
    let Strategy::Canary {
        steps,
        interval,
        analysis,
        ..
    } = strategy(&i)
    else {
        panic!("a canary")
    };
    assert_eq!(steps, &[20, 40, 80, 100]);
    assert_eq!(
        *interval,
        Dur::from_secs(300),
        "5m and 300 (bare seconds) agree"
    );
    assert!(!analysis);
    assert!(
        i.notes
            .iter()
            .any(|n| n.text.contains("pause: {}") && n.line == 10),
        "an indefinite pause is said, at its line: {:#?}",
        i.notes
    );
}

#[test]
fn an_argo_analysis_template_becomes_a_guard_on_the_release() {
    let i = load("argo-canary-analysis.yaml");
    assert_eq!(
        i.play.setup.balancer,
        Balancer::Weighted,
        "trafficRouting: exact weights"
    );
    let r = i.play.shipping().expect("release");
    assert_eq!(r.guards.len(), 1, "{:#?}", i.notes);
    let g = &r.guards[0];
    // successCondition result[0] >= 0.95 on a success ratio: errors above 5 % fail it.
    assert_eq!((g.metric, g.op), (Metric::ErrorRate, Op::Gt));
    assert!((g.value - 5.0).abs() < 1e-9, "{}", g.value);
    // failureLimit 3 at a 5m interval: the fourth failure, 15 minutes of bad readings.
    assert_eq!(g.for_, Dur::from_secs(15 * 60));
    assert_eq!(
        g.action,
        GuardAction::Abort,
        "a failed analysis aborts a canary"
    );
    assert!(i.notes.iter().any(|n| n.text.contains("failureLimit 3")));
}

#[test]
fn an_analysis_template_beside_the_file_is_read() {
    let path = dir().join("beside/rollout.yaml");
    let out = Process::new(env!("CARGO_BIN_EXE_zerodown"))
        .args([
            "whatif",
            path.to_str().expect("utf-8"),
            "--fault",
            "latency",
            "--seeds",
            "1",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("analysis.yaml"),
        "names the file it read: {stdout}"
    );
    assert!(stdout.contains("guard p99>500ms for 30s"), "{stdout}");
    assert!(
        stdout.contains("blue-green, switching after 2m"),
        "{stdout}"
    );
}

#[test]
fn flaggers_step_weight_walks_to_max_weight() {
    let i = load("flagger-stepweight.yaml");
    let Strategy::Canary {
        steps, interval, ..
    } = strategy(&i)
    else {
        panic!("a canary")
    };
    assert_eq!(
        steps,
        &[10, 20, 30, 40, 50, 100],
        "stepWeight 10 up to maxWeight 50, then promotion"
    );
    assert_eq!(*interval, Dur::from_secs(60));
    assert_eq!(i.play.setup.replicas, 8, "from the targeted Deployment");
    assert_eq!(i.play.setup.balancer, Balancer::Weighted);
    let r = i.play.shipping().expect("release");
    assert_eq!(r.version, "6.5.0");
    let metrics: Vec<(Metric, f64, Dur)> = r
        .guards
        .iter()
        .map(|g| (g.metric, g.value, g.for_))
        .collect();
    // threshold 5: rollback at the fifth failed check, one a minute.
    assert_eq!(
        metrics,
        [
            (Metric::ErrorRate, 1.0, Dur::from_secs(240)),
            (Metric::P99, 500.0, Dur::from_secs(240))
        ]
    );
}

#[test]
fn codedeploy_minimum_healthy_hosts_and_alarms() {
    let i = load("codedeploy.json");
    assert_eq!(
        strategy(&i),
        &Strategy::Rolling {
            batch: Amount::Percent(25)
        },
        "75% must stay healthy: a quarter at a time"
    );
    let r = i.play.shipping().expect("release");
    assert_eq!(r.guards.len(), 1);
    let g = &r.guards[0];
    assert_eq!(
        (g.metric, g.op, g.value, g.for_),
        (Metric::ErrorRate, Op::Gt, 1.0, Dur::from_secs(120))
    );
    assert_eq!(
        g.action,
        GuardAction::Rollback,
        "DEPLOYMENT_STOP_ON_ALARM rolls back"
    );
    assert!(
        i.notes.iter().any(|n| n.text.contains("shop-missing")),
        "{:#?}",
        i.notes
    );
    let i = import_for(&read("codedeploy-preset.yaml"), &nothing_beside, Some(30)).expect("ok");
    assert_eq!(
        strategy(&i),
        &Strategy::Rolling {
            batch: Amount::Percent(50)
        }
    );
    let host_count =
        "minimumHealthyHosts: {type: HOST_COUNT, value: 27}\ndeploymentConfigName: x\n";
    let i = import_for(host_count, &nothing_beside, Some(30)).expect("ok");
    assert_eq!(
        strategy(&i),
        &Strategy::Rolling {
            batch: Amount::Count(3)
        },
        "27 of 30 hosts healthy: 3 at a time"
    );
}

#[test]
fn unknown_fields_are_listed_with_their_lines() {
    let i = load("unknown-fields.yaml");
    let got: Vec<(usize, String)> = i.notes.iter().map(|n| (n.line, n.text.clone())).collect();
    for (line, field) in [
        (7, "spec.revisionHistoryLimit"),
        (10, "spec.template.spec.nodeSelector"),
        (15, "spec.template.spec.containers[0].imagePullPolicy"),
    ] {
        assert!(
            got.iter().any(|(l, t)| *l == line && t.contains(field)),
            "{field} at line {line}: {got:#?}"
        );
    }
}

#[test]
fn malformed_input_is_refused_with_line_and_column() {
    for (file, line, words) in [
        ("bad-syntax.yaml", 4, ""),
        ("bad-both-zero.yaml", 6, "cannot both be 0"),
        ("bad-no-rollout.yaml", 1, "no rollout here"),
    ] {
        let e = import(&read(file), &nothing_beside).expect_err(file);
        assert_eq!(e.line, line, "{file}: {e}");
        assert!(e.column >= 1, "{file}: {e}");
        assert!(e.message.contains(words), "{file}: {e}");
    }
    for (text, words) in [
        ("", "empty"),
        ("- a\n- b\n", "expected a mapping"),
        (
            "kind: Deployment\nspec:\n  replicas: -3\n",
            "replicas must be 1 to",
        ),
        (
            "kind: Deployment\nspec:\n  replicas: 99999999\n",
            "replicas must be 1 to",
        ),
        (
            "kind: Rollout\nspec:\n  strategy:\n    canary:\n      steps:\n      - setWeight: 140\n",
            "setWeight must be 0 to 100",
        ),
        (
            "kind: Rollout\nspec:\n  strategy:\n    canary:\n      steps:\n      - setWeight: 10\n      - pause: {duration: 10y}\n",
            "not a duration",
        ),
        (
            "kind: Deployment\nspec:\n  progressDeadlineSeconds: 99999999999\n",
            "must be 0 to",
        ),
        ("kind: Deployment\nspec: {replicas: 2\n", ""),
        ("kind: Deployment\n\tspec: x\n", ""),
    ] {
        let e = import(text, &nothing_beside).expect_err(text);
        assert!(e.message.contains(words), "{text:?}: {e}");
        assert!(!e.message.contains('\u{1b}'), "no escapes in messages");
    }
}

#[test]
fn the_command_line_says_where_and_exits_2() {
    let path = dir().join("bad-syntax.yaml");
    let out = Process::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(["whatif", path.to_str().expect("utf-8")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad-syntax.yaml:4:"), "{stderr}");
    let out = Process::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(["whatif", "/nonexistent/x.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = Process::new(env!("CARGO_BIN_EXE_zerodown"))
        .args([
            "whatif",
            dir()
                .join("deployment-defaults.yaml")
                .to_str()
                .expect("utf-8"),
            "--fault",
            "errrors",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault"));
}

#[test]
fn a_whatif_names_what_catches_each_fault_and_why_not() {
    let path = dir().join("argo-canary-analysis.yaml");
    let out = Process::new(env!("CARGO_BIN_EXE_zerodown"))
        .args([
            "whatif",
            path.to_str().expect("utf-8"),
            "--seeds",
            "2",
            "--fleet",
            "50",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    for fault in [
        "none",
        "errors",
        "latency",
        "slow tail",
        "cpu",
        "memory leak",
        "crash loop",
        "broken db config",
        "late errors",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(fault)),
            "a row for {fault}: {stdout}"
        );
    }
    // A 15-minute failure window on a 4-minute canary judges nothing in time.
    assert!(
        stdout.contains("(failureLimit × interval) and the whole canary takes 4m"),
        "{stdout}"
    );
    assert!(stdout.contains("nothing watches memory"), "{stdout}");
}

#[test]
fn sandbox_plays_a_config_with_its_fleet_and_plan() {
    use zerodown::cli::sandbox::{Args, from_config};
    let file = dir().join("argo-canary-analysis.yaml");
    let args = Args {
        file: Some(file.to_string_lossy().into_owned()),
        ..Args::default()
    };
    let (_, m) = args.mission().expect("a sandbox");
    assert!(m.sandbox);
    assert_eq!(m.fleet.servers, 50);
    assert_eq!(m.fleet.balancer, Balancer::Weighted);
    assert!(m.briefing.contains("failureLimit 3"), "{}", m.briefing);
    let (_, plan) = from_config(&file, None).expect("reads");
    let plan = plan.expect("a plan");
    let lines = plan.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[1].starts_with("guard error_rate>5% for 15m version=v2 -> abort"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("canary v2 steps=10,50,100 interval=2m"),
        "{lines:?}"
    );
    let bad = Args {
        file: Some(dir().join("bad-syntax.yaml").to_string_lossy().into_owned()),
        ..Args::default()
    };
    let e = bad.mission().expect_err("bad yaml");
    assert!(e.contains("bad-syntax.yaml:4:"), "{e}");
}

/// Two configs that differ in what their readiness probe asks: the deep one keeps a build
/// that cannot reach its database out of traffic, the shallow one lets it reach everyone.
#[test]
fn a_deep_probe_is_what_keeps_a_broken_database_config_out() {
    use zerodown::manifest::whatif::{Fault, Fleet, run};
    let fleet = Fleet {
        servers: 20,
        capacity_rps: 100.0,
        rps: None,
    };
    let db = [Fault::Kind(zerodown::drill::FaultKind::BrokenDbConfig)];
    let deep = run(&load("deployment-inplace.yaml"), fleet, &db, &[1, 2]).expect("runs");
    let shallow = run(&load("deployment-defaults.yaml"), fleet, &db, &[1, 2]).expect("runs");
    let (d, s) = (&deep.rows[0], &shallow.rows[0]);
    assert_eq!(
        (d.caught, d.by.as_str(), d.shipped),
        (2, "probe", 0),
        "{d:?}"
    );
    assert!(
        d.verdict
            .starts_with("kept out of traffic by the readiness probe"),
        "{}",
        d.verdict
    );
    assert_eq!(d.downtime_s, 0.0);
    assert_eq!((s.caught, s.shipped), (0, 2), "{s:?}");
    assert!(
        s.verdict.contains("a shallow readiness probe passes"),
        "{}",
        s.verdict
    );
    assert!(s.downtime_s > 60.0 && s.users_hit_pct > 50.0, "{s:?}");
}

/// The README's what-if example is what the command prints.
#[test]
fn the_readme_whatif_example_is_true() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let start = readme.find("$ zerodown whatif ").expect("an example");
    let block = &readme[start..];
    let block = &block[..block.find("```").expect("end of the block")];
    let (command, shown) = block.split_once('\n').expect("command line");
    let args: Vec<&str> = command
        .trim_start_matches("$ zerodown ")
        .split_whitespace()
        .collect();
    let out = Process::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        shown,
        "README.md's example is stale: run `{command}` and paste its output"
    );
}

/// A healthy release is no alibi: all at once costs users even when nothing is wrong.
#[test]
fn a_healthy_release_all_at_once_still_says_what_users_felt() {
    use zerodown::manifest::whatif::{Fault, Fleet, run};
    let fleet = Fleet {
        servers: 12,
        capacity_rps: 100.0,
        rps: None,
    };
    let none = [Fault::Kind(zerodown::drill::FaultKind::None)];
    let w = run(&load("deployment-recreate.yaml"), fleet, &none, &[1]).expect("runs");
    let r = &w.rows[0];
    assert!(r.downtime_s > 0.0, "{r:?}");
    assert!(
        r.verdict.starts_with("even a healthy release costs"),
        "{}",
        r.verdict
    );
    let w = run(&load("deployment-inplace.yaml"), fleet, &none, &[1]).expect("runs");
    assert_eq!(w.rows[0].verdict, "ships a healthy release, nothing fired");
}
