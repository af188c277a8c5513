//! Derbes core: the personal-data registry of a small operator under Kazakhstan's Law No. 94-V
//! "On Personal Data and Its Protection", without any window.
//!
//! The main type is [`Vault`]: one SQLCipher-encrypted SQLite file, opened with a [`Passphrase`],
//! held by one process at a time (see [`vault`]) and migrated to the current [`vault::SCHEMA_VERSION`]
//! on unlock. Every change to it is one transaction that also appends a row to the hash-chained
//! [`journal`]. Domain values are parsed once at the boundary into validated types — an [`Iin`], a
//! [`RequestKind`], a `chrono::NaiveDate` — and business rules take today's date as a parameter
//! (the [`calendar`] of Kazakh working days, the [`deadline`]s of Art. 25).
//!
//! Every failure is an [`Error`] with a stable [`Error::code`] that the window and the CLI branch on;
//! no error message carries personal data (they name record ids, never values).
//!
//! The desktop shell (`src-tauri/`) and the CLI (`src/bin/derbes-cli.rs`) only translate between
//! their users and this crate.

pub mod backup;
pub mod blocking;
pub mod breach;
pub mod calendar;
pub mod catalog;
pub mod consent;
pub mod contact;
pub mod csv_table;
pub mod deadline;
pub mod demo;
pub mod eml;
pub mod erasure;
pub mod error;
pub mod export;
pub mod fold;
pub mod holding;
pub mod iin;
pub mod import;
pub mod intake;
pub mod journal;
pub mod letterhead;
pub mod letters;
pub mod limits;
pub mod marker;
mod ods;
pub mod out_file;
pub mod passphrase;
pub mod paths;
pub mod pdf;
pub mod prefs;
pub mod print;
pub mod progress;
mod rank;
pub mod report;
pub mod request;
pub mod request_kind;
pub mod retention;
pub mod search;
pub mod setup;
pub mod sheet;
pub mod status;
pub mod stop_list;
pub mod subject;
pub mod suppression;
pub mod transfer;
pub mod vault;
pub mod workdays;

pub use error::{Error, FieldIssue, Result};
pub use iin::Iin;
pub use passphrase::Passphrase;
pub use request_kind::RequestKind;
pub use vault::Vault;
