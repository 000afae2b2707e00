//! `zerodown whatif`: a config played against 8 faults (the drill's kinds) on 5 seeds,
//! on 100 servers — 40 headless runs of up to 15 game-minutes, spread over the cores.
//!
//! Two configs: a Deployment with no checks (every bad release ships, so every run lasts
//! its 15 minutes: the slowest case) and an Argo canary with guards and analysis (runs
//! settle once a fault is caught).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use zerodown::drill::FaultKind;
use zerodown::manifest::import;
use zerodown::manifest::whatif::{Fault, Fleet, run};

fn config(name: &str) -> String {
    let path = format!("{}/tests/manifests/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn whatif(c: &mut Criterion) {
    let mut group = c.benchmark_group("whatif_8_faults_5_seeds_100_servers");
    group.sample_size(10);
    let faults: Vec<Fault> = FaultKind::ALL.iter().map(|k| Fault::Kind(*k)).collect();
    let seeds = [1, 2, 3, 4, 5];
    let fleet = Fleet {
        servers: 100,
        capacity_rps: 100.0,
        rps: None,
    };
    for name in ["deployment-defaults.yaml", "argo-canary-guarded.yaml"] {
        let text = config(name);
        let imported = match import(&text, &|_| None) {
            Ok(i) => i,
            Err(e) => panic!("{name}: {e}"),
        };
        group.bench_function(name, |b| {
            b.iter(|| black_box(run(&imported, fleet, &faults, &seeds)));
        });
    }
    group.finish();
}

criterion_group!(benches, whatif);
criterion_main!(benches);
