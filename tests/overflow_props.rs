//! Numbers from outside cannot wrap the sim: any mission the validator accepts, with any
//! command the parser accepts, runs a game-minute without panicking. Tests build with
//! overflow checks (the dev profile's debug assertions), so a wrapped counter fails here.

use proptest::prelude::*;
use zerodown::command::parse_command;
use zerodown::mission::load_str;
use zerodown::runner::Run;
use zerodown::time::TICKS_PER_SEC;

const TINY: &str = include_str!("missions/tiny.ron");

/// Numbers at and around every bound, and anything else a file could hold.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        2 => prop::sample::select(vec![
            0.0,
            1e-300,
            0.001,
            0.5,
            1.0,
            1e3,
            1e7,
            1.000_000_1e7,
            1e9,
            1e12,
            1e300,
            1e308,
        ]),
        4 => 0.001..1e3f64,
        1 => 0.0..2e7f64,
        1 => any::<f64>().prop_filter("finite", |x| x.is_finite()),
    ]
}

/// A whole number as a command would hold it: small, at the bounds, or any u32.
fn whole() -> impl Strategy<Value = u64> {
    prop_oneof![
        prop::sample::select(vec![0u64, 1, 4, 100, 10_000, 10_001, 4_294_967_295]),
        any::<u32>().prop_map(u64::from),
    ]
}

/// RON for a float: exponent notation keeps 1e308 short and is read back exactly.
fn ron(x: f64) -> String {
    format!("{x:e}")
}

/// Tiny's numbers replaced by these (its four servers kept, so a minute runs fast).
fn mission_text(n: [f64; 9], ramp: bool) -> String {
    let shape = if ramp {
        format!("shape: Ramp(to_rps: {}),", ron(n[8]))
    } else {
        "shape: Flat,".to_string()
    };
    TINY.replacen("base_rps: 200.0,", &format!("base_rps: {},", ron(n[0])), 1)
        .replacen(
            "capacity_rps: 100.0,",
            &format!("capacity_rps: {},", ron(n[1])),
            1,
        )
        .replacen(
            "factor: 1.5)]",
            &format!(
                "factor: {}), (at: \"5s\", length: \"1m\", factor: {})]",
                ron(n[2]),
                ron(n[2])
            ),
            1,
        )
        .replacen(
            "latency_factor: 1.0,",
            &format!("latency_factor: {},", ron(n[3])),
            1,
        )
        .replacen(
            "cpu_factor: 1.0,",
            &format!("cpu_factor: {},", ron(n[4])),
            1,
        )
        .replacen("factor: 3.0)", &format!("factor: {})", ron(n[5])), 1)
        .replacen(
            "requests_per_user_s: 0.5,",
            &format!("requests_per_user_s: {},", ron(n[6])),
            1,
        )
        .replacen(
            "capacity_qps: 1000000.0)",
            &format!(
                "capacity_qps: {}, rows: {}, blip: (at: \"10s\", lasts: \"20s\", errors: 0.5))",
                ron(n[7]),
                ron(n[7])
            ),
            1,
        )
        .replacen("shape: Flat,", &shape, 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_accepted_mission_and_command_run_a_minute(
        n in prop::array::uniform9(number()),
        ramp in any::<bool>(),
        a in whole(),
        b in whole(),
        template in 0usize..5,
        seed in any::<u64>(),
    ) {
        // Tiny's spike starts at 5m: start every spike at once so that the minute meets it.
        let text = mission_text(n, ramp).replacen("(at: \"5m\"", "(at: \"1s\"", 1);
        let Ok(mission) = load_str(&text, "t.ron") else {
            return Ok(());
        };
        let line = match template {
            0 => format!("rolling v2 surge={a} unavailable={b}"),
            1 => format!("rolling v2 batch={a}"),
            2 => format!("canary v2 steps=1,{} interval=10s limit={b}", a % 100 + 1),
            3 => format!("rolling v2 surge={}% unavailable={b}", a % 101),
            _ => "bluegreen v2".to_string(),
        };
        let mut run = Run::new(&mission, seed);
        run.step();
        if let Ok(cmd) = parse_command(&line) {
            run.command(&cmd);
        }
        for _ in 0..60 * TICKS_PER_SEC {
            if !run.step() {
                break;
            }
        }
        prop_assert!(run.sim.history().last().is_some());
    }
}

/// Every number at its bound at once is accepted, and runs a minute with the largest surge.
#[test]
fn a_mission_with_every_number_at_its_bound_runs() {
    let n = [1e7, 1e7, 1e3, 1e3, 1e3, 1e3, 1e3, 1e12, 1e7];
    let text = mission_text(n, true).replacen("(at: \"5m\"", "(at: \"1s\"", 1);
    let mission = load_str(&text, "t.ron").unwrap_or_else(|e| panic!("accepted:\n{e}"));
    let mut run = Run::new(&mission, 7);
    let cmd = parse_command("rolling v2 surge=10000 unavailable=10000").expect("parses");
    run.command(&cmd);
    for _ in 0..60 * TICKS_PER_SEC {
        run.step();
    }
    let m = run.sim.history().last().expect("a second recorded");
    assert!(m.arrived > 0);
}

/// The cases the issue named, accepted before: each is now refused with its position.
#[test]
fn the_reported_numbers_are_refused() {
    for (to, want) in [
        (
            "factor: 1e308)]",
            "traffic.spikes[0].factor must be at most 1000",
        ),
        (
            "base_rps: 1e308,",
            "traffic.base_rps must be at most 10000000",
        ),
    ] {
        let from = if to.starts_with("factor") {
            "factor: 1.5)]"
        } else {
            "base_rps: 200.0,"
        };
        let text = TINY.replacen(from, to, 1);
        let e = load_str(&text, "t.ron").expect_err("refused");
        assert_eq!(e.problems.len(), 1, "{e}");
        assert!(e.problems[0].message.contains(want), "{e}");
        assert!(e.problems[0].line > 1 && e.problems[0].column > 1, "{e}");
    }
}
