//! What the two columns of an expand/contract migration hold, as shares of the table's
//! rows, and the reads that come back silently wrong because of it.
//!
//! Every second each live server's completed requests write `write_share` of them to random
//! rows and read a row each. A write of the old column only leaves that row's new column
//! missing (or stale); a write of the new one (a dual write, a new-only write, or the
//! database's trigger copying an old-column write) makes it right; a write of the new column
//! only leaves the old column stale. The backfill copies the old column into the new one
//! row by row: rows ahead of its cursor will be copied, rows behind it were — so an old-only
//! write after the cursor passed its row is a hole nothing fills, the dual-write gap. Reads
//! of the new column hit a missing row with the share missing; reads of the old column hit
//! a stale one with the share stale. Nothing here errors: only the count shows it.
//!
//! It owns `ColumnData`; it never changes the schema or the servers.

use crate::mission::{Column, Writes};
use crate::sim::{PoolRole, Severity, Sim, VersionId};

/// Why a read came back wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrongRead {
    /// The new column of a row the backfill has not copied yet.
    NotBackfilled,
    /// The new column of a row written old-only after the backfill had copied it.
    Missed,
    /// The old column of a row only the new column was written to since.
    Stale,
}

/// The columns' contents as shares of the table's rows (0..1).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnData {
    /// Share of the table the running (or last) backfill has copied so far.
    pub cursor: f64,
    /// Rows ahead of the cursor whose new column is empty or out of date (the backfill
    /// will copy them).
    pub ahead: f64,
    /// Rows behind the cursor whose new column is out of date: the dual-write gap.
    pub behind: f64,
    /// Rows whose old column is out of date (written to the new one only).
    pub stale: f64,
    /// A trigger copies every write of the old column into the new one.
    pub trigger: bool,
    /// The last version that wrote the old column only behind the backfill's cursor.
    pub gap_writer: Option<VersionId>,
    /// The last version that wrote the new column only.
    pub stale_writer: Option<VersionId>,
    /// Wrong reads by cause (`WrongRead` order); each cause is logged once, when it starts.
    pub by_cause: [u64; 3],
    /// Fractions of a wrong read carried to the next second.
    carry: [f64; 3],
}

impl Default for ColumnData {
    /// Before any migration: the new column holds nothing.
    fn default() -> Self {
        Self {
            cursor: 0.0,
            ahead: 1.0,
            behind: 0.0,
            stale: 0.0,
            trigger: false,
            gap_writer: None,
            stale_writer: None,
            by_cause: [0; 3],
            carry: [0.0; 3],
        }
    }
}

impl ColumnData {
    /// Share of rows whose new column is wrong.
    pub fn missing(&self) -> f64 {
        (self.ahead + self.behind).min(1.0)
    }

    /// A backfill starts (again): every missing row is ahead of its cursor now.
    pub(crate) fn backfill_started(&mut self) {
        self.ahead = (self.ahead + self.behind).min(1.0);
        self.behind = 0.0;
        self.cursor = 0.0;
    }

    /// The backfill's cursor moves to `to`: it copies the old column of the rows it passes
    /// (a stale old column is copied too: the new one then goes wrong on those rows).
    pub(crate) fn backfill_to(&mut self, to: f64) {
        let to = to.clamp(self.cursor, 1.0);
        let band = to - self.cursor;
        if band <= 0.0 {
            return;
        }
        let left = 1.0 - self.cursor;
        self.ahead -= self.ahead * band / left;
        self.behind += self.stale * band;
        self.cursor = to;
        if to >= 1.0 {
            self.ahead = 0.0;
        }
    }

    /// Writes spread over random rows, as shares of the table: `old` of the old column only,
    /// `new` of the new one (dual or new-only), `only_new` of those not of the old one.
    fn write(&mut self, old: f64, new: f64, only_new: f64) {
        let c = self.cursor;
        self.ahead += old * ((1.0 - c) - self.ahead).max(0.0) - new * self.ahead;
        self.behind += old * (c - self.behind).max(0.0) - new * self.behind;
        self.stale += only_new * (1.0 - self.stale) - (old + new - only_new) * self.stale;
        self.ahead = self.ahead.clamp(0.0, 1.0);
        self.behind = self.behind.clamp(0.0, 1.0);
        self.stale = self.stale.clamp(0.0, 1.0);
    }

    /// Adds `expected` wrong reads of `cause`; returns the whole ones.
    fn count(&mut self, cause: WrongRead, expected: f64) -> u64 {
        let i = cause as usize;
        let total = self.carry[i] + expected;
        let whole = total.floor();
        self.carry[i] = total - whole;
        let n = whole as u64;
        self.by_cause[i] += n;
        n
    }
}

impl Sim {
    /// What the columns hold now.
    pub fn columns(&self) -> &ColumnData {
        &self.db.data
    }

    /// Wrong reads of one cause so far.
    pub fn wrong_reads_of(&self, cause: WrongRead) -> u64 {
        self.db.data.by_cause[cause as usize]
    }

    /// Once a second: the reads of live servers against the columns as they were, then
    /// their writes; each cause of wrong reads is logged the second it starts.
    pub(super) fn columns_second(&mut self) {
        let before = self.db.data.by_cause;
        let rows = self.mission.database.rows.max(1.0);
        let share = self.mission.database.write_share;
        let (mut old, mut new, mut only_new) = (0.0, 0.0, 0.0);
        let mut expected = [0.0; 3];
        let mut readers: [Option<VersionId>; 3] = [None; 3];
        let d = &self.db.data;
        for s in &self.servers {
            let v = &self.versions[s.version.0 as usize].spec;
            if s.sec.ok == 0
                || self.pools[s.pool as usize].role != PoolRole::Live
                || !self.schema_ok(v)
            {
                continue;
            }
            let ok = s.sec.ok as f64;
            let reads = match v.reads {
                Column::New => [ok * d.ahead, ok * d.behind, 0.0],
                Column::Old => [0.0, 0.0, ok * d.stale],
            };
            for (i, r) in reads.into_iter().enumerate() {
                expected[i] += r;
                if r > 0.0 {
                    readers[i].get_or_insert(s.version);
                }
            }
            let w = ok * share / rows;
            match v.writes {
                Writes::Old if !d.trigger => old += w,
                Writes::Old | Writes::Both => new += w,
                Writes::New => {
                    new += w;
                    only_new += w;
                }
            }
        }
        let mut wrong = 0;
        for (i, cause) in [
            WrongRead::NotBackfilled,
            WrongRead::Missed,
            WrongRead::Stale,
        ]
        .into_iter()
        .enumerate()
        {
            wrong += self.db.data.count(cause, expected[i]);
        }
        self.db.wrong_reads += wrong;
        let writers = self.lone_writers(old > 0.0, only_new > 0.0);
        let d = &mut self.db.data;
        if old > 0.0 && d.cursor > 0.0 {
            d.gap_writer = writers.0.or(d.gap_writer);
        }
        if only_new > 0.0 {
            d.stale_writer = writers.1.or(d.stale_writer);
        }
        d.write(old, new, only_new);
        for (i, reader) in readers.into_iter().enumerate() {
            if before[i] == 0
                && self.db.data.by_cause[i] > 0
                && let Some(reader) = reader
            {
                self.log_wrong_reads(i, reader);
            }
        }
    }

    /// The first live version writing the old column only (without a trigger) and the first
    /// writing the new column only, if asked for.
    fn lone_writers(&self, old: bool, new: bool) -> (Option<VersionId>, Option<VersionId>) {
        let find = |w: Writes| {
            self.servers
                .iter()
                .find(|s| {
                    s.sec.ok > 0
                        && self.pools[s.pool as usize].role == PoolRole::Live
                        && self.versions[s.version.0 as usize].spec.writes == w
                })
                .map(|s| s.version)
        };
        (
            (old && !self.db.data.trigger)
                .then(|| find(Writes::Old))
                .flatten(),
            new.then(|| find(Writes::New)).flatten(),
        )
    }

    /// The first wrong read of cause `i`, said once (nobody sees it on a dashboard).
    fn log_wrong_reads(&mut self, i: usize, reader: VersionId) {
        let d = &self.db.data;
        let n = d.by_cause[i];
        let who = self.version_name(reader).to_string();
        let writer = |w: Option<VersionId>| {
            w.map_or_else(|| "code".to_string(), |v| self.version_name(v).to_string())
        };
        let text = match i {
            0 => format!(
                "data: {n} reads returned silently wrong data ({who} reads the new column, which the backfill has not filled yet); users see no error"
            ),
            1 => format!(
                "data: {n} reads of the new column came back wrong: {} wrote the old column only after the backfill had copied those rows (the dual-write gap); users see no error",
                writer(d.gap_writer)
            ),
            _ => format!(
                "data: {n} reads returned stale data: {who} reads the old column, which {} no longer writes; users see no error",
                writer(d.stale_writer)
            ),
        };
        self.push_event(Severity::Error, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_backfill_fills_every_row() {
        let mut d = ColumnData::default();
        d.backfill_started();
        d.backfill_to(0.5);
        assert!((d.ahead - 0.5).abs() < 1e-9, "{d:?}");
        d.backfill_to(1.0);
        assert_eq!(d.missing(), 0.0);
    }

    #[test]
    fn old_only_writes_behind_the_cursor_are_the_gap() {
        let mut d = ColumnData::default();
        d.backfill_started();
        d.backfill_to(1.0);
        // 1 % of the table written to the old column only: ~1 % of the new one is wrong.
        d.write(0.01, 0.0, 0.0);
        assert!((d.behind - 0.01).abs() < 1e-4, "{d:?}");
        // Dual writes repair the rows they touch; a new backfill puts the rest ahead again.
        d.write(0.0, 0.5, 0.0);
        assert!(d.behind < 0.006, "{d:?}");
        d.backfill_started();
        assert_eq!((d.behind, d.cursor), (0.0, 0.0));
        d.backfill_to(1.0);
        assert_eq!(d.missing(), 0.0);
    }

    #[test]
    fn old_only_writes_before_the_backfill_cost_nothing_after_it() {
        let mut d = ColumnData::default();
        d.write(0.2, 0.0, 0.0);
        d.backfill_started();
        d.backfill_to(1.0);
        assert_eq!(d.missing(), 0.0);
    }

    #[test]
    fn new_only_writes_leave_the_old_column_stale() {
        let mut d = ColumnData::default();
        d.write(0.0, 0.1, 0.1);
        assert!((d.stale - 0.1).abs() < 1e-9);
        // Writing both again repairs the old column row by row.
        d.write(0.0, 0.1, 0.0);
        assert!(d.stale < 0.1);
    }
}
