//! Honest scores: the rules of DESIGN §4 that keep a play from passing by dodging the lesson.
//! A release is a ticket (shipped, or stopped on evidence); latency spends the budget; a
//! reaction is a mitigating act on the faulty release; one set of numbers everywhere;
//! damage users can't see is counted; the pager's burn-rate alert.

mod common;

use common::{Spec, apply, builtin, cmd, run_level, run_text, step_secs};
use zerodown::mission::{Mission, load_str};
use zerodown::report::Report;
use zerodown::sim::{Sim, Ticket, VersionId, costs, score_points};

fn unmet(r: &Report) -> Vec<&str> {
    r.objectives
        .iter()
        .filter(|o| !o.met)
        .map(|o| o.text.as_str())
        .collect()
}

fn events_with<'a>(r: &'a Report, needle: &str) -> Vec<&'a str> {
    r.events
        .iter()
        .filter(|e| e.text.contains(needle))
        .map(|e| e.text.as_str())
        .collect()
}

/// The outcome of a built-in mission played with `script` on `seed`, with the sim at the end.
fn play(id: &str, script: &str, seed: u64) -> (Report, Sim) {
    let mission = builtin(id);
    let parsed = zerodown::command::parse_script(script).expect("script");
    let mut run = zerodown::runner::Run::new(&mission, seed);
    for line in &parsed.lines {
        run.command(&line.command);
    }
    while run.step() {}
    let sim = run.sim.clone();
    (run.finish(id, seed), sim)
}

/// v1 → v2 with an error fault after `onset`, and a healthy v3 that follows v2.
fn three_versions(v2: &str) -> Mission {
    let text = format!(
        r#"Mission(
    title: "tickets",
    fleet: (servers: 10, capacity_rps: 100.0),
    traffic: (base_rps: 500.0, noise: false),
    versions: {{ "v1": (), "v2": ({v2}), "v3": () }},
    start: (version: "v1"),
    duration: "8m",
    unlocks: ["rolling", "abort", "rollback", "guard", "guards", "canary", "promote", "weight", "retry"],
    releases: ["v2", "v3"],
    objectives: [AllServersOn("v3"), DetectWithin("30s")],
    stars: (two: 800, three: 900),
)"#
    );
    load_str(&text, "tickets.ron").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn doing_nothing_in_the_bad_build_fails_and_says_why() {
    // Issue 8's measured dodge: `wait 10m` used to pass 05 with three stars.
    let (r, sim) = play("05-bad-build", "wait 10m", 1);
    assert_eq!(r.outcome, "failed");
    assert_eq!(r.stars, 0);
    let o = sim.outcome();
    let ticket = &o.objectives[0];
    assert!(!ticket.met, "{ticket:?}");
    let why = ticket.why.as_deref().expect("the ticket says why");
    assert!(
        why.contains("v5 never served a request") && why.contains("still waiting"),
        "{why}"
    );
}

#[test]
fn stopping_a_release_before_its_fault_shows_is_no_win() {
    // Issue 8's dodge: start v5, roll it back before its fault could show: ★★★ 1000.
    let script =
        "wait 10s\nrolling v5 batch=2\nwait 55s\nabort\nrollback\nwait until all-on v4 timeout=8m";
    let (r, sim) = play("05-bad-build", script, 1);
    assert_eq!(r.outcome, "failed", "{:?}", unmet(&r));
    assert!(!sim.ticket(VersionId(1)).settled());

    // The plain case: one server on v2, taken back before its fault's onset.
    let mission = three_versions("errors: 0.3, onset_after: \"2m\"");
    let mut sim = Sim::new(&mission, 1);
    apply(&mut sim, "deploy v2 web-01");
    step_secs(&mut sim, 60);
    apply(&mut sim, "deploy v1 web-01");
    step_secs(&mut sim, 120);
    assert!(matches!(sim.ticket(VersionId(1)), Ticket::StoppedEarly(_)));
    let why = sim.outcome().objectives[0].why.clone().expect("why");
    assert!(why.contains("before any fault showed"), "{why}");
    assert!(
        sim.release_states()[1].stopped.is_none(),
        "an early stop is no stop on evidence"
    );
}

#[test]
fn the_reference_plays_settle_their_tickets() {
    for id in [
        "05-bad-build",
        "06-blue-green",
        "07-canary",
        "14-pipeline",
        "16-interview",
    ] {
        let r = run_level(id, "solutions");
        let tickets: Vec<_> = r
            .objectives
            .iter()
            .filter(|o| o.text.starts_with("ship ") || o.text.starts_with("then ship "))
            .collect();
        assert!(!tickets.is_empty(), "{id} names its releases");
        assert!(tickets.iter().all(|o| o.met), "{id}: {tickets:?}");
    }
}

#[test]
fn the_follow_up_is_refused_until_the_bad_release_is_settled() {
    let script = "wait 10s\nbluegreen v7\nwait until ready green timeout=2m\nswitch green\nwait 3m";
    let (r, _) = play("06-blue-green", script, 1);
    let refused = events_with(&r, "refused `bluegreen v7`");
    assert_eq!(refused.len(), 1, "{:?}", r.events);
    assert!(
        refused[0].contains("v7 is the follow-up to v6")
            && refused[0].contains("stop it on evidence"),
        "{}",
        refused[0]
    );
    assert_eq!(r.outcome, "failed");
    // The refusal is logged like any other: a replay repeats it.
    assert!(r.commands.iter().any(|c| c.command == "bluegreen v7"));
}

#[test]
fn a_follow_up_is_allowed_once_the_release_was_stopped_on_evidence() {
    let mission = three_versions("errors: 0.3, onset_after: \"20s\"");
    let mut sim = Sim::new(&mission, 1);
    step_secs(&mut sim, 5);
    assert!(
        sim.apply(&cmd("rolling v3 batch=2")).is_err(),
        "v2 not settled yet"
    );
    apply(&mut sim, "rolling v2 batch=2");
    step_secs(&mut sim, 80);
    assert!(
        sim.release_states()[1].visible_live.is_some(),
        "the fault showed"
    );
    apply(&mut sim, "rollback");
    assert_eq!(sim.ticket(VersionId(1)), Ticket::StoppedOnEvidence);
    step_secs(&mut sim, 120);
    apply(&mut sim, "rolling v3 batch=2");
}

/// The fault of v2 shows at about 0:40 (10 s, deploy, boot, 20 s onset); what follows is
/// each act's effect on detection.
fn detection_after(acts: &[(u64, &str)]) -> (Option<f64>, Option<f64>) {
    let mission = three_versions("errors: 0.3, onset_after: \"20s\"");
    let mut sim = Sim::new(&mission, 1);
    step_secs(&mut sim, 5);
    apply(&mut sim, "rolling v2 batch=2");
    let mut at = 5;
    for (t, text) in acts {
        step_secs(&mut sim, t - at);
        at = *t;
        let _ = sim.apply(&cmd(text));
    }
    step_secs(&mut sim, 200 - at);
    (sim.score().mttd_s, sim.reaction_s())
}

#[test]
fn listings_notes_and_guards_set_are_not_reactions() {
    let (mttd, reaction) = detection_after(&[
        (70, "guards"),
        (71, "note looking at it"),
        (72, "guard error_rate>50% -> pause"),
    ]);
    assert_eq!(reaction, None, "no mitigating act");
    assert!(mttd.is_some_and(|d| d > 60.0), "{mttd:?}");
}

#[test]
fn an_abort_after_the_fault_is_the_reaction() {
    let (mttd, reaction) = detection_after(&[(75, "abort")]);
    assert_eq!(reaction, Some(75.0));
    let d = mttd.expect("a fault");
    assert!(d > 0.0 && d < 40.0, "{d}");
}

#[test]
fn a_rollback_before_the_onset_is_no_detection() {
    // Rolled back at 0:20, before the fault; redeployed later, then nobody acts.
    let (mttd, reaction) = detection_after(&[(20, "rollback"), (90, "rolling v2 batch=2")]);
    assert_eq!(reaction, None);
    assert!(mttd.is_some_and(|d| d > 30.0), "{mttd:?}");
}

#[test]
fn a_guard_firing_is_the_reaction() {
    let (_, reaction) =
        detection_after(&[(6, "guard error_rate>2% for 10s version=v2 -> rollback")]);
    let r = reaction.expect("the guard acted");
    assert!(r > 40.0 && r < 75.0, "{r}");
}

#[test]
fn the_canary_analysis_abort_counts_as_the_reaction() {
    // Issue 8: a professional play that trusts the analysis used to fail "react within 45s".
    let script = "wait 10s\ncanary v8 steps=5,20,50,100 interval=30s\nwait 2m\ncanary v9 steps=5,20,50,100 interval=60s\nwait until all-on v9 timeout=10m";
    for seed in [1, 2, 3] {
        let (r, _) = play("07-canary", script, seed);
        assert!(!events_with(&r, "canary aborted by analysis").is_empty());
        assert_eq!(r.outcome, "passed", "seed {seed}: {:?}", unmet(&r));
        assert!(r.score.mttd_s.is_some_and(|d| d <= 45.0));
    }
}

#[test]
fn listing_the_guards_is_no_reaction_in_monitoring() {
    // Issue 8: `guards` counted as the reaction in 15 and the slow release then scored 989.
    let script = "wait 10s\nrolling v17 batch=2\nwait 2m\nguards\nwait until all-on v17 timeout=6m";
    let (r, _) = play("15-monitoring", script, 1);
    assert_eq!(r.outcome, "failed");
    assert!(
        r.score.mttd_s.is_some_and(|d| d > 45.0),
        "{:?}",
        r.score.mttd_s
    );
    let solution = run_level("15-monitoring", "solutions");
    assert!(r.score.points < solution.score.points);
}

#[test]
fn slow_requests_spend_the_budget_and_slow_seconds_are_counted() {
    let mission = Spec::fleet(10, 500.0)
        .v2("latency_factor: 40.0")
        .lasting("4m")
        .mission();
    let slow = run_text(&mission, "wait 5s\nrolling v2 batch=2\nwait 3m", 1);
    assert_eq!(slow.score.failed_requests, 0, "nothing failed");
    assert!(slow.score.slow_requests > 1000, "{:?}", slow.score);
    assert!(slow.score.slow_s > 60, "{:?}", slow.score);
    assert!(slow.score.error_budget_used_pct > 100.0, "{:?}", slow.score);
    let pts = costs(&zerodown::sim::Score {
        points: 0,
        ..slow.score.clone()
    });
    assert!(
        pts.iter()
            .any(|c| c.what.contains("median over the latency line")),
        "{pts:?}"
    );
    let healthy = run_text(
        &Spec::fleet(10, 500.0).lasting("4m").mission(),
        "wait 5s\nrolling v2 batch=2\nwait 3m",
        1,
    );
    assert_eq!(healthy.score.slow_s, 0);
    assert!(healthy.score.points > slow.score.points + 200);
}

#[test]
fn slow_at_most_is_an_objective() {
    let mut spec = Spec::fleet(10, 500.0)
        .v2("latency_factor: 40.0")
        .lasting("3m");
    spec.objectives = r#"AllServersOn("v2"), SlowAtMost("30s")"#.to_string();
    let r = run_text(&spec.mission(), "wait 5s\nrolling v2 batch=2\nwait 2m", 1);
    assert_eq!(
        unmet(&r),
        ["at most 30s with the median over the latency line"]
    );
    spec.v2 = String::new();
    let ok = run_text(&spec.mission(), "wait 5s\nrolling v2 batch=2\nwait 2m", 1);
    assert!(unmet(&ok).is_empty(), "{:?}", unmet(&ok));
}

#[test]
fn overloading_the_fleet_costs_stars_at_peak() {
    // Issue 8: batches that leave the fleet at 100 % CPU got 3 stars; latency cost nothing.
    let (r, _) = play(
        "04-rolling-at-peak",
        "wait 10s\nrolling v4 batch=3\nwait until all-on v4 timeout=12m",
        1,
    );
    assert!(
        r.score.slow_requests > 0 && r.score.slow_s > 30,
        "{:?}",
        r.score
    );
    assert!(
        r.outcome == "failed" || r.stars <= 1,
        "{} {}",
        r.outcome,
        r.stars
    );
}

#[test]
fn the_budget_spent_never_shrinks_and_ends_as_the_report_says() {
    // Issue 8: the header said 0 % left, the panel 534 %, the debrief 77 %. The budget is
    // the mission window's, so what was spent stays spent, and the end is the report.
    for id in ["02-all-at-once", "05-bad-build", "07-canary"] {
        for dir in ["solutions", "mistakes"] {
            let mission = builtin(id);
            let script =
                zerodown::command::parse_script(&common::read(&format!("levels/{dir}/{id}.txt")))
                    .expect("script");
            let mut run = zerodown::runner::Run::new(&mission, mission.seed);
            let mut last = 0.0;
            let mut check = |sim: &Sim| {
                let spent = sim.score().error_budget_used_pct;
                assert!(spent + 1e-9 >= last, "{id}/{dir}: {spent} < {last}");
                last = spent;
            };
            for line in &script.lines {
                run.command(&line.command);
                check(&run.sim);
            }
            while run.step() {
                if run.sim.tick().is_multiple_of(50) {
                    check(&run.sim);
                }
            }
            let live = run.sim.outcome();
            let report = run.finish(id, mission.seed);
            assert_eq!(report.score, live.score.rounded(), "{id}/{dir}");
            assert_eq!(report.score.points, score_points(&live.score), "{id}/{dir}");
            let ticks: Vec<bool> = live.objectives.iter().map(|o| o.met).collect();
            let reported: Vec<bool> = report.objectives.iter().map(|o| o.met).collect();
            assert_eq!(ticks, reported, "{id}/{dir}");
        }
    }
}

#[test]
fn a_total_outage_keeps_the_alert_raised_until_the_restore() {
    let mission = Spec::fleet(10, 500.0).lasting("3m").mission();
    let mut sim = Sim::new(&mission, 1);
    step_secs(&mut sim, 5);
    apply(&mut sim, "deploy v2 web-01..web-10");
    step_secs(&mut sim, 8);
    let mut outage = 0;
    for _ in 0..60 {
        step_secs(&mut sim, 1);
        let m = sim.history().last().expect("a second");
        if m.error_rate() > 0.05 {
            outage += 1;
            assert!(
                sim.alert_raised(),
                "t={} users get {:.0}% errors",
                m.t,
                m.error_rate() * 100.0
            );
        }
    }
    assert!(outage > 5, "the fleet went dark for a while");
    step_secs(&mut sim, 60);
    assert!(!sim.alert_raised(), "cleared after the restore");
}

#[test]
fn a_failing_release_on_a_third_of_the_fleet_pages_before_the_outage_line() {
    let mission = Spec::fleet(30, 1500.0)
        .v2("errors: 0.1")
        .lasting("3m")
        .mission();
    let r = run_text(
        &mission,
        "wait 5s\ndrain web-01..web-10\nwait until drained web-01..web-10\ndeploy v2 web-01..web-10\nwait 2m",
        1,
    );
    let burn: Vec<_> = r
        .events
        .iter()
        .filter(|e| e.text.starts_with("ALERT burn rate: v2"))
        .collect();
    assert!(!burn.is_empty(), "{:?}", r.events);
    // 10 % errors on a third of the fleet: 3.3 % of all requests, under the 5 % outage
    // line, but 100× the budget's rate on v2: the pager says so, the 5xx alert never would.
    assert!(events_with(&r, "ALERT 5xx").is_empty(), "{:?}", r.events);
    assert_eq!(r.score.downtime_s, 0);
}

#[test]
fn silent_damage_is_logged_counted_and_costs_points() {
    // 11: deploying the new reader before the backfill: users see no error.
    let script =
        "wait 10s\nmigrate expand\nwait 35s\nrolling v3 batch=2\nwait until all-on v3\nwait 1m";
    let (r, sim) = play("11-migration", script, 1);
    assert!(r.score.wrong_reads > 0, "{:?}", r.score);
    let logged = events_with(&r, "silently wrong data");
    assert_eq!(logged.len(), 1, "logged once, when it first happens");
    assert!(
        r.timeline.iter().all(|m| m.failed == 0) || r.score.downtime_s == 0,
        "users saw nothing of it"
    );
    let c = costs(&sim.score());
    assert!(
        c.iter().any(|c| c.what.contains("damaged records")),
        "{c:?}"
    );
    assert!(r.score.points < 1000);
    assert_eq!(r.outcome, "failed");
}

/// The commands a piece of advice names: each `·`-separated step (a parenthesised remark
/// before it dropped) and each `code span` whose first word is a command.
fn named_commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let steps = text.split('·').map(str::trim);
    let spans = text.split('`').skip(1).step_by(2);
    for step in steps.chain(spans) {
        let step = match step.strip_prefix('(') {
            Some(rest) => rest.split_once(')').map_or("", |(_, after)| after.trim()),
            None => step,
        };
        let Some(word) = step.split_whitespace().next() else {
            continue;
        };
        if let Some(spec) = zerodown::command::find_command(word) {
            out.push(spec.name.to_string());
        }
    }
    out
}

#[test]
fn every_advice_names_only_commands_the_mission_allows() {
    // Issue 8: the debriefs of 01, 02 and 05 advised a `guard` those missions refuse.
    const PRIMITIVES: [&str; 9] = [
        "deploy", "drain", "undrain", "restart", "pause", "resume", "speed", "wait", "note",
    ];
    for (id, _) in zerodown::mission::builtin() {
        let mission = builtin(id);
        let allowed =
            |name: &str| PRIMITIVES.contains(&name) || mission.unlocks.iter().any(|u| u == name);
        for (i, hint) in mission.hints.iter().enumerate() {
            for name in named_commands(hint) {
                assert!(allowed(&name), "{id} hint {i} names `{name}`: {hint}");
            }
        }
        for name in named_commands(&mission.debrief) {
            assert!(allowed(&name), "{id}'s debrief names `{name}`");
        }
        // The debrief's own advice: the guard it suggests after a run.
        for dir in ["solutions", "mistakes"] {
            let script = common::read(&format!("levels/{dir}/{id}.txt"));
            let (_, sim) = play(id, &script, mission.seed);
            if let Some(v) = zerodown::ui::debrief_guard_advice(&sim) {
                assert!(allowed("guard"), "{id}/{dir}: advises `{v}`");
            }
        }
    }
}

#[test]
fn the_guard_advice_never_rolls_back_a_healthy_release() {
    // A single-server deploy fails requests while it restarts: no guard should blame v2.
    let mission = Spec::fleet(1, 50.0).lasting("3m").mission();
    let mut sim = Sim::new(&mission, 1);
    apply(&mut sim, "deploy v2 web-01");
    step_secs(&mut sim, 120);
    assert!(sim.score().failed_requests > 0, "users saw errors");
    assert_eq!(zerodown::ui::debrief_guard_advice(&sim), None);
    // A faulty v2 gets the advice, with its version.
    let mission = Spec::fleet(4, 200.0)
        .v2("errors: 0.3")
        .lasting("3m")
        .mission();
    let mut sim = Sim::new(&mission, 1);
    apply(&mut sim, "drain web-01");
    step_secs(&mut sim, 3);
    apply(&mut sim, "deploy v2 web-01");
    step_secs(&mut sim, 120);
    let advice = zerodown::ui::debrief_guard_advice(&sim).expect("advice");
    assert!(advice.contains("version=v2 -> rollback"), "{advice}");
}

#[test]
fn a_script_can_wait_for_a_metric_like_a_watching_player() {
    let c = cmd("wait until error_rate>2% version=v2 for 10s timeout=5m");
    let again = cmd(&c.to_string());
    assert_eq!(c, again, "{c} reads back as itself");
    let mission = three_versions("errors: 0.3, onset_after: \"20s\"");
    let r = run_text(
        &mission,
        "rolling v2 batch=2\nwait until error_rate>2% version=v2 for 10s timeout=5m\nrollback\nwait until all-on v1 timeout=5m\nrolling v3 batch=2\nwait until all-on v3",
        1,
    );
    let d = r.score.mttd_s.expect("a fault");
    assert!(
        (9.0..=13.0).contains(&d),
        "reacted 10 s after the fault showed: {d}"
    );
    assert!(unmet(&r).is_empty(), "{:?}", unmet(&r));
    // A metric that never crosses its line times out, and says so.
    let quiet = run_text(
        &mission,
        "wait until p99>10s timeout=30s\nrolling v2 batch=2\nwait 1m",
        1,
    );
    assert!(
        quiet
            .commands
            .iter()
            .any(|c| c.command.contains("timed out"))
    );
}

#[test]
fn idle_waits_for_migrations_too() {
    let (r, _) = play(
        "11-migration",
        "wait 10s\nmigrate expand\nwait until idle timeout=5m\nmigrate trigger\nwait until idle timeout=5m\nmigrate backfill\nwait until idle timeout=5m\nrolling v3 batch=2\nwait until all-on v3\nrolling v4 batch=2\nwait until all-on v4\nmigrate contract\nwait until idle",
        1,
    );
    assert!(
        events_with(&r, "refused `migrate").is_empty(),
        "each migration waited for the one before: {:?}",
        events_with(&r, "refused")
    );
    assert_eq!(r.score.wrong_reads, 0);
}

#[test]
fn a_version_names_the_servers_running_it() {
    let mission = three_versions("errors: 0.3, onset_after: \"20s\"");
    let mut sim = Sim::new(&mission, 1);
    apply(&mut sim, "drain web-02,web-05");
    step_secs(&mut sim, 3);
    apply(&mut sim, "deploy v2 web-02,web-05");
    step_secs(&mut sim, 40);
    let on_v2 = sim
        .resolve(&common::targets("v2"))
        .expect("v2 names servers");
    let names: Vec<&str> = on_v2
        .iter()
        .map(|&i| sim.servers()[i].name.as_str())
        .collect();
    assert_eq!(names, ["web-02", "web-05"]);
    apply(&mut sim, "drain v2");
    assert!(
        sim.apply(&cmd("drain v9")).is_err(),
        "no such version or server"
    );
}

#[test]
fn three_servers_out_of_traffic_breaks_the_by_hand_plan() {
    // 03's first common mistake, measured: the plan allows two servers out at once.
    let script = "wait 10s\ndrain web-01..web-03\nwait until drained web-01..web-03\ndeploy v3 web-01..web-03\nwait until ready web-01..web-03\nwait 1m";
    let (r, sim) = play("03-rolling-by-hand", script, 1);
    assert_eq!(sim.rule_state().max_out_of_traffic, 3);
    assert!(unmet(&r).contains(&"never more than 2 servers out of traffic at once"));
}

#[test]
fn deleting_blue_right_after_the_switch_is_seen() {
    let script = "wait 10s\nbluegreen v6\nwait until ready green timeout=2m\nwait 30s\nswitch green\nwait until error_rate>1% version=v6 for 3s timeout=2m\nswitch blue\ndelete green\nwait 10s\nbluegreen v7\nwait until ready green timeout=2m\nwait 30s\nswitch green\nwait 1m\ndelete blue\nwait until all-on v7 timeout=2m";
    let (r, _) = play("06-blue-green", script, 1);
    assert_eq!(
        unmet(&r),
        ["the old pool kept for the scale-down delay after each switch"]
    );
    // Deleting the bad green right after switching back is no mistake: it was the bad one.
    let reference = run_level("06-blue-green", "solutions");
    assert!(unmet(&reference).is_empty());
}

#[test]
fn rushing_the_fix_past_its_bake_is_seen() {
    for rush in [
        "canary v9 steps=5,20,50,100 interval=60s\nwait until ready canary timeout=2m\npromote --full",
        "canary v9 steps=100 interval=60s",
    ] {
        let script = format!(
            "wait 10s\ncanary v8 steps=5,20,50,100 interval=30s\nwait until ready canary timeout=2m\nwait 1m\nrollback\nwait 10s\n{rush}\nwait until all-on v9 timeout=10m"
        );
        let (r, _) = play("07-canary", &script, 1);
        assert!(
            unmet(&r).contains(&"v9's canary baked at every step"),
            "{rush}: {:?}",
            unmet(&r)
        );
    }
}

#[test]
fn contracting_while_old_code_still_runs_is_unsafe() {
    // v3 reads only the new column but still writes the old one: the contract breaks it.
    let script = "wait 10s\nmigrate expand\nwait until idle timeout=5m\nmigrate trigger\nwait until idle timeout=5m\nmigrate backfill\nwait until idle timeout=5m\nrolling v3 batch=2\nwait until all-on v3\nrolling v4 batch=2\nwait 20s\nmigrate contract\nwait until all-on v4 timeout=5m";
    let (r, sim) = play("11-migration", script, 1);
    assert_eq!(
        sim.rule_state().unsafe_migration.as_deref(),
        Some("contract")
    );
    assert!(unmet(&r).contains(&"no migration while a server still runs code it breaks"));
    let skipped = "wait 10s\nmigrate expand\nwait until idle timeout=5m\nmigrate trigger\nwait until idle timeout=5m\nmigrate backfill\nwait until idle timeout=5m\nrolling v3 batch=2\nwait until all-on v3\nrolling v4 batch=2\nwait until all-on v4";
    let (r, _) = play("11-migration", skipped, 1);
    assert!(
        unmet(&r).contains(&"the schema ends at version 3"),
        "{:?}",
        unmet(&r)
    );
}

#[test]
fn a_host_failure_costs_in_memory_sessions_only() {
    // Sessions moved to the store but the rollout waits for nothing: the host failure at
    // 38 min still finds none in memory, yet the drains lost the old ones.
    let early = "wait 10s\nsessions external\nsticky off\nrolling v2 batch=2\nwait until all-on v2";
    let (r, _) = play("12-sessions", early, 1);
    assert!(!events_with(&r, "host failed").is_empty());
    assert!(r.score.sessions_lost > 1000, "{:?}", r.score);
    assert_eq!(r.outcome, "failed");
    // Sessions left in memory: the host failure alone logs its users out.
    let (r, _) = play("12-sessions", "wait 44m", 1);
    assert!(!events_with(&r, "host failed").is_empty());
    assert!(r.score.sessions_lost > 0, "{:?}", r.score);
    assert_eq!(r.outcome, "failed");
    let reference = run_level("12-sessions", "solutions");
    assert_eq!(reference.score.sessions_lost, 0);
    assert_eq!(reference.outcome, "passed");
}

#[test]
fn production_only_takes_a_build_staging_passed() {
    let script = "wait 10s\npipeline run v2\nwait until idle timeout=6m\nrolling v3 batch=2\nwait until all-on v3 timeout=10m";
    let (r, _) = play("14-pipeline", script, 1);
    let refused = events_with(&r, "refused `rolling v3");
    assert_eq!(refused.len(), 1, "{:?}", events_with(&r, "refused"));
    assert!(
        refused[0].contains("has not passed staging"),
        "{}",
        refused[0]
    );
    assert_eq!(r.outcome, "failed");
}

#[test]
fn shipping_the_fix_without_its_guards_is_seen() {
    let reference = common::read("levels/solutions/15-monitoring.txt");
    let unguarded = reference
        .lines()
        .filter(|l| !l.starts_with("guard"))
        .collect::<Vec<_>>()
        .join("\n");
    let (r, _) = play("15-monitoring", &unguarded, 1);
    assert!(
        unmet(&r).contains(&"a guard watched v18 from its first request"),
        "{:?}",
        unmet(&r)
    );
}

#[test]
fn a_glimpse_of_a_shadow_is_no_evidence() {
    let script = "wait 10s\nshadow v12 50%\nwait until ready shadow timeout=2m\nwait 2s\nshadow off\nrolling v13 surge=25% unavailable=0\nwait until all-on v13 timeout=5m";
    let (r, sim) = play("09-shadow", script, 1);
    assert!(
        !sim.ticket(VersionId(1)).settled(),
        "{:?}",
        sim.release_states()[1]
    );
    assert_eq!(r.outcome, "failed");
}

#[test]
fn an_abort_between_drain_and_deploy_puts_the_batch_back() {
    let mission = Spec::fleet(10, 400.0)
        .with_fleet(r#"timings: (drain: "20s", deploy: "20s", boot: "5s", warmup: "5s"),"#)
        .lasting("4m")
        .mission();
    let mut sim = Sim::new(&mission, 1);
    apply(&mut sim, "rolling v2 batch=2");
    step_secs(&mut sim, 2);
    apply(&mut sim, "abort");
    step_secs(&mut sim, 30);
    let in_service = sim
        .servers()
        .iter()
        .filter(|s| s.state() == zerodown::sim::ServerState::InService)
        .count();
    assert_eq!(in_service, 10, "the untouched batch is back in traffic");
}

#[test]
fn a_surge_rollback_with_the_old_version_full_removes_the_new_servers_at_once() {
    // Kubernetes: `rollout undo` while the old ReplicaSet is still full scales the new one
    // down at once; re-rolling the old version out batch by batch left v2 serving a minute.
    let mission = Spec::fleet(10, 400.0)
        .v2("errors: 0.5")
        .lasting("3m")
        .mission();
    let mut sim = Sim::new(&mission, 1);
    apply(&mut sim, "rolling v2 surge=2 unavailable=0 min-ready=2m");
    step_secs(&mut sim, 60);
    let on_v2 = |sim: &Sim| {
        sim.servers()
            .iter()
            .filter(|s| s.version == VersionId(1))
            .count()
    };
    assert!(on_v2(&sim) > 0, "the surge servers run v2");
    apply(&mut sim, "rollback");
    step_secs(&mut sim, 30);
    assert_eq!(on_v2(&sim), 0, "gone within a drain");
    assert_eq!(sim.servers().len(), 10);
}

#[test]
fn sending_a_stopped_release_back_to_users_ignores_the_evidence() {
    let script = "wait 10s\ncanary v8 steps=5,20,50,100 interval=30s\nwait until ready canary timeout=2m\nwait 1m\nretry\nwait 1m\nrollback\nwait 10s\ncanary v9 steps=5,20,50,100 interval=1m\nwait until all-on v9 timeout=10m";
    let (r, sim) = play("07-canary", script, 11);
    assert!(sim.release_states()[1].reexposed.is_some());
    let why = sim.outcome().objectives[0].why.clone().expect("why");
    assert!(why.contains("sent back to users"), "{why}");
    assert_eq!(r.outcome, "failed");
}

#[test]
fn finish_now_is_offered_once_all_is_settled_and_scores_the_same() {
    use common::ui::{command, key, run_to_end, screen_text};
    use ratatui::crossterm::event::KeyCode;
    use zerodown::ui::{Action, App, Screen, Settings};
    let start = || {
        let mut app = App::briefing(
            Settings::default(),
            "02-all-at-once",
            builtin("02-all-at-once"),
        );
        app.update(Action::Resize(120, 40));
        key(&mut app, KeyCode::Enter);
        app
    };
    let play = |app: &mut App| {
        for n in [1, 5, 9, 13, 17] {
            let t = format!("web-{n:02}..web-{:02}", n + 3);
            for line in [
                format!("drain {t}"),
                format!("wait until drained {t}"),
                format!("deploy v2 {t}"),
                format!("wait until ready {t}"),
            ] {
                command(app, &line);
            }
        }
    };
    let mut early = start();
    key(&mut early, KeyCode::Char('F'));
    assert!(
        matches!(early.screen, Screen::Play(_)),
        "nothing is settled yet"
    );
    assert!(screen_text(&early, 120, 40).contains("not yet: v2 is neither shipped"));
    play(&mut early);
    // The ticket is judged at the end of the second the last servers came back.
    for _ in 0..10 {
        early.update(Action::Tick);
    }
    let text = screen_text(&early, 120, 40);
    assert!(!text.contains("p promote"), "02 unlocks no promote: {text}");
    assert!(text.contains("all settled · F finishes now"), "{text}");
    key(&mut early, KeyCode::Char('F'));
    assert!(matches!(early.screen, Screen::Debrief(_)));
    let mut full = start();
    play(&mut full);
    for _ in 0..10 {
        full.update(Action::Tick);
    }
    run_to_end(&mut full, 20_000);
    let head = |app: &App| {
        screen_text(app, 120, 40)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(head(&early), head(&full), "the same run, the same score");
}
