//! The debrief: outcome, grade, stars, points and what cost them; the whole run's error
//! chart with markers (first impact, the player's reaction, the restore); objectives; the
//! mission's lesson; and its quiz, answered with number keys.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Modifier;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::game::Game;
use super::keymap::{self, Action, Ctx};
use super::plot::{self, Series};
use super::{Theme, view};
use crate::sim::Outcome;
use crate::time::clock;

pub mod config;
mod review;

/// The guard the debrief would advise after this run, if any (for the advice tests).
pub fn guard_advice(sim: &crate::sim::Sim) -> Option<String> {
    review::guard_advice(sim).map(|(spec, _)| spec)
}

/// Moments of the run worth marking, in game seconds: the score's own (fault onset,
/// reaction, restore, first silent damage), so the markers, "detect" and "restore" agree.
pub type Markers = crate::sim::Moments;

/// A finished mission.
#[derive(Debug, Clone)]
pub struct Debrief {
    pub game: Game,
    pub outcome: Outcome,
    pub markers: Markers,
    /// The player's answer to each quiz question: an index into the mission file's choices.
    pub answers: Vec<Option<usize>>,
    /// The order each question's choices are shown in, shuffled from the seed (the run
    /// report records the same order): key `k` answers with `order[q][k - 1]`.
    pub order: crate::quiz::Order,
    /// Lines scrolled off the top of the text below the chart (↑/↓).
    pub scroll: u16,
    /// The reference solution played on the same mission and seed, drawn as a dim line
    /// beside the player's (`None`: the mission has no reference, e.g. a custom file).
    pub ghost: Option<Ghost>,
    /// Whether the ghost line shows (`g`).
    pub show_ghost: bool,
    /// A line above the review: where the report was written (classroom play) or whether a
    /// replay matched its file; `Err` when something went wrong.
    pub status: Option<Result<String, String>>,
    /// The rank this run earned, if it earned one.
    pub rank_up: Option<crate::progress::Rank>,
    /// The run and the reference as real config (`c`), written once, when first opened.
    pub config: Option<config::ConfigPage>,
    /// Whether the config page shows instead of the debrief.
    pub config_open: bool,
}

impl Debrief {
    pub fn new(game: Game) -> Self {
        let outcome = game.sim.outcome();
        let markers = markers(&game);
        let answers = vec![None; game.sim.mission().quiz.len()];
        let order = crate::quiz::order(&game.id, game.seed, &game.sim.mission().quiz);
        Self {
            outcome,
            markers,
            answers,
            order,
            scroll: 0,
            ghost: Ghost::of(&game),
            show_ghost: true,
            status: None,
            rank_up: None,
            config: None,
            config_open: false,
            game,
        }
    }

    /// Answers the first unanswered question with the choice shown at place `i` (0-based;
    /// ignored when out of range).
    pub fn answer(&mut self, i: usize) {
        if let Some(q) = self.answers.iter().position(Option::is_none)
            && let Some(&choice) = self.order.get(q).and_then(|shown| shown.get(i))
        {
            self.answers[q] = Some(choice);
        }
    }

    /// Opens the config page, writing it the first time.
    pub fn open_config(&mut self) {
        if self.config.is_none() {
            self.config = Some(config::ConfigPage::of_run(&self.game));
        }
        self.config_open = true;
    }

    /// The place (0-based) the right answer of question `q` is shown at.
    pub fn answer_place(&self, q: usize) -> Option<usize> {
        let right = self.game.sim.mission().quiz.get(q)?.answer;
        self.order.get(q)?.iter().position(|&c| c == right)
    }
}

/// The reference solution's run, for comparison on the debrief's chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Ghost {
    /// (second, error %) for every second.
    pub errors: Vec<(f64, f64)>,
    pub points: u32,
    pub downtime_s: u64,
}

impl Ghost {
    /// Plays the mission's reference solution headless on the game's mission and seed.
    fn of(game: &Game) -> Option<Self> {
        let script = crate::mission::solution_script(&game.id)?;
        let script = crate::command::parse_script(script).ok()?;
        let report = crate::runner::run_script(game.sim.mission(), &game.id, &script, game.seed);
        Some(Self {
            errors: report
                .timeline
                .iter()
                .map(|e| (e.t as f64, e.error_rate * 100.0))
                .collect(),
            points: report.score.points,
            downtime_s: report.score.downtime_s,
        })
    }
}

fn markers(game: &Game) -> Markers {
    game.sim.moments()
}

pub fn render(d: &Debrief, theme: &Theme, marker: Marker, area: Rect, buf: &mut Buffer) {
    if d.config_open
        && let Some(page) = &d.config
    {
        config::render(page, Ctx::Config, theme, area, buf);
        return;
    }
    let sim = &d.game.sim;
    let m = sim.mission();
    let chart_h = (area.height / 4).clamp(6, 18);
    let [head, chart, marks, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(chart_h),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    head_line(d, theme).render(head, buf);
    run_chart(d, theme, marker, chart, buf);
    marker_line(d, theme).render(marks, buf);
    // Unanswered, the quiz comes first (it waits for a key); answered, the lesson does.
    // Free play has no lesson: the fleet at the end takes its place.
    let lesson = if m.sandbox {
        super::sandbox::summary(d, theme)
    } else {
        vec![
            Line::styled(
                "WHAT TO REMEMBER",
                theme.accent.add_modifier(Modifier::BOLD),
            ),
            Line::styled(m.debrief.clone(), theme.text),
            Line::raw(""),
        ]
    };
    let quiz = quiz_lines(d, theme);
    let lesson_quiz: Vec<Line> = if d.answers.iter().any(Option::is_none) {
        quiz.into_iter()
            .chain(std::iter::once(Line::raw("")))
            .chain(lesson)
            .collect()
    } else {
        lesson.into_iter().chain(quiz).collect()
    };
    let mut left = vec![numbers_line(d, theme), Line::raw("")];
    left.extend(review::lines(d, theme));
    // Wide: the review beside the lesson; narrow: one column. Both scroll with ↑/↓.
    let columns: Vec<(Rect, Vec<Line>)> = if body.width >= 120 {
        let [l, r] = body.layout(&Layout::horizontal([
            Constraint::Percentage(50),
            Constraint::Fill(1),
        ]));
        vec![
            (l.inner(Margin::new(1, 0)), left),
            (r.inner(Margin::new(1, 0)), lesson_quiz),
        ]
    } else {
        let mut all = lesson_quiz;
        if d.answers.iter().all(Option::is_some) {
            // Answered: the review first, the lesson after it.
            let mut review = left;
            review.push(Line::raw(""));
            review.extend(all);
            all = review;
        } else {
            all.push(Line::raw(""));
            all.extend(left);
        }
        vec![(body.inner(Margin::new(1, 0)), all)]
    };
    // The scroll mark takes the body's last row when the text does not fit (drawn over
    // the text it cut a word).
    let columns: Vec<(Rect, Vec<Line>)> = columns
        .into_iter()
        .map(|(rect, lines)| (rect, view::hang(view::glued(lines), rect.width)))
        .collect();
    let more = columns
        .iter()
        .any(|(rect, lines)| view::wrapped_height(lines, rect.width) > rect.height + d.scroll);
    let marked = more || d.scroll > 0;
    for (rect, lines) in columns {
        let rect = if marked {
            Rect {
                height: rect.height.saturating_sub(1),
                ..rect
            }
        } else {
            rect
        };
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0))
            .render(rect, buf);
        view::unglue(rect, buf);
    }
    if d.game.playback.is_some() {
        // A replay's debrief: r watches it again, leaving quits (it came from the shell).
        let doc = |b: &keymap::Binding| match b.action {
            Action::Replay => "watch again",
            Action::Confirm | Action::Back => "quit",
            _ => b.doc,
        };
        view::footer_with(Ctx::Debrief, &doc, theme, footer, buf);
    } else {
        view::footer_with(
            Ctx::Debrief,
            &view::mission_doc(m.sandbox, true),
            theme,
            footer,
            buf,
        );
    }
    if marked {
        let hint = if more {
            " ↓ more · ↑/↓ scroll "
        } else {
            " ↑ scroll back "
        };
        view::corner_mark(hint, theme, body, buf);
    }
}

fn run_chart(d: &Debrief, theme: &Theme, marker: Marker, area: Rect, buf: &mut Buffer) {
    let sim = &d.game.sim;
    let hist: Vec<_> = sim.history().iter().collect();
    let end = hist.last().map_or(1.0, |m| m.t as f64);
    let start = hist.first().map_or(0.0, |m| (m.t - 1) as f64);
    let mut series = vec![Series {
        name: "error %".into(),
        style: theme.bad,
        data: hist
            .iter()
            .map(|m| (m.t as f64, m.error_rate() * 100.0))
            .collect(),
    }];
    if let Some(g) = d.ghost.as_ref().filter(|_| d.show_ghost) {
        series.push(Series {
            name: "░ pro".into(),
            style: theme.dim,
            data: g.errors.clone(),
        });
    }
    let slo = (1.0 - sim.mission().slo.target) * 100.0;
    // A percentage: headroom above the line, but never an axis past 100 %.
    let top = series
        .iter()
        .flat_map(|s| s.data.iter().map(|p| p.1))
        .fold(slo * 2.0, f64::max);
    let ymax = (top * 1.1).min(100.0);
    series.push(Series {
        name: "┄ SLO".into(),
        style: theme.dim,
        data: vec![(start, slo), (end, slo)],
    });
    let marks = [
        (d.markers.onset, "▲ impact", theme.bad),
        (d.markers.reaction, "◆ you", theme.accent),
        (d.markers.restored, "● restored", theme.good),
        (d.markers.damage, "✖ damage", theme.warn),
    ];
    for (t, name, style) in marks {
        if let Some(t) = t {
            series.push(Series {
                name: name.into(),
                style,
                data: vec![(t, 0.0), (t, ymax)],
            });
        }
    }
    plot::render_series(
        "WHAT HAPPENED",
        "",
        &series,
        ymax,
        [start, end.max(start + 1.0)],
        theme,
        marker,
        area,
        buf,
    );
}

fn marker_line(d: &Debrief, theme: &Theme) -> Line<'static> {
    let k = d.markers;
    let Some(impact) = k.onset else {
        let s = &d.outcome.score;
        // Damage nobody saw on a dashboard is still damage: never call that "fine".
        let at = k
            .damage
            .map(|t| format!(" from {}", clock(t)))
            .unwrap_or_default();
        let (text, style) = if s.damaged_data() > 0 {
            (
                format!(
                    " ✖ no user saw an error, but {} records were damaged{at} (wrong or stale reads, duplicated writes)",
                    s.damaged_data()
                ),
                theme.bad,
            )
        } else if s.sessions_lost > 0 {
            (
                format!(
                    " ✖ no outage, but {} sessions were lost{at}",
                    s.sessions_lost
                ),
                theme.warn,
            )
        } else if let Some(why) = d.outcome.objectives.iter().find_map(|o| o.why.as_ref()) {
            // A release ticket left open says why in the story's words.
            (format!(" ✖ {why}"), theme.bad)
        } else if !d.outcome.passed {
            (
                " no second burned the error budget, but the mission's objectives were not met"
                    .to_string(),
                theme.warn,
            )
        } else {
            (
                " no second burned the error budget faster than the SLO allows: users were fine"
                    .to_string(),
                theme.good,
            )
        };
        return Line::styled(text, style);
    };
    let mut spans = vec![Span::styled(
        format!(" ▲ {} users hit", clock(impact)),
        theme.bad,
    )];
    match k.reaction {
        Some(r) => spans.push(Span::styled(
            format!("   ◆ {} you reacted (detect {:.0} s)", clock(r), r - impact),
            theme.accent,
        )),
        None => spans.push(Span::styled("   ◆ no reaction", theme.warn)),
    }
    match k.restored {
        Some(r) => spans.push(Span::styled(
            format!(
                "   ● {} restored ({:.0} s after impact)",
                clock(r),
                r - impact
            ),
            theme.good,
        )),
        None => spans.push(Span::styled("   ● never restored", theme.bad)),
    }
    if let Some(t) = k.damage {
        let s = &d.outcome.score;
        spans.push(Span::styled(
            format!(
                "   ✖ {} first damage ({} records, {} sessions)",
                clock(t),
                s.damaged_data(),
                s.sessions_lost
            ),
            theme.warn,
        ));
    }
    Line::from(spans)
}

fn head_line(d: &Debrief, theme: &Theme) -> Line<'static> {
    if d.game.sim.mission().sandbox {
        return super::sandbox::debrief_head(d, theme);
    }
    let o = &d.outcome;
    let (verdict, vstyle) = if o.passed {
        ("PASSED", theme.good)
    } else {
        ("FAILED", theme.bad)
    };
    Line::from(vec![
        Span::styled(
            format!(" {} · {} — ", d.game.id, d.game.sim.mission().title),
            theme.title,
        ),
        Span::styled(
            verdict,
            vstyle.add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ),
        Span::styled(
            format!(
                "   {}",
                "★".repeat(o.stars as usize) + &"☆".repeat(3 - o.stars.min(3) as usize)
            ),
            theme.warn,
        ),
        Span::styled(
            // A failed run's grade is F by definition: the room goes to "not counted".
            if o.passed {
                format!("   grade {}   {}", o.grade.as_str(), points_words(o))
            } else {
                format!("   {}", points_words(o))
            },
            theme.title,
        ),
    ])
}

/// The points as the debrief says them: a failed run's points are not counted (the report
/// keeps the number, and the scoreboard counts 0).
pub fn points_words(o: &crate::sim::Outcome) -> String {
    if o.passed {
        format!("{} points", o.score.points)
    } else {
        format!("{} points, not counted", o.score.points)
    }
}

fn numbers_line(d: &Debrief, theme: &Theme) -> Line<'static> {
    let s = &d.outcome.score;
    let opt = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.0} s"));
    Line::styled(
        format!(
            "downtime {} s · slow {} s · window budget used {:.0}% · detect {} · restore {} · users hit {:.1}% · sessions lost {} · damaged records {}",
            s.downtime_s,
            s.slow_s,
            s.error_budget_used_pct,
            opt(s.mttd_s),
            opt(s.mttr_s),
            s.users_affected_pct,
            s.sessions_lost,
            s.damaged_data()
        ),
        theme.text,
    )
}

fn quiz_lines(d: &Debrief, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let quiz = &d.game.sim.mission().quiz;
    for ((q, answer), shown) in quiz.iter().zip(&d.answers).zip(&d.order) {
        lines.push(Line::styled(
            format!("QUIZ  {}", q.q),
            theme.accent.add_modifier(Modifier::BOLD),
        ));
        // Shown in the seed's order, numbered by place: the number keys pick by place.
        for (place, (i, c)) in shown
            .iter()
            .filter_map(|&i| Some((i, q.choices.get(i)?)))
            .enumerate()
        {
            let mark = match answer {
                Some(_) if i == q.answer => "✔",
                Some(a) if *a == i => "✖",
                _ => " ",
            };
            lines.push(Line::styled(
                format!(" {mark} {}. {c}", place + 1),
                theme.text,
            ));
        }
        match answer {
            Some(a) if *a == q.answer => {
                lines.push(Line::styled(format!("right! {}", q.why), theme.good));
            }
            Some(_) => lines.push(Line::styled(format!("not quite: {}", q.why), theme.warn)),
            None => {
                lines.push(Line::styled("press the number of your answer", theme.dim));
                break;
            }
        }
    }
    lines
}
