//! The once-a-second work of the simulation: memory and OOM kills, sessions, latency and
//! CPU, the second's metrics, alerts and narration; then each server's rates for the next
//! second (capacity, error rate, base latency) from its version's defects and warm-up.

use super::server::{SecondCounters, Server};
use super::{Mixture, PoolRole, SecondMetrics, ServerState, Severity, Sim, VersionSecond};
use crate::mission::{Trigger, Version};
use crate::time::{TICK_MS, TICKS_PER_SEC};

/// Cold caches: a new process starts at this share of its capacity …
const COLD_CAPACITY: f64 = 0.7;
/// … and this many times its latency, improving linearly over the warm-up.
const COLD_LATENCY: f64 = 1.8;
/// Utilisation used for latency is capped here: beyond it the queue itself adds the wait.
const RHO_CAP: f64 = 0.95;
/// Worker-pool steepness: latency is `service × (1 + ρ^k / (1 − ρ))`, flat while a server
/// has idle workers and rising steeply near saturation (M/M/c-like, k ≈ workers).
const WORKERS_K: i32 = 4;
/// A server with cold caches sends up to this many times the database queries.
const COLD_QUERIES: f64 = 3.0;

impl Sim {
    /// Closes the game-second that just ended.
    pub(super) fn end_second(&mut self) {
        self.memory_and_oom();
        self.host_failure();
        self.sessions_second();
        let mut m = self.summarise();
        // Damage users can't see is counted in the same second as what they can.
        let duplicated_before = self.duplicate_writes;
        self.shadow_second(&m);
        self.database_second();
        self.blip_second();
        m.duplicate_writes = self.duplicate_writes - duplicated_before;
        m.wrong_reads = self.db.wrong_reads - self.wrong_reads_seen;
        self.wrong_reads_seen = self.db.wrong_reads;
        self.damage_events(&m);
        // A fault counts once a defective server serves users (not a preview or a shadow).
        let fault = self.releases_second();
        self.rules_second(&m);
        let first = self.servers.first().map(|s| s.version);
        let converged = self
            .servers
            .iter()
            .all(|s| Some(s.version) == first && s.state() == ServerState::InService);
        self.score.observe(&m, fault, converged, self.tick);
        let sessions = self.total_sessions();
        let length = self.traffic.session_length_s();
        self.score.observe_users(m.failed as f64, sessions, length);
        self.alerts(&m);
        self.burn_alerts(&m);
        self.narrate_time(&m);
        // The second is counted: what controllers do next (stop a process, turn a pool
        // live) belongs to the next one.
        for s in &mut self.servers {
            s.sec = SecondCounters::default();
        }
        self.edge = SecondCounters::default();
        self.history.push(m.clone());
        self.pipeline_second();
        self.rollout_second();
        self.guards_second(&m);
    }

    /// The mission's unplanned host failure, when its time comes.
    fn host_failure(&mut self) {
        let Some(at) = self.mission.host_failure else {
            return;
        };
        if self.tick != at.ticks().max(TICKS_PER_SEC) {
            return;
        }
        let busiest = (0..self.servers.len())
            .filter(|&i| {
                self.servers[i].process.is_running()
                    && self.pools[self.servers[i].pool as usize].role == PoolRole::Live
            })
            .max_by(|&a, &b| {
                self.servers[a]
                    .sessions
                    .total()
                    .total_cmp(&self.servers[b].sessions.total())
            });
        if let Some(i) = busiest {
            let text = format!(
                "{}'s host failed (an unplanned restart, as every fleet has)",
                self.servers[i].name
            );
            self.crash(i, &text);
            // The cloud reports a dead host at once: the balancer stops sending to it (its
            // in-flight requests and in-memory sessions are gone) until it boots and passes
            // its health checks again.
            self.servers[i].healthy = false;
        }
    }

    fn total_sessions(&self) -> f64 {
        self.servers.iter().map(|s| s.sessions.total()).sum()
    }

    /// Leaking versions grow; at the limit the kernel kills the process.
    fn memory_and_oom(&mut self) {
        let limit = self.mission.fleet.memory_limit_mb;
        for i in 0..self.servers.len() {
            let s = &self.servers[i];
            if !s.process.is_running() || !s.defect_active {
                continue;
            }
            let leak = self.version(s.version).leak_mb_per_min;
            if leak <= 0.0 {
                continue;
            }
            self.servers[i].memory_mb += leak / 60.0;
            if self.servers[i].memory_mb >= limit {
                let text = format!(
                    "{} ({}) OOM-killed at {:.0} MB",
                    self.servers[i].name,
                    self.version_name(self.servers[i].version),
                    limit
                );
                self.crash(i, &text);
            }
        }
    }

    /// Builds the second's metrics from the servers' counters. Mirror pools (shadow,
    /// preview) are measured apart and never count as user requests.
    fn summarise(&mut self) -> SecondMetrics {
        let fleet = &self.mission.fleet;
        let (timeout_ms, limit) = (fleet.timeout.secs() * 1000.0, fleet.memory_limit_mb);
        let line = self.mission.slo.latency_ms;
        let nv = self.versions.len();
        self.mix_fleet.clear();
        self.mix_version.resize_with(2 * nv, Mixture::new);
        for mix in &mut self.mix_version {
            mix.clear();
        }
        let mut slots = vec![VersionSecond::default(); 2 * nv];
        let mut m = SecondMetrics {
            t: self.tick / TICKS_PER_SEC,
            demand_rps: self.traffic.rate(self.time_s()),
            ..SecondMetrics::default()
        };
        let (mut running, mut serving, mut cpu_sum, mut mem_sum) = (0u32, 0u32, 0.0, 0.0);
        let mut slot_running = vec![0u32; 2 * nv];
        let mut slot_timed_out = vec![0u64; 2 * nv];
        let mut fleet_timed_out = 0u64;
        let baseline_pool = self.baseline_pool;
        let mut base = Baseline::default();
        for s in &mut self.servers {
            let in_base = Some(s.pool) == baseline_pool;
            let mirror = self.pools[s.pool as usize].role == PoolRole::Mirror;
            let slot = s.version.0 as usize + if mirror { nv } else { 0 };
            let v = &mut slots[slot];
            v.servers += 1;
            v.arrived += s.sec.arrived;
            v.ok += s.sec.ok;
            v.failed += s.sec.failed;
            m.servers += 1;
            if !mirror {
                m.in_flight += s.queue;
            }
            if s.state() == ServerState::InService {
                v.in_service += 1;
                m.in_service += 1;
            }
            if in_base {
                base.count(s);
            }
            s.last_arrived = s.sec.arrived;
            if !s.process.is_running() {
                s.cpu = 0.0;
                continue;
            }
            let cap_rps = s.cap_per_tick * TICKS_PER_SEC as f64;
            let rho = if cap_rps > 0.0 {
                s.sec.arrived as f64 / cap_rps
            } else {
                1.0
            };
            s.cpu = rho.min(1.0);
            // One tick of arrivals always waits (the tick is the minimum latency); only a
            // backlog beyond it adds queueing delay.
            let backlog = (s.queue as f64 - s.cap_per_tick).max(0.0);
            let wait_ms = if cap_rps > 0.0 {
                backlog / cap_rps * 1000.0
            } else {
                0.0
            };
            let r = rho.min(RHO_CAP);
            let mean = s.latency_ms * (1.0 + r.powi(WORKERS_K) / (1.0 - r)) + wait_ms;
            let done = (s.sec.ok + s.sec.failed - s.sec.timed_out) as f64;
            let tail = s
                .defect_active
                .then_some(self.versions[s.version.0 as usize].spec.tail)
                .flatten()
                .map(|t| (t.share, t.factor));
            add_requests(&mut self.mix_version[slot], mean, done, tail);
            if in_base {
                base.serve(s, limit, mean, done, tail, timeout_ms);
            }
            self.mix_version[slot].add(timeout_ms, s.sec.timed_out as f64);
            slot_timed_out[slot] += s.sec.timed_out;
            if !mirror {
                add_requests(&mut self.mix_fleet, mean, done, tail);
                self.mix_fleet.add(timeout_ms, s.sec.timed_out as f64);
                fleet_timed_out += s.sec.timed_out;
            }
            // CPU averages the servers in traffic (an idle drained server would hide a hot
            // fleet); memory averages every running process.
            if s.in_rotation() {
                serving += 1;
                cpu_sum += s.cpu;
            }
            running += 1;
            slot_running[slot] += 1;
            mem_sum += s.memory_mb / limit;
            v.cpu_avg += s.cpu;
            v.mem_avg += s.memory_mb / limit;
            v.mem_max = v.mem_max.max(s.memory_mb / limit);
            m.cpu_max = m.cpu_max.max(s.cpu);
        }
        for (slot, v) in slots.iter_mut().enumerate() {
            if slot < nv {
                m.arrived += v.arrived;
                m.ok += v.ok;
                m.failed += v.failed;
            }
            if slot_running[slot] > 0 {
                v.cpu_avg /= f64::from(slot_running[slot]);
                v.mem_avg /= f64::from(slot_running[slot]);
            }
            let mix = &self.mix_version[slot];
            v.slow = slow_ok(mix, line, timeout_ms, slot_timed_out[slot], v.ok);
            v.p50_ms = mix.quantile(0.50).min(timeout_ms);
            v.p95_ms = mix.quantile(0.95).min(timeout_ms);
            v.p99_ms = mix.quantile(0.99).min(timeout_ms);
        }
        let retired = std::mem::take(&mut self.retired_counters);
        m.arrived += self.edge.arrived + retired.live.arrived;
        m.failed += self.edge.failed + retired.live.failed;
        m.ok += self.edge.ok + retired.live.ok;
        m.baseline = base.finish(line, timeout_ms);
        m.shadow_by_version = slots.split_off(nv);
        m.by_version = slots;
        if serving > 0 {
            m.cpu_avg = cpu_sum / f64::from(serving);
        }
        if running > 0 {
            m.mem_avg = mem_sum / f64::from(running);
        }
        // No completed request waited past the timeout: those failed at the timeout.
        let q = |mix: &Mixture, p: f64| mix.quantile(p).min(timeout_ms);
        m.p50_ms = q(&self.mix_fleet, 0.50);
        m.p95_ms = q(&self.mix_fleet, 0.95);
        m.p99_ms = q(&self.mix_fleet, 0.99);
        // Live requests that never reached a server (edge) are failures, not slow ones.
        let live_ok = m.by_version.iter().map(|v| v.ok).sum();
        m.slow = slow_ok(&self.mix_fleet, line, timeout_ms, fleet_timed_out, live_ok);
        m.slow_median = self.mix_fleet.total() > 0.0 && m.p50_ms > line;
        m.sessions_lost = self.score.take_sessions_lost_this_second();
        // Every completed request queries the database (mirrored ones too); a server with
        // cold caches misses them and queries up to COLD_QUERIES times as much.
        let queries: f64 = self
            .servers
            .iter()
            .map(|s| (s.sec.ok + s.sec.failed) as f64 * (1.0 + (COLD_QUERIES - 1.0) * s.cold))
            .sum::<f64>()
            + (retired.live.ok + retired.live.failed) as f64;
        self.db_load = queries / self.mission.database.capacity_qps + self.migration_load();
        m
    }

    fn narrate_time(&mut self, m: &SecondMetrics) {
        let now_ms = m.t * 1000;
        let outage = m.error_rate() > self.mission.slo.outage_error_rate;
        let mut said = Vec::new();
        for (i, n) in self.mission.narration.iter().enumerate() {
            let due = match &n.when {
                Trigger::At(d) => d.millis() <= now_ms,
                Trigger::FirstOutage => outage,
                Trigger::FirstInService(_) => false,
            };
            if due && !self.narrated[i] {
                said.push((i, n.say.clone()));
            }
        }
        for (i, say) in said {
            self.narrated[i] = true;
            self.push_event(Severity::Info, format!("» {say}"));
        }
    }

    /// Sets each server's capacity, error rate and base latency for the coming second.
    pub(super) fn prepare_second(&mut self) {
        self.route_weights();
        let fleet = &self.mission.fleet;
        let warmup = fleet.timings.warmup.ticks().max(1) as f64;
        let base_cap = fleet.capacity_rps * TICK_MS as f64 / 1000.0;
        let timeout_s = fleet.timeout.secs();
        let db = self.db_load;
        let db_errors = if db > 1.0 { 1.0 - 1.0 / db } else { 0.0 };
        // A blocking migration locks the table: every query waits.
        let lock = if self.db_blocking() { 5.0 } else { 1.0 };
        let db_latency = (1.0 + (db.min(2.0) - 0.7).max(0.0) * 5.0) * lock;
        let store_errors = self.store_errors();
        let blip_errors = self.blip_errors();
        for i in 0..self.servers.len() {
            let s = &self.servers[i];
            let spec = &self.versions[s.version.0 as usize].spec;
            let uptime = match s.process {
                super::Process::Running { since } => Some(self.tick - since),
                _ => None,
            };
            // A defect that needs real traffic hides from smoke tests and previews.
            let onset_passed = uptime.is_some_and(|u| u >= spec.onset_after.ticks())
                && (!spec.only_real_traffic || s.real_traffic);
            let schema_broken = !self.schema_ok(spec);
            let active = uptime.is_some()
                && (schema_broken || spec.broken_db_config || (onset_passed && has_defect(spec)));
            let warm = match uptime {
                Some(u) if !s.warm_at_start => (u as f64 / warmup).min(1.0),
                _ => 1.0,
            };
            let cold = 1.0 - warm;
            let mut errors = 0.0;
            let (mut lat, mut cpu) = (fleet.service_ms, 1.0);
            if onset_passed {
                errors = spec.errors * spec.affects_users;
                lat *= 1.0 + (spec.latency_factor - 1.0) * spec.affects_users;
                cpu = spec.cpu_factor;
            }
            if schema_broken || spec.broken_db_config {
                errors = 1.0;
            }
            errors = 1.0
                - (1.0 - errors) * (1.0 - db_errors) * (1.0 - store_errors) * (1.0 - blip_errors);
            let hung = uptime.is_some_and(|u| spec.hangs_after.is_some_and(|h| u >= h.ticks()));
            let s = &mut self.servers[i];
            s.cold = cold;
            s.defect_active = active || hung;
            s.hung = hung;
            s.error_rate = errors.clamp(0.0, 1.0);
            s.cap_per_tick = base_cap * (COLD_CAPACITY + (1.0 - COLD_CAPACITY) * warm) / cpu;
            s.max_queue = (s.cap_per_tick * TICKS_PER_SEC as f64 * timeout_s).max(1.0) as u64;
            s.latency_ms = lat * (COLD_LATENCY + (1.0 - COLD_LATENCY) * warm) * db_latency;
        }
    }
}

/// Whether a version has any defect that shows once its onset has passed.
fn has_defect(v: &Version) -> bool {
    v.errors > 0.0
        || v.latency_factor != 1.0
        || v.tail.is_some()
        || v.cpu_factor != 1.0
        || v.leak_mb_per_min > 0.0
}

/// How many of `ok` completed requests took longer than `line` ms. The mixture holds every
/// completion, failed ones too, and the timed-out ones at the timeout (they failed, so they
/// are taken out); the slow share of what is left falls on the OK ones pro rata.
fn slow_ok(mix: &Mixture, line: f64, timeout_ms: f64, timed_out: u64, ok: u64) -> u64 {
    let timed_out = timed_out as f64;
    let answered = mix.total() - timed_out;
    if answered <= 0.0 || ok == 0 {
        return 0;
    }
    let mut above = mix.count_above(line);
    if timeout_ms > line {
        above -= timed_out;
    }
    let slow = above.max(0.0) * (ok as f64 / answered).min(1.0);
    (slow.round() as u64).min(ok)
}

/// Adds `count` completed requests with the given mean latency, a `share` of them `factor`
/// times slower when the version has a slow tail.
fn add_requests(mix: &mut Mixture, mean: f64, count: f64, tail: Option<(f64, f64)>) {
    match tail {
        Some((share, factor)) => {
            mix.add(mean, count * (1.0 - share));
            mix.add(mean * factor, count * share);
        }
        None => mix.add(mean, count),
    }
}

/// A canary baseline pool's second, summed apart from its version's (see `Sim::baseline_pool`).
#[derive(Default)]
struct Baseline {
    v: VersionSecond,
    mix: Option<Mixture>,
    running: u32,
    timed_out: u64,
}

impl Baseline {
    fn count(&mut self, s: &Server) {
        self.v.servers += 1;
        self.v.arrived += s.sec.arrived;
        self.v.ok += s.sec.ok;
        self.v.failed += s.sec.failed;
        if s.state() == ServerState::InService {
            self.v.in_service += 1;
        }
    }

    fn serve(
        &mut self,
        s: &Server,
        limit: f64,
        mean: f64,
        done: f64,
        tail: Option<(f64, f64)>,
        timeout_ms: f64,
    ) {
        let mix = self.mix.get_or_insert_with(Mixture::new);
        add_requests(mix, mean, done, tail);
        mix.add(timeout_ms, s.sec.timed_out as f64);
        self.timed_out += s.sec.timed_out;
        self.running += 1;
        self.v.cpu_avg += s.cpu;
        self.v.mem_avg += s.memory_mb / limit;
        self.v.mem_max = self.v.mem_max.max(s.memory_mb / limit);
    }

    fn finish(mut self, line: f64, timeout_ms: f64) -> VersionSecond {
        if self.running > 0 {
            self.v.cpu_avg /= f64::from(self.running);
            self.v.mem_avg /= f64::from(self.running);
        }
        if let Some(mix) = &self.mix {
            self.v.slow = slow_ok(mix, line, timeout_ms, self.timed_out, self.v.ok);
            self.v.p50_ms = mix.quantile(0.50).min(timeout_ms);
            self.v.p95_ms = mix.quantile(0.95).min(timeout_ms);
            self.v.p99_ms = mix.quantile(0.99).min(timeout_ms);
        }
        self.v
    }
}
