//! The drill in the terminal: one `Screen::Drill` with three stages.
//!
//! - **plan** — a timed form (`PLAN_TIME` of real time, fed in as `Action::Tick`s by the
//!   loop): the case at the top, the plan's steps as the commands they become, the selected
//!   step's fields below. When the time runs out the plan runs as it stands (and says so).
//! - **play** — the ordinary play screen on a `Game`, with the plan's automation (`Pilot`)
//!   polled every game-second; the player may intervene with the console and the hotkeys.
//!   No hints: the drill's mission has none.
//! - **debrief** — the rubric, the outcome, the hidden fault, the model answer and the seed.
//!
//! Drills never touch the campaign's progress.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;

use super::debrief::config::{self, ConfigPage};
use super::game::Game;
use super::keymap::{Action, Ctx};
use super::{Theme, play};
use crate::drill::{self, DRILL_ID, Judgement, Pilot, Plan, Scenario};
use crate::sim::Severity;
use crate::time::{Dur, TICKS_PER_SEC, clock};

mod debrief;
pub mod editor;
mod view;

use editor::Kind;

/// Real time to plan, in loop ticks of 100 ms.
pub const PLAN_TIME: Dur = Dur::from_secs(180);

/// The plan being written.
#[derive(Debug, Clone)]
pub struct Planning {
    pub plan: Plan,
    /// The selected step (`plan.steps.len()`: the "add a step" line).
    pub selected: usize,
    /// The focused field of the selected step.
    pub field: usize,
    /// The "add a step" menu, with its highlighted entry.
    pub adding: Option<usize>,
    /// The whole case is showing instead of the plan.
    pub show_case: bool,
    /// Ticks of planning time left.
    pub left: u64,
    /// "Leave the drill? The plan is lost" is showing.
    pub confirm_leave: bool,
}

impl Planning {
    fn new(plan: Plan) -> Self {
        Self {
            plan,
            selected: 0,
            field: 0,
            adding: None,
            show_case: false,
            left: PLAN_TIME.ticks(),
            confirm_leave: false,
        }
    }

    /// Seconds of planning left.
    pub fn left_s(&self) -> f64 {
        self.left as f64 / TICKS_PER_SEC as f64
    }
}

/// The plan running live (its automation is the game's `pilot`).
#[derive(Debug, Clone)]
pub struct Live {
    pub game: Game,
    pub plan: Plan,
}

/// A finished drill.
#[derive(Debug, Clone)]
pub struct Finished {
    pub plan: Plan,
    pub judgement: Judgement,
    pub scroll: u16,
    /// The plan and the model answer as real config (`c`), written when first opened.
    pub config: Option<ConfigPage>,
    /// Whether the config page shows instead of the debrief.
    pub config_open: bool,
}

/// Where a drill stands.
#[derive(Debug, Clone)]
pub enum Stage {
    Plan(Planning),
    Play(Box<Live>),
    Debrief(Box<Finished>),
}

/// A drill on screen.
#[derive(Debug, Clone)]
pub struct Drill {
    pub scenario: Scenario,
    pub stage: Stage,
}

/// What the app should do after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Stay; whether anything visible changed.
    Stay(bool),
    /// Leave the drill for the missions.
    Leave,
}

impl Drill {
    /// The plan screen of the case of `seed`, with an empty plan.
    pub fn new(seed: u64) -> Self {
        Self::with_plan(seed, Plan::default())
    }

    /// The plan screen of the case of `seed`, starting from `plan`.
    pub fn with_plan(seed: u64, plan: Plan) -> Self {
        Self {
            scenario: Scenario::generate(seed),
            stage: Stage::Plan(Planning::new(plan)),
        }
    }

    pub fn seed(&self) -> u64 {
        self.scenario.seed
    }

    /// Where the keyboard is.
    pub fn ctx(&self) -> Ctx {
        match &self.stage {
            Stage::Plan(p) if p.confirm_leave => Ctx::Confirm,
            Stage::Plan(p) if p.adding.is_some() => Ctx::DrillAdd,
            Stage::Plan(_) => Ctx::DrillPlan,
            Stage::Play(l) if l.game.waiting.is_some() => Ctx::Waiting,
            Stage::Play(l) if l.game.tip_open => Ctx::Tip,
            Stage::Play(l) if l.game.confirm_quit => Ctx::Confirm,
            Stage::Play(l) if l.game.console.open => Ctx::Console,
            Stage::Play(l) if l.game.filter_open => Ctx::Filter,
            Stage::Play(_) => Ctx::Play,
            Stage::Debrief(d) if d.config_open => Ctx::Config,
            Stage::Debrief(_) => Ctx::DrillDebrief,
        }
    }

    /// Whether the loop should send ticks: the countdown, or the game clock.
    pub fn clock_running(&self) -> bool {
        match &self.stage {
            Stage::Plan(_) => true,
            Stage::Play(l) => l.game.clock_runs(),
            Stage::Debrief(_) => false,
        }
    }

    /// Whether the timed plan phase is on (its countdown is real time: it runs on whatever
    /// the window's size or the help overlay).
    pub fn planning(&self) -> bool {
        matches!(self.stage, Stage::Plan(_))
    }

    /// The game clock's speed (1 while planning).
    pub fn speed(&self) -> u32 {
        match &self.stage {
            Stage::Play(l) => l.game.clock_speed(),
            _ => 1,
        }
    }

    /// The game being played, if the plan runs.
    pub fn game(&self) -> Option<&Game> {
        match &self.stage {
            Stage::Play(l) => Some(&l.game),
            _ => None,
        }
    }

    /// Applies an action.
    pub fn update(&mut self, action: Action, size: (u16, u16)) -> Next {
        match &mut self.stage {
            Stage::Plan(p) => {
                // Leaving loses the plan: ask first (the countdown runs on meanwhile).
                if p.confirm_leave && action != Action::Tick {
                    match action {
                        Action::Yes => return Next::Leave,
                        Action::No | Action::Back => p.confirm_leave = false,
                        _ => return Next::Stay(false),
                    }
                    return Next::Stay(true);
                }
                if action == Action::Back && p.adding.is_none() && !p.show_case {
                    if p.plan.steps.is_empty() {
                        return Next::Leave;
                    }
                    p.confirm_leave = true;
                    return Next::Stay(true);
                }
                match plan_update(p, action) {
                    PlanNext::Stay(changed) => Next::Stay(changed),
                    PlanNext::Run { timed_out } => {
                        let plan = p.plan.clone();
                        let left = p.left_s();
                        self.start(plan, timed_out, left);
                        Next::Stay(true)
                    }
                }
            }
            Stage::Play(live) => {
                if live.game.confirm_quit && action == Action::Yes {
                    return Next::Leave;
                }
                let changed = play_update(live, action, size);
                if live.game.sim.is_finished() {
                    let judgement = Judgement::new(&self.scenario, &live.plan, &live.game.sim);
                    self.stage = Stage::Debrief(Box::new(Finished {
                        plan: live.plan.clone(),
                        judgement,
                        scroll: 0,
                        config: None,
                        config_open: false,
                    }));
                    return Next::Stay(true);
                }
                Next::Stay(changed)
            }
            Stage::Debrief(d) if d.config_open => {
                if let Some(page) = d.config.as_mut()
                    && page.update(action, size)
                {
                    d.config_open = false;
                }
                Next::Stay(true)
            }
            Stage::Debrief(d) => match action {
                Action::ShowConfig => {
                    if d.config.is_none() {
                        d.config = Some(ConfigPage::of_plan(
                            &self.scenario,
                            &d.plan,
                            &d.judgement.model,
                        ));
                    }
                    d.config_open = true;
                    Next::Stay(true)
                }
                Action::Up => {
                    d.scroll = d.scroll.saturating_sub(1);
                    Next::Stay(true)
                }
                Action::Down => {
                    d.scroll = d.scroll.saturating_add(1).min(debrief::DEBRIEF_SCROLL_MAX);
                    Next::Stay(true)
                }
                Action::Replay => {
                    let plan = d.plan.clone();
                    *self = Drill::with_plan(self.scenario.seed, plan);
                    Next::Stay(true)
                }
                Action::NextDrill => {
                    *self = Drill::new(self.scenario.seed.wrapping_add(1));
                    Next::Stay(true)
                }
                Action::Back | Action::Confirm => Next::Leave,
                _ => Next::Stay(false),
            },
        }
    }

    /// The plan goes live: the mission with the plan's settings, its start commands, its
    /// pilot; the log says how planning ended.
    fn start(&mut self, plan: Plan, timed_out: bool, left_s: f64) {
        let mission = drill::mission_for(&self.scenario, &plan);
        let mut game = Game::new(DRILL_ID, &mission, self.scenario.seed);
        let note = if timed_out {
            "time's up: the plan runs as it stands".to_string()
        } else {
            format!("plan in with {} to spare", clock(left_s))
        };
        game.sim.note(Severity::Info, format!("drill: {note}"));
        if plan.strategy().is_none() {
            game.sim.note(
                Severity::Warn,
                "drill: the plan has no strategy: nothing ships unless you type it".to_string(),
            );
        }
        let pilot = Pilot::new(&plan);
        pilot.begin(&mut game.sim);
        game.pilot = Some(pilot);
        self.stage = Stage::Play(Box::new(Live { game, plan }));
    }

    /// Draws the drill.
    pub fn render(&self, theme: &Theme, marker: Marker, ctx: Ctx, area: Rect, buf: &mut Buffer) {
        match &self.stage {
            Stage::Plan(p) => view::plan(self, p, theme, area, buf),
            Stage::Play(l) => play::render(&l.game, theme, marker, ctx, area, buf),
            Stage::Debrief(d) if d.config_open && d.config.is_some() => {
                if let Some(page) = &d.config {
                    config::render(page, ctx, theme, area, buf);
                }
            }
            Stage::Debrief(d) => debrief::render(self, d, theme, area, buf),
        }
    }
}

enum PlanNext {
    Stay(bool),
    Run { timed_out: bool },
}

fn plan_update(p: &mut Planning, action: Action) -> PlanNext {
    if action == Action::Tick {
        p.left = p.left.saturating_sub(1);
        if p.left == 0 {
            return PlanNext::Run { timed_out: true };
        }
        // Redraw once a second, when the countdown's text changes.
        return PlanNext::Stay(p.left.is_multiple_of(TICKS_PER_SEC));
    }
    if let Some(i) = p.adding {
        match action {
            Action::Up => p.adding = Some(i.saturating_sub(1)),
            Action::Down => p.adding = Some((i + 1).min(Kind::ALL.len() - 1)),
            Action::Back => p.adding = None,
            Action::Confirm => {
                add(p, Kind::ALL[i]);
                p.adding = None;
            }
            _ => return PlanNext::Stay(false),
        }
        return PlanNext::Stay(true);
    }
    if p.show_case {
        match action {
            Action::ToggleCase | Action::Back | Action::Confirm => p.show_case = false,
            _ => return PlanNext::Stay(false),
        }
        return PlanNext::Stay(true);
    }
    let n = p.plan.steps.len();
    match action {
        Action::Up => {
            p.selected = p.selected.saturating_sub(1);
            p.field = 0;
        }
        Action::Down => {
            p.selected = (p.selected + 1).min(n);
            p.field = 0;
        }
        Action::NextField => {
            if let Some(step) = p.plan.steps.get(p.selected) {
                p.field = (p.field + 1) % editor::fields(step).len().max(1);
            }
        }
        Action::Left | Action::Right => {
            let dir = if action == Action::Left { -1 } else { 1 };
            match p.plan.steps.get_mut(p.selected) {
                Some(step) => {
                    editor::change(step, p.field, dir);
                    p.field = p.field.min(editor::fields(step).len().saturating_sub(1));
                }
                None => p.adding = Some(0),
            }
        }
        Action::AddStep => p.adding = Some(0),
        Action::RemoveStep if p.selected < n => {
            p.plan.steps.remove(p.selected);
            p.selected = p.selected.min(p.plan.steps.len());
            p.field = 0;
        }
        Action::MoveStepUp if p.selected > 0 && p.selected < n => {
            p.plan.steps.swap(p.selected, p.selected - 1);
            p.selected -= 1;
        }
        Action::MoveStepDown if p.selected + 1 < n => {
            p.plan.steps.swap(p.selected, p.selected + 1);
            p.selected += 1;
        }
        Action::ToggleCase => p.show_case = true,
        Action::Confirm if p.selected == n && p.adding.is_none() && n == 0 => {
            p.adding = Some(0);
        }
        Action::Confirm => return PlanNext::Run { timed_out: false },
        _ => return PlanNext::Stay(false),
    }
    PlanNext::Stay(true)
}

/// Adds a step of `kind` after the selected one (a single kind already there is selected).
fn add(p: &mut Planning, kind: Kind) {
    if let Some(i) = editor::existing(&p.plan, kind) {
        p.selected = i;
        p.field = 0;
        return;
    }
    let at = (p.selected + 1).min(p.plan.steps.len());
    p.plan.steps.insert(at, kind.new_step());
    p.selected = at;
    p.field = 0;
}

/// Play actions, with the pilot polled after every game tick.
fn play_update(live: &mut Live, action: Action, size: (u16, u16)) -> bool {
    play::update(&mut live.game, action, size)
}
