//! Time-series charts from the sim's per-second history: error %, latency, requests/s, CPU
//! and memory, one series per version (named with its glyph, not by colour alone), with the
//! SLO line on the error chart. Braille by default, plain dots as the fallback marker.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Widget};

use super::Theme;
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
            per_version(&|s| s.error_rate() * 100.0, &mut out);
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
            out.push(Series {
                name: "p50".into(),
                style: theme.text,
                data: window.iter().map(|m| (x(m), m.p50_ms)).collect(),
            });
            out.push(Series {
                name: "p99".into(),
                style: theme.warn,
                data: window.iter().map(|m| (x(m), m.p99_ms)).collect(),
            });
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
        ChartKind::Errors => (max * 1.15).max(1.0),
        _ => (max * 1.15).max(10.0),
    }
}

/// Draws a chart of `series` in a bordered block.
#[allow(clippy::too_many_arguments)]
pub fn render_series(
    title: &str,
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
    let mut title_spans = vec![Span::styled(format!(" {title} "), theme.title)];
    for s in series {
        title_spans.push(Span::styled(format!("{} ", s.name), s.style));
    }
    let chart = Chart::new(datasets)
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(Line::from(title_spans)),
        )
        .x_axis(Axis::default().bounds(x_bounds).style(theme.dim))
        .y_axis(
            Axis::default()
                .bounds([0.0, y_max])
                .style(theme.dim)
                .labels([Span::raw("0"), Span::raw(short_number(y_max))]),
        )
        // The legend is in the title: it never hides the lines.
        .legend_position(None);
    chart.render(area, buf);
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
        &format!("{} · last {}", kind.title(), clock(secs as f64)),
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
    fn short_numbers() {
        assert_eq!(short_number(0.5), "0.5");
        assert_eq!(short_number(57.3), "57");
        assert_eq!(short_number(1380.0), "1380");
        assert_eq!(short_number(25_000.0), "25k");
    }
}
