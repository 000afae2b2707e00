//! Checking a mission file with many problems: every problem placed at its line and column.
//!
//! Target (BENCHMARKS.md): any file under the 4 MiB source limit is checked in well under a
//! second. The files are generated: mission 04 with its `unlocks` list replaced by `n`
//! unknown command names (each one a problem to place), and with `n` broken versions.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use zerodown::mission::{builtin, load_str};

/// Mission 04's text with `unlocks: [..]` replaced by `n` unknown names.
fn bad_unlocks(n: usize) -> String {
    let source = builtin()
        .iter()
        .find(|(id, _)| *id == "04-rolling-at-peak")
        .map(|(_, s)| *s)
        .expect("mission 04 is built in");
    let names: Vec<String> = (0..n).map(|i| format!("\"bad{i}\"")).collect();
    let list = format!("unlocks: [{}]", names.join(", "));
    source.replacen(r#"unlocks: ["rolling", "abort", "rollback"]"#, &list, 1)
}

/// Mission 04's text with `n` more versions, each with an error share of 2 (a problem).
fn bad_versions(n: usize) -> String {
    let source = bad_unlocks(0);
    let versions: Vec<String> = (0..n).map(|i| format!("\"x{i}\": (errors: 2.0)")).collect();
    source.replacen(
        "versions: {",
        &format!("versions: {{{},", versions.join(", ")),
        1,
    )
}

fn check_many(c: &mut Criterion) {
    let mut group = c.benchmark_group("mission check");
    group.sample_size(10);
    // 300 000 names is a 3.8 MB file, just under the 4 MiB limit; 150 000 versions 3.6 MB.
    let files = [
        ("unlocks/20000", bad_unlocks(20_000), 20_000),
        ("unlocks/300000", bad_unlocks(300_000), 300_000),
        ("versions/150000", bad_versions(150_000), 150_000),
    ];
    for (name, text, problems) in files {
        assert!(text.len() < 4 * 1024 * 1024, "{name}: {} bytes", text.len());
        group.bench_function(name, |b| {
            b.iter(|| {
                let e = load_str(black_box(&text), "big.ron").expect_err("refused");
                assert_eq!(e.count(), problems);
            });
        });
    }
    group.finish();
}

criterion_group!(benches, check_many);
criterion_main!(benches);
