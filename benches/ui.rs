//! One full play-screen frame with 100 servers at 160×48, mid-rollout with five minutes of
//! history in the charts: the view into a buffer, and view + terminal diff (a `TestBackend`
//! terminal drawn after one game-second, so the diff has real changes to find).

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use zerodown::mission::{builtin, load_str};
use zerodown::ui::{Action, App, Settings};

fn playing_app() -> App {
    let (id, source) = builtin()[0];
    let mut mission = load_str(source, id).expect("builtin mission loads");
    mission.fleet.servers = 100;
    mission.traffic.base_rps = 6000.0;
    let mut app = App::briefing(Settings::default(), id, mission);
    app.update(Action::Resize(160, 48));
    app.update(Action::Confirm);
    for _ in 0..3000 {
        app.update(Action::Tick);
    }
    app.update(Action::OpenConsole);
    for c in "drain web-01..web-10".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Confirm);
    for _ in 0..20 {
        app.update(Action::Tick);
    }
    app
}

fn frame(c: &mut Criterion) {
    let app = playing_app();
    let area = Rect::new(0, 0, 160, 48);
    let mut buf = Buffer::empty(area);
    c.bench_function("play frame 100 servers 160x48", |b| {
        b.iter(|| {
            buf.reset();
            (&app).render(area, &mut buf);
            std::hint::black_box(&buf);
        });
    });
}

fn frame_and_diff(c: &mut Criterion) {
    let mut apps = [playing_app(), playing_app()];
    for _ in 0..10 {
        apps[1].update(Action::Tick);
    }
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test backend");
    let mut i = 0;
    c.bench_function("play frame + diff 100 servers 160x48", |b| {
        b.iter(|| {
            // Alternate between two states a game-second apart: every draw diffs changes.
            i ^= 1;
            terminal
                .draw(|f| f.render_widget(&apps[i], f.area()))
                .expect("draw");
        });
    });
}

criterion_group!(benches, frame, frame_and_diff);
criterion_main!(benches);
