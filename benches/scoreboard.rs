//! The classroom scoreboard re-simulates every report: how long one check takes.
//!
//! Target (BENCHMARKS.md): a class of 30 students × 16 missions (480 reports) checked in
//! under a minute on a 2-core laptop, i.e. well under 250 ms per report on one core.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use zerodown::command::parse_script;
use zerodown::mission::{resolve, solution_script};
use zerodown::runner::run_script;
use zerodown::scoreboard::check_text;

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

criterion_group!(benches, check_one);
criterion_main!(benches);
