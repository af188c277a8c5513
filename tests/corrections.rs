//! Requests corrected, cancelled, attached later and found (issue 18): nothing is deleted, the
//! due date follows a corrected date, a cancelled request leaves the open lists and the on-time
//! figures, a request from someone not yet registered joins their card later.

mod common;

use chrono::NaiveDate;
use common::*;
use derbes::registry::subject::{self, SubjectInput};
use derbes::requests::correction::{self, RequestEdit};
use derbes::requests::report::{self, Period};
use derbes::requests::request::{
    self, CancelReason, Channel, ListQuery, RequestInput, RequestStatus, View,
};
use derbes::requests::search::{self, Query};
use derbes::requests::workflow::{self, Step};
use derbes::{RequestKind, Vault, files::csv_table};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn typed(v: &mut Vault, requester: &str, received: &str, body: &str) -> i64 {
    request::create(
        v,
        &RequestInput {
            subject_id: None,
            requester: requester.into(),
            sender: "aigerim.n@mail.kz".into(),
            kind: RequestKind::Access,
            channel: Channel::Paper,
            received_on: received.into(),
            incoming_ref: "ВХ-318".into(),
            body: body.into(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap()
}

fn found(v: &Vault, text: &str) -> Vec<i64> {
    let q = Query {
        text: text.into(),
        ..Query::default()
    };
    search::search(v.conn(), &q, today())
        .unwrap()
        .rows
        .iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn a_wrong_received_date_is_corrected_the_due_date_follows_and_the_old_one_is_kept() {
    let t = TempVault::new();
    let mut v = t.create();
    // Typed as 20.11 instead of 02.11: the due date was counted from the wrong day.
    let id = typed(&mut v, "Нұрланова Айгерім", "2026-11-20", "Прошу сведения");
    let before = request::get(v.conn(), id, today()).unwrap();
    let changed = correction::edit(
        &mut v,
        id,
        &RequestEdit {
            received_on: Some("02.11.2026".into()),
            kind: Some(RequestKind::Update),
            ..RequestEdit::default()
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(changed, ["received_on", "kind", "due_on"]);
    let after = request::get(v.conn(), id, today()).unwrap();
    assert_eq!(after.received_on, d(2026, 11, 2));
    assert_eq!(after.kind, RequestKind::Update);
    // The legal term of the new kind, counted from the corrected day with the vault's calendar.
    let calendar = derbes::requests::workdays::load(v.conn(), today()).unwrap();
    let rule = derbes::requests::workdays::rules(v.conn())
        .unwrap()
        .remove(&RequestKind::Update)
        .unwrap();
    assert_eq!(
        after.due_on,
        derbes::base::deadline::due_date(&rule, d(2026, 11, 2), &calendar)
    );
    assert_ne!(after.due_on, before.due_on);
    // What it was stays readable, field by field; the journal names the fields, not the values.
    let detail = request::detail(v.conn(), id, today()).unwrap();
    let was: Vec<(&str, &str)> = detail
        .revisions
        .iter()
        .map(|r| (r.field.as_str(), r.before.as_str()))
        .collect();
    assert_eq!(
        was,
        [
            ("received_on", "2026-11-20"),
            ("kind", "access"),
            ("due_on", before.due_on.to_string().as_str())
        ]
    );
    let edited = detail
        .history
        .iter()
        .find(|h| h.entry.action == "request.edited")
        .expect("journaled");
    assert!(
        edited
            .entry
            .detail
            .starts_with("received_on, kind, due_on; due ")
    );
    assert!(!edited.entry.detail.contains("Нұрланова"));
    // The same values again change nothing and write nothing.
    let seq = derbes::vault::journal::verify(v.conn()).unwrap();
    let again = correction::edit(
        &mut v,
        id,
        &RequestEdit {
            received_on: Some("2026-11-02".into()),
            ..RequestEdit::default()
        },
        today(),
        now(),
    )
    .unwrap();
    assert!(again.is_empty());
    assert_eq!(derbes::vault::journal::verify(v.conn()).unwrap(), seq);
}

#[test]
fn a_correction_is_checked_as_an_intake_is_and_refused_whole() {
    let t = TempVault::new();
    let mut v = t.create();
    let id = typed(&mut v, "Нұрланова Айгерім", "2026-11-20", "");
    let bad = |edit: RequestEdit, v: &mut Vault| {
        correction::edit(v, id, &edit, today(), now()).unwrap_err()
    };
    let e = bad(
        RequestEdit {
            received_on: Some("2026-12-31".into()),
            requester: Some("Другое имя".into()),
            ..RequestEdit::default()
        },
        &mut v,
    );
    assert_eq!(e.code(), "invalid");
    let e = bad(
        RequestEdit {
            requester: Some("  ".into()),
            sender: Some("not an address".into()),
            ..RequestEdit::default()
        },
        &mut v,
    );
    let derbes::Error::Invalid(issues) = e else {
        panic!("{e}")
    };
    let fields: Vec<&str> = issues.iter().map(|i| i.field).collect();
    assert_eq!(fields, ["requester", "sender"]);
    // Nothing of either was written.
    let r = request::get(v.conn(), id, today()).unwrap();
    assert_eq!(
        (r.requester.as_str(), r.received_on),
        ("Нұрланова Айгерім", d(2026, 11, 20))
    );
    // An answered request cannot have been received after its answer.
    workflow::take(
        &mut v,
        id,
        &Step::Answer {
            date: "2026-11-24".into(),
        },
        today(),
        now(),
    )
    .unwrap();
    let e = bad(
        RequestEdit {
            received_on: Some("2026-11-25".into()),
            ..RequestEdit::default()
        },
        &mut v,
    );
    let derbes::Error::Invalid(issues) = e else {
        panic!("{e}")
    };
    assert_eq!(issues[0].code, "date.after_answer");
}

#[test]
fn a_cancelled_request_leaves_the_open_lists_and_the_figures_and_stays_in_the_register() {
    let t = TempVault::new();
    let mut v = t.create();
    // Long overdue: it would count against the on-time figure.
    let wrong = typed(&mut v, "Ошибочная запись", "2026-10-01", "");
    let kept = typed(&mut v, "Нұрланова Айгерім", "2026-10-02", "");
    workflow::take(
        &mut v,
        kept,
        &Step::Answer {
            date: "2026-10-05".into(),
        },
        today(),
        now(),
    )
    .unwrap();
    let overdue = || ListQuery {
        view: View::Overdue,
        limit: 100,
        ..ListQuery::default()
    };
    assert_eq!(
        request::list(v.conn(), &overdue(), today()).unwrap().total,
        1
    );
    let r = report::period(v.conn(), Period::parse("2026-10").unwrap(), today()).unwrap();
    assert_eq!(r.total.on_time_percent(), Some(50.0));

    workflow::take(
        &mut v,
        wrong,
        &Step::Cancel {
            reason: Some(CancelReason::Error),
            text: "дубль записи".into(),
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(
        request::list(v.conn(), &overdue(), today()).unwrap().total,
        0
    );
    let open = ListQuery {
        view: View::Open,
        limit: 100,
        ..ListQuery::default()
    };
    assert_eq!(request::list(v.conn(), &open, today()).unwrap().total, 0);
    let r = report::period(v.conn(), Period::parse("2026-10").unwrap(), today()).unwrap();
    assert_eq!(
        (r.total.received, r.total.cancelled, r.total.overdue),
        (2, 1, 0)
    );
    assert_eq!(r.total.on_time_percent(), Some(100.0));
    // In the register, marked, with its reason.
    let c = request::get(v.conn(), wrong, today()).unwrap();
    assert_eq!(c.status, RequestStatus::Cancelled);
    assert_eq!(
        (c.cancelled_on, c.cancel_reason, c.cancel_note.as_str()),
        (Some(today()), Some(CancelReason::Error), "дубль записи")
    );
    assert_eq!(c.standing, None);
    let all = ListQuery {
        view: View::All,
        limit: 100,
        ..ListQuery::default()
    };
    assert_eq!(request::list(v.conn(), &all, today()).unwrap().total, 2);
    // Nothing more happens to it: no step, no correction, no letter.
    for step in [
        Step::Start,
        Step::Close,
        Step::Answer {
            date: "2026-11-24".into(),
        },
    ] {
        let e = workflow::take(&mut v, wrong, &step, today(), now()).unwrap_err();
        assert_eq!(e.code(), "request.transition", "{step:?}");
    }
    let e = correction::edit(
        &mut v,
        wrong,
        &RequestEdit {
            body: Some("x".into()),
            ..RequestEdit::default()
        },
        today(),
        now(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "request.transition");
    // A finished request is not cancelled: its answer stands.
    let e =
        correction::cancel(&mut v, kept, CancelReason::Withdrawn, "", today(), now()).unwrap_err();
    assert_eq!(e.code(), "request.transition");
    // The register export still lists it.
    let mut csv = Vec::new();
    request::export(
        v.conn(),
        &mut csv,
        derbes::files::sheet::Format::Csv,
        derbes::base::language::Language::En,
    )
    .unwrap();
    let text = String::from_utf8_lossy(&csv);
    assert!(text.lines().count() >= 3, "{text}");
}

#[test]
fn a_request_from_someone_registered_later_joins_their_card() {
    let t = TempVault::new();
    let mut v = t.create();
    let id = typed(&mut v, "Нұрланова Айгерім Серікқызы", "2026-11-20", "");
    // Registered later, from the form the request pre-fills.
    let draft = correction::subject_draft(v.conn(), id).unwrap();
    assert_eq!(
        (
            draft.surname.as_str(),
            draft.given_name.as_str(),
            draft.patronymic.as_str()
        ),
        ("Нұрланова", "Айгерім", "Серікқызы")
    );
    assert_eq!(draft.emails, ["aigerim.n@mail.kz"]);
    // Without an IIN or a document the subject is refused, and the request stays unattached.
    let e = correction::create_subject(&mut v, id, &draft, today(), now()).unwrap_err();
    assert_eq!(e.code(), "invalid");
    assert_eq!(
        request::get(v.conn(), id, today()).unwrap().subject_id,
        None
    );
    let mut input = draft.clone();
    input.iin = "850808310738".into();
    let s = correction::create_subject(&mut v, id, &input, today(), now()).unwrap();
    let r = request::get(v.conn(), id, today()).unwrap();
    assert_eq!(r.subject_id, Some(s));
    assert_eq!(r.who, "Нұрланова Айгерім Серікқызы");
    let on_card = ListQuery {
        view: View::All,
        subject_id: Some(s),
        limit: 10,
        ..ListQuery::default()
    };
    assert_eq!(request::list(v.conn(), &on_card, today()).unwrap().total, 1);
    // Once attached, it is not attached again elsewhere.
    let other = subject::create(
        &mut v,
        &SubjectInput {
            iin: "900115400109".into(),
            surname: "Басқа".into(),
            given_name: "Адам".into(),
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    let e = correction::attach(&mut v, id, other, now()).unwrap_err();
    assert_eq!(e.code(), "request.already_attached");

    // A second request from someone registered in the meantime by hand: attached to the card.
    let later = typed(&mut v, "Басқа Адам", "2026-11-21", "");
    correction::attach(&mut v, later, other, now()).unwrap();
    assert_eq!(
        request::get(v.conn(), later, today()).unwrap().subject_id,
        Some(other)
    );
    // Not to a destroyed or unknown subject.
    let third = typed(&mut v, "Үшінші", "2026-11-21", "");
    let e = correction::attach(&mut v, third, 9999, now()).unwrap_err();
    assert_eq!(e.code(), "record.not_found");
}

#[test]
fn requests_are_found_by_name_iin_address_numbers_text_and_dates() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let s = subject::create(
        &mut v,
        &SubjectInput {
            iin: "850808310738".into(),
            surname: "Қасымов".into(),
            given_name: "Қайрат".into(),
            emails: vec!["kairat@mail.kz".into()],
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    let of_subject = request::create(
        &mut v,
        &RequestInput {
            subject_id: Some(s),
            requester: String::new(),
            sender: String::new(),
            kind: RequestKind::Access,
            channel: Channel::Paper,
            received_on: "2026-11-10".into(),
            incoming_ref: "ВХ-77/2026".into(),
            body: "Прошу выписку о моих данных".into(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap();
    let unregistered = typed(
        &mut v,
        "Нұрланова Айгерім",
        "2026-11-20",
        "Жою туралы өтініш",
    );
    assert_eq!(found(&v, "касымов"), [of_subject]);
    assert_eq!(found(&v, "Қасым қайр"), [of_subject]);
    assert_eq!(found(&v, "850808"), [of_subject]);
    assert_eq!(found(&v, "kairat@mail"), [of_subject]);
    assert_eq!(found(&v, "ВХ-77"), [of_subject]);
    assert_eq!(found(&v, "выписк"), [of_subject]);
    // Folded: ұ typed as у, ә as а.
    assert_eq!(found(&v, "нурланова"), [unregistered]);
    assert_eq!(found(&v, "aigerim.n"), [unregistered]);
    assert_eq!(found(&v, "ВХ-318"), [unregistered]);
    assert!(found(&v, "Петров").is_empty());
    // A word of the person and a word of the request together.
    assert_eq!(found(&v, "Қасымов выписку"), [of_subject]);
    assert!(found(&v, "Қасымов жою").is_empty());
    // The outgoing number once a letter is issued for it.
    let letter = derbes::documents::letters::issue(
        &mut v,
        &derbes::documents::letters::Source {
            kind: derbes::documents::letters::Kind::AccessExtract,
            lang: derbes::base::language::Language::Ru,
            request_id: Some(of_subject),
            subject_id: None,
            period: None,
            corrects: None,
            erasure: None,
            breach: None,
        },
        &derbes::documents::letters::Edits::default(),
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(found(&v, &letter.number), [of_subject]);
    // A range of received dates, with or without words; the latest first.
    let range = |from: &str, to: &str, text: &str| {
        let q = Query {
            text: text.into(),
            from: from.into(),
            to: to.into(),
            ..Query::default()
        };
        search::search(v.conn(), &q, today())
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(range("", "", ""), [unregistered, of_subject]);
    assert_eq!(range("15.11.2026", "", ""), [unregistered]);
    assert_eq!(range("2026-11-01", "2026-11-15", ""), [of_subject]);
    assert!(range("2026-11-01", "2026-11-15", "нурланова").is_empty());
    let bad = Query {
        from: "2026-11-20".into(),
        to: "2026-11-01".into(),
        ..Query::default()
    };
    assert_eq!(
        search::search(v.conn(), &bad, today()).unwrap_err().code(),
        "invalid"
    );
    // A correction is found by its new words, not its old ones.
    correction::edit(
        &mut v,
        unregistered,
        &RequestEdit {
            requester: Some("Нұрланова-Ахметова Айгерім".into()),
            body: Some("Деректерді түзету".into()),
            ..RequestEdit::default()
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(found(&v, "ахметова"), [unregistered]);
    assert!(found(&v, "жою").is_empty());
    // The person's data changes: their requests are found by what it is now.
    subject::update(
        &mut v,
        s,
        &SubjectInput {
            iin: "850808310738".into(),
            surname: "Қасымов-Бекұлы".into(),
            given_name: "Қайрат".into(),
            emails: vec!["k.bekuly@mail.kz".into()],
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(found(&v, "бекулы"), [of_subject]);
    assert_eq!(found(&v, "k.bekuly"), [of_subject]);
    assert!(found(&v, "kairat@mail").is_empty(), "the old address");
    // One letter typed narrows nothing yet: every request, as with nothing typed.
    assert_eq!(found(&v, "қ").len(), 2);
    // Text that would be FTS5 syntax is only text.
    assert!(found(&v, "\" OR * NEAR(").is_empty());
}

#[test]
fn a_vault_from_before_the_request_search_gets_its_rows_on_opening() {
    let t = TempVault::new();
    let mut v = t.create();
    let id = typed(&mut v, "Нұрланова Айгерім", "2026-11-20", "");
    // As a vault migrated from schema 14 is: no search rows, the mark left.
    v.conn()
        .execute_batch(
            "INSERT INTO request_fts (request_fts) VALUES ('delete-all');
             DELETE FROM request_terms;
             INSERT INTO setting (key, value) VALUES ('pending.request_search', 'all');",
        )
        .unwrap();
    assert!(found(&v, "нурланова").is_empty());
    drop(v);
    let v = t.open().unwrap();
    assert_eq!(found(&v, "нурланова"), [id]);
    let marks: i64 = v
        .conn()
        .query_row(
            "SELECT count(*) FROM setting WHERE key = 'pending.request_search'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(marks, 0);
}

#[test]
fn a_schema_14_vault_keeps_every_request_column_and_reference_through_the_rebuild() {
    use derbes::vault::{APPLICATION_ID, journal, migration};
    let t = TempVault::new();
    {
        let mut c = rusqlite::Connection::open(&t.path).unwrap();
        c.pragma_update(None, "key", PASS).unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        let actor = journal::Actor {
            os_user: "tester".into(),
            responsible: String::new(),
        };
        migration::migrate_to(&mut c, 14, &actor, now()).unwrap();
        c.execute_batch(
            "INSERT INTO request (id, kind, status, received_on, due_on, requester, channel, created_at,
                                  updated_at, sender, extension_reason, identity_method,
                                  identity_checked_on, sender_raw, message_key, intake_note, linked_to)
             VALUES (1, 'access', 'in_progress', '2026-11-02', '2026-11-10', 'Нұрланова', 'email',
                     '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z', 'a@mail.kz', NULL, 'egov',
                     '2026-11-03', '', 'k1', '', NULL),
                    (2, 'access', 'answered', '2026-11-04', '2026-11-12', 'Нұрланова', 'paper',
                     '2026-11-04T09:00:00Z', '2026-11-04T09:00:00Z', '', NULL, NULL, NULL,
                     'Раw <x>', 'k2', 'note', 1);
             INSERT INTO request_pause (request_id, reason, from_on, until_on)
                 VALUES (1, 'identity', '2026-11-03', NULL);",
        )
        .unwrap();
    }
    let v = t.open().expect("migrates");
    assert_eq!(
        migration::current_version(v.conn()).unwrap(),
        derbes::vault::SCHEMA_VERSION
    );
    let one = request::get(v.conn(), 1, today()).unwrap();
    assert_eq!(
        (
            one.sender.as_str(),
            one.identity_method.map(|m| m.name()),
            one.pauses.len()
        ),
        ("a@mail.kz", Some("egov"), 1)
    );
    let two = request::get(v.conn(), 2, today()).unwrap();
    assert_eq!(
        (two.linked_to, two.status),
        (Some(1), RequestStatus::Answered)
    );
    let (raw, key, note): (String, String, String) = v
        .conn()
        .query_row(
            "SELECT sender_raw, message_key, intake_note FROM request WHERE id = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (raw.as_str(), key.as_str(), note.as_str()),
        ("Раw <x>", "k2", "note")
    );
    // The indexes are there again, and the message key still unique.
    let indexes: i64 = v
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'request'
               AND name IN ('request_subject', 'request_open_subject', 'request_received',
                            'request_subject_kind', 'request_open_kind', 'request_message_key')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 6);
    assert!(
        v.conn()
            .execute("UPDATE request SET message_key = 'k1' WHERE id = 2", [])
            .is_err()
    );
    // Found by the search the migration left to the current build.
    assert_eq!(found(&v, "нурланова"), [2, 1]);
}

/// An operator's journal of requests from before Derbes: closed ones keep their outcome and dates,
/// open ones get their legal due date, a registered person's IIN attaches the request to them; each
/// row reported before anything is written.
#[test]
fn an_earlier_journal_of_requests_is_imported_all_or_nothing() {
    use derbes::requests::journal_import;
    let t = TempVault::new();
    let mut v = t.create();
    let s = subject::create(
        &mut v,
        &SubjectInput {
            iin: "850808310738".into(),
            surname: "Қасымов".into(),
            given_name: "Қайрат".into(),
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    let text = "Дата поступления;Заявитель;ИИН;Вид обращения;Способ;Вх. №;Статус;Дата ответа;Исх. №\n\
        05.06.2025;Нұрланова А.;;Сведения;e-mail;ВХ-12;исполнено;09.06.2025;ИСХ-2025/031\n\
        02.07.2025;;850808310738;уничтожение;лично;ВХ-15;отказано;08.07.2025;ИСХ-2025/040\n\
        20.11.2026;Омаров Е.;;Изменение;;ВХ-90;в работе;;\n\
        21.11.2026;Кто-то;;по дружбе;почта;;;;\n\
        22.11.2026;Ещё;;Сведения;почта;;исполнено;;\n";
    let table = csv_table::parse(text.as_bytes()).unwrap();
    let checked = journal_import::check(v.conn(), &table, today()).unwrap();
    let r = checked.report.clone();
    let issues: Vec<(u64, &str, &str)> =
        r.issues.iter().map(|i| (i.line, i.field, i.code)).collect();
    assert_eq!(
        issues,
        [
            (5, "kind", "request.kind_unknown"),
            (6, "answered_on", "required")
        ]
    );
    assert_eq!((r.open, r.closed, r.attached, r.invalid_rows), (1, 2, 1, 2));
    assert_eq!(r.notes.len(), 1, "the channel assumed on line 4");
    let e = journal_import::commit(&mut v, checked, false, today(), now()).unwrap_err();
    assert_eq!(e.code(), "import.invalid_rows");
    assert_eq!(count(&v, "request"), 0);
    let checked = journal_import::check(v.conn(), &table, today()).unwrap();
    let done = journal_import::commit(&mut v, checked, true, today(), now()).unwrap();
    assert_eq!(done.created, 3);
    // The answered one keeps its dates; its outgoing number finds it.
    let first = found(&v, "ИСХ-2025/031");
    assert_eq!(first.len(), 1);
    let a = request::get(v.conn(), first[0], today()).unwrap();
    assert_eq!(
        (a.status, a.received_on, a.answered_on),
        (RequestStatus::Answered, d(2025, 6, 5), Some(d(2025, 6, 9)))
    );
    assert_eq!(a.standing, None);
    // The refused one is on Kasymov's card.
    let on_card = ListQuery {
        view: View::All,
        subject_id: Some(s),
        limit: 10,
        ..ListQuery::default()
    };
    let rows = request::list(v.conn(), &on_card, today()).unwrap().rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, RequestStatus::Refused);
    // The open one has its legal due date and stands in the open list.
    let open = ListQuery {
        view: View::Open,
        limit: 10,
        ..ListQuery::default()
    };
    let rows = request::list(v.conn(), &open, today()).unwrap().rows;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].due_on > d(2026, 11, 20));
    let history = request::detail(v.conn(), rows[0].id, today())
        .unwrap()
        .history;
    assert_eq!(history[0].entry.action, "request.imported");
}
