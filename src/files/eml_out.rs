//! Writing an e-mail message (RFC 5322 with MIME, RFC 2047 encoded words, RFC 2231 file names): an
//! answer sent back with its PDF attached, for mail programs that open a message file (issue 19).
//! Everything non-ASCII is encoded, lines stay within 78 characters, and the attachment is the
//! document's bytes exactly, in base64.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, FixedOffset};

/// A message to write.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub from_name: &'a str,
    /// Empty when the letterhead has no e-mail: the mail program fills it in.
    pub from_address: &'a str,
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    /// The `Message-ID` answered (without angle brackets).
    pub in_reply_to: Option<&'a str>,
    pub text: &'a str,
    pub attachment_name: &'a str,
    pub attachment: &'a [u8],
    pub date: DateTime<FixedOffset>,
    /// This message's own id (without angle brackets).
    pub message_id: &'a str,
}

/// `text` as it may stand in a header: as it is when plain printable ASCII, else UTF-8 encoded
/// words of at most 75 characters each, split at character boundaries.
pub fn header_text(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) && !text.contains("=?") {
        return text;
    }
    // 30 bytes of UTF-8 make 40 characters of base64: with `=?UTF-8?B?` and `?=`, 52 — room for
    // the longest header name before the first word on its line.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 30 {
            words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(&chunk)));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(&chunk)));
    }
    words.join("\r\n ")
}

/// `Name <address>`, the name encoded when it must be (and quoted when it holds specials).
fn mailbox(name: &str, address: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return address.to_owned();
    }
    let encoded = header_text(name);
    let plain = encoded == name;
    let shown = if encoded == name && name.contains(|c: char| "()<>[]:;@\\,.\"".contains(c)) {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        encoded
    };
    if plain {
        format!("{shown} <{address}>")
    } else {
        // The address on a line of its own after encoded words.
        format!("{shown}\r\n <{address}>")
    }
}

/// base64 in lines of 76 characters.
fn base64_lines(bytes: &[u8]) -> String {
    let b = STANDARD.encode(bytes);
    let mut out = String::with_capacity(b.len() + b.len() / 76 * 2 + 2);
    for line in b.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

/// An RFC 2231 parameter value: `UTF-8''` and percent-encoding.
fn rfc2231(value: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The whole message, CRLF line ends.
pub fn compose(m: &Outgoing<'_>) -> Vec<u8> {
    // A boundary no base64 line and no text line can contain (`=_` never occurs in base64).
    let digest = {
        use sha2::Digest;
        sha2::Sha256::digest(m.message_id.as_bytes())
    };
    let boundary = format!(
        "=_derbes_{}",
        digest[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let mut h = String::new();
    let mut header = |name: &str, value: &str| {
        h.push_str(name);
        h.push_str(": ");
        h.push_str(value);
        h.push_str("\r\n");
    };
    if !m.from_address.is_empty() {
        header("From", &mailbox(m.from_name, m.from_address));
    }
    header("To", &mailbox(m.to_name, m.to_address));
    header("Subject", &header_text(m.subject));
    header("Date", &m.date.to_rfc2822());
    header("Message-ID", &format!("<{}>", m.message_id));
    if let Some(id) = m.in_reply_to {
        header("In-Reply-To", &format!("<{id}>"));
        header("References", &format!("<{id}>"));
    }
    header("MIME-Version", "1.0");
    header(
        "Content-Type",
        &format!("multipart/mixed; boundary=\"{boundary}\""),
    );
    // Mail programs that open a message file as a draft to send (Thunderbird, Evolution).
    header("X-Unsent", "1");
    let text = m.text.replace("\r\n", "\n").replace('\n', "\r\n");
    let name = m.attachment_name;
    // A plain name as it is; any other in RFC 2231's form only (a reader that finds both may
    // prefer the plain stand-in, as Python's does).
    let (type_param, disposition) = if name.bytes().all(|b| b.is_ascii_graphic() && b != b'"') {
        (format!("name=\"{name}\""), format!("filename=\"{name}\""))
    } else {
        let encoded = rfc2231(name);
        (format!("name*={encoded}"), format!("filename*={encoded}"))
    };
    let body = format!(
        "\r\n--{boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\
         --{boundary}\r\nContent-Type: application/pdf;\r\n {type_param}\r\n\
         Content-Disposition: attachment;\r\n {disposition}\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}--{boundary}--\r\n",
        base64_lines(text.as_bytes()),
        base64_lines(m.attachment),
    );
    let mut out = h.into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_plain_ascii_in_short_lines() {
        let long = "Подтверждение отзыва согласия на обработку персональных данных — Әйгерім";
        let h = header_text(long);
        assert!(h.is_ascii());
        assert!(h.lines().all(|l| l.trim_end().len() <= 76), "{h}");
        assert_eq!(header_text("Re: plain"), "Re: plain");
        assert_eq!(mailbox("Smith, John", "j@x.kz"), "\"Smith, John\" <j@x.kz>");
    }
}
