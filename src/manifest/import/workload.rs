//! A Kubernetes `Deployment` or an Argo `Rollout`: replicas, probes and grace period from
//! the pod template, the strategy (`Recreate`, `RollingUpdate`, Argo's `canary` and
//! `blueGreen`), and the analysis templates' metrics as guards or the baseline comparison.

use std::collections::BTreeMap;

use super::{
    Cx, Found, ImportError, amount, applied_at, at, bounded_secs, classify, condition, depth,
    documents, duration, err, kind_of, mirrored, probe_numbers, read_doc, version_name,
};
use crate::command::{Amount, GuardAction, Metric};
use crate::drill::plan::Strategy;
use crate::manifest::export::{Format, negate};
use crate::manifest::play::{Guard, Release, Setup};
use crate::manifest::yaml::{IntOrString, Metric as YMetric, RolloutAnalysis, Spec};
use crate::mission::{Balancer, CheckDepth, Liveness, MAX_SERVERS};
use crate::time::Dur;

impl Cx<'_> {
    /// A Deployment or a Rollout.
    pub(super) fn workload(
        &mut self,
        i: usize,
        format: Format,
        setup: &mut Setup,
        replicas_given: &mut bool,
    ) -> Result<Release, ImportError> {
        let spec = self.reads[i].doc.spec.clone().unwrap_or_default();
        let meta = self.reads[i].doc.metadata.clone();
        let line = self.reads[i].line;
        self.pod_settings(i, &spec, setup, replicas_given)?;
        let version = Self::image_version(&spec);
        let strategy_spec = spec.strategy.clone().unwrap_or_default();
        let mut guards = Vec::new();
        let strategy = if format == Format::K8s {
            match strategy_spec.type_.as_deref() {
                Some("Recreate") => Strategy::AllAtOnce,
                None | Some("RollingUpdate") => {
                    let ru = strategy_spec.rolling_update.clone().unwrap_or_default();
                    self.rolling(
                        i,
                        ru.max_surge.as_ref(),
                        ru.max_unavailable.as_ref(),
                        &spec,
                        &["spec", "strategy", "rollingUpdate"],
                    )?
                }
                Some(other) => {
                    return Err(err(
                        at(&self.reads[i], &["spec", "strategy", "type"]),
                        1,
                        format!(
                            "strategy.type {} is not RollingUpdate or Recreate",
                            crate::defuse::shown(other)
                        ),
                    ));
                }
            }
        } else if let Some(bg) = &strategy_spec.blue_green {
            if let Some(s) = bg.scale_down_delay_seconds {
                setup.scale_down_delay = self.seconds(
                    i,
                    s,
                    &["spec", "strategy", "blueGreen", "scaleDownDelaySeconds"],
                )?;
            } else {
                setup.scale_down_delay = Dur::from_secs(30);
            }
            for (a, name) in [
                (&bg.pre_promotion_analysis, "prePromotionAnalysis"),
                (&bg.post_promotion_analysis, "postPromotionAnalysis"),
            ] {
                if let Some(a) = a {
                    if name == "prePromotionAnalysis" {
                        let l = at(&self.reads[i], &["spec", "strategy", "blueGreen", name]);
                        self.note(l, "prePromotionAnalysis measures the preview, which gets no users in the game: played as guards on the release's live traffic");
                    }
                    let mut found = self.analysis(a, &version, false, line)?;
                    guards.append(&mut found.guards);
                }
            }
            let switch_after = match (bg.auto_promotion_enabled, bg.auto_promotion_seconds) {
                (Some(false), _) => None,
                (_, Some(s)) => Some(self.seconds(
                    i,
                    s,
                    &["spec", "strategy", "blueGreen", "autoPromotionSeconds"],
                )?),
                _ => Some(Dur::default()),
            };
            Strategy::BlueGreen { switch_after }
        } else if let Some(c) = &strategy_spec.canary {
            setup.balancer = if c.traffic_routing.is_some() {
                Balancer::Weighted
            } else {
                Balancer::ServerCount
            };
            let steps = c.steps.clone().unwrap_or_default();
            // A failed analysis aborts: on a canary, traffic back to stable (the game's
            // abort); without steps, the stable pods come back (the game's rollback).
            let weighted = steps.iter().any(|s| s.set_weight.is_some());
            let mut analysis = None;
            if let Some(a) = &c.analysis {
                analysis = Some(self.analysis(a, &version, weighted, line)?);
                if a.starting_step.is_some() {
                    let l = at(
                        &self.reads[i],
                        &["spec", "strategy", "canary", "analysis", "startingStep"],
                    );
                    self.note(
                        l,
                        "startingStep: the game's analysis and guards watch from the first step",
                    );
                }
            }
            for (k, s) in steps.iter().enumerate() {
                if let Some(a) = &s.analysis {
                    let l = at(&self.reads[i], &["spec", "strategy", "canary", "steps"]);
                    self.note(l, format!("steps[{k}].analysis (inline) is played as background analysis from the start"));
                    let found = self.analysis(a, &version, weighted, line)?;
                    analysis = Some(match analysis {
                        Some(mut prev) => {
                            prev.guards.extend(found.guards);
                            prev.baseline = prev.baseline.or(found.baseline);
                            prev
                        }
                        None => found,
                    });
                }
            }
            let found = analysis.unwrap_or_default();
            guards = found.guards;
            let weights: Vec<(usize, i64)> = steps
                .iter()
                .enumerate()
                .filter_map(|(k, s)| s.set_weight.map(|w| (k, w)))
                .collect();
            if weights.is_empty() {
                if found.baseline.is_some() {
                    let l = at(&self.reads[i], &["spec", "strategy", "canary", "analysis"]);
                    self.note(
                        l,
                        "a comparison with a baseline needs canary steps: read as guards only",
                    );
                }
                self.rolling(
                    i,
                    c.max_surge.as_ref(),
                    c.max_unavailable.as_ref(),
                    &spec,
                    &["spec", "strategy", "canary"],
                )?
            } else {
                let mut ws = Vec::new();
                for (_, w) in &weights {
                    if !(0..=100).contains(w) {
                        let l = at(&self.reads[i], &["spec", "strategy", "canary", "steps"]);
                        return Err(err(l, 1, format!("setWeight must be 0 to 100, found {w}")));
                    }
                    let w = *w as u32;
                    if ws.last().is_some_and(|last| w <= *last) {
                        let l = at(&self.reads[i], &["spec", "strategy", "canary", "steps"]);
                        self.note(l, format!("setWeight {w} does not rise: the game's steps only rise, so it is skipped"));
                        continue;
                    }
                    ws.push(w);
                }
                if ws.last() != Some(&100) {
                    ws.push(100);
                }
                let interval = self.pauses(i, &steps)?;
                let (limit, delay) = found.baseline.unwrap_or((0, Dur::default()));
                Strategy::Canary {
                    steps: ws,
                    interval,
                    analysis: found.baseline.is_some(),
                    limit,
                    initial_delay: delay,
                }
            }
        } else {
            let ru = strategy_spec.rolling_update.clone().unwrap_or_default();
            self.rolling(
                i,
                ru.max_surge.as_ref(),
                ru.max_unavailable.as_ref(),
                &spec,
                &["spec", "strategy"],
            )?
        };
        let at_ = applied_at(meta.as_ref(), line)?;
        Ok(Release::ship(at_, version, strategy, guards, setup))
    }

    /// The pauses between canary steps: one interval for the game (their longest), with a
    /// note when they differ or one waits for a human.
    pub(super) fn pauses(
        &mut self,
        i: usize,
        steps: &[crate::manifest::yaml::CanaryStep],
    ) -> Result<Dur, ImportError> {
        let l = at(&self.reads[i], &["spec", "strategy", "canary", "steps"]);
        let mut found: Vec<Dur> = Vec::new();
        let mut forever = false;
        for s in steps {
            if let Some(p) = &s.pause {
                match &p.duration {
                    Some(d) => found.push(duration(d, l, "pause.duration")?),
                    None => forever = true,
                }
            }
        }
        let longest = found.iter().copied().max();
        if found.windows(2).any(|w| w[0] != w[1]) {
            self.note(
                l,
                format!(
                    "the pauses differ ({}): the game holds every step for the longest, {}",
                    found
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    longest.unwrap_or_default()
                ),
            );
        }
        let interval = longest
            .unwrap_or(Dur::from_secs(60))
            .max(Dur::from_secs(10));
        if forever {
            self.note(l, format!(
                "`pause: {{}}` waits for `kubectl argo rollouts promote`: nobody promotes in a what-if, so it is played as a pause of {interval}"
            ));
        }
        Ok(interval)
    }

    pub(super) fn rolling(
        &mut self,
        i: usize,
        surge: Option<&IntOrString>,
        unavailable: Option<&IntOrString>,
        spec: &Spec,
        path: &[&str],
    ) -> Result<Strategy, ImportError> {
        let l = at(&self.reads[i], path);
        let surge = match surge {
            Some(s) => amount(s, l, "maxSurge")?,
            None => Amount::Percent(25),
        };
        let unavailable = match unavailable {
            Some(s) => amount(s, l, "maxUnavailable")?,
            None => Amount::Percent(25),
        };
        let zero = |a: Amount| matches!(a, Amount::Count(0) | Amount::Percent(0));
        if zero(surge) && zero(unavailable) {
            return Err(err(
                l,
                1,
                "maxSurge and maxUnavailable cannot both be 0: the rollout could never replace a pod",
            ));
        }
        if zero(surge) {
            return Ok(Strategy::Rolling { batch: unavailable });
        }
        let min_ready = match spec.min_ready_seconds {
            Some(s) => self.seconds(i, s, &["spec", "minReadySeconds"])?,
            None => Dur::default(),
        };
        Ok(Strategy::Surge {
            surge,
            unavailable,
            min_ready,
        })
    }

    pub(super) fn seconds(&self, i: usize, s: i64, path: &[&str]) -> Result<Dur, ImportError> {
        let l = at(&self.reads[i], path);
        bounded_secs(s, l, path.last().copied().unwrap_or(""))
    }

    /// Replicas, probes, grace period, progress deadline.
    pub(super) fn pod_settings(
        &mut self,
        i: usize,
        spec: &Spec,
        setup: &mut Setup,
        replicas_given: &mut bool,
    ) -> Result<(), ImportError> {
        if let Some(n) = spec.replicas {
            let l = at(&self.reads[i], &["spec", "replicas"]);
            if !(1..=i64::from(MAX_SERVERS)).contains(&n) {
                return Err(err(
                    l,
                    1,
                    format!("replicas must be 1 to {MAX_SERVERS}, found {n}"),
                ));
            }
            setup.replicas = n as u32;
            *replicas_given = true;
        }
        if let Some(s) = spec.progress_deadline_seconds {
            setup.progress_deadline = self.seconds(i, s, &["spec", "progressDeadlineSeconds"])?;
        }
        let Some(pod) = spec.template.as_ref().and_then(|t| t.spec.as_ref()) else {
            return Ok(());
        };
        if let Some(s) = pod.termination_grace_period_seconds {
            setup.drain = self.seconds(
                i,
                s,
                &["spec", "template", "spec", "terminationGracePeriodSeconds"],
            )?;
        }
        let Some(c) = pod.containers.first() else {
            return Ok(());
        };
        let l = at(&self.reads[i], &["spec", "template", "spec", "containers"]);
        if pod.containers.len() > 1 {
            self.note(
                l,
                "more than one container: the game reads the first one's probes",
            );
        }
        if let Some(p) = &c.readiness_probe {
            let (period, fail, ok) = probe_numbers(p, l)?;
            setup.health.period = period;
            setup.health.failure_threshold = fail;
            setup.health.success_threshold = ok;
            setup.health.depth = depth(p);
        } else {
            self.note(l, "no readinessProbe: a pod takes traffic once its process runs; the game checks every 1s");
            setup.health.period = Dur::from_secs(1);
            setup.health.failure_threshold = 1;
            setup.health.success_threshold = 1;
            setup.health.depth = CheckDepth::Shallow;
        }
        setup.health.liveness = c
            .liveness_probe
            .as_ref()
            .map(|p| {
                probe_numbers(p, l).map(|(period, fail, _)| Liveness {
                    period,
                    failure_threshold: fail,
                })
            })
            .transpose()?;
        setup.health.startup = c.startup_probe.is_some();
        Ok(())
    }

    /// The release's version: the image tag (`web:v2` → `v2`).
    pub(super) fn image_version(spec: &Spec) -> String {
        let image = spec
            .template
            .as_ref()
            .and_then(|t| t.spec.as_ref())
            .and_then(|p| p.containers.first())
            .and_then(|c| c.image.clone());
        match image {
            Some(img) => {
                let tag = img.rsplit_once(':').map_or("", |(_, t)| t);
                if tag.is_empty() || tag.contains('/') {
                    "v2".to_string()
                } else {
                    version_name(tag)
                }
            }
            None => "v2".to_string(),
        }
    }

    /// The metrics of the templates an analysis names, as guards and the baseline
    /// comparison. `canary`: the strategy aborts on failure (else it rolls back).
    pub(super) fn analysis(
        &mut self,
        a: &RolloutAnalysis,
        version: &str,
        canary: bool,
        line: usize,
    ) -> Result<Found, ImportError> {
        let mut found = Found::default();
        let mut args: BTreeMap<String, String> = BTreeMap::new();
        for arg in a.args.iter().flatten() {
            if let Some(v) = &arg.value {
                args.insert(arg.name.clone(), v.clone());
            }
        }
        for t in &a.templates {
            let Some(name) = &t.template_name else {
                continue;
            };
            let metrics = self.template(name, line);
            for (m, l) in metrics {
                self.metric(&m, l, version, canary, &args, &mut found)?;
            }
        }
        Ok(found)
    }

    /// The metrics of the template `name`, each with its line: from this file, or a file
    /// beside it. Not found: a note, no metrics.
    pub(super) fn template(&mut self, name: &str, line: usize) -> Vec<(YMetric, usize)> {
        for r in &self.reads {
            let k = kind_of(&r.doc);
            if (k == "AnalysisTemplate" || k == "ClusterAnalysisTemplate")
                && r.doc.metadata.as_ref().and_then(|m| m.name.as_deref()) == Some(name)
            {
                let l = at(r, &["spec", "metrics"]);
                return r
                    .doc
                    .spec
                    .as_ref()
                    .and_then(|s| s.metrics.clone())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|m| (m, l))
                    .collect();
            }
        }
        if let Some((text, file)) = (self.beside)(name) {
            let mut notes = Vec::new();
            for t in documents(&text) {
                let Ok(r) = read_doc(&t, &mut notes) else {
                    continue;
                };
                if r.doc.metadata.as_ref().and_then(|m| m.name.as_deref()) == Some(name) {
                    self.note(
                        line,
                        format!(
                            "AnalysisTemplate {} read from {file}",
                            crate::defuse::shown(name)
                        ),
                    );
                    return r
                        .doc
                        .spec
                        .and_then(|s| s.metrics)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|m| (m, 0))
                        .collect();
                }
            }
        }
        self.note(
            line,
            format!(
                "AnalysisTemplate {} is not in this file or beside it: its checks are not played",
                crate::defuse::shown(name)
            ),
        );
        Vec::new()
    }

    pub(super) fn metric(
        &mut self,
        m: &YMetric,
        l: usize,
        version: &str,
        canary: bool,
        args: &BTreeMap<String, String>,
        found: &mut Found,
    ) -> Result<(), ImportError> {
        let name = crate::defuse::shown(&m.name);
        let interval = match &m.interval {
            Some(d) => duration(d, l, "interval")?,
            None => Dur::from_secs(60),
        };
        let limit = m.failure_limit.unwrap_or(0);
        if !(0..=1000).contains(&limit) {
            return Err(err(
                l,
                1,
                format!("metric {name}: failureLimit must be 0 to 1000, found {limit}"),
            ));
        }
        let delay = match &m.initial_delay {
            Some(d) => duration(d, l, "initialDelay")?,
            None => Dur::default(),
        };
        if m.name.ends_with("-vs-baseline") {
            found.baseline = Some((limit as u32, delay));
            return Ok(());
        }
        let Some(query) = m
            .provider
            .as_ref()
            .and_then(|p| p.prometheus.as_ref())
            .and_then(|p| p.query.clone())
        else {
            self.note(
                l,
                format!("metric {name}: only Prometheus queries are read; it is not played"),
            );
            return Ok(());
        };
        let mut query = query;
        for (k, v) in args {
            query = query.replace(&format!("{{{{args.{k}}}}}"), v);
        }
        let Some((metric, unit, success_ratio)) = classify(&query) else {
            self.note(l, format!("metric {name}: the game cannot tell what its query measures (error rate, latency, CPU, memory): it is not played"));
            return Ok(());
        };
        let pause = m.failure_condition.as_deref().map(str::trim) == Some("false");
        let cond = if pause {
            m.success_condition.as_deref()
        } else {
            m.failure_condition
                .as_deref()
                .or(m.success_condition.as_deref())
        };
        let Some(cond) = cond else {
            self.note(
                l,
                format!("metric {name}: no successCondition or failureCondition: it is not played"),
            );
            return Ok(());
        };
        let Some((op, x)) = condition(cond) else {
            self.note(l, format!("metric {name}: the condition {} is not `result[0] <op> <number>`: it is not played", crate::defuse::shown(cond)));
            return Ok(());
        };
        // A success condition fails when it is false: the guard's line is its negation.
        let failing = if pause || m.failure_condition.is_none() {
            negate(op)
        } else {
            op
        };
        let (metric, failing, value) = if success_ratio {
            // A success ratio below x is an error rate above 1 − x.
            (
                Metric::ErrorRate,
                mirrored(failing),
                crate::num::round((1.0 - x) / 0.01, 6),
            )
        } else {
            (metric, failing, crate::num::round(x / unit, 6))
        };
        if !value.is_finite() || value.abs() > 1e9 {
            return Err(err(
                l,
                1,
                format!("metric {name}: the line {x} is out of range"),
            ));
        }
        if delay > Dur::default() {
            self.note(l, format!("metric {name}: initialDelay {delay} is added to how long the line must be crossed"));
        }
        let scoped = query.contains(&format!("\"{version}\"")) || query.contains("canary");
        // The run fails at the (failureLimit + 1)-th failed measurement: the line has been
        // crossed for failureLimit intervals by then.
        let for_ = Dur::from_millis(interval.millis() * limit as u64 + delay.millis());
        if limit > 0 {
            self.note(l, format!(
                "metric {name}: failureLimit {limit} × interval {interval} is played as the line crossed for {for_} in a row (Argo counts failures that need not be consecutive)"
            ));
        }
        found.guards.push(Guard {
            metric,
            op: failing,
            value,
            for_,
            scoped,
            action: if pause {
                GuardAction::Pause
            } else if canary {
                GuardAction::Abort
            } else {
                GuardAction::Rollback
            },
        });
        Ok(())
    }
}
