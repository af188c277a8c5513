//! Blocking: a blocked subject's processing is suspended — out of exports, removed from mailing
//! lists, data frozen, only the letters about the blocking — until unblocked with a reason.

mod common;

use common::*;
use derbes::base::language::Language;
use derbes::documents::letters::{self, Edits, Kind, Source};
use derbes::registry::blocking::{self, Basis};
use derbes::registry::card;
use derbes::registry::subject::{self, SubjectInput};
use derbes::requests::request::{self, Channel, RequestInput};
use derbes::{RequestKind, files::csv_table, registry::suppression};

#[test]
fn a_blocked_subject_is_frozen_left_out_and_unblocked_with_a_reason() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let input = SubjectInput {
        iin: "900115400109".into(),
        surname: "Әбілқасымова".into(),
        given_name: "Әйгерім".into(),
        emails: vec!["aigerim@example.kz".into()],
        ..SubjectInput::default()
    };
    let id = subject::create(&mut v, &input, today(), now()).unwrap();
    let rid = request::create(
        &mut v,
        &RequestInput {
            subject_id: Some(id),
            requester: String::new(),
            sender: String::new(),
            kind: RequestKind::Block,
            channel: Channel::Paper,
            received_on: "2026-11-24".into(),
            incoming_ref: "ВХ-9".into(),
            body: String::new(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap();
    // A basis is required: a request or words.
    assert_eq!(
        blocking::block(&mut v, id, &Basis::default(), now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    blocking::block(
        &mut v,
        id,
        &Basis {
            request_id: Some(rid),
            text: "сообщение о нарушении условий обработки".into(),
        },
        now(),
    )
    .unwrap();
    let card = card::read_card(v.conn(), id, today()).unwrap();
    assert_eq!(card.status, subject::Status::Blocked);
    // Frozen: no edit, no second block.
    let err = subject::update(&mut v, id, &input, today(), now()).unwrap_err();
    assert_eq!(err.code(), "subject.not_editable");
    assert_eq!(
        blocking::block(
            &mut v,
            id,
            &Basis {
                request_id: None,
                text: "again".into()
            },
            now()
        )
        .unwrap_err()
        .code(),
        "subject.not_editable"
    );
    // Left out of the export, removed from a mailing list.
    let mut out = Vec::new();
    let n = derbes::registry::export::subjects_csv(v.conn(), &mut out, Language::Ru).unwrap();
    assert_eq!(n, 0);
    let list =
        csv_table::parse("email\naigerim@example.kz\nother@example.kz\n".as_bytes()).unwrap();
    let mut cleaned = Vec::new();
    let r = suppression::clean(v.conn(), &list, &mut cleaned, false, today()).unwrap();
    assert_eq!((r.kept, r.removed), (1, 1));
    // Letters: only about the blocking.
    let src = |kind| Source {
        kind,
        lang: Language::Kk,
        request_id: Some(rid),
        subject_id: None,
        period: None,
        corrects: None,
        erasure: None,
        breach: None,
    };
    let err = letters::issue(
        &mut v,
        &src(Kind::AccessExtract),
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "subject.blocked");
    letters::issue(
        &mut v,
        &src(Kind::ConfirmBlock),
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap();
    // Unblocked with a reason; editable again.
    assert_eq!(
        blocking::unblock(&mut v, id, &Basis::default(), now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    blocking::unblock(
        &mut v,
        id,
        &Basis {
            request_id: None,
            text: "нарушение не подтвердилось".into(),
        },
        now(),
    )
    .unwrap();
    assert_eq!(
        blocking::unblock(
            &mut v,
            id,
            &Basis {
                request_id: None,
                text: "x".into()
            },
            now()
        )
        .unwrap_err()
        .code(),
        "subject.not_blocked"
    );
    subject::update(&mut v, id, &input, today(), now()).unwrap();
    let history = blocking::history(&v, id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].request_id, Some(rid));
    assert_eq!(
        history[0].unblock_reason.as_deref(),
        Some("нарушение не подтвердилось")
    );
    // Journaled, with the request; the basis' words stay out of the journal.
    let entries: Vec<(String, Option<i64>, String)> = v
        .conn()
        .prepare("SELECT action, request_id, detail FROM journal WHERE record_id = ?1 AND action LIKE 'subject.%block%' ORDER BY seq")
        .unwrap()
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].0, "subject.blocked");
    assert_eq!(entries[0].1, Some(rid));
    assert!(entries.iter().all(|e| !e.2.contains("нарушени")));
    derbes::vault::journal::verify(v.conn()).unwrap();
}
