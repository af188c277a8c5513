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
    /// The sender's address, lower-cased.
    pub from_address: String,
    /// The sender's display name, if the message gives one.
    pub from_name: String,
    /// When the message was sent, if its `Date` header is readable.
    pub sent_at: Option<DateTime<Utc>>,
    pub text: String,
}

impl Message {
    /// The day the message was sent, in the office's time zone.
    pub fn sent_on(&self, office: FixedOffset) -> Option<NaiveDate> {
        self.sent_at.map(|t| t.with_timezone(&office).date_naive())
    }
}

pub fn parse(bytes: &[u8]) -> Result<Message> {
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
    let from = msg.from().and_then(|a| a.first());
    let from_address = from
        .and_then(|a| a.address())
        .map(|a| a.trim().to_lowercase())
        .unwrap_or_default();
    if from_address.is_empty() || !from_address.contains('@') {
        return Err(Error::MessageMalformed("no sender address"));
    }
    let sent_at = msg
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| Utc.timestamp_opt(d.to_timestamp(), 0).single());
    let mut text = msg
        .body_text(0)
        .map(|t| t.replace("\r\n", "\n"))
        .unwrap_or_default();
    if text.chars().count() > MAX_TEXT_CHARS {
        text = text.chars().take(MAX_TEXT_CHARS).collect();
    }
    Ok(Message {
        subject: msg.subject().unwrap_or_default().trim().to_owned(),
        from_address,
        from_name: from
            .and_then(|a| a.name())
            .unwrap_or_default()
            .trim()
            .to_owned(),
        sent_at,
        text: text.trim().to_owned(),
    })
}
