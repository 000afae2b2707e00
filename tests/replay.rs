//! Replays: a report's mission, seed and command log rebuild the same report, byte for byte.

mod common;

use common::{Spec, builtin, run_level, run_text};
use zerodown::mission;
use zerodown::replay::Recording;

/// Re-runs a report from its own JSON and returns the new report's JSON.
fn replayed(json: &str) -> String {
    let recording = Recording::from_report_json(json).expect("a report replays");
    let mission = recording.mission(true).expect("its mission loads");
    recording
        .fits(&mission)
        .expect("its commands fit the mission");
    recording.rerun(&mission).to_json()
}

#[test]
fn every_solution_and_mistake_replays_byte_for_byte() {
    // The interview (100 servers) is the slow one in a debug build; the others cover it.
    for (id, _) in mission::builtin()
        .iter()
        .filter(|(id, _)| *id != "16-interview")
    {
        for dir in ["solutions", "mistakes"] {
            let json = run_level(id, dir).to_json();
            assert!(json.contains("\"commands\""), "{id}/{dir}");
            assert!(replayed(&json) == json, "{id} {dir}: the replay differs");
        }
    }
}

#[test]
fn refusals_notes_and_timed_out_waits_replay_too() {
    let spec = Spec::fleet(6, 400.0).v2("errors: 0.02");
    let mission = spec.mission();
    let script = "\
deploy v9 web-01
wait 2s
note trying a server by hand
drain web-01
wait until drained web-01
deploy v2 web-01
wait until all-on v2 timeout=5s
rolling v2 batch=2
";
    let report = run_text(&mission, script, 7);
    let texts: Vec<&str> = report.events.iter().map(|e| e.text.as_str()).collect();
    for expected in ["refused `deploy v9", "note: trying a server", "timed out"] {
        assert!(
            texts.iter().any(|t| t.contains(expected)),
            "no `{expected}` event in {texts:?}"
        );
    }
    let json = report.to_json();
    let recording = Recording::from_report_json(&json).expect("replayable");
    assert_eq!(recording.commands.len(), 6, "{:?}", recording.commands);
    // The test mission is not a file: re-run it on the same mission directly.
    let again = recording.rerun(&mission).to_json();
    assert!(again == json, "the replay differs");
}

#[test]
fn an_edited_command_log_gives_another_report() {
    let id = "05-bad-build";
    let json = run_level(id, "mistakes").to_json();
    let mut recording = Recording::from_report_json(&json).expect("replayable");
    assert!(!recording.commands.is_empty());
    recording.commands.remove(0);
    let other = recording.rerun(&builtin(id)).to_json();
    assert!(other != json);
}

#[test]
fn commands_after_the_end_do_not_fit() {
    let id = "01-one-server";
    let mission = builtin(id);
    let end = mission.duration.secs();
    let json = format!(
        r#"{{"mission":"{id}","seed":1,"commands":[{{"t":{},"command":"pause"}}]}}"#,
        end + 1.0
    );
    let recording = Recording::from_report_json(&json).expect("replayable");
    let e = recording.fits(&mission).expect_err("after the end");
    assert!(e.to_string().contains("after the mission's end"), "{e}");
}
