//! Retention sweep and batch destruction on a vault of 100 000 subjects (400 000 holdings,
//! 175 000 consents, 50 000 requests): the sweep (target ≤ 1 s) and destroying 10 000 subjects in
//! one batch with one act — each against the same SQL on a plain SQLite copy in the same run.
//!
//! `cargo bench --bench erasure` (`DERBES_BENCH_SUBJECTS` for another size).

use derbes::app::demo;
use derbes::base::language::Language;
use derbes::erasure::retention;
use derbes::erasure::{self, Action, Keep, Order};
use derbes::registry::blocking::Basis;
use rusqlite::{Connection, OptionalExtension};
use std::time::{Duration, Instant};

mod common;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// What destroying `ids` writes, as plain SQL on an unencrypted copy: the same statements as
/// `erasure::erase` (without the journal and the act, which need the vault).
fn plain_destroy(c: &mut Connection, ids: &[i64]) {
    let tx = c.transaction().expect("tx");
    tx.execute(
        "INSERT INTO erasure_batch (action, done_on, done_at, basis, origin, subjects, holdings)
         VALUES ('destroy', '2026-11-25', '2026-11-25T09:00:00Z', 'bench', 'subject', 0, 0)",
        [],
    )
    .expect("batch");
    let batch = tx.last_insert_rowid();
    for &id in ids {
        let rank: Option<i64> = tx
            .prepare_cached("SELECT rank FROM subject WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .expect("rank");
        // The search row goes with the exact terms it was written with (registry::index::Fts).
        if let Some(rank) = rank {
            let terms: Option<String> = tx
                .prepare_cached("SELECT terms FROM subject_terms WHERE id = ?1")
                .and_then(|mut s| s.query_row([rank], |r| r.get(0)).optional())
                .expect("terms");
            if let Some(terms) = terms {
                tx.prepare_cached(
                    "INSERT INTO subject_fts (subject_fts, rowid, terms) VALUES ('delete', ?1, ?2)",
                )
                .and_then(|mut s| s.execute(rusqlite::params![rank, terms]))
                .expect("fts");
                tx.prepare_cached("DELETE FROM subject_terms WHERE id = ?1")
                    .and_then(|mut s| s.execute([rank]))
                    .expect("terms row");
            }
        }
        for sql in [
            "DELETE FROM contact WHERE subject_id = ?1",
            "DELETE FROM marketing_refusal WHERE subject_id = ?1",
            "DELETE FROM subject_block WHERE subject_id = ?1",
            "UPDATE request SET requester = '', sender = '', body = '' WHERE subject_id = ?1",
            "DELETE FROM holding WHERE subject_id = ?1",
            "DELETE FROM consent WHERE subject_id = ?1",
            "UPDATE subject SET iin = NULL, doc_number = '', surname = '', given_name = '',
                 patronymic = '', birth_date = NULL, address = '', notes = '', sort_key = '',
                 rank = NULL, status = 'destroyed' WHERE id = ?1",
        ] {
            tx.prepare_cached(sql)
                .and_then(|mut s| s.execute([id]))
                .expect("statement");
        }
        tx.prepare_cached("INSERT INTO erasure (subject_id, batch_id) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute([id, batch]))
            .expect("tombstone");
    }
    tx.commit().expect("commit");
}

fn main() {
    let n = common::subjects();
    let runs = if common::bench_mode() { 7 } else { 2 };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault.derbes");
    let now = common::now();
    let today = now.date_naive();
    let mut v = common::populated_vault(&path, n, 8);
    demo::letterhead(&mut v, now).expect("letterhead");
    // Marketing data is kept a year: what the generator dated earlier is due.
    let marketing: Vec<i64> = v
        .conn()
        .prepare("SELECT id FROM purpose WHERE is_marketing = 1")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))
                .and_then(|r| r.collect::<rusqlite::Result<Vec<i64>>>())
        })
        .expect("purposes");
    for purpose_id in marketing {
        retention::set_period(&mut v, purpose_id, Some(365), Some("policy"), "", now)
            .expect("period");
    }
    let count = |c: &Connection, t: &str| -> i64 {
        c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .expect("count")
    };
    println!(
        "vault: {n} subjects, {} holdings, {} consents, {} requests",
        count(v.conn(), "holding"),
        count(v.conn(), "consent"),
        count(v.conn(), "request")
    );

    let plain_path = dir.path().join("plain.sqlite");
    common::plain_copy(&path, &plain_path);
    let mut plain = Connection::open(&plain_path).expect("plain");
    plain
        .execute_batch("PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;")
        .expect("pragmas");

    let mut enc_t = Vec::new();
    let mut plain_t = Vec::new();
    let mut found = retention::Sweep::default();
    for _ in 0..runs {
        let t = Instant::now();
        found = retention::sweep(v.conn(), today).expect("sweep");
        enc_t.push(t.elapsed());
        let t = Instant::now();
        let p = retention::sweep(&plain, today).expect("plain sweep");
        plain_t.push(t.elapsed());
        assert_eq!(p.holdings, found.holdings);
    }
    let (e50, e95) = common::percentiles(enc_t);
    let (p50, p95) = common::percentiles(plain_t);
    println!(
        "retention sweep: {} people due as a whole, {} in part, {} holdings",
        found.whole, found.partial, found.holdings
    );
    println!(
        "  encrypted p50 {} / p95 {}; plain p50 {} / p95 {}; ratio {:.2}×",
        ms(e50),
        ms(e95),
        ms(p50),
        ms(p95),
        e50.as_secs_f64() / p50.as_secs_f64()
    );

    // Destroying a tenth of the registry (10 000 of 100 000) in one batch with one act.
    let batch = (n / 10).max(1) as usize;
    let ids: Vec<i64> = v
        .conn()
        .prepare("SELECT id FROM subject WHERE status = 'active' ORDER BY id")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))
                .and_then(|r| r.collect::<rusqlite::Result<Vec<i64>>>())
        })
        .expect("ids")
        .into_iter()
        .step_by(9)
        .take(batch)
        .collect();
    let order = Order {
        action: Action::Destroy,
        subjects: ids.clone(),
        basis: Basis {
            request_id: None,
            text: "benchmark".into(),
        },
        keep: Keep::default(),
        lang: Language::Ru,
    };
    let t = Instant::now();
    let preview =
        erasure::preview(v.conn(), Action::Destroy, &ids, Keep::default()).expect("preview");
    let preview_t = t.elapsed();
    let t = Instant::now();
    let done = erasure::run(&mut v, &order, today, now).expect("destroy");
    let enc = t.elapsed();
    let t = Instant::now();
    plain_destroy(&mut plain, &ids);
    let plain_d = t.elapsed();
    println!(
        "destroy {} subjects in one batch ({} contacts, {} holdings, {} consents, {} requests emptied): preview {}, destroy {} (act {}, {} pages); plain SQL {}; ratio {:.2}×",
        done.subjects,
        preview.contacts,
        preview.holdings,
        preview.consents,
        preview.requests,
        ms(preview_t),
        ms(enc),
        done.act.number,
        done.act.pages,
        ms(plain_d),
        enc.as_secs_f64() / plain_d.as_secs_f64()
    );
    // One person at a time, as from a request: the search index is merged each time.
    let mut single = Vec::new();
    for id in v
        .conn()
        .prepare("SELECT id FROM subject WHERE status = 'active' ORDER BY id DESC LIMIT 5")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))
                .and_then(|r| r.collect::<rusqlite::Result<Vec<i64>>>())
        })
        .expect("ids")
    {
        let one = Order {
            subjects: vec![id],
            ..order.clone()
        };
        let t = Instant::now();
        erasure::run(&mut v, &one, today, now).expect("destroy one");
        single.push(t.elapsed());
    }
    let (s50, s95) = common::percentiles(single);
    println!(
        "destroy one subject (with its act): p50 {} / p95 {}",
        ms(s50),
        ms(s95)
    );
    v.check().expect("integrity");
    let t = Instant::now();
    let after = retention::sweep(v.conn(), today).expect("sweep");
    println!(
        "sweep after: {} whole, {} in part ({})",
        after.whole,
        after.partial,
        ms(t.elapsed())
    );
}
