//! What free play shows instead of a mission's story and verdict: the briefing lists the
//! fleet and says every command is unlocked; the debrief's head has no pass/fail, stars or
//! grade (there were no objectives), and the lesson's place holds the fleet at the end.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::Theme;
use super::debrief::Debrief;
use super::keymap::{Action, Binding, Ctx};
use crate::mission::{Balancer, Mission, Sessions, Shape, known_commands};
use crate::sim::{ServerState, Sim};
use crate::time::clock;

/// A key's footer text in free play: what leads back to the missions quits instead;
/// `None` hides a key that has nothing to do there (no quiz; `q` already quits).
pub fn key_doc(b: &Binding) -> Option<&'static str> {
    match (b.ctx, b.action) {
        (Ctx::Debrief, Action::Answer(_) | Action::Confirm) => None,
        (Ctx::Briefing | Ctx::Debrief, Action::Back) | (Ctx::Play, Action::AskQuit) => Some("quit"),
        // Free play has no mission to abandon.
        (Ctx::Confirm, Action::Yes) => Some("quit free play"),
        _ => Some(b.doc),
    }
}

fn heading(text: &str, theme: &Theme) -> Line<'static> {
    Line::styled(text.to_string(), theme.accent.add_modifier(Modifier::BOLD))
}

/// The sandbox's briefing: the fleet as configured and what the player may do.
pub fn briefing(id: &str, m: &Mission, theme: &Theme) -> Vec<Line<'static>> {
    let f = &m.fleet;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{id} · {}", m.title), theme.title),
            Span::styled("   free play", theme.dim),
        ]),
        Line::raw(""),
    ];
    if !m.briefing.is_empty() {
        // One line per line of the file's briefing (each wraps on screen).
        for line in m.briefing.lines() {
            lines.push(Line::styled(line.to_string(), theme.text));
        }
        lines.push(Line::raw(""));
    }
    lines.push(heading("THE FLEET", theme));
    let balancer = match f.balancer {
        Balancer::Weighted => "weighted balancer",
        Balancer::ServerCount => "balancer spreads evenly over servers",
    };
    let sessions = match (f.sessions, f.session_store_rps) {
        (Sessions::Stateless, _) => "stateless sessions (signed tokens)".to_string(),
        (Sessions::External, _) => "sessions in the external store".to_string(),
        (Sessions::InMemory, Some(rps)) => {
            format!("sessions in server memory (an external store of {rps:.0} req/s exists)")
        }
        (Sessions::InMemory, None) => "sessions in server memory".to_string(),
    };
    let shape = match &m.traffic.shape {
        Shape::Flat => String::new(),
        Shape::Ramp { to_rps } => format!(", ramping to {to_rps:.0}"),
        Shape::Wave { amplitude, period } => {
            format!(", a wave of ±{:.0}% every {period}", amplitude * 100.0)
        }
    };
    let text = |s: String| Line::styled(s, theme.text);
    lines.push(text(format!(
        "{} × {:.0} req/s in {} · {balancer} · {sessions}",
        crate::words::count(f.servers as usize, "server"),
        f.capacity_rps,
        f.pools.join(", ")
    )));
    lines.push(text(format!(
        "{:.0} req/s of users{shape} · drain {} · deploy {} · boot {} · warm-up {}",
        m.traffic.base_rps, f.timings.drain, f.timings.deploy, f.timings.boot, f.timings.warmup
    )));
    let versions: Vec<String> = m
        .versions
        .keys()
        .map(|v| {
            if *v == m.start.version {
                format!("{v} (running)")
            } else {
                v.clone()
            }
        })
        .collect();
    lines.push(text(format!(
        "versions {} — any defects show only as symptoms",
        versions.join(", ")
    )));
    let migrations: Vec<&str> = m.database.migrations.keys().map(String::as_str).collect();
    if !migrations.is_empty() {
        lines.push(text(format!(
            "database schema {} · migrations {}",
            m.database.schema,
            migrations.join(", ")
        )));
    }
    if m.pipeline.is_some() {
        lines.push(text(
            "a release pipeline: build → test → package → staging → production".into(),
        ));
    }
    lines.push(Line::styled(
        format!("runs {} · {}", clock(m.duration.secs()), m.slo.describe()),
        theme.dim,
    ));
    lines.push(Line::raw(""));
    lines.push(heading("EVERY COMMAND IS UNLOCKED", theme));
    lines.push(text(known_commands().join(" · ")));
    lines.push(Line::styled(
        "No objectives: try anything. Free play never touches your campaign progress.",
        theme.dim,
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "In play, press : to type commands (Tab completes), ? for help, q to leave. Press Enter to start.",
        theme.warn.add_modifier(Modifier::BOLD),
    ));
    lines
}

/// The debrief's first line: where, and the points — nothing to pass or fail.
pub fn debrief_head(d: &Debrief, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!(" {} · {} — ", d.game.id, d.game.sim.mission().title),
            theme.title,
        ),
        Span::styled(
            "FREE PLAY",
            theme
                .accent
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ),
        Span::styled(format!("   {} points", d.outcome.score.points), theme.title),
    ])
}

/// In place of the lesson: the fleet when the time ran out, and the requests served.
pub fn summary(d: &Debrief, theme: &Theme) -> Vec<Line<'static>> {
    let sim = &d.game.sim;
    let s = &d.outcome.score;
    let mut lines = vec![heading("THE FLEET AT THE END", theme)];
    for (name, total, serving) in by_version(sim) {
        lines.push(Line::styled(
            format!(
                "{name}: {}, {serving} in service",
                crate::words::count(total, "server")
            ),
            theme.text,
        ));
    }
    lines.push(Line::styled(
        format!(
            "{} requests, {} failed: {:.3}% available · database schema {}",
            s.total_requests,
            s.failed_requests,
            s.availability * 100.0,
            sim.schema()
        ),
        theme.text,
    ));
    if let Some(r) = s.rollout_s {
        lines.push(Line::styled(
            format!("rollout time {} (from the first deploy)", clock(r)),
            theme.text,
        ));
    }
    lines.push(Line::raw(""));
    lines
}

/// (version, servers on it, of them in service), for versions with servers, by name.
fn by_version(sim: &Sim) -> Vec<(String, usize, usize)> {
    sim.versions()
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let on: Vec<_> = sim
                .servers()
                .iter()
                .filter(|s| usize::from(s.version.0) == i)
                .collect();
            let serving = on
                .iter()
                .filter(|s| s.state() == ServerState::InService)
                .count();
            (!on.is_empty()).then(|| (v.name.clone(), on.len(), serving))
        })
        .collect()
}
