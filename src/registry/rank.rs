//! The alphabetical place of each subject as a sparse integer label, its *rank*: ranks increase
//! in the list's order (`sort_key`, then id) with room left between neighbours. The rank is the
//! rowid of the subject's row in the search index, so the index hands out text matches already in
//! list order: the first page of a search that matches 30 000 people reads 100 of them instead of
//! sorting 30 000 (the search latency target of the registry issue).
//!
//! A new or renamed subject takes the middle of the gap between its neighbours. When a gap is used
//! up, the smallest surrounding window with enough room is spread evenly again (an order-maintenance
//! list); large imports renumber everything at once.

use crate::error::Result;
use crate::registry::index::{self, Fts};
use rusqlite::{Connection, OptionalExtension, params};

/// Ranks lie in `1..MAX`.
const MAX: i64 = 1 << 62;
/// The distance between neighbours when ranks are handed out evenly, and the room taken after the
/// last subject when one is added at the end. The search index stores the differences between
/// consecutive rowids as varints: 2^14 keeps them at two bytes (at 2^44 the index grew by 70 MB
/// for 100 000 subjects), and leaves 14 halvings before a gap has to be spread.
const SPACING: i64 = 1 << 14;
/// A spread window leaves at least this much room between neighbours.
const MIN_GAP: i64 = 1 << 5;
/// The list counts its people per block of ranks `rank >> BLOCK_BITS` (`rank_block`, kept by
/// triggers: migration 25) to start a far page at its block: about a thousand people per block at
/// [`SPACING`].
pub(crate) const BLOCK_BITS: u32 = 24;
/// More new subjects than this in one import are numbered together rather than one by one.
pub(crate) const BULK: usize = 2000;

/// Where subject `id`, whose `sort_key` is `key`, goes: the ranks of its neighbours (0 and
/// [`MAX`] at the ends). Subjects without a rank (mid-import) are not neighbours.
fn neighbours(conn: &Connection, id: i64, key: &str) -> Result<(Option<i64>, Option<i64>)> {
    let before = conn
        .prepare_cached(
            "SELECT rank FROM subject WHERE (sort_key, id) < (?1, ?2) AND rank IS NOT NULL
             ORDER BY sort_key DESC, id DESC LIMIT 1",
        )?
        .query_row(params![key, id], |r| r.get(0))
        .optional()?;
    let after = conn
        .prepare_cached(
            "SELECT rank FROM subject WHERE (sort_key, id) > (?1, ?2) AND rank IS NOT NULL
             ORDER BY sort_key, id LIMIT 1",
        )?
        .query_row(params![key, id], |r| r.get(0))
        .optional()?;
    Ok((before, after))
}

/// Gives subject `id` (its `sort_key` stored, its rank NULL and no search row) a rank and returns
/// it. Neighbours moved to make room get their search rows rewritten under their new ranks.
pub(crate) fn place(conn: &Connection, id: i64, key: &str) -> Result<i64> {
    let (before, after) = neighbours(conn, id, key)?;
    let lo = before.unwrap_or(0);
    let hi = after.unwrap_or(MAX);
    let half = (hi - lo) / 2;
    let rank = match (before, after) {
        (_, None) => lo + half.min(SPACING),
        (None, Some(_)) => hi - half.min(SPACING),
        _ => lo + half,
    };
    let rank = if rank > lo && rank < hi {
        rank
    } else {
        spread_around(conn, id, key)?
    };
    conn.prepare_cached("UPDATE subject SET rank = ?2 WHERE id = ?1")?
        .execute(params![id, rank])?;
    Ok(rank)
}

/// The gap at `key` is used up: spreads the smallest window of neighbours around it that has room
/// for them all with [`MIN_GAP`] between them (or the whole list), and returns the rank left
/// for `id` in the middle.
fn spread_around(conn: &Connection, id: i64, key: &str) -> Result<i64> {
    let mut k = 8_usize;
    loop {
        let side = |sql: &str| -> Result<Vec<(i64, i64)>> {
            let mut st = conn.prepare_cached(sql)?;
            let rows = st
                .query_map(params![key, id, k as i64 + 1], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<Vec<(i64, i64)>>>()?;
            Ok(rows)
        };
        let mut before = side(
            "SELECT id, rank FROM subject WHERE (sort_key, id) < (?1, ?2) AND rank IS NOT NULL
             ORDER BY sort_key DESC, id DESC LIMIT ?3",
        )?;
        let mut after = side(
            "SELECT id, rank FROM subject WHERE (sort_key, id) > (?1, ?2) AND rank IS NOT NULL
             ORDER BY sort_key, id LIMIT ?3",
        )?;
        // The (k+1)-th row on each side bounds the window and keeps its rank.
        let lo = if before.len() > k {
            before.pop().map_or(0, |(_, r)| r)
        } else {
            0
        };
        let hi = if after.len() > k {
            after.pop().map_or(MAX, |(_, r)| r)
        } else {
            MAX
        };
        let whole = lo == 0 && hi == MAX;
        let count = (before.len() + after.len() + 1) as i64;
        let gap = ((hi - lo) / (count + 1)).min(SPACING);
        if gap >= MIN_GAP || (whole && gap >= 1) {
            before.reverse();
            let moved: Vec<i64> = before.iter().chain(&after).map(|(i, _)| *i).collect();
            let mut ranks = (1..=count).map(|i| lo + gap * i);
            let mut placed = Vec::with_capacity(moved.len());
            for (i, _) in &before {
                placed.push((*i, ranks.next().unwrap_or(hi - 1)));
            }
            let own = ranks.next().unwrap_or(hi - 1);
            for (i, _) in &after {
                placed.push((*i, ranks.next().unwrap_or(hi - 1)));
            }
            let old: Vec<i64> = before.iter().chain(&after).map(|(_, r)| *r).collect();
            move_rows(conn, &moved, &old, &placed)?;
            return Ok(own);
        }
        if whole {
            // Cannot happen below 2^61 subjects; renumbering everything is the answer anyway.
            rebuild(conn)?;
            return Ok(
                conn.query_row("SELECT rank FROM subject WHERE id = ?1", [id], |r| r.get(0))?
            );
        }
        k *= 4;
    }
}

/// Gives the subjects `ids` (with search rows under the `old` ranks) their new ranks, rewriting
/// their search rows. Ranks are cleared first so no two rows hold the same one on the way.
fn move_rows(conn: &Connection, ids: &[i64], old: &[i64], placed: &[(i64, i64)]) -> Result<()> {
    let mut clear = conn.prepare_cached("UPDATE subject SET rank = NULL WHERE id = ?1")?;
    for (id, rank) in ids.iter().zip(old) {
        clear.execute([id])?;
        Fts::Subjects.remove(conn, *rank)?;
    }
    let mut set = conn.prepare_cached("UPDATE subject SET rank = ?2 WHERE id = ?1")?;
    for (id, rank) in placed {
        let (_, terms) = index::stored_index(conn, *id)?;
        set.execute(params![id, rank])?;
        Fts::Subjects.put(conn, *rank, &terms)?;
    }
    Ok(())
}

/// Renumbers every subject evenly in list order and rewrites the whole search index from what is
/// stored (sort keys included). Used after large imports, by the demo generator and by the
/// migration that introduced ranks.
pub(crate) fn rebuild(conn: &Connection) -> Result<()> {
    let mut rows = index::all_stored_index(conn)?;
    rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Fts::Subjects.clear(conn)?;
    conn.execute_batch("UPDATE subject SET rank = NULL WHERE rank IS NOT NULL;")?;
    let n = rows.len() as i64;
    // Half of the space at least is left after the last subject for additions at the end.
    let gap = (MAX / (2 * n + 1024)).clamp(1, SPACING);
    let mut set =
        conn.prepare_cached("UPDATE subject SET rank = ?2, sort_key = ?3 WHERE id = ?1")?;
    // Every rank first (the update fires the rank-block trigger), then every search row, so that
    // no statement with triggers comes between two index writes (see `Fts::keep`).
    let mut ranks = Vec::with_capacity(rows.len());
    for (i, (id, key, terms)) in rows.iter().enumerate() {
        let rank = gap * (i as i64 + 1);
        set.execute(params![id, rank, key])?;
        Fts::Subjects.keep(conn, rank, terms)?;
        ranks.push(rank);
    }
    Fts::Subjects.index_kept(conn, &mut ranks)
}

/// The rank of the subject at `position` (from 0) of a list numbered evenly from scratch.
pub(crate) fn evenly(position: usize) -> i64 {
    (position as i64 + 1) * SPACING
}

/// Keeps the search terms of subject `id` (stored with its sort key and `rank`) from what is
/// stored; the caller writes the batch's search rows at the end ([`Fts::index_kept`]).
pub(crate) fn keep_at(conn: &Connection, id: i64, rank: i64) -> Result<()> {
    let (_, terms) = index::stored_index(conn, id)?;
    Fts::Subjects.keep(conn, rank, &terms)
}

/// Ranks for new subjects with the sort keys `keys` (in order), to be inserted in that order
/// after every subject already numbered (new ids are larger, so they follow equal keys). `None`
/// when some gap is too crowded for them: then they are inserted unnumbered and [`rebuild`] runs.
pub(crate) fn plan_new(conn: &Connection, keys: &[&str]) -> Result<Option<Vec<i64>>> {
    let mut st = conn.prepare(
        "SELECT sort_key, rank FROM subject WHERE rank IS NOT NULL ORDER BY sort_key, id",
    )?;
    let existing: Vec<(String, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(keys.len());
    let (mut e, mut i) = (0, 0);
    while i < keys.len() {
        // Existing subjects with a key up to this one's come before it.
        while e < existing.len() && existing[e].0.as_str() <= keys[i] {
            e += 1;
        }
        let lo = if e == 0 { 0 } else { existing[e - 1].1 };
        let next = existing.get(e);
        // The run of new subjects that fits in this gap.
        let mut j = i;
        while j < keys.len() && next.is_none_or(|(k, _)| keys[j] < k.as_str()) {
            j += 1;
        }
        let m = (j - i) as i64;
        // After the last subject, half of the remaining space is kept for later additions.
        let top = next.map_or(lo + (MAX - lo) / 2, |(_, r)| *r);
        let gap = ((top - lo) / (m + 1)).min(SPACING);
        if gap < MIN_GAP {
            return Ok(None);
        }
        out.extend((1..=m).map(|k| lo + gap * k));
        i = j;
    }
    Ok(Some(out))
}
