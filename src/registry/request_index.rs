//! What the search of requests (`requests::search`) finds a request by: its own requester, the
//! address it came from, its numbers in and out and its text, and its registered subject's search
//! terms (name, IIN, document, contacts — [`crate::registry::index`]), folded as
//! [`crate::base::fold`] says, in one row of `request_fts` (rowid = the request's id) so that a
//! search is one index lookup whatever mix of words it is given. Derived data, written whenever
//! any of it changes: on intake, on correction, on attaching, when a letter is issued for it, when
//! its subject's data changes ([`for_subject`]), and again with only its numbers when its person
//! is destroyed. It lives in the registry layer because the registry's changes must reach it.

use crate::base::fold::push_words;
use crate::error::Result;
use crate::registry::index::Fts;
use rusqlite::Connection;

/// The search terms of request `id` from what is stored: the requester, the sender's address, the
/// incoming reference, the numbers of the letters issued for it, the text, and its subject's terms
/// while the subject is in the registry.
fn terms_of(conn: &Connection, id: i64) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    let row: Option<(String, String, String, String, Option<i64>)> = conn
        .prepare_cached(
            "SELECT r.requester, r.sender, r.incoming_ref || ' ' || r.outgoing_ref, r.body, s.id
             FROM request r LEFT JOIN subject s ON s.id = r.subject_id
                                               AND s.status IN ('active', 'blocked')
             WHERE r.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((requester, sender, incoming_ref, body, subject)) = row else {
        return Ok(None);
    };
    let mut terms = String::with_capacity(requester.len() + body.len() + 64);
    for t in [&requester, &sender, &incoming_ref] {
        push_words(&mut terms, t);
    }
    let mut st = conn.prepare_cached("SELECT number FROM letter WHERE request_id = ?1")?;
    for n in st.query_map([id], |r| r.get::<_, String>(0))? {
        push_words(&mut terms, &n?);
    }
    push_words(&mut terms, &body);
    if let Some(subject) = subject {
        let (_, of_subject) = crate::registry::index::stored_index(conn, subject)?;
        if !of_subject.is_empty() {
            terms.push(' ');
            terms.push_str(&of_subject);
        }
    }
    Ok(Some(terms))
}

/// Writes the search rows of subject `subject_id`'s requests again (its data changed).
pub(crate) fn for_subject(conn: &Connection, subject_id: i64) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM request WHERE subject_id = ?1")?
        .query_map([subject_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        reindex(conn, id)?;
    }
    Ok(())
}

/// Writes request `id`'s search row again from what is stored (inside the caller's transaction).
pub fn reindex(conn: &Connection, id: i64) -> Result<()> {
    Fts::Requests.remove(conn, id)?;
    if let Some(terms) = terms_of(conn, id)?
        && !terms.is_empty()
    {
        Fts::Requests.put(conn, id, &terms)?;
    }
    Ok(())
}

/// Keeps new request `id`'s search terms (it has no search row yet) for a bulk writer, which
/// writes the batch's rows together at the end ([`Fts::index_kept`]). False when it has no terms.
pub(crate) fn keep(conn: &Connection, id: i64) -> Result<bool> {
    match terms_of(conn, id)? {
        Some(terms) if !terms.is_empty() => {
            Fts::Requests.keep(conn, id, &terms)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Writes every request's search row (after the migration that made the index: a vault of 50 000
/// requests takes about a second, once).
pub fn rebuild(conn: &Connection) -> Result<u64> {
    Fts::Requests.clear(conn)?;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM request ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut kept = Vec::with_capacity(ids.len());
    for id in &ids {
        if keep(conn, *id)? {
            kept.push(*id);
        }
    }
    Fts::Requests.index_kept(conn, &mut kept)?;
    Ok(ids.len() as u64)
}
