//! Day one at a real operator (issue 18): people arrive with what is held about them and their
//! consents — a clinic's export in Windows-1251 with several purposes per person, some on rows of
//! their own and some in one cell — checked and reported per row before anything is written, the
//! catalogue's missing names refused or added, all in one transaction.

mod common;

use chrono::NaiveDate;
use common::*;
use derbes::files::csv_table;
use derbes::registry::import::{self, Duplicates, Options};
use derbes::registry::{card, holding};
use derbes::{Vault, registry::consent};

fn clinic() -> csv_table::Table {
    csv_table::read_file(std::path::Path::new(&format!(
        "{}/tests/fixtures/import/clinic-cp1251.csv",
        env!("CARGO_MANIFEST_DIR")
    )))
    .unwrap()
}

fn options(add_unknown: bool) -> Options {
    Options {
        duplicates: Duplicates::Skip,
        skip_invalid: false,
        add_unknown,
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn subject_id(v: &Vault, iin: &str) -> i64 {
    v.conn()
        .query_row("SELECT id FROM subject WHERE iin = ?1", [iin], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_clinics_export_is_checked_and_its_missing_names_refused_until_added() {
    let t = TempVault::new();
    let mut v = t.create();
    let table = clinic();
    assert_eq!(table.encoding, csv_table::Encoding::Windows1251);
    import::check_headers(&table.headers).unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let names: Vec<Option<&str>> = mapping.0.iter().map(|f| f.map(|f| f.name())).collect();
    assert_eq!(
        names,
        [
            Some("iin"),
            Some("surname"),
            Some("given_name"),
            Some("patronymic"),
            Some("phone"),
            Some("purposes"),
            Some("categories"),
            Some("basis"),
            Some("basis_ref"),
            Some("since"),
            Some("consent_date"),
            Some("consent_form"),
            Some("consent_term"),
            Some("third_parties"),
            Some("cross_border"),
            Some("countries"),
        ]
    );
    // The catalogue has no «Оказание медицинских услуг» nor «Медицинская карта»: every row naming
    // them is reported, and the names listed with their counts.
    let checked = import::check(v.conn(), &table, &mapping, today()).unwrap();
    let r = &checked.report;
    assert_eq!(r.invalid_rows, 2);
    // Kasymov's second row stands on its own when his first is refused.
    assert_eq!((r.new, r.merged_rows), (1, 0));
    let issues: Vec<(u64, &str, &str)> =
        r.issues.iter().map(|i| (i.line, i.field, i.code)).collect();
    assert_eq!(
        issues,
        [
            (2, "purpose", "catalog.unknown"),
            (2, "category", "catalog.unknown"),
            (4, "purpose", "catalog.unknown"),
        ]
    );
    let unknown: Vec<(&str, &str, usize)> = r
        .unknown
        .iter()
        .map(|u| (u.kind, u.name.as_str(), u.rows))
        .collect();
    assert_eq!(
        unknown,
        [
            ("category", "Медицинская карта", 1),
            ("purpose", "Оказание медицинских услуг", 2),
        ]
    );
    let e = import::commit(&mut v, &table, checked, options(false), now()).unwrap_err();
    assert_eq!(e.code(), "import.invalid_rows");
    assert_eq!(count(&v, "subject"), 0);
    assert_eq!(count(&v, "purpose"), 4);
}

#[test]
fn a_clinics_export_brings_its_people_with_holdings_and_consents() {
    let t = TempVault::new();
    let mut v = t.create();
    let table = clinic();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check_adding(v.conn(), &table, &mapping, true, today()).unwrap();
    let r = checked.report.clone();
    assert_eq!(r.invalid_rows, 0, "{:?}", r.issues);
    // Kasymov is on two rows, one purpose each; Kudaibergenova has two purposes in one cell.
    assert_eq!(
        (r.new, r.merged_rows, r.shape),
        (2, 1, Some("row_per_purpose"))
    );
    assert_eq!((r.holdings, r.consents), (7, 3));
    let seq = derbes::vault::journal::verify(v.conn()).unwrap();
    let done = import::commit(&mut v, &table, checked, options(true), now()).unwrap();
    assert_eq!(
        (
            done.created,
            done.holdings,
            done.consents,
            done.catalog_added
        ),
        (2, 7, 3, 2)
    );
    // One entry per person, one per catalogue entry added, one for the import.
    assert_eq!(
        derbes::vault::journal::verify(v.conn()).unwrap(),
        seq + 2 + 2 + 1
    );

    let kasymov = subject_id(&v, "850808310738");
    let held = holding::for_subject(v.conn(), kasymov).unwrap();
    let medical: i64 = v
        .conn()
        .query_row(
            "SELECT id FROM purpose WHERE name_ru = 'Оказание медицинских услуг'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut by_purpose: Vec<(i64, &str, &str, &str)> = held
        .iter()
        .map(|h| {
            (
                h.purpose_id,
                h.basis.as_str(),
                h.basis_ref.as_str(),
                h.since.as_str(),
            )
        })
        .collect();
    by_purpose.sort();
    assert_eq!(held.len(), 3);
    assert!(by_purpose.contains(&(medical, "contract", "Д-15/2024", "2024-01-10")));
    // The marketing holding rests on the consent of the same row, since its day.
    let marketing = held.iter().find(|h| h.purpose_code == "marketing").unwrap();
    assert_eq!(
        (marketing.basis.as_str(), marketing.since.as_str()),
        ("consent", "2024-01-10")
    );
    let consents = consent::for_subject(v.conn(), kasymov, today()).unwrap();
    assert_eq!(consents.len(), 1);
    let c = &consents[0];
    assert_eq!(
        (
            c.purpose_code.as_str(),
            c.granted_at.as_str(),
            c.form.as_str(),
            c.valid_until.as_deref()
        ),
        ("marketing", "2024-01-10", "written", Some("2027-01-10"))
    );
    assert_eq!(c.data_list, "Контактные данные (телефон, e-mail)");

    let kudaibergenova = subject_id(&v, "900115400109");
    let consents = consent::for_subject(v.conn(), kudaibergenova, today()).unwrap();
    assert_eq!(consents.len(), 2);
    for c in &consents {
        assert_eq!(
            (
                c.form.as_str(),
                c.valid_until.as_deref(),
                c.third_parties,
                c.cross_border,
                c.countries.as_str()
            ),
            ("electronic", None, true, true, "Россия, Турция")
        );
    }
    let held = holding::for_subject(v.conn(), kudaibergenova).unwrap();
    assert_eq!(held.len(), 4);
    assert!(
        held.iter()
            .all(|h| h.basis == "law" && h.basis_ref == "Кодекс о здоровье, ст. 60")
    );
    // The card shows it all; the new catalogue entries are marked as imported, to be completed.
    let card = card::read_card(v.conn(), kudaibergenova, today()).unwrap();
    assert_eq!((card.holdings.len(), card.consents.len()), (4, 2));
    let code: String = v
        .conn()
        .query_row("SELECT code FROM purpose WHERE id = ?1", [medical], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(code.starts_with("imported_"), "{code}");
    assert_eq!(d(2024, 1, 10).to_string(), "2024-01-10");
}

#[test]
fn the_same_file_again_updates_without_writing_anything_twice() {
    let t = TempVault::new();
    let mut v = t.create();
    let table = clinic();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check_adding(v.conn(), &table, &mapping, true, today()).unwrap();
    import::commit(&mut v, &table, checked, options(true), now()).unwrap();
    let checked = import::check(v.conn(), &table, &mapping, today()).unwrap();
    assert_eq!(
        checked.report.invalid_rows, 0,
        "the names are in the catalogue now"
    );
    assert_eq!(checked.report.existing, 2);
    let again = import::commit(
        &mut v,
        &table,
        checked,
        Options {
            duplicates: Duplicates::Update,
            skip_invalid: false,
            add_unknown: false,
        },
        now(),
    )
    .unwrap();
    assert_eq!(
        (
            again.updated,
            again.holdings,
            again.consents,
            again.catalog_added
        ),
        (2, 0, 0, 0)
    );
    assert_eq!((count(&v, "holding"), count(&v, "consent")), (7, 3));
}

fn one_row(cells: &str) -> csv_table::Table {
    let header = "ИИН;Фамилия;Имя;Цель;Данные;Основание;С;По;Согласие получено;Срок согласия;Трансграничная передача;Страны";
    csv_table::parse(format!("{header}\n{cells}\n").as_bytes()).unwrap()
}

fn issues_of(v: &Vault, cells: &str) -> Vec<(&'static str, &'static str)> {
    let table = one_row(cells);
    let mapping = import::guess_mapping(&table.headers);
    import::check(v.conn(), &table, &mapping, today())
        .unwrap()
        .report
        .issues
        .iter()
        .map(|i| (i.field, i.code))
        .collect()
}

#[test]
fn what_a_row_cannot_bear_out_is_refused_with_its_field() {
    let t = TempVault::new();
    let v = t.create();
    let purpose = "Исполнение договора";
    let ok = format!("850808310738;Касымов;Кайрат;{purpose};ФИО;договор;01.02.2025;;;;;");
    assert!(issues_of(&v, &ok).is_empty());
    // What is held without a day it started, and no consent to date it: not guessed.
    assert_eq!(
        issues_of(
            &v,
            &format!("850808310738;Касымов;Кайрат;{purpose};ФИО;договор;;;;;;")
        ),
        [("since", "required")]
    );
    // A basis nobody defined, a term that is not one, an end before the start.
    assert_eq!(
        issues_of(
            &v,
            &format!(
                "850808310738;Касымов;Кайрат;{purpose};ФИО;по дружбе;01.02.2025;01.01.2025;;;;"
            )
        ),
        [("basis", "basis.unknown"), ("until", "date.before_start")]
    );
    assert_eq!(
        issues_of(
            &v,
            &format!("850808310738;Касымов;Кайрат;{purpose};;;;;01.02.2025;навсегда;;")
        ),
        [("consent_term", "consent.term_unknown")]
    );
    // A consent column that says only "да": no day it was given, so no consent recorded.
    assert_eq!(
        issues_of(
            &v,
            &format!("850808310738;Касымов;Кайрат;{purpose};;;;;да;;;")
        ),
        [("consent_date", "consent.date_missing")]
    );
    // Data without a purpose, a consent in the future, a yes/no that is neither.
    assert_eq!(
        issues_of(
            &v,
            "850808310738;Касымов;Кайрат;;ФИО;договор;01.02.2025;;;;;"
        ),
        [("purpose", "required")]
    );
    assert_eq!(
        issues_of(
            &v,
            &format!("850808310738;Касымов;Кайрат;{purpose};;;;;01.02.2099;;;")
        ),
        [("consent_date", "date.future")]
    );
    assert_eq!(
        issues_of(
            &v,
            &format!("850808310738;Касымов;Кайрат;{purpose};;;;;01.02.2025;;может быть;")
        ),
        [("cross_border", "bool.invalid")]
    );
    // A file of identity only, as before: no holdings, no issues, nothing said about them.
    let plain =
        csv_table::parse("ИИН;Фамилия;Имя\n850808310738;Касымов;Кайрат\n".as_bytes()).unwrap();
    let mapping = import::guess_mapping(&plain.headers);
    let r = import::check(v.conn(), &plain, &mapping, today())
        .unwrap()
        .report;
    assert_eq!((r.invalid_rows, r.holdings, r.shape), (0, 0, None));
}

#[test]
fn two_rows_of_one_iin_naming_different_people_are_still_refused() {
    let t = TempVault::new();
    let v = t.create();
    let table = csv_table::parse(
        "ИИН;Фамилия;Имя;Цель;Согласие получено\n\
         850808310738;Касымов;Кайрат;Исполнение договора;01.02.2025\n\
         850808310738;Петров;Пётр;Исполнение договора;01.02.2025\n"
            .as_bytes(),
    )
    .unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let r = import::check(v.conn(), &table, &mapping, today())
        .unwrap()
        .report;
    let issues: Vec<(u64, &str)> = r.issues.iter().map(|i| (i.line, i.code)).collect();
    assert_eq!(issues, [(3, "iin.duplicate_in_file")]);
}

#[test]
fn people_imported_without_a_basis_are_counted_listed_and_named_by_the_sweep() {
    let t = TempVault::new();
    let mut v = t.create();
    // Identity alone (the first version's import): nobody has a basis.
    let plain = csv_table::parse(
        "ИИН;Фамилия;Имя\n850808310738;Касымов;Кайрат\n900115400109;Кудайбергенова;Айгерим\n"
            .as_bytes(),
    )
    .unwrap();
    let mapping = import::guess_mapping(&plain.headers);
    let checked = import::check(v.conn(), &plain, &mapping, today()).unwrap();
    import::commit(&mut v, &plain, checked, options(false), now()).unwrap();
    let status = derbes::app::status::status(&v, today()).unwrap();
    assert_eq!((status.subjects, status.without_basis), (2, 2));
    // The clinic's file adds what is held about Kudaibergenova (same IIN, updated).
    let table = clinic();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check_adding(v.conn(), &table, &mapping, true, today()).unwrap();
    import::commit(
        &mut v,
        &table,
        checked,
        Options {
            duplicates: Duplicates::Update,
            skip_invalid: false,
            add_unknown: true,
        },
        now(),
    )
    .unwrap();
    let status = derbes::app::status::status(&v, today()).unwrap();
    assert_eq!(status.without_basis, 0);
    // A holding that ended is no basis today.
    v.conn()
        .execute_batch(
            "UPDATE holding SET until = '2025-01-01'
             WHERE subject_id = (SELECT id FROM subject WHERE iin = '850808310738');
             UPDATE consent SET withdrawn_at = '2025-06-01'
             WHERE subject_id = (SELECT id FROM subject WHERE iin = '850808310738');",
        )
        .unwrap();
    let q = derbes::registry::search::Query {
        no_basis: true,
        limit: 10,
        ..Default::default()
    };
    let page = derbes::registry::search::search(v.conn(), &q, today()).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].iin.as_deref(), Some("850808310738"));
    let sweep = derbes::erasure::retention::page(v.conn(), 0, 10, today()).unwrap();
    assert_eq!(sweep.without_basis, 1);
}

/// A school's list: a pupil born in 2012 whose consent was given by a parent, and one whose file
/// names nobody — refused, since a minor does not consent alone (Law 94-V Art. 8 para 1).
#[test]
fn a_minors_consent_names_the_representative_who_gave_it() {
    use derbes::Iin;
    use derbes::base::iin::Sex;
    let t = TempVault::new();
    let mut v = t.create();
    let pupil = Iin::compose(d(2012, 9, 1), Sex::Female, 311)
        .unwrap()
        .to_string();
    let other = Iin::compose(d(2013, 4, 2), Sex::Male, 312)
        .unwrap()
        .to_string();
    let adult = Iin::compose(d(1990, 4, 2), Sex::Male, 313)
        .unwrap()
        .to_string();
    let table = csv_table::parse(
        format!(
            "ИИН;Фамилия;Имя;Цель;Согласие получено;Законный представитель;Кем приходится\n\
             {pupil};Сейтова;Аяла;Исполнение договора;01.09.2025;Сейтова Гүлнар;мать\n\
             {other};Омаров;Алихан;Исполнение договора;01.09.2025;;\n\
             {adult};Омаров;Ержан;Исполнение договора;01.09.2025;;\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check(v.conn(), &table, &mapping, today()).unwrap();
    let issues: Vec<(u64, &str, &str)> = checked
        .report
        .issues
        .iter()
        .map(|i| (i.line, i.field, i.code))
        .collect();
    assert_eq!(
        issues,
        [(
            3,
            "representative_name",
            "consent.minor_needs_representative"
        )]
    );
    let done = import::commit(
        &mut v,
        &table,
        checked,
        Options {
            duplicates: Duplicates::Skip,
            skip_invalid: true,
            add_unknown: false,
        },
        now(),
    )
    .unwrap();
    assert_eq!((done.created, done.consents), (2, 2));
    let c = &consent::for_subject(v.conn(), subject_id(&v, &pupil), today()).unwrap()[0];
    assert_eq!(c.representative.name, "Сейтова Гүлнар");
    assert_eq!(
        c.representative.relation,
        Some(derbes::registry::representative::Relation::Parent)
    );
    // Typed on the card: refused without a representative, recorded with one.
    let id = subject_id(&v, &pupil);
    let purpose: i64 = v
        .conn()
        .query_row("SELECT id FROM purpose WHERE code = 'marketing'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let input = consent::ConsentInput {
        purpose_id: purpose,
        granted_at: "2025-10-01".into(),
        form: "written".into(),
        ..Default::default()
    };
    let e = consent::record(&mut v, id, &input, today(), now()).unwrap_err();
    let derbes::Error::Invalid(issues) = e else {
        panic!("{e}")
    };
    assert_eq!(issues[0].code, "consent.minor_needs_representative");
    let with_parent = consent::ConsentInput {
        representative: derbes::registry::representative::Representative {
            name: "Сейтов Бауыржан".into(),
            relation: Some(derbes::registry::representative::Relation::Parent),
            ..Default::default()
        },
        ..input
    };
    consent::record(&mut v, id, &with_parent, today(), now()).unwrap();
    // The age of majority is data, and the check follows it: set to 40, the man born in 1990
    // would need a representative too.
    v.conn()
        .execute(
            "UPDATE setting SET value = '40' WHERE key = 'majority.age'",
            [],
        )
        .unwrap();
    let adult_id = subject_id(&v, &adult);
    let e = consent::record(
        &mut v,
        adult_id,
        &consent::ConsentInput {
            purpose_id: purpose,
            granted_at: "2025-10-01".into(),
            form: "written".into(),
            ..Default::default()
        },
        today(),
        now(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid");
}

/// A bulk change (issue 18): everyone imported without a basis gets the consent of the day-one
/// paper forms in one transaction, a journal entry each; the preview says how many, and those
/// who cannot be changed are counted by reason.
#[test]
fn a_bulk_consent_for_everyone_without_a_basis_is_previewed_then_recorded_at_once() {
    use derbes::registry::bulk::{self, Change, Selection};
    let t = TempVault::new();
    let mut v = t.create();
    let minor = derbes::Iin::compose(d(2014, 1, 1), derbes::base::iin::Sex::Male, 77)
        .unwrap()
        .to_string();
    let plain = csv_table::parse(
        format!(
            "ИИН;Фамилия;Имя\n850808310738;Касымов;Кайрат\n900115400109;Кудайбергенова;Айгерим\n{minor};Омаров;Алихан\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let mapping = import::guess_mapping(&plain.headers);
    let checked = import::check(v.conn(), &plain, &mapping, today()).unwrap();
    import::commit(&mut v, &plain, checked, options(false), now()).unwrap();
    let blocked = subject_id(&v, "900115400109");
    derbes::registry::blocking::block(
        &mut v,
        blocked,
        &derbes::registry::blocking::Basis {
            request_id: None,
            text: "спор".into(),
        },
        now(),
    )
    .unwrap();
    let purpose: i64 = v
        .conn()
        .query_row("SELECT id FROM purpose WHERE code = 'contract'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let change = Change::RecordConsent {
        consent: consent::ConsentInput {
            purpose_id: purpose,
            granted_at: "2026-11-02".into(),
            form: "written".into(),
            ..Default::default()
        },
    };
    let sel = Selection::Filter(derbes::registry::search::Query {
        no_basis: true,
        ..Default::default()
    });
    let seq = derbes::vault::journal::verify(v.conn()).unwrap();
    let preview = bulk::preview(v.conn(), &sel, &change, today()).unwrap();
    assert_eq!(
        (preview.selected, preview.changed, preview.unchanged),
        (3, 1, 0)
    );
    let mut refused = preview.refused.clone();
    refused.sort();
    assert_eq!(
        refused,
        [
            ("bulk.blocked", 1),
            ("consent.minor_needs_representative", 1)
        ]
    );
    assert_eq!(
        derbes::vault::journal::verify(v.conn()).unwrap(),
        seq,
        "a preview writes nothing"
    );
    let done = bulk::run(&mut v, &sel, &change, today(), now()).unwrap();
    assert_eq!(done, preview);
    // One entry per person changed and one for the whole.
    assert_eq!(derbes::vault::journal::verify(v.conn()).unwrap(), seq + 2);
    let status = derbes::app::status::status(&v, today()).unwrap();
    assert_eq!(status.without_basis, 2);
    // Again: nobody changes twice.
    let kasymov = Selection::Subjects(vec![subject_id(&v, "850808310738")]);
    let again = bulk::run(&mut v, &kasymov, &change, today(), now()).unwrap();
    assert_eq!((again.changed, again.unchanged), (0, 1));
    // The stop-list for a chosen few, then the consents withdrawn.
    let out = bulk::run(
        &mut v,
        &kasymov,
        &Change::StopList {
            on: String::new(),
            channel: "paper".into(),
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(out.changed, 1);
    let out = bulk::run(
        &mut v,
        &kasymov,
        &Change::WithdrawConsents {
            purpose_id: None,
            on: String::new(),
            channel: "paper".into(),
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(out.changed, 1);
    assert_eq!(
        derbes::app::status::status(&v, today())
            .unwrap()
            .without_basis,
        3
    );
    // A bad channel refuses the change before anyone is touched.
    let e = bulk::run(
        &mut v,
        &kasymov,
        &Change::StopList {
            on: String::new(),
            channel: "pigeon".into(),
        },
        today(),
        now(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid");
}

/// Subject categories (issue 18): imported with the person, used by the registry's filter and the
/// export, and by retention — a period per purpose *and* category comes before the purpose's own.
#[test]
fn a_category_of_people_is_imported_filtered_exported_and_keeps_its_own_retention() {
    let t = TempVault::new();
    let mut v = t.create();
    let table = csv_table::parse(
        "ИИН;Фамилия;Имя;Категория субъекта;Цель;Данные;Основание;С\n\
         850808310738;Касымов;Кайрат;Пациент;Исполнение договора;ФИО;договор;01.01.2024\n\
         900115400109;Кудайбергенова;Айгерим;Посетитель;Исполнение договора;ФИО;договор;01.01.2024\n"
            .as_bytes(),
    )
    .unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check(v.conn(), &table, &mapping, today()).unwrap();
    assert_eq!(
        checked.report.invalid_rows, 0,
        "{:?}",
        checked.report.issues
    );
    import::commit(&mut v, &table, checked, options(false), now()).unwrap();
    let cats = derbes::registry::catalog::all(v.conn()).unwrap();
    let id_of = |code: &str| {
        cats.subject_categories
            .iter()
            .find(|c| c.code == code)
            .unwrap()
            .id
    };
    let (patient, visitor) = (id_of("patient"), id_of("visitor"));
    let kasymov = subject_id(&v, "850808310738");
    assert_eq!(
        card::read_card(v.conn(), kasymov, today())
            .unwrap()
            .category_id,
        Some(patient)
    );
    // The registry's filter.
    let q = derbes::registry::search::Query {
        subject_category_id: Some(visitor),
        limit: 10,
        ..Default::default()
    };
    let page = derbes::registry::search::search(v.conn(), &q, today()).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].iin.as_deref(), Some("900115400109"));
    // The export names it, in the export's language.
    let mut csv = Vec::new();
    derbes::registry::export::subjects_csv(
        v.conn(),
        &mut csv,
        derbes::base::language::Language::Ru,
    )
    .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.lines().next().unwrap().ends_with("Категория субъекта"),
        "{csv}"
    );
    assert!(csv.contains(";Пациент"), "{csv}");
    // Retention: the contract's purpose is kept a year; for patients 25 years (a medical record).
    let purpose: i64 = v
        .conn()
        .query_row("SELECT id FROM purpose WHERE code = 'contract'", [], |r| {
            r.get(0)
        })
        .unwrap();
    v.conn()
        .execute(
            "UPDATE purpose SET retention_days = 365 WHERE id = ?1",
            [purpose],
        )
        .unwrap();
    derbes::registry::catalog::set_category_retention(
        &mut v,
        purpose,
        patient,
        Some(9125),
        Some("law"),
        "Кодекс о здоровье народа",
        now(),
    )
    .unwrap();
    let sweep = derbes::erasure::retention::sweep(v.conn(), today()).unwrap();
    let due: Vec<i64> = sweep.subjects.iter().map(|s| s.subject_id).collect();
    assert_eq!(
        due,
        [subject_id(&v, "900115400109")],
        "the visitor's year is over; the patient's 25 are not"
    );
    // An unknown category is named per row, and added on request.
    let odd = csv_table::parse(
        "ИИН;Фамилия;Имя;Категория субъекта\n850808310738;Касымов;Кайрат;Абонент\n".as_bytes(),
    )
    .unwrap();
    let mapping = import::guess_mapping(&odd.headers);
    let r = import::check(v.conn(), &odd, &mapping, today())
        .unwrap()
        .report;
    assert_eq!(r.issues[0].code, "catalog.unknown");
    assert_eq!(r.unknown[0].kind, "subject_category");
    let checked = import::check_adding(v.conn(), &odd, &mapping, true, today()).unwrap();
    let done = import::commit(
        &mut v,
        &odd,
        checked,
        Options {
            duplicates: Duplicates::Update,
            skip_invalid: false,
            add_unknown: true,
        },
        now(),
    )
    .unwrap();
    assert_eq!((done.updated, done.catalog_added), (1, 1));
    let c = card::read_card(v.conn(), kasymov, today())
        .unwrap()
        .category_id;
    assert_ne!(c, Some(patient));
    // A file without the column keeps the category recorded.
    let plain =
        csv_table::parse("ИИН;Фамилия;Имя\n850808310738;Касымов;Кайрат\n".as_bytes()).unwrap();
    let mapping = import::guess_mapping(&plain.headers);
    let checked = import::check(v.conn(), &plain, &mapping, today()).unwrap();
    import::commit(
        &mut v,
        &plain,
        checked,
        Options {
            duplicates: Duplicates::Update,
            skip_invalid: false,
            add_unknown: false,
        },
        now(),
    )
    .unwrap();
    assert_eq!(
        card::read_card(v.conn(), kasymov, today())
            .unwrap()
            .category_id,
        c
    );
}

/// Starter catalogues (issue 18): a clinic's purposes and periods added once, each marked "check
/// before use" until the user saves it; applied again, nothing is added twice.
#[test]
fn a_starter_kit_adds_its_catalogues_marked_to_check_once() {
    use derbes::app::starter::{self, Kit};
    let t = TempVault::new();
    let mut v = t.create();
    let added = starter::apply(&mut v, Kit::Clinic, now()).unwrap();
    assert_eq!(
        (added.purposes, added.data_categories, added.retention_rows),
        (3, 1, 1)
    );
    let again = starter::apply(&mut v, Kit::Clinic, now()).unwrap();
    assert_eq!(again, starter::Applied::default());
    let cats = derbes::registry::catalog::all(v.conn()).unwrap();
    let medical = cats
        .purposes
        .iter()
        .find(|p| p.code == "medical_care")
        .unwrap();
    assert_eq!(medical.retention_days, Some(9125));
    assert!(
        medical
            .check_note
            .as_deref()
            .unwrap()
            .contains("check before use")
    );
    assert!(
        medical.retention_note.contains("Health"),
        "{}",
        medical.retention_note
    );
    assert!(cats.retention_by_category[0].check_note.is_some());
    // Saved by the user (here with the same values): confirmed.
    derbes::registry::catalog::save_item(
        &mut v,
        derbes::registry::catalog::CatalogTable::Purpose,
        Some(medical.id),
        &derbes::registry::catalog::ItemInput {
            code: medical.code.clone(),
            name_ru: medical.name_ru.clone(),
            name_kk: medical.name_kk.clone(),
            name_en: medical.name_en.clone(),
            is_marketing: false,
            retention_days: medical.retention_days,
            retention_source: medical.retention_source.clone(),
            retention_note: medical.retention_note.clone(),
        },
        now(),
    )
    .unwrap();
    let cats = derbes::registry::catalog::all(v.conn()).unwrap();
    let medical = cats
        .purposes
        .iter()
        .find(|p| p.code == "medical_care")
        .unwrap();
    assert_eq!(medical.check_note, None);
    // The other kits apply on top; the generic one adds only the employees' purpose.
    assert_eq!(
        starter::apply(&mut v, Kit::School, now()).unwrap().purposes,
        1
    );
    assert_eq!(
        starter::apply(&mut v, Kit::Generic, now())
            .unwrap()
            .purposes,
        0
    );
    assert_eq!(starter::parse("zoo").unwrap_err().code(), "invalid");
}
