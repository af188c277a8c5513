//! Finding a request by what its register holds: who wrote (the requester's name, a registered
//! subject's name and IIN, the address it came from), its numbers in and out, its text, and a range
//! of received dates. Every typed word is a folded prefix ([`crate::base::fold`]) that must match
//! the request's own search row or its subject's (`subject_fts`): "Иванова 2026" finds Ivanova's
//! requests with an outgoing number of 2026 even though her name is in the registry and the number
//! in the request.
//!
//! The request's own search row is [`crate::requests::terms`]'.

use crate::base::fold::words;
use crate::base::input::parse_date;
use crate::error::{Error, FieldIssue, Result};
use crate::requests::request::{Row, row_of};
use chrono::NaiveDate;
use rusqlite::{Connection, ToSql};

/// What the search looks for: typed text (any words), received from / to (inclusive).
#[derive(Debug, Clone, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct Query {
    pub text: String,
    /// `YYYY-MM-DD` or `DD.MM.YYYY`; empty: no bound.
    pub from: String,
    pub to: String,
    pub offset: u32,
    /// At most 500; 0: 50.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Found {
    /// The latest received first.
    pub rows: Vec<Row>,
    pub total: u64,
}

/// Words typed past this many are ignored: a search is a few words, not a paragraph.
const MAX_WORDS: usize = 6;

fn bound(raw: &str, field: &'static str) -> Result<Option<NaiveDate>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    parse_date(raw).map(Some).ok_or_else(|| {
        Error::Invalid(vec![FieldIssue {
            field,
            code: "date.format",
        }])
    })
}

/// The requests matching `q`, the latest received first.
pub fn search(conn: &Connection, q: &Query, today: NaiveDate) -> Result<Found> {
    let from = bound(&q.from, "from")?;
    let to = bound(&q.to, "to")?;
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "to",
            code: "date.before_start",
        }]));
    }
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut arg = |v: Box<dyn ToSql>| {
        args.push(v);
        format!("?{}", args.len())
    };
    for w in words(&q.text).into_iter().take(MAX_WORDS) {
        // A word is a phrase prefix in FTS5's syntax; the quotes keep its characters literal
        // (`words` holds letters and digits only).
        let p = arg(Box::new(format!("\"{w}\"*")));
        conds.push(format!(
            "(r.id IN (SELECT rowid FROM request_fts WHERE request_fts MATCH {p})
              OR r.subject_id IN (SELECT s2.id FROM subject_fts JOIN subject s2 ON s2.rank = subject_fts.rowid
                                  WHERE subject_fts MATCH {p}))"
        ));
    }
    if let Some(f) = from {
        let p = arg(Box::new(f.to_string()));
        conds.push(format!("r.received_on >= {p}"));
    }
    if let Some(t) = to {
        let p = arg(Box::new(t.to_string()));
        conds.push(format!("r.received_on <= {p}"));
    }
    let where_ = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM request r {where_}"))?
        .query_row(params.as_slice(), |r| r.get(0))?;
    // No limit given: a page as the window shows it.
    let limit = match q.limit {
        0 => 50,
        n => n.min(500),
    };
    let rows = row_of(
        conn,
        &format!(
            "{where_} ORDER BY r.received_on DESC, r.id DESC LIMIT {limit} OFFSET {}",
            q.offset
        ),
        params.as_slice(),
        today,
    )?;
    Ok(Found {
        rows,
        total: u64::try_from(total).unwrap_or(0),
    })
}
