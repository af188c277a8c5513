//! The suppression list: people who must not get marketing mail — those who refused it (policy 6.2),
//! withdrew their marketing consent without giving a new one (policy 8.4), or whose processing is
//! blocked. It can be exported, and it cleans a mailing list.

use crate::base::contact::{normalize_email, normalize_phone};
use crate::base::fold::fold;
use crate::base::language::Language;
use crate::error::{Error, FieldIssue, Result};
use crate::files::csv_table::Table;
use crate::files::sheet::{Cell, Format, Kind};
use crate::registry::stop_list;
use crate::registry::subject::{Status, ensure_editable};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::io::Write;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Refusal {
    pub id: i64,
    pub refused_at: String,
    pub channel: String,
    #[cfg_attr(feature = "serde", serde(skip))]
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

/// Records a refusal of marketing mail (policy 6.2): on the subject's record, and each of her
/// addresses on the stop-list.
pub fn refuse_marketing(
    vault: &mut Vault,
    subject_id: i64,
    on: NaiveDate,
    channel: &str,
    request_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    ensure_editable(vault.conn(), subject_id)?;
    if !crate::registry::consent::CHANNELS.contains(&channel) {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "channel",
            code: "required",
        }]));
    }
    vault.transact(now, |tx| refuse_in(tx, subject_id, on, channel, request_id))
}

/// Writes a refusal of marketing (channel checked by the caller) with its stop-list entries and
/// journal entry in transaction `tx`.
pub(crate) fn refuse_in(
    tx: &crate::vault::Tx<'_>,
    subject_id: i64,
    on: NaiveDate,
    channel: &str,
    request_id: Option<i64>,
) -> Result<i64> {
    {
        tx.execute(
            "INSERT INTO marketing_refusal (subject_id, refused_at, channel, request_id) VALUES (?1, ?2, ?3, ?4)",
            params![subject_id, on.to_string(), channel, request_id],
        )?;
        let id = tx.last_insert_rowid();
        // The addresses go on the stop-list of their own, which outlives the registry record.
        let on = on.to_string();
        let listing = stop_list::Listing {
            why: stop_list::Why::Refused,
            refused_on: &on,
            origin: stop_list::Origin {
                subject_id: Some(subject_id),
                request_id,
            },
            any_origin: false,
            now: tx.now(),
        };
        stop_list::add_contacts(tx, &stop_list::key(tx)?, &listing)?;
        let mut e = Entry::new("marketing.refused").record("subject", subject_id);
        if let Some(r) = request_id {
            e = e.request(r);
        }
        tx.journal(&e)?;
        Ok(id)
    }
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

crate::base::wire::by_name!(Reason => name);

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

/// Tells whether an address must not get marketing mail, and why: the registry's suppression list
/// (and, with `require_consent`, everyone in it without a marketing consent), then the stop-list's
/// keyed entries (a destroyed person's address, a sender's who was never in the registry).
pub struct Checker {
    live: HashMap<String, Reason>,
    stopped: HashMap<(stop_list::AddressKind, [u8; 32]), stop_list::Why>,
    key: stop_list::Key,
}

impl Checker {
    pub fn new(conn: &Connection, today: NaiveDate, require_consent: bool) -> Result<Checker> {
        Ok(Checker {
            live: blocked_contacts(conn, today, require_consent)?,
            stopped: stop_list::active(conn)?,
            key: stop_list::key(conn)?,
        })
    }

    /// Why the normalised address `normalized` must not be mailed, if it must not.
    pub fn reason(&self, kind: stop_list::AddressKind, normalized: &str) -> Option<Reason> {
        let live = self.live.get(normalized).copied();
        let kept = if self.stopped.is_empty() {
            None
        } else {
            let digest = self.key.digest(kind, normalized);
            self.stopped.get(&(kind, digest)).map(|w| reason_of(*w))
        };
        live.into_iter().chain(kept).min()
    }

    /// The same for an address as typed (an e-mail or a phone); an error when it is neither.
    pub fn check(&self, raw: &str) -> Result<Option<Reason>> {
        let (kind, normalized) =
            stop_list::address(raw).ok_or_else(|| stop_list::no_address("address"))?;
        Ok(self.reason(kind, &normalized))
    }
}

/// Whom a line of the suppression list is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Whom {
    /// A person in the registry.
    Subject(i64),
    /// A destroyed or anonymized person (the tombstone's record number): only keyed digests of
    /// her addresses are left.
    Erased(i64),
    /// A sender who is not in the registry and refused by request.
    Request(i64),
    /// An entry whose request and record are not in this vault (carried over by a restore).
    Entry(i64),
}

/// A line of the suppression list: whom, why, since, and the addresses that can be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub whom: Whom,
    pub reason: Reason,
    /// The date it started (YYYY-MM-DD).
    pub since: String,
    /// The subject's name, or who wrote the request; empty for an erased person.
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    /// Addresses kept only as keyed digests (an erased person's, or ones the subject no longer
    /// has): they are matched when a mailing list is cleaned but cannot be shown or exported.
    pub hashed: usize,
}

impl Listed {
    /// The date part of `since`.
    pub fn since(&self) -> &str {
        self.since.get(..10).unwrap_or(&self.since)
    }
}

/// Crosses as `{subjectId, requestId, erased, name, emails, phones, hashed, reason, since}`: the
/// record to open (a person, an erased one's tombstone, or the request of a sender not in the
/// registry) and the day it started.
#[cfg(feature = "serde")]
impl serde::Serialize for Listed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (subject_id, request_id, erased) = match self.whom {
            Whom::Subject(id) => (Some(id), None, false),
            Whom::Erased(id) => (Some(id), None, true),
            Whom::Request(id) => (None, Some(id), false),
            Whom::Entry(_) => (None, None, false),
        };
        let mut st = s.serialize_struct("Listed", 9)?;
        st.serialize_field("subjectId", &subject_id)?;
        st.serialize_field("requestId", &request_id)?;
        st.serialize_field("erased", &erased)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("emails", &self.emails)?;
        st.serialize_field("phones", &self.phones)?;
        st.serialize_field("hashed", &self.hashed)?;
        st.serialize_field("reason", &self.reason)?;
        st.serialize_field("since", self.since())?;
        st.end()
    }
}

fn reason_of(why: stop_list::Why) -> Reason {
    match why {
        stop_list::Why::Refused => Reason::Refused,
        stop_list::Why::Withdrawn => Reason::Withdrawn,
    }
}

/// The suppression list with names and contacts, for the window and the export: everyone the
/// registry says must not be mailed, then the stop-list's entries that no such line covers.
pub fn listed(conn: &Connection, today: NaiveDate) -> Result<Vec<Listed>> {
    let mut name = conn.prepare_cached(
        "SELECT trim(surname || ' ' || given_name || ' ' || patronymic) FROM subject WHERE id = ?1",
    )?;
    let mut contacts = conn
        .prepare_cached("SELECT kind, normalized FROM contact WHERE subject_id = ?1 ORDER BY id")?;
    let mut read_contacts = |id: i64| -> Result<(Vec<String>, Vec<String>)> {
        let (mut emails, mut phones) = (Vec::new(), Vec::new());
        for c in contacts.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })? {
            let (kind, v) = c?;
            if kind == "email" {
                emails.push(v)
            } else {
                phones.push(v)
            }
        }
        Ok((emails, phones))
    };
    let mut out = Vec::new();
    let mut at: HashMap<Whom, usize> = HashMap::new();
    for entry in list(conn, today)? {
        let name: String = name.query_row([entry.subject_id], |r| r.get(0))?;
        let (emails, phones) = read_contacts(entry.subject_id)?;
        at.insert(Whom::Subject(entry.subject_id), out.len());
        out.push(Listed {
            whom: Whom::Subject(entry.subject_id),
            reason: entry.reason,
            since: entry.since,
            name,
            emails,
            phones,
            hashed: 0,
        });
    }
    let entries = stop_list::entries(conn)?;
    if entries.is_empty() {
        return Ok(out);
    }
    let key = stop_list::key(conn)?;
    // The entries by whom they are about, in the order first seen (oldest first).
    let mut groups: Vec<(Whom, Vec<stop_list::Entry>)> = Vec::new();
    let mut group_of: HashMap<Whom, usize> = HashMap::new();
    // One status read per person, however many entries she has.
    let mut status: HashMap<i64, Status> = HashMap::new();
    for e in entries {
        let whom = match (e.subject_id, e.request_id) {
            (Some(s), _) => {
                let st = match status.get(&s) {
                    Some(st) => *st,
                    None => *status
                        .entry(s)
                        .or_insert(crate::registry::subject::status_of(conn, s)?),
                };
                match st {
                    Status::Active | Status::Blocked => Whom::Subject(s),
                    Status::Destroyed | Status::Anonymized => Whom::Erased(s),
                }
            }
            (None, Some(r)) => Whom::Request(r),
            (None, None) => Whom::Entry(e.id),
        };
        let g = *group_of.entry(whom).or_insert_with(|| {
            groups.push((whom, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(e);
    }
    let mut request = conn.prepare_cached("SELECT requester, sender FROM request WHERE id = ?1")?;
    let matches = |entries: &[stop_list::Entry], kind: stop_list::AddressKind, a: &str| {
        entries.iter().any(|e| e.kind == kind && e.is_of(&key, a))
    };
    // The distinct addresses of `entries` that none of the shown ones is.
    let unshown = |entries: &[stop_list::Entry], emails: &[String], phones: &[String]| {
        let mut seen = std::collections::HashSet::new();
        entries
            .iter()
            .filter(|e| {
                let shown = if e.kind == stop_list::AddressKind::Email {
                    emails
                } else {
                    phones
                };
                !shown.iter().any(|a| e.is_of(&key, a)) && seen.insert(e.address_id())
            })
            .count()
    };
    for (whom, entries) in groups {
        use stop_list::AddressKind::{Email, Phone};
        if let Some(&i) = at.get(&whom) {
            // A person the registry already lists: her line shows her contacts; entries of
            // addresses she no longer has are counted.
            let line = &mut out[i];
            line.hashed = unshown(&entries, &line.emails, &line.phones);
            continue;
        }
        let (name, emails, phones) = match whom {
            Whom::Subject(s) => {
                let (emails, phones) = read_contacts(s)?;
                (name.query_row([s], |r| r.get(0))?, emails, phones)
            }
            Whom::Request(r) => {
                let (requester, sender): (String, String) = request
                    .query_row([r], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?
                    .unwrap_or_default();
                match stop_list::address(&sender) {
                    Some((Email, a)) => (requester, vec![a], Vec::new()),
                    Some((Phone, a)) => (requester, Vec::new(), vec![a]),
                    None => (requester, Vec::new(), Vec::new()),
                }
            }
            Whom::Erased(_) | Whom::Entry(_) => Default::default(),
        };
        // Shown: only the readable addresses that an entry is of.
        let emails: Vec<String> = emails
            .into_iter()
            .filter(|a| matches(&entries, Email, a))
            .collect();
        let phones: Vec<String> = phones
            .into_iter()
            .filter(|a| matches(&entries, Phone, a))
            .collect();
        let hashed = unshown(&entries, &emails, &phones);
        let reason = entries
            .iter()
            .map(|e| reason_of(e.why))
            .min()
            .unwrap_or(Reason::Refused);
        let since = entries
            .iter()
            .map(|e| e.refused_on.clone())
            .min()
            .unwrap_or_default();
        out.push(Listed {
            whom,
            reason,
            since,
            name,
            emails,
            phones,
            hashed,
        });
    }
    Ok(out)
}

/// What an export of the suppression list wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Exported {
    /// Lines written (one per person or request).
    pub lines: usize,
    /// Addresses left out because only their keyed digest is kept (see [`Listed::hashed`]).
    pub hashed: usize,
}

/// Writes the suppression list as CSV: e-mail, phone, reason, since. The caller journals it once
/// the file is complete.
pub fn export_csv(conn: &Connection, mut out: impl Write, today: NaiveDate) -> Result<Exported> {
    export(conn, &mut out, Format::Csv, Language::En, today)
}

/// Writes the suppression list in `format` (e-mails and phones as text, the date as a date),
/// headed in `lang`; the headers are ones the mailing-list cleaner recognises. Addresses kept only
/// as keyed digests cannot be written; they are counted. The caller journals it once the file is
/// complete ([`crate::registry::export::journal_leaving`]).
pub fn export(
    conn: &Connection,
    out: &mut dyn Write,
    format: Format,
    lang: Language,
    today: NaiveDate,
) -> Result<Exported> {
    let columns = crate::files::sheet::columns(
        lang,
        &[
            ("e-mail", "e-mail", "email", Kind::Text, 30.0),
            ("Телефон", "Телефон", "phone", Kind::Text, 18.0),
            ("Причина", "Себебі", "reason", Kind::Text, 22.0),
            ("С", "Бастап", "since", Kind::Date, 12.0),
        ],
    );
    let sheet = crate::files::sheet::name(lang, "Стоп-лист", "Тоқтату тізімі", "Suppression");
    let mut w = crate::files::sheet::writer(format, out, &sheet, &columns)?;
    let list = listed(conn, today)?;
    let mut done = Exported::default();
    for l in &list {
        done.hashed += l.hashed;
        if l.emails.is_empty() && l.phones.is_empty() {
            continue;
        }
        let (emails, phones) = (l.emails.join(", "), l.phones.join(", "));
        w.row(&[
            Cell::Text(&emails),
            Cell::Text(&phones),
            Cell::Text(l.reason.name()),
            Cell::Date(crate::base::input::parse_date(l.since())),
        ])?;
        done.lines += 1;
    }
    w.finish()?;
    Ok(done)
}

/// What cleaning a mailing list did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
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

/// Returns `table` without the rows whose e-mail or phone must not be mailed (the registry's
/// suppression list and the stop-list's keyed entries); with `require_consent`, registry subjects
/// without a valid marketing consent are removed too. Other addresses are kept, and every kept row
/// as it was (a cell is changed only where a spreadsheet would run it as a formula). The caller
/// journals it (counts only) once the file is complete.
pub fn clean(
    conn: &Connection,
    table: &Table,
    out: impl Write,
    require_consent: bool,
    today: NaiveDate,
) -> Result<CleanReport> {
    let (emails, phones) = contact_columns(table);
    if emails.is_empty() && phones.is_empty() {
        return Err(Error::CsvMissingColumn("e-mail or phone"));
    }
    let checker = Checker::new(conn, today, require_consent)?;
    let mut report = CleanReport {
        rows: table.rows.len(),
        ..CleanReport::default()
    };
    let mut by_reason: HashMap<Reason, usize> = HashMap::new();
    let mut w = crate::files::csv_table::Writer::new(out)?;
    w.row(table.headers.iter().map(String::as_str))?;
    for (_, row) in &table.rows {
        let cell = |i: &usize| row.get(*i).map(String::as_str).unwrap_or("");
        use stop_list::AddressKind::{Email, Phone};
        let reason = emails
            .iter()
            .flat_map(|i| {
                cell(i)
                    .split([',', ';', ' '])
                    .filter_map(normalize_email)
                    .map(|a| (Email, a))
                    .collect::<Vec<_>>()
            })
            .chain(phones.iter().flat_map(|i| {
                cell(i)
                    .split([',', ';'])
                    .filter_map(normalize_phone)
                    .map(|a| (Phone, a))
                    .collect::<Vec<_>>()
            }))
            .filter_map(|(kind, a)| checker.reason(kind, &a))
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
    Ok(report)
}
