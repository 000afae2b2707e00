//! The terminal UI in The Elm Architecture: `App` is the state, `Action`s come from keys,
//! the mouse and the clock, `update` changes the state, and the view (`impl Widget for
//! &App`) only reads it. Nothing here reads the wall clock or the terminal: `app.rs` does.
//!
//! The sim is read for display and changed only through `Sim::apply` (in `game.rs`).

use ratatui::crossterm::event::{Event, MouseButton, MouseEventKind};
use ratatui::symbols::Marker;

use crate::mission::{self, Mission};
use crate::progress::{Access, Loaded, Progress, RunResult, Store};
use crate::workshop::ClassCode;

mod class;
pub mod compare;
pub mod console;
mod debrief;
pub mod theme_file;
pub mod watch;
pub use debrief::guard_advice as debrief_guard_advice;
pub mod drill;
mod fleet;
pub mod game;
pub mod glyphs;
mod help;
pub mod keymap;
pub mod menu;
mod play;
mod plot;
mod sandbox;
mod seek;
pub mod theme;
pub mod view;

pub use class::Reports;
pub use debrief::config::ConfigPage;
pub use debrief::{Debrief, Markers};
pub use game::{Game, Playback};
pub use glyphs::GlyphMode;
pub use help::glossary;
pub use keymap::{Action, Ctx};
pub use theme::{ColorDepth, Palette, Theme};

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The debrief scrolls at most this far (its text is a few screens at most).
const DEBRIEF_SCROLL_MAX: u16 = 200;

/// A mission on the map.
#[derive(Debug, Clone)]
pub struct MissionEntry {
    pub id: String,
    /// `Err`: the file is broken (shown on the map, cannot be played).
    pub mission: Result<Mission, String>,
}

/// Which screen shows.
#[derive(Debug, Clone)]
pub enum Screen {
    Title,
    Map,
    Briefing,
    Play(Box<Game>),
    Debrief(Box<Debrief>),
    /// The interview drill: plan, live run, debrief (`zerodown drill`).
    Drill(Box<drill::Drill>),
    /// Two replays side by side on one clock (`zerodown replay A.json B.json`).
    Compare(Box<compare::Compare>),
}

/// The help overlay's state.
#[derive(Debug, Clone, Default)]
pub struct HelpState {
    pub filter: String,
    pub scroll: u16,
}

/// Player settings that change how things look, not what happens.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub palette: Palette,
    /// Braille (default) or dots on charts, for fonts without Braille.
    pub marker: Marker,
    /// Seed for every mission (`None`: each mission's own).
    pub seed: Option<u64>,
    /// How many colours the terminal shows (the palettes' 24-bit colours are mapped down).
    pub colors: ColorDepth,
    /// Unicode symbols, or ASCII stand-ins for a font or console without them.
    pub glyphs: GlyphMode,
    /// The player's theme (`theme.ron`), used while its palette is chosen.
    pub user_theme: Option<Theme>,
    /// The clock speed a mission starts at (`config.ron`).
    pub speed: u32,
    /// Whether the game takes the mouse (`config.ron`).
    pub mouse: bool,
}

impl Settings {
    /// The theme of the chosen palette: the player's own when it changes that one.
    pub fn theme(&self) -> Theme {
        self.user_theme
            .filter(|t| t.palette == self.palette)
            .unwrap_or_else(|| Theme::new(self.palette))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            palette: Palette::Dark,
            marker: Marker::Braille,
            seed: None,
            colors: ColorDepth::TrueColor,
            glyphs: GlyphMode::Unicode,
            user_theme: None,
            speed: 1,
            mouse: true,
        }
    }
}

/// The whole UI state.
#[derive(Debug, Clone)]
pub struct App {
    pub screen: Screen,
    pub missions: Vec<MissionEntry>,
    /// The mission highlighted on the map (and briefed).
    pub selected: usize,
    pub settings: Settings,
    pub theme: Theme,
    pub help: Option<HelpState>,
    /// Best results, rank and unlocking (empty unless `with_progress` gave one).
    pub progress: Progress,
    /// Where a finished mission's result is saved at once (`None`: not saved, as in tests).
    pub store: Option<Store>,
    /// Trouble with the save (set aside as corrupt, or not saved): on the title and the map.
    pub warning: Option<String>,
    /// Why the highlighted mission cannot start (the map; cleared on moving).
    pub notice: Option<String>,
    /// What a key that changes the look just switched to (`theme: light`), shown in the
    /// top right corner until the next key.
    pub flash: Option<String>,
    /// The rank the last finished mission earned, said on the map until the next move.
    pub rank_up: Option<crate::progress::Rank>,
    /// How far the briefing is scrolled (↑/↓ when it is taller than the screen).
    pub briefing_scroll: u16,
    /// A workshop's missions and seed (`play --code`): only its missions, all open.
    pub class: Option<ClassCode>,
    /// Where each finished mission's report is written (`play --reports`).
    pub reports: Option<Reports>,
    /// The reports written so far, to say where they are when the game ends.
    pub reports_written: Vec<std::path::PathBuf>,
    /// The heartbeat of class play, for `zerodown workshop watch` (with `reports`).
    pub live: Option<class::Live>,
    /// What checking a replayed file found, for its debrief (`zerodown replay`).
    pub replay_status: Option<Result<String, String>>,
    /// A plan every game starts with, its automation polled as the drill's
    /// (`zerodown sandbox FILE.yaml`: the config's guards and rollout of v2).
    pub start_plan: Option<crate::drill::Plan>,
    /// Terminal size, for mouse hit-testing (the view gets its area from the frame).
    pub size: (u16, u16),
    pub should_quit: bool,
}

impl App {
    /// The title screen, with the built-in campaign on the map.
    pub fn new(settings: Settings) -> Self {
        let missions = mission::builtin()
            .iter()
            .map(|(id, source)| MissionEntry {
                id: (*id).to_string(),
                mission: mission::load_str(source, &format!("levels/{id}.ron"))
                    .map_err(|e| e.to_string()),
            })
            .collect();
        Self {
            screen: Screen::Title,
            missions,
            selected: 0,
            settings,
            theme: settings.theme(),
            help: None,
            progress: Progress::default(),
            store: None,
            warning: None,
            notice: None,
            flash: None,
            rank_up: None,
            briefing_scroll: 0,
            class: None,
            reports: None,
            reports_written: Vec::new(),
            live: None,
            replay_status: None,
            start_plan: None,
            size: (MIN_WIDTH, MIN_HEIGHT),
            should_quit: false,
        }
    }

    /// Straight to the briefing of `mission` (added to the map if it is not built in).
    pub fn briefing(settings: Settings, id: &str, mission: Mission) -> Self {
        let mut app = Self::new(settings);
        app.selected = if let Some(i) = app.missions.iter().position(|m| m.id == id) {
            i
        } else {
            app.missions.push(MissionEntry {
                id: id.to_string(),
                mission: Ok(mission),
            });
            app.missions.len() - 1
        };
        app.screen = Screen::Briefing;
        app
    }

    /// A workshop: only the class's missions, every one open, all with the class's seed.
    pub fn for_class(mut settings: Settings, code: ClassCode) -> Self {
        settings.seed = Some(u64::from(code.seed));
        let mut app = Self::new(settings);
        app.missions.retain(|m| code.has(&m.id));
        // In the class's order (`workshop new --missions 7,3`).
        app.missions
            .sort_by_key(|m| code.missions.iter().position(|id| *id == m.id));
        app.class = Some(code);
        app
    }

    /// Watches a recorded run (`zerodown replay`): straight to the play screen, the
    /// recording giving the commands. `status` is what checking the file found.
    pub fn replay(
        settings: Settings,
        id: &str,
        mission: Mission,
        seed: u64,
        playback: Playback,
        status: Result<String, String>,
    ) -> Self {
        let mut app = Self::briefing(settings, id, mission);
        if let Some(Ok(m)) = app.missions.get(app.selected).map(|e| &e.mission) {
            app.screen = Screen::Play(Box::new(Game::replay(id, m, seed, playback)));
        }
        app.replay_status = Some(status);
        app
    }

    /// Watches two recorded runs of one mission side by side (`zerodown replay A B`).
    pub fn compare(settings: Settings, compare: compare::Compare) -> Self {
        let mut app = Self::new(settings);
        app.screen = Screen::Compare(Box::new(compare));
        app
    }

    /// Writes every finished mission's report into `reports`.
    #[must_use]
    pub fn with_reports(mut self, reports: Option<Reports>) -> Self {
        self.live = reports.as_ref().map(class::Live::new);
        self.reports = reports;
        self
    }

    /// Straight to the plan screen of the drill of `seed`.
    pub fn drill(settings: Settings, seed: u64) -> Self {
        let mut app = Self::new(settings);
        app.screen = Screen::Drill(Box::new(drill::Drill::new(seed)));
        app
    }

    /// Uses saved progress (and saves to `store` after every finished mission). The load's
    /// warning becomes the notice; on the title, the map opens at the mission to continue.
    #[must_use]
    pub fn with_progress(mut self, loaded: Loaded, store: Option<Store>) -> Self {
        self.progress = loaded.progress;
        self.store = store;
        self.warning = loaded.warning;
        if matches!(self.screen, Screen::Title) {
            self.selected = self.continue_at().unwrap_or(0);
        }
        self
    }

    /// The ids of the missions on the map, in map order.
    pub fn ids(&self) -> Vec<&str> {
        self.missions.iter().map(|m| m.id.as_str()).collect()
    }

    /// Lock state of every mission on the map.
    pub fn access(&self) -> Vec<Access> {
        if self.class.is_some() {
            // The instructor chose these missions: all of them are open.
            return vec![Access::Open; self.missions.len()];
        }
        self.progress.access(&self.ids())
    }

    /// The mission to continue with: the first open one not passed yet.
    pub fn continue_at(&self) -> Option<usize> {
        if self.class.is_some() {
            // A class's missions are all open, in the instructor's order.
            return self.ids().iter().position(|id| !self.progress.passed(id));
        }
        self.progress.continue_at(&self.ids())
    }

    /// Records a finished run and saves it at once; a failed save becomes the notice.
    /// Stars earned, stars there are, and the rank they give.
    pub fn stars(&self) -> (u32, u32, crate::progress::Rank) {
        let ids = self.ids();
        let total = self.progress.total_stars(ids.iter().copied());
        let max = 3 * ids.len() as u32;
        (total, max, crate::progress::Rank::for_stars(total, max))
    }

    fn record(&mut self, run: RunResult) {
        let Some(entry) = self.missions.get(self.selected) else {
            return;
        };
        if self.is_sandbox() {
            return;
        }
        self.progress.record(&entry.id, run);
        // The save merges in what another game saved meanwhile: show that too.
        match self.store.as_ref().map(|store| store.save(&self.progress)) {
            Some(Ok(merged)) => self.progress = merged,
            Some(Err(e)) => self.warning = Some(format!("progress not saved: {e}")),
            None => {}
        }
    }

    /// Whether the selected mission is free play (never recorded; leaving it quits, since
    /// the campaign's map is not where it came from).
    fn is_sandbox(&self) -> bool {
        self.missions
            .get(self.selected)
            .is_some_and(|e| e.mission.as_ref().is_ok_and(|m| m.sandbox))
    }

    /// Leaves the selected mission: to the map, or out of the game for free play.
    fn leave(&mut self) -> Screen {
        if self.is_sandbox() {
            self.should_quit = true;
        }
        Screen::Map
    }

    /// Where the keyboard is.
    pub fn ctx(&self) -> Ctx {
        if self.help.is_some() {
            return Ctx::Help;
        }
        match &self.screen {
            Screen::Title => Ctx::Title,
            Screen::Map => Ctx::Map,
            Screen::Briefing => Ctx::Briefing,
            Screen::Debrief(d) if d.config_open => Ctx::Config,
            Screen::Debrief(_) => Ctx::Debrief,
            Screen::Play(g) if g.waiting.is_some() => Ctx::Waiting,
            Screen::Play(g) if g.tip_open => Ctx::Tip,
            Screen::Play(g) if g.confirm_quit => Ctx::Confirm,
            Screen::Play(g) if g.console.open => Ctx::Console,
            Screen::Play(g) if g.filter_open => Ctx::Filter,
            Screen::Play(g) if g.playback.is_some() => Ctx::Replay,
            Screen::Play(_) => Ctx::Play,
            Screen::Drill(d) => d.ctx(),
            Screen::Compare(c) => c.ctx(),
        }
    }

    /// The action of a terminal event, if any.
    pub fn action_for_event(&self, event: &Event) -> Option<Action> {
        match event {
            Event::Key(key) => keymap::action_for(self.ctx(), *key),
            Event::Mouse(m) if m.kind == MouseEventKind::Down(MouseButton::Left) => {
                Some(Action::Click(m.column, m.row))
            }
            Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
            _ => None,
        }
    }

    /// Whether the game clock should run (a mission is on, not paused, nothing modal open).
    pub fn clock_running(&self) -> bool {
        match &self.screen {
            // Too small to see the fleet: the game waits for the player too.
            Screen::Play(g) => {
                g.clock_runs()
                    && self.help.is_none()
                    && self.size.0 >= MIN_WIDTH
                    && self.size.1 >= MIN_HEIGHT
            }
            // The plan's countdown and the live run both come in as ticks.
            Screen::Drill(d) => {
                d.planning()
                    || (d.clock_running()
                        && self.help.is_none()
                        && self.size.0 >= MIN_WIDTH
                        && self.size.1 >= MIN_HEIGHT)
            }
            Screen::Compare(c) => {
                c.clock_runs()
                    && self.help.is_none()
                    && self.size.0 >= MIN_WIDTH
                    && self.size.1 >= MIN_HEIGHT
            }
            _ => false,
        }
    }

    /// The current clock speed (1 outside a mission).
    pub fn speed(&self) -> u32 {
        match &self.screen {
            Screen::Play(g) => g.clock_speed(),
            Screen::Drill(d) => d.speed(),
            Screen::Compare(c) => c.speed(),
            _ => 1,
        }
    }

    /// Applies an action. Returns whether anything visible may have changed.
    pub fn update(&mut self, action: Action) -> bool {
        match action {
            Action::Quit => {
                self.should_quit = true;
                return true;
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                return true;
            }
            Action::CycleTheme => {
                self.settings.palette = self.settings.palette.next();
                self.theme = self.settings.theme();
                self.flash = Some(format!("theme: {} · T next", self.settings.palette.name()));
                return true;
            }
            Action::ToggleMarker => {
                let (marker, name) = if self.settings.marker == Marker::Braille {
                    (Marker::Dot, "dots")
                } else {
                    (Marker::Braille, "Braille")
                };
                self.settings.marker = marker;
                self.flash = Some(format!("charts drawn with {name} · m switches"));
                return true;
            }
            Action::Tick => {}
            _ => self.flash = None,
        }
        // The drill's plan countdown is real time: help does not stop it.
        let countdown =
            action == Action::Tick && matches!(&self.screen, Screen::Drill(d) if d.planning());
        if self.help.is_some() && !countdown {
            self.update_help(action);
            return true;
        }
        if action == Action::ToggleHelp {
            self.help = Some(HelpState::default());
            return true;
        }
        match std::mem::replace(&mut self.screen, Screen::Title) {
            Screen::Title => {
                self.screen = if action == Action::Confirm {
                    Screen::Map
                } else {
                    Screen::Title
                };
            }
            Screen::Map => self.update_map(action),
            Screen::Briefing => self.update_briefing(action),
            Screen::Play(game) => return self.update_play(game, action),
            Screen::Debrief(d) => self.update_debrief(d, action),
            Screen::Drill(d) => return self.update_drill(d, action),
            Screen::Compare(mut c) => {
                let next = c.update(action, self.size);
                self.screen = Screen::Compare(c);
                return match next {
                    compare::Next::Stay(changed) => changed,
                    compare::Next::Quit => {
                        self.should_quit = true;
                        true
                    }
                };
            }
        }
        true
    }

    fn update_help(&mut self, action: Action) {
        let Some(help) = self.help.as_mut() else {
            return;
        };
        match action {
            Action::Back | Action::ToggleHelp => self.help = None,
            Action::Input('?') if help.filter.is_empty() => self.help = None,
            Action::Input(c) => {
                help.filter.push(c);
                help.scroll = 0;
            }
            Action::Backspace => {
                help.filter.pop();
            }
            Action::Up => help.scroll = help.scroll.saturating_sub(1),
            Action::Down => help.scroll = help.scroll.saturating_add(1),
            _ => {}
        }
    }

    fn update_map(&mut self, action: Action) {
        let n = self.missions.len();
        self.notice = None;
        if action != Action::Tick {
            self.rank_up = None;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Confirm => {
                let playable = self
                    .missions
                    .get(self.selected)
                    .is_some_and(|m| m.mission.is_ok());
                match self.access().get(self.selected) {
                    Some(Access::Locked { after }) => {
                        self.notice = Some(format!(
                            "locked: pass {after} first · `zerodown play <id>` starts any mission"
                        ));
                    }
                    Some(Access::Open) if playable => {
                        self.screen = Screen::Briefing;
                        return;
                    }
                    _ => {}
                }
            }
            Action::Back => {
                self.screen = Screen::Title;
                return;
            }
            _ => {}
        }
        self.screen = Screen::Map;
    }

    fn update_briefing(&mut self, action: Action) {
        self.screen = match action {
            Action::Confirm => match self.start_game() {
                Some(game) => Screen::Play(Box::new(game)),
                None => Screen::Map,
            },
            Action::Back => self.leave(),
            Action::Up => {
                self.briefing_scroll = self.briefing_scroll.saturating_sub(1);
                Screen::Briefing
            }
            Action::Down => {
                self.briefing_scroll = self.briefing_scroll.saturating_add(1).min(200);
                Screen::Briefing
            }
            _ => Screen::Briefing,
        };
        if !matches!(self.screen, Screen::Briefing) {
            self.briefing_scroll = 0;
        }
    }

    /// A fresh game of the selected mission.
    fn start_game(&self) -> Option<Game> {
        let entry = self.missions.get(self.selected)?;
        let mission = entry.mission.as_ref().ok()?;
        let seed = self.settings.seed.unwrap_or(mission.seed);
        let mut game = Game::new(&entry.id, mission, seed);
        game.speed = self.settings.speed;
        if let Some(plan) = &self.start_plan {
            let pilot = crate::drill::Pilot::new(plan);
            pilot.begin(&mut game.sim);
            game.pilot = Some(pilot);
        }
        Some(game)
    }

    fn update_play(&mut self, mut game: Box<Game>, action: Action) -> bool {
        let changed = play::update(&mut game, action, self.size);
        if game.confirm_quit && action == Action::Yes {
            if let Some(live) = &mut self.live {
                live.abandoned(&game.id);
            }
            self.screen = self.leave();
            return true;
        }
        if game.sim.is_finished() {
            let mut debrief = Debrief::new(*game);
            if debrief.game.playback.is_some() {
                // Watching a recording is not playing: no progress, no report.
                debrief.status.clone_from(&self.replay_status);
            } else {
                debrief.status = self.reports.as_ref().map(|r| {
                    let saved = r.save(&debrief.game);
                    if let Ok(path) = &saved {
                        self.reports_written.push(path.clone());
                    }
                    saved.map(|path| format!("report saved: {}", path.display()))
                });
                if let Some(live) = &mut self.live {
                    live.finished(
                        &debrief.game.id,
                        debrief.outcome.passed,
                        debrief.outcome.stars,
                    );
                }
                let before = self.stars().2;
                self.record(RunResult {
                    passed: debrief.outcome.passed,
                    stars: debrief.outcome.stars,
                    points: debrief.outcome.score.points,
                });
                let after = self.stars().2;
                if after > before {
                    debrief.rank_up = Some(after);
                    self.rank_up = Some(after);
                }
            }
            self.screen = Screen::Debrief(Box::new(debrief));
            return true;
        }
        self.screen = Screen::Play(game);
        changed
    }

    /// A drill: its own stages; leaving goes to the missions. Records no progress.
    fn update_drill(&mut self, mut d: Box<drill::Drill>, action: Action) -> bool {
        match d.update(action, self.size) {
            drill::Next::Stay(changed) => {
                self.screen = Screen::Drill(d);
                changed
            }
            drill::Next::Leave => {
                self.screen = Screen::Map;
                true
            }
        }
    }

    fn update_debrief(&mut self, mut d: Box<Debrief>, action: Action) {
        if d.config_open {
            if let Some(page) = d.config.as_mut()
                && page.update(action, self.size)
            {
                d.config_open = false;
            }
            self.screen = Screen::Debrief(d);
            return;
        }
        self.screen = match action {
            Action::ShowConfig => {
                d.open_config();
                Screen::Debrief(d)
            }
            Action::Answer(i) => {
                d.answer(usize::from(i));
                Screen::Debrief(d)
            }
            Action::Up => {
                d.scroll = d.scroll.saturating_sub(1);
                Screen::Debrief(d)
            }
            Action::Down => {
                d.scroll = d.scroll.saturating_add(1).min(DEBRIEF_SCROLL_MAX);
                Screen::Debrief(d)
            }
            Action::ToggleGhost => {
                d.show_ghost = !d.show_ghost;
                Screen::Debrief(d)
            }
            // A replay came from the shell: r watches it again, leaving quits.
            Action::Replay if d.game.playback.is_some() => Screen::Play(Box::new(d.game.rewound())),
            Action::Confirm | Action::Back if d.game.playback.is_some() => {
                self.should_quit = true;
                Screen::Debrief(d)
            }
            Action::Replay => Screen::Briefing,
            Action::Confirm | Action::Back => {
                // Move on to the next mission on the map.
                if d.outcome.passed && !self.is_sandbox() && self.selected + 1 < self.missions.len()
                {
                    self.selected += 1;
                }
                self.leave()
            }
            _ => Screen::Debrief(d),
        };
    }
}
