//! Data subjects (Law 94-V Art. 1): who they are and how to reach them. Input arrives as text and is
//! validated here into a [`Valid`] subject — IIN rules, a birth date that must agree with the IIN,
//! e-mails and phones normalised — before anything is written. Every change is one transaction with
//! its journal entry, and refreshes the subject's search terms and sort key.

use crate::base::contact::{normalize_email, normalize_phone};
use crate::base::fold::fold;
use crate::base::iin::Iin;
use crate::base::input::typed_date;
use crate::error::{Error, FieldIssue, Result};
use crate::registry::index::index_terms;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// Longest text accepted in a name field, and in the address and notes.
const NAME_MAX: usize = 100;
const TEXT_MAX: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Blocked,
    Anonymized,
    Destroyed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Blocked => "blocked",
            Status::Anonymized => "anonymized",
            Status::Destroyed => "destroyed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Active,
            Status::Blocked,
            Status::Anonymized,
            Status::Destroyed,
        ]
        .into_iter()
        .find(|x| x.name() == s)
    }
}

crate::base::wire::by_name_both!(Status => name);

/// Subject `id`'s full name as lists show it (`base::input::full_name`).
pub fn full_name(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT surname, given_name, patronymic FROM subject WHERE id = ?1")?
        .query_row([id], |r| {
            let (s, g, p): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(crate::base::input::full_name(&s, &g, &p))
        })?)
}

/// A subject as typed by a user or read from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize, serde::Serialize),
    serde(rename_all = "camelCase", default)
)]
pub struct SubjectInput {
    pub iin: String,
    pub doc_number: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    /// `YYYY-MM-DD`, `DD.MM.YYYY` or `DD/MM/YYYY`; may be empty when there is an IIN.
    pub birth_date: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub address: String,
    pub notes: String,
    /// Who the person is to the operator (`subject_category`); none: not recorded.
    pub category_id: Option<i64>,
}

/// A validated subject, ready to be written.
#[derive(Debug, Clone)]
pub struct Valid {
    pub iin: Option<Iin>,
    pub doc_number: Option<String>,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub birth_date: Option<NaiveDate>,
    /// (as typed, normalised)
    pub emails: Vec<(String, String)>,
    pub phones: Vec<(String, String)>,
    pub address: String,
    pub notes: String,
    pub category_id: Option<i64>,
}

fn clean(s: &str) -> String {
    // Collapse inner white space; control characters have no place in a name or address.
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// Typed contacts as (typed, normalised), without blanks and repeats; true when one is invalid.
fn contacts(
    typed: &[String],
    normalize: fn(&str) -> Option<String>,
) -> (Vec<(String, String)>, bool) {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut invalid = false;
    for t in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        match normalize(t) {
            Some(n) if !out.iter().any(|(_, m)| *m == n) => out.push((t.to_owned(), n)),
            Some(_) => {}
            None => invalid = true,
        }
    }
    (out, invalid)
}

/// Checks every field and reports every problem at once.
pub fn validate(
    input: &SubjectInput,
    today: NaiveDate,
) -> std::result::Result<Valid, Vec<FieldIssue>> {
    let mut issues = Vec::new();
    let mut issue = |field, code| issues.push(FieldIssue { field, code });

    let iin = match input.iin.trim() {
        "" => None,
        s => match Iin::parse_on(s, today) {
            Ok(i) => Some(i),
            Err(e) => {
                issue("iin", e.code());
                None
            }
        },
    };
    let doc_number = Some(clean(&input.doc_number)).filter(|d| !d.is_empty());
    if input.iin.trim().is_empty() && doc_number.is_none() {
        // Foreigners without an IIN are registered by an identity document number (docs/domain.md §4).
        issue("iin", "iin.or_document_required");
    }
    if doc_number.as_ref().is_some_and(|d| d.chars().count() > 40) {
        issue("doc_number", "text.too_long");
    }
    let surname = clean(&input.surname);
    let given_name = clean(&input.given_name);
    let patronymic = clean(&input.patronymic);
    for (field, v, required) in [
        ("surname", &surname, true),
        ("given_name", &given_name, true),
        ("patronymic", &patronymic, false),
    ] {
        if required && v.is_empty() {
            issue(field, "required");
        } else if v.chars().count() > NAME_MAX {
            issue(field, "text.too_long");
        }
    }
    let typed_birth = typed_date(&input.birth_date, None, "birth_date").unwrap_or_else(|i| {
        issue(i.field, i.code);
        None
    });
    let birth_date = match (&iin, typed_birth) {
        (Some(i), Some(d)) if i.birth_date() != d => {
            issue("birth_date", "birth_date.iin_mismatch");
            None
        }
        (Some(i), _) => Some(i.birth_date()),
        (None, d) => d,
    };
    if birth_date.is_some_and(|d| d > today) {
        issue("birth_date", "date.future");
    }
    let (emails, bad_email) = contacts(&input.emails, normalize_email);
    if bad_email {
        issue("emails", "email.invalid");
    }
    let (phones, bad_phone) = contacts(&input.phones, normalize_phone);
    if bad_phone {
        issue("phones", "phone.invalid");
    }
    let address = input.address.trim().to_owned();
    let notes = input.notes.trim().to_owned();
    if address.chars().count() > TEXT_MAX {
        issue("address", "text.too_long");
    }
    if notes.chars().count() > TEXT_MAX {
        issue("notes", "text.too_long");
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(Valid {
        iin,
        doc_number,
        surname,
        given_name,
        patronymic,
        birth_date,
        emails,
        phones,
        address,
        notes,
        category_id: input.category_id,
    })
}

/// A subject category the vault does not have is refused like a missing field.
fn check_category(conn: &Connection, v: &Valid) -> Result<()> {
    if let Some(c) = v.category_id {
        let found: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM subject_category WHERE id = ?1)")?
            .query_row([c], |r| r.get(0))?;
        if !found {
            return Err(Error::Invalid(vec![FieldIssue {
                field: "category",
                code: "required",
            }]));
        }
    }
    Ok(())
}

pub fn find_by_iin(conn: &Connection, iin: &Iin) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM subject WHERE iin = ?1",
            [iin.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

/// How many subjects are in the registry: all rows but the tombstones of destroyed and anonymized
/// ones, which have one `erasure` row each. Two whole-table counts, which SQLite answers without
/// stepping rows (counting the living through their index steps every one).
pub const LIVING_COUNT: &str =
    "SELECT (SELECT count(*) FROM subject) - (SELECT count(*) FROM erasure)";

pub(crate) fn status_of(conn: &Connection, id: i64) -> Result<Status> {
    let s: Option<String> = conn
        .query_row("SELECT status FROM subject WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    let s = s.ok_or(Error::NotFound {
        kind: "subject",
        id,
    })?;
    Ok(Status::parse(&s).unwrap_or(Status::Active))
}

/// Refuses changes to a subject whose processing is suspended or whose data is gone.
pub(crate) fn ensure_editable(conn: &Connection, id: i64) -> Result<()> {
    match status_of(conn, id)? {
        Status::Active => Ok(()),
        other => Err(Error::NotEditable {
            id,
            status: other.name(),
        }),
    }
}

pub(crate) fn insert(tx: &Connection, v: &Valid, now: DateTime<Utc>, index: Index) -> Result<i64> {
    let stamp = now.to_rfc3339();
    let (key, terms) = valid_index(v);
    let rank = match index {
        Index::At(rank) => Some(rank),
        Index::Now | Index::Later => None,
    };
    check_category(tx, v)?;
    let inserted = tx.prepare_cached(
        "INSERT INTO subject (iin, doc_number, surname, given_name, patronymic, birth_date, address,
                              notes, created_at, updated_at, sort_key, rank, category_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
            v.iin.as_ref().map(Iin::as_str),
            v.doc_number,
            v.surname,
            v.given_name,
            v.patronymic,
            v.birth_date.map(|d| d.to_string()),
            v.address,
            v.notes,
            stamp,
            key,
            rank,
            v.category_id
        ],
    );
    // The IIN's unique index refuses a second person with the same IIN; only then is the holder
    // looked up, for the message (an import of 100 000 would otherwise look up every one).
    if let Err(e) = inserted {
        if let Some(iin) = &v.iin
            && is_unique_violation(&e)
            && let Some(existing_id) = find_by_iin(tx, iin)?
        {
            return Err(Error::DuplicateIin { existing_id });
        }
        return Err(e.into());
    }
    let id = tx.last_insert_rowid();
    write_contacts(tx, id, v)?;
    match index {
        Index::Now => write_index(tx, id, &key, &terms)?,
        Index::At(rank) => {
            crate::registry::index::Fts::Subjects.keep(tx, rank, &terms)?;
        }
        Index::Later => {}
    }
    Ok(id)
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

pub(crate) fn replace(
    tx: &Connection,
    id: i64,
    v: &Valid,
    now: DateTime<Utc>,
    index: Index,
) -> Result<()> {
    ensure_editable(tx, id)?;
    if let Some(iin) = &v.iin
        && let Some(existing_id) = find_by_iin(tx, iin)?
        && existing_id != id
    {
        return Err(Error::DuplicateIin { existing_id });
    }
    check_category(tx, v)?;
    tx.execute(
        "UPDATE subject SET iin = ?2, doc_number = ?3, surname = ?4, given_name = ?5, patronymic = ?6,
                birth_date = ?7, address = ?8, notes = ?9, updated_at = ?10, category_id = ?11
         WHERE id = ?1",
        params![
            id,
            v.iin.as_ref().map(Iin::as_str),
            v.doc_number,
            v.surname,
            v.given_name,
            v.patronymic,
            v.birth_date.map(|d| d.to_string()),
            v.address,
            v.notes,
            now.to_rfc3339(),
            v.category_id
        ],
    )?;
    tx.execute("DELETE FROM contact WHERE subject_id = ?1", [id])?;
    write_contacts(tx, id, v)?;
    match index {
        Index::Now | Index::At(_) => {
            let (key, terms) = valid_index(v);
            write_index(tx, id, &key, &terms)?;
        }
        Index::Later => {}
    }
    // Their requests are found by the person's name and contacts as they are now.
    crate::registry::request_index::for_subject(tx, id)?;
    Ok(())
}

fn write_contacts(tx: &Connection, id: i64, v: &Valid) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO contact (subject_id, kind, value, normalized) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (typed, norm) in &v.emails {
        st.execute(params![id, "email", typed, norm])?;
    }
    for (typed, norm) in &v.phones {
        st.execute(params![id, "phone", typed, norm])?;
    }
    Ok(())
}

/// When a subject's search row and rank are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Index {
    /// With the change.
    Now,
    /// Under this rank, planned by the caller (imports, [`crate::registry::rank::plan_new`]); the
    /// search terms are kept and the caller writes the batch's index rows together at the end
    /// ([`crate::registry::index::Fts::index_kept`]).
    At(i64),
    /// Not yet: the caller renumbers everyone at the end ([`crate::registry::rank::rebuild`]).
    Later,
}

/// The key of a subject's place in the alphabetical list.
pub(crate) fn sort_key(v: &Valid) -> String {
    fold(&format!("{} {} {}", v.surname, v.given_name, v.patronymic))
}

/// Writes a subject's sort key and search row. The rank is kept while the sort key stays, and
/// found again (see [`crate::registry::rank`]) when it changes.
fn write_index(conn: &Connection, id: i64, sort_key: &str, terms: &str) -> Result<()> {
    let (old_key, old_rank): (String, Option<i64>) = conn
        .prepare_cached("SELECT sort_key, rank FROM subject WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if let Some(rank) = old_rank {
        crate::registry::index::Fts::Subjects.remove(conn, rank)?;
    }
    let rank = match old_rank {
        Some(rank) if old_key == sort_key => rank,
        _ => {
            conn.prepare_cached("UPDATE subject SET sort_key = ?2, rank = NULL WHERE id = ?1")?
                .execute(params![id, sort_key])?;
            crate::registry::rank::place(conn, id, sort_key)?
        }
    };
    crate::registry::index::Fts::Subjects.put(conn, rank, terms)?;
    Ok(())
}

fn valid_index(v: &Valid) -> (String, String) {
    let iin = v.iin.as_ref().map(Iin::as_str);
    let contacts = v
        .emails
        .iter()
        .map(|(_, n)| ("email", n.as_str()))
        .chain(v.phones.iter().map(|(_, n)| ("phone", n.as_str())));
    index_terms(
        [&v.surname, &v.given_name, &v.patronymic],
        iin.as_deref(),
        v.doc_number.as_deref(),
        contacts,
    )
}

/// Registers a new subject. A second subject with the same IIN is refused, naming the first.
pub fn create(
    vault: &mut Vault,
    input: &SubjectInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let v = validate(input, today).map_err(Error::Invalid)?;
    vault.transact(now, |tx| {
        let id = insert(tx, &v, now, Index::Now)?;
        tx.journal(&Entry::new("subject.created").record("subject", id))?;
        Ok(id)
    })
}

/// Replaces a subject's identity and contact data.
pub fn update(
    vault: &mut Vault,
    id: i64,
    input: &SubjectInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    update_serving(vault, id, input, None, today, now)
}

/// [`update`], carried out for a request (Law 94-V Art. 25: correction on the subject's demand),
/// which the journal entry names.
pub fn update_serving(
    vault: &mut Vault,
    id: i64,
    input: &SubjectInput,
    request_id: Option<i64>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let v = validate(input, today).map_err(Error::Invalid)?;
    let mut entry = Entry::new("subject.updated").record("subject", id);
    if let Some(r) = request_id {
        entry = entry.request(r);
    }
    vault.write(now, &entry, |tx| replace(tx, id, &v, now, Index::Now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn input() -> SubjectInput {
        SubjectInput {
            iin: "850808310738".into(),
            surname: "Қасымов".into(),
            given_name: "Қайрат".into(),
            emails: vec!["K.Kasymov@mail.kz".into()],
            phones: vec!["8 701 123 45 67".into()],
            ..SubjectInput::default()
        }
    }

    #[test]
    fn birth_date_comes_from_the_iin() {
        let v = validate(&input(), today()).unwrap();
        assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1985, 8, 8));
        assert_eq!(v.emails[0].1, "k.kasymov@mail.kz");
        assert_eq!(v.phones[0].1, "+77011234567");
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = SubjectInput {
            iin: "850808310737".into(),
            surname: " ".into(),
            birth_date: "32.13.2020".into(),
            emails: vec!["not-an-email".into()],
            phones: vec!["12".into()],
            ..SubjectInput::default()
        };
        let issues = validate(&bad, today()).unwrap_err();
        let codes: Vec<_> = issues.iter().map(|i| (i.field, i.code)).collect();
        assert_eq!(
            codes,
            [
                ("iin", "iin.check_digit"),
                ("surname", "required"),
                ("given_name", "required"),
                ("birth_date", "date.format"),
                ("emails", "email.invalid"),
                ("phones", "phone.invalid"),
            ]
        );
        let mismatch = SubjectInput {
            birth_date: "09.08.1985".into(),
            ..input()
        };
        assert_eq!(
            validate(&mismatch, today()).unwrap_err()[0].code,
            "birth_date.iin_mismatch"
        );
        let foreign = SubjectInput {
            iin: String::new(),
            ..input()
        };
        assert_eq!(
            validate(&foreign, today()).unwrap_err()[0].code,
            "iin.or_document_required"
        );
        let foreign = SubjectInput {
            iin: String::new(),
            doc_number: "N1234567".into(),
            ..input()
        };
        assert!(validate(&foreign, today()).is_ok());
    }
}
