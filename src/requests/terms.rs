//! What the search of requests ([`crate::requests::search`]) finds a request by, of its own: the
//! requester, the address it came from, its numbers in and out, its text, folded as
//! [`crate::base::fold`] says. The row (`request_fts`, rowid = the request's id) is derived data,
//! written whenever these change: on intake, on correction, when a letter is issued for it, and
//! again with only its numbers when its person is destroyed. The subject's name and IIN are found
//! through the registry's own index.

use crate::base::fold::push_words;
use crate::error::Result;
use rusqlite::{Connection, params};

/// The search terms of request `id` from what is stored: the requester, the sender's address, the
/// incoming reference, the numbers of the letters issued for it, the text.
fn terms_of(conn: &Connection, id: i64) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    let row: Option<(String, String, String, String)> = conn
        .prepare_cached("SELECT requester, sender, incoming_ref, body FROM request WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((requester, sender, incoming_ref, body)) = row else {
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
    Ok(Some(terms))
}

/// Writes request `id`'s search row again from what is stored (inside the caller's transaction).
pub(crate) fn reindex(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM request_fts WHERE rowid = ?1")?
        .execute([id])?;
    if let Some(terms) = terms_of(conn, id)?
        && !terms.is_empty()
    {
        conn.prepare_cached("INSERT INTO request_fts (rowid, terms) VALUES (?1, ?2)")?
            .execute(params![id, terms])?;
    }
    Ok(())
}

/// Writes every request's search row (after the migration that made the index: a vault of 50 000
/// requests takes about a second, once).
pub(crate) fn rebuild(conn: &Connection) -> Result<u64> {
    conn.execute("DELETE FROM request_fts", [])?;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM request ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        reindex(conn, *id)?;
    }
    Ok(ids.len() as u64)
}
