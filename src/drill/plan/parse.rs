//! The plan file's reader: each line a step (`health`, `fallback`, `switch green after`,
//! or a command of the language), every problem collected with its line and column, then
//! the whole-plan checks (one strategy, a switch only with blue-green).

use super::{Plan, PlanError, Step, Strategy, Watch};
use crate::command::{Command, Metric, RollingMode, Target, Targets, parse_command};
use crate::drill::scenario::{FIX, NEW};
use crate::mission::CheckDepth;
use crate::time::Dur;

/// What a plan may contain, for messages.
const STEPS: &str = "a plan has `health shallow|deep`, one strategy (`deploy v2 all`, `rolling`, `bluegreen`, `canary`), `guard` lines, `switch green after <duration>` and `fallback v3`";

/// Reads a plan file, reporting every problem at once.
pub(super) fn parse(text: &str) -> Result<Plan, Vec<PlanError>> {
    let mut reader = Reader::default();
    let mut last = 0;
    for (i, raw) in text.lines().enumerate() {
        last = i + 1;
        let code = raw.split_once('#').map_or(raw, |(code, _)| code);
        if code.trim().is_empty() {
            continue;
        }
        if let Err(e) = reader.line(i + 1, code) {
            reader.errors.push(e);
        }
    }
    reader.finish(last + 1)
}

/// Words of a line with their 1-based char columns.
fn words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut col = 0;
    for (byte, ch) in line.char_indices() {
        col += 1;
        if ch.is_whitespace() {
            if let Some((c, b)) = start.take() {
                out.push((c, &line[b..byte]));
            }
        } else if start.is_none() {
            start = Some((col, byte));
        }
    }
    if let Some((c, b)) = start {
        out.push((c, &line[b..]));
    }
    out
}

/// Parse state: the steps so far, where the singular ones were, the errors.
#[derive(Default)]
struct Reader {
    plan: Plan,
    errors: Vec<PlanError>,
    health_line: Option<usize>,
    strategy_line: Option<usize>,
    fallback_line: Option<usize>,
    switch: Option<(usize, Dur)>,
}

fn err(line: usize, column: usize, message: impl Into<String>) -> PlanError {
    PlanError {
        line,
        column,
        message: message.into(),
    }
}

impl Reader {
    fn line(&mut self, n: usize, code: &str) -> Result<(), PlanError> {
        let w = words(code);
        let Some(&(col, first)) = w.first() else {
            return Ok(());
        };
        let end = code.chars().count() + 1;
        let extra = |i: usize| -> Result<(), PlanError> {
            match w.get(i) {
                Some(&(c, t)) => Err(err(n, c, format!("too many arguments: unexpected `{t}`"))),
                None => Ok(()),
            }
        };
        match first {
            "health" => {
                let depth = match w.get(1) {
                    Some((_, "shallow")) => CheckDepth::Shallow,
                    Some((_, "deep")) => CheckDepth::Deep,
                    Some(&(c, t)) => {
                        return Err(err(n, c, format!("expected shallow or deep, found `{t}`")));
                    }
                    None => return Err(err(n, end, "expected shallow or deep after `health`")),
                };
                extra(2)?;
                if let Some(before) = self.health_line {
                    return Err(err(
                        n,
                        col,
                        format!("health checks are already set on line {before}: keep one"),
                    ));
                }
                self.health_line = Some(n);
                self.plan.steps.push(Step::Health(depth));
            }
            "fallback" => {
                match w.get(1) {
                    Some((_, v)) if *v == FIX => {}
                    Some(&(c, t)) => {
                        return Err(err(
                            n,
                            c,
                            format!("the fallback is the team's next build {FIX}, found `{t}`"),
                        ));
                    }
                    None => return Err(err(n, end, format!("expected `{FIX}` after `fallback`"))),
                }
                extra(2)?;
                if let Some(before) = self.fallback_line {
                    return Err(err(
                        n,
                        col,
                        format!("the fallback is already on line {before}: keep one"),
                    ));
                }
                self.fallback_line = Some(n);
                self.plan.steps.push(Step::Fallback);
            }
            "switch" => {
                let usage =
                    "expected `switch green after <duration>` (e.g. switch green after 60s)";
                match (w.get(1), w.get(2), w.get(3)) {
                    (Some((_, "green")), Some((_, "after")), Some(&(c, d))) => {
                        extra(4)?;
                        let d: Dur = d.parse().map_err(|e| err(n, c, format!("{e}")))?;
                        if let Some((before, _)) = self.switch {
                            return Err(err(
                                n,
                                col,
                                format!("the switch is already on line {before}: keep one"),
                            ));
                        }
                        self.switch = Some((n, d));
                    }
                    (Some((_, "green")), Some((_, "after")), None) => {
                        return Err(err(n, end, usage));
                    }
                    (Some((_, "green")), Some(&(c, _)), _) | (Some(&(c, _)), _, _) => {
                        return Err(err(n, c, usage));
                    }
                    (None, _, _) => return Err(err(n, end, usage)),
                }
            }
            _ => self.command(n, code, &w)?,
        }
        Ok(())
    }

    fn command(&mut self, n: usize, code: &str, w: &[(usize, &str)]) -> Result<(), PlanError> {
        let command = parse_command(code).map_err(|e| {
            let message = match e.suggestion {
                Some(s) => format!("{}; did you mean `{s}`?", e.message),
                None => e.message,
            };
            err(n, e.column + 1, message)
        })?;
        let version_col = w.get(1).map_or(1, |(c, _)| *c);
        let check_version = |v: &str| {
            if v == NEW {
                Ok(())
            } else {
                Err(err(
                    n,
                    version_col,
                    format!(
                        "the plan releases {NEW}, found `{v}` ({FIX} goes out only as the fallback: `fallback {FIX}`)"
                    ),
                ))
            }
        };
        let strategy = match command {
            Command::Deploy { version, targets } => {
                check_version(&version)?;
                if targets != Targets(vec![Target::All]) {
                    let c = w.get(2).map_or(1, |(c, _)| *c);
                    return Err(err(
                        n,
                        c,
                        format!(
                            "a plan deploys to every server at once (`deploy {NEW} all`) or uses a strategy (rolling, bluegreen, canary)"
                        ),
                    ));
                }
                Strategy::AllAtOnce
            }
            Command::Rolling { version, mode } => {
                check_version(&version)?;
                match mode {
                    RollingMode::InPlace { batch } => Strategy::Rolling { batch },
                    RollingMode::Surge {
                        surge,
                        unavailable,
                        min_ready,
                    } => Strategy::Surge {
                        surge,
                        unavailable,
                        min_ready,
                    },
                }
            }
            Command::BlueGreen { version } => {
                check_version(&version)?;
                Strategy::BlueGreen { switch_after: None }
            }
            Command::Canary(spec) => {
                check_version(&spec.version)?;
                Strategy::Canary {
                    steps: spec.steps,
                    interval: spec.interval,
                    analysis: spec.analysis,
                    limit: spec.limit,
                    initial_delay: spec.initial_delay,
                }
            }
            Command::Guard(g) => {
                if let Some(v) = &g.version
                    && v != NEW
                {
                    let c = code
                        .find("version=")
                        .map_or(1, |b| code[..b].chars().count() + 1);
                    return Err(err(
                        n,
                        c,
                        format!("a plan's guards watch the release, {NEW}: found version={v}"),
                    ));
                }
                if g.metric == Metric::SessionsLost {
                    return Err(err(
                        n,
                        w.get(1).map_or(1, |(c, _)| *c),
                        "a plan watches the release's own signals: error_rate, p50, p95, p99, cpu or mem",
                    ));
                }
                self.plan.steps.push(Step::Watch(Watch {
                    metric: g.metric,
                    op: g.op,
                    value: g.value,
                    for_: g.for_,
                    action: g.action,
                }));
                return Ok(());
            }
            other => {
                return Err(err(
                    n,
                    w.first().map_or(1, |(c, _)| *c),
                    format!("`{}` is not a plan step: {STEPS}", other.name()),
                ));
            }
        };
        if let Some(before) = self.strategy_line {
            return Err(err(
                n,
                w.first().map_or(1, |(c, _)| *c),
                format!("a plan has one strategy, and line {before} already sets it"),
            ));
        }
        self.strategy_line = Some(n);
        self.plan.steps.push(Step::Rollout(strategy));
        Ok(())
    }

    fn finish(mut self, end_line: usize) -> Result<Plan, Vec<PlanError>> {
        if let Some((line, d)) = self.switch {
            let bg = self.plan.steps.iter_mut().find_map(|s| match s {
                Step::Rollout(Strategy::BlueGreen { switch_after }) => Some(switch_after),
                _ => None,
            });
            match bg {
                Some(slot) => *slot = Some(d),
                None if self.strategy_line.is_some() || self.errors.is_empty() => {
                    self.errors.push(err(
                        line,
                        1,
                        "`switch green after` belongs to a blue-green plan (`bluegreen v2`)",
                    ));
                }
                None => {}
            }
        }
        if self.strategy_line.is_none() && self.errors.is_empty() {
            self.errors.push(err(
                end_line,
                1,
                format!(
                    "the plan has no strategy: add one of `deploy {NEW} all`, `rolling {NEW} …`, `bluegreen {NEW}`, `canary {NEW} …`"
                ),
            ));
        }
        if self.errors.is_empty() {
            Ok(self.plan)
        } else {
            self.errors.sort_by_key(|e| (e.line, e.column));
            Err(self.errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surge_beyond_the_largest_fleet_is_refused_at_its_column() {
        let errors =
            parse("health deep\nrolling v2 surge=4294967295 unavailable=0\n").expect_err("refused");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (2, 18));
        assert!(
            errors[0].message.contains("at most 10000 servers"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn words_have_columns() {
        assert_eq!(words("  a bc\td"), vec![(3, "a"), (5, "bc"), (8, "d")]);
    }
}
