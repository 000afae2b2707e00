//! The rules a parsed `Mission` must follow beyond its types: ranges, names, references.
//!
//! `validate` collects every issue at once, each naming the field it is about; `load` turns
//! the field paths into lines and columns. Pure: no text, no files.

use super::locate::FieldPath;
use super::model::{Mission, Objective, Trigger};
use crate::time::Dur;
use parts::{fleet, traffic, versions};

mod parts;

/// The longest mission allowed.
pub const MAX_DURATION: Dur = Dur::from_secs(48 * 3600);
/// The longest latency line an SLO may draw (ten minutes: longer than any timeout).
pub const MAX_LATENCY_LINE_MS: f64 = 600_000.0;

/// The most servers a fleet may have.
pub const MAX_SERVERS: u32 = 10_000;

/// The highest request (or query) rate a mission may name: ten million a second, a
/// thousand times the busiest level. Every rate from outside is bounded by it so that the
/// sim's counters (u64 requests over at most 48 game-hours) cannot wrap.
pub const MAX_RPS: f64 = 10_000_000.0;
/// The largest multiplier a mission may name (a spike, a slower or hungrier version).
pub const MAX_FACTOR: f64 = 1_000.0;
/// The most queries a second a database may serve (the default, 1e9, stands for "never the
/// bottleneck"): the sim only divides by it.
pub const MAX_QPS: f64 = 1e12;
/// The most rows a database may hold.
pub const MAX_ROWS: f64 = 1e12;

/// The highest schema version a mission may name (the campaign's reach 3). The sim only
/// compares schemas, but no number read from a file is left unbounded.
pub const MAX_SCHEMA: u32 = 1_000;
/// The most checks in a row a health or liveness threshold may ask for.
pub const MAX_THRESHOLD: u32 = 1_000;
/// The highest chapter number a campaign mission may have.
pub const MAX_CHAPTER: u32 = 1_000;
/// The most points a run earns (`1000 − costs`): a star line above it is never reached.
pub const MAX_POINTS: u32 = 1_000;

/// One broken rule: the field it is about and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationIssue {
    /// The field, e.g. `fleet.capacity_rps`.
    pub path: FieldPath,
    /// What is wrong, naming the field.
    pub message: String,
}

/// Command names a mission may unlock: the command language's own table.
pub fn known_commands() -> Vec<&'static str> {
    crate::command::COMMANDS.iter().map(|c| c.name).collect()
}

/// Every broken rule in `mission`, checking unlocks against the command table.
pub fn validate(mission: &Mission) -> Vec<ValidationIssue> {
    validate_with_commands(mission, &known_commands())
}

/// Every broken rule in `mission`, checking unlocks against `commands`.
pub fn validate_with_commands(mission: &Mission, commands: &[&str]) -> Vec<ValidationIssue> {
    let mut c = Checker::default();
    let root = FieldPath::root();
    fleet(&mut c, &root.field("fleet"), &mission.fleet);
    traffic(&mut c, &root.field("traffic"), &mission.traffic);
    versions(&mut c, mission);
    references(&mut c, mission);
    let db = root.field("database");
    c.positive_up_to(
        db.field("capacity_qps"),
        mission.database.capacity_qps,
        MAX_QPS,
    );
    system(&mut c, mission);
    let slo = root.field("slo");
    c.float(
        slo.field("target"),
        mission.slo.target,
        |v| v > 0.0 && v < 1.0,
        "between 0 and 1 (exclusive)",
    );
    c.float(
        slo.field("outage_error_rate"),
        mission.slo.outage_error_rate,
        |v| v > 0.0 && v <= 1.0,
        "above 0 and at most 1",
    );
    c.float(
        slo.field("latency_ms"),
        mission.slo.latency_ms,
        |v| (1.0..=MAX_LATENCY_LINE_MS).contains(&v),
        "from 1 to 600000 (ten minutes)",
    );
    c.float(
        slo.field("latency_target"),
        mission.slo.latency_target,
        |v| v > 0.0 && v < 1.0,
        "between 0 and 1 (exclusive)",
    );
    timing(&mut c, mission);
    c.at_most(root.field("chapter"), mission.chapter, MAX_CHAPTER);
    let stars = &mission.stars;
    if stars.two == 0 {
        c.push(
            root.field("stars").field("two"),
            "stars.two must be greater than 0".into(),
        );
    }
    if stars.three > MAX_POINTS {
        let msg = format!(
            "stars.three must be at most {MAX_POINTS} (the most points a run earns), found {}",
            stars.three
        );
        c.push(root.field("stars").field("three"), msg);
    } else if stars.two > stars.three {
        let msg = format!(
            "stars.three ({}) must be at least stars.two ({})",
            stars.three, stars.two
        );
        c.push(root.field("stars").field("three"), msg);
    }
    for (i, quiz) in mission.quiz.iter().enumerate() {
        let q = root.field("quiz").index(i);
        if quiz.choices.len() < 2 {
            let msg = format!(
                "{q}.choices needs at least 2 choices, found {}",
                quiz.choices.len()
            );
            c.push(q.field("choices"), msg);
        }
        if quiz.answer >= quiz.choices.len() {
            let msg = format!(
                "{q}.answer {} is not an index into {} choices (counted from 0)",
                quiz.answer,
                quiz.choices.len()
            );
            c.push(q.field("answer"), msg);
        }
    }
    if let Some(f) = &mission.facilitator {
        c.issues
            .extend(super::facilitator::check(f, &root.field("facilitator")));
    }
    let known = commands.join(", ");
    for (i, name) in mission.unlocks.iter().enumerate() {
        if !commands.contains(&name.as_str()) {
            let msg = format!("unknown command `{name}` in unlocks; known: {known}");
            c.push(root.field("unlocks").index(i), msg);
        }
    }
    c.issues
}

#[derive(Default)]
struct Checker {
    issues: Vec<ValidationIssue>,
}

impl Checker {
    fn push(&mut self, path: FieldPath, message: String) {
        self.issues.push(ValidationIssue { path, message });
    }

    /// A float must be finite and satisfy `ok`; `want` completes "must be …".
    fn float(&mut self, path: FieldPath, value: f64, ok: impl Fn(f64) -> bool, want: &str) {
        if !value.is_finite() {
            let msg = format!("{path} must be a finite number, found {value}");
            self.push(path, msg);
        } else if !ok(value) {
            let msg = format!("{path} must be {want}, found {value}");
            self.push(path, msg);
        }
    }

    fn positive(&mut self, path: FieldPath, value: f64) {
        self.float(path, value, |v| v > 0.0, "greater than 0");
    }

    fn non_negative(&mut self, path: FieldPath, value: f64) {
        self.float(path, value, |v| v >= 0.0, "at least 0");
    }

    /// Above 0 and at most `max`: a number the sim multiplies or adds up.
    fn positive_up_to(&mut self, path: FieldPath, value: f64, max: f64) {
        if value.is_finite() && value > max {
            self.too_large(path, value, max);
        } else {
            self.positive(path, value);
        }
    }

    /// From 0 to `max`.
    fn up_to(&mut self, path: FieldPath, value: f64, max: f64) {
        if value.is_finite() && value > max {
            self.too_large(path, value, max);
        } else {
            self.non_negative(path, value);
        }
    }

    fn too_large(&mut self, path: FieldPath, value: f64, max: f64) {
        let msg = format!("{path} must be at most {max}, found {value:e}");
        self.push(path, msg);
    }

    /// A duration longer than 0s and at most the longest mission.
    fn bounded_duration(&mut self, path: FieldPath, value: Dur) {
        if value > MAX_DURATION {
            let msg = format!("{path} {value} is longer than the {MAX_DURATION} maximum");
            self.push(path, msg);
        } else {
            self.duration(path, value);
        }
    }

    fn share(&mut self, path: FieldPath, value: f64) {
        self.float(path, value, |v| (0.0..=1.0).contains(&v), "between 0 and 1");
    }

    fn duration(&mut self, path: FieldPath, value: Dur) {
        if value == Dur::default() {
            let msg = format!("{path} must be longer than 0s");
            self.push(path, msg);
        }
    }

    /// A whole number from 1 to `max`.
    fn one_to(&mut self, path: FieldPath, value: u32, max: u32) {
        if value == 0 || value > max {
            let msg = format!("{path} must be 1 to {max}, found {value}");
            self.push(path, msg);
        }
    }

    /// A whole number at most `max`.
    fn at_most(&mut self, path: FieldPath, value: u32, max: u32) {
        if value > max {
            let msg = format!("{path} must be at most {max}, found {value}");
            self.push(path, msg);
        }
    }
}

/// Names that must refer to a defined version.
/// Migrations, the session store, liveness and the pipeline.
fn system(c: &mut Checker, mission: &Mission) {
    let root = FieldPath::root();
    let migrations = root.field("database").field("migrations");
    c.at_most(
        root.field("database").field("schema"),
        mission.database.schema,
        MAX_SCHEMA,
    );
    for (name, m) in &mission.database.migrations {
        let p = migrations.key(name);
        c.duration(p.field("takes"), m.takes);
        if let Some(schema) = m.schema {
            c.at_most(p.field("schema"), schema, MAX_SCHEMA);
        }
        c.at_most(p.field("needs_schema"), m.needs_schema, MAX_SCHEMA);
        c.float(
            p.field("load"),
            m.load,
            |v| v > 0.0 && v <= 1.0,
            "above 0 and at most 1",
        );
    }
    if let Some(b) = &mission.database.blip {
        let p = root.field("database").field("blip");
        c.duration(p.field("lasts"), b.lasts);
        c.share(p.field("errors"), b.errors);
        if b.at.ticks().saturating_add(b.lasts.ticks()) > mission.duration.ticks() {
            c.push(
                p.field("at"),
                format!(
                    "{p} must end within the mission's duration ({})",
                    mission.duration
                ),
            );
        }
    }
    let db = root.field("database");
    c.positive_up_to(db.field("rows"), mission.database.rows, MAX_ROWS);
    c.share(db.field("write_share"), mission.database.write_share);
    if let Some(rps) = mission.fleet.session_store_rps {
        c.positive_up_to(root.field("fleet").field("session_store_rps"), rps, MAX_RPS);
    }
    if let Some(l) = &mission.fleet.health.liveness {
        let p = root.field("fleet").field("health").field("liveness");
        c.duration(p.field("period"), l.period);
        c.one_to(
            p.field("failure_threshold"),
            l.failure_threshold,
            MAX_THRESHOLD,
        );
    }
    if let Some(pipe) = &mission.pipeline {
        let p = root.field("pipeline");
        let line = pipe.production.replace("{version}", &mission.start.version);
        if !pipe.production.contains("{version}") {
            c.push(
                p.field("production"),
                format!(
                    "{p}.production must contain {{version}}, e.g. \"rolling {{version}} batch=2\""
                ),
            );
        } else if let Err(e) = crate::command::parse_command(&line) {
            c.push(
                p.field("production"),
                format!("{p}.production `{}` is not a command: {e}", pipe.production),
            );
        }
        if !(1..=MAX_SERVERS).contains(&pipe.staging_servers) {
            c.push(
                p.field("staging_servers"),
                format!(
                    "{p}.staging_servers must be 1 to {MAX_SERVERS}, found {}",
                    pipe.staging_servers
                ),
            );
        }
        c.positive_up_to(p.field("staging_rps"), pipe.staging_rps, MAX_RPS);
    }
}

/// The most version names a message about an unknown version lists.
const LISTED: usize = 12;

fn references(c: &mut Checker, mission: &Mission) {
    let root = FieldPath::root();
    let known = |name: &str| mission.versions.contains_key(name);
    // Written once, and at most LISTED names: a file may hold thousands of versions and
    // thousands of references to check against them.
    let listing = {
        let mut names: Vec<String> = mission
            .versions
            .keys()
            .take(LISTED)
            .map(|k| format!("{k:?}"))
            .collect();
        if mission.versions.len() > LISTED {
            names.push(format!("and {} more", mission.versions.len() - LISTED));
        }
        names.join(", ")
    };
    let check = |c: &mut Checker, path: FieldPath, name: &str| {
        if !known(name) {
            let msg =
                format!("{path} names version {name:?}, which is not in versions ({listing})");
            c.push(path, msg);
        }
    };
    check(
        c,
        root.field("start").field("version"),
        &mission.start.version,
    );
    // Free play has nothing to achieve; a campaign mission must say what passes.
    if mission.objectives.is_empty() && !mission.sandbox {
        c.push(
            root.field("objectives"),
            "objectives must list at least one objective".into(),
        );
    }
    for (i, objective) in mission.objectives.iter().enumerate() {
        let o = root.field("objectives").index(i);
        match objective {
            Objective::AllServersOn(name)
            | Objective::NoServersOn(name)
            | Objective::BakedCanary(name)
            | Objective::GuardedFromStart(name) => check(c, o, name),
            Objective::ReachAtMost(name, pct) => {
                check(c, o.clone(), name);
                c.float(
                    o,
                    *pct,
                    |v| (0.0..=100.0).contains(&v),
                    "a percentage from 0 to 100",
                );
            }
            Objective::ErrorBudgetAtMost(pct) => {
                c.float(
                    o,
                    *pct,
                    |v| (0.0..=100.0).contains(&v),
                    "a percentage from 0 to 100",
                );
            }
            _ => {}
        }
    }
    let mut released = std::collections::BTreeSet::new();
    for (i, name) in mission.releases.iter().enumerate() {
        let path = root.field("releases").index(i);
        check(c, path.clone(), name);
        if *name == mission.start.version {
            let msg = format!("{path} names {name:?}, the version every server starts on");
            c.push(path, msg);
        } else if !released.insert(name) {
            let msg = format!("{path} names {name:?} twice");
            c.push(path, msg);
        }
    }
    for (i, line) in mission.narration.iter().enumerate() {
        if let Trigger::FirstInService(name) = &line.when {
            check(c, root.field("narration").index(i).field("when"), name);
        }
    }
}

fn timing(c: &mut Checker, mission: &Mission) {
    let root = FieldPath::root();
    let duration = root.field("duration");
    c.duration(duration.clone(), mission.duration);
    if mission.duration > MAX_DURATION {
        let msg = format!(
            "duration {} is longer than the {MAX_DURATION} maximum",
            mission.duration
        );
        c.push(duration, msg);
    }
    if let Some(deadline) = mission.deadline {
        c.duration(root.field("deadline"), deadline);
        if deadline > mission.duration {
            let msg = format!(
                "deadline {deadline} is after the mission ends (duration {})",
                mission.duration
            );
            c.push(root.field("deadline"), msg);
        }
    }
}

#[cfg(test)]
mod tests;
