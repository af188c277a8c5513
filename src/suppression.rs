//! The suppression list: people who must not get marketing mail — those who refused it (policy 6.2),
//! withdrew their marketing consent without giving a new one (policy 8.4), or whose processing is
//! blocked. It can be exported, and it cleans a mailing list.

use crate::contact::{normalize_email, normalize_phone};
use crate::csv_table::Table;
use crate::error::{Error, FieldIssue, Result};
use crate::fold::fold;
use crate::journal::Entry;
use crate::prefs::Language;
use crate::sheet::{Cell, Format, Kind};
use crate::subject::ensure_editable;
use crate::vault::Vault;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::io::Write;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub id: i64,
    pub refused_at: String,
    pub channel: String,
    pub request_id: Option<i64>,
    pub revoked_at: Option<String>,
}

pub fn refusals_of(conn: &Connection, subject_id: i64) -> Result<Vec<Refusal>> {
    let mut st = conn.prepare_cached(
        "SELECT id, refused_at, channel, request_id, revoked_at FROM marketing_refusal
         WHERE subject_id = ?1 ORDER BY refused_at DESC, id DESC",
    )?;
    let rows = st.query_map([subject_id], |r| {
        Ok(Refusal {
            id: r.get(0)?,
            refused_at: r.get(1)?,
            channel: r.get(2)?,
            request_id: r.get(3)?,
            revoked_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a refusal of marketing mail (policy 6.2).
pub fn refuse_marketing(
    vault: &mut Vault,
    subject_id: i64,
    on: NaiveDate,
    channel: &str,
    request_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    ensure_editable(vault.conn(), subject_id)?;
    if !crate::consent::CHANNELS.contains(&channel) {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "channel",
            code: "required",
        }]));
    }
    vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO marketing_refusal (subject_id, refused_at, channel, request_id) VALUES (?1, ?2, ?3, ?4)",
            params![subject_id, on.to_string(), channel, request_id],
        )?;
        let id = tx.last_insert_rowid();
        let mut e = Entry::new("marketing.refused").record("subject", subject_id);
        if let Some(r) = request_id {
            e = e.request(r);
        }
        tx.journal(&e)?;
        Ok(id)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    Blocked,
    Refused,
    Withdrawn,
    /// Only when cleaning with `require_consent`: in the registry without a valid marketing consent.
    NoConsent,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Blocked => "blocked",
            Reason::Refused => "refused",
            Reason::Withdrawn => "withdrawn",
            Reason::NoConsent => "no_consent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub subject_id: i64,
    pub reason: Reason,
    /// When: the refusal, the withdrawal, or the last change of a blocked subject.
    pub since: String,
}

/// Active marketing consent as a SQL condition on subject `s` (today is `?1`).
const ACTIVE_MARKETING: &str =
    "EXISTS (SELECT 1 FROM consent c JOIN purpose p ON p.id = c.purpose_id
    WHERE c.subject_id = s.id AND p.is_marketing = 1 AND c.withdrawn_at IS NULL
      AND (c.valid_until IS NULL OR c.valid_until >= ?1))";

/// Everyone on the suppression list on `today`, one entry per subject (the strongest reason).
pub fn list(conn: &Connection, today: NaiveDate) -> Result<Vec<Suppressed>> {
    let sql = format!(
        "SELECT s.id, 0, s.updated_at FROM subject s WHERE s.status = 'blocked'
         UNION ALL
         SELECT r.subject_id, 1, min(r.refused_at) FROM marketing_refusal r JOIN subject s ON s.id = r.subject_id
          WHERE r.revoked_at IS NULL AND s.status = 'active' GROUP BY r.subject_id
         UNION ALL
         SELECT s.id, 2, max(c.withdrawn_at) FROM subject s
           JOIN consent c ON c.subject_id = s.id JOIN purpose p ON p.id = c.purpose_id
          WHERE s.status = 'active' AND p.is_marketing = 1 AND c.withdrawn_at IS NOT NULL
            AND NOT {ACTIVE_MARKETING}
          GROUP BY s.id
         ORDER BY 1, 2"
    );
    let mut st = conn.prepare(&sql)?;
    let mut out: Vec<Suppressed> = Vec::new();
    let rows = st.query_map([today.to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (subject_id, reason, since) = row?;
        if out.last().is_some_and(|e| e.subject_id == subject_id) {
            continue;
        }
        let reason = match reason {
            0 => Reason::Blocked,
            1 => Reason::Refused,
            _ => Reason::Withdrawn,
        };
        out.push(Suppressed {
            subject_id,
            reason,
            since,
        });
    }
    Ok(out)
}

/// Normalised e-mails and phones that must not be mailed, with why.
fn blocked_contacts(
    conn: &Connection,
    today: NaiveDate,
    require_consent: bool,
) -> Result<HashMap<String, Reason>> {
    let mut map: HashMap<String, Reason> = HashMap::new();
    let mut contacts =
        conn.prepare_cached("SELECT normalized FROM contact WHERE subject_id = ?1")?;
    for e in list(conn, today)? {
        for c in contacts.query_map([e.subject_id], |r| r.get::<_, String>(0))? {
            let c = c?;
            map.entry(c)
                .and_modify(|r| *r = (*r).min(e.reason))
                .or_insert(e.reason);
        }
    }
    if require_consent {
        let sql = format!(
            "SELECT c.normalized FROM subject s JOIN contact c ON c.subject_id = s.id
             WHERE s.status = 'active' AND NOT {ACTIVE_MARKETING}"
        );
        let mut st = conn.prepare(&sql)?;
        for c in st.query_map([today.to_string()], |r| r.get::<_, String>(0))? {
            map.entry(c?).or_insert(Reason::NoConsent);
        }
    }
    Ok(map)
}

/// A suppression-list entry with the person's name and normalised contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub entry: Suppressed,
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
}

impl Listed {
    /// The date part of `since`.
    pub fn since(&self) -> &str {
        self.entry.since.get(..10).unwrap_or(&self.entry.since)
    }
}

/// The suppression list with names and contacts, for the window and the export.
pub fn listed(conn: &Connection, today: NaiveDate) -> Result<Vec<Listed>> {
    let mut name = conn.prepare_cached(
        "SELECT trim(surname || ' ' || given_name || ' ' || patronymic) FROM subject WHERE id = ?1",
    )?;
    let mut contacts = conn
        .prepare_cached("SELECT kind, normalized FROM contact WHERE subject_id = ?1 ORDER BY id")?;
    let mut out = Vec::new();
    for entry in list(conn, today)? {
        let name: String = name.query_row([entry.subject_id], |r| r.get(0))?;
        let (mut emails, mut phones) = (Vec::new(), Vec::new());
        for c in contacts.query_map([entry.subject_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })? {
            let (kind, v) = c?;
            if kind == "email" {
                emails.push(v)
            } else {
                phones.push(v)
            }
        }
        out.push(Listed {
            entry,
            name,
            emails,
            phones,
        });
    }
    Ok(out)
}

/// Writes the suppression list as CSV: e-mail, phone, reason, since. Journaled.
pub fn export_csv(
    vault: &mut Vault,
    mut out: impl Write,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    export(vault, &mut out, Format::Csv, Language::En, today, now)
}

/// Writes the suppression list in `format` (e-mails and phones as text, the date as a date),
/// headed in `lang`; the headers are ones the mailing-list cleaner recognises. Journaled.
pub fn export(
    vault: &mut Vault,
    out: &mut dyn Write,
    format: Format,
    lang: Language,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    let columns = crate::sheet::columns(
        lang,
        &[
            ("e-mail", "e-mail", "email", Kind::Text, 30.0),
            ("Телефон", "Телефон", "phone", Kind::Text, 18.0),
            ("Причина", "Себебі", "reason", Kind::Text, 22.0),
            ("С", "Бастап", "since", Kind::Date, 12.0),
        ],
    );
    let sheet = crate::sheet::name(lang, "Стоп-лист", "Тоқтату тізімі", "Suppression");
    let mut w = crate::sheet::writer(format, out, &sheet, &columns)?;
    let list = listed(vault.conn(), today)?;
    for l in &list {
        let (emails, phones) = (l.emails.join(", "), l.phones.join(", "));
        w.row(&[
            Cell::Text(&emails),
            Cell::Text(&phones),
            Cell::Text(l.entry.reason.name()),
            Cell::Date(crate::subject::parse_date(l.since())),
        ])?;
    }
    w.finish()?;
    vault.write(
        now,
        &Entry::new("suppression.exported").detail(format!("{} subjects", list.len())),
        |_| Ok(()),
    )?;
    Ok(list.len())
}

/// What cleaning a mailing list did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanReport {
    pub rows: usize,
    pub kept: usize,
    pub removed: usize,
    pub removed_by_reason: Vec<(Reason, usize)>,
}

fn contact_columns(table: &Table) -> (Vec<usize>, Vec<usize>) {
    let named = |names: &[&str]| -> Vec<usize> {
        table
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| names.iter().any(|n| fold(h.trim()) == fold(n)))
            .map(|(i, _)| i)
            .collect()
    };
    let mut emails = named(&[
        "email",
        "e-mail",
        "почта",
        "эл. почта",
        "электронная почта",
        "электрондық пошта",
        "mail",
    ]);
    let mut phones = named(&["phone", "телефон", "тел", "тел.", "mobile", "мобильный"]);
    if emails.is_empty() && phones.is_empty() {
        // No known header: take every column where most cells are e-mails or phones.
        for i in 0..table.headers.len() {
            let cells: Vec<&str> = table
                .rows
                .iter()
                .filter_map(|(_, r)| r.get(i).map(String::as_str))
                .collect();
            let count =
                |f: fn(&str) -> Option<String>| cells.iter().filter(|c| f(c).is_some()).count();
            let half = cells.len().div_ceil(2).max(1);
            let looks_email = |c: &str| normalize_email(c);
            let looks_phone = |c: &str| normalize_phone(c);
            if count(looks_email) >= half || normalize_email(&table.headers[i]).is_some() {
                emails.push(i);
            } else if count(looks_phone) >= half {
                phones.push(i);
            }
        }
    }
    (emails, phones)
}

/// Returns `table` without the rows whose e-mail or phone must not be mailed; with
/// `require_consent`, registry subjects without a valid marketing consent are removed too.
/// Addresses unknown to the registry are kept. Journaled (counts only).
pub fn clean(
    vault: &mut Vault,
    table: &Table,
    out: impl Write,
    require_consent: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CleanReport> {
    let (emails, phones) = contact_columns(table);
    if emails.is_empty() && phones.is_empty() {
        return Err(Error::CsvMissingColumn("e-mail or phone"));
    }
    let blocked = blocked_contacts(vault.conn(), today, require_consent)?;
    let mut report = CleanReport {
        rows: table.rows.len(),
        ..CleanReport::default()
    };
    let mut by_reason: HashMap<Reason, usize> = HashMap::new();
    let mut w = crate::csv_table::Writer::new(out)?;
    w.row(table.headers.iter().map(String::as_str))?;
    for (_, row) in &table.rows {
        let cell = |i: &usize| row.get(*i).map(String::as_str).unwrap_or("");
        let reason = emails
            .iter()
            .flat_map(|i| {
                cell(i)
                    .split([',', ';', ' '])
                    .filter_map(normalize_email)
                    .collect::<Vec<_>>()
            })
            .chain(phones.iter().flat_map(|i| {
                cell(i)
                    .split([',', ';'])
                    .filter_map(normalize_phone)
                    .collect::<Vec<_>>()
            }))
            .filter_map(|c| blocked.get(&c).copied())
            .min();
        match reason {
            Some(r) => {
                report.removed += 1;
                *by_reason.entry(r).or_default() += 1;
            }
            None => {
                report.kept += 1;
                w.row(row.iter().map(String::as_str))?;
            }
        }
    }
    w.finish()?;
    let mut reasons: Vec<(Reason, usize)> = by_reason.into_iter().collect();
    reasons.sort();
    report.removed_by_reason = reasons;
    vault.write(
        now,
        &Entry::new("mailing_list.cleaned")
            .detail(format!("{} rows, {} removed", report.rows, report.removed)),
        |_| Ok(()),
    )?;
    Ok(report)
}
