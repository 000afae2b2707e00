//! Parsers for the values of `zerodown sandbox`'s flags. Each returns a message clap prints
//! after naming the flag and the value (`invalid value 'v2:errors=2' for '--version <SPEC>'`).

use crate::mission::{self, Column, Sandbox, Start, Version, Writes};
use crate::time::Dur;

/// The `--version` help: the keys `version` understands, one a line.
pub const VERSION_HELP: &str = "\
A release that exists in the sandbox: NAME, or NAME:KEY[=VALUE],... with hidden defects.
Repeat the flag for more versions. Without a FILE, any --version replaces the default
releases (v2, v3); the starting version stays. With a FILE, it adds or replaces one.
Keys:
  errors=SHARE        share of requests that fail (0 to 1)
  users=SHARE         share of users who hit the defect (0 to 1, default 1)
  latency=FACTOR      every request this many times slower
  cpu=FACTOR          this many times the CPU per request
  leak=MB             memory leaked per minute of uptime (OOM kill at the limit)
  onset=DURATION      defects show only after this long on the version (e.g. 1m)
  hangs=DURATION      the process stops answering after running this long
  needs-schema=N      fails below database schema N
  breaks-at-schema=N  fails once the schema reaches N
  reads=old|new       the column it reads (new: wrong data until backfilled)
  writes=old|both|new the columns it writes (both: the dual write)
  crash               the process crashes at boot
  db-config           broken database config (a shallow health check passes)
  real-only           defects only under real traffic (staging and smoke tests pass)
  stateless           keeps no sessions: restarts log nobody out
  unit-tests          the unit tests catch it (the pipeline stops it)
Example: --version v2:errors=0.05,onset=1m --version v3:leak=40";

/// `NAME[:KEY[=VALUE],...]` → the named version, checked by the mission validator.
pub fn version(spec: &str) -> Result<(String, Version), String> {
    let (name, keys) = spec.split_once(':').unwrap_or((spec, ""));
    let mut v = Version::default();
    for item in keys.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        let (key, value) = item.split_once('=').unwrap_or((item, ""));
        set(&mut v, key, value)?;
    }
    // The validator's own rules, on a sandbox holding only this version.
    let check = Sandbox {
        versions: [(name.to_string(), v.clone())].into(),
        start: Some(Start {
            version: name.to_string(),
        }),
        ..Sandbox::default()
    };
    let issues = mission::validate(&check.into_mission());
    if let Some(first) = issues.first() {
        return Err(first.message.clone());
    }
    Ok((name.to_string(), v))
}

/// Sets one key of a version spec.
fn set(v: &mut Version, key: &str, value: &str) -> Result<(), String> {
    let num = |what: &str| -> Result<f64, String> {
        value
            .parse::<f64>()
            .map_err(|_| format!("`{key}` needs {what}, e.g. {key}=0.05; found `{value}`"))
    };
    let whole = || -> Result<u32, String> {
        value
            .parse::<u32>()
            .map_err(|_| format!("`{key}` needs a whole number, e.g. {key}=2; found `{value}`"))
    };
    let flag = || -> Result<bool, String> {
        if value.is_empty() {
            Ok(true)
        } else {
            Err(format!("`{key}` takes no value (found `={value}`)"))
        }
    };
    match key {
        "errors" => v.errors = num("a share from 0 to 1")?,
        "users" => v.affects_users = num("a share from 0 to 1")?,
        "latency" => v.latency_factor = num("a factor")?,
        "cpu" => v.cpu_factor = num("a factor")?,
        "leak" => v.leak_mb_per_min = num("megabytes per minute")?,
        "onset" => v.onset_after = duration(value).map_err(|e| format!("`onset`: {e}"))?,
        "hangs" => v.hangs_after = Some(duration(value).map_err(|e| format!("`hangs`: {e}"))?),
        "needs-schema" => v.needs_schema = whole()?,
        "breaks-at-schema" => v.breaks_at_schema = Some(whole()?),
        "reads" => {
            v.reads = match value {
                "old" => Column::Old,
                "new" => Column::New,
                _ => return Err(format!("`reads` is old or new; found `{value}`")),
            }
        }
        "writes" => {
            v.writes = match value {
                "old" => Writes::Old,
                "both" => Writes::Both,
                "new" => Writes::New,
                _ => return Err(format!("`writes` is old, both or new; found `{value}`")),
            }
        }
        "crash" => v.fails_to_start = flag()?,
        "db-config" => v.broken_db_config = flag()?,
        "real-only" => v.only_real_traffic = flag()?,
        "stateless" => v.stateless = flag()?,
        "unit-tests" => v.fails_unit_tests = flag()?,
        _ => {
            return Err(format!(
                "unknown key `{key}`; see `zerodown sandbox --help` for the keys"
            ));
        }
    }
    Ok(())
}

/// A duration longer than 0s and at most the longest mission.
pub fn duration(text: &str) -> Result<Dur, String> {
    let d: Dur = text
        .parse()
        .map_err(|e| format!("{e}; write e.g. 90s, 30m, 1h30m"))?;
    if d == Dur::default() {
        return Err("must be longer than 0s".into());
    }
    if d > mission::MAX_DURATION {
        return Err(format!("at most {}", mission::MAX_DURATION));
    }
    Ok(d)
}

/// A finite number above 0.
pub fn positive(text: &str) -> Result<f64, String> {
    number(text).and_then(|x| {
        if x > 0.0 {
            Ok(x)
        } else {
            Err(format!("must be greater than 0, found {x}"))
        }
    })
}

/// A finite number, 0 or more.
pub fn non_negative(text: &str) -> Result<f64, String> {
    number(text).and_then(|x| {
        if x >= 0.0 {
            Ok(x)
        } else {
            Err(format!("must be 0 or more, found {x}"))
        }
    })
}

/// A request rate: a finite number, 0 or more, at most `mission::MAX_RPS`.
pub fn rate(text: &str) -> Result<f64, String> {
    non_negative(text).and_then(|x| at_most_max_rps(text, x))
}

/// A server's capacity: a finite number above 0, at most `mission::MAX_RPS`.
pub fn capacity(text: &str) -> Result<f64, String> {
    positive(text).and_then(|x| at_most_max_rps(text, x))
}

/// Rates above the bound would wrap the sim's request counters.
fn at_most_max_rps(text: &str, x: f64) -> Result<f64, String> {
    if x <= mission::MAX_RPS {
        Ok(x)
    } else {
        Err(format!(
            "must be at most {} requests a second, found {text}",
            mission::MAX_RPS
        ))
    }
}

fn number(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("`{text}` is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_bounded() {
        assert_eq!(rate("0"), Ok(0.0));
        assert_eq!(rate("10000000"), Ok(1e7));
        assert_eq!(
            rate("1e308"),
            Err("must be at most 10000000 requests a second, found 1e308".into())
        );
        assert!(capacity("1e308").is_err());
        assert!(capacity("0").is_err());
        assert_eq!(capacity("100"), Ok(100.0));
    }

    #[test]
    fn every_key_in_the_help_parses() {
        let keys = VERSION_HELP
            .lines()
            .skip_while(|l| *l != "Keys:")
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .map(|l| l.split_whitespace().next().unwrap_or_default())
            .collect::<Vec<_>>();
        assert_eq!(keys.len(), 16);
        for key in keys {
            let spec = match key.split_once('=') {
                Some((k, alts)) if alts.contains('|') => {
                    format!("v9:{k}={}", alts.split('|').next().unwrap_or_default())
                }
                Some((k, "DURATION")) => format!("v9:{k}=1m"),
                Some((k, "N")) => format!("v9:{k}=2"),
                Some((k, _)) => format!("v9:{k}=0.5"),
                None => format!("v9:{key}"),
            };
            assert!(version(&spec).is_ok(), "{spec}: {:?}", version(&spec));
        }
    }

    #[test]
    fn a_spec_says_which_columns_a_version_reads_and_writes() {
        let (_, v) = version("v3:reads=new,writes=both").expect("valid");
        assert_eq!((v.reads, v.writes), (Column::New, Writes::Both));
        assert!(version("v3:writes=all").is_err());
    }

    #[test]
    fn a_spec_sets_the_defects_it_names() {
        let (name, v) = version("v2:errors=0.05,onset=1m,crash").expect("valid");
        assert_eq!(name, "v2");
        assert!((v.errors - 0.05).abs() < 1e-12);
        assert_eq!(v.onset_after, Dur::from_secs(60));
        assert!(v.fails_to_start);
        assert_eq!(version("v3").expect("valid").1, Version::default());
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let err = |s: &str| version(s).expect_err(s);
        assert!(err("v2:errors=2").contains("errors must be between 0 and 1, found 2"));
        assert!(err("v2:erors=0.1").contains("unknown key `erors`"));
        assert!(err("v2:onset=soon").contains("`onset`"));
        assert!(err("v2:crash=yes").contains("takes no value"));
        assert!(err("v 2").contains("version name"));
        assert!(err(":errors=0.1").contains("version name"));
        assert!(duration("0s").is_err() && duration("49h").is_err());
        assert!(positive("0").is_err() && positive("nan").is_err());
        assert!(non_negative("-1").is_err() && non_negative("0").is_ok());
    }
}
