//! The debrief's review: what went well, what cost points (with the score's own formula,
//! `sim::score::points`), and what a pro would have done — the mission's last hint, and
//! when detection was slow, the guard that would have caught it and when it would have fired.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::Debrief;
use crate::sim::{Sim, VersionId};
use crate::time::clock;
use crate::ui::Theme;

/// The suggested guard's threshold (error rate, 0..1) and hold time (seconds).
const GUARD_RATE: f64 = 0.02;
const GUARD_FOR_S: u64 = 10;
/// Detection slower than this is worth a guard.
const SLOW_DETECT_S: f64 = 15.0;

pub use crate::sim::costs;

/// The version being released: the rollout's target, else the newest version that ran.
fn new_version(sim: &Sim) -> Option<VersionId> {
    if let Some(r) = sim.rollout() {
        return Some(if r.is_rollback { r.from } else { r.to });
    }
    (1..sim.versions().len())
        .rev()
        .map(|v| VersionId(v as u16))
        .find(|v| {
            sim.history().iter().any(|m| {
                m.by_version
                    .get(v.0 as usize)
                    .is_some_and(|s| s.servers > 0)
            })
        })
}

/// A guard that would have caught the new version's errors, and the game second it would
/// have fired: the first second its error rate was above `GUARD_RATE`, plus `GUARD_FOR_S`.
/// Only advice the player can follow: the mission must unlock `guard`, and the version's
/// own fault must have shown (a guard that rolls back a healthy release is bad advice).
pub fn guard_advice(sim: &Sim) -> Option<(String, f64)> {
    if !sim.mission().unlocks.iter().any(|u| u == "guard") {
        return None;
    }
    let v = new_version(sim)?;
    sim.release_states().get(v.0 as usize)?.evidence?;
    let first = sim.history().iter().find(|m| {
        m.by_version
            .get(v.0 as usize)
            .is_some_and(|s| s.arrived > 0 && s.error_rate() > GUARD_RATE)
    })?;
    let fires = (first.t - 1 + GUARD_FOR_S) as f64;
    let spec = format!(
        "guard error_rate>{:.0}% for {GUARD_FOR_S}s version={} -> rollback",
        GUARD_RATE * 100.0,
        sim.version_name(v)
    );
    Some((spec, fires))
}

fn heading(text: &str, theme: &Theme) -> Line<'static> {
    Line::styled(text.to_string(), theme.accent.add_modifier(Modifier::BOLD))
}

fn item(glyph: &str, style: ratatui::style::Style, text: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{glyph} "), style),
        Span::styled(text, theme.text),
    ])
}

/// The three sections, as lines to wrap.
pub fn lines(d: &Debrief, theme: &Theme) -> Vec<Line<'static>> {
    let s = &d.outcome.score;
    let mut out = Vec::new();
    if let Some(rank) = d.rank_up {
        out.push(item(
            "★",
            theme.good.add_modifier(Modifier::BOLD),
            crate::ui::menu::rank_up_text(rank),
            theme,
        ));
    }
    match &d.status {
        Some(Ok(text)) => out.push(item("✔", theme.good, text.clone(), theme)),
        Some(Err(why)) => out.push(item("✖", theme.bad, why.clone(), theme)),
        None => {}
    }
    if let Some(g) = d.ghost.as_ref().filter(|_| d.show_ghost) {
        let text = format!(
            "the dim line ░ is the reference solution on the same seed: {} points, {} s of downtime (g hides it)",
            g.points, g.downtime_s
        );
        out.push(item("░", theme.dim, text, theme));
    }
    if !out.is_empty() {
        out.push(Line::raw(""));
    }
    out.push(heading("WHAT WENT WELL", theme));
    let mut well = Vec::new();
    if s.downtime_s == 0 {
        well.push("no downtime: users could always reach the service".to_string());
    }
    if s.error_budget_used_pct < 25.0 {
        well.push(format!(
            "only {:.0}% of this window's error budget spent",
            s.error_budget_used_pct
        ));
    }
    if let Some(t) = s.mttd_s.filter(|&t| t <= SLOW_DETECT_S) {
        well.push(format!("you noticed the trouble in {t:.0} s"));
    }
    if let Some(t) = s.mttr_s.filter(|&t| t <= 30.0) {
        well.push(format!("users were fine again {t:.0} s after the impact"));
    }
    if s.sessions_lost == 0 {
        well.push("no user session was lost".to_string());
    }
    if !d.game.sim.guards().is_empty() {
        well.push("you set a guard: the fleet watched itself".to_string());
    }
    for o in d.outcome.objectives.iter().filter(|o| o.met) {
        well.push(o.text.clone());
    }
    if well.is_empty() {
        out.push(item("·", theme.dim, "not much this time".into(), theme));
    }
    out.extend(well.into_iter().map(|t| item("✔", theme.good, t, theme)));

    out.push(Line::raw(""));
    out.push(heading("WHAT COST YOU POINTS", theme));
    let costs = costs(s);
    if costs.is_empty() {
        out.push(item("✔", theme.good, "nothing: 1000 points".into(), theme));
    }
    if !d.outcome.passed {
        out.push(item(
            "·",
            theme.dim,
            format!(
                "{} points, not counted: the objectives were not met",
                s.points
            ),
            theme,
        ));
    }
    for c in &costs {
        let pts = if c.points < 1.0 {
            "<1".to_string()
        } else {
            format!("{:.0}", c.points)
        };
        out.push(item(
            &format!("−{pts:>3}"),
            theme.warn,
            c.what.clone(),
            theme,
        ));
    }
    for o in d.outcome.objectives.iter().filter(|o| !o.met) {
        let text = match &o.why {
            Some(why) => format!("missed: {} — {why}", o.text),
            None => format!("missed: {}", o.text),
        };
        out.push(item("✖", theme.bad, text, theme));
    }

    // Advice only when there is some (free play has no hints to end with).
    let mut pro = Vec::new();
    let sim = &d.game.sim;
    let slow = s.mttd_s.is_some_and(|t| t > SLOW_DETECT_S);
    if let Some((spec, fires)) = guard_advice(sim).filter(|_| slow) {
        let noticed = d
            .markers
            .reaction
            .map_or("you never reacted".to_string(), |r| {
                format!("you reacted at {}", clock(r))
            });
        pro.push(item(
            "◉",
            theme.accent,
            format!(
                "set `{spec}` before starting: it would have fired at {} ({noticed})",
                clock(fires)
            ),
            theme,
        ));
    }
    if let Some(h) = sim.mission().hints.last() {
        pro.push(item("▸", theme.accent, h.clone(), theme));
    }
    if !pro.is_empty() {
        out.push(Line::raw(""));
        out.push(heading("WHAT A PRO WOULD HAVE DONE", theme));
        out.extend(pro);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Score;

    #[test]
    fn costs_follow_the_score_formula_and_sum_to_the_loss() {
        let s = Score {
            downtime_s: 3,
            total_requests: 1000,
            failed_requests: 10,
            availability: 0.99,
            error_budget_used_pct: 200.0,
            mttd_s: Some(40.0),
            mttr_s: None,
            users_affected_pct: 1.0,
            sessions_lost: 2000,
            rollout_s: None,
            slow_requests: 5,
            slow_s: 20,
            wrong_reads: 300,
            duplicate_writes: 0,
            points: 0,
        };
        let c = costs(&s);
        let pts: Vec<f64> = c.iter().map(|c| c.points).collect();
        assert_eq!(pts, vec![300.0, 100.0, 60.0, 40.0, 30.0, 30.0]);
        let lost: f64 = pts.iter().sum();
        // 1000 − 10×3 − 2×150 − 3×20 − 40 − min(2000/10, 100) − 300/10 = 440.
        assert_eq!(1000.0 - lost, 440.0, "the review explains every lost point");
        assert_eq!(crate::sim::score_points(&s), 440);
    }
}
