//! The case in words: the interviewer's brief (never the fault), the plan screen's four
//! lines, and the one-line summary.

use super::{FIX, NEW, OLD, Scenario, round_to};

/// A deep health check fails a server whose memory passes this share of its limit (the
/// sim's rule, said in the brief).
const DEEP_MEM_LINE: f64 = 0.9;
use crate::mission::{Balancer, Shape};

impl Scenario {
    /// What the player is told: the case as an interviewer would put it, with the
    /// dashboards, and never the fault.
    pub fn brief(&self) -> String {
        let m = &self.mission;
        let f = &m.fleet;
        let b = &self.baseline;
        let capacity = f64::from(f.servers) * f.capacity_rps;
        let balancer = match f.balancer {
            Balancer::Weighted => {
                "a load balancer with weighted routing (a canary's share is exact)"
            }
            Balancer::ServerCount => {
                "a load balancer without weights (it spreads requests evenly over servers, so a canary's share follows its share of the servers)"
            }
        };
        let shape = match &m.traffic.shape {
            Shape::Flat => "steady".to_string(),
            Shape::Ramp { to_rps } => {
                format!("climbing to {} req/s by the end", thousands(*to_rps))
            }
            Shape::Wave { amplitude, period } => {
                format!("a wave of ±{:.0}% every {period}", amplitude * 100.0)
            }
        };
        let bursts = if m.traffic.spikes.is_empty() {
            String::new()
        } else {
            " Marketing may send short bursts on top: the peak includes them.".to_string()
        };
        let slo = &m.slo;
        format!(
            "\"How would you deploy an update to {n} servers safely?\" Show it.\n\
             \n\
             The fleet: {n} app servers ({first} … {last}), {cap:.0} req/s each, behind {balancer}. \
             A server drains in {drain}, installs in {deploy}, boots in {boot} and warms up for {warm} \
             (slower at first). Health checks every {period}: {pass} passes to join traffic, {fail} failures to leave it.\n\
             Traffic: {rps} req/s now, {shape}; the peak is about {peak} req/s ({peak_pct:.0}% of capacity).{bursts}\n\
             Dashboards now, all on {OLD}: p99 {p99:.0} ms · CPU {cpu:.0}% · memory {mem:.0}% of the limit · errors {err:.2}%.\n\
             Rules of the platform: a rollout with no progress for {deadline} is reported stalled (a canary's step may take its interval plus a minute). \
             Blue-green keeps blue {keep} after the switch. Each server may use {limit:.0} MB of memory; a deep health check also fails a server past {deep_mem:.0}% of it, or one that cannot reach the database.\n\
             \n\
             The release: {NEW}, from a team you have never worked with. Nobody knows what is wrong with it, if anything. \
             If {NEW} has to go back, their next build {FIX} is ready.\n\
             Goal, within {dur}: every server on a good new build ({NEW}, or {FIX} if {NEW} was stopped for what it did: the fallback must finish within the same {dur}), \
             no downtime (a second with more than {outage:.0}% of requests failing is an outage), \
             and at most half the error budget of a {target:.1}% SLO (failed requests, and requests slower than {line:.0} ms beyond {slow:.0}%).",
            n = f.servers,
            first = server_name(&f.prefix, 1),
            last = server_name(&f.prefix, f.servers),
            cap = f.capacity_rps,
            drain = f.timings.drain,
            deploy = f.timings.deploy,
            boot = f.timings.boot,
            warm = f.timings.warmup,
            period = f.health.period,
            pass = f.health.success_threshold,
            fail = f.health.failure_threshold,
            rps = thousands(b.rps),
            peak = thousands(b.peak_rps),
            peak_pct = b.peak_rps / capacity * 100.0,
            p99 = b.p99_ms,
            cpu = b.cpu * 100.0,
            mem = b.mem * 100.0,
            err = b.error_rate * 100.0,
            dur = m.duration,
            deadline = f.progress_deadline,
            keep = f.scale_down_delay,
            limit = f.memory_limit_mb,
            deep_mem = DEEP_MEM_LINE * 100.0,
            outage = slo.outage_error_rate * 100.0,
            target = slo.target * 100.0,
            line = slo.latency_ms,
            slow = (1.0 - slo.latency_target) * 100.0,
        )
    }

    /// The case in four short lines, for the plan screen of a small terminal.
    pub fn compact(&self) -> Vec<String> {
        let m = &self.mission;
        let f = &m.fleet;
        let b = &self.baseline;
        let t = &f.timings;
        let lb = match f.balancer {
            Balancer::Weighted => "weighted LB (exact canary shares)",
            Balancer::ServerCount => "LB without weights (shares follow server counts)",
        };
        let shape = match &m.traffic.shape {
            Shape::Flat => "steady".to_string(),
            Shape::Ramp { to_rps } => format!("climbing to {}", thousands(*to_rps)),
            Shape::Wave { amplitude, period } => {
                format!("wave ±{:.0}% every {period}", amplitude * 100.0)
            }
        };
        let capacity = f64::from(f.servers) * f.capacity_rps;
        vec![
            format!(
                "{} servers × {:.0} req/s · {lb} · drain {} · install {} · boot {} · warm-up {}",
                f.servers, f.capacity_rps, t.drain, t.deploy, t.boot, t.warmup
            ),
            format!(
                "traffic {} req/s, {shape}; peak ≈ {} ({:.0}% of capacity){}",
                thousands(b.rps),
                thousands(b.peak_rps),
                b.peak_rps / capacity * 100.0,
                if m.traffic.spikes.is_empty() {
                    ""
                } else {
                    "; bursts may come"
                }
            ),
            format!(
                "now on {OLD}: p99 {:.0} ms · CPU {:.0}% · memory {:.0}% · errors {:.2}%",
                b.p99_ms,
                b.cpu * 100.0,
                b.mem * 100.0,
                b.error_rate * 100.0
            ),
            format!(
                "release {NEW}: fault unknown, if any · {FIX} ready if {NEW} must go · goal: a good build everywhere by {} (a fallback too), no second over {:.0}% errors, ≤ half the {:.1}% error budget · stalled after {}",
                m.duration,
                m.slo.outage_error_rate * 100.0,
                m.slo.target * 100.0,
                f.progress_deadline
            ),
        ]
    }

    /// A one-line summary of the case (headers, the report).
    pub fn summary(&self) -> String {
        let f = &self.mission.fleet;
        let lb = match f.balancer {
            Balancer::Weighted => "weighted LB",
            Balancer::ServerCount => "LB without weights",
        };
        let shape = match &self.mission.traffic.shape {
            Shape::Flat => "flat",
            Shape::Ramp { .. } => "ramp",
            Shape::Wave { .. } => "wave",
        };
        format!(
            "{} servers · {} req/s ({shape}, peak {}) · {lb}",
            f.servers,
            thousands(self.baseline.rps),
            thousands(self.baseline.peak_rps)
        )
    }
}

/// `web-07`, as the sim names servers.
fn server_name(prefix: &str, i: u32) -> String {
    format!("{prefix}-{i:02}")
}

/// `12 400`: a rate rounded to tens with a thin space between thousands.
pub fn thousands(x: f64) -> String {
    let n = round_to(x, 10.0).max(0.0) as u64;
    if n >= 1000 {
        format!("{} {:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}
