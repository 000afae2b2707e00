//! The release pipeline: commit → build → test → package → deploy to staging → test in
//! staging → production (gradually) → monitor, as visible stages with durations.
//!
//! Each kind of defect is caught (or not) where it would be in real life: a bug the unit
//! tests cover stops at `test`; a crash at start stops at the staging deploy; errors under
//! synthetic traffic stop at the staging tests; a defect that needs real users, or shows
//! only after longer than the staging tests run, reaches production — which is why
//! production still goes out gradually and is watched.

use super::apply::{Applied, Rejected};
use super::{Mirror, MirrorSource, PoolRole, ServerState, Severity, Sim, VersionId};
use crate::command::parse_command;
use crate::time::TICKS_PER_SEC;

/// The stages, in order.
pub const STAGES: [&str; 8] = [
    "build",
    "test",
    "package",
    "staging deploy",
    "staging test",
    "approval",
    "production",
    "monitor",
];
const STAGING_POOL: &str = "staging";
/// Staging must be up within this long.
const STAGING_DEPLOY_LIMIT_S: u64 = 180;
/// Staging fails its tests above this error rate.
const STAGING_MAX_ERRORS: f64 = 0.01;
/// Production is watched this long after the rollout before the pipeline is done.
const MONITOR_S: u64 = 120;

/// Where a pipeline run is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageState {
    /// Running stage `index` of `STAGES` since `since`.
    At {
        index: usize,
        since: u64,
    },
    /// Stopped at `index` with the reason.
    Failed {
        index: usize,
        why: String,
    },
    Done,
}

/// A pipeline run.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineRun {
    pub version: VersionId,
    pub state: StageState,
    /// Ticks each finished stage took.
    pub took: Vec<u64>,
}

impl Sim {
    /// The pipeline run, if one was started.
    pub fn pipeline(&self) -> Option<&PipelineRun> {
        self.pipeline.as_ref()
    }

    /// `pipeline run <version>`.
    pub(super) fn run_pipeline(&mut self, version: &str) -> Result<Applied, Rejected> {
        if self.mission.pipeline.is_none() {
            return Err(Rejected::NotNow(
                "this mission has no release pipeline".to_string(),
            ));
        }
        if let Some(p) = &self.pipeline
            && !matches!(p.state, StageState::Done | StageState::Failed { .. })
        {
            return Err(Rejected::NotNow(format!(
                "the pipeline is still running {}",
                self.version_name(p.version)
            )));
        }
        let vid = self.find_version(version)?;
        self.pipeline = Some(PipelineRun {
            version: vid,
            state: StageState::At {
                index: 0,
                since: self.tick,
            },
            took: Vec::new(),
        });
        let text = format!("pipeline: {version} committed → build");
        self.push_event(Severity::Info, format!("⚙ {text}"));
        Ok(Applied(text))
    }

    /// `promote staging`: the release that passed staging goes to production.
    pub(super) fn promote_staging(&mut self) -> Result<Applied, Rejected> {
        let Some(run) = &self.pipeline else {
            return Err(Rejected::NotNow(
                "no pipeline run: `pipeline run <version>` first".into(),
            ));
        };
        if !matches!(run.state, StageState::At { index: 5, .. }) {
            return Err(Rejected::NotNow(match &run.state {
                StageState::Failed { why, .. } => format!("the pipeline stopped: {why}"),
                StageState::Done => "the pipeline is done".to_string(),
                StageState::At { index, .. } => {
                    format!(
                        "the release is at `{}`, not waiting for approval",
                        STAGES[*index]
                    )
                }
            }));
        }
        let version = self.version_name(run.version).to_string();
        let template = self
            .mission
            .pipeline
            .as_ref()
            .map(|p| p.production.clone())
            .unwrap_or_default();
        let line = template.replace("{version}", &version);
        let cmd = parse_command(&line).map_err(|e| {
            Rejected::NotNow(format!(
                "the mission's production step `{line}` does not parse: {e}"
            ))
        })?;
        let applied = self.perform(&cmd)?;
        self.advance_stage();
        Ok(Applied(format!(
            "staging approved → production: {}",
            applied.0
        )))
    }

    fn advance_stage(&mut self) {
        let tick = self.tick;
        let Some(run) = &mut self.pipeline else {
            return;
        };
        if let StageState::At { index, since } = run.state {
            run.took.push(tick - since);
            run.state = if index + 1 >= STAGES.len() {
                StageState::Done
            } else {
                StageState::At {
                    index: index + 1,
                    since: tick,
                }
            };
            let text = match &run.state {
                StageState::At { index, .. } => {
                    format!("pipeline: {} ✔ → {}", STAGES[index - 1], STAGES[*index])
                }
                _ => "pipeline: monitor ✔ → done: the release is out".to_string(),
            };
            self.push_event(Severity::Info, format!("⚙ {text}"));
        }
    }

    fn fail_stage(&mut self, why: String) {
        let Some(run) = &mut self.pipeline else {
            return;
        };
        if let StageState::At { index, .. } = run.state {
            let text = format!("pipeline stopped at {}: {why}", STAGES[index]);
            let version = run.version;
            run.state = StageState::Failed { index, why };
            self.push_event(Severity::Error, format!("⚙ {text}"));
            self.clear_staging();
            // A failed check is evidence, and the pipeline stopping on it is the stop
            // (before production the release never reached a user).
            if index < 6 {
                self.record_evidence(version);
                self.record_stop(&[version], false);
            }
        }
    }

    fn clear_staging(&mut self) {
        if let Some(pool) = self.pool_index(STAGING_POOL) {
            self.mirrors.retain(|m| m.pool != pool);
            for i in self.pool_servers(pool) {
                self.retire(i);
            }
        }
    }

    /// Once a second: move the pipeline along.
    pub(super) fn pipeline_second(&mut self) {
        let (Some(run), Some(spec)) = (self.pipeline.clone(), self.mission.pipeline.clone()) else {
            return;
        };
        let StageState::At { index, since } = run.state else {
            return;
        };
        let elapsed = self.tick - since;
        let version = self.versions[run.version.0 as usize].spec.clone();
        match index {
            0 if elapsed >= spec.build.ticks() => self.advance_stage(),
            1 if elapsed >= spec.test.ticks() => {
                if version.fails_unit_tests {
                    self.fail_stage("unit tests failed (caught before any server saw it)".into());
                } else {
                    self.advance_stage();
                }
            }
            2 if elapsed >= spec.package.ticks() => {
                self.advance_stage();
                let pool = self.ensure_pool(STAGING_POOL, PoolRole::Mirror);
                for _ in 0..spec.staging_servers.max(1) {
                    self.provision(pool, run.version);
                }
                self.mirrors
                    .push(Mirror::new(pool, MirrorSource::Synthetic(spec.staging_rps)));
            }
            3 => {
                let pool = self.pool_index(STAGING_POOL).unwrap_or(0);
                let idx = self.pool_servers(pool);
                if !idx.is_empty()
                    && idx
                        .iter()
                        .all(|&i| self.servers[i].state() == ServerState::InService)
                {
                    self.advance_stage();
                } else if elapsed >= STAGING_DEPLOY_LIMIT_S * TICKS_PER_SEC {
                    self.fail_stage(
                        "staging servers never became healthy (they crash or hang at start)".into(),
                    );
                }
            }
            4 => {
                if let Some(why) = self.staging_problem(run.version) {
                    self.fail_stage(why);
                } else if elapsed >= spec.staging_test.ticks() {
                    self.releases[run.version.0 as usize].staged = true;
                    self.clear_staging();
                    self.advance_stage();
                    self.push_event(
                        Severity::Info,
                        "staging passed: `promote staging` sends it to production".to_string(),
                    );
                }
            }
            6 => {
                let done = self
                    .rollout
                    .as_ref()
                    .is_some_and(|r| r.phase == super::Phase::Done && r.to == run.version);
                let stopped = self
                    .rollout
                    .as_ref()
                    .is_some_and(|r| r.phase == super::Phase::Aborted);
                if done {
                    self.advance_stage();
                } else if stopped {
                    self.fail_stage("the production rollout was aborted".into());
                }
            }
            7 if elapsed >= MONITOR_S * TICKS_PER_SEC => self.advance_stage(),
            _ => {}
        }
    }

    /// What the staging tests see wrong this second, if anything.
    fn staging_problem(&self, version: VersionId) -> Option<String> {
        let m = self.history.last()?;
        let v = m.shadow_by_version.get(version.0 as usize)?;
        let done = v.ok + v.failed;
        (done > 0 && v.error_rate() > STAGING_MAX_ERRORS).then(|| {
            format!(
                "staging tests saw {:.1}% errors (caught before production)",
                v.error_rate() * 100.0
            )
        })
    }
}
