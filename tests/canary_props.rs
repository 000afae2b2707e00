//! The canary analysis judges the release, not the load: on a weighted balancer a healthy
//! canary passes at any utilisation up to 85 %, and a canary whose every request is 1.5×
//! slower fails on p99 at any utilisation, whatever the fleet size and the weight.

mod common;

use common::{Spec, run_text};
use proptest::prelude::*;
use zerodown::report::Report;

fn analysis(fleet: u32, load: f64, weight: u32, v2: &str, seed: u64) -> Report {
    let mission = Spec::fleet(fleet, f64::from(fleet) * 100.0 * load)
        .v2(v2)
        .lasting("4m")
        .mission();
    let script = format!("wait 5s\ncanary v2 steps={weight},100 interval=1m\nwait 2m");
    run_text(&mission, &script, seed)
}

fn verdicts(r: &Report) -> (usize, usize, Vec<String>) {
    let texts: Vec<String> = r
        .events
        .iter()
        .filter(|e| e.text.starts_with("analysis"))
        .map(|e| e.text.clone())
        .collect();
    let passed = texts
        .iter()
        .filter(|t| t.starts_with("analysis passed"))
        .count();
    let failed = texts
        .iter()
        .filter(|t| t.starts_with("analysis failed"))
        .count();
    (passed, failed, texts)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_analysis_judges_the_release_not_the_load(
        fleet in 3u32..=40,
        load in 0.10f64..=0.85,
        weight in 1u32..=50,
        seed in 1u64..=1000,
    ) {
        // A sample the analysis can judge: at least one canary request a second (fewer is
        // inconclusive by design, and pauses for the player).
        prop_assume!(f64::from(fleet) * 100.0 * load * f64::from(weight) / 100.0 >= 1.0);
        let (passed, failed, texts) = verdicts(&analysis(fleet, load, weight, "", seed));
        prop_assert!(passed >= 1 && failed == 0, "healthy: {texts:?}");
        let (_, failed, texts) =
            verdicts(&analysis(fleet, load, weight, "latency_factor: 1.5", seed));
        prop_assert!(
            failed >= 1 && texts.iter().any(|t| t.contains("p99")),
            "1.5× slower: {texts:?}"
        );
    }
}
