//! `zerodown notes`: facilitator notes printed from the mission file, with the reference
//! solution and the mistake measured headless — from any directory, as text or Markdown —
//! and a clear exit 2 with a suggestion for a mission that does not exist.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{TempDir, builtin, crate_path, read};

/// Runs the binary in `dir`.
fn zerodown_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run zerodown")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The measured table's row for `play` (text layout).
fn row<'a>(text: &'a str, play: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(play))
        .unwrap_or_else(|| panic!("no `{play}` row in:\n{text}"))
}

#[test]
fn canary_notes_print_questions_mistakes_quiz_and_measured_scores_from_any_directory() {
    // Not the crate root: the mission and its scripts come from the binary.
    let elsewhere = TempDir::new("notes-anywhere");
    let out = zerodown_in(&elsewhere.0, &["notes", "07-canary"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let m = builtin("07-canary");
    let f = m.facilitator.expect("07-canary has notes");
    assert!(
        text.starts_with("THE CANARY\nChapter 3 · 07-canary"),
        "{text}"
    );
    // Prose is wrapped for the projector: compare with whitespace normalised.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for q in &f.questions {
        assert!(flat.contains(q.as_str()), "question missing: {q}");
    }
    for mistake in &f.mistakes {
        assert!(
            flat.contains(&mistake.what),
            "mistake missing: {}",
            mistake.what
        );
        assert!(flat.contains(&mistake.why), "why missing: {}", mistake.why);
    }
    assert!(flat.contains(&f.timing), "timing");
    assert!(flat.contains(&m.concept), "concept");
    // The quiz, with the right answer marked.
    assert!(text.contains("✔   d) About 1 %"), "{text}");
    assert!(
        flat.contains("Why: 5 % × 20 % = 1 % of all requests."),
        "{text}"
    );
    // Measured on the mission's seed: the solution passes with three stars, the mistake
    // fails (or scores at most one star), and says which objectives it misses.
    assert!(text.contains(&format!("seed {}", m.seed)), "{text}");
    let solution = row(&text, "reference solution  ");
    assert!(
        solution.contains("passed") && solution.contains("★★★"),
        "{solution}"
    );
    let mistake = row(&text, "the mistake  ");
    let one_star_at_most = ["☆☆☆", "★☆☆"].iter().any(|s| mistake.contains(s));
    assert!(mistake.contains("failed") || one_star_at_most, "{mistake}");
    assert!(
        flat.contains("the mistake (levels/mistakes/07-canary.txt) misses: then ship v9 (or stop on evidence); every server on v9"),
        "{text}"
    );
    assert!(
        flat.contains("reference solution (levels/solutions/07-canary.txt) meets every objective"),
        "{text}"
    );
}

#[test]
fn markdown_notes_are_a_handout() {
    let out = zerodown_in(&crate_path(""), &["notes", "07-canary", "--markdown"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(
        md.starts_with("# The canary\n\n*Chapter 3 · 07-canary"),
        "{md}"
    );
    for heading in [
        "What it teaches",
        "Timing",
        "Discussion questions",
        "Common mistakes",
        "Measured",
    ] {
        assert!(md.contains(&format!("\n## {heading}\n")), "{heading}: {md}");
    }
    assert!(md.contains("\n1. v8 failed 6 % of its requests"), "{md}");
    assert!(
        md.contains("\n- **Stopping at the abort.** Abort sends"),
        "{md}"
    );
    assert!(
        md.contains("   - **d) About 1 %"),
        "the answer in bold: {md}"
    );
    assert!(
        md.contains("| play | outcome | stars | points | downtime | users affected |\n| --- |"),
        "{md}"
    );
    assert!(md.contains("| reference solution | passed | ★★★ |"), "{md}");
    // Code stays code; nothing is left in the plain-text layout.
    assert!(md.contains("`rollback` removes it"), "{md}");
    assert!(!md.contains("-----"), "{md}");
}

#[test]
fn an_unknown_mission_exits_2_with_a_suggestion() {
    for (typo, meant) in [
        ("07-canry", "07-canary"),
        ("canary", "07-canary"),
        ("interveiw", "16-interview"),
    ] {
        let out = zerodown_in(&crate_path(""), &["notes", typo]);
        assert_eq!(out.status.code(), Some(2), "{typo}");
        let err = stderr(&out);
        assert!(err.contains(&format!("unknown mission `{typo}`")), "{err}");
        assert!(err.contains(&format!("did you mean `{meant}`?")), "{err}");
        assert!(stdout(&out).is_empty());
    }
    let out = zerodown_in(&crate_path(""), &["notes", "qqqqqqqq"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`zerodown notes` lists the missions"));
    let out = zerodown_in(&crate_path(""), &["notes", "07-canary", "--all"]);
    assert_eq!(out.status.code(), Some(2), "a mission and --all conflict");
}

#[test]
fn without_a_mission_notes_lists_every_mission_on_one_line() {
    let out = zerodown_in(&crate_path(""), &["notes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for (id, _) in zerodown::mission::builtin() {
        let m = builtin(id);
        let timing = m.facilitator.expect("notes").timing;
        let slot = timing.split(':').next().expect("a slot");
        let line = row(&text, id);
        assert!(line.contains(&m.title) && line.ends_with(slot), "{line}");
        assert!(line.chars().count() <= 80, "fits a projector: {line}");
    }
    assert!(text.starts_with("mission  "), "{text}");
}

/// tests/missions/tiny.ron with `extra` fields added before its closing parenthesis.
fn tiny_with(extra: &str) -> String {
    let text = read("tests/missions/tiny.ron");
    let end = text.rfind(')').expect("a mission");
    format!("{}{extra}\n)\n", &text[..end])
}

#[test]
fn a_custom_mission_gets_notes_without_a_facilitator_section_and_measures_scripts_beside_it() {
    let dir = TempDir::new("notes-custom");
    let mission = dir.file("mine.ron", &tiny_with(""));
    let path = mission.to_str().expect("utf-8");
    let out = zerodown_in(&crate_path(""), &["notes", path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("This mission has no `facilitator` section"),
        "{text}"
    );
    assert!(text.contains("No reference scripts found"), "{text}");
    // A solution beside it, as levels/solutions/<id>.txt would be: measured.
    std::fs::create_dir_all(dir.path("solutions")).expect("mkdir");
    dir.file("solutions/mine.txt", "wait 10s\nwait 1m\n");
    let text = stdout(&zerodown_in(&crate_path(""), &["notes", path]));
    let measured = row(&text, "reference solution  ");
    assert!(
        measured.contains("passed") && measured.contains('★'),
        "{text}"
    );
    assert!(
        text.contains("seed 7 (the mission's own"),
        "tiny.ron's seed: {text}"
    );
    assert!(!text.contains("the mistake  "), "{text}");
    // A broken script beside it is bad input, placed at file:line:col.
    dir.file("solutions/mine.txt", "wait 10s\ndeplyo v2 all\n");
    let out = zerodown_in(&crate_path(""), &["notes", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("solutions/mine.txt:2:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_blank_facilitator_note_is_reported_at_its_line_and_column() {
    let dir = TempDir::new("notes-blank");
    let notes = r#"    facilitator: (timing: "10 min", questions: ["Why?", "  "], mistakes: [(what: "x", why: "")]),"#;
    let text = tiny_with(notes);
    let line = text
        .lines()
        .position(|l| l.contains("facilitator"))
        .expect("inserted")
        + 1;
    let mission = dir.file("blank.ron", &text);
    let out = zerodown_in(
        &crate_path(""),
        &["check", mission.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("blank.ron:{line}:")), "{err}");
    assert!(err.contains("facilitator.questions[1] is empty"), "{err}");
    assert!(
        err.contains("facilitator.mistakes[0].why is empty"),
        "{err}"
    );
}

#[test]
fn one_server_notes_snapshot() {
    let out = zerodown_in(&crate_path(""), &["notes", "01-one-server"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn a_student_handout_gives_no_answer_away() {
    let here = crate_path("");
    for (id, _) in zerodown::mission::builtin() {
        let out = zerodown_in(&here, &["notes", id, "--student"]);
        assert_eq!(out.status.code(), Some(0), "{id}: {}", stderr(&out));
        let text = stdout(&out);
        let m = builtin(id);
        assert!(text.contains(m.briefing.split_whitespace().next().expect("a word")));
        for answer in ["✔", "Why:", "Common mistakes", "Measured", "Script:"] {
            assert!(!text.contains(answer), "{id}: `{answer}` in\n{text}");
        }
        // Nor the quiz's explanations, nor the common mistakes.
        for q in &m.quiz {
            assert!(
                q.why.trim().is_empty() || !text.contains(q.why.trim()),
                "{id}"
            );
        }
        for mistake in m.facilitator.iter().flat_map(|f| &f.mistakes) {
            assert!(!text.contains(mistake.why.trim()), "{id}: {}", mistake.what);
        }
        if let Some(q) = m.quiz.first() {
            let start: Vec<&str> = q.choices[0].split_whitespace().take(2).collect();
            let shown = format!("a) {}", start.join(" "));
            assert!(text.contains(&shown), "{id}: the choices are shown");
        }
    }
}

#[test]
fn answers_print_the_reference_scripts_and_only_with_the_flag() {
    let here = crate_path("");
    let plain = stdout(&zerodown_in(&here, &["notes", "07-canary"]));
    assert!(!plain.contains("canary v9 steps=5,20,50,100 interval=60s"));
    assert!(plain.contains("`--answers` prints these scripts."));
    let out = zerodown_in(&here, &["notes", "07-canary", "--answers", "--markdown"]);
    let text = stdout(&out);
    assert!(
        text.contains("## Script: reference solution (levels/solutions/07-canary.txt)\n\n```\n"),
        "{text}"
    );
    assert!(text.contains("canary v9 steps=5,20,50,100 interval=60s\n"));
    let both = zerodown_in(&here, &["notes", "07-canary", "--answers", "--student"]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn notes_print_the_reference_as_real_config_for_a_handout() {
    let elsewhere = TempDir::new("notes-config");
    let out = zerodown_in(&elsewhere.0, &["notes", "07-canary", "--config", "argo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "# 07-canary (The canary), the reference solution as Argo Rollouts config."
        ),
        "{text}"
    );
    assert!(
        text.contains("kind: Rollout") && text.contains("setWeight: 5"),
        "{text}"
    );
    assert!(
        text.contains("kubectl argo rollouts undo web"),
        "the rollback by hand is said: {text}"
    );
    let out = zerodown_in(
        &elsewhere.0,
        &["notes", "07-canary", "--config", "argo", "--student"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a student handout never carries the answer"
    );
}
