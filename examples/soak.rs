//! Soak: 24 game-hours of a 1 000-server fleet, printing resident memory every 2 game-hours,
//! to show that memory stays flat (bounded history and event log).
//!
//! `cargo run --release --example soak [hours] [servers]`

use std::time::Instant;

use zerodown::mission::load_str;
use zerodown::sim::Sim;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

#[allow(clippy::disallowed_methods)] // measuring wall time is the point here
fn main() {
    let mut args = std::env::args().skip(1);
    let hours: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(24);
    let servers: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let rps = f64::from(servers) * 70.0;
    let text = format!(
        r#"Mission(
            title: "soak", fleet: (servers: {servers}, capacity_rps: 100.0),
            traffic: (base_rps: {rps}, shape: Wave(amplitude: 0.3, period: "24h")),
            versions: {{ "v1": (leak_mb_per_min: 2.0) }},
            start: (version: "v1"), duration: "48h",
            objectives: [DowntimeAtMost("0s")], stars: (two: 500, three: 900),
        )"#
    );
    let mission = match load_str(&text, "soak.ron") {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let mut sim = Sim::new(&mission, 1);
    println!("game_h  rss_kib  wall_s  events_kept  history_kept");
    for h in 1..=hours {
        for _ in 0..36_000 {
            sim.step();
        }
        if h % 2 == 0 || h == 1 {
            println!(
                "{h:>6}  {:>7}  {:>6.1}  {:>11}  {:>12}",
                rss_kib(),
                start.elapsed().as_secs_f64(),
                sim.events().iter().count(),
                sim.history().len()
            );
        }
    }
}
