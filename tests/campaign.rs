//! The campaign as content: sixteen missions in story order, each validating, with a
//! briefing, a concept, a three-step hint ladder, a debrief, a quiz whose answers are real
//! choices, and its reference solution and naive mistake beside it.

mod common;

use common::read;
use zerodown::mission::{builtin, load_str};

#[test]
fn sixteen_missions_in_story_order() {
    let ids: Vec<&str> = builtin().iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), 16, "{ids:?}");
    for (i, id) in ids.iter().enumerate() {
        assert!(
            id.starts_with(&format!("{:02}-", i + 1)),
            "{id} is mission {}",
            i + 1
        );
    }
}

#[test]
fn every_mission_teaches_with_hints_quiz_and_debrief() {
    for (id, source) in builtin() {
        let m = load_str(source, &format!("levels/{id}.ron")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!m.briefing.trim().is_empty(), "{id}: briefing");
        assert!(!m.concept.trim().is_empty(), "{id}: concept");
        assert!(!m.debrief.trim().is_empty(), "{id}: debrief");
        assert_eq!(m.hints.len(), 3, "{id}: nudge → approach → the commands");
        assert!(!m.quiz.is_empty(), "{id}: quiz");
        for q in &m.quiz {
            assert!(
                q.choices.len() >= 2 && q.answer < q.choices.len(),
                "{id}: {}",
                q.q
            );
            assert!(!q.why.trim().is_empty(), "{id}: why of {}", q.q);
        }
        assert!(m.stars.two <= m.stars.three, "{id}: stars");
        // The reference play and the naive play ship with it.
        assert!(
            !read(&format!("levels/solutions/{id}.txt"))
                .trim()
                .is_empty()
        );
        assert!(!read(&format!("levels/mistakes/{id}.txt")).trim().is_empty());
    }
}

/// `zerodown notes` needs, for every built-in mission, a timing, at least three questions
/// that open a debate and at least two mistakes with what they cost.
#[test]
fn every_mission_has_facilitator_notes() {
    for (id, source) in builtin() {
        let m = load_str(source, &format!("levels/{id}.ron")).unwrap_or_else(|e| panic!("{e}"));
        let f = m
            .facilitator
            .unwrap_or_else(|| panic!("{id}: no facilitator section"));
        assert!(!f.timing.trim().is_empty(), "{id}: timing");
        assert!(
            f.questions.len() >= 3,
            "{id}: {} questions",
            f.questions.len()
        );
        assert!(f.mistakes.len() >= 2, "{id}: {} mistakes", f.mistakes.len());
        for q in &f.questions {
            assert!(q.trim_end().ends_with('?'), "{id}: not a question: {q}");
        }
        for mistake in &f.mistakes {
            assert!(
                !mistake.what.trim().is_empty() && !mistake.why.trim().is_empty(),
                "{id}: {mistake:?}"
            );
        }
    }
}
