//! The event log: what happened, when, how bad. Bounded, so a day-long run stays small.
//!
//! Events carry a sequence number so readers (the runner, the UI) can take only what is new
//! even after old events have been dropped from the front.

use std::collections::VecDeque;

/// How bad an event is. Every severity also has a glyph, so meaning never rests on colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warn,
    Error,
}

impl Severity {
    /// The report's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }

    /// A glyph for screens.
    pub fn glyph(self) -> char {
        match self {
            Severity::Info => '·',
            Severity::Warn => '⚠',
            Severity::Error => '✖',
        }
    }
}

/// One log line.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Sequence number, counting from 0 for the whole run.
    pub seq: u64,
    /// Game tick at which it happened.
    pub tick: u64,
    pub severity: Severity,
    pub text: String,
    /// Known only looking back (the moment a release's fault reached users): in the report
    /// and a replay, never shown in live play, where it would tell the player what they are
    /// there to notice.
    pub hindsight: bool,
}

/// A bounded log.
#[derive(Debug, Clone)]
pub struct EventLog {
    events: VecDeque<Event>,
    next_seq: u64,
    cap: usize,
}

impl EventLog {
    /// A log keeping the last `cap` events.
    pub fn new(cap: usize) -> Self {
        Self {
            events: VecDeque::with_capacity(cap.min(1024)),
            next_seq: 0,
            cap: cap.max(1),
        }
    }

    /// Appends an event, dropping the oldest when full.
    pub fn push(&mut self, tick: u64, severity: Severity, text: String) {
        self.push_seen(tick, severity, text, false);
    }

    /// Appends an event known only looking back (`Event::hindsight`).
    pub fn push_hindsight(&mut self, tick: u64, severity: Severity, text: String) {
        self.push_seen(tick, severity, text, true);
    }

    fn push_seen(&mut self, tick: u64, severity: Severity, text: String, hindsight: bool) {
        if self.events.len() == self.cap {
            self.events.pop_front();
        }
        self.events.push_back(Event {
            seq: self.next_seq,
            tick,
            severity,
            text,
            hindsight,
        });
        self.next_seq += 1;
    }

    /// Events with `seq >= from`, oldest first (those still kept).
    pub fn since(&self, from: u64) -> impl Iterator<Item = &Event> {
        let first = self.events.front().map_or(0, |e| e.seq);
        let skip = from.saturating_sub(first) as usize;
        self.events.iter().skip(skip)
    }

    /// The sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The kept events, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> {
        self.events.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_events_and_reads_since() {
        let mut log = EventLog::new(3);
        for i in 0..5 {
            log.push(i, Severity::Info, format!("e{i}"));
        }
        let texts: Vec<_> = log.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["e2", "e3", "e4"]);
        let new: Vec<_> = log.since(3).map(|e| e.seq).collect();
        assert_eq!(new, [3, 4]);
        assert_eq!(log.since(0).count(), 3);
        assert_eq!(log.since(9).count(), 0);
    }
}
