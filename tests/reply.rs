//! An issued document sent back by e-mail (issue 19): the message file a mail program opens, read
//! back by Python's `email` package as any mail program would read it — addressed to the sender,
//! threaded under the request's message, the PDF attached byte for byte.

mod common;

use common::*;
use derbes::base::language::Language;
use derbes::documents::letters::{self, Edits, Kind, Source, reply};
use derbes::{RequestKind, files::eml, requests::intake, requests::request};
use sha2::Digest;

fn office() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(5 * 3600).unwrap()
}

const ASKED: &str = "From: =?utf-8?B?05jQudCz0LXRgNGW0Lwg0KHQsNC/0LDRgNC+0LLQsA==?= <Aigerim@Inbox.kz>\r\n\
To: privacy@derbes-demo.kz\r\nSubject: =?utf-8?B?0JfQsNC/0YDQvtGBINGB0LLQtdC00LXQvdC40Lk=?=\r\n\
Message-ID: <q1.2026@inbox.kz>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0500\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nКакие мои данные у вас есть?\r\n";

fn source(kind: Kind, lang: Language, request_id: Option<i64>) -> Source {
    Source {
        kind,
        lang,
        request_id,
        subject_id: None,
        period: (kind == Kind::PeriodReport).then_some(derbes::requests::report::Period::Month {
            year: 2026,
            month: 11,
        }),
        corrects: None,
        erasure: None,
        breach: None,
    }
}

/// What Python's `email` makes of the message: one line per header, then the attachment's name,
/// type and SHA-256, then the cover text.
fn python_reads(path: &std::path::Path) -> Vec<String> {
    let script = r#"
import sys, email, hashlib
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
for h in ('To', 'From', 'Subject', 'In-Reply-To', 'References'):
    print(f"{h}: {m[h]}")
att = [p for p in m.iter_attachments()]
print(len(att))
for p in att:
    data = p.get_payload(decode=True)
    print(p.get_filename(), p.get_content_type(), hashlib.sha256(data).hexdigest())
print(m.get_body(('plain',)).get_content().replace('\n', ' | '))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_answer_goes_back_to_the_sender_threaded_with_the_pdf_attached() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let msg = eml::parse_on(ASKED.as_bytes(), now()).unwrap();
    let d = intake::draft(v.conn(), &msg, office(), today()).unwrap();
    let mut input = d.input();
    input.kind = RequestKind::Access;
    let rid = request::create_from_mail(&mut v, &input, &d.mail_origin(), today(), now()).unwrap();
    // Nobody in the registry: the answer that nothing is held, in Kazakh.
    let row = letters::issue(
        &mut v,
        &source(Kind::NoData, Language::Kk, Some(rid)),
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap();
    let r = reply::reply(v.conn(), row.id).unwrap();
    assert_eq!(r.to_address, "aigerim@inbox.kz");
    assert_eq!(r.in_reply_to.as_deref(), Some("q1.2026@inbox.kz"));
    let when = chrono::DateTime::parse_from_rfc3339("2026-11-25T14:00:00+05:00").unwrap();
    let bytes = reply::message(&r, when);
    assert!(
        bytes.is_ascii(),
        "7-bit clean: every header and part encoded"
    );
    let long: Vec<&str> = std::str::from_utf8(&bytes)
        .unwrap()
        .lines()
        .filter(|l| l.len() > 78)
        .collect();
    assert!(long.is_empty(), "lines within RFC 5322's 78: {long:?}");
    let file = t.file("answer.eml");
    std::fs::write(&file, &bytes).unwrap();
    let pdf = letters::pdf(v.conn(), row.id).unwrap();
    let sha = sha2::Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let seen = python_reads(&file);
    assert!(
        seen[0].starts_with("To: ") && seen[0].ends_with("<aigerim@inbox.kz>"),
        "{seen:?}"
    );
    assert!(seen[1].contains("privacy@derbes-demo.kz"), "{seen:?}");
    assert_eq!(
        seen[2],
        format!(
            "Subject: {} — Жауап: дербес деректер өңделмейді",
            row.number
        )
    );
    assert_eq!(seen[3], "In-Reply-To: <q1.2026@inbox.kz>");
    assert_eq!(seen[4], "References: <q1.2026@inbox.kz>");
    assert_eq!(seen[5], "1", "one attachment");
    assert_eq!(
        seen[6],
        format!("{} application/pdf {sha}", reply::file_name(&row.number)),
        "the PDF byte for byte, under its number"
    );
    assert!(seen[7].starts_with("Сәлеметсіз бе!"), "{}", seen[7]);
    assert!(seen[7].contains(&row.number), "{}", seen[7]);
    assert!(seen[7].contains("23.11.2026 өтінішіңізге"), "{}", seen[7]);
    // Our own reader agrees.
    let back = eml::parse_on(&bytes, now()).unwrap();
    assert_eq!(back.recipients, ["aigerim@inbox.kz"]);
    assert!(back.text.starts_with("Сәлеметсіз бе!"));
}

#[test]
fn an_answer_with_no_address_or_to_no_person_is_refused_with_the_reason() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    // A request handed in on paper by someone with no e-mail.
    let input = request::RequestInput {
        subject_id: None,
        requester: "Ерлан Д.".into(),
        sender: String::new(),
        kind: RequestKind::Access,
        channel: request::Channel::Paper,
        received_on: today().to_string(),
        incoming_ref: String::new(),
        body: String::new(),
        linked_to: None,
        representative: Default::default(),
    };
    let rid = request::create(&mut v, &input, today(), now()).unwrap();
    let row = letters::issue(
        &mut v,
        &source(Kind::NoData, Language::Ru, Some(rid)),
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(
        reply::reply(v.conn(), row.id).unwrap_err().code(),
        "reply.no_address"
    );
    let report = letters::issue(
        &mut v,
        &source(Kind::PeriodReport, Language::Ru, None),
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(
        reply::reply(v.conn(), report.id).unwrap_err().code(),
        "reply.not_for_mail"
    );
}
