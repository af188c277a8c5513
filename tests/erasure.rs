//! Destroying and anonymizing: the data is gone from every table, from the search index and from
//! the decrypted pages of the file; a tombstone, the journal and an act without personal data stay.

mod common;

use common::*;
use derbes::base::language::Language;
use derbes::documents::letters::{self, Edits, Kind, Source};
use derbes::erasure::{self, Action, Keep, Order};
use derbes::registry::blocking::Basis;
use derbes::registry::card;
use derbes::registry::consent::ConsentInput;
use derbes::registry::holding::HoldingInput;
use derbes::registry::search::{self, Query};
use derbes::registry::subject::{self, Status, SubjectInput};
use derbes::requests::request::{self, Channel, RequestInput};
use derbes::{RequestKind, Vault};
use std::process::Command;

/// Every page of a SQLCipher 4 file (default settings: 4096-byte pages, PBKDF2-HMAC-SHA512 with
/// 256 000 iterations, AES-256-CBC, 80 reserved bytes of IV and HMAC), decrypted and joined, so the
/// test sees what the file holds, freed pages and freed cells included — not what SQL returns.
fn decrypted_pages(path: &std::path::Path, passphrase: &str) -> Vec<u8> {
    use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};
    const PAGE: usize = 4096;
    const RESERVE: usize = 80;
    let file = std::fs::read(path).expect("read vault");
    assert_eq!(file.len() % PAGE, 0, "whole pages");
    let salt = &file[..16];
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(passphrase.as_bytes(), salt, 256_000, &mut key);
    let mut out = Vec::with_capacity(file.len());
    for (n, page) in file.chunks(PAGE).enumerate() {
        let start = if n == 0 { 16 } else { 0 };
        let iv = &page[PAGE - RESERVE..PAGE - RESERVE + 16];
        let mut body = page[start..PAGE - RESERVE].to_vec();
        cbc::Decryptor::<aes::Aes256>::new(key.as_slice().into(), iv.into())
            .decrypt_padded_mut::<NoPadding>(&mut body)
            .expect("whole blocks");
        if n == 0 {
            // The database header after the salt: the page size, big-endian — proof the
            // decryption is right, so that "not found" below means something.
            assert_eq!(
                &body[..2],
                &[0x10, 0x00],
                "page 1 decrypts to a SQLite header"
            );
        }
        out.extend_from_slice(&body);
    }
    out
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    haystack.windows(n.len()).any(|w| w == n)
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("act.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Person {
    id: i64,
    request: i64,
}

/// A person with every kind of data Derbes holds: contacts, address, notes, holdings, a consent
/// with a document reference, a refusal of marketing, a request with a message, a letter.
fn person(v: &mut Vault, iin: &str, surname: &str, email: &str, words: &str) -> Person {
    let id = subject::create(
        v,
        &SubjectInput {
            iin: iin.into(),
            surname: surname.into(),
            given_name: "Әйгерім".into(),
            patronymic: "Серікқызы".into(),
            address: format!("Алматы, {words} көшесі, 12"),
            notes: format!("ескертпе {words}"),
            emails: vec![email.into()],
            phones: vec!["+7 701 555 12 34".into()],
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    let cat = |code: &str| -> i64 {
        v.conn()
            .query_row(
                "SELECT id FROM data_category WHERE code = ?1",
                [code],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (identity, contacts) = (cat("name"), cat("contacts"));
    let purpose: i64 = v
        .conn()
        .query_row("SELECT min(id) FROM purpose", [], |r| r.get(0))
        .unwrap();
    for category_id in [identity, contacts] {
        derbes::registry::holding::add(
            v,
            id,
            &HoldingInput {
                category_id,
                purpose_id: purpose,
                basis: "consent".into(),
                basis_ref: String::new(),
                source: "анкета".into(),
                since: "2025-01-10".into(),
                until: String::new(),
            },
            today(),
            now(),
        )
        .unwrap();
    }
    derbes::registry::consent::record(
        v,
        id,
        &ConsentInput {
            purpose_id: purpose,
            granted_at: "2025-01-10".into(),
            form: "written".into(),
            document_ref: format!("Келісім {words}"),
            ..ConsentInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    derbes::registry::suppression::refuse_marketing(v, id, today(), "email", None, now()).unwrap();
    let request = request::create(
        v,
        &RequestInput {
            subject_id: Some(id),
            requester: format!("{surname} Әйгерім"),
            sender: email.into(),
            kind: RequestKind::Destroy,
            channel: Channel::Email,
            received_on: "2026-11-20".into(),
            incoming_ref: "ВХ-41".into(),
            body: format!("Менің деректерімді жойыңыз, {words}"),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap();
    Person { id, request }
}

fn issue_extract(v: &mut Vault, p: &Person) -> letters::Row {
    let access = request::create(
        v,
        &RequestInput {
            subject_id: Some(p.id),
            requester: String::new(),
            sender: String::new(),
            kind: RequestKind::Access,
            channel: Channel::Paper,
            received_on: "2026-11-02".into(),
            incoming_ref: "ВХ-7".into(),
            body: String::new(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap();
    letters::issue(
        v,
        &Source {
            kind: Kind::AccessExtract,
            lang: Language::Kk,
            request_id: Some(access),
            subject_id: None,
            period: None,
            corrects: None,
            erasure: None,
            breach: None,
        },
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap()
}

#[test]
fn a_destroyed_subject_leaves_a_tombstone_and_no_trace_in_the_decrypted_pages() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let gone = person(
        &mut v,
        "900115400109",
        "Құдайбергенова",
        "kudaibergenova@example.kz",
        "Жолбарыстау",
    );
    let other_iin = derbes::Iin::compose(
        chrono::NaiveDate::from_ymd_opt(1985, 7, 20).unwrap(),
        derbes::base::iin::Sex::Female,
        125,
    )
    .unwrap()
    .to_string();
    let stays = person(
        &mut v,
        &other_iin,
        "Тоқтарбаева",
        "toktarbayeva@example.kz",
        "Қарлығашты",
    );
    let extract = issue_extract(&mut v, &gone);
    // A corrected request keeps what it said before, as a revision: that goes with the person too.
    let changed = derbes::requests::correction::edit(
        &mut v,
        gone.request,
        &derbes::requests::correction::RequestEdit {
            body: Some("Жойыңыз, Қарақұмдағы".into()),
            ..Default::default()
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(changed, ["body"]);
    let found = |v: &Vault, text: &str| {
        let q = derbes::requests::search::Query {
            text: text.into(),
            ..Default::default()
        };
        derbes::requests::search::search(v.conn(), &q, today())
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(found(&v, "Қарақұмдағы"), [gone.request]);
    assert!(found(&v, "ВХ-41").contains(&gone.request));
    let secrets = [
        "900115400109",
        "Құдайбергенова",
        "kudaibergenova@example.kz",
        "Жолбарыстау",
        "Қарақұмдағы",
    ];
    drop(v);
    let before = decrypted_pages(&t.path, PASS);
    for s in secrets {
        assert!(holds(&before, s), "the scan sees {s} before destruction");
    }
    let mut v = t.open().unwrap();

    let preview = erasure::preview(v.conn(), Action::Destroy, &[gone.id], Keep::default()).unwrap();
    assert_eq!(preview.subjects, 1);
    assert_eq!(preview.contacts, 2);
    assert_eq!(preview.holdings, 2);
    assert_eq!(preview.consents, 1);
    assert_eq!(preview.marketing_refusers, 1);
    assert_eq!(preview.requests, 2);
    assert_eq!(preview.open_requests, 2);
    assert_eq!(preview.letters, 1);

    let seq_before = derbes::vault::journal::verify(v.conn()).unwrap();
    let done = erasure::run(
        &mut v,
        &Order {
            action: Action::Destroy,
            subjects: vec![gone.id],
            basis: Basis {
                request_id: Some(gone.request),
                text: String::new(),
            },
            keep: Keep::default(),
            lang: Language::Kk,
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!((done.subjects, done.act.kind), (1, Kind::ActDestruction));
    // Per subject and per batch, plus the act's own entry.
    assert_eq!(
        derbes::vault::journal::verify(v.conn()).unwrap(),
        seq_before + 3
    );

    // The tombstone: record, date, basis, request, act number — nothing about the person.
    let stone = erasure::tombstone(v.conn(), gone.id).unwrap().unwrap();
    assert_eq!(stone.action, Action::Destroy);
    assert_eq!(stone.request_id, Some(gone.request));
    assert_eq!(stone.act_number.as_deref(), Some(done.act.number.as_str()));
    assert_eq!(stone.categories, vec!["contacts", "name"]);
    let card = card::read_card(v.conn(), gone.id, today()).unwrap();
    assert_eq!(card.status, Status::Destroyed);
    assert_eq!(
        (
            card.surname.as_str(),
            card.iin.as_deref(),
            card.emails.len()
        ),
        ("", None, 0)
    );
    assert!(card.holdings.is_empty() && card.consents.is_empty() && card.refusals.is_empty());
    // Gone from the list and the search; the other person is still there.
    let all = search::search(v.conn(), &Query::default(), today()).unwrap();
    assert_eq!(all.total, 1);
    assert_eq!(all.rows[0].id, stays.id);
    for text in ["Құдайберг", "900115", "kudaibergenova"] {
        let q = Query {
            text: text.into(),
            ..Query::default()
        };
        assert_eq!(search::search(v.conn(), &q, today()).unwrap().total, 0);
    }
    // The request stays in the register without what the person wrote.
    let r = request::get(v.conn(), gone.request, today()).unwrap();
    assert_eq!(
        (r.body.as_str(), r.sender.as_str(), r.requester.as_str()),
        ("", "", "")
    );
    assert_eq!(r.incoming_ref, "ВХ-41");
    // Found by its number still, by nothing the person wrote.
    assert!(found(&v, "ВХ-41").contains(&gone.request));
    assert!(found(&v, "Қарақұмдағы").is_empty());
    assert!(found(&v, "Құдайберг").is_empty());
    // The extract sent earlier keeps its register line, not its text.
    let row = letters::row(v.conn(), extract.id).unwrap();
    assert_eq!(row.redacted_on, Some(today()));
    assert_eq!((row.addressee.as_str(), row.bytes), ("", 0));
    assert_eq!(row.sha256, extract.sha256);
    assert_eq!(
        letters::pdf(v.conn(), extract.id).unwrap_err().code(),
        "letter.redacted"
    );
    // The act names the record by its number and the request, never the person.
    let act = pdftotext(&letters::pdf(v.conn(), done.act.id).unwrap());
    assert!(act.contains(&format!("№ {} субъект", gone.id)), "{act}");
    assert!(act.contains("ВХ-41") || act.contains("20.11.2026"), "{act}");
    for s in secrets {
        assert!(!act.contains(s), "the act holds no {s}");
    }
    // The same destruction cannot run twice.
    let again = Order {
        action: Action::Destroy,
        subjects: vec![gone.id],
        basis: Basis {
            request_id: None,
            text: "again".into(),
        },
        keep: Keep::default(),
        lang: Language::Ru,
    };
    assert_eq!(
        erasure::run(&mut v, &again, today(), now())
            .unwrap_err()
            .code(),
        "subject.not_editable"
    );
    v.check().unwrap();
    drop(v);

    let after = decrypted_pages(&t.path, PASS);
    for s in secrets {
        assert!(!holds(&after, s), "{s} is still in the decrypted pages");
    }
    // The scan still sees the person who stays (it is not blind).
    assert!(holds(&after, &other_iin) && holds(&after, "Тоқтарбаева"));
}

/// The search index's history: what a person's row held before an edit leaves the index pages
/// with the edit (FTS5's exact delete with secure-delete, not a tombstone waiting for a merge), and
/// the rest with the destruction, with no merge of the whole index.
#[test]
fn an_edited_persons_earlier_search_terms_are_in_no_page_and_the_rest_go_with_destruction() {
    // Numbers whose first digits no other term of the vault shares: the index stores a term
    // after the one before it as what differs, so a shared beginning would hide it from the scan.
    let (before, after, kept) = ("48151623", "62831853", "31415926");
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let input = |doc: &str| SubjectInput {
        surname: "Сейітқали".into(),
        given_name: "Мөлдір".into(),
        doc_number: format!("N {doc}"),
        ..SubjectInput::default()
    };
    let id = subject::create(&mut v, &input(before), today(), now()).unwrap();
    let other = subject::create(
        &mut v,
        &SubjectInput {
            surname: "Жанұзақова".into(),
            given_name: "Гүлнар".into(),
            doc_number: format!("N {kept}"),
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    drop(v);
    assert!(
        holds(&decrypted_pages(&t.path, PASS), before),
        "the scan sees the number"
    );
    let mut v = t.open().unwrap();
    subject::update(&mut v, id, &input(after), today(), now()).unwrap();
    let found = |v: &Vault, text: &str| {
        search::search(
            v.conn(),
            &Query {
                text: text.into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap()
        .rows
        .iter()
        .map(|r| r.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(found(&v, after), [id]);
    assert!(found(&v, before).is_empty());
    drop(v);
    let pages = decrypted_pages(&t.path, PASS);
    assert!(holds(&pages, after) && holds(&pages, kept));
    assert!(
        !holds(&pages, before),
        "the number before the edit is still in a page"
    );
    let mut v = t.open().unwrap();
    erasure::run(
        &mut v,
        &Order {
            action: Action::Destroy,
            subjects: vec![id],
            basis: Basis {
                request_id: None,
                text: "Заявление".into(),
            },
            keep: Keep::default(),
            lang: Language::Ru,
        },
        today(),
        now(),
    )
    .unwrap();
    assert!(found(&v, after).is_empty());
    assert_eq!(found(&v, kept), [other]);
    drop(v);
    let pages = decrypted_pages(&t.path, PASS);
    assert!(
        !holds(&pages, after),
        "{after} is still in the decrypted pages"
    );
    assert!(holds(&pages, kept));
}

#[test]
fn anonymization_keeps_only_the_chosen_statistics() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let p = person(
        &mut v,
        "900115400109",
        "Құдайбергенова",
        "kudaibergenova@example.kz",
        "Жолбарыстау",
    );
    let done = erasure::run(
        &mut v,
        &Order {
            action: Action::Anonymize,
            subjects: vec![p.id],
            basis: Basis {
                request_id: None,
                text: "Цель обработки достигнута".into(),
            },
            keep: Keep {
                birth_year: true,
                sex: true,
                holdings: true,
            },
            lang: Language::Ru,
        },
        today(),
        now(),
    )
    .unwrap();
    let stone = erasure::tombstone(v.conn(), p.id).unwrap().unwrap();
    assert_eq!(stone.action, Action::Anonymize);
    assert_eq!(
        (stone.birth_year, stone.sex.as_deref()),
        (Some(1990), Some("f"))
    );
    let card = card::read_card(v.conn(), p.id, today()).unwrap();
    assert_eq!(card.status, Status::Anonymized);
    assert_eq!(
        (card.surname.as_str(), card.birth_date.as_deref()),
        ("", None)
    );
    assert!(card.emails.is_empty() && card.phones.is_empty() && card.address.is_empty());
    // Holdings and consents stay as statistics; the consent's document reference goes.
    assert_eq!(card.holdings.len(), 2);
    assert_eq!(card.consents.len(), 1);
    assert_eq!(card.consents[0].document_ref, "");
    let act = pdftotext(&letters::pdf(v.conn(), done.act.id).unwrap());
    assert!(act.contains("обезличивании"), "{act}");
    assert!(act.contains("год рождения, пол"), "{act}");
    assert!(act.contains("Цель обработки достигнута"), "{act}");
    // The act names the journal's head it was made at, an entry of the journal (issue 16).
    let flat = act.replace('\n', " ");
    let at = flat
        .find("запись № ")
        .map(|i| &flat[i + "запись № ".len()..])
        .expect("the journal's head on the act");
    let (seq, rest) = at.split_once(", хеш ").expect("seq and hash");
    let hash = &rest[..64];
    let found: String = v
        .conn()
        .query_row(
            "SELECT action FROM journal WHERE seq = ?1 AND hash = ?2",
            rusqlite::params![seq.parse::<i64>().unwrap(), hash],
            |r| r.get(0),
        )
        .expect("the head printed is an entry of the journal");
    assert!(found.starts_with("subject."), "{found}");
    drop(v);
    let pages = decrypted_pages(&t.path, PASS);
    for s in [
        "900115400109",
        "Құдайбергенова",
        "kudaibergenova@example.kz",
        "Жолбарыстау",
    ] {
        assert!(!holds(&pages, s), "{s} is still in the decrypted pages");
    }
}

#[test]
fn erasure_needs_a_basis_a_letterhead_and_a_living_subject() {
    let t = TempVault::new();
    let mut v = t.create();
    let p = person(
        &mut v,
        "900115400109",
        "Құдайбергенова",
        "kudaibergenova@example.kz",
        "Жолбарыстау",
    );
    let order = |basis: Basis, subjects: Vec<i64>| Order {
        action: Action::Destroy,
        subjects,
        basis,
        keep: Keep::default(),
        lang: Language::En,
    };
    let said = Basis {
        request_id: None,
        text: "purpose achieved".into(),
    };
    let head = derbes::vault::journal::verify(v.conn()).unwrap();
    // No letterhead yet: the act could not be issued, so nothing happens.
    let err = erasure::run(&mut v, &order(said.clone(), vec![p.id]), today(), now()).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("letterhead"), "{err}");
    assert_eq!(derbes::vault::journal::verify(v.conn()).unwrap(), head);
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let head = derbes::vault::journal::verify(v.conn()).unwrap();
    assert_eq!(
        erasure::run(&mut v, &order(Basis::default(), vec![p.id]), today(), now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    assert_eq!(
        erasure::run(&mut v, &order(said.clone(), vec![]), today(), now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    assert_eq!(
        erasure::run(
            &mut v,
            &order(said.clone(), vec![p.id, 999]),
            today(),
            now()
        )
        .unwrap_err()
        .code(),
        "record.not_found"
    );
    let unknown_request = Basis {
        request_id: Some(999),
        text: String::new(),
    };
    assert_eq!(
        erasure::run(&mut v, &order(unknown_request, vec![p.id]), today(), now())
            .unwrap_err()
            .code(),
        "record.not_found"
    );
    // Nothing was written by any of these.
    assert_eq!(derbes::vault::journal::verify(v.conn()).unwrap(), head);
    assert_eq!(
        card::read_card(v.conn(), p.id, today()).unwrap().status,
        Status::Active
    );
    // An act is never issued on its own, for data that is still there.
    let act = Source {
        kind: Kind::ActDestruction,
        lang: Language::En,
        request_id: Some(p.request),
        subject_id: None,
        period: None,
        corrects: None,
        erasure: None,
        breach: None,
    };
    let err = letters::issue(&mut v, &act, &Edits::default(), today(), now()).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("letter.act_by_action"), "{err}");
    // An issued document stays immutable but for the redaction that destruction does.
    let letter = issue_extract(&mut v, &p);
    let tamper = v.conn().execute(
        "UPDATE letter SET addressee = 'someone else' WHERE id = ?1",
        [letter.id],
    );
    assert!(tamper.is_err());
}

#[test]
fn a_batch_is_one_act_and_the_big_list_is_compact() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let ids: Vec<i64> = (0..5)
        .map(|i| {
            let iin = derbes::Iin::compose(
                chrono::NaiveDate::from_ymd_opt(1980 + i, 3, 4).unwrap(),
                derbes::base::iin::Sex::Male,
                100 + i as u16,
            )
            .unwrap();
            subject::create(
                &mut v,
                &SubjectInput {
                    iin: iin.to_string(),
                    surname: format!("Сейітов{i}"),
                    given_name: "Асқар".into(),
                    ..SubjectInput::default()
                },
                today(),
                now(),
            )
            .unwrap()
        })
        .collect();
    let done = erasure::run(
        &mut v,
        &Order {
            action: Action::Destroy,
            subjects: vec![ids[0], ids[1], ids[2], ids[4]],
            basis: Basis {
                request_id: None,
                text: "Retention period ended".into(),
            },
            keep: Keep::default(),
            lang: Language::En,
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(done.subjects, 4);
    let act = pdftotext(&letters::pdf(v.conn(), done.act.id).unwrap());
    let expected = format!("subjects No. {}–{}, {} (4 in all)", ids[0], ids[2], ids[4]);
    assert!(act.replace('\n', " ").contains(&expected), "{act}");
    let all = search::search(v.conn(), &Query::default(), today()).unwrap();
    assert_eq!((all.total, all.rows[0].id), (1, ids[3]));
}

#[test]
fn the_retention_sweep_finds_what_is_past_its_time_and_ends_it_in_one_act() {
    use derbes::erasure::retention::{self, Reason};
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let purposes = derbes::registry::catalog::purposes(v.conn()).unwrap();
    let cats = derbes::registry::catalog::categories(v.conn()).unwrap();
    let (contract, marketing) = (purposes[0].id, purposes[1].id);
    // Marketing data is kept a year (policy), the contract's as long as the contract says.
    retention::set_period(
        &mut v,
        marketing,
        Some(365),
        Some("policy"),
        "п. 5.7",
        now(),
    )
    .unwrap();
    let p = derbes::registry::catalog::purposes(v.conn()).unwrap();
    assert_eq!(p[1].retention_source.as_deref(), Some("policy"));
    assert_eq!(
        retention::set_period(&mut v, marketing, Some(0), Some("statute"), "", now())
            .unwrap_err()
            .to_string(),
        "invalid input: retention_days (retention.days), retention_source (required)"
    );
    let make = |v: &mut Vault, serial: u16, surname: &str| -> i64 {
        let iin = derbes::Iin::compose(
            chrono::NaiveDate::from_ymd_opt(1970, 1, 2).unwrap(),
            derbes::base::iin::Sex::Male,
            serial,
        )
        .unwrap();
        subject::create(
            v,
            &SubjectInput {
                iin: iin.to_string(),
                surname: surname.into(),
                given_name: "Нұрлан".into(),
                ..SubjectInput::default()
            },
            today(),
            now(),
        )
        .unwrap()
    };
    let hold = |v: &mut Vault, id: i64, purpose: i64, basis: &str, since: &str, until: &str| {
        derbes::registry::holding::add(
            v,
            id,
            &HoldingInput {
                category_id: cats[0].id,
                purpose_id: purpose,
                basis: basis.into(),
                basis_ref: String::new(),
                source: String::new(),
                since: since.into(),
                until: until.into(),
            },
            today(),
            now(),
        )
        .unwrap()
    };
    // All past its time: marketing over a year ago, a contract that ended.
    let old = make(&mut v, 11, "Ескіов");
    hold(&mut v, old, marketing, "contract", "2024-06-01", "");
    hold(
        &mut v,
        old,
        contract,
        "contract",
        "2020-01-01",
        "2025-12-31",
    );
    // Part: the marketing consent withdrawn, the contract still running.
    let part = make(&mut v, 12, "Жартылаев");
    let ended = hold(&mut v, part, contract, "consent", "2026-01-01", "");
    hold(&mut v, part, contract, "contract", "2026-01-01", "");
    let consent = derbes::registry::consent::record(
        &mut v,
        part,
        &ConsentInput {
            purpose_id: contract,
            granted_at: "2026-01-01".into(),
            form: "written".into(),
            ..ConsentInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    derbes::registry::consent::withdraw(&mut v, consent, today(), "email", None, now()).unwrap();
    // Nothing due: recent marketing, an open-ended contract.
    let fresh = make(&mut v, 13, "Жаңаев");
    hold(&mut v, fresh, marketing, "contract", "2026-06-01", "");
    hold(&mut v, fresh, contract, "contract", "2020-01-01", "");

    let sweep = retention::sweep(v.conn(), today()).unwrap();
    assert_eq!((sweep.whole, sweep.partial, sweep.holdings), (1, 1, 3));
    assert_eq!(sweep.subjects[0].subject_id, old);
    assert!(sweep.subjects[0].whole);
    let reasons: Vec<Reason> = sweep.subjects[0]
        .holdings
        .iter()
        .map(|h| h.reason)
        .collect();
    assert!(reasons.contains(&Reason::Period) && reasons.contains(&Reason::Until));
    assert_eq!(
        (
            sweep.subjects[1].holdings[0].holding_id,
            sweep.subjects[1].holdings[0].reason
        ),
        (ended, Reason::ConsentWithdrawn)
    );
    let mut csv = Vec::new();
    retention::report_csv(v.conn(), &sweep, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.contains(&format!("{old};whole;")), "{csv}");
    assert!(!csv.contains("Ескіов"), "record numbers only: {csv}");

    let done = retention::carry_out(
        &mut v,
        Action::Destroy,
        Keep::default(),
        None,
        Language::En,
        today(),
        now(),
    )
    .unwrap();
    assert_eq!((done.subjects, done.holdings), (1, 1));
    let card = card::read_card(v.conn(), old, today()).unwrap();
    assert_eq!(card.status, Status::Destroyed);
    let card = card::read_card(v.conn(), part, today()).unwrap();
    assert_eq!((card.status, card.holdings.len()), (Status::Active, 1));
    let act = pdftotext(&letters::pdf(v.conn(), done.act.id).unwrap()).replace('\n', " ");
    assert!(act.contains(&format!("subject No. {old}")), "{act}");
    assert!(act.contains("retention period ended"), "{act}");
    assert!(
        act.contains(&format!(
            "single data items no longer kept (1): subject No. {part}"
        )),
        "{act}"
    );
    // Done: nothing is due any more, and carrying out again says so.
    assert!(
        retention::sweep(v.conn(), today())
            .unwrap()
            .subjects
            .is_empty()
    );
    let err = retention::carry_out(
        &mut v,
        Action::Destroy,
        Keep::default(),
        None,
        Language::En,
        today(),
        now(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("retention.nothing_due"), "{err}");
    v.check().unwrap();
}
