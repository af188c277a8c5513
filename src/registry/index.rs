//! What the search index holds of a subject: its sort key (the folded full name) and its search
//! terms (folded names, IIN, document number, normalised contacts), computed from what is stored.
//! [`crate::registry::rank`] places the sort keys in order; [`crate::registry::search`] queries the
//! terms.

use crate::base::fold::{fold, push_words};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// The sort key and the search terms of a subject.
pub(crate) fn index_terms<'a>(
    names: [&str; 3],
    iin: Option<&str>,
    doc: Option<&str>,
    contacts: impl Iterator<Item = (&'a str, &'a str)>,
) -> (String, String) {
    let full = names.join(" ");
    let sort_key = fold(&full);
    // One string for all terms: an import computes 100 000 of them.
    fn push(terms: &mut String, t: &str) {
        if !t.is_empty() {
            if !terms.is_empty() {
                terms.push(' ');
            }
            terms.push_str(t);
        }
    }
    let mut terms = String::with_capacity(full.len() * 2 + 64);
    push_words(&mut terms, &full);
    if let Some(iin) = iin {
        push(&mut terms, iin);
    }
    if let Some(d) = doc {
        push_words(&mut terms, d);
    }
    let mut digits = String::with_capacity(16);
    for (kind, norm) in contacts {
        if kind == "phone" {
            digits.clear();
            digits.extend(norm.chars().filter(char::is_ascii_digit));
            // Found by the full number, without the country code, or by the local seven digits.
            if digits.len() == 11 && digits.starts_with('7') {
                push(&mut terms, &digits[1..]);
                push(&mut terms, &digits[4..]);
            }
            push(&mut terms, &digits);
        } else {
            push_words(&mut terms, norm);
        }
    }
    (sort_key, terms)
}

/// The sort key and search terms of a subject, from what is stored.
pub(crate) fn stored_index(conn: &Connection, id: i64) -> Result<(String, String)> {
    type Names = (String, String, String, Option<String>, Option<String>);
    let row: Option<Names> = conn
        .prepare_cached(
            "SELECT surname, given_name, patronymic, iin, doc_number FROM subject WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((surname, given, patronymic, iin, doc)) = row else {
        return Err(Error::NotFound {
            kind: "subject",
            id,
        });
    };
    let mut st =
        conn.prepare_cached("SELECT kind, normalized FROM contact WHERE subject_id = ?1")?;
    let contacts: Vec<(String, String)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(index_terms(
        [&surname, &given, &patronymic],
        iin.as_deref(),
        doc.as_deref(),
        contacts.iter().map(|(k, n)| (k.as_str(), n.as_str())),
    ))
}

/// `(id, sort key, search terms)` of every subject, from what is stored: two ordered scans
/// instead of a lookup per subject.
pub(crate) fn all_stored_index(conn: &Connection) -> Result<Vec<(i64, String, String)>> {
    type Names = (i64, String, String, String, Option<String>, Option<String>);
    let mut subjects = conn.prepare(
        "SELECT id, surname, given_name, patronymic, iin, doc_number FROM subject
         WHERE status IN ('active', 'blocked') ORDER BY id",
    )?;
    let mut contacts =
        conn.prepare("SELECT subject_id, kind, normalized FROM contact ORDER BY subject_id, id")?;
    let mut contacts =
        contacts.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))?;
    // The next contact not yet given to its subject (both scans go in subject id order).
    let mut next: Option<(i64, String, String)> = contacts.next().transpose()?;
    let mut out = Vec::new();
    let rows = subjects.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    for row in rows {
        let (id, surname, given, patronymic, iin, doc): Names = row?;
        let mut own = Vec::new();
        while let Some((sid, kind, norm)) = next.take() {
            if sid > id {
                next = Some((sid, kind, norm));
                break;
            }
            if sid == id {
                own.push((kind, norm));
            }
            next = contacts.next().transpose()?;
        }
        let (key, terms) = index_terms(
            [&surname, &given, &patronymic],
            iin.as_deref(),
            doc.as_deref(),
            own.iter()
                .map(|(k, n): &(String, String)| (k.as_str(), n.as_str())),
        );
        out.push((id, key, terms));
    }
    Ok(out)
}

/// One of the two search indexes: FTS5 tables that keep no copy of the text, each with beside it
/// the terms every row was written with (`subject_terms`, `request_terms`, migration 24).
///
/// A row leaves with exactly those terms (FTS5's `'delete'`), and with `secure-delete` set the
/// index rewrites every segment that held them as it goes: a destroyed or changed person's old
/// terms are in no index page afterwards, without merging the whole index each time (0.2 s on
/// 100 000 people). The terms table is ordinary rows, zeroed when deleted (`secure_delete`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fts {
    Subjects,
    Requests,
}

impl Fts {
    fn tables(self) -> (&'static str, &'static str) {
        match self {
            Fts::Subjects => ("subject_fts", "subject_terms"),
            Fts::Requests => ("request_fts", "request_terms"),
        }
    }

    /// Writes row `rowid` of the index with `terms` (replacing what it held).
    pub(crate) fn put(self, conn: &Connection, rowid: i64, terms: &str) -> Result<()> {
        self.remove(conn, rowid)?;
        let (fts, kept) = self.tables();
        conn.prepare_cached(&format!("INSERT INTO {fts} (rowid, terms) VALUES (?1, ?2)"))?
            .execute(rusqlite::params![rowid, terms])?;
        conn.prepare_cached(&format!("INSERT INTO {kept} (id, terms) VALUES (?1, ?2)"))?
            .execute(rusqlite::params![rowid, terms])?;
        Ok(())
    }

    /// Keeps `terms` as the terms of row `rowid` (not in the index yet), whose index row a bulk
    /// writer writes later with the batch's others ([`Fts::index_kept`]).
    ///
    /// Why not at once: FTS5 writes the terms it holds in memory as a new segment whenever a
    /// statement opens a statement journal, as any statement that fires triggers does (the
    /// subject's rank-block trigger, the due-date triggers of holdings and consents). Index rows
    /// written between such statements cost a segment each and then their merging: 37 % and 15 %
    /// of an import of 100 000 people (the profile in issue 20's note).
    pub(crate) fn keep(self, conn: &Connection, rowid: i64, terms: &str) -> Result<()> {
        let (_, kept) = self.tables();
        conn.prepare_cached(&format!("INSERT INTO {kept} (id, terms) VALUES (?1, ?2)"))?
            .execute(rusqlite::params![rowid, terms])?;
        Ok(())
    }

    /// Writes the index rows of `rowids` with the terms kept for them by [`Fts::keep`], in
    /// ascending order and with nothing else between them (single-row inserts open no statement
    /// journal), so FTS5 writes its segments only as its memory fills.
    pub(crate) fn index_kept(self, conn: &Connection, rowids: &mut [i64]) -> Result<()> {
        let (fts, kept) = self.tables();
        rowids.sort_unstable();
        let mut read = conn.prepare_cached(&format!("SELECT terms FROM {kept} WHERE id = ?1"))?;
        let mut write =
            conn.prepare_cached(&format!("INSERT INTO {fts} (rowid, terms) VALUES (?1, ?2)"))?;
        for rowid in rowids.iter() {
            let terms: String = read.query_row([rowid], |r| r.get(0))?;
            write.execute(rusqlite::params![rowid, terms])?;
        }
        Ok(())
    }

    /// Takes row `rowid` out of the index, if it is there.
    pub(crate) fn remove(self, conn: &Connection, rowid: i64) -> Result<()> {
        let (fts, kept) = self.tables();
        let terms: Option<String> = conn
            .prepare_cached(&format!("SELECT terms FROM {kept} WHERE id = ?1"))?
            .query_row([rowid], |r| r.get(0))
            .optional()?;
        if let Some(terms) = terms {
            conn.prepare_cached(&format!(
                "INSERT INTO {fts} ({fts}, rowid, terms) VALUES ('delete', ?1, ?2)"
            ))?
            .execute(rusqlite::params![rowid, terms])?;
            conn.prepare_cached(&format!("DELETE FROM {kept} WHERE id = ?1"))?
                .execute([rowid])?;
        }
        Ok(())
    }

    /// Empties the index.
    pub(crate) fn clear(self, conn: &Connection) -> Result<()> {
        let (fts, kept) = self.tables();
        conn.execute_batch(&format!(
            "INSERT INTO {fts} ({fts}) VALUES ('delete-all'); DELETE FROM {kept};"
        ))?;
        Ok(())
    }
}
