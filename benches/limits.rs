//! Issue 20's table in one run: on one generated vault of 100 000 subjects (400 000 holdings,
//! 175 000 consents, 50 000 requests), each row measured in Derbes and, where there is one, the
//! same work in plain SQLite in the same run, with the ratio and the goal.
//!
//! `cargo bench --bench limits` (`DERBES_BENCH_SUBJECTS` for another size). The import row runs
//! the real `derbes-cli` process (`DERBES_CLI`, else the release build, built first) against the
//! `sqlite3` shell's `.import` (`DERBES_SQLITE3`, else `sqlite3` on the PATH);
//! `DERBES_BENCH_KEEP_CSV=FILE` keeps a copy of the CSV it imports, for a profile.

use derbes::app::demo;
use derbes::base::language::Language;
use derbes::erasure::retention;
use derbes::erasure::{self, Action, Keep, Order};
use derbes::registry::blocking::Basis;
use derbes::registry::search::{self, ConsentFilter, Query};
use rusqlite::Connection;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::{PASS, percentiles as pct};

struct Row {
    work: String,
    ours: String,
    plain: String,
    ratio: String,
    goal: &'static str,
    met: bool,
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64().max(1e-9))
}

/// `runs` samples of `f`, after one warm-up call.
fn sample(runs: usize, mut f: impl FnMut(usize)) -> Vec<Duration> {
    f(usize::MAX);
    (0..runs)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect()
}

fn main() {
    let bench = common::bench_mode();
    let n = common::subjects();
    let rounds = if bench { 20 } else { 2 };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault.derbes");
    let now = common::now();
    let today = now.date_naive();
    let t = Instant::now();
    let mut v = common::populated_vault(&path, n, 11);
    demo::letterhead(&mut v, now).expect("letterhead");
    let count = |c: &Connection, t: &str| -> i64 {
        c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .expect("count")
    };
    println!(
        "vault: {n} subjects, {} holdings, {} consents, {} requests (generated in {})",
        count(v.conn(), "holding"),
        count(v.conn(), "consent"),
        count(v.conn(), "request"),
        secs(t.elapsed())
    );
    let plain_path = dir.path().join("plain.sqlite");
    common::plain_copy(&path, &plain_path);
    let plain = Connection::open(&plain_path).expect("plain");
    let mut rows = Vec::new();

    // Search as the window sends each keystroke.
    let typed = [
        "кайрат",
        "Қасымов",
        "айгерим",
        "федоров",
        "8508",
        "aigerim.",
        "701",
        "сер нур",
    ];
    let keys: Vec<String> = typed
        .iter()
        .flat_map(|w| (1..=w.chars().count()).map(move |k| w.chars().take(k).collect::<String>()))
        .collect();
    let typing = |conn: &Connection| {
        let per_round = keys.len();
        pct(sample(rounds * per_round, |i| {
            let q = Query {
                text: keys[i % per_round].clone(),
                limit: 100,
                ..Query::default()
            };
            black_box(search::search(conn, &q, today).expect("search"));
        }))
    };
    let (e50, e95) = typing(v.conn());
    let (p50, p95) = typing(&plain);
    rows.push(Row {
        work: format!(
            "search as you type, first page of 100 + total, {} keystrokes",
            keys.len()
        ),
        ours: format!("p50 {} p95 {}", ms(e50), ms(e95)),
        plain: format!("p50 {} p95 {}", ms(p50), ms(p95)),
        ratio: ratio(e95, p95),
        goal: "≤ 1 ms p95",
        met: e95 <= Duration::from_millis(1),
    });

    // The list as first shown, a page far down; and the withdrawn-consent filter.
    let far = format!("the registry list, page of 100 at offset {}", n / 2);
    for (work, q, goal, limit, by_p95) in [
        (
            far.as_str(),
            Query {
                offset: n / 2,
                limit: 100,
                ..Query::default()
            },
            "≤ 2 ms p95",
            Duration::from_millis(2),
            true,
        ),
        (
            "the withdrawn-consent filter, first page + total",
            Query {
                consent: Some(ConsentFilter::Withdrawn),
                limit: 100,
                ..Query::default()
            },
            "≤ 5 ms p50",
            Duration::from_millis(5),
            false,
        ),
    ] {
        let run = |conn: &Connection| {
            pct(sample(rounds.max(10), |_| {
                black_box(search::search(conn, &q, today).expect("list"));
            }))
        };
        let (e50, e95) = run(v.conn());
        let (p50, p95) = run(&plain);
        let (ours, theirs) = if by_p95 { (e95, p95) } else { (e50, p50) };
        rows.push(Row {
            work: work.into(),
            ours: format!("p50 {} p95 {}", ms(e50), ms(e95)),
            plain: format!("p50 {} p95 {}", ms(p50), ms(p95)),
            ratio: ratio(ours, theirs),
            goal,
            met: ours <= limit,
        });
    }

    // A visit of the dashboard: what its page asks for (status, the retention figure, what is
    // coming up).
    let visit = |conn: &Connection| {
        black_box(retention::page(conn, 0, 0, today).expect("retention"));
        black_box(derbes::app::reminders::reminders(conn, today, None).expect("reminders"));
    };
    let d = sample(rounds.max(10), |_| {
        black_box(derbes::app::status::status(&v, today).expect("status"));
        visit(v.conn());
    });
    let (e50, e95) = pct(d);
    let (p50, p95) = pct(sample(rounds.max(10), |_| visit(&plain)));
    rows.push(Row {
        work: "the dashboard: status, retention figure, reminders".into(),
        ours: format!("p50 {} p95 {}", ms(e50), ms(e95)),
        plain: format!("p50 {} p95 {} (without status)", ms(p50), ms(p95)),
        ratio: ratio(e50, p50),
        goal: "≤ 20 ms",
        met: e95 <= Duration::from_millis(20),
    });
    drop(plain);

    // Backup: Derbes's export (written, re-opened and verified) against SQLite's online backup
    // of the plain copy — what `sqlite3 .backup` does.
    let out = dir.path().join("backups");
    std::fs::create_dir(&out).expect("out");
    let size = std::fs::metadata(&path).expect("size").len();
    let runs = if bench { 3 } else { 1 };
    let ours = (0..runs)
        .map(|i| {
            let t = Instant::now();
            derbes::app::backup::export(&mut v, &out, None, now + chrono::Duration::seconds(i))
                .expect("export");
            t.elapsed()
        })
        .min()
        .expect("runs");
    let src = Connection::open(&plain_path).expect("plain");
    let theirs = (0..runs)
        .map(|i| {
            let t = Instant::now();
            let mut dest =
                Connection::open(dir.path().join(format!("plain-{i}.bak"))).expect("dest");
            rusqlite::backup::Backup::new(&src, &mut dest)
                .and_then(|b| b.run_to_completion(1_000_000, Duration::ZERO, None))
                .expect("backup");
            drop(dest);
            t.elapsed()
        })
        .min()
        .expect("runs");
    drop(src);
    rows.push(Row {
        work: format!(
            "backup of the {:.0} MB vault, best of {runs}",
            size as f64 / 1e6
        ),
        ours: secs(ours),
        plain: format!("online backup {}", secs(theirs)),
        ratio: ratio(ours, theirs),
        goal: "≤ 1.5×",
        met: ours.as_secs_f64() <= 1.5 * theirs.as_secs_f64(),
    });

    // Destroying one person, as from a request, the act included.
    let ids: Vec<i64> = v
        .conn()
        .prepare("SELECT id FROM subject WHERE status = 'active' ORDER BY id DESC LIMIT ?1")
        .and_then(|mut s| {
            s.query_map([if bench { 9 } else { 3 }], |r| r.get(0))
                .and_then(|r| r.collect::<rusqlite::Result<Vec<i64>>>())
        })
        .expect("ids");
    let d: Vec<Duration> = ids
        .iter()
        .map(|&id| {
            let order = Order {
                action: Action::Destroy,
                subjects: vec![id],
                basis: Basis {
                    request_id: None,
                    text: "benchmark".into(),
                },
                keep: Keep::default(),
                lang: Language::Ru,
            };
            let t = Instant::now();
            erasure::run(&mut v, &order, today, now).expect("destroy");
            t.elapsed()
        })
        .collect();
    let (e50, e95) = pct(d);
    rows.push(Row {
        work: format!("destroy one person, act included, {} people", ids.len()),
        ours: format!("p50 {} p95 {}", ms(e50), ms(e95)),
        plain: "—".into(),
        ratio: "—".into(),
        goal: "≤ 100 ms",
        met: e50 <= Duration::from_millis(100),
    });

    // Import from CSV, the whole `derbes-cli` process, into a new vault; against the `sqlite3`
    // shell's `.import` into a table with two indexes, the whole process too.
    let csv = dir.path().join("people.csv");
    derbes::registry::export::to_file(&csv, |w| {
        derbes::registry::export::subjects_csv(v.conn(), w, Language::Ru)
    })
    .expect("export");
    // The file kept for a profile of the import (`perf record derbes-cli subjects import FILE`).
    if let Some(keep) = std::env::var_os("DERBES_BENCH_KEEP_CSV") {
        std::fs::copy(&csv, keep).expect("keep the CSV");
    }
    drop(v);
    let cli = cli_binary();
    let fresh = dir.path().join("fresh.derbes");
    let cli_run = |args: &[&str]| {
        let out = Command::new(&cli)
            .arg("--vault")
            .arg(&fresh)
            .args(args)
            .env("DERBES_PASSPHRASE", PASS)
            .output()
            .expect("derbes-cli");
        assert!(
            out.status.success(),
            "derbes-cli {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    cli_run(&["init"]);
    let t = Instant::now();
    cli_run(&["subjects", "import", csv.to_str().expect("utf-8")]);
    let ours = t.elapsed();
    let theirs = sqlite3_import(dir.path(), &csv);
    rows.push(Row {
        work: format!("import {n} people from CSV, whole process"),
        ours: secs(ours),
        plain: format!("sqlite3 .import, two indexes {}", secs(theirs)),
        ratio: ratio(ours, theirs),
        goal: "≤ 2 s (≤ 3.5×)",
        met: ours <= Duration::from_secs(2),
    });

    println!("\n| work | Derbes | plain SQLite, same run | ratio | goal | met |");
    println!("|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.work,
            r.ours,
            r.plain,
            r.ratio,
            r.goal,
            if r.met { "yes" } else { "no" }
        );
    }
}

/// `DERBES_CLI`, else the release `derbes-cli` of this workspace, built first.
fn cli_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("DERBES_CLI") {
        return PathBuf::from(p);
    }
    // Measured in the release build; checked by `cargo test --benches` in the debug one.
    let profile = if common::bench_mode() {
        "release"
    } else {
        "debug"
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build.args(["build", "-q", "-p", "derbes-cli"]);
    if common::bench_mode() {
        build.arg("--release");
    }
    let status = build.status().expect("cargo build");
    assert!(status.success(), "building derbes-cli failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join(profile).join("derbes-cli")
}

/// The `sqlite3` shell importing the same file into a table of its columns with a unique index on
/// the IIN and one on the name, as one process, timed whole.
fn sqlite3_import(dir: &Path, csv: &Path) -> Duration {
    let text = std::fs::read_to_string(csv).expect("csv");
    let header = text
        .lines()
        .next()
        .expect("header")
        .trim_start_matches('\u{feff}');
    let sep = if header.contains(';') { ';' } else { ',' };
    let cols: Vec<String> = header
        .split(sep)
        .enumerate()
        .map(|(i, _)| format!("c{i} TEXT"))
        .collect();
    let body = dir.join("plain-import.csv");
    std::fs::write(&body, text.split_once('\n').expect("rows").1).expect("body");
    let db = dir.join("plain-import.sqlite");
    let script = format!(
        "CREATE TABLE t ({});\nCREATE UNIQUE INDEX t_iin ON t (c0) WHERE c0 <> '';\nCREATE INDEX t_name ON t (c1, c2, c3);\n.mode csv\n.separator \"{sep}\"\nBEGIN;\n.import {} t\nCOMMIT;\n",
        cols.join(", "),
        body.display()
    );
    let sqlite3 = std::env::var_os("DERBES_SQLITE3").unwrap_or_else(|| "sqlite3".into());
    let t = Instant::now();
    let mut child = Command::new(sqlite3)
        .arg("-batch")
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sqlite3");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("script");
    let out = child.wait_with_output().expect("sqlite3");
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}
