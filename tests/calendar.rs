//! The working-day calendar corrected on 2026-12-02 (issue 15, part 1): holiday rules with validity
//! periods, the migration of vaults made with the first tables, `calendar show`, merging imports.

mod common;

use chrono::NaiveDate;
use common::*;
use derbes::base::calendar::{DayOverride, Reason};
use derbes::requests::workdays::{self, ImportMode};
use derbes::vault::{APPLICATION_ID, SCHEMA_VERSION, migration};
use derbes::{RequestKind, files::csv_table, vault::journal};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn a_new_vault_counts_by_the_corrected_tables() {
    let t = TempVault::new();
    let v = t.create();
    let cal = workdays::load(v.conn(), d(2026, 12, 2)).unwrap();
    assert!(
        cal.is_working_day(d(2025, 1, 5)),
        "Sunday 5 Jan 2025 worked"
    );
    assert!(
        cal.is_working_day(d(2026, 8, 31)),
        "no Constitution Day in 2026"
    );
    assert!(cal.is_working_day(d(2027, 8, 30)));
    assert!(!cal.is_working_day(d(2027, 3, 15)), "Constitution Day 2027");
    let rules = workdays::rules(v.conn()).unwrap();
    let due = |k: RequestKind, r| derbes::base::deadline::due_date(&rules[&k], r, &cal);
    // docs/domain.md §2: authority received Thu 2026-08-20 → Sun 30 Aug → Mon 31 Aug.
    assert_eq!(due(RequestKind::Authority, d(2026, 8, 20)), d(2026, 8, 31));
    assert_eq!(due(RequestKind::Update, d(2027, 3, 12)), d(2027, 3, 16));
    assert_eq!(due(RequestKind::Access, d(2025, 1, 2)), d(2025, 1, 8));
}

/// The calendar rows the first build wrote for 2025–2027 (before the 2026-12-02 correction).
fn first_tables(c: &rusqlite::Connection) {
    c.execute_batch(
        "DELETE FROM calendar_day WHERE day IN ('2025-01-05', '2027-03-15');
         INSERT OR REPLACE INTO calendar_day (day, kind, note) VALUES
             ('2026-08-31', 'off', 'built-in'), ('2027-08-30', 'off', 'built-in');",
    )
    .unwrap();
}

#[test]
fn an_older_vault_is_corrected_where_the_user_did_not_edit() {
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
        migration::migrate_to(&mut c, 10, &actor, now()).unwrap();
        first_tables(&c);
        // The user had confirmed 30 Aug 2027 as a day off by an order of their own: it stays.
        c.execute(
            "UPDATE calendar_day SET note = 'приказ №5' WHERE day = '2027-08-30'",
            [],
        )
        .unwrap();
        // Two open requests counted by the old table across 31 Aug 2026, one answered.
        c.execute_batch(
            "INSERT INTO request (id, kind, status, received_on, due_on, requester, channel, created_at, updated_at)
             VALUES (1, 'access', 'in_progress', '2026-08-28', '2026-09-03', 'A', 'paper', '2026-08-28T09:00:00Z', '2026-08-28T09:00:00Z'),
                    (2, 'update', 'new', '2026-08-28', '2026-09-01', 'B', 'paper', '2026-08-28T09:00:00Z', '2026-08-28T09:00:00Z'),
                    (3, 'update', 'answered', '2026-08-28', '2026-09-01', 'C', 'paper', '2026-08-28T09:00:00Z', '2026-08-28T09:00:00Z');",
        )
        .unwrap();
    }
    let v = t.open().expect("migrates");
    assert_eq!(
        migration::current_version(v.conn()).unwrap(),
        SCHEMA_VERSION
    );
    let cal = workdays::load(v.conn(), d(2026, 12, 2)).unwrap();
    assert!(cal.is_working_day(d(2025, 1, 5)));
    assert!(cal.is_working_day(d(2026, 8, 31)));
    assert!(!cal.is_working_day(d(2027, 3, 15)));
    assert!(
        !cal.is_working_day(d(2027, 8, 30)),
        "the user's edit is kept"
    );
    let due = |id: i64| -> String {
        v.conn()
            .query_row("SELECT due_on FROM request WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(due(1), "2026-09-02");
    assert_eq!(due(2), "2026-08-31");
    assert_eq!(due(3), "2026-09-01", "an answered request keeps its date");
    let rev = workdays::recent_revision(v.conn(), d(2026, 11, 30))
        .unwrap()
        .expect("the dashboard is told");
    assert_eq!((rev.days_changed, rev.days_kept, rev.due_moved), (3, 1, 2));
    let status = derbes::app::status::status(&v, d(2026, 11, 30)).unwrap();
    assert_eq!(status.calendar_revision, Some(rev));
    let entries = journal::recent(v.conn(), 500).unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.entry.action == "calendar.corrected"),
        "journaled"
    );
    journal::verify(v.conn()).unwrap();
    // A month later the dashboard no longer repeats it.
    assert!(
        workdays::recent_revision(v.conn(), d(2027, 1, 15))
            .unwrap()
            .is_none()
    );
    // The user's day shows as the user's, the corrected ones by their rule.
    let y2027 = workdays::show_year(v.conn(), 2027).unwrap();
    let reason = |day| {
        y2027
            .days
            .iter()
            .find(|s| s.day == day)
            .map(|s| s.reason.clone())
    };
    assert_eq!(
        reason(d(2027, 8, 30)),
        Some(Reason::User {
            note: "приказ №5".into()
        })
    );
    assert_eq!(
        reason(d(2027, 3, 15)),
        Some(Reason::Holiday {
            key: "constitution_day"
        })
    );
}

#[test]
fn a_new_vault_gets_no_correction_notice() {
    let t = TempVault::new();
    let v = t.create();
    assert!(
        workdays::recent_revision(v.conn(), d(2026, 12, 2))
            .unwrap()
            .is_none()
    );
}

#[test]
fn show_gives_every_deviation_with_its_reason() {
    let t = TempVault::new();
    let v = t.create();
    let y = workdays::show_year(v.conn(), 2025).unwrap();
    assert!(y.confirmed);
    let find = |day| y.days.iter().find(|s| s.day == day).cloned().unwrap();
    assert_eq!(find(d(2025, 1, 5)).kind, DayOverride::Working);
    assert_eq!(
        find(d(2025, 1, 5)).reason,
        Reason::TransferWorking { off: d(2025, 1, 3) }
    );
    assert_eq!(
        find(d(2025, 1, 3)).reason,
        Reason::TransferOff {
            working: d(2025, 1, 5)
        }
    );
    assert_eq!(
        find(d(2025, 9, 1)).reason,
        Reason::Moved {
            key: "constitution_day",
            from: d(2025, 8, 30)
        }
    );
    assert_eq!(find(d(2025, 6, 6)).reason.code(), "religious");
    assert_eq!(y.days.len(), 17);
    let y2027 = workdays::show_year(v.conn(), 2027).unwrap();
    let kurban = y2027.days.iter().find(|s| s.day == d(2027, 5, 16));
    assert!(
        kurban.is_none(),
        "16 May 2027 is a Sunday: it does not move"
    );
    // A year the vault does not keep: derived, and said to be unconfirmed.
    let y2029 = workdays::show_year(v.conn(), 2029).unwrap();
    assert!(!y2029.confirmed);
    assert!(y2029.days.iter().any(|s| s.day == d(2029, 3, 15)));
    // Out of range.
    for year in [1999, 2101, -5] {
        assert_eq!(
            workdays::show_year(v.conn(), year).unwrap_err().code(),
            "calendar.year_range"
        );
    }
}

#[test]
fn import_merges_by_default_and_replaces_when_asked() {
    let t = TempVault::new();
    let mut v = t.create();
    let today = d(2026, 12, 2);
    // The decree's two halves only: Nauryz and the rest of 2027 must stay.
    let csv = "date;kind;note\n2027-01-08;off;перенос\n2027-01-09;working;перенос\n";
    let table = csv_table::parse(csv.as_bytes()).unwrap();
    let plan = workdays::plan_import(v.conn(), &table, 2027, ImportMode::Merge).unwrap();
    assert_eq!(
        plan.changes
            .iter()
            .map(|c| (c.day, c.before, c.after))
            .collect::<Vec<_>>(),
        vec![
            (d(2027, 1, 8), None, Some(DayOverride::Off)),
            (d(2027, 1, 9), None, Some(DayOverride::Working)),
        ]
    );
    let before = workdays::days_of(v.conn(), 2027).unwrap().len();
    let (changed, _) = workdays::apply_import(&mut v, &plan, today, now()).unwrap();
    assert_eq!(changed, 2);
    let cal = workdays::load(v.conn(), today).unwrap();
    for nauryz in [d(2027, 3, 22), d(2027, 3, 23), d(2027, 3, 24)] {
        assert!(!cal.is_working_day(nauryz), "{nauryz} is still off");
    }
    assert!(cal.is_working_day(d(2027, 1, 9)));
    assert_eq!(workdays::days_of(v.conn(), 2027).unwrap().len(), before + 2);
    // Replace: the file is the whole year; the preview lists what goes.
    let plan = workdays::plan_import(v.conn(), &table, 2027, ImportMode::Replace).unwrap();
    assert_eq!(plan.changes.len(), before, "every other kept day goes");
    assert!(plan.changes.iter().all(|c| c.after.is_none()));
    workdays::apply_import(&mut v, &plan, today, now()).unwrap();
    assert_eq!(workdays::days_of(v.conn(), 2027).unwrap().len(), 2);
    // A year out of range and impossible dates are refused, nothing written.
    assert_eq!(
        workdays::plan_import(v.conn(), &table, 2101, ImportMode::Merge)
            .unwrap_err()
            .code(),
        "calendar.year_range"
    );
    let bad = csv_table::parse("date;kind\n2027-02-30;off\n31.04.2027;off\n".as_bytes()).unwrap();
    match workdays::plan_import(v.conn(), &bad, 2027, ImportMode::Merge) {
        Err(derbes::Error::CalendarRows(rows)) => {
            assert_eq!(rows, vec![(2, "date.impossible"), (3, "date.impossible")])
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        workdays::set_day(
            &mut v,
            d(1999, 1, 4),
            workdays::DayChange::Off,
            "",
            today,
            now()
        )
        .unwrap_err()
        .code(),
        "calendar.year_range"
    );
    journal::verify(v.conn()).unwrap();
}
