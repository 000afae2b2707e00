//! Replays: a report's mission, seed and command log rebuild the same report, byte for byte.

mod common;

use common::{Spec, builtin, run_level, run_text};
use zerodown::mission;
use zerodown::replay::Recording;

/// Re-runs a report from its own JSON and returns the new report's JSON.
fn replayed(json: &str) -> String {
    let recording = Recording::from_report_json(json).expect("a report replays");
    let mission = recording.mission().expect("its mission loads");
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

/// The UI watching the recorded solution of `id` (as `zerodown replay` starts it), with the
/// report and its recording.
fn watching(
    id: &str,
    status: Result<String, String>,
) -> (zerodown::ui::App, zerodown::report::Report, Recording) {
    use zerodown::ui::{Action, App, Playback, Settings};
    let report = run_level(id, "solutions");
    let recording = Recording::from_report_json(&report.to_json()).expect("replayable");
    let playback = Playback::new("solution.json", recording.commands.clone());
    let mut app = App::replay(
        Settings::default(),
        id,
        builtin(id),
        recording.seed,
        playback,
        status,
    );
    app.update(Action::Resize(120, 40));
    (app, report, recording)
}

/// `zerodown replay` in the terminal UI: the recording's commands apply at their ticks, the
/// player's own are refused, and the run ends exactly as recorded (no progress, no report).
#[test]
fn watching_a_replay_in_the_ui_ends_as_recorded() {
    use zerodown::ui::{Action, Screen};
    let id = "05-bad-build";
    let (mut app, report, recording) = watching(id, Ok("checked".to_string()));
    // `:` is a goto prompt: a command typed there is refused, and nothing moves.
    app.update(Action::OpenConsole);
    for c in "rollback".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Confirm);
    let Screen::Play(game) = &app.screen else {
        panic!("a replay starts on the play screen");
    };
    assert!(!game.console.open);
    assert!(
        matches!(&game.console.feedback, zerodown::ui::console::Feedback::Refused(t) if t.contains("goto TIME")),
        "{:?}",
        game.console.feedback
    );
    assert_eq!(game.sim.tick(), 0);
    let mut guard = 0;
    while matches!(app.screen, Screen::Play(_)) {
        app.update(Action::Tick);
        guard += 1;
        assert!(guard < 50_000, "the replay never ended");
    }
    let Screen::Debrief(d) = &app.screen else {
        panic!("the replay ends on the debrief");
    };
    assert_eq!(d.game.sim.command_log(), recording.commands.as_slice());
    assert_eq!(d.outcome.score.points, report.score.points);
    assert_eq!(d.outcome.stars, report.stars);
    assert_eq!(d.status, Some(Ok("checked".to_string())));
    // The ghost is the reference solution on the same seed: here, the very run replayed.
    let ghost = d.ghost.as_ref().expect("a built-in mission has a ghost");
    assert_eq!(ghost.points, report.score.points);
    let errors: Vec<(f64, f64)> = report
        .timeline
        .iter()
        .map(|e| (e.t as f64, e.error_rate * 100.0))
        .collect();
    assert_eq!(ghost.errors, errors);
    assert!(d.show_ghost);
    app.update(Action::ToggleGhost);
    let Screen::Debrief(d) = &app.screen else {
        panic!("still the debrief");
    };
    assert!(!d.show_ghost, "g hides the ghost");
    assert!(app.progress.get(id).is_none(), "watching is not playing");
    // r watches the recording again from its start; leaving quits (it came from the shell).
    app.update(Action::Replay);
    let Screen::Play(again) = &app.screen else {
        panic!("r watches it again");
    };
    assert!(again.playback.is_some() && again.sim.tick() == 0);
    assert_eq!(again.seed, recording.seed);
    common::ui::run_to_end(&mut app, 50_000);
    app.update(Action::Confirm);
    assert!(app.should_quit, "Enter after a replay quits");
}

#[test]
fn replay_check_on_the_command_line() {
    let dir = common::TempDir::new("replay-cli");
    let json = run_level("05-bad-build", "mistakes").to_json();
    let good = dir.file("run.json", &json);
    let edited = dir.file(
        "edited.json",
        &json.replacen("\"stars\": 0", "\"stars\": 3", 1),
    );
    assert_ne!(json, std::fs::read_to_string(&edited).expect("read"));
    let broken = dir.file("broken.json", "{\"mission\": ");
    let run = |file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
            .args(["replay", "--check"])
            .arg(file)
            .output()
            .expect("run zerodown")
    };
    let out = run(&good);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("byte for byte"));
    let out = run(&edited);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("stars says 3"));
    let out = run(&broken);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.json"));
    let escape = dir.file(
        "escape.json",
        r#"{"mission":"\u001b[2Jowned","seed":1,"commands":[]}"#,
    );
    let out = run(&escape);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("owned") && !err.contains('\u{1b}'), "{err}");
}

/// The keys that would act on the fleet say why they don't during a replay.
#[test]
fn acting_during_a_replay_is_refused_with_a_reason() {
    use common::ui::{key, screen_text};
    use ratatui::crossterm::event::KeyCode;
    use zerodown::ui::Action;
    let (mut app, _, _) = watching("07-canary", Ok(String::new()));
    for _ in 0..200 {
        app.update(Action::Tick);
    }
    // (`:` opens a goto prompt: `the_goto_prompt_takes_a_time_only…` in replay_debrief.rs.)
    for c in ['a', 'r'] {
        key(&mut app, KeyCode::Char(c));
        let text = screen_text(&app, 120, 40);
        assert!(text.contains("watching a replay"), "{c}:\n{text}");
        assert!(text.contains("REPLAY"), "{text}");
        assert!(!text.contains("p promote"), "no promote offered:\n{text}");
    }
}

/// A report names a built-in mission; a mission file is the one the player passes with
/// `--mission`. A path written inside a report is never opened (it could name any file).
#[test]
fn a_path_inside_a_report_is_never_opened() {
    let dir = common::TempDir::new("replay-path");
    let secret = dir.file("shadow", "root:$6$secret-hash:19000:0:99999:7:::\n");
    let spec = Spec::default();
    let file_mission = dir.file("mine.ron", &spec.text());
    let run = |args: &[&std::path::Path]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
            .args(["replay", "--check"])
            .args(args)
            .output()
            .expect("run zerodown")
    };
    for named in [&secret, &file_mission] {
        let report = dir.file(
            "named.json",
            &format!(
                r#"{{"mission":{},"seed":1,"commands":[]}}"#,
                serde_json::to_string(named.to_str().expect("utf-8")).expect("json")
            ),
        );
        let out = run(&[&report]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", named.display());
        assert!(err.contains("not a built-in mission"), "{err}");
        assert!(err.contains("--mission PATH"), "{err}");
        assert!(
            !err.contains("root") && !err.contains("secret-hash"),
            "{err}"
        );
    }
    // The same run, with the mission file given on the command line, replays.
    let report = run_text(
        &spec.mission(),
        "wait 10s\ndrain web-01\nwait 5s\ndeploy v2 web-01",
        1,
    );
    let json = dir.file("mine.json", &report.to_json());
    let mission = std::path::Path::new("--mission");
    let out = run(&[&json, mission, &file_mission]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("byte for byte"), "{said}");
}
