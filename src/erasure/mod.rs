//! Destroying and anonymizing subjects (Law 94-V Art. 1, 18, 25 para 2; policy 5.7, 8.8, 8.9).
//!
//! **Destroy** deletes the person's contacts, holdings, consents, marketing refusals and blocks,
//! removes their search entry (and merges the search index so no old segment keeps their terms),
//! empties the texts of their requests and of the documents issued to them, and leaves the subject
//! row as a tombstone without personal data: the record number, and in `erasure`/`erasure_batch`
//! the date, basis, request and act. `secure_delete` (set on every connection) overwrites what is
//! freed, so the decrypted pages hold nothing of the person afterwards.
//!
//! **Anonymize** does the same to the identifying data but may keep statistical fields: the year of
//! birth, the sex (both read before the IIN goes) and the holdings and consents (categories,
//! purposes, bases and dates, which name nobody). Nothing is hashed: a hash of an IIN can be
//! reversed by trying every IIN.
//!
//! Either runs in one transaction with its journal entries and the act it issues (one act for a
//! whole batch, e.g. a retention sweep).
//!
//! [`order`] carries an erasure out and issues its act through [`crate::documents`];
//! [`record`] reads back what it left, below the documents that print it; [`retention`] finds
//! what is held past its time.

pub mod order;
pub mod record;
pub mod retention;

pub use order::{Done, Order, Origin, Preview, act_kind, preview, run, run_with};
pub(crate) use order::{close, end_holding, erase, open};
pub use record::{Action, BatchFacts, Keep, Tombstone, batch_facts, tombstone};
