//! zerodown — a terminal game that teaches zero-downtime deployment on a live, simulated fleet.

pub mod command;
pub mod mission;
pub mod time;
