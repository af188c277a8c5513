//! Requests from the mail folders the office's mail program keeps (issue 19; policy 6.2, 8.3, 8.4,
//! 12.1: requests arrive by e-mail at the operator's address). The user names a Maildir or an mbox
//! once; each read takes the messages that are new since the last one ([`files::mailbox`] keeps
//! the place; the vault keeps every message's key, so none is registered twice), and:
//! - registers as a request each message that carries one of the policy's subject markers or was
//!   written to the operator's personal-data address (the letterhead's e-mail): the legal term
//!   runs from its receipt, whether or not anyone has looked at it yet — the user corrects or
//!   cancels it like any other;
//! - lists the others, for the user to take in (a pre-filled form, as with an `.eml`) or to mark
//!   "not a request";
//! - lists what could not be read, with the reason.
//!
//! The whole read is one transaction with its journal entries; the mail folder is never written.
//!
//! [`files::mailbox`]: crate::files::mailbox

use crate::error::{Error, Result};
use crate::files::eml::{self, Message};
use crate::files::mailbox::{self, Format, MboxMark};
use crate::requests::intake::{self, Drafted};
use crate::requests::request;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A mail folder Derbes reads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Source {
    pub id: i64,
    pub path: String,
    pub format: Format,
    pub since_on: Option<NaiveDate>,
    /// When it was last read (RFC 3339), if ever.
    pub read_at: Option<String>,
    /// Messages of it waiting in the list (not a request yet, or unreadable).
    pub waiting: i64,
}

/// What one read of a folder did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Outcome {
    pub source_id: i64,
    /// The requests registered from it, in the folder's order.
    pub registered: Vec<i64>,
    /// New messages listed for the user to take in or dismiss.
    pub listed: usize,
    /// New messages that could not be read (listed, with the reason).
    pub unreadable: usize,
    /// New messages sent before the folder's start date: recorded as seen, not offered.
    pub earlier: usize,
    /// Messages already known (registered from an `.eml`, or seen in another folder).
    pub already: usize,
    /// An mbox rewritten since the last read (compacted by the mail program): read from its start.
    pub restarted: bool,
    /// The mbox's last message was still being written: left for the next read.
    pub held_back: bool,
}

impl Outcome {
    pub fn is_empty(&self) -> bool {
        self.registered.is_empty() && self.listed == 0 && self.unreadable == 0
    }
}

/// A message waiting in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Waiting {
    pub id: i64,
    pub source_id: i64,
    pub sender: String,
    pub subject_line: String,
    pub sent_on: Option<NaiveDate>,
    /// Why it could not be read (an error code), when it could not.
    pub error_code: Option<String>,
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| s.parse().ok())
}

/// The folders Derbes reads, in the order they were added.
pub fn sources(conn: &Connection) -> Result<Vec<Source>> {
    let mut st = conn.prepare_cached(
        "SELECT s.id, s.path, s.format, s.since_on, s.read_at,
                (SELECT count(*) FROM mail_message m
                  WHERE m.source_id = s.id AND m.state IN ('pending', 'unreadable'))
         FROM mail_source s ORDER BY s.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, path, format, since, read_at, waiting) = row?;
        out.push(Source {
            id,
            path,
            format: Format::parse(&format).ok_or(Error::Damaged)?,
            since_on: date(since),
            read_at,
            waiting,
        });
    }
    Ok(out)
}

/// Adds the mail folder at `path` (a Maildir or an mbox: [`mailbox::detect`]); messages sent
/// before `since` will be recorded as seen without being offered. The same folder twice is
/// refused with its number.
pub fn add_source(
    vault: &mut Vault,
    path: &Path,
    since: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let format = mailbox::detect(path)?;
    // The folder as the mail program names it, whatever way the user reached it.
    let path = std::fs::canonicalize(path)?;
    let text = path
        .to_str()
        .ok_or(Error::MailFolder {
            code: "mail.path_not_utf8",
        })?
        .to_owned();
    let known = vault
        .conn()
        .prepare_cached("SELECT 1 FROM mail_source WHERE path = ?1")?
        .exists([&text])?;
    if known {
        return Err(Error::MailFolder {
            code: "mail.already_added",
        });
    }
    vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO mail_source (path, format, since_on, added_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                text,
                format.name(),
                since.map(|d| d.to_string()),
                now.to_rfc3339()
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.journal(
            &Entry::new("mail.source_added")
                .record("mail_source", id)
                .detail(format.name()),
        )?;
        Ok(id)
    })
}

/// Stops reading a folder. What was registered from it stays; its list goes.
pub fn remove_source(vault: &mut Vault, id: i64, now: DateTime<Utc>) -> Result<()> {
    vault.transact(now, |tx| {
        let n = tx.execute("DELETE FROM mail_source WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound {
                kind: "mail_source",
                id,
            });
        }
        tx.journal(&Entry::new("mail.source_removed").record("mail_source", id))?;
        Ok(())
    })
}

/// The operator's personal-data address (the letterhead's e-mail), lower-cased, if set.
fn operator_address(conn: &Connection) -> Result<Option<String>> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = 'letterhead.email'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| crate::base::contact::normalize_email(v.trim())))
}

/// What becomes of one new message, decided while the folder is read, written afterwards.
enum Seen {
    Request(Box<request::Checked>, Row),
    Row(Row),
}

struct Row {
    key: String,
    location: String,
    length: u64,
    state: &'static str,
    request_id: Option<i64>,
    sender: Option<String>,
    subject_line: Option<String>,
    sent_on: Option<NaiveDate>,
    error_code: Option<&'static str>,
}

fn key_of_bytes(prefix: &str, bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(prefix.as_bytes());
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a message is a request by its headers: a policy marker in its subject, or written to
/// the operator's address.
fn is_request(msg: &Message, operator: Option<&str>) -> bool {
    crate::requests::marker::recognise(&msg.subject).is_some()
        || operator.is_some_and(|a| msg.recipients.iter().any(|r| r == a))
}

struct Reader<'a> {
    conn: &'a Connection,
    source_id: i64,
    since: Option<NaiveDate>,
    operator: Option<String>,
    calendar: crate::base::calendar::Calendar,
    office: FixedOffset,
    today: NaiveDate,
    now: DateTime<Utc>,
    /// Keys met earlier in this read (an mbox read again from its start sees them in order).
    this_read: HashSet<String>,
    out: Vec<Seen>,
    outcome: Outcome,
}

impl Reader<'_> {
    /// What the vault already knows of a key: registered as a request, seen in this folder, or
    /// seen in another one.
    fn known(&self, key: &str) -> Result<Option<(&'static str, Option<i64>)>> {
        if let Some(id) = request::by_message_key(self.conn, key)? {
            let here = self
                .conn
                .prepare_cached(
                    "SELECT 1 FROM mail_message WHERE source_id = ?1 AND message_key = ?2",
                )?
                .exists(params![self.source_id, key])?;
            return Ok(Some(if here {
                ("here", Some(id))
            } else {
                ("registered", Some(id))
            }));
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT source_id FROM mail_message WHERE message_key = ?1")?;
        let sources: Vec<i64> = st
            .query_map([key], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(if sources.contains(&self.source_id) {
            Some(("here", None))
        } else if !sources.is_empty() {
            Some(("copy", None))
        } else {
            None
        })
    }

    fn visit(&mut self, item: mailbox::Item<'_>) -> Result<()> {
        let row = |key: String, state: &'static str| Row {
            key,
            location: item.location.clone(),
            length: item.length,
            state,
            request_id: None,
            sender: None,
            subject_line: None,
            sent_on: None,
            error_code: None,
        };
        // A message just over the limit may come whole from the reader: refused the same way.
        let too_large = matches!(&item.bytes, Ok(b) if b.len() > eml::MAX_BYTES);
        let head = match &item.bytes {
            Ok(b) if too_large => &b[..64 * 1024],
            _ => item.head,
        };
        let (bytes, msg) = match &item.bytes {
            Ok(_) if too_large => (
                None,
                eml::parse_headers(head, self.now)
                    .and(Err(Error::MessageMalformed("too large for a message"))),
            ),
            Ok(bytes) => (Some(*bytes), eml::parse_headers(bytes, self.now)),
            Err(e) => (
                None,
                eml::parse_headers(head, self.now).and(Err(Error::MessageMalformed(match e {
                    Error::MessageMalformed(why) => why,
                    _ => "could not be read",
                }))),
            ),
        };
        let msg = match msg {
            Ok(m) => m,
            Err(e) => {
                // Named by its headers when they could be read, else by its bytes and place.
                let key = match eml::parse_headers(head, self.now) {
                    Ok(m) if bytes.is_none() => m.key(),
                    _ => key_of_bytes(
                        &format!("unreadable:{}:", item.location),
                        bytes.unwrap_or(head),
                    ),
                };
                if self.this_read.insert(key.clone()) && self.known(&key)?.is_none() {
                    self.outcome.unreadable += 1;
                    let mut r = row(key, "unreadable");
                    r.error_code = Some(e.code());
                    if let Ok(m) = eml::parse_headers(head, self.now) {
                        r.sender = Some(sender_of(&m));
                        r.subject_line = Some(m.subject.chars().take(500).collect());
                    }
                    self.out.push(Seen::Row(r));
                }
                return Ok(());
            }
        };
        let key = msg.key();
        if !self.this_read.insert(key.clone()) {
            return Ok(());
        }
        match self.known(&key)? {
            Some(("here", _)) => {
                self.outcome.already += 1;
                return Ok(());
            }
            Some((state, request_id)) => {
                // Registered from an .eml, or seen in another folder: recorded here as well, so
                // this folder does not read it again; never offered twice.
                self.outcome.already += 1;
                let mut r = row(key, state);
                r.request_id = request_id;
                self.out.push(Seen::Row(r));
                return Ok(());
            }
            None => {}
        }
        let sent_on = msg.sent_on(self.office);
        if let (Some(since), Some(sent)) = (self.since, sent_on)
            && sent < since
        {
            self.outcome.earlier += 1;
            self.out.push(Seen::Row(row(key, "earlier")));
            return Ok(());
        }
        let mut waiting = row(key, "pending");
        waiting.sender = Some(sender_of(&msg));
        waiting.subject_line = Some(msg.subject.chars().take(500).collect());
        waiting.sent_on = sent_on;
        if let Some(bytes) = bytes
            && is_request(&msg, self.operator.as_deref())
        {
            match self.checked(bytes) {
                Ok(checked) => {
                    self.out.push(Seen::Request(Box::new(checked), waiting));
                    return Ok(());
                }
                // Not registrable as it is (a sender address that is no address, …): listed for
                // the user, with the reason.
                Err(e) => waiting.error_code = Some(e.code()),
            }
        }
        self.outcome.listed += 1;
        self.out.push(Seen::Row(waiting));
        Ok(())
    }

    fn checked(&self, bytes: &[u8]) -> Result<request::Checked> {
        let msg = eml::parse_on(&mailbox::unquote_from(bytes), self.now)?;
        let draft = intake::draft(self.conn, &msg, self.office, self.today)?;
        let mut input = draft.input();
        if input.received_on.is_empty() {
            // No readable, plausible Date: the day it was read.
            input.received_on = self.today.to_string();
        }
        request::check(
            self.conn,
            &input,
            &draft.mail_origin(),
            &self.calendar,
            self.today,
        )
    }
}

fn sender_of(m: &Message) -> String {
    let s = if m.from_address.is_empty() {
        m.from_raw.clone()
    } else if m.from_name.is_empty() {
        m.from_address.clone()
    } else {
        format!("{} <{}>", m.from_name, m.from_address)
    };
    s.chars().take(500).collect()
}

/// Reads the folder `source_id` for what is new since its last read and writes the outcome in
/// one transaction.
pub fn read(
    vault: &mut Vault,
    source_id: i64,
    office: FixedOffset,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let conn = vault.conn();
    let (path, format, since, mark) = conn
        .query_row(
            "SELECT path, format, since_on, position, fingerprint FROM mail_source WHERE id = ?1",
            [source_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    MboxMark {
                        position: r.get::<_, i64>(3)?.max(0) as u64,
                        fingerprint: r.get(4)?,
                    },
                ))
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            kind: "mail_source",
            id: source_id,
        })?;
    let format = Format::parse(&format).ok_or(Error::Damaged)?;
    let path = PathBuf::from(path);
    if !path.exists() {
        return Err(Error::MailFolder {
            code: "mail.not_found",
        });
    }
    let mut reader = Reader {
        conn,
        source_id,
        since: date(since),
        operator: operator_address(conn)?,
        calendar: crate::requests::workdays::load(conn, today)?,
        office,
        today,
        now,
        this_read: HashSet::new(),
        out: Vec::new(),
        outcome: Outcome {
            source_id,
            ..Outcome::default()
        },
    };
    let mut new_mark = mark.clone();
    match format {
        Format::Maildir => {
            let mut st =
                conn.prepare_cached("SELECT location FROM mail_message WHERE source_id = ?1")?;
            let seen: HashSet<String> = st
                .query_map([source_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            mailbox::read_maildir(&path, &seen, |item| reader.visit(item))?;
        }
        Format::Mbox => {
            // Whether the file has settled is a matter of the file system's clock, not of the day the
            // business logic is told it is.
            let done = mailbox::read_mbox(&path, &mark, std::time::SystemTime::now(), |item| {
                reader.visit(item)
            })?;
            reader.outcome.restarted = done.restarted;
            reader.outcome.held_back = done.held_back;
            new_mark = done.mark;
        }
    }
    let Reader {
        out, mut outcome, ..
    } = reader;
    if out.is_empty() && new_mark == mark {
        // Nothing new: no write, no journal entry; only the time of the read.
        vault.conn().execute(
            "UPDATE mail_source SET read_at = ?2 WHERE id = ?1",
            params![source_id, now.to_rfc3339()],
        )?;
        return Ok(outcome);
    }
    vault.transact(now, |tx| {
        let seen_at = now.to_rfc3339();
        for seen in &out {
            let (row, checked) = match seen {
                Seen::Request(c, r) => (r, Some(c)),
                Seen::Row(r) => (r, None),
            };
            tx.prepare_cached(
                "INSERT OR IGNORE INTO mail_message (source_id, message_key, location, length,
                        state, request_id, sender, subject_line, sent_on, error_code, seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                source_id,
                row.key,
                row.location,
                row.length as i64,
                row.state,
                row.request_id,
                row.sender,
                row.subject_line,
                row.sent_on.map(|d| d.to_string()),
                row.error_code,
                seen_at
            ])?;
            if let Some(c) = checked {
                // Marks the row just written as registered, with the request.
                outcome.registered.push(request::insert(tx, c)?);
            }
        }
        tx.execute(
            "UPDATE mail_source SET position = ?2, fingerprint = ?3, read_at = ?4 WHERE id = ?1",
            params![
                source_id,
                new_mark.position as i64,
                new_mark.fingerprint,
                seen_at
            ],
        )?;
        if !outcome.is_empty() || outcome.earlier > 0 || outcome.restarted {
            tx.journal(
                &Entry::new("mail.read")
                    .record("mail_source", source_id)
                    .detail(format!(
                        "{} registered, {} listed, {} unreadable, {} before the start date{}",
                        outcome.registered.len(),
                        outcome.listed,
                        outcome.unreadable,
                        outcome.earlier,
                        if outcome.restarted {
                            "; the mbox was rewritten and read from its start"
                        } else {
                            ""
                        }
                    )),
            )?;
        }
        Ok(())
    })?;
    Ok(outcome)
}

/// Reads every folder; one that cannot be read (moved, unplugged) is reported beside the others.
pub fn read_all(
    vault: &mut Vault,
    office: FixedOffset,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Result<Outcome>)>> {
    let ids: Vec<i64> = sources(vault.conn())?.iter().map(|s| s.id).collect();
    Ok(ids
        .into_iter()
        .map(|id| (id, read(vault, id, office, today, now)))
        .collect())
}

/// The messages waiting in the list, oldest first, and how many there are.
pub fn waiting(conn: &Connection, offset: i64, limit: i64) -> Result<(Vec<Waiting>, i64)> {
    let total: i64 = conn.query_row(
        "SELECT count(*) FROM mail_message WHERE state IN ('pending', 'unreadable')",
        [],
        |r| r.get(0),
    )?;
    let mut st = conn.prepare_cached(
        "SELECT id, source_id, sender, subject_line, sent_on, error_code FROM mail_message
         WHERE state IN ('pending', 'unreadable')
         ORDER BY coalesce(sent_on, seen_at), id LIMIT ?1 OFFSET ?2",
    )?;
    let rows = st
        .query_map(params![limit, offset], |r| {
            Ok(Waiting {
                id: r.get(0)?,
                source_id: r.get(1)?,
                sender: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                subject_line: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                sent_on: date(r.get(4)?),
                error_code: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, total))
}

/// The bytes of a waiting message, read again from its folder where it is now.
fn message_bytes(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<(Vec<u8>, String)> {
    let (path, format, location, length, key, state) = conn
        .query_row(
            "SELECT s.path, s.format, m.location, m.length, m.message_key, m.state
             FROM mail_message m JOIN mail_source s ON s.id = m.source_id WHERE m.id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            kind: "mail_message",
            id,
        })?;
    if state != "pending" && state != "unreadable" {
        return Err(Error::MailFolder {
            code: "mail.not_waiting",
        });
    }
    let path = PathBuf::from(path);
    let label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let gone = || Error::MailFolder {
        code: "mail.message_gone",
    };
    let bytes = match Format::parse(&format).ok_or(Error::Damaged)? {
        Format::Maildir => mailbox::find_in_maildir(&path, &location)?.ok_or_else(gone)?,
        Format::Mbox => {
            let offset: u64 = location.parse().map_err(|_| Error::Damaged)?;
            let at = mailbox::read_mbox_at(&path, offset, length.max(0) as u64)?
                .filter(|b| eml::parse_headers(b, now).is_ok_and(|m| m.key() == key));
            match at {
                Some(b) => b,
                // Compacted since: looked for by its key from the start.
                None => {
                    let mut found = None;
                    mailbox::read_mbox(
                        &path,
                        &MboxMark::default(),
                        std::time::SystemTime::now(),
                        |item| {
                            if found.is_none()
                                && let Ok(b) = item.bytes
                                && eml::parse_headers(b, now).is_ok_and(|m| m.key() == key)
                            {
                                found = Some(b.to_vec());
                            }
                            Ok(())
                        },
                    )?;
                    found.ok_or_else(gone)?
                }
            }
        }
    };
    Ok((mailbox::unquote_from(&bytes).into_owned(), label))
}

/// A waiting message as a pre-filled request ([`intake::drafted`]), for the user to take in.
pub fn drafted(
    conn: &Connection,
    id: i64,
    office: FixedOffset,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Drafted> {
    let (bytes, label) = message_bytes(conn, id, now)?;
    Ok(intake::drafted(conn, label, &bytes, office, today))
}

/// "Not a request": the message leaves the list and keeps only its key.
pub fn dismiss(vault: &mut Vault, id: i64, now: DateTime<Utc>) -> Result<()> {
    vault.transact(now, |tx| {
        let n = tx.execute(
            "UPDATE mail_message SET state = 'dismissed', sender = NULL, subject_line = NULL
             WHERE id = ?1 AND state IN ('pending', 'unreadable')",
            [id],
        )?;
        if n == 0 {
            return Err(Error::NotFound {
                kind: "mail_message",
                id,
            });
        }
        tx.journal(&Entry::new("mail.dismissed").record("mail_message", id))?;
        Ok(())
    })
}

/// What the list keeps of messages from these addresses is erased with the person (their sender
/// and subject line): called by the destruction in its transaction.
pub fn erase_from(conn: &Connection, addresses: &[String]) -> Result<usize> {
    let mut n = 0;
    let mut st = conn.prepare_cached(
        "UPDATE mail_message SET state = 'erased', sender = NULL, subject_line = NULL
         WHERE sender IS NOT NULL AND (sender = ?1 OR instr(sender, '<' || ?1 || '>') > 0)",
    )?;
    for a in addresses {
        n += st.execute([a])?;
    }
    Ok(n)
}
