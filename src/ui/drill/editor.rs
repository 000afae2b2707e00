//! The plan screen's form: what each kind of step asks (its fields), the values a field
//! offers (←/→ step through them), and the menu of steps to add. Pure data over `Plan`.

use crate::command::{Amount, GuardAction, Metric, Op};
use crate::drill::{FIX, NEW, Plan, Step, Strategy, Watch};
use crate::mission::CheckDepth;
use crate::time::Dur;

/// One field of a step: its label, its value in words, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub doc: &'static str,
}

/// The kinds of step the "add" menu offers, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Health,
    Watch,
    Rollout,
    Fallback,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Health, Kind::Watch, Kind::Rollout, Kind::Fallback];

    /// The menu line.
    pub fn label(self) -> String {
        match self {
            Kind::Health => "health checks: shallow or deep".to_string(),
            Kind::Watch => format!("watch a signal: a guard on {NEW} and what it does"),
            Kind::Rollout => "the rollout strategy and its parameters".to_string(),
            Kind::Fallback => format!("fallback: if {NEW} is stopped, ship {FIX} the same way"),
        }
    }

    /// A plan holds at most one of these (watches: as many as wanted).
    pub fn single(self) -> bool {
        self != Kind::Watch
    }

    pub fn of(step: &Step) -> Kind {
        match step {
            Step::Health(_) => Kind::Health,
            Step::Watch(_) => Kind::Watch,
            Step::Rollout(_) => Kind::Rollout,
            Step::Fallback => Kind::Fallback,
        }
    }

    /// A new step of this kind, with the first value of every field.
    pub fn new_step(self) -> Step {
        match self {
            Kind::Health => Step::Health(CheckDepth::Shallow),
            Kind::Watch => Step::Watch(Watch {
                metric: SIGNALS[0],
                op: Op::Gt,
                value: thresholds(SIGNALS[0])[0],
                for_: FOR[0],
                action: ACTIONS[0],
            }),
            Kind::Rollout => Step::Rollout(strategy_default(0)),
            Kind::Fallback => Step::Fallback,
        }
    }
}

/// The step `kind` already in the plan, if it is a single one.
pub fn existing(plan: &Plan, kind: Kind) -> Option<usize> {
    if !kind.single() {
        return None;
    }
    plan.steps.iter().position(|s| Kind::of(s) == kind)
}

const SIGNALS: [Metric; 4] = [Metric::ErrorRate, Metric::P99, Metric::Cpu, Metric::Mem];
const ACTIONS: [GuardAction; 3] = [
    GuardAction::Rollback,
    GuardAction::Abort,
    GuardAction::Pause,
];
const FOR: [Dur; 5] = [
    Dur::from_secs(0),
    Dur::from_secs(10),
    Dur::from_secs(30),
    Dur::from_secs(60),
    Dur::from_secs(120),
];

fn thresholds(m: Metric) -> &'static [f64] {
    match m {
        Metric::ErrorRate => &[1.0, 2.0, 5.0, 10.0, 25.0],
        Metric::P50 | Metric::P95 | Metric::P99 => &crate::drill::rubric::P99_CHOICES,
        Metric::Cpu => &[70.0, 80.0, 90.0, 95.0],
        Metric::Mem => &[50.0, 60.0, 70.0, 80.0, 90.0],
        Metric::SessionsLost => &[0.0],
    }
}

fn signal_name(m: Metric) -> &'static str {
    match m {
        Metric::ErrorRate => "error rate",
        Metric::P50 => "p50",
        Metric::P95 => "p95",
        Metric::P99 => "p99 latency",
        Metric::Cpu => "CPU",
        Metric::Mem => "memory",
        Metric::SessionsLost => "sessions lost",
    }
}

fn threshold_text(m: Metric, v: f64) -> String {
    match m.unit() {
        "ms" if v >= 1000.0 => format!("{}s", v / 1000.0),
        unit => format!("{v}{unit}"),
    }
}

const STRATEGIES: [&str; 5] = [
    "all at once",
    "rolling in place",
    "rolling with surge",
    "blue-green",
    "canary",
];

const BATCHES: [Amount; 6] = [
    Amount::Count(1),
    Amount::Count(2),
    Amount::Count(5),
    Amount::Percent(10),
    Amount::Percent(25),
    Amount::Percent(50),
];
const SURGES: [Amount; 5] = [
    Amount::Count(1),
    Amount::Percent(10),
    Amount::Percent(25),
    Amount::Percent(50),
    Amount::Percent(100),
];
const UNAVAILABLE: [Amount; 4] = [
    Amount::Count(0),
    Amount::Count(1),
    Amount::Percent(10),
    Amount::Percent(25),
];
const MIN_READY: [Dur; 4] = [
    Dur::from_secs(0),
    Dur::from_secs(10),
    Dur::from_secs(30),
    Dur::from_secs(60),
];
const SWITCH: [Option<Dur>; 5] = [
    None,
    Some(Dur::from_secs(30)),
    Some(Dur::from_secs(60)),
    Some(Dur::from_secs(120)),
    Some(Dur::from_secs(300)),
];
const CANARY_STEPS: [&[u32]; 6] = [
    &[1, 5, 25, 50, 100],
    &[5, 25, 50, 100],
    &[10, 50, 100],
    &[25, 50, 100],
    &[50, 100],
    &[100],
];
const INTERVALS: [Dur; 6] = [
    Dur::from_secs(15),
    Dur::from_secs(30),
    Dur::from_secs(60),
    Dur::from_secs(90),
    Dur::from_secs(120),
    Dur::from_secs(180),
];

fn strategy_index(s: &Strategy) -> usize {
    match s {
        Strategy::AllAtOnce => 0,
        Strategy::Rolling { .. } => 1,
        Strategy::Surge { .. } => 2,
        Strategy::BlueGreen { .. } => 3,
        Strategy::Canary { .. } => 4,
    }
}

fn strategy_default(i: usize) -> Strategy {
    match i {
        1 => Strategy::Rolling { batch: BATCHES[0] },
        2 => Strategy::Surge {
            surge: SURGES[0],
            unavailable: UNAVAILABLE[0],
            min_ready: MIN_READY[0],
        },
        3 => Strategy::BlueGreen {
            switch_after: SWITCH[0],
        },
        4 => Strategy::Canary {
            steps: CANARY_STEPS[0].to_vec(),
            interval: INTERVALS[0],
            analysis: true,
            limit: 0,
            initial_delay: Dur::default(),
        },
        _ => Strategy::AllAtOnce,
    }
}

fn amount(a: Amount) -> String {
    match a {
        Amount::Count(n) => format!("{n} server{}", if n == 1 { "" } else { "s" }),
        Amount::Percent(p) => format!("{p}%"),
    }
}

fn steps_text(steps: &[u32]) -> String {
    steps
        .iter()
        .map(|s| format!("{s}%"))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The fields of `step`, in Tab order.
pub fn fields(step: &Step) -> Vec<Field> {
    let f = |label, value: String, doc| Field { label, value, doc };
    match step {
        Step::Health(d) => vec![f(
            "depth",
            match d {
                CheckDepth::Shallow => "shallow".into(),
                CheckDepth::Deep => "deep".into(),
            },
            "shallow: the process answers · deep: it also reaches the database and has memory to spare",
        )],
        Step::Watch(w) => vec![
            f(
                "signal",
                signal_name(w.metric).into(),
                "what the guard watches, on the release's own servers only",
            ),
            f(
                "above",
                threshold_text(w.metric, w.value),
                "the line: the guard fires when the signal stays above it",
            ),
            f(
                "for",
                w.for_.to_string(),
                "how long the signal must stay above the line (0s: the first second)",
            ),
            f(
                "then",
                w.action.as_str().into(),
                "rollback: back to the old version · abort: stop (a canary's users go back) · pause: wait for you",
            ),
        ],
        Step::Rollout(s) => {
            let mut out = vec![f(
                "strategy",
                s.name().into(),
                "how the release reaches the fleet",
            )];
            match s {
                Strategy::AllAtOnce => {}
                Strategy::Rolling { batch } => out.push(f(
                    "batch",
                    amount(*batch),
                    "servers out of traffic at a time: drained, deployed, health-checked, back",
                )),
                Strategy::Surge {
                    surge,
                    unavailable,
                    min_ready,
                } => {
                    out.push(f("surge", amount(*surge), "extra new servers started beside the old ones"));
                    out.push(f(
                        "unavailable",
                        amount(*unavailable),
                        "old servers that may be missing at a time",
                    ));
                    out.push(f(
                        "min-ready",
                        min_ready.to_string(),
                        "how long a new server must stay healthy before it counts",
                    ));
                }
                Strategy::BlueGreen { switch_after } => out.push(f(
                    "switch",
                    switch_after.map_or("by hand".to_string(), |d| format!("after {d}")),
                    "when all traffic moves to green: by hand (`switch green` in play), or once green has been ready that long",
                )),
                Strategy::Canary {
                    steps,
                    interval,
                    analysis,
                    ..
                } => {
                    out.push(f("steps", steps_text(steps), "the canary's share of the users at each step"));
                    out.push(f(
                        "interval",
                        interval.to_string(),
                        "how long each step runs before the next",
                    ));
                    out.push(f(
                        "analysis",
                        if *analysis { "on" } else { "off" }.into(),
                        "at the end of each step, compare the canary with the old version and abort if it is worse",
                    ));
                }
            }
            out
        }
        Step::Fallback => vec![f(
            "then",
            format!("roll back, ship {FIX}"),
            "when a guard or the analysis stops the release, or it stalls",
        )],
    }
}

/// Index `i` of `n` moved one place back (`dir` < 0) or on, wrapping around.
fn turn(i: usize, n: usize, dir: i32) -> usize {
    let n = n.max(1);
    if dir < 0 {
        (i + n - 1) % n
    } else {
        (i + 1) % n
    }
}

/// The value after (or before) `x` in `list`; the first one's neighbour when `x` is absent.
fn cycle<T: PartialEq + Copy>(list: &[T], x: T, dir: i32) -> T {
    let i = list.iter().position(|v| *v == x).unwrap_or(0);
    list[turn(i, list.len(), dir)]
}

/// ←/→ on field `field` of `step`.
pub fn change(step: &mut Step, field: usize, dir: i32) {
    match step {
        Step::Health(d) => *d = cycle(&[CheckDepth::Shallow, CheckDepth::Deep], *d, dir),
        Step::Watch(w) => match field {
            0 => {
                w.metric = cycle(&SIGNALS, w.metric, dir);
                w.value = thresholds(w.metric)[1.min(thresholds(w.metric).len() - 1)];
            }
            1 => w.value = cycle(thresholds(w.metric), w.value, dir),
            2 => w.for_ = cycle(&FOR, w.for_, dir),
            _ => w.action = cycle(&ACTIONS, w.action, dir),
        },
        Step::Rollout(s) => {
            if field == 0 {
                *s = strategy_default(turn(strategy_index(s), STRATEGIES.len(), dir));
                return;
            }
            match s {
                Strategy::AllAtOnce => {}
                Strategy::Rolling { batch } => *batch = cycle(&BATCHES, *batch, dir),
                Strategy::Surge {
                    surge,
                    unavailable,
                    min_ready,
                } => match field {
                    1 => *surge = cycle(&SURGES, *surge, dir),
                    2 => *unavailable = cycle(&UNAVAILABLE, *unavailable, dir),
                    _ => *min_ready = cycle(&MIN_READY, *min_ready, dir),
                },
                Strategy::BlueGreen { switch_after } => {
                    *switch_after = cycle(&SWITCH, *switch_after, dir);
                }
                Strategy::Canary {
                    steps,
                    interval,
                    analysis,
                    ..
                } => match field {
                    1 => {
                        let i = CANARY_STEPS
                            .iter()
                            .position(|s| *s == steps.as_slice())
                            .unwrap_or(0);
                        *steps = CANARY_STEPS[turn(i, CANARY_STEPS.len(), dir)].to_vec();
                    }
                    2 => *interval = cycle(&INTERVALS, *interval, dir),
                    _ => *analysis = !*analysis,
                },
            }
        }
        Step::Fallback => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_cycles_and_comes_back() {
        for kind in Kind::ALL {
            let mut step = kind.new_step();
            for field in 0..fields(&step).len() {
                let before = step.clone();
                change(&mut step, field, 1);
                change(&mut step, field, -1);
                if field > 0 || kind != Kind::Watch {
                    assert_eq!(step, before, "{kind:?} field {field}");
                }
                step = before;
            }
        }
    }

    #[test]
    fn the_strategy_field_walks_every_strategy() {
        let mut step = Kind::Rollout.new_step();
        let mut names = Vec::new();
        for _ in 0..STRATEGIES.len() {
            if let Step::Rollout(s) = &step {
                names.push(s.name());
            }
            change(&mut step, 0, 1);
        }
        assert_eq!(names, STRATEGIES);
    }
}
