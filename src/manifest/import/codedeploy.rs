//! AWS CodeDeploy: the deployment configuration (`minimumHealthyHosts`, predefined names,
//! ECS/Lambda `trafficRoutingConfig`), the deployment group (blue/green, auto-rollback,
//! alarms) and the CloudWatch alarms (`put-metric-alarm` inputs) behind them.

use super::{Cx, ImportError, at, err};
use crate::command::{Amount, GuardAction, Metric, Op};
use crate::drill::plan::Strategy;
use crate::manifest::play::{Guard, Release, Setup};
use crate::manifest::yaml::Doc;
use crate::mission::Balancer;
use crate::time::Dur;

impl Cx<'_> {
    pub(super) fn codedeploy(&mut self, setup: &mut Setup) -> Result<Release, ImportError> {
        let hosts = i64::from(setup.replicas);
        let find = |f: &dyn Fn(&Doc) -> bool| self.reads.iter().position(|r| f(&r.doc));
        let config = find(&|d: &Doc| {
            d.minimum_healthy_hosts.is_some()
                || d.traffic_routing_config.is_some()
                || (d.deployment_config_name.is_some() && d.deployment_group_name.is_none())
        });
        let group = find(&|d: &Doc| d.deployment_group_name.is_some());
        let mut strategy = Strategy::Rolling {
            batch: Amount::Count(1),
        };
        let mut name = None;
        if let Some(c) = config {
            let r = &self.reads[c];
            let l = r.line;
            name.clone_from(&r.doc.deployment_config_name);
            if let Some(min) = &r.doc.minimum_healthy_hosts {
                let l = at(r, &["minimumHealthyHosts"]);
                strategy = match min.type_.as_str() {
                    "HOST_COUNT" if (0..=hosts).contains(&min.value) => {
                        if min.value == 0 {
                            Strategy::AllAtOnce
                        } else if hosts - min.value == 0 {
                            return Err(err(
                                l,
                                1,
                                format!(
                                    "minimumHealthyHosts {} of {hosts} hosts leaves none to deploy to",
                                    min.value
                                ),
                            ));
                        } else {
                            Strategy::Rolling {
                                batch: Amount::Count((hosts - min.value) as u32),
                            }
                        }
                    }
                    "FLEET_PERCENT" if (0..100).contains(&min.value) => {
                        if min.value == 0 {
                            Strategy::AllAtOnce
                        } else {
                            Strategy::Rolling {
                                batch: Amount::Percent((100 - min.value) as u32),
                            }
                        }
                    }
                    "HOST_COUNT" => {
                        return Err(err(
                            l,
                            1,
                            format!(
                                "minimumHealthyHosts HOST_COUNT must be 0 to {hosts} (the fleet), found {}",
                                min.value
                            ),
                        ));
                    }
                    "FLEET_PERCENT" => {
                        return Err(err(
                            l,
                            1,
                            format!(
                                "minimumHealthyHosts FLEET_PERCENT must be 0 to 99, found {}",
                                min.value
                            ),
                        ));
                    }
                    other => {
                        return Err(err(
                            l,
                            1,
                            format!(
                                "minimumHealthyHosts type must be HOST_COUNT or FLEET_PERCENT, found {}",
                                crate::defuse::shown(other)
                            ),
                        ));
                    }
                };
            }
            if let Some(t) = &r.doc.traffic_routing_config {
                let l = at(r, &["trafficRoutingConfig"]);
                let tb = t
                    .time_based_canary
                    .as_ref()
                    .or(t.time_based_linear.as_ref());
                let p = tb.and_then(|b| b.canary_percentage).unwrap_or(10);
                let m = tb.and_then(|b| b.canary_interval).unwrap_or(5);
                if !(1..=99).contains(&p) || !(1..=1440).contains(&m) {
                    return Err(err(
                        l,
                        1,
                        format!(
                            "the canary's percentage (1 to 99) and interval (1 to 1440 minutes) are out of range: {p}%, {m}"
                        ),
                    ));
                }
                let interval = Dur::from_secs(m as u64 * 60);
                strategy = match t.type_.as_str() {
                    "TimeBasedCanary" => Strategy::Canary {
                        steps: vec![p as u32, 100],
                        interval,
                        analysis: false,
                        limit: 0,
                        initial_delay: Dur::default(),
                    },
                    "TimeBasedLinear" => Strategy::Canary {
                        steps: (1..=100)
                            .map(|k| (k * p) as u32)
                            .take_while(|w| *w < 100)
                            .chain([100])
                            .collect(),
                        interval,
                        analysis: false,
                        limit: 0,
                        initial_delay: Dur::default(),
                    },
                    _ => Strategy::AllAtOnce,
                };
                setup.balancer = Balancer::Weighted;
                self.note(l, "trafficRoutingConfig is CodeDeploy's for ECS and Lambda: played on the game's weighted balancer");
            }
            let _ = l;
        }
        let preset = |s: &str| match s {
            "CodeDeployDefault.OneAtATime" => Some(Strategy::Rolling {
                batch: Amount::Count(1),
            }),
            "CodeDeployDefault.HalfAtATime" => Some(Strategy::Rolling {
                batch: Amount::Percent(50),
            }),
            "CodeDeployDefault.AllAtOnce" => Some(Strategy::AllAtOnce),
            _ => None,
        };
        let mut guards = Vec::new();
        if let Some(g) = group {
            let r = &self.reads[g];
            if config.is_none()
                && let Some(p) = r.doc.deployment_config_name.as_deref().and_then(preset)
            {
                strategy = p;
            }
            if let Some(style) = &r.doc.deployment_style
                && style.deployment_type.as_deref() == Some("BLUE_GREEN")
            {
                let ready = r
                    .doc
                    .blue_green_deployment_configuration
                    .as_ref()
                    .and_then(|b| b.deployment_ready_option.clone())
                    .unwrap_or_default();
                let switch_after = match ready.action_on_timeout.as_deref() {
                    Some("STOP_DEPLOYMENT") => None,
                    _ => Some(Dur::from_secs(
                        ready.wait_time_in_minutes.unwrap_or(0).clamp(0, 2880) as u64 * 60,
                    )),
                };
                if let Some(t) = r
                    .doc
                    .blue_green_deployment_configuration
                    .as_ref()
                    .and_then(|b| b.terminate_blue_instances_on_deployment_success.as_ref())
                    .and_then(|t| t.termination_wait_time_in_minutes)
                {
                    setup.scale_down_delay = Dur::from_secs(t.clamp(0, 2880) as u64 * 60);
                }
                strategy = Strategy::BlueGreen { switch_after };
            }
            let rollback = r.doc.auto_rollback_configuration.as_ref().is_some_and(|a| {
                a.enabled && a.events.iter().any(|e| e == "DEPLOYMENT_STOP_ON_ALARM")
            });
            let names: Vec<String> = r
                .doc
                .alarm_configuration
                .as_ref()
                .filter(|a| a.enabled)
                .map(|a| a.alarms.iter().map(|x| x.name.clone()).collect())
                .unwrap_or_default();
            let l = at(r, &["alarmConfiguration"]);
            for alarm_name in names {
                let found = self
                    .reads
                    .iter()
                    .position(|x| x.doc.alarm_name.as_deref() == Some(alarm_name.as_str()));
                let Some(k) = found else {
                    self.note(l, format!("alarm {} is not defined in this file (a put-metric-alarm input): it is not played", crate::defuse::shown(&alarm_name)));
                    continue;
                };
                if let Some(gd) = self.alarm(k, rollback)? {
                    guards.push(gd);
                }
            }
        } else if let Some(s) = name.as_deref().and_then(preset) {
            strategy = s;
        }
        Ok(Release::ship(
            Dur::default(),
            "v2".into(),
            strategy,
            guards,
            setup,
        ))
    }

    fn alarm(&mut self, k: usize, rollback: bool) -> Result<Option<Guard>, ImportError> {
        let r = &self.reads[k];
        let d = &r.doc;
        let l = r.line;
        let name = crate::defuse::shown(d.alarm_name.as_deref().unwrap_or(""));
        let metric_name = d.metric_name.clone().unwrap_or_default();
        let stat = d.extended_statistic.clone().unwrap_or_default();
        let (metric, scale) = if metric_name.contains("5XX") {
            (Metric::ErrorRate, 1.0)
        } else if metric_name == "TargetResponseTime" {
            match stat.as_str() {
                "p50" => (Metric::P50, 1000.0),
                "p95" => (Metric::P95, 1000.0),
                "p99" => (Metric::P99, 1000.0),
                _ => {
                    self.note(l, format!("alarm {name}: TargetResponseTime is read with ExtendedStatistic p50, p95 or p99; not played"));
                    return Ok(None);
                }
            }
        } else if metric_name == "CPUUtilization" {
            (Metric::Cpu, 1.0)
        } else if metric_name.contains("mem") {
            (Metric::Mem, 1.0)
        } else {
            self.note(
                l,
                format!(
                    "alarm {name}: metric {} has no counterpart in the game; not played",
                    crate::defuse::shown(&metric_name)
                ),
            );
            return Ok(None);
        };
        let op = match d.comparison_operator.as_deref() {
            Some("GreaterThanThreshold") => Op::Gt,
            Some("GreaterThanOrEqualToThreshold") => Op::Ge,
            Some("LessThanThreshold") => Op::Lt,
            Some("LessThanOrEqualToThreshold") => Op::Le,
            other => {
                return Err(err(
                    l,
                    1,
                    format!(
                        "alarm {name}: ComparisonOperator {} is not one of GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold",
                        crate::defuse::shown(other.unwrap_or("(missing)"))
                    ),
                ));
            }
        };
        let threshold = d.threshold.unwrap_or(0.0);
        if !threshold.is_finite() || threshold.abs() > 1e9 {
            return Err(err(
                l,
                1,
                format!("alarm {name}: Threshold {threshold} is out of range"),
            ));
        }
        let period = d.period.unwrap_or(60).clamp(1, 86_400);
        let evals = d.evaluation_periods.unwrap_or(1).clamp(1, 1000);
        Ok(Some(Guard {
            metric,
            op,
            value: threshold * scale,
            for_: Dur::from_secs(period * evals),
            scoped: false,
            action: if rollback {
                GuardAction::Rollback
            } else {
                GuardAction::Abort
            },
        }))
    }
}
