//! Whether a `wait until` typed in play can ever end. A script's wait keeps its plain
//! semantics (run to the timeout); in play, a condition nothing is moving towards is
//! refused at once with the reason, so the clock never jumps ten minutes for nothing.

use super::Sim;
use super::pipeline::StageState;
use super::rollout::Phase;
use super::server::ServerState;
use crate::command::Condition;

impl Sim {
    /// Why `cond` can't become true from here without the player acting, if it can't.
    pub fn wait_refusal(&self, cond: &Condition) -> Option<String> {
        if self.holds(cond) {
            return None;
        }
        let rollout_moving = self
            .rollout
            .as_ref()
            .is_some_and(|r| matches!(r.phase, Phase::Running | Phase::Paused(_)));
        let pipeline_moving = self
            .pipeline()
            .is_some_and(|p| matches!(p.state, StageState::At { .. }));
        let controller = rollout_moving || pipeline_moving;
        match cond {
            Condition::Ready(t) => match self.resolve(t) {
                Err(why) => Some(why.to_string()),
                Ok(idx) if idx.is_empty() && !controller => {
                    Some(format!("{t} has no servers and no rollout is creating any"))
                }
                Ok(_) => None,
            },
            Condition::Drained(t) => match self.resolve(t) {
                Err(why) => Some(why.to_string()),
                Ok(idx) => {
                    let draining = idx
                        .iter()
                        .any(|&i| self.servers[i].state() == ServerState::Draining);
                    (!draining && !controller)
                        .then(|| format!("nothing is draining {t}: `drain {t}` first"))
                }
            },
            Condition::AllOn(v) => {
                if !self.versions.iter().any(|x| x.name == *v) {
                    return Some(format!("there is no version {v}"));
                }
                let changing = self.servers.iter().any(|s| {
                    matches!(
                        s.state(),
                        ServerState::Deploying | ServerState::Booting | ServerState::Pending
                    )
                });
                (!changing && !controller).then(|| {
                    format!(
                        "nothing is moving servers to {v}: start a rollout or `deploy {v}` first"
                    )
                })
            }
            Condition::Stopped => (!rollout_moving).then(|| "no rollout is running".to_string()),
            Condition::Idle | Condition::Metric(_) => None,
        }
    }
}
