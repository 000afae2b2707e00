//! Canary, as Argo Rollouts and Flagger step it: set a weight, pause for the interval, judge,
//! then the next weight. The judgement is a *comparison* with the stable version running at
//! the same time (Kayenta's model, which Argo can run as a judge; Argo's and Flagger's
//! default metric checks are fixed thresholds on the canary alone): error rate, p99, CPU
//! per request and memory, each against stable's. Analysis fails when failures exceed the
//! limit (default 0: the first failure fails) and the canary is aborted (weight back to 0,
//! its servers scaled down 30 s later, the rollout "degraded" until `rollback` reverts it);
//! inconclusive (fewer than 20 canary requests) pauses for the player, where Flagger would
//! count missing data as a failed check. A pass with no failure says how small a rate that
//! many requests can see (the rule of three).
//!
//! With a weighted balancer the split is exact and the stable pool stays full size, and the
//! analysis compares the canary with a baseline pool of the same size, age and weight
//! (Kayenta), so a cooler full-size stable pool cannot make a healthy canary look slow; with a
//! round-robin one the share is approximated by server counts (`counts.rs`: Argo's basic
//! canary, the fleet stays at its size), so the actual share differs from the requested one
//! on small fleets (both are shown).

mod counts;

use super::Phase;
use crate::command::CanarySpec;
use crate::mission::Balancer;
use crate::sim::{PoolRole, ServerState, Severity, Sim, Split, VersionId};
use crate::time::{Dur, TICKS_PER_SEC};

/// A canary needs at least this many completed requests in a window to be judged.
const MIN_REQUESTS: u64 = 20;

/// A measurement over less than this many seconds of canary traffic is no verdict: the
/// game's evidence rule (a fault visible for seconds, not one) applies to the analysis too.
const MIN_JUDGED_S: u64 = 10;

/// The canary fails on p99 above this multiple of the baseline's…
const P99_RATIO: f64 = 1.25;
/// … and at least this many milliseconds above it (a few ms on a fast service is noise).
const P99_MARGIN_MS: f64 = 25.0;

/// The canary fails on memory when its peak is this share of the limit above stable's.
const MEMORY_MARGIN: f64 = 0.10;

/// After an abort, the canary's servers are scaled down this long later: Argo Rollouts'
/// `abortScaleDownDelaySeconds` default (Flagger scales the canary to zero at once).
pub const ABORT_SCALE_DOWN_S: u64 = 30;

/// State of a canary rollout.
#[derive(Debug, Clone)]
pub struct Canary {
    pub spec: CanarySpec,
    pub stable: u16,
    pub canary: u16,
    /// The version under test.
    pub to: VersionId,
    /// The stable version (what an abort scales back up).
    from: VersionId,
    /// Index of the current step.
    pub step: usize,
    /// Requested weight, percent.
    pub weight: u32,
    /// Weight the balancer applies: raised only once the canary servers for the requested
    /// weight are in service (Argo scales the canary up before it shifts traffic).
    pub applied: u32,
    /// Failed analyses so far.
    pub failures: u32,
    desired: u32,
    window_start: Option<u64>,
    promoting: bool,
    /// After an abort: the tick the canary's servers are scaled down.
    scale_down_at: Option<u64>,
    /// On a weighted balancer, the baseline pool (Kayenta): stable servers as many as the
    /// canary's, started with them and given the canary's weight, so the analysis compares
    /// servers of the same age at the same load per server.
    baseline: Option<u16>,
    /// The analysis' first measurement (at the start, or after `initial-delay`) is taken.
    first_measured: bool,
}

enum Verdict {
    Passed(String),
    Failed(String),
    Inconclusive(String),
}

impl Canary {
    /// Creates the canary pool at the first step's weight.
    pub fn new(sim: &mut Sim, spec: CanarySpec, stable: u16, to: VersionId) -> Self {
        let canary = sim.ensure_pool("canary", PoolRole::Live);
        // An earlier canary's servers (aborted, kept idle) make way for this one.
        for i in sim.pool_servers(canary) {
            if sim.servers[i].version != to {
                sim.retire(i);
            }
        }
        let desired = sim.pool_servers(stable).len() as u32;
        let weight = spec.steps.first().copied().unwrap_or(100);
        let from = sim.pool_version(stable);
        let baseline = (sim.mission.fleet.balancer == Balancer::Weighted).then(|| {
            let b = sim.ensure_pool("baseline", PoolRole::Live);
            for i in sim.pool_servers(b) {
                sim.retire(i);
            }
            b
        });
        Self {
            spec,
            stable,
            canary,
            to,
            from,
            step: 0,
            weight,
            applied: 0,
            failures: 0,
            desired,
            window_start: None,
            promoting: false,
            scale_down_at: None,
            baseline,
            first_measured: false,
        }
    }

    /// Baseline servers for the current weight: the canary's count while the weight leaves
    /// as much for the baseline (up to 50 %), fewer in proportion above.
    fn baseline_target(&self, sim: &Sim) -> u32 {
        let w = self.weight.min(100);
        if self.baseline.is_none() || self.promoting || w >= 100 || w == 0 {
            return 0;
        }
        let k = self.target(sim);
        if w <= 50 {
            k
        } else {
            ((u64::from(k) * u64::from(100 - w) + u64::from(w) / 2) / u64::from(w)).max(1) as u32
        }
    }

    /// Keeps the baseline pool at its target; returns its servers.
    fn size_baseline(&self, sim: &mut Sim) -> Vec<usize> {
        let Some(b) = self.baseline else {
            return Vec::new();
        };
        sim.baseline_pool = Some(b);
        let want = self.baseline_target(sim) as usize;
        let have: Vec<usize> = sim
            .pool_servers(b)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring)
            .collect();
        for &i in have.iter().skip(want) {
            sim.retire(i);
        }
        for _ in have.len()..want {
            sim.provision(b, self.from);
        }
        sim.pool_servers(b)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring)
            .collect()
    }

    /// The baseline leaves: the analysis is over (abort, promotion).
    fn drop_baseline(&self, sim: &mut Sim) {
        if let Some(b) = self.baseline {
            for i in sim.pool_servers(b) {
                sim.retire(i);
            }
            sim.baseline_pool = None;
        }
    }

    /// Canary servers wanted for the current weight.
    fn target(&self, sim: &Sim) -> u32 {
        let (n, w) = (self.desired, self.weight.min(100));
        if self.promoting || w >= 100 {
            return n;
        }
        let k = match sim.mission.fleet.balancer {
            Balancer::Weighted => (u64::from(n) * u64::from(w)).div_ceil(100),
            Balancer::ServerCount => u64::from(counts::canary_servers_for(n, w)),
        };
        (k as u32).max(u32::from(w > 0))
    }

    /// Stable servers not leaving.
    fn stable_count(&self, sim: &Sim) -> usize {
        sim.pool_servers(self.stable)
            .iter()
            .filter(|&&i| !sim.servers[i].retiring)
            .count()
    }

    /// Canary and stable servers each step asks for, on a balancer without weights.
    pub fn step_counts(&self) -> Vec<(u32, u32)> {
        let n = self.desired;
        self.spec
            .steps
            .iter()
            .map(|&w| {
                let k = counts::canary_servers_for(n, w);
                (k, n - k)
            })
            .collect()
    }

    fn canary_servers(&self, sim: &Sim) -> Vec<usize> {
        sim.pool_servers(self.canary)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring && sim.servers[i].version == self.to)
            .collect()
    }

    /// Percent per pool for canary weight `w`: the baseline (if any) gets as much as the
    /// canary, up to what is left; stable the rest.
    pub fn asked_split(&self, w: u32) -> Vec<(u16, u32)> {
        let w = w.min(100);
        match self.baseline {
            Some(b) => {
                // Promoting: the analysis is over and the baseline leaves; stable holds the
                // rest until the canary is full size.
                let wb = if self.promoting { 0 } else { w.min(100 - w) };
                vec![(self.stable, 100 - w - wb), (b, wb), (self.canary, w)]
            }
            None => vec![(self.stable, 100 - w), (self.canary, w)],
        }
    }

    fn apply_split(&self, sim: &mut Sim) {
        sim.set_pool_role(self.canary, PoolRole::Live);
        sim.split = match sim.mission.fleet.balancer {
            Balancer::Weighted => Split::Weighted(self.asked_split(self.applied)),
            Balancer::ServerCount => Split::Even,
        };
    }

    /// The share of users the canary got last second.
    pub fn actual_share(&self, sim: &Sim) -> f64 {
        sim.actual_shares()
            .iter()
            .find(|(p, _)| *p == self.canary)
            .map_or(0.0, |(_, s)| *s)
    }

    /// One line for screens.
    pub fn status(&self, sim: &Sim) -> String {
        if self.promoting {
            return "promoting to 100 %".to_string();
        }
        let actual = self.actual_share(sim) * 100.0;
        let wait = match self.window_start {
            None => "canary servers starting".to_string(),
            Some(start) => {
                let left = (start + self.spec.interval.ticks()).saturating_sub(sim.tick);
                format!("next check in {}s", left / TICKS_PER_SEC)
            }
        };
        // Argo's rule: the rollout fails when failures exceed the limit (0: the first one).
        let analysis = if self.spec.analysis {
            format!(
                "analysis: {} failed, aborts above {}",
                self.failures, self.spec.limit
            )
        } else {
            "no analysis".to_string()
        };
        let servers = if sim.mission.fleet.balancer == Balancer::ServerCount {
            format!(
                " · servers {} canary + {} stable (want {} + {})",
                self.canary_servers(sim).len(),
                self.stable_count(sim),
                self.target(sim),
                self.desired - self.target(sim).min(self.desired)
            )
        } else {
            String::new()
        };
        format!(
            "step {}/{} at {}% (actual {actual:.1}%){servers} · {wait} · {analysis}",
            self.step + 1,
            self.spec.steps.len(),
            self.weight,
        )
    }

    /// One second; returns whether anything moved.
    pub fn step(
        &mut self,
        sim: &mut Sim,
        phase: &mut Phase,
        from: VersionId,
        to: VersionId,
    ) -> bool {
        // Lowering the weight is safe at once; raising it waits for the servers below.
        self.applied = self.applied.min(self.weight);
        self.apply_split(sim);
        let target = self.target(sim);
        let mut moved = false;
        if sim.mission.fleet.balancer == Balancer::ServerCount {
            let (changed, reached) = self.move_counts(sim, target);
            moved = changed;
            if !reached {
                self.window_start = None;
                return moved;
            }
        } else {
            for _ in self.canary_servers(sim).len()..target as usize {
                sim.provision(self.canary, to);
            }
        }
        let base = self.size_baseline(sim);
        let have = self.canary_servers(sim);
        // Ready means in service with warm caches: a cold server would fail the analysis on
        // latency for reasons that have nothing to do with the release.
        let ready = have.iter().chain(&base).all(|&i| {
            sim.servers[i].state() == ServerState::InService && sim.servers[i].cold <= 0.0
        });
        if !ready {
            self.window_start = None;
            return moved;
        }
        if self.promoting {
            return self.finish_promotion(sim, phase);
        }
        if self.applied != self.weight {
            self.applied = self.weight;
            self.apply_split(sim);
        }
        let Some(start) = self.window_start else {
            self.window_start = Some(sim.tick);
            let split = match sim.mission.fleet.balancer {
                Balancer::Weighted => format!("weighted: exactly {}%", self.weight),
                Balancer::ServerCount => {
                    let stable = self.stable_count(sim);
                    let share = have.len() as f64 / (stable + have.len()).max(1) as f64;
                    format!(
                        "no weights: {} of {} servers ≈ {:.1}% actual, {stable} stable",
                        have.len(),
                        stable + have.len(),
                        share * 100.0
                    )
                }
            };
            sim.push_event(
                Severity::Info,
                format!(
                    "canary at {}% asked ({split}), {} servers of {}: watching for {}",
                    self.weight,
                    have.len(),
                    sim.version_name(to),
                    self.spec.interval
                ),
            );
            return true;
        };
        if self.spec.analysis && !self.first_measured {
            let delay = self.spec.initial_delay;
            if delay < self.spec.interval {
                if sim.tick < start + delay.ticks() {
                    return false;
                }
                self.first_measured = true;
                return self.first_measurement(sim, phase, from, to);
            }
        }
        // The step is held for its interval; before the analysis' first measurement (an
        // initial delay longer than the interval) it waits for that too.
        let hold = if self.first_measured || !self.spec.analysis {
            self.spec.interval
        } else {
            self.spec.initial_delay
        };
        if sim.tick < start + hold.ticks() {
            return false;
        }
        self.first_measured = true;
        if self.spec.analysis {
            match self.analyse(sim, from, to, self.spec.interval) {
                Verdict::Passed(why) => {
                    sim.push_event(Severity::Info, format!("analysis passed: {why}"));
                }
                Verdict::Inconclusive(why) => {
                    let text =
                        format!("analysis inconclusive: {why}; promote to continue or abort");
                    sim.push_event(Severity::Warn, text.clone());
                    *phase = Phase::Paused(text);
                    return true;
                }
                Verdict::Failed(why) => {
                    self.fail(sim, phase, to, &why);
                    return true;
                }
            }
        }
        self.advance(sim);
        true
    }

    fn advance(&mut self, sim: &mut Sim) {
        self.step += 1;
        self.window_start = None;
        match self.spec.steps.get(self.step) {
            Some(&w) if w < 100 => {
                self.weight = w;
                self.apply_split(sim);
            }
            _ => {
                self.weight = 100;
                self.promoting = true;
                sim.push_event(Severity::Info, "promoting the canary to 100 %".to_string());
            }
        }
    }

    fn finish_promotion(&mut self, sim: &mut Sim, phase: &mut Phase) -> bool {
        let stable_left: Vec<usize> = sim
            .pool_servers(self.stable)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring)
            .collect();
        sim.split = Split::Weighted(vec![(self.canary, 100)]);
        self.drop_baseline(sim);
        if !stable_left.is_empty() {
            for &i in &stable_left {
                sim.retire(i);
            }
            sim.push_event(
                Severity::Info,
                format!(
                    "all traffic on the canary; {} stable servers scaled down",
                    stable_left.len()
                ),
            );
            return true;
        }
        if !sim.pool_servers(self.stable).is_empty() {
            return false;
        }
        // The canary is the new stable.
        for s in sim.servers.iter_mut().filter(|s| s.pool == self.canary) {
            s.pool = self.stable;
        }
        sim.split = Split::Even;
        *phase = Phase::Done;
        true
    }

    /// Compares the canary with the stable baseline over the last interval.
    fn analyse(&self, sim: &Sim, from: VersionId, to: VersionId, over: Dur) -> Verdict {
        let secs = (over.ticks() / TICKS_PER_SEC).max(1) as usize;
        let window: Vec<_> = sim.history().iter().rev().take(secs).collect();
        let (mut c, mut s, mut st) = (Window::default(), Window::default(), Window::default());
        for m in &window {
            c.add(&m.by_version[to.0 as usize]);
            st.add(&m.by_version[from.0 as usize]);
            // Against the baseline when there is one: same size, age and load per server.
            s.add(if self.baseline.is_some() {
                &m.baseline
            } else {
                &m.by_version[from.0 as usize]
            });
        }
        let vs = if self.baseline.is_some() {
            "baseline"
        } else {
            "stable"
        };
        if c.done() < MIN_REQUESTS {
            return Verdict::Inconclusive(format!(
                "only {} canary requests in {over} (need {MIN_REQUESTS})",
                c.done(),
            ));
        }
        let share = c.arrived as f64 / (c.arrived + st.arrived).max(1) as f64 * 100.0;
        let (ce, se) = (c.error_rate(), s.error_rate());
        let (cp, sp) = (c.p99(), s.p99());
        let mut failed = Vec::new();
        if ce > (2.0 * se).max(0.01) {
            failed.push(format!(
                "error rate {:.1}% vs {vs} {:.1}%",
                ce * 100.0,
                se * 100.0
            ));
        }
        if sp > 0.0 && cp > (P99_RATIO * sp).max(sp + P99_MARGIN_MS) {
            failed.push(format!("p99 {cp:.0} ms vs {vs} {sp:.0} ms"));
        }
        // CPU per request, not per server: a canary with a different share of traffic per
        // server is not more expensive for it.
        let (cc, sc) = (c.cpu_per_request(), s.cpu_per_request());
        if sc > 0.0 && cc > 1.3 * sc {
            failed.push(format!(
                "CPU per request {:.0}% above {vs}",
                (cc / sc - 1.0) * 100.0
            ));
        }
        // Memory against the stable version too: a leak shows as the canary climbing away
        // from a baseline that stays flat.
        if c.mem_max > s.mem_max + MEMORY_MARGIN {
            failed.push(format!(
                "memory {:.0}% of the limit vs {vs} {:.0}%",
                c.mem_max * 100.0,
                s.mem_max * 100.0
            ));
        }
        if failed.is_empty() {
            // The rule of three: with no failure in n requests, the true rate can still be
            // up to about 3/n (95 % confidence). A small sample can't see a small rate.
            let sample = if c.failed == 0 {
                format!(
                    " ({} canary requests: a rate under {:.1}% can't be told from 0)",
                    c.done(),
                    300.0 / c.done() as f64
                )
            } else {
                String::new()
            };
            Verdict::Passed(format!(
                "canary got {share:.1}% of requests; error rate {:.2}% vs {:.2}%, p99 {cp:.0} vs {sp:.0} ms{sample}",
                ce * 100.0,
                se * 100.0
            ))
        } else {
            Verdict::Failed(format!(
                "canary got {share:.1}% of requests; {}",
                failed.join("; ")
            ))
        }
    }

    /// Weight back to 0: every user on the stable version at once; the canary's servers,
    /// idle, are scaled down [`ABORT_SCALE_DOWN_S`] later (as Argo Rollouts does). The
    /// rollout stays aborted ("Degraded"): its spec still names the version until a
    /// `rollback` reverts it.
    pub fn abort(&mut self, sim: &mut Sim) -> String {
        self.weight = 0;
        self.applied = 0;
        self.promoting = false;
        sim.set_pool_role(self.canary, PoolRole::Mirror);
        sim.split = Split::Weighted(vec![(self.stable, 100)]);
        self.drop_baseline(sim);
        self.scale_down_at = Some(sim.tick + ABORT_SCALE_DOWN_S * TICKS_PER_SEC);
        let restored = if sim.mission.fleet.balancer == Balancer::ServerCount {
            match self.restore_stable(sim) {
                0 => String::new(),
                k => format!(
                    " ({k} stable servers start to bring it back to {})",
                    self.desired
                ),
            }
        } else {
            String::new()
        };
        format!(
            "canary weight → 0 %: every user back on stable{restored}; its servers scale down in {ABORT_SCALE_DOWN_S}s. The rollout still names {} (degraded) until `rollback` reverts it (or `retry`)",
            sim.version_name(self.to)
        )
    }

    /// Once a second while aborted: scales the canary down when its delay is over.
    pub fn after_abort(&mut self, sim: &mut Sim) {
        if self.scale_down_at.is_none_or(|at| sim.tick < at) {
            return;
        }
        self.scale_down_at = None;
        let idle = sim.pool_servers(self.canary);
        if idle.is_empty() {
            return;
        }
        for &i in &idle {
            sim.retire(i);
        }
        sim.push_event(
            Severity::Info,
            format!(
                "aborted canary scaled down: {} servers of {} removed; the rollout still names it (degraded) until `rollback`",
                idle.len(),
                sim.version_name(self.to)
            ),
        );
    }

    /// Abort and remove the canary servers at once: the spec goes back to stable.
    pub fn rollback(&mut self, sim: &mut Sim) -> String {
        self.abort(sim);
        self.scale_down_at = None;
        for i in sim.pool_servers(self.canary) {
            sim.retire(i);
        }
        sim.split = Split::Even;
        "canary weight → 0 % and its servers removed".to_string()
    }

    /// `promote` (next step now) or `promote --full` (straight to 100 %).
    pub fn promote(&mut self, sim: &mut Sim, full: bool, _tick: u64) -> String {
        if full {
            self.step = self.spec.steps.len();
            self.weight = 100;
            self.promoting = true;
            return "promoted fully: straight to 100 %, remaining steps skipped".to_string();
        }
        self.advance(sim);
        if self.promoting {
            "promoted past the last step: to 100 %".to_string()
        } else {
            format!("promoted to step {} at {}%", self.step + 1, self.weight)
        }
    }

    /// After a pause: measure the current step again from now.
    pub fn resume(&mut self, _tick: u64) {
        self.window_start = None;
    }

    /// `weight N`.
    pub fn set_weight(&mut self, sim: &mut Sim, weight: u32) -> String {
        self.weight = weight.min(100);
        self.window_start = None;
        self.apply_split(sim);
        format!("canary weight set to {}% by hand", self.weight)
    }

    /// Start again from the first step.
    pub fn retry(&mut self, _tick: u64) {
        self.step = 0;
        self.weight = self.spec.steps.first().copied().unwrap_or(100);
        self.failures = 0;
        self.window_start = None;
        self.promoting = false;
        self.scale_down_at = None;
        self.first_measured = false;
    }

    /// A failed measurement: counted, and above the limit the canary is aborted.
    fn fail(&mut self, sim: &mut Sim, phase: &mut Phase, to: VersionId, why: &str) {
        self.failures += 1;
        sim.push_event(
            Severity::Error,
            format!(
                "analysis failed ({} failed, aborts above {}): {why}",
                self.failures, self.spec.limit
            ),
        );
        if self.failures > self.spec.limit {
            // The analysis's own abort is the reaction, as a guard's would be.
            sim.record_stop(&[to], true);
            let text = self.abort(sim);
            sim.push_event(
                Severity::Warn,
                format!("■ canary aborted by analysis: {text}"),
            );
            *phase = Phase::Aborted;
        } else {
            self.window_start = Some(sim.tick);
        }
    }

    /// The analysis' first measurement, at the start of the first step (Argo's default) or
    /// `initial-delay` into it. Too little data then is not a verdict (Argo counts an
    /// error, tolerated up to four in a row); a failure aborts as any other would.
    fn first_measurement(
        &mut self,
        sim: &mut Sim,
        phase: &mut Phase,
        from: VersionId,
        to: VersionId,
    ) -> bool {
        let delay = self.spec.initial_delay;
        let when = if delay == Dur::default() {
            "at the start (Argo's default; initial-delay= waits, Flagger waits an interval)"
                .to_string()
        } else {
            format!("after the initial delay of {delay}")
        };
        if delay.ticks() < MIN_JUDGED_S * TICKS_PER_SEC {
            // What Argo's measurement at the start of a step sees: a query window the
            // canary has barely entered. Judging it would stop a release on no evidence.
            sim.push_event(
                Severity::Info,
                format!(
                    "analysis' first measurement {when}: the canary has only just taken traffic, \
                     too little to judge; next in {}",
                    self.spec.interval
                ),
            );
            return true;
        }
        match self.analyse(sim, from, to, delay) {
            Verdict::Passed(why) => {
                sim.push_event(
                    Severity::Info,
                    format!("analysis' first measurement {when}: passed: {why}"),
                );
            }
            Verdict::Inconclusive(why) => sim.push_event(
                Severity::Info,
                format!(
                    "analysis' first measurement {when}: no verdict yet ({why}); next in {}",
                    self.spec.interval
                ),
            ),
            Verdict::Failed(why) => self.fail(sim, phase, to, &why),
        }
        true
    }
}

/// Sums of a version's metrics over an analysis window.
#[derive(Debug, Default)]
struct Window {
    arrived: u64,
    ok: u64,
    failed: u64,
    p99_sum: f64,
    p99_n: u32,
    cpu_sum: f64,
    cpu_n: u32,
    per_server_rps_sum: f64,
    mem_max: f64,
}

impl Window {
    fn add(&mut self, v: &crate::sim::VersionSecond) {
        self.arrived += v.arrived;
        self.ok += v.ok;
        self.failed += v.failed;
        if v.ok + v.failed > 0 {
            self.p99_sum += v.p99_ms;
            self.p99_n += 1;
            self.cpu_sum += v.cpu_avg;
            self.cpu_n += 1;
            self.per_server_rps_sum += v.arrived as f64 / f64::from(v.servers.max(1));
        }
        self.mem_max = self.mem_max.max(v.mem_avg);
    }
    fn done(&self) -> u64 {
        self.ok + self.failed
    }
    fn error_rate(&self) -> f64 {
        if self.done() == 0 {
            0.0
        } else {
            self.failed as f64 / self.done() as f64
        }
    }
    fn p99(&self) -> f64 {
        if self.p99_n == 0 {
            0.0
        } else {
            self.p99_sum / f64::from(self.p99_n)
        }
    }
    /// Mean CPU (share of a server) per request a server served each second.
    fn cpu_per_request(&self) -> f64 {
        if self.cpu_n == 0 || self.per_server_rps_sum <= 0.0 {
            0.0
        } else {
            self.cpu_sum / self.per_server_rps_sum
        }
    }
}
