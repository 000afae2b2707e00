//! The player's plan: an ordered list of steps (health checks, the signals to watch and what
//! to do when one crosses its line, the rollout strategy, and the way forward if the release
//! has to go back), and its text form.
//!
//! A plan compiles to lines of the command language, applied at the start (no `wait` lines:
//! the strategy steps by itself). Two steps are not commands, and the text form writes them
//! as lines of their own:
//! - `health shallow|deep` — the fleet's health-check depth (`fleet.health.depth`), set on
//!   the mission before the sim starts (there is no command for it);
//! - `switch green after <duration>` — blue-green: switch once green has been ready that
//!   long (without it, the player switches by hand in play: `switch green`);
//! - `fallback v3` — if v2 is stopped (a guard, the analysis, a stall), roll back what is
//!   left and ship v3 the same way, with the same guards.
//!
//! `Plan::parse(plan.to_text())` gives the plan back; a plan file is that text, `#` comments
//! and blank lines allowed, and every problem is reported with its line and column.

use std::fmt;

mod parse;

use super::scenario::{FIX, NEW};
use crate::command::{
    Amount, CanarySpec, Command, GuardAction, GuardSpec, Metric, Op, RollingMode, Target, Targets,
};
use crate::mission::{CheckDepth, Mission};
use crate::time::Dur;

/// How the release goes out.
#[derive(Debug, Clone, PartialEq)]
pub enum Strategy {
    /// `deploy v2 all`: every server at once.
    AllAtOnce,
    /// `rolling v2 batch=N` / `max-unavailable=P%`: in place, a batch at a time.
    Rolling { batch: Amount },
    /// `rolling v2 surge=… unavailable=… [min-ready=…]`: new servers beside the old.
    Surge {
        surge: Amount,
        unavailable: Amount,
        min_ready: Dur,
    },
    /// `bluegreen v2`, and `switch green after …` when the plan switches by itself.
    BlueGreen { switch_after: Option<Dur> },
    /// `canary v2 steps=… interval=… [analysis=off] [limit=N] [initial-delay=D]`.
    Canary {
        steps: Vec<u32>,
        interval: Dur,
        analysis: bool,
        limit: u32,
        initial_delay: Dur,
    },
}

impl Strategy {
    /// Its name, as the plan screen and the rubric say it.
    pub fn name(&self) -> &'static str {
        match self {
            Strategy::AllAtOnce => "all at once",
            Strategy::Rolling { .. } => "rolling in place",
            Strategy::Surge { .. } => "rolling with surge",
            Strategy::BlueGreen { .. } => "blue-green",
            Strategy::Canary { .. } => "canary",
        }
    }

    /// The command that starts it for `version`.
    pub fn command(&self, version: &str) -> Command {
        let version = version.to_string();
        match self {
            Strategy::AllAtOnce => Command::Deploy {
                version,
                targets: Targets(vec![Target::All]),
            },
            Strategy::Rolling { batch } => Command::Rolling {
                version,
                mode: RollingMode::InPlace { batch: *batch },
            },
            Strategy::Surge {
                surge,
                unavailable,
                min_ready,
            } => Command::Rolling {
                version,
                mode: RollingMode::Surge {
                    surge: *surge,
                    unavailable: *unavailable,
                    min_ready: *min_ready,
                },
            },
            Strategy::BlueGreen { .. } => Command::BlueGreen { version },
            Strategy::Canary {
                steps,
                interval,
                analysis,
                limit,
                initial_delay,
            } => Command::Canary(CanarySpec {
                version,
                steps: steps.clone(),
                interval: *interval,
                analysis: *analysis,
                limit: *limit,
                initial_delay: *initial_delay,
            }),
        }
    }
}

/// A signal to watch on the new version, and what to do when it crosses the line: a guard
/// scoped to the version being released.
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    pub metric: Metric,
    pub op: Op,
    /// In the metric's unit: percent for error rate, CPU and memory, ms for latencies.
    pub value: f64,
    /// How long the condition must hold.
    pub for_: Dur,
    /// The rollback trigger: what the guard does.
    pub action: GuardAction,
}

impl Watch {
    /// The condition, as a guard writes it without the version: `error_rate>2% for 10s`.
    pub fn label(&self) -> String {
        crate::command::Watch {
            metric: self.metric,
            op: self.op,
            value: self.value,
            for_: self.for_,
            version: None,
        }
        .to_string()
    }

    /// The guard command on `version`.
    pub fn command(&self, version: &str) -> Command {
        Command::Guard(GuardSpec {
            metric: self.metric,
            op: self.op,
            value: self.value,
            for_: self.for_,
            version: Some(version.to_string()),
            action: self.action,
        })
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Health(CheckDepth),
    Watch(Watch),
    Rollout(Strategy),
    Fallback,
}

/// A plan: its steps in the player's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
}

/// A problem in a plan file: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct PlanError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Plan {
    /// The rollout strategy, if the plan has one.
    pub fn strategy(&self) -> Option<&Strategy> {
        self.steps.iter().find_map(|s| match s {
            Step::Rollout(r) => Some(r),
            _ => None,
        })
    }

    /// The health-check depth (shallow unless a step says deep).
    pub fn health(&self) -> CheckDepth {
        self.steps
            .iter()
            .find_map(|s| match s {
                Step::Health(d) => Some(*d),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The signals watched, in order.
    pub fn watches(&self) -> impl Iterator<Item = &Watch> {
        self.steps.iter().filter_map(|s| match s {
            Step::Watch(w) => Some(w),
            _ => None,
        })
    }

    /// Whether the plan ships v3 when v2 is stopped.
    pub fn has_fallback(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Fallback))
    }

    /// Whether a guard is set before the rollout starts (in the plan's order).
    pub fn guards_first(&self) -> bool {
        let rollout = self
            .steps
            .iter()
            .position(|s| matches!(s, Step::Rollout(_)));
        let first_guard = self.steps.iter().position(|s| matches!(s, Step::Watch(_)));
        match (first_guard, rollout) {
            (Some(g), Some(r)) => g < r,
            _ => false,
        }
    }

    /// The commands that release `version` the plan's way, in the plan's order: each
    /// watch as a guard on `version`, and the strategy.
    pub fn commands(&self, version: &str) -> Vec<Command> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Watch(w) => Some(w.command(version)),
                Step::Rollout(r) => Some(r.command(version)),
                Step::Health(_) | Step::Fallback => None,
            })
            .collect()
    }

    /// Sets what the plan decides before the start: the health checks' depth, and a
    /// progress deadline longer than a canary step (so a slow step is not a stall).
    pub fn apply_to(&self, mission: &mut Mission) {
        mission.fleet.health.depth = self.health();
        // The case's own deadline (the drill's, or what an imported config says).
        let mut deadline = mission.fleet.progress_deadline;
        if let Some(Strategy::Canary { interval, .. }) = self.strategy() {
            deadline = deadline.max(Dur::from_millis(interval.millis() + 60_000));
        }
        mission.fleet.progress_deadline = deadline;
    }

    /// The plan's lines, as a plan file says them.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for step in &self.steps {
            match step {
                Step::Health(CheckDepth::Shallow) => out.push("health shallow".to_string()),
                Step::Health(CheckDepth::Deep) => out.push("health deep".to_string()),
                Step::Watch(w) => out.push(w.command(NEW).to_string()),
                Step::Rollout(r) => {
                    out.push(r.command(NEW).to_string());
                    if let Strategy::BlueGreen {
                        switch_after: Some(d),
                    } = r
                    {
                        out.push(format!("switch green after {d}"));
                    }
                }
                Step::Fallback => out.push(format!("fallback {FIX}")),
            }
        }
        out
    }

    /// The plan file's text.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for line in self.lines() {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    /// Reads a plan file, reporting every problem at once.
    pub fn parse(text: &str) -> Result<Plan, Vec<PlanError>> {
        parse::parse(text)
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_plan_round_trips() {
        let text = "health deep\n\
                    guard error_rate>2% for 10s version=v2 -> rollback\n\
                    bluegreen v2\n\
                    switch green after 1m\n\
                    fallback v3\n";
        let plan = Plan::parse(text).expect("parses");
        assert_eq!(plan.to_text(), text);
        assert_eq!(plan.health(), CheckDepth::Deep);
        assert_eq!(
            plan.strategy(),
            Some(&Strategy::BlueGreen {
                switch_after: Some(Dur::from_secs(60))
            })
        );
        assert!(plan.has_fallback() && plan.guards_first());
    }

    #[test]
    fn guards_without_a_version_watch_the_release() {
        let plan = Plan::parse("guard p99>500ms for 30s -> abort\ndeploy v2 all\n").expect("ok");
        assert_eq!(
            plan.lines()[0],
            "guard p99>500ms for 30s version=v2 -> abort"
        );
        let cmds: Vec<String> = plan
            .commands("v3")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            cmds,
            [
                "guard p99>500ms for 30s version=v3 -> abort",
                "deploy v3 all"
            ]
        );
    }

    #[test]
    fn problems_have_lines_and_columns() {
        let text = "health medium\n\
                    canary v3 steps=5,100\n\
                    drain web-01\n\
                    rolling v2 batch=2\n\
                    deplyo v2 all\n\
                    guard mem>50% version=v1 -> rollback\n\
                    rolling v2 batch=3\n";
        let errors = Plan::parse(text).expect_err("bad plan");
        let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(got.len(), 6, "{got:#?}");
        assert!(
            got[0].starts_with("1:8: expected shallow or deep"),
            "{}",
            got[0]
        );
        assert!(
            got[1].starts_with("2:8: the plan releases v2"),
            "{}",
            got[1]
        );
        assert!(
            got[2].starts_with("3:1: `drain` is not a plan step"),
            "{}",
            got[2]
        );
        assert!(got[3].starts_with("5:1: unknown command `deplyo`; did you mean `deploy`?"));
        assert!(
            got[4].starts_with("6:15: a plan's guards watch"),
            "{}",
            got[4]
        );
        assert!(
            got[5].starts_with("7:1: a plan has one strategy"),
            "{}",
            got[5]
        );
    }

    #[test]
    fn a_plan_needs_a_strategy() {
        let errors = Plan::parse("health deep\n").expect_err("no strategy");
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].message.contains("no strategy"));
        let errors = Plan::parse("switch green after 1m\ncanary v2 steps=5,100\n").expect_err("");
        assert_eq!((errors[0].line, errors[0].column), (1, 1));
    }
}
