//! Release tickets: what the mission asked the player to ship, and whether each release
//! ended shipped or stopped on evidence of its fault.
//!
//! A release is a ticket a real team would hold the engineer to: it ends shipped (every
//! live server on it, in service, at some second) or stopped *after* its fault was visible
//! (on user traffic, on a mirror, in staging, or in the pipeline's tests). Never starting
//! it, or stopping it before anything could be seen, leaves the ticket open: the team is
//! still waiting. A later release in the mission's list is the follow-up (the fix) of the
//! one before, and is refused until that one is settled.
//!
//! This module also decides which versions a command acts *against* (a pause, an abort, a
//! rollback, a switch away, weight 0, draining, replacing or stopping servers): that is a
//! stop of those releases, and detection's reaction when their fault was visible.

use super::{Act, PoolRole, Rejected, Sim, VersionId};
use crate::command::Command;
use crate::time::{TICKS_PER_SEC, clock};
use crate::words;

/// Seconds a fault must have shown before a stop counts as a stop on evidence: enough for
/// a chart to be read (a shadow glimpsed for a second proves nothing). Failing requests
/// read at once; slowness, CPU and memory need a comparison over a while.
pub const EVIDENCE_ERRORS_S: u32 = 3;
/// See `EVIDENCE_ERRORS_S`.
pub const EVIDENCE_OTHER_S: u32 = 10;

/// What happened to one version, as the tickets need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseState {
    /// Some server on it answered a request (users, a mirror, a preview or staging).
    pub served: bool,
    /// Seconds its fault has been visible so far (any pool).
    pub visible_s: u32,
    /// Tick its fault had been visible for `EVIDENCE_ERRORS_S` (errors) or `EVIDENCE_OTHER_S`
    /// seconds anywhere (any pool), or the
    /// pipeline's tests failed it: from then on a stop is a stop on evidence.
    pub evidence: Option<u64>,
    /// Its pipeline run passed staging (a build staging could stop serves no customer).
    pub staged: bool,
    /// It served users (live traffic).
    pub served_live: bool,
    /// Sent back to users after it was stopped on evidence (`retry`, a new rollout of it):
    /// the evidence was ignored, and the ticket is not settled by the stop.
    pub reexposed: Option<u64>,
    /// A guard on it (or on the fleet) was set when it served its first user request.
    pub guarded_from_start: bool,
    /// First tick its fault was visible on user traffic (detection counts from here).
    pub visible_live: Option<u64>,
    /// First act against it after its fault was visible.
    pub stopped: Option<u64>,
    /// First act against it while no fault had been seen.
    pub stopped_early: Option<u64>,
    /// First second every live server ran it, in service.
    pub shipped: Option<u64>,
}

/// How a release ticket stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ticket {
    /// Every live server ran it, in service, at some second.
    Shipped,
    /// Stopped after its fault was visible.
    StoppedOnEvidence,
    /// No server on it ever answered a request.
    NeverServed,
    /// Stopped (at this tick) before any fault could be seen, and never settled since.
    StoppedEarly(u64),
    /// It runs, or ran, but was neither shipped nor stopped on evidence.
    Open,
}

impl Ticket {
    /// Shipped or stopped on evidence: the team knows where the release stands.
    pub fn settled(&self) -> bool {
        matches!(self, Ticket::Shipped | Ticket::StoppedOnEvidence)
    }
}

impl Sim {
    /// What happened to each version (indexed by `VersionId`).
    pub fn release_states(&self) -> &[ReleaseState] {
        &self.releases
    }

    /// The ticket of version `v`.
    pub fn ticket(&self, v: VersionId) -> Ticket {
        let Some(r) = self.releases.get(v.0 as usize) else {
            return Ticket::NeverServed;
        };
        if r.shipped.is_some() {
            Ticket::Shipped
        } else if r.reexposed.is_some() {
            Ticket::Open
        } else if r.stopped.is_some() {
            Ticket::StoppedOnEvidence
        } else if r.evidence.is_some() {
            // Stopped early or not, its fault showed later and nothing stopped it.
            Ticket::Open
        } else if let Some(t) = r.stopped_early {
            Ticket::StoppedEarly(t)
        } else if !r.served {
            Ticket::NeverServed
        } else {
            Ticket::Open
        }
    }

    /// Whether the release named `name` is settled (shipped, or stopped on evidence); a
    /// name the mission does not have is not.
    pub fn release_settled(&self, name: &str) -> bool {
        self.find_version(name)
            .is_ok_and(|v| self.ticket(v).settled())
    }

    /// The ticket line of release `index` of the mission's list: its text, whether it is
    /// settled, and when not, why (as the debrief says it).
    pub fn ticket_result(&self, index: usize) -> (String, bool, Option<String>) {
        let name = &self.mission.releases[index];
        // Short enough for the objectives panel at 80 columns. A follow-up is named once the
        // release before it is settled (until then its name would give the plot away).
        let revealed = index == 0 || self.release_settled(&self.mission.releases[index - 1]);
        let text = if index == 0 {
            format!("ship {name} (or stop it on evidence)")
        } else if revealed {
            format!("then ship {name} (or stop on evidence)")
        } else {
            "then ship the follow-up (or stop it on evidence)".to_string()
        };
        let Ok(v) = self.find_version(name) else {
            return (
                text,
                false,
                Some(format!("no version {name} in this mission")),
            );
        };
        let ticket = self.ticket(v);
        let why = match ticket {
            Ticket::Shipped | Ticket::StoppedOnEvidence => None,
            Ticket::NeverServed => Some(format!(
                "{name} never served a request: not shipped, and the team is still waiting"
            )),
            Ticket::StoppedEarly(t) => Some(format!(
                "{name} stopped at {} before any fault showed: the team is still waiting",
                clock(t as f64 / TICKS_PER_SEC as f64)
            )),
            Ticket::Open => Some(self.open_ticket_why(v, name)),
        };
        (text, ticket.settled(), why)
    }

    fn open_ticket_why(&self, v: VersionId, name: &str) -> String {
        let live: Vec<_> = self
            .servers
            .iter()
            .filter(|s| self.pools[s.pool as usize].role == PoolRole::Live)
            .collect();
        let on = live.iter().filter(|s| s.version == v).count();
        if let Some(t) = self.releases[v.0 as usize].reexposed {
            return format!(
                "{name} sent back to users at {} after its fault stopped it: evidence ignored",
                clock(t as f64 / TICKS_PER_SEC as f64)
            );
        }
        let at = match self.releases[v.0 as usize].evidence {
            Some(t) => format!(
                "its fault showed at {} and nothing stopped it; ",
                clock(t as f64 / TICKS_PER_SEC as f64)
            ),
            None => String::new(),
        };
        format!(
            "{name} is neither shipped nor stopped: {at}it runs on {on} of {}",
            words::count(live.len(), "server")
        )
    }

    /// What is still open, if anything: a release ticket, a rollout, a migration, a pipeline
    /// stage or a server changing state. `None`: the rest of the mission can be simulated at
    /// once ("finish now") without anyone needing to act.
    pub fn unsettled(&self) -> Option<String> {
        for name in &self.mission.releases {
            if !self.release_settled(name) {
                return Some(format!("{name} is neither shipped nor stopped on evidence"));
            }
        }
        if self.rollout.as_ref().is_some_and(super::Rollout::is_active) {
            return Some("a rollout is still running".to_string());
        }
        if !self.holds(&crate::command::Condition::Idle) {
            return Some("servers, a migration or the pipeline are still changing".to_string());
        }
        None
    }

    /// Refuses a command that would put a follow-up release in front of anyone before the
    /// release it follows is settled, or, where the mission has a pipeline, a release in
    /// front of users before its staging run passed.
    pub(super) fn gate_follow_up(&self, cmd: &Command) -> Result<(), Rejected> {
        self.gate_staging(cmd)?;
        let version = match cmd {
            Command::Deploy { version, .. }
            | Command::Rolling { version, .. }
            | Command::BlueGreen { version }
            | Command::Pipeline(version) => version,
            Command::Canary(spec) => &spec.version,
            Command::Shadow(Some(spec)) => &spec.version,
            _ => return Ok(()),
        };
        let list = &self.mission.releases;
        let Some(k) = list.iter().position(|r| r == version).filter(|&k| k > 0) else {
            return Ok(());
        };
        let prev = &list[k - 1];
        let Ok(pv) = self.find_version(prev) else {
            return Ok(());
        };
        let ticket = self.ticket(pv);
        if ticket.settled() {
            return Ok(());
        }
        let now = match ticket {
            Ticket::NeverServed => format!("{prev} has not served a request yet"),
            Ticket::StoppedEarly(_) => {
                format!("{prev} was stopped before any fault showed")
            }
            _ => format!("{prev} is still going out"),
        };
        Err(Rejected::NotNow(format!(
            "{version} is the follow-up to {prev}: ship {prev}, or stop it on evidence of its fault, first ({now})"
        )))
    }

    /// Production only takes a build that passed staging (a build staging could have
    /// stopped serves no customer).
    fn gate_staging(&self, cmd: &Command) -> Result<(), Rejected> {
        if self.mission.pipeline.is_none() {
            return Ok(());
        }
        let version = match cmd {
            Command::Deploy { version, .. }
            | Command::Rolling { version, .. }
            | Command::BlueGreen { version } => version,
            Command::Canary(spec) => &spec.version,
            _ => return Ok(()),
        };
        if !self.mission.releases.contains(version) {
            return Ok(());
        }
        match self.find_version(version) {
            Ok(v) if !self.releases[v.0 as usize].staged => Err(Rejected::NotNow(format!(
                "{version} has not passed staging: `pipeline run {version}` first (production only takes a build staging passed)"
            ))),
            _ => Ok(()),
        }
    }

    /// The versions `cmd` acts against, judged before it is applied.
    pub(super) fn acted_against(&self, cmd: &Command) -> Vec<VersionId> {
        let mut out = Vec::new();
        let rollout_to = self
            .rollout
            .as_ref()
            .filter(|r| !r.is_rollback)
            .map(|r| r.to);
        match cmd {
            Command::Pause | Command::Abort | Command::Rollback | Command::Weight(0) => {
                out.extend(rollout_to);
            }
            Command::Drain(t) | Command::Restart(t) => {
                for i in self.resolve_lenient(t) {
                    out.push(self.servers[i].version);
                }
            }
            Command::Deploy { version, targets } => {
                for i in self.resolve_lenient(targets) {
                    if self.version_name(self.servers[i].version) != version {
                        out.push(self.servers[i].version);
                    }
                }
            }
            Command::Switch(pool) => {
                let target = self.pool_index(pool);
                out.extend(
                    self.servers
                        .iter()
                        .filter(|s| {
                            Some(s.pool) != target
                                && s.last_arrived > 0
                                && self.pools[s.pool as usize].role == PoolRole::Live
                        })
                        .map(|s| s.version),
                );
            }
            Command::Delete(pool) => {
                if let Some(p) = self.pool_index(pool) {
                    out.extend(
                        self.pool_servers(p)
                            .into_iter()
                            .map(|i| self.servers[i].version),
                    );
                }
            }
            Command::Shadow(None) => {
                if let Some(p) = self.pool_index(super::shadow::SHADOW_POOL) {
                    out.extend(
                        self.pool_servers(p)
                            .into_iter()
                            .map(|i| self.servers[i].version),
                    );
                }
            }
            Command::Rolling { version, .. } | Command::BlueGreen { version } => {
                out.extend(self.live_versions_other_than(version));
            }
            Command::Canary(spec) => out.extend(self.live_versions_other_than(&spec.version)),
            _ => {}
        }
        out.sort_unstable_by_key(|v| v.0);
        out.dedup();
        out
    }

    fn live_versions_other_than(&self, version: &str) -> Vec<VersionId> {
        self.servers
            .iter()
            .filter(|s| {
                self.pools[s.pool as usize].role == PoolRole::Live
                    && self.version_name(s.version) != version
            })
            .map(|s| s.version)
            .collect()
    }

    /// Records a stop of the versions in `against` now, and tells detection whether it
    /// mitigated a fault visible on user traffic. `acting`: the command changed the fleet.
    pub(super) fn record_stop(&mut self, against: &[VersionId], acting: bool) {
        let tick = self.tick;
        let mut mitigating = false;
        let mut announce = Vec::new();
        for v in against {
            let Some(r) = self.releases.get_mut(v.0 as usize) else {
                continue;
            };
            if r.evidence.is_some_and(|e| e <= tick) {
                if r.stopped.is_none() {
                    r.stopped = Some(tick);
                    announce.push(*v);
                }
                mitigating |= r.visible_live.is_some_and(|e| e <= tick);
            } else if r.served {
                r.stopped_early.get_or_insert(tick);
            }
        }
        // The follow-up is revealed when the release it follows is stopped on evidence: the
        // briefing does not give the plot away.
        for v in announce {
            let name = &self.versions[v.0 as usize].name;
            let list = &self.mission.releases;
            if let Some(k) = list.iter().position(|r| r == name)
                && let Some(next) = list.get(k + 1)
            {
                let text = format!(
                    "» {name} is stopped. The team's next build, {next}, is ready to ship."
                );
                self.push_event(super::Severity::Info, text);
            }
        }
        let act = if mitigating {
            Act::Mitigating
        } else if acting {
            Act::Acting
        } else {
            Act::Passive
        };
        self.score.note_act(tick, act);
    }

    /// Evidence of `v`'s fault that no server showed (its unit tests failed).
    pub(super) fn record_evidence(&mut self, v: VersionId) {
        let tick = self.tick;
        if let Some(r) = self.releases.get_mut(v.0 as usize) {
            r.evidence.get_or_insert(tick);
        }
    }

    /// Once a second, after the metrics: who served, whose fault showed, what shipped.
    /// Returns whether a fault was visible on user traffic this second.
    pub(super) fn releases_second(&mut self) -> bool {
        let start = self.tick.saturating_sub(TICKS_PER_SEC);
        let mut live_fault = false;
        // Each version's visible seconds grow by one a second, however many servers show it.
        let mut counted = vec![0u64; self.releases.len()];
        let (mut live, mut first, mut one_version) = (0usize, None, true);
        let mut newly_visible = Vec::new();
        for s in &self.servers {
            let is_live = self.pools[s.pool as usize].role == PoolRole::Live;
            let r = &mut self.releases[s.version.0 as usize];
            if s.last_arrived > 0 {
                if !r.served_live && is_live {
                    r.served_live = true;
                    let name = &self.versions[s.version.0 as usize].name;
                    r.guarded_from_start = self
                        .guards
                        .iter()
                        .any(|g| g.spec.version.as_ref().is_none_or(|v| v == name));
                }
                r.served = true;
                if s.defect_active {
                    if counted[s.version.0 as usize] < self.tick {
                        counted[s.version.0 as usize] = self.tick;
                        r.visible_s += 1;
                        let spec = &self.versions[s.version.0 as usize].spec;
                        let needed = if spec.errors > 0.0 || spec.broken_db_config {
                            EVIDENCE_ERRORS_S
                        } else {
                            EVIDENCE_OTHER_S
                        };
                        if r.visible_s >= needed {
                            r.evidence.get_or_insert(self.tick);
                        }
                    }
                    if is_live {
                        if r.visible_live.is_none() {
                            r.visible_live = Some(start);
                            newly_visible.push(s.version);
                        }
                        live_fault = true;
                    }
                }
            }
            if is_live && !s.retiring {
                live += 1;
                let on = s.state() == super::ServerState::InService;
                match first {
                    None => first = Some(s.version),
                    Some(f) if f != s.version => one_version = false,
                    Some(_) => {}
                }
                one_version &= on;
            }
        }
        if let (Some(v), true, true) = (first, one_version, live > 0) {
            self.releases[v.0 as usize].shipped.get_or_insert(start);
        }
        for v in newly_visible {
            self.log_fault_visible(v);
        }
        live_fault
    }

    /// Logs, looking back, that `v`'s fault reached users in the second just ended: the
    /// moment detection counts from, where a replay's markers and `n` stop.
    fn log_fault_visible(&mut self, v: VersionId) {
        let spec = self.version(v);
        let symptoms = symptoms(spec, !self.schema_ok(spec));
        let text = format!(
            "fault visible: {}'s fault reaches users ({})",
            self.version_name(v),
            symptoms.join(", ")
        );
        self.push_hindsight(super::Severity::Warn, text);
    }
}

/// What users get from a defective version, in words (`schema_broken`: it fails on the
/// database's schema now).
fn symptoms(v: &crate::mission::Version, schema_broken: bool) -> Vec<&'static str> {
    let found = [
        (v.errors > 0.0, "failing requests"),
        (v.broken_db_config, "database errors: broken configuration"),
        (schema_broken, "errors on this database schema"),
        (v.latency_factor > 1.0, "slow responses"),
        (v.tail.is_some(), "a slow tail"),
        (v.cpu_factor > 1.0, "more CPU per request"),
        (v.leak_mb_per_min > 0.0, "a memory leak"),
        (v.hangs_after.is_some(), "a hang"),
    ];
    let words: Vec<&str> = found
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, w)| *w)
        .collect();
    if words.is_empty() {
        vec!["its defect"]
    } else {
        words
    }
}
