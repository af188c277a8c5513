//! Search as you type over the registry: name, IIN, document number, e-mail and phone, folded as
//! [`crate::fold`] says, every word a prefix; with filters, in alphabetical pages (the window never
//! loads the whole list).

use crate::error::Result;
use crate::fold::words;
use crate::subject::Status;
use chrono::NaiveDate;
use rusqlite::{Connection, ToSql};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentFilter {
    /// Has a consent in force (for the chosen purpose, if any).
    Active,
    /// Has a withdrawn consent.
    Withdrawn,
    /// Has no consent in force.
    Without,
}

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub status: Option<Status>,
    pub purpose_id: Option<i64>,
    pub consent: Option<ConsentFilter>,
    pub open_request: Option<bool>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub iin: Option<String>,
    pub doc_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: String,
}

/// Up to this many text matches are sorted directly; more are found along the alphabetical index.
const FEW: usize = 1000;

/// Text matches past [`FEW`] are not counted exactly: reported as `COUNT_CAP + 1`.
pub const COUNT_CAP: u64 = FEW as u64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub rows: Vec<Row>,
    /// The number of matches; with `capped`, only the first `COUNT_CAP + 1` can be shown.
    pub total: u64,
    /// There are more than [`COUNT_CAP`] text matches: the window asks the user to type on.
    pub capped: bool,
}

/// The FTS5 query for typed text: every folded word as a prefix, all required.
pub fn fts_query(text: &str) -> Option<String> {
    let w = words(text);
    (!w.is_empty()).then(|| {
        w.iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

pub fn search(conn: &Connection, q: &Query, today: NaiveDate) -> Result<Page> {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut arg = |v: Box<dyn ToSql>| {
        args.push(v);
        format!("?{}", args.len())
    };
    let mut dense = false;
    let typed = words(&q.text);
    if let [w] = typed.as_slice()
        && w.chars().count() == 1
    {
        // One character: the alphabet index (surnames starting with it), ordered by the index
        // itself. A single digit narrows nothing useful and shows the whole list.
        if let Some(c) = w.chars().next().filter(|c| c.is_alphabetic()) {
            let next = char::from_u32(c as u32 + 1).unwrap_or(c);
            let lo = arg(Box::new(c.to_string()));
            let hi = arg(Box::new(next.to_string()));
            conds.push(format!("s.sort_key >= {lo} AND s.sort_key < {hi}"));
        }
    } else if let Some(m) = fts_query(&q.text) {
        // Two plans. Few matches: take them from the text index and sort just those. Many
        // matches (a short prefix): let SQLite walk the alphabetical index against the set of
        // matches, and do not count them exactly.
        let mut st = conn
            .prepare_cached("SELECT rowid FROM subject_fts WHERE subject_fts MATCH ?1 LIMIT ?2")?;
        let ids: Vec<i64> = st
            .query_map(rusqlite::params![m, FEW as i64 + 1], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if ids.len() <= FEW {
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let p = arg(Box::new(format!("[{list}]")));
            conds.push(format!("s.id IN (SELECT value FROM json_each({p}))"));
        } else {
            let p = arg(Box::new(m));
            conds.push(format!(
                "s.id IN (SELECT rowid FROM subject_fts WHERE subject_fts MATCH {p})"
            ));
            dense = true;
        }
    }
    if let Some(st) = q.status {
        let p = arg(Box::new(st.name()));
        conds.push(format!("s.status = {p}"));
    }
    let purpose = q.purpose_id.map(|id| {
        let p = arg(Box::new(id));
        format!(" AND c.purpose_id = {p}")
    });
    let purpose_c = purpose.clone().unwrap_or_default();
    match q.consent {
        Some(ConsentFilter::Active) | Some(ConsentFilter::Without) => {
            let t = arg(Box::new(today.to_string()));
            let exists = format!(
                "EXISTS (SELECT 1 FROM consent c WHERE c.subject_id = s.id AND c.withdrawn_at IS NULL
                         AND (c.valid_until IS NULL OR c.valid_until >= {t}){purpose_c})"
            );
            conds.push(if q.consent == Some(ConsentFilter::Active) { exists } else { format!("NOT {exists}") });
        }
        Some(ConsentFilter::Withdrawn) => conds.push(format!(
            "EXISTS (SELECT 1 FROM consent c WHERE c.subject_id = s.id AND c.withdrawn_at IS NOT NULL{purpose_c})"
        )),
        None => {
            if let Some(p) = &purpose {
                let h = p.replace("c.purpose_id", "h.purpose_id");
                conds.push(format!(
                    "(EXISTS (SELECT 1 FROM consent c WHERE c.subject_id = s.id{p})
                      OR EXISTS (SELECT 1 FROM holding h WHERE h.subject_id = s.id{h}))"
                ));
            }
        }
    }
    if let Some(open) = q.open_request {
        let e = "EXISTS (SELECT 1 FROM request r WHERE r.subject_id = s.id AND r.status IN ('new', 'in_progress'))";
        conds.push(if open {
            e.to_owned()
        } else {
            format!("NOT {e}")
        });
    }
    let where_ = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    // Many text matches are not counted: the window says "more than N" and the user types on.
    let only_text = q.status.is_none()
        && q.purpose_id.is_none()
        && q.consent.is_none()
        && q.open_request.is_none();
    let total: i64 = if dense && only_text {
        COUNT_CAP as i64 + 1
    } else {
        let cap = if dense {
            COUNT_CAP + 1
        } else {
            i64::MAX as u64
        };
        conn.query_row(
            &format!("SELECT count(*) FROM (SELECT 1 FROM subject s {where_} LIMIT {cap})"),
            params.as_slice(),
            |r| r.get(0),
        )?
    };
    let limit = q.limit.clamp(1, 500);
    let sql = format!(
        "SELECT s.id, s.surname, s.given_name, s.patronymic, s.iin, s.doc_number,
                (SELECT value FROM contact c WHERE c.subject_id = s.id AND c.kind = 'email' ORDER BY c.id LIMIT 1),
                (SELECT value FROM contact c WHERE c.subject_id = s.id AND c.kind = 'phone' ORDER BY c.id LIMIT 1),
                s.status
         FROM subject s {where_} ORDER BY s.sort_key, s.id LIMIT {limit} OFFSET {}",
        q.offset
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st
        .query_map(params.as_slice(), |r| {
            Ok(Row {
                id: r.get(0)?,
                surname: r.get(1)?,
                given_name: r.get(2)?,
                patronymic: r.get(3)?,
                iin: r.get(4)?,
                doc_number: r.get(5)?,
                email: r.get(6)?,
                phone: r.get(7)?,
                status: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page {
        rows,
        total: u64::try_from(total).unwrap_or(0),
        capped: dense && u64::try_from(total).unwrap_or(0) > COUNT_CAP,
    })
}
