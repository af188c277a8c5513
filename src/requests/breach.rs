//! The register of personal-data security incidents (Law 94-V as amended by Law 44-VIII of
//! 11.12.2023: the operator notifies the authorized body of a breach). Each incident's notice is
//! due by the vault's rule for `breach` (1 working day from detection by default, `docs/domain.md` §2),
//! counted by the vault's calendar and recomputed with it, and shown like a request's deadline.

use crate::base::deadline::{Standing, due_date, standing};
use crate::base::request_kind::RequestKind;
use crate::error::{Error, FieldIssue, Result};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// An incident as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct BreachInput {
    pub found_on: String,
    /// The time of day, as told (`HH:MM`), may be empty.
    pub found_at: String,
    pub description: String,
    pub category_ids: Vec<i64>,
    pub subjects_affected: u64,
    pub measures: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Breach {
    pub id: i64,
    pub found_on: NaiveDate,
    pub found_at: String,
    pub description: String,
    pub categories: Vec<String>,
    pub subjects_affected: u64,
    pub measures: String,
    pub due_on: NaiveDate,
    pub notified_on: Option<NaiveDate>,
    pub notice_ref: String,
    pub letter_id: Option<i64>,
    pub closed_on: Option<NaiveDate>,
    /// Against the notice's due date, while it is not sent.
    pub standing: Option<Standing>,
}

fn issue(field: &'static str, code: &'static str) -> FieldIssue {
    FieldIssue { field, code }
}

struct Valid {
    found_on: NaiveDate,
    found_at: String,
    description: String,
    codes: Vec<String>,
    subjects: i64,
    measures: String,
}

fn validate(conn: &Connection, b: &BreachInput, today: NaiveDate) -> Result<Valid> {
    let mut issues = Vec::new();
    let found_on = crate::base::input::parse_date(&b.found_on);
    match found_on {
        None => issues.push(issue("found_on", "date.format")),
        Some(d) if d > today => issues.push(issue("found_on", "date.future")),
        Some(_) => {}
    }
    let found_at = b.found_at.trim().to_owned();
    if !found_at.is_empty() && chrono::NaiveTime::parse_from_str(&found_at, "%H:%M").is_err() {
        issues.push(issue("found_at", "time.format"));
    }
    let description = b.description.trim().to_owned();
    if description.is_empty() {
        issues.push(issue("description", "required"));
    }
    if description.chars().count() > 5000 || b.measures.chars().count() > 5000 {
        issues.push(issue("description", "text.too_long"));
    }
    let subjects = i64::try_from(b.subjects_affected).unwrap_or(i64::MAX);
    if subjects > 100_000_000 {
        issues.push(issue("subjects_affected", "number.range"));
    }
    let codes =
        crate::registry::catalog::category_codes(conn, &b.category_ids)?.unwrap_or_else(|| {
            issues.push(issue("categories", "required"));
            Vec::new()
        });
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    Ok(Valid {
        found_on: found_on.unwrap_or(today),
        found_at,
        description,
        codes,
        subjects,
        measures: b.measures.trim().to_owned(),
    })
}

fn due(conn: &Connection, found_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    let calendar = crate::requests::workdays::load(conn, today)?;
    let rules = crate::requests::workdays::rules(conn)?;
    let rule = rules
        .get(&RequestKind::Breach)
        .cloned()
        .unwrap_or_else(|| crate::base::deadline::default_rule(RequestKind::Breach));
    Ok(due_date(&rule, found_on, &calendar))
}

/// Registers an incident; its notice falls due by the rule for `breach`.
pub fn register(
    vault: &mut Vault,
    b: &BreachInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let v = validate(vault.conn(), b, today)?;
    let due_on = due(vault.conn(), v.found_on, today)?;
    vault.transact(now, |tx| {
        let at = now.to_rfc3339();
        tx.execute(
            "INSERT INTO breach (found_on, found_at, description, categories, subjects_affected,
                                 measures, due_on, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                v.found_on.to_string(),
                v.found_at,
                v.description,
                v.codes.join(","),
                v.subjects,
                v.measures,
                due_on.to_string(),
                at
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.journal(&Entry::new("breach.registered").record("breach", id))?;
        Ok(id)
    })
}

/// Changes what is known of an incident (measures taken, the number affected).
pub fn update(
    vault: &mut Vault,
    id: i64,
    b: &BreachInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    get(vault.conn(), id, today)?;
    let v = validate(vault.conn(), b, today)?;
    let due_on = due(vault.conn(), v.found_on, today)?;
    let entry = Entry::new("breach.updated").record("breach", id);
    vault.write(now, &entry, |tx| {
        tx.execute(
            "UPDATE breach SET found_on = ?2, found_at = ?3, description = ?4, categories = ?5,
                               subjects_affected = ?6, measures = ?7,
                               due_on = CASE WHEN notified_on IS NULL THEN ?8 ELSE due_on END,
                               updated_at = ?9
             WHERE id = ?1",
            params![
                id,
                v.found_on.to_string(),
                v.found_at,
                v.description,
                v.codes.join(","),
                v.subjects,
                v.measures,
                due_on.to_string(),
                now.to_rfc3339()
            ],
        )?;
        Ok(())
    })
}

/// Records that the authorized body was notified on `on` (with its registration, if any).
pub fn notified(
    vault: &mut Vault,
    id: i64,
    on: NaiveDate,
    notice_ref: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let b = get(vault.conn(), id, today)?;
    if on < b.found_on || on > today {
        return Err(Error::Invalid(vec![issue(
            "notified_on",
            if on > today {
                "date.future"
            } else {
                "date.before_start"
            },
        )]));
    }
    if notice_ref.chars().count() > 200 {
        return Err(Error::Invalid(vec![issue("notice_ref", "text.too_long")]));
    }
    let entry = Entry::new("breach.notified").record("breach", id);
    vault.write(now, &entry, |tx| {
        tx.execute(
            "UPDATE breach SET notified_on = ?2, notice_ref = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, on.to_string(), notice_ref.trim(), now.to_rfc3339()],
        )?;
        Ok(())
    })
}

/// Closes an incident: handled, nothing more to do.
pub fn close(vault: &mut Vault, id: i64, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    get(vault.conn(), id, today)?;
    let entry = Entry::new("breach.closed").record("breach", id);
    vault.write(now, &entry, |tx| {
        tx.execute(
            "UPDATE breach SET closed_on = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, today.to_string(), now.to_rfc3339()],
        )?;
        Ok(())
    })
}

const SELECT: &str = "SELECT id, found_on, found_at, description, categories, subjects_affected,
                             measures, due_on, notified_on, notice_ref, letter_id, closed_on
                      FROM breach";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Breach> {
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?
            .as_deref()
            .and_then(crate::base::input::parse_date))
    };
    let cats: String = r.get(4)?;
    Ok(Breach {
        id: r.get(0)?,
        found_on: date(1)?.unwrap_or_default(),
        found_at: r.get(2)?,
        description: r.get(3)?,
        categories: crate::registry::catalog::split_codes(&cats),
        subjects_affected: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
        measures: r.get(6)?,
        due_on: date(7)?.unwrap_or_default(),
        notified_on: date(8)?,
        notice_ref: r.get(9)?,
        letter_id: r.get(10)?,
        closed_on: date(11)?,
        standing: None,
    })
}

fn with_standing(conn: &Connection, mut v: Vec<Breach>, today: NaiveDate) -> Result<Vec<Breach>> {
    if v.iter().any(|b| b.notified_on.is_none()) {
        let calendar = crate::requests::workdays::load(conn, today)?;
        for b in &mut v {
            if b.notified_on.is_none() {
                b.standing = Some(standing(b.due_on, today, &calendar));
            }
        }
    }
    Ok(v)
}

pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Breach> {
    let b = conn
        .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], read)
        .optional()?
        .ok_or(Error::NotFound { kind: "breach", id })?;
    Ok(with_standing(conn, vec![b], today)?.remove(0))
}

/// The register: incidents not yet notified first (by due date), then the others, newest first.
pub fn list(conn: &Connection, today: NaiveDate) -> Result<Vec<Breach>> {
    let mut st = conn.prepare_cached(&format!(
        "{SELECT} ORDER BY notified_on IS NOT NULL, CASE WHEN notified_on IS NULL THEN due_on END,
                  found_on DESC, id DESC"
    ))?;
    let rows = st
        .query_map([], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_standing(conn, rows, today)
}

/// (not yet notified, of which overdue) for the dashboard.
pub fn figures(conn: &Connection, today: NaiveDate) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(due_on < ?1), 0) FROM breach WHERE notified_on IS NULL",
        )?
        .query_row([today.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?)
}
