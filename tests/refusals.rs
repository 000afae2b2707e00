//! Commands that make no sense are refused with a reason the player can act on, logged
//! as a warning, and change nothing: never ignored, never a panic.

mod common;

use common::{Spec, apply, cmd, run_text, step_secs};
use zerodown::command::{Command, Target, Targets, parse_command};
use zerodown::sim::{Rejected, ServerState, Severity, Sim};

fn sim() -> Sim {
    let mut sim = Sim::new(&Spec::fleet(20, 600.0).mission(), 1);
    step_secs(&mut sim, 3);
    sim
}

fn states(sim: &Sim) -> Vec<ServerState> {
    sim.servers()
        .iter()
        .map(zerodown::sim::Server::state)
        .collect()
}

/// Applies `command`, which must be refused with exactly `why`, logged and without effect.
fn assert_refused(sim: &mut Sim, command: &Command, why: &str) -> Rejected {
    let (before, log, seq) = (
        states(sim),
        sim.command_log().len(),
        sim.events().next_seq(),
    );
    let err = sim.apply(command).expect_err("should be refused");
    assert_eq!(err.to_string(), why, "`{command}`");
    let new: Vec<_> = sim.events().since(seq).collect();
    assert_eq!(new.len(), 1, "one event for `{command}`: {new:?}");
    assert_eq!(new[0].severity, Severity::Warn);
    assert_eq!(new[0].text, format!("refused `{command}`: {why}"));
    assert_eq!(
        sim.command_log().len(),
        log + 1,
        "a refusal is recorded, so a replay repeats it"
    );
    assert_eq!(states(sim), before, "a refusal changes nothing");
    step_secs(sim, 1);
    assert_eq!(states(sim), before, "not even a moment later");
    err
}

#[test]
fn pause_and_resume_without_a_rollout() {
    let mut sim = sim();
    for name in ["pause", "resume"] {
        let why = format!("no rollout is running to {name} (space pauses the game clock)");
        let err = assert_refused(&mut sim, &cmd(name), &why);
        assert!(matches!(err, Rejected::NotNow(_)));
    }
}

#[test]
fn an_unknown_version_is_refused_with_a_suggestion() {
    let mut sim = sim();
    let why = "no version `v9` in this mission (did you mean `v1`?)";
    let err = assert_refused(&mut sim, &cmd("deploy v9 web-01"), why);
    assert!(matches!(err, Rejected::UnknownVersion { hint: Some(h), .. } if h == "v1"));
    let why = "no version `nightly` in this mission";
    assert_refused(&mut sim, &cmd("deploy nightly web-01"), why);
}

#[test]
fn an_unknown_server_is_refused_with_a_suggestion() {
    let mut sim = sim();
    let why = "no server or pool `web-99` (did you mean `web-09`?)";
    let err = assert_refused(&mut sim, &cmd("drain web-99"), why);
    assert!(matches!(err, Rejected::UnknownTarget { .. }));
    // One bad name refuses the whole command: web-01 is not drained either.
    let why = "no server or pool `db-01`";
    assert_refused(&mut sim, &cmd("drain web-01,db-01"), why);
    // Ties go to the first server: web-01, web-11 and web-20 are each one edit away.
    let why = "no server or pool `web-21` (did you mean `web-01`?)";
    assert_refused(&mut sim, &cmd("deploy v2 web-18..web-21"), why);
}

#[test]
fn a_reversed_range_is_refused_by_the_parser_and_the_sim() {
    let err = parse_command("drain web-04..web-01").expect_err("reversed");
    assert_eq!(
        err.message,
        "range `web-04..web-01` is reversed: write `web-01..web-04`"
    );
    // A command built in code (a replay, the UI) still meets the sim's own check.
    let mut sim = sim();
    let reversed = Targets(vec![Target::Range("web-04".into(), "web-01".into())]);
    let why = "bad range `web-04..web-01`: the first server must come first";
    let err = assert_refused(&mut sim, &Command::Drain(reversed), why);
    assert_eq!(err, Rejected::BadRange("web-04..web-01".into()));
}

#[test]
fn commands_that_do_not_fit_the_state_are_refused() {
    let mut sim = sim();
    let why = "those servers are already in the balancer";
    assert_refused(&mut sim, &cmd("undrain web-01"), why);
    apply(&mut sim, "drain web-01");
    step_secs(&mut sim, 1);
    assert_eq!(sim.servers()[0].state(), ServerState::Drained);
    let why = "none of those servers is in the balancer (already draining or drained)";
    assert_refused(&mut sim, &cmd("drain web-01"), why);
    let why = "`wait` is for scripts; in the game, let the clock run";
    assert_refused(&mut sim, &cmd("wait 5s"), why);
}

/// In a script a refusal is logged and the script goes on.
#[test]
fn a_script_goes_on_after_a_refusal() {
    let mission = Spec::fleet(4, 200.0).mission();
    let r = run_text(&mission, "pause\ndeploy v9 web-01\ndrain web-01\n", 1);
    let refused: Vec<&str> = r
        .events
        .iter()
        .filter(|e| e.severity == "warn" && e.text.starts_with("refused"))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[1].contains("did you mean `v1`?"), "{refused:?}");
    let commands: Vec<&str> = r.commands.iter().map(|c| c.command.as_str()).collect();
    // Refusals stay in the command log: a replay must repeat them, event for event.
    assert_eq!(commands, ["pause", "deploy v9 web-01", "drain web-01"]);
}

/// A rollback is not itself rolled back: a second `rollback` (or a second guard firing)
/// would ship the very release being taken away. The rollback goes on to the old version.
#[test]
fn a_rollback_is_not_rolled_back() {
    let mut sim = sim();
    apply(&mut sim, "rolling v2 batch=4");
    step_secs(&mut sim, 40);
    apply(&mut sim, "rollback");
    let err = sim
        .apply(&cmd("rollback"))
        .expect_err("a rollback of a rollback");
    assert_eq!(
        err.to_string(),
        "this is already a rollback to v1: start a new rollout to move on"
    );
    step_secs(&mut sim, 600);
    let on_v1 = sim
        .servers()
        .iter()
        .filter(|s| sim.versions()[usize::from(s.version.0)].name == "v1")
        .count();
    assert_eq!(on_v1, sim.servers().len(), "the rollback finished on v1");
}

/// The game never writes a report its own readers refuse: a command line over the length
/// a report may hold is refused where it is typed, and a run stops recording (and applying)
/// commands at the number a report may hold.
#[test]
fn a_run_keeps_within_what_a_report_may_hold() {
    use zerodown::command::{MAX_COMMAND_CHARS, MAX_COMMANDS, parse_command};
    let long = format!("note {}", "x".repeat(MAX_COMMAND_CHARS));
    let e = parse_command(&long).expect_err("too long");
    assert!(
        e.message.contains("at most 500 characters"),
        "{}",
        e.message
    );
    // A control character is six bytes of JSON: 10 000 notes of them outgrew a report.
    let bell = format!("note {}", "\u{7}".repeat(400));
    let e = parse_command(&bell).expect_err("control characters");
    assert_eq!(e.column, 5);
    assert!(e.message.contains("control characters"), "{}", e.message);
    assert!(parse_command("note a\tb").is_ok(), "a tab is fine");
    let mut sim = zerodown::sim::Sim::new(&common::Spec::fleet(4, 100.0).mission(), 1);
    let note = parse_command("note hold p").expect("a note");
    for _ in 0..MAX_COMMANDS {
        assert!(sim.apply(&note).is_ok());
    }
    let refused = sim.apply(&note).expect_err("one too many");
    assert!(
        refused.to_string().contains("as many as a report holds"),
        "{refused}"
    );
    assert_eq!(sim.command_log().len(), MAX_COMMANDS);
}
