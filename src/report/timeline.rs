//! The report's timeline as a run grows: one entry per game-second (DESIGN §6) while the
//! entries fit their share of a report, then two seconds an entry, four, eight… (the
//! report's `timeline_step_s`), so that a run of any length allowed (48 game-hours) writes
//! a report its readers accept (`replay::MAX_REPORT_BYTES`), and the runner's memory stays
//! bounded as well.
//!
//! An entry of `step` seconds ends at `t` and covers `(t − step, t]`: requests are added up
//! (`arrived`, `ok`, `failed`, so `in_flight[t] = in_flight[t−step] + arrived − ok − failed`
//! still holds), `in_flight`, `servers` and `in_service` are the state at `t`, latencies
//! and `cpu_max` the worst second, `cpu_avg` and `mem_avg` the mean. Deterministic: the same
//! run coarsens at the same seconds, so a replay rebuilds the same report.

use std::collections::BTreeMap;
use std::io;

use super::{TimelineEntry, round};

/// Seconds per entry and the entries, built one game-second at a time.
#[derive(Debug, Clone)]
pub struct Timeline {
    step_s: u64,
    entries: Vec<TimelineEntry>,
    /// What the entries take in the report (pretty JSON at their depth), in bytes.
    bytes: usize,
    /// The entry being filled, not yet `step_s` seconds long.
    open: Option<Window>,
}

impl Default for Timeline {
    fn default() -> Self {
        Self {
            step_s: 1,
            entries: Vec::new(),
            bytes: 0,
            open: None,
        }
    }
}

impl Timeline {
    /// Adds the next game-second; the entries then take at most `room` bytes (halved as
    /// often as needed by doubling the step), or are one entry.
    pub fn push(&mut self, second: TimelineEntry, room: usize) {
        let next = Window::of(second, 1);
        let window = match self.open.take() {
            Some(mut open) => {
                open.add(next);
                open
            }
            None => next,
        };
        if window.seconds >= self.step_s {
            self.close(window.finish());
        } else {
            self.open = Some(window);
        }
        while self.bytes > room && self.entries.len() > 1 {
            self.coarsen();
        }
    }

    /// The entries (the last one may be shorter than a step) and the step in seconds.
    pub fn finish(mut self) -> (Vec<TimelineEntry>, u64) {
        if let Some(open) = self.open.take() {
            self.entries.push(open.finish());
        }
        (self.entries, self.step_s)
    }

    /// Game-seconds per entry now.
    pub fn step_s(&self) -> u64 {
        self.step_s
    }

    fn close(&mut self, entry: TimelineEntry) {
        self.bytes += entry_bytes(&entry);
        self.entries.push(entry);
    }

    /// Doubles the step: entries are merged two by two; an odd last one opens the next.
    fn coarsen(&mut self) {
        let seconds = self.step_s;
        self.step_s *= 2;
        self.bytes = 0;
        let mut open = self.open.take();
        let mut pairs = std::mem::take(&mut self.entries).into_iter();
        while let Some(first) = pairs.next() {
            let mut window = Window::of(first, seconds);
            if let Some(second) = pairs.next() {
                window.add(Window::of(second, seconds));
                self.close(window.finish());
            } else {
                if let Some(rest) = open.take() {
                    window.add(rest);
                }
                open = Some(window);
            }
        }
        self.open = open;
    }
}

/// Consecutive seconds being merged into one entry.
#[derive(Debug, Clone)]
struct Window {
    entry: TimelineEntry,
    seconds: u64,
    cpu_sum: f64,
    mem_sum: f64,
}

impl Window {
    /// An entry that covers `seconds`.
    fn of(entry: TimelineEntry, seconds: u64) -> Self {
        Self {
            cpu_sum: entry.cpu_avg * seconds as f64,
            mem_sum: entry.mem_avg * seconds as f64,
            entry,
            seconds,
        }
    }

    /// Appends the seconds that follow.
    fn add(&mut self, later: Window) {
        let (a, b) = (&mut self.entry, later.entry);
        a.t = b.t;
        a.arrived += b.arrived;
        a.ok += b.ok;
        a.failed += b.failed;
        a.in_flight = b.in_flight;
        a.p50_ms = a.p50_ms.max(b.p50_ms);
        a.p95_ms = a.p95_ms.max(b.p95_ms);
        a.p99_ms = a.p99_ms.max(b.p99_ms);
        a.cpu_max = a.cpu_max.max(b.cpu_max);
        a.servers = b.servers;
        a.in_service = b.in_service;
        // A version gone by the end has no servers at the end.
        for v in a.by_version.values_mut() {
            v.servers = 0;
            v.in_service = 0;
        }
        merge_versions(&mut a.by_version, b.by_version);
        self.seconds += later.seconds;
        self.cpu_sum += later.cpu_sum;
        self.mem_sum += later.mem_sum;
    }

    fn finish(self) -> TimelineEntry {
        let mut e = self.entry;
        if self.seconds > 1 {
            let n = self.seconds as f64;
            e.cpu_avg = round(self.cpu_sum / n, 4);
            e.mem_avg = round(self.mem_sum / n, 4);
            let done = e.ok + e.failed;
            e.error_rate = if done == 0 {
                0.0
            } else {
                round(e.failed as f64 / done as f64, 5)
            };
        }
        e
    }
}

fn merge_versions(
    into: &mut BTreeMap<String, super::VersionEntry>,
    later: BTreeMap<String, super::VersionEntry>,
) {
    for (name, v) in later {
        match into.get_mut(&name) {
            Some(a) => {
                a.servers = v.servers;
                a.in_service = v.in_service;
                a.arrived += v.arrived;
                a.ok += v.ok;
                a.failed += v.failed;
                a.p99_ms = a.p99_ms.max(v.p99_ms);
                a.shadow = v.shadow;
            }
            None => {
                into.insert(name, v);
            }
        }
    }
}

/// Bytes `entry` takes in the report: pretty JSON, each line indented 4 more (it sits in
/// the report's `timeline` list), and the `,\n` after it.
fn entry_bytes(entry: &TimelineEntry) -> usize {
    let mut count = Count::default();
    if serde_json::to_writer_pretty(&mut count, entry).is_err() {
        return usize::MAX / 2;
    }
    count.bytes + 4 * (count.lines + 1) + 2
}

/// An `io::Write` that only counts.
#[derive(Default)]
struct Count {
    bytes: usize,
    lines: usize,
}

impl io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len();
        // A few hundred bytes an entry: not worth the bytecount crate.
        #[allow(clippy::naive_bytecount)]
        let lines = buf.iter().filter(|&&b| b == b'\n').count();
        self.lines += lines;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::VersionEntry;

    fn second(t: u64, failed: u64) -> TimelineEntry {
        let v = VersionEntry {
            servers: 2,
            in_service: 2,
            arrived: 10,
            ok: 10 - failed,
            failed,
            p99_ms: 100.0 + t as f64,
            shadow: false,
        };
        TimelineEntry {
            t,
            arrived: 10,
            ok: 10 - failed,
            failed,
            in_flight: t,
            error_rate: round(failed as f64 / 10.0, 5),
            p50_ms: 10.0,
            p95_ms: 20.0,
            p99_ms: 100.0 + t as f64,
            cpu_avg: t as f64 / 100.0,
            cpu_max: t as f64 / 50.0,
            mem_avg: 0.5,
            servers: 2,
            in_service: 2,
            by_version: [("v1".to_string(), v)].into(),
        }
    }

    #[test]
    fn with_room_every_second_is_an_entry() {
        let mut tl = Timeline::default();
        for t in 1..=100 {
            tl.push(second(t, 0), usize::MAX);
        }
        let (entries, step) = tl.finish();
        assert_eq!((entries.len(), step), (100, 1));
        assert_eq!(entries[41], second(42, 0));
    }

    #[test]
    fn without_room_the_step_doubles_and_seconds_are_added_up() {
        let room = 20 * entry_bytes(&second(1, 0));
        let mut tl = Timeline::default();
        for t in 1..=100 {
            tl.push(second(t, t % 2), room);
        }
        let (entries, step) = tl.finish();
        assert!(step.is_power_of_two() && step >= 8, "{step}");
        let whole = 100 / step;
        assert_eq!(entries.len() as u64, whole + u64::from(100 % step > 0));
        assert!(entries.iter().map(entry_bytes).sum::<usize>() <= room + entry_bytes(&entries[0]));
        let ends: Vec<u64> = entries.iter().map(|e| e.t).collect();
        assert_eq!(ends[..2], [step, 2 * step]);
        assert_eq!(ends.last(), Some(&100));
        let first = &entries[0];
        assert_eq!(
            (first.arrived, first.ok, first.failed),
            (10 * step, 10 * step - step / 2, step / 2)
        );
        assert_eq!(first.in_flight, step, "the state at the end");
        assert_eq!(first.error_rate, 0.05);
        assert_eq!(first.p99_ms, 100.0 + step as f64, "the worst second");
        assert_eq!(
            first.cpu_avg,
            round((step + 1) as f64 / 200.0, 4),
            "the mean"
        );
        assert_eq!(first.cpu_max, step as f64 / 50.0);
        assert_eq!(first.by_version["v1"].arrived, 10 * step);
        let arrived: u64 = entries.iter().map(|e| e.arrived).sum();
        assert_eq!(arrived, 1000, "every request is counted once");
    }

    #[test]
    fn a_version_gone_by_the_end_of_a_step_has_no_servers_in_it() {
        let mut a = Window::of(second(1, 0), 1);
        let mut later = second(2, 0);
        let v2 = later.by_version.remove("v1").expect("v1");
        later.by_version.insert("v2".into(), v2);
        a.add(Window::of(later, 1));
        let e = a.finish();
        assert_eq!(e.by_version["v1"].servers, 0);
        assert_eq!(e.by_version["v1"].arrived, 10);
        assert_eq!(e.by_version["v2"].servers, 2);
    }
}
