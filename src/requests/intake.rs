//! Requests that arrive by e-mail: from a message to a pre-filled request — the kind from the
//! policy's subject-line markers ([`crate::requests::marker`]), the received date from the message's `Date`,
//! the subject of the registry matched by the sender's address, and likely duplicates. Nothing is
//! written until the user (or the CLI) registers the draft.

use crate::base::request_kind::RequestKind;
use crate::error::Result;
use crate::files::eml::Message;
use crate::requests::request::{Channel, RequestInput, likely_duplicates};
use chrono::{FixedOffset, NaiveDate};
use rusqlite::Connection;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Draft {
    /// `Other` when the subject line carries no marker: the user chooses.
    pub kind: RequestKind,
    pub recognised: bool,
    pub subject_id: Option<i64>,
    /// That subject's full name, to show whom the message was matched to.
    pub subject_name: Option<String>,
    /// Who wrote: the sender's name, else the address.
    pub requester: String,
    pub sender: String,
    /// From the message's `Date` in the office's time zone; `None` when it has none (crosses as
    /// an empty text: the form's field stays empty).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::base::wire::date_or_empty")
    )]
    pub received_on: Option<NaiveDate>,
    pub title: String,
    pub text: String,
    /// Open requests of the same subject and kind, or answered in the last 30 days.
    pub duplicates: Vec<i64>,
    /// The `From:` header as it came when no address could be read from it (unknown sender).
    pub sender_raw: String,
    /// The message's identity ([`crate::files::eml::Message::key`]).
    pub message_key: String,
    /// The request already registered from this very message.
    pub already: Option<i64>,
    /// The message's `Date:` was implausible and is not used.
    pub date_ignored: bool,
    /// Its `Message-ID`, kept with the request for an answer's `In-Reply-To`.
    pub message_id: Option<String>,
}

/// A message's draft by the file it came from, or why it could not be read (then the draft is
/// blank): the intake lists one per file, a malformed one beside the good ones.
#[derive(Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Drafted {
    pub file: String,
    pub error: Option<crate::error::Error>,
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub draft: Draft,
}

impl Drafted {
    pub fn failed(file: String, e: crate::error::Error) -> Drafted {
        Drafted {
            file,
            error: Some(e),
            draft: Draft::blank(),
        }
    }
}

/// Reads `bytes` as a message and drafts a request from it.
pub fn drafted(
    conn: &Connection,
    file: String,
    bytes: &[u8],
    office: FixedOffset,
    today: NaiveDate,
) -> Drafted {
    match crate::files::eml::parse(bytes).and_then(|m| draft(conn, &m, office, today)) {
        Ok(draft) => Drafted {
            file,
            error: None,
            draft,
        },
        Err(e) => Drafted::failed(file, e),
    }
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
    let found = crate::requests::marker::recognise(&msg.subject);
    let kind = found.unwrap_or(RequestKind::Other);
    let subject_id = if msg.from_address.is_empty() {
        None
    } else {
        subject_by_email(conn, &msg.from_address)?
    };
    let message_key = msg.key();
    let already = crate::requests::request::by_message_key(conn, &message_key)?;
    let duplicates = match subject_id {
        Some(s) if found.is_some() => likely_duplicates(conn, s, kind, today)?,
        _ => Vec::new(),
    };
    let subject_name = subject_id
        .map(|id| crate::registry::subject::full_name(conn, id))
        .transpose()?;
    Ok(Draft {
        kind,
        recognised: found.is_some(),
        subject_id,
        subject_name,
        // An unknown sender is named by the header as it came, for the administrator to fix.
        requester: if !msg.from_name.is_empty() {
            msg.from_name.clone()
        } else if !msg.from_address.is_empty() {
            msg.from_address.clone()
        } else if !msg.from_raw.is_empty() {
            msg.from_raw.chars().take(200).collect()
        } else {
            "—".to_owned()
        },
        sender: msg.from_address.clone(),
        // A date in the future (a wrong clock) is no receipt date.
        received_on: msg.sent_on(office).filter(|d| *d <= today),
        title: msg.subject.clone(),
        text: msg.text.clone(),
        duplicates,
        sender_raw: msg.from_raw.clone(),
        message_key,
        already,
        date_ignored: msg.date_ignored,
        message_id: msg.message_id.clone(),
    })
}

impl Draft {
    /// Nothing drafted: what the window shows beside a message it could not read.
    pub fn blank() -> Draft {
        Draft {
            kind: RequestKind::Other,
            recognised: false,
            subject_id: None,
            subject_name: None,
            requester: String::new(),
            sender: String::new(),
            received_on: None,
            title: String::new(),
            text: String::new(),
            duplicates: Vec::new(),
            sender_raw: String::new(),
            message_key: String::new(),
            already: None,
            date_ignored: false,
            message_id: None,
        }
    }

    /// What the request keeps of the message besides its input.
    pub fn mail_origin(&self) -> crate::requests::request::MailOrigin {
        crate::requests::request::MailOrigin {
            key: Some(self.message_key.clone()),
            sender_raw: self.sender_raw.clone(),
            note: if self.date_ignored {
                "date.implausible".to_owned()
            } else {
                String::new()
            },
            message_id: self.message_id.clone(),
        }
    }

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
            body: body
                .chars()
                .take(crate::files::eml::MAX_TEXT_CHARS)
                .collect(),
            linked_to: None,
            representative: Default::default(),
        }
    }
}
