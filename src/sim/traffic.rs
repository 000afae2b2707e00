//! Users arriving: the rate curve λ(t) of a mission and the per-tick arrival count.
//!
//! Arrivals are Poisson around λ(t)·Δt when the mission asks for noise, and an exact
//! rate (with the fraction carried over) when it does not. All randomness comes from the
//! stream handed in by the simulation.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson};

use crate::mission::{Shape, Traffic};
use crate::time::TICK_MS;

/// The highest arrival rate the sim generates, whatever the spikes: the busiest base rate
/// times the largest spike.
pub const MAX_ARRIVAL_RPS: f64 = crate::mission::MAX_RPS * crate::mission::MAX_FACTOR;

/// The traffic source of a running mission.
#[derive(Debug, Clone)]
pub struct TrafficSource {
    spec: Traffic,
    duration_s: f64,
    carry: f64,
}

impl TrafficSource {
    /// A source for the mission's traffic over a mission of `duration_s` seconds.
    pub fn new(spec: &Traffic, duration_s: f64) -> Self {
        Self {
            spec: spec.clone(),
            duration_s: duration_s.max(1.0),
            carry: 0.0,
        }
    }

    /// Mean requests per second at game time `t` seconds.
    pub fn rate(&self, t: f64) -> f64 {
        let base = self.spec.base_rps;
        let shaped = match &self.spec.shape {
            Shape::Flat => base,
            Shape::Ramp { to_rps } => base + (to_rps - base) * (t / self.duration_s).min(1.0),
            Shape::Wave { amplitude, period } => {
                let phase = std::f64::consts::TAU * t / period.secs().max(1.0);
                base * (1.0 + amplitude * phase.sin())
            }
        };
        let spike = self
            .spec
            .spikes
            .iter()
            .filter(|s| t >= s.at.secs() && t < s.at.secs() + s.length.secs())
            .fold(1.0, |f, s| f * s.factor);
        // Overlapping spikes multiply: the product stops at a bound that keeps a 48-hour
        // count of requests far inside u64 (each factor is bounded by validation).
        (shaped * spike).clamp(0.0, MAX_ARRIVAL_RPS)
    }

    /// Requests the mean rate brings over the first `secs` seconds (the window's size, for
    /// the error budget): one midpoint sample per second.
    pub fn expected_total(&self, secs: f64) -> f64 {
        let whole = secs.max(0.0).ceil() as u64;
        (0..whole).map(|t| self.rate(t as f64 + 0.5)).sum()
    }

    /// Requests arriving in the tick that starts at `t` seconds.
    pub fn arrivals(&mut self, t: f64, rng: &mut ChaCha8Rng) -> u64 {
        let mean = self.rate(t) * TICK_MS as f64 / 1000.0;
        if mean <= 0.0 {
            return 0;
        }
        if self.spec.noise {
            sample_poisson(mean, rng)
        } else {
            let exact = mean + self.carry;
            let whole = exact.floor();
            self.carry = exact - whole;
            whole as u64
        }
    }

    /// Requests one user sends per second.
    pub fn requests_per_user_s(&self) -> f64 {
        self.spec.requests_per_user_s
    }

    /// Mean session length in seconds.
    pub fn session_length_s(&self) -> f64 {
        self.spec.session_length.secs()
    }
}

fn sample_poisson(mean: f64, rng: &mut ChaCha8Rng) -> u64 {
    match Poisson::new(mean) {
        Ok(dist) => {
            let x: f64 = dist.sample(rng);
            x as u64
        }
        // Only for absurd means; fall back to the mean with a little jitter.
        Err(_) => (mean * (0.95 + 0.1 * rng.random::<f64>())) as u64,
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::mission::Spike;
    use crate::time::Dur;

    fn spec(shape: Shape, noise: bool) -> Traffic {
        Traffic {
            base_rps: 1000.0,
            shape,
            spikes: vec![Spike {
                at: Dur::from_secs(100),
                length: Dur::from_secs(10),
                factor: 2.0,
            }],
            noise,
            session_length: Dur::from_secs(180),
            requests_per_user_s: 0.5,
        }
    }

    #[test]
    fn rate_follows_shape_and_spikes() {
        let src = TrafficSource::new(&spec(Shape::Ramp { to_rps: 2000.0 }, false), 1000.0);
        assert_eq!(src.rate(0.0), 1000.0);
        assert_eq!(src.rate(500.0), 1500.0);
        assert_eq!(src.rate(105.0), 2210.0);
        assert_eq!(src.rate(2000.0), 2000.0);
    }

    #[test]
    fn exact_arrivals_carry_fractions() {
        let mut s = spec(Shape::Flat, false);
        s.base_rps = 15.0;
        s.spikes.clear();
        let mut src = TrafficSource::new(&s, 100.0);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let total: u64 = (0..100)
            .map(|i| src.arrivals(f64::from(i) / 10.0, &mut rng))
            .sum();
        assert_eq!(total, 150);
    }

    #[test]
    fn poisson_arrivals_average_the_rate() {
        let mut src = TrafficSource::new(&spec(Shape::Flat, true), 100.0);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let total: u64 = (0..600)
            .map(|i| src.arrivals(f64::from(i) / 10.0, &mut rng))
            .sum();
        let per_s = total as f64 / 60.0;
        assert!((per_s - 1000.0).abs() < 30.0, "{per_s}");
    }
}
