//! What is held about a subject: which category of personal data, for which purpose, on which legal
//! basis (Law 94-V Art. 7; policy 7.1–7.6), from which source, since and until when (Art. 12; policy
//! 5.7, 8.8: until the purpose is achieved unless a law or contract sets a term).

use crate::base::input::typed_date;
use crate::error::{Error, FieldIssue, Result};
use crate::registry::subject::ensure_editable;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub const BASES: [&str; 5] = [
    "consent",
    "contract",
    "law",
    "legitimate_interest",
    "public",
];

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Holding {
    pub id: i64,
    pub category_id: i64,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub category_code: String,
    pub purpose_id: i64,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub purpose_code: String,
    pub basis: String,
    /// The act the basis rests on: the contract's number and date, the article of the law.
    pub basis_ref: String,
    pub source: String,
    pub since: String,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct HoldingInput {
    pub category_id: i64,
    pub purpose_id: i64,
    pub basis: String,
    pub basis_ref: String,
    pub source: String,
    pub since: String,
    pub until: String,
}

/// The condition, on subject `s`, of having no recorded basis of processing on day `today` (an SQL
/// parameter): no holding in effect (none, or all ended) and no consent in force. Such a person
/// is processed on nothing the vault can show (Law 94-V Art. 7): an import of identity alone
/// leaves everyone so, and the dashboard, the registry's filter and the retention sweep say so.
///
/// `subject.basis_until`, kept by the vault's triggers (migration 23), is the last day a holding
/// or a consent gives a basis: one indexed comparison instead of two lookups per person.
pub(crate) fn no_basis_condition(today: &str) -> String {
    format!("(s.basis_until IS NULL OR s.basis_until < {today})")
}

/// [`no_basis_condition`] read from the holdings and consents themselves, which the maintained
/// column must always agree with.
#[cfg(test)]
pub(crate) fn no_basis_condition_read(today: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM holding h WHERE h.subject_id = s.id
                       AND (h.until IS NULL OR h.until >= {today}))
         AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.subject_id = s.id AND c.withdrawn_at IS NULL
                           AND (c.valid_until IS NULL OR c.valid_until >= {today}))"
    )
}

/// How many people in the registry have no recorded basis of processing on `today`.
pub fn without_basis(conn: &Connection, today: NaiveDate) -> Result<i64> {
    // Two ranges of the (status, basis_until) index, counted without reading a row.
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM subject s WHERE s.status IN ('active', 'blocked')
                       AND s.basis_until IS NULL)
                  + (SELECT count(*) FROM subject s WHERE s.status IN ('active', 'blocked')
                       AND s.basis_until < ?1)",
        )?
        .query_row([today.to_string()], |r| r.get(0))?)
}

pub fn for_subject(conn: &Connection, subject_id: i64) -> Result<Vec<Holding>> {
    let mut st = conn.prepare_cached(
        "SELECT h.id, h.category_id, c.code, h.purpose_id, p.code, h.basis, h.source, h.since, h.until,
                h.basis_ref
         FROM holding h JOIN data_category c ON c.id = h.category_id JOIN purpose p ON p.id = h.purpose_id
         WHERE h.subject_id = ?1 ORDER BY c.id, p.id, h.id",
    )?;
    let rows = st.query_map([subject_id], |r| {
        Ok(Holding {
            id: r.get(0)?,
            category_id: r.get(1)?,
            category_code: r.get(2)?,
            purpose_id: r.get(3)?,
            purpose_code: r.get(4)?,
            basis: r.get(5)?,
            source: r.get(6)?,
            since: r.get(7)?,
            until: r.get(8)?,
            basis_ref: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn exists(conn: &Connection, table: &str, id: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            &format!("SELECT 1 FROM {table} WHERE id = ?1"),
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn validate(
    conn: &Connection,
    input: &HoldingInput,
    today: NaiveDate,
) -> Result<(NaiveDate, Option<NaiveDate>)> {
    let mut issues = Vec::new();
    if !exists(conn, "data_category", input.category_id)? {
        issues.push(FieldIssue {
            field: "category",
            code: "required",
        });
    }
    if !exists(conn, "purpose", input.purpose_id)? {
        issues.push(FieldIssue {
            field: "purpose",
            code: "required",
        });
    }
    if !BASES.contains(&input.basis.as_str()) {
        issues.push(FieldIssue {
            field: "basis",
            code: "required",
        });
    }
    let mut date = |raw: &str, default, field| {
        typed_date(raw, default, field).unwrap_or_else(|i| {
            issues.push(i);
            None
        })
    };
    let since = date(&input.since, Some(today), "since");
    let until = date(&input.until, None, "until");
    if let (Some(s), Some(u)) = (since, until)
        && u < s
    {
        issues.push(FieldIssue {
            field: "until",
            code: "date.before_start",
        });
    }
    match since {
        Some(s) if issues.is_empty() => Ok((s, until)),
        _ => Err(Error::Invalid(issues)),
    }
}

pub fn add(
    vault: &mut Vault,
    subject_id: i64,
    input: &HoldingInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    ensure_editable(vault.conn(), subject_id)?;
    let (since, until) = validate(vault.conn(), input, today)?;
    vault.transact(now, |tx| insert(tx, subject_id, input, since, until))
}

/// Checks a holding for an editable subject: the dates it will be written with.
pub(crate) fn check(
    conn: &Connection,
    subject_id: i64,
    input: &HoldingInput,
    today: NaiveDate,
) -> Result<(NaiveDate, Option<NaiveDate>)> {
    ensure_editable(conn, subject_id)?;
    validate(conn, input, today)
}

/// Writes a checked holding and its journal entry in transaction `tx`.
pub(crate) fn insert(
    tx: &crate::vault::Tx<'_>,
    subject_id: i64,
    input: &HoldingInput,
    since: NaiveDate,
    until: Option<NaiveDate>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO holding (subject_id, category_id, purpose_id, basis, source, since, until,
                              basis_ref)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            subject_id,
            input.category_id,
            input.purpose_id,
            input.basis,
            input.source.trim(),
            since.to_string(),
            until.map(|d| d.to_string()),
            input.basis_ref.trim()
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.journal(
        &Entry::new("holding.added")
            .record("subject", subject_id)
            .detail(format!("holding {id}")),
    )?;
    Ok(id)
}

pub fn remove(vault: &mut Vault, holding_id: i64, now: DateTime<Utc>) -> Result<()> {
    let subject_id: i64 = vault
        .conn()
        .query_row(
            "SELECT subject_id FROM holding WHERE id = ?1",
            [holding_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound {
            kind: "holding",
            id: holding_id,
        })?;
    ensure_editable(vault.conn(), subject_id)?;
    let entry = Entry::new("holding.removed")
        .record("subject", subject_id)
        .detail(format!("holding {holding_id}"));
    vault.write(now, &entry, |tx| {
        tx.execute("DELETE FROM holding WHERE id = ?1", [holding_id])?;
        Ok(())
    })
}
