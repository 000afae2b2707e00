//! Guards: "if this metric crosses that line for that long, pause / abort / roll back".
//!
//! Evaluated once per game-second on the second's metrics, fleet-wide or for one version's
//! live traffic. A guard fires once, with an event, and its action happens at once.

use super::apply::{Applied, Rejected};
use super::{SecondMetrics, Severity, Sim};
use crate::command::{GuardAction, GuardSpec, Metric};

/// A guard and its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    /// Its number in `guards` (from 1, never reused).
    pub id: u32,
    pub spec: GuardSpec,
    /// Tick since which the condition has held.
    pub since: Option<u64>,
    /// Tick it fired, if it did.
    pub fired: Option<u64>,
}

impl Sim {
    /// The guards.
    pub fn guards(&self) -> &[Guard] {
        &self.guards
    }

    /// `guard …`.
    pub(super) fn add_guard(&mut self, spec: &GuardSpec) -> Result<Applied, Rejected> {
        if let Some(v) = &spec.version {
            self.find_version(v)?;
        }
        let id = self.guards.iter().map(|g| g.id).max().unwrap_or(0) + 1;
        self.guards.push(Guard {
            id,
            spec: spec.clone(),
            since: None,
            fired: None,
        });
        let text = format!("guard #{id}: {spec}");
        self.push_event(Severity::Info, format!("◉ {text}"));
        Ok(Applied(text))
    }

    /// `guards`: the list, in words.
    pub(super) fn list_guards(&self) -> Applied {
        if self.guards.is_empty() {
            return Applied(
                "no guards: add one with `guard error_rate>2% for 10s -> rollback`".into(),
            );
        }
        let lines: Vec<String> = self
            .guards
            .iter()
            .map(|g| {
                let state = match g.fired {
                    Some(t) => format!("fired at {}", crate::time::clock(t as f64 / 10.0)),
                    None => "watching".to_string(),
                };
                format!("#{} {} ({state})", g.id, g.spec)
            })
            .collect();
        Applied(lines.join("\n"))
    }

    /// `unguard N` / `unguard all`.
    pub(super) fn remove_guard(&mut self, id: Option<u32>) -> Result<Applied, Rejected> {
        let before = self.guards.len();
        match id {
            None => self.guards.clear(),
            Some(n) => self.guards.retain(|g| g.id != n),
        }
        if self.guards.len() == before {
            return Err(Rejected::NotNow(match id {
                Some(n) => format!("no guard #{n} (`guards` lists them)"),
                None => "there are no guards".to_string(),
            }));
        }
        let text = match id {
            Some(n) => format!("guard #{n} removed"),
            None => "all guards removed".to_string(),
        };
        self.push_event(Severity::Info, text.clone());
        Ok(Applied(text))
    }

    /// Checks every guard against the second that just ended.
    pub(super) fn guards_second(&mut self, m: &SecondMetrics) {
        let tick = self.tick;
        let lost = self.score_sessions_lost();
        let mut firing = Vec::new();
        for g in &mut self.guards {
            if g.fired.is_some() {
                continue;
            }
            let value = value_of(
                g.spec.metric,
                g.spec.version.as_deref(),
                m,
                &self.versions,
                lost,
            );
            let holds = value.is_some_and(|v| g.spec.op.holds(v, g.spec.value));
            if !holds {
                g.since = None;
                continue;
            }
            let since = *g
                .since
                .get_or_insert(tick.saturating_sub(super::TICKS_PER_SEC));
            if tick - since >= g.spec.for_.ticks() {
                g.fired = Some(tick);
                firing.push((g.id, g.spec.clone(), value.unwrap_or(0.0)));
            }
        }
        for (id, spec, value) in firing {
            let unit = spec.metric.unit();
            self.push_event(
                Severity::Error,
                format!(
                    "guard #{id} fired: {} = {value:.1}{unit} ({spec})",
                    spec.metric.as_str()
                ),
            );
            // An automated reaction is a reaction: detection ends when the guard acts on the
            // release whose fault showed.
            let against = self.acted_against(&crate::command::Command::Abort);
            self.record_stop(&against, true);
            let why = format!("guard #{id}");
            let result = match spec.action {
                GuardAction::Pause => self.pause_rollout(&why),
                GuardAction::Abort => self.abort_rollout(&why),
                GuardAction::Rollback => self.rollback(&why),
            };
            if let Err(e) = result {
                self.push_event(Severity::Warn, format!("guard #{id}: {e}"));
            }
        }
    }

    /// Whether a metric condition of `wait until` holds: every one of the last seconds it
    /// must hold for (at least the last one) had data and crossed the line.
    pub(super) fn watch_holds(&self, w: &crate::command::Watch) -> bool {
        let secs = (w.for_.ticks().div_ceil(super::TICKS_PER_SEC)).max(1) as usize;
        if self.history.len() < secs {
            return false;
        }
        let lost = self.score_sessions_lost();
        self.history.iter().rev().take(secs).all(|m| {
            value_of(w.metric, w.version.as_deref(), m, &self.versions, lost)
                .is_some_and(|v| w.op.holds(v, w.value))
        })
    }

    /// Whether a metric condition held on every one of its last seconds (at least the last
    /// one) on its version's preview or mirror traffic, measured apart from users: what
    /// Argo's `prePromotionAnalysis` asks of a blue-green preview before the switch. Only
    /// what that traffic can show shows: a fault that needs real users or full load doesn't.
    pub fn holds_on_preview(&self, w: &crate::command::Watch) -> bool {
        let Some(i) = w
            .version
            .as_deref()
            .and_then(|name| self.versions.iter().position(|v| v.name == name))
        else {
            return false;
        };
        let secs = (w.for_.ticks().div_ceil(super::TICKS_PER_SEC)).max(1) as usize;
        if self.history.len() < secs {
            return false;
        }
        self.history.iter().rev().take(secs).all(|m| {
            m.shadow_by_version
                .get(i)
                .and_then(|v| apart_value(w.metric, v))
                .is_some_and(|v| w.op.holds(v, w.value))
        })
    }

    fn score_sessions_lost(&self) -> f64 {
        self.score.score(self.time_s()).sessions_lost as f64
    }
}

/// A version's metric on traffic measured apart (preview, mirror), or `None` without data.
fn apart_value(metric: Metric, v: &super::VersionSecond) -> Option<f64> {
    let pct = |x: f64| x * 100.0;
    match metric {
        Metric::SessionsLost => None,
        Metric::Mem if v.servers > 0 && v.mem_max > 0.0 => Some(pct(v.mem_max)),
        _ if v.ok + v.failed == 0 => None,
        Metric::ErrorRate => Some(pct(v.error_rate())),
        Metric::P50 => Some(v.p50_ms),
        Metric::P95 => Some(v.p95_ms),
        Metric::P99 => Some(v.p99_ms),
        Metric::Cpu => Some(pct(v.cpu_avg)),
        Metric::Mem => None,
    }
}

/// The guard's metric in the unit it is written in, or `None` when there is no data.
pub(super) fn value_of(
    metric: Metric,
    version: Option<&str>,
    m: &SecondMetrics,
    versions: &[super::VersionInfo],
    sessions_lost: f64,
) -> Option<f64> {
    let index = match version {
        None => None,
        Some(name) => Some(versions.iter().position(|v| v.name == name)?),
    };
    let v = match index {
        None => None,
        Some(i) => Some(m.by_version.get(i)?),
    };
    let pct = |x: f64| x * 100.0;
    // Memory is a server's own: it keeps growing on an aborted canary with no traffic left
    // (kept idle, measured apart from user traffic), so a memory guard still sees it.
    let idle_mem = index
        .and_then(|i| m.shadow_by_version.get(i))
        .filter(|s| s.servers > 0 && s.mem_max > 0.0)
        .map(|s| s.mem_max);
    match (metric, v) {
        (Metric::SessionsLost, _) => Some(sessions_lost),
        (Metric::Mem, Some(v)) if v.servers > 0 && v.mem_max > 0.0 => {
            Some(pct(v.mem_max.max(idle_mem.unwrap_or(0.0))))
        }
        (Metric::Mem, Some(_)) if idle_mem.is_some() => idle_mem.map(pct),
        (_, Some(v)) if v.ok + v.failed == 0 => None,
        (Metric::ErrorRate, Some(v)) => Some(pct(v.error_rate())),
        (Metric::P50, Some(v)) => Some(v.p50_ms),
        (Metric::P95, Some(v)) => Some(v.p95_ms),
        (Metric::P99, Some(v)) => Some(v.p99_ms),
        (Metric::Cpu, Some(v)) => Some(pct(v.cpu_avg)),
        (Metric::Mem, Some(v)) => Some(pct(v.mem_max)),
        (_, None) if m.ok + m.failed == 0 => None,
        (Metric::ErrorRate, None) => Some(pct(m.error_rate())),
        (Metric::P50, None) => Some(m.p50_ms),
        (Metric::P95, None) => Some(m.p95_ms),
        (Metric::P99, None) => Some(m.p99_ms),
        (Metric::Cpu, None) => Some(pct(m.cpu_avg)),
        (Metric::Mem, None) => Some(pct(m.mem_avg)),
    }
}
