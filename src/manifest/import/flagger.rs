//! A Flagger `Canary` (and the `Deployment` it targets): `stepWeight` to `maxWeight` or
//! `stepWeights` as canary steps, `iterations` as blue-green, the built-in metrics as guards.

use super::{Cx, ImportError, applied_at, at, duration, err, kind_of};
use crate::command::{GuardAction, Metric, Op};
use crate::drill::plan::Strategy;
use crate::manifest::play::{Guard, Release, Setup};
use crate::manifest::yaml::IntOrString;
use crate::mission::Balancer;
use crate::time::Dur;

impl Cx<'_> {
    pub(super) fn flagger(
        &mut self,
        i: usize,
        setup: &mut Setup,
        replicas_given: &mut bool,
    ) -> Result<Release, ImportError> {
        let spec = self.reads[i].doc.spec.clone().unwrap_or_default();
        let meta = self.reads[i].doc.metadata.clone();
        let line = self.reads[i].line;
        setup.balancer = Balancer::Weighted;
        let target = spec.target_ref.as_ref().and_then(|t| t.name.clone());
        let mut version = "v2".to_string();
        if let Some(name) = &target {
            let dep = (0..self.reads.len()).find(|&k| {
                kind_of(&self.reads[k].doc) == "Deployment"
                    && self.reads[k]
                        .doc
                        .metadata
                        .as_ref()
                        .and_then(|m| m.name.as_deref())
                        == Some(name)
            });
            if let Some(k) = dep {
                let dspec = self.reads[k].doc.spec.clone().unwrap_or_default();
                self.pod_settings(k, &dspec, setup, replicas_given)?;
                version = Self::image_version(&dspec);
            } else {
                let l = at(&self.reads[i], &["spec", "targetRef"]);
                self.note(
                    l,
                    format!(
                        "the Deployment {} is not in this file: default replicas and probes",
                        crate::defuse::shown(name)
                    ),
                );
            }
        }
        if let Some(s) = spec.progress_deadline_seconds {
            setup.progress_deadline = self.seconds(i, s, &["spec", "progressDeadlineSeconds"])?;
        }
        let a = spec.analysis.clone().unwrap_or_default();
        let l = at(&self.reads[i], &["spec", "analysis"]);
        let interval = match &a.interval {
            Some(d) => duration(&IntOrString::String(d.clone()), l, "analysis.interval")?,
            None => Dur::from_secs(60),
        };
        let threshold = a.threshold.unwrap_or(1);
        if !(1..=1000).contains(&threshold) {
            return Err(err(
                l,
                1,
                format!("analysis.threshold must be 1 to 1000, found {threshold}"),
            ));
        }
        if a.session_affinity.is_some() {
            setup.sticky = true;
        }
        if a.mirror == Some(true) {
            self.note(
                l,
                "mirror: the what-if plays the release's iterations, not the mirrored requests",
            );
        }
        if a.webhooks.as_ref().is_some_and(|w| !w.is_empty()) {
            self.note(
                l,
                "webhooks are not called in the game (a confirm-promotion gate waits for nobody)",
            );
        }
        let mut guards = Vec::new();
        for m in a.metrics.iter().flatten() {
            let range = m.threshold_range.clone().unwrap_or_default();
            let per = match &m.interval {
                Some(d) => duration(&IntOrString::String(d.clone()), l, "metric interval")?,
                None => interval,
            };
            // Flagger rolls back at the `threshold`-th failed check, one per interval.
            let for_ =
                Dur::from_millis(per.millis().max(interval.millis()) * (threshold as u64 - 1));
            let (metric, op, value) = match (m.name.as_str(), range.min, range.max) {
                ("request-success-rate", Some(min), _) if (0.0..=100.0).contains(&min) => {
                    (Metric::ErrorRate, Op::Gt, 100.0 - min)
                }
                ("request-duration", _, Some(max)) if (0.0..=1e7).contains(&max) => {
                    (Metric::P99, Op::Gt, max)
                }
                _ => {
                    self.note(l, format!(
                        "metric {}: only request-success-rate (thresholdRange.min) and request-duration (thresholdRange.max) are played",
                        crate::defuse::shown(&m.name)
                    ));
                    continue;
                }
            };
            guards.push(Guard {
                metric,
                op,
                value,
                for_,
                scoped: true,
                action: GuardAction::Abort,
            });
        }
        let strategy = if a.step_weight.is_some() || a.step_weights.is_some() {
            let max = a.max_weight.unwrap_or(50);
            if a.max_weight.is_none() && a.step_weights.is_none() {
                self.note(
                    l,
                    "no maxWeight: Flagger's stepWeight walk stops at 50% before promoting",
                );
            }
            let mut steps: Vec<u32> = match (&a.step_weights, a.step_weight) {
                (Some(ws), _) => ws
                    .iter()
                    .filter(|w| (1..=100).contains(*w))
                    .map(|w| *w as u32)
                    .collect(),
                (None, Some(step)) => {
                    if !(1..=100).contains(&step) || !(1..=100).contains(&max) {
                        return Err(err(
                            l,
                            1,
                            format!("stepWeight {step} and maxWeight {max} must be 1 to 100"),
                        ));
                    }
                    (1..=100)
                        .map(|k| (k * step) as u32)
                        .take_while(|w| i64::from(*w) <= max)
                        .collect()
                }
                _ => Vec::new(),
            };
            steps.dedup();
            steps.retain(|w| *w <= 100);
            if steps.windows(2).any(|w| w[0] >= w[1]) {
                return Err(err(l, 1, "stepWeights must rise"));
            }
            if steps.last() != Some(&100) {
                steps.push(100);
            }
            if a.step_weight_promotion.is_some() {
                self.note(l, "stepWeightPromotion: the game promotes to 100% at once");
            }
            Strategy::Canary {
                steps,
                interval,
                analysis: false,
                limit: 0,
                initial_delay: Dur::default(),
            }
        } else {
            let n = a.iterations.unwrap_or(10);
            if !(0..=10_000).contains(&n) {
                return Err(err(
                    l,
                    1,
                    format!("iterations must be 0 to 10000, found {n}"),
                ));
            }
            // A confirm-promotion gate waits for a person: the switch is by hand.
            let gated = a
                .webhooks
                .iter()
                .flatten()
                .any(|w| w.type_.as_deref() == Some("confirm-promotion"));
            Strategy::BlueGreen {
                switch_after: (!gated).then(|| Dur::from_millis(interval.millis() * n as u64)),
            }
        };
        let at_ = applied_at(meta.as_ref(), line)?;
        Ok(Release::ship(at_, version, strategy, guards, setup))
    }
}
