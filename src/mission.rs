//! Missions: the RON files in `levels/`, loading, validation and the built-in campaign.
//!
//! `model` is the data; `load` turns text into a validated `Mission` or every problem with
//! its file, line and column; `validate` holds the rules and `locate` maps a field path back
//! to its line and column; `sandbox` is free play, a mission with every part optional.
//! Nothing here simulates anything.

mod load;
mod locate;
mod model;
mod sandbox;
mod validate;

pub use load::{MissionError, Problem, builtin, check_mission_file, load_path, load_str, resolve};
pub use locate::{FieldPath, Pos, Seg, locate};
pub use model::*;
pub use sandbox::{DEFAULT_DURATION, DEFAULT_STORE_RPS, Sandbox, free_play};
pub use validate::{
    MAX_DURATION, MAX_SERVERS, ValidationIssue, known_commands, validate, validate_with_commands,
};
