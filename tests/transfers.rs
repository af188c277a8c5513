//! Transfers to third parties and abroad are recorded only on a basis that covers them (or with a
//! written override); breaches are registered with the notice's legal deadline.

mod common;

use common::*;
use derbes::files::sheet::Format;
use derbes::registry::consent::ConsentInput;
use derbes::registry::holding::HoldingInput;
use derbes::registry::subject::{self, SubjectInput};
use derbes::registry::transfer::{self, Basis, Country, TransferInput};
use derbes::{Vault, requests::breach};

fn d(s: &str) -> chrono::NaiveDate {
    derbes::base::input::parse_date(s).unwrap()
}

struct World {
    _t: TempVault,
    v: Vault,
    person: i64,
    purpose: i64,
    category: i64,
}

fn world() -> World {
    let t = TempVault::new();
    let mut v = t.create();
    let person = subject::create(
        &mut v,
        &SubjectInput {
            iin: "900115400109".into(),
            surname: "Әбілқасымова".into(),
            given_name: "Әйгерім".into(),
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap();
    let purpose = derbes::registry::catalog::purposes(v.conn()).unwrap()[0].id;
    let category = derbes::registry::catalog::categories(v.conn()).unwrap()[0].id;
    World {
        _t: t,
        v,
        person,
        purpose,
        category,
    }
}

fn input(w: &World, country: &str, basis: Basis) -> TransferInput {
    TransferInput {
        subject_id: w.person,
        recipient: "ТОО «Курьер Экспресс»".into(),
        country: country.into(),
        category_ids: vec![w.category],
        purpose_id: w.purpose,
        basis,
        basis_ref: String::new(),
        transferred_on: d("2026-11-20"),
        override_reason: None,
    }
}

fn consent(w: &mut World, form: &str, third: bool, cross: bool, countries: &str) -> i64 {
    let purpose = w.purpose;
    derbes::registry::consent::record(
        &mut w.v,
        w.person,
        &ConsentInput {
            purpose_id: purpose,
            granted_at: "2026-01-10".into(),
            form: form.into(),
            third_parties: third,
            cross_border: cross,
            countries: countries.into(),
            ..ConsentInput::default()
        },
        today(),
        now(),
    )
    .unwrap()
}

fn refused(v: &mut Vault, t: &TransferInput) -> &'static str {
    match transfer::record(v, t, now()) {
        Err(derbes::Error::TransferRefused { code }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_transfer_needs_a_consent_that_covers_it() {
    let mut w = world();
    // No consent at all.
    assert_eq!(
        {
            let t = input(&w, "KZ", Basis::Consent);
            refused(&mut w.v, &t)
        },
        "transfer.no_consent"
    );
    // A consent that does not allow third parties.
    consent(&mut w, "electronic", false, false, "");
    assert_eq!(
        {
            let t = input(&w, "kz", Basis::Consent);
            refused(&mut w.v, &t)
        },
        "transfer.consent_no_third_parties"
    );
    // Third parties allowed: fine inside Kazakhstan, not abroad.
    let domestic = consent(&mut w, "electronic", true, false, "");
    let id = {
        let t = input(&w, "KZ", Basis::Consent);
        transfer::record(&mut w.v, &t, now())
    }
    .unwrap();
    let t = &transfer::for_subject(w.v.conn(), w.person).unwrap()[0];
    assert_eq!(
        (t.id, t.consent_id, t.cross_border),
        (id, Some(domestic), false)
    );
    assert_eq!(
        {
            let t = input(&w, "DE", Basis::Consent);
            refused(&mut w.v, &t)
        },
        "transfer.consent_no_cross_border"
    );
    // Cross-border allowed electronically: Germany is not on the (empty) list, so written consent
    // is needed (policy 10.2) — until the authorized body's list names it.
    consent(&mut w, "electronic", true, true, "DE");
    assert_eq!(
        {
            let t = input(&w, "DE", Basis::Consent);
            refused(&mut w.v, &t)
        },
        "transfer.written_consent_needed"
    );
    transfer::add_adequate(
        &mut w.v,
        &Country {
            code: "de".into(),
            name: "Германия".into(),
            note: "приказ уполномоченного органа".into(),
        },
        now(),
    )
    .unwrap();
    assert!(transfer::is_adequate(w.v.conn(), "DE").unwrap());
    {
        let t = input(&w, "DE", Basis::Consent);
        transfer::record(&mut w.v, &t, now())
    }
    .unwrap();
    // A written consent naming countries covers those only.
    consent(&mut w, "written", true, true, "TR, AE");
    {
        let t = input(&w, "TR", Basis::Consent);
        transfer::record(&mut w.v, &t, now())
    }
    .unwrap();
    assert_eq!(
        {
            let t = input(&w, "CN", Basis::Consent);
            refused(&mut w.v, &t)
        },
        "transfer.consent_other_country"
    );
    // The home country cannot be put on the list, and codes are two letters.
    for bad in ["KZ", "Germany", "1"] {
        let c = Country {
            code: bad.into(),
            name: String::new(),
            note: String::new(),
        };
        assert_eq!(
            transfer::add_adequate(&mut w.v, &c, now())
                .unwrap_err()
                .code(),
            "invalid"
        );
    }
    transfer::remove_adequate(&mut w.v, "DE", now()).unwrap();
    assert!(transfer::adequate_countries(w.v.conn()).unwrap().is_empty());
}

#[test]
fn contract_law_and_a_written_override() {
    let mut w = world();
    let mut t = input(&w, "RU", Basis::Contract);
    assert_eq!(
        transfer::record(&mut w.v, &t, now()).unwrap_err().code(),
        "invalid"
    );
    t.basis_ref = "Договор № 17/2026".into();
    assert_eq!(refused(&mut w.v, &t), "transfer.no_contract");
    let (category, purpose, person) = (w.category, w.purpose, w.person);
    derbes::registry::holding::add(
        &mut w.v,
        person,
        &HoldingInput {
            category_id: category,
            purpose_id: purpose,
            basis: "contract".into(),
            basis_ref: String::new(),
            source: String::new(),
            since: "2026-01-01".into(),
            until: String::new(),
        },
        today(),
        now(),
    )
    .unwrap();
    transfer::record(&mut w.v, &t, now()).unwrap();
    let mut law = input(&w, "KZ", Basis::Law);
    law.recipient = "Комитет государственных доходов".into();
    law.basis_ref = "Налоговый кодекс, ст. 24".into();
    transfer::record(&mut w.v, &law, now()).unwrap();
    // No basis, but a written justification: recorded, marked and journaled as an override.
    let mut o = input(&w, "US", Basis::Consent);
    o.override_reason = Some("   ".into());
    assert_eq!(refused(&mut w.v, &o), "transfer.no_consent");
    o.override_reason = Some("Запрос суда США по делу № 1:26-cv-100, согласовано юристом".into());
    transfer::record(&mut w.v, &o, now()).unwrap();
    let recent = derbes::vault::journal::recent(w.v.conn(), 1).unwrap();
    assert_eq!(recent[0].entry.action, "transfer.recorded_override");
    // The register for an inspection: record numbers, not names.
    let mut out = Vec::new();
    let en = derbes::base::language::Language::En;
    assert_eq!(
        transfer::export(w.v.conn(), &mut out, Format::Csv, en).unwrap(),
        3
    );
    let csv = String::from_utf8(out).unwrap();
    assert!(!csv.contains("Әбілқасымова"), "{csv}");
    assert!(csv.contains(";RU;yes;no;"), "{csv}");
    // In Kazakh, as a workbook: the words translated, the date a date.
    let mut out = Vec::new();
    transfer::export(
        w.v.conn(),
        &mut out,
        Format::Xlsx,
        derbes::base::language::Language::Kk,
    )
    .unwrap();
    let table = derbes::files::sheet::parse_workbook(out, "xlsx").unwrap();
    assert_eq!(table.headers[3], "Алушы");
    assert!(
        table
            .rows
            .iter()
            .any(|(_, r)| r[4] == "RU" && r[5] == "иә" && r[6] == "жоқ"),
        "{:?}",
        table.rows
    );
    assert!(csv.contains("Запрос суда США"), "{csv}");
    // A blocked person's data goes nowhere.
    derbes::registry::blocking::block(
        &mut w.v,
        person,
        &derbes::registry::blocking::Basis {
            request_id: None,
            text: "проверка".into(),
        },
        now(),
    )
    .unwrap();
    assert_eq!(
        transfer::record(&mut w.v, &law, now()).unwrap_err().code(),
        "subject.not_editable"
    );
}

#[test]
fn a_breach_notice_is_due_in_one_working_day_and_tracked() {
    let mut w = world();
    let input = breach::BreachInput {
        // Friday 27.11.2026: due on Monday 30.11 (one working day, the day itself not counted).
        found_on: "27.11.2026".into(),
        found_at: "18:05".into(),
        description: "Письмо с данными клиентов отправлено не тому адресату".into(),
        category_ids: vec![w.category],
        subjects_affected: 3,
        measures: String::new(),
    };
    let later = d("2026-12-01");
    let id = breach::register(&mut w.v, &input, later, now()).unwrap();
    let b = breach::get(w.v.conn(), id, later).unwrap();
    assert_eq!(b.due_on, d("2026-11-30"));
    assert_eq!(
        b.standing,
        Some(derbes::base::deadline::Standing::Overdue(1))
    );
    assert_eq!(breach::figures(w.v.conn(), later).unwrap(), (1, 1));
    // Bad input: nothing written.
    let bad = breach::BreachInput {
        found_on: "2027-01-01".into(),
        found_at: "25:99".into(),
        description: " ".into(),
        ..input.clone()
    };
    let err = breach::register(&mut w.v, &bad, later, now()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid input: found_on (date.future), found_at (time.format), description (required)"
    );
    // The calendar decides: Monday 30.11 made a day off moves the due date to Tuesday.
    derbes::requests::workdays::set_day(
        &mut w.v,
        d("2026-11-30"),
        derbes::requests::workdays::DayChange::Off,
        "test",
        later,
        now(),
    )
    .unwrap();
    assert_eq!(
        breach::get(w.v.conn(), id, later).unwrap().due_on,
        d("2026-12-01")
    );
    assert_eq!(
        breach::notified(&mut w.v, id, d("2026-11-26"), "", later, now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    breach::notified(&mut w.v, id, later, "вх. № 123", later, now()).unwrap();
    let b = breach::get(w.v.conn(), id, later).unwrap();
    assert_eq!((b.notified_on, b.standing), (Some(later), None));
    assert_eq!(breach::figures(w.v.conn(), later).unwrap(), (0, 0));
    breach::close(&mut w.v, id, later, now()).unwrap();
    assert_eq!(
        breach::list(w.v.conn(), later).unwrap()[0].closed_on,
        Some(later)
    );
}
