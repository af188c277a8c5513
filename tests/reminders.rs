//! Reminders ahead of time (issue 19): what ends or falls due soon is listed, what has already
//! ended or was renewed is not, and the CLI exits 1 only when something is listed.

mod common;

use chrono::{Days, NaiveDate};
use common::*;
use derbes::app::reminders::reminders;
use derbes::registry::consent::{self, ConsentInput};
use derbes::registry::holding::{self, HoldingInput};
use derbes::requests::request::{self, Channel, RequestInput};
use derbes::{RequestKind, Vault};

fn purpose(v: &Vault) -> i64 {
    v.conn()
        .query_row("SELECT min(id) FROM purpose", [], |r| r.get(0))
        .unwrap()
}

fn category(v: &Vault) -> i64 {
    v.conn()
        .query_row("SELECT min(id) FROM data_category", [], |r| r.get(0))
        .unwrap()
}

fn consent_until(v: &mut Vault, subject: i64, until: NaiveDate) -> i64 {
    let purpose_id = purpose(v);
    consent::record(
        v,
        subject,
        &ConsentInput {
            purpose_id,
            granted_at: "2025-06-01".into(),
            form: "written".into(),
            valid_until: until.to_string(),
            ..ConsentInput::default()
        },
        today(),
        now(),
    )
    .unwrap()
}

fn holding_until(v: &mut Vault, subject: i64, until: NaiveDate) -> i64 {
    let (category_id, purpose_id) = (category(v), purpose(v));
    holding::add(
        v,
        subject,
        &HoldingInput {
            category_id,
            purpose_id,
            basis: "contract".into(),
            basis_ref: "Договор № 7".into(),
            source: String::new(),
            since: (today() - Days::new(10)).to_string(),
            until: until.to_string(),
        },
        today(),
        now(),
    )
    .unwrap()
}

#[test]
fn what_ends_or_falls_due_soon_is_listed_and_nothing_else() {
    let t = TempVault::new();
    let mut v = t.create();
    let ahead = |d: u64| today() + Days::new(d);
    let a = add_person(&mut v, "850808310738");
    let b = add_person(&mut v, "900115400109");
    let soon = consent_until(&mut v, a, ahead(10));
    let _later = consent_until(&mut v, b, ahead(45));
    // Renewed before it ends: nothing to do.
    let c = add_person(&mut v, "050321512348");
    let _renewed = consent_until(&mut v, c, ahead(5));
    consent_until(&mut v, c, ahead(400));
    let ends = holding_until(&mut v, b, ahead(20));
    let far = holding_until(&mut v, b, ahead(90));
    let r = reminders(v.conn(), today(), None).unwrap();
    assert_eq!(r.consent_days, 30);
    let consents: Vec<i64> = r.consents.iter().map(|c| c.consent_id).collect();
    assert_eq!(
        consents,
        [soon],
        "only the one ending within 30 days, not renewed"
    );
    assert_eq!(r.consents[0].name, "Жаңабаев Ерлан");
    let holdings: Vec<i64> = r.holdings.iter().map(|h| h.holding_id).collect();
    assert!(holdings.contains(&ends), "{holdings:?}");
    assert!(!holdings.contains(&far), "{holdings:?}");
    let h = r.holdings.iter().find(|h| h.holding_id == ends).unwrap();
    assert_eq!(h.ends_on, ahead(20));
    // A wider window from the CLI's --days takes the later consent too.
    let wide = reminders(v.conn(), today(), Some(60)).unwrap();
    assert_eq!(wide.consents_total, 2);
    // The setting changes the default window.
    v.set_setting("reminders.consent_days", "7", now()).unwrap();
    assert_eq!(
        reminders(v.conn(), today(), None).unwrap().consents_total,
        0
    );
}

#[test]
fn a_request_due_on_the_next_working_day_and_an_unconfirmed_calendar_in_december() {
    let t = TempVault::new();
    let mut v = t.create();
    // Received on Wednesday 25 November 2026: an update (1 working day) is due on Thursday.
    let input = RequestInput {
        subject_id: None,
        requester: "Ерлан Д.".into(),
        sender: String::new(),
        kind: RequestKind::Update,
        channel: Channel::Paper,
        received_on: today().to_string(),
        incoming_ref: String::new(),
        body: String::new(),
        linked_to: None,
        representative: Default::default(),
    };
    let id = request::create(&mut v, &input, today(), now()).unwrap();
    let r = reminders(v.conn(), today(), None).unwrap();
    assert_eq!(r.next_working_day.to_string(), "2026-11-26");
    assert_eq!(r.requests.iter().map(|q| q.id).collect::<Vec<_>>(), [id]);
    assert_eq!(r.calendar_unconfirmed, None, "not December");
    // Friday 27 November: the next working day is Monday 30 November.
    let friday = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    assert_eq!(
        reminders(v.conn(), friday, None)
            .unwrap()
            .next_working_day
            .to_string(),
        "2026-11-30"
    );
    // In December, a next year the calendar does not confirm.
    let december = NaiveDate::from_ymd_opt(2030, 12, 1).unwrap();
    let r = reminders(v.conn(), december, None).unwrap();
    assert_eq!(r.calendar_unconfirmed, Some(2031));
    assert!(r.count() >= 1);
}
