//! Requests that arrive by e-mail: from a message to a pre-filled request — the kind from the
//! policy's subject-line markers ([`crate::marker`]), the received date from the message's `Date`,
//! the subject of the registry matched by the sender's address, and likely duplicates. Nothing is
//! written until the user (or the CLI) registers the draft.

use crate::eml::Message;
use crate::error::Result;
use crate::request::{Channel, RequestInput, likely_duplicates};
use crate::request_kind::RequestKind;
use chrono::{FixedOffset, NaiveDate};
use rusqlite::Connection;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// `Other` when the subject line carries no marker: the user chooses.
    pub kind: RequestKind,
    pub recognised: bool,
    pub subject_id: Option<i64>,
    /// Who wrote: the sender's name, else the address.
    pub requester: String,
    pub sender: String,
    /// From the message's `Date` in the office's time zone; `None` when it has none.
    pub received_on: Option<NaiveDate>,
    pub title: String,
    pub text: String,
    /// Open requests of the same subject and kind, or answered in the last 30 days.
    pub duplicates: Vec<i64>,
}

/// The registered subject with this e-mail address, when exactly one has it.
pub fn subject_by_email(conn: &Connection, address: &str) -> Result<Option<i64>> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT subject_id FROM contact WHERE kind = 'email' AND normalized = ?1 LIMIT 2",
    )?;
    let ids: Vec<i64> = st
        .query_map([address.trim().to_lowercase()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match ids.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

pub fn draft(
    conn: &Connection,
    msg: &Message,
    office: FixedOffset,
    today: NaiveDate,
) -> Result<Draft> {
    let found = crate::marker::recognise(&msg.subject);
    let kind = found.unwrap_or(RequestKind::Other);
    let subject_id = subject_by_email(conn, &msg.from_address)?;
    let duplicates = match subject_id {
        Some(s) if found.is_some() => likely_duplicates(conn, s, kind, today)?,
        _ => Vec::new(),
    };
    Ok(Draft {
        kind,
        recognised: found.is_some(),
        subject_id,
        requester: if msg.from_name.is_empty() {
            msg.from_address.clone()
        } else {
            msg.from_name.clone()
        },
        sender: msg.from_address.clone(),
        // A date in the future (a wrong clock) is no receipt date.
        received_on: msg.sent_on(office).filter(|d| *d <= today),
        title: msg.subject.clone(),
        text: msg.text.clone(),
        duplicates,
    })
}

impl Draft {
    /// The request to register as drafted (the window lets the user change it first).
    pub fn input(&self) -> RequestInput {
        let body = if self.title.is_empty() {
            self.text.clone()
        } else {
            format!("{}\n\n{}", self.title, self.text)
        };
        RequestInput {
            subject_id: self.subject_id,
            requester: self.requester.clone(),
            sender: self.sender.clone(),
            kind: self.kind,
            channel: Channel::Email,
            received_on: self.received_on.map(|d| d.to_string()).unwrap_or_default(),
            incoming_ref: String::new(),
            body: body.chars().take(crate::eml::MAX_TEXT_CHARS).collect(),
            linked_to: None,
        }
    }
}
