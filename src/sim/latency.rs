//! Latency percentiles that are right for a mixture of servers.
//!
//! Each server contributes, per game-second, its completed requests with a mean latency.
//! A request's latency is modelled as `mean/2 + Exp(mean/2)`: a fixed part (network, work)
//! plus a queueing part, which gives p50 ≈ 0.85×mean and p99 ≈ 2.8×mean, close to real web
//! services. Components are pooled in log-spaced buckets of their mean (5 % wide), and a
//! percentile of the whole mixture is found by bisection on its CDF. So a 5 % slice that is
//! 10× slower lifts p99 and barely moves p50, as it does on a real dashboard.

/// Bucket width: each bucket's mean is 5 % above the previous one.
const GROWTH: f64 = 1.05;
/// Means below this (ms) share the first bucket.
const MIN_MS: f64 = 0.5;
/// Number of buckets: covers 0.5 ms … ~ 2 hours.
const BUCKETS: usize = 330;

/// Requests of one second, pooled by mean latency.
#[derive(Debug, Clone)]
pub struct Mixture {
    weights: Vec<f64>,
    /// Each bucket's mean latency, computed once.
    means: Vec<f64>,
    used: Vec<u16>,
    total: f64,
}

impl Default for Mixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Mixture {
    /// An empty mixture.
    pub fn new() -> Self {
        Self {
            weights: vec![0.0; BUCKETS],
            means: (0..BUCKETS).map(bucket_mean).collect(),
            used: Vec::new(),
            total: 0.0,
        }
    }

    /// Adds `count` requests whose mean latency is `mean_ms`.
    pub fn add(&mut self, mean_ms: f64, count: f64) {
        if count <= 0.0 || !mean_ms.is_finite() {
            return;
        }
        let idx = bucket_of(mean_ms);
        if self.weights[idx] == 0.0 {
            self.used.push(idx as u16);
        }
        self.weights[idx] += count;
        self.total += count;
    }

    /// Requests added.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// Empties the mixture, keeping its memory.
    pub fn clear(&mut self) {
        for &i in &self.used {
            self.weights[i as usize] = 0.0;
        }
        self.used.clear();
        self.total = 0.0;
    }

    /// The latency (ms) below which a share `q` (0..1) of the requests complete; 0 if empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let target = q.clamp(0.0, 1.0) * self.total;
        let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
        for &i in &self.used {
            hi = hi.max(self.means[i as usize] * 12.0);
        }
        // 32 halvings: far below a millisecond's resolution at any latency shown.
        for _ in 0..32 {
            let mid = 0.5 * (lo + hi);
            if self.cdf_count(mid) < target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    }

    /// How many requests take longer than `x` ms.
    pub fn count_above(&self, x: f64) -> f64 {
        (self.total - self.cdf_count(x)).max(0.0)
    }

    /// How many requests complete within `x` ms.
    fn cdf_count(&self, x: f64) -> f64 {
        self.used
            .iter()
            .map(|&i| self.weights[i as usize] * component_cdf(self.means[i as usize], x))
            .sum()
    }
}

fn bucket_of(mean_ms: f64) -> usize {
    if mean_ms <= MIN_MS {
        return 0;
    }
    let idx = ((mean_ms / MIN_MS).ln() / GROWTH.ln()).round();
    (idx as usize).min(BUCKETS - 1)
}

fn bucket_mean(idx: usize) -> f64 {
    MIN_MS * GROWTH.powi(i32::try_from(idx).unwrap_or(i32::MAX))
}

/// CDF of one request's latency with the given mean: `mean/2 + Exp(mean/2)`.
fn component_cdf(mean: f64, x: f64) -> f64 {
    let half = 0.5 * mean;
    if x <= half {
        0.0
    } else {
        1.0 - (-(x - half) / half).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_component_percentiles() {
        let mut m = Mixture::new();
        m.add(100.0, 1000.0);
        let p50 = m.quantile(0.5);
        let p99 = m.quantile(0.99);
        assert!((p50 - 84.7).abs() < 6.0, "p50 {p50}");
        assert!((p99 - 280.0).abs() < 15.0, "p99 {p99}");
    }

    #[test]
    fn slow_five_percent_moves_p99_not_p50() {
        let mut base = Mixture::new();
        base.add(50.0, 950.0);
        base.add(50.0, 50.0);
        let mut mixed = Mixture::new();
        mixed.add(50.0, 950.0);
        mixed.add(500.0, 50.0);
        let (b50, m50) = (base.quantile(0.5), mixed.quantile(0.5));
        let (b99, m99) = (base.quantile(0.99), mixed.quantile(0.99));
        assert!((m50 - b50) / b50 < 0.1, "p50 {b50} → {m50}");
        assert!(m99 > 3.0 * b99, "p99 {b99} → {m99}");
    }

    #[test]
    fn empty_and_clear() {
        let mut m = Mixture::new();
        assert_eq!(m.quantile(0.99), 0.0);
        m.add(10.0, 5.0);
        m.clear();
        assert_eq!(m.total(), 0.0);
        assert_eq!(m.quantile(0.5), 0.0);
    }
}
