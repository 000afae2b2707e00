//! The system around the fleet, through scripts on small missions: expand/contract
//! migrations in the right and wrong orders, sessions (draining, external store, sticky),
//! health checks (shallow vs deep, liveness), slow start, and the release pipeline.

mod common;

use common::{Spec, run_text};
use zerodown::report::Report;

fn events(r: &Report, needle: &str) -> Vec<String> {
    r.events
        .iter()
        .filter(|e| e.text.contains(needle))
        .map(|e| format!("{} {}", e.t, e.text))
        .collect()
}

fn failed_on(r: &Report, version: &str) -> u64 {
    r.timeline
        .iter()
        .filter_map(|m| m.by_version.get(version))
        .filter(|v| !v.shadow)
        .map(|v| v.failed)
        .sum()
}

/// v1 reads the old column (gone at schema 3); v2 needs the new one (schema 2), reads it
/// and writes only it (the dual-write steps between are `tests/migrations.rs`).
fn migration_mission() -> zerodown::mission::Mission {
    let mut spec = Spec::fleet(10, 400.0).lasting("12m");
    spec.v2 = "reads: New, writes: New, needs_schema: 2".into();
    let text = spec
        .text()
        .replace(r#""v1": ()"#, r#""v1": (breaks_at_schema: Some(3))"#);
    let text = text.replace(
        "start: (version: \"v1\"),",
        r#"start: (version: "v1"),
    database: (schema: 1, capacity_qps: 5000.0, migrations: {
        "expand": (schema: Some(2), takes: "30s"),
        "backfill": (backfill: true, needs_schema: 2, takes: "60s", load: 0.5),
        "contract": (schema: Some(3), takes: "20s"),
        "lock": (takes: "20s", blocking: true),
    }),"#,
    );
    zerodown::mission::load_str(&text, "migration.ron").unwrap_or_else(|e| panic!("{e}"))
}

const ROLL: &str = "rolling v2 batch=2\nwait until all-on v2";

#[test]
fn expand_backfill_deploy_contract_errs_nowhere() {
    // Without a dual write the data goes wrong (`tests/migrations.rs`), but no request fails.
    let script = format!(
        "migrate expand\nwait 31s\nmigrate backfill\nwait 61s\n{ROLL}\nmigrate contract\nwait 30s"
    );
    let r = run_text(&migration_mission(), &script, 1);
    assert_eq!(r.score.failed_requests, 0, "{:?}", events(&r, "migration"));
    assert_eq!(r.score.sessions_lost, 0);
    assert_eq!(events(&r, "done: schema").len(), 3);
    assert_eq!(r.score.downtime_s, 0);
}

#[test]
fn new_code_before_expand_fails_on_the_new_servers() {
    let r = run_text(&migration_mission(), "rolling v2 batch=2\nwait 2m", 1);
    assert!(failed_on(&r, "v2") > 100, "v2 needs schema 2");
    assert_eq!(failed_on(&r, "v1"), 0);
}

#[test]
fn contract_before_every_server_moved_breaks_the_old_ones_and_rollback() {
    let script = "migrate expand\nwait 31s\nmigrate backfill\nwait 61s\nrolling v2 batch=2\nwait 40s\nmigrate contract\nwait 25s\nrollback\nwait 1m";
    let r = run_text(&migration_mission(), script, 1);
    assert!(failed_on(&r, "v1") > 100, "v1 breaks at schema 3");
    assert!(!events(&r, "v1 does not work with schema 3").is_empty());
    let refused = events(&r, "refused `rollback`");
    assert_eq!(refused.len(), 1, "{:?}", r.events);
    assert!(refused[0].contains("roll forward"), "{}", refused[0]);
}

#[test]
fn reading_new_before_backfill_is_silently_wrong() {
    let mission = migration_mission();
    let script = format!("migrate expand\nwait 31s\n{ROLL}\nwait 30s");
    let r = run_text(&mission, &script, 1);
    // No error signal at all, only the log line that says the data went wrong …
    assert_eq!(r.score.failed_requests, 0);
    assert_eq!(events(&r, "silently wrong data").len(), 1, "{:?}", r.events);
    // … but the data is wrong, and the objective says so.
    let script = zerodown::command::parse_script(&script).expect("script");
    let mut run = zerodown::runner::Run::new(&mission, 1);
    for line in &script.lines {
        run.command(&line.command);
    }
    assert!(
        run.sim.wrong_reads() > 1000,
        "wrong reads {}",
        run.sim.wrong_reads()
    );
}

#[test]
fn a_blocking_migration_slows_every_version() {
    let r = run_text(&migration_mission(), "wait 10s\nmigrate lock\nwait 30s", 1);
    let before = r.timeline[5].p99_ms;
    let during = r.timeline[20].p99_ms;
    assert!(during > 3.0 * before, "p99 {before} → {during}");
    assert!(r.timeline[45].p99_ms < 1.2 * before);
}

/// Ten servers whose sessions live in memory (sticky, as such an app needs).
fn in_memory(servers: u32, rps: f64, lasting: &str, extra: &str) -> zerodown::mission::Mission {
    Spec::fleet(servers, rps)
        .lasting(lasting)
        .in_memory(extra)
        .mission()
}

#[test]
fn draining_keeps_requests_but_not_in_memory_sessions() {
    let mission = in_memory(10, 400.0, "2m", "");
    let hard = run_text(&mission, "wait 10s\nrestart web-01,web-02\nwait 30s", 1);
    let soft = run_text(
        &mission,
        "wait 10s\ndrain web-01,web-02\nwait until drained web-01,web-02\nrestart web-01,web-02\nwait 30s",
        1,
    );
    // Either way the two servers' users land on servers that don't know them.
    common::assert_drain_keeps_requests_not_sessions(&soft, &hard, 100, 50);
}

#[test]
fn an_external_session_store_survives_a_full_rolling_restart() {
    // Sessions last 3 minutes (the default): the ones in memory when the store takes over
    // have ended 3 minutes later.
    let mission = in_memory(10, 400.0, "6m", "session_store_rps: 2000.0,");
    let restart_all = "wait 10s\nrestart web-01,web-02\nwait 30s\nrestart web-03,web-04\nwait 30s\nrestart web-05,web-06\nwait 30s\nrestart web-07,web-08\nwait 30s\nrestart web-09,web-10\nwait 30s";
    let memory = run_text(&mission, restart_all, 1);
    let at_once = run_text(&mission, &format!("sessions external\n{restart_all}"), 1);
    let after = run_text(
        &mission,
        &format!("sessions external\nwait 3m5s\nsticky off\n{restart_all}"),
        1,
    );
    assert!(
        memory.score.sessions_lost > 500,
        "in memory lost {}",
        memory.score.sessions_lost
    );
    // The switch takes new logins only: the sessions already in memory still die.
    assert!(
        at_once.score.sessions_lost > 300,
        "switched and restarted at once: lost {}",
        at_once.score.sessions_lost
    );
    assert!(!events(&at_once, "sessions stay in memory until").is_empty());
    assert_eq!(after.score.sessions_lost, 0);
    // Without a store in the mission the switch is refused with a reason.
    let none = run_text(&in_memory(4, 100.0, "1m", ""), "sessions external", 1);
    assert!(!events(&none, "no external session store").is_empty());
    // A stateless app has nothing to move.
    let tokens = run_text(&Spec::fleet(4, 100.0).mission(), "sessions external", 1);
    assert!(!events(&tokens, "keeps no session state").is_empty());
}

#[test]
fn an_overloaded_session_store_fails_requests() {
    let mut spec = Spec::fleet(10, 800.0).lasting("1m");
    spec.fleet = "session_store_rps: 400.0, sessions: External,".into();
    let r = run_text(&spec.mission(), "wait 30s", 1);
    let m = &r.timeline[20];
    assert!(
        (0.4..0.6).contains(&m.error_rate),
        "store at 200%: {}",
        m.error_rate
    );
}

#[test]
fn sticky_sessions_keep_a_fresh_server_light() {
    let run = |sticky: &str| {
        let mut spec = Spec::fleet(10, 500.0).lasting("3m");
        spec.fleet = format!("sticky: {sticky},");
        let r = run_text(&spec.mission(), "wait 10s\ndeploy v2 web-01\nwait 60s", 1);
        let m = &r.timeline[60];
        (m.by_version["v2"].arrived, m.by_version["v1"].arrived / 9)
    };
    let (fresh, others) = run("true");
    assert!(
        fresh * 2 < others,
        "sticky: fresh server {fresh} vs {others} each"
    );
    let (fresh, others) = run("false");
    assert!(
        fresh.abs_diff(others) <= 2,
        "round robin: {fresh} vs {others}"
    );
}

#[test]
fn slow_start_ramps_a_new_server_in() {
    let mut spec = Spec::fleet(10, 500.0).lasting("3m");
    spec.fleet = r#"slow_start: "60s","#.into();
    let script = "wait 10s\ndrain web-01\nwait until drained web-01\ndeploy v2 web-01\nwait until ready web-01\nwait 90s";
    let r = run_text(&spec.mission(), script, 1);
    let v2: Vec<u64> = r
        .timeline
        .iter()
        .filter_map(|m| m.by_version.get("v2").map(|v| v.arrived))
        .collect();
    let first = v2.iter().position(|&a| a > 0).expect("v2 took traffic");
    assert!(v2[first + 5] < 20, "early share {}", v2[first + 5]);
    assert!(v2[first + 70] >= 45, "full share {}", v2[first + 70]);
    assert_eq!(r.score.failed_requests, 0);
}

#[test]
fn a_shallow_check_lets_a_broken_db_config_in_and_a_deep_one_keeps_it_out() {
    for (depth, expect_failures) in [("Shallow", true), ("Deep", false)] {
        let mut spec = Spec::fleet(4, 200.0)
            .v2("broken_db_config: true")
            .lasting("2m");
        spec.fleet = format!("health: (depth: {depth}),");
        let r = run_text(
            &spec.mission(),
            "wait 5s\ndrain web-01\nwait until drained web-01\ndeploy v2 web-01\nwait 60s",
            1,
        );
        assert_eq!(failed_on(&r, "v2") > 0, expect_failures, "{depth}");
    }
}

#[test]
fn liveness_restarts_a_hung_process_readiness_only_removes_it() {
    for (liveness, restarted) in [
        ("", false),
        (
            "liveness: Some((period: \"5s\", failure_threshold: 3)),",
            true,
        ),
    ] {
        let mut spec = Spec::fleet(4, 200.0)
            .v2(r#"hangs_after: Some("40s")"#)
            .lasting("3m");
        spec.fleet = format!("health: ({liveness}),");
        let r = run_text(&spec.mission(), "deploy v2 web-01\nwait 2m", 1);
        assert_eq!(
            !events(&r, "liveness: web-01").is_empty(),
            restarted,
            "{liveness:?}"
        );
        assert!(!events(&r, "web-01 failed 3 health checks").is_empty());
    }
}

fn pipeline_mission(v2: &str) -> zerodown::mission::Mission {
    let spec = Spec::fleet(10, 400.0).v2(v2).lasting("20m");
    let text = spec.text().replace(
        "start: (version: \"v1\"),",
        r#"start: (version: "v1"),
    pipeline: Some((build: "30s", test: "30s", package: "10s", staging_servers: 2,
                    staging_rps: 20.0, staging_test: "60s",
                    production: "rolling {version} batch=2")),"#,
    );
    zerodown::mission::load_str(&text, "pipeline.ron").unwrap_or_else(|e| panic!("{e}"))
}

const PIPELINE: &str = "pipeline run v2\nwait 5m\npromote staging\nwait 8m";

#[test]
fn the_pipeline_catches_each_defect_where_it_would_be_caught() {
    let cases = [
        ("fails_unit_tests: true", Some("stopped at test")),
        ("fails_to_start: true", Some("stopped at staging deploy")),
        ("errors: 0.2", Some("stopped at staging test")),
        ("broken_db_config: true", Some("stopped at staging test")),
        ("errors: 0.2, only_real_traffic: true", None),
        ("", None),
    ];
    for (defect, caught) in cases {
        let r = run_text(&pipeline_mission(defect), PIPELINE, 1);
        if let Some(stage) = caught {
            assert_eq!(
                events(&r, stage).len(),
                1,
                "{defect}: {:?}",
                events(&r, "pipeline")
            );
            assert_eq!(r.score.failed_requests, 0, "{defect}: no user saw it");
            assert!(!events(&r, "refused `promote staging`").is_empty());
        } else {
            assert!(events(&r, "pipeline stopped").is_empty(), "{defect}");
            assert_eq!(events(&r, "staging passed").len(), 1, "{defect}");
            assert!(r.commands.iter().any(|c| c.command == "promote staging"));
        }
    }
    // The defect staging cannot see reaches production users.
    let r = run_text(
        &pipeline_mission("errors: 0.2, only_real_traffic: true"),
        PIPELINE,
        1,
    );
    assert!(failed_on(&r, "v2") > 0);
    let clean = run_text(&pipeline_mission(""), PIPELINE, 1);
    assert_eq!(
        events(&clean, "monitor ✔ → done").len(),
        1,
        "{:?}",
        events(&clean, "pipeline")
    );
}

#[test]
fn cold_caches_after_a_mass_restart_stampede_the_database() {
    // The database handles the warm fleet (400 q/s of 650) but not three times that.
    let text = Spec::fleet(10, 400.0).lasting("5m").text().replace(
        "start: (version: \"v1\"),",
        "start: (version: \"v1\"),\n    database: (capacity_qps: 650.0),",
    );
    let mission = zerodown::mission::load_str(&text, "db.ron").unwrap_or_else(|e| panic!("{e}"));
    let all = run_text(&mission, "wait 10s\nrestart all\nwait 2m", 1);
    let warm = &all.timeline[8];
    assert_eq!(warm.failed, 0);
    let stampede = all.timeline[20..60].iter().map(|m| m.failed).sum::<u64>();
    assert!(
        stampede > 1000,
        "cold fleet overloads the database: {stampede} failed"
    );
    // Two at a time, drained: the warm majority keeps the database's load low.
    let rolling = run_text(
        &mission,
        "wait 10s\nrolling v2 batch=2\nwait until all-on v2",
        1,
    );
    assert!(
        rolling
            .commands
            .iter()
            .any(|c| c.command.starts_with("rolling"))
    );
    assert_eq!(
        rolling
            .timeline
            .last()
            .map(|m| m.by_version["v2"].in_service),
        Some(10)
    );
    assert_eq!(rolling.score.failed_requests, 0);
}

#[test]
fn a_stateless_version_loses_no_sessions_on_restart() {
    let mut spec = Spec::fleet(4, 200.0).v2("stateless: true").lasting("2m");
    spec.fleet = "sessions: InMemory, sticky: true,".into();
    let mission = spec.mission();
    let to_v2 = "drain web-01\nwait until drained web-01\ndeploy v2 web-01\nwait until ready web-01\nwait 60s";
    // Leaving the balancer cost web-01's v1 users their sessions; v2's restart costs none.
    let deployed = run_text(&mission, &format!("{to_v2}\nwait 30s"), 1);
    let r = run_text(&mission, &format!("{to_v2}\nrestart web-01\nwait 30s"), 1);
    let before = run_text(&mission, "wait 60s\nrestart web-01\nwait 30s", 1);
    assert!(
        before.score.sessions_lost > 0,
        "v1 keeps sessions in memory"
    );
    assert_eq!(
        r.score.sessions_lost, deployed.score.sessions_lost,
        "v2 is stateless"
    );
}
