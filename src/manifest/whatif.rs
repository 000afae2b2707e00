//! What a configuration would do under each fault the game knows, before it happens in
//! production: the imported play's first shipping release, run as a drill plan on a
//! drill's case (the fleet the config or the flags say) once per fault kind and seed.
//!
//! The runs are the drill's replay runs (`drill::replay::run_kind`): the same sim, the same
//! catch rules (a guard, the analysis, a stalled rollout), the same score. Nothing here
//! touches a terminal or a file.

use std::fmt::Write as _;

use serde::Serialize;

use super::import::Imported;
use super::play::How;
use crate::command::Metric;
use crate::drill::Strategy;
use crate::drill::plan::Plan;
use crate::drill::replay::{Catcher, Row, parallel, run_kind};
use crate::drill::scenario::{FaultKind, FleetSize, NEW, Scenario};
use crate::mission::CheckDepth;
use crate::time::{Dur, clock};

/// A fault a what-if plays: one of the drill's kinds, or errors that appear only after a
/// server has run a while (the fault a short canary misses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    Kind(FaultKind),
    Onset,
}

/// How long the late fault waits after a server starts on the release.
pub const LATE_ONSET: Dur = Dur::from_secs(300);
/// The most seeds a what-if plays.
pub const MAX_SEEDS: u32 = 50;

impl Fault {
    /// Every fault, in the order the table lists them.
    pub fn all() -> Vec<Fault> {
        FaultKind::ALL
            .iter()
            .map(|k| Fault::Kind(*k))
            .chain([Fault::Onset])
            .collect()
    }

    pub fn name(self) -> &'static str {
        match self {
            Fault::Kind(k) => k.as_str(),
            Fault::Onset => "late errors",
        }
    }

    /// The word `--fault` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Fault::Kind(FaultKind::None) => "none",
            Fault::Kind(FaultKind::Errors) => "errors",
            Fault::Kind(FaultKind::Latency) => "latency",
            Fault::Kind(FaultKind::Tail) => "tail",
            Fault::Kind(FaultKind::Cpu) => "cpu",
            Fault::Kind(FaultKind::Leak) => "leak",
            Fault::Kind(FaultKind::CrashLoop) => "crash",
            Fault::Kind(FaultKind::BrokenDbConfig) => "db",
            Fault::Onset => "onset",
        }
    }

    /// Reads `--fault` words.
    pub fn parse(word: &str) -> Result<Fault, String> {
        Fault::all()
            .into_iter()
            .find(|f| f.flag() == word.trim())
            .ok_or_else(|| {
                format!(
                    "unknown fault `{}`: expected {}",
                    crate::defuse::shown(word),
                    Fault::all()
                        .iter()
                        .map(|f| f.flag())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }

    /// The case of `scenario` with this fault in v2.
    fn case(self, scenario: &Scenario) -> Scenario {
        match self {
            Fault::Kind(k) => scenario.variant(k),
            Fault::Onset => {
                let mut s = scenario.variant(FaultKind::Errors);
                if let Some(v) = s.mission.versions.get_mut(NEW) {
                    v.onset_after = LATE_ONSET;
                }
                s.fault.onset = LATE_ONSET;
                s
            }
        }
    }
}

/// The fleet a what-if plays on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fleet {
    pub servers: u32,
    pub capacity_rps: f64,
    pub rps: Option<f64>,
}

/// One fault's runs, summed up over the seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaultRow {
    pub fault: String,
    pub runs: u32,
    /// Runs in which something stopped the release before the fault spent half the budget.
    pub caught: u32,
    /// What stopped it first, per run that was stopped: "analysis", "guard error_rate",
    /// "probe", "progress deadline", "nothing".
    pub by: String,
    /// Mean seconds from the release's start to the first catch, over caught runs.
    pub detect_s: Option<f64>,
    /// Mean share of users who saw an error, percent.
    pub users_hit_pct: f64,
    /// Mean error budget spent, percent (failed and slow requests).
    pub budget_pct: f64,
    /// Mean downtime, seconds.
    pub downtime_s: f64,
    /// The most servers running above the fleet's size in any run (the rollout's cost).
    pub peak_extra_servers: u32,
    /// Runs that ended with the release on every server.
    pub shipped: u32,
    /// In a sentence.
    pub verdict: String,
}

/// A what-if's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    pub format: String,
    pub release: String,
    pub strategy: String,
    pub servers: u32,
    pub capacity_rps: f64,
    pub seeds: Vec<u64>,
    pub rows: Vec<FaultRow>,
    /// Lines the config says that the game reads differently or not at all.
    pub notes: Vec<String>,
}

/// Plays `imported` against `faults` on `seeds`.
///
/// # Errors
/// The config ships nothing (a mirror only, or no rollout).
pub fn run(
    imported: &Imported,
    fleet: Fleet,
    faults: &[Fault],
    seeds: &[u64],
) -> Result<WhatIf, String> {
    let play = &imported.play;
    let Some(plan) = play.plan() else {
        return Err(
            "the config ships nothing: a what-if needs a rollout (a mirror alone never ships)"
                .into(),
        );
    };
    let release = play
        .shipping()
        .map(|r| r.version.clone())
        .unwrap_or_default();
    let strategy = play
        .shipping()
        .map(|r| super::export::describe(&r.how))
        .unwrap_or_default();
    let mut notes: Vec<String> = imported
        .notes
        .iter()
        .map(|n| {
            if n.line == 0 {
                n.text.clone()
            } else {
                format!("line {}: {}", n.line, n.text)
            }
        })
        .collect();
    if play
        .releases
        .iter()
        .filter(|r| matches!(r.how, How::Ship(_)))
        .count()
        > 1
    {
        notes.push("the file holds several releases: the what-if plays the first one".into());
    }
    let size = FleetSize {
        servers: fleet.servers,
        capacity_rps: fleet.capacity_rps,
        rps: fleet.rps,
    };
    let cases: Vec<Scenario> = seeds
        .iter()
        .map(|s| {
            let mut sc = Scenario::with_fleet(*s, Some(size));
            play.setup.apply_to(&mut sc.mission);
            sc.mission.fleet.servers = fleet.servers;
            sc
        })
        .collect();
    let jobs: Vec<(usize, Fault, &Scenario)> = faults
        .iter()
        .enumerate()
        .flat_map(|(i, f)| cases.iter().map(move |c| (i, *f, c)))
        .collect();
    let results = parallel(&jobs, |(i, f, c)| (*i, run_kind(&f.case(c), &plan)));
    let rows = faults
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let runs: Vec<&Row> = results
                .iter()
                .filter(|(k, _)| *k == i)
                .map(|(_, r)| r)
                .collect();
            summarise(*f, &runs, &plan)
        })
        .collect();
    Ok(WhatIf {
        format: imported.format.name().to_string(),
        release,
        strategy,
        servers: fleet.servers,
        capacity_rps: fleet.capacity_rps,
        seeds: seeds.to_vec(),
        rows,
        notes,
    })
}

/// What a catcher is called in the table.
fn catcher_name(by: Catcher, plan: &Plan) -> String {
    match by {
        Catcher::Analysis => "analysis".into(),
        Catcher::Stall => "progress deadline".into(),
        Catcher::Guard(i) => plan
            .watches()
            .nth(i)
            .map_or_else(|| "guard".into(), |w| format!("guard {}", w.label())),
    }
}

fn summarise(fault: Fault, runs: &[&Row], plan: &Plan) -> FaultRow {
    let n = runs.len().max(1) as f64;
    let healthy = fault == Fault::Kind(FaultKind::None);
    let mut by: Vec<String> = Vec::new();
    let mut detect = Vec::new();
    let mut caught = 0;
    for r in runs {
        match r.first() {
            // Kept out of traffic by the probes: the stall only reports it.
            Some(c) if c.by == Catcher::Stall && r.kept_out_by_checks() && !healthy => {
                by.push("probe".into());
                caught += 1;
                detect.push(c.at_s());
            }
            Some(c) => {
                by.push(catcher_name(c.by, plan));
                if c.in_time {
                    caught += 1;
                }
                detect.push(c.at_s());
            }
            None if r.kept_out_by_checks() && !healthy => {
                by.push("probe".into());
                caught += 1;
            }
            None => by.push("nothing".into()),
        }
    }
    by.sort();
    let mut counted: Vec<(String, usize)> = Vec::new();
    for b in by {
        match counted.iter_mut().find(|(x, _)| *x == b) {
            Some((_, k)) => *k += 1,
            None => counted.push((b, 1)),
        }
    }
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let by_text = counted
        .iter()
        .map(|(b, k)| {
            if *k == runs.len() {
                b.clone()
            } else {
                format!("{b} ×{k}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mean = |f: &dyn Fn(&Row) -> f64| runs.iter().map(|r| f(r)).sum::<f64>() / n;
    let shipped = runs
        .iter()
        .filter(|r| r.v2_shipped.is_some() && r.v2_left > 0)
        .count() as u32;
    let row = FaultRow {
        fault: fault.name().to_string(),
        runs: runs.len() as u32,
        caught: if healthy { 0 } else { caught },
        by: by_text,
        detect_s: (!detect.is_empty()).then(|| detect.iter().sum::<f64>() / detect.len() as f64),
        users_hit_pct: crate::num::round(mean(&|r| r.outcome.score.users_affected_pct), 1),
        budget_pct: crate::num::round(mean(&|r| r.outcome.score.error_budget_used_pct), 1),
        downtime_s: crate::num::round(mean(&|r| r.outcome.score.downtime_s as f64), 1),
        peak_extra_servers: runs.iter().map(|r| r.peak_extra).max().unwrap_or(0),
        shipped,
        verdict: String::new(),
    };
    let verdict = verdict(fault, &row, runs, plan);
    FaultRow { verdict, ..row }
}

/// One line on what happened, and why when it went wrong.
fn verdict(fault: Fault, row: &FaultRow, runs: &[&Row], plan: &Plan) -> String {
    let n = row.runs;
    let strategy = plan.strategy();
    if fault == Fault::Kind(FaultKind::None) {
        let noisy = runs
            .iter()
            .filter(|r| r.first().is_some_and(|c| c.by != Catcher::Stall))
            .count();
        return if noisy > 0 {
            format!(
                "a healthy release was stopped in {noisy} of {n} runs ({}): the checks fire on noise",
                row.by
            )
        } else if row.downtime_s > 0.0 || row.budget_pct > 50.0 {
            let cause = match strategy {
                Some(Strategy::AllAtOnce) => {
                    "every server stops at once (Recreate): nobody serves while the new ones start"
                        .to_string()
                }
                Some(
                    Strategy::Rolling { batch }
                    | Strategy::Surge {
                        unavailable: batch, ..
                    },
                ) => format!(
                    "{} servers out of traffic at a time overload the rest",
                    super::play::amount_text(*batch)
                ),
                _ => "the rollout itself hurts users".to_string(),
            };
            format!(
                "even a healthy release costs {:.0}s of downtime and {:.1}% of users hit: {cause}",
                row.downtime_s, row.users_hit_pct
            )
        } else if row.shipped == n {
            "ships a healthy release, nothing fired".into()
        } else if let Some(Strategy::BlueGreen { switch_after: None }) = strategy {
            "green waits for a person to promote it: a healthy release never ships by itself".into()
        } else {
            format!(
                "a healthy release shipped in {} of {n} runs: it did not finish in the drill's 15 minutes",
                row.shipped
            )
        };
    }
    if row.caught == n && row.by == "probe" {
        let when = row.detect_s.map_or_else(String::new, |d| {
            format!(" (the progress deadline reported it after {})", clock(d))
        });
        return format!(
            "kept out of traffic by the readiness probe in every run{when}; users hit {:.1}%",
            row.users_hit_pct
        );
    }
    if row.caught == n {
        let when = row
            .detect_s
            .map_or_else(String::new, |d| format!(" after {} on average", clock(d)));
        return format!(
            "caught in every run by {}{when}; users hit {:.1}%",
            row.by, row.users_hit_pct
        );
    }
    let late = runs
        .iter()
        .filter(|r| {
            r.first()
                .is_some_and(|c| !c.in_time && c.by != Catcher::Stall)
        })
        .count() as u32;
    let reach = if row.shipped > 0 {
        format!("reaches 100% of traffic in {} of {n} runs", row.shipped)
    } else if late > 0 {
        format!("stopped only after half the error budget was gone in {late} of {n} runs")
    } else {
        format!("not stopped in time in {} of {n} runs", n - row.caught)
    };
    format!("{reach}: {}", why(fault, plan))
}

/// The metrics that show a fault's symptom, and the symptom in words.
fn symptom(fault: Fault) -> (&'static [Metric], &'static str) {
    match fault {
        Fault::Kind(FaultKind::Errors | FaultKind::BrokenDbConfig) | Fault::Onset => {
            (&[Metric::ErrorRate], "errors")
        }
        Fault::Kind(FaultKind::Latency) => (&[Metric::P50, Metric::P95, Metric::P99], "latency"),
        Fault::Kind(FaultKind::Tail) => (&[Metric::P95, Metric::P99], "the slow tail (p95/p99)"),
        Fault::Kind(FaultKind::Cpu) => (
            &[Metric::Cpu, Metric::P95, Metric::P99, Metric::ErrorRate],
            "CPU or what saturation does (latency, then errors)",
        ),
        Fault::Kind(FaultKind::Leak) => (&[Metric::Mem], "memory"),
        Fault::Kind(FaultKind::None | FaultKind::CrashLoop) => (&[], "readiness"),
    }
}

/// Why a fault got through, in the config's terms.
fn why(fault: Fault, plan: &Plan) -> String {
    let strategy = plan.strategy();
    let analysis = matches!(strategy, Some(Strategy::Canary { analysis: true, .. }));
    if fault == Fault::Kind(FaultKind::BrokenDbConfig) && plan.health() == CheckDepth::Shallow {
        return "a shallow readiness probe passes a server that cannot reach its database: probe a path that touches it".into();
    }
    let (metrics, what) = symptom(fault);
    let watching: Vec<&crate::drill::plan::Watch> = plan
        .watches()
        .filter(|w| metrics.contains(&w.metric))
        .collect();
    if watching.is_empty() && !analysis {
        return match fault {
            Fault::Kind(FaultKind::Leak) => {
                "nothing watches memory: the leak is found by OOM kills after it shipped".into()
            }
            _ if plan.watches().next().is_none() => {
                "no analysis or alarm watches the release: it reaches every server".into()
            }
            _ => format!("no analysis, and no check watches {what}"),
        };
    }
    if let Some(Strategy::Canary {
        steps, interval, ..
    }) = strategy
    {
        let below = steps.iter().filter(|w| **w < 100).count() as u64;
        let whole = Dur::from_millis(interval.millis() * below);
        if fault == Fault::Onset && LATE_ONSET >= whole {
            return format!(
                "the errors start {LATE_ONSET} after a server starts, and the canary's steps take {whole}: it is promoted before they show"
            );
        }
        let shortest = watching.iter().map(|w| w.for_).min();
        if let Some(d) = shortest {
            if d > whole {
                return format!(
                    "the check on {what} needs {d} of bad readings (failureLimit × interval) and the whole canary takes {whole}: it is promoted first"
                );
            }
            if d > *interval {
                return format!(
                    "the check on {what} needs {d} of bad readings, longer than a step ({interval}): the weight rises before it can fail"
                );
            }
        }
    }
    match watching.iter().map(|w| w.for_).min() {
        Some(d) if d >= Dur::from_secs(60) => {
            format!(
                "the check on {what} needs {d} of bad readings: half the error budget is gone first"
            )
        }
        Some(_) => format!(
            "the line on {what} is not crossed soon enough: set it from the dashboards' normal values"
        ),
        None => format!("the analysis does not see {what} in time"),
    }
}

/// Error budget spent, as the table shows it: a share, or a multiple past the whole of it.
fn budget(pct: f64) -> String {
    if pct > 100.0 {
        format!("{:.0}× all", pct / 100.0)
    } else {
        format!("{pct:.1}%")
    }
}

/// How `format` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Table,
    Json,
    Md,
}

impl WhatIf {
    /// The result as `out`.
    pub fn render(&self, out: Output) -> String {
        match out {
            Output::Json => {
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
            Output::Table => self.table(false),
            Output::Md => self.table(true),
        }
    }

    fn table(&self, md: bool) -> String {
        let mut s = String::new();
        let seeds = match self.seeds.as_slice() {
            [one] => format!("seed {one}"),
            list => format!(
                "{} seeds ({}…{})",
                list.len(),
                list.first().copied().unwrap_or(0),
                list.last().copied().unwrap_or(0)
            ),
        };
        let head = format!(
            "What if {} ({}, {}) met each fault: {} servers × {:.0} req/s, {seeds}.",
            self.release, self.format, self.strategy, self.servers, self.capacity_rps
        );
        if md {
            let _ = writeln!(s, "**{head}**\n");
            s.push_str("| fault | caught | by | detect | users hit | budget | downtime | extra servers | shipped |\n");
            s.push_str("|---|---|---|---|---|---|---|---|---|\n");
        } else {
            let _ = writeln!(s, "{head}\n");
        }
        let headers = [
            "fault",
            "caught",
            "by",
            "detect",
            "users hit",
            "budget",
            "downtime",
            "extra servers",
            "shipped",
        ];
        let cells: Vec<[String; 9]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.fault.clone(),
                    if r.fault == FaultKind::None.as_str() {
                        "-".into()
                    } else {
                        format!("{}/{}", r.caught, r.runs)
                    },
                    r.by.clone(),
                    r.detect_s.map_or_else(|| "-".into(), clock),
                    format!("{:.1}%", r.users_hit_pct),
                    budget(r.budget_pct),
                    format!("{:.0}s", r.downtime_s),
                    r.peak_extra_servers.to_string(),
                    format!("{}/{}", r.shipped, r.runs),
                ]
            })
            .collect();
        if md {
            for c in &cells {
                let _ = writeln!(s, "| {} |", c.join(" | "));
            }
        } else {
            let mut w = headers.map(str::len);
            for c in &cells {
                for (k, x) in c.iter().enumerate() {
                    w[k] = w[k].max(x.chars().count());
                }
            }
            let line = |c: &[String]| {
                c.iter()
                    .enumerate()
                    .map(|(k, x)| format!("{x:<width$}", width = w[k]))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            let _ = writeln!(s, "{}", line(&headers.map(String::from)));
            for c in &cells {
                let _ = writeln!(s, "{}", line(c));
            }
        }
        s.push('\n');
        for r in &self.rows {
            let _ = writeln!(
                s,
                "{}{}: {}",
                if md { "- " } else { "• " },
                r.fault,
                r.verdict
            );
        }
        if !self.notes.is_empty() {
            let _ = writeln!(
                s,
                "\n{}",
                if md {
                    "**Read differently or not at all:**\n"
                } else {
                    "Read differently or not at all:"
                }
            );
            for n in &self.notes {
                let _ = writeln!(s, "{}{n}", if md { "- " } else { "  " });
            }
        }
        s
    }
}

/// `play` on `mission` with `seed`: its releases (health checks, affinity, guards and
/// strategy) applied at the times they were, and nothing done by hand. The round trip of a
/// reference solution: export, import, then this.
pub fn on_mission(
    play: &super::Play,
    mission: &crate::mission::Mission,
    id: &str,
    seed: u64,
) -> crate::report::Report {
    let mut run = crate::runner::Run::new(mission, seed);
    for (tick, command) in play.commands(mission) {
        while run.sim.tick() < tick && run.step() {}
        run.command(&command);
    }
    run.finish(id, seed)
}
