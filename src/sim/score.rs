//! Scoring: what the users felt, how fast the player reacted and restored, and the grade.
//!
//! Fed once per game-second by the simulation, and told of every command. Definitions:
//! - downtime: seconds whose error rate is above the mission's outage line;
//! - impact: a second burning the error budget faster than the SLO allows
//!   (error rate above `1 − target`); it is restored at the first of
//!   `CALM_SECONDS` calm seconds in a row;
//! - fault onset: the first second a defective release serves users, or the first impact;
//! - detection: from the fault onset to the player's first reaction (any command other than
//!   `wait` or `speed`) after it; with no reaction, until the impact was restored or the end.

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
    pub points: u32,
}

/// Running totals behind the score.
#[derive(Debug, Clone)]
pub struct ScoreTracker {
    slo_target: f64,
    outage_line: f64,
    downtime_s: u64,
    total: u64,
    failed: u64,
    fault_onset: Option<u64>,
    reaction: Option<u64>,
    impact_start: Option<u64>,
    calm_since: Option<u64>,
    longest_restore_s: Option<f64>,
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
    /// A tracker for the mission's SLO.
    pub fn new(mission: &Mission) -> Self {
        Self {
            slo_target: mission.slo.target,
            outage_line: mission.slo.outage_error_rate,
            downtime_s: 0,
            total: 0,
            failed: 0,
            fault_onset: None,
            reaction: None,
            impact_start: None,
            calm_since: None,
            longest_restore_s: None,
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

    /// Takes in a finished second. `fault`: a defective release served users in it;
    /// `converged`: every server in service on one version.
    pub fn observe(&mut self, m: &SecondMetrics, fault: bool, converged: bool, tick: u64) {
        self.last_tick = tick;
        let start = tick.saturating_sub(TICKS_PER_SEC);
        self.total += m.arrived;
        self.failed += m.failed;
        let rate = m.error_rate();
        if rate > self.outage_line {
            self.downtime_s += 1;
        }
        let impact = rate > 1.0 - self.slo_target;
        if (fault || impact) && self.fault_onset.is_none() {
            self.fault_onset = Some(start);
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

    /// Tick of the player's first reaction after a fault began, as detection counts it.
    pub fn reaction_tick(&self) -> Option<u64> {
        self.reaction
    }

    /// Told of every applied command.
    pub fn note_command(&mut self, tick: u64, reaction: bool, deploy: bool) {
        if reaction && self.reaction.is_none() && self.fault_onset.is_some_and(|f| tick > f) {
            self.reaction = Some(tick);
        }
        if deploy && self.first_deploy.is_none() {
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
        let mttd_s = self.fault_onset.map(|f| match self.reaction {
            Some(r) => secs(r - f),
            None => mttr_s.unwrap_or(now_s - secs(f)),
        });
        let budget = (1.0 - self.slo_target) * self.total as f64;
        let error_budget_used_pct = if budget > 0.0 {
            self.failed as f64 / budget * 100.0
        } else {
            0.0
        };
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
        use crate::report::round;
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
}

/// Points out of 1000: every cost is visible in the debrief.
pub fn points(s: &Score) -> u32 {
    let mut p = 1000.0;
    p -= 10.0 * s.downtime_s as f64;
    p -= 2.0 * s.error_budget_used_pct.min(150.0);
    p -= s.mttd_s.unwrap_or(0.0).min(150.0);
    p -= s.mttr_s.unwrap_or(0.0).min(150.0);
    p -= (s.sessions_lost as f64 / 10.0).min(100.0);
    p.max(0.0).round() as u32
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

    /// Judges the run so far against the mission's objectives and star thresholds.
    pub fn outcome(&self) -> Outcome {
        let score = self.score();
        let objectives: Vec<ObjectiveResult> = self
            .mission
            .objectives
            .iter()
            .map(|o| ObjectiveResult {
                text: describe(o),
                met: self.objective_met(o, &score),
            })
            .collect();
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
            Objective::NoServersOn(v) => self
                .servers
                .iter()
                .all(|sv| self.version_name(sv.version) != v),
            Objective::DowntimeAtMost(d) => s.downtime_s as f64 <= d.secs(),
            Objective::ErrorBudgetAtMost(pct) => s.error_budget_used_pct <= *pct,
            Objective::RestoreWithin(d) => s.mttr_s.is_none_or(|r| r <= d.secs()),
            Objective::DetectWithin(d) => s.mttd_s.is_none_or(|r| r <= d.secs()),
            Objective::SessionsLostAtMost(n) => s.sessions_lost <= *n,
            Objective::RolloutWithin(d) => s.rollout_s.is_some_and(|r| r <= d.secs()),
            Objective::NoDataErrors => self.wrong_reads() == 0 && self.duplicate_writes() == 0,
        }
    }
}

/// An objective in words.
pub fn describe(o: &Objective) -> String {
    match o {
        Objective::AllServersOn(v) => format!("every server on {v} and in service at the end"),
        Objective::NoServersOn(v) => format!("no server left on {v}"),
        Objective::DowntimeAtMost(d) => format!("downtime at most {d}"),
        Objective::ErrorBudgetAtMost(p) => format!("at most {p}% of the error budget spent"),
        Objective::RestoreWithin(d) => format!("any user impact restored within {d}"),
        Objective::DetectWithin(d) => format!("react to a fault within {d}"),
        Objective::SessionsLostAtMost(n) => format!("at most {n} sessions lost"),
        Objective::RolloutWithin(d) => format!("rollout done within {d} of the first deploy"),
        Objective::NoDataErrors => {
            "no damaged data (no wrong reads, no duplicated writes)".to_string()
        }
    }
}
