//! Missions: the RON files in `levels/`, loading, validation and the built-in campaign.
//!
//! `model` is the data; `load` turns text into a validated `Mission` or every problem with
//! its file, line and column; `validate` holds the rules and `locate` maps a field path back
//! to its line and column; `facilitator` is the instructor's section, `reference` the
//! embedded solution and mistake scripts, and `sandbox` free play, a mission with every part
//! optional. Nothing here simulates anything.

mod allowed;
mod facilitator;
mod load;
mod locate;
mod model;
mod reference;
mod sandbox;
mod validate;

pub use allowed::{PRIMITIVES, Unfit};
pub use facilitator::{Facilitator, Mistake};
pub(crate) use load::parse as parse_ron;
pub use load::{
    MAX_PROBLEMS, MissionError, Problem, builtin, campaign_id, check_mission_file, load_path,
    load_str, resolve,
};
pub use locate::{FieldPath, Pos, Seg, SourceMap, locate};
pub use model::*;
pub use reference::{mistake_script, solution_script};
pub use sandbox::{DEFAULT_DURATION, DEFAULT_STORE_RPS, Sandbox, free_play};
pub use validate::{
    MAX_DURATION, MAX_FACTOR, MAX_ROWS, MAX_RPS, MAX_SERVERS, ValidationIssue, known_commands,
    validate, validate_with_commands,
};
