//! The live integrity check of an open vault (`derbes-cli check`, Settings → "Check the vault",
//! and once a week on unlock): every page authenticated, SQLite's own structural check, the
//! journal's chain, and the journal against its anchor (issue 16).
//!
//! Opening a vault decrypts only page 1 and the pages a query touches, so a byte flipped in the
//! middle of the file passes `status` and `journal verify`; this reads every page. It says `good`
//! or each thing that is wrong, never what a damaged row held.

use super::{Vault, anchor};
use crate::error::{Error, Result};
use crate::vault::journal;
use chrono::{DateTime, NaiveDate, Utc};

/// How many problems of one kind are listed (a destroyed file would give thousands).
const LIST: usize = 20;

/// One thing the check found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Pages whose authentication code does not match their content (changed on disk).
    Pages { pages: Vec<u64>, total: usize },
    /// SQLite's integrity check: its own messages (b-tree pages, index entries; no row content).
    Structure { messages: Vec<String>, total: usize },
    /// The journal's chain breaks at `seq`.
    Journal { seq: i64, reason: &'static str },
    /// The journal disagrees with its anchor now.
    Anchor(anchor::Finding),
    /// A divergence found at an earlier unlock, still recorded in the journal.
    Recorded {
        found_at: String,
        finding: anchor::Finding,
    },
}

impl Problem {
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Pages { .. } => "check.pages",
            Problem::Structure { .. } => "check.structure",
            Problem::Journal { .. } => "journal.broken",
            Problem::Anchor(f) => f.code(),
            Problem::Recorded { finding, .. } => finding.code(),
        }
    }

    /// In English, for the command line.
    pub fn describe(&self) -> String {
        let more = |shown: usize, total: usize| {
            if total > shown {
                format!(" (and {} more)", total - shown)
            } else {
                String::new()
            }
        };
        match self {
            Problem::Pages { pages, total } => format!(
                "{total} page(s) fail authentication (changed on disk): {}{}",
                pages
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                more(pages.len(), *total)
            ),
            Problem::Structure { messages, total } => format!(
                "the database structure is damaged: {}{}",
                messages.join("; "),
                more(messages.len(), *total)
            ),
            Problem::Journal { seq, reason } => {
                format!("the journal's chain is broken at entry {seq}: {reason}")
            }
            Problem::Anchor(f) => f.describe(),
            Problem::Recorded { found_at, finding } => format!(
                "found at the unlock of {}: {}",
                found_at.get(..10).unwrap_or(found_at),
                finding.describe()
            ),
        }
    }
}

/// Crosses as `{code, n, pages, messages, seq, from, to, date, found}`: what the catalogue's
/// sentence for its code needs (every field present; those it does not use are empty).
#[cfg(feature = "serde")]
impl serde::Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let day = |at: &str| at.get(..10).unwrap_or(at).to_owned();
        let (mut n, mut pages, mut messages, mut seq) = (0, String::new(), String::new(), 0);
        let (mut from, mut to, mut date, mut found) = (0, 0, String::new(), String::new());
        let mut finding = |f: &anchor::Finding| {
            let (a, b, at) = f.span();
            (from, to, date) = (a, b, day(at));
        };
        match self {
            Problem::Pages { pages: p, total } => {
                n = *total;
                pages = p.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
            }
            Problem::Structure { messages: m, total } => {
                n = *total;
                messages = m.join("; ");
            }
            Problem::Journal { seq: at, .. } => seq = *at,
            Problem::Anchor(f) => finding(f),
            Problem::Recorded {
                found_at,
                finding: f,
            } => {
                finding(f);
                found = day(found_at);
            }
        }
        let mut st = s.serialize_struct("Problem", 9)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("n", &n)?;
        st.serialize_field("pages", &pages)?;
        st.serialize_field("messages", &messages)?;
        st.serialize_field("seq", &seq)?;
        st.serialize_field("from", &from)?;
        st.serialize_field("to", &to)?;
        st.serialize_field("date", &date)?;
        st.serialize_field("found", &found)?;
        st.end()
    }
}

/// Crosses as `{good, pages, journalEntries, millis, problems}`.
#[cfg(feature = "serde")]
impl serde::Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Report", 5)?;
        st.serialize_field("good", &self.is_good())?;
        st.serialize_field("pages", &self.pages)?;
        st.serialize_field("journalEntries", &self.journal_entries)?;
        st.serialize_field("millis", &(self.elapsed.as_millis() as u64))?;
        st.serialize_field("problems", &self.problems)?;
        st.end()
    }
}

/// What [`run`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub pages: u64,
    pub journal_entries: u64,
    pub problems: Vec<Problem>,
    /// How long each part took (for the benchmark and the log), in order; the pages and the
    /// structure are checked at the same time.
    pub took: Vec<(String, std::time::Duration)>,
    /// The whole check.
    pub elapsed: std::time::Duration,
}

impl Report {
    pub fn is_good(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the whole vault. Reads only; the caller journals the check (see [`record`]).
///
/// The work is shared by two threads (the machine this runs on has two cores or more), each with a
/// read-only connection of its own. One authenticates every page of the file ([`super::pages`]),
/// then both take the rest from one queue: SQLite's structural check table by table, largest
/// first, and the journal's chain. One after the other on the vault's own connection, with
/// SQLCipher's `cipher_integrity_check`, these took 2.9 s at 100 000 subjects (benches/vault.rs),
/// against a budget of 1.5 s.
pub fn run(vault: &Vault) -> Result<Report> {
    let started = std::time::Instant::now();
    let pages: u64 = vault
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))? as u64;
    let jobs = jobs(vault.conn())?;
    let first = vault.reader()?;
    let second = vault.reader()?;
    // Page caches that hold the file between them (up to 1 GiB), so that each page is decrypted
    // once per connection; they go with the connections.
    let mib = (pages * 4096 / 1_048_576 + 16).min(1024) as i64;
    super::set_cache_mib(&first, mib)?;
    super::set_cache_mib(&second, mib)?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (path, key) = (vault.path(), &vault.key);
    let (authenticated, first_done, second_done) = std::thread::scope(|s| {
        let (jobs, next) = (&jobs, &next);
        let helper = s.spawn(move || -> Result<_> {
            let bad = authenticate(path, key)?;
            let took = started.elapsed();
            let done = work(&second, jobs, next)?;
            Ok((bad, took, done))
        });
        let done = work(&first, jobs, next);
        let helper = helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (helper, done, started.elapsed())
    });
    let (bad_pages, pages_took, mut done) = authenticated?;
    done.merge(first_done?);
    let mut problems = Vec::new();
    let pages_bad = bad_pages.is_some();
    problems.extend(bad_pages);
    // With a page that fails, SQLite's walk of the b-trees stops at it: said once, above.
    if !pages_bad && done.structure_total > 0 {
        problems.push(Problem::Structure {
            messages: done.structure,
            total: done.structure_total,
        });
    }
    let journal_entries = match done.chain {
        Some(Ok(n)) => n,
        Some(Err(Error::JournalBroken { seq, reason })) => {
            problems.push(Problem::Journal { seq, reason });
            0
        }
        Some(Err(e)) if !problems.is_empty() => {
            tracing::warn!(code = e.code(), "journal unreadable in a damaged vault");
            0
        }
        Some(Err(e)) => return Err(e),
        None => 0,
    };
    let mut took = vec![
        ("pages".to_owned(), pages_took),
        ("structure and journal".to_owned(), second_done),
    ];
    took.append(&mut done.took);
    let lap = std::time::Instant::now();
    let conn = vault.conn();
    if let Some(f) = anchor::compare(conn, vault.anchor())? {
        problems.push(Problem::Anchor(f));
    }
    for (found_at, finding) in anchor::recorded(conn)? {
        problems.push(Problem::Recorded { found_at, finding });
    }
    took.push(("anchor".to_owned(), lap.elapsed()));
    Ok(Report {
        pages,
        journal_entries,
        problems,
        took,
        elapsed: started.elapsed(),
    })
}

/// Journals a check that ran (`vault.checked`, with its result's codes) and the day it ran, so the
/// weekly check on unlock knows when the last one was.
pub fn record(vault: &mut Vault, report: &Report, now: DateTime<Utc>) -> Result<()> {
    let detail = if report.is_good() {
        "good".to_owned()
    } else {
        report
            .problems
            .iter()
            .map(Problem::code)
            .collect::<Vec<_>>()
            .join(",")
    };
    let day = now.date_naive().to_string();
    vault.write(
        now,
        &journal::Entry::new("vault.checked").detail(detail),
        |tx| tx.put_setting("last_check_on", &day),
    )
}

/// Whether the weekly check is due on `today`: never run, or last run seven or more days ago.
pub fn due(vault: &Vault, today: NaiveDate) -> Result<bool> {
    Ok(match vault.setting("last_check_on")? {
        Some(d) => match d.parse::<NaiveDate>() {
            Ok(d) => (today - d).num_days() >= 7,
            Err(_) => true,
        },
        None => true,
    })
}

/// Every page's HMAC (see [`super::pages`]).
fn authenticate(path: &std::path::Path, key: &super::keying::RawKey) -> Result<Option<Problem>> {
    let o = super::pages::authenticate(path, key)?;
    Ok((o.total_bad > 0).then_some(Problem::Pages {
        pages: o.bad,
        total: o.total_bad,
    }))
}

/// What is left after the pages: the journal's chain and each table's structural check.
enum Job {
    Journal,
    Table(String),
}

/// The tables (with their indexes, and the full-text index's own check) in the order they are
/// taken: the largest at 100 000 subjects first (benches/vault.rs), so that the two threads end
/// together; the order changes only how the work is shared, never what is checked.
fn jobs(conn: &rusqlite::Connection) -> Result<Vec<Job>> {
    const LARGEST: [&str; 8] = [
        "subject_fts",
        "subject",
        "holding",
        "consent",
        "contact",
        "subject_fts_data",
        "request",
        "journal",
    ];
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tables.push("sqlite_schema".into());
    tables.sort_by_key(|t| LARGEST.iter().position(|l| l == t).unwrap_or(LARGEST.len()));
    let mut jobs: Vec<Job> = tables.into_iter().map(Job::Table).collect();
    jobs.insert(1, Job::Journal);
    Ok(jobs)
}

/// What one connection found.
#[derive(Default)]
struct Done {
    structure: Vec<String>,
    structure_total: usize,
    chain: Option<Result<u64>>,
    /// Each job's time ("journal", "table subject"…).
    took: Vec<(String, std::time::Duration)>,
}

impl Done {
    fn merge(&mut self, other: Done) {
        for m in other.structure {
            if self.structure.len() < LIST {
                self.structure.push(m);
            }
        }
        self.structure_total += other.structure_total;
        if other.chain.is_some() {
            self.chain = other.chain;
        }
        self.took.extend(other.took);
    }
}

/// Takes jobs from the shared queue until none is left.
fn work(
    conn: &rusqlite::Connection,
    jobs: &[Job],
    next: &std::sync::atomic::AtomicUsize,
) -> Result<Done> {
    let mut done = Done::default();
    while let Some(job) = jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
        let started = std::time::Instant::now();
        let name = match job {
            Job::Journal => {
                done.chain = Some(journal::verify(conn));
                "journal".to_owned()
            }
            Job::Table(t) => {
                structure_check(conn, t, &mut done);
                format!("table {t}")
            }
        };
        done.took.push((name, started.elapsed()));
    }
    Ok(done)
}

/// SQLite's quick_check of one table and its indexes: every b-tree page's structure and every
/// record's format, NOT NULL and CHECK constraints; for the full-text index, its own check.
///
/// What the check by table leaves out is whole-file page accounting (a page lost, or used by two
/// b-trees), which only one check of the whole file can do, on one thread: it alone took 1.4 s
/// of the 1.5 s budget at 100 000 subjects. A page changed on disk fails its HMAC whichever way.
/// Not integrity_check's cross-check of each index against its table either: 2.3 s on plain
/// SQLite at 100 000 subjects (benches/vault.rs), for what SQLite itself never writes.
fn structure_check(conn: &rusqlite::Connection, table: &str, done: &mut Done) {
    // The name comes from sqlite_schema; quoted as an identifier all the same.
    let sql = format!("PRAGMA quick_check(\"{}\")", table.replace('"', "\"\""));
    match conn.prepare(&sql).and_then(|mut st| {
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    }) {
        Ok(rows) => {
            for m in rows.into_iter().filter(|m| m != "ok") {
                done.structure_total += 1;
                if done.structure.len() < LIST {
                    done.structure.push(m);
                }
            }
        }
        Err(e) => {
            done.structure_total += 1;
            if done.structure.len() < LIST {
                done.structure.push(Error::from(e).to_string());
            }
        }
    }
}
