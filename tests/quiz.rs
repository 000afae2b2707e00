//! Quizzes that test understanding, not test-taking: no choice gives the answer away by its
//! length or its place in the file, and the debrief shows the choices in an order drawn
//! from the run's seed, which the run report records (a report written before that field
//! existed still checks).

mod common;

use common::run_level;
use zerodown::mission::{Quiz, builtin, load_str};

/// How far (as a share of the answer's length, in characters) any choice may differ.
const LENGTH_SPREAD: f64 = 0.2;

fn chars(s: &str) -> f64 {
    s.chars().count() as f64
}

/// Every (mission, question) of the campaign.
fn campaign() -> Vec<(String, Quiz)> {
    builtin()
        .iter()
        .flat_map(|(id, source)| {
            let m = load_str(source, &format!("levels/{id}.ron")).unwrap_or_else(|e| panic!("{e}"));
            m.quiz.into_iter().map(|q| (id.to_string(), q))
        })
        .collect()
}

/// The choices further than `LENGTH_SPREAD` from the answer's length.
fn too_long_or_short(q: &Quiz) -> Vec<&str> {
    let a = chars(&q.choices[q.answer]);
    q.choices
        .iter()
        .filter(|c| (chars(c) - a).abs() > LENGTH_SPREAD * a)
        .map(String::as_str)
        .collect()
}

/// Whether the answer is longer than every other choice.
fn answer_is_longest(q: &Quiz) -> bool {
    let a = chars(&q.choices[q.answer]);
    q.choices
        .iter()
        .enumerate()
        .all(|(i, c)| i == q.answer || chars(c) < a)
}

#[test]
fn no_choice_stands_out_by_its_length() {
    let quizzes = campaign();
    let mut problems = Vec::new();
    for (id, q) in &quizzes {
        let off = too_long_or_short(q);
        if !off.is_empty() {
            problems.push(format!(
                "{id}: `{}` (answer {} chars): {off:?}",
                q.q,
                chars(&q.choices[q.answer])
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let longest = quizzes.iter().filter(|(_, q)| answer_is_longest(q)).count();
    assert!(
        longest * 2 <= quizzes.len(),
        "the answer is the longest choice in {longest} of {} questions",
        quizzes.len()
    );
}

#[test]
fn the_answer_is_not_always_in_the_same_place() {
    let quizzes = campaign();
    let n = quizzes.len();
    // Where the answer sits in the file (the notes list choices in that order).
    for place in 0..3 {
        let here = quizzes.iter().filter(|(_, q)| q.answer == place).count();
        assert!(
            here * 5 >= n && here * 2 <= n,
            "choice {} is the answer in {here} of {n} questions",
            place + 1
        );
    }
}

/// The checks can fail: two of the campaign's old questions, as they were, are caught.
#[test]
fn the_checks_catch_a_question_that_gives_itself_away() {
    let old = Quiz {
        q: "Which guard would have stopped v17 (no errors, p99 ten times higher) without you?"
            .into(),
        choices: vec![
            "guard error_rate>1% for 10s -> rollback".into(),
            "guard p99>1s for 20s version=v17 -> rollback".into(),
            "guard sessions_lost>0 -> pause".into(),
        ],
        answer: 1,
        why: String::new(),
    };
    assert!(answer_is_longest(&old));
    assert_eq!(too_long_or_short(&old), ["guard sessions_lost>0 -> pause"]);
    let old = Quiz {
        q: "A 5 % canary fails 20 % of its requests. What does the fleet-wide error rate show?"
            .into(),
        choices: vec![
            "20 %".into(),
            "About 1 %: the canary's errors are averaged with 95 % healthy traffic".into(),
            "Nothing, canary traffic is not counted".into(),
        ],
        answer: 1,
        why: String::new(),
    };
    assert_eq!(too_long_or_short(&old).len(), 2);
}

#[test]
fn the_report_records_a_shuffled_order_drawn_from_the_seed() {
    let id = "01-one-server";
    let quiz = &zerodown::mission::resolve(id).expect("built in").1.quiz;
    let order = |seed| zerodown::quiz::order(id, seed, quiz);
    assert_eq!(order(5), order(5), "the same seed, the same order");
    // Over many seeds the first question's answer is shown at every place.
    let mut places = [0; 3];
    for seed in 0..60 {
        let shown = &order(seed)[0];
        places[shown
            .iter()
            .position(|&c| c == quiz[0].answer)
            .expect("a permutation")] += 1;
    }
    assert!(places.iter().all(|&n| n >= 10), "{places:?}");
    let report = run_level(id, "solutions");
    assert_eq!(report.quiz_order, order(report.seed));
    assert!(report.to_json().contains("\"quiz_order\""));
}

#[test]
fn a_report_written_before_the_quiz_order_still_checks() {
    let report = run_level("01-one-server", "solutions");
    let mut value = serde_json::to_value(&report).expect("json");
    let fields = value.as_object_mut().expect("an object");
    assert!(fields.remove("quiz_order").is_some());
    let old = serde_json::to_string_pretty(&value).expect("json");
    zerodown::scoreboard::check_text(&old, None).unwrap_or_else(|e| panic!("{e}"));
    // A changed order is an edited report.
    let mut edited = serde_json::to_value(&report).expect("json");
    edited["quiz_order"][0] = serde_json::json!([9, 9, 9]);
    let edited = serde_json::to_string_pretty(&edited).expect("json");
    assert!(zerodown::scoreboard::check_text(&edited, None).is_err());
}

/// Keys pick by displayed place: the debrief records the file's choice shown there, and
/// judges it against the file's answer.
#[test]
fn the_debrief_maps_each_key_to_the_choice_shown_there() {
    let id = "01-one-server";
    let (_, mission) = zerodown::mission::resolve(id).expect("built in");
    for seed in [1, 2, 3] {
        let mut d = zerodown::ui::Debrief::new(zerodown::ui::Game::new(id, &mission, seed));
        assert_eq!(d.order, zerodown::quiz::order(id, seed, &mission.quiz));
        // The first question: whatever is shown first.
        d.answer(0);
        assert_eq!(d.answers[0], Some(d.order[0][0]));
        // The second: the place its answer is shown at.
        let place = d.answer_place(1).expect("two questions");
        d.answer(place);
        assert_eq!(d.answers[1], Some(mission.quiz[1].answer));
        // Nothing left to answer: a further key changes nothing.
        d.answer(0);
        assert_eq!(d.answers.len(), 2);
    }
}
