//! Metrics per game-second, fleet-wide and per version, and their bounded history.
//!
//! Counts are user requests within the second: `arrived` came in, `ok`/`failed` completed,
//! `in_flight` is what is still queued at the end of it, so
//! `in_flight[t] = in_flight[t-1] + arrived[t] - ok[t] - failed[t]` always holds.

use std::collections::VecDeque;

/// One version's share of a second.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct VersionSecond {
    /// Servers with this version installed.
    pub servers: u32,
    /// Of those, in service (running, healthy, in traffic).
    pub in_service: u32,
    pub arrived: u64,
    pub ok: u64,
    pub failed: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Mean CPU of its running servers, 0..1.
    pub cpu_avg: f64,
    /// Mean memory of its running servers, as a share of the limit, 0..1.
    pub mem_avg: f64,
    /// The fullest of its running servers' memory, as a share of the limit, 0..1 (the OOM
    /// killer acts per server, so a memory guard watches the fullest one).
    pub mem_max: f64,
    /// Completed requests slower than the SLO's latency line (estimated from the mixture).
    pub slow: u64,
}

impl VersionSecond {
    /// Failed share of completed requests (0 when none completed).
    pub fn error_rate(&self) -> f64 {
        rate(self.failed, self.ok + self.failed)
    }
}

/// Fleet-wide metrics of one game-second.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecondMetrics {
    /// The second this covers: `[t-1, t)` has index `t - 1`; `t` counts from 1.
    pub t: u64,
    pub arrived: u64,
    pub ok: u64,
    pub failed: u64,
    pub in_flight: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Mean CPU of running servers, 0..1.
    pub cpu_avg: f64,
    /// Highest CPU of any server, 0..1.
    pub cpu_max: f64,
    /// Mean memory of running servers as a share of the limit, 0..1.
    pub mem_avg: f64,
    pub servers: u32,
    pub in_service: u32,
    /// Requests per second the balancer was asked for (the mean rate, before noise).
    pub demand_rps: f64,
    /// Sessions lost this second.
    pub sessions_lost: f64,
    /// Completed user requests slower than the SLO's latency line.
    pub slow: u64,
    /// The median was over the latency line (a slow second).
    pub slow_median: bool,
    /// Reads that silently returned wrong data this second.
    pub wrong_reads: u64,
    /// Writes the shadow duplicated in the real database this second.
    pub duplicate_writes: u64,
    /// Live traffic per version, indexed by `VersionId`.
    pub by_version: Vec<VersionSecond>,
    /// Mirrored (shadow, preview) traffic per version, indexed by `VersionId`: not user
    /// requests, never in the fleet's counts.
    pub shadow_by_version: Vec<VersionSecond>,
    /// A canary's baseline pool (stable version, the canary's size and weight), also counted
    /// in `by_version`: what the analysis compares the canary with. Zero without one.
    pub baseline: VersionSecond,
}

impl SecondMetrics {
    /// Failed share of completed requests (0 when none completed).
    pub fn error_rate(&self) -> f64 {
        rate(self.failed, self.ok + self.failed)
    }
}

fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The last `cap` seconds of metrics.
#[derive(Debug, Clone)]
pub struct History {
    seconds: VecDeque<SecondMetrics>,
    cap: usize,
}

impl History {
    /// A history keeping `cap` seconds.
    pub fn new(cap: usize) -> Self {
        Self {
            seconds: VecDeque::with_capacity(cap.min(4096)),
            cap: cap.max(1),
        }
    }

    /// Appends a second, dropping the oldest when full.
    pub fn push(&mut self, m: SecondMetrics) {
        if self.seconds.len() == self.cap {
            self.seconds.pop_front();
        }
        self.seconds.push_back(m);
    }

    /// The newest second.
    pub fn last(&self) -> Option<&SecondMetrics> {
        self.seconds.back()
    }

    /// Kept seconds, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &SecondMetrics> + ExactSizeIterator {
        self.seconds.iter()
    }

    /// How many seconds are kept.
    pub fn len(&self) -> usize {
        self.seconds.len()
    }

    /// Whether nothing is kept yet.
    pub fn is_empty(&self) -> bool {
        self.seconds.is_empty()
    }
}
