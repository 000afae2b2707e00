//! Runs shared as terminal recordings (issue 17 part 3): `zerodown replay FILE --cast` writes
//! a valid asciicast v2 file whose escapes draw the game's own last frame, the same bytes
//! every time; `zerodown scoreboard --casts` records the top runs; `assets/demo.cast` is
//! what its documented command gives.

mod common;

use common::ui::{draw, run_to_end};
use common::{TempDir, builtin, run_level, zerodown};
use ratatui::buffer::Buffer;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;
use zerodown::cast::{Cast, Options, record};
use zerodown::replay::Recording;
use zerodown::ui::{App, Playback, Screen, Settings};

/// A mission with a bad release: alerts blink, the log scrolls, the debrief has a story.
const BAD: &str = "05-bad-build";

const OPTIONS: Options = Options {
    width: 120,
    height: 40,
    speed: 10,
    idle_limit_us: 2_000_000,
};

/// The app replaying the solution of `BAD`, as `zerodown replay` starts it.
fn replaying() -> App {
    let report = run_level(BAD, "solutions");
    let recording = Recording::from_report_json(&report.to_json()).expect("replayable");
    let (_, markers) = recording.rerun_marked(&builtin(BAD));
    App::replay(
        Settings::default(),
        BAD,
        builtin(BAD),
        recording.seed,
        Playback::new("run.json", recording.commands.clone()).about("ada · passed", markers),
        Ok("checked".into()),
    )
}

fn cast() -> Cast {
    record(replaying(), "05-bad-build — ada", OPTIONS).expect("recorded")
}

/// The header and the events of an asciicast text.
fn parse(text: &str) -> (Value, Vec<(f64, String)>) {
    let mut lines = text.lines();
    let header = serde_json::from_str(lines.next().expect("a header")).expect("header JSON");
    let events = lines
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let [t, kind, data] = v.as_array().expect("an array").as_slice() else {
                panic!("not [time, kind, data]: {line}");
            };
            assert_eq!(kind, "o", "{line}");
            (
                t.as_f64().expect("a time"),
                data.as_str().expect("data").to_string(),
            )
        })
        .collect();
    (header, events)
}

#[test]
fn a_cast_is_asciicast_v2_with_times_in_order_and_no_long_pause() {
    let cast = cast();
    let (header, events) = parse(&cast.text);
    assert_eq!(header["version"], 2);
    assert_eq!(header["width"], 120);
    assert_eq!(header["height"], 40);
    assert_eq!(header["env"]["TERM"], "xterm-256color");
    assert_eq!(header["title"], "05-bad-build — ada");
    assert!(header.get("timestamp").is_none(), "no wall clock: {header}");
    assert_eq!(events.len(), cast.frames);
    assert!(cast.frames > 100, "{} frames", cast.frames);
    assert_eq!(events[0].0, 0.0);
    assert!(
        events[0].1.starts_with("\x1b[2J\x1b[H\x1b[?25l"),
        "clears, hides the cursor"
    );
    for pair in events.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!(
            gap >= 0.0,
            "times go back: {} then {}",
            pair[0].0,
            pair[1].0
        );
        assert!(gap <= 2.0 + 1e-9, "a pause above the idle limit: {gap}");
    }
    // 12 minutes of game at 10×, less nothing (the screen moves all the time).
    let last = events.last().expect("events").0;
    assert!((60.0..=72.0).contains(&last), "{last} s");
    assert_eq!(
        format!("{last:.6}"),
        zerodown::cast::seconds(cast.duration_us)
    );
}

#[test]
fn a_long_quiet_stretch_is_cut_to_the_idle_limit() {
    // At 1× a frame every half second; with a 0.1 s limit every gap is cut to it.
    let options = Options {
        speed: 1,
        idle_limit_us: 100_000,
        ..OPTIONS
    };
    let cast = record(replaying(), "t", options).expect("recorded");
    let (_, events) = parse(&cast.text);
    let last = events.last().expect("events").0;
    assert!(
        (last - 0.1 * (events.len() - 1) as f64).abs() < 1e-6,
        "{last}"
    );
}

/// A buffer's rows as text: a wide symbol's hidden neighbour left out, trailing blanks cut.
fn buffer_rows(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            let mut row = String::new();
            let mut hidden = 0;
            for x in 0..area.width {
                if hidden > 0 {
                    hidden -= 1;
                    continue;
                }
                let s = buf[(x, y)].symbol();
                hidden = s.width().saturating_sub(1);
                row.push_str(s);
            }
            row.trim_end().to_string()
        })
        .collect()
}

/// What a terminal shows after all of `events`' output, as rows of text.
fn emulated_rows(events: &[(f64, String)], w: u16, h: u16) -> Vec<String> {
    let size = |n| std::num::NonZeroU16::new(n).expect("a size");
    let mut terminal = vt100::Parser::new(size(h), size(w), 0);
    for (_, data) in events {
        terminal.process(data.as_bytes());
    }
    terminal
        .screen()
        .rows(0, w)
        .map(|r| r.trim_end().to_string())
        .collect()
}

#[test]
fn the_last_frame_is_the_games_last_frame_and_the_escapes_draw_it() {
    let cast = cast();
    // The game played to its end on a test terminal: the debrief.
    let mut app = replaying();
    app.update(zerodown::ui::Action::Resize(120, 40));
    run_to_end(&mut app, 20_000);
    assert!(matches!(app.screen, Screen::Debrief(_)));
    let shown = draw(&app, 120, 40).backend().buffer().clone();
    assert_eq!(cast.last, shown);
    // A terminal emulator fed the whole stream shows the same text.
    let (_, events) = parse(&cast.text);
    let rows = buffer_rows(&shown);
    assert_eq!(emulated_rows(&events, 120, 40), rows);
    assert!(
        rows.iter().any(|r| r.contains("watch again")),
        "{}",
        rows.join("\n")
    );
}

#[test]
fn a_report_gives_the_same_bytes_every_time() {
    let a = cast();
    let b = cast();
    assert!(a.text == b.text, "two recordings of one report differ");
}

/// Writes the solution report of `id` as `name` into `dir`.
fn report_file(dir: &TempDir, name: &str, id: &str) -> std::path::PathBuf {
    dir.file(name, &run_level(id, "solutions").to_json())
}

#[test]
fn bad_flags_exit_2_and_say_why() {
    let dir = TempDir::new("cast-flags");
    let file = report_file(&dir, "ada-01-one-server.json", "01-one-server");
    let file = file.to_str().expect("a path");
    let out = dir.path("out.cast");
    let out = out.to_str().expect("a path");
    let cases: [(&[&str], &str); 7] = [
        (&["--size", "79x24"], "from 80x24 to 300x100"),
        (&["--size", "120"], "WIDTHxHEIGHT"),
        (&["--size", "301x40"], "from 80x24 to 300x100"),
        (&["--speed", "0"], "--speed 0: from 1 to 120"),
        (&["--speed", "121"], "from 1 to 120"),
        (&["--idle-limit", "0.05"], "from 0.1 to 60 seconds"),
        (&["--idle-limit", "61"], "from 0.1 to 60 seconds"),
    ];
    for (flags, why) in cases {
        let mut args = vec!["replay", file, "--cast", out];
        args.extend_from_slice(flags);
        let o = zerodown(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flags:?}: {err}");
        assert!(err.contains(why), "{flags:?}: {err}");
    }
    let two = zerodown(&["replay", file, file, "--cast", out]);
    assert_eq!(two.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&two.stderr).contains("records one report"));
    let no_cast = zerodown(&["replay", file, "--size", "100x30"]);
    assert_eq!(no_cast.status.code(), Some(2));
    assert!(!dir.path("out.cast").exists(), "nothing written");
}

/// The command the README gives for `assets/demo.cast`, into `dir`; the cast's text.
fn demo_cast(dir: &TempDir) -> String {
    let report = dir.path("demo-02-all-at-once.json");
    let report = report.to_str().expect("a path");
    let o = zerodown(&[
        "run",
        "02-all-at-once",
        "--script",
        "levels/solutions/02-all-at-once.txt",
        "--report",
        report,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.path("demo.cast");
    let o = zerodown(&[
        "replay",
        report,
        "--cast",
        out.to_str().expect("a path"),
        "--size",
        "100x30",
        "--speed",
        "20",
    ]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(said.contains("frames") && said.contains("at 20×"), "{said}");
    std::fs::read_to_string(out).expect("written")
}

#[test]
fn the_demo_cast_is_what_its_command_gives() {
    let dir = TempDir::new("demo-cast");
    let made = demo_cast(&dir);
    let kept = common::read("assets/demo.cast");
    // The header and the last frame first: a smaller message when the screens changed.
    let (kh, ke) = parse(&kept);
    let (mh, me) = parse(&made);
    assert_eq!(kh, mh);
    assert_eq!(
        emulated_rows(&ke, 100, 30),
        emulated_rows(&me, 100, 30),
        "assets/demo.cast is stale: regenerate it with the command in the README \
         (Share a run as a recording)"
    );
    assert!(
        kept == made,
        "assets/demo.cast is stale: regenerate it with the command in the README"
    );
    let last = me.last().expect("events").0;
    assert!((30.0..=60.0).contains(&last), "the demo lasts {last} s");
}

#[test]
fn the_scoreboard_records_each_missions_top_runs() {
    let dir = TempDir::new("cast-board");
    for player in ["ada", "bob"] {
        std::fs::create_dir_all(dir.path(player)).expect("a folder");
        report_file(
            &dir,
            &format!("{player}/01-one-server.json"),
            "01-one-server",
        );
    }
    let out = dir.path("casts");
    let o = zerodown(&[
        "scoreboard",
        dir.0.to_str().expect("a path"),
        "--casts",
        out.to_str().expect("a path"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // The same score: by name.
    assert_eq!(
        names,
        ["01-one-server-1-ada.cast", "01-one-server-2-bob.cast"]
    );
    let text = std::fs::read_to_string(out.join(&names[0])).expect("a cast");
    let (header, _) = parse(&text);
    assert_eq!(header["width"], 120);
    assert!(
        header["title"]
            .as_str()
            .is_some_and(|t| t.contains("01-one-server — ada")),
        "{header}"
    );
}
