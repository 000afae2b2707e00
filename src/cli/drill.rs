//! `zerodown drill`: the interview drill, in the terminal or headless.
//!
//! - `zerodown drill [--seed N]` — the plan screen, the live run and the debrief;
//! - `zerodown drill --seed N --brief` — the case as the player is told it (no fault);
//! - `zerodown drill --seed N --plan FILE [--report OUT.json]` — runs a plan file and
//!   prints the case, the rubric, the outcome, the fault and the model answer; exit 0 when
//!   the drill passed (objectives met and a good build shipped), 1 when not, 2 on bad input.
//!
//! Without `--seed` a seed is drawn from the OS and printed (and shown on every screen), so
//! a pair can replay the same case.

use std::path::Path;
use std::process::ExitCode;

use rand::TryRngCore;
use rand::rngs::OsRng;

use super::{bad_input, write_atomic};
use crate::drill::{self, DrillReport, Drilled, Plan, Scenario, rubric};
use crate::ui::App;

/// Seeds drawn without `--seed` stay short enough to read out to a partner.
const SEED_RANGE: u64 = 1_000_000;

/// What `zerodown drill` was asked.
pub struct Args<'a> {
    pub seed: Option<u64>,
    pub plan: Option<&'a Path>,
    pub report: Option<&'a Path>,
    pub brief: bool,
    pub look: super::Look,
}

/// A seed from the operating system's entropy (never the clock).
fn random_seed() -> u64 {
    match OsRng.try_next_u64() {
        Ok(x) => x % SEED_RANGE,
        Err(e) => {
            eprintln!("warning: no OS entropy ({e}); using seed 1");
            1
        }
    }
}

pub fn run(args: &Args<'_>) -> ExitCode {
    let seed = args.seed.unwrap_or_else(random_seed);
    if args.report.is_some() && args.plan.is_none() {
        return bad_input("--report needs --plan FILE (the report is of a plan's run)");
    }
    if args.brief {
        let scenario = Scenario::generate(seed);
        say!("zerodown drill · seed {seed}");
        say!("");
        say!("{}", scenario.brief());
        say!("");
        say!("the same case again: zerodown drill --seed {seed}");
        return ExitCode::SUCCESS;
    }
    if let Some(path) = args.plan {
        return headless(seed, path, args.report);
    }
    play(seed, args.look)
}

fn load_plan(path: &Path) -> Result<Plan, String> {
    let name = path.display();
    let text = crate::textfile::read_text(path, crate::textfile::MAX_SOURCE_BYTES)
        .map_err(|e| format!("{name}: {e}"))?;
    Plan::parse(&text).map_err(|errors| {
        errors
            .iter()
            .map(|e| format!("{name}:{}:{}: {}", e.line, e.column, e.message))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn headless(seed: u64, path: &Path, out: Option<&Path>) -> ExitCode {
    let plan = match load_plan(path) {
        Ok(p) => p,
        Err(e) => return bad_input(&e),
    };
    let scenario = Scenario::generate(seed);
    let drilled = drill::run(&scenario, &plan);
    if let Some(out) = out {
        let json = DrillReport::new(&scenario, &plan, &drilled).to_json();
        if let Err(e) = write_atomic(out, &json) {
            return bad_input(&format!("{}: cannot write report: {e}", out.display()));
        }
    }
    print(&scenario, &plan, &drilled);
    if drilled.judgement.outcome.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print(scenario: &Scenario, plan: &Plan, drilled: &Drilled) {
    let j = &drilled.judgement;
    let o = &j.outcome;
    let s = &o.score;
    say!("zerodown drill · seed {}", scenario.seed);
    say!("{}", scenario.summary());
    say!("");
    say!("YOUR PLAN");
    for line in plan.lines() {
        say!("  {line}");
    }
    say!("");
    say!("RUBRIC  {}/{}", j.plan_points, rubric::max_total());
    for m in &j.marks {
        say!(
            "  {:<16} {}/{} {:<8} {}",
            m.criterion.name(),
            m.points,
            rubric::MAX_POINTS,
            m.word(),
            m.reason
        );
    }
    say!("");
    let opt = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.0}s"));
    say!(
        "OUTCOME  {} · {} · {} points",
        if o.passed { "PASSED" } else { "FAILED" },
        o.shipped.describe(),
        s.points
    );
    say!(
        "  downtime {}s · error budget used {:.1}% · users hit {:.2}% · detect {} · restore {} · sessions lost {}",
        s.downtime_s,
        s.error_budget_used_pct,
        s.users_affected_pct,
        opt(s.mttd_s),
        opt(s.mttr_s),
        s.sessions_lost
    );
    for (text, met) in &o.objectives {
        say!("  {} {text}", if *met { "✔" } else { "✖" });
    }
    say!(
        "  {} {}",
        if o.shipped.is_good() { "✔" } else { "✖" },
        o.shipped.describe()
    );
    say!("");
    say!("THE HIDDEN FAULT  {}", scenario.fault.detail);
    say!("");
    let replay = &j.replay;
    say!(
        "WHAT IF v2 HAD…  your plan replayed on this case: passed {} of {}",
        replay.passed(),
        replay.rows.len()
    );
    for row in &replay.rows {
        let caught = row.first().map_or_else(
            || "—".to_string(),
            |c| {
                format!(
                    "{} at {} with {:.0}% of the budget spent{}",
                    rubric::catcher_name(plan, c.by, c.served_live),
                    crate::time::clock(c.at_s()),
                    c.budget_pct,
                    if c.in_time { "" } else { " (too late)" }
                )
            },
        );
        let o = &row.outcome;
        say!(
            "  {} {:<17} {} · {} · downtime {}s · budget {:.0}%",
            if o.passed { "✔" } else { "✖" },
            row.kind.as_str(),
            caught,
            o.shipped.describe(),
            o.score.downtime_s,
            o.score.error_budget_used_pct
        );
    }
    say!("VERDICT  {}", j.verdict.as_str());
    say!("");
    say!("MODEL ANSWER");
    for line in j.model.lines() {
        say!("  {line}");
    }
    for why in &j.model_why {
        say!("  · {why}");
    }
    say!("");
    say!(
        "the same case again: zerodown drill --seed {}",
        scenario.seed
    );
}

/// The drill in the terminal. The save is attached as for the campaign (leaving a drill
/// goes to the missions), but a drill itself records nothing.
fn play(seed: u64, look: super::Look) -> ExitCode {
    let app = App::drill(super::settings(look, None), seed);
    super::run_app(super::with_saved_progress(app))
}
