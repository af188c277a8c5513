//! The wire snapshot: what the window's read commands send the page, for the demo vault on a fixed
//! day, compared with `tests/fixtures/wire/*.json`. Written from the shell's own conversions before
//! the read models crossed as they are (issue 17), so that moving them changed nothing the page
//! reads; now that the core's types are the wire (feature `serde`), a renamed or dropped field, a
//! vocabulary spelt differently, a date in another form fails it.
//!
//! `DERBES_WIRE_WRITE=1 cargo test --features serde --test wire` writes the files again (then read
//! the diff).
//! Keys are compared sorted (the page reads fields by name); values byte for byte.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use derbes::Vault;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::path::PathBuf;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0)
        .single()
        .expect("a time")
}

/// The demo vault as the window's "open the demo" builds it, on the fixed day.
fn demo(dir: &std::path::Path) -> Vault {
    let pass = derbes::Passphrase::existing("demo").expect("a passphrase");
    let mut v = Vault::create(&dir.join("wire.derbes"), &pass, now()).expect("a vault");
    derbes::app::demo::populate(&mut v, derbes::app::demo::Spec::DEMO, today(), now())
        .expect("people");
    derbes::app::demo::letterhead(&mut v, now()).expect("a letterhead");
    derbes::app::demo::issue_examples(&mut v, today(), now()).expect("letters");
    v
}

fn to_value<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).expect("serializable")
}

/// Keys sorted; the OS user (who ran the test) and folders of this machine replaced.
fn canonical(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut pairs: Vec<(String, Value)> = m.into_iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out = Map::new();
            for (k, v) in pairs {
                let v = match k.as_str() {
                    "osUser" => json!("<user>"),
                    "vaultDir" => json!("<folder>"),
                    _ => canonical(v),
                };
                out.insert(k, v);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(canonical).collect()),
        v => v,
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wire")
        .join(format!("{name}.json"))
}

/// Compares (or, with `DERBES_WIRE_WRITE`, writes) one file of the snapshot.
fn check(name: &str, value: Value, failures: &mut Vec<String>) {
    let text = serde_json::to_string_pretty(&canonical(value)).expect("json") + "\n";
    let path = fixture(name);
    if std::env::var_os("DERBES_WIRE_WRITE").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder");
        std::fs::write(&path, &text).expect("written");
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == text => {}
        Ok(expected) => {
            let line = expected
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(expected.lines().count().min(text.lines().count()));
            failures.push(format!(
                "{name}.json differs from line {}: expected {:?}, sent {:?}",
                line + 1,
                expected.lines().nth(line).unwrap_or(""),
                text.lines().nth(line).unwrap_or("")
            ));
        }
        Err(e) => failures.push(format!("{}: {e}", path.display())),
    }
}

fn args<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("the page's arguments")
}

/// A message as a subject would send it, for the intake drafts.
const MAIL: &str = "From: =?UTF-8?B?0JDQudCz0LXRgNC40Lwg0JrQsNGB0YvQvNC+0LLQsA==?= <aigerim@example.kz>\r\n\
To: office@example.kz\r\n\
Subject: =?UTF-8?B?0JfQsNC/0YDQvtGBINC90LAg0YPQtNCw0LvQtdC90LjQtQ==?=\r\n\
Date: Mon, 30 Nov 2026 10:15:00 +0500\r\n\
Message-ID: <wire-1@example.kz>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Прошу удалить мои персональные данные.\r\n";

#[test]
fn the_page_reads_the_same_json() {
    let dir = tempfile::tempdir().expect("a folder");
    let mut v = demo(dir.path());
    let t = today();
    // The demo has no transfers and no list of adequate states: one of each, as a user records them.
    {
        use derbes::registry::transfer::{self, Basis, Country, TransferInput};
        transfer::add_adequate(
            &mut v,
            &Country {
                code: "DE".into(),
                name: "Германия".into(),
                note: "Конвенция 108".into(),
            },
            now(),
        )
        .expect("a state");
        transfer::record(
            &mut v,
            &TransferInput {
                subject_id: 1,
                recipient: "ТОО «Курьер»".into(),
                country: "KZ".into(),
                category_ids: vec![1, 2],
                purpose_id: 1,
                basis: Basis::Contract,
                basis_ref: "Договор № 7".into(),
                transferred_on: t,
                override_reason: Some("Договор доставки подписан, ещё не внесён".into()),
            },
            now(),
        )
        .expect("a transfer");
    }
    let mut failures = Vec::new();

    check(
        "status",
        to_value(&derbes::app::status::status(&v, t).expect("status")),
        &mut failures,
    );
    check("vocab", to_value(&derbes::app::vocab::all()), &mut failures);
    check(
        "catalogs",
        to_value(&derbes::registry::catalog::all(v.conn()).expect("catalogs")),
        &mut failures,
    );

    let mut searches = Vec::new();
    for q in [
        json!({"text": "", "offset": 0, "limit": 20}),
        json!({"text": "қасым", "offset": 0, "limit": 20}),
        json!({"text": "", "status": "blocked", "offset": 0, "limit": 20}),
        json!({"text": "", "consent": "withdrawn", "offset": 0, "limit": 20}),
        json!({"text": "", "consent": "without", "openRequest": true, "offset": 0, "limit": 20}),
        json!({"text": "", "purposeId": 2, "offset": 20, "limit": 20}),
    ] {
        let q: derbes::registry::search::Query = args(q);
        searches.push(to_value(
            &derbes::registry::search::search(v.conn(), &q, t).expect("search"),
        ));
    }
    check("search", Value::Array(searches), &mut failures);

    // Every person of the demo: cards (an access each, journaled at the fixed moment), their
    // transfers and, for the erased, what stays.
    let everyone: Vec<i64> = {
        let mut s = v
            .conn()
            .prepare("SELECT id FROM subject ORDER BY id")
            .expect("sql");
        s.query_map([], |r| r.get(0))
            .expect("ids")
            .collect::<Result<_, _>>()
            .expect("ids")
    };
    let mut cards = Vec::new();
    let mut transfers = Map::new();
    let mut tombstones = Map::new();
    for &id in &everyone {
        // One card in five, and everyone not plainly active (blocked, erased): every shape.
        let status: String = v
            .conn()
            .query_row("SELECT status FROM subject WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .expect("a status");
        if id % 5 != 1 && status == "active" {
            continue;
        }
        match derbes::registry::card::open_card(&mut v, id, t, now()) {
            Ok(c) => cards.push(to_value(&c)),
            Err(e) => cards.push(json!({"id": id, "error": e.code()})),
        }
        let list = derbes::registry::transfer::for_subject(v.conn(), id).expect("transfers");
        if !list.is_empty() {
            transfers.insert(id.to_string(), to_value(&list));
        }
        if let Some(ts) = derbes::erasure::tombstone(v.conn(), id).expect("tombstone") {
            tombstones.insert(id.to_string(), to_value(&ts));
        }
    }
    check("cards", Value::Array(cards), &mut failures);
    check(
        "register",
        json!({
            "transfers": transfers,
            "countries": to_value(
                &derbes::registry::transfer::adequate_countries(v.conn()).expect("countries")
            ),
            "breaches": to_value(&derbes::requests::breach::list(v.conn(), t).expect("breaches")),
        }),
        &mut failures,
    );

    let mut pages = Map::new();
    for view in ["overdue", "today", "week", "open", "new", "done", "all"] {
        let q = derbes::requests::request::ListQuery {
            view: derbes::requests::request::View::parse(view).expect("a view"),
            kind: None,
            subject_id: None,
            offset: 0,
            limit: 200,
        };
        pages.insert(
            view.into(),
            to_value(&derbes::requests::request::list(v.conn(), &q, t).expect("a page")),
        );
    }
    check("request_pages", Value::Object(pages), &mut failures);

    let requests: Vec<i64> = {
        let mut s = v
            .conn()
            .prepare("SELECT id FROM request ORDER BY id")
            .expect("sql");
        s.query_map([], |r| r.get(0))
            .expect("ids")
            .collect::<Result<_, _>>()
            .expect("ids")
    };
    let mut details = Vec::new();
    let mut offers = Map::new();
    for &id in &requests {
        details.push(to_value(
            &derbes::requests::request::detail(v.conn(), id, t).expect("a request"),
        ));
        offers.insert(
            id.to_string(),
            to_value(&derbes::documents::letters::offers(v.conn(), id, t).expect("offers")),
        );
    }
    check("requests", Value::Array(details), &mut failures);
    check("letter_offers", Value::Object(offers), &mut failures);

    // A draft of every kind the demo issued, in each language, from the letters it issued.
    let mut drafts = Vec::new();
    for (kind, request, subject, erasure, breach) in {
        let mut s = v
            .conn()
            .prepare(
                "SELECT l.kind, l.request_id, l.subject_id, \
                        (SELECT id FROM erasure_batch WHERE act_id = l.id), \
                        (SELECT id FROM breach WHERE letter_id = l.id) \
                 FROM letter l ORDER BY l.id",
            )
            .expect("sql");
        s.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<i64>>(4)?,
            ))
        })
        .expect("letters")
        .collect::<Result<Vec<_>, _>>()
        .expect("letters")
    } {
        for lang in ["ru", "kk", "en"] {
            let src: derbes::documents::letters::Source = args(json!({
                "kind": kind, "lang": lang, "requestId": request, "subjectId": subject,
                "period": if kind == "period-report" { Some("2026-Q4") } else { None },
                "erasure": erasure, "breach": breach,
            }));
            drafts.push(
                match derbes::documents::letters::preview(v.conn(), &src, t) {
                    Ok(d) => to_value(&d),
                    Err(e) => json!({"kind": kind, "lang": lang, "error": e.code()}),
                },
            );
        }
    }
    check("drafts", Value::Array(drafts), &mut failures);
    let q = derbes::documents::letters::Query {
        kind: None,
        year: None,
        request_id: None,
        subject_id: None,
        text: String::new(),
        limit: 200,
        offset: 0,
    };
    check(
        "letters",
        json!({
            "page": to_value(&derbes::documents::letters::list(v.conn(), &q).expect("letters")),
            "letterhead": to_value(
                &derbes::documents::letterhead::view(v.conn(), t).expect("letterhead")
            ),
        }),
        &mut failures,
    );

    let mut years = Vec::new();
    for year in [2025, 2026, 2027] {
        years.push(to_value(
            &derbes::requests::workdays::show_year(v.conn(), year).expect("a year"),
        ));
    }
    let mut reports = Vec::new();
    for (period, lang) in [
        ("2026-Q4", derbes::base::language::Language::Ru),
        ("2026-11", derbes::base::language::Language::Kk),
        ("2026", derbes::base::language::Language::En),
    ] {
        let p = derbes::requests::report::Period::parse(period).expect("a period");
        reports.push(to_value(
            &derbes::requests::report::view(v.conn(), p, lang, t).expect("a report"),
        ));
    }
    check(
        "calendar",
        json!({
            "years": years,
            "rules": to_value(&derbes::requests::workdays::rule_list(v.conn()).expect("rules")),
            "reports": reports,
        }),
        &mut failures,
    );

    let offset = FixedOffset::east_opt(5 * 3600).expect("an offset");
    check(
        "intake",
        json!([
            to_value(&derbes::requests::intake::drafted(
                v.conn(),
                "a.eml".into(),
                MAIL.as_bytes(),
                offset,
                t
            )),
            to_value(&derbes::requests::intake::drafted(
                v.conn(),
                "b.eml".into(),
                b"not a message",
                offset,
                t
            )),
        ]),
        &mut failures,
    );

    let mut previews = Vec::new();
    for (action, keep) in [
        ("destroy", json!({})),
        (
            "anonymize",
            json!({"birthYear": true, "sex": true, "holdings": true}),
        ),
    ] {
        let a = derbes::erasure::Action::parse(action).expect("an action");
        previews.push(to_value(
            &derbes::erasure::preview(v.conn(), a, &everyone[..12], args(keep)).expect("preview"),
        ));
    }
    check(
        "erasure",
        json!({
            "previews": previews,
            "tombstones": tombstones,
            "sweep": to_value(&derbes::erasure::retention::page(v.conn(), 0, 50, t).expect("sweep")),
            "suppressed": to_value(
                &derbes::registry::suppression::listed(v.conn(), t).expect("stop-list")
            ),
            "backups": to_value(&derbes::app::backup_view::overview(&v, t).expect("backups")),
        }),
        &mut failures,
    );

    // The journal last: every read above that is journaled (card accesses) is in it.
    check(
        "journal",
        to_value(&derbes::vault::journal::recent(v.conn(), 200).expect("journal")),
        &mut failures,
    );

    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
