//! The shared database: schema version, migrations that take time and load, and the
//! silent data errors of doing an expand/contract in the wrong order.
//!
//! Old and new code share one database for the whole rollout (and after a rollback), so
//! every intermediate schema must work with both: new code before `expand` fails
//! (`needs_schema`), `contract` while old servers run breaks them (`breaks_at_schema`) and
//! makes a rollback impossible, and reading the new column before `backfill` gives wrong
//! answers with no error at all — only a data-integrity count the debrief reveals. What the
//! columns hold (the dual-write gap, a stale old column) is `columns`.

mod columns;

pub use columns::{ColumnData, WrongRead};

use super::apply::{Applied, Rejected};
use super::{Severity, Sim, VersionId};
use crate::time::TICKS_PER_SEC;

/// A migration in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningMigration {
    pub name: String,
    /// Tick it started.
    pub from: u64,
    /// Tick it finishes.
    pub until: u64,
    /// Share of the database's capacity it uses.
    pub load: f64,
    pub blocking: bool,
}

/// The database's state beyond its schema number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DbState {
    pub running: Option<RunningMigration>,
    /// What the old and new columns hold.
    pub data: ColumnData,
    /// Migrations finished, in order.
    pub done: Vec<String>,
    /// Requests answered with silently wrong data.
    pub wrong_reads: u64,
}

impl Sim {
    /// The migration running now, if any.
    pub fn migration(&self) -> Option<&RunningMigration> {
        self.db.running.as_ref()
    }

    /// Migrations finished so far, in order.
    pub fn migrations_done(&self) -> &[String] {
        &self.db.done
    }

    /// Requests answered with silently wrong data so far: the new column read before the
    /// backfill or across the dual-write gap, the old column read after it went stale.
    pub fn wrong_reads(&self) -> u64 {
        self.db.wrong_reads
    }

    /// Whether the database is unreachable now (the mission's blip).
    pub fn db_unreachable(&self) -> bool {
        self.mission.database.blip.as_ref().is_some_and(|b| {
            let (at, end) = (b.at.ticks(), b.at.ticks() + b.lasts.ticks());
            (at..end).contains(&self.tick)
        })
    }

    /// Share of requests failing because the database is unreachable.
    pub(super) fn blip_errors(&self) -> f64 {
        if self.db_unreachable() {
            self.mission
                .database
                .blip
                .as_ref()
                .map_or(0.0, |b| b.errors)
        } else {
            0.0
        }
    }

    /// Announces the blip's start and end (called once a second).
    pub(super) fn blip_second(&mut self) {
        let Some(b) = self.mission.database.blip.clone() else {
            return;
        };
        let (at, end) = (b.at.ticks(), b.at.ticks() + b.lasts.ticks());
        let deep = self.readiness == crate::mission::CheckDepth::Deep;
        if self.tick == at.max(TICKS_PER_SEC) {
            let text = format!(
                "⛁ the database fails over: unreachable for {} ({:.0}% of requests need it and fail){}",
                b.lasts,
                b.errors * 100.0,
                if deep {
                    "; every deep readiness check fails with it"
                } else {
                    ""
                }
            );
            self.push_event(Severity::Error, text);
        } else if self.tick == end.max(TICKS_PER_SEC) {
            self.push_event(Severity::Info, "⛁ the database is back".to_string());
        }
    }

    /// Whether a blocking migration locks the table right now.
    pub(super) fn db_blocking(&self) -> bool {
        self.db.running.as_ref().is_some_and(|m| m.blocking)
    }

    /// Extra database load of the running migration, as a share of its capacity.
    pub(super) fn migration_load(&self) -> f64 {
        self.db.running.as_ref().map_or(0.0, |m| m.load)
    }

    /// `migrate <name> [throttle=<p%>]`.
    pub(super) fn start_migration(
        &mut self,
        name: &str,
        throttle: Option<u32>,
    ) -> Result<Applied, Rejected> {
        let Some(spec) = self.mission.database.migrations.get(name).cloned() else {
            let known: Vec<&str> = self
                .mission
                .database
                .migrations
                .keys()
                .map(String::as_str)
                .collect();
            return Err(Rejected::NotNow(if known.is_empty() {
                "this mission has no migrations".to_string()
            } else {
                format!(
                    "no migration `{name}` (this mission has: {})",
                    known.join(", ")
                )
            }));
        };
        if let Some(m) = &self.db.running {
            return Err(Rejected::NotNow(format!(
                "migration `{}` is still running",
                m.name
            )));
        }
        // A backfill only copies, so it can run again (after the dual write is on, it fills
        // what the gap left); a schema change or a trigger happens once.
        let again = spec.backfill && spec.schema.is_none() && !spec.trigger;
        if !again && self.db.done.iter().any(|d| d == name) {
            return Err(Rejected::NotNow(format!(
                "migration `{name}` has already run"
            )));
        }
        if self.schema < spec.needs_schema {
            return Err(Rejected::NotNow(format!(
                "migration `{name}` needs schema {} (the database is at {}): run the migration that adds the column first",
                spec.needs_schema, self.schema
            )));
        }
        // A schema change that breaks code some server still runs (in traffic or not) is the
        // mistake expand/contract exists to avoid, whether or not anyone sees errors yet.
        if let Some(schema) = spec.schema {
            let breaks = self.servers.iter().any(|s| {
                self.versions[s.version.0 as usize]
                    .spec
                    .breaks_at_schema
                    .is_some_and(|b| schema >= b)
            });
            if breaks {
                self.rules.unsafe_migration.get_or_insert(name.to_string());
            }
        }
        // A throttle caps the load; the same work then takes proportionally longer.
        let cap = throttle.map_or(f64::INFINITY, |p| f64::from(p) / 100.0);
        let load = spec.load.min(cap).max(1e-3);
        let ticks = (spec.takes.ticks() as f64 * spec.load.max(1e-3) / load).ceil() as u64;
        if spec.backfill {
            self.db.data.backfill_started();
        }
        self.db.running = Some(RunningMigration {
            name: name.to_string(),
            from: self.tick,
            until: self.tick + ticks,
            load,
            blocking: spec.blocking,
        });
        let text = format!(
            "migration `{name}` started: ~{}s, {:.0}% of the database's capacity{}",
            ticks / TICKS_PER_SEC,
            load * 100.0,
            if spec.blocking {
                ", LOCKING the table: every query waits"
            } else {
                ""
            }
        );
        self.push_event(
            if spec.blocking {
                Severity::Warn
            } else {
                Severity::Info
            },
            format!("⛁ {text}"),
        );
        Ok(Applied(text))
    }

    /// Once a second: move a backfill on, finish a migration that is due, count silently
    /// wrong reads.
    pub(super) fn database_second(&mut self) {
        if let Some(m) = &self.db.running
            && self
                .mission
                .database
                .migrations
                .get(&m.name)
                .is_some_and(|s| s.backfill)
        {
            let done = (self.tick - m.from) as f64 / (m.until - m.from).max(1) as f64;
            self.db.data.backfill_to(done);
        }
        if let Some(m) = self.db.running.clone()
            && self.tick >= m.until
        {
            self.db.running = None;
            let spec = self.mission.database.migrations.get(&m.name).cloned();
            if let Some(spec) = spec {
                if let Some(schema) = spec.schema {
                    self.schema = schema;
                }
                if spec.backfill {
                    self.db.data.backfill_to(1.0);
                }
                if spec.trigger {
                    self.db.data.trigger = true;
                }
            }
            self.db.done.push(m.name.clone());
            self.push_event(
                Severity::Info,
                format!("⛁ migration `{}` done: schema {}", m.name, self.schema),
            );
            self.warn_broken_versions();
        }
        self.columns_second();
    }

    /// After a schema change: say which running versions it broke.
    fn warn_broken_versions(&mut self) {
        let mut broken: Vec<(String, usize)> = Vec::new();
        for (vi, v) in self.versions.iter().enumerate() {
            let count = self
                .servers
                .iter()
                .filter(|s| s.version == VersionId(vi as u16) && s.process.is_running())
                .count();
            if count > 0 && !self.schema_ok(&v.spec) {
                broken.push((v.name.clone(), count));
            }
        }
        for (name, count) in broken {
            self.push_event(
                Severity::Error,
                format!(
                    "{name} does not work with schema {}: its {count} servers fail every request",
                    self.schema
                ),
            );
        }
    }

    /// Why going back to `version` is impossible at the current schema, if it is.
    pub(super) fn schema_forbids(&self, version: VersionId) -> Option<String> {
        let v = &self.versions[version.0 as usize];
        (!self.schema_ok(&v.spec)).then(|| {
            format!(
                "{} does not work with schema {} (the contract removed what it uses): rolling back would fail every request — roll forward instead",
                v.name, self.schema
            )
        })
    }
}
