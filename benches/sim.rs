//! Simulation speed: game time per wall time for fleets of 100, 1 000 and 10 000 servers.
//!
//! Target (BENCHMARKS.md): one game-hour of a 1 000-server fleet in under 2 s on one core,
//! cost linear in servers.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerodown::mission::{Mission, load_str};
use zerodown::sim::Sim;

/// A fleet at 70 % load with noise on, two versions, a leak and a tail on v2.
pub fn fleet(servers: u32) -> Mission {
    let rps = f64::from(servers) * 70.0;
    let text = format!(
        r#"Mission(
            title: "bench", fleet: (servers: {servers}, capacity_rps: 100.0),
            traffic: (base_rps: {rps}, shape: Wave(amplitude: 0.2, period: "1h")),
            versions: {{ "v1": (), "v2": (tail: Some((share: 0.05, factor: 8.0)), leak_mb_per_min: 5.0) }},
            start: (version: "v1"), duration: "48h",
            objectives: [DowntimeAtMost("0s")], stars: (two: 500, three: 900),
        )"#
    );
    match load_str(&text, "bench.ron") {
        Ok(m) => m,
        Err(e) => panic!("bench mission: {e}"),
    }
}

fn game_minute(c: &mut Criterion) {
    let mut group = c.benchmark_group("game_minute");
    group.sample_size(10);
    for servers in [100u32, 1_000, 10_000] {
        let mission = fleet(servers);
        group.throughput(Throughput::Elements(u64::from(servers) * 600));
        group.bench_with_input(BenchmarkId::from_parameter(servers), &mission, |b, m| {
            b.iter_batched(
                || Sim::new(m, 1),
                |mut sim| {
                    for _ in 0..600 {
                        sim.step();
                    }
                    black_box(sim.tick())
                },
                criterion::BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

fn game_hour_1000(c: &mut Criterion) {
    let mut group = c.benchmark_group("game_hour");
    group.sample_size(10);
    let mission = fleet(1_000);
    group.bench_function("1000_servers", |b| {
        b.iter_batched(
            || Sim::new(&mission, 1),
            |mut sim| {
                for _ in 0..36_000 {
                    sim.step();
                }
                black_box(sim.tick())
            },
            criterion::BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, game_minute, game_hour_1000);
criterion_main!(benches);
