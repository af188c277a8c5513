//! The stop-list (issue 15 part 5): refusals of marketing are entries of their own, kept as keyed
//! digests, that outlive the person's destruction, restores, and take refusals from senders who
//! are not in the registry; cleaning keeps the rows it keeps as they were.

mod common;

use common::*;
use derbes::app::backup;
use derbes::base::language::Language;
use derbes::documents::letters::{self, Edits, Kind, Source};
use derbes::erasure::{self, Action, Keep, Order};
use derbes::files::csv_table;
use derbes::registry::blocking::Basis;
use derbes::registry::consent::ConsentInput;
use derbes::registry::subject::{self, SubjectInput};
use derbes::registry::suppression::{self, Reason, Whom};
use derbes::requests::refusal::{self, FromRequest};
use derbes::requests::request::{self, Channel, RequestInput};
use derbes::vault::migration;
use derbes::{RequestKind, Vault};

fn person(v: &mut Vault, iin: &str, surname: &str, email: &str, phone: &str) -> i64 {
    subject::create(
        v,
        &SubjectInput {
            iin: iin.into(),
            surname: surname.into(),
            given_name: "Әйгерім".into(),
            emails: vec![email.into()],
            phones: vec![phone.into()],
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap()
}

fn destroy(v: &mut Vault, id: i64) {
    erasure::run(
        v,
        &Order {
            action: Action::Destroy,
            subjects: vec![id],
            basis: Basis {
                request_id: None,
                text: "Заявление субъекта от 20.11.2026".into(),
            },
            keep: Keep::default(),
            lang: Language::Ru,
        },
        today(),
        now(),
    )
    .unwrap();
}

fn stranger_refusal(v: &mut Vault, sender: &str) -> i64 {
    request::create(
        v,
        &RequestInput {
            subject_id: None,
            requester: "Неизвестный отправитель".into(),
            sender: sender.into(),
            kind: RequestKind::RefuseMarketing,
            channel: Channel::Email,
            received_on: "2026-11-24".into(),
            incoming_ref: String::new(),
            body: "Отказ от получения уведомлений о новых продуктах и услугах".into(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap()
}

/// The mailing list as a marketing tool exports it: phones as typed, one formula planted.
const LIST: &str = "Имя;E-mail;Телефон
Әйгерім;AIGERIM.K@Example.KZ;+7 701 555 12 34
Гость;guest@example.kz;+7 (702) 111-22-33
Вредный;\"=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";8 705 000 00 00
Кайрат;kairat@example.kz;+77019998877
";

fn clean(v: &mut Vault, list: &str) -> (suppression::CleanReport, String) {
    let table = csv_table::parse(list.as_bytes()).unwrap();
    let mut out = Vec::new();
    let r = suppression::clean(v.conn(), &table, &mut out, false, today()).unwrap();
    (r, String::from_utf8(out).unwrap())
}

/// Every text and blob cell of every table, for "the address is not in the vault".
fn vault_holds(v: &Vault, needle: &str) -> bool {
    let tables: Vec<String> = v
        .conn()
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'subject_fts%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in tables {
        let mut st = v.conn().prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                let cell = match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                        String::from_utf8_lossy(b).to_lowercase()
                    }
                    _ => continue,
                };
                if cell.contains(needle) {
                    return true;
                }
            }
        }
    }
    false
}

#[test]
fn a_destroyed_refuser_stays_on_the_list_as_a_keyed_digest() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let id = person(
        &mut v,
        "900115400109",
        "Құдайбергенова",
        "aigerim.k@example.kz",
        "8 701 555 12 34",
    );
    suppression::refuse_marketing(&mut v, id, today(), "email", None, now()).unwrap();
    let (before, _) = clean(&mut v, LIST);
    assert_eq!(before.removed, 1);

    destroy(&mut v, id);
    // Her address and phone are nowhere in the vault as text …
    assert!(!vault_holds(&v, "aigerim.k@example.kz"));
    assert!(!vault_holds(&v, "+77015551234"));
    assert!(!vault_holds(&v, "701 555"));
    // … yet the list still takes her row out, by e-mail (written otherwise) and by phone alone.
    let (after, text) = clean(&mut v, LIST);
    assert_eq!((after.rows, after.removed, after.kept), (4, 1, 3));
    assert_eq!(after.removed_by_reason, [(Reason::Refused, 1)]);
    assert!(!text.to_lowercase().contains("aigerim"));
    let (by_phone, _) = clean(&mut v, "Телефон\n+7 (701) 555-12-34\n+7 701 000 00 01\n");
    assert_eq!(by_phone.removed, 1);

    // The list names the tombstone, shows no address and says two are kept as digests.
    let listed = suppression::listed(v.conn(), today()).unwrap();
    assert_eq!(listed.len(), 1);
    let l = &listed[0];
    assert_eq!(l.whom, Whom::Erased(id));
    assert_eq!((l.reason, l.hashed), (Reason::Refused, 2));
    assert!(l.emails.is_empty() && l.phones.is_empty() && l.name.is_empty());
    // The export cannot write what it cannot read, and says so.
    let mut out = Vec::new();
    let done = suppression::export_csv(v.conn(), &mut out, today()).unwrap();
    assert_eq!((done.lines, done.hashed), (0, 2));
    assert!(!String::from_utf8(out).unwrap().contains("example.kz"));
    let checker = suppression::Checker::new(v.conn(), today(), false).unwrap();
    assert_eq!(
        checker.check("Aigerim.K@example.kz").unwrap(),
        Some(Reason::Refused)
    );
    assert_eq!(checker.check("guest@example.kz").unwrap(), None);
    assert_eq!(
        checker.check("не адрес").unwrap_err().code(),
        "invalid",
        "an unreadable address is an error, not 'not listed'"
    );
}

#[test]
fn an_address_added_after_the_refusal_and_a_withdrawn_consent_outlive_the_person_too() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let refuser = person(
        &mut v,
        "900115400109",
        "Құдайбергенова",
        "aigerim.k@example.kz",
        "8 701 555 12 34",
    );
    suppression::refuse_marketing(&mut v, refuser, today(), "paper", None, now()).unwrap();
    // A second e-mail given later, never on the stop-list while she was in the registry.
    subject::update(
        &mut v,
        refuser,
        &SubjectInput {
            iin: "900115400109".into(),
            surname: "Құдайбергенова".into(),
            given_name: "Әйгерім".into(),
            emails: vec!["aigerim.k@example.kz".into(), "guest@example.kz".into()],
            phones: vec!["8 701 555 12 34".into()],
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap();

    let marketing: i64 = v
        .conn()
        .query_row(
            "SELECT min(id) FROM purpose WHERE is_marketing = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let other_iin = derbes::Iin::compose(
        chrono::NaiveDate::from_ymd_opt(1985, 7, 20).unwrap(),
        derbes::base::iin::Sex::Male,
        125,
    )
    .unwrap()
    .to_string();
    let withdrew = person(
        &mut v,
        &other_iin,
        "Қасымов",
        "kairat@example.kz",
        "+7 701 999 88 77",
    );
    let consent = derbes::registry::consent::record(
        &mut v,
        withdrew,
        &ConsentInput {
            purpose_id: marketing,
            granted_at: "2025-01-10".into(),
            form: "written".into(),
            ..ConsentInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    derbes::registry::consent::withdraw(&mut v, consent, today(), "paper", None, now()).unwrap();

    destroy(&mut v, refuser);
    destroy(&mut v, withdrew);
    let (r, text) = clean(&mut v, LIST);
    assert_eq!((r.removed, r.kept), (3, 1), "{text}");
    assert_eq!(
        r.removed_by_reason,
        [(Reason::Refused, 2), (Reason::Withdrawn, 1)]
    );
    // Only the row with the formula is left, neutralised; nothing else was rewritten.
    assert!(text.contains("'=HYPERLINK"), "{text}");
    let listed = suppression::listed(v.conn(), today()).unwrap();
    let hashed: Vec<(Whom, Reason, usize)> = listed
        .iter()
        .map(|l| (l.whom, l.reason, l.hashed))
        .collect();
    assert_eq!(
        hashed,
        [
            (Whom::Erased(refuser), Reason::Refused, 3),
            (Whom::Erased(withdrew), Reason::Withdrawn, 2)
        ]
    );
}

#[test]
fn cleaning_keeps_phone_numbers_as_they_were() {
    let t = TempVault::new();
    let mut v = t.create();
    let (r, text) = clean(&mut v, LIST);
    assert_eq!((r.removed, r.kept), (0, 4));
    assert!(text.contains(";+7 701 555 12 34"), "{text}");
    assert!(text.contains(";+7 (702) 111-22-33"), "{text}");
    assert!(text.contains(";+77019998877"), "{text}");
    assert!(!text.contains("'+"), "no apostrophe before a phone: {text}");
    assert!(
        text.contains(";\"'=HYPERLINK"),
        "a formula is still neutralised: {text}"
    );
}

#[test]
fn an_unregistered_senders_refusal_goes_on_the_list_and_can_be_confirmed() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let r = stranger_refusal(&mut v, "Guest@Example.kz");
    let confirm = Source {
        kind: Kind::ConfirmMarketing,
        lang: Language::Ru,
        request_id: Some(r),
        subject_id: None,
        period: None,
        corrects: None,
        erasure: None,
        breach: None,
    };
    // Not yet recorded: the confirmation would say what is not so.
    let err = letters::issue(&mut v, &confirm, &Edits::default(), today(), now()).unwrap_err();
    assert_eq!(err.code(), "letter.no_refusal_recorded");

    assert_eq!(
        refusal::refuse_from_request(&mut v, r, today(), now()).unwrap(),
        FromRequest::Sender {
            kind: derbes::registry::stop_list::AddressKind::Email,
            added: true
        }
    );
    assert_eq!(
        refusal::refuse_from_request(&mut v, r, today(), now()).unwrap(),
        FromRequest::Sender {
            kind: derbes::registry::stop_list::AddressKind::Email,
            added: false
        },
        "the same request twice is one entry"
    );
    let entries: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM stop_entry", [], |r| r.get(0))
        .unwrap();
    assert_eq!(entries, 1);
    let journaled: i64 = v
        .conn()
        .query_row(
            "SELECT count(*) FROM journal WHERE action = 'marketing.refused' AND request_id = ?1",
            [r],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(journaled, 1);
    let (cleaned, text) = clean(&mut v, LIST);
    assert_eq!(cleaned.removed, 1);
    assert!(!text.contains("guest@"));
    let listed = suppression::listed(v.conn(), today()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].whom, Whom::Request(r));
    assert_eq!(listed[0].emails, ["guest@example.kz"]);
    assert_eq!(listed[0].hashed, 0);
    let mut out = Vec::new();
    assert_eq!(
        suppression::export_csv(v.conn(), &mut out, today())
            .unwrap()
            .lines,
        1
    );
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("guest@example.kz;;refused")
    );

    // Now the confirmation is true, and can be issued.
    letters::issue(&mut v, &confirm, &Edits::default(), today(), now()).unwrap();

    // A sender with no address to take is refused with its reason, and nothing is written.
    let paper = request::create(
        &mut v,
        &RequestInput {
            subject_id: None,
            requester: "Письмо без обратного адреса".into(),
            sender: String::new(),
            kind: RequestKind::RefuseMarketing,
            channel: Channel::Paper,
            received_on: "2026-11-24".into(),
            incoming_ref: String::new(),
            body: String::new(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap();
    let err = refusal::refuse_from_request(&mut v, paper, today(), now()).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(
        format!("{err:?}").contains("stop_list.no_address"),
        "{err:?}"
    );
}

#[test]
fn a_registered_subjects_request_records_her_refusal() {
    let t = TempVault::new();
    let mut v = t.create();
    let id = person(
        &mut v,
        "900115400109",
        "Құдайбергенова",
        "aigerim.k@example.kz",
        "8 701 555 12 34",
    );
    let r = request::create(
        &mut v,
        &RequestInput {
            subject_id: Some(id),
            requester: "Құдайбергенова Әйгерім".into(),
            sender: "aigerim.k@example.kz".into(),
            kind: RequestKind::RefuseMarketing,
            channel: Channel::Email,
            received_on: "2026-11-24".into(),
            incoming_ref: String::new(),
            body: String::new(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap();
    assert!(matches!(
        refusal::refuse_from_request(&mut v, r, today(), now()).unwrap(),
        FromRequest::Subject { .. }
    ));
    let refusals = suppression::refusals_of(v.conn(), id).unwrap();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].request_id, Some(r));
    assert!(derbes::registry::stop_list::has_request(v.conn(), r).unwrap());
    let listed = suppression::listed(v.conn(), today()).unwrap();
    assert_eq!(listed.len(), 1, "one line for her, not one per entry");
    assert_eq!(listed[0].whom, Whom::Subject(id));
    assert_eq!(listed[0].hashed, 0);
}

#[test]
fn two_vaults_have_different_keys() {
    let (a, b) = (TempVault::new(), TempVault::new());
    let (va, vb) = (a.create(), b.create());
    let key = |v: &Vault| -> Vec<u8> {
        v.conn()
            .query_row("SELECT key FROM stop_key", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(key(&va).len(), 32);
    assert_ne!(key(&va), key(&vb));
}

#[test]
fn a_restore_keeps_refusals_recorded_after_the_backup() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let id = person(
        &mut v,
        "900115400109",
        "Құдайбергенова",
        "aigerim.k@example.kz",
        "8 701 555 12 34",
    );
    let out = tempfile::tempdir().unwrap();
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    // After the backup: she refuses and is destroyed; a stranger refuses.
    suppression::refuse_marketing(&mut v, id, today(), "email", None, now()).unwrap();
    destroy(&mut v, id);
    let r = stranger_refusal(&mut v, "guest@example.kz");
    refusal::refuse_from_request(&mut v, r, today(), now()).unwrap();
    assert_eq!(clean(&mut v, LIST).0.removed, 2);

    let prepared = backup::prepare_restore(&v, &made.path, &pass(PASS), now()).unwrap();
    assert_eq!(prepared.carried.destroyed, 1);
    assert!(prepared.carried.stop_entries >= 3, "{:?}", prepared.carried);
    let mut v = backup::finish_restore(v, prepared, &pass(PASS), now()).unwrap();
    // Both are still cleaned from the list, though the backup knew neither refusal.
    let (r2, text) = clean(&mut v, LIST);
    assert_eq!(r2.removed, 2, "{text}");
    assert!(!vault_holds(&v, "aigerim.k@example.kz"));
}

#[test]
fn a_vault_of_schema_12_gets_its_refusals_on_the_stop_list() {
    let t = TempVault::new();
    {
        let mut v = t.create();
        let id = person(
            &mut v,
            "900115400109",
            "Құдайбергенова",
            "aigerim.k@example.kz",
            "8 701 555 12 34",
        );
        assert_eq!(id, 1);
        suppression::refuse_marketing(&mut v, id, today(), "email", None, now()).unwrap();
        // Back to what version 12 had: no stop-list of its own.
        v.conn()
            .execute_batch(
                "DROP TRIGGER request_tally_insert; DROP TRIGGER request_tally_update; DROP TRIGGER request_tally_delete; DROP TABLE request_open_tally; DROP INDEX request_open_due;
             DROP TRIGGER subject_tally_insert; DROP TRIGGER subject_tally_update; DROP TRIGGER subject_tally_delete;
             DROP TRIGGER holding_tally_insert; DROP TRIGGER holding_tally_update; DROP TRIGGER holding_tally_delete; DROP TABLE due_tally;
             DROP TRIGGER subject_rank_insert; DROP TRIGGER subject_rank_update; DROP TRIGGER subject_rank_delete; DROP TABLE rank_block;
             DROP TRIGGER consent_withdrawn_insert; DROP TRIGGER consent_withdrawn_update; DROP TRIGGER consent_withdrawn_delete;
             DROP INDEX subject_withdrawn; ALTER TABLE subject DROP COLUMN has_withdrawn;
             DROP TABLE subject_terms; DROP TABLE request_terms;
             DROP TRIGGER holding_due_insert; DROP TRIGGER holding_due_update; DROP TRIGGER holding_due_delete;
             DROP TRIGGER consent_due_insert; DROP TRIGGER consent_due_update; DROP TRIGGER consent_due_delete;
             DROP TRIGGER purpose_due_update; DROP TRIGGER purpose_retention_due_insert;
             DROP TRIGGER purpose_retention_due_update; DROP TRIGGER purpose_retention_due_delete;
             DROP TRIGGER subject_due_category; DROP INDEX holding_due; DROP INDEX subject_due;
             DROP INDEX subject_due_whole; DROP INDEX subject_basis_until; DROP INDEX consent_ends;
             ALTER TABLE holding DROP COLUMN due_from; ALTER TABLE subject DROP COLUMN due_first;
             ALTER TABLE subject DROP COLUMN due_last; ALTER TABLE subject DROP COLUMN basis_until;
             DROP TABLE letter_template; ALTER TABLE letter DROP COLUMN template_version;
             DROP TABLE consent_form; DROP TABLE mail_message; DROP TABLE mail_source;
             ALTER TABLE request DROP COLUMN message_id;
                 DROP TABLE purpose_retention; DROP INDEX subject_by_category; ALTER TABLE purpose DROP COLUMN check_note;
                 ALTER TABLE subject DROP COLUMN category_id; DROP TABLE subject_category;
                 ALTER TABLE request DROP COLUMN outgoing_ref;
                 DELETE FROM setting WHERE key LIKE 'majority.%';
                 ALTER TABLE consent DROP COLUMN rep_name; ALTER TABLE consent DROP COLUMN rep_relation; ALTER TABLE consent DROP COLUMN rep_document; ALTER TABLE consent DROP COLUMN rep_document_date; ALTER TABLE request DROP COLUMN rep_name; ALTER TABLE request DROP COLUMN rep_relation; ALTER TABLE request DROP COLUMN rep_document; ALTER TABLE request DROP COLUMN rep_document_date;
                 ALTER TABLE holding DROP COLUMN basis_ref;
                 DROP TABLE request_revision; DROP TABLE request_fts;
                 ALTER TABLE request DROP COLUMN cancelled_on;
                 ALTER TABLE request DROP COLUMN cancel_reason;
                 ALTER TABLE request DROP COLUMN cancel_note;
                 DROP INDEX journal_by_action; DROP TABLE stop_entry; DROP TABLE stop_key;
                 PRAGMA user_version = 12;",
            )
            .unwrap();
    }
    let mut v = t.open().expect("migrates");
    assert_eq!(
        migration::current_version(v.conn()).unwrap(),
        migration::SCHEMA_VERSION
    );
    let entries: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM stop_entry", [], |r| r.get(0))
        .unwrap();
    assert_eq!(entries, 2);
    let created: String = v
        .conn()
        .query_row(
            "SELECT detail FROM journal WHERE action = 'stop_list.created' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(created, "2 entries");
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    destroy(&mut v, 1);
    assert_eq!(clean(&mut v, LIST).0.removed, 1);
    assert!(v.check().is_ok(), "the journal's chain holds");
}
