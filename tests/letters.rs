//! Letters and acts: every template in every language read back with poppler, the register and its
//! numbering, immutability, the extract's privacy, the letterhead, printing through CUPS.

mod common;

use chrono::NaiveDate;
use common::*;
use derbes::base::language::Language;
use derbes::documents::letterhead::{self, Letterhead, Numbering};
use derbes::documents::letters::{self, Edits, Kind, Source};
use derbes::registry::consent::{self, ConsentInput};
use derbes::registry::holding::{self, HoldingInput};
use derbes::registry::subject::{self, SubjectInput};
use derbes::requests::request::{self, Channel, PauseReason, RequestInput};
use derbes::requests::workflow::{self, Step};
use derbes::{RequestKind, Vault};
use std::path::Path;
use std::process::Command;

fn head() -> Letterhead {
    Letterhead {
        operator: "ТОО «Қызғалдақ Сервис»".into(),
        bin: "180540012343".into(),
        address: "050000, г. Алматы, пр. Абая, 150".into(),
        phones: "+7 727 300 00 00".into(),
        email: "privacy@kyzgaldak.kz".into(),
        responsible: "Сәрсенбаева Ә. Қ.".into(),
        signer_name: "Жақсылықов Н. Ғ.".into(),
        signer_position: "Директор".into(),
        city: "г. Алматы".into(),
        authority: String::new(),
        numbering: Numbering::default(),
    }
}

/// A vault with the letterhead, one subject holding data under consent, and a request of each kind.
struct World {
    _t: TempVault,
    v: Vault,
    subject: i64,
    other: i64,
    requests: Vec<(RequestKind, i64)>,
    /// An access request from someone not in the registry.
    stranger: i64,
}

fn person(v: &mut Vault, iin: &str, surname: &str, given: &str, email: &str) -> i64 {
    let input = SubjectInput {
        iin: iin.into(),
        surname: surname.into(),
        given_name: given.into(),
        patronymic: "Серікқызы".into(),
        emails: vec![email.into()],
        phones: vec!["+7 701 555 12 34".into()],
        address: "г. Шымкент, ул. Әуезова, 7".into(),
        ..SubjectInput::default()
    };
    subject::create(v, &input, today(), now()).unwrap()
}

fn world() -> World {
    let t = TempVault::new();
    let mut v = t.create();
    letterhead::save(&mut v, &head(), now()).unwrap();
    // 900115400109: born 15.01.1990, a woman (7th digit 4).
    let subject = person(
        &mut v,
        "900115400109",
        "Әбілқасымова",
        "Әйгерім",
        "aigerim@example.kz",
    );
    let other = person(&mut v, "850808310738", "Федоров", "Пётр", "petr@example.kz");
    let cats = derbes::registry::catalog::categories(v.conn()).unwrap();
    let purposes = derbes::registry::catalog::purposes(v.conn()).unwrap();
    for c in cats.iter().take(3) {
        holding::add(
            &mut v,
            subject,
            &HoldingInput {
                category_id: c.id,
                purpose_id: purposes[0].id,
                basis: "consent".into(),
                basis_ref: String::new(),
                source: "веб-сайт".into(),
                since: "2025-03-01".into(),
                until: String::new(),
            },
            today(),
            now(),
        )
        .unwrap();
    }
    consent::record(
        &mut v,
        subject,
        &ConsentInput {
            purpose_id: purposes[0].id,
            granted_at: "2025-03-01".into(),
            form: "electronic".into(),
            third_parties: true,
            cross_border: true,
            countries: "Германия".into(),
            ..ConsentInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    let mut requests = Vec::new();
    for kind in RequestKind::ALL {
        let authority = kind == RequestKind::Authority;
        let input = RequestInput {
            subject_id: (!authority).then_some(subject),
            requester: if authority {
                "Министерство".into()
            } else {
                String::new()
            },
            sender: String::new(),
            kind,
            channel: if authority {
                Channel::Authority
            } else {
                Channel::Paper
            },
            received_on: "2026-11-20".into(),
            incoming_ref: "ВХ-17".into(),
            body: String::new(),
            linked_to: None,
            representative: Default::default(),
        };
        let id = request::create(&mut v, &input, today(), now()).unwrap();
        requests.push((kind, id));
    }
    // What the confirmations state, carried out from their requests (issue 15): a letter confirms
    // only what the vault shows was done.
    let rq = |k: RequestKind| requests.iter().find(|(kk, _)| *kk == k).unwrap().1;
    let corrected = SubjectInput {
        iin: "900115400109".into(),
        surname: "Әбілқасымова".into(),
        given_name: "Әйгерім".into(),
        patronymic: "Серікқызы".into(),
        emails: vec!["aigerim@example.kz".into()],
        phones: vec!["+7 701 555 12 34".into()],
        address: "г. Шымкент, ул. Әуезова, 9".into(),
        ..SubjectInput::default()
    };
    subject::update_serving(
        &mut v,
        subject,
        &corrected,
        Some(rq(RequestKind::Update)),
        today(),
        now(),
    )
    .unwrap();
    let second = consent::record(
        &mut v,
        subject,
        &ConsentInput {
            purpose_id: purposes[1].id,
            granted_at: "2025-03-01".into(),
            form: "electronic".into(),
            ..ConsentInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    consent::withdraw(
        &mut v,
        second,
        today(),
        "paper",
        Some(rq(RequestKind::WithdrawConsent)),
        now(),
    )
    .unwrap();
    derbes::registry::suppression::refuse_marketing(
        &mut v,
        subject,
        today(),
        "email",
        Some(rq(RequestKind::RefuseMarketing)),
        now(),
    )
    .unwrap();
    block_for(&mut v, subject, rq(RequestKind::Block));
    unblock_for(&mut v, subject, rq(RequestKind::Unblock));
    request::refuse(
        &mut v,
        rq(RequestKind::StopProcessing),
        "2026-11-24",
        "Обработка необходима для исполнения договора (пункт 7.3 Политики).",
        today(),
        now(),
    )
    .unwrap();
    let stranger = request::create(
        &mut v,
        &RequestInput {
            subject_id: None,
            requester: "Сидоров Сергей".into(),
            sender: "sidorov@example.kz".into(),
            kind: RequestKind::Access,
            channel: Channel::Email,
            received_on: "2026-11-20".into(),
            incoming_ref: String::new(),
            body: String::new(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap();
    World {
        _t: t,
        v,
        subject,
        other,
        requests,
        stranger,
    }
}

fn block_for(v: &mut Vault, subject: i64, request: i64) {
    let basis = derbes::registry::blocking::Basis {
        request_id: Some(request),
        text: "Сообщение о нарушении условий обработки".into(),
    };
    derbes::registry::blocking::block(v, subject, &basis, now()).unwrap();
}

fn unblock_for(v: &mut Vault, subject: i64, request: i64) {
    let basis = derbes::registry::blocking::Basis {
        request_id: Some(request),
        text: "Нарушение не подтвердилось".into(),
    };
    derbes::registry::blocking::unblock(v, subject, &basis, now()).unwrap();
}

/// The edit a plain answer needs: the administrator's own text in place of the placeholder.
fn extend(v: &mut Vault, id: i64) {
    workflow::take(
        v,
        id,
        &Step::Extend {
            date: "2026-12-15".into(),
            text: "Нужны сведения из архива филиала в Шымкенте.".into(),
        },
        today(),
        now(),
    )
    .unwrap();
}

fn pause(v: &mut Vault, id: i64, reason: PauseReason) {
    workflow::take(
        v,
        id,
        &Step::Pause {
            reason: Some(reason),
            date: "2026-11-24".into(),
        },
        today(),
        now(),
    )
    .unwrap();
}

fn answer_edits() -> Edits {
    Edits {
        intro: Some(vec![
            "Рассмотрев ваше обращение, сообщаем следующее.".into(),
            "Политика конфиденциальности размещена на сайте компании.".into(),
        ]),
        ..Edits::default()
    }
}

impl World {
    fn request(&self, kind: RequestKind) -> i64 {
        self.requests.iter().find(|(k, _)| *k == kind).unwrap().1
    }

    /// Issues the proposed wording, today.
    fn issue(&mut self, kind: Kind, lang: Language, request_id: Option<i64>) -> letters::Row {
        letters::issue(
            &mut self.v,
            &source(kind, lang, request_id),
            &Edits::default(),
            today(),
            now(),
        )
        .unwrap()
    }
}

/// Text with its white space folded, so that wrapped lines read as one.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

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

/// Registers an incident and issues its notice to the authorized body.
fn breach_notice(v: &mut Vault, lang: Language) -> letters::Row {
    let cats: Vec<i64> = derbes::registry::catalog::categories(v.conn())
        .unwrap()
        .iter()
        .take(2)
        .map(|c| c.id)
        .collect();
    let id = derbes::requests::breach::register(
        v,
        &derbes::requests::breach::BreachInput {
            found_on: "2026-11-24".into(),
            found_at: "09:15".into(),
            description: "Ноутбук бухгалтера с выгрузкой клиентов утерян в такси (Қарағанды)."
                .into(),
            category_ids: cats,
            subjects_affected: 412,
            measures: "Диск зашифрован; пароли сменены; обращение в полицию.".into(),
        },
        today(),
        now(),
    )
    .unwrap();
    let row = letters::issue(
        v,
        &Source {
            breach: Some(id),
            ..source(Kind::BreachNotice, lang, None)
        },
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap_or_else(|e| panic!("breach notice {lang:?}: {e}"));
    let b = derbes::requests::breach::get(v.conn(), id, today()).unwrap();
    assert_eq!(b.letter_id, Some(row.id));
    row
}

/// Destroys or anonymizes a new person and returns the act issued for it.
fn act(v: &mut Vault, kind: Kind, lang: Language) -> letters::Row {
    use derbes::erasure::{Action, Keep, Order};
    let n: u16 = v
        .conn()
        .query_row("SELECT count(*) FROM subject", [], |r| r.get(0))
        .unwrap();
    let iin = derbes::Iin::compose(
        chrono::NaiveDate::from_ymd_opt(1975, 5, 6).unwrap(),
        derbes::base::iin::Sex::Male,
        200 + n,
    )
    .unwrap();
    let id = person(v, &iin.to_string(), "Жұмабаев", "Ғалым", "galym@example.kz");
    let order = Order {
        action: if kind == Kind::ActDestruction {
            Action::Destroy
        } else {
            Action::Anonymize
        },
        subjects: vec![id],
        basis: derbes::registry::blocking::Basis {
            request_id: None,
            text: "Договор исполнен".into(),
        },
        keep: Keep {
            birth_year: true,
            ..Keep::default()
        },
        lang,
    };
    derbes::erasure::run(v, &order, today(), now())
        .unwrap_or_else(|e| panic!("{kind:?} {lang:?}: {e}"))
        .act
}

fn request_kind_for(kind: Kind) -> Option<RequestKind> {
    Some(match kind {
        Kind::AccessExtract => RequestKind::Access,
        Kind::ConfirmUpdate => RequestKind::Update,
        Kind::ConfirmBlock => RequestKind::Block,
        Kind::ConfirmUnblock => RequestKind::Unblock,
        Kind::ConfirmWithdrawal => RequestKind::WithdrawConsent,
        Kind::ConfirmMarketing => RequestKind::RefuseMarketing,
        Kind::ActDestruction | Kind::ActAnonymization => RequestKind::Destroy,
        Kind::Refusal => RequestKind::StopProcessing,
        Kind::NoData => RequestKind::Access,
        Kind::Answer => RequestKind::Other,
        Kind::AuthorityAnswer => RequestKind::Authority,
        Kind::PeriodReport | Kind::BreachNotice => return None,
        Kind::Acknowledgement => RequestKind::Other,
        Kind::ExtensionNotice => RequestKind::Update,
        Kind::ClarificationRequest => RequestKind::Access,
    })
}

fn tool(name: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("doc.pdf");
    std::fs::write(&p, pdf).unwrap();
    let mut full: Vec<&str> = args.to_vec();
    let path = p.to_str().unwrap().to_owned();
    full.push(&path);
    if name == "pdftotext" {
        full.push("-");
    }
    let out = Command::new(name)
        .args(&full)
        .stderr(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils, installed by scripts/setup.sh): {e}"));
    assert!(out.status.success(), "{name} failed on the PDF");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Keeps a copy for looking at (DERBES_PDF_OUT=dir).
fn keep(name: &str, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("DERBES_PDF_OUT") {
        std::fs::write(Path::new(&dir).join(name), pdf).unwrap();
    }
}

/// Words each document must show, by language: the heading's key word and the operator.
fn expected(kind: Kind, lang: Language) -> Vec<&'static str> {
    use Kind as K;
    use Language::*;
    let mut v = vec!["Қызғалдақ Сервис", "Жақсылықов Н. Ғ."];
    v.push(match (lang, kind) {
        (Ru, K::BreachNotice) => "О нарушении безопасности персональных данных",
        (Kk, K::BreachNotice) => "Дербес деректер қауіпсіздігінің бұзылуы туралы",
        (En, K::BreachNotice) => "Notice of a personal data security breach",
        (Ru, K::AccessExtract) => "О предоставлении сведений о персональных данных",
        (Kk, K::AccessExtract) => "Дербес деректер туралы мәліметтер беру туралы",
        (En, K::AccessExtract) => "Information about your personal data",
        (Ru, K::ActDestruction) => "об уничтожении персональных данных",
        (Kk, K::ActDestruction) => "дербес деректерді жою туралы",
        (En, K::ActDestruction) => "on the destruction of personal data",
        (Ru, K::ActAnonymization) => "об обезличивании персональных данных",
        (Kk, K::ActAnonymization) => "дербес деректерді иесіздендіру туралы",
        (En, K::ActAnonymization) => "on the anonymization of personal data",
        (Ru, K::Refusal) => "Об отказе в удовлетворении обращения",
        (Kk, K::Refusal) => "Өтінішті қанағаттандырудан бас тарту туралы",
        (En, K::Refusal) => "Refusal to satisfy your request",
        (Ru, K::NoData) => "не обрабатывает ваших персональных данных",
        (Kk, K::NoData) => "дербес деректеріңізді өңдемейтінін",
        (En, K::NoData) => "does not process personal data about you",
        (Ru, K::Answer) => "Политика конфиденциальности размещена на сайте",
        (Kk, K::Answer) => "Политика конфиденциальности размещена на сайте",
        (En, K::Answer) => "Политика конфиденциальности размещена на сайте",
        (Ru, K::ConfirmMarketing) => "Об отказе от рекламных рассылок",
        (Kk, K::ConfirmMarketing) => "Жарнамалық таратудан бас тарту туралы",
        (En, K::ConfirmMarketing) => "Refusal of marketing messages",
        (Ru, K::AuthorityAnswer) => "О представлении сведений",
        (Kk, K::AuthorityAnswer) => "Мәліметтер ұсыну туралы",
        (En, K::AuthorityAnswer) => "Provision of information",
        (Ru, K::Acknowledgement) => "О получении обращения",
        (Kk, K::Acknowledgement) => "Өтініштің алынғаны туралы",
        (En, K::Acknowledgement) => "Your request has been received",
        (Ru, K::ExtensionNotice) => "О продлении срока рассмотрения обращения",
        (Kk, K::ExtensionNotice) => "Өтінішті қарау мерзімін ұзарту туралы",
        (En, K::ExtensionNotice) => "Extension of the time to answer your request",
        (Ru, K::ClarificationRequest) => "О предоставлении сведений для рассмотрения обращения",
        (Kk, K::ClarificationRequest) => "Өтінішті қарау үшін мәліметтер ұсыну туралы",
        (En, K::ClarificationRequest) => "Information needed to consider your request",
        (Ru, K::PeriodReport) => "Отчёт об обращениях субъектов персональных данных",
        (Kk, K::PeriodReport) => "Дербес деректер субъектілерінің өтініштері туралы есеп",
        (En, K::PeriodReport) => "Report on requests of data subjects",
        (Ru, _) => "персональных данных",
        (Kk, _) => "дербес деректер",
        (En, _) => "personal data",
    });
    v.push(match lang {
        Ru => "Страница 1 из",
        Kk => "беттің 1-беті",
        En => "Page 1 of",
    });
    v
}

#[test]
fn every_document_in_every_language_reads_back_with_poppler() {
    let mut w = world();
    for kind in Kind::ALL {
        for lang in [Language::Ru, Language::Kk, Language::En] {
            let rid = if *kind == Kind::NoData {
                Some(w.stranger)
            } else {
                request_kind_for(*kind).map(|k| w.request(k))
            };
            let row = if kind.is_act() {
                // An act comes from carrying the action out, on a person of its own.
                act(&mut w.v, *kind, lang)
            } else if *kind == Kind::BreachNotice {
                breach_notice(&mut w.v, lang)
            } else {
                // An extension and a wait are what their letters state: recorded first.
                if *kind == Kind::ExtensionNotice && lang == Language::Ru {
                    extend(&mut w.v, rid.unwrap());
                }
                if *kind == Kind::ClarificationRequest && lang == Language::Ru {
                    pause(&mut w.v, rid.unwrap(), PauseReason::Identity);
                }
                // A blocking is confirmed while it holds; the person is unblocked again after.
                if *kind == Kind::ConfirmBlock {
                    let (s, b) = (w.subject, w.request(RequestKind::Block));
                    block_for(&mut w.v, s, b);
                }
                let edits = if *kind == Kind::Answer {
                    answer_edits()
                } else {
                    Edits::default()
                };
                let row =
                    letters::issue(&mut w.v, &source(*kind, lang, rid), &edits, today(), now())
                        .unwrap_or_else(|e| panic!("{kind:?} {lang:?}: {e}"));
                if *kind == Kind::ConfirmBlock {
                    let (s, u) = (w.subject, w.request(RequestKind::Unblock));
                    unblock_for(&mut w.v, s, u);
                }
                row
            };
            let pdf = letters::pdf(w.v.conn(), row.id).unwrap();
            keep(&format!("{}-{}.pdf", kind.name(), lang.code()), &pdf);
            assert!(pdf.starts_with(b"%PDF-"));
            // pdftotext without -layout keeps words whole across columns.
            let text = tool("pdftotext", &[], &pdf);
            let flat = flat(&text);
            for needle in expected(*kind, lang) {
                assert!(
                    flat.contains(needle),
                    "{kind:?} {lang:?}: «{needle}» in:\n{text}"
                );
            }
            assert!(
                flat.contains(&row.number),
                "{kind:?}: the number {} in the text",
                row.number
            );
            // Every Kazakh letter the operator's name and signer use comes back as typed.
            for letter in ["Қ", "ғ", "ә", "Ә", "ы"] {
                assert!(text.contains(letter), "{kind:?} {lang:?}: {letter}");
            }
            let fonts = tool("pdffonts", &[], &pdf);
            let lines: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(!lines.is_empty(), "fonts listed: {fonts}");
            for l in &lines {
                assert!(l.contains("NotoSans"), "{l}");
                // name+subset tag, "emb yes", "sub yes", "uni yes"
                assert!(
                    l.split_whitespace().filter(|x| *x == "yes").count() >= 3,
                    "embedded, subset, unicode: {l}"
                );
            }
            let info = tool("pdfinfo", &[], &pdf);
            assert!(
                info.contains(&format!("Title:           {}", row.number)),
                "{info}"
            );
            assert!(
                info.contains("Author:          ТОО «Қызғалдақ Сервис»"),
                "{info}"
            );
            assert!(
                info.contains("Page size:       595.276 x 841.89 pts (A4)")
                    || info.contains("(A4)"),
                "A4: {info}"
            );
            assert!(info.contains("2026"), "dated: {info}");
            // No personal data in the metadata.
            for private in ["Әбілқасымова", "Әйгерім", "900115400109", "aigerim@"]
            {
                assert!(
                    !info.contains(private),
                    "{kind:?}: {private} in metadata:\n{info}"
                );
            }
            assert_eq!(
                row.pages,
                info.lines()
                    .find_map(|l| l.strip_prefix("Pages:"))
                    .and_then(|p| p.trim().parse::<i64>().ok())
                    .unwrap(),
                "page count recorded"
            );
        }
    }
    let page = letters::list(w.v.conn(), &letters::Query::default()).unwrap();
    assert_eq!(page.total as usize, Kind::ALL.len() * 3);
}

#[test]
fn the_extract_holds_the_persons_data_and_nobody_elses() {
    let mut w = world();
    let rid = w.request(RequestKind::Access);
    let row = w.issue(Kind::AccessExtract, Language::Ru, Some(rid));
    let pdf = letters::pdf(w.v.conn(), row.id).unwrap();
    let text = tool("pdftotext", &[], &pdf);
    let flat = flat(&text);
    for needle in [
        "Уважаемая Әйгерім Серікқызы!",
        "Әбілқасымова Әйгерім Серікқызы",
        "900115400109",
        "15.01.1990",
        "aigerim@example.kz",
        "согласие субъекта",
        "веб-сайт",
        "01.03.2025",
        "до достижения цели",
        "трансграничная передача: Германия",
        "третьим лицам по согласию",
        "На № ВХ-17 от 20.11.2026",
        "пункт 4.1 Политики",
    ] {
        assert!(flat.contains(needle), "«{needle}» in:\n{text}");
    }
    for other in ["Федоров", "Пётр", "850808310738", "petr@example.kz"] {
        assert!(
            !text.contains(other),
            "another person's {other} in the extract"
        );
    }
    assert_eq!(row.subject_id, Some(w.subject));
    let _ = w.other;
}

#[test]
fn numbers_follow_the_scheme_and_restart_each_year() {
    let mut w = world();
    let rid = w.request(RequestKind::RefuseMarketing);
    let src = source(Kind::ConfirmMarketing, Language::Kk, Some(rid));
    let a = letters::issue(&mut w.v, &src, &Edits::default(), today(), now()).unwrap();
    let b = letters::issue(&mut w.v, &src, &Edits::default(), today(), now()).unwrap();
    assert_eq!(a.number, "ИСХ-2026/001");
    assert_eq!(b.number, "ИСХ-2026/002");
    let next_year = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let c = letters::issue(&mut w.v, &src, &Edits::default(), next_year, now()).unwrap();
    assert_eq!(c.number, "ИСХ-2027/001");
    // Another scheme: no year, a prefix of its own.
    let mut h = head();
    h.numbering = Numbering {
        prefix: "ПД".into(),
        with_year: false,
        digits: 4,
    };
    letterhead::save(&mut w.v, &h, now()).unwrap();
    let d = letters::issue(&mut w.v, &src, &Edits::default(), next_year, now()).unwrap();
    assert_eq!(d.number, "ПД-0002");
    // The register filters by year, kind and text (folded: "исх" finds "ИСХ").
    let q = |year, text: &str| letters::Query {
        year,
        text: text.into(),
        ..Default::default()
    };
    assert_eq!(
        letters::list(w.v.conn(), &q(Some(2026), "")).unwrap().total,
        2
    );
    assert_eq!(
        letters::list(w.v.conn(), &q(None, "исх-2027"))
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        letters::by_number(w.v.conn(), "ПД-0002")
            .unwrap()
            .map(|r| r.id),
        Some(d.id)
    );
    // Each issue is journaled with the request.
    let n: i64 =
        w.v.conn()
            .query_row(
                "SELECT count(*) FROM journal WHERE action = 'letter.issued' AND request_id = ?1",
                [rid],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(n, 4);
    derbes::vault::journal::verify(w.v.conn()).unwrap();
}

#[test]
fn an_issued_document_never_changes_and_a_correction_is_a_new_one() {
    let mut w = world();
    let rid = w.request(RequestKind::Update);
    let src = source(Kind::ConfirmUpdate, Language::En, Some(rid));
    let first = letters::issue(&mut w.v, &src, &Edits::default(), today(), now()).unwrap();
    let bytes = letters::pdf(w.v.conn(), first.id).unwrap();
    for sql in [
        "UPDATE letter SET addressee = 'x'",
        "UPDATE letter SET pdf = x'00'",
        "DELETE FROM letter",
    ] {
        let err = w.v.conn().execute(sql, []).unwrap_err().to_string();
        assert!(
            err.contains("immutable") || err.contains("kept"),
            "{sql}: {err}"
        );
    }
    // Re-opening the vault gives the same bytes.
    let World { _t: t, v, .. } = w;
    v.lock();
    let mut v = t.open().unwrap();
    assert_eq!(letters::pdf(v.conn(), first.id).unwrap(), bytes);
    let fix = Source {
        corrects: Some(first.id),
        ..src
    };
    let second = letters::issue(&mut v, &fix, &Edits::default(), today(), now()).unwrap();
    assert_ne!(second.number, first.number);
    assert_eq!(second.corrects, Some(first.id));
    let text = tool(
        "pdftotext",
        &[],
        &letters::pdf(v.conn(), second.id).unwrap(),
    );
    assert!(
        text.contains(&format!("Replaces document No. {}", first.number)),
        "{text}"
    );
}

#[test]
fn edits_are_printed_as_text_and_bounded() {
    let mut w = world();
    let rid = w.request(RequestKind::Block);
    let s = w.subject;
    block_for(&mut w.v, s, rid);
    let src = source(Kind::ConfirmBlock, Language::Ru, Some(rid));
    let edits = Edits {
        title: Some("О блокировании <script>alert(1)</script>".into()),
        // A long name wraps in the addressee column instead of running off the page.
        addressee: Some(vec![
            "Әбілқасымова-Жақсылықова Әйгерім-Гүлнұр Серікқызы Нұрсұлтанқызы Қуанышбекова".into(),
            "г. Шымкент, микрорайон Нурсат, улица Әуезова, дом 7, квартира 145, подъезд 3".into(),
        ]),
        intro: Some(vec![
            "Первый абзац.".into(),
            "  ".into(),
            "Второй абзац с «кавычками» & <b>тегами</b>.".into(),
        ]),
        ..Edits::default()
    };
    let row = letters::issue(&mut w.v, &src, &edits, today(), now()).unwrap();
    keep(
        "edits-long-name-ru.pdf",
        &letters::pdf(w.v.conn(), row.id).unwrap(),
    );
    let text = tool("pdftotext", &[], &letters::pdf(w.v.conn(), row.id).unwrap());
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    let flat_text = flat(&text);
    assert!(
        flat_text.contains(
            "Әбілқасымова-Жақсылықова Әйгерім-Гүлнұр Серікқызы Нұрсұлтанқызы Қуанышбекова"
        ),
        "the whole long name: {text}"
    );
    assert!(flat_text.contains("квартира 145, подъезд 3"), "{text}");
    assert!(
        text.contains("Второй абзац с «кавычками» & <b>тегами</b>."),
        "{text}"
    );
    let long = Edits {
        intro: Some(vec!["я".repeat(6000)]),
        ..Edits::default()
    };
    let err = letters::issue(&mut w.v, &src, &long, today(), now()).unwrap_err();
    assert_eq!(err.code(), "invalid");
    let empty = Edits {
        title: Some("  ".into()),
        ..Edits::default()
    };
    assert_eq!(
        letters::issue(&mut w.v, &src, &empty, today(), now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    // Nothing was stored by the refused attempts.
    assert_eq!(
        letters::list(w.v.conn(), &letters::Query::default())
            .unwrap()
            .total,
        1
    );
}

#[test]
fn a_long_extract_breaks_across_pages_with_its_header_repeated() {
    let mut w = world();
    // 50 rows: every category for many purposes.
    let cats = derbes::registry::catalog::categories(w.v.conn()).unwrap();
    let mut purposes = derbes::registry::catalog::purposes(w.v.conn()).unwrap();
    while purposes.len() * cats.len() < 50 {
        let n = purposes.len();
        derbes::registry::catalog::add_purpose(&mut w.v, &derbes::registry::catalog::ItemInput {
            code: format!("p{n}"),
            name_ru: format!("Очень длинное наименование цели обработки персональных данных номер {n} для проверки переноса строк"),
            name_kk: format!("Мақсат {n}"),
            name_en: format!("Purpose {n}"),
            ..Default::default()
        }, now()).unwrap();
        purposes = derbes::registry::catalog::purposes(w.v.conn()).unwrap();
    }
    let mut added = 0;
    'outer: for p in &purposes {
        for c in &cats {
            holding::add(
                &mut w.v,
                w.subject,
                &HoldingInput {
                    category_id: c.id,
                    purpose_id: p.id,
                    basis: "contract".into(),
                    basis_ref: String::new(),
                    source: "договор оказания услуг № 2025/ДУ-000123 от 01.03.2025, приложение 2"
                        .into(),
                    since: "2025-03-01".into(),
                    until: "2030-03-01".into(),
                },
                today(),
                now(),
            )
            .unwrap();
            added += 1;
            if added >= 50 {
                break 'outer;
            }
        }
    }
    let rid = w.request(RequestKind::Access);
    let row = w.issue(Kind::AccessExtract, Language::Ru, Some(rid));
    assert!(row.pages >= 3, "50 long rows take pages: {}", row.pages);
    let pdf = letters::pdf(w.v.conn(), row.id).unwrap();
    keep("extract-50-rows-ru.pdf", &pdf);
    for page in 2..=row.pages {
        let p = page.to_string();
        let text = tool("pdftotext", &["-f", &p, "-l", &p], &pdf);
        let text = flat(&text);
        assert!(
            text.contains(&format!("Страница {page} из {}", row.pages)),
            "page {page}: {text}"
        );
        if page < row.pages {
            assert!(
                text.contains("Категория данных"),
                "header repeated on page {page}: {text}"
            );
        }
    }
}

#[test]
fn documents_need_a_letterhead_and_what_they_are_about() {
    let t = TempVault::new();
    let mut v = t.create();
    let rid = request::create(
        &mut v,
        &RequestInput {
            subject_id: None,
            requester: "Иванов И.".into(),
            sender: String::new(),
            kind: RequestKind::Other,
            channel: Channel::Paper,
            received_on: "2026-11-20".into(),
            incoming_ref: String::new(),
            body: String::new(),
            linked_to: None,
            representative: Default::default(),
        },
        today(),
        now(),
    )
    .unwrap();
    let src = source(Kind::Refusal, Language::Ru, Some(rid));
    let err = letters::issue(&mut v, &src, &Edits::default(), today(), now()).unwrap_err();
    let derbes::Error::Invalid(issues) = &err else {
        panic!("{err}")
    };
    assert!(
        issues.iter().all(|i| i.code == "letterhead.incomplete"),
        "{issues:?}"
    );
    letterhead::save(&mut v, &head(), now()).unwrap();
    // An extract needs a registered subject.
    let err = letters::issue(
        &mut v,
        &source(Kind::AccessExtract, Language::Ru, Some(rid)),
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    // A refusal letter only once the request is refused, with its reason (issue 15).
    let err = letters::issue(&mut v, &src, &Edits::default(), today(), now()).unwrap_err();
    assert_eq!(err.code(), "letter.request_not_refused");
    request::refuse(
        &mut v,
        rid,
        "2026-11-24",
        "Запрашиваемые сведения составляют коммерческую тайну.",
        today(),
        now(),
    )
    .unwrap();
    // A refusal to someone not in the registry is addressed to the requester.
    let row = letters::issue(&mut v, &src, &Edits::default(), today(), now()).unwrap();
    assert_eq!(row.addressee, "Иванов И.");
    let mut bad = head();
    bad.bin = "850808310738".into();
    let err = letterhead::save(&mut v, &bad, now()).unwrap_err();
    let derbes::Error::Invalid(issues) = &err else {
        panic!("{err}")
    };
    assert_eq!(issues[0].code, "bin.invalid");
    assert_eq!(
        letterhead::load(v.conn()).unwrap().bin,
        "180540012343",
        "nothing saved"
    );
}

/// A 240×80 RGB PNG.
const PNG: &[u8] = include_bytes!("fixtures/logo.png");

#[test]
fn the_logo_is_printed_and_bad_images_are_refused() {
    let mut w = world();
    letterhead::set_logo(&mut w.v, Some(PNG), now()).unwrap();
    let rid = w.request(RequestKind::Unblock);
    let row = w.issue(Kind::ConfirmUnblock, Language::Kk, Some(rid));
    let pdf = letters::pdf(w.v.conn(), row.id).unwrap();
    keep("logo-kk.pdf", &pdf);
    let images = tool("pdfimages", &["-list"], &pdf);
    assert_eq!(images.lines().skip(2).count(), 1, "one image: {images}");
    for bad in [&b"GIF89a...."[..], b"\x89PNG\r\n\x1a\nbroken", &[]] {
        let err = letterhead::set_logo(&mut w.v, Some(bad), now()).unwrap_err();
        assert_eq!(err.code(), "invalid");
    }
    assert!(
        letterhead::logo(w.v.conn()).unwrap().is_some(),
        "the good logo stays"
    );
    letterhead::set_logo(&mut w.v, None, now()).unwrap();
    assert!(letterhead::logo(w.v.conn()).unwrap().is_none());
}

#[test]
fn without_cups_there_is_no_printer_and_a_clear_error() {
    let err = derbes::files::print::printers_at(Some("/nonexistent/derbes-cups.sock")).unwrap_err();
    assert_eq!(err.code(), "print.no_printer");
    let err = derbes::files::print::print_at(
        Some("/nonexistent/derbes-cups.sock"),
        "Office",
        "ИСХ-1",
        b"%PDF-1.7",
    )
    .unwrap_err();
    assert_eq!(err.code(), "print.no_printer");
}

/// Prints through a real CUPS queue: `scripts/test.sh` starts cupsd with a cups-pdf queue and
/// names it in `DERBES_TEST_PRINTER`; the printed file must appear in `DERBES_TEST_PRINT_DIR`.
#[test]
#[ignore = "needs a CUPS queue: scripts/test.sh starts one and runs this"]
fn a_letter_prints_through_a_real_cups_queue() {
    let queue = std::env::var("DERBES_TEST_PRINTER").expect("DERBES_TEST_PRINTER names the queue");
    let out_dir = std::env::var("DERBES_TEST_PRINT_DIR").expect("DERBES_TEST_PRINT_DIR");
    let mut w = world();
    let rid = w.request(RequestKind::Access);
    let row = w.issue(Kind::AccessExtract, Language::Kk, Some(rid));
    let printers = derbes::files::print::printers().unwrap();
    assert!(printers.iter().any(|p| p.name == queue), "{printers:?}");
    // cups-pdf names the file after the job's title, so an earlier run's file is overwritten:
    // the printed file is the PDF written after the job was sent.
    let sent = std::time::SystemTime::now() - std::time::Duration::from_secs(1);
    let pdf = letters::pdf(w.v.conn(), row.id).unwrap();
    let job = derbes::files::print::print(&queue, &row.number, &pdf).unwrap();
    assert!(job.starts_with(&queue), "job id {job}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let printed = loop {
        let fresh = std::fs::read_dir(&out_dir).ok().and_then(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
                .find(|e| {
                    e.metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|m| m >= sent)
                })
                .map(|e| e.path())
        });
        if let Some(p) = fresh {
            // Let cups-pdf finish writing it.
            std::thread::sleep(std::time::Duration::from_millis(800));
            break p;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no printed file in {out_dir}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    // cups-pdf re-distils the job through Ghostscript (Type 3 fonts, so its text no longer
    // extracts): compare what is on the page instead.
    let printed_pdf = std::fs::read(&printed).unwrap();
    let info = tool("pdfinfo", &[], &printed_pdf);
    assert!(
        info.contains(&format!("Pages:           {}", row.pages)),
        "{info}"
    );
    assert!(info.contains("(A4)"), "{info}");
    let (w1, h1, a) = gray(&pdf);
    let (w2, h2, b) = gray(&printed_pdf);
    assert_eq!((w1, h1), (w2, h2), "same page size");
    let differ = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x.abs_diff(**y) > 96)
        .count();
    let ink = a.iter().filter(|x| **x < 160).count();
    assert!(ink > 2000, "the letter has text on its first page");
    assert!(
        differ * 100 < a.len() * 3,
        "{differ} of {} pixels differ",
        a.len()
    );
    // The file's name comes from the job title: the number, not a person's name.
    let name = printed.file_name().unwrap().to_string_lossy().into_owned();
    assert!(!name.contains("Әбілқасымова"), "{name}");
    // A queue that does not exist is refused before anything is sent.
    assert_eq!(
        derbes::files::print::print("No-Such-Queue", &row.number, &pdf)
            .unwrap_err()
            .code(),
        "print.no_printer"
    );
}

/// Page 1 at 40 dpi in grey: (width, height, pixels).
fn gray(pdf: &[u8]) -> (usize, usize, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf).unwrap();
    let out = dir.path().join("page");
    let ok = Command::new("pdftoppm")
        .args(["-gray", "-r", "40", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&input)
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "pdftoppm");
    let data = std::fs::read(dir.path().join("page.pgm")).unwrap();
    // "P5\n<w> <h>\n255\n", then the pixels.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = data[i + 1..].to_vec();
    assert_eq!(pixels.len(), w * h);
    (w, h, pixels)
}

#[test]
fn a_confirmation_states_only_what_the_vault_shows_was_done() {
    let t = TempVault::new();
    let mut v = t.create();
    letterhead::save(&mut v, &head(), now()).unwrap();
    let id = person(
        &mut v,
        "900115400109",
        "Әбілқасымова",
        "Әйгерім",
        "aigerim@example.kz",
    );
    let purposes = derbes::registry::catalog::purposes(v.conn()).unwrap();
    consent::record(
        &mut v,
        id,
        &ConsentInput {
            purpose_id: purposes[0].id,
            granted_at: "2025-03-01".into(),
            form: "electronic".into(),
            ..ConsentInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    let new_request = |v: &mut Vault, kind, subject: Option<i64>, sender: &str| {
        request::create(
            v,
            &RequestInput {
                subject_id: subject,
                requester: "Заявитель".into(),
                sender: sender.into(),
                kind,
                channel: Channel::Email,
                received_on: "2026-11-20".into(),
                incoming_ref: String::new(),
                body: String::new(),
                linked_to: None,
                representative: Default::default(),
            },
            today(),
            now(),
        )
        .unwrap()
    };
    let try_issue = |v: &mut Vault, kind, rid| {
        letters::issue(
            v,
            &source(kind, Language::Ru, Some(rid)),
            &Edits::default(),
            today(),
            now(),
        )
        .map(|_| ())
        .map_err(|e| e.code())
    };
    // Withdrawal with the consent still active: refused; the offer says why.
    let w = new_request(&mut v, RequestKind::WithdrawConsent, Some(id), "");
    assert_eq!(
        try_issue(&mut v, Kind::ConfirmWithdrawal, w),
        Err("letter.no_withdrawal_recorded")
    );
    let mut offer = letters::applicable_for(v.conn(), w, today()).unwrap();
    // The letters on the way are another test's.
    offer.retain(|(k, _)| !k.is_interim());
    assert_eq!(
        offer,
        vec![
            (
                Kind::ConfirmWithdrawal,
                Some("letter.no_withdrawal_recorded")
            ),
            (Kind::Refusal, Some("letter.request_not_refused")),
        ]
    );
    // A blocking on a refused request for an active person: refused twice over.
    let b = new_request(&mut v, RequestKind::Block, Some(id), "");
    assert_eq!(
        try_issue(&mut v, Kind::ConfirmBlock, b),
        Err("letter.no_block_recorded")
    );
    request::refuse(
        &mut v,
        b,
        "2026-11-24",
        "Нарушение не подтвердилось.",
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(
        try_issue(&mut v, Kind::ConfirmBlock, b),
        Err("letter.request_refused")
    );
    // Recorded from the request, it is confirmed; unblocked since, it is not.
    let b2 = new_request(&mut v, RequestKind::Block, Some(id), "");
    block_for(&mut v, id, b2);
    assert_eq!(try_issue(&mut v, Kind::ConfirmBlock, b2), Ok(()));
    let u = new_request(&mut v, RequestKind::Unblock, Some(id), "");
    assert_eq!(
        try_issue(&mut v, Kind::ConfirmUnblock, u),
        Err("letter.no_unblock_recorded")
    );
    unblock_for(&mut v, id, u);
    assert_eq!(
        try_issue(&mut v, Kind::ConfirmBlock, b2),
        Err("letter.not_blocked")
    );
    assert_eq!(try_issue(&mut v, Kind::ConfirmUnblock, u), Ok(()));
    // Marketing: a sender not in the registry has nothing on the stop-list yet.
    let m = new_request(
        &mut v,
        RequestKind::RefuseMarketing,
        None,
        "someone@example.kz",
    );
    assert_eq!(
        try_issue(&mut v, Kind::ConfirmMarketing, m),
        Err("letter.no_refusal_recorded")
    );
    // An update not carried out.
    let up = new_request(&mut v, RequestKind::Update, Some(id), "");
    assert_eq!(
        try_issue(&mut v, Kind::ConfirmUpdate, up),
        Err("letter.no_update_recorded")
    );
    // No data held: only for someone nobody in the registry matches.
    let a = new_request(&mut v, RequestKind::Access, None, "AIGERIM@example.kz");
    assert_eq!(
        try_issue(&mut v, Kind::NoData, a),
        Err("letter.sender_registered")
    );
    let a2 = new_request(&mut v, RequestKind::Access, None, "nobody@example.kz");
    assert_eq!(try_issue(&mut v, Kind::NoData, a2), Ok(()));
    let a3 = new_request(&mut v, RequestKind::Access, Some(id), "");
    assert_eq!(
        try_issue(&mut v, Kind::NoData, a3),
        Err("letter.subject_registered")
    );
    // A plain answer needs the administrator's text.
    let o = new_request(&mut v, RequestKind::Other, None, "nobody@example.kz");
    assert_eq!(try_issue(&mut v, Kind::Answer, o).map_err(|_| ()), Err(()));
    letters::issue(
        &mut v,
        &source(Kind::Answer, Language::Kk, Some(o)),
        &answer_edits(),
        today(),
        now(),
    )
    .unwrap();
    derbes::vault::journal::verify(v.conn()).unwrap();
}

#[test]
fn an_extract_warns_before_listing_data_whose_consent_has_ended() {
    let mut w = world();
    let rid = w.request(RequestKind::Access);
    let src = source(Kind::AccessExtract, Language::Ru, Some(rid));
    assert!(
        letters::draft(w.v.conn(), &src, today())
            .unwrap()
            .warnings
            .is_empty()
    );
    // The consent the three holdings rest on is withdrawn: the extract would show an ended basis.
    let consent = consent::for_subject(w.v.conn(), w.subject, today())
        .unwrap()
        .into_iter()
        .find(|c| c.state == consent::State::Active)
        .unwrap();
    consent::withdraw(&mut w.v, consent.id, today(), "paper", None, now()).unwrap();
    let d = letters::draft(w.v.conn(), &src, today()).unwrap();
    assert_eq!(d.warnings, vec![("letter.basis_ended", 3)]);
    let err = letters::issue(&mut w.v, &src, &Edits::default(), today(), now()).unwrap_err();
    assert_eq!(err.code(), "letter.basis_ended");
    let knowingly = Edits {
        accept_warnings: true,
        ..Edits::default()
    };
    letters::issue(&mut w.v, &src, &knowingly, today(), now()).unwrap();
}

#[test]
fn the_letters_between_request_and_answer_state_only_what_the_request_shows() {
    let mut w = world();
    let rid = w.request(RequestKind::Other);
    let offered = |w: &World, id: i64| -> Vec<(Kind, Option<&'static str>)> {
        letters::applicable_for(w.v.conn(), id, today())
            .unwrap()
            .into_iter()
            .filter(|(k, _)| k.is_interim())
            .collect()
    };
    // A new request: its receipt can be acknowledged; nothing was extended or asked yet.
    assert_eq!(
        offered(&w, rid),
        [
            (Kind::Acknowledgement, None),
            (Kind::ExtensionNotice, Some("letter.no_extension_recorded")),
            (
                Kind::ClarificationRequest,
                Some("letter.request_not_waiting")
            ),
        ]
    );
    let ack = w.issue(Kind::Acknowledgement, Language::Kk, Some(rid));
    let text = flat(&tool(
        "pdftotext",
        &[],
        &letters::pdf(w.v.conn(), ack.id).unwrap(),
    ));
    let due = request::get(w.v.conn(), rid, today())
        .unwrap()
        .effective_due();
    assert!(
        text.contains(&due.format("%d.%m.%Y").to_string()),
        "the legal due date: {text}"
    );
    // Extended: the new date and the reason.
    extend(&mut w.v, rid);
    let ext = w.issue(Kind::ExtensionNotice, Language::Ru, Some(rid));
    let text = flat(&tool(
        "pdftotext",
        &[],
        &letters::pdf(w.v.conn(), ext.id).unwrap(),
    ));
    assert!(text.contains("продлён до 15.12.2026"), "{text}");
    assert!(text.contains("архива филиала в Шымкенте"), "{text}");
    // Waiting for a clarification: the question is the user's to write, the letter is not
    // issued with the placeholder in it.
    pause(&mut w.v, rid, PauseReason::Clarification);
    let err = letters::issue(
        &mut w.v,
        &source(Kind::ClarificationRequest, Language::En, Some(rid)),
        &Edits::default(),
        today(),
        now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid", "{err}");
    let asked = Edits {
        intro: Some(vec![
            "To consider your request, please tell us the following:".into(),
            "Which of your orders does the request concern?".into(),
        ]),
        ..Edits::default()
    };
    let clar = letters::issue(
        &mut w.v,
        &source(Kind::ClarificationRequest, Language::En, Some(rid)),
        &asked,
        today(),
        now(),
    )
    .unwrap();
    let text = flat(&tool(
        "pdftotext",
        &[],
        &letters::pdf(w.v.conn(), clar.id).unwrap(),
    ));
    assert!(
        text.contains("time to answer your request is suspended"),
        "{text}"
    );
    // Finished: no more letters on the way.
    request::answer(&mut w.v, rid, "2026-11-25", today(), now()).unwrap();
    assert!(
        offered(&w, rid)
            .iter()
            .all(|(_, why)| *why == Some("letter.request_closed")),
        "{:?}",
        offered(&w, rid)
    );
}
