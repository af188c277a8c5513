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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub rows: Vec<Row>,
    pub total: u64,
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
    if let Some(m) = fts_query(&q.text) {
        let p = arg(Box::new(m));
        conds.push(format!(
            "s.id IN (SELECT rowid FROM subject_fts WHERE subject_fts MATCH {p})"
        ));
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
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM subject s {where_}"),
        params.as_slice(),
        |r| r.get(0),
    )?;
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
    })
}
