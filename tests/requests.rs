//! Requests: deadlines with the vault's calendar, e-mail intake, the workflow.

mod common;

use chrono::{FixedOffset, NaiveDate};
use common::*;
use derbes::base::calendar::Calendar;
use derbes::base::deadline::{Standing, default_rule, due_date};
use derbes::registry::subject::{self, SubjectInput};
use derbes::requests::request::{
    self, Channel, IdentityMethod, ListQuery, PauseReason, RequestInput, RequestStatus, View,
};
use derbes::requests::workdays::{self, DayChange};
use derbes::{RequestKind, Vault, files::csv_table, files::eml, requests::intake};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn almaty() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/eml/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn input(kind: RequestKind, received: &str) -> RequestInput {
    RequestInput {
        subject_id: None,
        requester: "Иванов И.".into(),
        sender: String::new(),
        kind,
        channel: Channel::Paper,
        received_on: received.into(),
        incoming_ref: "ВХ-1".into(),
        body: String::new(),
        linked_to: None,
        representative: Default::default(),
    }
}

fn person(v: &mut Vault, iin: &str, email: &str) -> i64 {
    let input = SubjectInput {
        iin: iin.into(),
        surname: "Қасымов".into(),
        given_name: "Қайрат".into(),
        emails: vec![email.into()],
        ..SubjectInput::default()
    };
    subject::create(v, &input, today(), now()).unwrap()
}

#[test]
fn every_kind_gets_its_legal_due_date() {
    let c = Calendar::builtin();
    // Received Friday 2026-03-20, before the Nauryz days 23–25 March.
    let received = d(2026, 3, 20);
    let expected = [
        (RequestKind::Access, d(2026, 3, 30)),
        (RequestKind::Update, d(2026, 3, 26)),
        (RequestKind::Block, d(2026, 3, 26)),
        (RequestKind::Unblock, d(2026, 3, 26)),
        (RequestKind::Destroy, d(2026, 3, 26)),
        (RequestKind::WithdrawConsent, d(2026, 3, 26)),
        (RequestKind::RefuseMarketing, d(2026, 3, 26)),
        (RequestKind::StopProcessing, d(2026, 3, 26)),
        // 10 calendar days: Monday 30 March is a working day.
        (RequestKind::Authority, d(2026, 3, 30)),
        (RequestKind::Breach, d(2026, 3, 26)),
        // Internal target of 10 working days: 26, 27, 30, 31 Mar, 1–3, 6–8 Apr.
        (RequestKind::Other, d(2026, 4, 8)),
    ];
    assert_eq!(expected.len(), RequestKind::ALL.len());
    for (kind, due) in expected {
        assert_eq!(due_date(&default_rule(kind), received, &c), due, "{kind}");
    }
}

#[test]
fn calendar_edge_cases() {
    let c = Calendar::builtin();
    let wd = |from: NaiveDate, n| c.add_working_days(from, n);
    // Received on a Saturday: day 1 is Monday.
    assert_eq!(wd(d(2026, 11, 28), 1), d(2026, 11, 30));
    // Received on a holiday (Independence Day, Wed 16 Dec 2026).
    assert_eq!(wd(d(2026, 12, 16), 1), d(2026, 12, 17));
    // Year end: 31 Dec 2026 (Thu) → 1 Jan off, weekend, 4 Jan (2 Jan moved), 5 Jan; 7 Jan off.
    assert_eq!(wd(d(2026, 12, 31), 3), d(2027, 1, 8));
    // Holidays on a weekend move: 8 March 2026 is a Sunday, so Monday 9 March is off.
    assert!(!c.is_working_day(d(2026, 3, 9)));
    // Religious days do not move: 7 Jan 2029 would be a Sunday; here 2026-01-07 (Wed) is off.
    assert!(!c.is_working_day(d(2026, 1, 7)));
    // The decree transfer of 2025: 3 January was off, worked on Sunday 5 January.
    assert!(!c.is_working_day(d(2025, 1, 3)));
    assert!(c.is_working_day(d(2025, 1, 5)));
    // Calendar days landing on a weekend move to the next working day (domain example): 30 August
    // is no longer Constitution Day from 2026, so Monday 31 August is a working day.
    assert_eq!(
        due_date(&default_rule(RequestKind::Authority), d(2026, 8, 20), &c),
        d(2026, 8, 31)
    );
    // Leap years count 29 February (2028: Tuesday).
    let plain = Calendar::plain();
    assert_eq!(plain.add_working_days(d(2028, 2, 28), 1), d(2028, 2, 29));
    assert_eq!(plain.add_working_days(d(2027, 2, 26), 1), d(2027, 3, 1));
    // Every built-in holiday of 2026 is a day off.
    for h in [
        (1, 1),
        (1, 2),
        (1, 7),
        (3, 9),
        (3, 23),
        (3, 24),
        (3, 25),
        (5, 1),
        (5, 7),
        (5, 11),
        (5, 27),
        (7, 6),
        (10, 26),
        (12, 16),
    ] {
        assert!(!c.is_working_day(d(2026, h.0, h.1)), "{h:?}");
    }
    // 30 August is no longer Constitution Day from 2026: Monday 31 August is worked.
    assert!(c.is_working_day(d(2026, 8, 31)));
}

#[test]
fn requests_take_the_vaults_calendar_and_editing_it_recomputes_open_ones() {
    let t = TempVault::new();
    let mut v = t.create();
    // Received Wednesday 18 Nov 2026: `access` is due Monday 23 Nov.
    let id = request::create(
        &mut v,
        &input(RequestKind::Access, "18.11.2026"),
        today(),
        now(),
    )
    .unwrap();
    let closed = request::create(
        &mut v,
        &input(RequestKind::Access, "2026-11-18"),
        today(),
        now(),
    )
    .unwrap();
    request::answer(&mut v, closed, "2026-11-19", today(), now()).unwrap();
    assert_eq!(
        request::get(v.conn(), id, today()).unwrap().due_on,
        d(2026, 11, 23)
    );
    // A decree makes Friday 20 Nov a day off: the open request moves, the answered one does not.
    let changed = workdays::set_day(
        &mut v,
        d(2026, 11, 20),
        DayChange::Off,
        "decree",
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(changed, 1);
    assert_eq!(
        request::get(v.conn(), id, today()).unwrap().due_on,
        d(2026, 11, 24)
    );
    assert_eq!(
        request::get(v.conn(), closed, today()).unwrap().due_on,
        d(2026, 11, 23)
    );
    // Back to the plain week.
    workdays::set_day(
        &mut v,
        d(2026, 11, 20),
        DayChange::Plain,
        "",
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(
        request::get(v.conn(), id, today()).unwrap().due_on,
        d(2026, 11, 23)
    );

    // 2028 is not kept yet: only the fixed-date holidays are known, and the window is told.
    let later = d(2027, 12, 1);
    assert!(
        workdays::unconfirmed_years(v.conn(), later)
            .unwrap()
            .contains(&2028)
    );
    let csv = "date;kind;note\n2028-01-01;off;Жаңа жыл\n03.01.2028;выходной;перенос\n2028-01-08;рабочий;перенос\n";
    let table = csv_table::parse(csv.as_bytes()).unwrap();
    let plan =
        workdays::plan_import(v.conn(), &table, 2028, workdays::ImportMode::Replace).unwrap();
    workdays::apply_import(&mut v, &plan, later, now()).unwrap();
    assert_eq!(
        workdays::days_of(v.conn(), 2028).unwrap().len(),
        2,
        "1 Jan 2028 is a Saturday: the plain week"
    );
    assert!(
        !workdays::unconfirmed_years(v.conn(), later)
            .unwrap()
            .contains(&2028)
    );
    let cal = workdays::load(v.conn(), later).unwrap();
    assert!(
        cal.is_working_day(d(2028, 1, 8)),
        "a working Saturday by decree"
    );
    assert!(!cal.is_working_day(d(2028, 1, 3)));
    // A bad row refuses the whole table, with its line.
    let bad = "date;kind\n2028-02-01;off\n2029-01-01;off\nnot a date;off\n2028-03-01;maybe\n";
    let table = csv_table::parse(bad.as_bytes()).unwrap();
    let err =
        workdays::plan_import(v.conn(), &table, 2028, workdays::ImportMode::Merge).unwrap_err();
    assert_eq!(err.code(), "calendar.invalid_rows");
    match err {
        derbes::Error::CalendarRows(rows) => assert_eq!(
            rows,
            vec![
                (3, "date.other_year"),
                (4, "date.format"),
                (5, "calendar.kind")
            ]
        ),
        e => panic!("{e}"),
    }
    assert_eq!(
        workdays::days_of(v.conn(), 2028).unwrap().len(),
        2,
        "unchanged"
    );
    derbes::vault::journal::verify(v.conn()).unwrap();
}

#[test]
fn the_workflow_goes_step_by_step_and_is_journaled() {
    let t = TempVault::new();
    let mut v = t.create();
    let s = person(&mut v, "850808310738", "k@mail.kz");
    let mut i = input(RequestKind::Access, "2026-11-23");
    i.subject_id = Some(s);
    let id = request::create(&mut v, &i, today(), now()).unwrap();
    let r = request::get(v.conn(), id, today()).unwrap();
    assert_eq!(r.status, RequestStatus::New);
    assert_eq!(r.due_on, d(2026, 11, 26));
    assert_eq!(r.standing, Some(Standing::DueIn(1)));
    assert_eq!(r.who, "Қасымов Қайрат");

    // Closing a new request skips steps: refused.
    let err = request::close(&mut v, id, today(), now()).unwrap_err();
    assert_eq!(err.code(), "request.transition");
    request::start(&mut v, id, now()).unwrap();
    assert_eq!(
        request::start(&mut v, id, now()).unwrap_err().code(),
        "request.transition"
    );
    request::pause(
        &mut v,
        id,
        PauseReason::Identity,
        "2026-11-24",
        today(),
        now(),
    )
    .unwrap();
    let r = request::get(v.conn(), id, today()).unwrap();
    assert_eq!(r.pauses.len(), 1);
    assert_eq!(
        r.due_on,
        d(2026, 11, 26),
        "waiting does not move the legal date"
    );
    request::record_identity(
        &mut v,
        id,
        IdentityMethod::SignedLetter,
        "2026-11-25",
        today(),
        now(),
    )
    .unwrap();
    let r = request::get(v.conn(), id, today()).unwrap();
    assert_eq!(
        r.pauses[0].until_on,
        Some(d(2026, 11, 25)),
        "the check ends the wait"
    );
    assert_eq!(r.identity_method, Some(IdentityMethod::SignedLetter));

    // An extension needs a later date and a reason; the legal date stays.
    let err = request::extend(&mut v, id, "2026-11-25", "", now()).unwrap_err();
    assert_eq!(err.code(), "invalid");
    request::extend(&mut v, id, "2026-12-03", "ответ третьего лица", now()).unwrap();
    let r = request::get(v.conn(), id, today()).unwrap();
    assert_eq!(
        (r.due_on, r.effective_due()),
        (d(2026, 11, 26), d(2026, 12, 3))
    );

    // Dates: not in the future, not before receipt.
    assert_eq!(
        request::answer(&mut v, id, "2026-11-26", today(), now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    assert_eq!(
        request::answer(&mut v, id, "2026-11-20", today(), now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    request::answer(&mut v, id, "25.11.2026", today(), now()).unwrap();
    request::close(&mut v, id, today(), now()).unwrap();
    let r = request::get(v.conn(), id, today()).unwrap();
    assert_eq!(r.status, RequestStatus::Closed);
    assert_eq!(r.standing, None);

    // A refusal needs its legal reason.
    let other = request::create(
        &mut v,
        &input(RequestKind::Destroy, "2026-11-24"),
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(
        request::refuse(&mut v, other, "2026-11-25", "  ", today(), now())
            .unwrap_err()
            .code(),
        "invalid"
    );
    request::refuse(
        &mut v,
        other,
        "2026-11-25",
        "Закон 94-V ст. 9",
        today(),
        now(),
    )
    .unwrap();

    // Every step is in the journal under the request's id.
    let actions: Vec<String> = derbes::vault::journal::recent(v.conn(), 100)
        .unwrap()
        .into_iter()
        .filter(|e| e.entry.request_id == Some(id))
        .map(|e| e.entry.action)
        .rev()
        .collect();
    assert_eq!(
        actions,
        [
            "request.created",
            "request.started",
            "request.paused",
            "request.identity_checked",
            "request.extended",
            "request.answered",
            "request.closed"
        ]
    );
    derbes::vault::journal::verify(v.conn()).unwrap();
}

#[test]
fn lists_put_the_overdue_first_and_count_by_view() {
    let t = TempVault::new();
    let mut v = t.create();
    // today = Wed 25 Nov 2026.
    let overdue = request::create(
        &mut v,
        &input(RequestKind::Update, "2026-11-20"),
        today(),
        now(),
    )
    .unwrap(); // due Mon 23 Nov
    let due_today = request::create(
        &mut v,
        &input(RequestKind::Update, "2026-11-24"),
        today(),
        now(),
    )
    .unwrap();
    let this_week = request::create(
        &mut v,
        &input(RequestKind::Access, "2026-11-25"),
        today(),
        now(),
    )
    .unwrap(); // due 30 Nov
    let ids = |view| {
        let q = ListQuery {
            view,
            limit: 50,
            ..ListQuery::default()
        };
        request::list(v.conn(), &q, today())
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(View::Overdue), [overdue]);
    assert_eq!(ids(View::DueToday), [due_today]);
    assert_eq!(ids(View::DueWeek), [this_week]);
    assert_eq!(ids(View::Open), [overdue, due_today, this_week]);
    let page = request::list(
        v.conn(),
        &ListQuery {
            view: View::Overdue,
            limit: 10,
            ..ListQuery::default()
        },
        today(),
    )
    .unwrap();
    assert_eq!(page.rows[0].standing, Some(Standing::Overdue(2)));
}

#[test]
fn messages_from_different_mail_programs_are_read() {
    let cases = [
        (
            "thunderbird-plain-ru.eml",
            "kairat.kasymov@mail.kz",
            "Қайрат Қасымов",
            Some(RequestKind::RefuseMarketing),
            Some(d(2026, 11, 23)),
            "Прошу больше не присылать мне рекламу",
        ),
        (
            "outlook-multipart-1251.eml",
            "anna@mail.kz",
            "Анна Иванова",
            Some(RequestKind::Update),
            Some(d(2026, 11, 24)),
            "Прошу обновить мой номер телефона",
        ),
        (
            // Sent 01:30 Moscow time on the 25th = 03:30 in Almaty, the 25th.
            "gmail-mixed-kk.eml",
            "aigerim@inbox.kz",
            "Әйгерім Әлімжанова",
            Some(RequestKind::WithdrawConsent),
            Some(d(2026, 11, 25)),
            "Маркетингтік хабарламаларға келісімімді кері қайтарамын",
        ),
        (
            "apple-plain-en.eml",
            "john.smith@example.com",
            "John Smith",
            Some(RequestKind::WithdrawConsent),
            Some(d(2026, 11, 19)),
            "personal data for marketing. Regards",
        ),
        (
            "mailru-koi8-other.eml",
            "petrov@mail.ru",
            "",
            None,
            Some(d(2026, 11, 20)),
            "Когда придёт мой заказ?",
        ),
    ];
    for (file, from, name, kind, date, text) in cases {
        let m = eml::parse(&fixture(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(m.from_address, from, "{file}");
        assert_eq!(m.from_name, name, "{file}");
        assert_eq!(
            derbes::requests::marker::recognise(&m.subject),
            kind,
            "{file}: {}",
            m.subject
        );
        assert_eq!(m.sent_on(almaty()), date, "{file}");
        assert!(m.text.contains(text), "{file}: {}", m.text);
    }
    for file in ["broken-no-headers.eml", "broken-binary.eml"] {
        let err = eml::parse(&fixture(file)).unwrap_err();
        assert_eq!(err.code(), "message.malformed", "{file}");
    }
    // Pasted text: LF line ends, leading blank lines.
    let pasted = String::from_utf8(fixture("apple-plain-en.eml")).unwrap();
    let m = eml::parse(format!("\n\n{pasted}").as_bytes()).unwrap();
    assert_eq!(m.from_address, "john.smith@example.com");
}

#[test]
fn an_email_becomes_a_prefilled_request_matched_to_its_subject() {
    let t = TempVault::new();
    let mut v = t.create();
    let s = person(&mut v, "850808310738", "Kairat.Kasymov@mail.kz");
    let m = eml::parse(&fixture("thunderbird-plain-ru.eml")).unwrap();
    let draft = intake::draft(v.conn(), &m, almaty(), today()).unwrap();
    assert!(draft.recognised);
    assert_eq!(draft.kind, RequestKind::RefuseMarketing);
    assert_eq!(draft.subject_id, Some(s));
    assert_eq!(draft.received_on, Some(d(2026, 11, 23)));
    assert!(draft.duplicates.is_empty());
    let first = request::create(&mut v, &draft.input(), today(), now()).unwrap();
    let r = request::get(v.conn(), first, today()).unwrap();
    assert_eq!(r.channel, Channel::Email);
    assert_eq!(r.sender, "kairat.kasymov@mail.kz");
    assert_eq!(r.due_on, d(2026, 11, 24));
    assert!(r.body.contains("рекламу"));

    // The same message again is a likely duplicate; the user links it.
    let again = intake::draft(v.conn(), &m, almaty(), today()).unwrap();
    assert_eq!(again.duplicates, [first]);
    let mut linked = again.input();
    linked.linked_to = Some(first);
    let second = request::create(&mut v, &linked, today(), now()).unwrap();
    assert_eq!(
        request::get(v.conn(), second, today()).unwrap().linked_to,
        Some(first)
    );

    // An unknown sender stays unmatched; no marker gives "other".
    let m = eml::parse(&fixture("mailru-koi8-other.eml")).unwrap();
    let draft = intake::draft(v.conn(), &m, almaty(), today()).unwrap();
    assert_eq!(
        (draft.kind, draft.recognised, draft.subject_id),
        (RequestKind::Other, false, None)
    );
    assert_eq!(draft.requester, "petrov@mail.ru");
}

#[test]
fn the_period_report_counts_outcomes_on_time_and_the_median() {
    let t = TempVault::new();
    let mut v = t.create();
    let mk = |v: &mut Vault, kind, received: &str| {
        request::create(v, &input(kind, received), today(), now()).unwrap()
    };
    // November 2026: three `access` (due 3 working days after receipt), one `update`, one open.
    let a1 = mk(&mut v, RequestKind::Access, "2026-11-02"); // due 5 Nov
    let a2 = mk(&mut v, RequestKind::Access, "2026-11-09"); // due 12 Nov
    let a3 = mk(&mut v, RequestKind::Access, "2026-11-16"); // due 19 Nov
    let u1 = mk(&mut v, RequestKind::Update, "2026-11-10"); // due 11 Nov
    mk(&mut v, RequestKind::Update, "2026-11-24");
    mk(&mut v, RequestKind::Access, "2026-10-30"); // October: not counted
    request::answer(&mut v, a1, "2026-11-04", today(), now()).unwrap(); // 2 working days, on time
    request::answer(&mut v, a2, "2026-11-16", today(), now()).unwrap(); // 5 working days, late
    request::refuse(&mut v, a3, "2026-11-17", "ст. 9", today(), now()).unwrap(); // 1, on time
    request::answer(&mut v, u1, "2026-11-11", today(), now()).unwrap(); // 1, on time
    let r = derbes::requests::report::period(
        v.conn(),
        derbes::requests::report::Period::parse("2026-11").unwrap(),
        today(),
    )
    .unwrap();
    assert_eq!((r.from, r.to), (d(2026, 11, 1), d(2026, 11, 30)));
    let access = &r.lines[0];
    assert_eq!(access.kind, Some(RequestKind::Access));
    assert_eq!(
        (
            access.received,
            access.answered,
            access.refused,
            access.open,
            access.on_time
        ),
        (3, 2, 1, 0, 2)
    );
    assert_eq!(access.median_days, Some(2.0));
    let update = &r.lines[1];
    assert_eq!((update.received, update.open, update.on_time), (2, 1, 1));
    assert_eq!((r.total.received, r.total.on_time), (5, 3));
    assert_eq!(r.total.on_time_percent(), Some(75.0));
    // Days 1, 1, 2, 5: the median is 1.5.
    assert_eq!(r.total.median_days, Some(1.5));
    let mut csv = Vec::new();
    derbes::requests::report::to_csv(&r, derbes::base::language::Language::Kk, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("Деректер туралы мәлімет;3;2;1;0;0;0;1;0;66.7;2.0"),
        "{csv}"
    );
    assert!(csv.contains("Барлығы;5;3;1;1;0;0;1;0;75.0;1.5"), "{csv}");
    assert_eq!(
        derbes::requests::report::Period::parse("2026-Q4")
            .unwrap()
            .bounds()
            .unwrap(),
        (d(2026, 10, 1), d(2026, 12, 31))
    );
    assert!(
        derbes::requests::report::Period::parse("2026-13")
            .unwrap()
            .bounds()
            .is_err()
    );
}

#[test]
fn a_changed_term_recomputes_open_requests() {
    let t = TempVault::new();
    let mut v = t.create();
    // `other`: 10 working days by default; received Wed 18 Nov → due 2 Dec.
    let id = request::create(
        &mut v,
        &input(RequestKind::Other, "2026-11-18"),
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(
        request::get(v.conn(), id, today()).unwrap().due_on,
        d(2026, 12, 2)
    );
    let n = workdays::set_rule(
        &mut v,
        RequestKind::Other,
        5,
        derbes::base::deadline::Unit::WorkingDays,
        "internal order №3",
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        request::get(v.conn(), id, today()).unwrap().due_on,
        d(2026, 11, 25)
    );
    let rule = workdays::rules(v.conn()).unwrap()[&RequestKind::Other].clone();
    assert_eq!(
        (rule.count, rule.source.as_str(), rule.confidence.as_str()),
        (5, "internal order №3", "user")
    );
    let err = workdays::set_rule(
        &mut v,
        RequestKind::Other,
        0,
        derbes::base::deadline::Unit::WorkingDays,
        "",
        today(),
        now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
}

/// Text of a PDF by poppler's pdftotext, when it is installed (scripts/setup.sh installs it).
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, pdf).ok()?;
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", p.to_str()?, "-"])
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_period_report_prints_to_pdf_in_kazakh() {
    let t = TempVault::new();
    let mut v = t.create();
    let id = request::create(
        &mut v,
        &input(RequestKind::RefuseMarketing, "2026-11-23"),
        today(),
        now(),
    )
    .unwrap();
    request::answer(&mut v, id, "2026-11-24", today(), now()).unwrap();
    let r = derbes::requests::report::period(
        v.conn(),
        derbes::requests::report::Period::Month {
            year: 2026,
            month: 11,
        },
        today(),
    )
    .unwrap();
    let pdf =
        derbes::requests::report::to_pdf(&r, derbes::base::language::Language::Kk, now()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(dir) = std::env::var_os("DERBES_PDF_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("report-kk.pdf"), &pdf).unwrap();
    }
    let text = pdftotext(&pdf).expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    for needle in [
        "Дербес деректер субъектілерінің өтініштері туралы есеп",
        "Кезең: 01.11.2026 — 30.11.2026",
        "Таратудан бас тарту",
        "Барлығы",
        "100.0",
    ] {
        assert!(text.contains(needle), "«{needle}» in:\n{text}");
    }
    assert!(
        text.contains("1 беттің 1-беті"),
        "page 1 of 1, in Kazakh: {text}"
    );
    // The journal's head it was made at (issue 16).
    let (seq, hash) = derbes::vault::journal::head(v.conn()).unwrap().unwrap();
    assert!(
        text.replace('\n', " ")
            .contains(&format!("№ {seq} жазба, хеш {hash}")),
        "{text}"
    );
    // The metadata names the period and Derbes, nothing personal, and carries the real date.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.pdf");
    std::fs::write(&p, &pdf).unwrap();
    let info = std::process::Command::new("pdfinfo")
        .arg(&p)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Derbes report 2026-11-01"), "{info}");
    assert!(info.contains("2026"), "dates set: {info}");
    let fonts = std::process::Command::new("pdffonts")
        .arg(&p)
        .output()
        .unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("NotoSans"), "{fonts}");
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "embedded and subset: {fonts}"
    );
}

#[test]
fn the_report_counts_overdue_open_requests_and_late_answers_even_when_extended() {
    let t = TempVault::new();
    let mut v = t.create();
    let mk = |v: &mut Vault, kind, received: &str| {
        request::create(v, &input(kind, received), today(), now()).unwrap()
    };
    // Due 5 Nov; extended to 12 Nov with a reason; answered 10 Nov: late against the legal date.
    let a = mk(&mut v, RequestKind::Access, "2026-11-02");
    request::extend(&mut v, a, "2026-11-12", "Ожидаем ответ банка", now()).unwrap();
    request::answer(&mut v, a, "2026-11-10", today(), now()).unwrap();
    // Due 6 Nov and still open on 25 Nov: overdue by 13 working days.
    let b = mk(&mut v, RequestKind::Access, "2026-11-03");
    // Due 11 Nov, answered that day: on time.
    let c = mk(&mut v, RequestKind::Update, "2026-11-10");
    request::answer(&mut v, c, "2026-11-11", today(), now()).unwrap();
    let r = derbes::requests::report::period(
        v.conn(),
        derbes::requests::report::Period::parse("2026-11").unwrap(),
        today(),
    )
    .unwrap();
    let tl = &r.total;
    assert_eq!(
        (
            tl.received,
            tl.on_time,
            tl.late,
            tl.overdue,
            tl.extended,
            tl.due_by_now()
        ),
        (3, 1, 1, 1, 1, 3)
    );
    // Not 100 %: one on time of the three that had to be answered by today.
    let pct = tl.on_time_percent().unwrap();
    assert!((pct - 100.0 / 3.0).abs() < 0.01, "{pct}");
    assert_eq!(r.overdue.len(), 1);
    assert_eq!(r.overdue[0].request_id, b);
    assert_eq!(r.overdue[0].by_days, 13);
    assert_eq!(tl.max_overdue_days, Some(13));
    assert_eq!(r.extensions.len(), 1);
    assert!(r.extensions[0].late);
    assert_eq!(r.extensions[0].reason, "Ожидаем ответ банка");
    // The CSV and the PDF give the same figures and the same detail.
    let mut csv = Vec::new();
    derbes::requests::report::to_csv(&r, derbes::base::language::Language::Ru, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("Итого;3;2;0;1;0;1;1;1;33.3;"), "{csv}");
    assert!(
        csv.contains("Открытые просроченные обращения на 25.11.2026"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("{b};Сведения о данных;06.11.2026;13")),
        "{csv}"
    );
    assert!(csv.contains("Ожидаем ответ банка"), "{csv}");
    let pdf =
        derbes::requests::report::to_pdf(&r, derbes::base::language::Language::Ru, now()).unwrap();
    let text = pdftotext(&pdf).expect("pdftotext");
    for needle in [
        "33.3",
        "Открытые просроченные обращения",
        "Продления сроков",
        "Ожидаем ответ банка",
    ] {
        assert!(text.contains(needle), "«{needle}» in:\n{text}");
    }
}
