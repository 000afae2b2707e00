//! `zerodown notes [<mission> | --all] [--markdown] [--seed N]`: facilitator notes for a
//! classroom workshop — what the mission teaches, the timing, discussion questions, the
//! common mistakes, the quiz with its answers, and what the reference solution and the
//! naive mistake score on the mission's seed, measured by playing them headless.
//!
//! Without a mission: one line per built-in mission. Plain text for a projector or a
//! terminal; `--markdown` for a handout. Reads missions, never writes anything.

use std::path::Path;
use std::process::ExitCode;

use crate::command::suggest;
use crate::mission::{self, Mission};

use super::bad_input;
use super::progress::stars;

mod measure;
mod page;

use measure::{Play, Scripts, measure};
use page::{Markdown, Page, Text};

/// What `zerodown notes` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// A mission id or path; `None` lists the missions (or, with `all`, prints every one).
    pub mission: Option<String>,
    pub all: bool,
    pub markdown: bool,
    /// Measure on this seed instead of the mission's own.
    pub seed: Option<u64>,
    /// A handout for students: briefing, concept, questions and the quiz, without answers,
    /// mistakes or measured scores.
    pub student: bool,
    /// Also print the reference scripts (for headless students, or to check a room's runs).
    pub answers: bool,
    /// Print the reference solution as this format's rollout config instead.
    pub config: Option<crate::manifest::Format>,
}

/// Runs `zerodown notes`: 0 printed, 2 unknown mission or a broken file.
pub fn run(args: &Args) -> ExitCode {
    let text = match (&args.mission, args.all) {
        (Some(arg), _) => find(arg).and_then(|(id, m, scripts)| notes(args, &id, &m, &scripts)),
        (None, true) => all(args),
        (None, false) => Ok(list(args.markdown)),
    };
    match text {
        Ok(text) => {
            say!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => bad_input(&e),
    }
}

/// The notes of every built-in mission, one after another.
fn all(args: &Args) -> Result<String, String> {
    let mut pages = Vec::new();
    for (id, _) in mission::builtin() {
        let (id, m, scripts) = find(id)?;
        pages.push(notes(args, &id, &m, &scripts)?);
    }
    let between = if args.markdown { "\n---\n\n" } else { "\n\n" };
    Ok(pages.join(between))
}

/// A mission by id or path, with where its scripts are; an unknown name gets a suggestion.
fn find(arg: &str) -> Result<(String, Mission, Scripts), String> {
    let path = Path::new(arg);
    let is_builtin = mission::campaign_id(arg).is_some_and(|id| id == arg || !path.exists());
    if !is_builtin && !path.exists() {
        let hint = closest(arg).map_or_else(String::new, |id| format!("did you mean `{id}`? "));
        return Err(format!(
            "unknown mission `{arg}`: not a built-in id and no such file; {hint}(`zerodown notes` lists the missions)"
        ));
    }
    let (id, m) = mission::resolve(arg).map_err(|e| e.to_string())?;
    let scripts = if is_builtin {
        Scripts::Builtin
    } else {
        Scripts::Beside(path.parent().unwrap_or(Path::new(".")).to_path_buf())
    };
    Ok((id, m, scripts))
}

/// The built-in id closest to `arg`: a typo of the whole id (`07-canry`), a unique prefix
/// (`07`), or the name without its number (`canary`).
fn closest(arg: &str) -> Option<&'static str> {
    let ids = || mission::builtin().iter().map(|(id, _)| *id);
    let name = |id: &'static str| id.split_once('-').map_or(id, |(_, rest)| rest);
    suggest(arg, ids()).or_else(|| {
        let found = suggest(arg, ids().map(name))?;
        ids().find(|id| name(id) == found)
    })
}

/// One line per built-in mission: id, chapter, title and the length of its slot.
fn list(markdown: bool) -> String {
    let rows: Vec<Vec<String>> = mission::builtin()
        .iter()
        .map(
            |(id, source)| match mission::load_str(source, &format!("levels/{id}.ron")) {
                Ok(m) => {
                    // The slot's length only (`25 min`), so each line fits a projector.
                    let timing = m.facilitator.map(|f| f.timing).unwrap_or_default();
                    let timing = timing.split(':').next().unwrap_or_default().to_string();
                    vec![(*id).to_string(), m.chapter.to_string(), m.title, timing]
                }
                Err(e) => vec![
                    (*id).to_string(),
                    "-".into(),
                    format!("(cannot load: {e})"),
                    String::new(),
                ],
            },
        )
        .collect();
    let header = ["mission", "chapter", "title", "slot"];
    let hint = "`zerodown notes <mission>` prints a mission's notes, `--all` every one.";
    if markdown {
        let mut page = Markdown::default();
        page.title("Facilitator notes", "zerodown workshop missions");
        page.section("Missions");
        page.table(&header, &rows);
        page.section("More");
        page.para(hint);
        page.finish()
    } else {
        let mut page = Text::default();
        page.table(&header, &rows);
        page.para("");
        page.para(hint);
        page.finish()
    }
}

/// The notes of one mission, laid out as text or Markdown.
fn notes(args: &Args, id: &str, m: &Mission, scripts: &Scripts) -> Result<String, String> {
    if let Some(format) = args.config {
        return as_config(args, id, m, format);
    }
    if args.student {
        return Ok(if args.markdown {
            handout(Markdown::default(), id, m)
        } else {
            handout(Text::default(), id, m)
        });
    }
    let seed = args.seed.unwrap_or(m.seed);
    let plays = measure(id, m, scripts, seed)?;
    let which = if args.seed.is_some() {
        "given with --seed"
    } else {
        "the mission's own: every laptop gets the same run"
    };
    let measured = Measured {
        plays: &plays,
        seed,
        which,
        answers: args.answers,
    };
    Ok(if args.markdown {
        write(Markdown::default(), id, m, &measured)
    } else {
        write(Text::default(), id, m, &measured)
    })
}

/// The reference solution as real rollout config, for a handout after the mission.
fn as_config(
    args: &Args,
    id: &str,
    m: &Mission,
    format: crate::manifest::Format,
) -> Result<String, String> {
    let seed = args.seed.unwrap_or(m.seed);
    let play = crate::manifest::reference(id, m, seed).ok_or_else(|| {
        format!("{id}: only built-in missions have a reference solution to print as config")
    })?;
    let yaml = crate::manifest::export(
        &play,
        format,
        &format!("{id} ({}), the reference solution", m.title),
    );
    Ok(if args.markdown {
        let mut page = Markdown::default();
        page.title(
            &m.title,
            &format!("The reference solution as {} config", format.title()),
        );
        page.code(&yaml);
        page.finish()
    } else {
        yaml
    })
}

/// What the notes say they measured, and whether to print the scripts.
struct Measured<'a> {
    plays: &'a [Play],
    seed: u64,
    which: &'a str,
    answers: bool,
}

/// The student's page: what to do and think about, nothing that gives the answers away.
fn handout<P: Page>(mut page: P, id: &str, m: &Mission) -> String {
    page.title(&m.title, &format!("Chapter {} · {id} · handout", m.chapter));
    page.section("Your mission");
    page.para(&m.briefing);
    page.section("What it teaches");
    page.para(&m.concept);
    if let Some(f) = &m.facilitator {
        page.section("Think about");
        for (i, q) in f.questions.iter().enumerate() {
            page.numbered(i + 1, q, &[]);
        }
    }
    quiz(&mut page, m, false);
    page.section("How to play");
    page.para(&format!(
        "In the game: `zerodown play {id}`. Headless: write one command a line in a file and run `zerodown run {id} --script FILE --report REPORT.json`. `zerodown commands --mission {id}` lists what this mission lets you use, and `zerodown check FILE --mission {id}` checks a script before you run it."
    ));
    page.finish()
}

/// The quiz, with the answers marked and explained when `answers`.
fn quiz<P: Page>(page: &mut P, m: &Mission, answers: bool) {
    if m.quiz.is_empty() {
        return;
    }
    page.section(if answers {
        "Quiz (answers marked ✔)"
    } else {
        "Quiz"
    });
    for (i, q) in m.quiz.iter().enumerate() {
        let mut lines: Vec<(bool, String)> = q
            .choices
            .iter()
            .enumerate()
            .map(|(c, text)| (answers && c == q.answer, format!("{}) {text}", letter(c))))
            .collect();
        if answers && !q.why.trim().is_empty() {
            lines.push((false, format!("Why: {}", q.why)));
        }
        page.numbered(i + 1, &q.q, &lines);
    }
}

fn write<P: Page>(mut page: P, id: &str, m: &Mission, measured: &Measured) -> String {
    page.title(
        &m.title,
        &format!("Chapter {} · {id} · facilitator notes", m.chapter),
    );
    page.section("What it teaches");
    page.para(&m.concept);
    if let Some(f) = &m.facilitator {
        page.section("Timing");
        page.para(&f.timing);
        page.section("Discussion questions");
        for (i, q) in f.questions.iter().enumerate() {
            page.numbered(i + 1, q, &[]);
        }
        page.section("Common mistakes");
        for mistake in &f.mistakes {
            page.bullet(&mistake.what, &mistake.why);
        }
    } else {
        page.section("Facilitator notes");
        page.para("This mission has no `facilitator` section (timing, questions, mistakes).");
    }
    quiz(&mut page, m, true);
    page.section("Measured");
    measured_plays(&mut page, measured.plays, measured.seed, measured.which);
    if measured.answers {
        for p in measured.plays {
            page.section(&format!("Script: {} ({})", p.name, p.file));
            page.code(&p.text);
        }
    } else if !measured.plays.is_empty() {
        page.para("");
        page.para("`--answers` prints these scripts.");
    }
    page.finish()
}

/// `a`, `b`, `c`… for quiz choices.
fn letter(i: usize) -> char {
    (b'a'..=b'z').nth(i).map_or('?', char::from)
}

/// The table of measured plays and what each one missed.
fn measured_plays<P: Page>(page: &mut P, plays: &[Play], seed: u64, which: &str) {
    if plays.is_empty() {
        page.para("No reference scripts found for this mission: nothing to measure.");
        return;
    }
    page.para(&format!("Played headless on seed {seed} ({which})."));
    page.para("");
    let header = [
        "play",
        "outcome",
        "stars",
        "points",
        "downtime",
        "users affected",
    ];
    let rows: Vec<Vec<String>> = plays
        .iter()
        .map(|p| {
            let r = &p.report;
            vec![
                p.name.to_string(),
                r.outcome.clone(),
                stars(r.stars),
                r.score.points.to_string(),
                format!("{}s", r.score.downtime_s),
                format!("{:.2}%", r.score.users_affected_pct),
            ]
        })
        .collect();
    page.table(&header, &rows);
    page.para("");
    for p in plays {
        let missed: Vec<&str> = p
            .report
            .objectives
            .iter()
            .filter(|o| !o.met)
            .map(|o| o.text.as_str())
            .collect();
        let verdict = if missed.is_empty() {
            "meets every objective".to_string()
        } else {
            format!("misses: {}", missed.join("; "))
        };
        page.bullet(&format!("{} ({})", p.name, p.file), &verdict);
    }
}
