//! Scoring: what the users felt, how fast the player reacted and restored, and the grade.
//!
//! Fed once per game-second by the simulation, and told of every command. One tracker,
//! one `score()`: the header, the panels, the debrief and the report all read it. Rules:
//! - bad events: failed requests, and completed requests slower than the SLO's latency line
//!   (the SRE workbook's latency SLI); both spend the error budget;
//! - the error budget is this mission's window: `1 − target` of the requests the window is
//!   expected to carry (fixed at the start), so the share spent only ever grows;
//! - downtime: seconds whose error rate is above the mission's outage line; slow seconds:
//!   seconds whose median latency is above the latency line;
//! - impact: a second whose failures burn the budget faster than the SLO allows (failed
//!   share above `1 − target`), or a slow second; it is restored at the first of
//!   `CALM_SECONDS` calm seconds in a row;
//! - fault onset: the first second a defective release's fault was visible on user traffic,
//!   or, when no release was at fault, the first impact;
//! - detection: from the fault onset to the first reaction after it. For a release's fault
//!   a reaction is a mitigating act on that release (pause, abort, rollback, a switch away,
//!   weight 0, draining, replacing or stopping its servers, a guard or the canary analysis
//!   acting); for an impact with no faulty release (overload), any act on the fleet.
//!   Listings, notes, waits and speed changes never count; with no reaction, detection
//!   runs until the impact was restored or the end.

use super::{SecondMetrics, ServerState, Sim};
use crate::mission::{Mission, Objective};
use crate::time::TICKS_PER_SEC;

/// Calm seconds in a row that count as restored.
const CALM_SECONDS: u64 = 5;

/// The numbers of a run (the report's `score`, field for field).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Score {
    pub downtime_s: u64,
    pub total_requests: u64,
    pub failed_requests: u64,
    pub availability: f64,
    pub error_budget_used_pct: f64,
    pub mttd_s: Option<f64>,
    pub mttr_s: Option<f64>,
    pub users_affected_pct: f64,
    pub sessions_lost: u64,
    pub rollout_s: Option<f64>,
    /// Completed requests slower than the SLO's latency line (they spend the budget too).
    pub slow_requests: u64,
    /// Seconds whose median latency was over the latency line.
    pub slow_s: u64,
    /// Reads that silently returned wrong data: the new column before the backfill or across
    /// the dual-write gap, the old column after it went stale.
    pub wrong_reads: u64,
    /// Writes a shadow duplicated in the real database.
    pub duplicate_writes: u64,
    pub points: u32,
}

/// The moments of the run's first incident, in game seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub onset: Option<f64>,
    pub reaction: Option<f64>,
    pub restored: Option<f64>,
    /// The first second of damage users can't see.
    pub damage: Option<f64>,
}

/// What the player did with a command, as detection counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// A listing, a note, a wait, a speed change, setting a guard: not a reaction.
    Passive,
    /// An act on the fleet that mitigates no faulty release.
    Acting,
    /// A mitigating act on a release whose fault was visible on user traffic.
    Mitigating,
}

/// Running totals behind the score.
#[derive(Debug, Clone)]
pub struct ScoreTracker {
    slo: crate::mission::Slo,
    outage_line: f64,
    /// Failed requests the window's budget allows: `(1 − target) × expected requests`.
    budget_events: f64,
    /// Slow requests the window's latency budget allows: `(1 − latency target) × expected`.
    slow_budget_events: f64,
    downtime_s: u64,
    slow_s: u64,
    total: u64,
    failed: u64,
    slow: u64,
    wrong_reads: u64,
    duplicate_writes: u64,
    /// First second a release's fault was visible on user traffic, and the reaction to it.
    defect_onset: Option<u64>,
    defect_reaction: Option<u64>,
    /// First second of impact, and the first act after it (for impacts no release caused).
    impact_onset: Option<u64>,
    impact_reaction: Option<u64>,
    impact_start: Option<u64>,
    calm_since: Option<u64>,
    longest_restore_s: Option<f64>,
    /// Tick the first incident was restored at.
    first_restored: Option<u64>,
    /// First second with damage users can't see (wrong reads, duplicated writes, lost
    /// sessions).
    first_damage: Option<u64>,
    users_total: f64,
    users_hit: f64,
    hit_active: f64,
    sessions_lost: f64,
    sessions_lost_second: f64,
    first_deploy: Option<u64>,
    converged_at: Option<u64>,
    was_converged: bool,
    last_tick: u64,
}

impl ScoreTracker {
    /// A tracker for the mission's SLO; `expected_requests` is what the mission's window
    /// is expected to carry (the budget's base).
    pub fn new(mission: &Mission, expected_requests: f64) -> Self {
        Self {
            slo: mission.slo.clone(),
            outage_line: mission.slo.outage_error_rate,
            budget_events: (1.0 - mission.slo.target) * expected_requests.max(1.0),
            slow_budget_events: (1.0 - mission.slo.latency_target) * expected_requests.max(1.0),
            downtime_s: 0,
            slow_s: 0,
            total: 0,
            failed: 0,
            slow: 0,
            wrong_reads: 0,
            duplicate_writes: 0,
            defect_onset: None,
            defect_reaction: None,
            impact_onset: None,
            impact_reaction: None,
            impact_start: None,
            calm_since: None,
            longest_restore_s: None,
            first_restored: None,
            first_damage: None,
            users_total: 0.0,
            users_hit: 0.0,
            hit_active: 0.0,
            sessions_lost: 0.0,
            sessions_lost_second: 0.0,
            first_deploy: None,
            converged_at: None,
            was_converged: true,
            last_tick: 0,
        }
    }

    /// Takes in a finished second. `fault`: a defective release's fault was visible on
    /// user traffic in it; `converged`: every server in service on one version.
    pub fn observe(&mut self, m: &SecondMetrics, fault: bool, converged: bool, tick: u64) {
        self.last_tick = tick;
        let start = tick.saturating_sub(TICKS_PER_SEC);
        self.total += m.arrived;
        self.failed += m.failed;
        self.slow += m.slow.min(m.ok);
        self.wrong_reads += m.wrong_reads;
        self.duplicate_writes += m.duplicate_writes;
        if m.error_rate() > self.outage_line {
            self.downtime_s += 1;
        }
        if m.slow_median {
            self.slow_s += 1;
        }
        if m.wrong_reads + m.duplicate_writes > 0 || m.sessions_lost >= 0.5 {
            self.first_damage.get_or_insert(start);
        }
        // Users feel failures beyond the budget's rate, or a median past the latency line;
        // a few slow requests while new servers warm up spend the budget but are no incident.
        let impact = burn_rate(&self.slo, m.failed, 0, m.ok + m.failed) > 1.0 || m.slow_median;
        if fault && self.defect_onset.is_none() {
            self.defect_onset = Some(start);
        }
        if impact && self.impact_onset.is_none() {
            self.impact_onset = Some(start);
        }
        match (self.impact_start, impact) {
            (None, true) => {
                self.impact_start = Some(start);
                self.calm_since = None;
            }
            (Some(_), true) => self.calm_since = None,
            (Some(begin), false) => {
                let calm = *self.calm_since.get_or_insert(start);
                if tick - calm >= CALM_SECONDS * TICKS_PER_SEC {
                    self.close_incident(begin, calm);
                }
            }
            (None, false) => {}
        }
        if self.first_deploy.is_some() && converged && !self.was_converged {
            self.converged_at = Some(start);
        }
        self.was_converged = converged;
    }

    fn close_incident(&mut self, begin: u64, end: u64) {
        let secs = (end - begin) as f64 / TICKS_PER_SEC as f64;
        self.longest_restore_s = Some(self.longest_restore_s.map_or(secs, |l| l.max(secs)));
        self.first_restored.get_or_insert(end);
        self.impact_start = None;
        self.calm_since = None;
    }

    /// Users hit by this second's failures: failures fall at random on the active users.
    pub fn observe_users(&mut self, failed: f64, sessions: f64, session_length_s: f64) {
        self.hit_active *= 1.0 - 1.0 / session_length_s.max(1.0);
        if sessions >= 1.0 && failed > 0.0 {
            let unhit = (sessions - self.hit_active).max(0.0);
            let newly = unhit * (1.0 - (-failed / sessions).exp());
            self.hit_active += newly;
            self.users_hit += newly;
        }
    }

    /// Users who started a session.
    pub fn add_users(&mut self, users: f64) {
        self.users_total += users;
    }

    /// Sessions lost when a process stopped with them in memory (those users felt it).
    pub fn lose_sessions(&mut self, lost: f64) {
        self.sessions_lost += lost;
        self.sessions_lost_second += lost;
        self.users_hit += lost;
    }

    /// Sessions lost since the last call (for the second's metrics).
    pub fn take_sessions_lost_this_second(&mut self) -> f64 {
        std::mem::take(&mut self.sessions_lost_second)
    }

    /// Tick of the first reaction that detection counts (see the module's rules).
    pub fn reaction_tick(&self) -> Option<u64> {
        if self.defect_onset.is_some() {
            self.defect_reaction
        } else {
            self.impact_reaction
        }
    }

    /// The fault onset detection is measured from.
    fn fault_onset(&self) -> Option<u64> {
        self.defect_onset.or(self.impact_onset)
    }

    /// The moments the debrief marks, in game seconds, as the score counts them: the
    /// fault onset detection is measured from, the reaction, the first restore.
    pub fn moments(&self) -> Moments {
        let secs = |t: u64| t as f64 / TICKS_PER_SEC as f64;
        Moments {
            onset: self.fault_onset().map(secs),
            reaction: self.reaction_tick().map(secs),
            restored: self.first_restored.map(secs),
            damage: self.first_damage.map(secs),
        }
    }

    /// Told of every applied command, and of every automatic stop (a guard, the analysis,
    /// the pipeline), which acts as `Act::Mitigating` when the release's fault was visible.
    pub fn note_act(&mut self, tick: u64, act: Act) {
        if act == Act::Mitigating
            && self.defect_reaction.is_none()
            && self.defect_onset.is_some_and(|f| tick > f)
        {
            self.defect_reaction = Some(tick);
        }
        if act != Act::Passive
            && self.impact_reaction.is_none()
            && self.impact_onset.is_some_and(|f| tick > f)
        {
            self.impact_reaction = Some(tick);
        }
    }

    /// Told when a rollout or deploy starts (the rollout time counts from the first).
    pub fn note_deploy(&mut self, tick: u64) {
        if self.first_deploy.is_none() {
            self.first_deploy = Some(tick);
            self.was_converged = false;
        }
    }

    /// The score at game time `now_s`.
    pub fn score(&self, now_s: f64) -> Score {
        let secs = |ticks: u64| ticks as f64 / TICKS_PER_SEC as f64;
        let open_restore = self.impact_start.map(|b| now_s - secs(b));
        let mttr_s = match (self.longest_restore_s, open_restore) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let mttd_s = self.fault_onset().map(|f| match self.reaction_tick() {
            Some(r) => secs(r - f),
            None => mttr_s.unwrap_or(now_s - secs(f)),
        });
        let error_budget_used_pct = (self.failed as f64 / self.budget_events
            + self.slow as f64 / self.slow_budget_events)
            * 100.0;
        let availability = if self.total == 0 {
            1.0
        } else {
            1.0 - self.failed as f64 / self.total as f64
        };
        let users_affected_pct = if self.users_total > 0.0 {
            (self.users_hit / self.users_total * 100.0).min(100.0)
        } else {
            0.0
        };
        let rollout_s = self.first_deploy.map(|f| {
            let end = self
                .converged_at
                .filter(|_| self.was_converged)
                .map_or(now_s, secs);
            (end - secs(f)).max(0.0)
        });
        let mut score = Score {
            downtime_s: self.downtime_s,
            total_requests: self.total,
            failed_requests: self.failed,
            availability,
            error_budget_used_pct,
            mttd_s,
            mttr_s,
            users_affected_pct,
            sessions_lost: self.sessions_lost.round() as u64,
            rollout_s,
            slow_requests: self.slow,
            slow_s: self.slow_s,
            wrong_reads: self.wrong_reads,
            duplicate_writes: self.duplicate_writes,
            points: 0,
        };
        score.points = points(&score);
        score
    }
}

impl Score {
    /// The same score with every float rounded for the report (stable, readable JSON).
    #[must_use]
    pub fn rounded(&self) -> Self {
        use crate::num::round;
        Self {
            availability: round(self.availability, 6),
            error_budget_used_pct: round(self.error_budget_used_pct, 2),
            mttd_s: self.mttd_s.map(|x| round(x, 1)),
            mttr_s: self.mttr_s.map(|x| round(x, 1)),
            users_affected_pct: round(self.users_affected_pct, 3),
            rollout_s: self.rollout_s.map(|x| round(x, 1)),
            ..self.clone()
        }
    }

    /// Records damaged without anyone seeing it: wrong reads and duplicated writes.
    pub fn damaged_data(&self) -> u64 {
        self.wrong_reads + self.duplicate_writes
    }
}

/// How many times faster than the SLO allows `done` completed requests spent the budgets:
/// the failed share over `1 − target` plus the slow share over `1 − latency target` (1.0
/// spends exactly what the SLO allows; the pager's burn-rate alert fires at 10).
pub fn burn_rate(slo: &crate::mission::Slo, failed: u64, slow: u64, done: u64) -> f64 {
    if done == 0 {
        return 0.0;
    }
    let done = done as f64;
    failed as f64 / done / (1.0 - slo.target) + slow as f64 / done / (1.0 - slo.latency_target)
}

/// What one part of the score cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    pub what: String,
    pub points: f64,
}

/// Each deduction's points, in the order `costs` words them: the one formula of the score.
fn amounts(s: &Score) -> [f64; 7] {
    let opt = |x: Option<f64>| x.unwrap_or(0.0);
    [
        10.0 * s.downtime_s as f64,
        2.0 * s.error_budget_used_pct.min(150.0),
        (3.0 * s.slow_s as f64).min(150.0),
        opt(s.mttd_s).min(150.0),
        opt(s.mttr_s).min(150.0),
        (s.sessions_lost as f64 / 10.0).min(100.0),
        (s.damaged_data() as f64 / 10.0).min(200.0),
    ]
}

/// Every deduction from 1000 points, largest first, zero ones left out: the points are
/// `1000 − Σ costs` (never below 0), so the debrief explains each lost point.
pub fn costs(s: &Score) -> Vec<Cost> {
    let opt = |x: Option<f64>| x.unwrap_or(0.0);
    let words = [
        format!("{} s of downtime × 10", s.downtime_s),
        format!(
            "{:.0}% of the error budget × 2 (failed and slow requests, counted up to 150%)",
            s.error_budget_used_pct
        ),
        format!(
            "{} s with the median over the latency line × 3 (up to 150)",
            s.slow_s
        ),
        format!("{:.0} s to notice (up to 150)", opt(s.mttd_s)),
        format!("{:.0} s to restore (up to 150)", opt(s.mttr_s)),
        format!("{} sessions lost ÷ 10 (up to 100)", s.sessions_lost),
        format!(
            "{} damaged records ÷ 10 (wrong or stale reads, duplicated writes; up to 200)",
            s.damaged_data()
        ),
    ];
    let mut out: Vec<Cost> = words
        .into_iter()
        .zip(amounts(s))
        .map(|(what, points)| Cost { what, points })
        .filter(|c| c.points > 0.0)
        .collect();
    out.sort_by(|a, b| b.points.total_cmp(&a.points));
    out
}

/// Points out of 1000: every cost is visible in the debrief (`costs`). Computed without
/// the words (the score is read every second and every frame), summed in `costs`' order.
pub fn points(s: &Score) -> u32 {
    let mut lost: Vec<f64> = amounts(s).into_iter().filter(|&p| p > 0.0).collect();
    lost.sort_by(|a, b| b.total_cmp(a));
    (1000.0 - lost.iter().sum::<f64>()).max(0.0).round() as u32
}

/// A letter grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    A,
    B,
    C,
    D,
    F,
}

impl Grade {
    /// The report's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::F => "F",
        }
    }
}

/// One objective and whether it was met.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveResult {
    pub text: String,
    pub met: bool,
    /// Why it is not met, when the objective can say more than its text (release tickets).
    pub why: Option<String>,
}

/// How the mission ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    pub grade: Grade,
    pub stars: u8,
    pub score: Score,
    pub objectives: Vec<ObjectiveResult>,
}

impl Sim {
    /// Game seconds at which the player first reacted to a fault (what the score's
    /// detection time counts: a command after the fault showed, or a guard acting).
    pub fn reaction_s(&self) -> Option<f64> {
        self.score
            .reaction_tick()
            .map(|t| t as f64 / TICKS_PER_SEC as f64)
    }

    /// The incident's moments as the score counts them (for the debrief's markers).
    pub fn moments(&self) -> Moments {
        self.score.moments()
    }

    /// Judges the run so far against the mission's objectives and star thresholds.
    pub fn outcome(&self) -> Outcome {
        let score = self.score();
        // The release tickets come first: whatever else went well, an unshipped release
        // that was never stopped on evidence leaves the team waiting.
        let mut objectives: Vec<ObjectiveResult> = (0..self.mission.releases.len())
            .map(|i| {
                let (text, met, why) = self.ticket_result(i);
                ObjectiveResult { text, met, why }
            })
            .collect();
        objectives.extend(self.mission.objectives.iter().map(|o| ObjectiveResult {
            text: describe(o),
            met: self.objective_met(o, &score),
            why: None,
        }));
        let passed = objectives.iter().all(|o| o.met);
        let stars = match (passed, score.points) {
            (false, _) => 0,
            (true, p) if p >= self.mission.stars.three => 3,
            (true, p) if p >= self.mission.stars.two => 2,
            (true, _) => 1,
        };
        let grade = match (passed, score.points) {
            (false, _) => Grade::F,
            (true, p) if p >= 900 => Grade::A,
            (true, p) if p >= 750 => Grade::B,
            (true, p) if p >= 600 => Grade::C,
            (true, _) => Grade::D,
        };
        Outcome {
            passed,
            grade,
            stars,
            score,
            objectives,
        }
    }

    fn objective_met(&self, o: &Objective, s: &Score) -> bool {
        match o {
            Objective::AllServersOn(v) => self.servers.iter().all(|sv| {
                self.version_name(sv.version) == v && sv.state() == ServerState::InService
            }),
            // An aborted canary's servers go by themselves; its spec must be reverted too.
            Objective::NoServersOn(v) => {
                self.servers
                    .iter()
                    .all(|sv| self.version_name(sv.version) != v)
                    && self
                        .rollout
                        .as_ref()
                        .and_then(super::rollout::Rollout::degraded_on)
                        .is_none_or(|d| self.version_name(d) != v)
            }
            Objective::DowntimeAtMost(d) => s.downtime_s as f64 <= d.secs(),
            Objective::ErrorBudgetAtMost(pct) => s.error_budget_used_pct <= *pct,
            Objective::RestoreWithin(d) => s.mttr_s.is_none_or(|r| r <= d.secs()),
            Objective::DetectWithin(d) => s.mttd_s.is_none_or(|r| r <= d.secs()),
            Objective::SessionsLostAtMost(n) => s.sessions_lost <= *n,
            Objective::RolloutWithin(d) => s.rollout_s.is_some_and(|r| r <= d.secs()),
            Objective::NoDataErrors => s.damaged_data() == 0,
            Objective::SlowAtMost(d) => s.slow_s as f64 <= d.secs(),
            Objective::OutOfTrafficAtMost(n) => self.rule_state().max_out_of_traffic <= *n,
            Objective::KeepOldPool => self
                .rule_state()
                .shortest_kept
                .is_none_or(|k| k >= self.mission.fleet.scale_down_delay.ticks()),
            Objective::BakedCanary(v) => self.find_version(v).is_ok_and(|v| !self.rushed(v)),
            Objective::SchemaAtLeast(n) => self.schema() >= *n,
            Objective::ReachAtMost(v, pct) => self.find_version(v).is_ok_and(|v| {
                let reach = self.rule_state().max_reach.get(v.0 as usize).copied();
                reach.unwrap_or(0.0) * 100.0 <= *pct
            }),
            Objective::SafeMigrations => self.rule_state().unsafe_migration.is_none(),
            Objective::GuardedFromStart(v) => self
                .find_version(v)
                .is_ok_and(|v| self.release_states()[v.0 as usize].guarded_from_start),
        }
    }
}

/// An objective in words.
pub fn describe(o: &Objective) -> String {
    match o {
        Objective::AllServersOn(v) => format!("every server on {v} and in service at the end"),
        // Named without the version: before its fault shows, that would give the plot away.
        Objective::NoServersOn(_) => {
            "no server left on a stopped release, and no rollout still naming it".to_string()
        }
        Objective::DowntimeAtMost(d) => format!("downtime at most {d}"),
        Objective::ErrorBudgetAtMost(p) => format!("at most {p}% of the error budget spent"),
        Objective::RestoreWithin(d) => format!("any user impact restored within {d}"),
        Objective::DetectWithin(d) => format!("react to a fault within {d}"),
        Objective::SessionsLostAtMost(n) => format!("at most {n} sessions lost"),
        Objective::RolloutWithin(d) => format!("rollout done within {d} of the first deploy"),
        Objective::NoDataErrors => {
            "no damaged data (no wrong reads, no duplicated writes)".to_string()
        }
        Objective::SlowAtMost(d) => {
            format!("at most {d} with the median over the latency line")
        }
        Objective::OutOfTrafficAtMost(n) => {
            format!("never more than {n} servers out of traffic at once")
        }
        Objective::KeepOldPool => {
            "the old pool kept for the scale-down delay after each switch".to_string()
        }
        Objective::BakedCanary(v) => format!("{v}'s canary baked at every step"),
        Objective::SchemaAtLeast(n) => format!("the schema ends at version {n}"),
        Objective::ReachAtMost(v, pct) => format!("{v} never served more than {pct}% of requests"),
        Objective::SafeMigrations => {
            "no migration while a server still runs code it breaks".to_string()
        }
        Objective::GuardedFromStart(v) => format!("a guard watched {v} from its first request"),
    }
}
