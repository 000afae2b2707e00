//! From the game to production and back: a play written as real rollout configuration
//! (Argo Rollouts, Kubernetes, Flagger, CodeDeploy), and real configuration read back and
//! played against every fault the game knows (`whatif`).
//!
//! `Play` (in `play`) is the one form between the two: `export` writes it, `import` reads
//! it, the drill's plan and the mission's commands are made from it. The YAML shapes are
//! typed structs named after the real fields (`yaml`), read and written with serde-saphyr.

pub mod diff;
pub mod export;
pub mod import;
pub mod play;
pub mod whatif;
pub mod yaml;

pub use export::{Format, export};
pub use import::{ImportError, Imported, import, import_for};
pub use play::{ByHand, Guard, HandKind, How, Play, Release, Setup, reference};
