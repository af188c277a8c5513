//! Finding a request by what its register holds: who wrote (the requester's name, a registered
//! subject's name, IIN and contacts, the address it came from), its numbers in and out, its text,
//! and a range of received dates. Every typed word of two characters or more is a folded prefix
//! ([`crate::base::fold`]) that the request's search row must hold
//! ([`crate::registry::request_index`]: its own texts and its subject's terms together), so
//! "Иванова 2026" finds Ivanova's requests with an outgoing number of 2026 in one index lookup.
//! A single character narrows nothing useful and is left out until the next one is typed.

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
    /// The latest registered first.
    pub rows: Vec<Row>,
    /// The number of matches; with `capped`, only the first `COUNT_CAP + 1` were counted.
    pub total: u64,
    /// More than [`COUNT_CAP`] match: the window asks the user to type on.
    pub capped: bool,
}

/// Matches past this many are not counted exactly.
pub const COUNT_CAP: u64 = 1000;

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

/// The requests matching `q`, the latest registered first.
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
    let typed: Vec<String> = words(&q.text)
        .into_iter()
        .filter(|w| w.chars().count() >= 2)
        .take(MAX_WORDS)
        .collect();
    // With words, the index is the outer loop, newest first (its rowids are the requests' ids).
    let from_fts = !typed.is_empty();
    if from_fts {
        // Each word a phrase prefix in FTS5's syntax; the quotes keep it literal (`words` holds
        // letters and digits only).
        let m = typed
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" ");
        let p = arg(Box::new(m));
        conds.push(format!("request_fts MATCH {p}"));
    }
    if let Some(f) = from {
        let p = arg(Box::new(f.to_string()));
        conds.push(format!("r.received_on >= {p}"));
    }
    if let Some(t) = to {
        let p = arg(Box::new(t.to_string()));
        conds.push(format!("r.received_on <= {p}"));
    }
    let source = if from_fts {
        "request_fts JOIN request r ON r.id = request_fts.rowid"
    } else {
        "request r"
    };
    let order = if from_fts {
        "request_fts.rowid DESC"
    } else {
        "r.id DESC"
    };
    let where_ = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    // Counted up to the cap: past it the window asks to type on, as the registry's search does.
    let total: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT 1 FROM {source} {where_} LIMIT {})",
            COUNT_CAP + 1
        ))?
        .query_row(params.as_slice(), |r| r.get(0))?;
    // No limit given: a page as the window shows it.
    let limit = match q.limit {
        0 => 50,
        n => n.min(500),
    };
    let ids: Vec<i64> = conn
        .prepare_cached(&format!(
            "SELECT r.id FROM {source} {where_} ORDER BY {order} LIMIT {limit} OFFSET {}",
            q.offset
        ))?
        .query_map(params.as_slice(), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let rows = if ids.is_empty() {
        Vec::new()
    } else {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        row_of(
            conn,
            &format!("WHERE r.id IN ({list}) ORDER BY r.id DESC"),
            &[],
            today,
        )?
    };
    let total = u64::try_from(total).unwrap_or(0);
    Ok(Found {
        rows,
        capped: total > COUNT_CAP,
        total,
    })
}
