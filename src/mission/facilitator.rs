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
    }
    issues
}
