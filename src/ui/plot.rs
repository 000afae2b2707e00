//! Time-series charts from the sim's per-second history: error %, latency, requests/s, CPU
//! and memory, one series per version (named with its glyph, not by colour alone), with the
//! SLO line on the error chart. Braille by default, plain dots as the fallback marker.
//! Each line carries its tag (version glyph, `p99`) at its last point and time labels run
//! under the chart, so series are told apart without colour.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Widget};

use super::{Theme, view};
use crate::sim::{SecondMetrics, Sim, VersionId};
use crate::time::clock;

/// The charts of the play screen, in the order they get room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Errors,
    Latency,
    Rps,
    Cpu,
    Memory,
}

pub const CHARTS: [ChartKind; 5] = [
    ChartKind::Errors,
    ChartKind::Latency,
    ChartKind::Rps,
    ChartKind::Cpu,
    ChartKind::Memory,
];

impl ChartKind {
    fn title(self) -> &'static str {
        match self {
            ChartKind::Errors => "ERRORS %",
            ChartKind::Latency => "LATENCY ms",
            ChartKind::Rps => "REQUESTS/s",
            ChartKind::Cpu => "CPU %",
            ChartKind::Memory => "MEMORY %",
        }
    }
}

/// One line of a chart.
pub struct Series {
    pub name: String,
    pub style: Style,
    pub data: Vec<(f64, f64)>,
}

/// Versions that had servers at some second of `window`.
fn active_versions(sim: &Sim, window: &[&SecondMetrics]) -> Vec<VersionId> {
    (0..sim.versions().len())
        .filter(|&v| {
            window
                .iter()
                .any(|m| m.by_version.get(v).is_some_and(|s| s.servers > 0))
        })
        .map(|v| VersionId(v as u16))
        .collect()
}

/// The series of `kind` over `window`.
pub fn series(kind: ChartKind, sim: &Sim, theme: &Theme, window: &[&SecondMetrics]) -> Vec<Series> {
    let x = |m: &SecondMetrics| m.t as f64;
    let mut out = Vec::new();
    let per_version = |f: &dyn Fn(&crate::sim::VersionSecond) -> f64, out: &mut Vec<Series>| {
        for v in active_versions(sim, window) {
            let data = window
                .iter()
                .filter_map(|m| {
                    m.by_version
                        .get(v.0 as usize)
                        .filter(|s| s.servers > 0)
                        .map(|s| (x(m), f(s)))
                })
                .collect();
            out.push(Series {
                name: format!("{} {}", Theme::version_glyph(v), sim.version_name(v)),
                style: Style::new().fg(theme.version_color(v)),
                data,
            });
        }
    };
    match kind {
        ChartKind::Errors => {
            // What users get, first: with every server out of the balancer no version
            // answers at all, and only this line shows the 100 % the users see.
            out.push(Series {
                name: "✖ users".into(),
                style: theme.bad,
                data: window
                    .iter()
                    .map(|m| (x(m), m.error_rate() * 100.0))
                    .collect(),
            });
            per_version(&|s| s.error_rate() * 100.0, &mut out);
            // Mirrored (shadow, preview) errors beside the live ones (not user requests).
            for v in 0..sim.versions().len() {
                let data: Vec<(f64, f64)> = window
                    .iter()
                    .filter_map(|m| {
                        m.shadow_by_version
                            .get(v)
                            .filter(|s| s.arrived > 0)
                            .map(|s| (x(m), s.error_rate() * 100.0))
                    })
                    .collect();
                if !data.is_empty() {
                    let id = VersionId(v as u16);
                    out.push(Series {
                        name: format!("◐ {} mirror", sim.version_name(id)),
                        style: Style::new()
                            .fg(theme.version_color(id))
                            .add_modifier(ratatui::style::Modifier::DIM),
                        data,
                    });
                }
            }
            if let (Some(a), Some(b)) = (window.first(), window.last()) {
                let slo = (1.0 - sim.mission().slo.target) * 100.0;
                out.push(Series {
                    name: "┄ SLO".into(),
                    style: theme.dim,
                    data: vec![(x(a), slo), (x(b), slo)],
                });
            }
        }
        ChartKind::Latency => {
            for (name, style, f) in [
                (
                    "p50",
                    theme.text,
                    (|m: &SecondMetrics| m.p50_ms) as fn(&SecondMetrics) -> f64,
                ),
                ("p95", theme.accent, |m| m.p95_ms),
                ("p99", theme.warn, |m| m.p99_ms),
            ] {
                out.push(Series {
                    name: name.into(),
                    style,
                    data: window.iter().map(|m| (x(m), f(m))).collect(),
                });
            }
            // With two versions live, each one's p99: a slow release shows apart.
            if active_versions(sim, window).len() > 1 {
                let mut versions = Vec::new();
                per_version(&|s| s.p99_ms, &mut versions);
                for v in &mut versions {
                    v.name.push_str(" p99");
                }
                out.extend(versions);
            }
        }
        ChartKind::Rps => {
            per_version(&|s| s.arrived as f64, &mut out);
            out.push(Series {
                name: "✖ failed".into(),
                style: theme.bad,
                data: window.iter().map(|m| (x(m), m.failed as f64)).collect(),
            });
        }
        ChartKind::Cpu => per_version(&|s| s.cpu_avg * 100.0, &mut out),
        ChartKind::Memory => per_version(&|s| s.mem_avg * 100.0, &mut out),
    }
    out
}

/// The last `secs` seconds of history.
pub fn window(sim: &Sim, secs: usize) -> Vec<&SecondMetrics> {
    let h = sim.history();
    h.iter().skip(h.len().saturating_sub(secs)).collect()
}

/// Upper y bound: fixed for percentages of capacity, else the data's max with headroom.
fn y_max(kind: ChartKind, series: &[Series]) -> f64 {
    let max = series
        .iter()
        .flat_map(|s| s.data.iter().map(|p| p.1))
        .fold(0.0_f64, f64::max);
    match kind {
        ChartKind::Cpu | ChartKind::Memory => 100.0,
        // A percentage: headroom above the line, but never an axis past 100 %.
        ChartKind::Errors => (max * 1.15).clamp(1.0, 100.0),
        _ => (max * 1.15).max(10.0),
    }
}

/// Draws a chart of `series` in a bordered block. The title line is `title`, the series'
/// names, then `note` (the least needed, e.g. the time window), each whole or left out.
#[allow(clippy::too_many_arguments)]
pub fn render_series(
    title: &str,
    note: &str,
    series: &[Series],
    y_max: f64,
    x_bounds: [f64; 2],
    theme: &Theme,
    marker: Marker,
    area: Rect,
    buf: &mut Buffer,
) {
    let datasets: Vec<Dataset> = series
        .iter()
        .map(|s| {
            Dataset::default()
                .name(s.name.clone())
                .marker(marker)
                .graph_type(GraphType::Line)
                .style(s.style)
                .data(&s.data)
        })
        .collect();
    let mut groups = vec![vec![Span::styled(format!(" {title}"), theme.title)]];
    groups.extend(
        series
            .iter()
            .map(|s| vec![Span::styled(s.name.clone(), s.style)]),
    );
    if !note.is_empty() {
        groups.push(vec![Span::styled(format!("· {note}"), theme.dim)]);
    }
    let title_line = view::flow(groups, " ", area.width.saturating_sub(3), 1)
        .into_iter()
        .next()
        .unwrap_or_default();
    let mut title_spans = title_line.spans;
    title_spans.push(Span::raw(" "));
    // Time labels under the chart when it has the rows for them.
    let x_labels: Vec<Span> = if area.height >= X_LABELS_MIN_HEIGHT {
        let mid = f64::midpoint(x_bounds[0], x_bounds[1]);
        let mut l = vec![Span::raw(clock(x_bounds[0]))];
        if area.width >= 40 {
            l.push(Span::raw(clock(mid)));
        }
        l.push(Span::raw(clock(x_bounds[1])));
        l
    } else {
        Vec::new()
    };
    let y_labels = [Span::raw("0"), Span::raw(short_number(y_max))];
    let graph = graph_area(area, &x_labels, &y_labels);
    let chart = Chart::new(datasets)
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(Line::from(title_spans)),
        )
        .x_axis(
            Axis::default()
                .bounds(x_bounds)
                .style(theme.dim)
                .labels(x_labels),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, y_max])
                .style(theme.dim)
                .labels(y_labels),
        )
        // The legend is in the title: it never hides the lines.
        .legend_position(None);
    chart.render(area, buf);
    if let Some(graph) = graph {
        // Last drawn wins a shared cell: the first series (the versions) go last.
        for s in series.iter().rev() {
            tag_line(s, y_max, x_bounds, graph, buf);
        }
    }
}

/// Charts at least this tall get time labels on the x axis.
const X_LABELS_MIN_HEIGHT: u16 = 9;

/// Where ratatui's `Chart` draws the data inside a bordered `area` (its own layout rules:
/// x labels and axis take the two bottom rows, the y labels and axis the left columns).
fn graph_area(area: Rect, x_labels: &[Span], y_labels: &[Span]) -> Option<Rect> {
    let inner = Block::bordered().inner(area);
    if inner.width < 3 || inner.height < 3 {
        return None;
    }
    let bottom_rows = if x_labels.is_empty() { 0 } else { 2 };
    let y_w = y_labels.iter().map(Span::width).max().unwrap_or(0) as u16;
    let x_w = x_labels
        .first()
        .map_or(0, |l| (l.width() as u16).saturating_sub(1));
    let left = y_w.max(x_w).min(inner.width / 3) + 1;
    Some(Rect::new(
        inner.x + left,
        inner.y,
        inner.width.saturating_sub(left),
        inner.height.saturating_sub(bottom_rows),
    ))
}

/// A series' short tag (`▲`, `p99`): its name's first word, when short.
fn tag(name: &str) -> Option<&str> {
    name.split_whitespace()
        .next()
        .filter(|w| w.chars().count() <= 3)
}

/// Writes the series' tag beside its last point, so lines are told apart without colour.
fn tag_line(s: &Series, y_max: f64, x_bounds: [f64; 2], graph: Rect, buf: &mut Buffer) {
    let (Some(tag), Some(&(x, y))) = (tag(&s.name), s.data.last()) else {
        return;
    };
    if graph.width < 2 || graph.height == 0 || x_bounds[1] <= x_bounds[0] {
        return;
    }
    let fx = ((x - x_bounds[0]) / (x_bounds[1] - x_bounds[0])).clamp(0.0, 1.0);
    let fy = (y / y_max.max(f64::EPSILON)).clamp(0.0, 1.0);
    // As the canvas maps points to Braille dots (2×4 a cell).
    let col = graph.x + ((fx * f64::from(graph.width * 2 - 1)) / 2.0).floor() as u16;
    let row = graph.y + (((1.0 - fy) * f64::from(graph.height * 4 - 1)) / 4.0).floor() as u16;
    let w = tag.chars().count() as u16;
    // Right of the point when it fits, else left of it.
    let at = if col + 1 + w <= graph.right() {
        col + 1
    } else {
        col.saturating_sub(w).max(graph.x)
    };
    buf.set_stringn(at, row, tag, usize::from(graph.right() - at), s.style);
}

/// Draws one live chart of the play screen over the last `secs` seconds.
pub fn render(
    kind: ChartKind,
    sim: &Sim,
    theme: &Theme,
    marker: Marker,
    secs: usize,
    area: Rect,
    buf: &mut Buffer,
) {
    let w = window(sim, secs);
    let series = series(kind, sim, theme, &w);
    let end = w.last().map_or(0.0, |m| m.t as f64);
    let start = (end - secs as f64).max(0.0);
    let ymax = y_max(kind, &series);
    render_series(
        kind.title(),
        &format!("last {}", clock(secs as f64)),
        &series,
        ymax,
        // Until the window fills, time runs left to right from 0.
        [start, end.max(secs as f64)],
        theme,
        marker,
        area,
        buf,
    );
}

/// `1 200`-style short numbers for axis labels.
pub fn short_number(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if v >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_chart_shows_what_users_get_in_a_total_outage() {
        let text = r#"Mission(title: "dark", fleet: (servers: 4, capacity_rps: 100.0),
            traffic: (base_rps: 200.0, noise: false), versions: { "v1": (), "v2": () },
            start: (version: "v1"), duration: "2m", objectives: [DowntimeAtMost("0s")],
            stars: (two: 1, three: 2))"#;
        let mission = crate::mission::load_str(text, "dark.ron").expect("mission");
        let mut sim = Sim::new(&mission, 1);
        let all = crate::command::parse_command("deploy v2 web-01..web-04").expect("command");
        sim.apply(&all).expect("deploy");
        for _ in 0..15 * crate::time::TICKS_PER_SEC {
            sim.step();
        }
        let w = window(&sim, 120);
        let last = w.last().expect("a second");
        assert!(last.in_service == 0, "every server is out of the balancer");
        let theme = Theme::new(crate::ui::theme::Palette::Dark);
        let s = series(ChartKind::Errors, &sim, &theme, &w);
        let users = s
            .iter()
            .find(|s| s.name.contains("users"))
            .expect("users line");
        assert_eq!(users.data.last().map(|p| p.1), Some(100.0));
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(0.5), "0.5");
        assert_eq!(short_number(57.3), "57");
        assert_eq!(short_number(1380.0), "1380");
        assert_eq!(short_number(25_000.0), "25k");
    }
}
