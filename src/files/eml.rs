//! Reading an e-mail message (`.eml` file, or raw text pasted from a mail program): the subject,
//! the sender, the date and the text, whatever the mail program did with MIME parts, encoded
//! headers (RFC 2047), base64 or quoted-printable bodies and charsets such as Windows-1251 or
//! KOI8-R. Parsing is `mail-parser`'s; this module decides what counts as a readable message.

use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use mail_parser::MessageParser;

/// Larger files are not messages a person wrote to the operator.
pub const MAX_BYTES: usize = 25 * 1024 * 1024;
/// The text kept of a message body.
pub const MAX_TEXT_CHARS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    /// The sender's address, lower-cased; empty when the `From:` header holds none that can be
    /// read (the request is then from an unknown sender, with [`Message::from_raw`] kept).
    pub from_address: String,
    /// The `From:` header as it came (decoded where it could be), for the administrator to read
    /// when no address could be taken from it; empty otherwise.
    pub from_raw: String,
    /// The `Message-ID`, without its angle brackets, if the message has one.
    pub message_id: Option<String>,
    /// The `Date:` header was there but is not a plausible sending date (before 1990, or more than
    /// a day after the import): it is not used.
    pub date_ignored: bool,
    /// The sender's display name, if the message gives one.
    pub from_name: String,
    /// When the message was sent, if its `Date` header is readable.
    pub sent_at: Option<DateTime<Utc>>,
    pub text: String,
    /// The addresses in `To:`, `Cc:`, `Delivered-To:` and `X-Original-To:`, lower-cased: whether
    /// the message was written to the operator's personal-data address.
    pub recipients: Vec<String>,
}

impl Message {
    /// The day the message was sent, in the office's time zone.
    pub fn sent_on(&self, office: FixedOffset) -> Option<NaiveDate> {
        self.sent_at.map(|t| t.with_timezone(&office).date_naive())
    }
}

/// The first plausible e-mail address in `text` (`name@domain.tld`), lower-cased.
fn address_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || "<>\"'(),;:[]".contains(c))
        .filter(|w| w.contains('@'))
        .find_map(|w| {
            let w = w.trim_matches(|c: char| c == '.' || c == '-');
            let (local, domain) = w.rsplit_once('@')?;
            let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
                !host.is_empty() && tld.len() >= 2 && tld.chars().all(char::is_alphabetic)
            });
            (!local.is_empty() && tld_ok)
                .then(|| crate::base::contact::normalize_email(w))
                .flatten()
        })
}

/// Control characters out, at most 1 000 characters: the raw header is shown as text.
fn clean_raw(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(1000)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Reads a message. Only a file that is not a message at all (binary, too large, no header a
/// message has) is refused: a request is never lost because of its envelope (issue 15). A `Date:`
/// before 1990 or more than a day after now is not used ([`Message::date_ignored`]).
pub fn parse(bytes: &[u8]) -> Result<Message> {
    parse_on(bytes, Utc::now())
}

/// The header block of a message (up to its first empty line) read as [`parse_on`] would, with no
/// text: what a mail folder's reader needs to decide whether a message is a request.
pub fn parse_headers(bytes: &[u8], now: DateTime<Utc>) -> Result<Message> {
    // Binary data after the header block is no message either.
    if bytes.iter().take(64 * 1024).any(|b| *b == 0) {
        return Err(Error::MessageMalformed("binary data, not a message"));
    }
    let end = memchr::memmem::find(bytes, b"\n\r\n")
        .map(|i| i + 3)
        .into_iter()
        .chain(memchr::memmem::find(bytes, b"\n\n").map(|i| i + 2))
        .min()
        .unwrap_or(bytes.len());
    parse_on(&bytes[..end], now)
}

/// [`parse`] with the time of the import given.
pub fn parse_on(bytes: &[u8], now: DateTime<Utc>) -> Result<Message> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::MessageMalformed("too large for a message"));
    }
    if bytes.iter().take(64 * 1024).filter(|b| **b == 0).count() > 0 {
        return Err(Error::MessageMalformed("binary data, not a message"));
    }
    // Text pasted from a window may have lost its line ends' carriage returns, or have leading
    // blank lines; the parser takes both.
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let msg = MessageParser::default()
        .parse(&bytes[start..])
        .ok_or(Error::MessageMalformed("no message headers"))?;
    // A message has at least one of the headers a mail program writes.
    let known = [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "received",
        "return-path",
    ];
    let has_header = msg
        .headers_raw()
        .any(|(name, _)| known.contains(&name.to_ascii_lowercase().as_str()));
    if !has_header {
        return Err(Error::MessageMalformed("no message headers"));
    }
    let from = msg.from().and_then(|a| a.first());
    let raw_from = msg
        .header_raw("From")
        .map(|r| r.trim().to_owned())
        .unwrap_or_default();
    let name = from
        .and_then(|a| a.name())
        .unwrap_or_default()
        .trim()
        .to_owned();
    // The parsed address when it is one; else one found in the decoded name (a `From:` wholly
    // encoded as one RFC 2047 word) or in the raw header (obsolete syntax).
    let parsed = from.and_then(|a| a.address()).and_then(address_in);
    let from_address = parsed
        .or_else(|| address_in(&name))
        .or_else(|| address_in(&raw_from))
        .unwrap_or_default();
    let from_raw = if from_address.is_empty() {
        clean_raw(if name.is_empty() { &raw_from } else { &name })
    } else {
        String::new()
    };
    let dated = msg
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| Utc.timestamp_opt(d.to_timestamp(), 0).single());
    // Before 1990 or more than a day ahead: a wrong clock or a forged header, not a sending date.
    let earliest = Utc.with_ymd_and_hms(1990, 1, 1, 0, 0, 0).single();
    let plausible = |t: &DateTime<Utc>| {
        earliest.is_some_and(|e| *t >= e) && *t <= now + chrono::Duration::days(1)
    };
    let date_ignored = msg.date().is_some() && !dated.as_ref().is_some_and(plausible);
    let sent_at = dated.filter(plausible);
    let message_id = msg
        .message_id()
        .map(|m| clean_raw(m.trim_matches(['<', '>', ' '])))
        .filter(|m| !m.is_empty());
    let mut text = msg
        .body_text(0)
        .map(|t| t.replace("\r\n", "\n"))
        .unwrap_or_default();
    if text.chars().count() > MAX_TEXT_CHARS {
        text = text.chars().take(MAX_TEXT_CHARS).collect();
    }
    let mut recipients: Vec<String> = [msg.to(), msg.cc()]
        .into_iter()
        .flatten()
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address().and_then(address_in))
        .collect();
    recipients.extend(
        msg.headers_raw()
            .filter(|(n, _)| {
                n.eq_ignore_ascii_case("Delivered-To") || n.eq_ignore_ascii_case("X-Original-To")
            })
            .filter_map(|(_, v)| address_in(v)),
    );
    recipients.sort();
    recipients.dedup();
    Ok(Message {
        recipients,
        subject: msg.subject().unwrap_or_default().trim().to_owned(),
        from_name: if from_address.is_empty() {
            String::new()
        } else {
            clean_raw(&name)
        },
        from_address,
        from_raw,
        message_id,
        date_ignored,
        sent_at,
        text: text.trim().to_owned(),
    })
}

impl Message {
    /// What makes this message the same as another one: its `Message-ID`, else its sender, date
    /// and subject. Kept as a SHA-256, never as the header text.
    pub fn key(&self) -> String {
        use sha2::{Digest, Sha256};
        let basis = match &self.message_id {
            Some(id) => format!("id:{id}"),
            None => format!(
                "from:{}|{}|date:{}|subject:{}",
                self.from_address,
                self.from_raw,
                self.sent_at.map(|t| t.timestamp()).unwrap_or(0),
                self.subject
            ),
        };
        Sha256::digest(basis.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
