//! Layer 2: the formats Derbes reads and writes — CSV, workbooks, PDF, e-mail messages, print
//! queues — and the way a file leaves the vault (`out_file`). Nothing here sees the vault.

pub mod csv_table;
pub mod eml;
pub mod eml_out;
pub mod mailbox;
pub mod mailer;
pub mod out_file;
pub mod outbox;
pub mod pdf;
pub mod print;
pub mod sheet;
