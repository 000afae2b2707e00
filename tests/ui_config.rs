//! The debrief's "as real config" page (issue 16, in the game): `c` on a finished mission's
//! debrief shows the player's run and the reference solution as rollout config side by side,
//! the lines that differ marked; `f` cycles the format; Tab shows the other side on a narrow
//! screen; Esc goes back. Every size from 80×24 keeps every word whole.

mod common;

use common::ui::{command, cuts, draw, key, run_to_end, screen_text};
use ratatui::crossterm::event::KeyCode::{self, Char, Esc, PageDown, Tab};
use zerodown::manifest::Format;
use zerodown::ui::{Action, App, ConfigPage, Ctx, Screen, Settings};

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (160, 48)];

/// 07-canary played not as the reference does: one canary of v8, fast, then the clock runs
/// the mission out. Ends on the debrief.
fn finished(id: &str) -> App {
    let (real, mission) = zerodown::mission::resolve("07-canary").expect("built-in mission");
    let id = if id.is_empty() { real.as_str() } else { id };
    let mut app = App::briefing(Settings::default(), id, mission);
    app.update(Action::Resize(120, 40));
    key(&mut app, KeyCode::Enter);
    command(&mut app, "wait 10s");
    command(&mut app, "canary v8 steps=10,100 interval=20s");
    for _ in 0..4 {
        key(&mut app, Char('+'));
    }
    run_to_end(&mut app, 200_000);
    assert!(matches!(app.screen, Screen::Debrief(_)), "no debrief");
    app
}

fn page(app: &App) -> &ConfigPage {
    match &app.screen {
        Screen::Debrief(d) if d.config_open => d.config.as_ref().expect("written when opened"),
        _ => panic!("the config page is not open"),
    }
}

fn all_cuts(app: &App) -> Vec<String> {
    SIZES.iter().flat_map(|&(w, h)| cuts(app, w, h)).collect()
}

#[test]
fn c_opens_the_run_and_the_reference_as_config_and_esc_goes_back() {
    let mut app = finished("");
    assert_eq!(app.ctx(), Ctx::Debrief);
    let debrief = screen_text(&app, 120, 40);
    assert!(
        debrief.contains("c as config"),
        "the footer has the key:\n{debrief}"
    );
    key(&mut app, Char('c'));
    assert_eq!(app.ctx(), Ctx::Config);
    let text = screen_text(&app, 120, 40);
    assert!(text.contains("AS REAL CONFIG"), "{text}");
    assert!(text.contains("Argo Rollouts"), "{text}");
    assert!(text.contains("you | reference"), "{text}");
    assert!(text.contains("kind: Rollout"), "{text}");
    assert!(page(&app).alone.is_none());
    key(&mut app, Esc);
    assert_eq!(app.ctx(), Ctx::Debrief);
    assert!(screen_text(&app, 120, 40).contains("WHAT HAPPENED"));
    // Written once: the second time it opens as it was left.
    key(&mut app, Char('c'));
    key(&mut app, Char('f'));
    key(&mut app, Char('c'));
    assert_eq!(app.ctx(), Ctx::Debrief, "c closes it too");
    key(&mut app, Char('c'));
    assert_eq!(page(&app).format(), Format::ALL[1]);
}

#[test]
fn f_cycles_the_formats() {
    let mut app = finished("");
    key(&mut app, Char('c'));
    for (i, format) in Format::ALL.iter().cycle().skip(1).take(5).enumerate() {
        key(&mut app, Char('f'));
        assert_eq!(page(&app).format(), *format, "after {} presses", i + 1);
        let text = screen_text(&app, 120, 40);
        let head = text.lines().next().unwrap_or_default();
        assert!(head.contains(format.title()), "{head}");
    }
}

#[test]
fn a_differing_line_is_marked_in_the_gutter() {
    let mut app = finished("");
    key(&mut app, Char('c'));
    let p = page(&app);
    let changed = p.rows().iter().filter(|r| r.changed).count();
    assert!(changed > 0, "a run unlike the reference differs from it");
    assert!(changed < p.rows().len(), "and shares most of the config");
    // The first differing row, drawn: its text with a mark in front, on the same screen row.
    let mut seen = false;
    for _ in 0..40 {
        let text = screen_text(&app, 160, 48);
        if text.lines().any(|l| {
            let l: Vec<char> = l.chars().collect();
            l.first().is_some_and(|c| matches!(c, '~' | '-' | '+')) && l.get(1) == Some(&' ')
        }) {
            seen = true;
            break;
        }
        key(&mut app, PageDown);
    }
    assert!(seen, "no row is marked ~, - or +");
    // The legend says what the marks mean and how many lines differ.
    let text = screen_text(&app, 160, 48);
    assert!(text.contains("~ differs"), "{text}");
    assert!(text.contains(&format!("{changed} of")), "{text}");
}

#[test]
fn at_every_size_no_word_touches_a_border() {
    let mut app = finished("");
    key(&mut app, Char('c'));
    let mut all = Vec::new();
    for _ in Format::ALL {
        for side in 0..2 {
            for page in 0..6 {
                all.extend(
                    all_cuts(&app)
                        .into_iter()
                        .map(|c| format!("{side}/{page}: {c}")),
                );
                key(&mut app, PageDown);
            }
            for _ in 0..6 {
                key(&mut app, KeyCode::PageUp);
            }
            key(&mut app, Tab);
        }
        key(&mut app, Char('f'));
    }
    all.dedup();
    assert!(
        all.is_empty(),
        "{} cut rows:\n{}",
        all.len(),
        all.join("\n")
    );
    // At 80×24 the sides show one at a time, and say so; Tab switches.
    let text = screen_text(&app, 80, 24);
    assert!(text.contains("you (Tab: reference)"), "{text}");
    key(&mut app, Tab);
    let text = screen_text(&app, 80, 24);
    assert!(text.contains("reference (Tab: you)"), "{text}");
    assert!(text.contains("Tab other side"), "{text}");
}

#[test]
fn a_custom_mission_shows_the_players_config_alone_and_says_why() {
    let mut app = finished("my-canary");
    key(&mut app, Char('c'));
    let why = page(&app)
        .alone
        .clone()
        .expect("no reference for a custom mission");
    assert!(why.contains("no reference"), "{why}");
    for (w, h) in SIZES {
        let text = screen_text(&app, w, h);
        assert!(text.contains("you alone"), "{text}");
        assert!(text.contains("no reference solution"), "{text}");
        assert!(!text.contains("Tab other side"), "{text}");
    }
    assert!(all_cuts(&app).is_empty(), "{:?}", all_cuts(&app));
}

#[test]
fn the_page_scrolls_and_stops_at_the_end() {
    let mut app = finished("");
    app.update(Action::Resize(80, 24));
    key(&mut app, Char('c'));
    let top = screen_text(&app, 80, 24);
    assert!(top.contains("↓ more"), "{top}");
    for _ in 0..500 {
        key(&mut app, Char('j'));
    }
    let end = screen_text(&app, 80, 24);
    assert!(end.contains("↑ more") && !end.contains("↓ more"), "{end}");
    let scroll = page(&app).scroll;
    key(&mut app, Char('j'));
    assert_eq!(page(&app).scroll, scroll, "no scrolling past the end");
    key(&mut app, Char('k'));
    assert_eq!(page(&app).scroll, scroll - 1);
    // Wider, the end comes sooner: the first key up scrolls from where the page shows.
    app.update(Action::Resize(160, 48));
    for _ in 0..500 {
        key(&mut app, Char('j'));
    }
    let end = page(&app).scroll;
    app.update(Action::Resize(200, 60));
    let shown = screen_text(&app, 200, 60);
    key(&mut app, Char('k'));
    assert!(page(&app).scroll < end, "k scrolls up at once");
    assert_ne!(screen_text(&app, 200, 60), shown);
}

/// The page as a player reads it: side by side at 160×48, one side at a time at 80×24
/// (scrolled to the first lines that differ).
#[test]
fn the_page_reads_at_the_smallest_and_a_large_size() {
    let mut app = finished("");
    key(&mut app, Char('c'));
    insta::assert_snapshot!("config_160x48", draw(&app, 160, 48).backend());
    app.update(Action::Resize(80, 24));
    for _ in 0..6 {
        key(&mut app, Char('j'));
    }
    insta::assert_snapshot!("config_80x24", draw(&app, 80, 24).backend());
    key(&mut app, Tab);
    insta::assert_snapshot!("config_other_side_80x24", draw(&app, 80, 24).backend());
}
