//! The facilitator notes' common mistakes are recognised from run reports (`seen` in each
//! mission file), so `zerodown scoreboard --by-mission` can count who made which. A sign
//! holds only if it tells the plays apart: it is seen in at least one of the mission's
//! naive plays (`levels/plays/<id>/naive-*.txt`, or the mistake script), never in the
//! reference solution or a pro play.

mod common;

use common::{builtin, crate_path};
use zerodown::command::parse_script;
use zerodown::mission::{mistake_script, solution_script};
use zerodown::report::Report;
use zerodown::runner::run_script;

/// (name, report) of every play of `id` on the mission's seed.
fn plays(id: &str) -> Vec<(String, Report)> {
    let mission = builtin(id);
    let mut texts: Vec<(String, String)> = vec![
        (
            "solution".into(),
            solution_script(id).expect("a solution").into(),
        ),
        (
            "mistake".into(),
            mistake_script(id).expect("a mistake").into(),
        ),
    ];
    let dir = crate_path(&format!("levels/plays/{id}"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("plays")
        .map(|e| e.expect("entry").path())
        // `pending/` holds plays the engine cannot judge yet: they are not run.
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for p in files {
        let name = p
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        texts.push((name, std::fs::read_to_string(&p).expect("a play")));
    }
    texts
        .into_iter()
        .map(|(name, text)| {
            let script = parse_script(&text).unwrap_or_else(|e| panic!("{id}/{name}: {e:?}"));
            let report = run_script(&mission, id, &script, mission.seed);
            (name, report)
        })
        .collect()
}

#[test]
fn every_common_mistake_is_recognised_in_the_plays_that_make_it_and_no_other() {
    let mut wrong = Vec::new();
    for (id, _) in zerodown::mission::builtin() {
        let mission = builtin(id);
        let mistakes = mission
            .facilitator
            .as_ref()
            .map(|f| f.mistakes.clone())
            .unwrap_or_default();
        let plays = plays(id);
        for m in &mistakes {
            let Some(sign) = &m.seen else {
                wrong.push(format!("{id}: `{}` has no `seen` rule", m.what));
                continue;
            };
            let seen: Vec<&str> = plays
                .iter()
                .filter(|(_, r)| sign.seen_in(r))
                .map(|(n, _)| n.as_str())
                .collect();
            let sound = seen
                .iter()
                .filter(|n| **n == "solution" || n.starts_with("pro-"));
            for n in sound {
                wrong.push(format!("{id}: `{}` seen in the sound play {n}", m.what));
            }
            if !seen
                .iter()
                .any(|n| *n == "mistake" || n.starts_with("naive-"))
            {
                wrong.push(format!("{id}: `{}` seen in no naive play", m.what));
            }
        }
        let (_, mistake) = &plays[1];
        if !mistakes
            .iter()
            .any(|m| m.seen.as_ref().is_some_and(|s| s.seen_in(mistake)))
        {
            wrong.push(format!(
                "{id}: its mistake script shows none of its mistakes"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// For writing the rules: `DUMP_PLAYS=07-canary cargo test --test mistakes dump -- --nocapture`
/// prints each play's commands, missed objectives and warnings (every log line with
/// `DUMP_INFO=1`), and which of the mission's mistakes its report shows.
#[test]
fn dump() {
    let Ok(id) = std::env::var("DUMP_PLAYS") else {
        return;
    };
    let all = std::env::var("DUMP_INFO").is_ok();
    let mission = builtin(&id);
    let mistakes = mission
        .facilitator
        .as_ref()
        .map(|f| f.mistakes.clone())
        .unwrap_or_default();
    for (name, r) in plays(&id) {
        // Which of the mission's mistakes (numbered from 1) the play's report shows.
        let seen: Vec<usize> = (1..=mistakes.len())
            .filter(|i| mistakes[i - 1].seen.as_ref().is_some_and(|s| s.seen_in(&r)))
            .collect();
        println!("== {name} ({}) mistakes seen: {seen:?}", r.outcome);
        for c in &r.commands {
            println!("   > {:>6.1} {}", c.t, c.command);
        }
        for o in r.objectives.iter().filter(|o| !o.met) {
            println!("   ✖ {}", o.text);
        }
        for e in r.events.iter().filter(|e| all || e.severity != "info") {
            println!("   ! {:>6.1} {} {}", e.t, e.severity, e.text);
        }
    }
}
