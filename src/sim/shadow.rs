//! Shadow traffic, as Istio/Envoy mirroring does it: a copy of a share of live requests goes
//! to a shadow pool; its answers are discarded, so users never see its errors or latency,
//! but it is measured beside the live version. Mirrored load reaches the shared database,
//! and mirrored writes are duplicated unless the mission stubs them.

use super::apply::{Applied, Rejected};
use super::{Mirror, MirrorSource, PoolRole, SecondMetrics, Severity, Sim};
use crate::command::ShadowSpec;

pub(super) const SHADOW_POOL: &str = "shadow";

impl Sim {
    /// `shadow <version> <percent>` / `shadow off`.
    pub(super) fn set_shadow(&mut self, spec: Option<&ShadowSpec>) -> Result<Applied, Rejected> {
        let existing = self.pool_index(SHADOW_POOL);
        let active = existing.is_some_and(|p| self.mirrors.iter().any(|m| m.pool == p));
        let Some(spec) = spec else {
            let Some(pool) = existing.filter(|_| active) else {
                return Err(Rejected::NotNow("no shadow traffic is on".to_string()));
            };
            self.mirrors.retain(|m| m.pool != pool);
            for i in self.pool_servers(pool) {
                self.retire(i);
            }
            let text = "shadow off: mirroring stopped, shadow servers removed".to_string();
            self.push_event(Severity::Info, format!("◐ {text}"));
            return Ok(Applied(text));
        };
        if active {
            return Err(Rejected::NotNow(
                "shadow traffic is already on: `shadow off` first".into(),
            ));
        }
        let vid = self.find_version(&spec.version)?;
        let live = self.pool_servers(self.main_pool()).len() as u64;
        let share = f64::from(spec.percent.clamp(1, 100)) / 100.0;
        let count = (live * u64::from(spec.percent.clamp(1, 100)))
            .div_ceil(100)
            .max(1);
        let pool = self.ensure_pool(SHADOW_POOL, PoolRole::Mirror);
        for _ in 0..count {
            self.provision(pool, vid);
        }
        self.mirrors
            .push(Mirror::new(pool, MirrorSource::Share(share)));
        self.duplicate_writes_warned = false;
        let text = format!(
            "shadow: {}% of live requests mirrored to {count} servers of {}; their answers are discarded",
            spec.percent, spec.version
        );
        self.push_event(Severity::Info, format!("◐ {text}"));
        Ok(Applied(text))
    }

    /// Counts the writes the shadow duplicated this second (unless stubbed).
    pub(super) fn shadow_second(&mut self, m: &SecondMetrics) {
        if self.mission.database.shadow_writes_stubbed {
            return;
        }
        let Some(pool) = self.pool_index(SHADOW_POOL) else {
            return;
        };
        if !self.mirrors.iter().any(|x| x.pool == pool) {
            return;
        }
        let written: u64 = m.shadow_by_version.iter().map(|v| v.ok).sum();
        if written == 0 {
            return;
        }
        self.duplicate_writes += written;
        if !self.duplicate_writes_warned {
            self.duplicate_writes_warned = true;
            self.push_event(
                Severity::Error,
                "shadow writes reach the real database: every mirrored order is placed twice \
                 (stub the shadow's writes, or mirror only reads)"
                    .to_string(),
            );
        }
    }

    /// Writes the shadow duplicated in the shared database so far.
    pub fn duplicate_writes(&self) -> u64 {
        self.duplicate_writes
    }
}
