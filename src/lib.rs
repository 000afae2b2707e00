//! zerodown — a terminal game that teaches zero-downtime deployment on a live, simulated fleet.

/// The event loop: the only code that touches the terminal and the wall clock.
pub mod app;
/// A replay as a terminal recording (asciicast v2), drawn with the game's own view.
pub mod cast;
/// Command line: the subcommands of the `zerodown` binary.
pub mod cli;
/// The one text command language (console, scripts, replays, tests).
pub mod command;
/// The player's configuration files: config.ron, theme.ron, keys.ron.
pub mod config;
/// Text from files made safe to print: terminal escapes, line breaks, bidi overrides.
pub mod defuse;
/// The interview drill: a seeded case, the player's plan, the rubric and the model answer.
pub mod drill;
/// From the game to real rollout config and back: export, import, what-if.
pub mod manifest;
/// Mission files: data model, loading, validation, the built-in campaign.
pub mod mission;
/// Rounding shared by the score and the report.
pub mod num;
/// What differs between Unix and Windows: the OS's requests to end or suspend, save locks.
pub mod platform;
/// Saved progress: best results, rank, unlocking, and the `progress.json` file.
pub mod progress;
/// The quiz's displayed order, shuffled from the run's seed.
pub mod quiz;
/// Replays: mission + seed + command log → the same run, byte for byte.
pub mod replay;
/// The JSON run report.
pub mod report;
/// The headless runner: mission + seed + script → report.
pub mod runner;
/// The classroom scoreboard: reports re-simulated, checked and ranked.
pub mod scoreboard;
/// The pure, deterministic simulation core.
pub mod sim;
/// Reading files from outside: bounded, regular files only.
pub mod textfile;
/// Game time: ticks and durations.
pub mod time;
/// The terminal UI: state, actions, update and the read-only view (no terminal I/O).
pub mod ui;
/// Small pieces of English the messages share (plurals).
pub mod words;
/// Class codes for workshops: the missions and the seed in twelve characters.
pub mod workshop;
