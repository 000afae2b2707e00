//! The rollout panel driven by keys: a canary of a bad v2 on a 10-server fleet is started in
//! the console, promoted with `p` and aborted with `a`, and the panel says so at each step;
//! a guard's glyph and colour change when it fires; a shadow's line says its answers are
//! discarded and warns of duplicated writes. No real terminal: events go through `App`.

mod common;

use common::ui::{command, key};

use common::Spec;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use zerodown::sim::Phase;
use zerodown::time::TICKS_PER_SEC;
use zerodown::ui::{Action, App, Screen, Settings};

fn secs(app: &mut App, n: u64) {
    for _ in 0..n * TICKS_PER_SEC {
        app.update(Action::Tick);
    }
}

fn screen(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t
}

fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where `needle` starts on screen.
fn find(t: &Terminal<TestBackend>, needle: &str) -> Option<(u16, u16)> {
    let buf = t.backend().buffer();
    (0..buf.area.height).find_map(|y| {
        let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let first = needle.chars().next()?.to_string();
        (0..row.len()).find_map(|x| {
            (row[x] == first
                && needle
                    .chars()
                    .enumerate()
                    .all(|(i, c)| row.get(x + i).is_some_and(|s| *s == c.to_string())))
            .then_some((x as u16, y))
        })
    })
}

fn playing(spec: &Spec, w: u16, h: u16) -> App {
    let mut app = App::briefing(Settings::default(), "test", spec.mission());
    app.update(Action::Resize(w, h));
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Play(_)));
    app
}

fn phase(app: &App) -> Option<Phase> {
    match &app.screen {
        Screen::Play(g) => g.sim.rollout().map(|r| r.phase.clone()),
        _ => None,
    }
}

fn bad_canary() -> Spec {
    Spec::fleet(10, 500.0).v2("errors: 0.2").lasting("10m")
}

#[test]
fn canary_promoted_with_p_and_aborted_with_a_through_the_rollout_panel() {
    let mut app = playing(&bad_canary(), 120, 40);
    let t = screen(&app, 120, 40);
    assert!(
        text(&t).contains("○ no rollout — try  :canary v2"),
        "{}",
        text(&t)
    );
    secs(&mut app, 5);
    command(
        &mut app,
        "canary v2 steps=5,20,50,100 interval=1m analysis=off",
    );
    secs(&mut app, 20);
    let t = screen(&app, 120, 40);
    let s = text(&t);
    assert!(s.contains("▶ canary v2 · step 1/4 at 5%"), "{s}");
    assert!(s.contains("p promote · a abort · r rollback"), "{s}");
    assert!(s.contains("(asked   5%)"), "asked vs actual: {s}");
    insta::assert_snapshot!("rollout_canary_120x40", t.backend());

    key(&mut app, KeyCode::Char('p'));
    secs(&mut app, 3);
    let s = text(&screen(&app, 120, 40));
    assert!(s.contains("step 2/4 at 20%"), "{s}");
    assert!(s.contains("(asked  20%)"), "{s}");

    key(&mut app, KeyCode::Char('a'));
    assert_eq!(phase(&app), Some(Phase::Aborted));
    let t = screen(&app, 80, 24);
    let s = text(&t);
    assert!(s.contains("■ canary v2 · aborted"), "{s}");
    assert!(s.contains(" r rollback "), "only rollback is left: {s}");
    // An abort is a warning in the log: the console does not give it a green tick.
    assert!(s.contains("\n⚠ aborted (by you)"), "{s}");
    assert!(!s.contains("✔ aborted"), "{s}");
    insta::assert_snapshot!("rollout_aborted_80x24", t.backend());

    // A second abort is refused, and the console line says why.
    key(&mut app, KeyCode::Char('a'));
    let s = text(&screen(&app, 120, 40));
    assert!(s.contains("✖ refused:"), "{s}");
}

#[test]
fn a_fired_guard_turns_from_watching_to_a_red_cross() {
    let mut app = playing(&bad_canary(), 120, 40);
    command(&mut app, "guard error_rate>2% for 5s version=v2 -> abort");
    secs(&mut app, 2);
    let t = screen(&app, 120, 40);
    let (x, y) = find(&t, "◉ #1 watching error_rate>2%").expect("guard watching");
    assert_eq!(t.backend().buffer()[(x, y)].fg, Color::Green);
    command(&mut app, "canary v2 steps=20,100 interval=1m analysis=off");
    // Traffic shifts once the canary servers are installed, booted and warm (~1 min).
    secs(&mut app, 120);
    assert_eq!(phase(&app), Some(Phase::Aborted), "the guard aborted it");
    let t = screen(&app, 120, 40);
    let (x, y) = find(&t, "✖ #1 fired ").expect("guard fired");
    let cell = &t.backend().buffer()[(x, y)];
    assert_eq!(cell.fg, Color::LightRed, "fired is red");
}

#[test]
fn shadow_says_its_answers_are_discarded_and_warns_of_duplicate_writes() {
    let spec = Spec::fleet(10, 500.0)
        .v2("errors: 0.5, latency_factor: 5.0")
        .lasting("5m");
    let mut app = playing(&spec, 160, 48);
    secs(&mut app, 5);
    command(&mut app, "shadow v2 50%");
    secs(&mut app, 60);
    let t = screen(&app, 160, 48);
    let s = text(&t);
    assert!(s.contains("▲ shadow v2 err 50"), "{s}");
    assert!(s.contains("(50% copied, answers discarded)"), "{s}");
    assert!(s.contains("│ live v1 err 0.0%"), "{s}");
    assert!(s.contains("⚠ shadow wrote"), "{s}");
    insta::assert_snapshot!("rollout_shadow_160x48", t.backend());
}

#[test]
fn debrief_suggests_the_guard_that_would_have_caught_a_slow_detection_and_scrolls() {
    let spec = Spec::fleet(10, 500.0).v2("errors: 0.2").lasting("3m");
    let mut app = playing(&spec, 80, 24);
    secs(&mut app, 5);
    command(&mut app, "canary v2 steps=20,100 interval=5m analysis=off");
    secs(&mut app, 90);
    key(&mut app, KeyCode::Char('a'));
    secs(&mut app, 100);
    let Screen::Debrief(d) = &app.screen else {
        panic!("the mission ended");
    };
    let reaction = d.markers.reaction.expect("the abort is a reaction");
    // Page down until the advice shows: it must be reachable at 80×24.
    let mut seen = String::new();
    for _ in 0..40 {
        seen = text(&screen(&app, 80, 24));
        if seen.contains("would have fired at") {
            break;
        }
        key(&mut app, KeyCode::Down);
    }
    assert!(seen.contains("WHAT A PRO WOULD HAVE DONE"), "{seen}");
    assert!(
        seen.contains("guard error_rate>2% for 10s version=v2 -> rollback"),
        "{seen}"
    );
    let at = seen
        .split("would have fired at ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("a time");
    let (m, s) = at.split_once(':').expect("m:ss");
    let fired: f64 = m.parse::<f64>().expect("minutes") * 60.0 + s.parse::<f64>().expect("s");
    assert!(
        fired < reaction,
        "the guard ({fired} s) beats the player ({reaction} s)"
    );
    assert!(seen.contains("scroll"), "the screen says it scrolls");
}

/// A mission with a pipeline, migrations and a session store shows each on the panel: the
/// pipeline's stages as they pass or stop, the schema and a running migration.
#[test]
fn the_panel_shows_the_pipeline_stages_and_the_database() {
    for (id, run, expect) in [
        (
            "14-pipeline",
            "pipeline run v2",
            ["pipeline v2 ✔✔✔✔✖○○○ stopped at staging test", "◆ v3"],
        ),
        (
            "11-migration",
            "migrate expand",
            ["⛁ schema 1 · migrating `expand`", "⛁ schema"],
        ),
    ] {
        let (id, mission) = zerodown::mission::resolve(id).expect("built in");
        let mut app = App::briefing(zerodown::ui::Settings::default(), &id, mission);
        app.update(Action::Resize(120, 40));
        key(&mut app, KeyCode::Enter);
        command(&mut app, run);
        secs(&mut app, if id.starts_with("14") { 240 } else { 5 });
        let s = text(&screen(&app, 120, 40));
        for needle in expect {
            assert!(s.contains(needle), "{id}: `{needle}` missing:\n{s}");
        }
    }
}
