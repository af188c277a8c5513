//! The registry: subjects, search, consents, the suppression list, CSV import and export.

mod common;

use common::*;
use derbes::files::csv_table;
use derbes::registry::card;
use derbes::registry::consent::{self, ConsentInput};
use derbes::registry::import::{self, Duplicates};
use derbes::registry::search::{self, ConsentFilter, Query};
use derbes::registry::subject::{self, SubjectInput};
use derbes::{Error, Vault, registry::suppression};

fn person(iin: &str, surname: &str, given: &str, email: &str) -> SubjectInput {
    SubjectInput {
        iin: iin.into(),
        surname: surname.into(),
        given_name: given.into(),
        emails: vec![email.into()],
        phones: vec!["+7 701 555 12 34".into()],
        ..SubjectInput::default()
    }
}

/// Checks and writes a table, as the window and the CLI do.
fn import_table(
    v: &mut Vault,
    table: &csv_table::Table,
    mapping: &import::Mapping,
    duplicates: Duplicates,
    skip_invalid: bool,
) -> Result<import::Report, Error> {
    let checked = import::check(v.conn(), table, mapping, today())?;
    let options = import::Options {
        duplicates,
        skip_invalid,
        add_unknown: false,
    };
    import::commit(v, table, checked, options, now())
}

fn marketing(v: &Vault) -> i64 {
    v.conn()
        .query_row("SELECT id FROM purpose WHERE code = 'marketing'", [], |r| {
            r.get(0)
        })
        .unwrap()
}

fn found(v: &Vault, text: &str) -> Vec<i64> {
    let q = Query {
        text: text.into(),
        limit: 50,
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
fn subjects_are_validated_and_unique_by_iin() {
    let t = TempVault::new();
    let mut v = t.create();
    let id = subject::create(
        &mut v,
        &person("850808310738", "Қасымов", "Қайрат", "k@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    let err = subject::create(
        &mut v,
        &person("850808310738", "Другой", "Человек", "x@mail.kz"),
        today(),
        now(),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::DuplicateIin { existing_id } if existing_id == id),
        "{err:?}"
    );
    assert_eq!(err.code(), "subject.duplicate_iin");
    let err = subject::create(
        &mut v,
        &person("850808310737", "Қасымов", "Қайрат", "k@mail.kz"),
        today(),
        now(),
    )
    .unwrap_err();
    match err {
        Error::Invalid(issues) => assert_eq!(issues[0].code, "iin.check_digit"),
        other => panic!("{other:?}"),
    }
    // The message names fields and codes, never the values typed.
    let err = subject::create(
        &mut v,
        &person("850808310737", "Секретов", "Иван", "secret@mail.kz"),
        today(),
        now(),
    )
    .unwrap_err();
    assert!(!err.to_string().contains("850808310737") && !err.to_string().contains("Секретов"));
    let card = card::read_card(v.conn(), id, today()).unwrap();
    assert_eq!(card.birth_date.as_deref(), Some("1985-08-08"));
    assert_eq!(card.phones, ["+7 701 555 12 34"]);
}

#[test]
fn search_folds_kazakh_letters_and_yo() {
    let t = TempVault::new();
    let mut v = t.create();
    let a = subject::create(
        &mut v,
        &person("850808310738", "Қасымов", "Қайрат", "kairat.k@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    let b = subject::create(
        &mut v,
        &person("900115400109", "Әлімжанова", "Әйгерім", "aigerim@inbox.kz"),
        today(),
        now(),
    )
    .unwrap();
    let c = subject::create(
        &mut v,
        &person("050321512348", "Фёдоров", "Артём", "fedorov@yandex.kz"),
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(found(&v, "кайрат"), [a]);
    assert_eq!(found(&v, "Қайрат"), [a]);
    assert_eq!(found(&v, "айгерим"), [b]);
    assert_eq!(found(&v, "алимж"), [b]);
    assert_eq!(found(&v, "федоров артем"), [c]);
    assert_eq!(found(&v, "9001154"), [b]);
    assert_eq!(found(&v, "kairat.k"), [a]);
    assert_eq!(found(&v, "inbox"), [b]);
    assert_eq!(found(&v, "7015551234").len(), 3, "by phone digits");
    assert_eq!(found(&v, "5551234").len(), 3, "by the local seven digits");
    assert!(found(&v, "несуществующий").is_empty());
    // An edit re-indexes.
    let mut p = person("050321512348", "Сәрсенбаев", "Артём", "fedorov@yandex.kz");
    p.patronymic = "Ұланұлы".into();
    subject::update(&mut v, c, &p, today(), now()).unwrap();
    assert!(found(&v, "федоров").is_empty());
    assert_eq!(found(&v, "сарсен уланулы"), [c]);
    // All subjects in alphabetical order of the folded names.
    let all = search::search(
        v.conn(),
        &Query {
            limit: 10,
            ..Query::default()
        },
        today(),
    )
    .unwrap();
    assert_eq!(all.total, 3);
    let names: Vec<_> = all.rows.iter().map(|r| r.surname.as_str()).collect();
    assert_eq!(names, ["Әлімжанова", "Қасымов", "Сәрсенбаев"]);
}

#[test]
fn consents_keep_history_and_feed_the_suppression_list() {
    let t = TempVault::new();
    let mut v = t.create();
    let id = subject::create(
        &mut v,
        &person("850808310738", "Қасымов", "Қайрат", "kairat@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    let other = subject::create(
        &mut v,
        &person("900115400109", "Иванова", "Анна", "anna@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    let m = marketing(&v);
    let input = ConsentInput {
        purpose_id: m,
        granted_at: "2026-01-10".into(),
        form: "electronic".into(),
        data_list: "ФИО, e-mail".into(),
        ..ConsentInput::default()
    };
    let cid = consent::record(&mut v, id, &input, today(), now()).unwrap();
    consent::record(&mut v, other, &input, today(), now()).unwrap();
    assert!(suppression::list(v.conn(), today()).unwrap().is_empty());
    let active = Query {
        consent: Some(ConsentFilter::Active),
        purpose_id: Some(m),
        limit: 50,
        ..Query::default()
    };
    assert_eq!(search::search(v.conn(), &active, today()).unwrap().total, 2);

    consent::withdraw(&mut v, cid, today(), "email", None, now()).unwrap();
    let err = consent::withdraw(&mut v, cid, today(), "email", None, now()).unwrap_err();
    assert_eq!(err.code(), "consent.already_withdrawn");
    let list = suppression::list(v.conn(), today()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].subject_id, list[0].reason),
        (id, suppression::Reason::Withdrawn)
    );
    let card = card::read_card(v.conn(), id, today()).unwrap();
    assert_eq!(
        card.consents.len(),
        1,
        "the consent is kept, marked withdrawn"
    );
    assert_eq!(card.consents[0].state, consent::State::Withdrawn);
    let withdrawn = Query {
        consent: Some(ConsentFilter::Withdrawn),
        limit: 50,
        ..Query::default()
    };
    assert_eq!(
        search::search(v.conn(), &withdrawn, today()).unwrap().rows[0].id,
        id
    );

    // A refusal of marketing mail (policy 6.2) puts the other subject on the list too.
    suppression::refuse_marketing(&mut v, other, today(), "email", None, now()).unwrap();
    assert_eq!(suppression::list(v.conn(), today()).unwrap().len(), 2);

    // An expired consent counts as absent (policy 8.9).
    let expired = ConsentInput {
        valid_until: "2026-02-01".into(),
        ..input.clone()
    };
    let third = subject::create(
        &mut v,
        &person("050321512348", "Ким", "Олег", "kim@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    consent::record(&mut v, third, &expired, today(), now()).unwrap();
    let card = card::read_card(v.conn(), third, today()).unwrap();
    assert_eq!(card.consents[0].state, consent::State::Expired);
    let without = Query {
        consent: Some(ConsentFilter::Without),
        purpose_id: Some(m),
        limit: 50,
        ..Query::default()
    };
    // The withdrawn and the expired one; the refusing subject still has a consent on record.
    assert_eq!(
        search::search(v.conn(), &without, today()).unwrap().total,
        2
    );
    // Cross-border consent must name the countries (Art. 16; policy 10.2).
    let cross = ConsentInput {
        cross_border: true,
        ..input
    };
    let err = consent::record(&mut v, third, &cross, today(), now()).unwrap_err();
    assert!(
        matches!(err, Error::Invalid(ref i) if i[0].field == "countries"),
        "{err:?}"
    );
}

#[test]
fn mailing_list_is_cleaned_of_suppressed_people() {
    let t = TempVault::new();
    let mut v = t.create();
    let m = marketing(&v);
    let input = ConsentInput {
        purpose_id: m,
        form: "written".into(),
        ..ConsentInput::default()
    };
    let refused = subject::create(
        &mut v,
        &person("850808310738", "Қасымов", "Қайрат", "Kairat@Mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    suppression::refuse_marketing(&mut v, refused, today(), "email", None, now()).unwrap();
    let consented = subject::create(
        &mut v,
        &person("900115400109", "Иванова", "Анна", "anna@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    consent::record(&mut v, consented, &input, today(), now()).unwrap();
    subject::create(
        &mut v,
        &person("050321512348", "Ким", "Олег", "kim@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    let list = "Имя;Почта\nКайрат;kairat@mail.kz\nАнна;anna@mail.kz\nОлег;kim@mail.kz\nНезнакомец;stranger@example.com\n";
    let table = csv_table::parse(list.as_bytes()).unwrap();
    let mut out = Vec::new();
    let r = suppression::clean(v.conn(), &table, &mut out, false, today()).unwrap();
    assert_eq!((r.rows, r.kept, r.removed), (4, 3, 1));
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains("kairat@mail.kz") && text.contains("stranger@example.com"));
    // Asking for a valid marketing consent also removes registry people without one.
    let r = suppression::clean(v.conn(), &table, Vec::new(), true, today()).unwrap();
    assert_eq!((r.kept, r.removed), (2, 2));
    assert_eq!(
        r.removed_by_reason,
        [
            (suppression::Reason::Refused, 1),
            (suppression::Reason::NoConsent, 1)
        ]
    );
    let mut exported = Vec::new();
    assert_eq!(
        suppression::export_csv(v.conn(), &mut exported, today())
            .unwrap()
            .lines,
        1
    );
    assert!(
        String::from_utf8(exported)
            .unwrap()
            .contains("kairat@mail.kz;+77015551234;refused")
    );
}

const GOOD: &str = "Фамилия;Имя;Отчество;ИИН;E-mail;Телефон;Примечание
Қасымов;Қайрат;Серікұлы;850808310738;kairat@mail.kz;8 701 111 22 33;
Иванова;Анна;Сергеевна;900115400109;anna@mail.kz;+7 702 222 33 44;<script>alert(1)</script>
";

#[test]
fn import_reports_every_bad_row_and_writes_all_or_nothing() {
    let t = TempVault::new();
    let mut v = t.create();
    let bad = format!(
        "{GOOD}Ошибкин;Иван;;850808310737;ivan@mail;;\n;Безфамильный;;101231604577;;;\nҚасымов;Дубль;;850808310738;;;\n"
    );
    let table = csv_table::parse(bad.as_bytes()).unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let report = import::check(v.conn(), &table, &mapping, today())
        .unwrap()
        .report;
    assert_eq!((report.rows, report.new, report.invalid_rows), (5, 2, 3));
    let issues: Vec<_> = report
        .issues
        .iter()
        .map(|i| (i.line, i.field, i.code))
        .collect();
    assert_eq!(
        issues,
        [
            (4, "iin", "iin.check_digit"),
            (4, "emails", "email.invalid"),
            (5, "surname", "required"),
            (6, "iin", "iin.duplicate_in_file"),
        ]
    );
    let err = import_table(&mut v, &table, &mapping, Duplicates::Skip, false).unwrap_err();
    assert_eq!(err.code(), "import.invalid_rows");
    let count = |v: &Vault| {
        v.conn()
            .query_row("SELECT count(*) FROM subject", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(count(&v), 0, "nothing written");
    let done = import_table(&mut v, &table, &mapping, Duplicates::Skip, true).unwrap();
    assert_eq!((done.created, done.skipped), (2, 0));
    assert_eq!(count(&v), 2);
    // User text is stored as text, whatever it contains.
    let notes: String = v
        .conn()
        .query_row(
            "SELECT notes FROM subject WHERE surname = 'Иванова'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(notes, "<script>alert(1)</script>");
}

#[test]
fn import_in_windows_1251_with_duplicates_skipped_or_updated() {
    let t = TempVault::new();
    let mut v = t.create();
    // Windows-1251 has no Kazakh letters: the file a Russian-locale Excel saves.
    let russian = GOOD.replace("Қасымов;Қайрат;Серікұлы", "Касымов;Кайрат;Серикович");
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&russian);
    let table = csv_table::parse(&cp1251).unwrap();
    assert_eq!(table.encoding, csv_table::Encoding::Windows1251);
    let mapping = import::guess_mapping(&table.headers);
    import_table(&mut v, &table, &mapping, Duplicates::Skip, false).unwrap();
    let changed = GOOD.replace("anna@mail.kz", "anna.new@mail.kz");
    let table = csv_table::parse(changed.as_bytes()).unwrap();
    let r = import_table(&mut v, &table, &mapping, Duplicates::Skip, false).unwrap();
    assert_eq!((r.created, r.skipped, r.updated), (0, 2, 0));
    let r = import_table(&mut v, &table, &mapping, Duplicates::Update, false).unwrap();
    assert_eq!((r.created, r.updated), (0, 2));
    assert_eq!(found(&v, "anna.new"), found(&v, "иванова"));
}

#[test]
fn export_round_trips_and_neutralizes_formulas() {
    let t = TempVault::new();
    let mut v = t.create();
    let mut p = person(
        "850808310738",
        "=HYPERLINK(\"http://x\")",
        "Қайрат",
        "k@mail.kz",
    );
    p.notes = "@SUM(A1)".into();
    subject::create(&mut v, &p, today(), now()).unwrap();
    subject::create(
        &mut v,
        &person("900115400109", "Иванова", "Анна", "anna@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    let mut out = Vec::new();
    let n = derbes::registry::export::subjects_csv(
        v.conn(),
        &mut out,
        derbes::base::language::Language::Ru,
    )
    .unwrap();
    assert_eq!(n, 2);
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(
        text.contains("'=HYPERLINK")
            && text.contains("'@SUM(A1)")
            && text.contains(";+7 701 555 12 34")
            && !text.contains("'+7")
    );
    // Import the export into a fresh vault: the same people, the formula text intact.
    let t2 = TempVault::new();
    let mut v2 = t2.create();
    let table = csv_table::parse(&out).unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let r = import_table(&mut v2, &table, &mapping, Duplicates::Skip, false).unwrap();
    assert_eq!(r.created, 2);
    let surname: String = v2
        .conn()
        .query_row(
            "SELECT surname FROM subject WHERE iin = '850808310738'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(surname, "=HYPERLINK(\"http://x\")");
}

#[test]
fn bad_files_are_refused_clearly() {
    assert_eq!(
        csv_table::parse(b"\x89PNG\r\n\x1a\n\x00\x00")
            .unwrap_err()
            .code(),
        "csv.binary"
    );
    assert_eq!(csv_table::parse(b"").unwrap_err().code(), "csv.empty");
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let err = csv_table::read_file(&big).unwrap_err();
    assert_eq!(err.code(), "csv.too_large");
    let t = TempVault::new();
    let v = t.create();
    let table = csv_table::parse("Имя;Почта\nАнна;a@b.kz\n".as_bytes()).unwrap();
    let mapping = import::guess_mapping(&table.headers);
    assert_eq!(
        import::check(v.conn(), &table, &mapping, today())
            .unwrap_err()
            .code(),
        "csv.missing_column"
    );
}

#[test]
fn card_openings_are_journaled_without_personal_data() {
    let t = TempVault::new();
    let mut v = t.create();
    let id = subject::create(
        &mut v,
        &person("850808310738", "Қасымов", "Қайрат", "kairat@mail.kz"),
        today(),
        now(),
    )
    .unwrap();
    card::open_card(&mut v, id, today(), now()).unwrap();
    let last = derbes::vault::journal::recent(v.conn(), 1).unwrap();
    assert_eq!(
        (last[0].entry.action.as_str(), last[0].entry.record_id),
        ("subject.viewed", Some(id))
    );
    let journal_text: String = v
        .conn()
        .query_row(
            "SELECT group_concat(action || coalesce(record_kind, '') || detail || os_user || responsible, ' ') FROM journal",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for value in [
        "850808310738",
        "Қасымов",
        "Қайрат",
        "kairat@mail.kz",
        "7015551234",
    ] {
        assert!(!journal_text.contains(value), "the journal holds {value}");
    }
    derbes::vault::journal::verify(v.conn()).unwrap();
}

#[test]
fn catalogues_are_editable() {
    use derbes::registry::catalog::{self, CatalogTable, ItemInput};
    let t = TempVault::new();
    let mut v = t.create();
    let input = ItemInput {
        code: "loyalty".into(),
        name_ru: "Программа лояльности".into(),
        retention_days: Some(1095),
        ..ItemInput::default()
    };
    let seeded = catalog::categories(v.conn()).unwrap();
    assert_eq!(seeded.len(), 9, "the usual categories are seeded");
    assert!(
        seeded
            .iter()
            .all(|c| !c.is_marketing && c.retention_days.is_none())
    );
    let id = catalog::add_purpose(&mut v, &input, now()).unwrap();
    let p = catalog::purposes(v.conn())
        .unwrap()
        .into_iter()
        .find(|p| p.id == id)
        .unwrap();
    assert_eq!(
        (p.name_kk.as_str(), p.retention_days),
        ("Программа лояльности", Some(1095))
    );
    let err = catalog::add_purpose(&mut v, &input, now()).unwrap_err();
    assert!(
        matches!(err, Error::Invalid(ref i) if i[0].code == "duplicate"),
        "{err:?}"
    );
    let renamed = ItemInput {
        name_kk: "Адалдық бағдарламасы".into(),
        is_marketing: true,
        ..input
    };
    catalog::update_item(&mut v, CatalogTable::Purpose, id, &renamed, now()).unwrap();
    let p = catalog::purposes(v.conn())
        .unwrap()
        .into_iter()
        .find(|p| p.id == id)
        .unwrap();
    assert_eq!(
        (p.name_kk.as_str(), p.is_marketing),
        ("Адалдық бағдарламасы", true)
    );
    let pv = catalog::add_policy_version(&mut v, "2026-12", today(), now()).unwrap();
    assert_eq!(catalog::policy_versions(v.conn()).unwrap()[0].id, pv);
}

#[test]
fn a_short_prefix_with_many_matches_is_paged_alphabetically() {
    let t = TempVault::new();
    let mut v = t.create();
    let spec = derbes::app::demo::Spec {
        subjects: 4000,
        requests: 0,
        seed: 3,
    };
    derbes::app::demo::populate(&mut v, spec, today(), now()).unwrap();
    let q = Query {
        text: "сер".into(),
        limit: 100,
        ..Query::default()
    };
    let page = search::search(v.conn(), &q, today()).unwrap();
    assert!(page.capped, "more than a thousand match");
    assert_eq!(page.rows.len(), 100);
    let keys: Vec<String> = page
        .rows
        .iter()
        .map(|r| {
            derbes::base::fold::fold(&format!("{} {} {}", r.surname, r.given_name, r.patronymic))
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "alphabetical");
    for r in &page.rows {
        let words = derbes::base::fold::words(&format!(
            "{} {} {} {}",
            r.surname,
            r.given_name,
            r.patronymic,
            r.email.clone().unwrap_or_default()
        ));
        assert!(words.iter().any(|w| w.starts_with("сер")), "{words:?}");
    }
    // The next page continues where the first ended.
    let next = search::search(v.conn(), &Query { offset: 100, ..q }, today()).unwrap();
    assert!(
        next.rows
            .iter()
            .all(|r| !page.rows.iter().any(|p| p.id == r.id))
    );
}

/// The ids in list order, by the alphabetical index and by the search index's order.
fn orders(v: &Vault) -> (Vec<i64>, Vec<i64>) {
    let ids = |sql: &str| -> Vec<i64> {
        let mut st = v.conn().prepare(sql).unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let by_key = ids("SELECT id FROM subject ORDER BY sort_key, id");
    assert_eq!(
        list_pages(v),
        by_key,
        "the list's pages, each started at its block of ranks"
    );
    (
        by_key,
        ids(
            "SELECT s.id FROM subject_fts CROSS JOIN subject s ON s.rank = subject_fts.rowid
             ORDER BY subject_fts.rowid",
        ),
    )
}

/// The whole list as the window pages it (pages of 37, so that pages straddle the blocks).
fn list_pages(v: &Vault) -> Vec<i64> {
    let mut ids = Vec::new();
    loop {
        let q = Query {
            offset: ids.len() as u32,
            limit: 37,
            ..Query::default()
        };
        let page = search::search(v.conn(), &q, today()).unwrap();
        if page.rows.is_empty() {
            return ids;
        }
        ids.extend(page.rows.iter().map(|r| r.id));
    }
}

#[test]
fn search_order_survives_crowded_additions_renames_and_imports() {
    let t = TempVault::new();
    let mut v = t.create();
    let add = |v: &mut Vault, surname: &str, given: &str| -> i64 {
        let input = SubjectInput {
            doc_number: format!("N{surname}{given}"),
            surname: surname.into(),
            given_name: given.into(),
            ..SubjectInput::default()
        };
        subject::create(v, &input, today(), now()).unwrap()
    };
    add(&mut v, "Яковлев", "Борис");
    add(&mut v, "Абаев", "Нурлан");
    // The same name again and again lands in the same gap each time, and halves it: this uses
    // gaps up many times over and makes the neighbours move.
    let mut same = Vec::new();
    for i in 0..150 {
        same.push(add(&mut v, "Иванов", &format!("Иван{:03}", 150 - i)));
        same.push(add(&mut v, "Иванов", "Иван"));
    }
    let (by_key, by_rank) = orders(&v);
    assert_eq!(by_key.len(), 302);
    assert_eq!(by_key, by_rank, "the search index keeps list order");

    // A rename moves the subject in both orders.
    let first = same[0];
    let input = SubjectInput {
        doc_number: "N-first".into(),
        surname: "Юсупов".into(),
        given_name: "Иван".into(),
        ..SubjectInput::default()
    };
    subject::update(&mut v, first, &input, today(), now()).unwrap();
    let (by_key, by_rank) = orders(&v);
    assert_eq!(by_key, by_rank);
    assert_eq!(found(&v, "юсупов"), vec![first]);
    assert_eq!(found(&v, "иванов").len(), 50, "a page of 50");

    // Pages of a search follow the list order exactly.
    let q = Query {
        text: "иван".into(),
        limit: 40,
        ..Query::default()
    };
    let mut paged = Vec::new();
    for offset in (0..400).step_by(40) {
        let page = search::search(
            v.conn(),
            &Query {
                offset,
                ..q.clone()
            },
            today(),
        )
        .unwrap();
        assert_eq!(page.total, 300, "299 Ивановs and Юсупов Иван");
        assert!(!page.capped);
        paged.extend(page.rows.iter().map(|r| r.id));
    }
    let expected: Vec<i64> = by_key
        .iter()
        .copied()
        .filter(|id| same.contains(id))
        .collect();
    assert_eq!(paged, expected);

    // A small import places each new row; a large one renumbers everyone. Both keep the order.
    for n in [30, 2500] {
        let mut csv = String::from("surname;given_name;document\n");
        for i in 0..n {
            csv.push_str(&format!("Иванова{};Айгерім{i};D{n}x{i}\n", i % 7));
        }
        let table = csv_table::parse(csv.as_bytes()).unwrap();
        let mapping = import::guess_mapping(&table.headers);
        import_table(&mut v, &table, &mapping, Duplicates::Skip, false).unwrap();
        let (by_key, by_rank) = orders(&v);
        assert_eq!(by_key.len(), 302 + 30 + if n == 2500 { 2500 } else { 0 });
        assert_eq!(by_key, by_rank, "after importing {n}");
    }
    let fts: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM subject_fts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fts, 302 + 30 + 2500, "one search row per subject");
    assert_eq!(
        found(&v, "айгерим29").len(),
        1 + 11,
        "айгерим29, 290..299 of the large import"
    );
    derbes::vault::journal::verify(v.conn()).unwrap();
}

#[test]
fn far_pages_of_the_list_are_the_alphabets_pages() {
    let t = TempVault::new();
    let mut v = t.create();
    let spec = derbes::app::demo::Spec {
        subjects: 6000,
        requests: 0,
        seed: 5,
    };
    derbes::app::demo::populate(&mut v, spec, today(), now()).unwrap();
    let ids = |v: &Vault, sql: &str| -> Vec<(i64, i64)> {
        let mut st = v.conn().prepare(sql).unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let listed = |v: &Vault| -> Vec<i64> {
        ids(
            v,
            "SELECT id, 0 FROM subject WHERE status IN ('active', 'blocked') ORDER BY sort_key, id",
        )
        .into_iter()
        .map(|(id, _)| id)
        .collect()
    };
    // Ranks spaced 2^14 apart: 6 000 people span several blocks of 2^24, and the triggers' counts
    // are the counts of the ranks.
    let blocks = ids(&v, "SELECT block, n FROM rank_block ORDER BY block");
    assert!(blocks.len() >= 5, "{blocks:?}");
    assert_eq!(
        blocks,
        ids(
            &v,
            "SELECT rank >> 24, count(*) FROM subject WHERE rank IS NOT NULL GROUP BY 1 ORDER BY 1"
        )
    );
    let expected = listed(&v);
    assert_eq!(list_pages(&v), expected);
    // A page that begins exactly at a block's first person, and one past the end.
    let first = blocks[0].1 as u32;
    let q = Query {
        offset: first,
        limit: 3,
        ..Query::default()
    };
    let page = search::search(v.conn(), &q, today()).unwrap();
    let got: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
    assert_eq!(got, expected[first as usize..first as usize + 3]);
    let past = Query {
        offset: expected.len() as u32 + 5,
        ..q
    };
    assert!(
        search::search(v.conn(), &past, today())
            .unwrap()
            .rows
            .is_empty()
    );
    // A person without a rank (as mid-rebuild): the blocks no longer add up and the list steps
    // over every entry as before — still the alphabet's order, the person included.
    v.conn()
        .execute(
            "UPDATE subject SET rank = NULL WHERE id = ?1",
            [expected[4000]],
        )
        .unwrap();
    assert_eq!(list_pages(&v), expected);
}

#[test]
fn a_large_import_into_a_crowded_gap_renumbers_the_list() {
    let t = TempVault::new();
    let mut v = t.create();
    // Two neighbours with a gap too small for 2 500 new subjects between them.
    for (surname, doc) in [("Яковлев", "Y1"), ("Абаев", "A1")] {
        let input = SubjectInput {
            doc_number: doc.into(),
            surname: surname.into(),
            given_name: "Борис".into(),
            ..SubjectInput::default()
        };
        subject::create(&mut v, &input, today(), now()).unwrap();
    }
    let mut csv = String::from("surname;given_name;document\n");
    for i in 0..2500 {
        csv.push_str(&format!("Ибраев{};Ерлан{i};E{i}\n", i % 13));
    }
    let table = csv_table::parse(csv.as_bytes()).unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let r = import_table(&mut v, &table, &mapping, Duplicates::Skip, false).unwrap();
    assert_eq!(r.created, 2500);
    let (by_key, by_rank) = orders(&v);
    assert_eq!(by_key.len(), 2502);
    assert_eq!(by_key, by_rank);
    assert_eq!(found(&v, "ерлан2499").len(), 1);
}

#[test]
fn duplicate_columns_are_named_not_silently_dropped() {
    let table = csv_table::parse(
        "Фамилия;ИИН;Имя;ЖСН\nҚасымов;850808310738;Қайрат;850808310738\n".as_bytes(),
    )
    .unwrap();
    let err = import::check_headers(&table.headers).unwrap_err();
    assert_eq!(err.code(), "csv.duplicate_column");
    let text = err.to_string();
    assert!(
        text.contains("\"ИИН\"") && text.contains("\"ЖСН\""),
        "{text}"
    );
    let fine =
        csv_table::parse("Фамилия;ИИН;Имя\nҚасымов;850808310738;Қайрат\n".as_bytes()).unwrap();
    assert!(import::check_headers(&fine.headers).is_ok());
}
