//! Real configuration read back into a `Play`: a Kubernetes `Deployment`, an Argo
//! `Rollout` (with its `AnalysisTemplate`s in the file or beside it), a Flagger `Canary`
//! (with the `Deployment` it drives), or an AWS CodeDeploy deployment configuration and
//! group with their CloudWatch alarms (JSON or YAML).
//!
//! Every field is read through the typed structs of `yaml`; a field they do not know is
//! listed with its line (serde_ignored reports it, the spanned key tree places it), never
//! ignored in silence. A field the game reads but cannot play exactly (a pause without a
//! duration, a custom metric) is listed too. Invalid input is one error with its line and
//! column. Every number read is bounded before the sim sees it.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::export::{APPLIED_AT, Format};
use super::play::{Guard, How, Play, Release, Setup};
use super::yaml::{Doc, IntOrString, Metric as YMetric, Probe, RolloutAnalysis, Spec};
use crate::command::{Amount, GuardAction, Metric, Op};
use crate::drill::plan::Strategy;
use crate::mission::{Balancer, CheckDepth, HealthCheck, Liveness, MAX_SERVERS, Sessions};
use crate::time::Dur;

/// The largest file read (a config is a few KB).
pub const MAX_BYTES: usize = 1 << 20;
/// The most documents in a file.
pub const MAX_DOCS: usize = 200;
/// The longest duration a config may say (a day): keeps the sim's arithmetic in range.
pub const MAX_DURATION: Dur = Dur::from_secs(24 * 3600);
/// Fleet size when the config does not say (CodeDeploy never does).
pub const DEFAULT_REPLICAS: u32 = 20;

/// Invalid input: where and what. `line`/`column` are 1-based (0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        }
    }
}

impl std::error::Error for ImportError {}

fn err(line: usize, column: usize, message: impl Into<String>) -> ImportError {
    ImportError {
        line,
        column,
        message: message.into(),
    }
}

/// A remark on the input: a field not read, or read only approximately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// 1-based (0: not tied to a line).
    pub line: usize,
    pub text: String,
}

/// What a file said, as a play, and the remarks on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub format: Format,
    pub play: Play,
    /// Unknown or unsupported fields, with their lines; approximations.
    pub notes: Vec<Note>,
    /// The config names its replicas (else `DEFAULT_REPLICAS` or the caller's fleet).
    pub replicas_given: bool,
}

/// A YAML node with its keys' positions: where a field the structs skip is.
#[derive(Debug)]
enum Node {
    Map(Vec<(Spanned<String>, Node)>),
    Seq(Vec<Node>),
    Leaf,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = m.next_key::<Spanned<KeyText>>()? {
                    let node = m.next_value::<Node>()?;
                    v.push((
                        Spanned {
                            value: k.value.0,
                            referenced: k.referenced,
                            defined: k.defined,
                        },
                        node,
                    ));
                }
                Ok(Node::Map(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(n) = s.next_element::<Node>()? {
                    v.push(n);
                }
                Ok(Node::Seq(v))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_string<E: de::Error>(self, _: String) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_none<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
        }
        d.deserialize_any(V)
    }
}

/// A mapping key as text, whatever scalar it was written as (`1: x`, `true: y`).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText("null".into()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A path segment: a key or an index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &serde_ignored::Path<'_>, out: &mut Vec<Seg>) {
    use serde_ignored::Path as P;
    match path {
        P::Root => {}
        P::Seq { parent, index } => {
            segments(parent, out);
            out.push(Seg::Index(*index));
        }
        P::Map { parent, key } => {
            segments(parent, out);
            out.push(Seg::Key(key.clone()));
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            segments(parent, out);
        }
    }
}

/// The line of the key at `path` in `node` (0: not found).
fn line_of(node: &Node, path: &[Seg]) -> usize {
    let mut here = node;
    let mut line = 0;
    for seg in path {
        match (here, seg) {
            (Node::Map(entries), Seg::Key(k)) => {
                let Some((key, next)) = entries.iter().find(|(key, _)| key.value == *k) else {
                    return line;
                };
                line = key.referenced.line() as usize;
                here = next;
            }
            (Node::Seq(items), Seg::Index(i)) => {
                let Some(next) = items.get(*i) else {
                    return line;
                };
                here = next;
            }
            _ => return line,
        }
    }
    line
}

fn dotted(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(&crate::defuse::shown(k));
            }
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// A serde-saphyr error as ours: its position and its first line without the prefix.
fn yaml_error(e: &serde_saphyr::Error) -> ImportError {
    let (line, column) = e
        .location()
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error:").unwrap_or(first).trim();
    // "line 3 column 5: …" → "…".
    let message = match first.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest,
        _ => first,
    };
    err(
        line.max(1),
        column.max(1),
        crate::defuse::defused_lines(message),
    )
}

/// The documents of a YAML stream: each one's text, padded with blank lines so that its
/// positions are the file's. A `---` or `...` at the start of a line separates them.
fn documents(text: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut lines_before = 0usize;
    let mut has_content = false;
    for (i, line) in text.split('\n').enumerate() {
        let marker = line == "---"
            || line.starts_with("--- ")
            || line.starts_with("---\t")
            || line == "---\r"
            || line.starts_with("...");
        if marker {
            if has_content {
                docs.push(std::mem::take(&mut current));
            }
            current.clear();
            has_content = false;
            lines_before = i + 1;
            // `--- {a: 1}`: content on the marker's line stays, after blanks for the marker.
            if let Some(rest) = line.strip_prefix("---")
                && !rest.trim().is_empty()
                && !rest.trim_start().starts_with('#')
            {
                current.push_str(&"\n".repeat(i));
                current.push_str("   ");
                current.push_str(rest);
                current.push('\n');
                has_content = true;
            }
            continue;
        }
        if current.is_empty() {
            current.push_str(&"\n".repeat(lines_before));
        }
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') && !t.starts_with('%') {
            has_content = true;
        }
        current.push_str(line);
        current.push('\n');
    }
    if has_content {
        docs.push(current);
    }
    docs
}

/// One document, typed, with its key tree and the fields the structs do not know.
struct Read {
    doc: Doc,
    tree: Node,
    line: usize,
}

fn read_doc(text: &str, notes: &mut Vec<Note>) -> Result<Read, ImportError> {
    let tree: Node = serde_saphyr::from_str(text).map_err(|e| yaml_error(&e))?;
    if !matches!(tree, Node::Map(_)) {
        let line = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) + 1;
        return Err(err(
            line,
            1,
            "expected a mapping (`kind: …`, `spec: …`), not a list or a single value",
        ));
    }
    let mut ignored: Vec<Vec<Seg>> = Vec::new();
    let doc: Doc = serde_saphyr::with_deserializer_from_str(text, |d| {
        serde_ignored::deserialize(d, |path| {
            let mut segs = Vec::new();
            segments(&path, &mut segs);
            ignored.push(segs);
        })
    })
    .map_err(|e| yaml_error(&e))?;
    for path in ignored {
        notes.push(Note {
            line: line_of(&tree, &path),
            text: format!(
                "`{}` is not read: the game has no counterpart",
                dotted(&path)
            ),
        });
    }
    let line = match &tree {
        Node::Map(entries) => entries
            .first()
            .map_or(1, |(k, _)| k.referenced.line() as usize),
        _ => 1,
    };
    Ok(Read { doc, tree, line })
}

/// Where a field is, for a note or an error: its key's line in this document.
fn at(read: &Read, path: &[&str]) -> usize {
    let segs: Vec<Seg> = path.iter().map(|k| Seg::Key((*k).to_string())).collect();
    match line_of(&read.tree, &segs) {
        0 => read.line,
        l => l,
    }
}

/// Reads a config file. `beside` finds an `AnalysisTemplate` the file names but does not
/// hold (the files next to it), returning its text and file name.
pub fn import(
    text: &str,
    beside: &dyn Fn(&str) -> Option<(String, String)>,
) -> Result<Imported, ImportError> {
    import_for(text, beside, None)
}

/// `import` for a fleet of `servers` (a CodeDeploy `HOST_COUNT` counts hosts of it; the
/// config's own replicas otherwise).
pub fn import_for(
    text: &str,
    beside: &dyn Fn(&str) -> Option<(String, String)>,
    servers: Option<u32>,
) -> Result<Imported, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(err(
            0,
            0,
            format!(
                "too large: {} bytes (a config is at most {MAX_BYTES})",
                text.len()
            ),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let texts = documents(text);
    if texts.len() > MAX_DOCS {
        return Err(err(
            0,
            0,
            format!("{} documents (at most {MAX_DOCS})", texts.len()),
        ));
    }
    if texts.is_empty() {
        return Err(err(
            1,
            1,
            "empty: no document (expected a Deployment, a Rollout, a Canary or a CodeDeploy configuration)",
        ));
    }
    let mut notes = Vec::new();
    let mut reads = Vec::new();
    for t in &texts {
        reads.push(read_doc(t, &mut notes)?);
    }
    let mut cx = Cx {
        reads,
        notes,
        beside,
        servers,
    };
    let imported = cx.interpret()?;
    Ok(imported)
}

struct Cx<'a> {
    reads: Vec<Read>,
    notes: Vec<Note>,
    beside: &'a dyn Fn(&str) -> Option<(String, String)>,
    /// The fleet asked for, if any.
    servers: Option<u32>,
}

fn kind_of(d: &Doc) -> &str {
    d.kind.as_deref().unwrap_or("")
}

impl Cx<'_> {
    fn note(&mut self, line: usize, text: impl Into<String>) {
        self.notes.push(Note {
            line,
            text: text.into(),
        });
    }

    fn interpret(&mut self) -> Result<Imported, ImportError> {
        let has = |k: &str| self.reads.iter().any(|r| kind_of(&r.doc) == k);
        let format = if has("Rollout") {
            Format::Argo
        } else if has("Canary") {
            Format::Flagger
        } else if has("Deployment") {
            Format::K8s
        } else if self.reads.iter().any(|r| {
            r.doc.deployment_config_name.is_some()
                || r.doc.minimum_healthy_hosts.is_some()
                || r.doc.deployment_group_name.is_some()
        }) {
            Format::Codedeploy
        } else {
            let kinds: Vec<String> = self
                .reads
                .iter()
                .map(|r| kind_of(&r.doc).to_string())
                .filter(|k| !k.is_empty())
                .collect();
            let line = self.reads.first().map_or(1, |r| r.line);
            return Err(err(
                line,
                1,
                if kinds.is_empty() {
                    "no rollout here: expected a Deployment, a Rollout, a Canary (with `kind:`) or a CodeDeploy deploymentConfigName/minimumHealthyHosts".to_string()
                } else {
                    format!(
                        "no rollout here (found {}): expected a Deployment, a Rollout, a Canary or a CodeDeploy configuration",
                        crate::defuse::shown(&kinds.join(", "))
                    )
                },
            ));
        };
        for i in 0..self.reads.len() {
            let k = kind_of(&self.reads[i].doc).to_string();
            let known = [
                "Rollout",
                "Deployment",
                "Canary",
                "AnalysisTemplate",
                "ClusterAnalysisTemplate",
                "Service",
                "VirtualService",
                "",
            ];
            if !known.contains(&k.as_str()) {
                let line = self.reads[i].line;
                self.note(
                    line,
                    format!("kind {} is not read", crate::defuse::shown(&k)),
                );
            }
        }
        let mut setup = default_setup(format);
        if let Some(n) = self.servers {
            setup.replicas = n.clamp(1, MAX_SERVERS);
        }
        let mut play = Play {
            setup,
            releases: Vec::new(),
            by_hand: Vec::new(),
        };
        let mut replicas_given = false;
        self.services(&mut play.setup);
        match format {
            Format::Argo | Format::K8s => {
                let kind = if format == Format::Argo {
                    "Rollout"
                } else {
                    "Deployment"
                };
                for i in 0..self.reads.len() {
                    if kind_of(&self.reads[i].doc) != kind {
                        continue;
                    }
                    let release = self.workload(i, format, &mut play.setup, &mut replicas_given)?;
                    play.releases.push(release);
                }
            }
            Format::Flagger => {
                for i in 0..self.reads.len() {
                    if kind_of(&self.reads[i].doc) != "Canary" {
                        continue;
                    }
                    let release = self.flagger(i, &mut play.setup, &mut replicas_given)?;
                    play.releases.push(release);
                }
            }
            Format::Codedeploy => {
                let release = self.codedeploy(&mut play.setup)?;
                play.releases.push(release);
            }
        }
        // A mirror in a VirtualService is a shadow release.
        for i in 0..self.reads.len() {
            if kind_of(&self.reads[i].doc) == "VirtualService"
                && let Some(r) = self.mirror(i, &play.setup)?
            {
                play.releases.push(r);
            }
        }
        play.releases.sort_by_key(|r| r.at);
        let sticky = play.setup.sticky;
        for r in &mut play.releases {
            r.sticky = r.sticky || sticky;
        }
        Ok(Imported {
            format,
            play,
            notes: std::mem::take(&mut self.notes),
            replicas_given,
        })
    }

    /// Services: sticky sessions (`sessionAffinity: ClientIP`).
    fn services(&mut self, setup: &mut Setup) {
        for i in 0..self.reads.len() {
            let r = &self.reads[i];
            if kind_of(&r.doc) != "Service" {
                continue;
            }
            if let Some(a) = r
                .doc
                .spec
                .as_ref()
                .and_then(|s| s.session_affinity.as_deref())
            {
                match a {
                    "ClientIP" => setup.sticky = true,
                    "None" => {}
                    other => {
                        let line = at(r, &["spec", "sessionAffinity"]);
                        let text = format!(
                            "sessionAffinity {} is not ClientIP or None: read as None",
                            crate::defuse::shown(other)
                        );
                        self.note(line, text);
                    }
                }
            }
        }
    }

    fn mirror(&mut self, i: usize, setup: &Setup) -> Result<Option<Release>, ImportError> {
        let r = &self.reads[i];
        let Some(http) = r.doc.spec.as_ref().and_then(|s| s.http.as_ref()) else {
            return Ok(None);
        };
        let Some(route) = http.iter().find(|h| h.mirror.is_some()) else {
            return Ok(None);
        };
        let line = at(r, &["spec", "http"]);
        let percent = route.mirror_percentage.as_ref().map_or(100.0, |p| p.value);
        if !(0.0..=100.0).contains(&percent) || !percent.is_finite() {
            return Err(err(
                line,
                1,
                format!("mirrorPercentage.value must be 0 to 100, found {percent}"),
            ));
        }
        let version = route
            .mirror
            .as_ref()
            .and_then(|m| m.subset.clone())
            .unwrap_or_else(|| "v2".into());
        let version = version_name(&version);
        let at_ = applied_at(r.doc.metadata.as_ref(), line)?;
        Ok(Some(Release {
            at: at_,
            version,
            how: How::Mirror(percent.round() as u32),
            guards: Vec::new(),
            health: setup.health.clone(),
            sticky: setup.sticky,
        }))
    }

    /// A Deployment or a Rollout.
    fn workload(
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
        Ok(Release {
            at: at_,
            version,
            how: How::Ship(strategy),
            guards,
            health: setup.health.clone(),
            sticky: setup.sticky,
        })
    }

    /// The pauses between canary steps: one interval for the game (their longest), with a
    /// note when they differ or one waits for a human.
    fn pauses(&mut self, i: usize, steps: &[super::yaml::CanaryStep]) -> Result<Dur, ImportError> {
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

    fn rolling(
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

    fn seconds(&self, i: usize, s: i64, path: &[&str]) -> Result<Dur, ImportError> {
        let l = at(&self.reads[i], path);
        bounded_secs(s, l, path.last().copied().unwrap_or(""))
    }

    /// Replicas, probes, grace period, progress deadline.
    fn pod_settings(
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
    fn image_version(spec: &Spec) -> String {
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
    fn analysis(
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
    fn template(&mut self, name: &str, line: usize) -> Vec<(YMetric, usize)> {
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

    fn metric(
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
            super::export::negate(op)
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

    fn flagger(
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
        Ok(Release {
            at: at_,
            version,
            how: How::Ship(strategy),
            guards,
            health: setup.health.clone(),
            sticky: setup.sticky,
        })
    }

    fn codedeploy(&mut self, setup: &mut Setup) -> Result<Release, ImportError> {
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
        Ok(Release {
            at: Dur::default(),
            version: "v2".into(),
            how: How::Ship(strategy),
            guards,
            health: setup.health.clone(),
            sticky: setup.sticky,
        })
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

/// What an analysis amounts to: guards, and the canary-vs-baseline comparison (its
/// failure limit and initial delay).
#[derive(Debug, Default)]
struct Found {
    guards: Vec<Guard>,
    baseline: Option<(u32, Dur)>,
}

/// The defaults a format gives a fleet before the file says otherwise.
fn default_setup(format: Format) -> Setup {
    Setup {
        app: "web".into(),
        replicas: if format == Format::Codedeploy {
            DEFAULT_REPLICAS
        } else {
            1
        },
        health: HealthCheck {
            period: Dur::from_secs(if format == Format::Codedeploy { 30 } else { 10 }),
            failure_threshold: if format == Format::Codedeploy { 2 } else { 3 },
            success_threshold: if format == Format::Codedeploy { 5 } else { 1 },
            depth: CheckDepth::Shallow,
            liveness: None,
            startup: false,
        },
        progress_deadline: Dur::from_secs(600),
        scale_down_delay: Dur::from_secs(30),
        drain: Dur::from_secs(if format == Format::Codedeploy {
            300
        } else {
            30
        }),
        balancer: Balancer::ServerCount,
        sticky: false,
        sessions: Sessions::Stateless,
    }
}

/// `web:v2` → `v2`; a tag the command language cannot name is kept readable.
fn version_name(tag: &str) -> String {
    let clean: String = tag
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(24)
        .collect();
    if clean.is_empty() { "v2".into() } else { clean }
}

fn applied_at(meta: Option<&super::yaml::Metadata>, line: usize) -> Result<Dur, ImportError> {
    match meta.and_then(|m| m.annotations.get(APPLIED_AT)) {
        Some(t) => {
            let d: Dur = t
                .parse()
                .map_err(|e| err(line, 1, format!("annotation {APPLIED_AT}: {e}")))?;
            if d > MAX_DURATION {
                return Err(err(
                    line,
                    1,
                    format!("annotation {APPLIED_AT}: at most {MAX_DURATION}"),
                ));
            }
            Ok(d)
        }
        None => Ok(Dur::default()),
    }
}

fn bounded_secs(s: i64, line: usize, what: &str) -> Result<Dur, ImportError> {
    if s < 0 || s as u64 > MAX_DURATION.millis() / 1000 {
        return Err(err(
            line,
            1,
            format!(
                "{what} must be 0 to {} seconds, found {s}",
                MAX_DURATION.millis() / 1000
            ),
        ));
    }
    Ok(Dur::from_secs(s as u64))
}

/// An Argo / Flagger duration: `30`, `30s`, `5m`, `1h`.
fn duration(v: &IntOrString, line: usize, what: &str) -> Result<Dur, ImportError> {
    let d = match v {
        IntOrString::Int(s) => return bounded_secs(*s, line, what),
        IntOrString::Float(f) if f.is_finite() && *f >= 0.0 && *f <= 86_400.0 => {
            Dur::from_millis((*f * 1000.0) as u64)
        }
        IntOrString::Float(f) => {
            return Err(err(
                line,
                1,
                format!("{what} must be 0 to 86400 seconds, found {f}"),
            ));
        }
        IntOrString::String(s) => {
            let t = s.trim();
            if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
                let n: i64 = t.parse().map_err(|_| {
                    err(
                        line,
                        1,
                        format!("{what}: {} is too large", crate::defuse::shown(t)),
                    )
                })?;
                return bounded_secs(n, line, what);
            }
            t.parse::<Dur>()
                .map_err(|e| err(line, 1, format!("{what}: {e}")))?
        }
    };
    if d > MAX_DURATION {
        return Err(err(
            line,
            1,
            format!("{what} must be at most {MAX_DURATION}, found {d}"),
        ));
    }
    Ok(d)
}

/// `maxSurge: 2` / `25%`.
fn amount(v: &IntOrString, line: usize, what: &str) -> Result<Amount, ImportError> {
    let bad = || {
        err(
            line,
            1,
            format!(
                "{what} must be a count (2) or a percentage (\"25%\"), found {}",
                crate::defuse::shown(&v.text())
            ),
        )
    };
    match v {
        IntOrString::Int(n) if (0..=i64::from(MAX_SERVERS)).contains(n) => {
            Ok(Amount::Count(*n as u32))
        }
        IntOrString::String(s) => {
            let t = s.trim();
            if let Some(p) = t.strip_suffix('%') {
                let p: u32 = p.trim().parse().map_err(|_| bad())?;
                if p > 100 {
                    return Err(err(
                        line,
                        1,
                        format!("{what} must be at most 100%, found {p}%"),
                    ));
                }
                Ok(Amount::Percent(p))
            } else {
                let n: u32 = t.parse().map_err(|_| bad())?;
                if n > MAX_SERVERS {
                    return Err(bad());
                }
                Ok(Amount::Count(n))
            }
        }
        _ => Err(bad()),
    }
}

fn probe_numbers(p: &Probe, line: usize) -> Result<(Dur, u32, u32), ImportError> {
    let num = |v: Option<i64>, default: i64, what: &str| -> Result<u32, ImportError> {
        let v = v.unwrap_or(default);
        if !(1..=3600).contains(&v) {
            return Err(err(line, 1, format!("{what} must be 1 to 3600, found {v}")));
        }
        Ok(v as u32)
    };
    let period = num(p.period_seconds, 10, "periodSeconds")?;
    let fail = num(p.failure_threshold, 3, "failureThreshold")?;
    let ok = num(p.success_threshold, 1, "successThreshold")?;
    Ok((Dur::from_secs(u64::from(period)), fail, ok))
}

/// A readiness probe is deep when its path reaches past the process (the database).
fn depth(p: &Probe) -> CheckDepth {
    let path = p
        .http_get
        .as_ref()
        .and_then(|h| h.path.as_deref())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ["db", "database", "deep", "dependencies"]
        .iter()
        .any(|w| path.contains(w))
    {
        CheckDepth::Deep
    } else {
        CheckDepth::Shallow
    }
}

/// What a Prometheus query measures, the unit a game value is multiplied by to give the
/// query's, and whether it is a success ratio (non-5xx share).
fn classify(q: &str) -> Option<(Metric, f64, bool)> {
    let q = q.replace(' ', "");
    if q.contains("histogram_quantile(0.99") {
        return Some((Metric::P99, 0.001, false));
    }
    if q.contains("histogram_quantile(0.95") {
        return Some((Metric::P95, 0.001, false));
    }
    if q.contains("histogram_quantile(0.5") {
        return Some((Metric::P50, 0.001, false));
    }
    if q.contains("!~\"5") || q.contains("!~'5") {
        return Some((Metric::ErrorRate, 0.01, true));
    }
    if q.contains("=~\"5") || q.contains("=~'5") || q.contains("5xx") || q.contains("5..") {
        return Some((Metric::ErrorRate, 0.01, false));
    }
    if q.contains("sessions_lost") {
        return Some((Metric::SessionsLost, 1.0, false));
    }
    if q.contains("memory") {
        return Some((Metric::Mem, 0.01, false));
    }
    if q.contains("cpu") {
        return Some((Metric::Cpu, 0.01, false));
    }
    None
}

/// The same comparison seen from the other side: a success ratio below x is an error rate
/// above 1 − x.
fn mirrored(op: Op) -> Op {
    match op {
        Op::Gt => Op::Lt,
        Op::Ge => Op::Le,
        Op::Lt => Op::Gt,
        Op::Le => Op::Ge,
    }
}

/// `result[0] > 0.02` (or `result > 0.02`; the last comparison of an `||` chain).
fn condition(c: &str) -> Option<(Op, f64)> {
    let c = c.rsplit("||").next()?.rsplit("&&").next()?.trim();
    for (text, op) in [(">=", Op::Ge), ("<=", Op::Le), (">", Op::Gt), ("<", Op::Lt)] {
        if let Some((left, right)) = c.split_once(text) {
            let left = left.trim();
            if left != "result[0]"
                && left != "result"
                && left != "asFloat(result[0])"
                && left != "asFloat(result)"
            {
                return None;
            }
            let x: f64 = right.trim().parse().ok()?;
            return x.is_finite().then_some((op, x));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<(String, String)> {
        None
    }

    #[test]
    fn documents_keep_the_files_lines() {
        let docs = documents("a: 1\n---\nb: 2\n\n---\n# only a comment\n---\nc: 3\n");
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[1].lines().position(|l| l == "b: 2"), Some(2));
        assert_eq!(docs[2].lines().position(|l| l == "c: 3"), Some(7));
    }

    #[test]
    fn conditions_read_the_last_comparison() {
        assert_eq!(condition("result[0] > 0.02"), Some((Op::Gt, 0.02)));
        assert_eq!(
            condition("len(result) == 0 || result[0] >= 0.95"),
            Some((Op::Ge, 0.95))
        );
        assert_eq!(condition("result[0] == 1"), None);
    }

    #[test]
    fn a_bad_value_is_an_error_at_its_line() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: lots\n";
        let e = import(text, &none).expect_err("bad");
        assert_eq!(e.line, 4, "{e}");
    }
}
