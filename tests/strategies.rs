//! Rollout strategies through scripts: each behaves as Kubernetes, CodeDeploy, Argo Rollouts,
//! Flagger and Istio do (see ARCHITECTURE.md), and recovery is measured by the report.

mod common;

use common::{Spec, apply, cmd, run_text, step_secs};
use zerodown::report::Report;
use zerodown::sim::{Phase, Sim};

fn event_times(r: &Report, needle: &str) -> Vec<f64> {
    r.events
        .iter()
        .filter(|e| e.text.contains(needle))
        .map(|e| e.t)
        .collect()
}

/// Kubernetes: never more than desired + surge servers, never fewer than
/// desired − unavailable in service, every second, for several fleet sizes and bounds.
#[test]
fn surge_rollout_keeps_the_kubernetes_invariants() {
    for (n, surge_pct, unavail_pct) in [
        (4, 25, 25),
        (10, 25, 25),
        (20, 50, 0),
        (37, 0, 15),
        (10, 0, 0),
    ] {
        let mission = Spec::fleet(n, f64::from(n) * 50.0).lasting("9m").mission();
        let script = format!(
            "wait 5s\nrolling v2 surge={surge_pct}% unavailable={unavail_pct}%\nwait until all-on v2"
        );
        let r = run_text(&mission, &script, 1);
        // Percent → count: surge rounds up, unavailable down; both 0 ⇒ unavailable 1.
        let surge = (n * surge_pct).div_ceil(100);
        let mut unavailable = n * unavail_pct / 100;
        if surge == 0 && unavailable == 0 {
            unavailable = 1;
        }
        let mut grew = false;
        for m in &r.timeline {
            assert!(
                m.servers <= n + surge,
                "n={n} t={} servers {}",
                m.t,
                m.servers
            );
            assert!(
                m.in_service >= n - unavailable,
                "n={n} t={} in service {} < {}",
                m.t,
                m.in_service,
                n - unavailable
            );
            assert_eq!(m.failed, 0, "n={n} t={}", m.t);
            grew |= m.servers > n;
        }
        assert_eq!(grew, surge > 0, "n={n}: surge servers used iff surge > 0");
        let last = r.timeline.last().expect("timeline");
        assert_eq!((last.servers, last.in_service), (n, n), "n={n}");
        assert_eq!(r.outcome, "passed", "n={n}: {:?}", r.objectives);
    }
}

/// A version that never gets ready stalls the rollout: old servers keep serving at
/// reduced capacity, it is reported stalled after the progress deadline, nothing rolls back.
#[test]
fn a_never_ready_version_stalls_with_old_servers_serving() {
    let mission = Spec::fleet(10, 400.0)
        .v2("fails_to_start: true")
        .with_fleet(r#"progress_deadline: "2m","#)
        .lasting("5m")
        .mission();
    let r = run_text(&mission, "wait 5s\nrolling v2 surge=25% unavailable=25%", 1);
    let stalled = event_times(&r, "rollout stalled");
    assert_eq!(stalled.len(), 1, "{:?}", r.events);
    assert!(
        stalled[0] > 120.0 && stalled[0] < 200.0,
        "stalled at {}",
        stalled[0]
    );
    for m in &r.timeline[10..] {
        // 25 % of 10: 2 may be unavailable, 3 surge; the 8 old keep serving everyone.
        assert!(
            m.servers <= 13 && m.in_service >= 8,
            "t={} {:?}",
            m.t,
            (m.servers, m.in_service)
        );
        assert_eq!(m.failed, 0, "t={}", m.t);
        assert_eq!(m.by_version["v1"].in_service, m.in_service, "t={}", m.t);
    }
    assert!(
        event_times(&r, "rollback").is_empty(),
        "Kubernetes does not roll back by itself"
    );
}

/// A 20 % error canary at 5 % weight is ≈1 % of all traffic, and analysis aborts it within
/// interval × (limit + 1) of the step starting.
#[test]
fn canary_with_errors_is_about_one_percent_and_aborted_by_analysis() {
    for limit in [0u32, 1] {
        let mission = Spec::fleet(20, 1000.0)
            .v2("errors: 0.2")
            .lasting("8m")
            .mission();
        let script = format!("wait 5s\ncanary v2 steps=5,20,50,100 interval=60s limit={limit}");
        let r = run_text(&mission, &script, 1);
        let watching = event_times(&r, "canary at 5%");
        let aborted = event_times(&r, "canary aborted by analysis");
        assert_eq!(
            (watching.len(), aborted.len()),
            (1, 1),
            "limit {limit}: {:?}",
            r.events
        );
        let budget = 60.0 * f64::from(limit + 1) + 1.0;
        assert!(
            aborted[0] - watching[0] <= budget,
            "limit {limit}: {watching:?} → {aborted:?}"
        );
        let during: Vec<_> = r
            .timeline
            .iter()
            .filter(|m| (m.t as f64) > watching[0] + 1.0 && (m.t as f64) < aborted[0])
            .collect();
        assert!(!during.is_empty());
        let (ok, failed) = during
            .iter()
            .fold((0, 0), |(o, f), m| (o + m.ok, f + m.failed));
        let rate = failed as f64 / (ok + failed) as f64;
        assert!(
            (0.008..0.012).contains(&rate),
            "limit {limit}: fleet error rate {rate}"
        );
        // After the abort nobody is served by v2.
        for m in r.timeline.iter().filter(|m| m.t as f64 > aborted[0] + 2.0) {
            assert_eq!(m.failed, 0, "t={}", m.t);
        }
    }
}

/// Abort as Argo does it: users back on stable at once, the canary's servers scaled down
/// 30 s later (abortScaleDownDelaySeconds), and the rollout still names v2 ("Degraded")
/// until a rollback reverts it, so "no server on v2" is not met by the abort alone.
#[test]
fn abort_scales_the_canary_down_and_leaves_the_spec_degraded() {
    let mut spec = Spec::fleet(20, 1000.0).v2("errors: 0.2").lasting("4m");
    spec.objectives = r#"NoServersOn("v2")"#.to_string();
    let mission = spec.mission();
    let abort = "wait 5s\ncanary v2 steps=25,100 interval=5m\nwait 60s\nabort\nwait 2m";
    let r = run_text(&mission, abort, 1);
    let aborted = event_times(&r, "aborted (");
    let scaled = event_times(&r, "aborted canary scaled down");
    assert_eq!((aborted.len(), scaled.len()), (1, 1), "{:?}", r.events);
    assert!(
        (29.0..=31.0).contains(&(scaled[0] - aborted[0])),
        "{aborted:?} → {scaled:?}"
    );
    // 20 stable servers, and 5 canary ones (25 %) until the scale-down.
    let servers = |t: f64| {
        r.timeline
            .iter()
            .find(|m| m.t as f64 >= t)
            .map(|m| m.servers)
    };
    assert_eq!(servers(aborted[0] + 5.0), Some(25), "kept during the delay");
    assert_eq!(
        servers(scaled[0] + 5.0),
        Some(20),
        "none after the scale-down"
    );
    assert!(
        !r.objectives[0].met,
        "the spec still names v2: {:?}",
        r.objectives
    );
    // Reverting the spec meets it.
    let reverted = format!("{abort}\nrollback\nwait 10s");
    let r = run_text(&mission, &reverted, 1);
    assert!(r.objectives[0].met, "{:?}", r.objectives);
}

/// Blue-green: a bug that shows only under real traffic passes the preview, hurts after the
/// switch, and switching back ends the impact within a second or two.
#[test]
fn bluegreen_switch_back_restores_within_seconds() {
    let mission = Spec::fleet(10, 500.0)
        .v2("errors: 0.3, only_real_traffic: true")
        .with_fleet(r#"pools: ["blue"], scale_down_delay: "5m","#)
        .lasting("5m")
        .mission();
    let script = "wait 5s\nbluegreen v2\nwait until ready green\nwait 20s\nswitch green\nwait 10s\nswitch blue\nwait 1m";
    let r = run_text(&mission, script, 1);
    let switched = event_times(&r, "all traffic → green");
    let back = event_times(&r, "all traffic → blue again");
    assert_eq!((switched.len(), back.len()), (1, 1), "{:?}", r.events);
    // The preview saw no errors (the bug needs real users); the shadow entry measured it.
    let before: Vec<_> = r
        .timeline
        .iter()
        .filter(|m| (m.t as f64) < switched[0])
        .collect();
    assert!(before.iter().all(|m| m.failed == 0));
    assert!(
        before
            .iter()
            .any(|m| m.by_version.get("v2").is_some_and(|v| v.shadow && v.ok > 0))
    );
    // Users felt it after the switch …
    let hurt = r
        .timeline
        .iter()
        .find(|m| m.t as f64 >= switched[0] + 2.0)
        .expect("t");
    assert!(hurt.error_rate > 0.2, "{}", hurt.error_rate);
    // … and 2 s after switching back it is over.
    for m in r.timeline.iter().filter(|m| m.t as f64 >= back[0] + 2.0) {
        assert_eq!(m.failed, 0, "t={}", m.t);
    }
    let mttr = r.score.mttr_s.expect("an incident");
    assert!(mttr <= 13.0, "restore {mttr}");
}

/// Shadow traffic never reaches users: a version failing half its requests in shadow leaves
/// the users' error rate at zero, while its own failures are measured.
#[test]
fn shadow_never_raises_user_visible_errors() {
    let mission = Spec::fleet(10, 500.0)
        .v2("errors: 0.5, latency_factor: 5.0")
        .lasting("3m")
        .mission();
    let r = run_text(&mission, "wait 5s\nshadow v2 50%\nwait 90s\nshadow off", 1);
    assert_eq!(r.score.failed_requests, 0);
    assert_eq!(r.score.downtime_s, 0);
    let shadow_failed: u64 = r
        .timeline
        .iter()
        .filter_map(|m| m.by_version.get("v2"))
        .inspect(|v| assert!(v.shadow))
        .map(|v| v.failed)
        .sum();
    assert!(
        shadow_failed > 5_000,
        "shadow failures measured: {shadow_failed}"
    );
    assert!(
        !event_times(&r, "placed twice").is_empty(),
        "duplicate writes warned"
    );
    assert!(
        r.timeline.last().is_some_and(|m| m.servers == 10),
        "shadow servers removed"
    );
}

/// A guard fires once, with an event, and its action happens.
#[test]
fn a_guard_fires_once_and_rolls_back() {
    let mission = Spec::fleet(10, 500.0)
        .v2("errors: 0.5")
        .lasting("8m")
        .mission();
    let script =
        "guard error_rate>2% for 5s version=v2 -> rollback\nwait 5s\nrolling v2 batch=2\nwait 7m";
    let r = run_text(&mission, script, 1);
    let fired = event_times(&r, "guard #1 fired");
    assert_eq!(fired.len(), 1, "{:?}", r.events);
    assert_eq!(event_times(&r, "rollback (guard #1)").len(), 1);
    let last = r.timeline.last().expect("timeline");
    assert_eq!(last.by_version.get("v1").map(|v| v.in_service), Some(10));
    assert!(!last.by_version.contains_key("v2"));
}

/// Rollback works from every strategy and phase: afterwards users are served by v1 only.
#[test]
fn rollback_works_from_every_strategy_and_phase() {
    let cases = [
        ("rolling v2 batch=2", "wait 40s"),
        ("rolling v2 surge=25% unavailable=25%", "wait 20s"),
        ("rolling v2 batch=2", "wait until all-on v2"),
        ("bluegreen v2", "wait 10s"),
        ("bluegreen v2", "wait until ready green"),
        (
            "bluegreen v2",
            "wait until ready green\nswitch green\nwait 5s",
        ),
        ("canary v2 steps=5,50 interval=30s", "wait 50s"),
        (
            "canary v2 steps=5,50 interval=30s",
            "wait 50s\nweight 30\nwait 5s",
        ),
        ("canary v2 steps=5,50 interval=30s", "wait 50s\nabort"),
    ];
    for (start, then) in cases {
        let mission = Spec::fleet(10, 400.0)
            .with_fleet(r#"pools: ["blue"], scale_down_delay: "5m","#)
            .lasting("10m")
            .mission();
        let script = format!("wait 5s\n{start}\n{then}\nrollback\nwait 6m");
        let r = run_text(&mission, &script, 1);
        assert!(
            r.commands.iter().any(|c| c.command == "rollback"),
            "{start} / {then}: rollback refused: {:?}",
            r.events
                .iter()
                .filter(|e| e.severity == "warn")
                .collect::<Vec<_>>()
        );
        let tail = &r.timeline[r.timeline.len() - 30..];
        for m in tail {
            let v2 = m
                .by_version
                .get("v2")
                .filter(|v| !v.shadow)
                .map_or(0, |v| v.arrived);
            assert_eq!(v2, 0, "{start} / {then}: t={} users on v2", m.t);
            assert_eq!(m.failed, 0, "{start} / {then}: t={}", m.t);
            assert!(
                m.in_service >= 10,
                "{start} / {then}: t={} in service {}",
                m.t,
                m.in_service
            );
        }
    }
}

/// Recovery is measured: a canary abort restores in seconds, a re-deploying rollback of an
/// in-place rolling takes minutes.
#[test]
fn recovery_time_reflects_the_strategy() {
    let mission = Spec::fleet(10, 500.0)
        .v2("errors: 0.3")
        .lasting("10m")
        .mission();
    let canary = run_text(
        &mission,
        // The weight shifts once the canary servers are warm (30 s after they start).
        "wait 5s\ncanary v2 steps=50,100 interval=1m analysis=off\nwait 5s\nwait until ready canary\nwait 45s\nabort",
        1,
    );
    let rolling = run_text(
        &mission,
        "wait 5s\nrolling v2 batch=5\nwait until all-on v2\nwait 10s\nrollback",
        1,
    );
    let (c, r) = (
        canary.score.mttr_s.expect("canary incident"),
        rolling.score.mttr_s.expect("rolling incident"),
    );
    assert!(c < 20.0, "canary abort restore {c}");
    assert!(r > 60.0, "rolling rollback restore {r}");
}

/// Commands that make no sense now are refused with a reason, not ignored.
#[test]
fn nonsense_rollout_commands_are_refused_with_a_reason() {
    let mission = Spec::fleet(10, 400.0).lasting("5m").mission();
    let mut sim = Sim::new(&mission, 1);
    step_secs(&mut sim, 5);
    let refused = |sim: &mut Sim, text: &str| -> String {
        match sim.apply(&cmd(text)) {
            Ok(a) => panic!("`{text}` accepted: {}", a.0),
            Err(e) => e.to_string(),
        }
    };
    assert!(refused(&mut sim, "promote").contains("nothing to promote"));
    assert!(refused(&mut sim, "switch green").contains("no blue-green"));
    assert!(refused(&mut sim, "weight 20").contains("no canary"));
    assert!(refused(&mut sim, "retry").contains("retry restarts an aborted canary"));
    assert!(refused(&mut sim, "abort").contains("no rollout"));
    assert!(refused(&mut sim, "rollback").contains("no rollout to roll back"));
    assert!(refused(&mut sim, "rolling v1 batch=2").contains("already runs v1"));
    apply(&mut sim, "bluegreen v2");
    assert!(refused(&mut sim, "switch green").contains("not ready"));
    assert!(refused(&mut sim, "canary v2 steps=5,100 interval=1m").contains("in progress"));
    assert!(refused(&mut sim, "promote").contains("promote moves a canary"));
    assert!(sim.rollout().is_some_and(|r| r.phase == Phase::Running));
}

/// Without a weighted balancer the canary's share follows server counts: on a small fleet
/// the actual share differs from the one asked, and both are reported. The fleet keeps its
/// size (Argo's basic canary): 5 % of 10 is one canary server and nine stable, 10 %.
#[test]
fn canary_without_weights_is_approximated_by_server_counts() {
    let mission = Spec::fleet(10, 500.0)
        .with_fleet("balancer: ServerCount,")
        .lasting("4m")
        .mission();
    let r = run_text(
        &mission,
        "wait 5s\ncanary v2 steps=5,50 interval=1m\nwait 90s",
        1,
    );
    let asked = r
        .events
        .iter()
        .find(|e| e.text.contains("canary at 5% asked"))
        .unwrap_or_else(|| panic!("{:?}", r.events));
    assert!(
        asked
            .text
            .contains("1 of 10 servers ≈ 10.0% actual, 9 stable"),
        "{}",
        asked.text
    );
    let window: Vec<_> = r
        .timeline
        .iter()
        .filter(|m| m.t as f64 > asked.t + 1.0 && (m.t as f64) < asked.t + 55.0)
        .collect();
    let (canary, all) = window.iter().fold((0, 0), |(c, a), m| {
        (
            c + m.by_version.get("v2").map_or(0, |v| v.arrived),
            a + m.arrived,
        )
    });
    let share = canary as f64 / all as f64;
    assert!(
        (0.094..0.106).contains(&share),
        "actual share {share} {:?}",
        window
            .iter()
            .map(|m| (m.t, m.arrived, m.by_version.get("v2").map(|v| v.arrived)))
            .collect::<Vec<_>>()
    );
}

/// A finished in-place rollout says it is done, not which batch comes next.
#[test]
fn a_finished_rolling_update_names_no_next_batch() {
    let mission = Spec::fleet(10, 400.0).lasting("5m").mission();
    let mut sim = Sim::new(&mission, 1);
    apply(&mut sim, "rolling v2 batch=2");
    step_secs(&mut sim, 240);
    let line = sim.rollout_status().expect("a rollout");
    assert!(line.contains("done"), "{line}");
    assert!(
        line.ends_with("5/5 batches") && !line.contains("next"),
        "{line}"
    );
}

/// Issue 13 item 6: "rolling v4 · done · batch 5/10 next" — a rollout that stopped before
/// its last batch (aborted, or done by a rollback's end) names no batch as next.
#[test]
fn a_stopped_rolling_update_names_no_next_batch() {
    let mission = Spec::fleet(10, 400.0).lasting("5m").mission();
    let mut sim = Sim::new(&mission, 1);
    apply(&mut sim, "rolling v2 batch=2");
    step_secs(&mut sim, 60);
    apply(&mut sim, "abort");
    step_secs(&mut sim, 1);
    let line = sim.rollout_status().expect("a rollout");
    assert!(line.contains("aborted"), "{line}");
    assert!(!line.contains("next"), "{line}");
    assert!(line.ends_with("/5 batches"), "{line}");
}

/// Issue 13 item 6: `delete green` then `bluegreen v7` answered "`delete green` first".
/// While the deleted servers finish their requests the refusal says what to wait for, and
/// that wait ends with the new release accepted.
#[test]
fn a_new_blue_green_right_after_delete_says_to_wait_for_the_drain() {
    let (_, mission) = zerodown::mission::resolve("06-blue-green").expect("built-in");
    let mut sim = Sim::new(&mission, 1);
    step_secs(&mut sim, 10);
    apply(&mut sim, "bluegreen v6");
    step_secs(&mut sim, 60);
    apply(&mut sim, "switch green");
    step_secs(&mut sim, 5);
    apply(&mut sim, "switch blue");
    apply(&mut sim, "delete green");
    let why = sim
        .apply(&cmd("bluegreen v7"))
        .expect_err("green still leaving")
        .to_string();
    assert!(why.contains("`wait until drained green` first"), "{why}");
    assert!(!why.contains("`delete green` first"), "{why}");
    let drained = match cmd("wait until drained green") {
        zerodown::command::Command::Wait(zerodown::command::Wait::Until { cond, .. }) => cond,
        other => panic!("{other}"),
    };
    assert_eq!(
        sim.wait_refusal(&drained),
        None,
        "the advice can be followed"
    );
    for _ in 0..60 {
        if sim.holds(&drained) {
            break;
        }
        step_secs(&mut sim, 1);
    }
    apply(&mut sim, "bluegreen v7");
}

/// Issue 13 item 6: an aborted canary said "next check in 11s", a finished one "done ·
/// promoting to 100 %", and the start event "1 servers".
#[test]
fn a_stopped_canary_names_no_next_check() {
    let mission = Spec::fleet(10, 400.0)
        .v2("errors: 0.3")
        .lasting("10m")
        .mission();
    let mut sim = Sim::new(&mission, 1);
    apply(
        &mut sim,
        "canary v2 steps=10,50,100 interval=30s analysis=off",
    );
    step_secs(&mut sim, 90);
    apply(&mut sim, "abort");
    step_secs(&mut sim, 1);
    let line = sim.rollout_status().expect("a rollout");
    assert!(line.contains("aborted"), "{line}");
    assert!(!line.contains("next check"), "{line}");
    let good = Spec::fleet(10, 400.0).lasting("15m").mission();
    let mut sim = Sim::new(&good, 1);
    apply(&mut sim, "canary v2 steps=10,100 interval=30s");
    for _ in 0..600 {
        step_secs(&mut sim, 1);
        if sim.rollout().is_some_and(|r| r.phase == Phase::Done) {
            break;
        }
    }
    let line = sim.rollout_status().expect("a rollout");
    assert!(
        line.contains("done") && !line.contains("promoting"),
        "{line}"
    );
    let said: Vec<_> = sim.events().iter().map(|e| e.text.clone()).collect();
    assert!(!said.iter().any(|t| t.contains(" 1 servers")), "{said:?}");
}
