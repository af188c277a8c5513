//! Requests from the mail folders mail programs keep (issue 19): Thunderbird's and Evolution's mbox
//! files and a Maildir as Dovecot, mutt and Evolution write it; a folder appended to while it is
//! read, a compacted mbox, the same message in two folders or imported by hand first — and never a
//! message registered twice.

mod common;

use common::*;
use derbes::requests::{mailbox as mail, request};
use derbes::{Vault, files::eml};
use std::path::Path;
use std::time::{Duration, SystemTime};

fn office() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(5 * 3600).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    bytes(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/eml")
            .join(name),
    )
}

/// The messages of the fixtures that are requests: written to the operator's address
/// (privacy@operator.kz), three of them with the policy's markers.
const REQUESTS: [&str; 5] = [
    "thunderbird-plain-ru.eml",
    "outlook-multipart-1251.eml",
    "gmail-mixed-kk.eml",
    "apple-plain-en.eml",
    "mailru-koi8-other.eml",
];

/// A newsletter: not a request, listed for the user.
fn newsletter(n: usize) -> Vec<u8> {
    format!(
        "From: Kaspi News <news@kaspi.kz>\r\nTo: office@operator.kz\r\nSubject: Скидки недели {n}\r\n\
         Message-ID: <news{n}@kaspi.kz>\r\nDate: Mon, 23 Nov 2026 08:00:00 +0500\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nFrom today on, 20% off.\r\n>From the archive: more.\r\n"
    )
    .into_bytes()
}

/// An mbox as Thunderbird writes it: `From - date` envelope lines, its status headers, CRLF.
fn thunderbird(messages: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        out.extend_from_slice(b"From - Wed Nov 25 10:11:12 2026\r\nX-Mozilla-Status: 0001\r\nX-Mozilla-Status2: 00000000\r\n");
        let text = String::from_utf8_lossy(m)
            .replace("\r\n", "\n")
            .replace('\n', "\r\n");
        out.extend_from_slice(text.as_bytes());
        if !out.ends_with(b"\r\n") {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// An mbox as Evolution and mutt write it (mboxrd): `From sender date`, LF, `>From` quoted.
fn mboxrd(messages: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        out.extend_from_slice(b"From sender@example.kz Wed Nov 25 10:11:12 2026\n");
        let text = String::from_utf8_lossy(m).replace("\r\n", "\n");
        for line in text.split_inclusive('\n') {
            if line.trim_start_matches('>').starts_with("From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line.as_bytes());
        }
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    out
}

fn age(path: &Path, secs: u64) {
    let f = std::fs::File::options().append(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(secs))
        .unwrap();
}

fn vault_for_mail(t: &TempVault) -> Vault {
    let mut v = t.create();
    v.set_setting("letterhead.email", "privacy@operator.kz", now())
        .unwrap();
    v
}

fn read(v: &mut Vault, source: i64) -> mail::Outcome {
    mail::read(v, source, office(), today(), now()).unwrap()
}

fn journal_len(v: &Vault) -> i64 {
    count(v, "journal")
}

fn all_fixtures() -> Vec<Vec<u8>> {
    let mut m: Vec<Vec<u8>> = REQUESTS.iter().map(|f| fixture(f)).collect();
    m.push(newsletter(1));
    m.push(newsletter(2));
    m
}

#[test]
fn a_thunderbird_inbox_gives_its_requests_once_and_lists_the_rest() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let inbox = t.file("Inbox");
    std::fs::write(&inbox, thunderbird(&all_fixtures())).unwrap();
    age(&inbox, 60);
    let source = mail::add_source(&mut v, &inbox, None, now()).unwrap();
    let first = read(&mut v, source);
    assert_eq!(first.registered.len(), 5, "{first:?}");
    assert_eq!(first.listed, 2, "the newsletters wait in the list");
    assert_eq!(
        (first.unreadable, first.held_back, first.restarted),
        (0, false, false)
    );
    // Each request as its message says: kind by the marker, received on its Date, by e-mail.
    let kinds: Vec<String> = first
        .registered
        .iter()
        .map(|id| {
            request::get(v.conn(), *id, today())
                .unwrap()
                .kind
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "refuse-marketing",
            "update",
            "withdraw-consent",
            "withdraw-consent",
            "other"
        ]
    );
    let r = request::get(v.conn(), first.registered[0], today()).unwrap();
    assert_eq!(r.received_on.to_string(), "2026-11-23");
    assert!(r.body.contains("рекламу"), "the text, decoded");
    // Nothing new: no write, no journal entry.
    let before = journal_len(&v);
    let again = read(&mut v, source);
    assert!(again.is_empty() && again.already == 0, "{again:?}");
    assert_eq!(journal_len(&v), before);
    assert_eq!(count(&v, "request"), 5);
    let (waiting, total) = mail::waiting(v.conn(), 0, 50).unwrap();
    assert_eq!(total, 2);
    assert!(waiting[0].sender.contains("news@kaspi.kz"));
    assert!(waiting[0].subject_line.starts_with("Скидки недели"));
}

#[test]
fn an_evolution_mbox_is_read_with_its_quoted_from_lines() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let inbox = t.file("Inbox.mbox");
    std::fs::write(&inbox, mboxrd(&all_fixtures())).unwrap();
    age(&inbox, 60);
    let source = mail::add_source(&mut v, &inbox, None, now()).unwrap();
    let out = read(&mut v, source);
    assert_eq!((out.registered.len(), out.listed), (5, 2), "{out:?}");
    // A listed message taken in: its text with the quoting undone.
    let (waiting, _) = mail::waiting(v.conn(), 0, 50).unwrap();
    let d = mail::drafted(v.conn(), waiting[0].id, office(), today(), now()).unwrap();
    assert!(d.error.is_none(), "{:?}", d.error);
    // The message's own `>From` line is as it was written; the envelope-like line unquoted.
    assert!(
        d.draft.text.contains("\n>From the archive"),
        "{}",
        d.draft.text
    );
    assert!(
        d.draft.text.starts_with("From today on"),
        "{}",
        d.draft.text
    );
}

#[test]
fn a_message_being_appended_is_left_until_it_is_whole() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let inbox = t.file("Inbox");
    let all = all_fixtures();
    let whole = thunderbird(&all[..2]);
    std::fs::write(&inbox, &whole).unwrap();
    // Just written: the last message may still be growing.
    let source = mail::add_source(&mut v, &inbox, None, now()).unwrap();
    let out = read(&mut v, source);
    assert_eq!(out.registered.len(), 1, "{out:?}");
    assert!(out.held_back);
    // The mail program appends half of a third message while it is read.
    let third = thunderbird(&all[2..3]);
    let half = third.len() / 2;
    let mut f = std::fs::File::options().append(true).open(&inbox).unwrap();
    std::io::Write::write_all(&mut f, &third[..half]).unwrap();
    let out = read(&mut v, source);
    assert_eq!(
        out.registered.len(),
        1,
        "the second is whole now (another message began after it): {out:?}"
    );
    assert!(out.held_back, "the half-written third is not read");
    std::io::Write::write_all(&mut f, &third[half..]).unwrap();
    drop(f);
    age(&inbox, 10);
    let out = read(&mut v, source);
    assert_eq!(out.registered.len(), 1, "{out:?}");
    assert!(!out.held_back);
    let bodies: Vec<String> = (1..=3)
        .map(|id| request::get(v.conn(), id, today()).unwrap().body)
        .collect();
    assert!(
        bodies[2].contains("Сәлеметсіз"),
        "the third is whole: {}",
        bodies[2]
    );
    assert_eq!(count(&v, "request"), 3, "none twice");
    assert!(read(&mut v, source).is_empty());
}

#[test]
fn a_compacted_mbox_is_read_again_without_registering_twice() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let inbox = t.file("Inbox");
    let all = all_fixtures();
    std::fs::write(&inbox, thunderbird(&all)).unwrap();
    age(&inbox, 60);
    let source = mail::add_source(&mut v, &inbox, None, now()).unwrap();
    assert_eq!(read(&mut v, source).registered.len(), 5);
    // Thunderbird compacts the folder (deleted messages go), then a new message arrives.
    let mut kept: Vec<Vec<u8>> = all[2..].to_vec();
    kept.push(newsletter(3));
    std::fs::write(&inbox, thunderbird(&kept)).unwrap();
    age(&inbox, 60);
    let out = read(&mut v, source);
    assert!(out.restarted, "{out:?}");
    assert_eq!(out.registered.len(), 0);
    assert_eq!(out.listed, 1, "only the new newsletter");
    assert_eq!(count(&v, "request"), 5);
}

#[test]
fn a_maildir_is_read_by_name_whatever_the_mail_program_does_to_its_files() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let md = t.file("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(md.join(sub)).unwrap();
    }
    let all = all_fixtures();
    // Dovecot's names; one already read (cur/, flags), one still being delivered (tmp/).
    std::fs::write(md.join("new/1764050001.M1P100.mx"), &all[0]).unwrap();
    std::fs::write(md.join("cur/1764050002.M2P100.mx:2,S"), &all[1]).unwrap();
    std::fs::write(md.join("new/1764050003.M3P100.mx"), &all[5]).unwrap();
    std::fs::write(md.join("tmp/1764050004.M4P100.mx"), &all[2]).unwrap();
    std::fs::write(md.join("cur/.uidvalidity"), b"1 2").unwrap();
    let source = mail::add_source(&mut v, &md, None, now()).unwrap();
    let out = read(&mut v, source);
    assert_eq!((out.registered.len(), out.listed), (2, 1), "{out:?}");
    // The mail program shows them: new/ → cur/ with flags; delivery finishes the fourth.
    std::fs::rename(
        md.join("new/1764050001.M1P100.mx"),
        md.join("cur/1764050001.M1P100.mx:2,RS"),
    )
    .unwrap();
    std::fs::rename(
        md.join("tmp/1764050004.M4P100.mx"),
        md.join("new/1764050004.M4P100.mx"),
    )
    .unwrap();
    let out = read(&mut v, source);
    assert_eq!((out.registered.len(), out.listed), (1, 0), "{out:?}");
    assert!(read(&mut v, source).is_empty());
    assert_eq!(count(&v, "request"), 3);
}

#[test]
fn a_message_imported_by_hand_or_kept_in_two_folders_is_registered_once() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let all = all_fixtures();
    // The first message came in as an .eml, before the folder was added.
    let msg = eml::parse_on(&all[0], now()).unwrap();
    let d = derbes::requests::intake::draft(v.conn(), &msg, office(), today()).unwrap();
    let by_hand =
        request::create_from_mail(&mut v, &d.input(), &d.mail_origin(), today(), now()).unwrap();
    let a = t.file("Inbox");
    let b = t.file("Archive");
    std::fs::write(&a, thunderbird(&all[..3])).unwrap();
    std::fs::write(&b, mboxrd(&all[1..3])).unwrap();
    age(&a, 60);
    age(&b, 60);
    let sa = mail::add_source(&mut v, &a, None, now()).unwrap();
    let sb = mail::add_source(&mut v, &b, None, now()).unwrap();
    let out = read(&mut v, sa);
    assert_eq!((out.registered.len(), out.already), (2, 1), "{out:?}");
    assert!(!out.registered.contains(&by_hand));
    let out = read(&mut v, sb);
    assert_eq!((out.registered.len(), out.already), (0, 2), "{out:?}");
    assert_eq!(count(&v, "request"), 3);
    // The same folder twice is refused.
    let e = mail::add_source(&mut v, &a, None, now()).unwrap_err();
    assert_eq!(e.code(), "mail.already_added");
}

#[test]
fn a_listed_message_is_taken_in_or_dismissed_and_leaves_the_list() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let inbox = t.file("Inbox");
    std::fs::write(&inbox, thunderbird(&[newsletter(1), newsletter(2)])).unwrap();
    age(&inbox, 60);
    let source = mail::add_source(&mut v, &inbox, None, now()).unwrap();
    assert_eq!(read(&mut v, source).listed, 2);
    let (w, _) = mail::waiting(v.conn(), 0, 10).unwrap();
    let d = mail::drafted(v.conn(), w[0].id, office(), today(), now()).unwrap();
    let id = request::create_from_mail(
        &mut v,
        &d.draft.input(),
        &d.draft.mail_origin(),
        today(),
        now(),
    )
    .unwrap();
    mail::dismiss(&mut v, w[1].id, now()).unwrap();
    let (_, total) = mail::waiting(v.conn(), 0, 10).unwrap();
    assert_eq!(total, 0);
    let kept: (String, Option<i64>, Option<String>) = v
        .conn()
        .query_row(
            "SELECT state, request_id, sender FROM mail_message WHERE id = ?1",
            [w[0].id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(kept, ("registered".into(), Some(id), None));
    assert_eq!(
        mail::dismiss(&mut v, w[1].id, now()).unwrap_err().code(),
        "record.not_found"
    );
    // Taken in or dismissed, nothing is offered again.
    assert!(read(&mut v, source).is_empty());
}

#[test]
fn messages_before_the_start_date_are_seen_but_not_offered() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let inbox = t.file("Inbox");
    std::fs::write(&inbox, thunderbird(&all_fixtures())).unwrap();
    age(&inbox, 60);
    let since = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let source = mail::add_source(&mut v, &inbox, Some(since), now()).unwrap();
    let out = read(&mut v, source);
    // Apple's (19 Nov) and Mail.ru's (20 Nov) are older than the start date.
    assert_eq!(out.earlier, 2, "{out:?}");
    assert_eq!(out.registered.len(), 3);
}

#[test]
fn hostile_folders_are_refused_and_hostile_messages_listed_as_unreadable() {
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let code = |v: &mut Vault, p: &Path| mail::add_source(v, p, None, now()).unwrap_err().code();
    assert_eq!(code(&mut v, Path::new("/dev/zero")), "file.not_regular");
    assert_eq!(code(&mut v, &t.file("missing")), "mail.not_found");
    assert_eq!(code(&mut v, t.dir.path()), "mail.not_maildir");
    let xlsx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/protected.xlsx");
    assert_eq!(code(&mut v, &xlsx), "mail.not_mbox");
    let fifo = t.file("fifo");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        assert_eq!(code(&mut v, &fifo), "file.not_regular");
    }
    // A message larger than any message, one with binary junk, and a good one after them.
    let mut huge = b"From: big@example.kz\r\nTo: privacy@operator.kz\r\nSubject: big\r\nMessage-ID: <big@x>\r\n\r\n".to_vec();
    huge.resize(eml::MAX_BYTES + 1024, b'a');
    let junk = b"\0\0\0\x01binary".to_vec();
    let inbox = t.file("Inbox");
    std::fs::write(&inbox, thunderbird(&[huge, junk, fixture(REQUESTS[0])])).unwrap();
    age(&inbox, 60);
    let source = mail::add_source(&mut v, &inbox, None, now()).unwrap();
    let out = read(&mut v, source);
    assert_eq!(
        (out.unreadable, out.registered.len()),
        (2, 1),
        "{out:?} {:?}",
        mail::waiting(v.conn(), 0, 10).unwrap()
    );
    let (w, _) = mail::waiting(v.conn(), 0, 10).unwrap();
    assert!(
        w.iter()
            .all(|w| w.error_code.as_deref() == Some("message.malformed")),
        "{w:?}"
    );
    assert_eq!(w[0].subject_line, "big", "named by its headers");
    assert!(read(&mut v, source).is_empty(), "not read again");
}

#[test]
fn a_destroyed_persons_waiting_messages_lose_their_sender() {
    use derbes::erasure::{self, Action, Keep, Order};
    let t = TempVault::new();
    let mut v = vault_for_mail(&t);
    let input = derbes::registry::subject::SubjectInput {
        iin: "850808310738".into(),
        surname: "Жаңабаев".into(),
        given_name: "Ерлан".into(),
        emails: vec!["news@kaspi.kz".into()],
        ..Default::default()
    };
    let id = derbes::registry::subject::create(&mut v, &input, today(), now()).unwrap();
    // The act of destruction is issued on the letterhead.
    v.set_setting("letterhead.operator", "ТОО «Кызгалдак»", now())
        .unwrap();
    v.set_setting("letterhead.signer_name", "А. Сапарова", now())
        .unwrap();
    let inbox = t.file("Inbox");
    std::fs::write(&inbox, thunderbird(&[newsletter(1), fixture(REQUESTS[0])])).unwrap();
    age(&inbox, 60);
    let source = mail::add_source(&mut v, &inbox, None, now()).unwrap();
    assert_eq!(read(&mut v, source).listed, 1);
    erasure::run(
        &mut v,
        &Order {
            action: Action::Destroy,
            subjects: vec![id],
            basis: derbes::registry::blocking::Basis {
                request_id: None,
                text: "Retention period over".into(),
            },
            keep: Keep::default(),
            lang: derbes::base::language::Language::Ru,
        },
        today(),
        now(),
    )
    .unwrap();
    let (_, total) = mail::waiting(v.conn(), 0, 10).unwrap();
    assert_eq!(total, 0, "out of the list");
    let left: i64 = v
        .conn()
        .query_row(
            "SELECT count(*) FROM mail_message WHERE sender IS NOT NULL OR subject_line IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "nothing of the message is kept");
    // The folder is the mail program's: read again, the message is not offered again.
    assert!(read(&mut v, source).is_empty());
}
