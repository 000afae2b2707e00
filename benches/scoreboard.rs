//! The classroom scoreboard re-simulates every report: how long one check takes. A replay
//! steps back the same way (re-simulating from the start): how long the longest seek takes.
//!
//! Targets (BENCHMARKS.md): a class of 30 students × 16 missions (480 reports) checked in
//! under a minute on a 2-core laptop, i.e. well under 250 ms per report on one core; a
//! replay's step back from a mission's end to just before it in under 0.3 s.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use zerodown::command::parse_script;
use zerodown::mission::{resolve, solution_script};
use zerodown::replay::Recording;
use zerodown::runner::run_script;
use zerodown::scoreboard::check_text;
use zerodown::ui::{Game, Playback};

/// The JSON report of a mission's reference solution on its own seed.
fn report(id: &str) -> String {
    let (_, mission) = resolve(id).unwrap_or_else(|e| panic!("{id}: {e}"));
    let script = solution_script(id).unwrap_or_else(|| panic!("{id}: no solution"));
    let script = parse_script(script).unwrap_or_else(|e| panic!("{id}: {e:?}"));
    run_script(&mission, id, &script, mission.seed).to_json()
}

fn check_one(c: &mut Criterion) {
    let mut group = c.benchmark_group("scoreboard check");
    group.sample_size(20);
    // The smallest, a typical and the largest mission (100 servers, 15 game-minutes).
    for id in ["01-one-server", "07-canary", "16-interview"] {
        let json = report(id);
        group.bench_function(id, |b| {
            b.iter(|| {
                let checked = check_text(black_box(&json), None);
                assert!(checked.is_ok(), "{id}: {checked:?}");
            });
        });
    }
    group.finish();
}

/// A replay at its end steps 10 s back: the whole recording is played again from the start
/// (the worst seek there is), on the longest mission (50 game-minutes) and the largest
/// fleet (100 servers).
fn step_back(c: &mut Criterion) {
    let mut group = c.benchmark_group("replay step back from the end");
    group.sample_size(10);
    for id in ["12-sessions", "16-interview"] {
        let (_, mission) = resolve(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let recording = Recording::from_report_json(&report(id)).expect("replayable");
        let playback = Playback::new("bench", recording.commands.clone());
        let mut at_end = Game::replay(id, &mission, recording.seed, playback);
        at_end.seek(u64::MAX);
        group.bench_function(id, |b| {
            b.iter_batched(
                || at_end.clone(),
                |mut game| {
                    game.step_clock(false);
                    black_box(game.sim.tick())
                },
                criterion::BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, check_one, step_back);
criterion_main!(benches);
