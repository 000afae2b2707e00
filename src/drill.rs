//! The interview drill: "how would you deploy an update to N servers safely?"
//!
//! A seed draws a case (`scenario`): a fleet of 50–200 servers, a traffic shape, a balancer,
//! and a release v2 with a hidden fault, or none. The player writes a plan (`plan`): health
//! checks, the signals to watch and what to do when one crosses its line, a strategy, and a
//! fallback to the fixed build v3. The plan runs on the simulation (its automation in
//! `pilot`), and the debrief (`rubric`) scores the plan against the interview rubric and the
//! run's outcome, reveals the fault and shows a model answer written for the case. The
//! rubric reads the `replay`: the same plan run on the same case once per kind of fault.
//!
//! `run` is the headless form (`zerodown drill --seed N --plan FILE`); the terminal UI plays
//! the same plan live (`ui/drill.rs`). Both start the sim the same way and poll the same
//! pilot, so a plan left alone ends the same. Nothing here touches the campaign's progress.

use serde::Serialize;

use crate::mission::Mission;
use crate::report::Report;
use crate::runner::Run;
use crate::sim::Sim;

pub mod pilot;
pub mod plan;
pub mod replay;
pub mod rubric;
pub mod scenario;

pub use pilot::Pilot;
pub use plan::{Plan, PlanError, Step, Strategy, Watch};
pub use replay::{Catch, Catcher, Replay, Row};
pub use rubric::{Criterion, Mark, Outcome, Shipped, Verdict};
pub use scenario::{FIX, Fault, FaultKind, NEW, OLD, Scenario};

/// The mission id drills run under (reports, the play screen).
pub const DRILL_ID: &str = "drill";

/// The mission a plan runs on: the scenario's, with what the plan sets before the start.
pub fn mission_for(scenario: &Scenario, plan: &Plan) -> Mission {
    let mut mission = scenario.mission.clone();
    plan.apply_to(&mut mission);
    mission
}

/// A sim for the plan, with the plan's start commands applied, and its pilot.
pub fn start(scenario: &Scenario, plan: &Plan) -> (Sim, Pilot) {
    let mission = mission_for(scenario, plan);
    let mut sim = Sim::new(&mission, scenario.seed);
    let pilot = Pilot::new(plan);
    pilot.begin(&mut sim);
    (sim, pilot)
}

/// Everything the debrief says about a finished drill.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The plan run on this case once per kind of fault: what the marks are read from.
    pub replay: Replay,
    pub marks: Vec<Mark>,
    pub plan_points: u8,
    pub outcome: Outcome,
    pub verdict: Verdict,
    pub model: Plan,
    pub model_why: Vec<String>,
}

impl Judgement {
    /// Judges `plan` and the finished `sim` for `scenario` (replaying the plan: see
    /// `Replay::run`).
    pub fn new(scenario: &Scenario, plan: &Plan, sim: &Sim) -> Self {
        Self::with_replay(
            scenario,
            plan,
            Outcome::judge(sim, scenario),
            Replay::run(scenario, plan),
        )
    }

    /// Judges `plan` from its `replay` and the run's `outcome`.
    pub fn with_replay(scenario: &Scenario, plan: &Plan, outcome: Outcome, replay: Replay) -> Self {
        let marks = rubric::mark(plan, scenario, &replay);
        let plan_points = rubric::total(&marks);
        let verdict = Verdict::of(plan_points, &outcome, replay.passed(), replay.rows.len());
        let (model, model_why) = rubric::model_answer(scenario);
        Self {
            replay,
            marks,
            plan_points,
            outcome,
            verdict,
            model,
            model_why,
        }
    }
}

/// A finished headless drill: the judgement and the sim's run report.
#[derive(Debug, Clone)]
pub struct Drilled {
    pub judgement: Judgement,
    pub report: Report,
}

/// Plays `plan` on `scenario` to the end without a terminal, and judges it (replaying the
/// plan on every kind of fault: `Replay::run`).
pub fn run(scenario: &Scenario, plan: &Plan) -> Drilled {
    let (sim, report) = play(scenario, plan);
    let judgement = Judgement::new(scenario, plan, &sim);
    Drilled { judgement, report }
}

/// Plays `plan` on `scenario` to the end without a terminal: the finished sim and its run
/// report, not judged (no replay).
pub fn play(scenario: &Scenario, plan: &Plan) -> (Sim, Report) {
    let mission = mission_for(scenario, plan);
    let mut run = Run::new(&mission, scenario.seed);
    let mut pilot = Pilot::new(plan);
    for cmd in pilot.start() {
        run.command(&cmd);
    }
    while run.step() {
        pilot.poll(&mut run.sim);
    }
    let sim = run.sim.clone();
    (sim, run.finish(DRILL_ID, scenario.seed))
}

/// The drill's JSON report: the case, the plan, the rubric, the outcome, the model answer
/// and the sim's own run report. Byte-stable for one seed and one plan.
#[derive(Debug, Clone, Serialize)]
pub struct DrillReport<'a> {
    pub drill: &'static str,
    pub seed: u64,
    pub scenario: ScenarioEntry,
    pub plan: Vec<String>,
    pub rubric: Vec<MarkEntry>,
    pub plan_points: u8,
    pub plan_max: u8,
    pub passed: bool,
    pub shipped: String,
    pub verdict: &'static str,
    pub model_answer: Vec<String>,
    pub model_why: Vec<String>,
    pub run: &'a Report,
    /// The plan replayed on this case once per kind of fault (what the rubric reads).
    pub replay: Vec<ReplayEntry>,
    /// Kinds of fault the plan passed in the replay, of `replay_kinds`.
    pub replay_passed: usize,
    pub replay_kinds: usize,
}

/// One kind of fault in the report's replay.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayEntry {
    pub kind: &'static str,
    /// This is the case's own fault.
    pub actual: bool,
    pub passed: bool,
    pub shipped: String,
    /// What stopped v2 first (`null`: nothing), when (game seconds), and the error budget
    /// spent by then; in time: before half the budget allowed and before an OOM kill.
    pub caught_by: Option<String>,
    pub at_s: Option<f64>,
    pub budget_pct: Option<f64>,
    pub in_time: Option<bool>,
    /// Error budget spent by the end of the run.
    pub budget_end_pct: f64,
}

/// The case in the report (the fault included: the report is written after the drill).
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioEntry {
    pub summary: String,
    pub servers: u32,
    pub base_rps: f64,
    pub peak_rps: f64,
    pub balancer: String,
    pub fault: String,
    pub fault_detail: String,
}

/// One rubric line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct MarkEntry {
    pub criterion: &'static str,
    pub points: u8,
    pub max: u8,
    pub result: &'static str,
    pub reason: String,
}

impl<'a> DrillReport<'a> {
    pub fn new(scenario: &Scenario, plan: &Plan, drilled: &'a Drilled) -> Self {
        let j = &drilled.judgement;
        Self {
            drill: "zerodown drill",
            seed: scenario.seed,
            scenario: ScenarioEntry {
                summary: scenario.summary(),
                servers: scenario.servers(),
                base_rps: scenario.baseline.rps,
                peak_rps: crate::report::round(scenario.baseline.peak_rps, 1),
                balancer: format!("{:?}", scenario.mission.fleet.balancer),
                fault: scenario.fault.kind.as_str().to_string(),
                fault_detail: scenario.fault.detail.clone(),
            },
            plan: plan.lines(),
            rubric: j
                .marks
                .iter()
                .map(|m| MarkEntry {
                    criterion: m.criterion.name(),
                    points: m.points,
                    max: rubric::MAX_POINTS,
                    result: m.word(),
                    reason: m.reason.clone(),
                })
                .collect(),
            plan_points: j.plan_points,
            plan_max: rubric::max_total(),
            passed: j.outcome.passed,
            shipped: j.outcome.shipped.describe(),
            verdict: j.verdict.as_str(),
            model_answer: j.model.lines(),
            model_why: j.model_why.clone(),
            run: &drilled.report,
            replay: j
                .replay
                .rows
                .iter()
                .map(|r| {
                    let first = r.first();
                    ReplayEntry {
                        kind: r.kind.as_str(),
                        actual: r.kind == scenario.fault.kind,
                        passed: r.outcome.passed,
                        shipped: r.outcome.shipped.describe(),
                        caught_by: first.map(|c| rubric::catcher_name(plan, c.by, c.served_live)),
                        at_s: first.map(replay::Catch::at_s),
                        budget_pct: first.map(|c| crate::report::round(c.budget_pct, 2)),
                        in_time: first.map(|c| c.in_time),
                        budget_end_pct: r.outcome.score.error_budget_used_pct,
                    }
                })
                .collect(),
            replay_passed: j.replay.passed(),
            replay_kinds: j.replay.rows.len(),
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
