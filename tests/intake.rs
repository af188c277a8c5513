//! E-mail intake never loses a request and never registers one twice (issue 15, part 6): senders
//! that cannot be parsed, repeated messages, implausible dates.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use derbes::{Vault, files::eml, requests::intake, requests::request};

fn office() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(5 * 3600).unwrap()
}

/// A refusal of marketing (the policy's Russian subject line, RFC 2047-encoded) from `from`.
fn message(from: &str, extra: &str) -> Vec<u8> {
    use base64::Engine;
    let subject = base64::engine::general_purpose::STANDARD.encode(
        "Отказ от получения уведомлений о новых продуктах и услугах и специальных предложениях",
    );
    format!(
        "{from}To: privacy@kyzgaldak.kz\r\nSubject: =?utf-8?B?{subject}?=\r\n{extra}Content-Type: text/plain; charset=utf-8\r\n\r\nПрошу не присылать рекламу.\r\n"
    )
    .into_bytes()
}

fn register(v: &mut Vault, bytes: &[u8]) -> derbes::Result<(intake::Draft, i64)> {
    let msg = eml::parse_on(bytes, now())?;
    let d = intake::draft(v.conn(), &msg, office(), today())?;
    let mut input = d.input();
    if input.received_on.is_empty() {
        input.received_on = today().to_string();
    }
    let id = request::create_from_mail(v, &input, &d.mail_origin(), today(), now())?;
    Ok((d, id))
}

#[test]
fn a_sender_that_cannot_be_parsed_still_gives_a_request() {
    // A `From:` wholly encoded as one RFC 2047 word: "Айгерим <aigerim@example.kz>".
    use base64::Engine;
    let word = base64::engine::general_purpose::STANDARD.encode("Айгерим <aigerim@example.kz>");
    let m = eml::parse_on(
        &message(&format!("From: =?utf-8?B?{word}?=\r\n"), ""),
        now(),
    )
    .unwrap();
    assert_eq!(
        m.from_address, "aigerim@example.kz",
        "the address inside is recovered"
    );
    let t = TempVault::new();
    let mut v = t.create();
    for (from, raw) in [
        ("From: Айгерим Сапарова\r\n", "Айгерим Сапарова"),
        ("From: aigerim@localhost\r\n", "aigerim@localhost"),
        ("From: \"Сапарова\" <aigerim(at)mail.kz>\r\n", "Сапарова"),
        ("", ""),
    ] {
        let (d, id) =
            register(&mut v, &message(from, "")).unwrap_or_else(|e| panic!("{from}: {e}"));
        assert_eq!(d.sender, "", "{from}");
        assert!(d.subject_id.is_none());
        assert!(d.sender_raw.contains(raw), "{from}: {:?}", d.sender_raw);
        let r = request::get(v.conn(), id, today()).unwrap();
        assert_eq!(
            r.kind,
            derbes::RequestKind::RefuseMarketing,
            "the marker still reads"
        );
        let kept: String = v
            .conn()
            .query_row("SELECT sender_raw FROM request WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(kept, d.sender_raw);
    }
    // Not a message at all: refused, nothing written.
    for bad in [&b"just some text\nand more"[..], &[0u8, 1, 2, 3][..]] {
        assert_eq!(
            eml::parse_on(bad, now()).unwrap_err().code(),
            "message.malformed"
        );
    }
    let n: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM request", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 4);
}

#[test]
fn the_same_message_is_never_registered_twice() {
    let t = TempVault::new();
    let mut v = t.create();
    let with_id = message(
        "From: Ерлан <erlan@example.kz>\r\n",
        "Message-ID: <abc-123@mail.example.kz>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0500\r\n",
    );
    let (_, first) = register(&mut v, &with_id).unwrap();
    match register(&mut v, &with_id) {
        Err(derbes::Error::AlreadyRegistered { id }) => assert_eq!(id, first),
        other => panic!("{other:?}"),
    }
    // The draft says so before anything is written.
    let m = eml::parse_on(&with_id, now()).unwrap();
    assert_eq!(
        intake::draft(v.conn(), &m, office(), today())
            .unwrap()
            .already,
        Some(first)
    );
    // Without a Message-ID: the same sender, date and subject.
    let without = message(
        "From: Ерлан <erlan@example.kz>\r\n",
        "Date: Tue, 24 Nov 2026 09:00:00 +0500\r\n",
    );
    let (_, second) = register(&mut v, &without).unwrap();
    assert_ne!(second, first);
    assert_eq!(
        register(&mut v, &without).unwrap_err().code(),
        "request.already_registered"
    );
}

#[test]
fn an_implausible_date_is_not_the_received_date() {
    let t = TempVault::new();
    let mut v = t.create();
    for date in [
        "Sat, 1 Jan 1983 10:00:00 +0000",
        "Fri, 1 Jan 2027 10:00:00 +0500",
    ] {
        let bytes = message(
            "From: Ерлан <erlan@example.kz>\r\n",
            &format!("Date: {date}\r\nMessage-ID: <{date}@x.kz>\r\n"),
        );
        let (d, id) = register(&mut v, &bytes).unwrap();
        assert!(d.date_ignored, "{date}");
        assert_eq!(d.received_on, None);
        let r = request::get(v.conn(), id, today()).unwrap();
        assert_eq!(r.received_on, today(), "{date}: the import date");
        let note: String = v
            .conn()
            .query_row("SELECT intake_note FROM request WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(note, "date.implausible");
    }
    // Within a day ahead (clocks differ) is still the date.
    let soon = Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap();
    let bytes = message(
        "From: Ерлан <erlan@example.kz>\r\n",
        &format!("Date: {}\r\n", soon.to_rfc2822()),
    );
    let m = eml::parse_on(&bytes, now()).unwrap();
    assert!(!m.date_ignored);
    assert!(m.sent_at.is_some());
}
