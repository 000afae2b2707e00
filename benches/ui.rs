//! One full play-screen frame (the view into a buffer) with 100 servers at 160×48,
//! mid-rollout with five minutes of history in the charts.

use criterion::{Criterion, criterion_group, criterion_main};
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

criterion_group!(benches, frame);
criterion_main!(benches);
