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

use std::fmt;
use std::fmt::Write as _;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

mod codedeploy;
mod flagger;
mod workload;

use super::export::{APPLIED_AT, Format};
use super::play::{Guard, How, Play, Release, Setup};
use super::yaml::{Doc, IntOrString, Probe};
use crate::command::{Amount, Metric, Op};
use crate::mission::{Balancer, CheckDepth, HealthCheck, MAX_SERVERS, Sessions};
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
