//! The wording the user edits (issue 19): saved in versions, filled with the draft's values,
//! recorded on the letter issued from it, and reset to the built-in text.

mod common;

use common::*;
use derbes::base::language::Language;
use derbes::documents::letters::{self, Edits, Kind, Source, template};
use derbes::requests::request::{self, Channel, RequestInput};
use derbes::{RequestKind, Vault};
use std::process::Command;

fn request_from(v: &mut Vault) -> i64 {
    request::create(
        v,
        &RequestInput {
            subject_id: None,
            requester: "Сидоров Сергей".into(),
            sender: "sidorov@example.kz".into(),
            kind: RequestKind::Other,
            channel: Channel::Email,
            received_on: "2026-11-20".into(),
            incoming_ref: "ВХ-5".into(),
            body: String::new(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap()
}

fn issue(v: &mut Vault, rid: i64) -> letters::Row {
    letters::issue(
        v,
        &Source {
            kind: Kind::Acknowledgement,
            lang: Language::Ru,
            request_id: Some(rid),
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

fn text_of(v: &Vault, id: i64) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.pdf");
    std::fs::write(&p, letters::pdf(v.conn(), id).unwrap()).unwrap();
    let out = Command::new("pdftotext").arg(&p).arg("-").output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn version_of(v: &Vault, id: i64) -> Option<i64> {
    v.conn()
        .query_row(
            "SELECT template_version FROM letter WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_saved_wording_is_filled_recorded_on_the_letter_and_reset() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let rid = request_from(&mut v);
    let built_in = template::current(v.conn(), Kind::Acknowledgement, Language::Ru).unwrap();
    assert_eq!(built_in.version, None);
    assert!(
        built_in.intro[0].contains("{request}"),
        "{:?}",
        built_in.intro
    );
    let first = issue(&mut v, rid);
    assert_eq!(version_of(&v, first.id), None, "the built-in wording");

    let intro = vec![
        "{name}, ваше обращение от {received} (вх. № {incoming}) получено {date}.".to_owned(),
        "{operator} ответит вам в срок, который устанавливает {clause}.".to_owned(),
    ];
    let n = template::save(
        &mut v,
        Kind::Acknowledgement,
        Language::Ru,
        "Ваше обращение получено",
        &intro,
        &["Спасибо, что написали нам.".to_owned()],
        now(),
    )
    .unwrap();
    assert_eq!(n, 1);
    // The same text again writes no new version.
    let again = template::save(
        &mut v,
        Kind::Acknowledgement,
        Language::Ru,
        "Ваше обращение получено",
        &intro,
        &["Спасибо, что написали нам.".to_owned()],
        now(),
    )
    .unwrap();
    assert_eq!(again, 1);
    let preview = template::preview(
        &template::current(v.conn(), Kind::Acknowledgement, Language::Ru).unwrap(),
    );
    assert!(
        preview.intro[0]
            .starts_with("Әбілқасымова Әйгерім Серікқызы, ваше обращение от 20.11.2026"),
        "{:?}",
        preview.intro
    );

    let second = issue(&mut v, rid);
    assert_eq!(version_of(&v, second.id), Some(1));
    let text = text_of(&v, second.id);
    assert!(text.contains("Ваше обращение получено"), "{text}");
    assert!(
        text.contains(
            "Сидоров Сергей, ваше обращение от 20.11.2026 (вх. № ВХ-5) получено 20.11.2026."
        ),
        "{text}"
    );
    assert!(text.contains("Спасибо, что написали нам."), "{text}");
    assert!(
        text.contains(
            "устанавливает Закон Республики Казахстан «О персональных данных и их защите»."
        ),
        "the clause: {text}"
    );
    assert!(
        text.contains("не позднее"),
        "the legal due date is still added: {text}"
    );

    assert_eq!(
        template::reset(&mut v, Kind::Acknowledgement, Language::Ru, now()).unwrap(),
        2
    );
    let history = template::history(v.conn(), Kind::Acknowledgement, Language::Ru).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| (h.version, h.reset))
            .collect::<Vec<_>>(),
        [(2, true), (1, false)]
    );
    let third = issue(&mut v, rid);
    assert_eq!(version_of(&v, third.id), None);
    assert!(text_of(&v, third.id).contains("О получении обращения"));
}

#[test]
fn a_wording_with_an_unknown_variable_or_for_an_act_is_refused() {
    let t = TempVault::new();
    let mut v = t.create();
    let code = |r: derbes::Result<i64>| match r.unwrap_err() {
        derbes::Error::Invalid(i) => i[0].code,
        e => panic!("{e}"),
    };
    let bad = template::save(
        &mut v,
        Kind::Answer,
        Language::Kk,
        "Жауап",
        &["Құрметті {атауы}!".to_owned()],
        &[],
        now(),
    );
    assert_eq!(code(bad), "template.unknown_variable");
    let act = template::save(
        &mut v,
        Kind::ActDestruction,
        Language::Ru,
        "Акт",
        &["Текст".to_owned()],
        &[],
        now(),
    );
    assert_eq!(code(act), "template.not_editable");
    assert!(
        template::history(v.conn(), Kind::Answer, Language::Kk)
            .unwrap()
            .is_empty()
    );
}
