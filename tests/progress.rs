//! Long work stopped by the user (issue 10) leaves nothing half-done: an import stopped midway
//! writes no row, a stopped backup leaves no file, a stopped destruction destroys no one.

mod common;

use common::*;
use derbes::base::progress::Progress;
use derbes::{files::csv_table, registry::import};
use std::sync::Arc;
use std::time::Duration;

fn counts(v: &derbes::Vault) -> (i64, i64, Option<i64>) {
    let n = |sql: &str| v.conn().query_row(sql, [], |r| r.get(0)).unwrap();
    (
        n("SELECT count(*) FROM subject"),
        n("SELECT count(*) FROM contact"),
        derbes::vault::journal::head(v.conn())
            .unwrap()
            .map(|(seq, _)| seq),
    )
}

#[test]
fn an_import_stopped_midway_writes_nothing() {
    let t = TempVault::new();
    let mut source = t.create();
    derbes::app::demo::populate(
        &mut source,
        derbes::app::demo::Spec {
            subjects: 6000,
            requests: 0,
            seed: 3,
        },
        today(),
        now(),
    )
    .unwrap();
    let csv = t.file("all.csv");
    derbes::registry::export::to_file(&csv, |w| {
        derbes::registry::export::subjects(
            source.conn(),
            w,
            derbes::files::sheet::Format::Csv,
            derbes::base::language::Language::Ru,
        )
    })
    .unwrap();
    source.lock();

    let t2 = TempVault::new();
    let mut v = t2.create();
    let before = counts(&v);
    let table = csv_table::read_file(&csv).unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check(v.conn(), &table, &mapping, today()).unwrap();
    let options = import::Options {
        duplicates: import::Duplicates::Skip,
        skip_invalid: false,
        add_unknown: false,
    };
    // The user presses Stop once a good part of the rows is written.
    let progress = Arc::new(Progress::new());
    let watcher = {
        let p = progress.clone();
        std::thread::spawn(move || {
            loop {
                let (done, total) = p.snapshot();
                if total > 0 && done >= 1024 {
                    p.cancel();
                    return done;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    let err = import::commit_with(&mut v, &table, checked, options, now(), &progress).unwrap_err();
    let stopped_at = watcher.join().unwrap();
    assert_eq!(err.code(), "job.cancelled");
    assert!(stopped_at < 6000, "stopped before the end ({stopped_at})");
    assert_eq!(counts(&v), before, "no subject, contact or journal entry");
    // The same import, not stopped, then writes everything.
    let checked = import::check(v.conn(), &table, &mapping, today()).unwrap();
    let done = import::commit(&mut v, &table, checked, options, now()).unwrap();
    assert_eq!(done.created, 6000);
}

#[test]
fn a_stopped_backup_leaves_no_file_and_a_stopped_destruction_destroys_no_one() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::populate(
        &mut v,
        derbes::app::demo::Spec {
            subjects: 30,
            requests: 0,
            seed: 4,
        },
        today(),
        now(),
    )
    .unwrap();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let stopped = Progress::new();
    stopped.cancel();
    let err =
        derbes::app::backup::export_with(&mut v, dir.path(), None, now(), &stopped).unwrap_err();
    assert_eq!(err.code(), "job.cancelled");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no backup and no partial file"
    );

    let ids: Vec<i64> = v
        .conn()
        .prepare("SELECT id FROM subject ORDER BY id LIMIT 5")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let before = counts(&v);
    let order = derbes::erasure::Order {
        action: derbes::erasure::Action::Destroy,
        subjects: ids,
        basis: derbes::registry::blocking::Basis {
            request_id: None,
            text: "цель достигнута".into(),
        },
        keep: Default::default(),
        lang: derbes::base::language::Language::Ru,
    };
    let err = derbes::erasure::run_with(&mut v, &order, today(), now(), &stopped).unwrap_err();
    assert_eq!(err.code(), "job.cancelled");
    assert_eq!(
        counts(&v),
        before,
        "nobody destroyed, no act, no journal entry"
    );
    let erased: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM erasure", [], |r| r.get(0))
        .unwrap();
    assert_eq!(erased, 0);
}
