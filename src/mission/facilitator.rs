//! Facilitator notes: what an instructor running a workshop needs beside the mission.
//!
//! Optional in the format (a custom mission may skip it); the built-in campaign ships it for
//! every mission (tests/campaign.rs). Only data and its rules live here: `zerodown notes`
//! (src/cli/notes.rs) prints it. Students never see it in the game.

use serde::{Deserialize, Serialize};

use super::locate::FieldPath;
use super::validate::ValidationIssue;

/// The instructor's side of a mission: questions to open a debate, the mistakes to expect.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facilitator {
    /// How to spend the slot: briefing, play, discussion, in minutes.
    #[serde(default)]
    pub timing: String,
    /// Discussion questions: trade-offs and how the lesson maps to real systems.
    #[serde(default)]
    pub questions: Vec<String>,
    /// What students typically do wrong in this mission, and why it hurts.
    #[serde(default)]
    pub mistakes: Vec<Mistake>,
}

/// A common mistake: what students do and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mistake {
    pub what: String,
    pub why: String,
    /// How a run report shows it (`zerodown scoreboard --by-mission` counts who made it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Sign>,
}

/// The rule a mistake breaks, read from a run report: what was typed, what the log says,
/// which objective was missed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Sign {
    /// A command given, accepted or refused (what the student tried counts), matches the
    /// pattern (`*` stands for any text): `Used("canary *
    /// analysis=off*")`.
    Used(String),
    /// No command given matches the pattern.
    Never(String),
    /// An objective whose text starts with this was missed.
    Missed(String),
    /// A log line contains this text.
    Logged(String),
    /// A command matching the first pattern was given before any matching the second
    /// (both were given).
    Before(String, String),
    /// A command matching the second pattern came less than this many game seconds after
    /// one matching the first (`Soon("deploy *", "drain *", 20)`: the next batch before the
    /// last could be back).
    Soon(String, String, u32),
    /// A command matching the pattern was given at a game time from the first number of
    /// seconds (included) to the second (excluded): `At("deploy *", 0, 480)`, deployed
    /// before the lull. When a command came is part of some mistakes, not only its order.
    At(String, u32, u32),
    /// Not this sign.
    Not(Box<Sign>),
    /// Every one of these.
    All(Vec<Sign>),
    /// At least one of these.
    Any(Vec<Sign>),
}

impl Sign {
    /// Whether `report` shows this sign.
    pub fn seen_in(&self, report: &crate::report::Report) -> bool {
        let first = |pattern: &str| {
            report
                .commands
                .iter()
                .position(|c| matches_glob(pattern, &c.command))
        };
        match self {
            Sign::Used(p) => first(p).is_some(),
            Sign::Never(p) => first(p).is_none(),
            Sign::Missed(prefix) => report
                .objectives
                .iter()
                .any(|o| !o.met && o.text.starts_with(prefix.as_str())),
            Sign::Logged(text) => report.events.iter().any(|e| e.text.contains(text.as_str())),
            Sign::Before(a, b) => matches!((first(a), first(b)), (Some(i), Some(j)) if i < j),
            Sign::Soon(a, b, secs) => soon(report, a, b, f64::from(*secs)),
            Sign::At(p, from, to) => report.commands.iter().any(|c| {
                c.t >= f64::from(*from) && c.t < f64::from(*to) && matches_glob(p, &c.command)
            }),
            Sign::Not(sign) => !sign.seen_in(report),
            Sign::All(all) => all.iter().all(|s| s.seen_in(report)),
            Sign::Any(any) => any.iter().any(|s| s.seen_in(report)),
        }
    }

    /// The texts of the sign that must not be blank, with their place.
    fn texts(&self) -> Vec<&str> {
        match self {
            Sign::Used(t)
            | Sign::Never(t)
            | Sign::Missed(t)
            | Sign::Logged(t)
            | Sign::At(t, _, _) => vec![t],
            Sign::Before(a, b) | Sign::Soon(a, b, _) => vec![a, b],
            Sign::Not(sign) => sign.texts(),
            Sign::All(list) | Sign::Any(list) => list.iter().flat_map(Sign::texts).collect(),
        }
    }
}

/// Whether a command matching `b` came less than `secs` after one matching `a`.
fn soon(report: &crate::report::Report, a: &str, b: &str, secs: f64) -> bool {
    let mut last_a: Option<f64> = None;
    for c in &report.commands {
        if matches_glob(b, &c.command) && last_a.is_some_and(|t| c.t - t < secs) {
            return true;
        }
        if matches_glob(a, &c.command) {
            last_a = Some(c.t);
        }
    }
    false
}

/// Whether `text` matches `pattern`, where `*` stands for any text (none included).
pub fn matches_glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(head) = parts.next() else {
        return true;
    };
    let Some(mut rest) = text.strip_prefix(head) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((tail, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= tail.len() && rest.ends_with(tail)
}

/// Blank texts in a facilitator section: a note with nothing to say is a mistake in the file.
pub fn check(facilitator: &Facilitator, path: &FieldPath) -> Vec<ValidationIssue> {
    let mut issues = Vec::new();
    let mut blank = |path: FieldPath, text: &str| {
        if text.trim().is_empty() {
            let message = format!("{path} is empty: say something or leave it out");
            issues.push(ValidationIssue { path, message });
        }
    };
    for (i, q) in facilitator.questions.iter().enumerate() {
        blank(path.field("questions").index(i), q);
    }
    for (i, m) in facilitator.mistakes.iter().enumerate() {
        let at = path.field("mistakes").index(i);
        blank(at.field("what"), &m.what);
        blank(at.field("why"), &m.why);
        if let Some(sign) = &m.seen
            && sign.texts().iter().any(|t| t.trim().is_empty())
        {
            blank(at.field("seen"), "");
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::{Sign, matches_glob};

    #[test]
    fn at_sees_a_command_given_in_its_window_of_game_time() {
        let (id, mission) = crate::mission::resolve("01-one-server").expect("mission 01");
        let script =
            crate::command::parse_script("wait 3m\ndeploy v2 web-01\nwait 30s\n").expect("script");
        let report = crate::runner::run_script(&mission, &id, &script, mission.seed);
        let at = |from, to| Sign::At("deploy *".into(), from, to).seen_in(&report);
        assert!(at(0, 480), "deployed at 3:00, before 8:00");
        assert!(at(180, 181), "the window includes its start");
        assert!(!at(0, 180), "and excludes its end");
        assert!(!at(600, 660));
        assert!(!Sign::At("restart *".into(), 0, 480).seen_in(&report));
    }

    #[test]
    fn a_glob_star_stands_for_any_text() {
        assert!(matches_glob("rollback", "rollback"));
        assert!(!matches_glob("rollback", "rollback now"));
        assert!(matches_glob("deploy v2 *", "deploy v2 web-01..web-04"));
        assert!(matches_glob(
            "canary * analysis=off*",
            "canary v8 steps=5,100 interval=30s analysis=off"
        ));
        assert!(!matches_glob(
            "canary * analysis=off*",
            "canary v8 steps=5,100"
        ));
        assert!(matches_glob("*", ""));
        assert!(matches_glob("a*b*c", "abc"));
        assert!(!matches_glob("a*b*c", "acb"));
        assert!(!matches_glob("ab*ba", "aba"));
    }
}
