//! A subject's card: everything the registry holds about one person, assembled from the modules
//! that keep each part (this module sits above them; none of them imports it).

use crate::error::{Error, Result};
use crate::registry::subject::Status;
use crate::registry::{consent, holding, suppression};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};

/// A subject's card: identity, contacts, what is held, consents, refusals, requests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Card {
    pub id: i64,
    pub iin: Option<String>,
    pub doc_number: Option<String>,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub birth_date: Option<String>,
    pub address: String,
    pub notes: String,
    pub status: Status,
    /// Who the person is to the operator (`subject_category`), if recorded.
    pub category_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub holdings: Vec<holding::Holding>,
    pub consents: Vec<consent::Consent>,
    pub refusals: Vec<suppression::Refusal>,
    pub requests: Vec<RequestLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct RequestLine {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub received_on: String,
    pub due_on: String,
}

/// Reads a card without recording the access (for exports and letters, which journal their own use).
pub fn read_card(conn: &Connection, id: i64, today: NaiveDate) -> Result<Card> {
    let base = conn
        .query_row(
            "SELECT iin, doc_number, surname, given_name, patronymic, birth_date, address, notes,
                    status, created_at, updated_at
                    , category_id
             FROM subject WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, Option<i64>>(11)?,
                ))
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            kind: "subject",
            id,
        })?;
    let mut emails = Vec::new();
    let mut phones = Vec::new();
    let mut st =
        conn.prepare_cached("SELECT kind, value FROM contact WHERE subject_id = ?1 ORDER BY id")?;
    for c in st.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        let (kind, value) = c?;
        if kind == "email" {
            emails.push(value);
        } else {
            phones.push(value);
        }
    }
    let mut st = conn.prepare_cached(
        "SELECT id, kind, status, received_on, coalesce(extended_to, due_on) FROM request
         WHERE subject_id = ?1 ORDER BY received_on DESC, id DESC",
    )?;
    let requests = st
        .query_map([id], |r| {
            Ok(RequestLine {
                id: r.get(0)?,
                kind: r.get(1)?,
                status: r.get(2)?,
                received_on: r.get(3)?,
                due_on: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Card {
        id,
        iin: base.0,
        doc_number: base.1,
        surname: base.2,
        given_name: base.3,
        patronymic: base.4,
        birth_date: base.5,
        address: base.6,
        notes: base.7,
        status: Status::parse(&base.8).unwrap_or(Status::Active),
        category_id: base.11,
        created_at: base.9,
        updated_at: base.10,
        emails,
        phones,
        holdings: holding::for_subject(conn, id)?,
        consents: consent::for_subject(conn, id, today)?,
        refusals: suppression::refusals_of(conn, id)?,
        requests,
    })
}

/// Opens a subject's card and records the access in the journal (the access log inspectors expect).
pub fn open_card(vault: &mut Vault, id: i64, today: NaiveDate, now: DateTime<Utc>) -> Result<Card> {
    let card = read_card(vault.conn(), id, today)?;
    vault.write(
        now,
        &Entry::new("subject.viewed").record("subject", id),
        |_| Ok(()),
    )?;
    Ok(card)
}
