//! `zerodown workshop watch`: the room drawn from the heartbeat files class play writes —
//! stuck students first and marked in words, silent games told apart, finished and
//! abandoned missions — and class play really writes them.

mod common;

use std::time::Duration;

use common::TempDir;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use zerodown::ui::watch::Room;
use zerodown::ui::{GlyphMode, Palette, Settings, Theme};
use zerodown::workshop::live::{Finished, Heartbeat, Read, read_all, room};

const NOW: u64 = 1_800_000_000;

fn beat(player: &str, screen: &str, mission: &str, ago: u64, idle: u64) -> Heartbeat {
    Heartbeat {
        game_version: "0.1.0".into(),
        player: player.into(),
        class: Some("54X5-YQ3T-J6VJ-TKNY".into()),
        screen: screen.into(),
        mission: Some(mission.into()),
        game_time_s: 95,
        commands: 4,
        last_command: Some("canary v8 steps=5,20,50,100 interval=30s".into()),
        hints_used: 1,
        outcome: "playing".into(),
        updated_unix: NOW - ago,
        last_command_unix: NOW - idle,
        ..Heartbeat::default()
    }
}

fn class_folder() -> TempDir {
    let dir = TempDir::new("watch");
    let mut ada = beat("ada", "playing", "07-canary", 2, 20);
    ada.finished.push(Finished {
        mission: "03-rolling-by-hand".into(),
        passed: true,
        stars: 3,
    });
    let bob = beat("bob", "playing", "07-canary", 1, 400);
    let cy = beat("cy", "playing", "03-rolling-by-hand", 200, 210);
    let mut dan = beat("dan", "debrief", "03-rolling-by-hand", 2, 30);
    dan.finished.push(Finished {
        mission: "03-rolling-by-hand".into(),
        passed: false,
        stars: 0,
    });
    dan.abandoned.push("07-canary".into());
    for b in [ada, bob, cy, dan] {
        let json = serde_json::to_string_pretty(&b).expect("json");
        dir.file(&format!("{}.heartbeat", b.player), &json);
    }
    dir.file("eve.heartbeat", "{ not json");
    // A report beside them is not a heartbeat.
    dir.file("ada-03-rolling-by-hand.json", "{}");
    dir
}

fn draw(reads: &[Read], w: u16, h: u16) -> String {
    draw_with(reads, w, h, &Settings::default())
}

fn draw_with(reads: &[Read], w: u16, h: u16, settings: &Settings) -> String {
    let rows = room(reads, NOW, Duration::from_mins(3), None);
    let theme = Theme::new(Palette::Dark);
    let unreadable = reads
        .iter()
        .filter(|r| matches!(r, Read::Unreadable { .. }))
        .count();
    let view = Room {
        rows: &rows,
        dir: "~/class",
        unreadable,
        stuck: Duration::from_mins(3),
        scroll: 0,
        theme: &theme,
    };
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    (&view).render(area, &mut buf);
    zerodown::ui::view::settle(&mut buf, settings, &theme);
    (0..h)
        .map(|y| {
            let line: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_room_shows_stuck_students_first_in_words() {
    let dir = class_folder();
    let reads = read_all(&dir.0).expect("the folder");
    assert_eq!(
        reads.len(),
        5,
        "four heartbeats and one unreadable; not the report"
    );
    let wide = draw(&reads, 120, 12);
    insta::assert_snapshot!("watch_120x12", wide);
    let narrow = draw(&reads, 80, 24);
    insta::assert_snapshot!("watch_80x24", narrow);
    let lines: Vec<&str> = wide.lines().collect();
    assert!(
        lines[4].starts_with("bob") && lines[4].contains("⚠ stuck 6:40"),
        "{wide}"
    );
    assert!(
        lines[5].starts_with("cy") && lines[5].contains("? silent 3:20"),
        "{wide}"
    );
    assert!(wide.contains("✖03 ↩07"), "{wide}");
    assert!(wide.contains("1 heartbeat file unreadable"), "{wide}");
}

#[test]
fn a_class_filter_leaves_other_classes_out() {
    let dir = class_folder();
    let reads = read_all(&dir.0).expect("the folder");
    assert_eq!(
        room(&reads, NOW, Duration::from_mins(3), Some("OTHER")).len(),
        0
    );
    assert_eq!(
        room(
            &reads,
            NOW,
            Duration::from_mins(3),
            Some("54X5-YQ3T-J6VJ-TKNY")
        )
        .len(),
        4
    );
}

#[test]
fn the_room_reads_in_ascii_on_a_plain_console() {
    let dir = class_folder();
    let reads = read_all(&dir.0).expect("the folder");
    let settings = Settings {
        glyphs: GlyphMode::Ascii,
        ..Settings::default()
    };
    let text = draw_with(&reads, 80, 24, &settings);
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("stuck 6:40"), "{text}");
}
