//! The drill's screens in a `TestBackend`: the plan screen as the keyboard builds a plan,
//! the countdown running out, the live run with the plan's automation, and the debrief.
//! Driven by `Action::Tick` (the loop's clock), so every snapshot is deterministic.

mod common;

use common::ui::{command, draw, key};
use ratatui::crossterm::event::KeyCode;
use zerodown::drill::{Plan, Step};
use zerodown::ui::drill::{Drill, PLAN_TIME, Stage};
use zerodown::ui::{Action, App, Screen, Settings};

/// A case with a weighted balancer and a fault, small enough to run fast.
const SEED: u64 = 12;
const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, w, h).backend());
    }
}

fn keys(app: &mut App, list: &[KeyCode]) {
    for k in list {
        key(app, *k);
    }
}

fn drill() -> App {
    let mut app = App::drill(Settings::default(), SEED);
    app.update(Action::Resize(80, 24));
    app
}

fn stage(app: &App) -> &Stage {
    match &app.screen {
        Screen::Drill(d) => &d.stage,
        _ => panic!("not a drill screen"),
    }
}

fn plan_lines(app: &App) -> Vec<String> {
    match stage(app) {
        Stage::Plan(p) => p.plan.lines(),
        _ => panic!("not planning"),
    }
}

use KeyCode::{Char, Down, Enter, Left, Right, Tab};

/// Builds: deep checks, an error-rate guard at 2 % that rolls back, a canary 5→100 % with
/// analysis, every 60 s, and the fallback — with the keyboard only.
fn build_plan(app: &mut App) {
    // An empty plan: Enter opens the menu; health checks → deep.
    keys(app, &[Enter, Enter, Right]);
    // Watch a signal: error rate, 2 %, 10 s, rollback.
    keys(app, &[Char('a'), Down, Enter, Tab, Right, Tab, Right]);
    // The strategy: four steps right of "all at once" is canary; 5,25,50,100; 60 s.
    keys(app, &[Char('a'), Down, Down, Enter]);
    keys(
        app,
        &[Right, Right, Right, Right, Tab, Right, Tab, Right, Right],
    );
    // The fallback.
    keys(app, &[Char('a'), Down, Down, Down, Enter]);
}

#[test]
fn the_plan_screen_builds_a_plan_with_the_keyboard() {
    let mut app = drill();
    snap("drill_plan_empty", &app);
    build_plan(&mut app);
    assert_eq!(
        plan_lines(&app),
        [
            "health deep",
            "guard error_rate>2% for 10s version=v2 -> rollback",
            "canary v2 steps=5,25,50,100 interval=1m",
            "fallback v3",
        ]
    );
    // Move the guard above... it already is; move the fallback up one and back.
    keys(&mut app, &[Char('['), Char(']')]);
    assert_eq!(plan_lines(&app)[3], "fallback v3");
    // Thirty seconds of thinking.
    for _ in 0..300 {
        app.update(Action::Tick);
    }
    snap("drill_plan", &app);
    key(&mut app, Char('a'));
    snap("drill_add_step", &app);
    key(&mut app, KeyCode::Esc);
    key(&mut app, Char('c'));
    snap("drill_case", &app);
    key(&mut app, Char('c'));
    // A second health step is refused: the menu selects the existing one.
    keys(&mut app, &[Char('a'), Enter]);
    assert_eq!(plan_lines(&app).len(), 4);
    // Remove the selected step (health) and put nothing back.
    key(&mut app, Char('x'));
    assert_eq!(
        plan_lines(&app)[0],
        "guard error_rate>2% for 10s version=v2 -> rollback"
    );
    key(&mut app, Left);
    assert!(
        plan_lines(&app)[0].starts_with("guard mem>"),
        "←: the previous signal"
    );
}

#[test]
fn when_the_time_runs_out_the_plan_runs_as_it_stands() {
    let mut app = drill();
    keys(&mut app, &[Enter, Enter]);
    for _ in 1..PLAN_TIME.ticks() {
        app.update(Action::Tick);
    }
    assert!(matches!(stage(&app), Stage::Plan(_)));
    app.update(Action::Tick);
    let Stage::Play(live) = stage(&app) else {
        panic!("the plan should be running");
    };
    assert!(
        live.game
            .sim
            .events()
            .iter()
            .any(|e| e.text.contains("time's up: the plan runs as it stands"))
    );
    assert_eq!(
        live.plan.steps,
        vec![Step::Health(zerodown::mission::CheckDepth::Shallow)]
    );
}

#[test]
fn the_plan_runs_live_and_ends_in_the_drill_debrief() {
    let mut app = drill();
    build_plan(&mut app);
    key(&mut app, Enter);
    let Stage::Play(live) = stage(&app) else {
        panic!("the plan should be running");
    };
    let guards = live.game.sim.guards().len();
    assert_eq!(guards, 1, "the plan's guard is set at the start");
    assert!(live.game.sim.rollout().is_some(), "the canary started");
    assert!(live.game.sim.mission().title.contains(&SEED.to_string()));
    let mut n = 0;
    while matches!(stage(&app), Stage::Play(_)) {
        app.update(Action::Tick);
        n += 1;
        assert!(n < 20_000, "the drill never ended");
    }
    assert_eq!(
        app.progress.to_json(),
        zerodown::progress::Progress::default().to_json(),
        "drills record no progress"
    );
    snap("drill_debrief", &app);
    // Down to the replay's table.
    for _ in 0..16 {
        key(&mut app, Down);
    }
    snap("drill_debrief_scrolled", &app);
    key(&mut app, Char('r'));
    assert_eq!(plan_lines(&app).len(), 4, "r: the same case, the plan kept");
}

#[test]
fn the_plan_countdown_is_real_time_whatever_the_window_or_help() {
    let mut app = drill();
    let left = |app: &App| match stage(app) {
        Stage::Plan(p) => p.left,
        _ => panic!("not planning"),
    };
    let start = left(&app);
    app.update(Action::Resize(60, 20));
    assert!(app.clock_running(), "too small a window does not stop it");
    app.update(Action::ToggleHelp);
    assert!(app.help.is_some());
    for _ in 0..10 {
        app.update(Action::Tick);
    }
    assert_eq!(left(&app), start - 10, "nor does the help overlay");
    assert!(app.help.is_some(), "the help stays open");
}

#[test]
fn a_console_wait_keeps_the_plans_automation_running() {
    // This case's v2 never passes a deep health check: the rollout stalls at the progress
    // deadline, and the plan's fallback must act during the wait, not after it.
    let text = "health deep\nbluegreen v2\nswitch green after 1m\nfallback v3\n";
    let plan = Plan::parse(text).expect("a plan");
    let mut app = App::new(Settings::default());
    app.screen = Screen::Drill(Box::new(Drill::with_plan(SEED, plan)));
    app.update(Action::Resize(120, 40));
    key(&mut app, Enter); // run the plan
    command(&mut app, "wait 5m");
    let Stage::Play(live) = stage(&app) else {
        panic!("the plan should be running");
    };
    let acted = live
        .game
        .sim
        .events()
        .iter()
        .any(|e| e.text.contains("plan: v2 was stopped"));
    assert!(acted, "the fallback acted within the wait");
}

#[test]
fn leaving_a_plan_asks_first() {
    let mut app = drill();
    build_plan(&mut app);
    key(&mut app, KeyCode::Esc);
    let text = common::ui::screen_text(&app, 80, 24);
    assert!(text.contains("leave the drill?"), "{text}");
    key(&mut app, Char('n'));
    assert_eq!(plan_lines(&app).len(), 4, "n: the plan is kept");
    key(&mut app, Char('q'));
    key(&mut app, Char('y'));
    assert!(!matches!(app.screen, Screen::Drill(_)), "y leaves");
    // With nothing planned yet there is nothing to lose: Esc leaves at once.
    let mut empty = drill();
    key(&mut empty, KeyCode::Esc);
    assert!(!matches!(empty.screen, Screen::Drill(_)));
}

/// Issue 16: `c` on the drill's debrief shows the plan and the model answer as real config,
/// the same page as a mission's debrief.
#[test]
fn the_drill_debrief_shows_the_plan_and_the_model_answer_as_config() {
    let mut app = drill();
    build_plan(&mut app);
    key(&mut app, Enter);
    let mut n = 0;
    while matches!(stage(&app), Stage::Play(_)) {
        app.update(Action::Tick);
        n += 1;
        assert!(n < 20_000, "the drill never ended");
    }
    assert_eq!(app.ctx(), zerodown::ui::Ctx::DrillDebrief);
    key(&mut app, Char('c'));
    assert_eq!(app.ctx(), zerodown::ui::Ctx::Config);
    let Stage::Debrief(done) = stage(&app) else {
        panic!("not the drill's debrief");
    };
    let page = done.config.as_ref().expect("written when opened");
    assert!(page.alone.is_none());
    let text = common::ui::screen_text(&app, 160, 48);
    assert!(text.contains("your plan | model answer"), "{text}");
    assert!(text.contains("Argo Rollouts"), "{text}");
    let text = common::ui::screen_text(&app, 80, 24);
    assert!(text.contains("your plan (Tab: model answer)"), "{text}");
    for (w, h) in [(80, 24), (120, 40), (160, 48)] {
        let cut = common::ui::cuts(&app, w, h);
        assert!(cut.is_empty(), "{cut:?}");
    }
    snap("drill_config", &app);
    key(&mut app, Char('f'));
    assert!(common::ui::screen_text(&app, 160, 48).contains("Kubernetes"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.ctx(), zerodown::ui::Ctx::DrillDebrief);
}
