//! Physics of the fleet: load, latency, overload, memory, through the sim API directly.

use zerodown::command::{Command, Target, Targets};
use zerodown::mission::{Mission, load_str};
use zerodown::runner::Run;

/// A fleet of `servers` × 100 rps at `rps` load, with extra version fields for v2.
fn mission(servers: u32, rps: f64, v2: &str) -> Mission {
    let text = format!(
        r#"Mission(
            title: "test", fleet: (servers: {servers}, capacity_rps: 100.0),
            traffic: (base_rps: {rps}, noise: false),
            versions: {{ "v1": (), "v2": ({v2}) }},
            start: (version: "v1"), duration: "10m",
            objectives: [DowntimeAtMost("0s")], stars: (two: 500, three: 900),
        )"#
    );
    load_str(&text, "test.ron").expect("test mission parses")
}

fn servers(a: u32, b: u32) -> Targets {
    Targets(vec![Target::Range(
        format!("web-{a:02}"),
        format!("web-{b:02}"),
    )])
}

fn run_for(run: &mut Run, secs: u64) {
    for _ in 0..secs * 10 {
        run.step();
    }
}

#[test]
fn print_a_run() {
    let m = mission(20, 1200.0, "");
    let mut run = Run::new(&m, 1);
    run_for(&mut run, 20);
    run.sim
        .apply(&Command::Drain(servers(1, 8)))
        .expect("drain");
    run_for(&mut run, 60);
    run.sim
        .apply(&Command::Deploy {
            version: "v2".into(),
            targets: servers(1, 8),
        })
        .expect("deploy");
    run_for(&mut run, 90);
    let r = run.finish("t", 1);
    for e in r.timeline.iter().step_by(5).take(40) {
        println!(
            "t={:>3} arr={:>5} ok={:>5} fail={:>5} infl={:>4} p50={:>6} p99={:>6} cpu={:.2} in={}",
            e.t,
            e.arrived,
            e.ok,
            e.failed,
            e.in_flight,
            e.p50_ms,
            e.p99_ms,
            e.cpu_avg,
            e.in_service
        );
    }
    for e in &r.events {
        println!("{:>6} {} {}", e.t, e.severity, e.text);
    }
    println!("{:?}", r.score);
}
