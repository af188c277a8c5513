//! An issued document sent back by e-mail (issue 19; policy 12.1: requests are answered the way
//! they came): addressed to the request's sender (else the subject's first e-mail address), its
//! subject line the outgoing number and the document's name, a short cover text in the document's
//! language, the PDF attached exactly as issued, and `In-Reply-To` the request's `Message-ID` when it
//! came by mail. Written as a message file ([`message`]) or handed to the user's mail program.

use super::{Kind, Row, pdf, row, wording};
use crate::base::language::Language::{self, En, Kk, Ru};
use crate::documents::letterhead;
use crate::error::{Error, Result};
use crate::files::eml_out::{self, Outgoing};
use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension};

/// What an answer by e-mail is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub letter_id: i64,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub text: String,
    pub in_reply_to: Option<String>,
    /// The attachment's name: the outgoing number, made safe for a file name.
    pub file_name: String,
    pub pdf: Vec<u8>,
    pub from_name: String,
    pub from_address: String,
}

fn refused(code: &'static str) -> Error {
    Error::LetterNotApplicable { code }
}

/// The outgoing number as a file name ("ИСХ-2026/0007" → "ИСХ-2026-0007.pdf").
pub fn file_name(number: &str) -> String {
    let s: String = number
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{}.pdf", s.trim_matches('-'))
}

/// The cover text: what is attached, in answer to what, and who sends it.
fn cover(lang: Language, r: &Row, received: Option<&str>, head: &letterhead::Letterhead) -> String {
    let name = wording::kind_name(r.kind, lang);
    let on = wording::date(r.issued_on);
    let n = &r.number;
    let answer = match (lang, received) {
        (Ru, Some(d)) => format!(" в ответ на ваше обращение от {d}"),
        (Kk, Some(d)) => format!(" {d} өтінішіңізге жауап ретінде"),
        (En, Some(d)) => format!(" in answer to your request of {d}"),
        (_, None) => String::new(),
    };
    let body = match lang {
        Ru => format!(
            "Здравствуйте!\n\nНаправляем документ «{name}» (исх. № {n} от {on}){answer}. Документ приложен к письму в формате PDF."
        ),
        Kk => format!(
            "Сәлеметсіз бе!\n\n{answer_kk}«{name}» құжатын (шығыс № {n}, {on}) жолдаймыз. Құжат хатқа PDF форматында тіркелген.",
            answer_kk = if answer.is_empty() {
                String::new()
            } else {
                format!("{} ", answer.trim())
            }
        ),
        En => format!(
            "Hello,\n\nPlease find attached the document “{name}” (ref. No. {n} of {on}){answer}, as a PDF file."
        ),
    };
    let regards = match lang {
        Ru => "С уважением,",
        Kk => "Құрметпен,",
        En => "Kind regards,",
    };
    let mut sign = vec![regards.to_owned()];
    for line in [
        &head.signer_name,
        &head.signer_position,
        &head.operator,
        &head.phones,
    ] {
        if !line.trim().is_empty() {
            sign.push(line.trim().to_owned());
        }
    }
    format!("{body}\n\n{}\n", sign.join("\n"))
}

/// The answer by e-mail for issued document `id`. Refused, with the reason: a document whose text
/// was erased with its person (`letter.redacted`), one that goes to no person (a period report,
/// a breach notice: `reply.not_for_mail`), or one with no address to send it to
/// (`reply.no_address`).
pub fn reply(conn: &Connection, id: i64) -> Result<Reply> {
    let r = row(conn, id)?;
    if r.redacted_on.is_some() {
        return Err(Error::LetterRedacted { id });
    }
    if matches!(r.kind, Kind::PeriodReport | Kind::BreachNotice) {
        return Err(refused("reply.not_for_mail"));
    }
    let request: Option<(String, Option<String>, Option<i64>, String)> = match r.request_id {
        Some(rid) => conn
            .query_row(
                "SELECT sender, message_id, subject_id, received_on FROM request WHERE id = ?1",
                [rid],
                |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?)),
            )
            .optional()?,
        None => None,
    };
    let subject_id = r
        .subject_id
        .or(request.as_ref().and_then(|(_, _, s, _)| *s));
    let from_subject = match subject_id {
        Some(s) => conn
            .query_row(
                "SELECT normalized FROM contact WHERE subject_id = ?1 AND kind = 'email' ORDER BY id LIMIT 1",
                [s],
                |x| x.get::<_, String>(0),
            )
            .optional()?,
        None => None,
    };
    // The address the request came from comes first: the answer goes back the way it came.
    let to_address = request
        .as_ref()
        .map(|(s, ..)| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or(from_subject)
        .and_then(|a| crate::base::contact::normalize_email(&a))
        .ok_or(refused("reply.no_address"))?;
    let head = letterhead::load(conn)?;
    let received = request
        .as_ref()
        .and_then(|(.., d)| crate::base::input::parse_date(d))
        .map(wording::date);
    let lang = r.lang;
    Ok(Reply {
        letter_id: id,
        to_name: r
            .addressee
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        to_address,
        subject: format!("{} — {}", r.number, wording::kind_name(r.kind, lang)),
        text: cover(lang, &r, received.as_deref(), &head),
        in_reply_to: request.and_then(|(_, m, ..)| m).filter(|m| !m.is_empty()),
        file_name: file_name(&r.number),
        pdf: pdf(conn, id)?,
        from_name: head.operator.clone(),
        from_address: crate::base::contact::normalize_email(head.email.trim()).unwrap_or_default(),
    })
}

/// The answer as a complete message file.
pub fn message(reply: &Reply, now: DateTime<FixedOffset>) -> Vec<u8> {
    let domain = reply
        .from_address
        .rsplit_once('@')
        .map_or("derbes.invalid", |(_, d)| d);
    let id = format!(
        "derbes.{}.{}.{}@{domain}",
        reply.letter_id,
        now.timestamp(),
        rand::random::<u32>()
    );
    eml_out::compose(&Outgoing {
        from_name: &reply.from_name,
        from_address: &reply.from_address,
        to_name: &reply.to_name,
        to_address: &reply.to_address,
        subject: &reply.subject,
        in_reply_to: reply.in_reply_to.as_deref(),
        text: &reply.text,
        attachment_name: &reply.file_name,
        attachment: &reply.pdf,
        date: now,
        message_id: &id,
    })
}
