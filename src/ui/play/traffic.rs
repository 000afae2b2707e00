//! The traffic panel: who gets the users' requests. With one live pool, a bar per version;
//! with several (canary, blue-green), a bar per pool with the share it actually got last
//! second beside the share the balancer was asked for. Mirror pools (shadow, preview) get
//! a line of their own saying their answers are discarded, with their error rate and p99
//! beside the live traffic's; duplicated database writes of a shadow are a warning.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use crate::sim::{MirrorSource, PoolRole, ServerState, Sim, VersionId, VersionSecond};
use crate::ui::game::Game;
use crate::ui::{Theme, view};

/// One bar of the panel.
struct Bar {
    label: String,
    version: VersionId,
    share: f64,
    asked: Option<u32>,
    in_service: u32,
    servers: u32,
}

/// Live pools that have servers.
fn live_pools(sim: &Sim) -> Vec<u16> {
    (0..sim.pools().len() as u16)
        .filter(|&p| {
            sim.pools()[p as usize].role == PoolRole::Live
                && sim.servers().iter().any(|s| s.pool == p)
        })
        .collect()
}

fn bars(sim: &Sim) -> Vec<Bar> {
    let last = sim.history().last();
    let pools = live_pools(sim);
    if pools.len() <= 1 {
        let total = last.map_or(0, |m| m.arrived);
        return (0..sim.versions().len())
            .map(|i| {
                let vs = last
                    .and_then(|m| m.by_version.get(i))
                    .copied()
                    .unwrap_or_default();
                Bar {
                    label: sim.versions()[i].name.clone(),
                    version: VersionId(i as u16),
                    share: if total > 0 {
                        vs.arrived as f64 / total as f64
                    } else {
                        0.0
                    },
                    asked: None,
                    in_service: vs.in_service,
                    servers: vs.servers,
                }
            })
            .collect();
    }
    let actual = sim.actual_shares();
    pools
        .iter()
        .map(|&p| {
            let v = sim.pool_version(p);
            let asked = sim
                .asked_weights()
                .map(|ws| ws.iter().find(|(q, _)| *q == p).map_or(0, |w| w.1));
            let in_pool = sim.servers().iter().filter(|s| s.pool == p);
            Bar {
                label: format!("{} {}", sim.pools()[p as usize].name, sim.version_name(v)),
                version: v,
                share: actual.iter().find(|(q, _)| *q == p).map_or(0.0, |a| a.1),
                asked,
                in_service: in_pool
                    .clone()
                    .filter(|s| s.state() == ServerState::InService)
                    .count() as u32,
                servers: in_pool.count() as u32,
            }
        })
        .collect()
}

/// Rows the panel needs, borders included.
pub fn wanted_height(sim: &Sim) -> u16 {
    let bars = live_pools(sim).len().max(1);
    let bars = if bars == 1 {
        sim.versions().len()
    } else {
        bars
    };
    let warn = usize::from(sim.duplicate_writes() > 0);
    (bars + sim.mirrors().len() + warn + 2) as u16
}

/// Draws the panel.
pub fn render(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let sim = &g.sim;
    let total = sim.history().last().map_or(0, |m| m.arrived);
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(
            format!(" TRAFFIC {total} req/s · demand {:.0} ", sim.demand_rps()),
            theme.title,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let bars = bars(sim);
    let label_w = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(2)
        + 3;
    // The bar takes what the label and the figures leave (the last column stays free);
    // on a narrow panel the figures drop their words first.
    let widest = |long: bool| {
        bars.iter()
            .map(|b| bar_line(b, label_w, 0, long, theme).width() - label_w)
            .max()
            .unwrap_or(0)
    };
    let long = label_w + 4 + widest(true) < usize::from(inner.width);
    let bar_w = usize::from(inner.width)
        .saturating_sub(label_w + widest(long) + 1)
        .max(4);
    let mut lines: Vec<Line> = bars
        .iter()
        .map(|b| bar_line(b, label_w, bar_w, long, theme))
        .collect();
    lines.extend(mirror_lines(sim, theme, inner.width));
    if sim.duplicate_writes() > 0 {
        lines.push(Line::styled(
            format!(
                "⚠ shadow wrote {} duplicate rows to the real database",
                sim.duplicate_writes()
            ),
            theme.bad.add_modifier(Modifier::BOLD),
        ));
    }
    for (line, y) in lines.into_iter().zip(inner.y..inner.bottom()) {
        buf.set_line(inner.x, y, &view::fit(line, inner.width), inner.width);
    }
}

fn bar_line(b: &Bar, label_w: usize, bar_w: usize, long: bool, theme: &Theme) -> Line<'static> {
    let filled = ((b.share * bar_w as f64).round() as usize).min(bar_w);
    let style = theme.version(b.version);
    let mut spans = vec![
        Span::styled(
            format!(
                "{} {:<w$}",
                Theme::version_glyph(b.version),
                b.label,
                w = label_w - 2
            ),
            style,
        ),
        Span::styled("█".repeat(filled), style),
        Span::styled("░".repeat(bar_w - filled), theme.dim),
        Span::styled(format!(" {:>3.0}%", b.share * 100.0), theme.text),
    ];
    if let Some(asked) = b.asked {
        let off = (b.share * 100.0 - f64::from(asked)).abs() >= 5.0;
        let text = if long {
            format!(" (asked {asked:>3}%)")
        } else {
            format!(" ({asked}%)")
        };
        spans.push(Span::styled(text, if off { theme.warn } else { theme.dim }));
    }
    let up = if long {
        format!("  {}/{} in service", b.in_service, b.servers)
    } else {
        format!(" {}/{} up", b.in_service, b.servers)
    };
    spans.push(Span::styled(up, theme.dim));
    Line::from(spans)
}

/// Error % and p99 of one version's second, `—` with no requests.
fn health(vs: &VersionSecond) -> String {
    if vs.arrived == 0 {
        return "no requests".to_string();
    }
    format!("err {:.1}% p99 {:.0}ms", vs.error_rate() * 100.0, vs.p99_ms)
}

fn mirror_lines(sim: &Sim, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let Some(last) = sim.history().last() else {
        return Vec::new();
    };
    sim.mirrors()
        .iter()
        .map(|m| {
            let v = sim.pool_version(m.pool);
            let (kind, source) = match m.source {
                MirrorSource::Share(s) => ("shadow", format!("{:.0}% copied", s * 100.0)),
                MirrorSource::Synthetic(rps) => ("preview", format!("{rps:.0} test req/s")),
            };
            let shadow = last
                .shadow_by_version
                .get(v.0 as usize)
                .copied()
                .unwrap_or_default();
            let live_v = busiest_live(&last.by_version);
            let live = last
                .by_version
                .get(live_v.0 as usize)
                .copied()
                .unwrap_or_default();
            let bad = shadow.arrived > 0 && shadow.error_rate() > live.error_rate() + 0.01;
            // Most needed first: what runs there and how it does; the rest when it fits.
            let groups = vec![
                vec![Span::styled(
                    format!("{} {kind} {}", Theme::version_glyph(v), sim.version_name(v)),
                    theme.version(v),
                )],
                vec![Span::styled(
                    health(&shadow),
                    if bad { theme.bad } else { theme.text },
                )],
                vec![Span::styled(
                    format!("({source}, answers discarded)"),
                    theme.dim,
                )],
                vec![Span::styled(
                    format!("│ live {} {}", sim.version_name(live_v), health(&live)),
                    theme.dim,
                )],
            ];
            view::flow(groups, " ", width, 1)
                .into_iter()
                .next()
                .unwrap_or_default()
        })
        .collect()
}

/// The version that served the most users last second.
fn busiest_live(by_version: &[VersionSecond]) -> VersionId {
    let i = by_version
        .iter()
        .enumerate()
        .max_by_key(|(_, v)| v.arrived)
        .map_or(0, |(i, _)| i);
    VersionId(i as u16)
}
