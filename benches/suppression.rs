//! Cleaning a mailing list on a vault of 100 000 subjects of which a tenth refused marketing and
//! half of those were then destroyed (their addresses left only as keyed digests): the mailing
//! list is every subject's e-mail plus 20 000 unknown ones. Against the same cleaning on a plain
//! SQLite copy where the destroyed refusers' addresses are kept in clear (the cost of the keyed
//! digests and of the encryption, in the same run).
//!
//! `cargo bench --bench suppression` (`DERBES_BENCH_SUBJECTS` for another size).

use derbes::base::contact::normalize_email;
use derbes::base::language::Language;
use derbes::erasure::{self, Action, Keep, Order};
use derbes::files::csv_table::{self, Table};
use derbes::registry::blocking::Basis;
use derbes::registry::suppression;
use rusqlite::Connection;
use std::collections::HashSet;
use std::time::{Duration, Instant};

mod common;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The plain baseline: the registry's refusers and blocked people by the same SQL, plus the
/// destroyed refusers' addresses in clear; every row's e-mail looked up, the kept rows written.
fn plain_clean(
    c: &Connection,
    kept_in_clear: &HashSet<String>,
    table: &Table,
    today: chrono::NaiveDate,
) -> usize {
    let mut blocked: HashSet<String> = c
        .prepare(
            "SELECT c.normalized FROM contact c JOIN subject s ON s.id = c.subject_id
             WHERE s.status = 'blocked'
                OR (s.status = 'active' AND EXISTS (SELECT 1 FROM marketing_refusal r
                     WHERE r.subject_id = s.id AND r.revoked_at IS NULL))
                OR (s.status = 'active'
                    AND EXISTS (SELECT 1 FROM consent w JOIN purpose p ON p.id = w.purpose_id
                         WHERE w.subject_id = s.id AND p.is_marketing = 1 AND w.withdrawn_at IS NOT NULL)
                    AND NOT EXISTS (SELECT 1 FROM consent a JOIN purpose q ON q.id = a.purpose_id
                         WHERE a.subject_id = s.id AND q.is_marketing = 1 AND a.withdrawn_at IS NULL
                           AND (a.valid_until IS NULL OR a.valid_until >= ?1)))",
        )
        .and_then(|mut s| {
            s.query_map([today.to_string()], |r| r.get(0))
                .and_then(|r| r.collect::<rusqlite::Result<HashSet<String>>>())
        })
        .expect("list");
    blocked.extend(kept_in_clear.iter().cloned());
    let mut out = Vec::new();
    let mut w = csv_table::Writer::new(&mut out).expect("writer");
    w.row(table.headers.iter().map(String::as_str))
        .expect("row");
    let mut removed = 0;
    for (_, row) in &table.rows {
        let hit = normalize_email(&row[0]).is_some_and(|e| blocked.contains(&e));
        if hit {
            removed += 1;
        } else {
            w.row(row.iter().map(String::as_str)).expect("row");
        }
    }
    w.finish().expect("finish");
    removed
}

fn main() {
    let n = common::subjects();
    let runs = if common::bench_mode() { 5 } else { 1 };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault.derbes");
    let now = common::now();
    let today = now.date_naive();
    let mut v = common::populated_vault(&path, n, 11);
    derbes::app::demo::letterhead(&mut v, now).expect("letterhead");

    // A tenth of the registry refuses (one transaction each, as the window records them).
    let ids: Vec<i64> = v
        .conn()
        .prepare(
            "SELECT s.id FROM subject s WHERE s.status = 'active'
               AND EXISTS (SELECT 1 FROM contact c WHERE c.subject_id = s.id AND c.kind = 'email')
             ORDER BY s.id",
        )
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))
                .and_then(|r| r.collect::<rusqlite::Result<Vec<i64>>>())
        })
        .expect("ids");
    let refusers: Vec<i64> = ids.iter().copied().step_by(10).collect();
    let t = Instant::now();
    for &id in &refusers {
        suppression::refuse_marketing(&mut v, id, today, "email", None, now).expect("refuse");
    }
    let per_refusal = t.elapsed() / refusers.len().max(1) as u32;
    // Half of them are destroyed in one batch; their addresses, kept aside in clear for the plain
    // baseline only.
    let gone: Vec<i64> = refusers.iter().copied().step_by(2).collect();
    let mut kept_in_clear = HashSet::new();
    for &id in &gone {
        let mut st = v
            .conn()
            .prepare_cached("SELECT normalized FROM contact WHERE subject_id = ?1")
            .expect("contacts");
        for c in st.query_map([id], |r| r.get::<_, String>(0)).expect("q") {
            kept_in_clear.insert(c.expect("contact"));
        }
    }
    let order = Order {
        action: Action::Destroy,
        subjects: gone.clone(),
        basis: Basis {
            request_id: None,
            text: "benchmark".into(),
        },
        keep: Keep::default(),
        lang: Language::Ru,
    };
    let t = Instant::now();
    erasure::run(&mut v, &order, today, now).expect("destroy");
    let destroy_t = t.elapsed();
    let entries: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM stop_entry", [], |r| r.get(0))
        .expect("count");

    // The mailing list: every e-mail the generator gave (the destroyed ones included, as an old
    // export still has them) and 20 000 unknown.
    let mut text = String::from("email;name\n");
    let mut emails: Vec<String> = v
        .conn()
        .prepare("SELECT normalized FROM contact WHERE kind = 'email' ORDER BY id")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))
                .and_then(|r| r.collect::<rusqlite::Result<Vec<String>>>())
        })
        .expect("emails");
    emails.extend(kept_in_clear.iter().filter(|e| e.contains('@')).cloned());
    for (i, e) in emails.iter().enumerate() {
        text.push_str(&format!("{e};Адресат {i}\n"));
    }
    for i in 0..20_000 {
        text.push_str(&format!("unknown{i}@example.kz;Жаңа {i}\n"));
    }
    let table = csv_table::parse(text.as_bytes()).expect("table");

    let plain_path = dir.path().join("plain.sqlite");
    common::plain_copy(&path, &plain_path);
    let plain = Connection::open(&plain_path).expect("plain");

    let (mut enc_t, mut plain_t) = (Vec::new(), Vec::new());
    let mut report = suppression::CleanReport::default();
    for _ in 0..runs {
        let t = Instant::now();
        report =
            suppression::clean(v.conn(), &table, std::io::sink(), false, today).expect("clean");
        enc_t.push(t.elapsed());
        let t = Instant::now();
        let removed = plain_clean(&plain, &kept_in_clear, &table, today);
        plain_t.push(t.elapsed());
        assert_eq!(removed, report.removed, "the same rows removed");
    }
    let (e50, e95) = common::percentiles(enc_t);
    let (p50, p95) = common::percentiles(plain_t);
    println!(
        "vault: {n} subjects; {} refusals ({} per refusal with its stop-list entries); {} destroyed in one batch in {}; {entries} stop-list entries",
        refusers.len(),
        ms(per_refusal),
        gone.len(),
        ms(destroy_t)
    );
    println!(
        "clean {} rows: {} removed ({:?}); encrypted with keyed digests p50 {} / p95 {}; plain with addresses in clear p50 {} / p95 {}; ratio {:.2}×",
        report.rows,
        report.removed,
        report.removed_by_reason,
        ms(e50),
        ms(e95),
        ms(p50),
        ms(p95),
        e50.as_secs_f64() / p50.as_secs_f64()
    );
}
