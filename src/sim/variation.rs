//! Faults that vary by seed: a mission's hidden fault keeps its kind (the lesson) but its
//! onset, severity and the share of users it hits are drawn from the seed, so a script
//! with fixed waits tuned to one seed does not pass everywhere; reacting to what the charts
//! show (guards, the analysis, `wait until <metric>`) does.
//!
//! Opt-in per mission (`vary_faults: true`): the drill and sandboxes describe their faults
//! exactly. The draws come from their own RNG stream, so traffic is the same whatever the
//! faults, and the same mission and seed always give the same faults.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::VersionInfo;
use crate::mission::Version;
use crate::time::Dur;

/// The RNG stream of the fault draws (fixed forever, like the traffic's).
const STREAM_FAULTS: u64 = 2;

/// Onset is scaled by a factor in this range …
const ONSET: (f64, f64) = (0.6, 1.6);
/// … severity (error share, leak rate, the extra latency or CPU) in this one …
const SEVERITY: (f64, f64) = (0.8, 1.2);
/// … and the share of users a fault hits in this one.
const REACH: (f64, f64) = (0.85, 1.15);

/// Draws each defective version's fault for `seed`; healthy versions stay as they are. A
/// version with other `kinds` first draws which fault it hides (its own, or one of them).
pub fn vary(
    versions: &mut [VersionInfo],
    seed: u64,
    kinds: &std::collections::BTreeMap<String, Vec<Version>>,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(STREAM_FAULTS);
    for v in versions {
        // Every version draws the same number of times, so one fault's draws never shift
        // another's when a mission changes a version.
        let draws: [f64; 4] = std::array::from_fn(|_| rng.random::<f64>());
        if let Some(others) = kinds.get(&v.name).filter(|k| !k.is_empty()) {
            let pick = (draws[3] * (others.len() + 1) as f64) as usize;
            if let Some(other) = pick.checked_sub(1).and_then(|i| others.get(i)) {
                v.spec = other.clone();
            }
        }
        vary_one(&mut v.spec, draws);
    }
}

fn pick(range: (f64, f64), u: f64) -> f64 {
    range.0 + (range.1 - range.0) * u
}

fn vary_one(spec: &mut Version, [onset, severity, reach, _]: [f64; 4]) {
    let k = pick(SEVERITY, severity);
    if spec.onset_after > Dur::default() {
        let secs = (spec.onset_after.millis() as f64 / 1000.0 * pick(ONSET, onset)).round();
        spec.onset_after = Dur::from_secs(secs.max(1.0) as u64);
    }
    if spec.errors > 0.0 {
        spec.errors = (spec.errors * k).clamp(0.0, 1.0);
        spec.affects_users = (spec.affects_users * pick(REACH, reach)).clamp(0.05, 1.0);
    }
    if spec.leak_mb_per_min > 0.0 {
        spec.leak_mb_per_min *= k;
    }
    if spec.latency_factor != 1.0 {
        spec.latency_factor = 1.0 + (spec.latency_factor - 1.0) * k;
    }
    if spec.cpu_factor != 1.0 {
        spec.cpu_factor = (1.0 + (spec.cpu_factor - 1.0) * k).max(0.1);
    }
    if let Some(t) = &mut spec.tail {
        t.share = (t.share * pick(REACH, reach)).clamp(0.0, 1.0);
        t.factor = 1.0 + (t.factor - 1.0) * k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faulty() -> Vec<VersionInfo> {
        let spec = Version {
            errors: 0.4,
            affects_users: 0.5,
            onset_after: Dur::from_secs(40),
            ..Version::default()
        };
        vec![
            VersionInfo {
                name: "v1".into(),
                spec: Version::default(),
            },
            VersionInfo {
                name: "v2".into(),
                spec,
            },
        ]
    }

    #[test]
    fn the_fault_keeps_its_kind_and_varies_within_its_range() {
        let mut onsets = Vec::new();
        for seed in 0..50 {
            let mut v = faulty();
            vary(&mut v, seed, &std::collections::BTreeMap::new());
            assert_eq!(
                v[0].spec,
                Version::default(),
                "a healthy version stays healthy"
            );
            let s = &v[1].spec;
            assert!((0.32..=0.48).contains(&s.errors), "{}", s.errors);
            assert!((0.42..=0.58).contains(&s.affects_users));
            let o = s.onset_after.millis() / 1000;
            assert!((24..=64).contains(&o), "{o}");
            onsets.push(o);
        }
        onsets.sort_unstable();
        onsets.dedup();
        assert!(onsets.len() > 10, "onsets vary: {onsets:?}");
    }

    #[test]
    fn the_same_seed_draws_the_same_fault() {
        let (mut a, mut b) = (faulty(), faulty());
        let none = std::collections::BTreeMap::new();
        vary(&mut a, 7, &none);
        vary(&mut b, 7, &none);
        assert_eq!(a[1].spec, b[1].spec);
    }
}
