//! Opening a vault, the use case every front-end starts with: the file unlocked and migrated to
//! this build's schema ([`crate::vault`]), then what the current build derives from the data
//! brought up to date, in the layer that owns it. A migration never computes derived data (its
//! seeds are frozen, `vault::migration`); it leaves a mark where the data is stale, and this module
//! reads the marks: subjects without a rank (the search index, schema 5), due dates to recompute
//! after a correction of the calendar (schema 11), stop-list entries to derive from the refusals
//! recorded before it (schema 13), the requests' search rows (schema 15). Each is one transaction with its journal entry; a crash before
//! it commits leaves the mark, and the next opening does it.

use crate::base::passphrase::Passphrase;
use crate::error::Result;
use crate::registry::request_index;
use crate::registry::{rank, stop_list};
use crate::requests::workdays;
use crate::vault::journal::Entry;
use crate::vault::lockfile::LockFile;
use crate::vault::migration::{PENDING_DUE_DATES, PENDING_REQUEST_SEARCH, PENDING_STOP_LIST};
use crate::vault::{Opening, Tx, Vault};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

impl Vault {
    /// Creates a new vault at `path` (mode 0600, its folder 0700), with this build's schema.
    pub fn create(path: &Path, passphrase: &Passphrase, now: DateTime<Utc>) -> Result<Vault> {
        let mut vault = Vault::create_file(path, passphrase, now)?;
        bring_up_to_date(&mut vault, now)?;
        Ok(vault)
    }

    /// Unlocks the vault at `path`, migrating an older schema and bringing what is derived from
    /// its data up to date.
    pub fn open(path: &Path, passphrase: &Passphrase, now: DateTime<Utc>) -> Result<Vault> {
        let mut vault = Vault::open_file(path, passphrase, now)?;
        bring_up_to_date(&mut vault, now)?;
        Ok(vault)
    }

    /// [`Vault::open`] under a lock already held (a restore replacing the file).
    pub(crate) fn open_with_lock(
        path: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
        lock: LockFile,
        opening: Opening,
    ) -> Result<Vault> {
        let mut vault = Vault::open_file_with_lock(path, passphrase, now, lock, opening)?;
        bring_up_to_date(&mut vault, now)?;
        Ok(vault)
    }
}

fn bring_up_to_date(vault: &mut Vault, now: DateTime<Utc>) -> Result<()> {
    if stale(vault.conn())? {
        vault.transact(now, |tx| derive(tx, now))?;
    }
    Ok(())
}

/// Whether anything derived is stale: four indexed lookups, on every opening.
pub(crate) fn stale(conn: &Connection) -> Result<bool> {
    Ok(unranked(conn)?
        || pending(conn, PENDING_DUE_DATES)?.is_some()
        || pending(conn, PENDING_STOP_LIST)?.is_some()
        || pending(conn, PENDING_REQUEST_SEARCH)?.is_some())
}

/// Whether a subject in the registry has no rank: the search index was never written for it (a
/// vault migrated from before schema 5). Inside a committed state ranks are never missing
/// otherwise (`registry::rank`).
fn unranked(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM subject WHERE rank IS NULL AND status IN ('active', 'blocked'))",
        [],
        |r| r.get(0),
    )?)
}

fn pending(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Computes what is stale in transaction `tx` and clears its marks (also used by a restore on the
/// file it prepares, before carrying the current vault's records into it).
pub(crate) fn derive(tx: &Tx<'_>, now: DateTime<Utc>) -> Result<()> {
    if unranked(tx)? {
        rank::rebuild(tx)?;
        tx.journal(&Entry::new("search.rebuilt"))?;
    }
    if let Some(revision) = pending(tx, PENDING_DUE_DATES)? {
        let moved = workdays::recompute_open(tx, now.date_naive())?;
        tx.execute(
            "UPDATE calendar_revision SET due_moved = ?1 WHERE name = ?2",
            rusqlite::params![moved as i64, revision],
        )?;
        tx.execute("DELETE FROM setting WHERE key = ?1", [PENDING_DUE_DATES])?;
        tx.journal(&Entry::new("deadlines.recomputed").detail(format!(
            "{moved} open due dates recomputed after the calendar's correction of {revision}"
        )))?;
    }
    if pending(tx, PENDING_STOP_LIST)?.is_some() {
        let added = stop_list::derive_pending(tx, now)?;
        tx.execute("DELETE FROM setting WHERE key = ?1", [PENDING_STOP_LIST])?;
        // The migration's own entry says the version changed; this one only when refusals were there.
        if added > 0 {
            tx.journal(&Entry::new("stop_list.created").detail(format!("{added} entries")))?;
        }
    }
    if pending(tx, PENDING_REQUEST_SEARCH)?.is_some() {
        let n = request_index::rebuild(tx)?;
        tx.execute(
            "DELETE FROM setting WHERE key = ?1",
            [PENDING_REQUEST_SEARCH],
        )?;
        if n > 0 {
            tx.journal(&Entry::new("request_search.rebuilt").detail(format!("{n} requests")))?;
        }
    }
    Ok(())
}
