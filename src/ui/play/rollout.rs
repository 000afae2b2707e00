//! The rollout panel: the release in progress (strategy, step, what happens next, in the
//! sim's own words), its phase as a glyph, the keys that steer it, and every guard with
//! ◉ watching / ✖ fired. With no rollout it says how to start one the mission allows.
//! Missions with a pipeline, migrations or a session store get a line each for those:
//! the pipeline's stages (✔ done, ▶ now, ✖ stopped, ○ to come), the schema and any
//! migration running, where sessions live.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::command::SessionMode;
use crate::sim::{Phase, STAGES, Sim, StageState};
use crate::time::{TICKS_PER_SEC, clock};
use crate::ui::game::Game;
use crate::ui::{Theme, view};

/// Commands that start or steer a rollout: the panel shows when the mission unlocks one.
const ROLLOUT_COMMANDS: [&str; 5] = ["rolling", "canary", "bluegreen", "shadow", "guard"];

/// Whether the panel has anything to say in this mission.
pub fn wanted(sim: &Sim) -> bool {
    sim.rollout().is_some()
        || !sim.guards().is_empty()
        || has_system(sim)
        || sim
            .mission()
            .unlocks
            .iter()
            .any(|u| ROLLOUT_COMMANDS.contains(&u.as_str()))
}

/// Rows the panel needs inside `width` columns (borders included), at most `max`.
pub fn wanted_height(sim: &Sim, width: u16, max: u16) -> u16 {
    let inner = width.saturating_sub(2).max(1) as usize;
    let status = status_lines(sim, inner);
    let guards = sim.guards().len().max(usize::from(sim.rollout().is_some()));
    let m = sim.mission();
    let system = usize::from(m.pipeline.is_some())
        + usize::from(!m.database.migrations.is_empty())
        + usize::from(m.fleet.session_store_rps.is_some() || sim.is_sticky());
    ((status + guards + system + 2) as u16).min(max)
}

/// The status wrapped into `width` columns after its glyph.
fn status_parts(sim: &Sim, width: usize) -> Vec<String> {
    view::wrap(&status_text(sim), width.saturating_sub(2))
}

fn status_lines(sim: &Sim, width: usize) -> usize {
    status_parts(sim, width).len()
}

/// Whether the mission has a pipeline, migrations or a session store to show.
fn has_system(sim: &Sim) -> bool {
    let m = sim.mission();
    m.pipeline.is_some() || !m.database.migrations.is_empty() || m.fleet.session_store_rps.is_some()
}

/// One line each for the pipeline, the database and the sessions, when the mission has them.
fn system_lines(sim: &Sim, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let m = sim.mission();
    if m.pipeline.is_some() {
        let mut spans = vec![Span::styled("pipeline ", theme.dim)];
        match sim.pipeline() {
            None => spans.push(Span::styled(":pipeline run <version>", theme.dim)),
            Some(run) => {
                spans.push(Span::styled(
                    format!("{} ", sim.version_name(run.version)),
                    theme.text,
                ));
                // One glyph per stage keeps the line short: ✔ done, ▶ now, ✖ stopped, ○ next.
                for i in 0..STAGES.len() {
                    let (mark, style) = match &run.state {
                        StageState::Done => ("✔", theme.good),
                        StageState::At { index, .. } | StageState::Failed { index, .. }
                            if i < *index =>
                        {
                            ("✔", theme.good)
                        }
                        StageState::At { index, .. } if i == *index => ("▶", theme.accent),
                        StageState::Failed { index, .. } if i == *index => ("✖", theme.bad),
                        _ => ("○", theme.dim),
                    };
                    spans.push(Span::styled(mark, style));
                }
                let (now, style) = match &run.state {
                    StageState::Done => ("released".to_string(), theme.good),
                    StageState::At { index: 5, .. } => {
                        ("staging passed: :promote staging".to_string(), theme.warn)
                    }
                    StageState::At { index, .. } => (STAGES[*index].to_string(), theme.text),
                    StageState::Failed { index, .. } => {
                        (format!("stopped at {}", STAGES[*index]), theme.bad)
                    }
                };
                spans.push(Span::styled(format!(" {now}"), style));
            }
        }
        lines.push(Line::from(spans));
    }
    if !m.database.migrations.is_empty() {
        let now = match sim.migration() {
            Some(run) => format!(
                " · migrating `{}` ({}s left)",
                run.name,
                run.until.saturating_sub(sim.tick()) / TICKS_PER_SEC
            ),
            None if sim.migrations_done().is_empty() => {
                let names: Vec<&str> = m.database.migrations.keys().map(String::as_str).collect();
                format!(" · :migrate {}", names.join("|"))
            }
            None => format!(" · done: {}", sim.migrations_done().join(", ")),
        };
        lines.push(Line::styled(
            format!("⛁ schema {}{now}", sim.schema()),
            theme.text,
        ));
    }
    if m.fleet.session_store_rps.is_some() || sim.is_sticky() {
        let mode = match sim.session_mode() {
            SessionMode::Memory => "in server memory",
            SessionMode::External => "in the external store",
        };
        // Sessions left in memory after the move end on their own, or are lost: one
        // line that fits the 42 columns the panel has at 80×24.
        if let (SessionMode::External, Some(end)) =
            (sim.session_mode(), sim.memory_sessions_end_s())
        {
            let sticky = if sim.is_sticky() { "; sticky" } else { "" };
            lines.push(Line::styled(
                format!(
                    "⚙ store; {:.0} in memory to {}{sticky}",
                    sim.sessions_in_memory(),
                    crate::time::clock(end as f64)
                ),
                theme.warn,
            ));
        } else {
            let sticky = if sim.is_sticky() { " · sticky" } else { "" };
            lines.push(Line::styled(
                format!("⚙ sessions {mode}{sticky}"),
                theme.text,
            ));
        }
    }
    lines
}

/// The line the sim gives, or the guidance when nothing rolls.
fn status_text(sim: &Sim) -> String {
    sim.rollout_status().unwrap_or_else(|| {
        // The release the mission asks for next (never a follow-up before it is allowed:
        // that would give the plot away and the game would refuse it anyway).
        let releases = &sim.mission().releases;
        let next = releases
            .iter()
            .find(|r| !sim.release_settled(r))
            .or(releases.first())
            .map(String::as_str);
        let Some(version) = next.or_else(|| sim.versions().last().map(|v| v.name.as_str())) else {
            return "no rollout".to_string();
        };
        let example = if sim.allows("canary") {
            format!("canary {version} steps=5,20,50,100 interval=30s")
        } else if sim.allows("rolling") {
            format!("rolling {version} batch=2")
        } else if sim.allows("bluegreen") {
            format!("bluegreen {version}")
        } else if sim.allows("pipeline") {
            format!("pipeline run {version}")
        } else {
            let first = sim.servers().first().map_or("web-01", |s| s.name.as_str());
            format!("drain {first} · deploy {version} {first}")
        };
        format!("no rollout — try  :{example}")
    })
}

/// The rollout keys this phase offers, only those the mission allows.
fn rollout_keys(sim: &Sim, phase: &Phase) -> Option<String> {
    let offered: &[(&str, &str)] = match phase {
        Phase::Running | Phase::Paused(_) => &[
            ("promote", "p promote"),
            ("abort", "a abort"),
            ("rollback", "r rollback"),
        ],
        Phase::Aborted => &[("rollback", "r rollback")],
        Phase::Done => &[],
    };
    let keys: Vec<&str> = offered
        .iter()
        .filter(|(name, _)| sim.allows(name))
        .map(|(_, key)| *key)
        .collect();
    (!keys.is_empty()).then(|| format!(" {} ", keys.join(" · ")))
}

/// The phase's glyph and style (never colour alone).
fn phase_mark(sim: &Sim, theme: &Theme) -> (&'static str, Style) {
    match sim.rollout().map(|r| (&r.phase, r.stalled, r.is_rollback)) {
        None => ("○", theme.dim),
        Some((Phase::Running, true, _)) => ("⚠", theme.bad),
        Some((Phase::Running, _, true)) => ("↶", theme.warn),
        Some((Phase::Running, _, _)) => ("▶", theme.accent),
        Some((Phase::Paused(_), _, _)) => ("⏸", theme.warn),
        Some((Phase::Aborted, _, _)) => ("■", theme.bad),
        Some((Phase::Done, _, _)) => ("✔", theme.good),
    }
}

/// Draws the panel.
pub fn render(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let sim = &g.sim;
    let (glyph, style) = phase_mark(sim, theme);
    let mut block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(" ROLLOUT ", theme.title));
    // A replay's keys only watch: no promote/abort/rollback to offer.
    if let Some(r) = sim.rollout().filter(|_| g.playback.is_none())
        && let Some(keys) = rollout_keys(sim, &r.phase)
    {
        block = block.title(Line::styled(keys, theme.dim).right_aligned());
    }
    let status_style = if sim.rollout().is_some() {
        theme.text
    } else {
        theme.dim
    };
    let mut lines = system_lines(sim, theme);
    for guard in sim.guards() {
        let (mark, gstyle, state) = match guard.fired {
            Some(t) => (
                "✖",
                theme.bad.add_modifier(Modifier::BOLD),
                format!("fired {}", clock((t / TICKS_PER_SEC) as f64)),
            ),
            None if guard.since.is_some() => ("◉", theme.warn, "tripping".to_string()),
            None => ("◉", theme.good, "watching".to_string()),
        };
        let spec = guard.spec.to_string();
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} #{} {state}", guard.id), gstyle),
            Span::styled(
                format!(" {}", spec.strip_prefix("guard ").unwrap_or(&spec)),
                theme.text,
            ),
        ]));
    }
    if sim.guards().is_empty() && sim.rollout().is_some() && sim.allows("guard") {
        lines.push(Line::styled(
            "no guards: :guard error_rate>2% for 10s -> rollback",
            theme.dim,
        ));
    }
    // The guards keep one line each (their state first, so it never falls off); the
    // status wraps into what is left above them.
    let inner = block.inner(area);
    block.render(area, buf);
    let guards_h = (lines.len() as u16).min(inner.height.saturating_sub(1));
    let [top, bottom] = inner.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(guards_h),
    ]));
    let mut status: Vec<Line> =
        view::wrap(&status_text(sim), usize::from(top.width).saturating_sub(2))
            .into_iter()
            .enumerate()
            .map(|(i, part)| {
                let lead = if i == 0 {
                    format!("{glyph} ")
                } else {
                    "  ".to_string()
                };
                Line::from(vec![
                    Span::styled(lead, style.add_modifier(Modifier::BOLD)),
                    Span::styled(part, status_style),
                ])
            })
            .collect();
    if status.len() > usize::from(top.height)
        && let Some(mut last) = status
            .get(usize::from(top.height).saturating_sub(1))
            .cloned()
    {
        status.truncate(usize::from(top.height).saturating_sub(1));
        last.spans.push(Span::raw(" …"));
        status.push(view::fit(last, top.width));
    }
    Paragraph::new(status).render(top, buf);
    for (line, y) in lines.into_iter().zip(bottom.y..bottom.bottom()) {
        buf.set_line(bottom.x, y, &view::fit(line, bottom.width), bottom.width);
    }
}

#[cfg(test)]
mod advice_tests {
    use super::*;
    use crate::command::parse_command;
    use crate::mission::{builtin, resolve};

    /// The panel's advice before anything rolls, and its keys: only what the mission
    /// allows, and never the follow-up release before the one it follows.
    #[test]
    fn the_panel_offers_only_what_the_mission_allows() {
        for (id, _) in builtin() {
            let (_, mission) = resolve(id).expect("built-in");
            let sim = Sim::new(&mission, 1);
            let text = status_text(&sim);
            let advice = text.split(':').nth(1).expect("an example").trim();
            for step in advice.split('·') {
                let cmd = parse_command(step.trim()).expect("the advice parses");
                assert!(sim.allows(cmd.name()), "{id}: {text}");
            }
            if let Some(first) = mission.releases.first() {
                assert!(advice.contains(first.as_str()), "{id}: {text}");
            }
            for phase in [Phase::Running, Phase::Aborted] {
                for key in rollout_keys(&sim, &phase).unwrap_or_default().split('·') {
                    let name = key.split_whitespace().nth(1);
                    assert!(name.is_none_or(|n| sim.allows(n)), "{id}: {key}");
                }
            }
        }
    }
}
