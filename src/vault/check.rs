//! The live integrity check of an open vault (`derbes-cli check`, Settings → "Check the vault",
//! and once a week on unlock): every page authenticated, SQLite's own structural check, the
//! journal's chain, and the journal against its anchor (issue 16).
//!
//! Opening a vault decrypts only page 1 and the pages a query touches, so a byte flipped in the
//! middle of the file passes `status` and `journal verify`; this reads every page. It says `good`
//! or each thing that is wrong, never what a damaged row held.

use super::{Vault, anchor};
use crate::error::{Error, Result};
use crate::journal;
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

/// What [`run`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub pages: u64,
    pub journal_entries: u64,
    pub problems: Vec<Problem>,
    /// How long each part took (for the benchmark and the log), in order.
    pub took: Vec<(&'static str, std::time::Duration)>,
}

impl Report {
    pub fn is_good(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the whole vault. Reads only; the caller journals the check (see [`record`]).
pub fn run(vault: &Vault) -> Result<Report> {
    let conn = vault.conn();
    // SQLCipher reads every page of the file and checks its HMAC; one row per failing page.
    let pages: u64 = conn.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))? as u64;
    // While it runs, a page cache that holds the file (up to 1 GiB), so that the structure check
    // and the journal decrypt each page once; back to the usual size after.
    let mib = (pages * 4096 / 1_048_576 + 16).min(1024) as i64;
    super::set_cache_mib(conn, mib)?;
    let report = run_cached(vault, pages);
    super::set_cache_mib(conn, super::CACHE_MIB)?;
    report
}

fn run_cached(vault: &Vault, pages: u64) -> Result<Report> {
    let conn = vault.conn();
    let mut problems = Vec::new();
    let mut took = Vec::new();
    let mut lap = std::time::Instant::now();
    let mut mark = |name: &'static str, took: &mut Vec<_>| {
        took.push((name, lap.elapsed()));
        lap = std::time::Instant::now();
    };
    let mut bad_pages = Vec::new();
    let mut total_bad = 0;
    {
        let mut st = conn.prepare("PRAGMA cipher_integrity_check")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let msg: String = r.get(0)?;
            total_bad += 1;
            if bad_pages.len() < LIST
                && let Some(n) = msg
                    .split_whitespace()
                    .filter_map(|w| w.parse::<u64>().ok())
                    .next_back()
            {
                bad_pages.push(n);
            }
        }
    }
    if total_bad > 0 {
        problems.push(Problem::Pages {
            pages: bad_pages,
            total: total_bad,
        });
    }
    mark("pages", &mut took);
    // With a page that fails, SQLite's walk of the b-trees stops at it: said once, above.
    if total_bad == 0 {
        let mut messages = Vec::new();
        let mut total = 0;
        // quick_check: every b-tree page's structure, every record's format, NOT NULL and CHECK
        // constraints. Not integrity_check's cross-check of each index against its table, which
        // alone takes 2.3 s on plain SQLite at 100 000 subjects (benches/vault.rs) against the
        // check's 1.5 s budget; a flipped byte already fails the page's HMAC above, and an index
        // out of step with its table is what SQLite itself never writes.
        match conn.prepare("PRAGMA quick_check").and_then(|mut st| {
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        }) {
            Ok(rows) => {
                for m in rows.into_iter().filter(|m| m != "ok") {
                    total += 1;
                    if messages.len() < LIST {
                        messages.push(m);
                    }
                }
            }
            Err(e) => {
                total += 1;
                messages.push(crate::error::Error::from(e).to_string());
            }
        }
        if total > 0 {
            problems.push(Problem::Structure { messages, total });
        }
    }
    mark("structure", &mut took);
    let journal_entries = match journal::verify(conn) {
        Ok(n) => n,
        Err(Error::JournalBroken { seq, reason }) => {
            problems.push(Problem::Journal { seq, reason });
            0
        }
        Err(e) if total_bad > 0 || !problems.is_empty() => {
            tracing::warn!(code = e.code(), "journal unreadable in a damaged vault");
            0
        }
        Err(e) => return Err(e),
    };
    mark("journal", &mut took);
    if let Some(a) = anchor::load(vault.id())
        && let Some(f) = anchor::compare(conn, &a)?
    {
        problems.push(Problem::Anchor(f));
    }
    for (found_at, finding) in anchor::recorded(conn)? {
        problems.push(Problem::Recorded { found_at, finding });
    }
    mark("anchor", &mut took);
    Ok(Report {
        pages,
        journal_entries,
        problems,
        took,
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
