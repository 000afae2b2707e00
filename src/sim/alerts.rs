//! The pager: the outage alert, burn-rate alerts per version and for the fleet, and the
//! first lost sessions (wrong reads are logged by cause in `database/columns.rs`).
//!
//! Burn rate is the SRE workbook's alerting rule: page when the error budget is being spent
//! much faster than the SLO allows. Here: the budgets (failed requests against `1 − target`,
//! slow ones against `1 − latency target`) spent over `BURN_FACTOR` times faster than the
//! SLO allows over the last `BURN_WINDOW_S` game-seconds, per version's live traffic and for
//! the whole fleet. So a 20 % failing release on a third of the fleet (7 % failing, 70× the
//! budget's rate) is announced within seconds, long before the fleet-wide 5 % outage line.

use super::score::burn_rate;
use super::{SecondMetrics, Severity, Sim, VersionSecond};

/// The outage alert clears when the error rate falls below this share of the outage line.
const ALERT_CLEAR: f64 = 0.5;
/// A burn-rate alert fires above this many times the budget's rate …
pub const BURN_FACTOR: f64 = 10.0;
/// … held over this many game-seconds …
pub const BURN_WINDOW_S: usize = 10;
/// … with at least this many completed requests in the window (fewer prove nothing).
const BURN_MIN_REQUESTS: u64 = 50;
/// A raised burn-rate alert clears below this share of its line.
const BURN_CLEAR: f64 = 0.5;

impl Sim {
    /// Whether any alert is raised now (the outage alert or a burn-rate alert).
    pub fn alert_raised(&self) -> bool {
        self.alerting || self.burning.iter().any(|&b| b)
    }

    /// One outage alert per episode, and an all-clear when it ends.
    pub(super) fn alerts(&mut self, m: &SecondMetrics) {
        let line = self.mission.slo.outage_error_rate;
        let rate = m.error_rate();
        if !self.alerting && rate > line {
            self.alerting = true;
            self.push_event(
                Severity::Error,
                format!(
                    "ALERT 5xx: {:.1}% of requests failing (outage line {:.1}%)",
                    rate * 100.0,
                    line * 100.0
                ),
            );
        } else if self.alerting && rate < line * ALERT_CLEAR {
            self.alerting = false;
            self.push_event(
                Severity::Info,
                format!("recovered: error rate back to {:.2}%", rate * 100.0),
            );
        }
    }

    /// Burn-rate alerts over the last window (this second and those before it): slot 0 is
    /// the fleet, slot `1 + v` version `v`'s live traffic.
    pub(super) fn burn_alerts(&mut self, m: &SecondMetrics) {
        let slo = self.mission.slo.clone();
        let window: Vec<&SecondMetrics> = std::iter::once(m)
            .chain(self.history.iter().rev())
            .take(BURN_WINDOW_S)
            .collect();
        let full = window.len() == BURN_WINDOW_S;
        let rates: Vec<(f64, u64, u64, u64)> = (0..self.burning.len())
            .map(|slot| {
                let (mut failed, mut slow, mut done) = (0u64, 0u64, 0u64);
                for s in &window {
                    let (f, sl, d) = if slot == 0 {
                        (s.failed, s.slow.min(s.ok), s.ok + s.failed)
                    } else {
                        s.by_version.get(slot - 1).map_or((0, 0, 0), counts)
                    };
                    failed += f;
                    slow += sl;
                    done += d;
                }
                if done >= BURN_MIN_REQUESTS {
                    (burn_rate(&slo, failed, slow, done), failed, slow, done)
                } else {
                    (0.0, failed, slow, done)
                }
            })
            .collect();
        for (slot, (burn, failed, slow, done)) in rates.into_iter().enumerate() {
            let who = if slot == 0 {
                "the fleet".to_string()
            } else {
                self.versions[slot - 1].name.clone()
            };
            if !self.burning[slot] && burn > BURN_FACTOR && full {
                self.burning[slot] = true;
                let pct = |n: u64| n as f64 / done.max(1) as f64 * 100.0;
                // Failures page loudly (a console wait stops for them); slowness is
                // raised as a warning, and says when it is new servers warming up, so
                // nobody rolls back a healthy release for its cold caches.
                let failing = burn_rate(&slo, failed, 0, done) >= burn / 2.0;
                let warming = slot > 0
                    && self.servers.iter().any(|s| {
                        s.version.0 as usize == slot - 1 && s.cold > 0.05 && s.in_rotation()
                    });
                let note = if warming && !failing {
                    " — its servers are still warming up (cold caches)"
                } else {
                    ""
                };
                self.push_event(
                    if failing { Severity::Error } else { Severity::Warn },
                    format!(
                        "ALERT burn rate: {who} spends the error budget {burn:.0}× faster than the SLO allows ({:.1}% failed, {:.1}% slow over {BURN_WINDOW_S} s){note}",
                        pct(failed),
                        pct(slow)
                    ),
                );
            } else if self.burning[slot] && burn < BURN_FACTOR * BURN_CLEAR {
                self.burning[slot] = false;
                self.push_event(
                    Severity::Info,
                    format!("burn rate of {who} back under the alert line"),
                );
            }
        }
    }

    /// The first lost sessions are logged when they happen (nobody sees them on a dashboard;
    /// wrong reads are logged by cause in `database`, duplicated writes in `shadow`).
    pub(super) fn damage_events(&mut self, m: &SecondMetrics) {
        if m.sessions_lost >= 0.5 && !self.sessions_lost_logged {
            self.sessions_lost_logged = true;
            self.push_event(
                Severity::Error,
                format!(
                    "sessions: {:.0} users logged out (their sessions lived in the memory of a server that stopped)",
                    m.sessions_lost
                ),
            );
        }
    }
}

fn counts(v: &VersionSecond) -> (u64, u64, u64) {
    (v.failed, v.slow.min(v.ok), v.ok + v.failed)
}
