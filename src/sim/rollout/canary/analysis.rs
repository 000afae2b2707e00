//! The canary analysis: measurements comparing the canary with its baseline (or stable),
//! the thresholds, the first measurement (at the start or after `initial-delay`), failures.

use super::Canary;
use crate::sim::rollout::Phase;
use crate::sim::{Severity, Sim, VersionId};
use crate::time::{Dur, TICKS_PER_SEC};

/// A canary needs at least this many completed requests in a window to be judged.
const MIN_REQUESTS: u64 = 20;

/// A measurement over less than this many seconds of canary traffic is no verdict: the
/// game's evidence rule (a fault visible for seconds, not one) applies to the analysis too.
const MIN_JUDGED_S: u64 = 10;

/// The canary fails on p99 above this multiple of the baseline's…
const P99_RATIO: f64 = 1.25;
/// … and at least this many milliseconds above it (a few ms on a fast service is noise).
const P99_MARGIN_MS: f64 = 25.0;

/// The canary fails on memory when its peak is this share of the limit above stable's.
const MEMORY_MARGIN: f64 = 0.10;

pub(super) enum Verdict {
    Passed(String),
    Failed(String),
    Inconclusive(String),
}

impl Canary {
    /// Compares the canary with the stable baseline over the last interval.
    pub(super) fn analyse(&self, sim: &Sim, from: VersionId, to: VersionId, over: Dur) -> Verdict {
        let secs = (over.ticks() / TICKS_PER_SEC).max(1) as usize;
        let window: Vec<_> = sim.history().iter().rev().take(secs).collect();
        let (mut c, mut s, mut st) = (Window::default(), Window::default(), Window::default());
        for m in &window {
            c.add(&m.by_version[to.0 as usize]);
            st.add(&m.by_version[from.0 as usize]);
            // Against the baseline when there is one: same size, age and load per server.
            s.add(if self.baseline.is_some() {
                &m.baseline
            } else {
                &m.by_version[from.0 as usize]
            });
        }
        let vs = if self.baseline.is_some() {
            "baseline"
        } else {
            "stable"
        };
        if c.done() < MIN_REQUESTS {
            return Verdict::Inconclusive(format!(
                "only {} canary requests in {over} (need {MIN_REQUESTS})",
                c.done(),
            ));
        }
        let share = c.arrived as f64 / (c.arrived + st.arrived).max(1) as f64 * 100.0;
        let (ce, se) = (c.error_rate(), s.error_rate());
        let (cp, sp) = (c.p99(), s.p99());
        let mut failed = Vec::new();
        if ce > (2.0 * se).max(0.01) {
            failed.push(format!(
                "error rate {:.1}% vs {vs} {:.1}%",
                ce * 100.0,
                se * 100.0
            ));
        }
        if sp > 0.0 && cp > (P99_RATIO * sp).max(sp + P99_MARGIN_MS) {
            failed.push(format!("p99 {cp:.0} ms vs {vs} {sp:.0} ms"));
        }
        // CPU per request, not per server: a canary with a different share of traffic per
        // server is not more expensive for it.
        let (cc, sc) = (c.cpu_per_request(), s.cpu_per_request());
        if sc > 0.0 && cc > 1.3 * sc {
            failed.push(format!(
                "CPU per request {:.0}% above {vs}",
                (cc / sc - 1.0) * 100.0
            ));
        }
        // Memory against the stable version too: a leak shows as the canary climbing away
        // from a baseline that stays flat.
        if c.mem_max > s.mem_max + MEMORY_MARGIN {
            failed.push(format!(
                "memory {:.0}% of the limit vs {vs} {:.0}%",
                c.mem_max * 100.0,
                s.mem_max * 100.0
            ));
        }
        if failed.is_empty() {
            // The rule of three: with no failure in n requests, the true rate can still be
            // up to about 3/n (95 % confidence). A small sample can't see a small rate.
            let sample = if c.failed == 0 {
                format!(
                    " ({} canary requests: a rate under {:.1}% can't be told from 0)",
                    c.done(),
                    300.0 / c.done() as f64
                )
            } else {
                String::new()
            };
            Verdict::Passed(format!(
                "canary got {share:.1}% of requests; error rate {:.2}% vs {:.2}%, p99 {cp:.0} vs {sp:.0} ms{sample}",
                ce * 100.0,
                se * 100.0
            ))
        } else {
            Verdict::Failed(format!(
                "canary got {share:.1}% of requests; {}",
                failed.join("; ")
            ))
        }
    }

    /// A failed measurement: counted, and above the limit the canary is aborted.
    pub(super) fn fail(&mut self, sim: &mut Sim, phase: &mut Phase, to: VersionId, why: &str) {
        self.failures += 1;
        sim.push_event(
            Severity::Error,
            format!(
                "analysis failed ({} failed, aborts above {}): {why}",
                self.failures, self.spec.limit
            ),
        );
        if self.failures > self.spec.limit {
            // The analysis's own abort is the reaction, as a guard's would be.
            sim.record_stop(&[to], true);
            let text = self.abort(sim);
            sim.push_event(
                Severity::Warn,
                format!("■ canary aborted by analysis: {text}"),
            );
            *phase = Phase::Aborted;
        } else {
            self.window_start = Some(sim.tick);
        }
    }

    /// The analysis' first measurement, at the start of the first step (Argo's default) or
    /// `initial-delay` into it. Too little data then is not a verdict (Argo counts an
    /// error, tolerated up to four in a row); a failure aborts as any other would.
    pub(super) fn first_measurement(
        &mut self,
        sim: &mut Sim,
        phase: &mut Phase,
        from: VersionId,
        to: VersionId,
    ) -> bool {
        let delay = self.spec.initial_delay;
        let when = if delay == Dur::default() {
            "at the start (Argo's default; initial-delay= waits, Flagger waits an interval)"
                .to_string()
        } else {
            format!("after the initial delay of {delay}")
        };
        if delay.ticks() < MIN_JUDGED_S * TICKS_PER_SEC {
            // What Argo's measurement at the start of a step sees: a query window the
            // canary has barely entered. Judging it would stop a release on no evidence.
            sim.push_event(
                Severity::Info,
                format!(
                    "analysis' first measurement {when}: the canary has only just taken traffic, \
                     too little to judge; next in {}",
                    self.spec.interval
                ),
            );
            return true;
        }
        match self.analyse(sim, from, to, delay) {
            Verdict::Passed(why) => {
                sim.push_event(
                    Severity::Info,
                    format!("analysis' first measurement {when}: passed: {why}"),
                );
            }
            Verdict::Inconclusive(why) => sim.push_event(
                Severity::Info,
                format!(
                    "analysis' first measurement {when}: no verdict yet ({why}); next in {}",
                    self.spec.interval
                ),
            ),
            Verdict::Failed(why) => self.fail(sim, phase, to, &why),
        }
        true
    }
}

/// Sums of a version's metrics over an analysis window.
#[derive(Debug, Default)]
struct Window {
    arrived: u64,
    ok: u64,
    failed: u64,
    p99_sum: f64,
    p99_n: u32,
    cpu_sum: f64,
    cpu_n: u32,
    per_server_rps_sum: f64,
    mem_max: f64,
}

impl Window {
    fn add(&mut self, v: &crate::sim::VersionSecond) {
        self.arrived += v.arrived;
        self.ok += v.ok;
        self.failed += v.failed;
        if v.ok + v.failed > 0 {
            self.p99_sum += v.p99_ms;
            self.p99_n += 1;
            self.cpu_sum += v.cpu_avg;
            self.cpu_n += 1;
            self.per_server_rps_sum += v.arrived as f64 / f64::from(v.servers.max(1));
        }
        self.mem_max = self.mem_max.max(v.mem_avg);
    }
    fn done(&self) -> u64 {
        self.ok + self.failed
    }
    fn error_rate(&self) -> f64 {
        if self.done() == 0 {
            0.0
        } else {
            self.failed as f64 / self.done() as f64
        }
    }
    fn p99(&self) -> f64 {
        if self.p99_n == 0 {
            0.0
        } else {
            self.p99_sum / f64::from(self.p99_n)
        }
    }
    /// Mean CPU (share of a server) per request a server served each second.
    fn cpu_per_request(&self) -> f64 {
        if self.cpu_n == 0 || self.per_server_rps_sum <= 0.0 {
            0.0
        } else {
            self.cpu_sum / self.per_server_rps_sum
        }
    }
}
