//! Backups of a vault of 100 000 subjects and 50 000 requests with issued letters: export (same
//! passphrase, and another), verify, restore, and the backup's size against the vault's — with
//! SQLite's own online backup (what `sqlite3 .backup` does) of an unencrypted copy in the same run.
//!
//! `cargo bench --bench backup` (`DERBES_BENCH_SUBJECTS` for another size).

use derbes::Passphrase;
use derbes::app::backup;
use derbes::app::demo;
use rusqlite::Connection;
use std::time::{Duration, Instant};

mod common;
use common::PASS;

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn mib(n: u64) -> String {
    format!("{:.1} MiB", n as f64 / 1048576.0)
}

fn main() {
    let n = common::subjects();
    let runs = if common::bench_mode() { 3 } else { 1 };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault.derbes");
    let now = common::now();
    let today = now.date_naive();
    let pass = Passphrase::existing(PASS).expect("pass");
    let mut v = common::populated_vault(&path, n, 21);
    demo::letterhead(&mut v, now).expect("letterhead");
    // Letters: every kind, issued a few times over.
    for _ in 0..10 {
        demo::issue_examples(&mut v, today, now).expect("letters");
    }
    let vault_size = std::fs::metadata(&path).expect("size").len();
    println!(
        "vault: {n} subjects, {} requests, {}",
        n / 2,
        mib(vault_size)
    );

    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out");
    let mut export = Vec::new();
    let mut made = None;
    for i in 0..runs {
        let t = Instant::now();
        let m = backup::export(
            &mut v,
            &out,
            None,
            now + chrono::Duration::seconds(i as i64),
        )
        .expect("export");
        export.push(t.elapsed());
        made = Some(m);
    }
    let made = made.expect("made");
    println!(
        "export (vault's passphrase): {} (best of {runs}: {}), backup {} = {:.2}× the vault",
        secs(export[0]),
        secs(*export.iter().min().expect("runs")),
        mib(made.bytes),
        made.bytes as f64 / vault_size as f64
    );
    let other = Passphrase::new_secret("another backup passphrase").expect("other");
    let t = Instant::now();
    let made_other = backup::export(&mut v, &out, Some(&other), now + chrono::Duration::hours(1))
        .expect("export other");
    println!(
        "export (another passphrase, re-keyed): {}",
        secs(t.elapsed())
    );

    let mut verify = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        backup::verify(&made.path, &pass).expect("verify");
        verify.push(t.elapsed());
    }
    println!("verify: best {}", secs(*verify.iter().min().expect("runs")));
    let _ = made_other;

    let t = Instant::now();
    let prepared = backup::prepare_restore(&v, &made.path, &pass, now).expect("prepare");
    let v = backup::finish_restore(v, prepared, &pass, now).expect("finish");
    println!(
        "restore (check, safety copy, prepare, swap, unlock): {}",
        secs(t.elapsed())
    );
    drop(v);

    // SQLite's online backup of an unencrypted copy of the same data.
    let plain = dir.path().join("plain.sqlite");
    common::plain_copy(&path, &plain);
    let plain_size = std::fs::metadata(&plain).expect("size").len();
    let src = Connection::open(&plain).expect("plain");
    let mut best = Duration::MAX;
    for i in 0..runs {
        let dest_path = dir.path().join(format!("plain-backup-{i}.sqlite"));
        let t = Instant::now();
        let mut dest = Connection::open(&dest_path).expect("dest");
        {
            let b = rusqlite::backup::Backup::new(&src, &mut dest).expect("backup");
            b.run_to_completion(1_000_000, Duration::ZERO, None)
                .expect("run");
        }
        drop(dest);
        best = best.min(t.elapsed());
    }
    println!(
        "plain SQLite online backup (sqlite3 .backup) of {}: best {}; Derbes export / plain = {:.2}×",
        mib(plain_size),
        secs(best),
        export.iter().min().expect("runs").as_secs_f64() / best.as_secs_f64()
    );
    // The same reading on plain SQLite: every table counted (the encrypted verify also
    // authenticates every page and checks the journal's chain).
    let t = Instant::now();
    let c = Connection::open(dir.path().join("plain-backup-0.sqlite")).expect("open");
    let names: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    for n in names {
        let _: i64 = c
            .query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0))
            .expect("count");
    }
    let plain_read = t.elapsed();
    println!(
        "plain: every table counted: {}; Derbes verify / plain = {:.2}×",
        secs(plain_read),
        verify.iter().min().expect("runs").as_secs_f64() / plain_read.as_secs_f64()
    );
}
