//! Replays that serve a classroom debrief (issue 21 item 3): the markers of a run with a bad
//! release, the fault becoming visible in a replay's log (and not in live play), seeking
//! (goto, markers, 10-second steps, forward and back) landing on the very frame playing
//! forward shows, and two runs side by side.

mod common;

use common::ui::{draw, key};
use common::{builtin, run_level};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use zerodown::replay::{Marker, MarkerKind, Recording};
use zerodown::report::Report;
use zerodown::ui::compare::Compare;
use zerodown::ui::console::Feedback;
use zerodown::ui::{Action, App, Game, Playback, Screen, Settings};

/// The mission with a bad release (v5's fault varies by seed) and what it teaches.
const BAD: &str = "05-bad-build";

/// A recorded run of `BAD` (`solutions` or `mistakes`), its report and its markers.
fn recorded(dir: &str) -> (Recording, Report, Vec<Marker>) {
    let report = run_level(BAD, dir);
    let recording = Recording::from_report_json(&report.to_json()).expect("replayable");
    let (_, markers) = recording.rerun_marked(&builtin(BAD));
    (recording, report, markers)
}

fn playback(recording: &Recording, about: &str, markers: &[Marker]) -> Playback {
    Playback::new("run.json", recording.commands.clone()).about(about, markers.to_vec())
}

/// The app watching `recording` as `zerodown replay` starts it, at `w`×`h`.
fn watching(recording: &Recording, markers: &[Marker], w: u16, h: u16) -> App {
    let mut app = App::replay(
        Settings::default(),
        BAD,
        builtin(BAD),
        recording.seed,
        playback(recording, "ada · passed ★★★", markers),
        Ok("checked".into()),
    );
    app.update(Action::Resize(w, h));
    app
}

fn game(app: &App) -> &Game {
    match &app.screen {
        Screen::Play(g) => g,
        _ => panic!("not on the play screen"),
    }
}

/// Seconds of a report time as a tick.
fn tick(t: f64) -> u64 {
    (t * 10.0).round() as u64
}

#[test]
fn a_bad_release_has_its_markers_in_order_where_the_report_says() {
    let (recording, report, markers) = recorded("solutions");
    let kinds: Vec<MarkerKind> = markers.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MarkerKind::Fault,
            MarkerKind::Alert,
            MarkerKind::Reaction,
            MarkerKind::Restored
        ]
    );
    let at = |kind| {
        markers
            .iter()
            .find(|m| m.kind == kind)
            .expect("marked")
            .tick
    };
    // The fault: where the log says it reached users.
    let visible = report
        .events
        .iter()
        .find(|e| e.text.starts_with("fault visible: v5"))
        .expect("the report logs the fault becoming visible");
    assert_eq!(visible.severity, "warn");
    assert_eq!(at(MarkerKind::Fault), tick(visible.t));
    // The alert: the first page.
    let alert = report
        .events
        .iter()
        .find(|e| e.text.starts_with("ALERT"))
        .expect("an alert");
    assert_eq!(at(MarkerKind::Alert), tick(alert.t));
    // The reaction: the first command after the fault showed (the abort), as detection counts.
    let first_after = recording
        .commands
        .iter()
        .find(|(t, _)| *t >= at(MarkerKind::Fault))
        .expect("a reaction");
    assert_eq!(at(MarkerKind::Reaction), first_after.0);
    let onset = at(MarkerKind::Fault) - 10;
    let mttd = report.score.mttd_s.expect("an incident");
    assert_eq!(at(MarkerKind::Reaction), onset + tick(mttd));
    assert!(at(MarkerKind::Restored) > at(MarkerKind::Reaction));
    // A run whose release is healthy has no fault to mark.
    let healthy = run_level("03-rolling-by-hand", "solutions");
    let r = Recording::from_report_json(&healthy.to_json()).expect("replayable");
    let (_, none) = r.rerun_marked(&builtin("03-rolling-by-hand"));
    assert!(none.iter().all(|m| m.kind != MarkerKind::Fault), "{none:?}");
}

/// Live play of `recording`'s commands (typed at their ticks) up to `tick`.
fn live_to(recording: &Recording, tick: u64) -> Game {
    let mut live = Game::new(BAD, &builtin(BAD), recording.seed);
    for (t, command) in recording.commands.iter().filter(|(t, _)| *t < tick) {
        while live.sim.tick() < *t {
            live.step();
        }
        live.sim.apply(command).ok();
    }
    while live.sim.tick() < tick {
        live.step();
    }
    live
}

#[test]
fn the_fault_becoming_visible_shows_in_a_replay_and_never_in_live_play() {
    let (recording, _, markers) = recorded("solutions");
    let fault = markers[0].tick;
    let logged = |g: &Game| {
        g.sim
            .events()
            .iter()
            .any(|e| e.text.starts_with("fault visible"))
    };
    // Live play: the sim logs it, the screen hides it and nothing flashes for it.
    let live = live_to(&recording, fault);
    assert!(logged(&live), "the sim logs it in live play too");
    assert!(
        !live
            .sim
            .events()
            .iter()
            .any(|e| e.text.starts_with("fault visible") && live.shows(e))
    );
    assert_eq!(live.alert_until, 0, "nothing flashed at the fault itself");
    // A console `wait` runs on past it, to the first page (1:46), which a player sees.
    let mut waiting = live_to(&recording, fault - 50);
    waiting.run_line("wait 1m");
    while waiting.waiting.is_some() {
        waiting.step();
    }
    assert!(
        matches!(&waiting.console.feedback, Feedback::Done(t) if t.contains("ALERT")),
        "{:?}",
        waiting.console.feedback
    );
    assert!(waiting.sim.tick() > fault);
    let mut replay = Game::replay(
        BAD,
        &builtin(BAD),
        recording.seed,
        playback(&recording, "", &[]),
    );
    // `n` in a replay stops at it.
    while replay.sim.tick() + 5 < fault {
        replay.step();
    }
    replay.next_event();
    assert_eq!(replay.sim.tick(), fault);
    assert!(logged(&replay));
    assert!(
        matches!(&replay.console.feedback, Feedback::Done(t) if t.contains("fault visible: v5")),
        "{:?}",
        replay.console.feedback
    );
}

/// The screen at `tick`, played forward from the start with the clock's own ticks and
/// paused there.
fn played_forward(recording: &Recording, markers: &[Marker], to: u64, w: u16, h: u16) -> Buffer {
    let mut app = watching(recording, markers, w, h);
    for _ in 0..to {
        app.update(Action::Tick);
    }
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(game(&app).sim.tick(), to);
    draw(&app, w, h).backend().buffer().clone()
}

fn frame(app: &App, w: u16, h: u16) -> Buffer {
    draw(app, w, h).backend().buffer().clone()
}

fn goto(app: &mut App, time: &str) {
    key(app, KeyCode::Char(':'));
    for c in time.chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter);
}

#[test]
fn seeking_lands_on_the_frame_playing_forward_shows() {
    let (recording, _, markers) = recorded("solutions");
    let (w, h) = (120, 40);
    let mut app = watching(&recording, &markers, w, h);
    // goto forward (the prompt starts with `goto `).
    goto(&mut app, "1:10");
    assert_eq!(game(&app).sim.tick(), 700);
    assert!(game(&app).paused, "a seek pauses");
    assert_eq!(
        frame(&app, w, h),
        played_forward(&recording, &markers, 700, w, h)
    );
    // Every marker forward with `]`, then back with `[` (re-simulated from the start).
    for m in &markers {
        key(&mut app, KeyCode::Char(']'));
        assert_eq!(game(&app).sim.tick(), m.tick, "{m:?}");
        assert_eq!(
            frame(&app, w, h),
            played_forward(&recording, &markers, m.tick, w, h),
            "] to {m:?}"
        );
    }
    key(&mut app, KeyCode::Char('['));
    let back = markers[markers.len() - 2].tick;
    assert_eq!(game(&app).sim.tick(), back);
    assert_eq!(
        frame(&app, w, h),
        played_forward(&recording, &markers, back, w, h)
    );
    // Ten seconds back and on.
    key(&mut app, KeyCode::Char(','));
    assert_eq!(game(&app).sim.tick(), back - 100);
    assert_eq!(
        frame(&app, w, h),
        played_forward(&recording, &markers, back - 100, w, h)
    );
    key(&mut app, KeyCode::Char('.'));
    key(&mut app, KeyCode::Char('.'));
    assert_eq!(game(&app).sim.tick(), back + 100);
    assert_eq!(
        frame(&app, w, h),
        played_forward(&recording, &markers, back + 100, w, h)
    );
    // goto back, at 80×24 too.
    goto(&mut app, "45s");
    app.update(Action::Resize(80, 24));
    assert_eq!(
        frame(&app, 80, 24),
        played_forward(&recording, &markers, 450, 80, 24)
    );
}

#[test]
fn the_goto_prompt_takes_a_time_only_and_says_what_it_takes() {
    let (recording, _, markers) = recorded("solutions");
    let mut app = watching(&recording, &markers, 120, 40);
    key(&mut app, KeyCode::Char(':'));
    assert!(game(&app).console.open);
    assert_eq!(game(&app).console.input(), "goto ");
    for _ in 0.."goto ".len() {
        key(&mut app, KeyCode::Backspace);
    }
    for c in "drain web-01".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let g = game(&app);
    assert!(!g.console.open);
    assert!(
        matches!(&g.console.feedback, Feedback::Refused(t) if t.contains("a replay takes only `goto TIME`")),
        "{:?}",
        g.console.feedback
    );
    assert_eq!(g.sim.tick(), 0, "nothing moved");
    assert!(g.sim.command_log().len() <= recording.commands.len());
    goto(&mut app, "soon");
    assert!(
        matches!(&game(&app).console.feedback, Feedback::Refused(t) if t.contains("`soon` is not a time")),
        "{:?}",
        game(&app).console.feedback
    );
    // The header names the student, the outcome and the markers with their times.
    let text = common::ui::screen_text(&app, 120, 40);
    let first: String = text.lines().take(3).collect::<Vec<_>>().join("\n");
    assert!(first.contains("ada · passed ★★★"), "{first}");
    assert!(first.contains("▸ fault 1:45"), "{first}");
    assert!(first.contains("restored"), "{first}");
}

/// Two runs of `BAD` side by side: ada's solution (A) and bob's naive play (B).
fn side_by_side(w: u16, h: u16) -> App {
    let [(a, _, am), (b, _, bm)] = ["solutions", "mistakes"].map(recorded);
    let mission = builtin(BAD);
    let ga = Game::replay(BAD, &mission, a.seed, playback(&a, "ada · passed ★★★", &am));
    let gb = Game::replay(BAD, &mission, b.seed, playback(&b, "bob · failed", &bm));
    let mut app = App::compare(
        Settings::default(),
        Compare::new(ga, gb, Feedback::Done("both reproduce".into())),
    );
    app.update(Action::Resize(w, h));
    app
}

fn compared(app: &App) -> &Compare {
    match &app.screen {
        Screen::Compare(c) => c,
        _ => panic!("not side by side"),
    }
}

#[test]
fn two_runs_side_by_side_share_one_clock_and_both_runs_markers() {
    let mut app = side_by_side(120, 40);
    assert!(app.clock_running());
    for _ in 0..30 {
        app.update(Action::Tick);
    }
    let c = compared(&app);
    assert_eq!(c.runs[0].sim.tick(), 30);
    assert_eq!(c.runs[1].sim.tick(), 30);
    // `]` stops at every marker of either run, in time order, and says whose.
    let mut all: Vec<u64> = c
        .runs
        .iter()
        .flat_map(|g| g.markers().iter().map(|m| m.tick))
        .collect();
    all.sort_unstable();
    all.dedup();
    for t in &all {
        key(&mut app, KeyCode::Char(']'));
        let c = compared(&app);
        assert_eq!([c.runs[0].sim.tick(), c.runs[1].sim.tick()], [*t, *t]);
        assert!(
            matches!(&c.console.feedback, Feedback::Done(s) if s.contains("A ada") || s.contains("B bob"))
        );
    }
    key(&mut app, KeyCode::Char(']'));
    assert!(
        matches!(&compared(&app).console.feedback, Feedback::Done(s) if s.starts_with("no marker after"))
    );
    // goto back: both re-simulated to the same frame each would show alone.
    goto(&mut app, "2:00");
    let c = compared(&app);
    assert_eq!([c.runs[0].sim.tick(), c.runs[1].sim.tick()], [1200, 1200]);
    assert!(!app.clock_running(), "a seek pauses");
    // q asks, y quits.
    key(&mut app, KeyCode::Char('q'));
    key(&mut app, KeyCode::Char('y'));
    assert!(app.should_quit);
}

#[test]
fn side_by_side_reads_at_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = side_by_side(w, h);
        // To the first marker (the fault) and a few seconds on, where the runs differ.
        key(&mut app, KeyCode::Char(']'));
        goto(&mut app, "2:10");
        insta::assert_snapshot!(format!("side_by_side_{w}x{h}"), draw(&app, w, h).backend());
    }
}

#[test]
fn two_runs_of_different_missions_are_refused() {
    let dir = common::TempDir::new("replay-two");
    let a = dir.file(
        "ada-05-bad-build.json",
        &run_level(BAD, "solutions").to_json(),
    );
    let b = dir.file(
        "ada-03-rolling-by-hand.json",
        &run_level("03-rolling-by-hand", "solutions").to_json(),
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .arg("replay")
        .arg(&a)
        .arg(&b)
        .output()
        .expect("run zerodown");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a run of 05-bad-build")
            && err.contains("a run of 03-rolling-by-hand")
            && err.contains("two runs of the same mission"),
        "{err}"
    );
    // Two files check one by one.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(["replay", "--check"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("run zerodown");
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(said.matches("byte for byte").count(), 2, "{said}");
}

#[test]
fn side_by_side_says_when_the_seeds_differ() {
    let mission = builtin(BAD);
    let script = zerodown::command::parse_script(
        zerodown::mission::solution_script(BAD).expect("a solution"),
    )
    .expect("parses");
    let on = |seed| {
        let report = zerodown::runner::run_script(&mission, BAD, &script, seed);
        let r = Recording::from_report_json(&report.to_json()).expect("replayable");
        Game::replay(BAD, &mission, seed, playback(&r, "ada · passed", &[]))
    };
    let app = App::compare(
        Settings::default(),
        Compare::new(on(1), on(2), Feedback::None),
    );
    let text = common::ui::screen_text(&app, 80, 24);
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.contains("seeds 1 ≠ 2")),
        "{text}"
    );
}
