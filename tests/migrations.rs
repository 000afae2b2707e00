//! Expand/contract as teams run it, played on mission 11: the dual write must be on before
//! the backfill copies (the gap otherwise leaves rows missing from the new column, and reads
//! of it are wrong in proportion), a trigger or a second backfill closes the gap, and once a
//! release stops writing the old column, code that reads it (beside it, or after a
//! rollback) serves stale rows. None of it fails a request: only the count shows it.

mod common;

use common::{apply, builtin};
use zerodown::report::Report;
use zerodown::sim::{Sim, WrongRead};

const EXPAND: &str = "wait 10s\nmigrate expand\nwait until idle timeout=3m\n";
const BACKFILL: &str = "migrate backfill\nwait until idle timeout=3m\n";
const TRIGGER: &str = "migrate trigger\nwait until idle timeout=3m\n";

fn roll(v: &str) -> String {
    format!("rolling {v} batch=2\nwait until all-on {v} timeout=8m\n")
}

/// Mission 11 played with `script` (then two more minutes), seed 1: the report and the sim.
fn play(script: &str) -> (Report, Sim) {
    let mission = builtin("11-migration");
    let parsed = zerodown::command::parse_script(&format!("{script}wait 2m\n")).expect("script");
    let mut run = zerodown::runner::Run::new(&mission, 1);
    for line in &parsed.lines {
        run.command(&line.command);
    }
    let sim = run.sim.clone();
    (run.finish("11-migration", 1), sim)
}

fn logged(r: &Report, needle: &str) -> Vec<String> {
    r.events
        .iter()
        .filter(|e| e.text.contains(needle))
        .map(|e| e.text.clone())
        .collect()
}

fn wrong(sim: &Sim) -> [u64; 3] {
    [
        WrongRead::NotBackfilled,
        WrongRead::Missed,
        WrongRead::Stale,
    ]
    .map(|c| sim.wrong_reads_of(c))
}

#[test]
fn the_dual_write_gap_gives_wrong_reads() {
    // The sequence everyone remembers, with the dual write after the copy: v1 writes
    // `address` only between the backfill and the last v2 server.
    let gap = format!("{EXPAND}{BACKFILL}{}{}", roll("v2"), roll("v3"));
    let (r, sim) = play(&gap);
    let [unfilled, missed, stale] = wrong(&sim);
    assert_eq!((unfilled, stale), (0, 0), "only the gap");
    assert!(missed > 1000, "missed {missed}");
    assert_eq!(sim.wrong_reads(), missed);
    assert_eq!(r.score.failed_requests, 0, "users see no error");
    let said = logged(&r, "dual-write gap");
    assert_eq!(said.len(), 1, "{:?}", r.events);
    assert!(
        said[0].contains("v1 wrote the old column only"),
        "{}",
        said[0]
    );
    // Some rows, not all: the share missing is what v1 wrote after the copy.
    let missing = sim.columns().missing();
    assert!(missing > 0.005 && missing < 0.2, "missing {missing}");

    // A longer gap misses more rows, and more reads come back wrong.
    let longer = format!("{EXPAND}{BACKFILL}wait 3m\n{}{}", roll("v2"), roll("v3"));
    let (_, later) = play(&longer);
    assert!(
        later.columns().missing() > 1.5 * missing,
        "{} vs {missing}",
        later.columns().missing()
    );
    assert!(later.wrong_reads_of(WrongRead::Missed) > missed);

    // The dual write first: every row the backfill copies stays right.
    let safe = format!("{EXPAND}{}{BACKFILL}{}", roll("v2"), roll("v3"));
    let (r, sim) = play(&safe);
    assert_eq!(wrong(&sim), [0, 0, 0], "{:?}", logged(&r, "data:"));
    assert_eq!(sim.columns().missing(), 0.0);
}

#[test]
fn a_trigger_or_a_second_backfill_closes_the_gap() {
    let trigger = format!("{EXPAND}{TRIGGER}{BACKFILL}{}", roll("v3"));
    let (_, sim) = play(&trigger);
    assert_eq!(wrong(&sim), [0, 0, 0], "the database wrote both columns");
    let again = format!("{EXPAND}{BACKFILL}{}{BACKFILL}{}", roll("v2"), roll("v3"));
    let (r, sim) = play(&again);
    assert_eq!(wrong(&sim), [0, 0, 0], "{:?}", logged(&r, "data:"));
    assert!(
        logged(&r, "refused `migrate").is_empty(),
        "a backfill may run again"
    );
}

#[test]
fn reading_the_new_column_before_the_backfill_is_wrong() {
    let (r, sim) = play(&format!("{EXPAND}{}{}", roll("v2"), roll("v3")));
    let [unfilled, missed, stale] = wrong(&sim);
    assert!(unfilled > 10_000, "unfilled {unfilled}");
    assert_eq!((missed, stale), (0, 0));
    assert_eq!(logged(&r, "silently wrong data").len(), 1);
}

#[test]
fn stopping_the_old_write_makes_old_readers_stale() {
    let shipped = format!(
        "{EXPAND}{}{BACKFILL}{}{}",
        roll("v2"),
        roll("v3"),
        roll("v4")
    );
    // Back one step (v3 reads the new column): nothing goes wrong.
    let (_, sim) = play(&format!("{shipped}wait 1m\n{}", roll("v3")));
    assert_eq!(wrong(&sim), [0, 0, 0]);
    // Back to v2, which reads `address`: v4 stopped writing it, so rows it wrote are stale.
    let (r, sim) = play(&format!("{shipped}wait 1m\n{}", roll("v2")));
    let [unfilled, missed, stale] = wrong(&sim);
    assert_eq!((unfilled, missed), (0, 0));
    assert!(stale > 1000, "stale {stale}");
    let said = logged(&r, "stale data");
    assert_eq!(said.len(), 1, "{:?}", r.events);
    assert!(said[0].contains("which v4 no longer writes"), "{}", said[0]);
    assert_eq!(r.score.failed_requests, 0);
    // Skipping v3, v2 and v4 serve side by side: stale reads during the rollout itself.
    let skip = format!("{EXPAND}{}{BACKFILL}{}", roll("v2"), roll("v4"));
    let (_, sim) = play(&skip);
    assert!(sim.wrong_reads_of(WrongRead::Stale) > 0);
}

#[test]
fn the_contract_breaks_code_that_still_writes_the_old_column() {
    // v3 reads only the new column, but still writes `address`.
    let early = format!(
        "{EXPAND}{}{BACKFILL}{}migrate contract\nwait until idle timeout=3m\n",
        roll("v2"),
        roll("v3")
    );
    let (r, sim) = play(&early);
    assert_eq!(
        sim.rule_state().unsafe_migration.as_deref(),
        Some("contract")
    );
    assert!(!logged(&r, "v3 does not work with schema 3").is_empty());
}

#[test]
fn a_backfill_or_a_trigger_needs_the_new_column() {
    let mut sim = Sim::new(&builtin("11-migration"), 1);
    for m in ["backfill", "trigger"] {
        let refused = sim.apply(&common::cmd(&format!("migrate {m}")));
        assert!(
            refused.is_err_and(|e| e.to_string().contains("needs schema 2")),
            "{m}"
        );
    }
    apply(&mut sim, "migrate expand");
}
