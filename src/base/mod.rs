//! Layer 1: values and the rules on them — no SQLite, no files but the paths where Derbes keeps
//! them. Everything above parses its input into these types once, at the boundary.

pub mod calendar;
pub mod contact;
pub mod deadline;
pub mod fold;
pub mod iin;
pub mod input;
pub mod language;
pub mod limits;
pub mod passphrase;
pub mod paths;
pub mod progress;
pub mod request_kind;
pub mod wire;
