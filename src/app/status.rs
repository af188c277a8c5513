//! A vault's figures at a glance: what the CLI's `status` prints and the dashboard shows — the
//! requests at risk first (overdue, due today, due within a week), new ones, open ones by kind, the
//! registry's size and the age of the last backup.

use crate::base::request_kind::RequestKind;
use crate::error::Result;
use crate::vault::{Vault, migration};
use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Status {
    pub schema_version: i64,
    pub is_demo: bool,
    pub subjects: i64,
    /// People in the registry with no recorded basis of processing today.
    pub without_basis: i64,
    pub consents: i64,
    pub requests: i64,
    pub open_requests: i64,
    pub overdue_requests: i64,
    pub due_today: i64,
    /// Open, due after today and at most seven days from now.
    pub due_this_week: i64,
    pub new_requests: i64,
    /// Open requests by kind, only the kinds that have any.
    pub open_by_kind: Vec<(RequestKind, i64)>,
    pub journal_entries: i64,
    /// When the last backup was written (set by the backup code), if ever.
    pub last_backup_at: Option<String>,
    /// No backup outside the vault's folder for longer than the reminder's days (default 7).
    pub backup_reminder: bool,
    /// Years near today the working-day calendar does not confirm (see `workdays`).
    pub unconfirmed_years: Vec<i32>,
    /// A correction of the built-in calendar applied in the last 30 days, with the due dates it moved.
    /// Crosses as `[days changed, days left as the user set them, open due dates moved]`.
    #[cfg_attr(feature = "serde", serde(serialize_with = "wire::revision"))]
    pub calendar_revision: Option<crate::requests::workdays::Revision>,
    /// Breaches whose notice to the authorized body is not sent yet, and of those overdue.
    pub breaches_unnotified: i64,
    pub breaches_overdue: i64,
    /// The newest divergence of the journal from its anchor recorded at an unlock (issue 16):
    /// when it was found, and what.
    /// Crosses as `{foundAt, code, from, to, writtenAt}`.
    #[cfg_attr(feature = "serde", serde(serialize_with = "wire::divergence"))]
    pub journal_divergence: Option<(String, crate::vault::anchor::Finding)>,
    /// The last live check (`vault.checked`): when, and `good` or the codes of what it found.
    pub last_check: Option<(String, String)>,
    /// When a passphrase change was found interrupted, if no change finished since (issue 16).
    pub passphrase_interrupted: Option<String>,
}

/// The open requests' figures of the dashboard.
#[cfg(feature = "serde")]
mod wire {
    use crate::requests::workdays::Revision;
    use crate::vault::anchor::Finding;
    use serde::{Serialize, Serializer};

    pub fn revision<S: Serializer>(r: &Option<Revision>, s: S) -> Result<S::Ok, S::Error> {
        r.as_ref()
            .map(|r| (r.days_changed, r.days_kept, r.due_moved))
            .serialize(s)
    }

    /// The journal found shorter than, or different from, its anchor (`vault::anchor`).
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Divergence<'a> {
        /// When the unlock that found it ran.
        found_at: &'a str,
        /// `journal.entries_missing` or `journal.rewritten`.
        code: &'static str,
        /// The first entry missing, or the first that may have been changed.
        from: i64,
        /// The last entry missing, or the first one known to differ.
        to: i64,
        /// When the last of them was written.
        written_at: &'a str,
    }

    pub fn divergence<S: Serializer>(
        d: &Option<(String, Finding)>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        d.as_ref()
            .map(|(found_at, f)| {
                let (from, to, written_at) = f.span();
                Divergence {
                    found_at,
                    code: f.code(),
                    from,
                    to,
                    written_at,
                }
            })
            .serialize(s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFigures {
    pub overdue: i64,
    pub due_today: i64,
    pub due_this_week: i64,
    pub new: i64,
    pub open: i64,
    pub open_by_kind: Vec<(RequestKind, i64)>,
}

/// Open requests are `new` or `in_progress`; a recorded extension replaces the legal due date for
/// being overdue. Read from the open requests counted per due date in force, kind and status
/// (`request_open_tally`, kept by triggers: migration 26), a few rows per day, never the requests.
pub fn request_figures(c: &Connection, today: NaiveDate) -> Result<RequestFigures> {
    let (overdue, due_today, week, new, open): (i64, i64, i64, i64, i64) = c
        .prepare_cached(
            "SELECT coalesce(sum(CASE WHEN due < ?1 THEN n END), 0),
                    coalesce(sum(CASE WHEN due = ?1 THEN n END), 0),
                    coalesce(sum(CASE WHEN due > ?1 AND due <= ?2 THEN n END), 0),
                    coalesce(sum(CASE WHEN status = 'new' THEN n END), 0), coalesce(sum(n), 0)
             FROM request_open_tally",
        )?
        .query_row(
            [today.to_string(), (today + Duration::days(7)).to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    let mut st = c.prepare_cached(
        "SELECT kind, sum(n) FROM request_open_tally GROUP BY kind HAVING sum(n) > 0",
    )?;
    let mut open_by_kind: Vec<(RequestKind, i64)> = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(k, n)| Some((RequestKind::parse(&k).ok()?, n)))
        .collect();
    open_by_kind.sort_by_key(|(k, _)| *k);
    Ok(RequestFigures {
        overdue,
        due_today,
        due_this_week: week,
        new,
        open,
        open_by_kind,
    })
}

pub fn status(vault: &Vault, today: NaiveDate) -> Result<Status> {
    let c = vault.conn();
    let count =
        |sql: &str| -> Result<i64> { Ok(c.prepare_cached(sql)?.query_row([], |r| r.get(0))?) };
    let f = request_figures(c, today)?;
    let (breaches_unnotified, breaches_overdue) = crate::requests::breach::figures(c, today)?;
    Ok(Status {
        schema_version: migration::current_version(c)?,
        is_demo: vault.setting("demo")?.as_deref() == Some("1"),
        subjects: count(crate::registry::subject::LIVING_COUNT)?,
        without_basis: crate::registry::holding::without_basis(c, today)?,
        consents: count("SELECT count(*) FROM consent")?,
        requests: count("SELECT count(*) FROM request")?,
        open_requests: f.open,
        overdue_requests: f.overdue,
        due_today: f.due_today,
        due_this_week: f.due_this_week,
        new_requests: f.new,
        open_by_kind: f.open_by_kind,
        // Entries are numbered from 1 without gaps (the chain's rule), so the last number is the count.
        journal_entries: count("SELECT coalesce(max(seq), 0) FROM journal")?,
        last_backup_at: vault.setting("last_backup_at")?,
        backup_reminder: crate::app::backup::reminder_due(vault, today)?,
        unconfirmed_years: crate::requests::workdays::unconfirmed_years(c, today)?,
        calendar_revision: crate::requests::workdays::recent_revision(c, today)?,
        breaches_unnotified,
        breaches_overdue,
        journal_divergence: crate::vault::anchor::recorded(c)?.into_iter().next(),
        passphrase_interrupted: crate::vault::last_passphrase_entry(c)?
            .filter(|(action, _)| action == "vault.passphrase_change_interrupted")
            .map(|(_, at)| at),
        last_check: c
            .query_row(
                "SELECT at, detail FROM journal WHERE action = 'vault.checked'
                 ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
    })
}
