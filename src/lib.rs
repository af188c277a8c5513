//! Derbes core: the personal-data registry of a small operator under Kazakhstan's Law No. 94-V
//! "On Personal Data and Its Protection", without any window.
//!
//! The main type is [`Vault`]: one SQLCipher-encrypted SQLite file, opened with a [`Passphrase`],
//! held by one process at a time (see [`vault`]) and migrated to the current [`vault::SCHEMA_VERSION`]
//! on unlock. Every change to it is one transaction that also appends a row to the hash-chained
//! [`vault::journal`]. Domain values are parsed once at the boundary into validated types — an
//! [`Iin`], a [`RequestKind`], a `chrono::NaiveDate` — and business rules take today's date as a
//! parameter (the [`base::calendar`] of Kazakh working days, the [`base::deadline`]s of Art. 25).
//!
//! Every failure is an [`Error`] with a stable [`Error::code`] that the window and the CLI branch on;
//! no error message carries personal data (they name record ids, never values).
//!
//! # Layers
//!
//! Each folder is a layer. A module imports its own folder and the layers below it, never one
//! above, and no two modules import each other (`tests/layers.rs` reads every `use crate::…` and
//! fails otherwise):
//!
//! | layer | folder | holds |
//! |---|---|---|
//! | 1 | [`base`] (and [`error`]) | values and rules on them: IIN, contacts, folding, calendar, deadlines, languages |
//! | 2 | [`files`] | formats: CSV, workbooks, PDF, e-mail, printing, files leaving the vault |
//! | 3 | [`vault`] | the encrypted file: keying, lock, schema migrations, the journal, the live check |
//! | 4 | [`registry`] | subjects and what is held about them, consents, refusals, search, import, export |
//! | 5 | [`requests`], [`erasure::record`] | requests and their time, intake, breaches, the report; what an erasure left |
//! | 6 | [`documents`] | letters and acts on the letterhead, the register of outgoing documents |
//! | 7 | [`erasure`] | destruction, anonymization, retention |
//! | 8 | [`app`] | across domains: backups, status, setup, the demo vault |
//!
//! The desktop shell (`src-tauri/`) and the CLI (`src/bin/derbes-cli.rs`) only translate between
//! their users and this crate.

pub mod app;
pub mod base;
pub mod documents;
pub mod erasure;
pub mod error;
pub mod files;
pub mod registry;
pub mod requests;
pub mod vault;

pub use base::iin::Iin;
pub use base::passphrase::Passphrase;
pub use base::request_kind::RequestKind;
pub use error::{Error, FieldIssue, Result};
pub use vault::Vault;
