//! Retention (Law 94-V Art. 12, 18; policy 5.7, 8.8, 8.9): which data is held past its time.
//!
//! A holding (a category of a person's data held for a purpose) is due when
//! - its own end date (`holding.until`, e.g. a contract's term) has passed,
//! - its purpose's retention period (`purpose.retention_days`, from law, contract or policy, an
//!   editable setting) counted from `holding.since` has run out, or
//! - it rests on consent, and the person's consent for that purpose has expired or was withdrawn,
//!   with no consent in force left (policy 8.9).
//!
//! A person all of whose holdings are due is destroyed or anonymized as a whole; otherwise only the
//! due holdings end (the rest is still lawfully held). The sweep reads active subjects only: a
//! blocked one is frozen until its block is settled.

use crate::erasure::{self, Action, Done, Keep, Origin};
use crate::error::{Error, FieldIssue, Result};
use crate::prefs::Language;
use crate::vault::{Tx, Vault};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The holding's own end date passed.
    Until,
    /// The purpose's retention period ran out.
    Period,
    ConsentExpired,
    ConsentWithdrawn,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Until => "until",
            Reason::Period => "period",
            Reason::ConsentExpired => "consent_expired",
            Reason::ConsentWithdrawn => "consent_withdrawn",
        }
    }

    fn parse(s: &str) -> Option<Reason> {
        [
            Reason::Until,
            Reason::Period,
            Reason::ConsentExpired,
            Reason::ConsentWithdrawn,
        ]
        .into_iter()
        .find(|r| r.name() == s)
    }
}

/// One holding whose time is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueHolding {
    pub holding_id: i64,
    pub category_id: i64,
    pub purpose_id: i64,
    pub reason: Reason,
    /// When it ended: the end date, the end of the period, the consent's end or withdrawal.
    pub ended_on: NaiveDate,
}

/// A person with data past its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueSubject {
    pub subject_id: i64,
    /// Every holding is due: the person goes as a whole.
    pub whole: bool,
    pub holdings: Vec<DueHolding>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sweep {
    /// In subject id order.
    pub subjects: Vec<DueSubject>,
    pub whole: u64,
    pub partial: u64,
    pub holdings: u64,
}

// One pass over the holdings of active subjects. The consent test runs only for holdings on
// consent (the partial indexes `consent_in_force` and `consent_withdrawn` answer it).
const DUE: &str = "
WITH h AS (
    SELECT h.id, h.subject_id, h.category_id, h.purpose_id, h.basis, h.since, h.until,
           CASE WHEN p.retention_days IS NOT NULL
                THEN date(h.since, '+' || p.retention_days || ' days') END AS period_end
    FROM holding h
    JOIN subject s ON s.id = h.subject_id AND s.status = 'active'
    JOIN purpose p ON p.id = h.purpose_id
)
SELECT id, subject_id, category_id, purpose_id,
       CASE
         WHEN until IS NOT NULL AND until < ?1 THEN 'until'
         WHEN period_end IS NOT NULL AND period_end < ?1 THEN 'period'
         WHEN basis = 'consent'
              AND NOT EXISTS (SELECT 1 FROM consent c
                              WHERE c.subject_id = h.subject_id AND c.purpose_id = h.purpose_id
                                AND c.withdrawn_at IS NULL
                                AND (c.valid_until IS NULL OR c.valid_until >= ?1))
              AND EXISTS (SELECT 1 FROM consent c
                          WHERE c.subject_id = h.subject_id AND c.purpose_id = h.purpose_id)
         THEN CASE WHEN EXISTS (SELECT 1 FROM consent c
                                WHERE c.subject_id = h.subject_id AND c.purpose_id = h.purpose_id
                                  AND c.withdrawn_at IS NOT NULL)
                   THEN 'consent_withdrawn' ELSE 'consent_expired' END
       END AS reason,
       CASE
         WHEN until IS NOT NULL AND until < ?1 THEN until
         WHEN period_end IS NOT NULL AND period_end < ?1 THEN period_end
         ELSE (SELECT max(coalesce(substr(c.withdrawn_at, 1, 10), c.valid_until)) FROM consent c
               WHERE c.subject_id = h.subject_id AND c.purpose_id = h.purpose_id)
       END AS ended_on
FROM h
WHERE reason IS NOT NULL
ORDER BY subject_id, id";

/// What is held past its time `today`.
pub fn sweep(conn: &Connection, today: NaiveDate) -> Result<Sweep> {
    let mut st = conn.prepare_cached(DUE)?;
    let rows = st.query_map([today.to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Sweep::default();
    for row in rows {
        let (holding_id, subject_id, category_id, purpose_id, reason, ended_on) = row?;
        let item = DueHolding {
            holding_id,
            category_id,
            purpose_id,
            reason: Reason::parse(&reason).ok_or(Error::Damaged)?,
            ended_on: ended_on
                .as_deref()
                .and_then(crate::subject::parse_date)
                .unwrap_or(today),
        };
        match out.subjects.last_mut() {
            Some(s) if s.subject_id == subject_id => s.holdings.push(item),
            _ => out.subjects.push(DueSubject {
                subject_id,
                whole: false,
                holdings: vec![item],
            }),
        }
    }
    let mut count = conn.prepare_cached("SELECT count(*) FROM holding WHERE subject_id = ?1")?;
    for s in &mut out.subjects {
        let all: i64 = count.query_row([s.subject_id], |r| r.get(0))?;
        s.whole = usize::try_from(all).is_ok_and(|n| n == s.holdings.len());
        out.holdings += s.holdings.len() as u64;
        if s.whole {
            out.whole += 1;
        } else {
            out.partial += 1;
        }
    }
    Ok(out)
}

/// Carries the sweep out in one batch with one act: the people whose every holding is due are
/// destroyed or anonymized (`action`, `keep`), the single due holdings of the others end.
/// `subjects`, when given, limits it to those people (as chosen in the list).
pub fn carry_out(
    vault: &mut Vault,
    action: Action,
    keep: Keep,
    subjects: Option<&[i64]>,
    lang: Language,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Done> {
    let head = crate::letterhead::load(vault.conn())?;
    crate::letterhead::require_complete(&head)?;
    let keep = if action == Action::Destroy {
        Keep::default()
    } else {
        keep
    };
    vault.transact(now, |tx| {
        // Read again inside the transaction: it acts on exactly what it reads.
        let mut due = sweep(tx, today)?;
        if let Some(only) = subjects {
            due.subjects.retain(|s| only.contains(&s.subject_id));
        }
        if due.subjects.is_empty() {
            return Err(Error::Invalid(vec![FieldIssue {
                field: "subjects",
                code: "retention.nothing_due",
            }]));
        }
        apply(tx, &due, action, keep, lang, today)
    })
}

fn apply(
    tx: &Tx<'_>,
    due: &Sweep,
    action: Action,
    keep: Keep,
    lang: Language,
    today: NaiveDate,
) -> Result<Done> {
    let batch = erasure::open(tx, action, Origin::Retention, "", None, keep, today)?;
    for s in &due.subjects {
        if s.whole {
            erasure::erase(tx, batch, action, keep, s.subject_id, today)?;
        } else {
            for h in &s.holdings {
                erasure::end_holding(tx, batch, h.holding_id, h.reason.name())?;
            }
        }
    }
    erasure::close(tx, batch, lang, today)
}

/// The sweep as CSV lines for an inspection: record numbers, categories and purposes by code,
/// reasons and dates — no names.
pub fn report_csv(conn: &Connection, sweep: &Sweep, out: &mut dyn std::io::Write) -> Result<()> {
    let code = |table: &str| -> Result<std::collections::HashMap<i64, String>> {
        let mut st = conn.prepare(&format!("SELECT id, code FROM {table}"))?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let (cats, purposes) = (code("data_category")?, code("purpose")?);
    writeln!(out, "subject,scope,category,purpose,reason,ended_on")?;
    for s in &sweep.subjects {
        for h in &s.holdings {
            writeln!(
                out,
                "{},{},{},{},{},{}",
                s.subject_id,
                if s.whole { "whole" } else { "holding" },
                cats.get(&h.category_id).map_or("", String::as_str),
                purposes.get(&h.purpose_id).map_or("", String::as_str),
                h.reason.name(),
                h.ended_on
            )?;
        }
    }
    Ok(())
}

/// A purpose's retention period and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub purpose_id: i64,
    /// `None`: until the purpose is achieved (Art. 12).
    pub days: Option<i64>,
    /// `law`, `contract` or `policy`.
    pub source: Option<String>,
    pub note: String,
}

/// Sets a purpose's retention period.
pub fn set_period(vault: &mut Vault, p: &Period, now: DateTime<Utc>) -> Result<()> {
    let mut issues = Vec::new();
    if p.days.is_some_and(|d| !(1..=36_500).contains(&d)) {
        issues.push(FieldIssue {
            field: "days",
            code: "retention.days",
        });
    }
    if p.source
        .as_deref()
        .is_some_and(|s| !["law", "contract", "policy"].contains(&s))
    {
        issues.push(FieldIssue {
            field: "source",
            code: "required",
        });
    }
    if p.note.chars().count() > 500 {
        issues.push(FieldIssue {
            field: "note",
            code: "text.too_long",
        });
    }
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    let entry = crate::journal::Entry::new("purpose.retention_set").record("purpose", p.purpose_id);
    vault.write(now, &entry, |tx| {
        let n = tx.execute(
            "UPDATE purpose SET retention_days = ?2, retention_source = ?3, retention_note = ?4
             WHERE id = ?1",
            params![p.purpose_id, p.days, p.source, p.note.trim()],
        )?;
        if n == 0 {
            return Err(Error::NotFound {
                kind: "purpose",
                id: p.purpose_id,
            });
        }
        Ok(())
    })
}

/// Every purpose's retention period.
pub fn periods(conn: &Connection) -> Result<Vec<Period>> {
    let mut st = conn.prepare(
        "SELECT id, retention_days, retention_source, retention_note FROM purpose ORDER BY id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Period {
            purpose_id: r.get(0)?,
            days: r.get(1)?,
            source: r.get(2)?,
            note: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
