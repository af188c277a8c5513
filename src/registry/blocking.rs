//! Blocking a subject (Law 94-V Art. 1: the temporary suspension of processing; Art. 25 para 2:
//! on the subject's information of a breach of the conditions of processing; policy 5.7).
//!
//! A blocked subject is left out of every subject export and always removed by the mailing-list
//! cleaner (see `export.rs`, `suppression.rs`); their data cannot be changed (`subject::ensure_editable`)
//! until unblocked with a reason; of the letters, only those about the blocking itself (and a
//! refusal) can still be issued. Each block and unblock is one transaction with its journal entry
//! and a row of `subject_block` holding the stated basis.

use crate::error::{Error, FieldIssue, Result};
use crate::registry::subject::{Status, status_of};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// Why: a request (whose number is recorded) and/or a stated basis in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct Basis {
    pub request_id: Option<i64>,
    pub text: String,
}

pub(crate) fn check(basis: &Basis) -> Result<String> {
    let text = basis.text.trim();
    if text.is_empty() && basis.request_id.is_none() {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "basis",
            code: "required",
        }]));
    }
    if text.chars().count() > 2000 {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "basis",
            code: "text.too_long",
        }]));
    }
    Ok(text.to_owned())
}

/// Suspends the processing of subject `id`.
pub fn block(vault: &mut Vault, id: i64, basis: &Basis, now: DateTime<Utc>) -> Result<()> {
    let text = check(basis)?;
    match status_of(vault.conn(), id)? {
        Status::Active => {}
        other => {
            return Err(Error::NotEditable {
                id,
                status: other.name(),
            });
        }
    }
    let mut entry = Entry::new("subject.blocked").record("subject", id);
    if let Some(r) = basis.request_id {
        entry = entry.request(r);
    }
    let at = now.to_rfc3339();
    vault.write(now, &entry, |tx| {
        tx.execute(
            "UPDATE subject SET status = 'blocked', updated_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        tx.execute(
            "INSERT INTO subject_block (subject_id, blocked_at, basis, request_id)
             VALUES (?1, ?2, ?3, ?4)",
            params![id, at, text, basis.request_id],
        )?;
        Ok(())
    })
}

/// Lifts the block of subject `id`, with the reason (e.g. the breach was not confirmed).
pub fn unblock(vault: &mut Vault, id: i64, reason: &Basis, now: DateTime<Utc>) -> Result<()> {
    let text = check(reason)?;
    if status_of(vault.conn(), id)? != Status::Blocked {
        return Err(Error::NotBlocked { id });
    }
    let mut entry = Entry::new("subject.unblocked").record("subject", id);
    if let Some(r) = reason.request_id {
        entry = entry.request(r);
    }
    let at = now.to_rfc3339();
    vault.write(now, &entry, |tx| {
        tx.execute(
            "UPDATE subject SET status = 'active', updated_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        tx.execute(
            "UPDATE subject_block SET unblocked_at = ?2, unblock_reason = ?3, unblock_request_id = ?4
             WHERE subject_id = ?1 AND unblocked_at IS NULL",
            params![id, at, text, reason.request_id],
        )?;
        Ok(())
    })
}

/// A block as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub blocked_at: String,
    pub basis: String,
    pub request_id: Option<i64>,
    pub unblocked_at: Option<String>,
    pub unblock_reason: Option<String>,
}

/// The blocks of a subject, newest first.
pub fn history(vault: &Vault, id: i64) -> Result<Vec<Block>> {
    let mut st = vault.conn().prepare_cached(
        "SELECT blocked_at, basis, request_id, unblocked_at, unblock_reason FROM subject_block
         WHERE subject_id = ?1 ORDER BY id DESC",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(Block {
            blocked_at: r.get(0)?,
            basis: r.get(1)?,
            request_id: r.get(2)?,
            unblocked_at: r.get(3)?,
            unblock_reason: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
