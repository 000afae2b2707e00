//! A run's markers, the moments a debrief jumps between: the fault becoming visible, the
//! first alert, the reaction and the restore, found by playing the recording headless
//! once (the score's own moments, so they agree with the debrief and the report), and the
//! `goto` times an instructor types.

use crate::sim::{Moments, Sim};
use crate::time::{Dur, TICKS_PER_SEC, clock};

/// What a marker marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkerKind {
    /// The second the fault reached users is over (the log's `fault visible` line).
    Fault,
    /// The first page: the outage alert or a burn-rate alert.
    Alert,
    /// The first reaction detection counts (a mitigating act, or a guard acting).
    Reaction,
    /// Users back under the SLO's lines (the score's restore).
    Restored,
}

impl MarkerKind {
    /// The word the header shows.
    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::Fault => "fault",
            MarkerKind::Alert => "alert",
            MarkerKind::Reaction => "reaction",
            MarkerKind::Restored => "restored",
        }
    }
}

/// One marker: what, and the tick a jump lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub kind: MarkerKind,
    pub tick: u64,
}

impl Marker {
    /// `fault 1:45`.
    pub fn text(self) -> String {
        format!("{} {}", self.kind.label(), clock_of(self.tick))
    }
}

/// The game clock of `tick` (`1:45`).
pub fn clock_of(tick: u64) -> String {
    clock(tick as f64 / TICKS_PER_SEC as f64)
}

/// Watches a run tick by tick for what its end state no longer says (the first alert).
#[derive(Debug, Clone, Default)]
pub struct Watch {
    first_alert: Option<u64>,
}

impl Watch {
    /// Looks at the sim after a tick.
    pub fn tick(&mut self, sim: &Sim) {
        if self.first_alert.is_none() && sim.alert_raised() {
            self.first_alert = Some(sim.tick());
        }
    }

    /// The markers of the finished run `sim`, in time order (absent ones left out).
    pub fn markers(&self, sim: &Sim) -> Vec<Marker> {
        markers_of(&sim.moments(), self.first_alert)
    }
}

/// The markers of a run's `moments` and its first alert, in time order. The fault marker
/// lands when its second is over (counted, and logged).
pub fn markers_of(moments: &Moments, first_alert: Option<u64>) -> Vec<Marker> {
    let tick = |s: f64| (s * TICKS_PER_SEC as f64).round() as u64;
    let mut markers: Vec<Marker> = [
        (
            MarkerKind::Fault,
            moments.onset.map(|s| tick(s) + TICKS_PER_SEC),
        ),
        (MarkerKind::Alert, first_alert),
        (MarkerKind::Reaction, moments.reaction.map(tick)),
        (MarkerKind::Restored, moments.restored.map(tick)),
    ]
    .into_iter()
    .filter_map(|(kind, t)| t.map(|tick| Marker { kind, tick }))
    .collect();
    markers.sort_by_key(|m| (m.tick, m.kind));
    markers
}

/// The first marker after `tick` (`forward`) or before it, among `markers`.
pub fn next_marker(markers: &[Marker], tick: u64, forward: bool) -> Option<Marker> {
    if forward {
        markers.iter().copied().find(|m| m.tick > tick)
    } else {
        markers.iter().rev().copied().find(|m| m.tick < tick)
    }
}

/// The tick a `goto` line names: `goto 1:10`, `goto 70`, `goto 70s`, `goto 1m10s`
/// (`goto` may be left out).
///
/// # Errors
/// What was expected, in words, when the line names no time.
pub fn parse_goto(line: &str) -> Result<u64, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (time, said_goto) = match words.as_slice() {
        ["goto"] | [] => return Err(GOTO_USAGE.into()),
        ["goto", time] => (*time, true),
        [time] => (*time, false),
        _ => return Err(format!("`{}`: {GOTO_USAGE}", line.trim())),
    };
    let secs = parse_clock(time)
        .or_else(|| time.parse::<u64>().ok().map(|s| s as f64))
        .or_else(|| time.parse::<Dur>().ok().map(Dur::secs))
        .ok_or_else(|| {
            // `goto soon` is a bad time; `rollback` is a command a replay does not take.
            if said_goto || time.starts_with(|c: char| c.is_ascii_digit()) {
                format!("`{time}` is not a time: {GOTO_USAGE}")
            } else {
                format!("`{time}`: {GOTO_USAGE}")
            }
        })?;
    Ok((secs * TICKS_PER_SEC as f64).round() as u64)
}

/// What the goto prompt takes.
pub const GOTO_USAGE: &str =
    "a replay takes only `goto TIME` (goto 1:10, goto 70, goto 70s, goto 1m10s)";

/// `1:10` or `1:02:03` as seconds.
fn parse_clock(text: &str) -> Option<f64> {
    if !text.contains(':') {
        return None;
    }
    let mut secs = 0u64;
    for (i, part) in text.split(':').enumerate() {
        let n: u64 = part.parse().ok()?;
        if i > 0 && (n >= 60 || part.len() != 2) || i > 2 {
            return None;
        }
        secs = secs.checked_mul(60)?.checked_add(n)?;
    }
    Some(secs as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goto_takes_a_clock_seconds_or_a_duration() {
        for (line, tick) in [
            ("goto 1:10", 700),
            ("goto 70", 700),
            ("goto 70s", 700),
            ("goto 1m10s", 700),
            ("1:10", 700),
            ("  goto   0:05 ", 50),
            ("goto 1:00:00", 36_000),
            ("goto 2.5s", 25),
        ] {
            assert_eq!(parse_goto(line), Ok(tick), "{line}");
        }
        for (line, says) in [
            ("goto", "a replay takes only `goto TIME`"),
            ("goto soon", "`soon` is not a time"),
            ("goto 1:7", "`1:7` is not a time"),
            ("goto 1:75", "`1:75` is not a time"),
            ("drain web-01", "`drain web-01`: a replay takes only"),
            ("goto -5", "`-5` is not a time"),
            ("rollback", "`rollback`: a replay takes only `goto TIME`"),
            ("7up", "`7up` is not a time"),
        ] {
            let e = parse_goto(line).expect_err(line);
            assert!(e.contains(says), "{line}: {e}");
        }
    }

    #[test]
    fn markers_are_in_time_order_and_absent_ones_are_left_out() {
        let moments = Moments {
            onset: Some(104.0),
            reaction: Some(109.0),
            restored: Some(112.0),
            damage: None,
        };
        let m = markers_of(&moments, Some(1060));
        let texts: Vec<String> = m.iter().map(|m| m.text()).collect();
        assert_eq!(
            texts,
            ["fault 1:45", "alert 1:46", "reaction 1:49", "restored 1:52"]
        );
        assert!(markers_of(&Moments::default(), None).is_empty());
        assert_eq!(next_marker(&m, 1050, true).map(|m| m.tick), Some(1060));
        assert_eq!(next_marker(&m, 1050, false), None);
        assert_eq!(next_marker(&m, 2000, false).map(|m| m.tick), Some(1120));
        assert_eq!(next_marker(&m, 2000, true), None);
    }
}
