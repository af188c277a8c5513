//! Schema versions. Forward-only; each step runs in one transaction together with the new
//! `user_version` and a journal entry, so a crash mid-migration leaves the previous version intact.
//! A step never rewrites what an earlier one created in a way that loses data.
//!
//! A migration means the same thing forever: its SQL and its seed ([`seeds`]) are literal data as
//! they were written, never a call into code that may change later. What is *derived* from the
//! data — the search index, the due dates of open requests, the stop-list's keyed digests — is not
//! a migration's to compute: a migration leaves a mark where it is stale (`pending.*` settings,
//! subjects without a rank) and the current build computes it right after migrating
//! (`app::open`), in the layer that owns it.

use crate::error::{Error, Result};
use crate::vault::journal::{self, Actor, Entry};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction};

mod seeds;

pub use seeds::{PENDING_DUE_DATES, PENDING_REQUEST_SEARCH, PENDING_STOP_LIST};

/// A migration's seed: the transaction and the time of the migration.
type Seed = fn(&Transaction<'_>, DateTime<Utc>) -> Result<Option<Entry>>;

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    sql: &'static str,
    /// Fills what the SQL cannot; may return a journal entry of its own (with the migration's actor).
    seed: Option<Seed>,
    /// Rebuilds a table others refer to: run with foreign keys off and checked before commit,
    /// SQLite's documented procedure (a dropped parent would otherwise count its children as
    /// violations even once the rebuilt table holds the same rows).
    rebuilds: bool,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("sql/0001_foundation.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 2,
        name: "registry",
        sql: include_str!("sql/0002_registry.sql"),
        seed: Some(seeds::registry),
        rebuilds: false,
    },
    Migration {
        version: 3,
        name: "requests",
        sql: include_str!("sql/0003_requests.sql"),
        seed: Some(seeds::requests),
        rebuilds: false,
    },
    Migration {
        version: 4,
        name: "registry search",
        sql: include_str!("sql/0004_registry_search.sql"),
        // Sort keys and search rows are written by version 5, which changed their numbering.
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 5,
        name: "search in list order",
        sql: include_str!("sql/0005_search_order.sql"),
        // The subjects' ranks and search rows are derived data: written after the migration by
        // today's code (`app::open`), which finds the subjects without a rank.
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 6,
        name: "request workflow",
        sql: include_str!("sql/0006_request_workflow.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 7,
        name: "letters",
        sql: include_str!("sql/0007_letters.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 8,
        name: "blocking",
        sql: include_str!("sql/0008_blocking.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 9,
        name: "destruction, anonymization, retention",
        sql: include_str!("sql/0009_erasure.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 10,
        name: "transfers and breaches",
        sql: include_str!("sql/0010_transfers_breaches.sql"),
        seed: None,
        rebuilds: true,
    },
    Migration {
        version: 11,
        name: "calendar rules with validity, corrected 2026-12-02",
        sql: include_str!("sql/0011_calendar_rules.sql"),
        seed: Some(seeds::calendar_2026_12_02),
        rebuilds: false,
    },
    Migration {
        version: 12,
        name: "mail intake: raw sender, message key",
        sql: include_str!("sql/0012_mail_intake.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 13,
        name: "stop-list of keyed addresses that outlives the subject",
        sql: include_str!("sql/0013_stop_list.sql"),
        seed: Some(seeds::stop_list),
        rebuilds: false,
    },
    Migration {
        version: 14,
        name: "vault id for the journal's anchor",
        sql: include_str!("sql/0014_vault_id.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 15,
        name: "requests corrected, cancelled and searched",
        sql: include_str!("sql/0015_request_corrections.sql"),
        // The search rows of the requests are derived data (`pending.request_search`).
        seed: None,
        rebuilds: true,
    },
    Migration {
        version: 16,
        name: "a holding's basis reference",
        sql: include_str!("sql/0016_holding_basis_ref.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 17,
        name: "legal representatives, the age of majority",
        sql: include_str!("sql/0017_representatives.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 18,
        name: "an imported request's outgoing number",
        sql: include_str!("sql/0018_request_outgoing_ref.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 19,
        name: "subject categories, retention per purpose and category",
        sql: include_str!("sql/0019_subject_categories.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 20,
        name: "mail folders read for requests",
        sql: include_str!("sql/0020_mail_folders.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 21,
        name: "paper consent forms",
        sql: include_str!("sql/0021_consent_forms.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 22,
        name: "editable letter wording, in versions",
        sql: include_str!("sql/0022_letter_templates.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 23,
        name: "due dates kept for retention and basis",
        sql: include_str!("sql/0023_due_dates.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 24,
        name: "search rows removed with their exact terms",
        sql: include_str!("sql/0024_search_exact_delete.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 25,
        name: "the list's blocks of ranks and the withdrawn mark",
        sql: include_str!("sql/0025_list_shortcuts.sql"),
        seed: None,
        rebuilds: false,
    },
    Migration {
        version: 26,
        name: "the dashboard's counts kept by due date",
        sql: include_str!("sql/0026_dashboard_tallies.sql"),
        seed: None,
        rebuilds: false,
    },
];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 26;

pub fn current_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Applies every migration above the vault's version up to `target`. Returns the versions applied.
pub fn migrate_to(
    conn: &mut Connection,
    target: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let from = current_version(conn)?;
    let mut applied = Vec::new();
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > from && m.version <= target)
    {
        if m.rebuilds {
            // Only outside a transaction does this pragma take effect.
            conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
        }
        let applied_one = apply_one(conn, m, actor, now);
        if m.rebuilds {
            conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        }
        applied_one?;
        tracing::info!(version = m.version, "vault schema migrated");
        applied.push(m.version);
    }
    Ok(applied)
}

fn apply_one(
    conn: &mut Connection,
    m: &Migration,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        let seeded = match m.seed {
            Some(seed) => seed(&tx, now)?,
            None => None,
        };
        if m.rebuilds {
            let broken: Option<String> = tx
                .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
                .optional()?;
            if broken.is_some() {
                return Err(Error::Damaged);
            }
        }
        // PRAGMA takes no parameters; the version is a constant of this build.
        tx.execute_batch(&format!("PRAGMA user_version = {};", m.version))?;
        journal::append(
            &tx,
            actor,
            now,
            &Entry::new("schema.migrated").detail(format!("to version {} ({})", m.version, m.name)),
        )?;
        if let Some(entry) = seeded {
            journal::append(&tx, actor, now, &entry)?;
        }
        tx.commit()?;
    }
    Ok(())
}
