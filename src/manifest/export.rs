//! A `Play` written as real configuration: Argo Rollouts, a plain Kubernetes Deployment,
//! Flagger, or AWS CodeDeploy. Each release is one set of documents (in the order the
//! player started them, each marked with the game time it was applied); what a format has
//! no field for is written as a comment saying how teams do it there, never dropped.

use std::fmt::Write as _;

use super::play::{ByHand, Guard, HandKind, How, Play, Release, Setup, amount_text, is_deep};
use super::yaml::{
    AlarmConfiguration, AlarmRef, Arg, AutoRollbackConfiguration, BlueGreen,
    BlueGreenDeploymentConfiguration, Canary, CanaryStep, ClientIp, Container, ContainerPort,
    CookieAffinity, DeploymentStyle, Destination, Doc, FlaggerAnalysis, FlaggerMetric,
    FlaggerService, HttpGet, HttpRoute, IntOrString, IstioRouting, LoadBalancerInfo, Metadata,
    Metric as YMetric, MinimumHealthyHosts, NamedRoutes, Pause, Percentage, PodSpec, PodTemplate,
    Probe, Prometheus, Provider, ReadyOption, RollingUpdate, RolloutAnalysis, RouteDestination,
    Selector, ServicePort, SessionAffinityConfig, Spec, Strategy as YStrategy, TargetGroup,
    TargetRef, TemplateName, TemplateRef, TerminateBlue, ThresholdRange, TimeBased, TrafficRouting,
    TrafficRoutingConfig,
};
use crate::command::{Amount, GuardAction, Metric, Op};
use crate::drill::plan::Strategy;
use crate::mission::Balancer;
use crate::time::{Dur, clock};

/// The formats `export` writes and `whatif` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Argo Rollouts: a `Rollout` and its `AnalysisTemplate`.
    Argo,
    /// A plain Kubernetes `Deployment` (and `Service`).
    K8s,
    /// Flagger: a `Canary` driving a `Deployment`.
    Flagger,
    /// AWS CodeDeploy: a deployment configuration and group, and CloudWatch alarms.
    Codedeploy,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Argo,
        Format::K8s,
        Format::Flagger,
        Format::Codedeploy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Argo => "argo",
            Format::K8s => "k8s",
            Format::Flagger => "flagger",
            Format::Codedeploy => "codedeploy",
        }
    }

    /// In words, for headers.
    pub fn title(self) -> &'static str {
        match self {
            Format::Argo => "Argo Rollouts",
            Format::K8s => "Kubernetes",
            Format::Flagger => "Flagger",
            Format::Codedeploy => "AWS CodeDeploy",
        }
    }
}

/// The annotation carrying the game time a release was applied (a GitOps sync).
pub const APPLIED_AT: &str = "zerodown.dev/applied-at";
/// The container port the app listens on.
const PORT: i64 = 8080;
/// The readiness path of a shallow check, and of a deep one (it touches the database).
pub const SHALLOW_PATH: &str = "/healthz";
pub const DEEP_PATH: &str = "/readyz?check=db";
/// Where the metrics live (the queries are Prometheus's).
const PROMETHEUS: &str = "http://prometheus.monitoring:9090";

/// One document and the comment lines before it.
struct Piece {
    comments: Vec<String>,
    doc: Doc,
}

/// `play` as `format`, a whole file: a header, then every release's documents.
pub fn export(play: &Play, format: Format, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {title} as {} config.", format.title());
    let _ = writeln!(
        out,
        "# Written by zerodown from a run of the game. Each release is a set of documents,\n# in the order started, with the game time it was applied ({APPLIED_AT})."
    );
    if play.releases.is_empty() {
        out.push_str("#\n# This play started no rollout: there is no release to configure.\n");
    }
    let mut pieces = Vec::new();
    for (i, r) in play.releases.iter().enumerate() {
        let mut first = vec![format!(
            "release {} of {}: {} at {} ({}).",
            i + 1,
            play.releases.len(),
            r.version,
            clock(r.at.secs()),
            describe(&r.how)
        )];
        let mut docs = match format {
            Format::Argo => argo(&play.setup, r),
            Format::K8s => k8s(&play.setup, r),
            Format::Flagger => flagger(&play.setup, r),
            Format::Codedeploy => codedeploy(&play.setup, r),
        };
        if let Some(p) = docs.first_mut() {
            first.append(&mut p.comments);
            p.comments = first;
        }
        pieces.extend(docs);
    }
    for p in pieces {
        out.push_str("---\n");
        for c in &p.comments {
            for line in c.lines() {
                let _ = writeln!(out, "# {line}");
            }
        }
        out.push_str(&yaml(&p.doc));
    }
    if !play.by_hand.is_empty() {
        out.push_str("---\n");
        let _ = writeln!(
            out,
            "# Done by hand in the game (no field of {} says these; how teams do them there):",
            format.title()
        );
        for h in &play.by_hand {
            let _ = writeln!(
                out,
                "# {} {}: {}",
                clock(h.at.secs()),
                h.command,
                by_hand(h, &play.setup, format)
            );
        }
    }
    out
}

/// The YAML of one document (the structs serialise infallibly).
fn yaml(doc: &Doc) -> String {
    serde_saphyr::to_string(doc).unwrap_or_else(|e| format!("# (could not write: {e})\n"))
}

/// The strategy in a few words.
pub fn describe(how: &How) -> String {
    match how {
        How::Mirror(p) => format!("shadow: {p}% of requests mirrored"),
        How::Ship(s) => match s {
            Strategy::AllAtOnce => "all at once".into(),
            Strategy::Rolling { batch } => {
                format!("rolling in place, {} at a time", amount_text(*batch))
            }
            Strategy::Surge {
                surge, unavailable, ..
            } => format!(
                "rolling with surge {} and unavailable {}",
                amount_text(*surge),
                amount_text(*unavailable)
            ),
            Strategy::BlueGreen { switch_after } => match switch_after {
                Some(d) => format!("blue-green, switching after {d}"),
                None => "blue-green, switched by hand".into(),
            },
            Strategy::Canary {
                steps, interval, ..
            } => format!(
                "canary {} every {interval}",
                steps
                    .iter()
                    .map(|s| format!("{s}%"))
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
        },
    }
}

/// How teams do `h` in `format`.
fn by_hand(h: &ByHand, setup: &Setup, format: Format) -> String {
    let app = &setup.app;
    let verb = h.command.split_whitespace().next().unwrap_or("");
    match h.kind {
        HandKind::Operator => match (format, verb) {
            (Format::Argo, "promote") if h.command.contains("--full") => {
                format!("kubectl argo rollouts promote {app} --full")
            }
            (Format::Argo, "promote" | "switch") => format!("kubectl argo rollouts promote {app}"),
            (Format::Argo, "abort") => format!("kubectl argo rollouts abort {app}"),
            (Format::Argo, "retry") => format!("kubectl argo rollouts retry rollout {app}"),
            (Format::Argo, "rollback") => format!("kubectl argo rollouts undo {app}"),
            (Format::Argo, "pause") => format!("kubectl argo rollouts pause {app}"),
            (Format::Argo, "resume") => format!("kubectl argo rollouts promote {app} (resumes a paused rollout)"),
            (Format::Argo, "weight") => "no verb sets a weight: edit setWeight in the steps, or promote/abort".into(),
            (Format::Argo, "delete") => "scaleDownDelaySeconds removes the old ReplicaSet by itself".into(),
            (Format::K8s, "pause") => format!("kubectl rollout pause deployment/{app}"),
            (Format::K8s, "resume") => format!("kubectl rollout resume deployment/{app}"),
            (Format::K8s, "rollback" | "abort") => format!("kubectl rollout undo deployment/{app}"),
            (Format::K8s, "switch") => format!("kubectl patch service {app} -p '{{\"spec\":{{\"selector\":{{\"slot\":\"green\"}}}}}}' (or blue to go back)"),
            (Format::K8s, "delete") => format!("kubectl delete deployment {app}-blue"),
            (Format::Flagger, "rollback" | "abort") => "Flagger rolls back by itself when the checks fail; by hand: a `rollback` webhook, or revert the Deployment's image".into(),
            (Format::Flagger, "promote" | "switch") => "a `confirm-promotion` webhook gates this step; approve it".into(),
            (Format::Codedeploy, "rollback" | "abort") => "aws deploy stop-deployment --auto-rollback-enabled (a rollback is a new deployment of the last good revision)".into(),
            (Format::Codedeploy, "switch") => "aws deploy continue-deployment --deployment-wait-type READY_WAIT".into(),
            _ => "an operator's command on the running rollout".into(),
        },
        HandKind::Servers => match format {
            Format::Codedeploy => "deregister the instances from the target group (BeforeBlockTraffic), or a deployment to a single instance".into(),
            _ => format!("kubectl cordon/drain the node, or `kubectl delete pod` (scaling {app} by hand defeats the controller)"),
        },
        HandKind::Migration => match format {
            Format::Argo => "an Argo CD PreSync hook Job (annotation argocd.argoproj.io/hook: PreSync) runs the migration before the rollout".into(),
            Format::K8s => "a Job (or Helm pre-upgrade hook) runs the migration before the Deployment changes".into(),
            Format::Flagger => "a Flagger `pre-rollout` webhook runs the migration before traffic shifts".into(),
            Format::Codedeploy => "the appspec's BeforeInstall hook runs the migration script".into(),
        },
        HandKind::Sessions => "app configuration: sessions in a shared store (Redis) instead of each server's memory; no rollout field".into(),
        HandKind::Pipeline => "the CI/CD pipeline (staging, then production): outside the rollout resource".into(),
        HandKind::MirrorOff => match format {
            Format::Codedeploy => "no mirroring in CodeDeploy".into(),
            _ => "remove the mirror from the VirtualService".into(),
        },
        HandKind::Setting => "changed while a release ran: a new revision of this config".into(),
    }
}

fn labels(app: &str) -> std::collections::BTreeMap<String, String> {
    [("app".to_string(), app.to_string())].into()
}

fn meta(name: &str, app: &str, at: Option<Dur>) -> Metadata {
    Metadata {
        name: Some(name.to_string()),
        labels: labels(app),
        annotations: at
            .map(|d| [(APPLIED_AT.to_string(), format!("{}s", num(d.secs())))].into())
            .unwrap_or_default(),
        ..Metadata::default()
    }
}

fn probe(path: &str, period: Dur, failures: u32, successes: u32) -> Probe {
    Probe {
        http_get: Some(HttpGet {
            path: Some(path.to_string()),
            port: Some(IntOrString::Int(PORT)),
        }),
        period_seconds: Some(secs(period)),
        failure_threshold: Some(i64::from(failures)),
        success_threshold: Some(i64::from(successes)),
        ..Probe::default()
    }
}

fn secs(d: Dur) -> i64 {
    int(d.millis() / 1000)
}

/// A count as the YAML's integer (every count here is far below `i64::MAX`).
fn int(x: u64) -> i64 {
    i64::try_from(x).unwrap_or(i64::MAX)
}

/// Whole minutes, at least one.
fn minutes(d: Dur) -> i64 {
    int((d.millis() / 60_000).max(1))
}

/// The pod template: the image, and the health checks as probes.
fn template(setup: &Setup, r: &Release) -> PodTemplate {
    let h = &r.health;
    let path = if is_deep(h) { DEEP_PATH } else { SHALLOW_PATH };
    PodTemplate {
        metadata: Some(Metadata {
            labels: labels(&setup.app),
            ..Metadata::default()
        }),
        spec: Some(PodSpec {
            termination_grace_period_seconds: Some(secs(setup.drain)),
            containers: vec![Container {
                name: Some(setup.app.clone()),
                image: Some(format!("registry.example.com/{}:{}", setup.app, r.version)),
                ports: Some(vec![ContainerPort {
                    container_port: PORT,
                }]),
                env: None,
                readiness_probe: Some(probe(
                    path,
                    h.period,
                    h.failure_threshold,
                    h.success_threshold,
                )),
                liveness_probe: h
                    .liveness
                    .as_ref()
                    .map(|l| probe("/livez", l.period, l.failure_threshold, 1)),
                startup_probe: h
                    .startup
                    .then(|| probe("/startupz", Dur::from_secs(2), 30, 1)),
            }],
        }),
    }
}

fn int_or(a: Amount) -> IntOrString {
    match a {
        Amount::Count(n) => IntOrString::Int(i64::from(n)),
        Amount::Percent(p) => IntOrString::String(format!("{p}%")),
    }
}

fn doc(api: &str, kind: &str, metadata: Metadata, spec: Spec) -> Doc {
    Doc {
        api_version: Some(api.to_string()),
        kind: Some(kind.to_string()),
        metadata: Some(metadata),
        spec: Some(spec),
        ..Doc::default()
    }
}

fn workload_spec(setup: &Setup, r: &Release) -> Spec {
    Spec {
        replicas: Some(i64::from(setup.replicas)),
        progress_deadline_seconds: Some(secs(setup.progress_deadline)),
        selector: Some(Selector {
            match_labels: labels(&setup.app),
        }),
        template: Some(template(setup, r)),
        min_ready_seconds: match &r.how {
            How::Ship(Strategy::Surge { min_ready, .. }) if *min_ready > Dur::default() => {
                Some(secs(*min_ready))
            }
            _ => None,
        },
        ..Spec::default()
    }
}

/// A Service (sticky when the play is).
fn service(setup: &Setup, name: &str, sticky: bool) -> Doc {
    doc(
        "v1",
        "Service",
        meta(name, &setup.app, None),
        Spec {
            selector: Some(Selector {
                match_labels: labels(&setup.app),
            }),
            ports: Some(vec![ServicePort {
                port: 80,
                target_port: Some(IntOrString::Int(PORT)),
            }]),
            session_affinity: sticky.then(|| "ClientIP".to_string()),
            session_affinity_config: sticky.then_some(SessionAffinityConfig {
                client_ip: Some(ClientIp {
                    timeout_seconds: Some(10_800),
                }),
            }),
            ..Spec::default()
        },
    )
}

/// The label selector of one version's requests, in a query.
fn selector(app: &str, scoped: bool) -> String {
    if scoped {
        format!("app=\"{app}\",version=\"{{{{args.version}}}}\"")
    } else {
        format!("app=\"{app}\"")
    }
}

/// The Prometheus query of a metric, and how a game value becomes the query's unit.
pub fn query(metric: Metric, app: &str, scoped: bool) -> (String, f64) {
    let sel = selector(app, scoped);
    match metric {
        Metric::ErrorRate => (
            format!(
                "sum(rate(http_requests_total{{{sel},code=~\"5..\"}}[1m])) / sum(rate(http_requests_total{{{sel}}}[1m]))"
            ),
            0.01,
        ),
        Metric::P50 | Metric::P95 | Metric::P99 => {
            let q = match metric {
                Metric::P50 => "0.5",
                Metric::P95 => "0.95",
                _ => "0.99",
            };
            (
                format!(
                    "histogram_quantile({q}, sum(rate(http_request_duration_seconds_bucket{{{sel}}}[1m])) by (le))"
                ),
                0.001,
            )
        }
        Metric::Cpu => (
            format!(
                "avg(rate(container_cpu_usage_seconds_total{{{sel}}}[1m])) / avg(kube_pod_container_resource_limits{{{sel},resource=\"cpu\"}})"
            ),
            0.01,
        ),
        Metric::Mem => (
            format!(
                "max(container_memory_working_set_bytes{{{sel}}}) / max(kube_pod_container_resource_limits{{{sel},resource=\"memory\"}})"
            ),
            0.01,
        ),
        Metric::SessionsLost => (
            format!("sum(increase(sessions_lost_total{{{sel}}}[1m]))"),
            1.0,
        ),
    }
}

/// A metric's name in an AnalysisTemplate.
pub fn metric_name(metric: Metric) -> &'static str {
    match metric {
        Metric::ErrorRate => "error-rate",
        Metric::P50 => "p50",
        Metric::P95 => "p95",
        Metric::P99 => "p99",
        Metric::Cpu => "cpu",
        Metric::Mem => "memory",
        Metric::SessionsLost => "sessions-lost",
    }
}

/// A number as a condition writes it: no trailing zeros.
fn num(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A guard's `for` as an Argo measurement cadence: `failureLimit` failed measurements
/// after the first, `interval` apart, span the `for` (a measurement every 10 s; every
/// second under 10 s). Argo fails the run at the `failureLimit + 1`-th failure.
pub fn cadence(for_: Dur) -> (Dur, i64) {
    let s = for_.millis() / 1000;
    if s < 10 {
        (Dur::from_secs(1), int(s))
    } else {
        (Dur::from_secs(10), int(s / 10))
    }
}

/// A guard as an Argo metric.
fn argo_metric(g: &Guard, app: &str) -> YMetric {
    let (q, unit) = query(g.metric, app, g.scoped);
    let line = num(g.value * unit);
    let (interval, limit) = cadence(g.for_);
    let op = op_text(g.op);
    let (success, failure) = match g.action {
        // Neither passes nor fails past the line: the run is Inconclusive, the rollout pauses.
        GuardAction::Pause => (
            Some(format!("result[0] {} {line}", op_text(negate(g.op)))),
            Some("false".to_string()),
        ),
        GuardAction::Abort | GuardAction::Rollback => {
            (None, Some(format!("result[0] {op} {line}")))
        }
    };
    YMetric {
        name: metric_name(g.metric).to_string(),
        interval: Some(IntOrString::String(interval.to_string())),
        success_condition: success,
        failure_condition: failure,
        failure_limit: Some(limit),
        inconclusive_limit: (g.action == GuardAction::Pause).then_some(0),
        provider: Some(Provider {
            prometheus: Some(Prometheus {
                address: Some(PROMETHEUS.to_string()),
                query: Some(q),
            }),
        }),
        ..YMetric::default()
    }
}

pub fn op_text(op: Op) -> &'static str {
    match op {
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Lt => "<",
        Op::Le => "<=",
    }
}

pub fn negate(op: Op) -> Op {
    match op {
        Op::Gt => Op::Le,
        Op::Ge => Op::Lt,
        Op::Lt => Op::Ge,
        Op::Le => Op::Gt,
    }
}

/// The canary analysis: the canary against a baseline of its size, as Argo metrics.
fn baseline_metrics(app: &str, interval: Dur, limit: u32, initial_delay: Dur) -> Vec<YMetric> {
    let sel = |who: &str| format!("app=\"{app}\",role=\"{who}\"");
    let both = |name: &str, q: String, cond: &str| YMetric {
        name: name.to_string(),
        interval: Some(IntOrString::String(interval.to_string())),
        initial_delay: (initial_delay > Dur::default())
            .then(|| IntOrString::String(initial_delay.to_string())),
        failure_condition: Some(cond.to_string()),
        failure_limit: Some(i64::from(limit)),
        provider: Some(Provider {
            prometheus: Some(Prometheus {
                address: Some(PROMETHEUS.to_string()),
                query: Some(q),
            }),
        }),
        ..YMetric::default()
    };
    let errors = |who: &str| {
        format!(
            "(sum(rate(http_requests_total{{{s},code=~\"5..\"}}[{interval}])) / sum(rate(http_requests_total{{{s}}}[{interval}])))",
            s = sel(who)
        )
    };
    let p99 = |who: &str| {
        format!(
            "histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{{{s}}}[{interval}])) by (le))",
            s = sel(who)
        )
    };
    vec![
        both(
            "errors-vs-baseline",
            format!("{} - {}", errors("canary"), errors("baseline")),
            "result[0] > 0.01",
        ),
        both(
            "p99-vs-baseline",
            format!("{} / {}", p99("canary"), p99("baseline")),
            "result[0] > 1.25",
        ),
    ]
}

fn argo(setup: &Setup, r: &Release) -> Vec<Piece> {
    let app = &setup.app;
    let template_name = format!("{app}-{}-analysis", r.version);
    let mut comments = Vec::new();
    let mut metrics: Vec<YMetric> = r.guards.iter().map(|g| argo_metric(g, app)).collect();
    let uses_template = |metrics: &Vec<YMetric>| {
        (!metrics.is_empty()).then(|| RolloutAnalysis {
            templates: vec![TemplateRef {
                template_name: Some(template_name.clone()),
                cluster_scope: None,
            }],
            args: Some(vec![Arg {
                name: "version".into(),
                value: Some(r.version.clone()),
            }]),
            starting_step: None,
        })
    };
    if r.guards.iter().any(|g| g.action == GuardAction::Rollback) {
        comments.push("A failed analysis aborts the rollout: traffic goes back to the stable pods (the game's `rollback` guard).".into());
    }
    let strategy = match &r.how {
        How::Mirror(p) => {
            let mut pieces = vec![Piece {
                comments: vec![format!(
                    "A shadow is an Istio mirror, no Rollout: {p}% of requests also go to {}; its answers are discarded.",
                    r.version
                )],
                doc: mirror(setup, &r.version, *p, Some(r.at)),
            }];
            if r.sticky {
                pieces.push(Piece {
                    comments: vec![],
                    doc: service(setup, app, true),
                });
            }
            return pieces;
        }
        How::Ship(s) => s,
    };
    let ystrategy = match strategy {
        Strategy::AllAtOnce => {
            comments.push(
                "All at once: every pod replaced together (a Deployment's `Recreate`).".into(),
            );
            YStrategy {
                canary: Some(Canary {
                    max_surge: Some(IntOrString::Int(0)),
                    max_unavailable: Some(IntOrString::String("100%".into())),
                    analysis: uses_template(&metrics),
                    ..Canary::default()
                }),
                ..YStrategy::default()
            }
        }
        Strategy::Rolling { batch } => YStrategy {
            canary: Some(Canary {
                max_surge: Some(IntOrString::Int(0)),
                max_unavailable: Some(int_or(*batch)),
                analysis: uses_template(&metrics),
                ..Canary::default()
            }),
            ..YStrategy::default()
        },
        Strategy::Surge {
            surge, unavailable, ..
        } => YStrategy {
            canary: Some(Canary {
                max_surge: Some(int_or(*surge)),
                max_unavailable: Some(int_or(*unavailable)),
                analysis: uses_template(&metrics),
                ..Canary::default()
            }),
            ..YStrategy::default()
        },
        Strategy::BlueGreen { switch_after } => {
            if switch_after.is_none() {
                comments.push("You switched by hand: `kubectl argo rollouts promote` moves the active Service.".into());
            }
            YStrategy {
                blue_green: Some(BlueGreen {
                    active_service: Some(format!("{app}-active")),
                    preview_service: Some(format!("{app}-preview")),
                    auto_promotion_enabled: switch_after.is_none().then_some(false),
                    auto_promotion_seconds: switch_after.map(secs),
                    scale_down_delay_seconds: Some(secs(setup.scale_down_delay)),
                    post_promotion_analysis: uses_template(&metrics),
                    ..BlueGreen::default()
                }),
                ..YStrategy::default()
            }
        }
        Strategy::Canary {
            steps,
            interval,
            analysis,
            limit,
            initial_delay,
        } => {
            if *analysis {
                metrics.extend(baseline_metrics(app, *interval, *limit, *initial_delay));
                comments.push("The analysis compares the canary with a baseline of its size (metrics *-vs-baseline).".into());
            }
            let mut ysteps = Vec::new();
            for w in steps.iter().filter(|w| **w < 100) {
                ysteps.push(CanaryStep {
                    set_weight: Some(i64::from(*w)),
                    ..CanaryStep::default()
                });
                ysteps.push(CanaryStep {
                    pause: Some(Pause {
                        duration: Some(IntOrString::String(interval.to_string())),
                    }),
                    ..CanaryStep::default()
                });
            }
            let routing = setup.balancer == Balancer::Weighted;
            if !routing {
                comments.push("No trafficRouting: the weight is approximated by pod counts (the game's server-count balancer).".into());
            }
            YStrategy {
                canary: Some(Canary {
                    canary_service: routing.then(|| format!("{app}-canary")),
                    stable_service: routing.then(|| format!("{app}-stable")),
                    traffic_routing: routing.then(|| TrafficRouting {
                        istio: Some(IstioRouting {
                            virtual_service: Some(NamedRoutes {
                                name: app.clone(),
                                routes: vec!["primary".into()],
                            }),
                        }),
                        ..TrafficRouting::default()
                    }),
                    analysis: uses_template(&metrics),
                    steps: Some(ysteps),
                    ..Canary::default()
                }),
                ..YStrategy::default()
            }
        }
    };
    let mut spec = workload_spec(setup, r);
    spec.strategy = Some(ystrategy);
    let mut pieces = vec![Piece {
        comments,
        doc: doc(
            "argoproj.io/v1alpha1",
            "Rollout",
            meta(app, app, Some(r.at)),
            spec,
        ),
    }];
    if !metrics.is_empty() {
        pieces.push(Piece {
            comments: vec![],
            doc: doc(
                "argoproj.io/v1alpha1",
                "AnalysisTemplate",
                meta(&template_name, app, None),
                Spec {
                    args: Some(vec![Arg {
                        name: "version".into(),
                        value: None,
                    }]),
                    metrics: Some(metrics),
                    ..Spec::default()
                },
            ),
        });
    }
    if r.sticky {
        pieces.push(Piece {
            comments: vec!["Sticky sessions: the Service pins each client to one pod.".into()],
            doc: service(setup, app, true),
        });
    }
    pieces
}

/// An Istio VirtualService mirroring `percent` of requests to `version`.
fn mirror(setup: &Setup, version: &str, percent: u32, at: Option<Dur>) -> Doc {
    let app = &setup.app;
    doc(
        "networking.istio.io/v1",
        "VirtualService",
        meta(app, app, at),
        Spec {
            hosts: Some(vec![app.clone()]),
            http: Some(vec![HttpRoute {
                name: Some("primary".into()),
                route: vec![RouteDestination {
                    destination: Destination {
                        host: app.clone(),
                        subset: Some("stable".into()),
                    },
                    weight: Some(100),
                }],
                mirror: Some(Destination {
                    host: app.clone(),
                    subset: Some(version.to_string()),
                }),
                mirror_percentage: Some(Percentage {
                    value: f64::from(percent),
                }),
            }]),
            ..Spec::default()
        },
    )
}

fn guard_comments(r: &Release, there: &str) -> Vec<String> {
    r.guards
        .iter()
        .map(|g| {
            format!(
                "guard {}: {there}",
                g.command(&r.version)
                    .to_string()
                    .trim_start_matches("guard ")
            )
        })
        .collect()
}

fn k8s(setup: &Setup, r: &Release) -> Vec<Piece> {
    let app = &setup.app;
    let mut comments = guard_comments(
        r,
        "a plain Deployment has no analysis (probes only); alert on it and `kubectl rollout undo`",
    );
    let strategy = match &r.how {
        How::Mirror(p) => {
            return vec![Piece {
                comments: vec![format!(
                    "A shadow is an Istio mirror: {p}% of requests also go to {}.",
                    r.version
                )],
                doc: mirror(setup, &r.version, *p, Some(r.at)),
            }];
        }
        How::Ship(s) => s,
    };
    let (name, ys) = match strategy {
        Strategy::AllAtOnce => (
            app.clone(),
            YStrategy {
                type_: Some("Recreate".into()),
                ..YStrategy::default()
            },
        ),
        Strategy::Rolling { batch } => (app.clone(), rolling(Amount::Count(0), *batch)),
        Strategy::Surge {
            surge, unavailable, ..
        } => (app.clone(), rolling(*surge, *unavailable)),
        Strategy::BlueGreen { .. } => {
            comments.push(format!(
                "Kubernetes has no blue-green: a second Deployment ({app}-green) beside the old one, then the Service's selector is switched (`kubectl patch service`)."
            ));
            (
                format!("{app}-green"),
                rolling(Amount::Percent(25), Amount::Percent(25)),
            )
        }
        Strategy::Canary {
            steps, interval, ..
        } => {
            comments.push(format!(
                "Kubernetes cannot pause at weights ({} every {interval}): this is the rolling update a Deployment does instead. Use Argo Rollouts or Flagger for a canary.",
                steps.iter().map(|s| format!("{s}%")).collect::<Vec<_>>().join(", ")
            ));
            (app.clone(), rolling(Amount::Percent(25), Amount::Count(0)))
        }
    };
    let mut spec = workload_spec(setup, r);
    spec.strategy = Some(ys);
    let mut pieces = vec![Piece {
        comments,
        doc: doc("apps/v1", "Deployment", meta(&name, app, Some(r.at)), spec),
    }];
    if r.sticky {
        pieces.push(Piece {
            comments: vec!["Sticky sessions: the Service pins each client to one pod.".into()],
            doc: service(setup, app, true),
        });
    }
    pieces
}

fn rolling(surge: Amount, unavailable: Amount) -> YStrategy {
    YStrategy {
        type_: Some("RollingUpdate".into()),
        rolling_update: Some(RollingUpdate {
            max_surge: Some(int_or(surge)),
            max_unavailable: Some(int_or(unavailable)),
        }),
        ..YStrategy::default()
    }
}

/// A guard as a Flagger metric: the built-ins for error rate and p99, a MetricTemplate
/// for the rest. `None`: a guard Flagger's checks cannot say (a lower bound).
fn flagger_metric(g: &Guard, interval: &str) -> FlaggerMetric {
    let (name, range) = match g.metric {
        Metric::ErrorRate => (
            "request-success-rate".to_string(),
            ThresholdRange {
                min: Some(100.0 - g.value),
                max: None,
            },
        ),
        Metric::P99 => (
            "request-duration".to_string(),
            ThresholdRange {
                min: None,
                max: Some(g.value),
            },
        ),
        other => (
            metric_name(other).to_string(),
            ThresholdRange {
                min: None,
                max: Some(g.value),
            },
        ),
    };
    let custom = !matches!(g.metric, Metric::ErrorRate | Metric::P99);
    FlaggerMetric {
        template_ref: custom.then(|| TemplateName { name: name.clone() }),
        name,
        interval: Some(interval.to_string()),
        threshold_range: Some(range),
    }
}

fn flagger(setup: &Setup, r: &Release) -> Vec<Piece> {
    let app = &setup.app;
    let deployment = |comments: Vec<String>| {
        let mut spec = workload_spec(setup, r);
        spec.strategy = Some(rolling(Amount::Percent(25), Amount::Percent(25)));
        Piece {
            comments,
            doc: doc("apps/v1", "Deployment", meta(app, app, Some(r.at)), spec),
        }
    };
    let mut analysis = FlaggerAnalysis {
        session_affinity: r.sticky.then(|| CookieAffinity {
            cookie_name: Some("flagger-cookie".into()),
            max_age: Some(21_600),
        }),
        ..FlaggerAnalysis::default()
    };
    let mut comments = Vec::new();
    let interval;
    match &r.how {
        How::Mirror(p) => {
            interval = Dur::from_secs(60);
            analysis.mirror = Some(true);
            analysis.mirror_weight = Some(i64::from(*p));
            analysis.iterations = Some(10);
            comments.push("A shadow: Flagger mirrors traffic to the canary during its iterations (Istio), then promotes; the game's shadow never ships by itself.".into());
        }
        How::Ship(Strategy::Canary {
            steps,
            interval: every,
            analysis: compare,
            limit,
            ..
        }) => {
            interval = *every;
            let below: Vec<i64> = steps
                .iter()
                .filter(|w| **w < 100)
                .map(|w| i64::from(*w))
                .collect();
            analysis.max_weight = below.last().copied();
            analysis.step_weights = Some(below);
            analysis.threshold = Some(i64::from(*limit) + 1);
            if *compare {
                comments.push("Flagger's checks are absolute lines, not a comparison with a baseline: the game's analysis is written as a success rate of at least 99% and a p99 under 1 s.".into());
            }
            let mut metrics: Vec<FlaggerMetric> = r
                .guards
                .iter()
                .map(|g| flagger_metric(g, &every.to_string()))
                .collect();
            if *compare {
                metrics.push(flagger_metric(
                    &Guard {
                        metric: Metric::ErrorRate,
                        op: Op::Gt,
                        value: 1.0,
                        for_: Dur::default(),
                        scoped: true,
                        action: GuardAction::Abort,
                    },
                    &every.to_string(),
                ));
                metrics.push(flagger_metric(
                    &Guard {
                        metric: Metric::P99,
                        op: Op::Gt,
                        value: 1000.0,
                        for_: Dur::default(),
                        scoped: true,
                        action: GuardAction::Abort,
                    },
                    &every.to_string(),
                ));
            }
            analysis.metrics = Some(metrics);
        }
        How::Ship(Strategy::BlueGreen { switch_after }) => {
            interval = Dur::from_secs(30);
            let after = switch_after.unwrap_or(Dur::from_secs(60));
            analysis.iterations = Some(int((after.millis() / 1000 / 30).max(1)));
            analysis.threshold = Some(1);
            if switch_after.is_none() {
                analysis.webhooks = Some(vec![super::yaml::Webhook {
                    name: "switch-by-hand".into(),
                    type_: Some("confirm-promotion".into()),
                    url: Some("http://flagger-loadtester.test/gate/check".into()),
                }]);
                comments.push("You switched by hand: a confirm-promotion webhook holds the switch until someone approves.".into());
            }
            let metrics: Vec<FlaggerMetric> =
                r.guards.iter().map(|g| flagger_metric(g, "30s")).collect();
            analysis.metrics = (!metrics.is_empty()).then_some(metrics);
        }
        How::Ship(_) => {
            let mut c = vec!["Flagger drives canary, A/B and blue-green releases only: a rolling update stays the Deployment's own (below), with no Canary resource.".into()];
            c.extend(guard_comments(
                r,
                "no Flagger analysis runs on a rolling update; alert on it",
            ));
            let mut piece = deployment(c);
            if let Some(Doc {
                spec: Some(spec), ..
            }) = Some(&mut piece.doc)
            {
                spec.strategy = match &r.how {
                    How::Ship(Strategy::AllAtOnce) => Some(YStrategy {
                        type_: Some("Recreate".into()),
                        ..YStrategy::default()
                    }),
                    How::Ship(Strategy::Rolling { batch }) => {
                        Some(rolling(Amount::Count(0), *batch))
                    }
                    How::Ship(Strategy::Surge {
                        surge, unavailable, ..
                    }) => Some(rolling(*surge, *unavailable)),
                    _ => spec.strategy.take(),
                };
            }
            return vec![piece];
        }
    }
    analysis.interval = Some(interval.to_string());
    let canary = doc(
        "flagger.app/v1beta1",
        "Canary",
        meta(app, app, Some(r.at)),
        Spec {
            target_ref: Some(TargetRef {
                api_version: Some("apps/v1".into()),
                kind: Some("Deployment".into()),
                name: Some(app.clone()),
            }),
            progress_deadline_seconds: Some(secs(setup.progress_deadline)),
            service: Some(FlaggerService {
                port: Some(80),
                target_port: Some(IntOrString::Int(PORT)),
            }),
            analysis: Some(analysis),
            ..Spec::default()
        },
    );
    vec![
        deployment(vec![format!(
            "The Deployment Flagger drives (image {}).",
            r.version
        )]),
        Piece {
            comments,
            doc: canary,
        },
    ]
}

fn codedeploy(setup: &Setup, r: &Release) -> Vec<Piece> {
    let app = &setup.app;
    let n = i64::from(setup.replicas);
    let mut comments = Vec::new();
    let mut config = Doc {
        deployment_config_name: Some(format!("{app}-{}", r.version)),
        compute_platform: Some("Server".into()),
        ..Doc::default()
    };
    let mut group = Doc {
        application_name: Some(app.clone()),
        deployment_group_name: Some(format!("{app}-production")),
        deployment_config_name: config.deployment_config_name.clone(),
        load_balancer_info: Some(LoadBalancerInfo {
            target_group_info_list: vec![TargetGroup {
                name: format!("{app}-tg"),
            }],
        }),
        deployment_style: Some(DeploymentStyle {
            deployment_type: Some("IN_PLACE".into()),
            deployment_option: Some("WITH_TRAFFIC_CONTROL".into()),
        }),
        ..Doc::default()
    };
    let healthy = |a: Amount| match a {
        Amount::Count(b) => MinimumHealthyHosts {
            type_: "HOST_COUNT".into(),
            value: (n - i64::from(b)).max(0),
        },
        Amount::Percent(p) => MinimumHealthyHosts {
            type_: "FLEET_PERCENT".into(),
            value: 100 - i64::from(p),
        },
    };
    match &r.how {
        How::Mirror(_) => {
            return vec![Piece {
                comments: vec![format!(
                    "CodeDeploy has no mirroring: a shadow of {} is a service mesh's (App Mesh, Istio) or a replay tool's job.",
                    r.version
                )],
                doc: Doc {
                    application_name: Some(app.clone()),
                    ..Doc::default()
                },
            }];
        }
        How::Ship(Strategy::AllAtOnce) => {
            config.minimum_healthy_hosts = Some(MinimumHealthyHosts {
                type_: "HOST_COUNT".into(),
                value: 0,
            });
            comments.push("All at once (CodeDeployDefault.AllAtOnce).".into());
        }
        How::Ship(Strategy::Rolling { batch }) => {
            config.minimum_healthy_hosts = Some(healthy(*batch));
        }
        How::Ship(Strategy::Surge { unavailable, .. }) => {
            comments.push("In-place deployments have no surge (no extra instances): the instances are updated in batches of the unavailable share; a blue/green deployment adds capacity instead.".into());
            let batch = match unavailable {
                Amount::Count(0) | Amount::Percent(0) => Amount::Count(1),
                other => *other,
            };
            config.minimum_healthy_hosts = Some(healthy(batch));
        }
        How::Ship(Strategy::BlueGreen { switch_after }) => {
            // The replacement fleet gets the release all at once; the switch is the group's.
            config.deployment_config_name = Some("CodeDeployDefault.AllAtOnce".into());
            group
                .deployment_config_name
                .clone_from(&config.deployment_config_name);
            config.compute_platform = None;
            group.deployment_style = Some(DeploymentStyle {
                deployment_type: Some("BLUE_GREEN".into()),
                deployment_option: Some("WITH_TRAFFIC_CONTROL".into()),
            });
            group.blue_green_deployment_configuration = Some(BlueGreenDeploymentConfiguration {
                terminate_blue_instances_on_deployment_success: Some(TerminateBlue {
                    action: Some("TERMINATE".into()),
                    termination_wait_time_in_minutes: Some(minutes(setup.scale_down_delay)),
                }),
                deployment_ready_option: Some(ReadyOption {
                    action_on_timeout: Some(if switch_after.is_some() {
                        "CONTINUE_DEPLOYMENT".into()
                    } else {
                        "STOP_DEPLOYMENT".into()
                    }),
                    wait_time_in_minutes: Some(
                        switch_after.map_or(60, |d| int(d.millis() / 60_000)),
                    ),
                }),
            });
            if switch_after.is_none() {
                comments.push("You switched by hand: STOP_DEPLOYMENT waits for `aws deploy continue-deployment`.".into());
            }
        }
        How::Ship(Strategy::Canary {
            steps, interval, ..
        }) => {
            config.compute_platform = Some("ECS".into());
            config.traffic_routing_config = Some(TrafficRoutingConfig {
                type_: "TimeBasedCanary".into(),
                time_based_canary: Some(TimeBased {
                    canary_percentage: steps.first().map(|w| i64::from(*w)),
                    canary_interval: Some(minutes(*interval)),
                }),
                time_based_linear: None,
            });
            comments.push(format!(
                "Traffic-weighted canaries are CodeDeploy's for ECS and Lambda only (EC2 deploys in place). A TimeBasedCanary has one step: {}% for {} minute(s), then everything; the game's further steps ({}) have no field.",
                steps.first().copied().unwrap_or(0),
                ((interval.millis() / 60_000).max(1)),
                steps.iter().skip(1).map(|s| format!("{s}%")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let alarms: Vec<Doc> = r
        .guards
        .iter()
        .enumerate()
        .map(|(i, g)| alarm(app, &r.version, i, g))
        .collect();
    if !alarms.is_empty() {
        group.alarm_configuration = Some(AlarmConfiguration {
            enabled: true,
            alarms: alarms
                .iter()
                .filter_map(|a| a.alarm_name.clone())
                .map(|name| AlarmRef { name })
                .collect(),
            ignore_poll_alarm_failure: Some(false),
        });
    }
    group.auto_rollback_configuration = Some(AutoRollbackConfiguration {
        enabled: true,
        events: if alarms.is_empty() {
            vec!["DEPLOYMENT_FAILURE".into()]
        } else {
            vec![
                "DEPLOYMENT_FAILURE".into(),
                "DEPLOYMENT_STOP_ON_ALARM".into(),
            ]
        },
    });
    if r.sticky {
        comments.push("Sticky sessions: the target group's `stickiness.enabled` attribute (lb_cookie), not a CodeDeploy field.".into());
    }
    if r.health.startup || is_deep(&r.health) {
        comments.push(format!(
            "Health: the appspec's ValidateService hook calls {} before the instance takes traffic.",
            if is_deep(&r.health) { DEEP_PATH } else { SHALLOW_PATH }
        ));
    }
    comments.push(format!(
        "The target group's health check: {} every {}, unhealthy after {} failures.",
        if is_deep(&r.health) {
            DEEP_PATH
        } else {
            SHALLOW_PATH
        },
        r.health.period,
        r.health.failure_threshold
    ));
    let group_note = format!("The deployment group (applied at {}s).", num(r.at.secs()));
    // A predefined configuration (blue/green's AllAtOnce) is named, not created.
    let mut out =
        if config.minimum_healthy_hosts.is_none() && config.traffic_routing_config.is_none() {
            comments.push(group_note);
            vec![Piece {
                comments,
                doc: group,
            }]
        } else {
            vec![
                Piece {
                    comments,
                    doc: config,
                },
                Piece {
                    comments: vec![group_note],
                    doc: group,
                },
            ]
        };
    out.extend(alarms.into_iter().map(|doc| Piece {
        comments: vec![],
        doc,
    }));
    out
}

/// A guard as a CloudWatch alarm (`put-metric-alarm` input).
fn alarm(app: &str, version: &str, i: usize, g: &Guard) -> Doc {
    let (metric, stat, ext, value) = match g.metric {
        Metric::ErrorRate => ("HTTPCode_Target_5XX_Rate", Some("Average"), None, g.value),
        Metric::P50 => ("TargetResponseTime", None, Some("p50"), g.value / 1000.0),
        Metric::P95 => ("TargetResponseTime", None, Some("p95"), g.value / 1000.0),
        Metric::P99 => ("TargetResponseTime", None, Some("p99"), g.value / 1000.0),
        Metric::Cpu => ("CPUUtilization", Some("Average"), None, g.value),
        Metric::Mem => ("mem_used_percent", Some("Maximum"), None, g.value),
        Metric::SessionsLost => ("SessionsLost", Some("Sum"), None, g.value),
    };
    let period = 10u64;
    let evals = (g.for_.millis() / 1000 / period).max(1);
    Doc {
        alarm_name: Some(format!(
            "{app}-{version}-{}-{}",
            metric_name(g.metric),
            i + 1
        )),
        metric_name: Some(metric.into()),
        namespace: Some(if matches!(g.metric, Metric::Mem | Metric::SessionsLost) {
            "CWAgent".into()
        } else {
            "AWS/ApplicationELB".into()
        }),
        statistic: stat.map(str::to_string),
        extended_statistic: ext.map(str::to_string),
        period: Some(period),
        evaluation_periods: Some(evals),
        threshold: Some(value),
        comparison_operator: Some(
            match g.op {
                Op::Gt => "GreaterThanThreshold",
                Op::Ge => "GreaterThanOrEqualToThreshold",
                Op::Lt => "LessThanThreshold",
                Op::Le => "LessThanOrEqualToThreshold",
            }
            .into(),
        ),
        ..Doc::default()
    }
}
