//! The interview drill: "how would you deploy an update to N servers safely?"
//!
//! A seed draws a case (`scenario`): a fleet of 50–200 servers, a traffic shape, a balancer,
//! and a release v2 with a hidden fault, or none. The player writes a plan (`plan`): health
//! checks, the signals to watch and what to do when one crosses its line, a strategy, and a
//! fallback to the fixed build v3. The plan runs on the simulation (its automation in
//! `pilot`), and the debrief (`rubric`) scores the plan against the interview rubric and the
//! run's outcome, reveals the fault and shows a model answer written for the case.
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
pub mod rubric;
pub mod scenario;

pub use pilot::Pilot;
pub use plan::{Plan, PlanError, Step, Strategy, Watch};
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
    pub marks: Vec<Mark>,
    pub plan_points: u8,
    pub outcome: Outcome,
    pub verdict: Verdict,
    pub model: Plan,
    pub model_why: Vec<String>,
}

impl Judgement {
    /// Judges `plan` and the finished `sim` for `scenario`.
    pub fn new(scenario: &Scenario, plan: &Plan, sim: &Sim) -> Self {
        let marks = rubric::mark(plan, scenario);
        let plan_points = rubric::total(&marks);
        let outcome = Outcome::judge(sim, scenario);
        let verdict = Verdict::of(plan_points, &outcome);
        let (model, model_why) = rubric::model_answer(scenario);
        Self {
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

/// Plays `plan` on `scenario` to the end without a terminal.
pub fn run(scenario: &Scenario, plan: &Plan) -> Drilled {
    let mission = mission_for(scenario, plan);
    let mut run = Run::new(&mission, scenario.seed);
    let mut pilot = Pilot::new(plan);
    for cmd in pilot.start() {
        run.command(&cmd);
    }
    while run.step() {
        pilot.poll(&mut run.sim);
    }
    let judgement = Judgement::new(scenario, plan, &run.sim);
    let report = run.finish(DRILL_ID, scenario.seed);
    Drilled { judgement, report }
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
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
