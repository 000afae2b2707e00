//! Missions: the RON files in `levels/`, loading, validation and the built-in campaign.
//!
//! `model` is the data; `load` turns text into a validated `Mission` or every problem with
//! its file, line and column. Nothing here simulates anything.

mod load;
mod model;

pub use load::{MissionError, Problem, builtin, load_path, load_str, resolve};
pub use model::*;
