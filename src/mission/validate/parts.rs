//! The rules for the fleet, the traffic and the versions: one function each.

use std::collections::BTreeSet;

use super::{Checker, MAX_FACTOR, MAX_RPS, MAX_SCHEMA, MAX_SERVERS, MAX_THRESHOLD};
use crate::mission::locate::FieldPath;
use crate::mission::model::{Column, Fleet, Mission, Shape, Traffic, Version, Writes};

/// The fewest requests a user may send a second: fewer would make the sim count more users
/// than it has requests (users = rate / requests per user).
const MIN_REQUESTS_PER_USER_S: f64 = 0.001;

fn is_name(text: &str, extra: impl Fn(char) -> bool) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || extra(ch))
}

pub(super) fn fleet(c: &mut Checker, p: &FieldPath, fleet: &Fleet) {
    if !(1..=MAX_SERVERS).contains(&fleet.servers) {
        let msg = format!(
            "{p}.servers must be 1 to {MAX_SERVERS}, found {}",
            fleet.servers
        );
        c.push(p.field("servers"), msg);
    }
    c.positive_up_to(p.field("capacity_rps"), fleet.capacity_rps, MAX_RPS);
    c.positive_up_to(
        p.field("service_ms"),
        fleet.service_ms,
        super::MAX_LATENCY_LINE_MS,
    );
    c.duration(p.field("timeout"), fleet.timeout);
    if !is_name(&fleet.prefix, |ch| ch == '_') {
        let msg = format!(
            "{p}.prefix {:?} must be lowercase letters, digits and `_`",
            fleet.prefix
        );
        c.push(p.field("prefix"), msg);
    }
    let pools = p.field("pools");
    if fleet.pools.is_empty() {
        c.push(
            pools.clone(),
            format!("{pools} must name at least one pool"),
        );
    }
    if fleet.pools.len() > fleet.servers as usize {
        let msg = format!(
            "{pools} has {} pools but only {} servers to split among them",
            fleet.pools.len(),
            fleet.servers
        );
        c.push(pools.clone(), msg);
    }
    let mut seen = BTreeSet::new();
    for (i, pool) in fleet.pools.iter().enumerate() {
        if !is_name(pool, |ch| ch == '_' || ch == '-') {
            let msg = format!("pool name {pool:?} must be lowercase letters, digits, `_` and `-`");
            c.push(pools.index(i), msg);
        }
        if !seen.insert(pool) {
            c.push(pools.index(i), format!("pool {pool:?} is listed twice"));
        }
    }
    let health = p.field("health");
    c.duration(health.field("period"), fleet.health.period);
    c.one_to(
        health.field("failure_threshold"),
        fleet.health.failure_threshold,
        MAX_THRESHOLD,
    );
    c.one_to(
        health.field("success_threshold"),
        fleet.health.success_threshold,
        MAX_THRESHOLD,
    );
    c.positive(p.field("base_memory_mb"), fleet.base_memory_mb);
    let limit = p.field("memory_limit_mb");
    if !fleet.memory_limit_mb.is_finite() {
        c.positive(limit, fleet.memory_limit_mb);
    } else if fleet.base_memory_mb.is_finite() && fleet.memory_limit_mb <= fleet.base_memory_mb {
        let msg = format!(
            "{limit} ({}) must be greater than base_memory_mb ({})",
            fleet.memory_limit_mb, fleet.base_memory_mb
        );
        c.push(limit, msg);
    }
}

pub(super) fn traffic(c: &mut Checker, p: &FieldPath, traffic: &Traffic) {
    c.up_to(p.field("base_rps"), traffic.base_rps, MAX_RPS);
    let shape = p.field("shape");
    match &traffic.shape {
        Shape::Flat => {}
        Shape::Ramp { to_rps } => c.up_to(shape.field("to_rps"), *to_rps, MAX_RPS),
        Shape::Wave { amplitude, period } => {
            c.share(shape.field("amplitude"), *amplitude);
            c.duration(shape.field("period"), *period);
        }
    }
    for (i, spike) in traffic.spikes.iter().enumerate() {
        let s = p.field("spikes").index(i);
        c.positive_up_to(s.field("factor"), spike.factor, MAX_FACTOR);
        c.duration(s.field("length"), spike.length);
    }
    c.bounded_duration(p.field("session_length"), traffic.session_length);
    let per_user = p.field("requests_per_user_s");
    let rate = traffic.requests_per_user_s;
    if rate > 0.0 && rate < MIN_REQUESTS_PER_USER_S {
        let msg = format!("{per_user} must be at least {MIN_REQUESTS_PER_USER_S}, found {rate:e}");
        c.push(per_user, msg);
    } else {
        c.positive_up_to(per_user, rate, MAX_FACTOR);
    }
}

pub(super) fn versions(c: &mut Checker, mission: &Mission) {
    let p = FieldPath::root().field("versions");
    if mission.versions.is_empty() {
        c.push(p.clone(), format!("{p} must define at least one version"));
    }
    for (name, version) in &mission.versions {
        let v = p.key(name);
        if !is_version_name(name) {
            c.push(
                v.clone(),
                format!("version name {name:?} must be letters, digits, `_`, `.` and `-`"),
            );
        }
        version_fields(c, &v, version);
    }
}

/// `[A-Za-z0-9_.-]+`.
fn is_version_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "_.-".contains(ch))
}

fn version_fields(c: &mut Checker, v: &FieldPath, version: &Version) {
    c.share(v.field("errors"), version.errors);
    c.share(v.field("affects_users"), version.affects_users);
    c.positive_up_to(
        v.field("latency_factor"),
        version.latency_factor,
        MAX_FACTOR,
    );
    c.positive_up_to(v.field("cpu_factor"), version.cpu_factor, MAX_FACTOR);
    if let Some(tail) = &version.tail {
        c.share(v.field("tail").field("share"), tail.share);
        let factor = v.field("tail").field("factor");
        if tail.factor > MAX_FACTOR {
            c.too_large(factor, tail.factor, MAX_FACTOR);
        } else {
            c.float(factor, tail.factor, |f| f >= 1.0, "at least 1");
        }
    }
    c.non_negative(v.field("leak_mb_per_min"), version.leak_mb_per_min);
    if version.reads == Column::New && version.writes == Writes::Old {
        let path = v.field("writes");
        let msg = format!(
            "{path}: a version that reads the new column must write it (Both or New), or it reads back stale copies of its own writes"
        );
        c.push(path, msg);
    }
    c.at_most(v.field("needs_schema"), version.needs_schema, MAX_SCHEMA);
    if let Some(breaks) = version.breaks_at_schema
        && breaks > MAX_SCHEMA
    {
        c.at_most(v.field("breaks_at_schema"), breaks, MAX_SCHEMA);
    } else if let Some(breaks) = version.breaks_at_schema
        && breaks <= version.needs_schema
    {
        let path = v.field("breaks_at_schema");
        let msg = format!(
            "{path} ({breaks}) must be greater than needs_schema ({})",
            version.needs_schema
        );
        c.push(path, msg);
    }
}
