//! Layer 5: requests from subjects and from the authorized body and their time — the vault's
//! working-day calendar and deadline terms, mail intake, the breach register and the period
//! report.

pub mod breach;
pub mod correction;
pub mod intake;
pub mod journal_import;
pub mod mailbox;
pub mod marker;
pub mod refusal;
pub mod report;
pub mod request;
pub mod search;
pub mod workdays;
pub mod workflow;
