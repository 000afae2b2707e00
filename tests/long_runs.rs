//! The longest run allowed (48 game-hours) writes a report its readers accept (hardening,
//! item 7): under `replay::MAX_REPORT_BYTES`, its timeline's seconds merged
//! (`timeline_step_s`), and a replay of it rebuilds the same report byte for byte.

mod common;

use common::{Spec, run_text};
use zerodown::mission::MAX_DURATION;
use zerodown::replay::{MAX_REPORT_BYTES, Recording};

#[test]
fn a_48_hour_run_writes_a_report_replay_and_the_scoreboard_can_read() {
    let spec = Spec::fleet(2, 100.0)
        .v2("leak_mb_per_min: 0.5")
        .lasting(&MAX_DURATION.to_string());
    let mission = spec.mission();
    assert_eq!(mission.duration, MAX_DURATION);
    let report = run_text(&mission, "rolling v2 batch=1\nnote a long run", 7);
    let json = report.to_json();
    // Per second, it was 91 MB.
    assert!(
        (json.len() as u64) < MAX_REPORT_BYTES,
        "{} bytes",
        json.len()
    );
    let step = report.timeline_step_s;
    assert!(step > 1, "seconds merged");
    let end = MAX_DURATION.ticks() / 10;
    assert_eq!(report.timeline.last().map(|e| e.t), Some(end));
    assert_eq!(report.timeline.len() as u64, end.div_ceil(step));
    // The counts still add up: every request once, and in flight carried over.
    let mut in_flight = 0;
    for e in &report.timeline {
        in_flight = in_flight + e.arrived - e.ok - e.failed;
        assert_eq!(e.in_flight, in_flight, "t={}", e.t);
    }
    assert_eq!(
        report.timeline.iter().map(|e| e.arrived).sum::<u64>(),
        report.score.total_requests
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["timeline_step_s"], step);

    // What replay --check and the scoreboard do: read the recording (within the limits),
    // run it again, compare.
    let recording = Recording::from_report_json(&json).expect("a readable recording");
    let rerun = recording.rerun(&mission);
    assert_eq!(rerun.differs_from(&json), Ok(None));
    assert!(rerun.to_json() == json, "byte for byte");
}

#[test]
fn the_most_commands_and_events_a_run_can_record_still_fit() {
    // 10 000 notes of 500 characters, two bytes each: 10 MB of commands, and each note is
    // an event too. The timeline makes room; the events keep 2 MiB and count the rest.
    let mission = Spec::fleet(2, 100.0)
        .lasting(&MAX_DURATION.to_string())
        .mission();
    let note = format!("note {}", "é".repeat(495));
    let script = vec![note.as_str(); zerodown::command::MAX_COMMANDS].join("\n");
    let report = run_text(&mission, &script, 7);
    assert_eq!(report.commands.len(), zerodown::command::MAX_COMMANDS);
    let json = report.to_json();
    assert!(
        (json.len() as u64) < MAX_REPORT_BYTES,
        "{} bytes",
        json.len()
    );
    let last = report.events.last().expect("events");
    assert!(
        last.text.contains("more events are not in this report"),
        "{}",
        last.text
    );
    assert!(report.events.len() < zerodown::command::MAX_COMMANDS);
    let recording = Recording::from_report_json(&json).expect("a readable recording");
    assert!(recording.rerun(&mission).to_json() == json, "byte for byte");
}
