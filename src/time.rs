//! Game time: the fixed tick, and durations written as text (`250ms`, `30s`, `5m`, `1h30m`).
//!
//! Shared by mission files and the command language so that `30s` means the same everywhere.
//! Owns no clock: the simulation counts ticks, this module only converts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Milliseconds of game time in one simulation tick.
pub const TICK_MS: u64 = 100;
/// Ticks in one game second.
pub const TICKS_PER_SEC: u64 = 1000 / TICK_MS;

/// A span of game time, stored in whole milliseconds so it compares and hashes exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Dur {
    ms: u64,
}

impl Dur {
    /// A duration of `ms` milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        Self { ms }
    }

    /// A duration of `s` whole seconds.
    pub const fn from_secs(s: u64) -> Self {
        Self { ms: s * 1000 }
    }

    /// Milliseconds.
    pub const fn millis(self) -> u64 {
        self.ms
    }

    /// Seconds, as a float.
    pub fn secs(self) -> f64 {
        self.ms as f64 / 1000.0
    }

    /// Whole ticks, rounding up so that a non-zero duration never takes zero ticks.
    pub const fn ticks(self) -> u64 {
        self.ms.div_ceil(TICK_MS)
    }
}

/// Why a duration did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurError {
    #[error("empty duration: expected a number with a unit, like 30s or 5m")]
    Empty,
    #[error("`{0}` is not a duration: expected a number with a unit (ms, s, m, h), like 30s")]
    Malformed(String),
    #[error("duration `{0}` is too long")]
    TooLong(String),
}

impl FromStr for Dur {
    type Err = DurError;

    /// Parses `250ms`, `30s`, `1.5s`, `5m`, `2h`, and sums such as `1m30s`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let s = text.trim();
        if s.is_empty() {
            return Err(DurError::Empty);
        }
        let bad = || DurError::Malformed(s.to_string());
        let mut total: f64 = 0.0;
        let mut rest = s;
        while !rest.is_empty() {
            let num_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .ok_or_else(bad)?;
            if num_len == 0 {
                return Err(bad());
            }
            let value: f64 = rest[..num_len].parse().map_err(|_| bad())?;
            rest = &rest[num_len..];
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit() || c == '.')
                .unwrap_or(rest.len());
            let factor = match &rest[..unit_len] {
                "ms" => 1.0,
                "s" => 1_000.0,
                "m" | "min" => 60_000.0,
                "h" => 3_600_000.0,
                _ => return Err(bad()),
            };
            rest = &rest[unit_len..];
            total += value * factor;
        }
        if !total.is_finite() || total > 1e15 {
            return Err(DurError::TooLong(s.to_string()));
        }
        Ok(Self {
            ms: total.round() as u64,
        })
    }
}

impl fmt::Display for Dur {
    /// The shortest exact text: `250ms`, `30s`, `5m`, `1h`, `1m30s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.ms;
        if ms == 0 {
            return f.write_str("0s");
        }
        if !ms.is_multiple_of(1000) {
            return write!(f, "{ms}ms");
        }
        let mut s = ms / 1000;
        let h = s / 3600;
        s %= 3600;
        let m = s / 60;
        s %= 60;
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if m > 0 {
            write!(f, "{m}m")?;
        }
        if s > 0 {
            write!(f, "{s}s")?;
        }
        Ok(())
    }
}

impl Serialize for Dur {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Formats game seconds as a clock `m:ss` (or `h:mm:ss` past an hour) for logs and screens.
pub fn clock(secs: f64) -> String {
    let total = secs.max(0.0).floor() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_sums() {
        assert_eq!("250ms".parse::<Dur>(), Ok(Dur::from_millis(250)));
        assert_eq!("30s".parse::<Dur>(), Ok(Dur::from_secs(30)));
        assert_eq!("1.5s".parse::<Dur>(), Ok(Dur::from_millis(1500)));
        assert_eq!("5m".parse::<Dur>(), Ok(Dur::from_secs(300)));
        assert_eq!("1m30s".parse::<Dur>(), Ok(Dur::from_secs(90)));
        assert_eq!("2h".parse::<Dur>(), Ok(Dur::from_secs(7200)));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "s", "30", "30x", "-5s", "1..2s", "5 m"] {
            assert!(bad.parse::<Dur>().is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn display_round_trips() {
        for ms in [0, 100, 250, 1000, 30_000, 90_000, 3_600_000, 5_430_000] {
            let d = Dur::from_millis(ms);
            assert_eq!(d.to_string().parse::<Dur>(), Ok(d), "{d}");
        }
    }

    #[test]
    fn ticks_round_up() {
        assert_eq!(Dur::from_millis(50).ticks(), 1);
        assert_eq!(Dur::from_secs(3).ticks(), 30);
        assert_eq!(clock(754.9), "12:34");
        assert_eq!(clock(3725.0), "1:02:05");
    }
}
