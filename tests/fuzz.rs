//! Fuzzing as a habit, on the stable toolchain: every reader of untrusted text (missions and
//! sandboxes, scripts, drill plans, run reports, class play's heartbeats, the player's
//! config files, real rollout config for `whatif`) is fed arbitrary bytes and structure-aware
//! mutations of the files that ship (levels/, sandbox/, the drill's plans, real reports).
//!
//! Each target asserts that reading never panics, never hangs (inputs are bounded and every
//! read must finish within `HANG`), and ends in `Ok` or in errors that point inside the
//! text. The runs are deterministic (a fixed seed, a fixed number of cases: CI runs the
//! same inputs every time); a crash found is kept in `tests/fuzz.proptest-regressions` and
//! re-run first. `PROPTEST_CASES` does not apply; `FUZZ_SCALE` and `FUZZ_SEED` do (see `config`).

mod common;
#[path = "fuzz/mutate.rs"]
mod mutate;

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use zerodown::command::parse_script;
use zerodown::drill::Plan;
use zerodown::mission::load_str;
use zerodown::replay::{MAX_COMMANDS, Recording, ReplayError};
use zerodown::scoreboard::check_text;
use zerodown::ui::keymap::read_rebindings;
use zerodown::ui::theme_file;
use zerodown::workshop::live::{Finished, Heartbeat};

use common::{crate_path, run_level};
use mutate::{Edit, apply_all, edit};

/// The seed every target starts from.
const SEED: u64 = 0x7a65_726f_646f_776e;
/// A read that takes longer than this is a hang (they all take well under a millisecond).
const HANG: Duration = Duration::from_secs(5);

/// A fixed seed, `cases` cases, regressions kept in the file beside this one.
///
/// To fuzz longer by hand: `FUZZ_SCALE=20 FUZZ_SEED=7 cargo test --test fuzz` runs twenty
/// times the cases from another seed. CI sets neither, so it runs the same inputs each time.
fn config(cases: u32) -> Config {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let scale = var("FUZZ_SCALE").unwrap_or(1).max(1);
    Config {
        cases: u32::try_from(u64::from(cases) * scale).unwrap_or(u32::MAX),
        rng_seed: RngSeed::Fixed(var("FUZZ_SEED").unwrap_or(SEED)),
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

/// The files of one kind, as bytes.
struct Corpus {
    missions: Vec<Vec<u8>>,
    scripts: Vec<Vec<u8>>,
    plans: Vec<Vec<u8>>,
    /// Reports with their timeline and events cut short (the loader does not read them).
    reports: Vec<Vec<u8>>,
    /// Heartbeats of class play.
    heartbeats: Vec<Vec<u8>>,
    /// The player's config files: the built-in themes and the commented defaults.
    configs: Vec<Vec<u8>>,
    /// One whole report, for the scoreboard's check (which re-simulates it).
    full_report: Vec<u8>,
    /// Rollout config: the hand-written manifests, and reference solutions exported in
    /// every format.
    manifests: Vec<Vec<u8>>,
}

fn files(dir: &str, ext: &str, out: &mut Vec<Vec<u8>>) {
    let mut paths: Vec<_> = std::fs::read_dir(crate_path(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            let rel = p.strip_prefix(crate_path("")).expect("inside the crate");
            files(&rel.to_string_lossy(), ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())));
        }
    }
}

/// A report with only the first entries of its timeline and events.
fn trimmed(json: &str) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_str(json).expect("a report is JSON");
    for key in ["timeline", "events"] {
        if let Some(a) = v.get_mut(key).and_then(serde_json::Value::as_array_mut) {
            a.truncate(3);
        }
    }
    serde_json::to_string_pretty(&v)
        .expect("JSON prints")
        .into_bytes()
}

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let mut missions = Vec::new();
    files("levels", "ron", &mut missions);
    files("sandbox", "ron", &mut missions);
    files("tests/missions", "ron", &mut missions);
    let mut scripts = Vec::new();
    files("levels/solutions", "txt", &mut scripts);
    files("levels/mistakes", "txt", &mut scripts);
    files("levels/plays", "txt", &mut scripts);
    let mut plans = Vec::new();
    files("tests/fuzz/plans", "txt", &mut plans);
    let solution = run_level("01-one-server", "solutions").to_json();
    let mistake = run_level("01-one-server", "mistakes").to_json();
    Corpus {
        missions,
        scripts,
        plans,
        reports: vec![trimmed(&solution), trimmed(&mistake)],
        heartbeats: vec![heartbeat().into_bytes()],
        configs: configs(),
        full_report: solution.into_bytes(),
        manifests: manifests(),
    }
});

/// `tests/manifests/**` and three reference solutions in each format.
fn manifests() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    files("tests/manifests", "yaml", &mut out);
    files("tests/manifests", "json", &mut out);
    for id in ["06-blue-green", "09-shadow", "16-interview"] {
        let (_, m) = zerodown::mission::resolve(id).expect("built in");
        let play = zerodown::manifest::reference(id, &m, m.seed).expect("a reference");
        for f in zerodown::manifest::Format::ALL {
            out.push(zerodown::manifest::export(&play, f, id).into_bytes());
        }
    }
    out
}

/// Rollout config (`whatif`, `sandbox FILE.yaml`): `Ok` with every number in the sim's
/// range (the fleet it sets validates as a mission), or an error on a line of the text (0:
/// the whole file) at a column ≥ 1.
fn check_manifest(text: &str) {
    let nothing = |_: &str| None;
    match timed("import", text, |t| zerodown::manifest::import(t, &nothing)) {
        Ok(imported) => {
            let mut scenario = zerodown::drill::Scenario::generate(1);
            imported.play.setup.apply_to(&mut scenario.mission);
            if let Some(plan) = imported.play.plan() {
                plan.apply_to(&mut scenario.mission);
                for c in plan.commands(zerodown::drill::NEW) {
                    let _ = c.to_string();
                }
            }
            let problems = zerodown::mission::validate(&scenario.mission);
            assert!(problems.is_empty(), "{problems:?}");
            for n in &imported.notes {
                assert!(
                    n.line <= line_chars(text).len() + 1,
                    "note outside the text: {n:?}"
                );
            }
        }
        Err(e) => {
            let lines = line_chars(text).len().max(1);
            assert!(e.line <= lines + 1, "{e}: outside {lines} lines");
            assert!(e.line == 0 || e.column >= 1, "{e}: column 0");
            assert!(!e.message.contains('\u{1b}'), "escapes in {e}");
        }
    }
}

/// The built-in themes and the default config files.
fn configs() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    files("assets/themes", "ron", &mut out);
    out.extend(
        zerodown::config::defaults()
            .into_iter()
            .map(|(_, t)| t.into_bytes()),
    );
    out
}

/// A heartbeat with every field set.
fn heartbeat() -> String {
    let beat = Heartbeat {
        game_version: "0.1.0".into(),
        player: "ada".into(),
        class: Some("54X5-YQ3T-J6VJ-TKNY".into()),
        screen: "playing".into(),
        mission: Some("07-canary".into()),
        game_time_s: 95,
        commands: 4,
        last_command: Some("canary v8 steps=5,20,50,100 interval=30s".into()),
        hints_used: 1,
        outcome: "playing".into(),
        finished: vec![Finished {
            mission: "03-rolling-by-hand".into(),
            passed: true,
            stars: 3,
        }],
        abandoned: vec!["05-bad-build".into()],
        updated_unix: 1_800_000_000,
        last_command_unix: 1_799_999_000,
    };
    serde_json::to_string_pretty(&beat).expect("JSON prints")
}

/// `f(text)`, failing if it takes longer than `HANG`.
// The wall clock is the point here: a hang is measured in real time, not game time.
#[allow(clippy::disallowed_methods)]
fn timed<T>(what: &str, text: &str, f: impl FnOnce(&str) -> T) -> T {
    let start = Instant::now();
    let out = f(text);
    let took = start.elapsed();
    assert!(took < HANG, "{what} took {took:?} on {} bytes", text.len());
    out
}

/// The chars of each line, as the readers count them (1-based lines).
fn line_chars(text: &str) -> Vec<usize> {
    text.lines().map(|l| l.chars().count()).collect()
}

/// The player's config files (theme.ron, config.ron, keys.ron): `Ok`, or messages that
/// start `fuzz.ron:LINE:COL:` with the line inside the text.
fn check_config(text: &str) {
    let lines = line_chars(text).len().max(1);
    let placed = |e: &str| {
        for line in e.lines().filter(|l| l.starts_with("fuzz.ron:")) {
            let mut parts = line.split(':').skip(1);
            let n: usize = parts
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a line number");
            let c: usize = parts.next().and_then(|c| c.parse().ok()).expect("a column");
            assert!(
                n >= 1 && n <= lines && c >= 1,
                "{line}: outside {lines} lines"
            );
        }
    };
    if let Err(e) = timed("theme", text, |t| theme_file::read(t, "fuzz.ron")) {
        placed(&e.to_string());
    }
    if let Err(e) = timed("config", text, |t| {
        zerodown::config::read_config(t, "fuzz.ron")
    }) {
        placed(&e);
    }
    if let Err(e) = timed("keys", text, |t| read_rebindings(t, "fuzz.ron")) {
        placed(&e);
    }
}

/// Mission (and sandbox) RON: `Ok`, or problems on a line of the text at a column ≥ 1.
fn check_mission(text: &str) {
    let lines = line_chars(text).len().max(1);
    if let Err(e) = timed("load_str", text, |t| load_str(t, "fuzz.ron")) {
        assert!(!e.problems.is_empty(), "an error without problems");
        for p in &e.problems {
            assert!(p.line >= 1 && p.line <= lines, "{p}: outside {lines} lines");
            assert!(p.column >= 1, "{p}: column 0");
        }
    }
}

/// An error at `line`:`column` is on a line of the text (or, with `line_after_last`, the
/// empty line after the last, for what the text lacks) and within it or just past its end.
fn assert_placed(
    lines: &[usize],
    line: usize,
    column: usize,
    message: &str,
    line_after_last: bool,
) {
    let last = lines.len() + usize::from(line_after_last);
    assert!(
        line >= 1 && line <= last,
        "line {line} outside {} lines: {message}",
        lines.len()
    );
    let len = lines.get(line - 1).copied().unwrap_or(0);
    assert!(
        column >= 1 && column <= len + 1,
        "{line}:{column} outside a line of {len} chars: {message}"
    );
}

/// Scripts: `Ok`, or errors on a line of the text within that line (or just past its end).
fn check_script(text: &str) {
    let lines = line_chars(text);
    if let Err(errors) = timed("parse_script", text, parse_script) {
        assert!(!errors.is_empty(), "an error without problems");
        for e in &errors {
            assert_placed(&lines, e.line, e.column, &e.message, false);
        }
    }
}

/// Drill plans: `Ok`, or errors on a line of the text (or the line after the last, for what
/// the plan lacks) at a column ≥ 1.
fn check_plan(text: &str) {
    let lines = line_chars(text);
    if let Err(errors) = timed("Plan::parse", text, Plan::parse) {
        assert!(!errors.is_empty(), "an error without problems");
        for e in &errors {
            assert_placed(&lines, e.line, e.column, &e.message, true);
        }
    }
}

/// Reports, as `replay --check` and the scoreboard read them before re-simulating: the
/// recording, its mission (built-in only) and whether the commands fit it. A JSON error
/// says where; a bad command names its index among the file's commands.
fn check_report(text: &str) {
    let Some(recording) = timed(
        "from_report_json",
        text,
        |t| match Recording::from_report_json(t) {
            Ok(r) => Some(r),
            Err(ReplayError::Json(why)) => {
                assert!(
                    why.contains(" line ") || why.contains("drill report"),
                    "no position: {why}"
                );
                None
            }
            Err(ReplayError::BadCommand { index, problem }) => {
                assert!(
                    (1..=MAX_COMMANDS).contains(&index),
                    "command {index}: {problem}"
                );
                None
            }
            Err(_) => None,
        },
    ) else {
        return;
    };
    if let Ok(mission) = recording.mission() {
        let _ = recording.fits(&mission);
    }
}

/// A heartbeat of class play (`workshop watch` reads them from a shared folder): it parses
/// or says where it broke, and the watch view draws whatever parsed, at any size.
fn check_heartbeat(text: &str) {
    use zerodown::ui::watch::Room;
    use zerodown::workshop::live::{Read, room};
    let Ok(beat) = timed("heartbeat", text, Heartbeat::parse) else {
        return;
    };
    let reads = [Read::Beat(Box::new(beat))];
    let rows = room(&reads, u64::MAX, Duration::from_mins(3), None);
    let theme = zerodown::ui::Theme::new(zerodown::ui::Palette::Dark);
    for (w, h) in [(80, 24), (3, 2)] {
        let area = ratatui::layout::Rect::new(0, 0, w, h);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        let view = Room {
            rows: &rows,
            dir: "class",
            unreadable: 0,
            stuck: Duration::from_mins(3),
            scroll: 0,
            theme: &theme,
        };
        ratatui::widgets::Widget::render(&view, area, &mut buf);
        for cell in &buf.content {
            assert!(!cell.symbol().chars().any(char::is_control), "{text}");
        }
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A corpus file (`pick` modulo their number) with `edits` made, and the others as donors.
fn mutated(files: &[Vec<u8>], pick: usize, edits: &[Edit]) -> String {
    lossy(&apply_all(&files[pick % files.len()], edits, files))
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(edit(), 1..6)
}

/// Arbitrary bytes, at most 4 KiB.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..4096)
}

#[test]
fn the_corpus_reads_clean() {
    let c = &*CORPUS;
    assert!(c.missions.len() >= 19 && c.scripts.len() >= 150 && c.plans.len() >= 8);
    for m in &c.missions {
        check_mission(&lossy(m));
    }
    for s in &c.scripts {
        assert!(parse_script(&lossy(s)).is_ok(), "{}", lossy(s));
    }
    for p in &c.plans {
        assert!(Plan::parse(&lossy(p)).is_ok(), "{}", lossy(p));
    }
    for r in &c.reports {
        assert!(Recording::from_report_json(&lossy(r)).is_ok());
    }
    for h in &c.heartbeats {
        assert!(Heartbeat::parse(&lossy(h)).is_ok());
    }
    assert!(c.manifests.len() >= 20);
    for m in &c.manifests {
        let text = lossy(m);
        if !text.contains("bad-")
            && !text.starts_with("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: [")
        {
            check_manifest(&text);
        }
    }
    assert!(check_text(&lossy(&c.full_report), None).is_ok());
}

proptest! {
    #![proptest_config(config(3_000))]

    #[test]
    fn missions_survive_edits(pick in any::<usize>(), edits in edits()) {
        check_mission(&mutated(&CORPUS.missions, pick, &edits));
    }

    #[test]
    fn scripts_survive_edits(pick in any::<usize>(), edits in edits()) {
        check_script(&mutated(&CORPUS.scripts, pick, &edits));
    }

    #[test]
    fn reports_survive_edits(pick in any::<usize>(), edits in edits()) {
        check_report(&mutated(&CORPUS.reports, pick, &edits));
    }

    #[test]
    fn config_files_survive_edits(pick in any::<usize>(), edits in edits()) {
        check_config(&mutated(&CORPUS.configs, pick, &edits));
    }

    #[test]
    fn heartbeats_survive_edits(pick in any::<usize>(), edits in edits()) {
        let mut donors = CORPUS.heartbeats.clone();
        donors.extend(CORPUS.reports.iter().cloned());
        check_heartbeat(&mutated(&donors, pick % CORPUS.heartbeats.len(), &edits));
    }
}

proptest! {
    #![proptest_config(config(2_000))]

    #[test]
    fn manifests_survive_edits(pick in any::<usize>(), edits in edits()) {
        check_manifest(&mutated(&CORPUS.manifests, pick, &edits));
    }

    #[test]
    fn plans_survive_edits(pick in any::<usize>(), edits in edits()) {
        let mut donors = CORPUS.plans.clone();
        donors.extend(CORPUS.scripts.iter().take(20).cloned());
        check_plan(&mutated(&donors, pick % CORPUS.plans.len(), &edits));
    }
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in bytes()) {
        let text = lossy(&bytes);
        check_mission(&text);
        check_script(&text);
        check_plan(&text);
        check_report(&text);
        check_heartbeat(&text);
        check_config(&text);
        check_manifest(&text);
    }
}

proptest! {
    // Each case that imports plays two 15-minute what-if runs on a small fleet.
    #![proptest_config(config(40))]

    /// Whatever numbers an edited config carries, the what-if plays them: no overflow, no
    /// hang, no panic.
    #[test]
    fn whatif_plays_any_config_that_imports(pick in any::<usize>(), edits in edits()) {
        let text = mutated(&CORPUS.manifests, pick, &edits);
        let nothing = |_: &str| None;
        if let Ok(imported) = zerodown::manifest::import(&text, &nothing) {
            use zerodown::manifest::whatif::{Fault, Fleet, run};
            use zerodown::drill::FaultKind;
            let fleet = Fleet { servers: 10, capacity_rps: 100.0, rps: None };
            let _ = timed("whatif", &text, |_| {
                run(&imported, fleet, &[Fault::Kind(FaultKind::Errors), Fault::Onset], &[3])
            });
        }
    }
}

proptest! {
    // Each case that gets past the loader re-simulates a 12-minute mission.
    #![proptest_config(config(200))]

    /// The scoreboard's whole check (and `replay --check`'s recording): an edited report is
    /// rejected with words or accepted, never a crash.
    #[test]
    fn the_scoreboard_check_survives_edits(edits in edits()) {
        let text = mutated(std::slice::from_ref(&CORPUS.full_report), 0, &edits);
        let _ = timed("check_text", &text, |t| check_text(t, None));
    }
}

#[test]
fn huge_inputs_are_bounded() {
    // Deep nesting and long lines: a reader must neither overflow its stack nor crawl.
    let deep = "(".repeat(100_000);
    check_mission(&format!("Mission{deep}"));
    check_report(&"[".repeat(100_000));
    let long = "drain ".to_string() + &"web-01,".repeat(20_000);
    check_script(&long);
    check_plan(&long);
    check_manifest(&"[".repeat(100_000));
    check_manifest(&"a:\n".repeat(50_000));
    // A billion laughs: aliases that expand exponentially are refused, not followed.
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (k, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(k);
        bomb.push_str(": &");
        bomb.push_str(k);
        bomb.push_str(" [");
        bomb.push_str(&refs);
        bomb.push_str("]\n");
    }
    bomb.push_str("kind: Deployment\nspec:\n  template: *i\n");
    check_manifest(&bomb);
    check_manifest(&"---\n".repeat(10_000));
}
