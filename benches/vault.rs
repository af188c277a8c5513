//! Vault benchmarks on a generated vault of 100 000 subjects: the cost of encryption against plain
//! SQLite in the same run. The plain copy is made from the encrypted vault with `sqlcipher_export`,
//! so both hold exactly the same rows and indexes; both connections use the same page cache size.
//!
//! `cargo bench --bench vault` (set `DERBES_BENCH_SUBJECTS` for another size).

use derbes::app::demo::{self, Spec};
use derbes::{Passphrase, Vault};
use rusqlite::{Connection, OpenFlags};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;
use common::PASS;

struct Stats {
    p50: Duration,
    p95: Duration,
    mean: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort_unstable();
    let n = samples.len();
    let mean = samples.iter().sum::<Duration>() / n as u32;
    Stats {
        p50: samples[n / 2],
        p95: samples[(n * 95 / 100).min(n - 1)],
        mean,
    }
}

fn measure(iters: usize, mut f: impl FnMut(usize)) -> Stats {
    // Warm-up, then timed runs.
    for i in 0..iters.min(10) {
        f(i);
    }
    let samples = (0..iters)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    stats(samples)
}

fn open(path: &Path, key: Option<&str>) -> Connection {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    if let Some(k) = key {
        c.execute_batch("PRAGMA cipher_log_level = NONE;")
            .expect("log level");
        c.pragma_update(None, "key", k).expect("key");
    }
    c.execute_batch("PRAGMA cache_size = -32000; PRAGMA temp_store = MEMORY;")
        .expect("pragmas");
    c
}

fn fmt(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{:.1} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.2} ms", d.as_secs_f64() * 1e3)
    }
}

fn row(name: &str, enc: &Stats, plain: &Stats) {
    println!(
        "{name:<34} {:>11} {:>11} {:>11} {:>11} {:>7.2}×",
        fmt(enc.p50),
        fmt(enc.p95),
        fmt(plain.p50),
        fmt(plain.p95),
        enc.p50.as_secs_f64() / plain.p50.as_secs_f64()
    );
}

fn main() {
    let bench_mode = common::bench_mode();
    let subjects = common::subjects();
    let dir = tempfile::tempdir().expect("tempdir");
    let enc_path = dir.path().join("bench.derbes");
    let plain_path = dir.path().join("plain.sqlite");
    let now = common::now();
    let today = now.date_naive();
    let pass = Passphrase::existing(PASS).expect("pass");

    let t = Instant::now();
    {
        let mut v = Vault::create(&enc_path, &pass, now).expect("create");
        let spec = Spec {
            subjects,
            requests: subjects / 2,
            seed: 7,
        };
        demo::populate(&mut v, spec, today, now).expect("populate");
        // An office's journal: the generator writes few entries, a year of work writes many; one
        // per subject, so that the check's walk of the chain is measured at that size.
        v.transact(now, |tx| {
            for i in 0..subjects {
                tx.journal(
                    &derbes::vault::journal::Entry::new("subject.updated")
                        .detail(format!("subject {i}")),
                )?;
            }
            Ok(())
        })
        .expect("journal");
    }
    let generate = t.elapsed();
    let t = Instant::now();
    common::plain_copy(&enc_path, &plain_path);
    let export = t.elapsed();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
    println!(
        "vault: {subjects} subjects, {} requests; generated in {:.2} s; plain copy in {:.2} s; {:.1} MiB encrypted, {:.1} MiB plain\n",
        subjects / 2,
        generate.as_secs_f64(),
        export.as_secs_f64(),
        size(&enc_path),
        size(&plain_path)
    );
    println!(
        "{:<34} {:>11} {:>11} {:>11} {:>11} {:>8}",
        "operation", "enc p50", "enc p95", "plain p50", "plain p95", "ratio"
    );

    // Unlock: open, key (the KDF) and the first read.
    let iters = if bench_mode { 20 } else { 3 };
    let first_read = |p: &Path, k: Option<&str>| {
        let c = open(p, k);
        black_box(
            c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            })
            .expect("read"),
        );
    };
    let e = measure(iters, |_| first_read(&enc_path, Some(PASS)));
    let p = measure(iters, |_| first_read(&plain_path, None));
    row("open + key + first read", &e, &p);

    // Vault::open as the app does it (lock file, checks, settings).
    let e = measure(iters, |_| {
        black_box(Vault::open(&enc_path, &pass, now).expect("open"));
    });
    println!(
        "{:<34} {:>11} {:>11}",
        "Vault::open (the app's unlock)",
        fmt(e.p50),
        fmt(e.p95)
    );

    let enc = open(&enc_path, Some(PASS));
    let plain = open(&plain_path, None);
    let iins: Vec<String> = {
        let mut st = plain
            .prepare("SELECT iin FROM subject WHERE iin IS NOT NULL ORDER BY random() LIMIT 5000")
            .expect("prepare");
        st.query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("iins")
    };
    let lookups = if bench_mode { 20_000 } else { 500 };
    let by_iin = |c: &Connection, i: usize| {
        let mut st = c
            .prepare_cached(
                "SELECT s.id, s.surname, s.given_name, c.value FROM subject s
                 LEFT JOIN contact c ON c.subject_id = s.id AND c.kind = 'email'
                 WHERE s.iin = ?1",
            )
            .expect("prepare");
        black_box(
            st.query_row([&iins[i % iins.len()]], |r| r.get::<_, i64>(0))
                .expect("found"),
        );
    };
    let e = measure(lookups, |i| by_iin(&enc, i));
    let p = measure(lookups, |i| by_iin(&plain, i));
    row("subject by IIN (+ e-mail)", &e, &p);

    let card = |c: &Connection, i: usize| {
        let id = (i as i64 * 7919) % i64::from(subjects) + 1;
        for sql in [
            "SELECT count(*) FROM contact WHERE subject_id = ?1",
            "SELECT count(*) FROM holding WHERE subject_id = ?1",
            "SELECT count(*) FROM consent WHERE subject_id = ?1",
            "SELECT count(*) FROM request WHERE subject_id = ?1",
        ] {
            let mut st = c.prepare_cached(sql).expect("prepare");
            black_box(st.query_row([id], |r| r.get::<_, i64>(0)).expect("row"));
        }
    };
    let e = measure(lookups, |i| card(&enc, i));
    let p = measure(lookups, |i| card(&plain, i));
    row("subject card (4 indexed reads)", &e, &p);

    let scans = if bench_mode { 30 } else { 3 };
    let scan = |c: &Connection| {
        black_box(
            c.query_row(
                "SELECT count(*) FROM subject WHERE surname LIKE 'Қас%'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .expect("scan"),
        );
    };
    let e = measure(scans, |_| scan(&enc));
    let p = measure(scans, |_| scan(&plain));
    row("full scan of subjects (LIKE)", &e, &p);

    // The same scan on a fresh connection: every page read from disk is decrypted (cold cache).
    let cold = |p: &Path, k: Option<&str>| {
        let mut samples = Vec::new();
        for _ in 0..scans.min(10) {
            let c = open(p, k);
            c.query_row("SELECT 1 FROM sqlite_schema LIMIT 1", [], |_| Ok(()))
                .expect("keyed");
            let t = Instant::now();
            scan(&c);
            samples.push(t.elapsed());
        }
        stats(samples)
    };
    let e = cold(&enc_path, Some(PASS));
    let p = cold(&plain_path, None);
    row("full scan, cold page cache", &e, &p);

    let overdue = |c: &Connection| {
        black_box(
            c.query_row(
                "SELECT count(*) FROM request WHERE status IN ('new', 'in_progress')
                 AND coalesce(extended_to, due_on) < ?1",
                [today.to_string()],
                |r| r.get::<_, i64>(0),
            )
            .expect("overdue"),
        );
    };
    let e = measure(scans, |_| overdue(&enc));
    let p = measure(scans, |_| overdue(&plain));
    row("overdue requests (index)", &e, &p);

    let e = measure(scans, |_| {
        black_box(derbes::app::status::request_figures(&enc, today).expect("figures"));
    });
    let p = measure(scans, |_| {
        black_box(derbes::app::status::request_figures(&plain, today).expect("figures"));
    });
    row("dashboard request figures", &e, &p);

    let v = Vault::open(&enc_path, &pass, now).expect("open");
    let s = measure(scans, |_| {
        black_box(derbes::app::status::status(&v, today).expect("status"));
    });
    println!(
        "{:<34} {:>11} {:>11}   (mean {})",
        "status() — all dashboard counts",
        fmt(s.p50),
        fmt(s.p95),
        fmt(s.mean)
    );

    // The live check (issue 16; budget 1.5 s at 100 000 subjects): every page authenticated,
    // SQLite's quick_check, the journal's chain and anchor. Plain: quick_check alone.
    let checks = if bench_mode { 11 } else { 1 };
    let mut parts = Vec::new();
    let mut entries = 0;
    let e = measure(checks, |_| {
        let r = derbes::vault::check::run(&v).expect("check");
        assert!(r.is_good(), "{:?}", r.problems);
        parts = r.took;
        entries = r.journal_entries;
    });
    let p = measure(checks, |_| {
        let ok: String = plain
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .expect("quick_check");
        assert_eq!(ok, "ok");
    });
    row("live check (pages, structure, journal)", &e, &p);
    println!(
        "  {entries} journal entries; its parts, last run: {}",
        parts
            .iter()
            .filter(|(_, d)| *d > Duration::from_millis(10))
            .map(|(n, d)| format!("{n} {}", fmt(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if bench_mode {
        println!(
            "live check budget 1.5 s: {}",
            if e.p95 <= Duration::from_millis(1500) {
                "met"
            } else {
                "NOT met"
            }
        );
    }
}
