//! Layer 8: what spans every domain, for both front-ends — backups, the status figures, the
//! first-run setup and the demo vault.

pub mod backup;
pub mod backup_view;
pub mod demo;
pub mod open;
pub mod reminders;
pub mod setup;
pub mod starter;
pub mod status;
pub mod vocab;
