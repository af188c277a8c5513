//! The journal's anchor: its head (sequence, hash, time) kept *outside* the vault.
//!
//! The hash chain inside the file ([`crate::vault::journal`]) shows an entry edited by someone without
//! the passphrase. Someone with it can delete the last entries, or rewrite one and re-chain every
//! entry after it, and the chain is whole again; nothing inside one file can stop that (issue 16).
//! What shows it is a copy of the head kept elsewhere: after every write Derbes records the head in
//! `$XDG_CONFIG_HOME/derbes/anchors/<vault id>` (and every backup's manifest carries the head it
//! was made at). At unlock, `journal verify`, `check` and `verify BACKUP` the vault's journal is
//! compared with those heads: shorter than an anchor ("entries 37–44 written up to 2026-12-01 are
//! missing"), or holding a different entry where an anchor has one (rewritten).
//!
//! The file keeps the last [`RECENT`] heads and the last head of each of the last [`DAYS`] days, so
//! a rewrite is placed between the newest mark that still agrees and the oldest that does not.
//! Lines are `SEQ HASH AT`; the file holds no personal data.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// The newest heads kept one by one.
const RECENT: usize = 32;
/// Days of which the last head is kept.
const DAYS: usize = 400;
/// Larger than any anchor this module writes: a file beyond it is not ours, and is not read.
const MAX_BYTES: u64 = 256 * 1024;

/// One head of the journal as it was after a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub seq: i64,
    pub hash: String,
    /// When the entry was written (the entry's own RFC 3339 time).
    pub at: String,
}

/// What a comparison of the journal with an anchor found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The journal ends at `from - 1`; entries `from..=to` were written (the last at `up_to`).
    Missing { from: i64, to: i64, up_to: String },
    /// Entry `seq` (written at `at`) is not the entry the anchor recorded; entries up to
    /// `agrees_to` still agree, so the change lies in `agrees_to + 1 ..= seq`.
    Rewritten {
        agrees_to: i64,
        seq: i64,
        at: String,
    },
}

impl Finding {
    /// A stable code for the window and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::Missing { .. } => "journal.entries_missing",
            Finding::Rewritten { .. } => "journal.rewritten",
        }
    }

    /// The entries concerned and when the last of them was written: for a missing run, its first
    /// and last; for a rewrite, the first that may have changed and the first known to differ.
    pub fn span(&self) -> (i64, i64, &str) {
        match self {
            Finding::Missing { from, to, up_to } => (*from, *to, up_to),
            Finding::Rewritten { agrees_to, seq, at } => (agrees_to + 1, *seq, at),
        }
    }

    /// The day part of the anchor's time (`2026-12-01`).
    fn day(at: &str) -> &str {
        at.get(..10).unwrap_or(at)
    }

    /// One line without personal data, for the journal entry that records the finding and for
    /// the command line; parsed back by [`Finding::parse`].
    pub fn detail(&self) -> String {
        match self {
            Finding::Missing { from, to, up_to } => format!("missing {from}-{to} up to {up_to}"),
            Finding::Rewritten { agrees_to, seq, at } => {
                format!("rewritten {}-{seq} written up to {at}", agrees_to + 1)
            }
        }
    }

    pub fn parse(detail: &str) -> Option<Finding> {
        let mut w = detail.split(' ');
        let kind = w.next()?;
        let (a, b) = w.next()?.split_once('-')?;
        let (a, b) = (a.parse::<i64>().ok()?, b.parse::<i64>().ok()?);
        let at = detail.rsplit(' ').next()?.to_owned();
        match kind {
            "missing" => Some(Finding::Missing {
                from: a,
                to: b,
                up_to: at,
            }),
            "rewritten" => Some(Finding::Rewritten {
                agrees_to: a - 1,
                seq: b,
                at,
            }),
            _ => None,
        }
    }

    /// In English, for the command line.
    pub fn describe(&self) -> String {
        match self {
            Finding::Missing { from, to, up_to } if from == to => format!(
                "entry {from}, written on {}, is missing from the journal",
                Self::day(up_to)
            ),
            Finding::Missing { from, to, up_to } => format!(
                "entries {from}–{to}, written up to {}, are missing from the journal",
                Self::day(up_to)
            ),
            Finding::Rewritten { agrees_to, seq, at } => format!(
                "the journal was rewritten: entry {seq}, written on {}, is not the one recorded \
                 then (entries up to {agrees_to} agree)",
                Self::day(at)
            ),
        }
    }
}

/// The anchor of one vault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchor {
    /// By sequence, oldest first.
    marks: Vec<Mark>,
}

impl Anchor {
    /// An anchor of a single head (a backup's manifest).
    pub fn of(mark: Mark) -> Anchor {
        Anchor { marks: vec![mark] }
    }

    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    pub fn head(&self) -> Option<&Mark> {
        self.marks.last()
    }

    fn parse(text: &str) -> Anchor {
        let mut marks: Vec<Mark> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut w = l.split(' ');
                let seq = w.next()?.parse::<i64>().ok().filter(|s| *s > 0)?;
                let hash = w.next().filter(|h| is_hash(h))?.to_owned();
                let at = w.next().filter(|a| a.len() <= 40)?.to_owned();
                Some(Mark { seq, hash, at })
            })
            .collect();
        marks.sort_by_key(|m| m.seq);
        marks.dedup_by_key(|m| m.seq);
        Anchor { marks }
    }

    fn format(&self) -> String {
        let mut s = String::from(
            "# Derbes: the head of this vault's journal after each write (issue 16). \
             Sequence, hash, time; no personal data.\n",
        );
        for m in &self.marks {
            s.push_str(&format!("{} {} {}\n", m.seq, m.hash, m.at));
        }
        s
    }

    /// Records `mark` as the newest head and thins the older ones.
    fn advance(&mut self, mark: Mark) {
        if self.head().is_some_and(|h| *h == mark) {
            return;
        }
        // A head at or below an older mark (the journal was found shorter, or a restore went
        // back): the marks above it belong to a journal that is no longer this one.
        self.marks.retain(|m| m.seq < mark.seq);
        self.marks.push(mark);
        let n = self.marks.len();
        let mut keep = vec![false; n];
        for k in keep.iter_mut().skip(n.saturating_sub(RECENT)) {
            *k = true;
        }
        // The last mark of each day, newest days first, up to DAYS of them.
        let mut days = 0;
        let mut i = n;
        while i > 0 && days < DAYS {
            i -= 1;
            let day = Finding::day(&self.marks[i].at);
            if i + 1 == n || Finding::day(&self.marks[i + 1].at) != day {
                keep[i] = true;
                days += 1;
            }
        }
        let mut it = keep.into_iter();
        self.marks.retain(|_| it.next().unwrap_or(true));
    }
}

fn is_hash(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The folder of the anchors.
pub fn dir() -> PathBuf {
    crate::base::paths::config_dir().join("anchors")
}

fn file_of(vault_id: &str) -> Option<PathBuf> {
    // The id comes from the vault: only the form migration 14 writes names a file.
    (vault_id.len() == 32 && vault_id.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| dir().join(vault_id))
}

/// The anchor of `vault_id`, or none (never written on this account, or unreadable).
pub fn load(vault_id: &str) -> Option<Anchor> {
    let path = file_of(vault_id)?;
    let text = read_small(&path)?;
    let a = Anchor::parse(&text);
    (!a.marks.is_empty()).then_some(a)
}

fn read_small(path: &Path) -> Option<String> {
    use std::io::Read;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(crate::base::limits::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
        .ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut s = String::new();
    f.take(MAX_BYTES).read_to_string(&mut s).ok()?;
    Some(s)
}

fn save(vault_id: &str, a: &Anchor) -> std::io::Result<()> {
    let Some(path) = file_of(vault_id) else {
        return Ok(());
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir())?;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&tmp)?;
    f.write_all(a.format().as_bytes())?;
    // Not fsynced: an anchor lost to a power cut is an older head, which the journal still
    // agrees with; the vault's own commit is what must survive.
    drop(f);
    std::fs::rename(&tmp, &path)
}

/// Records `mark` as the head of `vault_id`'s journal in `held` (the open vault's copy, loaded at
/// unlock: the lock keeps every other writer out, so the file is only written, never re-read,
/// after each commit). A failure to write is logged, never fatal: the change it follows is
/// committed, and an anchor left behind only agrees with less.
pub(crate) fn record(vault_id: &str, held: &mut Anchor, mark: Mark) {
    if held.head() == Some(&mark) {
        return;
    }
    held.advance(mark);
    if let Err(e) = save(vault_id, held) {
        tracing::warn!(error = %e, "the journal's anchor could not be written");
    }
}

/// Forgets every mark of `vault_id` (a new start after a restore or a finding).
pub fn reset(vault_id: &str) {
    if let Some(path) = file_of(vault_id) {
        let _ = std::fs::remove_file(path);
    }
}

/// Keeps the anchor as it was when a divergence was found, beside the new one, as evidence.
pub fn keep_evidence(vault_id: &str, a: &Anchor, stamp: &str) {
    let Some(path) = file_of(vault_id) else {
        return;
    };
    let copy = path.with_extension(format!("found-{stamp}"));
    let _ = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&copy)?;
        f.write_all(a.format().as_bytes())
    })();
}

/// The hash of entry `seq` of the journal on `conn`, if it has one.
fn hash_at(conn: &Connection, seq: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT hash FROM journal WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?)
}

/// Compares the journal on `conn` with `anchor`: `None` when every mark is an entry of the journal.
pub fn compare(conn: &Connection, anchor: &Anchor) -> Result<Option<Finding>> {
    let mut agrees_to = 0;
    for m in &anchor.marks {
        match hash_at(conn, m.seq)? {
            Some(h) if h == m.hash => agrees_to = m.seq,
            Some(_) => {
                return Ok(Some(Finding::Rewritten {
                    agrees_to,
                    seq: m.seq,
                    at: m.at.clone(),
                }));
            }
            None => {
                let last: i64 =
                    conn.query_row("SELECT coalesce(max(seq), 0) FROM journal", [], |r| {
                        r.get(0)
                    })?;
                let head = anchor.marks.last().unwrap_or(m);
                return Ok(Some(Finding::Missing {
                    from: last + 1,
                    to: head.seq,
                    up_to: head.at.clone(),
                }));
            }
        }
    }
    Ok(None)
}

/// Compares an earlier copy of the journal (a backup) with `anchor`: only the marks it is old
/// enough to hold count, so being shorter is no finding; a different entry is.
pub fn compare_within(conn: &Connection, anchor: &Anchor) -> Result<Option<Finding>> {
    let last: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM journal", [], |r| {
        r.get(0)
    })?;
    let within = Anchor {
        marks: anchor
            .marks
            .iter()
            .filter(|m| m.seq <= last)
            .cloned()
            .collect(),
    };
    compare(conn, &within)
}

/// The divergences recorded in the journal on `conn` (`journal.diverged` entries), newest first,
/// each with the time it was found.
pub fn recorded(conn: &Connection) -> Result<Vec<(String, Finding)>> {
    let mut st = conn.prepare_cached(
        "SELECT at, detail FROM journal WHERE action = 'journal.diverged' ORDER BY seq DESC",
    )?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (at, detail) = row?;
        if let Some(f) = Finding::parse(&detail) {
            out.push((at, f));
        }
    }
    Ok(out)
}

/// The head of the journal on `conn` as a mark.
pub fn head_of(conn: &Connection) -> Result<Option<Mark>> {
    Ok(conn
        .prepare_cached("SELECT seq, hash, at FROM journal ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| {
            Ok(Mark {
                seq: r.get(0)?,
                hash: r.get(1)?,
                at: r.get(2)?,
            })
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(seq: i64, day: u32) -> Mark {
        Mark {
            seq,
            hash: format!("{seq:064x}"),
            at: format!("2026-11-{day:02}T10:00:00.000Z"),
        }
    }

    #[test]
    fn keeps_the_recent_heads_and_one_per_day() {
        let mut a = Anchor::default();
        for seq in 1..=500 {
            a.advance(mark(seq, 1 + (seq / 50) as u32));
        }
        let seqs: Vec<i64> = a.marks.iter().map(|m| m.seq).collect();
        // The last 32, and the last of each earlier day (49, 99, …).
        assert_eq!(seqs.len(), RECENT + 9, "{seqs:?}");
        assert!(seqs.contains(&49) && seqs.contains(&449) && seqs.contains(&500));
        assert!(!seqs.contains(&48));
        assert_eq!(Anchor::parse(&a.format()), a);
    }

    #[test]
    fn a_shorter_head_drops_the_marks_above_it() {
        let mut a = Anchor::default();
        for seq in 1..=10 {
            a.advance(mark(seq, 1));
        }
        a.advance(mark(7, 2));
        assert_eq!(a.head().map(|m| m.seq), Some(7));
        assert_eq!(a.marks.len(), 7);
    }

    #[test]
    fn garbled_lines_are_skipped() {
        let a = Anchor::parse("# x\n5 zz 2026\n-1 0 x\n3 nothex\n");
        assert!(a.marks.is_empty());
    }

    #[test]
    fn findings_read_back_from_their_detail() {
        for f in [
            Finding::Missing {
                from: 37,
                to: 44,
                up_to: "2026-12-01T10:00:00.000Z".into(),
            },
            Finding::Rewritten {
                agrees_to: 12,
                seq: 20,
                at: "2026-12-01T10:00:00.000Z".into(),
            },
        ] {
            assert_eq!(Finding::parse(&f.detail()), Some(f));
        }
    }
}
